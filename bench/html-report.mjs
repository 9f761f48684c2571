// The browser half of bench/html-report.sh: open REPORT in Debian's
// chromium ROUNDS times and print the median of each measure, in ms.
import { chromium } from '../tests/node_modules/playwright-core/index.mjs';
import { pathToFileURL } from 'node:url';

const [file, rounds = '3'] = process.argv.slice(2);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

// Time from a change to two animation frames later: the change painted.
// The changes are written out here, not passed as code: the report's CSP
// forbids eval in the page.
const painted = (page, change) => page.evaluate(async (c) => {
  const t0 = performance.now();
  if (c.hash !== undefined) {
    location.hash = c.hash;
  } else if (c.search !== undefined) {
    const s = document.getElementById('ma-search');
    s.value = c.search;
    s.dispatchEvent(new Event('input', { bubbles: true }));
  } else if (c.scroll) {
    const l = document.getElementById('ma-list');
    l.scrollTop = l.scrollHeight / 2;
    l.dispatchEvent(new Event('scroll'));
  }
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}, change);

async function round(browser) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  const open = await page.evaluate(() => window.MA_READY_MS ?? performance.now());
  const sev = await painted(page, { hash: '#/?sev=error' });
  const search = await painted(page, { search: 'leaks_1' });
  await painted(page, { hash: '#/' });
  const scroll = await painted(page, { scroll: true });
  const rows = await page.locator('.ma-row').count();
  const t0 = Date.now();
  await page.evaluate(() => { location.hash = '#/finding/5000'; });
  await page.waitForSelector('#ma-finding .ma-step', { timeout: 10000 });
  const finding = Date.now() - t0;
  await page.close();
  if (errors.length)
    throw new Error(`page errors: ${errors.join('; ')}`);
  return { open, sev, search, scroll, finding, rows };
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const runs = [];
for (let i = 0; i < +rounds; i++)
  runs.push(await round(browser));
await browser.close();
const show = (name, key, bar) => {
  const v = median(runs.map((r) => r[key]));
  console.log(`${name.padEnd(34)} ${v.toFixed(0).padStart(10)} ms${bar ? `   (bar: < ${bar} ms)` : ''}`);
};
show('open until interactive', 'open', 2000);
show('filter by severity', 'sev', 100);
show('search', 'search', 100);
show('scroll to the middle', 'scroll', 100);
show('open a finding (source, path)', 'finding');
console.log(`${'rows in the DOM after scrolling'.padEnd(34)} ${String(runs[0].rows).padStart(10)}`);
