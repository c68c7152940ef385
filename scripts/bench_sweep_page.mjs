// Issue 29's browser figures on a sweep: 10,000 runs × 20 parameters × 10 VALUE logs,
// logged through the native API. In a cold browser each time: navigation to the project
// page until its table is painted, and until the parallel coordinates of all the runs are
// drawn (the bench opens them as soon as they can be opened, as a user would); then a
// brush on one axis until the table shows the kept runs, on the next painted frame.
// Written into BENCHMARKS.md between the `sweep-page` markers. Rerun: `make bench`, or
// alone (after `make dashboard` and `cargo build --release -p trackboard-server`):
//   TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_sweep_page.mjs
// BENCH_SWEEP_RUNS=1000 for a shorter run (the table is then not written).
import { benchColdVisits, median, post } from './bench_support.mjs';
import { launchBrowser, screenshot, signedInPage } from '../e2e/support/browser.mjs';

const RUNS = Number(process.env.BENCH_SWEEP_RUNS ?? 10_000);
const SAMPLES = Number(process.env.BENCH_RUNS ?? 5);
const PARAMETERS = 20;
const METRICS = 10;
/** Requests in flight while filling (the server commits each durably). */
const CONCURRENCY = 8;

/** Run `index`'s parameters: a learning rate on a log scale, a batch size, an optimizer
 * name, a seed and integers spread like a grid search's, all deterministic. */
function parametersOf(index) {
  const parameters = {
    lr: 10 ** -(1 + (index % 5)) * (1 + (index % 3)),
    batch_size: 2 ** (4 + (index % 4)),
    optimizer: ['sgd', 'adam', 'adamw'][index % 3],
    seed: index % 7,
  };
  for (let p = Object.keys(parameters).length; p < PARAMETERS; p += 1) {
    parameters[`p${p}`] = (index * (p + 3) + p) % 97;
  }
  return parameters;
}

/** Run `index`'s VALUE logs: metrics in [0, 1). */
function metricsOf(index) {
  return Array.from({ length: METRICS }, (_, m) => ({
    name: m === 0 ? 'accuracy' : `m${m}`,
    type: 'VALUE',
    data: ((index * 7919 + m * 104729) % 1000) / 1000,
  }));
}

