// The first slice end to end: the real server, a real SQLite file, the release build
// of the dashboard, headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, repoRoot } from './support/server.mjs';
import { launchBrowser, openPage, screenshot, signIn } from './support/browser.mjs';

let browser;

/** POSTs `body` as JSON to the API and answers the created resource. */
async function postJson(server, path, body) {
  const answer = await server.api(path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.ok(answer.ok, `${path}: ${answer.status}`);
  return answer.json();
}

before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('a project stored through the API is listed by the dashboard', async () => {
  const server = await startServer();
  try {
    const name = `Lane detection ${Date.now()}`;
    const created = await server.api('/projects', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, description: 'made by the e2e test' }),
    });
    assert.equal(created.status, 201);

    const { page, errors } = await openPage(browser);
    await signIn(page, server);
    const row = page.locator('tbody tr', { hasText: name });
    await row.waitFor({ timeout: 15_000 });
    assert.equal(await row.locator('.project-name').textContent(), name);
    assert.equal(await row.locator('.project-description').textContent(), 'made by the e2e test');
    assert.equal(await page.locator('.list-summary').textContent(), '1 project');
    await page.locator('.api-status.ok').waitFor();
    await screenshot(page, 'projects');
    assert.deepEqual(errors, []);
  } finally {
    await server.stop();
  }
});

test('first start seeds the demo project, and app routes survive a reload', async () => {
  const server = await startServer({ demo: true });
  try {
    const { page, errors } = await openPage(browser);
    await signIn(page, server);
    await page.goto(`${server.url}/projects`);
    await page.locator('.project-name', { hasText: 'Demo' }).waitFor({ timeout: 15_000 });
    await page.reload();
    await page.locator('.project-name', { hasText: 'Demo' }).waitFor({ timeout: 15_000 });
    assert.deepEqual(errors, []);
  } finally {
    await server.stop();
  }
});

test('an empty server shows how to create the first project and the first dataset', async () => {
  const server = await startServer();
  try {
    const { page } = await openPage(browser);
    await signIn(page, server);
    const code = page.locator('.empty-state code');
    await code.waitFor({ timeout: 15_000 });
    assert.match(await code.textContent(), new RegExp(`^curl -X POST ${server.url}/api/v1/projects `));
    await screenshot(page, 'projects-empty');
    await page.goto(`${server.url}/datasets`);
    await page.getByRole('heading', { name: 'No datasets yet' }).waitFor({ timeout: 15_000 });
    assert.match(await page.locator('.empty-state code').textContent(), new RegExp(`^curl -X POST ${server.url}/api/v1/datasets `));
  } finally {
    await server.stop();
  }
});

test('config.json points the dashboard at its API, and an unreachable one is an error with a retry', async () => {
  // A copy of dist/ whose runtime config names a port nothing listens on.
  const dist = mkdtempSync(path.join(tmpdir(), 'trackboard-dist-'));
  cpSync(path.join(repoRoot, 'dist'), dist, { recursive: true });
  writeFileSync(path.join(dist, 'config.json'), JSON.stringify({ api_base_url: 'http://127.0.0.1:9/' }));
  const server = await startServer({ dashboardDir: dist });
  try {
    const { page } = await openPage(browser);
    const apiCalls = [];
    page.on('request', (request) => { if (request.url().includes('/api/v1/')) apiCalls.push(request.url()); });
    await signIn(page, server);
    const panel = page.locator('.error-panel');
    await panel.waitFor({ timeout: 15_000 });
    assert.match(await panel.textContent(), /cannot reach the tracking server/);
    assert.ok(apiCalls.length > 0 && apiCalls.every((url) => url.startsWith('http://127.0.0.1:9/api/v1/')), apiCalls.join());
    await page.locator('.api-status.down').waitFor();
    const retried = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/projects', { timeout: 5_000 });
    await panel.getByRole('button', { name: 'Try again' }).click();
    await retried;
    await screenshot(page, 'projects-unreachable');
  } finally {
    await server.stop();
    rmSync(dist, { recursive: true, force: true });
  }
});

