// The project and experiment pages on the demo data: the table links through, the
// summary strip shows VALUE logs, and every line chart is really painted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer } from './support/demo.mjs';
import { canvasColours, expectTexts, openPage, revealCharts, screenshot, screenshotOf, signIn } from './support/browser.mjs';

const demo = withDemoServer();

test('the project page lists the demo experiments and links to them', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.locator('.project-name a', { hasText: 'Demo' }).click();
  const rows = page.locator('.experiments-table tbody tr');
  await rows.first().waitFor({ timeout: 15_000 });
  assert.equal(await rows.count(), 3);
  assert.match(await page.locator('.experiments-table').textContent(), /resnet50-augmented.*running/s);
  const table = page.locator('.experiments-table');
  // The VALUE logs, and the last value of 'accuracy per epoch' (a LINE log of one series).
  assert.deepEqual(await table.locator('th.value-column').allTextContents(), ['accuracy', 'accuracy per epoch', 'best epoch', 'mAP@0.5']);
  await table.getByRole('button', { name: /^accuracy[^a-z]*$/ }).click();
  await expectTexts(table.locator('tbody .experiment-name'), ['baseline-resnet18', 'resnet50-longer', 'resnet50-augmented']);
  await table.getByRole('button', { name: /^accuracy[^a-z]*$/ }).click();
  assert.equal(await table.locator('th.value-column').first().getAttribute('aria-sort'), 'descending');
  await expectTexts(table.locator('tbody .experiment-name'), ['resnet50-augmented', 'resnet50-longer', 'baseline-resnet18']);
  assert.match(await table.locator('tbody tr').first().textContent(), /0\.9/);
  await screenshot(page, 'project-page');

  await page.getByLabel('Status').selectOption('running');
  await page.waitForURL(/status=running/);
  await page.locator('.list-summary', { hasText: '1 of 3 experiments' }).waitFor();
  await page.reload();
  await page.locator('.list-summary', { hasText: '1 of 3 experiments' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
});

test("the project's results download as CSV, exactly as the API answers them", async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const projects = await (await demo.server.api('/projects')).json();
  const project = projects.items[0];
  await page.goto(`${demo.server.url}/projects/${project.id}`);
  await page.locator('.experiments-table tbody tr').first().waitFor({ timeout: 15_000 });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), `${project.name.replace(/[^A-Za-z0-9_-]/g, '_')}-results.csv`);
  const { readFileSync } = await import('node:fs');
  const saved = readFileSync(await file.path(), 'utf8');
  const expected = await (await demo.server.api(`/projects/${project.id}/results.csv`)).text();
  assert.equal(saved, expected);
  assert.match(saved.split('\n')[0], /accuracy/);
  assert.equal(saved.trim().split('\n').length, 1 + (await (await demo.server.api(`/projects/${project.id}/experiments`)).json()).total);
  await screenshot(page, 'project-export');
  assert.deepEqual(errors, []);
});

