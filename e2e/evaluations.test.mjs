// Evaluations in a real browser: the experiment page's Evaluation section draws the
// server's metrics; the asset browser overlays boxes on the pixels they name, its
// filters narrow the grid to what the API counts, a full view lists each shape; and a
// confusion-matrix cell opens its assets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer } from './support/demo.mjs';
import { canvasColours, openPage, screenshot, screenshotOf, signIn } from './support/browser.mjs';
import { accessibilityViolations } from './support/axe.mjs';

const demo = withDemoServer();

async function json(path, init) {
  const answer = await demo.server.api(path, init);
  if (!answer.ok) assert.fail(`${path}: ${answer.status} ${await answer.text()}`);
  return answer.json();
}

async function post(path, body) {
  return json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The browser's count line, once loaded. */
async function shownTotal(page) {
  const status = page.locator('.browser-status');
  await status.filter({ hasNotText: 'Loading' }).waitFor({ timeout: 15_000 });
  const text = await status.textContent();
  const match = text.match(/^([\d,]+) assets? evaluated/);
  return match ? Number(match[1].replaceAll(',', '')) : text.startsWith('No evaluated') ? 0 : NaN;
}

test('the evaluation section shows the metrics and the browser draws and filters the assets', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const log = await json('/experiments/2/logs/evaluation%2Fobject_detection');
  const metrics = log.data;

  await page.goto(`${demo.server.url}/experiments/2`);
  const panel = page.locator('.evaluation-panel');
  await panel.waitFor({ timeout: 15_000 });
  const numbers = await panel.locator('.coco-summary dd').allTextContents();
  assert.equal(numbers.length, 12);
  assert.deepEqual(numbers, metrics.detection.summary.map((v) => (v === null ? '—' : v.toFixed(3))));
  const rows = panel.locator('.class-table tbody th');
  const byAp = [...metrics.detection.classes].sort((a, b) => b.average_precision - a.average_precision);
  assert.deepEqual(await rows.allTextContents(), byAp.map((c) => c.label), 'sorted by AP, highest first');
  await panel.getByRole('button', { name: 'Class' }).click();
  assert.deepEqual(await rows.allTextContents(), [...metrics.labels].sort(), 'then by name');
  for (const canvas of await panel.locator('canvas').all()) {
    await canvas.scrollIntoViewIfNeeded();
  }
  await page.waitForFunction(() => [...document.querySelectorAll('.evaluation-panel canvas')].every((c) => c.width > 0));
  await page.waitForTimeout(300);
  for (const canvas of await panel.locator('canvas').all()) {
    assert.ok((await canvasColours(canvas)) > 2, 'the chart is drawn');
  }
  await screenshotOf(panel, 'evaluation-section');
  assert.deepEqual(await accessibilityViolations(page), []);

  // A class's row opens the browser filtered to it; the grid shows what the API counts.
  await panel.getByRole('link', { name: 'car', exact: true }).click();
  await page.waitForURL(/\/experiments\/2\/evaluation\?type=object_detection&label=car/);
  const carTotal = (await json('/experiments/2/evaluated-assets?label=car&limit=1')).total;
  assert.equal(await shownTotal(page), carTotal);
  assert.equal(await page.locator('.asset-tile').count(), carTotal);

  await page.getByLabel('Show').selectOption({ label: 'Only misses' });
  await page.waitForURL(/outcome=misses/);
  const missed = (await json('/experiments/2/evaluated-assets?label=car&outcome=misses&limit=1')).total;
  assert.ok(missed < carTotal, `${missed} of ${carTotal}`);
  assert.equal(await shownTotal(page), missed);
  await page.locator('.asset-tile').first().waitFor();
  assert.equal(await page.locator('.asset-tile').count(), missed);

  // With every prediction hidden (threshold 1), the first ground-truth box's top edge
  // is drawn in its label's colour exactly where the box is.
  await page.goto(`${demo.server.url}/experiments/2/evaluation?type=object_detection&threshold=1`);
  assert.equal(await shownTotal(page), 24);
  const first = (await json('/experiments/2/evaluated-assets?limit=1')).items[0];
  const box = first.asset.annotations.rectangles[0];
  const colourIndex = metrics.labels.indexOf(box.label);
  const palette = [[0, 114, 178], [230, 159, 0], [0, 158, 115]];
  const tile = page.locator('.asset-tile').first();
  await tile.locator('img[src^="blob:"]').waitFor({ timeout: 10_000 });
  // The most opaque pixel across the 2-pixel line (its neighbours are antialiased).
  const pixel = await tile.locator('canvas').evaluate((canvas, { box, width }) => {
    const scale = canvas.width / width;
    const x = Math.round((box.x + box.width / 2) * scale);
    const y = Math.round(box.y * scale);
    const { data } = canvas.getContext('2d').getImageData(x, y - 2, 1, 5);
    let best = [0, 0, 0, 0];
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > best[3]) best = [...data.slice(i, i + 4)];
    return best;
  }, { box, width: first.asset.width });
  assert.equal(pixel[3], 255, `the box's edge: ${pixel}`);
  assert.deepEqual(pixel.slice(0, 3), palette[colourIndex], `the box's edge: ${pixel}`);
  const inside = await tile.locator('canvas').evaluate((canvas, { box, width }) => {
    const scale = canvas.width / width;
    const x = Math.round((box.x + box.width / 2) * scale);
    const y = Math.round((box.y + box.height / 2) * scale);
    return canvas.getContext('2d').getImageData(x, y, 1, 1).data[3];
  }, { box, width: first.asset.width });
  assert.equal(inside, 0, 'inside the outline the image shows through');
  await screenshot(page, 'asset-browser');

  // The full view lists every shape with its outcome; Escape closes it.
  await page.goto(`${demo.server.url}/experiments/2/evaluation?type=object_detection`);
  await page.locator('.asset-tile').first().click();
  const dialog = page.getByRole('dialog', { name: `Asset ${first.asset.filename}` });
  await dialog.waitFor();
  assert.equal(await dialog.locator('.shape-list').first().locator('tbody tr').count(), first.asset.annotations.rectangles.length);
  assert.equal(await dialog.locator('.shape-list').nth(1).locator('tbody tr').count(), first.predictions.rectangles.length);
  const verdicts = await dialog.locator('.shape-list').nth(1).locator('tbody td:last-child').allTextContents();
  assert.deepEqual(verdicts, first.prediction_outcomes.map((o) => (o.matched ? 'true positive' : 'false positive')));
  await screenshot(page, 'asset-detail');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('a crowd region (polygon or mask) is hatched, an object in two parts is one outline, a mask is outlined, and a prediction on a crowd is ignored', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const image = await (await demo.server.api('/assets/1/image')).arrayBuffer();
  const dataset = await post('/datasets', { name: 'crowds' });
  const version = await post(`/datasets/${dataset.id}/versions`, { version: 'v1', labels: ['person'] });
  const project = await post('/projects', { name: 'crowds' });
  const experiment = await post(`/projects/${project.id}/experiments`, { name: 'segmenter' });
  await post(`/experiments/${experiment.id}/datasets`, { alias: 'test', dataset_version_id: version.id });
  // Shapes in hundredths of the image's size.
  const { width, height } = await json('/assets/1');
  const at = (x, y) => [Math.round((x * width) / 100), Math.round((y * height) / 100)];
  const crowd = { label: 'person', crowd: true, points: [at(5, 10), at(50, 10), at(50, 70), at(5, 70)] };
  const occluded = { label: 'person', points: [at(58, 20), at(72, 20), at(72, 60)], parts: [[at(78, 30), at(95, 30), at(95, 80)]] };
  // A run-length mask (COCO's uncompressed counts) over a box given in hundredths.
  const mask = (x0, y0, x1, y1) => {
    const [c0, r0] = at(x0, y0);
    const [c1, r1] = at(x1, y1);
    const counts = [c0 * height + r0];
    for (let c = c0; c < c1; c += 1) {
      counts.push(r1 - r0, c + 1 < c1 ? height - (r1 - r0) : 0);
    }
    counts[counts.length - 1] = width * height - counts.reduce((a, b) => a + b, 0);
    return { size: [height, width], counts };
  };
  const crowdMask = { label: 'person', crowd: true, ...mask(10, 78, 45, 95) };
  const form = new FormData();
  form.append('file', new Blob([image], { type: 'image/png' }), 'street.png');
  form.append('annotations', JSON.stringify({ polygons: [crowd, occluded], masks: [crowdMask] }));
  const asset = await json(`/dataset-versions/${version.id}/assets`, { method: 'POST', body: form });
  await post(`/experiments/${experiment.id}/evaluations`, {
    asset_id: asset.id,
    polygons: [{ label: 'person', score: 0.8, points: [at(15, 30), at(30, 30), at(30, 50)] }],
    masks: [{ label: 'person', score: 0.7, ...mask(55, 65, 70, 75) }],
  });
  await page.goto(`${demo.server.url}/experiments/${experiment.id}/evaluation?type=segmentation&threshold=1`);
  const tile = page.locator('.asset-tile').first();
  await tile.locator('img[src^="blob:"]').waitFor({ timeout: 10_000 });
  // Hatching: inside the crowd region many pixels are drawn; inside the object's
  // second part (outlined, not hatched) none are.
  // The share of drawn pixels in rectangles given in hundredths of the image.
  const drawnIn = (where) => where.locator('canvas').evaluate((canvas) => {
    const count = (x0, y0, x1, y1) => {
      const [sx, sy] = [canvas.width / 100, canvas.height / 100];
      const { data } = canvas.getContext('2d').getImageData(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy);
      let on = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) on += 1;
      return on / (data.length / 4);
    };
    return {
      crowd: count(32, 55, 48, 68), part: count(90, 45, 94, 55),
      crowdMask: count(33, 82, 43, 93), maskInside: count(58, 67, 67, 73), maskEdge: count(54, 66, 56, 74),
    };
  });
  const drawn = await drawnIn(tile);
  assert.ok(drawn.crowd > 0.02, `the crowd region is hatched: ${JSON.stringify(drawn)}`);
  assert.equal(drawn.part, 0, `the part's inside shows the image: ${JSON.stringify(drawn)}`);
  assert.ok(drawn.crowdMask > 0.02, `the crowd mask is hatched: ${JSON.stringify(drawn)}`);
  await screenshotOf(tile, 'asset-crowd-hatched');
  // With every prediction shown, the predicted mask is outlined along its border, and
  // its inside shows the image.
  await page.goto(`${demo.server.url}/experiments/${experiment.id}/evaluation?type=segmentation&threshold=0`);
  const shown = page.locator('.asset-tile').first();
  await shown.locator('img[src^="blob:"]').waitFor({ timeout: 10_000 });
  const withPredictions = await drawnIn(shown);
  assert.ok(withPredictions.maskEdge > 0.05, `the mask's border is drawn: ${JSON.stringify(withPredictions)}`);
  assert.equal(withPredictions.maskInside, 0, `the mask's inside shows the image: ${JSON.stringify(withPredictions)}`);
  await screenshotOf(shown, 'asset-mask-outlined');

  await page.goto(`${demo.server.url}/experiments/${experiment.id}/evaluation?type=segmentation`);
  await page.locator('.asset-tile').first().click();
  const dialog = page.getByRole('dialog', { name: 'Asset street.png' });
  await dialog.waitFor();
  assert.deepEqual(await dialog.locator('.shape-list').first().locator('tbody td:last-child').allTextContents(),
    ['crowd region (ignored)', 'missed', 'crowd region (ignored)']);
  assert.deepEqual(await dialog.locator('.shape-list').nth(1).locator('tbody td:last-child').allTextContents(),
    ['on a crowd region (ignored)', 'false positive']);
  await screenshot(page, 'asset-detail-crowd');
  assert.deepEqual(errors, []);
});

