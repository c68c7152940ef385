// A run logged by MLflow's own client (mlflow-skinny, unchanged) appears in the
// dashboard like anything logged natively: the link MLflow prints opens its page, and
// its metric is a painted line chart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startServer, repoRoot } from './support/server.mjs';
import { canvasColours, launchBrowser, openPage, revealCharts, screenshot, signIn } from './support/browser.mjs';

const context = {};
before(async () => {
  context.browser = await launchBrowser();
  context.server = await startServer();
});
after(async () => {
  await context.server?.stop();
  await context.browser?.close();
});

const SCRIPT = `
import math, mlflow
mlflow.set_experiment("mlflow-e2e")
with mlflow.start_run(run_name="logged-by-mlflow") as run:
    mlflow.log_param("lr", "0.01")
    for step in range(300):
        mlflow.log_metric("loss", math.exp(-step / 60) + 0.05 * math.sin(step / 5), step=step)
print(run.info.experiment_id, run.info.run_id)
`;

test("MLflow's printed run link opens the run, and its metric is drawn", async () => {
  const { server, browser } = context;
  const python = path.join(repoRoot, '.tools/mlflow-venv/bin/python');
  const logged = spawnSync(python, ['-c', SCRIPT], {
    env: { ...process.env, MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: server.token },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(logged.status, 0, logged.stderr);
  const [experimentId, runId] = logged.stdout.trim().split(/\s+/).slice(-2);
  assert.match(runId, /^[0-9a-f]{32}$/);

  const { page, errors } = await openPage(browser);
  await signIn(page, server);
  // As from a terminal: the printed link is a fresh load of the page, not a hash change.
  await page.goto('about:blank');
  await page.goto(`${server.url}/#/experiments/${experimentId}/runs/${runId}`);
  await page.waitForURL(new RegExp(`/experiments/${parseInt(runId, 16)}$`), { timeout: 15_000 });
  await page.locator('h1', { hasText: 'logged-by-mlflow' }).waitFor({ timeout: 15_000 });
  const chart = page.locator('figure.line-chart', { hasText: 'loss' });
  await chart.locator('.chart-legend li', { hasText: 'loss' }).waitFor({ timeout: 15_000 });
  await revealCharts(page);
  await page.waitForTimeout(200);
  assert.ok((await canvasColours(chart.locator('canvas'))) > 4, 'the loss chart is painted, not blank');
  assert.match(await page.locator('table.log-table', { hasText: 'parameters' }).textContent(), /lr.*0\.01/s);
  await screenshot(page, 'mlflow-run');
  assert.deepEqual(errors, []);
});