test('without a token the dashboard asks to sign in, refuses a wrong token and accepts the right one', async () => {
  const server = await startServer();
  try {
    const { page } = await openPage(browser);
    await page.goto(`${server.url}/projects`);
    await page.waitForURL(/\/sign-in\?expired=1&next=%2Fprojects/, { timeout: 15_000 });
    await page.getByText('The server refused the stored token').waitFor();
    await page.getByLabel('API token').fill('tb_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#token-problem', { hasText: 'does not know this token' }).waitFor({ timeout: 5_000 });
    await screenshot(page, 'sign-in-refused');
    assert.equal(await page.evaluate(() => localStorage.getItem('trackboard.token')), null);

    await page.getByLabel('API token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.empty-state').waitFor({ timeout: 5_000 });
    assert.equal(new URL(page.url()).pathname, '/projects', 'back where the user was');
    assert.equal(await page.evaluate(() => localStorage.getItem('trackboard.token')), server.token);

    await page.getByRole('button', { name: 'Sign out' }).click();
    assert.equal(await page.evaluate(() => localStorage.getItem('trackboard.token')), null);
  } finally {
    await server.stop();
  }
});

test('the printed sign-in link stores the token and takes it out of the address bar', async () => {
  const server = await startServer();
  try {
    const { page, errors } = await openPage(browser);
    await signIn(page, server);
    await page.locator('.empty-state').waitFor({ timeout: 15_000 });
    assert.equal(page.url(), `${server.url}/`);
    assert.equal(await page.evaluate(() => localStorage.getItem('trackboard.token')), server.token);
    assert.deepEqual(errors, []);
  } finally {
    await server.stop();
  }
});

