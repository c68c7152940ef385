// Issue 20's figures: a first visit from a cold browser. Every iteration launches a new
// headless Chromium (an empty profile: no HTTP cache, no compiled-wasm cache) whose
// token is put in localStorage before any page script runs, so nothing is loaded
// before the measured navigation. Figures are written into BENCHMARKS.md between the
// `first-visit` markers. Rerun: `make bench`, or alone (after `make dashboard` and
// `cargo build --release -p trackboard-server`):
//   TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_first_visit.mjs
import { startServer } from '../e2e/support/server.mjs';
import { median, post, writeFigures } from './bench_support.mjs';
import { launchBrowser, screenshot, signedInPage } from '../e2e/support/browser.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);

/** 10 experiments × 10 LINE logs × 10,000 steps: the workload of MLflow's issue #9779. */
async function seedWorkload(server) {
  const project = await post(server, '/projects', { name: 'first-visit' });
  const ids = [];
  for (let index = 0; index < 10; index += 1) {
    const { id } = await post(server, `/projects/${project.id}/experiments`, { name: `run-${index}` });
    for (let log = 0; log < 10; log += 1) {
      const values = Array.from({ length: 10_000 }, (_, step) => Math.exp(-step / 2000) + 0.01 * Math.sin(step + index + log));
      await post(server, `/experiments/${id}/logs`, { name: `metric-${log}`, type: 'LINE', data: values });
    }
    ids.push(id);
  }
  return ids;
}

/**
 * Opens `url` in a new browser and waits until `charts` line charts are drawn. Answers
 * navigation start to the last chart drawn, the bytes on the wire (the dashboard's own
 * files apart), and the requests made to the API.
 */
async function coldVisit(server, url, charts, name) {
  const browser = await launchBrowser();
  try {
    const page = await signedInPage(browser, server.token);
    await page.goto(url);
    await page.waitForFunction((count) => performance.getEntriesByName('trackboard:line-draw').length >= count,
      charts, { timeout: 60_000 });
    const figures = await page.evaluate(() => {
      const resources = performance.getEntriesByType('resource');
      const navigation = performance.getEntriesByType('navigation')[0];
      const dashboard = resources.filter((r) => !r.name.includes('/api/'));
      const api = resources.filter((r) => r.name.includes('/api/'));
      const sum = (list) => list.reduce((total, r) => total + r.transferSize, 0);
      const wasm = resources.find((r) => r.name.endsWith('.wasm'));
      const points = api.find((r) => r.name.includes('/line-comparisons'));
      const draws = performance.getEntriesByName('trackboard:line-draw');
      return {
        painted: Math.max(...draws.map((d) => d.startTime + d.duration)),
        // Where the time goes: the wasm downloaded, the app's first API answer used,
        // the points asked and answered, the draws.
        phases: {
          wasm: wasm.responseEnd,
          started: performance.getEntriesByName('trackboard:app-started')[0]?.startTime ?? NaN,
          config: performance.getEntriesByName('trackboard:config-loaded')[0]?.startTime ?? NaN,
          chartAsked: performance.getEntriesByName('trackboard:points-asked')[0]?.startTime ?? NaN,
          pointsAsked: points.startTime,
          pointsAnswered: points.responseEnd,
          drawing: draws.reduce((total, d) => total + d.duration, 0),
        },
        dashboardBytes: navigation.transferSize + sum(dashboard),
        apiBytes: sum(api),
        apiRequests: api.map((r) => new URL(r.name).pathname.replace(/^\/api\/v1/, '')),
      };
    });
    if (name) await screenshot(page, name);
    return figures;
  } finally {
    await browser.close();
  }
}

async function main() {
  const server = await startServer({ demo: true });
  const rows = [];
  try {
    const tenByTen = await seedWorkload(server);
    const demoProject = (await (await server.api('/projects')).json()).items.find((p) => p.name !== 'first-visit');
    const demoExperiment = (await (await server.api(`/projects/${demoProject.id}/experiments`)).json()).items[0];
    const demoLines = (await (await server.api(`/experiments/${demoExperiment.id}/logs?type=LINE`)).json()).items.length;
    const views = [
      { figure: 'P2 cold: 10 experiments × 10 LINE logs × 10,000 steps, compare view, navigation to the tenth chart painted', goal: 350,
        url: `${server.url}/compare?ids=${tenByTen.join(',')}&charts=all`, charts: 10, shot: 'bench-first-visit-compare' },
      { figure: `First visit of the demo's experiment page, navigation to every chart painted (${demoLines} LINE charts)`, goal: 300,
        url: `${server.url}/experiments/${demoExperiment.id}`, charts: demoLines, shot: 'bench-first-visit-experiment' },
    ];
    for (const view of views) {
      const samples = [];
      for (let run = 0; run < RUNS; run += 1) {
        samples.push(await coldVisit(server, view.url, view.charts, run === 0 ? view.shot : null));
      }
      if (process.env.BENCH_VERBOSE) console.log(view.figure, samples);
      const painted = median(samples.map((s) => s.painted));
      const phase = (name) => median(samples.map((s) => s.phases[name])).toFixed(0);
      const last = samples.at(-1);
      const requests = new Map();
      for (const request of last.apiRequests) requests.set(request, (requests.get(request) ?? 0) + 1);
      rows.push({
        figure: view.figure,
        median: `${painted.toFixed(0)} ms`,
        goal: `≤ ${view.goal} ms`,
        met: painted <= view.goal ? 'met' : 'not met',
        note: `dashboard files ${(median(samples.map((s) => s.dashboardBytes)) / 1024).toFixed(0)} KB on the wire, `
          + `API ${(median(samples.map((s) => s.apiBytes)) / 1024).toFixed(0)} KB in ${last.apiRequests.length} requests `
          + `(medians: wasm downloaded at ${phase('wasm')} ms, app started at ${phase('started')} ms, config read at ${phase('config')} ms, first chart asked at ${phase('chartAsked')} ms, points asked at ${phase('pointsAsked')} ms `
          + `and answered at ${phase('pointsAnswered')} ms, ${phase('drawing')} ms drawing) `
          + `(${[...requests].map(([p, n]) => (n > 1 ? `${n} × ${p}` : p)).join(', ')})`,
      });
      console.log(rows.at(-1));
    }
  } finally {
    await server.stop();
  }
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)}, ${RUNS} cold browsers each (\`make bench\`, \`scripts/bench_first_visit.mjs\`).`,
    '',
    '| figure | median | goal | | note |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.median} | ${r.goal} | ${r.met} | ${r.note} |`),
  ].join('\n');
  writeFigures('first-visit', 'The first visit, cold (issue 20)', table);
}

await main();
