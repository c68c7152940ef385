// Hostile text everywhere a user's words reach the dashboard: names, descriptions, table
// keys and values, labels, captions, log lines, dataset and model names. Every page shows
// it literally and runs none of it (a window flag stays unset, no injected element or
// javascript: link exists).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { launchBrowser, openPage, revealCharts, screenshot, signIn } from './support/browser.mjs';

/** Markup that sets window.pwned if it is ever parsed as HTML (or its link followed), tagged by where it went. */
const hostile = (where) =>
  `${where} <img src=x onerror="pwned=1"><script>pwned=2</script><a href="javascript:pwned=3">x</a>`;
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let browser;
let server;
const ids = {};

async function send(path, body, method = 'POST') {
  const response = await server.api(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.status === 204 ? null : response.json();
}

before(async () => {
  browser = await launchBrowser();
  server = await startServer();
  ids.project = (await send('/projects', { name: hostile('project'), description: hostile('project-description') })).id;
  for (const which of ['a', 'b']) {
    const experiment = await send(`/projects/${ids.project}/experiments`, {
      name: hostile(`experiment-${which}`), description: hostile('experiment-description'),
    });
    ids[which] = experiment.id;
    const logs = `/experiments/${experiment.id}/logs`;
    await send(logs, { name: hostile('value-name'), type: 'VALUE', data: hostile('value') });
    await send(logs, { name: hostile('line-name'), type: 'LINE', data: { [hostile('series')]: [0.5, 0.4, 0.3] } });
    await send(logs, { name: hostile('bar-name'), type: 'BAR', data: { x: [hostile('bar-label')], y: [3] } });
    await send(logs, { name: hostile('table-name'), type: 'TABLE', data: { [hostile('table-key')]: hostile('table-value') } });
    await send(logs, { name: 'confusion', type: 'HEATMAP', data: { categories: [hostile('category')], values: [[3, 1], [2, 0]] } });
    await send(logs, { name: 'labelmap', type: 'LABELMAP', data: { 1: hostile('label') } });
    await send(`/experiments/${experiment.id}/parameters`, { [hostile('parameter')]: hostile('parameter-value') });
    await send(`/experiments/${experiment.id}/job/logs`, { lines: [hostile('log-line')] });
  }
  const image = new FormData();
  image.append('file', new Blob([PNG]), 'x.png');
  image.append('caption', hostile('caption'));
  image.append('step', '3');
  assert.equal((await server.api(`/experiments/${ids.a}/logs/${encodeURIComponent('samples')}/images`, { method: 'POST', body: image })).status, 201);
  const artifact = new FormData();
  artifact.append('name', hostile('artifact'));
  artifact.append('file', new Blob([Buffer.from('weights')]), `${hostile('file')}.pt`);
  assert.equal((await server.api(`/experiments/${ids.a}/artifacts`, { method: 'POST', body: artifact })).status, 201);
  const dataset = await send('/datasets', { name: hostile('dataset'), description: hostile('dataset-description') });
  const version = await send(`/datasets/${dataset.id}/versions`, { version: hostile('version'), labels: [hostile('dataset-label')] });
  await send(`/experiments/${ids.a}/datasets`, { alias: hostile('alias'), dataset_version_id: version.id });
  const exported = await send(`/experiments/${ids.a}/export`, {
    model: { name: hostile('model'), type: 'other', framework: hostile('framework'), description: hostile('model-description') },
  });
  ids.model = exported.model_id;
});

after(async () => {
  await server?.stop();
  await browser?.close();
});

/** Opens `path`, waits for `expected` texts, reveals the charts, and checks nothing ran. */
async function visit(path, expected, shot) {
  const { page, errors } = await openPage(browser);
  await signIn(page, server);
  const response = await page.goto(`${server.url}${path}`);
  assert.match(response.headers()['content-security-policy'], /frame-ancestors 'none'/);
  for (const where of expected) {
    await page.getByText(hostile(where), { exact: false }).first().waitFor({ timeout: 15_000 });
  }
  await revealCharts(page);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.pwned), undefined, `${path}: injected markup ran`);
  assert.equal(await page.locator('img[src="x"]').count(), 0, `${path}: an injected element exists`);
  assert.equal(await page.locator('body script').count(), 0, `${path}: an injected script element exists`);
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, `${path}: an injected javascript: link exists`);
  await screenshot(page, shot);
  assert.deepEqual(errors, []);
}

test('the project list and project page show hostile names literally', async () => {
  await visit('/projects', ['project', 'project-description'], 'xss-projects');
  await visit(`/projects/${ids.project}`, ['experiment-a', 'experiment-description', 'value'], 'xss-project-page');
});

test('the experiment page shows every hostile log, label, caption and line literally', async () => {
  await visit(`/experiments/${ids.a}`, [
    'experiment-a', 'value-name', 'line-name', 'bar-name', 'table-key', 'table-value', 'category',
    'label', 'parameter', 'parameter-value', 'caption', 'artifact', 'log-line', 'alias', 'dataset',
  ], 'xss-experiment-page');
});

test('datasets, models and the compare view show hostile names literally', async () => {
  await visit('/datasets', ['dataset', 'dataset-description', 'version', 'dataset-label'], 'xss-datasets');
  await visit('/models', ['model', 'framework'], 'xss-models');
  await visit(`/models/${ids.model}`, ['model', 'label'], 'xss-model-page');
  await visit(`/compare?ids=${ids.a},${ids.b}`, ['experiment-a', 'experiment-b', 'parameter'], 'xss-compare');
});