test('the column picker chooses VALUE and parameter columns, kept in the URL and sortable', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const projects = await (await demo.server.api('/projects')).json();
  await page.goto(`${demo.server.url}/projects/${projects.items[0].id}`);
  const table = page.locator('.experiments-table');
  await table.locator('tbody tr').first().waitFor({ timeout: 15_000 });
  // Header texts (the sort arrow is the stylesheet's, drawn once from aria-sort).
  const headers = async () => (await table.locator('th.value-column').allTextContents()).map((text) => text.trim());
  // The demo's 3 VALUE logs and its one-series LINE log (by its last value) show by
  // default; its 5 parameters are offered too.
  assert.deepEqual(await headers(), ['accuracy', 'accuracy per epoch', 'best epoch', 'mAP@0.5']);
  await page.locator('.column-picker summary', { hasText: 'Columns (4 of 9)' }).click();
  await page.getByRole('checkbox', { name: 'best epoch' }).uncheck();
  await page.waitForURL(/cols=/);
  await page.locator('.column-picker summary', { hasText: 'Columns (3 of 9)' }).waitFor();
  await page.getByRole('checkbox', { name: 'accuracy per epoch' }).uncheck();
  await page.locator('.column-picker summary', { hasText: 'Columns (2 of 9)' }).waitFor();
  assert.deepEqual(await headers(), ['accuracy', 'mAP@0.5']);
  assert.match(await table.locator('tbody tr').first().textContent(), /0\.74/);
  await page.getByRole('checkbox', { name: 'parameters.learning_rate' }).check();
  await page.locator('.column-picker summary', { hasText: 'Columns (3 of 9)' }).waitFor();
  assert.deepEqual(await headers(), ['accuracy', 'mAP@0.5', 'parameters.learning_rate']);
  // A parameter column sorts like any other, by the numbers the API answers.
  const values = await (await demo.server.api(`/projects/${projects.items[0].id}/values`)).json();
  const rates = values.map((v) => v.parameters.learning_rate).sort((a, b) => a - b).map(String);
  await table.getByRole('button', { name: 'parameters.learning_rate' }).click();
  await expectTexts(table.locator('tbody tr td.value-cell:nth-of-type(8)'), rates);
  await page.reload();
  await table.locator('tbody tr').first().waitFor({ timeout: 15_000 });
  assert.deepEqual(await headers(), ['accuracy', 'mAP@0.5', 'parameters.learning_rate'], 'the choice survives a reload');
  await page.locator('.column-picker summary').click();
  await screenshot(page, 'project-column-picker');
  // Each uncheck re-renders the picker: wait for its count before the next one (a
  // click on the old checkbox, replaced mid-click, would change nothing).
  const names = ['accuracy', 'mAP@0.5', 'parameters.learning_rate'];
  for (const [index, name] of names.entries()) {
    await page.getByRole('checkbox', { name, exact: true }).uncheck();
    await page.locator('.column-picker summary', { hasText: `Columns (${names.length - index - 1} of 9)` }).waitFor();
  }
  await page.locator('.column-picker summary', { hasText: 'Columns (0 of 9)' }).waitFor();
  assert.deepEqual(await headers(), []);
  assert.deepEqual(errors, []);
});

