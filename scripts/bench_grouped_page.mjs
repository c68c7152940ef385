// Issue 29's grouped-chart figure in the browser: 1,000 runs × a 10,000-step loss grouped
// by a parameter of 5 values (the sweep of `scripts/bench_groups.py`, logged through the
// native API). In a cold browser each time, the project page is opened and its table
// painted; then the clock starts at the click that opens "Lines of these runs, grouped"
// and stops at the first frame after the bands are drawn: the server's answer (1,000
// columns, bands from every point) plus the dashboard's request, decode and draw.
// Written into BENCHMARKS.md between the `grouped-page` markers. Rerun: `make bench`, or
// alone (after `make dashboard` and `cargo build --release -p trackboard-server`):
//   TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_grouped_page.mjs
// BENCH_GROUP_RUNS=200 for a shorter run (the table is then not written).
import { benchColdVisits, median, post } from './bench_support.mjs';
import { launchBrowser, screenshot, signedInPage } from '../e2e/support/browser.mjs';

const RUNS = Number(process.env.BENCH_GROUP_RUNS ?? 1_000);
const SAMPLES = Number(process.env.BENCH_RUNS ?? 5);
const STEPS = 10_000;
const RATES = [0.1, 0.03, 0.01, 0.003, 0.001];
/** Requests in flight while filling (the server commits each durably). */
const CONCURRENCY = 4;

/** Run `index`'s loss: a decay set by its learning rate, plus deterministic noise. */
function lossOf(index, lr) {
  return Array.from({ length: STEPS },
    (_, step) => Math.exp((-step * lr) / 50) + ((index * 7919 + step * 104729) % 1000) / 20_000);
}

async function fill(server) {
  const project = await post(server, '/projects', { name: 'grouped sweep' });
  let next = 0;
  const worker = async () => {
    while (next < RUNS) {
      const index = next;
      next += 1;
      const lr = RATES[index % RATES.length];
      const { id } = await post(server, `/projects/${project.id}/experiments`, { name: `run-${index}` });
      await post(server, `/experiments/${id}/parameters`, { lr, seed: index });
      await post(server, `/experiments/${id}/logs`, { name: 'loss', type: 'LINE', data: lossOf(index, lr) });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return project.id;
}

/** One cold visit: ms from the click opening the grouped chart to its bands painted. */
async function visit(server, projectId, first) {
  const browser = await launchBrowser();
  try {
    const page = await signedInPage(browser, server.token, { width: 1280, height: 1400 });
    await page.goto(`${server.url}/projects/${projectId}`);
    await page.waitForFunction(() => performance.getEntriesByName('trackboard:table-painted').length > 0,
      null, { timeout: 60_000 });
    const painted = await page.evaluate(async () => {
      const summary = [...document.querySelectorAll('summary')]
        .find((element) => element.textContent.includes('Lines of these runs, grouped'));
      const start = performance.now();
      summary.click();
      for (;;) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const drawn = performance.getEntriesByName('trackboard:bands-drawn')
          .find((entry) => entry.startTime > start);
        if (drawn) {
          // The frame after the draw's: the one that shows it.
          await new Promise((resolve) => requestAnimationFrame(resolve));
          return performance.now() - start;
        }
        if (performance.now() - start > 60_000) throw new Error('the grouped chart never drew its bands');
      }
    });
    const bands = JSON.parse(await page.locator('.grouped-canvas').getAttribute('data-bands'));
    if (bands.bands.length !== RATES.length) throw new Error(`${bands.bands.length} bands drawn, not ${RATES.length}`);
    if (first) await screenshot(page, 'bench-grouped-page');
    return painted;
  } finally {
    await browser.close();
  }
}

await benchColdVisits({
  script: 'bench_grouped_page.mjs',
  marker: 'grouped-page',
  heading: 'A grouped chart in the browser (issue 29)',
  samples: SAMPLES,
  full: RUNS === 1_000,
  fill,
  visit,
  rowsOf: (samples, filled) => {
    const figure = median(samples);
    return [
      `| a chart grouped by one parameter (${RATES.length} groups) over ${RUNS.toLocaleString('en')} runs × ${STEPS.toLocaleString('en')} steps, click to bands painted, cold browser | ${figure.toFixed(0)} ms | ≤ 400 ms | ${figure <= 400 ? 'met' : 'not met'} | slowest ${Math.max(...samples).toFixed(0)} ms |`,
      `| filling the sweep through the API (${CONCURRENCY} requests in flight) | ${filled.toFixed(0)} s | | | |`,
    ];
  },
});
