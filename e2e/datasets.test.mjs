// The dataset registry in a real browser: the datasets page creates a dataset and a
// version (bad input shows the server's message at its field), and an experiment's page
// attaches a version through its form and detaches it, each confirmed through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer } from './support/demo.mjs';
import { openPage, revealCharts, screenshot, signIn } from './support/browser.mjs';

const demo = withDemoServer();

test('the datasets page creates a dataset and a version, and shows refusals at their fields', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Datasets' }).click();
  const street = page.locator('.dataset-card', { hasText: 'street-scenes' });
  await street.locator('.versions-table tbody tr').first().waitFor({ timeout: 15_000 });
  assert.deepEqual(await street.locator('.version-name').allTextContents(), ['eval-2026-11', '2026-11', '2026-10']);
  assert.match(await street.textContent(), /1,850 assets/);

  const form = page.getByRole('form', { name: 'New dataset' });
  await form.getByLabel('Name').fill('street-scenes');
  await form.getByRole('button', { name: 'Create dataset' }).click();
  await form.locator('#dataset-name-error', { hasText: 'a dataset named "street-scenes" exists' }).waitFor();
  assert.equal(await form.getByLabel('Name').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('Name').fill('   ');
  await form.getByRole('button', { name: 'Create dataset' }).click();
  await form.locator('#dataset-name-error', { hasText: 'name must not be empty' }).waitFor();
  assert.equal((await (await demo.server.api('/datasets')).json()).total, 1, 'refusals store nothing');

  await form.getByLabel('Name').fill('lidar-night');
  await form.getByLabel('Description').fill('Night drives with lidar.');
  await form.getByRole('button', { name: 'Create dataset' }).click();
  const lidar = page.locator('.dataset-card', { hasText: 'lidar-night' });
  await lidar.getByText('No versions yet.').waitFor({ timeout: 10_000 });
  assert.equal(await form.getByLabel('Name').inputValue(), '', 'the form is cleared after a success');

  await lidar.getByRole('button', { name: 'Add a version' }).click();
  const versionForm = lidar.getByRole('form', { name: 'New version' });
  await versionForm.getByLabel('Version').fill('v1');
  await versionForm.getByLabel('Assets').fill('many');
  await versionForm.getByRole('button', { name: 'Add version' }).click();
  await versionForm.getByText('asset count must be a whole number, 0 or more').waitFor();
  await versionForm.getByLabel('Assets').fill('640');
  await versionForm.getByLabel('Labels (comma-separated)').fill('car, truck , ');
  await versionForm.getByRole('button', { name: 'Add version' }).click();
  await lidar.locator('.version-name', { hasText: 'v1' }).waitFor({ timeout: 10_000 });
  assert.match(await lidar.locator('.versions-table tbody tr').textContent(), /640 assets.*car, truck/);
  await versionForm.getByLabel('Version').fill('v1');
  await versionForm.getByRole('button', { name: 'Add version' }).click();
  await versionForm.getByText('this dataset already has a version "v1"').waitFor();
  assert.equal(await versionForm.getByLabel('Version').getAttribute('aria-invalid'), 'true');

  const datasets = await (await demo.server.api('/datasets')).json();
  const created = datasets.items.find((d) => d.name === 'lidar-night');
  assert.equal(created.version_count, 1);
  const versions = await (await demo.server.api(`/datasets/${created.id}/versions`)).json();
  assert.deepEqual(versions.items.map((v) => [v.version, v.asset_count, v.labels]), [['v1', 640, ['car', 'truck']]]);
  await screenshot(page, 'datasets-page');
  assert.deepEqual(errors.filter((e) => !/status of (409|422)/.test(e)), []);
});

test('an experiment attaches a dataset version through its form and detaches it', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  await page.goto(`${demo.server.url}/experiments/1`);
  const section = page.locator('section.datasets');
  await section.locator('.attached-datasets li').first().waitFor({ timeout: 15_000 });
  assert.deepEqual(await section.locator('.alias').allTextContents(), ['test', 'training', 'validation']);
  assert.match(await section.locator('li', { hasText: 'training' }).textContent(), /street-scenes · 2026-10/);

  await section.getByRole('button', { name: 'Attach a dataset version' }).click();
  const form = section.getByRole('form', { name: 'Attach a dataset version' });
  await form.getByLabel('Dataset').selectOption({ label: 'street-scenes' });
  await form.locator('#attach-version option', { hasText: '2026-10' }).waitFor({ state: 'attached' });
  await form.getByLabel('Version').selectOption({ label: '2026-10 (1,200 assets)' });
  await form.getByLabel('Alias').fill('training');
  await form.getByRole('button', { name: 'Attach' }).click();
  await form.locator('#attach-alias-error', { hasText: 'already attached as "training"' }).waitFor({ timeout: 10_000 });
  assert.equal(await form.getByLabel('Alias').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('Alias').fill('');
  await form.getByRole('button', { name: 'Attach' }).click();
  await form.locator('#attach-alias-error', { hasText: 'alias must not be empty' }).waitFor({ timeout: 10_000 });
  await screenshot(page, 'attach-form-refused');

  await form.getByLabel('Alias').fill('evaluation');
  await form.getByRole('button', { name: 'Attach' }).click();
  await section.locator('.alias', { hasText: 'evaluation' }).waitFor({ timeout: 10_000 });
  const attached = await (await demo.server.api('/experiments/1/datasets')).json();
  const evaluation = attached.find((a) => a.alias === 'evaluation');
  assert.equal(evaluation.version.version, '2026-10');
  assert.equal(evaluation.version.dataset_name, 'street-scenes');
  await revealCharts(page);
  await screenshot(page, 'attached-datasets');

  page.once('dialog', (dialog) => dialog.dismiss());
  await section.getByRole('button', { name: 'Detach evaluation' }).click();
  await page.waitForTimeout(300);
  assert.equal((await (await demo.server.api('/experiments/1/datasets')).json()).length, 4, 'dismissing keeps it');
  page.once('dialog', (dialog) => dialog.accept());
  await section.getByRole('button', { name: 'Detach evaluation' }).click();
  await section.locator('.alias', { hasText: 'evaluation' }).waitFor({ state: 'detached', timeout: 10_000 });
  const left = await (await demo.server.api('/experiments/1/datasets')).json();
  assert.deepEqual(left.map((a) => a.alias), ['test', 'training', 'validation']);
  assert.deepEqual(errors.filter((e) => !/status of (409|422)/.test(e)), []);
});
