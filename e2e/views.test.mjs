// Saved views: a comparison saved under a name opens again from its short link exactly
// as it was, the project lists it with who saved it, renames and deletes it; refusals
// (an empty name, a read token) show and store nothing; a view whose experiment was
// deleted says which is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer } from './support/demo.mjs';
import { accessibilityViolations } from './support/axe.mjs';
import { openPage, screenshot, signIn } from './support/browser.mjs';

const demo = withDemoServer();

async function api(route, body, method = 'POST') {
  const answer = await demo.server.api(route, {
    method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body),
  });
  if (!answer.ok) assert.fail(`${method} ${route}: ${answer.status} ${await answer.text()}`);
  return answer.status === 204 ? null : answer.json();
}

async function demoProject() {
  const projects = await (await demo.server.api('/projects')).json();
  const project = projects.items[0];
  const experiments = await (await demo.server.api(`/projects/${project.id}/experiments?order_by=created`)).json();
  return { project, ids: experiments.items.map((experiment) => experiment.id) };
}

test('a comparison is saved, listed, opened from its link as it was, renamed and deleted', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const { project, ids } = await demoProject();
  const compare = `/compare?ids=${ids[1]},${ids[0]}&log=loss&smooth=0.6&diff=1`;
  await page.goto(`${demo.server.url}${compare}`);
  const form = page.getByRole('form', { name: 'Save this view' });
  await form.waitFor({ timeout: 15_000 });

  // An empty name is refused at its field, and nothing is saved.
  await form.getByRole('button', { name: 'Save view' }).click();
  await form.locator('.field-error', { hasText: /name/ }).waitFor();
  assert.equal((await api(`/projects/${project.id}/views`, undefined, 'GET')).total, 0);

  await form.getByLabel('Save view as').fill('Loss review');
  await form.getByRole('button', { name: 'Save view' }).click();
  const link = form.locator('.saved-view-link a');
  await link.waitFor();
  const short = await link.getAttribute('href');
  assert.match(short, /^\/v\/[a-z0-9]{10}$/);
  const stored = await api(`/views/${short.slice(3)}`, undefined, 'GET');
  assert.equal(stored.path, compare);
  assert.equal(stored.name, 'Loss review');

  // The short link opens the same view: the same address, so the same state.
  await page.goto(`${demo.server.url}${short}`);
  await page.waitForURL(`${demo.server.url}${compare}`, { timeout: 15_000 });
  assert.equal(await page.getByLabel('Only differences').isChecked(), true);

  // The project lists it with who saved it; rename and delete from there.
  await page.goto(`${demo.server.url}/projects/${project.id}`);
  const list = page.getByRole('region', { name: 'Saved views' });
  const item = list.locator('li.saved-view', { hasText: 'Loss review' });
  await item.waitFor({ timeout: 15_000 });
  assert.match(await item.textContent(), /saved by first admin/);
  await screenshot(page, 'saved-views-list');
  assert.deepEqual(await accessibilityViolations(page), []);
  await item.getByRole('button', { name: 'Rename Loss review' }).click();
  await list.getByLabel('New name').fill('Loss review, final');
  await list.getByRole('button', { name: 'Save name' }).click();
  await list.locator('a.saved-view-name', { hasText: 'Loss review, final' }).waitFor();
  assert.equal((await api(`/views/${stored.id}`, undefined, 'GET')).name, 'Loss review, final');
  page.once('dialog', (dialog) => dialog.accept());
  await list.getByRole('button', { name: 'Delete Loss review, final' }).click();
  await list.locator('.empty-note').waitFor();
  assert.equal((await demo.server.api(`/views/${stored.id}`)).status, 404);
  // The empty name's refusal is the one failed request.
  assert.deepEqual(errors.filter((e) => !e.includes('status of 422')), []);
});

test('a read token opens views but cannot save one; the refusal shows', async () => {
  const { page } = await openPage(demo.browser);
  const { project, ids } = await demoProject();
  const reader = await api('/tokens', { name: 'reviewer', scope: 'read' });
  const saved = await api(`/projects/${project.id}/views`, { name: 'Shared', path: `/projects/${project.id}?sort=name` });
  await page.goto(`${demo.server.url}/#token=${reader.secret}`);
  await page.waitForFunction((secret) => localStorage.getItem('trackboard.token') === secret, reader.secret);
  await page.goto(`${demo.server.url}/v/${saved.id}`);
  await page.waitForURL(`${demo.server.url}/projects/${project.id}?sort=name`, { timeout: 15_000 });
  await page.goto(`${demo.server.url}/compare?ids=${ids[0]},${ids[1]}`);
  const form = page.getByRole('form', { name: 'Save this view' });
  await form.getByLabel('Save view as').fill('Not allowed');
  await form.getByRole('button', { name: 'Save view' }).click();
  await form.locator('.field-error', { hasText: /scope/ }).waitFor({ timeout: 15_000 });
  const views = await api(`/projects/${project.id}/views`, undefined, 'GET');
  assert.deepEqual(views.items.map((view) => view.name), ['Shared']);
  await api(`/views/${saved.id}`, undefined, 'DELETE');
});

test('a saved comparison whose experiment was deleted says which is gone and offers the rest', async () => {
  const { page, errors } = await openPage(demo.browser);
  await signIn(page, demo.server);
  const project = await api('/projects', { name: 'views-with-deletions' });
  const made = [];
  for (const name of ['kept-a', 'kept-b', 'deleted']) made.push((await api(`/projects/${project.id}/experiments`, { name })).id);
  const view = await api(`/projects/${project.id}/views`, { name: 'Three runs', path: `/compare?ids=${made.join(',')}&diff=1` });
  await api(`/experiments/${made[2]}`, undefined, 'DELETE');
  await page.goto(`${demo.server.url}/v/${view.id}`);
  const notice = page.getByRole('alert').filter({ hasText: 'deleted' });
  await notice.waitFor({ timeout: 15_000 });
  assert.match(await notice.textContent(), new RegExp(`experiment ${made[2]}\\.`));
  await screenshot(page, 'saved-view-incomplete');
  await notice.getByRole('link', { name: 'Open it with the 2 that remain' }).click();
  await page.waitForURL(`${demo.server.url}/compare?ids=${made[0]},${made[1]}&diff=1`);
  assert.deepEqual(errors.filter((e) => !e.includes('404') && !e.includes('422')), []);
});
