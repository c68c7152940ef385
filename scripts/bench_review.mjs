// Issue 19's review figure: the compare view of 100 experiments, each with every kind of
// log the demo has (its LINE logs, VALUE, BAR, HEATMAP, TABLE, LABELMAP and IMAGE logs,
// copied from the demo's first experiment), "All charts" on, in a window tall enough to
// show the charts; from navigation until every line chart is drawn and every image shown.
// Written into BENCHMARKS.md between the `review` markers. Rerun: `make bench`, or alone
// (after `make dashboard` and `cargo build --release -p trackboard-server`):
//   TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_review.mjs
import { startServer } from '../e2e/support/server.mjs';
import { call, median, post, writeFigures } from './bench_support.mjs';
import { launchBrowser, screenshot, signedInPage } from '../e2e/support/browser.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EXPERIMENTS = 100;

/** The demo's first experiment's logs, as bodies to log again (LINE as its points). */
async function demoLogs(server) {
  const projects = await (await call(server, '/projects')).json();
  const experiments = await (await call(server, `/projects/${projects.items[0].id}/experiments?order_by=created`)).json();
  const source = experiments.items[0].id;
  const logs = (await (await call(server, `/experiments/${source}/logs?limit=1000`)).json()).items;
  const bodies = [];
  const images = [];
  for (const log of logs) {
    if (log.type === 'LINE') {
      const csv = (await (await call(server, `/experiments/${source}/logs/${encodeURIComponent(log.name)}/points.csv`)).text()).trim().split('\n').slice(1);
      const bySeries = new Map();
      for (const line of csv) {
        const [series, step, value] = line.split(',');
        if (!bySeries.has(series)) bySeries.set(series, { steps: [], values: [] });
        bySeries.get(series).steps.push(Number(step));
        bySeries.get(series).values.push(value === '' ? null : Number(value));
      }
      const data = bySeries.size === 1 && bySeries.has(log.name)
        ? { steps: bySeries.get(log.name).steps, values: bySeries.get(log.name).values }
        : { steps: [...bySeries.values()][0].steps, ...Object.fromEntries([...bySeries].map(([name, s]) => [name, s.values])) };
      bodies.push({ name: log.name, type: 'LINE', data });
    } else if (log.type === 'IMAGE') {
      for (const image of log.data.images) {
        const bytes = await (await call(server, `/images/${image.id}`)).arrayBuffer();
        images.push({ log: log.name, caption: image.caption, step: image.step, bytes });
      }
    } else if (log.type !== 'EVALUATION') {
      // EVALUATION logs are computed by the server from evaluations, never logged.
      bodies.push({ name: log.name, type: log.type, data: log.data });
    }
  }
  return { bodies, images, lines: bodies.filter((b) => b.type === 'LINE').length };
}

async function main() {
  const server = await startServer({ demo: true });
  let row;
  try {
    const { bodies, images, lines } = await demoLogs(server);
    const project = await post(server, '/projects', { name: 'review' });
    const ids = [];
    for (let index = 0; index < EXPERIMENTS; index += 1) {
      const { id } = await post(server, `/projects/${project.id}/experiments`, { name: `variant-${index}` });
      for (const body of bodies) await post(server, `/experiments/${id}/logs`, body);
      for (const image of images) {
        const form = new FormData();
        form.append('file', new Blob([image.bytes]), 'image.png');
        form.append('caption', image.caption);
        if (image.step !== null) form.append('step', String(image.step));
        await call(server, `/experiments/${id}/logs/${encodeURIComponent(image.log)}/images`, { method: 'POST', body: form });
      }
      ids.push(id);
    }
    const url = `${server.url}/compare?ids=${ids.join(',')}&charts=all`;
    const samples = [];
    for (let run = 0; run < RUNS; run += 1) {
      const browser = await launchBrowser();
      try {
        const page = await signedInPage(browser, server.token);
        await page.goto(url);
        // Every line chart drawn and every image in view decoded, seen on an animation frame.
        const painted = await page.waitForFunction((count) => {
          const drawn = performance.getEntriesByName('trackboard:line-draw').length >= count;
          const shown = [...document.querySelectorAll('img')];
          return drawn && shown.length > 0 && shown.every((img) => img.complete && img.naturalWidth > 0) && performance.now();
        }, lines, { timeout: 120_000, polling: 'raf' });
        const lineCharts = await page.evaluate(() => Math.max(...performance.getEntriesByName('trackboard:line-draw')
          .map((draw) => draw.startTime + draw.duration)));
        const imageRequests = await page.evaluate(() => performance.getEntriesByType('resource')
          .filter((r) => r.name.includes('/api/v1/linked-images/')).length);
        samples.push({ painted: await painted.jsonValue(), lineCharts, imageRequests });
        if (run === 0) await screenshot(page, 'bench-review-compare');
      } finally {
        await browser.close();
      }
    }
    if (process.env.BENCH_VERBOSE) console.log(samples);
    const value = median(samples.map((s) => s.painted));
    const lineCharts = median(samples.map((s) => s.lineCharts));
    row = `| Compare view of ${EXPERIMENTS} experiments × every log type of the demo (${bodies.length} logs and ${images.length} images each), cold browser, navigation to every chart drawn and every image shown | ${value.toFixed(0)} ms | ≤ 1,000 ms (issue 29; ≤ 1,500 ms in issue 19) | ${value <= 1000 ? 'met' : 'not met'} | ${RUNS} runs; slowest ${Math.max(...samples.map((s) => s.painted)).toFixed(0)} ms; the ${lines} line charts (each of ${EXPERIMENTS} experiments) drawn by ${lineCharts.toFixed(0)} ms (median), the rest is the ${samples[0].imageRequests} images, loaded by the browser from signed links |`;
  } finally {
    await server.stop();
  }
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} (\`make bench\`, \`scripts/bench_review.mjs\`).`,
    '',
    '| figure | median | goal | | note |',
    '|---|---|---|---|---|',
    row,
  ].join('\n');
  writeFigures('review', 'Team review (issue 19)', table);
}

await main();