test('a confusion-matrix cell opens the assets of that truth and prediction', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  // A classification set: frames of the demo's evaluation version, re-uploaded with a
  // class each, and an experiment that gets two of six wrong.
  const image = await (await demo.server.api('/assets/1/image')).arrayBuffer();
  const dataset = await post('/datasets', { name: 'weather' });
  const version = await post(`/datasets/${dataset.id}/versions`, { version: 'v1', labels: ['sunny', 'rain'] });
  const truths = ['sunny', 'sunny', 'sunny', 'rain', 'rain', 'rain'];
  const predictions = ['sunny', 'sunny', 'rain', 'rain', 'rain', 'sunny'];
  const project = await post('/projects', { name: 'weather' });
  const experiment = await post(`/projects/${project.id}/experiments`, { name: 'classifier' });
  await post(`/experiments/${experiment.id}/datasets`, { alias: 'test', dataset_version_id: version.id });
  for (const [index, truth] of truths.entries()) {
    const form = new FormData();
    form.append('file', new Blob([image], { type: 'image/png' }), `day-${index}.png`);
    form.append('annotations', JSON.stringify({ classifications: [{ label: truth }] }));
    const asset = await json(`/dataset-versions/${version.id}/assets`, { method: 'POST', body: form });
    await post(`/experiments/${experiment.id}/evaluations`, {
      asset_id: asset.id, classifications: [{ label: predictions[index], score: 0.9 }],
    });
  }
  // The experiment page offers to compute the metrics; they are kept and shown.
  await page.goto(`${demo.server.url}/experiments/${experiment.id}`);
  const compute = page.getByRole('form', { name: 'Compute metrics' });
  await compute.getByText('6 evaluations of assets').waitFor({ timeout: 15_000 });
  await compute.getByLabel('Metrics of').selectOption({ label: 'Classification' });
  await compute.getByRole('button', { name: 'Compute metrics' }).click();
  const matrix = page.locator('.evaluation-panel table.heatmap');
  await matrix.waitFor({ timeout: 15_000 });
  const metrics = (await json(`/experiments/${experiment.id}/logs/evaluation%2Fclassification`)).data;
  assert.deepEqual(metrics.classification.confusion, [[2, 1, 0], [1, 2, 0], [0, 0, 0]]);
  await screenshotOf(page.locator('.evaluation-panel'), 'evaluation-classification');
  // Row "sunny" (truth), column "rain" (prediction): one asset.
  await matrix.locator('tbody tr').nth(0).locator('td').nth(1).locator('a').click();
  await page.waitForURL(/truth=sunny&predicted=rain/);
  assert.equal(await shownTotal(page), 1);
  await page.locator('.asset-tile').first().click();
  await page.getByRole('dialog').getByText('Ground truth: sunny · predicted: rain').waitFor();
  assert.deepEqual(errors, []);
});