test('the filter narrows the experiments on the server, and a bad one is shown at its input', async () => {
  const server = await startServer();
  try {
    const { page, errors } = await openPage(browser);
    await signIn(page, server);
    const json = (path, body) => postJson(server, path, body);
    const project = await json('/projects', { name: 'sweep' });
    for (let index = 0; index < 6; index += 1) {
      const experiment = await json(`/projects/${project.id}/experiments`, { name: `run-${index}` });
      await json(`/experiments/${experiment.id}/logs`, { name: 'accuracy', type: 'VALUE', data: index / 10 });
      await json(`/experiments/${experiment.id}/parameters`, { lr: index % 2 ? 0.001 : 0.01 });
    }
    await page.goto(`${server.url}/projects/${project.id}`);
    const rows = page.locator('.experiments-table tbody tr[data-experiment-id]');
    await rows.first().waitFor({ timeout: 15_000 });
    assert.equal(await rows.count(), 6);
    const input = page.getByLabel('Filter');
    await input.fill("metrics.accuracy > 0.25 and params.lr = '0.001'");
    await input.press('Enter');
    // run-3 and run-5: accuracy 0.3 and 0.5 with lr 0.001.
    await page.waitForFunction(() => document.querySelectorAll('.experiments-table tbody tr[data-experiment-id]').length === 2);
    assert.deepEqual((await rows.allTextContents()).map((text) => text.match(/run-\d/)[0]).sort(), ['run-3', 'run-5']);
    assert.match(page.url(), /filter=metrics\.accuracy/);
    await screenshot(page, 'project-filtered');

    await input.fill('metrics.accuracy > 0.25 or name = 1');
    await input.press('Enter');
    const problem = page.locator('#experiment-filter-error');
    await page.waitForFunction(() => document.querySelector('#experiment-filter-error')?.textContent.includes('character'));
    assert.match(await problem.textContent(), /expected AND .*character 25/);
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    await page.getByRole('heading', { name: 'No experiment matches' }).waitFor();
    await screenshot(page, 'project-filter-refused');

    // A scatter of the filtered runs: accuracy against lr; a dot opens its run.
    await input.fill('metrics.accuracy >= 0.2');
    await input.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.experiments-table tbody tr[data-experiment-id]').length === 4);
    // Parallel coordinates: a brush on the accuracy axis keeps its upper half, and the
    // table shows only those runs; a click on the axis clears it.
    await page.getByText('Parallel coordinates of these runs').click();
    const parallel = page.locator('.parallel-canvas');
    await page.waitForFunction(() => JSON.parse(document.querySelector('.parallel-canvas')?.dataset.axes || '{"xs":[]}').xs.length === 2);
    const axes = JSON.parse(await parallel.getAttribute('data-axes'));
    const box = await parallel.boundingBox();
    const accuracyAxis = box.x + axes.xs[1];
    // From just above the axis' top (its highest value) down to its middle.
    await page.mouse.move(accuracyAxis, box.y + axes.top - 5);
    await page.mouse.down();
    await page.mouse.move(accuracyAxis, box.y + (axes.top + axes.bottom) / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelectorAll('.experiments-table tbody tr[data-experiment-id]').length === 2);
    assert.deepEqual((await rows.allTextContents()).map((text) => text.match(/run-\d/)[0]).sort(), ['run-4', 'run-5']);
    await page.getByRole('link', { name: 'Compare the 2 kept runs' }).waitFor();
    await screenshot(page, 'project-parallel-brushed');
    await page.mouse.click(accuracyAxis, box.y + axes.bottom - 5);
    await page.waitForFunction(() => document.querySelectorAll('.experiments-table tbody tr[data-experiment-id]').length === 4);

    await page.getByText('Scatter of these runs').click();
    const scatter = page.locator('.sweep-scatter');
    await scatter.locator('#scatter-x').selectOption('params.lr');
    await scatter.locator('#scatter-y').selectOption('metrics.accuracy');
    await scatter.locator('#scatter-colour').selectOption('metrics.accuracy');
    const canvas = scatter.locator('canvas');
    await page.waitForFunction(() => JSON.parse(document.querySelector('.scatter-canvas')?.dataset.points || '[]').length === 4);
    assert.match(await canvas.getAttribute('aria-label'), /Scatter of 4 runs: metrics\.accuracy against params\.lr/);
    const dots = JSON.parse(await canvas.getAttribute('data-points'));
    const list = await (await server.api(`/projects/${project.id}/experiments?limit=100`)).json();
    const run3 = list.items.find((e) => e.name === 'run-3').id;
    const [, x, y] = dots.find(([id]) => id === run3);
    // The dot is drawn where it says: its pixel is not the background.
    const painted = await canvas.evaluate((element, [x, y]) => {
      const ratio = element.width / element.clientWidth;
      const [r, g, b] = element.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
      return [r, g, b];
    }, [x, y]);
    assert.notDeepEqual(painted, [255, 255, 255], `a dot at ${x},${y}`);
    await canvas.hover({ position: { x, y } });
    await scatter.locator('.scatter-readout', { hasText: 'run-3' }).waitFor();
    await screenshot(page, 'project-scatter');
    await canvas.click({ position: { x, y } });
    await page.waitForURL(new RegExp(`/experiments/${run3}$`));
    assert.deepEqual(errors.filter((e) => !e.includes('422')), []);
  } finally {
    await server.stop();
  }
});