test('an experiment page shows its values, draws its line charts and its tables', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const projects = await (await demo.server.api('/projects')).json();
  const experiments = await (await demo.server.api(`/projects/${projects.items[0].id}/experiments?order_by=created`)).json();
  const second = experiments.items[1];
  await page.goto(`${demo.server.url}/experiments/${second.id}`);
  await page.locator('h1', { hasText: 'resnet50-longer' }).waitFor({ timeout: 15_000 });
  const accuracy = page.locator('.summary-item', { hasText: 'accuracy' });
  assert.equal(await accuracy.locator('dd').textContent(), '0.88');
  const charts = page.locator('figure.line-chart');
  assert.equal(await charts.count(), 2);
  const loss = charts.filter({ hasText: 'loss' }).first();
  await loss.locator('.chart-legend li', { hasText: 'validation' }).waitFor({ timeout: 15_000 });
  assert.match(await loss.locator('.chart-legend').textContent(), /train \([\d,]+ points\)/);
  assert.match(await loss.locator('.chart-note').textContent(), /drawn exactly from their M4 reduction/);
  await revealCharts(page);
  await page.waitForTimeout(200);
  assert.ok((await canvasColours(loss.locator('canvas'))) > 4, 'the loss chart is painted, not blank');
  const canvasWidth = await loss.locator('canvas').evaluate((c) => [c.width, c.clientWidth * devicePixelRatio]);
  assert.equal(canvasWidth[0], Math.round(canvasWidth[1]), 'canvas sized to CSS × devicePixelRatio');
  assert.match(await page.locator('table.log-table', { hasText: 'parameters' }).textContent(), /backbone.*resnet50/s);
  assert.match(await page.locator('table.log-table', { hasText: 'labelmap' }).textContent(), /1car2pedestrian3cyclist/);
  const heatmap = page.locator('figure.heatmap-chart');
  assert.deepEqual(await heatmap.locator('thead th').allTextContents(), ['truth ↓ / predicted →', 'car', 'pedestrian', 'cyclist', 'FN']);
  assert.deepEqual(await heatmap.locator('tbody th').allTextContents(), ['car', 'pedestrian', 'cyclist', 'FP']);
  assert.match(await heatmap.locator('tbody td').first().textContent(), /^\d+$/);
  await heatmap.getByRole('button', { name: 'Row %' }).click();
  assert.match(await heatmap.locator('tbody td').first().textContent(), /^\d+\.\d %$/);
  const bars = page.locator('figure.chart', { hasText: 'class counts' });
  assert.match(await bars.locator('canvas').getAttribute('aria-label'), /car: 5210/);
  assert.ok((await canvasColours(bars.locator('canvas'))) > 2, 'the bar chart is painted');
  await bars.getByRole('button', { name: 'Table' }).click();
  assert.match(await bars.locator('.bar-table tbody').textContent(), /car5210/);
  const { readFileSync } = await import('node:fs');
  const barsCsv = page.waitForEvent('download');
  await bars.getByRole('button', { name: 'CSV' }).click();
  const barsFile = await barsCsv;
  assert.equal(barsFile.suggestedFilename(), 'class_counts.csv');
  assert.match(readFileSync(await barsFile.path(), 'utf8'), /^label,value\ncar,5210\n/);
  const matrixCsv = page.waitForEvent('download');
  await heatmap.getByRole('button', { name: 'CSV' }).click();
  const matrixLines = readFileSync(await (await matrixCsv).path(), 'utf8').split('\n');
  assert.equal(matrixLines[0], 'truth \\ predicted,car,pedestrian,cyclist,FN');
  assert.match(matrixLines[4], /^FP,/);
  const matrixPng = page.waitForEvent('download');
  await heatmap.getByRole('button', { name: 'PNG' }).click();
  const png = readFileSync(await (await matrixPng).path());
  assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  assert.ok(png.length > 2000, `the matrix PNG holds a picture (${png.length} bytes)`);
  await page.locator('.breadcrumb a').waitFor();
  await screenshot(page, 'experiment-page');
  assert.deepEqual(errors, []);
});

test("an experiment page's first visit asks once for each thing, and once for all its charts' points", async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 3000 } });
  await signIn(page, demo.server);
  const projects = await (await demo.server.api('/projects')).json();
  const experiments = await (await demo.server.api(`/projects/${projects.items[0].id}/experiments`)).json();
  const id = experiments.items[0].id;
  const lines = (await (await demo.server.api(`/experiments/${id}/logs?type=LINE`)).json()).items.map((log) => log.name);
  assert.ok(lines.length >= 2, 'the demo experiment has several LINE logs');
  const asked = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) asked.push(`${url.pathname}${url.search}`);
  });
  await page.goto(`${demo.server.url}/experiments/${id}`);
  await page.waitForFunction((count) => performance.getEntriesByName('trackboard:line-draw').length >= count,
    lines.length, { timeout: 15_000 });
  // The boot script's early requests are the app's: none is sent twice.
  const repeated = asked.filter((url, index) => asked.indexOf(url) !== index && !url.includes('&from='));
  assert.deepEqual(repeated, [], asked.join('\n'));
  assert.ok(asked.includes(`/api/v1/experiments/${id}`), asked.join('\n'));
  // A running experiment's charts also ask for new steps (`from=`) every few seconds.
  const batches = asked.filter((url) => url.startsWith('/api/v1/line-comparisons?') && !url.includes('&from='));
  assert.equal(batches.length, 1, asked.join('\n'));
  const logs = new URLSearchParams(batches[0].split('?')[1]).get('logs').split('\n');
  assert.deepEqual(logs.sort(), [...lines].sort());
  await page.close();
});