test('the compare view shows evaluations side by side, with differences and one asset each', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const [first, second] = await Promise.all([1, 3].map((id) => json(`/experiments/${id}/logs/evaluation%2Fobject_detection`)));
  await page.goto(`${demo.server.url}/compare?ids=1,3`);
  const table = page.locator('table.evaluation-compare');
  await table.waitFor({ timeout: 15_000 });
  const row = table.locator('tbody tr').first();
  const [base, other] = [first.data.detection.summary[0], second.data.detection.summary[0]];
  const delta = other - base;
  const sign = delta > 0 ? '+' : '−';
  assert.deepEqual(await row.locator('td').allTextContents(),
    [base.toFixed(3), `${other.toFixed(3)} (${sign}${Math.abs(delta).toFixed(3)})`]);
  await page.getByRole('button', { name: 'One asset across the experiments' }).click();
  await page.locator('.same-asset option', { hasText: 'frame-002.png' }).waitFor({ state: 'attached' });
  await page.getByLabel('Asset', { exact: true }).selectOption({ label: 'frame-002.png' });
  const frames = page.locator('.same-asset-frame');
  await frames.nth(1).locator('img[src^="blob:"]').waitFor({ timeout: 10_000 });
  assert.deepEqual(await frames.locator('figcaption').allTextContents(), ['baseline-resnet18', 'resnet50-augmented']);
  await screenshotOf(page.locator('.same-asset'), 'compare-same-asset');
  await screenshotOf(table, 'compare-evaluations');
  assert.deepEqual(errors, []);
});

