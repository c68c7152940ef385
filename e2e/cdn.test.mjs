// The dashboard hosted apart from its API, as on a CDN: the built dist/ served by a
// plain static server on another origin, config.json written by the build's own
// config step, the tracking server allowing that origin by --cors-origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, repoRoot } from './support/server.mjs';
import { serveStatic } from './support/static.mjs';
import { canvasColours, launchBrowser, openPage, revealCharts, screenshot } from './support/browser.mjs';

let browser;
let site;
let cdn;
before(async () => {
  browser = await launchBrowser();
  site = mkdtempSync(path.join(tmpdir(), 'trackboard-cdn-'));
  cpSync(path.join(repoRoot, 'dist'), site, { recursive: true });
  cdn = await serveStatic(site);
});
after(async () => {
  await browser?.close();
  await cdn?.close();
  rmSync(site, { recursive: true, force: true });
});

/** Runs the build's config step (scripts/dashboard_config.mjs) on the hosted copy. */
function pointDashboardAt(apiUrl) {
  return spawnSync('node', [path.join(repoRoot, 'scripts/dashboard_config.mjs'), site, apiUrl], { encoding: 'utf8' });
}

test('the config step refuses anything but a plain http(s) API URL and keeps the old config', () => {
  const before = readFileSync(path.join(site, 'config.json'), 'utf8');
  for (const bad of ['javascript:alert(1)', 'tracking.example.com', 'https://user:pw@tracking.example.com', 'https://t.example.com/?x=1', '']) {
    const run = pointDashboardAt(bad);
    assert.equal(run.status, 2, `${bad}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /API_BASE_URL must be/, bad);
    assert.equal(readFileSync(path.join(site, 'config.json'), 'utf8'), before, `${bad} changed nothing`);
  }
});

test('a dashboard on another origin reads and writes through the API it is pointed at', async () => {
  const server = await startServer({ corsOrigins: [cdn.url] });
  try {
    const written = pointDashboardAt(`${server.url}/`);
    assert.equal(written.status, 0, written.stderr);
    assert.deepEqual(JSON.parse(readFileSync(path.join(site, 'config.json'), 'utf8')), { api_base_url: server.url });

    const project = await (await server.api('/projects', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'cdn-hosted' }),
    })).json();
    const experiment = await (await server.api(`/projects/${project.id}/experiments`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'edge-run' }),
    })).json();
    const loss = Array.from({ length: 200 }, (_, step) => Math.exp(-step / 40) + 0.05 * Math.sin(step));
    const logged = await server.api(`/experiments/${experiment.id}/logs`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'loss', type: 'LINE', data: loss }),
    });
    assert.equal(logged.status, 201);

    const { page, errors } = await openPage(browser);
    const apiCalls = [];
    page.on('request', (request) => { if (request.url().includes('/api/v1/')) apiCalls.push(request.url()); });
    await page.goto(`${cdn.url}/#token=${server.token}`);
    await page.getByRole('link', { name: 'cdn-hosted' }).waitFor({ timeout: 15_000 });
    assert.ok(apiCalls.length > 0 && apiCalls.every((url) => url.startsWith(`${server.url}/api/v1/`)), apiCalls.join());
    await screenshot(page, 'cdn-projects');

    // A deep link is an app route the static host answers with index.html.
    await page.goto(`${cdn.url}/experiments/${experiment.id}`);
    const chart = page.locator('figure.line-chart', { hasText: 'loss' });
    await chart.waitFor({ timeout: 15_000 });
    await revealCharts(page);
    await page.waitForTimeout(200);
    assert.ok((await canvasColours(chart.locator('canvas'))) > 4, 'the chart is painted from the other origin');
    await screenshot(page, 'cdn-experiment');

    // A write: a JSON POST with a bearer token, so the browser asks CORS first.
    await page.goto(`${cdn.url}/datasets`);
    // The empty state's command names the API the dashboard is pointed at, not the CDN.
    const command = await page.locator('.empty-state pre code').textContent({ timeout: 15_000 });
    assert.ok(command.includes(`curl -X POST ${server.url}/api/v1/datasets `), command);
    assert.ok(!command.includes(cdn.url), command);
    const form = page.getByRole('form', { name: 'New dataset' });
    await form.getByLabel('Name').fill('edge-frames');
    await form.getByRole('button', { name: 'Create dataset' }).click();
    await page.locator('.dataset-card', { hasText: 'edge-frames' }).waitFor({ timeout: 10_000 });
    const datasets = await (await server.api('/datasets')).json();
    assert.deepEqual(datasets.items.map((dataset) => dataset.name), ['edge-frames']);
    assert.ok(cdn.requests.some((request) => request.endsWith('.wasm')), 'the wasm came from the static host');
    assert.deepEqual(errors, []);
  } finally {
    await server.stop();
  }
});

test('an API that does not allow the dashboard origin is reported, not a blank page', async () => {
  const server = await startServer({ corsOrigins: ['https://somewhere-else.example.com'] });
  try {
    assert.equal(pointDashboardAt(server.url).status, 0);
    const { page } = await openPage(browser);
    await page.goto(`${cdn.url}/#token=${server.token}`);
    const panel = page.locator('.error-panel');
    await panel.waitFor({ timeout: 15_000 });
    const text = await panel.textContent();
    assert.match(text, /cannot reach the tracking server/);
    assert.ok(text.includes(`--cors-origin ${cdn.url}`), text);
    await screenshot(page, 'cdn-origin-refused');
  } finally {
    await server.stop();
  }
});

test('the built dist/ holds brotli and gzip copies of its files, and the server sends them as the browser accepts', async () => {
  const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
  const { readdirSync } = await import('node:fs');
  const dist = path.join(repoRoot, 'dist');
  const files = readdirSync(dist).filter((name) => /\.(wasm|js|css|html|svg)$/.test(name));
  assert.ok(files.some((name) => name.endsWith('.wasm')), files.join(' '));
  for (const name of files) {
    const raw = readFileSync(path.join(dist, name));
    assert.deepEqual(brotliDecompressSync(readFileSync(path.join(dist, `${name}.br`))), raw, `${name}.br`);
    assert.deepEqual(gunzipSync(readFileSync(path.join(dist, `${name}.gz`))), raw, `${name}.gz`);
  }
  const server = await startServer();
  try {
    const wasm = files.find((name) => name.endsWith('.wasm'));
    const raw = readFileSync(path.join(dist, wasm));
    for (const [accept, encoding, decode] of [['br', 'br', brotliDecompressSync], ['gzip', 'gzip', gunzipSync], ['identity', null, (b) => b]]) {
      // node's fetch would decode the body itself; a raw request keeps what was sent.
      const answer = await rawGet(`${server.url}/${wasm}`, accept);
      assert.equal(answer.headers['content-encoding'] ?? null, encoding, accept);
      assert.equal(answer.headers['content-type'], 'application/wasm', `${accept}: the browser compiles while it downloads`);
      assert.deepEqual(decode(answer.body), raw, accept);
    }
  } finally {
    await server.stop();
  }
});

/** A GET whose body is kept as sent (not decoded), with its headers. */
async function rawGet(url, acceptEncoding) {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': acceptEncoding } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}
