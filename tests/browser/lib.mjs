// Shared by the browser tests: Debian's chromium driven by playwright-core
// (tests/node_modules), a page per report with its console errors, page
// errors and dialogs recorded, and screenshots under tests/out/browser/.
import { chromium } from '../node_modules/playwright-core/index.mjs';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const top = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const testOut = process.env.MEMAUDIT_TEST_OUT || join(top, 'tests/out');
export const shotDir = join(testOut, 'browser');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // root in a container has no user namespaces for chromium's sandbox
    args: ['--no-sandbox'],
  });
}

// A page with `file` open (plus an optional #hash), ready when the app says so.
export async function openReport(browser, file, { hash = '', width = 1366, height = 800, dark = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: dark ? 'dark' : 'light' });
  const page = await context.newPage();
  const problems = [];
  const dialogs = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.goto(pathToFileURL(file).href + hash);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
  return { context, page, problems, dialogs };
}

export async function shot(page, name) {
  mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: false });
}

// The number at the start of #ma-count ("37 findings").
export async function shownCount(page) {
  const text = await page.textContent('#ma-count');
  return parseInt(text, 10);
}

// The data block, parsed, as the page's scripts see it.
export async function pageData(page) {
  return page.evaluate(() => JSON.parse(document.getElementById('ma-data').textContent));
}