test('a version takes images with their COCO file from the datasets page, and splits', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const dataset = await post('/datasets', { name: 'uploads' });
  const version = await post(`/datasets/${dataset.id}/versions`, { version: 'v1', labels: ['car'] });
  const image = Buffer.from(await (await demo.server.api('/assets/1/image')).arrayBuffer());
  const coco = (names) => ({
    name: 'coco.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({
      images: names.map((name, i) => ({ id: i + 1, file_name: name, width: 160, height: 120 })),
      categories: [{ id: 1, name: 'car' }],
      annotations: names.map((_, i) => ({ id: i + 1, image_id: i + 1, category_id: 1, bbox: [10, 10, 20, 20], iscrowd: 0 })),
    })),
  });
  const files = ['one.png', 'two.png'].map((name) => ({ name, mimeType: 'image/png', buffer: image }));
  await page.goto(`${demo.server.url}/datasets`);
  const card = page.locator('.dataset-card', { hasText: 'uploads' });
  await card.getByRole('button', { name: 'Assets of v1' }).click();
  const form = card.getByRole('form', { name: 'Upload assets' });
  // A COCO file naming an image that is not picked: refused, nothing stored.
  await form.getByLabel('Images', { exact: true }).setInputFiles(files.slice(0, 1));
  await form.getByLabel(/COCO annotation file/).setInputFiles(coco(['one.png', 'two.png']));
  await form.getByRole('button', { name: 'Upload' }).click();
  await form.getByRole('alert').filter({ hasText: 'lacks: two.png' }).waitFor({ timeout: 10_000 });
  assert.equal((await json(`/dataset-versions/${version.id}/assets`)).total, 0);
  await form.getByLabel('Images', { exact: true }).setInputFiles(files);
  await form.getByRole('button', { name: 'Upload' }).click();
  await form.getByText('Imported 2 assets with their annotations.').waitFor({ timeout: 10_000 });
  const assets = await json(`/dataset-versions/${version.id}/assets`);
  assert.deepEqual(assets.items.map((a) => [a.filename, a.annotations.rectangles.length]), [['one.png', 1], ['two.png', 1]]);
  await card.locator('tr', { hasText: 'v1' }).getByText('2 assets').waitFor();

  const split = card.getByRole('form', { name: 'Train/test split' });
  await split.getByLabel('Train share').fill('2');
  await split.getByRole('button', { name: 'Split' }).click();
  await split.getByRole('alert').filter({ hasText: 'strictly between 0 and 1' }).waitFor();
  await split.getByLabel('Train share').fill('0.5');
  await split.getByLabel('Seed').fill('3');
  await split.getByRole('button', { name: 'Split' }).click();
  await split.getByText('Train: 1 asset (car 1) · Test: 1 asset (car 1)').waitFor();
  await screenshotOf(card, 'version-assets');
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
});
