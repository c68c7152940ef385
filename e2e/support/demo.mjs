// One browser and one demo server for a whole test file, started before its first test
// and stopped after its last.
import { before, after } from 'node:test';
import { startServer } from './server.mjs';
import { launchBrowser } from './browser.mjs';

/** @returns {{browser: import('playwright-core').Browser, server: Awaited<ReturnType<typeof startServer>>}} */
export function withDemoServer() {
  const context = {};
  before(async () => {
    context.browser = await launchBrowser();
    context.server = await startServer({ demo: true });
  });
  after(async () => {
    await context.server?.stop();
    await context.browser?.close();
  });
  return context;
}