test('a grouped chart draws a band a group, takes ±1 std and shows its members on demand', async () => {
  const server = await startServer();
  try {
    const { page, errors } = await openPage(browser);
    await signIn(page, server);
    const json = (path, body) => postJson(server, path, body);
    const project = await json('/projects', { name: 'grouped sweep' });
    for (let index = 0; index < 6; index += 1) {
      const experiment = await json(`/projects/${project.id}/experiments`, { name: `run-${index}` });
      const lr = index % 2 ? 0.001 : 0.01;
      await json(`/experiments/${experiment.id}/parameters`, { lr, optimizer: index % 3 ? 'adam' : 'sgd' });
      // Two groups far apart: lr 0.01 decays from 10, lr 0.001 from 4.
      const start = lr === 0.01 ? 10 : 4;
      const loss = Array.from({ length: 200 }, (_, step) => start * Math.exp(-step / 60) + (index % 3) * 0.4);
      await json(`/experiments/${experiment.id}/logs`, { name: 'loss', type: 'LINE', data: loss });
    }
    await page.goto(`${server.url}/projects/${project.id}`);
    await page.locator('.experiments-table tbody tr[data-experiment-id]').first().waitFor({ timeout: 15_000 });
    await page.getByText('Lines of these runs, grouped').click();
    const canvas = page.locator('.grouped-canvas');
    const bands = async () => JSON.parse(await canvas.getAttribute('data-bands'));
    await page.waitForFunction(() => JSON.parse(document.querySelector('.grouped-canvas')?.dataset.bands || '{"bands":[]}').bands.length === 2);
    const drawn = await bands();
    assert.deepEqual(drawn.bands.map(([label]) => label), [
      'params.lr = 0.001 · loss (3 runs)',
      'params.lr = 0.01 · loss (3 runs)',
    ]);
    assert.match(await canvas.getAttribute('aria-label'), /loss of 6 runs grouped by params\.lr: 2 bands/);
    // Each group's centre line is painted in its own colour.
    const painted = async () => canvas.evaluate((element) => {
      const { data } = element.getContext('2d').getImageData(0, 0, element.width, element.height);
      const counts = [0, 0];
      for (let at = 0; at < data.length; at += 4) {
        if (data[at] === 0 && data[at + 1] === 114 && data[at + 2] === 178) counts[0] += 1;
        if (data[at] === 230 && data[at + 1] === 159 && data[at + 2] === 0) counts[1] += 1;
      }
      return counts;
    });
    const [first, second] = await painted();
    assert.ok(first > 100 && second > 100, `centre lines painted: ${first}, ${second}`);
    await page.locator('.grouped-legend li', { hasText: 'params.lr = 0.01' }).waitFor();
    await screenshot(page, 'project-grouped');

    await page.locator('#grouped-spread').selectOption('std');
    await page.locator('#grouped-centre').selectOption('median');
    await page.getByLabel('Show members').check();
    await page.waitForFunction(() => JSON.parse(document.querySelector('.grouped-canvas')?.dataset.bands || '{"members":0}').members === 6);
    await screenshot(page, 'project-grouped-members');

    // Parallel coordinates of the same runs: lr on a log axis, the optimizer as
    // categories, then the loss's last value (a LINE log is a metric of the sweep, as
    // an MLflow metric is); a brush over the top of the optimizer axis keeps the sgd runs.
    await page.getByText('Lines of these runs, grouped').click();
    await page.getByText('Parallel coordinates of these runs').click();
    await page.waitForFunction(() => JSON.parse(document.querySelector('.parallel-canvas')?.dataset.axes || '{"xs":[]}').xs.length === 3);
    assert.equal(await page.locator('.parallel-canvas').getAttribute('aria-label'),
      'Parallel coordinates of params.lr, params.optimizer, metrics.loss');
    await page.getByLabel('params.lr on a log scale').check();
    const parallel = page.locator('.parallel-canvas');
    const axes = JSON.parse(await parallel.getAttribute('data-axes'));
    const box = await parallel.boundingBox();
    const optimizerAxis = box.x + axes.xs[1];
    await page.mouse.move(optimizerAxis, box.y + axes.top - 5);
    await page.mouse.down();
    await page.mouse.move(optimizerAxis, box.y + axes.top + 20, { steps: 4 });
    await page.mouse.up();
    const rows = page.locator('.experiments-table tbody tr[data-experiment-id]');
    await page.waitForFunction(() => document.querySelectorAll('.experiments-table tbody tr[data-experiment-id]').length === 2);
    assert.deepEqual((await rows.allTextContents()).map((text) => text.match(/run-\d/)[0]).sort(), ['run-0', 'run-3']);
    await screenshot(page, 'project-parallel-categories');
    assert.deepEqual(errors, []);
  } finally {
    await server.stop();
  }
});
