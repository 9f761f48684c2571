// The HTML report in a real browser (make test-browser): the demo's report
// (out/demo/report.html, written by make demo-run) and the hostile report
// tests/unit/test_html.c writes (tests/out/html/xss.html).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openReport, shot, shownCount, pageData, top, testOut } from './lib.mjs';

const demo = process.env.MEMAUDIT_DEMO_HTML || join(top, 'out/demo/report.html');
const xss = join(testOut, 'html/xss.html');
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

test('the demo report loads without console errors and counts every finding', async () => {
  const { context, page, problems } = await openReport(browser, demo);
  const data = await pageData(page);
  assert.ok(data.report.findings.length > 0, 'the demo has findings');
  assert.equal(await shownCount(page), data.report.findings.length);
  assert.ok(await page.locator('.ma-row').count() > 0, 'rows are drawn');
  await shot(page, 'list-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('filters change the rows, and the URL reproduces them', async () => {
  const { context, page, problems } = await openReport(browser, demo);
  const data = await pageData(page);
  const errors = data.report.findings.filter((f) => f.severity === 'error').length;
  await page.click('#ma-header a[data-filter-key="sev"][data-filter-value="error"]');
  await page.waitForFunction((n) => parseInt(document.querySelector('#ma-count').textContent, 10) === n, errors);
  for (const sev of await page.$$eval('.ma-row', (rows) => rows.map((r) => r.dataset.index)))
    assert.equal(data.report.findings[+sev].severity, 'error');
  const url = page.url();
  assert.match(url, /sev=error/);
  // the same link in a fresh page gives the same view
  const again = await openReport(browser, demo, { hash: url.slice(url.indexOf('#')) });
  assert.equal(await shownCount(again.page), errors);
  await again.context.close();
  // the search box narrows to findings that mention the word
  await page.goto(url.slice(0, url.indexOf('#')) + '#/');
  await page.waitForSelector('body[data-ready="1"]');
  const word = data.report.findings[0].rule;
  await page.fill('#ma-search', word);
  const want = data.report.findings.filter((f) => JSON.stringify([f.rule, f.message, f.location.file, f.location.function]).includes(word)).length;
  await page.waitForFunction((n) => parseInt(document.querySelector('#ma-count').textContent, 10) === n, want);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a finding opens with its path steps on their lines', async () => {
  const { context, page, problems } = await openReport(browser, demo);
  const data = await pageData(page);
  const k = data.report.findings.findIndex((f) => f.pass === 'static' && f.events.length >= 2 && data.sources[f.location.file]);
  assert.ok(k >= 0, 'the demo has a static finding with a path');
  const f = data.report.findings[k];
  await page.goto(page.url().replace(/#.*$/, '') + `#/finding/${k}`);
  await page.waitForSelector('#ma-finding .ma-line');
  await page.waitForSelector('#ma-finding .ma-step');
  for (let i = 0; i < f.events.length; i++) {
    const e = f.events[i];
    // each step sits on (or right after) the line of its event
    const line = await page.$eval(`#ma-finding .ma-step[data-step="${i + 1}"]`, (el) => {
      const at = el.closest('.ma-line') || el.previousElementSibling;
      return at ? +at.dataset.line : 0;
    });
    assert.equal(line, e.line, `step ${i + 1} on line ${e.line}`);
  }
  assert.equal(await page.$eval('#ma-finding .ma-primary', (el) => +el.dataset.line), f.location.line);
  assert.ok((await page.textContent('#ma-rule-desc')).length > 20, 'the rule is described');
  await shot(page, 'finding-light');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the plots draw one mark per data point', async () => {
  const { context, page, problems } = await openReport(browser, demo, { hash: '#/profiles' });
  const data = await pageData(page);
  const heap = data.report.profiles.heap[0];
  await page.waitForSelector('#ma-plot-heap .ma-heap-point');
  assert.equal(await page.locator('#ma-plot-heap .ma-heap-point').count(), heap.snapshots.length);
  assert.equal(await page.locator('#ma-plot-heap .ma-heap-peak').count(), 1);
  assert.ok(await page.locator('#ma-plot-flame .ma-flame-frame').count() > 3, 'the flame graph has frames');
  const dirs = new Set(data.report.findings.map((f) => f.location.file.replace(/\/[^/]*$/, '')));
  assert.equal(await page.locator('#ma-plot-dirs .ma-dir-bar').count(), Math.min(dirs.size, 20));
  const sites = data.report.profiles.allocations[0].sites.length;
  assert.equal(await page.locator('#ma-plot-alloc tr.ma-alloc-row').count(), sites, 'one DHAT row per site');
  await shot(page, 'profiles-light');
  // the search box highlights the frames of a project function
  const ours = data.report.profiles.costs[0].functions.find((f) => f.in_project).function;
  await page.fill('#ma-plot-flame .ma-flame-search', ours);
  await page.waitForSelector('#ma-plot-flame .ma-flame-match');
  // a click on a frame zooms into it
  await page.locator('#ma-plot-flame .ma-flame-frame').nth(2).click();
  assert.equal(await page.locator('#ma-plot-flame .ma-flame-root').count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('keyboard: j/k move, Enter opens, Esc goes back', async () => {
  const { context, page, problems } = await openReport(browser, demo);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const selected = await page.$eval('.ma-row.ma-selected', (r) => r.dataset.index);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#ma-finding');
  assert.match(page.url(), new RegExp(`#/finding/${selected}$`));
  await page.keyboard.press('Escape');
  await page.waitForSelector('#ma-list .ma-row');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ma-search');
  assert.deepEqual(problems, []);
  await context.close();
});

// Every piece of text in view against the background it is drawn on:
// WCAG AA, 4.5:1 (3:1 for large text).  Returns the failures.
function lowContrast(page) {
  return page.evaluate(() => {
    const rgba = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const ch = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
    };
    const background = (el) => {
      for (; el; el = el.parentElement) {
        const c = rgba(getComputedStyle(el).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.5))
          return c;
      }
      return [255, 255, 255];
    };
    const bad = [];
    for (const el of document.querySelectorAll('#app *')) {
      const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
      const box = el.getBoundingClientRect();
      if (!text || !box.width || box.bottom < 0 || box.top > innerHeight || el.closest('svg'))
        continue;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || +st.opacity < 1)
        continue;
      const fg = lum(rgba(st.color)), bg = lum(background(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      const large = parseFloat(st.fontSize) >= 24 || (parseFloat(st.fontSize) >= 18.6 && +st.fontWeight >= 700);
      if (ratio < (large ? 3 : 4.5))
        bad.push(`${el.tagName.toLowerCase()}.${el.className} "${text.slice(0, 30)}" ${ratio.toFixed(2)}:1`);
    }
    return bad;
  });
}

test('text contrast passes WCAG AA in both themes', async () => {
  for (const dark of [false, true]) {
    for (const hash of ['#/', '#/finding/2', '#/profiles']) {
      const { context, page } = await openReport(browser, demo, { dark, hash });
      await page.waitForTimeout(200);
      assert.deepEqual(await lowContrast(page), [], `${dark ? 'dark' : 'light'} ${hash}`);
      await context.close();
    }
  }
});

test('dark theme and phone width', async () => {
  const dark = await openReport(browser, demo, { dark: true });
  await shot(dark.page, 'list-dark');
  const bg = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 200, `dark background, got ${bg}`);
  assert.deepEqual(dark.problems, []);
  await dark.context.close();
  const phone = await openReport(browser, demo, { width: 390, height: 844 });
  await shot(phone.page, 'list-phone');
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling at phone width (${overflow}px too wide)`);
  await phone.context.close();
});

test('the hostile report runs no script', async (t) => {
  if (!existsSync(xss))
    return t.skip(`${xss} is missing: run the unit tests first`);
  const { context, page, problems, dialogs } = await openReport(browser, xss);
  const injected = await page.evaluate(() => document.querySelectorAll('img, svg[onload], [onerror], [onload]').length);
  assert.equal(injected, 0, 'no element from the data');
  const k = 0;
  await page.goto(page.url().replace(/#.*$/, '') + `#/finding/${k}`);
  await page.waitForSelector('#ma-finding .ma-line');
  const text = await page.textContent('#ma-finding');
  assert.match(text, /<\/script><script>alert\(/, 'the message is shown as text');
  assert.match(text, /onerror=alert\(4\)/, 'the source is shown as text');
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'no alert ran');
  assert.equal(await page.evaluate(() => document.querySelectorAll('img, [onerror], [onload]').length), 0);
  await shot(page, 'xss');
  assert.deepEqual(problems, []);
  await context.close();
});

// A report of fixtures/suppressions/lines.c compared with an empty
// baseline: every finding new, the suppressed ones hidden until asked for.
test('suppressed findings are hidden until asked for, new ones are marked', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { spawnSync } = await import('node:child_process');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'memaudit-browser-'));
  const src = join(top, 'fixtures/suppressions/lines.c');
  writeFileSync(join(dir, 'db.json'), JSON.stringify([{ directory: top, file: src, arguments: ['cc', '-c', src] }]));
  writeFileSync(join(dir, 'base.json'), JSON.stringify({ format: 'memaudit-baseline', version: 1, entries: [] }));
  const memaudit = process.env.MEMAUDIT || join(top, 'build/memaudit');
  const run = spawnSync(memaudit, ['audit', '--compile-db', join(dir, 'db.json'), '--baseline', join(dir, 'base.json'),
    '-q', '--format', 'json,html', '-o', join(dir, 'out'), '--fail-on', 'none'], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const { context, page, problems } = await openReport(browser, join(dir, 'out/report.html'));
  const data = await pageData(page);
  const all = data.report.findings.length;
  const suppressed = data.report.findings.filter((f) => f.suppressed).length;
  assert.ok(suppressed > 0 && suppressed < all, `the fixture has both kinds (${suppressed} of ${all})`);
  assert.equal(await shownCount(page), all - suppressed, 'suppressed findings are not listed at first');
  assert.equal(await page.locator('.ma-row .ma-badge-new').count(), await page.locator('.ma-row').count(), 'each listed finding is new');
  await page.check('#ma-suppressed');
  await page.waitForFunction((n) => parseInt(document.querySelector('#ma-count').textContent, 10) === n, all);
  assert.match(page.url(), /suppressed=1/);
  assert.ok(await page.locator('.ma-row .ma-badge-muted').count() > 0, 'suppressed rows are marked');
  assert.deepEqual(problems, []);
  await context.close();
});
