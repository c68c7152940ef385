// Issue 19's snapshot figures: the size of a published comparison of 10 experiments ×
// 10 LINE logs × 100,000 points plus the demo's experiments (every other log type)
// against its raw points, and its first chart painted from a plain static server
// against the live view, each from a cold browser. Written into BENCHMARKS.md between
// the `snapshot` markers. Rerun: `make bench`, or alone (after `make dashboard` and
// `cargo build --release -p trackboard-server`):
//   TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_snapshot.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serverBinary, startServer } from '../e2e/support/server.mjs';
import { median, post, writeFigures } from './bench_support.mjs';
import { serveStatic } from '../e2e/support/static.mjs';
import { launchBrowser, screenshot, signedInPage } from '../e2e/support/browser.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const POINTS = 100_000;
/** What a point is at the least: its step (i64) and value (f64). */
const RAW_POINT_BYTES = 16;

/** 10 experiments × 10 LINE logs × 100,000 steps of a noisy decaying curve. */
async function seedWorkload(server) {
  const project = await post(server, '/projects', { name: 'snapshot-bench' });
  const ids = [];
  for (let index = 0; index < 10; index += 1) {
    const { id } = await post(server, `/projects/${project.id}/experiments`, { name: `run-${index}` });
    for (let log = 0; log < 10; log += 1) {
      let state = index * 10 + log + 1;
      const values = Array.from({ length: POINTS }, (_, step) => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return Math.exp(-step / 20_000) + 0.05 * (state / 2147483648);
      });
      await post(server, `/experiments/${id}/logs`, { name: `metric-${log}`, type: 'LINE', data: values });
    }
    ids.push(id);
  }
  return ids;
}

/** Navigation start to the first line chart painted, from a new browser. */
async function firstChartPainted(url, token, shot) {
  const browser = await launchBrowser();
  try {
    const page = token
      ? await signedInPage(browser, token)
      : await (await browser.newContext({ viewport: { width: 1280, height: 4000 } })).newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('trackboard:line-draw').length >= 10, null, { timeout: 120_000 });
    const painted = await page.evaluate(() => {
      const draws = performance.getEntriesByName('trackboard:line-draw');
      return {
        first: Math.min(...draws.map((d) => d.startTime + d.duration)),
        all: Math.max(...draws.map((d) => d.startTime + d.duration)),
      };
    });
    if (shot) await screenshot(page, shot);
    return painted;
  } finally {
    await browser.close();
  }
}

function du(dir) {
  const run = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  return Number(run.stdout.split(/\s/)[0]);
}

async function main() {
  const server = await startServer({ demo: true });
  const work = mkdtempSync(path.join(tmpdir(), 'trackboard-bench-snapshot-'));
  const out = path.join(work, 'site');
  let site;
  const rows = [];
  try {
    const started = Date.now();
    const ids = await seedWorkload(server);
    console.log(`seeded 10 × 10 × ${POINTS} points in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const demo = (await (await server.api('/projects')).json()).items.find((p) => p.name !== 'snapshot-bench');
    const demoIds = (await (await server.api(`/projects/${demo.id}/experiments`)).json()).items.map((e) => e.id);
    const demoPoints = (await Promise.all(demoIds.map(async (id) => {
      const logs = (await (await server.api(`/experiments/${id}/logs?type=LINE`)).json()).items;
      return logs.reduce((total, log) => total + log.data.series.reduce((sum, s) => sum + s.points, 0), 0);
    }))).reduce((a, b) => a + b, 0);

    const writing = Date.now();
    const written = spawnSync(serverBinary, ['snapshot', '--experiments', [...ids, ...demoIds].join(','), '--out', out, ...server.dataArgs], { encoding: 'utf8' });
    if (written.status !== 0) throw new Error(written.stderr);
    const seconds = ((Date.now() - writing) / 1000).toFixed(1);
    const raw = (10 * 10 * POINTS + demoPoints) * RAW_POINT_BYTES;
    const data = du(path.join(out, 'snapshot'));
    const whole = du(out);
    const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
    rows.push({
      figure: `Snapshot of 10 × 10 LINE logs × 100,000 points plus the demo's 3 experiments (${(10 * 10 * POINTS + demoPoints).toLocaleString('en')} points, every log type)`,
      value: `${(data / raw).toFixed(2)} × the raw points`,
      goal: '< 3 ×',
      met: data / raw < 3 ? 'met' : 'not met',
      note: `data ${mb(data)} (du -sb), raw points ${mb(raw)} at ${RAW_POINT_BYTES} B each (step + value); with the dashboard ${mb(whole)}; written in ${seconds} s`,
    });
    console.log(rows.at(-1));

    const view = `/compare?ids=${ids.join(',')}&charts=all`;
    const live = [];
    for (let run = 0; run < RUNS; run += 1) live.push(await firstChartPainted(`${server.url}${view}`, server.token, run === 0 ? 'bench-snapshot-live' : null));
    await server.stop();
    site = await serveStatic(out);
    const snapshot = [];
    for (let run = 0; run < RUNS; run += 1) snapshot.push(await firstChartPainted(`${site.url}${view}`, null, run === 0 ? 'bench-snapshot-static' : null));
    const liveFirst = median(live.map((s) => s.first));
    const snapshotFirst = median(snapshot.map((s) => s.first));
    rows.push({
      figure: 'First chart painted, compare view of the 10 × 10 × 100,000 experiments (all charts), cold browser: snapshot on a static server vs the live server',
      value: `${snapshotFirst.toFixed(0)} ms vs ${liveFirst.toFixed(0)} ms live`,
      goal: 'within 20 % of live',
      met: snapshotFirst <= liveFirst * 1.2 ? 'met' : 'not met',
      note: `all ten charts painted: ${median(snapshot.map((s) => s.all)).toFixed(0)} ms vs ${median(live.map((s) => s.all)).toFixed(0)} ms live; medians of ${RUNS} cold browsers each`,
    });
    console.log(rows.at(-1));
  } finally {
    await site?.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} (\`make bench\`, \`scripts/bench_snapshot.mjs\`).`,
    '',
    '| figure | measured | goal | | note |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.goal} | ${r.met} | ${r.note} |`),
  ].join('\n');
  writeFigures('snapshot', 'A published snapshot (issue 19)', table);
}

await main();
