// The session and the API client: a token refused by any call (a chart's points, a
// form) returns to sign-in and back; lists longer than one server page show every item.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { canvasColours, launchBrowser, openPage, revealCharts, screenshot } from './support/browser.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const json = { 'content-type': 'application/json' };

/** A write token of its own, which the test can revoke while the admin token lives on. */
async function writeToken(server) {
  const answer = await server.api('/tokens', { method: 'POST', headers: json, body: JSON.stringify({ name: 'reviewer', scope: 'write' }) });
  assert.equal(answer.status, 201);
  const created = await answer.json();
  return { id: created.token.id, secret: created.secret };
}

async function revoke(server, token) {
  assert.equal((await server.api(`/tokens/${token.id}`, { method: 'DELETE' })).status, 200);
}

/** Waits for the sign-in page that a refused token leads to, coming back to `back`. */
async function expectSignInAgain(page, back) {
  await page.waitForURL((url) => url.pathname === '/sign-in'
    && url.searchParams.get('expired') === '1' && url.searchParams.get('next') === back, { timeout: 15_000 });
  await page.getByText('The server refused the stored token').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('trackboard.token')), null, 'the refused token is forgotten');
}

/**
 * Counts the page's API requests in flight, so that a test can wait until every
 * section has its answer: a section still loading when a token is revoked would meet
 * the refusal before the call the test is about.
 */
function trackApiRequests(page) {
  let inFlight = 0;
  const isApi = (request) => request.url().includes('/api/');
  page.on('request', (request) => { if (isApi(request)) inFlight += 1; });
  for (const event of ['requestfinished', 'requestfailed']) {
    page.on(event, (request) => { if (isApi(request)) inFlight -= 1; });
  }
  return {
    /** Resolves once no API request has been in flight for `quietMs`. */
    async settled(quietMs = 300) {
      let quietSince = Date.now();
      while (Date.now() - quietSince < quietMs) {
        if (inFlight > 0) quietSince = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

async function signInOnPage(page, token) {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a token revoked while a chart is open returns to sign-in, then back to the chart', async () => {
  const server = await startServer();
  try {
    const project = await (await server.api('/projects', { method: 'POST', headers: json, body: JSON.stringify({ name: 'expiry' }) })).json();
    const experiment = await (await server.api(`/projects/${project.id}/experiments`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'run' }) })).json();
    const loss = Array.from({ length: 500 }, (_, step) => Math.exp(-step / 80));
    await server.api(`/experiments/${experiment.id}/logs`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'loss', type: 'LINE', data: loss }) });
    const token = await writeToken(server);

    const { page } = await openPage(browser);
    const requests = trackApiRequests(page);
    await page.goto(`${server.url}/experiments/${experiment.id}#token=${token.secret}`);
    const chart = page.locator('figure.line-chart', { hasText: 'loss' });
    await chart.waitFor({ timeout: 15_000 });
    await revealCharts(page);
    assert.ok((await canvasColours(chart.locator('canvas'))) > 4, 'the chart is painted before the revocation');
    // The sections below the charts are built after the charts have drawn: their
    // requests must be answered before the revocation, or one of them meets it first.
    await page.locator('section.export').waitFor({ timeout: 15_000 });
    await requests.settled();

    await revoke(server, token);
    // A narrower window makes the chart ask for points at its new width: the first call
    // that meets the revoked token is the chart's.
    const refused = page.waitForResponse((response) => response.url().includes('/line-comparisons') && response.status() === 401);
    await page.setViewportSize({ width: 900, height: 720 });
    await refused;
    await expectSignInAgain(page, `/experiments/${experiment.id}`);
    await screenshot(page, 'session-expired-chart');

    await signInOnPage(page, server.token);
    await page.waitForURL(`${server.url}/experiments/${experiment.id}`, { timeout: 15_000 });
    await chart.waitFor({ timeout: 15_000 });
    await revealCharts(page);
    assert.ok((await canvasColours(chart.locator('canvas'))) > 4, 'the chart is painted again after signing in');
  } finally {
    await server.stop();
  }
});

test('a token revoked before a form is sent returns to sign-in and stores nothing', async () => {
  const server = await startServer();
  try {
    const token = await writeToken(server);
    const { page } = await openPage(browser);
    await page.goto(`${server.url}/datasets#token=${token.secret}`);
    const form = page.getByRole('form', { name: 'New dataset' });
    await form.waitFor({ timeout: 15_000 });
    await page.locator('.empty-state').waitFor({ timeout: 15_000 });
    await revoke(server, token);
    await form.getByLabel('Name').fill('never-stored');
    await form.getByRole('button', { name: 'Create dataset' }).click();
    await expectSignInAgain(page, '/datasets');
    const datasets = await (await server.api('/datasets')).json();
    assert.equal(datasets.total, 0);
  } finally {
    await server.stop();
  }
});

test('150 projects, more than one page of the API, are all listed', async () => {
  const server = await startServer();
  try {
    const names = Array.from({ length: 150 }, (_, index) => `project ${String(index).padStart(3, '0')}`);
    for (const name of names) {
      const created = await server.api('/projects', { method: 'POST', headers: json, body: JSON.stringify({ name }) });
      assert.equal(created.status, 201);
    }
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.locator('.list-summary').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.list-summary').textContent(), '150 projects');
    assert.deepEqual(await page.locator('tbody .project-name').allTextContents(), names);
    assert.deepEqual(errors, []);
  } finally {
    await server.stop();
  }
});
