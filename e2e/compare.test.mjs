// The compare view on the demo: chosen from the project page, one chart across
// experiments, values side by side with "only differences", all kept in the URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer } from './support/demo.mjs';
import { accessibilityViolations } from './support/axe.mjs';
import { canvasColours, openPage, revealCharts, screenshot, screenshotOf, signIn } from './support/browser.mjs';

const demo = withDemoServer();

/** The demo's experiment ids (oldest first) and the names of the LINE logs they have. */
async function demoExperiments() {
  const projects = await (await demo.server.api('/projects')).json();
  const experiments = await (await demo.server.api(`/projects/${projects.items[0].id}/experiments?order_by=created`)).json();
  const ids = experiments.items.map((experiment) => experiment.id);
  const lineNames = new Set();
  for (const id of ids) {
    const logs = await (await demo.server.api(`/experiments/${id}/logs?type=LINE`)).json();
    for (const log of logs.items) lineNames.add(log.name);
  }
  return { ids, lineNames };
}

test('experiments picked on the project page compare on one chart, and the URL restores the view', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.locator('.project-name a', { hasText: 'Demo' }).click();
  await page.getByRole('button', { name: 'Select two or more to compare' }).waitFor({ timeout: 15_000 });
  await page.getByLabel('Select baseline-resnet18 to compare').check();
  await page.getByLabel('Select resnet50-augmented to compare').check();
  await page.getByRole('link', { name: 'Compare 2 experiments' }).click();
  await page.waitForURL(/\/compare\?ids=\d+,\d+$/);

  await page.getByLabel('Chart', { exact: true }).selectOption('loss');
  await page.waitForURL(/log=loss/);
  const chart = page.locator('figure.line-chart');
  await chart.locator('.chart-legend li', { hasText: 'resnet50-augmented · validation' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(await chart.locator('.chart-legend li').evaluateAll((items) => items.map((li) => li.firstChild.nextSibling.textContent)), [
    'baseline-resnet18 · train', 'baseline-resnet18 · validation', 'resnet50-augmented · train', 'resnet50-augmented · validation',
  ]);
  const values = page.locator('table.compare-table', { hasText: 'Values' });
  assert.match(await values.textContent(), /accuracy0\.810\.9/);
  assert.equal(await page.locator('figure.heatmap-chart').count(), 2, 'both confusion matrices');
  await page.getByLabel('Only differences').check();
  await page.waitForURL(/diff=1/);
  const parameters = page.locator('table.compare-table', { hasText: 'Parameters' });
  assert.deepEqual(await parameters.locator('tbody th').allTextContents(), ['backbone', 'epochs', 'learning_rate']);

  await chart.getByLabel('Smoothing').fill('0.6');
  await page.waitForURL(/smooth=0\.6/);
  const box = await chart.locator('canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForURL(/from=\d+&to=\d+/);
  const shared = page.url();

  // The CSV holds every point of both experiments, whatever the zoom.
  const download = page.waitForEvent('download');
  await chart.getByRole('button', { name: 'CSV' }).click();
  const { readFileSync } = await import('node:fs');
  const csv = readFileSync(await (await download).path(), 'utf8').trimEnd().split('\n');
  assert.equal(csv[0], 'experiment,series,step,value');
  const ids = new URL(shared).searchParams.get('ids').split(',');
  let expected = 0;
  for (const id of ids) {
    const own = await (await demo.server.api(`/experiments/${id}/logs/loss/points.csv`)).text();
    expected += own.trimEnd().split('\n').length - 1;
  }
  assert.equal(csv.length - 1, expected, 'every point of every experiment');
  assert.ok(csv.some((line) => line.startsWith('baseline-resnet18,validation,')));
  assert.ok(csv.some((line) => line.startsWith('resnet50-augmented,train,')));
  await page.waitForTimeout(300);
  await screenshot(page, 'compare');

  // A fresh page at the shared address shows the same view.
  const second = await openPage(demo.browser);
  await signIn(second.page, demo.server);
  await second.page.goto(shared);
  const restored = second.page.locator('figure.line-chart');
  await restored.getByRole('button', { name: /reset zoom/ }).waitFor({ timeout: 15_000 });
  assert.equal(await restored.getByLabel('Smoothing').inputValue(), '0.6');
  assert.ok(await second.page.getByLabel('Only differences').isChecked());
  await screenshotOf(restored, 'compare-chart-restored');
  assert.deepEqual(errors, []);
  assert.deepEqual(second.errors, []);
});

test('"All charts" draws every shared LINE log at once, and the URL keeps it', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const { ids, lineNames } = await demoExperiments();
  await page.goto(`${demo.server.url}/compare?ids=${ids.join(',')}`);
  await page.getByLabel('All charts').check();
  await page.waitForURL(/charts=all/);
  const charts = page.locator('figure.line-chart');
  await charts.nth(lineNames.size - 1).waitFor({ timeout: 15_000 });
  assert.equal(await charts.count(), lineNames.size);
  assert.ok(await page.getByLabel('Chart', { exact: true }).isDisabled(), 'one chart at a time is off');
  await revealCharts(page);
  for (let index = 0; index < lineNames.size; index += 1) {
    await charts.nth(index).locator('.chart-legend li').first().waitFor({ timeout: 15_000 });
    assert.ok((await canvasColours(charts.nth(index).locator('canvas'))) > 4, `chart ${index} is painted`);
  }
  await screenshot(page, 'compare-all-charts');
  await page.reload();
  await charts.nth(lineNames.size - 1).waitFor({ timeout: 15_000 });
  assert.ok(await page.getByLabel('All charts').isChecked());
  assert.deepEqual(errors, []);
});

test('a compare view asks once for its experiments and once for all its charts\' points', async () => {
  const page = await demo.browser.newPage({ viewport: { width: 1280, height: 3000 } });
  await signIn(page, demo.server);
  const { ids, lineNames } = await demoExperiments();
  const asked = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) asked.push(url);
  });
  await page.goto(`${demo.server.url}/compare?ids=${ids.join(',')}&charts=all`);
  const charts = page.locator('figure.line-chart');
  await page.waitForFunction((count) => performance.getEntriesByName('trackboard:line-draw').length >= count,
    lineNames.size, { timeout: 15_000 });
  for (let index = 0; index < lineNames.size; index += 1) {
    assert.ok((await canvasColours(charts.nth(index).locator('canvas'))) > 4, `chart ${index} is painted`);
  }
  const paths = asked.map((url) => url.pathname.replace('/api/v1', ''));
  assert.equal(paths.filter((p) => p === '/compared-experiments').length, 1, paths.join(' '));
  assert.ok(!paths.some((p) => /^\/experiments\/\d+/.test(p)), `no request per experiment: ${paths.join(' ')}`);
  // A running experiment's charts also ask for new steps (`from=`) every few seconds.
  const batches = asked.filter((url) => url.pathname.endsWith('/line-comparisons') && !url.searchParams.has('from'));
  assert.equal(batches.length, 1, `one points request for ${lineNames.size} charts: ${paths.join(' ')}`);
  assert.deepEqual(new Set(batches[0].searchParams.get('logs').split('\n')), lineNames);
  assert.equal(batches[0].searchParams.get('experiment_ids'), ids.join(','));
  assert.ok(!paths.includes('/line-comparison'));
  await page.close();
});