test("a running experiment's chart asks only for the steps after its last one, and grows", async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 2000 } });
  await signIn(page, demo.server);
  const post = async (route, body, method = 'POST') => {
    const answer = await demo.server.api(route, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!answer.ok) assert.fail(`${route}: ${answer.status} ${await answer.text()}`);
    return answer.json();
  };
  const project = await post('/projects', { name: 'live-charts' });
  const { id } = await post(`/projects/${project.id}/experiments`, { name: 'still-training' });
  await post(`/experiments/${id}`, { status: 'running' }, 'PATCH');
  await post(`/experiments/${id}/logs`, { name: 'loss', type: 'LINE', data: Array.from({ length: 100 }, (_, step) => 1 / (step + 1)) });
  await page.goto(`${demo.server.url}/experiments/${id}`);
  await page.waitForFunction(() => performance.getEntriesByName('trackboard:line-draw').length >= 1, null, { timeout: 15_000 });
  const chart = page.locator('figure.line-chart', { hasText: 'loss' });
  await chart.getByRole('button', { name: 'Table' }).click();
  const caption = chart.locator('.points-table caption');
  await caption.filter({ hasText: 'of the 100 steps drawn' }).waitFor();

  const asked = [];
  page.on('request', (request) => {
    if (request.url().includes('/line-comparisons?')) asked.push(new URL(request.url()).searchParams);
  });
  await post(`/experiments/${id}/logs`, { name: 'loss', type: 'LINE', data: Array.from({ length: 50 }, (_, i) => 1 / (i + 101)) });
  await caption.filter({ hasText: 'of the 150 steps drawn' }).waitFor({ timeout: 20_000 });
  // Only the new steps were asked for, never the whole range again.
  assert.ok(asked.some((params) => params.get('from') === '100'), asked.join(' | '));
  for (const params of asked) assert.ok(['100', '150'].includes(params.get('from')), params.toString());
  const lastRow = chart.locator('.points-table tbody tr').last();
  assert.match(await lastRow.textContent(), /^149/);
  await page.close();
});

test('an address that names no experiment says so', async () => {
  const { page } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/experiments/999999`);
  await page.locator('.error-panel', { hasText: 'no experiment with id 999999' }).waitFor({ timeout: 15_000 });
  await page.goto(`${demo.server.url}/experiments/abc`);
  await page.locator('.error-panel', { hasText: 'names no experiment' }).waitFor({ timeout: 15_000 });
});

test('the theme toggle switches to dark, survives a reload, and charts repaint dark', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/experiments/2`);
  await page.locator('figure.line-chart').first().waitFor({ timeout: 15_000 });
  await page.locator('figure.line-chart').first().scrollIntoViewIfNeeded();
  await page.getByRole('button', { name: 'Theme: system' }).click();
  await page.getByRole('button', { name: 'Theme: light' }).click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.reload();
  await page.locator('figure.line-chart').first().waitFor({ timeout: 15_000 });
  await page.locator('figure.line-chart').first().scrollIntoViewIfNeeded();
  await page.locator('.chart-legend li', { hasText: 'validation' }).first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(background, 'rgb(17, 21, 27)');
  const corner = await page.locator('figure.line-chart canvas').first().evaluate((canvas) =>
    Array.from(canvas.getContext('2d').getImageData(2, 2, 1, 1).data.slice(0, 3)));
  assert.deepEqual(corner, [26, 32, 41], 'the chart is painted with the dark background');
  await screenshot(page, 'experiment-page-dark');
  assert.deepEqual(errors, []);
});

