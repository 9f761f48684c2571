/*
 * memaudit HTML report: the application (findings list, finding page, profiles view).
 *
 * It reads the data html.c embeds in <script type="application/json" id="ma-data"> and renders everything with
 * createElement + textContent. The page runs under a strict CSP (no inline handlers, no eval, no HTML strings),
 * and every string in the data (paths, messages, function names, source text) is treated as hostile: it only ever
 * reaches the DOM as a text node or an attribute value, never as markup.
 *
 * State lives in location.hash (#/?sev=..., #/finding/K, #/profiles) so a link reproduces the view.
 * Filter changes render synchronously and then record the hash with pushState (search typing: replaceState);
 * back/forward arrive as popstate/hashchange and are routed from the hash.
 */
(function () {
  'use strict';

  const SEVERITIES = ['error', 'warning', 'note'];
  const SEV_LABEL = { error: 'Error', warning: 'Warning', note: 'Note' };
  const LIST_KEYS = ['sev', 'rule', 'cwe', 'pass'];
  const SORT_KEYS = ['severity', 'rule', 'file', 'function', 'message', 'pass'];
  const OVERSCAN = 8;               // rows rendered above and below the viewport
  const CONTEXT_UNKNOWN = 15;       // lines around a finding when its function's extent is unknown
  const CONTEXT_KNOWN = 3;          // lines around the first/last interesting line otherwise
  const MAX_FUNCTION_LINES = 160;   // a longer function is shown as context windows, not in full
  const SVG_NS = 'http://www.w3.org/2000/svg';

  /* ------------------------------------------------------------------ DOM helpers */

  /** h('div#id.a.b', {attr: value, onclick: fn}, ...children): an element; strings become text nodes. */
  function h(tag, attrs, ...children) {
    const parts = tag.split('.');
    const [name, id] = parts[0].split('#');
    const node = document.createElement(name || 'div');
    if (id) node.id = id;
    if (parts.length > 1) node.className = parts.slice(1).join(' ');
    if (attrs) setAttrs(node, attrs);
    appendAll(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const key of Object.keys(attrs)) {
      const value = attrs[key];
      if (value == null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
  }

  function appendAll(node, children) {
    for (const child of children) {
      if (child == null || child === false) continue;
      if (Array.isArray(child)) appendAll(node, child);
      else node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function str(v) {
    return typeof v === 'string' ? v : v == null ? '' : String(v);
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  /** Severity icons drawn as SVG (shape + mark), so severity never depends on colour alone. */
  const ICON_PATHS = {
    error: ['M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1z', 'M5.6 5.6l4.8 4.8m0-4.8l-4.8 4.8'],
    warning: ['M8 1.2l7.2 13.3H.8z', 'M8 6v4.2M8 12.1v.2'],
    note: ['M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1z', 'M8 7.2v4.6M8 4.6v.2'],
    ok: ['M8 1a7 7 0 1 1 0 14A7 7 0 0 1 8 1z', 'M4.8 8.2l2.2 2.2 4.2-4.4'],
  };
  const iconCache = {};

  function icon(kind) {
    if (!iconCache[kind]) {
      const svg = document.createElementNS(SVG_NS, 'svg');
      svg.setAttribute('viewBox', '0 0 16 16');
      svg.setAttribute('class', 'ma-ico ma-ico-' + kind);
      svg.setAttribute('aria-hidden', 'true');
      svg.setAttribute('focusable', 'false');
      const [shape, mark] = ICON_PATHS[kind] || ICON_PATHS.note;
      for (const [d, cls] of [[shape, 'ma-ico-shape'], [mark, 'ma-ico-mark']]) {
        const path = document.createElementNS(SVG_NS, 'path');
        path.setAttribute('d', d);
        path.setAttribute('class', cls);
        svg.appendChild(path);
      }
      iconCache[kind] = svg;
    }
    return iconCache[kind].cloneNode(true);
  }

  function sevKind(sev) {
    return SEV_LABEL[sev] ? sev : 'note';
  }

  function sevBadge(sev) {
    const kind = sevKind(sev);
    return h('span.ma-sev.ma-sev-' + kind, null, icon(kind), h('span.ma-sev-label', { text: SEV_LABEL[kind] }));
  }

  /** Suppressed by a memaudit-ignore comment or the configuration: shown muted, with the reason. */
  function suppressedBadge(s) {
    return h('span.ma-badge.ma-badge-muted', { title: 'Suppressed (' + s.kind + '): ' + s.reason }, 'Suppressed');
  }

  /** Not in the baseline the run was compared with. */
  function newBadge() {
    return h('span.ma-badge.ma-badge-new', { title: 'Not in the baseline: new in this run' }, 'New');
  }

  function confirmedBadge(by) {
    return h('span.ma-badge.ma-badge-ok', { title: by ? 'A dynamic pass (' + by + ') reported it at run time' : 'Confirmed at run time' },
      icon('ok'), by ? 'Confirmed by ' + by : 'Confirmed');
  }

  /* ------------------------------------------------------------------ the data */

  function readData() {
    const node = document.getElementById('ma-data');
    try {
      const data = JSON.parse(node ? node.textContent : '');
      return data && typeof data === 'object' ? data : null;
    } catch (e) {
      return null;
    }
  }

  const DATA = readData() || {};
  const REPORT = DATA.report && typeof DATA.report === 'object' ? DATA.report : {};
  const RUN = REPORT.run && typeof REPORT.run === 'object' ? REPORT.run : {};
  const RULES = DATA.rules && typeof DATA.rules === 'object' ? DATA.rules : {};
  const SOURCES = DATA.sources && typeof DATA.sources === 'object' ? DATA.sources : {};
  const META = DATA.meta && typeof DATA.meta === 'object' ? DATA.meta : {};
  const PROFILES = REPORT.profiles && typeof REPORT.profiles === 'object' ? REPORT.profiles : {};
  const FINDINGS = (Array.isArray(REPORT.findings) ? REPORT.findings : []).map(normaliseFinding);

  /** A finding with every field the app reads present and of the expected type (unknown fields are kept, ignored). */
  function normaliseFinding(raw) {
    const f = raw && typeof raw === 'object' ? raw : {};
    return {
      rule: str(f.rule) || 'unknown',
      title: str(f.title),
      severity: sevKind(str(f.severity)),
      cwe: Number.isFinite(f.cwe) ? f.cwe : 0,
      message: str(f.message),
      location: normaliseLocation(f.location),
      events: (Array.isArray(f.events) ? f.events : []).map(e => Object.assign(normaliseLocation(e), { message: str(e && e.message) })),
      pass: str(f.pass) || 'static',
      alsoBy: str(f.also_by).split(',').map(s => s.trim()).filter(Boolean),
      confirmed: f.confirmed === true,
      confirmedBy: str(f.confirmed_by),
      fingerprint: str(f.fingerprint),
      occurrence: Number.isFinite(f.occurrence) ? f.occurrence : 0,
      count: Number.isFinite(f.count) ? f.count : 1,
      baseline: typeof f.baseline_state === 'string' ? f.baseline_state : null,
      suppressed: f.suppressed && typeof f.suppressed === 'object'
        ? { kind: str(f.suppressed.kind) || 'inline', reason: str(f.suppressed.reason) } : null,
    };
  }

  function normaliseLocation(raw) {
    const l = raw && typeof raw === 'object' ? raw : {};
    return {
      file: str(l.file),
      line: Number.isFinite(l.line) ? l.line : 0,
      column: Number.isFinite(l.column) ? l.column : 0,
      function: str(l.function),
    };
  }

  function locationText(loc) {
    if (!loc.file) return '<unknown>';
    return loc.file + (loc.line ? ':' + loc.line + (loc.column ? ':' + loc.column : '') : '');
  }

  function ruleTitle(f) {
    const r = RULES[f.rule];
    return str(r && r.title) || f.title || f.rule;
  }

  /* ------------------------------------------------------------------ the index: plain arrays built once */

  /** Interns values to small integers so filters test a mask instead of comparing strings. */
  function interner() {
    const ids = new Map();
    const values = [];
    return {
      values,
      id(v) {
        let id = ids.get(v);
        if (id === undefined) { id = values.length; ids.set(v, id); values.push(v); }
        return id;
      },
      lookup(v) { return ids.get(v); },
    };
  }

  function buildIndex(findings) {
    const n = findings.length;
    const rules = interner(), passes = interner(), files = interner(), cwes = interner();
    const ix = {
      n, rules, passes, files, cwes,
      sev: new Uint8Array(n), rule: new Int32Array(n), cwe: new Int32Array(n), file: new Int32Array(n),
      line: new Int32Array(n), passBits: new Uint32Array(n), confirmed: new Uint8Array(n), isNew: new Uint8Array(n),
      suppressed: new Uint8Array(n), nrSuppressed: 0,
      hay: new Array(n), funcKey: new Array(n), msgKey: new Array(n), passKey: new Array(n),
      hasBaseline: false, sorted: new Map(),
    };
    for (let i = 0; i < n; i++) {
      const f = findings[i];
      ix.sev[i] = SEVERITIES.indexOf(f.severity);
      ix.rule[i] = rules.id(f.rule);
      ix.cwe[i] = cwes.id(f.cwe);
      ix.file[i] = files.id(f.location.file);
      ix.line[i] = f.location.line;
      // a finding counts for every pass that saw it: the reporting one, also_by and the one that confirmed it
      let bits = 1 << Math.min(31, passes.id(f.pass));
      for (const p of f.alsoBy) bits |= 1 << Math.min(31, passes.id(p));
      if (f.confirmedBy) bits |= 1 << Math.min(31, passes.id(f.confirmedBy));
      ix.passBits[i] = bits >>> 0;
      ix.confirmed[i] = f.confirmed ? 1 : 0;
      if (f.baseline !== null) ix.hasBaseline = true;
      ix.isNew[i] = f.baseline === 'new' ? 1 : 0;
      ix.suppressed[i] = f.suppressed ? 1 : 0;
      ix.nrSuppressed += ix.suppressed[i];
      ix.funcKey[i] = f.location.function.toLowerCase();
      ix.msgKey[i] = f.message.toLowerCase();
      ix.passKey[i] = f.pass;
      ix.hay[i] = (f.message + '\n' + f.location.file + '\n' + f.location.function + '\n' + f.rule).toLowerCase();
    }
    return ix;
  }

  const IX = buildIndex(FINDINGS);

  /** Counts for the header and the facets: by severity, rule, pass (every pass that saw it) and CWE. */
  function countFacets() {
    const c = { sev: new Map(), rule: new Map(), pass: new Map(), cwe: new Map() };
    const bump = (m, k) => m.set(k, (m.get(k) || 0) + 1);
    for (const f of FINDINGS) {
      bump(c.sev, f.severity);
      bump(c.rule, f.rule);
      for (const p of new Set([f.pass, ...f.alsoBy, f.confirmedBy].filter(Boolean))) bump(c.pass, p);
      if (f.cwe > 0) bump(c.cwe, String(f.cwe));
    }
    const byCount = m => new Map([...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
    c.rule = byCount(c.rule);
    c.pass = byCount(c.pass);
    c.cwe = byCount(c.cwe);
    return c;
  }

  const COUNTS = countFacets();

  /* ------------------------------------------------------------------ sorting (orders cached per key and direction) */

  function compareBy(key) {
    const cmpStr = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const files = IX.files.values, rules = IX.rules.values;
    switch (key) {
      case 'severity': return (a, b) => IX.sev[a] - IX.sev[b];
      case 'rule': return (a, b) => cmpStr(rules[IX.rule[a]], rules[IX.rule[b]]);
      case 'file': return (a, b) => cmpStr(files[IX.file[a]], files[IX.file[b]]) || IX.line[a] - IX.line[b];
      case 'function': return (a, b) => cmpStr(IX.funcKey[a], IX.funcKey[b]);
      case 'message': return (a, b) => cmpStr(IX.msgKey[a], IX.msgKey[b]);
      case 'pass': return (a, b) => cmpStr(IX.passKey[a], IX.passKey[b]);
      default: return () => 0;
    }
  }

  /** The finding indices in the order of one column; ties keep the report's order (confirmed first, file, line). */
  function sortedOrder(key, dir) {
    const cacheKey = (key || '') + ':' + dir;
    let order = IX.sorted.get(cacheKey);
    if (!order) {
      const all = Array.from({ length: IX.n }, (_, i) => i);
      if (SORT_KEYS.includes(key)) {
        const cmp = compareBy(key);
        const sign = dir === 'desc' ? -1 : 1;
        all.sort((a, b) => sign * cmp(a, b) || a - b);
      } else if (dir === 'desc') {
        all.reverse();
      }
      order = Int32Array.from(all);
      IX.sorted.set(cacheKey, order);
    }
    return order;
  }

  /* ------------------------------------------------------------------ filters */

  function emptyFilters() {
    return { sev: [], rule: [], cwe: [], pass: [], file: '', confirmed: false, isNew: false, suppressed: false, q: '', sort: '', dir: 'asc' };
  }

  function hasActiveFilters(f) {
    return LIST_KEYS.some(k => f[k].length) || f.file || f.confirmed || f.isNew || f.suppressed || f.q.trim();
  }

  function maskFor(intern, wanted) {
    const mask = new Uint8Array(intern.values.length);
    for (const w of wanted) {
      const id = intern.lookup(w);
      if (id !== undefined) mask[id] = 1;
    }
    return mask;
  }

  /** Which interned files a file/directory prefix selects: a whole path segment prefix when one matches, else plain text. */
  function fileMask(prefix) {
    const files = IX.files.values;
    const mask = new Uint8Array(files.length);
    const p = prefix.replace(/\/+$/, '');
    let any = false;
    files.forEach((file, id) => {
      if (file === p || file.startsWith(p + '/')) { mask[id] = 1; any = true; }
    });
    if (!any) files.forEach((file, id) => { if (file.startsWith(prefix)) mask[id] = 1; });
    return mask;
  }

  /** The predicate for one set of filters, over the index's arrays only. */
  function compileFilter(f) {
    const sevMask = f.sev.length ? SEVERITIES.map(s => f.sev.includes(s)) : null;
    const ruleMask = f.rule.length ? maskFor(IX.rules, f.rule) : null;
    const cweMask = f.cwe.length ? maskFor(IX.cwes, f.cwe.map(Number)) : null;
    let passMask = 0;
    for (const p of f.pass) {
      const id = IX.passes.lookup(p);
      if (id !== undefined) passMask |= 1 << Math.min(31, id);
    }
    const files = f.file ? fileMask(f.file) : null;
    const terms = f.q.toLowerCase().split(/\s+/).filter(Boolean);
    const passOn = f.pass.length > 0;
    return i => {
      if (sevMask && !sevMask[IX.sev[i]]) return false;
      if (ruleMask && !ruleMask[IX.rule[i]]) return false;
      if (cweMask && !cweMask[IX.cwe[i]]) return false;
      if (passOn && !(IX.passBits[i] & passMask)) return false;
      if (files && !files[IX.file[i]]) return false;
      if (f.confirmed && !IX.confirmed[i]) return false;
      if (f.isNew && !IX.isNew[i]) return false;
      // suppressed findings are listed only on request, as in the text report
      if (!f.suppressed && IX.suppressed[i]) return false;
      for (const t of terms) if (!IX.hay[i].includes(t)) return false;
      return true;
    };
  }

  function applyFilters(f) {
    const order = sortedOrder(f.sort, f.dir);
    const keep = compileFilter(f);
    const out = new Int32Array(order.length);
    let m = 0;
    for (let k = 0; k < order.length; k++) if (keep(order[k])) out[m++] = order[k];
    return out.subarray(0, m);
  }

  /* ------------------------------------------------------------------ the hash */

  function enc(v) {
    return encodeURIComponent(v).replace(/%2F/gi, '/');
  }

  function dec(v) {
    try { return decodeURIComponent(v.replace(/\+/g, ' ')); } catch (e) { return v; }
  }

  function parseQuery(query) {
    const f = emptyFilters();
    for (const pair of query.split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const raw = eq < 0 ? '' : pair.slice(eq + 1);
      if (LIST_KEYS.includes(key)) f[key] = raw.split(',').map(dec).filter(Boolean);
      else if (key === 'file') f.file = dec(raw);
      else if (key === 'q') f.q = dec(raw);
      else if (key === 'confirmed') f.confirmed = raw === '1' || raw === 'true';
      else if (key === 'new') f.isNew = raw === '1' || raw === 'true';
      else if (key === 'suppressed') f.suppressed = raw === '1' || raw === 'true';
      else if (key === 'sort' && SORT_KEYS.includes(raw)) f.sort = raw;
      else if (key === 'dir') f.dir = raw === 'desc' ? 'desc' : 'asc';
    }
    return f;
  }

  function listHash(f) {
    const parts = [];
    for (const k of LIST_KEYS) if (f[k].length) parts.push(k + '=' + f[k].map(enc).join(','));
    if (f.file) parts.push('file=' + enc(f.file));
    if (f.confirmed) parts.push('confirmed=1');
    if (f.isNew) parts.push('new=1');
    if (f.suppressed) parts.push('suppressed=1');
    if (f.q) parts.push('q=' + enc(f.q));
    if (f.sort) parts.push('sort=' + f.sort, 'dir=' + f.dir);
    return '#/' + (parts.length ? '?' + parts.join('&') : '');
  }

  function parseHash(hash) {
    const path = hash.replace(/^#/, '');
    const finding = /^\/finding\/(\d+)\/?$/.exec(path);
    if (finding) return { view: 'finding', index: Number(finding[1]) };
    if (/^\/profiles\/?$/.test(path)) return { view: 'profiles' };
    const q = path.indexOf('?');
    return { view: 'list', filters: parseQuery(q < 0 ? '' : path.slice(q + 1)) };
  }

  /* ------------------------------------------------------------------ app state and routing */

  const state = {
    view: '',
    filters: emptyFilters(),
    filtered: new Int32Array(0),
    selected: 0,             // position in `filtered`
    listHash: '#/',          // the list view to return to from a finding
    routed: null,            // the hash last rendered
    cameFromList: false,     // whether history.back() returns to the list
    ready: false,
  };

  function setUrl(hash, replace) {
    if (location.hash === hash) return;
    try {
      if (replace) history.replaceState(null, '', hash);
      else history.pushState(null, '', hash);
    } catch (e) {
      // history API refused (some file:// setups): a plain hash change, which route() will then ignore
      state.routed = hash;
      location.hash = hash;
    }
  }

  /** Go to a view: render now, then record it in the URL. */
  function navigate(hash, replace) {
    state.cameFromList = state.view === 'list' && hash.startsWith('#/finding/');
    setUrl(hash, replace);
    state.routed = null;
    route();
  }

  function route() {
    const hash = location.hash || '#/';
    if (hash === state.routed) return;
    state.routed = hash;
    const r = parseHash(hash);
    if (r.view === 'finding' && r.index >= 0 && r.index < FINDINGS.length) showFinding(r.index);
    else if (r.view === 'profiles') showProfiles();
    else showList(r.filters || emptyFilters(), hash);
  }

  function goBack() {
    if (state.view === 'list') return;
    if (state.cameFromList) history.back();
    else navigate(state.listHash);
  }

  function setView(name) {
    state.view = name;
    document.body.dataset.view = name;
    for (const tab of document.querySelectorAll('.ma-tab')) {
      if (tab.dataset.view === name) tab.setAttribute('aria-current', 'page');
      else tab.removeAttribute('aria-current');
    }
    for (const [v, node] of Object.entries(ui.views)) node.hidden = v !== name;
  }

  /* ------------------------------------------------------------------ the header */

  const ui = { views: {} };

  function formatStarted(iso) {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(str(iso));
    return m ? m[1] + ' ' + m[2] + ' UTC' : str(iso);
  }

  function filterLink(key, value, label, count, extraClass) {
    const f = emptyFilters();
    f[key] = [value];
    return h('a.ma-count-link' + (extraClass ? '.' + extraClass : ''), {
      href: listHash(f),
      dataset: { filterKey: key, filterValue: value },
      'aria-label': plural(count, 'finding') + ' ' + (key === 'sev' ? 'of severity ' : key === 'rule' ? 'of rule ' : 'by pass ') + value + ': show them',
      onclick: e => { e.preventDefault(); setFilter(key, [value]); },
    }, label, h('span.ma-count-num', { text: count }));
  }

  function buildHeader() {
    const project = str(META.project) || str(RUN.root).split('/').filter(Boolean).pop() || 'project';
    const tabs = h('nav.ma-tabs', { 'aria-label': 'Views' },
      h('a.ma-tab', { href: '#/', dataset: { view: 'list' }, onclick: e => { e.preventDefault(); navigate(state.listHash); } },
        'Findings', h('span.ma-tab-count', { text: FINDINGS.length })),
      showProfilesTab() && h('a.ma-tab', { href: '#/profiles', dataset: { view: 'profiles' } }, 'Profiles'));
    const top = h('div.ma-topbar', null,
      h('div.ma-brand', null, h('span.ma-logo', { 'aria-hidden': 'true', text: 'm' }), h('span.ma-brand-name', { text: 'memaudit' })),
      h('h1.ma-project', { text: project, title: str(RUN.root) || null }),
      tabs);
    const summary = h('div.ma-summary', null, buildMeta(), buildPartialBanner(), buildCounts());
    return h('header#ma-header.ma-header', null, top, summary);
  }

  function showProfilesTab() {
    const p = PROFILES;
    const some = ['heap', 'allocations', 'costs'].some(k => Array.isArray(p[k]) && p[k].length);
    return some || FINDINGS.length > 0;
  }

  function buildMeta() {
    const items = [];
    if (RUN.started) items.push(h('span', null, 'Started ', h('time', { datetime: str(RUN.started), text: formatStarted(RUN.started) })));
    if (META.commit) items.push(h('span', null, 'Commit ', h('code', { text: str(META.commit).slice(0, 12), title: str(META.commit) })));
    if (META.branch) items.push(h('span', null, 'Branch ', h('code', { text: str(META.branch) })));
    const units = RUN.units && typeof RUN.units === 'object' ? RUN.units : null;
    if (units) {
      const failed = Number(units.failed) || 0;
      items.push(h('span', null, plural(Number(units.analysed) || 0, 'translation unit') + ' analysed',
        failed ? h('strong.ma-fail-text', { text: ', ' + failed + ' failed' }) : null));
    }
    const passes = Array.isArray(RUN.passes) ? RUN.passes.map(str) : [];
    if (passes.length) items.push(h('span.ma-passes', null, 'Passes ', passes.map(p => h('span.ma-chip', { text: p }))));
    const t = RUN.timings && Number(RUN.timings.wall_seconds);
    if (t) items.push(h('span', { text: 'Took ' + (t < 10 ? t.toFixed(1) : Math.round(t)) + ' s' }));
    items.push(buildNotes());
    return h('div.ma-meta', null, items);
  }

  function buildPartialBanner() {
    const failures = Array.isArray(RUN.failures) ? RUN.failures : [];
    if (!RUN.partial && !failures.length) return null;
    const units = RUN.units || {};
    const line = fl => {
      const l = normaliseLocation(fl);
      return h('li', null, l.file ? h('code', { text: locationText(l) }) : h('span.ma-muted', { text: 'run' }), ': ', str(fl && fl.message));
    };
    const shown = failures.slice(0, 6).map(line);
    const rest = failures.slice(6);
    return h('section.ma-banner.ma-banner-partial', { role: 'alert', 'aria-label': 'Partial audit' },
      icon('warning'),
      h('div', null,
        h('strong', { text: 'Partial audit: ' }),
        (Number(units.failed) ? plural(Number(units.failed), 'translation unit') + ' of ' + (Number(units.total) || '?') + ' could not be analysed' : 'something could not be analysed') +
          ', so findings in them are missing.',
        shown.length ? h('ul.ma-failures', null, shown) : null,
        rest.length ? h('details', null, h('summary', { text: 'Show ' + rest.length + ' more' }), h('ul.ma-failures', null, rest.map(line))) : null));
  }

  function buildCounts() {
    const sev = h('div.ma-count-group', { role: 'group', 'aria-label': 'By severity' },
      SEVERITIES.map(s => filterLink('sev', s, [icon(s), SEV_LABEL[s]], COUNTS.sev.get(s) || 0, 'ma-sev-' + s)));
    const pass = COUNTS.pass.size === 0 ? null : h('div.ma-count-group', { role: 'group', 'aria-label': 'By pass' },
      h('span.ma-count-title', { text: 'Pass' }),
      [...COUNTS.pass.entries()].map(([p, n]) => filterLink('pass', p, p, n)));
    const ruleEntries = [...COUNTS.rule.entries()];
    const ruleLink = ([r, n]) => filterLink('rule', r, r, n);
    const rules = ruleEntries.length === 0 ? null : h('div.ma-count-group.ma-count-rules', { role: 'group', 'aria-label': 'By rule' },
      h('span.ma-count-title', { text: 'Rule' }),
      ruleEntries.slice(0, 12).map(ruleLink),
      ruleEntries.length > 12 ? h('details.ma-more', null, h('summary', { text: '+' + (ruleEntries.length - 12) + ' more' }),
        h('div.ma-more-body', null, ruleEntries.slice(12).map(ruleLink))) : null);
    return h('div.ma-counts', null,
      h('div.ma-total', null, h('span.ma-total-num', { text: FINDINGS.length }), h('span', { text: FINDINGS.length === 1 ? 'finding' : 'findings' })),
      sev, pass, rules);
  }

  function buildNotes() {
    const notes = (Array.isArray(RUN.notes) ? RUN.notes : []).map(str).filter(Boolean);
    if (!notes.length) return null;
    return h('details.ma-notes', null, h('summary', { text: plural(notes.length, 'note') + ' from the run' }),
      h('ul', null, notes.map(n => h('li', { text: n }))));
  }

  /* ------------------------------------------------------------------ the list view */

  const COLUMNS = [
    { key: 'severity', label: 'Severity', cls: 'sev' },
    { key: 'rule', label: 'Rule', cls: 'rule' },
    { key: 'file', label: 'Location', cls: 'loc' },
    { key: 'function', label: 'Function', cls: 'func' },
    { key: 'message', label: 'Message', cls: 'msg' },
    { key: 'pass', label: 'Pass', cls: 'pass' },
  ];

  // Geometry is cached (row height and header height from CSS variables, viewport height on resize, scrollTop from
  // scroll events) so that rendering rows never forces a synchronous layout.
  const list = { rowH: 40, headH: 34, viewH: 600, scrollTop: 0, rows: new Map(), el: null, sizer: null, head: null, empty: null };

  function buildListView() {
    const view = h('div.ma-listview', { id: 'ma-listview' },
      buildFacets(),
      h('section.ma-results', { 'aria-label': 'Findings' }, buildToolbar(), buildChips(), buildList()));
    ui.views.list = view;
    return view;
  }

  function facetGroup(key, legend, entries, labelFor) {
    if (!entries.length) return null;
    return h('fieldset.ma-facet', null, h('legend', { text: legend }),
      h('div.ma-facet-items', null, entries.map(([value, n]) =>
        h('label.ma-facet-item', null,
          h('input', { type: 'checkbox', value, dataset: { filter: key }, onchange: onFacetChange }),
          h('span.ma-facet-label', null, labelFor(value)),
          h('span.ma-facet-count', { text: n })))));
  }

  function buildFacets() {
    const sevEntries = SEVERITIES.map(s => [s, COUNTS.sev.get(s) || 0]);
    const details = h('details.ma-facets-details', null,
      h('summary.ma-facets-summary', { text: 'Filters' }),
      facetGroup('sev', 'Severity', sevEntries, s => [icon(s), SEV_LABEL[s]]),
      facetGroup('pass', 'Pass', [...COUNTS.pass.entries()], p => p),
      facetGroup('rule', 'Rule', [...COUNTS.rule.entries()], r => h('span', { text: r, title: str(RULES[r] && RULES[r].title) || null })),
      facetGroup('cwe', 'CWE', [...COUNTS.cwe.entries()], c => 'CWE-' + c));
    // open beside the list on wide screens, folded above it on narrow ones
    const wide = window.matchMedia('(min-width: 700px)');
    const sync = () => { details.open = wide.matches; };
    sync();
    if (wide.addEventListener) wide.addEventListener('change', sync);
    return h('aside.ma-facets', { 'aria-label': 'Filters' }, details);
  }

  function buildToolbar() {
    ui.search = h('input#ma-search.ma-input', {
      type: 'search', placeholder: 'Search message, file, function, rule', 'aria-label': 'Search findings (press / to focus)',
      autocomplete: 'off', spellcheck: 'false',
      oninput: () => { state.filters.q = ui.search.value; refreshList(true); },
    });
    ui.file = h('input#ma-file.ma-input', {
      type: 'text', placeholder: 'File or directory', 'aria-label': 'Show findings under this file or directory',
      list: 'ma-dirs', autocomplete: 'off', spellcheck: 'false', dataset: { filter: 'file' },
      oninput: () => { state.filters.file = ui.file.value.trim(); refreshList(true); },
    });
    const dirs = h('datalist#ma-dirs', null, directoryList().map(d => h('option', { value: d })));
    ui.confirmed = h('input#ma-confirmed', { type: 'checkbox', dataset: { filter: 'confirmed' }, onchange: () => { state.filters.confirmed = ui.confirmed.checked; refreshList(false); } });
    ui.isNew = IX.hasBaseline ? h('input#ma-new', { type: 'checkbox', dataset: { filter: 'new' }, onchange: () => { state.filters.isNew = ui.isNew.checked; refreshList(false); } }) : null;
    ui.suppressed = IX.nrSuppressed ? h('input#ma-suppressed', { type: 'checkbox', dataset: { filter: 'suppressed' }, onchange: () => { state.filters.suppressed = ui.suppressed.checked; refreshList(false); } }) : null;
    ui.count = h('span#ma-count.ma-count', { role: 'status', 'aria-live': 'polite' });
    ui.sortSelect = h('select.ma-sort-select.ma-input', { 'aria-label': 'Sort by', onchange: onSortSelect },
      h('option', { value: '', text: 'Report order' }),
      COLUMNS.flatMap(c => [h('option', { value: c.key + ':asc', text: c.label + ' ↑' }), h('option', { value: c.key + ':desc', text: c.label + ' ↓' })]));
    return h('div.ma-toolbar', { role: 'search' },
      h('div.ma-search-wrap', null, ui.search, h('kbd.ma-kbd-hint', { 'aria-hidden': 'true', text: '/' })),
      ui.file, dirs,
      h('label.ma-check', null, ui.confirmed, 'Confirmed only'),
      ui.isNew ? h('label.ma-check', null, ui.isNew, 'New since baseline') : null,
      ui.suppressed ? h('label.ma-check', null, ui.suppressed, 'Show suppressed (' + IX.nrSuppressed + ')') : null,
      ui.sortSelect,
      ui.count);
  }

  /** Every directory that holds a finding (for the file box's suggestions), most findings first, at most 400. */
  function directoryList() {
    const perFile = new Map();
    for (let i = 0; i < IX.n; i++) perFile.set(IX.file[i], (perFile.get(IX.file[i]) || 0) + 1);
    const perDir = new Map();
    for (const [id, count] of perFile) {
      const file = IX.files.values[id];
      for (let slash = file.indexOf('/'); slash > 0; slash = file.indexOf('/', slash + 1)) {
        const dir = file.slice(0, slash);
        perDir.set(dir, (perDir.get(dir) || 0) + count);
      }
    }
    return [...perDir.entries()].sort((a, b) => b[1] - a[1]).slice(0, 400).map(e => e[0]).sort();
  }

  function buildChips() {
    ui.chips = h('div.ma-chips', { 'aria-label': 'Active filters' });
    return ui.chips;
  }

  function buildList() {
    list.head = h('div.ma-list-head', { role: 'row', 'aria-rowindex': '1' }, COLUMNS.map(c =>
      h('div.ma-th.ma-c-' + c.cls, { role: 'columnheader' },
        h('button.ma-sort', { type: 'button', dataset: { sort: c.key }, onclick: () => toggleSort(c.key) },
          c.label, h('span.ma-sort-arrow', { 'aria-hidden': 'true' })))));
    list.sizer = h('div.ma-sizer', { role: 'rowgroup' });
    list.empty = h('div.ma-empty', { hidden: true });
    list.el = h('div#ma-list.ma-list', { role: 'grid', 'aria-label': 'Findings', tabindex: '0' }, list.head, list.sizer, list.empty);
    list.el.addEventListener('scroll', () => { list.scrollTop = list.el.scrollTop; renderRows(); }, { passive: true });
    window.addEventListener('resize', () => { if (state.view === 'list') { measureList(); renderRows(); } });
    return list.el;
  }

  /** Reads the list's geometry once (on showing the list and on resize); rows are then placed from the cache. */
  function measureList() {
    const css = getComputedStyle(list.el);
    const rowH = parseFloat(css.getPropertyValue('--ma-row-h'));
    const headH = parseFloat(css.getPropertyValue('--ma-head-h'));
    if (headH >= 0) list.headH = headH;
    list.viewH = list.el.clientHeight || list.viewH;
    list.scrollTop = list.el.scrollTop;
    if (rowH > 0 && rowH !== list.rowH) {
      list.rowH = rowH;
      for (const row of list.rows.values()) row.remove();
      list.rows.clear();
      layoutSizer();
    }
  }

  function setScrollTop(top) {
    list.el.scrollTop = top;
    list.scrollTop = Math.max(0, top);
  }

  /** The header's height when it is shown (it is hidden when nothing matches). */
  function headHeight() {
    return list.head.hidden ? 0 : list.headH;
  }

  function layoutSizer() {
    list.sizer.style.height = state.filtered.length * list.rowH + 'px';
  }

  function locationCell(loc) {
    const slash = loc.file.lastIndexOf('/');
    return h('span.ma-loc', null,
      slash >= 0 ? h('span.ma-loc-dir', { text: loc.file.slice(0, slash + 1) }) : null,
      h('span.ma-loc-base', { text: loc.file ? loc.file.slice(slash + 1) : '<unknown>' }),
      loc.line ? h('span.ma-loc-line', { text: ':' + loc.line }) : null);
  }

  function buildRow(i) {
    const f = FINDINGS[i];
    const cell = (cls, ...kids) => h('span.ma-cell.ma-c-' + cls, { role: 'gridcell' }, ...kids);
    return h('a.ma-row.ma-row-' + f.severity, { href: '#/finding/' + i, role: 'row', dataset: { index: i } },
      cell('sev', sevBadge(f.severity)),
      cell('rule', h('span.ma-rule-id', { text: f.rule, title: ruleTitle(f) })),
      cell('loc', locationCell(f.location)),
      cell('func', f.location.function ? h('code', { text: f.location.function }) : h('span.ma-muted', { text: '—' })),
      cell('msg', f.confirmed ? confirmedBadge('') : null, f.baseline === 'new' ? newBadge() : null,
        f.suppressed ? suppressedBadge(f.suppressed) : null, h('span.ma-msg', { text: f.message, title: f.message })),
      cell('pass', h('span.ma-pass', { text: f.pass }),
        f.alsoBy.length ? h('span.ma-also', { text: '+' + f.alsoBy.join(', '), title: 'also reported by ' + f.alsoBy.join(', ') }) : null,
        f.count > 1 ? h('span.ma-times', { text: '×' + f.count, title: 'reported ' + f.count + ' times' }) : null));
  }

  /** Renders only the rows in view (plus a margin); rows already in the DOM are kept and moved. */
  function renderRows() {
    if (state.view !== 'list' || !list.el) return;
    const total = state.filtered.length;
    const rowH = list.rowH;
    const top = list.scrollTop - headHeight();
    const first = Math.max(0, Math.floor(top / rowH) - OVERSCAN);
    const last = Math.min(total, Math.ceil((top + list.viewH) / rowH) + OVERSCAN);
    const want = new Map();
    for (let pos = first; pos < last; pos++) want.set(state.filtered[pos], pos);
    for (const [i, row] of list.rows) if (!want.has(i)) { row.remove(); list.rows.delete(i); }
    const frag = document.createDocumentFragment();
    for (const [i, pos] of want) {
      let row = list.rows.get(i);
      if (!row) { row = buildRow(i); list.rows.set(i, row); frag.appendChild(row); }
      row.style.top = pos * rowH + 'px';
      row.setAttribute('aria-rowindex', String(pos + 2));
      const selected = pos === state.selected;
      row.classList.toggle('ma-selected', selected);
      if (selected) row.setAttribute('aria-selected', 'true'); else row.removeAttribute('aria-selected');
    }
    list.sizer.appendChild(frag);
  }

  function showList(filters, hash) {
    const wasList = state.view === 'list';
    state.filters = filters;
    state.listHash = hash;
    setView('list');
    if (!wasList) measureList();
    refreshList(null);
    if (!wasList) { scrollSelectedIntoView(); renderRows(); }
    markReady();
  }

  /** Re-filter and re-render; record the hash (replace: true while typing, false for a click, null: already there). */
  function refreshList(replace) {
    const t0 = performance.now();
    const selectedIndex = state.filtered.length ? state.filtered[state.selected] : -1;
    state.filtered = applyFilters(state.filters);
    const keep = selectedIndex >= 0 ? state.filtered.indexOf(selectedIndex) : -1;
    state.selected = keep >= 0 ? keep : 0;
    syncControls();
    renderCount();
    renderChips();
    renderEmpty();
    layoutSizer();
    if (keep < 0 && list.scrollTop !== 0) setScrollTop(0);
    renderRows();
    window.MA_LAST_FILTER_MS = performance.now() - t0;
    if (replace !== null) {
      const hash = listHash(state.filters);
      state.listHash = hash;
      state.routed = hash;
      setUrl(hash, replace);
    }
  }

  function setFilter(key, values) {
    const f = Object.assign({}, state.filters, { [key]: values });
    navigate(listHash(f));
  }

  function onFacetChange(e) {
    const key = e.target.dataset.filter;
    const checked = [...ui.views.list.querySelectorAll('input[data-filter="' + key + '"]')].filter(x => x.checked).map(x => x.value);
    state.filters[key] = checked;
    refreshList(false);
  }

  function toggleSort(key) {
    const f = state.filters;
    if (f.sort === key) f.dir = f.dir === 'asc' ? 'desc' : 'asc';
    else { f.sort = key; f.dir = 'asc'; }
    refreshList(false);
  }

  function onSortSelect() {
    const [key, dir] = ui.sortSelect.value.split(':');
    state.filters.sort = key || '';
    state.filters.dir = dir || 'asc';
    refreshList(false);
  }

  /** Puts the controls in line with the filters (after a hash change, a header link or a chip). */
  function syncControls() {
    const f = state.filters;
    if (ui.search.value !== f.q) ui.search.value = f.q;
    if (ui.file.value.trim() !== f.file) ui.file.value = f.file;
    ui.confirmed.checked = f.confirmed;
    if (ui.isNew) ui.isNew.checked = f.isNew;
    if (ui.suppressed) ui.suppressed.checked = f.suppressed;
    for (const box of ui.views.list.querySelectorAll('.ma-facet input[data-filter]')) {
      box.checked = f[box.dataset.filter].includes(box.value);
    }
    for (const btn of list.head.querySelectorAll('[data-sort]')) {
      const on = f.sort === btn.dataset.sort;
      btn.parentNode.setAttribute('aria-sort', on ? (f.dir === 'asc' ? 'ascending' : 'descending') : 'none');
      btn.querySelector('.ma-sort-arrow').textContent = on ? (f.dir === 'asc' ? '▲' : '▼') : '';
    }
    ui.sortSelect.value = f.sort ? f.sort + ':' + f.dir : '';
  }

  function renderCount() {
    const n = state.filtered.length;
    ui.count.textContent = plural(n, 'finding') + (n !== IX.n ? ' of ' + IX.n : '');
    list.el.setAttribute('aria-rowcount', String(n + 1));   // rows are virtual: tell assistive tech how many there are
  }

  function renderChips() {
    const f = state.filters;
    const chips = [];
    const chip = (label, remove) => h('button.ma-chip.ma-chip-x', { type: 'button', 'aria-label': 'Remove filter ' + label, onclick: remove },
      label, h('span', { 'aria-hidden': 'true', text: '×' }));
    const names = { sev: 'severity', rule: 'rule', cwe: 'CWE', pass: 'pass' };
    for (const k of LIST_KEYS) {
      for (const v of f[k]) chips.push(chip(names[k] + ': ' + v, () => setFilter(k, f[k].filter(x => x !== v))));
    }
    if (f.file) chips.push(chip('under: ' + f.file, () => setFilter('file', '')));
    if (f.confirmed) chips.push(chip('confirmed only', () => setFilter('confirmed', false)));
    if (f.isNew) chips.push(chip('new since baseline', () => setFilter('isNew', false)));
    if (f.suppressed) chips.push(chip('with suppressed', () => setFilter('suppressed', false)));
    if (f.q) chips.push(chip('search: ' + f.q, () => setFilter('q', '')));
    if (chips.length > 1) chips.push(h('button.ma-linkbtn', { type: 'button', text: 'Clear all', onclick: clearFilters }));
    clear(ui.chips);
    appendAll(ui.chips, chips);
    ui.chips.hidden = chips.length === 0;
  }

  function clearFilters() {
    const f = emptyFilters();
    f.sort = state.filters.sort;
    f.dir = state.filters.dir;
    navigate(listHash(f));
  }

  function renderEmpty() {
    const none = state.filtered.length === 0;
    list.empty.hidden = !none;
    list.head.hidden = none;
    if (!none) return;
    clear(list.empty);
    if (IX.n === 0) {
      const units = RUN.units || {};
      appendAll(list.empty, [
        h('div.ma-empty-icon', null, icon('ok')),
        h('h2', { text: 'No findings' }),
        h('p', { text: 'memaudit checked ' + plural(Number(units.analysed) || 0, 'translation unit') + ' and has nothing to report.' }),
        RUN.partial ? h('p.ma-fail-text', { text: 'The audit was partial, though: see the units that could not be analysed above.' }) : null,
      ]);
    } else {
      appendAll(list.empty, [
        h('h2', { text: 'No findings match these filters' }),
        h('p', null, h('button.ma-btn', { type: 'button', text: 'Clear filters', onclick: clearFilters })),
      ]);
    }
  }

  function moveSelection(delta) {
    const n = state.filtered.length;
    if (!n) return;
    state.selected = Math.max(0, Math.min(n - 1, state.selected + delta));
    scrollSelectedIntoView();
    renderRows();
  }

  function scrollSelectedIntoView() {
    const headH = headHeight();
    const top = headH + state.selected * list.rowH;
    if (top - headH < list.scrollTop) setScrollTop(top - headH);
    else if (top + list.rowH > list.scrollTop + list.viewH) setScrollTop(top + list.rowH - list.viewH);
  }

  function openSelected() {
    if (state.filtered.length) navigate('#/finding/' + state.filtered[state.selected]);
  }

  function markReady() {
    if (state.ready) return;
    state.ready = true;
    window.MA_READY_MS = performance.now();
    document.body.dataset.ready = '1';
  }

  /* ------------------------------------------------------------------ sources: lazy decode, tokenizer */

  const sourceCache = new Map();

  function base64Bytes(b64) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  /** The file's lines, decoded once (raw deflate, then UTF-8 with U+FFFD for bad bytes); null if not embedded. */
  function loadSource(path) {
    if (!sourceCache.has(path)) {
      const entry = Object.prototype.hasOwnProperty.call(SOURCES, path) ? SOURCES[path] : null;
      if (!entry || typeof entry.z !== 'string') { sourceCache.set(path, Promise.resolve(null)); return sourceCache.get(path); }
      const p = (async () => {
        const stream = new Blob([base64Bytes(entry.z)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
        const text = new TextDecoder('utf-8').decode(await new Response(stream).arrayBuffer());
        const lines = text.split('\n').map(l => (l.endsWith('\r') ? l.slice(0, -1) : l));
        if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
        return lines;
      })();
      sourceCache.set(path, p);
    }
    return sourceCache.get(path);
  }

  function hasSource(path) {
    return !!path && Object.prototype.hasOwnProperty.call(SOURCES, path);
  }

  const KEYWORDS = new Set(('auto break case const continue default do else enum extern for goto if inline register restrict return ' +
    'sizeof static struct switch typedef union volatile while _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert ' +
    '_Thread_local alignas alignof static_assert thread_local typeof asm __asm__ __attribute__ __inline__ __restrict__ ' +
    'class namespace template typename public private protected virtual override final new delete this throw try catch using ' +
    'operator constexpr consteval noexcept friend mutable explicit decltype nullptr true false NULL').split(' '));
  const TYPES = new Set(('void char short int long float double signed unsigned _Bool bool _Complex size_t ssize_t ptrdiff_t ' +
    'intptr_t uintptr_t off_t FILE va_list wchar_t DIR pid_t uid_t gid_t mode_t time_t pthread_t pthread_mutex_t').split(' '));
  const NUMBER_RE = /(?:0[xX][0-9a-fA-F']+(?:\.[0-9a-fA-F']*)?(?:[pP][+-]?\d+)?|(?:\d[\d']*\.?[\d']*|\.\d[\d']*)(?:[eE][+-]?\d+)?)[uUlLfFzZ]*/y;
  const IDENT_RE = /[A-Za-z_$][A-Za-z0-9_$]*/y;

  /** One line of C as [class, text] pieces; `inComment` carries a block comment from the line before. */
  function tokenizeLine(s, inComment) {
    const out = [];
    const push = (cls, text) => {
      if (!text) return;
      const last = out[out.length - 1];
      if (last && last[0] === cls) last[1] += text; else out.push([cls, text]);
    };
    let i = 0;
    const n = s.length;
    if (inComment) {
      const end = s.indexOf('*/');
      if (end < 0) { push('com', s); return { parts: out, inComment: true }; }
      push('com', s.slice(0, end + 2));
      i = end + 2;
    }
    let include = false;
    const pp = i === 0 ? /^\s*#\s*[A-Za-z_]*/.exec(s) : null;
    if (pp) { push('pp', pp[0]); i = pp[0].length; include = /include|import/.test(pp[0]); }
    while (i < n) {
      const c = s[i];
      if (c === '/' && s[i + 1] === '/') { push('com', s.slice(i)); break; }
      if (c === '/' && s[i + 1] === '*') {
        const end = s.indexOf('*/', i + 2);
        if (end < 0) { push('com', s.slice(i)); return { parts: out, inComment: true }; }
        push('com', s.slice(i, end + 2));
        i = end + 2;
        continue;
      }
      if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < n && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
        j = Math.min(n, j + 1);
        push('str', s.slice(i, j));
        i = j;
        continue;
      }
      if (include && c === '<') {
        const end = s.indexOf('>', i);
        if (end > i) { push('str', s.slice(i, end + 1)); i = end + 1; continue; }
      }
      if ((c >= '0' && c <= '9') || (c === '.' && s[i + 1] >= '0' && s[i + 1] <= '9')) {
        NUMBER_RE.lastIndex = i;
        const m = NUMBER_RE.exec(s);
        if (m && m[0]) { push('num', m[0]); i += m[0].length; continue; }
      }
      IDENT_RE.lastIndex = i;
      const id = IDENT_RE.exec(s);
      if (id) {
        const w = id[0];
        push(KEYWORDS.has(w) ? 'kw' : TYPES.has(w) || /_t$/.test(w) ? 'type' : '', w);
        i += w.length;
        continue;
      }
      push('', c);
      i++;
    }
    return { parts: out, inComment: false };
  }

  /** The tokenized lines from..to (1-based, inclusive), with the block-comment state carried in from line 1. */
  function tokenizeRange(lines, from, to) {
    let inComment = false;
    const result = new Map();
    for (let ln = 1; ln <= to && ln <= lines.length; ln++) {
      const t = tokenizeLine(lines[ln - 1], inComment);
      inComment = t.inComment;
      if (ln >= from) result.set(ln, t.parts);
    }
    return result;
  }

  /** Best guess at a function's [first, last] line: its definition above `line`, then brace matching. */
  function functionExtent(lines, name, line) {
    const base = name.replace(/\(.*$/, '').split('::').pop().trim();
    if (!/^[A-Za-z_]\w*$/.test(base) || line < 1) return null;
    const def = new RegExp('^[A-Za-z_].*\\b' + base + '\\s*\\(|^' + base + '\\s*\\(');
    let start = 0;
    for (let ln = Math.min(line, lines.length); ln >= Math.max(1, line - 2000); ln--) {
      const text = lines[ln - 1];
      if (def.test(text) && !/;\s*$/.test(text)) { start = ln; break; }
    }
    if (!start) return null;
    let depth = 0, opened = false, inComment = false;
    for (let ln = start; ln <= lines.length; ln++) {
      const t = tokenizeLine(lines[ln - 1], inComment);
      inComment = t.inComment;
      for (const [cls, text] of t.parts) {
        if (cls) continue;
        for (const ch of text) {
          if (ch === '{') { depth++; opened = true; }
          else if (ch === '}') depth--;
        }
      }
      if (opened && depth <= 0) return ln >= line ? [start, ln] : null;
      if (!opened && ln - start > 12) return null;
    }
    return null;
  }

  /** The line windows to show for some interesting lines: the whole function when it is short, context otherwise. */
  function lineWindows(lines, interesting, funcName) {
    const sorted = [...new Set(interesting)].filter(l => l >= 1 && l <= lines.length).sort((a, b) => a - b);
    if (!sorted.length) return [];
    const extent = funcName ? functionExtent(lines, funcName, sorted[0]) : null;
    const useExtent = extent && extent[1] - extent[0] <= MAX_FUNCTION_LINES;
    const ctx = useExtent || extent ? CONTEXT_KNOWN : CONTEXT_UNKNOWN;
    const ranges = sorted.map(l => [l - ctx, l + ctx]);
    if (useExtent) ranges.push([extent[0] - 1, extent[1] + 1]);
    ranges.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const [a, b] of ranges) {
      const lo = Math.max(1, a), hi = Math.min(lines.length, b);
      const last = merged[merged.length - 1];
      if (last && lo <= last[1] + 4) last[1] = Math.max(last[1], hi); else merged.push([lo, hi]);
    }
    return merged;
  }

  /* ------------------------------------------------------------------ the finding page */

  const page = { steps: [], current: -1, lineEls: new Map(), token: 0 };

  function isDynamic(f) {
    return f.pass !== 'static';
  }

  function showFinding(index) {
    const f = FINDINGS[index];
    setView('finding');
    const token = ++page.token;
    page.steps = [];
    page.current = -1;
    page.lineEls = new Map();
    const pos = state.filtered.indexOf(index);
    if (pos >= 0) state.selected = pos;
    const article = h('article#ma-finding.ma-finding', { 'aria-labelledby': 'ma-finding-title', dataset: { index } },
      buildFindingNav(index, pos),
      buildFindingHead(f),
      h('div.ma-f-grid', null,
        h('div.ma-f-main', null, buildPathSection(f), buildSourceSection(f, token)),
        buildRuleAside(f)));
    clear(ui.views.finding).appendChild(article);
    document.title = ruleTitle(f) + ' · ' + locationText(f.location) + ' · memaudit';
    window.scrollTo(0, 0);
    const heading = document.getElementById('ma-finding-title');
    if (heading) heading.focus({ preventScroll: true });
    markReady();
  }

  function buildFindingNav(index, pos) {
    const n = state.filtered.length;
    const go = delta => () => navigate('#/finding/' + state.filtered[pos + delta], true);
    return h('nav.ma-f-nav', { 'aria-label': 'Finding navigation' },
      h('a.ma-back', { href: state.listHash, onclick: e => { e.preventDefault(); goBack(); } }, '← All findings'),
      pos >= 0 ? h('div.ma-f-pager', null,
        h('button.ma-btn.ma-btn-small', { type: 'button', 'aria-label': 'Previous finding', disabled: pos <= 0, onclick: go(-1), text: '‹' }),
        h('span.ma-muted', { text: (pos + 1) + ' of ' + n }),
        h('button.ma-btn.ma-btn-small', { type: 'button', 'aria-label': 'Next finding', disabled: pos >= n - 1, onclick: go(1), text: '›' })) : null);
  }

  function buildFindingHead(f) {
    const loc = f.location;
    return h('header.ma-f-head', null,
      h('div.ma-f-badges', null,
        sevBadge(f.severity),
        h('a.ma-chip.ma-chip-link', { href: listHash(Object.assign(emptyFilters(), { rule: [f.rule] })), text: f.rule, title: 'All findings of this rule' }),
        f.cwe > 0 ? h('a.ma-chip.ma-chip-link', { href: 'https://cwe.mitre.org/data/definitions/' + Math.trunc(f.cwe) + '.html', rel: 'noopener noreferrer', target: '_blank', text: 'CWE-' + Math.trunc(f.cwe) }) : null,
        h('span.ma-chip', { text: 'pass: ' + f.pass + (f.alsoBy.length ? ' + ' + f.alsoBy.join(', ') : '') }),
        f.confirmed ? confirmedBadge(f.confirmedBy) : null,
        f.baseline === 'new' ? newBadge() : null,
        f.suppressed ? suppressedBadge(f.suppressed) : null,
        f.count > 1 ? h('span.ma-chip', { text: 'reported ' + f.count + '×' }) : null),
      h('h2#ma-finding-title.ma-f-title', { tabindex: '-1', text: ruleTitle(f) }),
      h('p.ma-f-msg', { text: f.message }),
      h('p.ma-f-loc', null, pathCrumbs(loc.file), loc.line ? h('span.ma-muted', { text: ':' + loc.line + (loc.column ? ':' + loc.column : '') }) : null,
        loc.function ? [h('span.ma-muted', { text: ' in ' }), h('code', { text: loc.function })] : null));
  }

  /** A path whose directories are links to the list filtered to them. */
  function pathCrumbs(file) {
    if (!file) return h('code', { text: '<unknown>' });
    const parts = file.split('/');
    const out = [];
    parts.forEach((part, k) => {
      const prefix = parts.slice(0, k + 1).join('/');
      if (k < parts.length - 1 && part) {
        out.push(h('a.ma-crumb', { href: listHash(Object.assign(emptyFilters(), { file: prefix })), text: part, title: 'Findings under ' + prefix + '/' }), '/');
      } else {
        out.push(h('a.ma-crumb.ma-crumb-file', { href: listHash(Object.assign(emptyFilters(), { file: prefix })), text: part, title: 'Findings in this file' }));
      }
    });
    return h('code.ma-path', null, out);
  }

  function buildRuleAside(f) {
    const r = RULES[f.rule] || {};
    const desc = str(r.description) || 'This report has no description of the rule ' + f.rule + '.';
    const fix = str(r.fix) || 'No fix advice recorded for this rule.';
    return h('aside.ma-f-aside', { 'aria-label': 'About the rule' },
      h('section.ma-card', null, h('h3', { text: 'About this rule' }), h('p#ma-rule-desc', { text: desc })),
      h('section.ma-card', null, h('h3', { text: 'How to fix' }), h('p#ma-rule-fix', { text: fix })),
      h('section.ma-card.ma-f-facts', null, h('h3', { text: 'Details' }),
        h('dl', null,
          fact('Rule', f.rule), fact('Severity', SEV_LABEL[f.severity]), f.cwe > 0 ? fact('CWE', String(f.cwe)) : null,
          fact('Pass', f.pass), f.alsoBy.length ? fact('Also by', f.alsoBy.join(', ')) : null,
          fact('Confirmed', f.confirmed ? 'yes' + (f.confirmedBy ? ', by ' + f.confirmedBy : '') : 'no'),
          f.suppressed ? fact('Suppressed', f.suppressed.kind + ': ' + f.suppressed.reason) : null,
          f.baseline ? fact('Baseline', f.baseline === 'new' ? 'new' : 'known (in the baseline)') : null,
          fact('Reports merged', String(f.count)), f.fingerprint ? fact('Fingerprint', f.fingerprint) : null)));
  }

  function fact(term, value) {
    return [h('dt', { text: term }), h('dd', { text: value })];
  }

  /** The path (static) or the stack (dynamic) as a list; each entry jumps to its step. */
  function buildPathSection(f) {
    const events = f.events;
    if (!events.length) return null;
    const dynamic = isDynamic(f);
    const items = events.map((e, k) => {
      const where = h('span.ma-ev-where', null,
        e.function ? h('code.ma-ev-func', { text: e.function }) : null,
        h('span.ma-ev-loc', { text: locationText(e) }));
      const jumpable = hasSource(e.file) && e.line > 0;
      const body = [h('span.ma-step-num', { text: k + 1, 'aria-hidden': 'true' }), h('span.ma-ev-msg', { text: e.message || (dynamic ? 'frame' : 'step') }), where,
        !jumpable && e.file ? h('span.ma-muted.ma-ev-nosrc', { text: 'source not embedded' }) : null];
      const content = jumpable
        ? h('button.ma-ev-btn', { type: 'button', 'aria-label': 'Step ' + (k + 1) + ': ' + (e.message || '') + ' at ' + locationText(e) + ', show in source', onclick: () => goToStep(k) }, body)
        : h('div.ma-ev-btn', null, body);
      return h('li.ma-ev' + (dynamic ? '.ma-frame' : ''), { dataset: { ev: k + 1 } }, content);
    });
    page.steps = items.map(li => ({ listItem: li, inSource: null }));
    const listEl = h('ol.ma-evlist', { id: dynamic ? 'ma-stack' : null, 'aria-label': dynamic ? 'Stack, innermost frame first' : 'Path' }, items);
    ui.stepLabel = h('span.ma-step-label.ma-muted', { 'aria-live': 'polite', text: plural(events.length, dynamic ? 'frame' : 'step') });
    return h('section.ma-card.ma-path-card', { 'aria-label': dynamic ? 'Stack' : 'Path' },
      h('div.ma-card-head', null,
        h('h3', { text: dynamic ? 'Stack (innermost first)' : 'Path' }),
        ui.stepLabel,
        h('div.ma-stepper', null,
          h('button.ma-btn.ma-btn-small', { type: 'button', 'aria-label': 'Previous step (p)', onclick: () => stepBy(-1) }, '↑ Prev', h('kbd', { text: 'p' })),
          h('button.ma-btn.ma-btn-small', { type: 'button', 'aria-label': 'Next step (n)', onclick: () => stepBy(1) }, '↓ Next', h('kbd', { text: 'n' })))),
      listEl);
  }

  /** The files to show, in path order (the primary location's file first when the path never reaches it). */
  function filesInPathOrder(f) {
    const files = [];
    for (const e of f.events) if (e.file && !files.includes(e.file)) files.push(e.file);
    if (f.location.file && !files.includes(f.location.file)) files.unshift(f.location.file);
    return files;
  }

  function buildSourceSection(f, token) {
    const section = h('section.ma-sources', { 'aria-label': 'Source' });
    for (const file of filesInPathOrder(f)) {
      const block = h('section.ma-src', { 'aria-label': 'Source of ' + file },
        h('div.ma-src-head', null, h('code.ma-src-file', { text: file })),
        h('div.ma-src-body', null, h('p.ma-muted.ma-src-note', { text: hasSource(file) ? 'Loading source…' : '' })));
      section.appendChild(block);
      if (!hasSource(file)) {
        showSourceMissing(block, file, f);
        continue;
      }
      loadSource(file).then(lines => {
        if (token !== page.token) return;
        if (!lines) showSourceMissing(block, file, f);
        else fillSourceBlock(block, file, lines, f);
      }).catch(err => {
        if (token === page.token) replaceBody(block, h('p.ma-src-note.ma-fail-text', { text: 'Could not decode the embedded source of ' + file + ': ' + (err && err.message) }));
      });
    }
    return section;
  }

  function replaceBody(block, ...nodes) {
    const body = block.querySelector('.ma-src-body');
    clear(body);
    appendAll(body, nodes);
    return body;
  }

  function showSourceMissing(block, file, f) {
    const here = f.events.map((e, k) => [e, k]).filter(([e]) => e.file === file);
    replaceBody(block,
      h('p.ma-src-note', { text: 'The source of this file is not embedded in the report' + (here.length ? '; its steps:' : '.') }),
      here.length ? h('ul.ma-src-steps', null, here.map(([e, k]) => h('li', null, h('span.ma-step-num', { text: k + 1 }), ' ', locationText(e), ': ', e.message))) : null);
  }

  /** Line numbers, highlighted code, the primary line and the numbered steps under their lines. */
  function fillSourceBlock(block, file, lines, f) {
    const here = f.events.map((e, k) => [e, k]).filter(([e]) => e.file === file && e.line > 0);
    const primary = f.location.file === file ? f.location.line : 0;
    const interesting = here.map(([e]) => e.line).concat(primary ? [primary] : []);
    const funcName = (here[0] && here[0][0].function) || (primary ? f.location.function : '');
    const windows = lineWindows(lines, interesting, funcName);
    if (!windows.length) {
      replaceBody(block, h('p.ma-src-note', { text: 'The lines of this finding are not in the embedded source (' + lines.length + ' lines).' }));
      return;
    }
    const stepsAt = new Map();
    for (const [e, k] of here) {
      if (!stepsAt.has(e.line)) stepsAt.set(e.line, []);
      stepsAt.get(e.line).push([e, k]);
    }
    const tokens = tokenizeRange(lines, windows[0][0], windows[windows.length - 1][1]);
    const code = h('div.ma-code', { role: 'table', 'aria-label': file });
    windows.forEach(([from, to], w) => {
      if (w > 0 || from > 1) code.appendChild(h('div.ma-gap', { 'aria-hidden': 'true', text: '⋯' }));
      for (let ln = from; ln <= to; ln++) {
        code.appendChild(buildLine(file, ln, tokens.get(ln) || [], ln === primary, stepsAt.has(ln)));
        for (const [e, k] of stepsAt.get(ln) || []) code.appendChild(buildStep(e, k, lines[ln - 1]));
      }
    });
    if (windows[windows.length - 1][1] < lines.length) code.appendChild(h('div.ma-gap', { 'aria-hidden': 'true', text: '⋯' }));
    const head = block.querySelector('.ma-src-head');
    head.appendChild(h('span.ma-muted', { text: 'lines ' + windows[0][0] + '–' + windows[windows.length - 1][1] + ' of ' + lines.length }));
    replaceBody(block, code);
  }

  function buildLine(file, ln, parts, isPrimary, hasStep) {
    const codeEl = h('code.ma-code-text');
    for (const [cls, text] of parts) {
      if (cls) codeEl.appendChild(h('span.tk-' + cls, { text }));
      else codeEl.appendChild(document.createTextNode(text));
    }
    if (!parts.length) codeEl.textContent = '\u200b';   // keeps an empty line's height
    const line = h('div.ma-line' + (isPrimary ? '.ma-primary' : '') + (hasStep ? '.ma-event-line' : ''),
      { dataset: { file, line: ln }, role: 'row', 'aria-label': isPrimary ? 'line ' + ln + ', the finding' : null },
      h('span.ma-ln', { 'aria-hidden': 'true', text: ln }), codeEl);
    page.lineEls.set(file + '\n' + ln, line);
    return line;
  }

  /** The event's column in characters on screen (tabs count 4, like the code's tab-size). */
  function visualColumn(text, column) {
    let col = 0;
    for (let k = 0; k < Math.min(text.length, column - 1); k++) col = text[k] === '\t' ? col + 4 - (col % 4) : col + 1;
    return Math.min(col, 80);
  }

  function buildStep(e, k, lineText) {
    const step = h('div.ma-step', { dataset: { step: k + 1 }, tabindex: '-1', role: 'note', 'aria-label': 'Step ' + (k + 1) + ': ' + e.message },
      h('span.ma-step-caret', { 'aria-hidden': 'true', text: '↑' }),
      h('span.ma-step-num', { text: k + 1 }),
      h('span.ma-step-msg', { text: e.message || 'here' }));
    if (e.column > 0) step.style.setProperty('--ma-col', visualColumn(lineText || '', e.column) + 'ch');
    if (page.steps[k]) page.steps[k].inSource = step;
    return step;
  }

  /** Briefly outlines the source line a step belongs to (the .ma-line before its .ma-step siblings). */
  function flashLine(stepEl) {
    let line = stepEl.previousElementSibling;
    while (line && !line.classList.contains('ma-line')) line = line.previousElementSibling;
    if (!line) return;
    line.classList.remove('ma-flash');
    void line.offsetWidth;   // restarts the animation when the same line is flashed twice
    line.classList.add('ma-flash');
  }

  function stepBy(delta) {
    const n = page.steps.length;
    if (!n) return;
    const next = page.current < 0 ? (delta > 0 ? 0 : n - 1) : Math.max(0, Math.min(n - 1, page.current + delta));
    goToStep(next);
  }

  function goToStep(k) {
    const step = page.steps[k];
    if (!step) return;
    for (const s of page.steps) {
      s.listItem.classList.remove('ma-step-current');
      if (s.inSource) s.inSource.classList.remove('ma-step-current');
    }
    page.current = k;
    const target = step.inSource || step.listItem;
    step.listItem.classList.add('ma-step-current');
    target.classList.add('ma-step-current');
    target.scrollIntoView({ block: 'center', behavior: 'smooth' });
    if (step.inSource) {
      step.inSource.focus({ preventScroll: true });
      flashLine(step.inSource);
    }
    if (ui.stepLabel) ui.stepLabel.textContent = 'Step ' + (k + 1) + ' of ' + page.steps.length;
  }

  /* ------------------------------------------------------------------ the profiles view */

  function showProfiles() {
    setView('profiles');
    const plots = window.MAPlots && typeof window.MAPlots === 'object' ? window.MAPlots : null;
    const p = PROFILES;
    const sections = [
      ['ma-plot-heap', 'Heap over time', 'massif: the heap of the process with the largest peak, and what held it.', 'heap', p.heap],
      ['ma-plot-alloc', 'Allocation sites', 'DHAT: where the program allocates, by bytes.', 'allocations', p.allocations],
      ['ma-plot-flame', 'Costs', 'callgrind: where the time goes; click a frame to zoom in.', 'flame', p.costs],
      ['ma-plot-dirs', 'Findings by directory', 'Click a directory to list its findings.', 'directories', null],
    ];
    const view = h('div#ma-profiles.ma-profiles');
    for (const [id, title, blurb, fn, data] of sections) {
      const box = h('div.ma-plot', { id, 'aria-label': title });
      const drawable = plots && typeof plots[fn] === 'function';
      // plots.js draws its own titled panel; without it, this view gives each slot a title and says why it is empty
      view.appendChild(drawable ? h('section.ma-plot-slot', null, box)
        : h('section.ma-card.ma-plot-card', null, h('h2', { text: title }), h('p.ma-muted', { text: blurb }), box));
      if (!drawable) {
        box.appendChild(h('p.ma-plot-none', { text: 'Plots unavailable in this report.' }));
        continue;
      }
      try {
        if (fn === 'directories') plots.directories(box, REPORT.findings || [], dir => navigate(listHash(Object.assign(emptyFilters(), { file: str(dir) }))));
        else plots[fn](box, Array.isArray(data) ? data : []);
      } catch (err) {
        box.appendChild(h('p.ma-plot-none.ma-fail-text', { text: title + ': this plot could not be drawn (' + (err && err.message) + ').' }));
        console.warn('memaudit: plot', fn, err);
      }
    }
    clear(ui.views.profiles).appendChild(view);
    document.title = 'Profiles · memaudit';
    markReady();
  }

  /* ------------------------------------------------------------------ keyboard */

  function isTyping(t) {
    if (!t || !t.tagName) return false;
    if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
    return t.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(t.type);
  }

  function onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (isTyping(e.target)) {
      if (e.key === 'Escape') e.target.blur();
      return;
    }
    const key = e.key;
    if (key === '/') {
      e.preventDefault();
      if (state.view !== 'list') navigate(state.listHash);
      ui.search.focus();
      ui.search.select();
    } else if (key === 'Escape') {
      if (state.view !== 'list') { e.preventDefault(); goBack(); }
    } else if (state.view === 'list') {
      if (key === 'j' || key === 'ArrowDown' && e.target === list.el) { e.preventDefault(); moveSelection(1); }
      else if (key === 'k' || key === 'ArrowUp' && e.target === list.el) { e.preventDefault(); moveSelection(-1); }
      else if (key === 'Enter' && !/^(A|BUTTON|SUMMARY|INPUT)$/.test(e.target.tagName)) { e.preventDefault(); openSelected(); }
    } else if (state.view === 'finding') {
      if (key === 'n' || key === ']') { e.preventDefault(); stepBy(1); }
      else if (key === 'p' || key === '[') { e.preventDefault(); stepBy(-1); }
      else if (key === 'j' || key === 'k') {
        const idx = Number(document.getElementById('ma-finding').dataset.index);
        const pos = state.filtered.indexOf(idx);
        const next = pos + (key === 'j' ? 1 : -1);
        if (pos >= 0 && next >= 0 && next < state.filtered.length) { e.preventDefault(); navigate('#/finding/' + state.filtered[next], true); }
      }
    }
  }

  /* ------------------------------------------------------------------ start */

  function start() {
    const app = document.getElementById('app') || document.body.appendChild(h('div#app'));
    if (!DATA.report) {
      app.appendChild(h('main.ma-main', null, h('div.ma-empty', null, h('h2', { text: 'This report has no readable data' }),
        h('p', { text: 'The embedded findings could not be parsed; report.json holds the same findings.' }))));
      return;
    }
    ui.views.finding = h('div.ma-view');
    ui.views.profiles = h('div.ma-view');
    const main = h('main#ma-main.ma-main', null, buildListView(), ui.views.finding, ui.views.profiles);
    app.appendChild(buildHeader());
    app.appendChild(main);
    app.appendChild(h('footer.ma-footer', null,
      'Keys: ', h('kbd', { text: 'j' }), h('kbd', { text: 'k' }), ' move · ', h('kbd', { text: 'Enter' }), ' open · ',
      h('kbd', { text: 'Esc' }), ' back · ', h('kbd', { text: '/' }), ' search · ', h('kbd', { text: 'n' }), h('kbd', { text: 'p' }), ' steps',
      REPORT.tool && REPORT.tool.version ? h('span.ma-footer-ver', { text: 'memaudit ' + str(REPORT.tool.version) }) : null));
    state.filtered = applyFilters(state.filters);
    document.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', route);
    window.addEventListener('popstate', route);
    route();
  }

  start();
})();