test('every confusion matrix is compared, and logs some experiments lack are listed', async () => {
  const projects = await (await demo.server.api('/projects')).json();
  const experiments = await (await demo.server.api(`/projects/${projects.items[0].id}/experiments?order_by=created`)).json();
  const [first, second] = experiments.items;
  const log = (id, body) => demo.server.api(`/experiments/${id}/logs`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const matrix = (values) => ({ name: 'val confusion', type: 'HEATMAP', data: { categories: ['cat', 'dog'], values } });
  assert.equal((await log(first.id, matrix([[5, 1], [2, 7]]))).status, 201);
  assert.equal((await log(second.id, matrix([[6, 0], [2, 7]]))).status, 201);
  assert.equal((await log(first.id, { name: 'only in the first', type: 'VALUE', data: 1 })).status, 201);
  const bars = (x, y) => ({ name: 'detections', type: 'BAR', data: { x, y } });
  assert.equal((await log(first.id, bars(['car', 'bus'], [30, 4]))).status, 201);
  assert.equal((await log(second.id, bars(['bus', 'bike'], [6, 2.5]))).status, 201);

  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/compare?ids=${first.id},${second.id}`);
  const partial = page.locator('section.partial-logs');
  await partial.waitFor({ timeout: 15_000 });
  assert.match(await partial.textContent(), new RegExp(`only in the first — missing in ${second.name}`));
  const matrices = page.locator('figure.heatmap-chart');
  assert.equal(await matrices.count(), 4, 'two matrices of each experiment');
  assert.match(await matrices.nth(2).textContent(), new RegExp(`${first.name} · val confusion`));
  const labels = page.locator('table.compare-table', { hasText: 'labelmap' });
  assert.match(await labels.locator('tbody').textContent(), /1carcar2pedestrianpedestrian/);
  const grouped = page.locator('figure.bar-chart', { hasText: 'detections' });
  assert.equal(await grouped.locator('canvas').getAttribute('aria-label'),
    `Bar chart of detections: car: ${first.name} 30, ${second.name} —; bus: ${first.name} 4, ${second.name} 6; bike: ${first.name} —, ${second.name} 2.5`);
  assert.deepEqual(await grouped.locator('.chart-legend li').allTextContents(), [first.name, second.name]);
  await revealCharts(page);
  await page.waitForTimeout(200);
  assert.ok((await canvasColours(grouped.locator('canvas'))) > 3, 'bars of both experiments are painted');
  const barsCsv = page.waitForEvent('download');
  await grouped.getByRole('button', { name: 'CSV' }).click();
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(await (await barsCsv).path(), 'utf8'), `label,${first.name},${second.name}\ncar,30,\nbus,4,6\nbike,,2.5\n`);
  await screenshotOf(grouped, 'compare-grouped-bars');
  await screenshot(page, 'compare-partial-logs');

  // The second experiment's matrix against the first (the default baseline), then the
  // other way round once the baseline is changed; the URL keeps the choice.
  const secondMatrix = matrices.filter({ hasText: `${second.name} · val confusion` });
  await secondMatrix.getByRole('button', { name: `Δ vs ${first.name}` }).click();
  assert.deepEqual(await secondMatrix.locator('tbody td').allTextContents(), ['+1', '−1', '0', '0']);
  assert.deepEqual(await accessibilityViolations(page), [], 'differences, bars and lists pass WCAG 2.1 A/AA');
  assert.match(await secondMatrix.locator('tbody td').first().getAttribute('style'), /background: rgb\(8, 69, 148\)/);
  await screenshotOf(secondMatrix, 'compare-matrix-difference');
  await page.getByLabel('Baseline', { exact: true }).selectOption({ label: second.name });
  await page.waitForURL(new RegExp(`baseline=${second.id}`));
  const firstMatrix = matrices.filter({ hasText: `${first.name} · val confusion` });
  await firstMatrix.getByRole('button', { name: `Δ vs ${second.name}` }).click();
  assert.deepEqual(await firstMatrix.locator('tbody td').allTextContents(), ['−1', '+1', '0', '0']);
  assert.equal(await matrices.filter({ hasText: `${second.name} · val confusion` }).getByRole('button', { name: /Δ vs/ }).count(), 0);
  assert.deepEqual(errors, []);
});

test('image logs compare step by step, and the full view flips between experiments', async () => {
  const projects = await (await demo.server.api('/projects')).json();
  const experiments = await (await demo.server.api(`/projects/${projects.items[0].id}/experiments?order_by=created`)).json();
  const [first, second] = experiments.items;
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/compare?ids=${first.id},${second.id}`);
  const section = page.locator('figure.image-steps', { hasText: 'samples' });
  await section.waitFor({ timeout: 15_000 });
  const captions = section.locator('.thumbnail-caption');
  assert.deepEqual(await captions.allTextContents(), ['validation frame 3 · step 5000', 'validation frame 3 · step 5000']);
  const slider = section.getByRole('slider');
  await slider.focus();
  await page.keyboard.press('Home');
  await section.getByText('Step 1000', { exact: true }).waitFor();
  assert.deepEqual(await captions.allTextContents(), ['validation frame 1 · step 1000', 'validation frame 1 · step 1000']);
  const images = section.locator('img');
  await page.waitForFunction((element) => [...element.querySelectorAll('img')].every((img) => img.complete && img.naturalWidth > 0),
    await section.elementHandle(), { timeout: 10_000 });
  assert.equal(await images.count(), 2);
  await screenshotOf(section, 'compare-image-steps');

  await section.getByRole('button', { name: `Open ${first.name}'s image full size: validation frame 1 · step 1000` }).click();
  const dialog = page.getByRole('dialog');
  assert.match(await dialog.getAttribute('aria-label'), new RegExp(`^${first.name}, experiment 1 of 2`));
  await page.keyboard.press('ArrowRight');
  assert.match(await dialog.getAttribute('aria-label'), new RegExp(`^${second.name}, experiment 2 of 2`));
  assert.match(await dialog.textContent(), /validation frame 1 · step 1000/);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByRole('dialog').count(), 0);
  assert.deepEqual(errors, []);
});