test('artifacts download with the token and delete after a confirmation', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/experiments/1`);
  const row = page.locator('.artifact-table tbody tr', { hasText: 'config' });
  await row.waitFor({ timeout: 15_000 });
  assert.match(await row.textContent(), /config\.yaml/);
  const downloaded = page.waitForEvent('download');
  await row.getByRole('button', { name: 'Download' }).click();
  const file = await downloaded;
  assert.equal(file.suggestedFilename(), 'config.yaml');
  const { readFileSync } = await import('node:fs');
  assert.match(readFileSync(await file.path(), 'utf8'), /backbone: resnet18/);

  page.once('dialog', (dialog) => dialog.dismiss());
  await row.getByRole('button', { name: 'Delete' }).click();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.artifact-table tbody tr').count(), 1, 'dismissing keeps it');
  page.once('dialog', (dialog) => dialog.accept());
  await row.getByRole('button', { name: 'Delete' }).click();
  await page.getByText('No artifacts yet').waitFor({ timeout: 5_000 });
  const left = await (await demo.server.api('/experiments/1/artifacts')).json();
  assert.equal(left.total, 0);
  await screenshot(page, 'artifacts-empty');
  assert.deepEqual(errors, []);
});

test('the live log shows chapters and follows new lines while the job runs', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/experiments/3`);
  const log = page.locator('section.live-log');
  await log.locator('summary', { hasText: 'Training' }).waitFor({ timeout: 15_000 });
  assert.match(await log.locator('h2').textContent(), /job running/);
  assert.deepEqual(await log.locator('summary').evaluateAll((s) => s.map((e) => e.firstChild.textContent)), ['Setup', 'Training']);
  const sent = await demo.server.api('/experiments/3/job/logs', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lines: ['epoch 13/60: loss 0.400 <script>window.pwned = 1</script>'] }),
  });
  assert.equal(sent.status, 201);
  await log.getByText('epoch 13/60: loss 0.400 <script>window.pwned = 1</script>').waitFor({ timeout: 8_000 });
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'log text is shown, never run');
  await screenshot(page, 'live-log');
  assert.deepEqual(errors, []);
});

test('a finished job shows every line of its log, past the first page', async () => {
  const projects = await (await demo.server.api('/projects')).json();
  const created = await demo.server.api(`/projects/${projects.items[0].id}/experiments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'long-log' }),
  });
  const experiment = await created.json();
  const lines = Array.from({ length: 2500 }, (_, i) => `step ${i}`);
  const sent = await demo.server.api(`/experiments/${experiment.id}/job/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chapter: 'Training', lines }),
  });
  assert.equal(sent.status, 201);
  const ended = await demo.server.api(`/experiments/${experiment.id}/job/status`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'success' }),
  });
  assert.equal(ended.status, 200);
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const reads = [];
  page.on('request', (request) => { if (request.url().includes('/job/logs')) reads.push(request.url()); });
  await page.goto(`${demo.server.url}/experiments/${experiment.id}`);
  const log = page.locator('section.live-log');
  await log.locator('summary', { hasText: '2500 lines' }).waitFor({ timeout: 15_000 });
  assert.match(await log.locator('pre').textContent(), /step 2499$/);
  await page.waitForTimeout(2_500);
  assert.equal(reads.length, 3, `three pages read, then no polling of an ended job: ${reads.join(' ')}`);
  assert.deepEqual(errors, []);
});