async function fill(server) {
  const project = await post(server, '/projects', { name: 'sweep' });
  let next = 0;
  const worker = async () => {
    while (next < RUNS) {
      const index = next;
      next += 1;
      const { id } = await post(server, `/projects/${project.id}/experiments`, { name: `run-${index}` });
      await post(server, `/experiments/${id}/parameters`, parametersOf(index));
      for (const body of metricsOf(index)) await post(server, `/experiments/${id}/logs`, body);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return project.id;
}

/** One cold visit: (table painted, parallel coordinates drawn, brush to table) in ms. */
async function visit(server, projectId, first) {
  const browser = await launchBrowser();
  try {
    const page = await signedInPage(browser, server.token, { width: 1280, height: 1400 });
    await page.goto(`${server.url}/projects/${projectId}`);
    await page.getByText('Parallel coordinates of these runs').click({ timeout: 60_000 });
    await page.waitForFunction(() => performance.getEntriesByName('trackboard:parallel-drawn').length > 0
      && performance.getEntriesByName('trackboard:table-painted').length > 0, null, { timeout: 60_000 });
    const [table, parallel] = await page.evaluate(() => {
      const loaded = performance.getEntriesByName('trackboard:experiments-loaded')[0].startTime;
      const painted = performance.getEntriesByName('trackboard:table-painted')[0];
      return [loaded + painted.duration, performance.getEntriesByName('trackboard:parallel-drawn')[0].startTime];
    });
    const rows = await page.locator('.experiments-table').getAttribute('aria-rowcount');
    if (Number(rows) !== RUNS + 1) throw new Error(`the table lists ${rows - 1} runs, not ${RUNS}`);
    // A brush from the top of the last axis (a metric) to its middle: the events a drag
    // sends, dispatched in one task; the table is updated at the frame after the one
    // that first shows its new row count; the lines, at the frame after their redraw.
    const brush = await page.evaluate(async () => {
      const canvas = document.querySelector('.parallel-canvas');
      const axes = JSON.parse(canvas.dataset.axes);
      const box = canvas.getBoundingClientRect();
      const x = box.left + axes.xs[axes.xs.length - 1];
      const event = (type, y) => canvas.dispatchEvent(new MouseEvent(type, {
        bubbles: true, clientX: x, clientY: box.top + y,
      }));
      const table = document.querySelector('.experiments-table');
      const before = table.getAttribute('aria-rowcount');
      const start = performance.now();
      event('mousedown', axes.top - 5);
      event('mousemove', (axes.top + axes.bottom) / 2);
      event('mouseup', (axes.top + axes.bottom) / 2);
      for (;;) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = document.querySelector('.experiments-table');
        if (now && now.getAttribute('aria-rowcount') !== before) {
          // The next frame's callbacks run once the frame showing the rows is out.
          await new Promise((resolve) => requestAnimationFrame(resolve));
          const table = performance.now() - start;
          // The lines follow, redrawn once the table's frame is out: done at the first
          // frame that began after their draw.
          for (;;) {
            const frame = await new Promise((resolve) => requestAnimationFrame(resolve));
            const drawn = performance.getEntriesByName('trackboard:parallel-drawn')
              .some((entry) => entry.startTime > start && entry.startTime < frame);
            if (drawn) break;
            if (performance.now() - start > 30_000) throw new Error('the brush never redrew the lines');
          }
          return { ms: table, lines: performance.now() - start, rows: Number(now.getAttribute('aria-rowcount')) - 1 };
        }
        if (performance.now() - start > 30_000) throw new Error('the brush never changed the table');
      }
    });
    if (!(brush.rows > 0 && brush.rows < RUNS)) throw new Error(`the brush kept ${brush.rows} runs`);
    if (first) await screenshot(page, 'bench-sweep-page');
    return { table, parallel, brush: brush.ms, lines: brush.lines, kept: brush.rows };
  } finally {
    await browser.close();
  }
}

await benchColdVisits({
  script: 'bench_sweep_page.mjs',
  marker: 'sweep-page',
  heading: 'Reviewing a sweep in the browser (issue 29)',
  samples: SAMPLES,
  full: RUNS === 10_000,
  fill,
  visit,
  rowsOf: (samples, filled) => {
    const figure = (key) => median(samples.map((s) => s[key]));
    const worst = (key) => Math.max(...samples.map((s) => s[key])).toFixed(0);
    const met = (value, goal) => (value <= goal ? 'met' : 'not met');
    const sweep = `${RUNS.toLocaleString('en')} runs × ${PARAMETERS} parameters × ${METRICS} VALUE logs`;
    return [
      `| project page, cold browser, navigation to the table painted (${sweep}) | ${figure('table').toFixed(0)} ms | | | slowest ${worst('table')} ms |`,
      `| the same visit, navigation to the parallel coordinates of all the runs drawn | ${figure('parallel').toFixed(0)} ms | ≤ 1,000 ms | ${met(figure('parallel'), 1000)} | slowest ${worst('parallel')} ms; opened as soon as it can be |`,
      `| a brush on one axis to the table updated (its frame painted) | ${figure('brush').toFixed(1)} ms | ≤ 50 ms | ${met(figure('brush'), 50)} | slowest ${worst('brush')} ms; ${samples[0].kept} runs kept |`,
      `| … the lines redrawn for the brush (the frame after their draw) | ${figure('lines').toFixed(0)} ms | | | slowest ${worst('lines')} ms; drawn after the table's frame |`,
      `| filling the sweep through the API (${CONCURRENCY} requests in flight) | ${filled.toFixed(0)} s | | | |`,
    ];
  },
});
