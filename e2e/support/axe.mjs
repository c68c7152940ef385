// axe-core (npm) run inside a page: WCAG 2.1 A and AA rules. Loaded through the
// debugging protocol, so the page's own Content-Security-Policy stays as it is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The violations of WCAG 2.1 A/AA on the page as it is now, in words. */
export async function accessibilityViolations(page) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary.split('\n').slice(1).join(' ')}`),
    }));
  });
  return violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id} (${violation.help}) at ${node}`));
}
