// A comparison published with `trackboard-server snapshot`, served by a plain static
// server on another origin after the tracking server has stopped: every section
// draws, zoom works, no request reaches an API, and its charts match the live ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, serverBinary } from './support/server.mjs';
import { serveStatic } from './support/static.mjs';
import { accessibilityViolations } from './support/axe.mjs';
import { canvasColours, launchBrowser, revealCharts, screenshot, signedInPage } from './support/browser.mjs';

const IDS = '1,2,3';
// Full range (a summary level), a zoom still reduced, and one read from raw points.
const ZOOMS = ['', '&from=5000&to=24999', '&from=12000&to=12900'];
const NOISE_POINTS = 30_000;

let browser;
let server;
let site;
let out;
const live = new Map();
const refusals = {};

/** Deterministic noisy series with spikes, so extremes matter when reduced. */
function noise(seed) {
  let state = seed;
  return Array.from({ length: NOISE_POINTS }, (_, step) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    const spike = state % 997 === 0 ? 3 : 0;
    return Math.exp(-step / 8000) + (state / 2147483648) * 0.3 + spike;
  });
}

/** The pixels of the noise chart's canvas once drawn (a new document each time). */
async function chartPixels(page, url) {
  await page.goto(url);
  const canvas = page.locator('figure.chart', { hasText: 'noise' }).first().locator('canvas');
  await canvas.waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => performance.getEntriesByName('trackboard:line-draw').length > 0, null, { timeout: 20_000 });
  await page.waitForTimeout(300);
  return canvas.evaluate((element) => Array.from(element.getContext('2d').getImageData(0, 0, element.width, element.height).data));
}

function differingPixels(a, b) {
  assert.equal(a.length, b.length, 'same canvas size');
  let differing = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) differing += 1;
  }
  return differing;
}

before(async () => {
  browser = await launchBrowser();
  server = await startServer({ demo: true });
  for (const [index, id] of IDS.split(',').entries()) {
    const logged = await server.api(`/experiments/${id}/logs`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'noise', type: 'LINE', data: noise(index + 7) }),
    });
    assert.equal(logged.status, 201, await logged.text());
  }
  // The live charts, for the comparison below.
  const page = await signedInPage(browser, server.token, { width: 1280, height: 900 });
  for (const zoom of ZOOMS) live.set(zoom, await chartPixels(page, `${server.url}/compare?ids=${IDS}&log=noise${zoom}`));
  await page.context().close();

  out = path.join(mkdtempSync(path.join(tmpdir(), 'trackboard-snapshot-')), 'site');
  const written = spawnSync(serverBinary, ['snapshot', '--experiments', IDS, '--out', out, ...server.dataArgs], { encoding: 'utf8' });
  assert.equal(written.status, 0, written.stderr);
  assert.match(written.stdout, /3 experiments, 12 series/);
  // Refusals, run while the data exists (stopping the server deletes it).
  refusals.again = spawnSync(serverBinary, ['snapshot', '--experiments', IDS, '--out', out, ...server.dataArgs], { encoding: 'utf8' });
  refusals.nothing = spawnSync(serverBinary, ['snapshot', '--out', `${out}-x`, ...server.dataArgs], { encoding: 'utf8' });
  refusals.unknown = spawnSync(serverBinary, ['snapshot', '--experiments', '1,999', '--out', `${out}-y`, ...server.dataArgs], { encoding: 'utf8' });
  await server.stop();
  site = await serveStatic(out);
});

after(async () => {
  await site?.close();
  await server?.stop();
  await browser?.close();
  if (out) rmSync(path.dirname(out), { recursive: true, force: true });
});

test('a snapshot refuses a directory that holds anything, and names what is missing', () => {
  const { again, nothing, unknown } = refusals;
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /is not empty/);
  assert.notEqual(nothing.status, 0);
  assert.match(nothing.stderr, /--view <VIEW>\|--project <PROJECT>\|--experiments <EXPERIMENTS>/);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /no experiment with id 999/);
  assert.ok(!existsSync(`${out}-y`), 'nothing written');
});

