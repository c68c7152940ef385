import assert from 'node:assert/strict';
// Debian's headless Chromium through playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './server.mjs';

export const screenshotDir = path.join(repoRoot, 'e2e/output');

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * A page in a new browser context already signed in with `token` (put in localStorage
 * before any script runs), so nothing loads before the first navigation: a cold visit
 * when `browser` is new.
 */
export async function signedInPage(browser, token, viewport = { width: 1280, height: 4000 }) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript((secret) => localStorage.setItem('trackboard.token', secret), token);
  return context.newPage();
}

/** A new page that records uncaught errors and failed-to-load console errors. */
export async function openPage(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { page, errors };
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Opens the server's sign-in link and waits until the dashboard has stored the token. */
export async function signIn(page, server) {
  await page.goto(server.signInUrl);
  await page.waitForFunction((token) => localStorage.getItem('trackboard.token') === token, server.token);
}

/** A screenshot of one element (a chart) into e2e/output/. */
export async function screenshotOf(locator, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await locator.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

/**
 * Scrolls every chart into view in turn (charts are drawn only once on screen), then
 * back to the top, and waits until every canvas is sized to its box.
 */
export async function revealCharts(page) {
  const charts = page.locator('figure.chart');
  const count = await charts.count();
  for (let index = 0; index < count; index += 1) {
    await charts.nth(index).scrollIntoViewIfNeeded();
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => [...document.querySelectorAll('figure.chart canvas')]
    .every((canvas) => canvas.clientWidth > 0 && canvas.width === Math.round(canvas.clientWidth * devicePixelRatio)));
}

/** How many distinct colours a canvas holds: a blank or single-colour canvas has 1. */
export async function canvasColours(locator) {
  return locator.evaluate((canvas) => {
    const context = canvas.getContext('2d');
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 16) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return seen.size;
  });
}

/**
 * Waits until `locator`'s texts are `expected` (a re-render after a click lands a few
 * microtasks later), then asserts them, so a wrong order fails with both lists shown.
 */
export async function expectTexts(locator, expected, timeout = 5_000) {
  const deadline = Date.now() + timeout;
  let texts = await locator.allTextContents();
  while (JSON.stringify(texts) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    texts = await locator.allTextContents();
  }
  assert.deepEqual(texts, expected);
}