test('the image gallery shows captions and steps, opens full size and moves with the arrow keys', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const asked = [];
  page.on('request', (request) => { if (request.url().includes('/image-links')) asked.push(request.url()); });
  await page.goto(`${demo.server.url}/experiments/2`);
  const gallery = page.locator('figure.gallery');
  await gallery.waitFor({ timeout: 15_000 });
  assert.deepEqual(await gallery.locator('.thumbnail-caption').allTextContents(), [
    'validation frame 1 · step 1000', 'validation frame 2 · step 3000', 'validation frame 3 · step 5000',
  ]);
  await page.waitForFunction(() => [...document.querySelectorAll('.thumbnail img')].every((img) => img.complete && img.naturalWidth === 96));
  // Loaded by the browser from signed links, all three asked in one request.
  const sources = await gallery.locator('.thumbnail img').evaluateAll((images) => images.map((img) => img.src));
  assert.ok(sources.every((src) => /\/api\/v1\/linked-images\/\d+\?expires=\d+&signature=[0-9a-f]{64}$/.test(src)), sources.join(' '));
  assert.equal(asked.length, 1, asked.join(' '));
  await gallery.locator('.thumbnail').first().click();
  const lightbox = page.locator('.lightbox');
  await lightbox.getByText('validation frame 1').waitFor();
  await page.keyboard.press('ArrowRight');
  await lightbox.getByText('validation frame 2').waitFor();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await lightbox.getByText('validation frame 3').waitFor();
  await screenshot(page, 'image-lightbox');
  await page.keyboard.press('Escape');
  await lightbox.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

/** A signed-in page on demo experiment 2 with its loss chart loaded and in view. */
async function lossChart() {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/experiments/2`);
  const chart = page.locator('figure.line-chart', { hasText: 'loss' }).filter({ hasNotText: 'accuracy' });
  await chart.waitFor({ timeout: 15_000 });
  await chart.scrollIntoViewIfNeeded();
  await chart.locator('.chart-legend li', { hasText: 'validation' }).waitFor({ timeout: 15_000 });
  return { page, errors, chart };
}

test('line charts read out on hover, zoom by dragging through the server, smooth, and export', async () => {
  const { page, errors, chart } = await lossChart();
  await page.waitForTimeout(200);
  const canvas = chart.locator('canvas');
  const box = await canvas.boundingBox();

  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const readout = chart.locator('.chart-readout');
  await readout.waitFor();
  assert.match(await readout.textContent(), /train: [\d.]+ at step \d+.*validation: [\d.]+ at step \d+/s);

  const zoomed = page.waitForRequest((r) => /\/line-comparisons\?experiment_ids=\d+&logs=loss&width=\d+&from=\d+&to=\d+/.test(r.url()));
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  const request = await zoomed;
  const url = new URL(request.url());
  const [from, to] = [Number(url.searchParams.get('from')), Number(url.searchParams.get('to'))];
  assert.ok(from > 500 && to < 3000 && from < to, `zoomed to ${from}–${to}`);
  assert.equal(Number(url.searchParams.get('width')), Math.round(box.width * (await page.evaluate(() => devicePixelRatio))));
  await chart.getByRole('button', { name: /reset zoom/ }).waitFor();
  await page.waitForTimeout(300);
  await screenshotOf(chart, 'line-chart-zoomed');
  await canvas.dblclick();
  await chart.getByRole('button', { name: /reset zoom/ }).waitFor({ state: 'detached' });

  // The keyboard does the same: arrows move the read-out, + zooms through the server, Escape resets.
  await page.mouse.move(0, 0);
  await canvas.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await readout.waitFor();
  const keyZoom = page.waitForRequest((r) => /\/line-comparisons\?experiment_ids=\d+&logs=loss&width=\d+&from=\d+&to=\d+/.test(r.url()));
  await page.keyboard.press('+');
  await keyZoom;
  await chart.getByRole('button', { name: /reset zoom/ }).waitFor();
  await page.keyboard.press('Escape');
  await chart.getByRole('button', { name: /reset zoom/ }).waitFor({ state: 'detached' });

  const before = await canvas.evaluate((c) => c.toDataURL());
  await chart.getByLabel('Smoothing').fill('0.9');
  await page.waitForTimeout(300);
  assert.notEqual(await canvas.evaluate((c) => c.toDataURL()), before, 'smoothing repaints the chart');
  await chart.getByLabel('Log scale').check();
  await page.waitForTimeout(300);

  await chart.getByRole('button', { name: 'Table' }).click();
  const table = chart.locator('.points-table table');
  await table.waitFor();
  assert.deepEqual(await table.locator('thead th').allTextContents(), ['Step', 'train', 'validation']);
  assert.ok((await table.locator('tbody tr').count()) > 100);

  const download = page.waitForEvent('download');
  await chart.getByRole('button', { name: 'CSV' }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'loss.csv');
  const { readFileSync } = await import('node:fs');
  const csv = readFileSync(await file.path(), 'utf8').split('\n');
  assert.equal(csv[0], 'series,step,value');
  assert.equal(csv.length, 1 + 2 * 5000 + 1, 'every point at full resolution');
  await screenshotOf(chart, 'line-chart-smoothed');
  assert.deepEqual(errors, []);
});

test('a line chart draws against wall time and relative time, reads out and zooms in time', async () => {
  const { page, errors, chart } = await lossChart();
  const canvas = chart.locator('canvas');
  const onSteps = await canvas.evaluate((c) => c.toDataURL());

  const times = page.waitForResponse((r) => /\/experiments\/2\/logs\/loss\/times$/.test(r.url()));
  await chart.getByLabel('X axis').selectOption('wall');
  assert.equal((await times).status(), 200);
  await page.waitForTimeout(300);
  assert.ok((await canvasColours(canvas)) > 4, 'painted against wall time');
  assert.notEqual(await canvas.evaluate((c) => c.toDataURL()), onSteps, 'the time axis repaints');
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const readout = chart.locator('.chart-readout');
  await readout.waitFor();
  assert.match(await readout.textContent(), /train: [\d.]+ at step \d+, \d\d:\d\d/);
  await screenshotOf(chart, 'line-chart-wall-time');

  await chart.getByLabel('X axis').selectOption('relative');
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.5);
  await readout.locator('li', { hasText: /train: [\d.]+ at step \d+, (\d+h \d\dm|\d+m \d\ds)$/ }).waitFor();
  // A drag on the time axis zooms to the steps logged in that stretch, through the server.
  const zoomed = page.waitForRequest((r) => /\/line-comparisons\?experiment_ids=2&logs=loss&width=\d+&from=\d+&to=\d+/.test(r.url()));
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  const url = new URL((await zoomed).url());
  const [from, to] = [Number(url.searchParams.get('from')), Number(url.searchParams.get('to'))];
  assert.ok(from > 500 && to < 4500 && from < to, `zoomed to ${from}–${to}`);
  await chart.getByRole('button', { name: /reset zoom/ }).waitFor();
  await page.waitForTimeout(300);
  assert.ok((await canvasColours(canvas)) > 4, 'the zoomed time chart is painted');
  await screenshotOf(chart, 'line-chart-relative-time-zoomed');
  assert.deepEqual(errors, []);
});

test('the edit form saves name, description and status, and shows a refusal at its field', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/experiments/3`);
  await page.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('form', { name: 'Edit experiment' });
  await edit.getByLabel('Name', { exact: true }).fill('baseline-resnet18');
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.locator('#edit-name-error', { hasText: 'already has an experiment named' }).waitFor({ timeout: 5_000 });
  assert.equal(await edit.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'edit-form-refused');

  await edit.getByLabel('Name', { exact: true }).fill('resnet50-augmented-v2');
  await edit.getByLabel('Description').fill('Mosaic, colour jitter and <b>not bold</b>.');
  await edit.getByLabel('Status').selectOption('failed');
  await edit.getByRole('button', { name: 'Save' }).click();
  await page.locator('h1', { hasText: 'resnet50-augmented-v2' }).waitFor({ timeout: 5_000 });
  assert.match(await page.locator('h1 .status-badge').textContent(), /failed/);
  const stored = await (await demo.server.api('/experiments/3')).json();
  assert.equal(stored.name, 'resnet50-augmented-v2');
  assert.equal(stored.description, 'Mosaic, colour jitter and <b>not bold</b>.');
  assert.equal(stored.status, 'failed');
  assert.equal(await page.locator('.experiment-header .description b').count(), 0, 'text stays text');
  assert.deepEqual(errors.filter((e) => !e.includes('409')), []);
});