test('a snapshot on a static host draws every section with no API and no token', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${site.url}/`);
  await page.waitForURL(/\/compare\?ids=1,2,3$/);
  await page.getByRole('note').filter({ hasText: 'Snapshot of 3 experiments taken at' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save view' }).count(), 0, 'no forms');
  await page.getByLabel('All charts').check();
  await revealCharts(page);
  const charts = page.locator('figure.chart:has(canvas)');
  await page.waitForFunction((count) => performance.getEntriesByName('trackboard:line-draw').length >= count,
    await page.locator('figure.chart canvas').count() - 1, { timeout: 20_000 });
  for (let index = 0; index < await charts.count(); index += 1) {
    assert.ok(await canvasColours(charts.nth(index).locator('canvas')) > 2, `chart ${index} is drawn`);
  }
  assert.equal(await page.locator('figure.heatmap-chart').count(), 3, 'every confusion matrix');
  const images = page.locator('figure', { hasText: 'samples' }).locator('img');
  await page.waitForFunction(() => [...document.querySelectorAll('img')].length >= 3
    && [...document.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0), null, { timeout: 10_000 });
  assert.ok(await images.count() >= 3 || await page.locator('img').count() >= 3, 'the images of every experiment');
  assert.match(await page.locator('table.compare-table', { hasText: 'Values' }).textContent(), /accuracy0\.810\.880\.9/);
  await screenshot(page, 'snapshot-compare');
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await accessibilityViolations(page), [], `axe, ${scheme}`);
  }

  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((url) => !url.startsWith(site.url) && !url.startsWith('blob:')), [], 'nothing leaves the static host');
  assert.deepEqual(requests.filter((url) => url.includes('/api/')), [], 'no API request');
  await context.close();
});

test('zoom in a snapshot reads its tiles and draws what the live server drew', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  const differences = [];
  for (const zoom of ZOOMS) {
    const pixels = await chartPixels(page, `${site.url}/compare?ids=${IDS}&log=noise${zoom}`);
    differences.push(differingPixels(pixels, live.get(zoom)));
  }
  const total = live.get('').length / 4;
  // From a summary level, a column's first and last points (and an extreme) can come
  // from a bucket straddling its border (at most half a pixel wide), which moves the
  // segments joining neighbouring columns by a pixel: ~1.7 % of this chart of pure
  // noise, measured. Raw points draw exactly the live chart.
  assert.ok(differences[0] <= total * 0.03, `full range: ${differences[0]} of ${total} pixels differ`);
  assert.ok(differences[1] <= total * 0.03, `zoomed: ${differences[1]} of ${total} pixels differ`);
  assert.equal(differences[2], 0, 'a range read from raw points draws exactly the live chart');
  console.log(`pixels differing from the live charts: ${differences.join(', ')} of ${total}`);

  // A drag zooms, from tiles, with no server.
  const canvas = page.locator('figure.chart', { hasText: 'noise' }).first().locator('canvas');
  await page.goto(`${site.url}/compare?ids=${IDS}&log=noise`);
  await page.waitForFunction(() => performance.getEntriesByName('trackboard:line-draw').length > 0);
  const drawn = await page.evaluate(() => performance.getEntriesByName('trackboard:line-draw').length);
  const tiles = requests.filter((url) => url.includes('/snapshot/logs/')).length;
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForURL(/from=\d+&to=\d+/);
  await page.waitForFunction((count) => performance.getEntriesByName('trackboard:line-draw').length > count, drawn);
  assert.ok(requests.filter((url) => url.includes('/snapshot/logs/')).length > tiles, 'the zoom read finer tiles');
  assert.ok(await canvasColours(canvas) > 2, 'the zoomed chart is drawn');
  await screenshot(page, 'snapshot-zoomed');
  assert.deepEqual(requests.filter((url) => url.includes('/api/')), [], 'no API request');
  await context.close();
});
