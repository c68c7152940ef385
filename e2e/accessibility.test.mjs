// Every page of the demo, light and dark, checked with axe-core's WCAG 2.1 A/AA rules
// after its data has loaded: no violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer } from './support/demo.mjs';
import { accessibilityViolations } from './support/axe.mjs';
import { openPage, revealCharts, signIn } from './support/browser.mjs';

const demo = withDemoServer();

/** The demo's pages, each with what shows that its data has loaded. */
async function pages() {
  const projects = await (await demo.server.api('/projects')).json();
  const project = projects.items[0];
  const experiments = await (await demo.server.api(`/projects/${project.id}/experiments?order_by=created`)).json();
  const [first, second] = experiments.items;
  const models = await (await demo.server.api('/models')).json();
  return [
    ['/', '.project-name'],
    [`/projects/${project.id}`, '.experiments-table tbody tr'],
    [`/experiments/${second.id}`, 'figure.heatmap-chart'],
    [`/experiments/${second.id}/evaluation?type=object_detection`, '.asset-tile'],
    [`/compare?ids=${first.id},${second.id}`, 'figure.image-steps'],
    ['/datasets', 'h1'],
    ['/models', 'h1'],
    [`/models/${models.items[0].id}`, 'h1'],
  ];
}

for (const scheme of ['light', 'dark']) {
  test(`every page passes WCAG 2.1 A/AA in the ${scheme} theme`, async () => {
    const { page, errors } = await openPage(demo.browser);
    await page.emulateMedia({ colorScheme: scheme });
    await signIn(page, demo.server);
    const found = [];
    for (const [path, loaded] of await pages()) {
      await page.goto(`${demo.server.url}${path}`);
      await page.locator(loaded).first().waitFor({ timeout: 15_000 });
      // The project page's sweep views (parallel coordinates, scatter, grouped lines)
      // open, so their controls are checked too.
      await page.$$eval('details.sweep-view', (views) => views.forEach((view) => { view.open = true; }));
      await revealCharts(page);
      await page.waitForTimeout(300);
      for (const violation of await accessibilityViolations(page)) found.push(`${path}: ${violation}`);
    }
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });
}