test('an experiment exports to a new model and into an existing one, then the model page lists both', async () => {
  // An earlier test deleted experiment 1's artifact; give the export a file to link.
  const upload = new FormData();
  upload.append('name', 'weights');
  upload.append('file', new Blob([Buffer.alloc(2048, 1)]), 'best.pt');
  assert.equal((await demo.server.api('/experiments/1/artifacts', { method: 'POST', body: upload })).status, 201);
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/experiments/1`);
  const form = page.locator('section.export');
  await form.waitFor({ timeout: 15_000 });
  await form.getByLabel('Model name').fill('street-detector');
  await form.getByRole('button', { name: 'Export' }).click();
  await form.locator('.field-error', { hasText: 'a model named "street-detector" exists' }).waitFor({ timeout: 5_000 });

  await form.getByLabel('Model name').fill('tiny-detector');
  await form.getByLabel('Type').selectOption('detection');
  await form.getByLabel('Framework').fill('onnx');
  await form.getByRole('button', { name: 'Export' }).click();
  await form.getByRole('link', { name: 'tiny-detector version 1' }).waitFor({ timeout: 5_000 });

  await form.getByLabel('An existing model').check();
  await form.getByLabel('Model', { exact: true }).selectOption({ label: 'tiny-detector (1 versions)' });
  await form.getByRole('button', { name: 'Export' }).click();
  const link = form.getByRole('link', { name: 'tiny-detector version 2' });
  await link.waitFor({ timeout: 5_000 });
  await screenshot(page, 'export-form');
  await link.click();
  await page.locator('h1', { hasText: 'tiny-detector' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(await page.locator('.versions-table tbody td:first-child').allTextContents(), ['v2', 'v1']);
  assert.match(await page.locator('.versions-table').textContent(), /experiment 1.*car, pedestrian, cyclist.*weights \(2 KB\)/s);
  await screenshot(page, 'model-page');
  assert.deepEqual(errors.filter((e) => !e.includes('409')), []);
});

test('charts group by scope, the checkpoints table sorts, and the compare view filters by scope', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const projects = await (await demo.server.api('/projects')).json();
  const experiments = await (await demo.server.api(`/projects/${projects.items[0].id}/experiments?order_by=created`)).json();
  const [first, second] = experiments.items.map((e) => e.id);
  await page.goto(`${demo.server.url}/experiments/${first}`);
  const table = page.locator('.checkpoint-table');
  await table.waitFor({ timeout: 15_000 });
  assert.deepEqual(await page.locator('h3.scope-title').allTextContents(), ['Train', 'Validation']);
  // Each scope's charts under its heading, painted.
  const trainCharts = page.locator('h3.scope-title[data-scope="train"] + .chart-grid canvas');
  await revealCharts(page);
  assert.equal(await trainCharts.count(), 1);
  const checkpoints = await (await demo.server.api(`/experiments/${first}/checkpoints`)).json();
  const best = checkpoints.map((c) => c.metrics['mAP@0.5']).sort((a, b) => b - a).map(String);
  await table.getByRole('button', { name: /mAP@0\.5/ }).click();
  await expectTexts(table.locator('tbody tr td:nth-of-type(1)'), best);
  await screenshotOf(table, 'checkpoints-table');

  await page.goto(`${demo.server.url}/compare?ids=${first},${second}`);
  const scope = page.locator('#compare-scope');
  await scope.waitFor({ timeout: 15_000 });
  assert.deepEqual(await page.locator('#compare-log option').allTextContents(), ['accuracy per epoch', 'loss']);
  await scope.selectOption('train');
  await page.waitForURL(/scope=train/);
  await expectTexts(page.locator('#compare-log option'), ['loss']);
  assert.deepEqual(errors, []);
});

test("the client's system metrics sit in a System section, collapsed until opened", async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const post = async (route, body) => {
    const answer = await demo.server.api(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!answer.ok) assert.fail(`${route}: ${answer.status} ${await answer.text()}`);
    return answer.json();
  };
  const project = await post('/projects', { name: 'system-metrics' });
  const { id } = await post(`/projects/${project.id}/experiments`, { name: 'with a monitor' });
  await post(`/experiments/${id}/logs`, { name: 'loss', type: 'LINE', data: [0.9, 0.5, 0.3] });
  await post(`/experiments/${id}/logs`, { name: 'system/cpu_percent', type: 'LINE', data: [71.5, 88, 93.25] });
  await page.goto(`${demo.server.url}/experiments/${id}`);
  const section = page.locator('details.system-metrics');
  await section.waitFor({ state: 'attached', timeout: 15_000 });
  assert.equal(await section.getAttribute('open'), null, 'collapsed by default');
  await page.locator('figure.line-chart:not(details figure)').waitFor();
  assert.equal(await page.locator('figure.line-chart:not(details figure)').count(), 1, 'the training chart stays in view');
  await section.locator('summary').click();
  const cpu = section.locator('figure.line-chart');
  await cpu.locator('canvas').waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('trackboard:line-draw').length >= 2, null, { timeout: 15_000 });
  assert.ok((await canvasColours(cpu.locator('canvas'))) > 4, 'the CPU chart is painted once opened');
  await screenshotOf(section, 'system-metrics');
  assert.deepEqual(errors, []);
});