test('past a dozen runs, matrices become small multiples sorted by a cell and tables keep the rows that differ', async () => {
  const post = async (path, body) => {
    const answer = await demo.server.api(path, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.ok(answer.ok, `${path}: ${answer.status}`);
    return answer.json();
  };
  const project = await post('/projects', { name: 'a sweep of fourteen' });
  const ids = [];
  for (let index = 0; index < 14; index += 1) {
    const experiment = await post(`/projects/${project.id}/experiments`, { name: `sweep-${index}` });
    ids.push(experiment.id);
    await post(`/experiments/${experiment.id}/parameters`, { epochs: 10, lr: index / 100 });
    // Run 9 confuses dogs with cats the most.
    const dogAsCat = index === 9 ? 40 : index;
    await post(`/experiments/${experiment.id}/logs`, {
      name: 'confusion', type: 'HEATMAP', data: { categories: ['cat', 'dog'], values: [[50, 2], [dogAsCat, 30]] },
    });
  }
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/compare?ids=${ids.join(',')}`);
  const small = page.locator('figure.matrix-small');
  await small.first().waitFor({ timeout: 15_000 });
  assert.equal(await small.count(), 14, 'one miniature a run');
  assert.equal(await page.locator('figure.heatmap-chart').count(), 0, 'no full heatmap a run');
  await page.getByLabel('Sort by cell').selectOption({ label: 'dog → cat' });
  await page.waitForFunction(() => document.querySelector('figure.matrix-small figcaption')?.textContent.includes(': 40'));
  assert.equal(await small.first().getAttribute('data-experiment-id'), String(ids[9]));
  assert.match(await small.nth(1).locator('figcaption').textContent(), /sweep-13: 13/);
  // The parameters table: lr differs and is a row; epochs agrees and is listed once.
  const parameters = page.locator('table.compare-table', { hasText: 'Parameters' });
  assert.deepEqual(await parameters.locator('tbody th').allTextContents(), ['lr']);
  await page.locator('.agreeing-rows', { hasText: 'The same in all 14 runs: epochs = 10' }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], 'small multiples pass WCAG 2.1 A/AA');
  await screenshot(page, 'compare-fourteen-runs');
  assert.deepEqual(errors, []);
});
