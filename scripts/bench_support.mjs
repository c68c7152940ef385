// What the browser benchmarks share: the median of samples, API calls that must
// succeed, and writing a figures table into its marked section of BENCHMARKS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, startServer } from '../e2e/support/server.mjs';

export function median(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** `server.api(route, init)`, throwing with the route and the answer unless it succeeded. */
export async function call(server, route, init = {}) {
  const answer = await server.api(route, init);
  if (!answer.ok) throw new Error(`${route}: ${answer.status} ${await answer.text()}`);
  return answer;
}

/** POSTs `body` as JSON and answers the decoded answer. */
export async function post(server, route, body) {
  const answer = await call(server, route, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return answer.json();
}

/**
 * Puts `table` between the `<!-- marker:start -->` and `<!-- marker:end -->` lines of
 * BENCHMARKS.md, or appends it under `heading` the first time.
 */
export function writeFigures(marker, heading, table) {
  const file = path.join(repoRoot, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const [start, end] = [`<!-- ${marker}:start -->`, `<!-- ${marker}:end -->`];
  const block = `${start}\n${table}\n${end}`;
  const at = text.indexOf(start);
  const until = text.indexOf(end, at);
  const updated = at >= 0 && until >= 0
    ? `${text.slice(0, at)}${block}${text.slice(until + end.length)}`
    : `${text.trimEnd()}\n\n## ${heading}\n\n${block}\n`;
  writeFileSync(file, updated);
  console.log(`\n${table}\n\nwritten to BENCHMARKS.md`);
}

/**
 * A browser benchmark's frame: starts a server, `fill(server)` once (timed), then
 * `visit(server, filled, first)` `samples` times (each a cold browser), and makes the
 * table of `rowsOf(visits, fillSeconds)`: written between `marker`'s lines of
 * BENCHMARKS.md when `full`, only printed for a shorter run.
 */
export async function benchColdVisits({ script, marker, heading, samples, full, fill, visit, rowsOf }) {
  const server = await startServer();
  let rows;
  try {
    const began = performance.now();
    const filled = await fill(server);
    const seconds = (performance.now() - began) / 1000;
    const visits = [];
    for (let run = 0; run < samples; run += 1) visits.push(await visit(server, filled, run === 0));
    if (process.env.BENCH_VERBOSE) console.log(visits);
    rows = rowsOf(visits, seconds);
  } finally {
    await server.stop();
  }
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} (\`make bench\`, \`scripts/${script}\`), median of ${samples} cold browsers.`,
    '',
    '| figure | median | goal | | note |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  if (full) writeFigures(marker, heading, table);
  else console.log(table);
}
