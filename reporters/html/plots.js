/*
 * memaudit HTML report: the profile plots (window.MAPlots).
 *
 * heap(el, report.profiles.heap)           massif: heap over time, the peak and its sites
 * allocations(el, report.profiles.allocations)  DHAT: allocation sites, sortable, flagged
 * flame(el, report.profiles.costs)         callgrind: an icicle graph of inclusive costs
 * directories(el, report.findings, onSelect)  findings per directory, stacked by severity
 *
 * The page runs under a strict CSP and every string in the data is hostile
 * (file and function names, commands): DOM is built with createElement(NS)
 * and textContent only, styles go through CSSOM (el.style.x) or SVG
 * attributes, colours come from app.css's variables through plots.css.
 */
(function () {
	'use strict';

	const SVGNS = 'http://www.w3.org/2000/svg';

	/* ---------- DOM helpers ---------- */

	/*
	 * Text as shown: control characters become their visible pictures
	 * (NUL -> U+2400) and bidi overrides/isolates a visible <U+202E>, so a
	 * function name cannot reverse the text around it or hide its end.
	 */
	const UNSHOWABLE = /[\u0000-\u0008\u000b-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
	const UNSHOWABLE_ALL = new RegExp(UNSHOWABLE.source, 'g');
	function showable(v) {
		const s = String(v);
		return UNSHOWABLE.test(s) ? s.replace(UNSHOWABLE_ALL, (c) => {
			const n = c.charCodeAt(0);
			return n < 0x20 ? String.fromCharCode(0x2400 + n) : n === 0x7f ? '\u2421' : '<U+' + n.toString(16).toUpperCase().padStart(4, '0') + '>';
		}) : s;
	}

	function h(tag, cls, text) {
		const e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = showable(text);
		return e;
	}

	/* attrs are our own constant names; values may be data (setAttribute never parses markup). */
	function svg(tag, attrs, text) {
		const e = document.createElementNS(SVGNS, tag);
		if (attrs)
			for (const k of Object.keys(attrs))
				e.setAttribute(k, String(attrs[k]));
		if (text !== undefined && text !== null)
			e.textContent = showable(text);
		return e;
	}

	function clear(e) {
		while (e.firstChild)
			e.removeChild(e.firstChild);
	}

	function str(v, fallback) {
		return typeof v === 'string' ? v : (fallback === undefined ? '' : fallback);
	}

	function num(v) {
		const n = Number(v);
		return Number.isFinite(n) ? n : 0;
	}

	/* Long hostile strings (a command line of 100 KB) must not blow up selects and titles. */
	function shorten(s, max) {
		s = str(s);
		return s.length > max ? s.slice(0, max - 1) + '\u2026' : s;
	}

	function where(file, line) {
		const f = str(file, '???') || '???';
		return num(line) > 0 ? f + ':' + num(line) : f;
	}

	function emptyMessage(el, text) {
		el.appendChild(h('p', 'ma-plot-empty', text));
	}

	const observers = new WeakMap();   /* plot element -> its ResizeObserver */

	/* A plot's frame: a heading row (title + controls) and a body. */
	function frame(el, kind, title) {
		const old = observers.get(el);
		if (old)
			old.disconnect();        /* a plot drawn again: the last drawing's resize observer goes */
		clear(el);
		el.classList.add('ma-plot', 'ma-plot-' + kind);
		const head = h('div', 'ma-plot-head');
		head.appendChild(h('h3', 'ma-plot-title', title));
		const controls = h('div', 'ma-plot-controls');
		head.appendChild(controls);
		el.appendChild(head);
		const body = h('div', 'ma-plot-body');
		el.appendChild(body);
		return { head, controls, body };
	}

	/* A labelled <select>; options are [value, text]. */
	function select(label, options, onChange) {
		const wrap = h('label', 'ma-plot-select');
		wrap.appendChild(h('span', 'ma-plot-select-label', label));
		const s = h('select');
		for (const [value, text] of options) {
			const o = h('option', null, text);
			o.value = String(value);
			s.appendChild(o);
		}
		s.addEventListener('change', () => onChange(s.value));
		wrap.appendChild(s);
		return wrap;
	}

	/*
	 * Draw now at the container's width and again whenever that width
	 * changes (window resized, the view shown after being hidden at width
	 * 0). One observer per element: a second call replaces the first.
	 */
	function drawAtWidth(el, target, draw) {
		const old = observers.get(el);
		if (old)
			old.disconnect();
		let last = -1;
		const redraw = () => {
			const w = Math.floor(target.clientWidth);
			if (w === last)
				return;
			last = w;
			draw(w > 0 ? w : 800);
		};
		redraw();
		if (typeof ResizeObserver === 'function') {
			let pending = 0;
			const ro = new ResizeObserver(() => {
				if (!pending)
					pending = requestAnimationFrame(() => { pending = 0; redraw(); });
			});
			ro.observe(target);
			observers.set(el, ro);
		}
	}

	/* A tooltip div inside a position:relative host, placed by CSSOM. */
	function tooltip(host) {
		const tip = h('div', 'ma-plot-tip');
		tip.setAttribute('role', 'tooltip');
		tip.hidden = true;
		host.appendChild(tip);
		return {
			show(lines, clientX, clientY) {
				clear(tip);
				lines.forEach((l, i) => tip.appendChild(h('div', i ? 'ma-plot-tip-line' : 'ma-plot-tip-title', l)));
				tip.hidden = false;
				const r = host.getBoundingClientRect();
				const tw = tip.offsetWidth, th = tip.offsetHeight;
				let x = clientX - r.left + 14, y = clientY - r.top + 14;
				if (x + tw > host.clientWidth)
					x = Math.max(0, clientX - r.left - tw - 14);
				if (y + th > host.scrollHeight)
					y = Math.max(0, clientY - r.top - th - 14);
				tip.style.left = x + 'px';
				tip.style.top = y + 'px';
			},
			hide() { tip.hidden = true; },
		};
	}

	/* ---------- numbers with human units ---------- */

	function trimNumber(v) {
		const a = Math.abs(v);
		const s = a >= 100 || Number.isInteger(v) ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
		return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
	}

	const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
	function byteUnit(max) {
		let k = 0;
		while (k < BYTE_UNITS.length - 1 && max >= Math.pow(1024, k + 1))
			k++;
		return { div: Math.pow(1024, k), name: BYTE_UNITS[k] };
	}

	function fmtBytes(n) {
		n = num(n);
		const u = byteUnit(Math.abs(n));
		return trimNumber(n / u.div) + '\u00a0' + u.name;
	}

	const COUNT_UNITS = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
	function countUnit(max) {
		for (const [div, name] of COUNT_UNITS)
			if (max >= div)
				return { div, name };
		return { div: 1, name: '' };
	}

	function fmtCount(n) {
		n = num(n);
		const u = countUnit(Math.abs(n));
		return trimNumber(n / u.div) + (u.name ? '\u00a0' + u.name : '');
	}

	function fmtInt(n) {
		return Math.round(num(n)).toLocaleString('en-US');
	}

	function fmtPct(part, whole) {
		if (!(whole > 0))
			return '0%';
		const p = 100 * part / whole;
		return (p >= 10 || p === 0 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toFixed(2)) + '%';
	}

	/* Time on massif's axis: "i" instructions, "ms", or "B" allocated. */
	function timeAxisUnit(unit, max) {
		if (unit === 'B')
			return Object.assign(byteUnit(max), { suffix: '' });
		if (unit === 'ms')
			return max >= 10000 ? { div: 1000, name: 's', suffix: '' } : { div: 1, name: 'ms', suffix: '' };
		const u = countUnit(max);
		return { div: u.div, name: (u.name ? u.name + ' ' : '') + 'instr', suffix: '' };
	}

	function fmtTime(v, unit) {
		const u = timeAxisUnit(unit, Math.abs(num(v)));
		return trimNumber(num(v) / u.div) + '\u00a0' + u.name;
	}

	/* Ticks at 1, 2 or 5 times a power of ten, in the axis's unit. */
	function niceTicks(max, count) {
		if (!(max > 0))
			return { step: 1, ticks: [0, 1] };
		const raw = max / Math.max(1, count);
		const mag = Math.pow(10, Math.floor(Math.log10(raw)));
		const norm = raw / mag;
		const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
		const ticks = [];
		for (let v = 0; v <= max * (1 + 1e-9) + step * 1e-9; v += step)
			ticks.push(v);
		if (ticks[ticks.length - 1] < max * (1 - 1e-9))
			ticks.push(ticks[ticks.length - 1] + step);
		return { step, ticks };
	}

	/* Ticks for a value axis in a unit {div,name}: returns [value, label] pairs and the axis top. */
	function unitTicks(max, unit, count) {
		const t = niceTicks(max / unit.div, count);
		return {
			top: t.ticks[t.ticks.length - 1] * unit.div,
			ticks: t.ticks.map((v) => [v * unit.div, trimNumber(v) + (v === 0 ? '' : '\u00a0' + unit.name)]),
		};
	}

	/* A bar inside a table cell: width by CSSOM, the number as text beside it. */
	function barCell(value, max, text, cls) {
		const td = h('td', 'ma-plot-barcell' + (cls ? ' ' + cls : ''));
		const wrap = h('div', 'ma-plot-barwrap');
		const track = h('div', 'ma-plot-bartrack');
		const bar = h('div', 'ma-plot-bar');
		bar.style.width = (max > 0 ? Math.max(0, Math.min(100, 100 * value / max)) : 0).toFixed(2) + '%';
		track.appendChild(bar);
		wrap.appendChild(track);
		wrap.appendChild(h('span', 'ma-plot-barnum', text));
		td.appendChild(wrap);
		return td;
	}

	/* An allocation site: the function over its file:line. */
	function siteCell(s, cls) {
		const td = h('td', 'ma-plot-site ' + cls);
		td.appendChild(h('div', 'ma-plot-fn', str(s.function, '???') || '???'));
		td.appendChild(h('div', 'ma-plot-loc', where(s.file, s.line)));
		return td;
	}

	/* The caption under a select: the process's command, shortened, full text in title. */
	function commandLine(cmd) {
		const p = h('p', 'ma-plot-command');
		p.appendChild(h('span', 'ma-plot-command-label', 'process '));
		const code = h('code', null, shorten(cmd, 300) || '(unknown command)');
		code.title = showable(shorten(cmd, 2000));
		p.appendChild(code);
		return p;
	}

	/* ---------- heap (massif) ---------- */

	function heapPeakBytes(prof) {
		const s = Array.isArray(prof.snapshots) ? prof.snapshots[num(prof.peak)] : null;
		return s ? num(s.heap) : 0;
	}

	function heap(el, heapProfiles) {
		const list = Array.isArray(heapProfiles) ? heapProfiles.filter((p) => p && Array.isArray(p.snapshots)) : [];
		const f = frame(el, 'heap', 'Heap over time (massif)');
		if (!list.length) {
			emptyMessage(f.body, 'No massif profile: run with --dynamic massif to see the heap over time.');
			return;
		}
		let current = 0;
		if (list.length > 1) {
			const opts = list.map((p, i) => [i, shorten(p.command, 80) + ' \u2014 peak ' + fmtBytes(heapPeakBytes(p))]);
			f.controls.appendChild(select('Process', opts, (v) => { current = Number(v); show(); }));
		}
		const show = () => {
			clear(f.body);
			heapProcess(el, f.body, list[current]);
		};
		show();
	}

	function heapProcess(el, body, prof) {
		body.appendChild(commandLine(prof.command));
		const snaps = prof.snapshots;
		if (!snaps.length) {
			emptyMessage(body, 'This process has no massif snapshots.');
			return;
		}
		body.appendChild(heapLegend());
		const chart = h('div', 'ma-heap-chart');
		body.appendChild(chart);
		drawAtWidth(el, chart, (w) => {
			clear(chart);
			chart.appendChild(heapChart(prof, w));
		});
		body.appendChild(heapSites(prof));
	}

	function heapLegend() {
		const l = h('div', 'ma-plot-legend');
		for (const [cls, text] of [['ma-heap-swatch-heap', 'heap (bytes asked for)'], ['ma-heap-swatch-extra', 'allocator overhead (extra)']]) {
			const item = h('span', 'ma-plot-legend-item');
			item.appendChild(h('span', 'ma-plot-swatch ' + cls));
			item.appendChild(document.createTextNode(text));
			l.appendChild(item);
		}
		return l;
	}

	function heapChart(prof, width) {
		const snaps = prof.snapshots, unit = str(prof.time_unit, 'i');
		const peakIdx = Math.min(Math.max(0, Math.floor(num(prof.peak))), snaps.length - 1);
		const narrow = width < 560;
		const H = narrow ? 220 : 280, m = { l: narrow ? 58 : 70, r: 14, t: 26, b: 38 };
		const W = Math.max(width, 200), iw = W - m.l - m.r, ih = H - m.t - m.b;
		const tMin = num(snaps[0].time), tMax = Math.max(num(snaps[snaps.length - 1].time), tMin + 1);
		let yMax = 1;
		for (const s of snaps)
			yMax = Math.max(yMax, num(s.heap) + num(s.extra));
		const yAxis = unitTicks(yMax, byteUnit(yMax), narrow ? 4 : 5);
		const tUnit = timeAxisUnit(unit, tMax);
		const tAxis = niceTicks((tMax - tMin) / tUnit.div, narrow ? 3 : 6);
		const x = (t) => m.l + iw * (num(t) - tMin) / (tMax - tMin);
		const y = (v) => m.t + ih - ih * v / yAxis.top;

		const root = svg('svg', { class: 'ma-heap-svg', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
		root.appendChild(svg('title', null, 'Heap over time, peak ' + fmtBytes(num(snaps[peakIdx].heap)) + ' at ' + fmtTime(snaps[peakIdx].time, unit)));
		drawHeapGrid(root, yAxis, tAxis, tUnit, tMin, x, y, m, iw, ih);
		drawHeapAreas(root, snaps, x, y, m.t + ih);
		drawHeapPoints(root, snaps, unit, x, y);
		drawHeapPeak(root, snaps[peakIdx], unit, x, y, m, W);
		root.appendChild(svg('text', { class: 'ma-plot-axis-title', x: m.l + iw / 2, y: H - 4, 'text-anchor': 'middle' },
			unit === 'B' ? 'bytes allocated so far' : unit === 'ms' ? 'time' : 'instructions executed'));
		return root;
	}

	function drawHeapGrid(root, yAxis, tAxis, tUnit, tMin, x, y, m, iw, ih) {
		const g = svg('g', { class: 'ma-plot-axes' });
		for (const [v, label] of yAxis.ticks) {
			const yy = Math.round(y(v)) + 0.5;
			g.appendChild(svg('line', { class: 'ma-plot-grid', x1: m.l, x2: m.l + iw, y1: yy, y2: yy }));
			g.appendChild(svg('text', { class: 'ma-plot-tick', x: m.l - 6, y: yy + 4, 'text-anchor': 'end' }, label));
		}
		for (const v of tAxis.ticks) {
			const t = tMin + v * tUnit.div;
			const xx = Math.round(x(t)) + 0.5;
			if (xx > m.l + iw + 1)
				continue;
			g.appendChild(svg('line', { class: 'ma-plot-tickmark', x1: xx, x2: xx, y1: m.t + ih, y2: m.t + ih + 5 }));
			/* the last labels stay inside the chart */
			const anchor = xx > m.l + iw - 24 ? 'end' : 'middle';
			g.appendChild(svg('text', { class: 'ma-plot-tick', x: anchor === 'end' ? m.l + iw + m.r - 2 : xx, y: m.t + ih + 18, 'text-anchor': anchor },
				trimNumber(v) + (v === 0 ? '' : '\u00a0' + tUnit.name)));
		}
		g.appendChild(svg('line', { class: 'ma-plot-axis', x1: m.l, x2: m.l + iw, y1: m.t + ih + 0.5, y2: m.t + ih + 0.5 }));
		root.appendChild(g);
	}

	/* Heap as an area from the axis, extra stacked on top of it. */
	function drawHeapAreas(root, snaps, x, y, base) {
		const top = [], mid = [];
		for (const s of snaps) {
			mid.push(x(s.time).toFixed(1) + ',' + y(num(s.heap)).toFixed(1));
			top.push(x(s.time).toFixed(1) + ',' + y(num(s.heap) + num(s.extra)).toFixed(1));
		}
		const x0 = x(snaps[0].time).toFixed(1), x1 = x(snaps[snaps.length - 1].time).toFixed(1);
		root.appendChild(svg('path', { class: 'ma-heap-area-extra', d: 'M' + top.join('L') + 'L' + mid.slice().reverse().join('L') + 'Z' }));
		root.appendChild(svg('path', { class: 'ma-heap-area', d: 'M' + x0 + ',' + base + 'L' + mid.join('L') + 'L' + x1 + ',' + base + 'Z' }));
		root.appendChild(svg('path', { class: 'ma-heap-line', d: 'M' + mid.join('L') }));
	}

	/* One .ma-heap-point per snapshot: a small dot and a wider invisible hit target, with a <title>. */
	function drawHeapPoints(root, snaps, unit, x, y) {
		const g = svg('g', { class: 'ma-heap-points' });
		let lastX = -1e9, lastY = -1e9;
		snaps.forEach((s, i) => {
			const px = x(s.time), py = y(num(s.heap) + num(s.extra));
			const cx = px.toFixed(1), cy = py.toFixed(1);
			/* dots closer than 6 px to the last one drawn would pile up into a bead chain: they show on hover only */
			const crowded = Math.abs(px - lastX) < 6 && Math.abs(py - lastY) < 6;
			if (!crowded) {
				lastX = px;
				lastY = py;
			}
			const p = svg('g', { class: 'ma-heap-point', 'data-index': i });
			p.appendChild(svg('title', null, 'snapshot ' + i + ': ' + fmtTime(s.time, unit) + '\nheap ' + fmtBytes(s.heap) +
				' (' + fmtInt(s.heap) + ' B)\nextra ' + fmtBytes(s.extra)));
			p.appendChild(svg('circle', { class: 'ma-heap-hit', cx, cy, r: 9 }));
			p.appendChild(svg('circle', { class: crowded ? 'ma-heap-dot ma-heap-dot-crowded' : 'ma-heap-dot', cx, cy, r: 2.5 }));
			g.appendChild(p);
		});
		root.appendChild(g);
	}

	function drawHeapPeak(root, s, unit, x, y, m, W) {
		const px = x(s.time), py = y(num(s.heap) + num(s.extra));
		const g = svg('g', { class: 'ma-heap-peak' });
		g.appendChild(svg('title', null, 'peak: ' + fmtBytes(s.heap) + ' heap + ' + fmtBytes(s.extra) + ' extra at ' + fmtTime(s.time, unit)));
		g.appendChild(svg('line', { class: 'ma-heap-peak-line', x1: px, x2: px, y1: m.t - 4, y2: py }));
		g.appendChild(svg('circle', { class: 'ma-heap-peak-dot', cx: px, cy: py, r: 5 }));
		const right = px > W - 150;
		g.appendChild(svg('text', { class: 'ma-heap-peak-label', x: px + (right ? -6 : 6), y: m.t - 10, 'text-anchor': right ? 'end' : 'start' },
			'peak ' + fmtBytes(s.heap)));
		root.appendChild(g);
	}

	/* The peak's allocation sites: function, file:line, bytes, % of peak with a bar. */
	function heapSites(prof) {
		const sites = Array.isArray(prof.sites) ? prof.sites : [];
		const wrap = h('div', 'ma-heap-sites');
		const peak = heapPeakBytes(prof);
		wrap.appendChild(h('h4', 'ma-plot-subtitle', 'At the peak (' + fmtBytes(peak) + '), the largest allocation sites'));
		if (!sites.length) {
			emptyMessage(wrap, 'massif named no allocation site with source information.');
			return wrap;
		}
		const table = h('table', 'ma-plot-table ma-heap-table');
		const head = h('tr');
		for (const [t, cls] of [['Site', ''], ['Bytes', 'ma-plot-num'], ['% of peak', 'ma-plot-barhead']])
			head.appendChild(h('th', cls || null, t)).setAttribute('scope', 'col');
		table.appendChild(h('thead')).appendChild(head);
		const tb = h('tbody');
		const max = Math.max(...sites.map((s) => num(s.bytes)), 1);
		for (const s of sites) {
			const tr = h('tr', 'ma-heap-site');
			tr.appendChild(siteCell(s, 'ma-heap-site-name'));
			tr.appendChild(h('td', 'ma-plot-num', fmtBytes(s.bytes))).title = fmtInt(s.bytes) + ' bytes';
			tr.appendChild(barCell(num(s.bytes), peak > 0 ? peak : max, fmtPct(num(s.bytes), peak)));
			tb.appendChild(tr);
		}
		table.appendChild(tb);
		const scroll = h('div', 'ma-plot-scroll');
		scroll.appendChild(table);
		wrap.appendChild(scroll);
		return wrap;
	}

	/* ---------- allocations (DHAT) ---------- */

	const ALLOC_COLUMNS = [
		{ key: 'bytes', label: 'Bytes', fmt: fmtBytes, title: 'bytes allocated in total' },
		{ key: 'blocks', label: 'Blocks', fmt: fmtInt, title: 'blocks allocated' },
		{ key: 'max_bytes', label: 'Max live', fmt: fmtBytes, title: 'bytes live at once, at most' },
		{ key: 'avg_lifetime', label: 'Avg lifetime', fmt: null, title: 'a block\u2019s average lifetime' },
		{ key: 'reads', label: 'Reads', fmt: fmtBytes, title: 'bytes read from the blocks' },
		{ key: 'writes', label: 'Writes', fmt: fmtBytes, title: 'bytes written to the blocks' },
	];

	/*
	 * DHAT's warnings. "never read": no byte read (reads == 0, the report's
	 * never_read); the chip says "write-only" as well when the blocks were
	 * written, so a site never touched at all reads differently from one
	 * that was filled and dropped. "short-lived": the report's short_lived
	 * (average lifetime below DHAT's threshold, which the JSON does not carry).
	 */
	function allocFlags(s) {
		const flags = [];
		if (num(s.bytes) > 0 && num(s.reads) === 0)
			flags.push(num(s.writes) > 0
				? ['never-read', 'never read \u00b7 write-only', 'written (' + fmtBytes(s.writes) + ') but never read: the allocation may be useless']
				: ['never-read', 'never read', 'neither read nor written']);
		if (s.short_lived === true)
			flags.push(['short-lived', 'short-lived', 'blocks live a very short time: a stack buffer or reuse may do']);
		return flags;
	}

	function allocations(el, allocProfiles) {
		const list = Array.isArray(allocProfiles) ? allocProfiles.filter((p) => p && Array.isArray(p.sites)) : [];
		const f = frame(el, 'alloc', 'Allocation sites (DHAT)');
		if (!list.length) {
			emptyMessage(f.body, 'No DHAT profile: run with --dynamic dhat to see allocation sites.');
			return;
		}
		const state = { proc: 0, key: 'bytes', desc: true };
		if (list.length > 1) {
			const opts = list.map((p, i) => [i, shorten(p.command, 80) + ' \u2014 ' + p.sites.length + ' sites']);
			f.controls.appendChild(select('Process', opts, (v) => { state.proc = Number(v); show(); }));
		}
		const show = () => {
			clear(f.body);
			const prof = list[state.proc];
			f.body.appendChild(commandLine(prof.command));
			if (!prof.sites.length) {
				emptyMessage(f.body, 'DHAT named no allocation site with source information for this process.');
				return;
			}
			const scroll = h('div', 'ma-plot-scroll');
			scroll.appendChild(allocTable(prof, state, show));
			f.body.appendChild(scroll);
		};
		show();
	}

	function allocSortValue(s, key) {
		return key === 'site' ? str(s.function) + '\u0000' + where(s.file, s.line) : num(s[key]);
	}

	function allocTable(prof, state, rerender) {
		const unit = str(prof.time_unit, 'instrs');
		const table = h('table', 'ma-plot-table ma-alloc-table');
		const head = h('tr');
		const cols = [{ key: 'site', label: 'Site', title: 'function and file:line' }].concat(ALLOC_COLUMNS);
		for (const c of cols)
			head.appendChild(allocHeader(c, state, rerender));
		table.appendChild(h('thead')).appendChild(head);

		const sites = prof.sites.slice();
		const dir = state.desc ? -1 : 1;
		sites.sort((a, b) => {
			const va = allocSortValue(a, state.key), vb = allocSortValue(b, state.key);
			return va < vb ? -dir : va > vb ? dir : num(b.bytes) - num(a.bytes);
		});
		const maxBytes = Math.max(1, ...sites.map((s) => num(s.bytes)));
		const tb = h('tbody');
		for (const s of sites)
			tb.appendChild(allocRow(s, unit, prof, maxBytes));
		table.appendChild(tb);
		return table;
	}

	/* A sortable header: a button (keyboard reachable) and aria-sort on the th. */
	function allocHeader(c, state, rerender) {
		const th = h('th', c.key === 'site' ? null : 'ma-plot-num');
		th.setAttribute('scope', 'col');
		th.setAttribute('data-alloc-sort', c.key);
		const active = state.key === c.key;
		th.setAttribute('aria-sort', active ? (state.desc ? 'descending' : 'ascending') : 'none');
		const b = h('button', 'ma-plot-sort' + (active ? ' ma-plot-sort-active' : ''), c.label);
		b.type = 'button';
		b.title = 'sort by ' + c.title;
		b.appendChild(h('span', 'ma-plot-sort-arrow', active ? (state.desc ? ' \u25bc' : ' \u25b2') : ''));
		b.addEventListener('click', () => {
			if (state.key === c.key)
				state.desc = !state.desc;
			else {
				state.key = c.key;
				state.desc = c.key !== 'site';
			}
			const plot = th.closest('.ma-plot') || document;
			rerender();
			const again = plot.querySelector('th[data-alloc-sort="' + c.key + '"] button');
			if (again)
				again.focus();          /* the table was rebuilt: keep the keyboard where it was */
		});
		th.appendChild(b);
		return th;
	}

	function allocRow(s, unit, prof, maxBytes) {
		const tr = h('tr', 'ma-alloc-row');
		const site = siteCell(s, 'ma-alloc-site');
		tr.appendChild(site);
		tr.appendChild(barCell(num(s.bytes), maxBytes, fmtBytes(s.bytes), 'ma-alloc-bytes'));
		for (const c of ALLOC_COLUMNS.slice(1)) {
			const text = c.key === 'avg_lifetime' ? allocLifetime(s.avg_lifetime, unit) : c.fmt(s[c.key]);
			const td = h('td', 'ma-plot-num', text);
			td.title = fmtInt(s[c.key]) + (c.key === 'avg_lifetime' ? ' ' + unit + (num(prof.total_time) > 0
				? ' (' + fmtPct(num(s.avg_lifetime), num(prof.total_time)) + ' of the run)' : '') : c.key === 'blocks' ? ' blocks' : ' bytes');
			tr.appendChild(td);
		}
		/* the flags sit under the site, so a phone shows them without scrolling the table sideways */
		const flags = allocFlags(s);
		if (flags.length) {
			const div = h('div', 'ma-alloc-flags');
			for (const [key, label, title] of flags) {
				const chip = h('span', 'ma-alloc-flag ma-alloc-flag-' + key, label);
				chip.setAttribute('data-flag', key);
				chip.title = title;
				div.appendChild(chip);
			}
			site.appendChild(div);
			tr.setAttribute('data-flags', flags.map((f) => f[0]).join(' '));
		}
		return tr;
	}

	function allocLifetime(v, unit) {
		return unit === 'instrs' || unit === 'i' ? fmtCount(v) + '\u00a0instr' : fmtCount(v) + '\u00a0' + unit;
	}

	/* ---------- flame (callgrind) ---------- */

	const FLAME_ROW = 20;          /* px per level */
	const FLAME_BUDGET = 3000;     /* frames per tree (and per zoomed subtree) */
	const FLAME_MIN = 0.001;       /* frames narrower than this share of the shown width are cut */

	/* Where programs start: callgrind's "(below main)", the loader's and threads' entries. */
	const ENTRY_NAMES = new Set(['main', '(below main)', '_start', '_dl_start', '_dl_start_final', 'dl_main',
		'__libc_start_main', '__libc_start_call_main', '_dl_init', '_dl_fini', 'start_thread', 'clone', 'clone3',
		'exit', '__run_exit_handlers', '_dl_runtime_resolve_xsavec', '_dl_runtime_resolve_xsave']);

	function cost(o, ev) {
		return o && o.inclusive ? num(o.inclusive[ev]) : 0;
	}

	/* Callees per caller, costliest first; whether anybody (listed) calls a function. */
	function callGraph(prof, ev) {
		const fns = Array.isArray(prof.functions) ? prof.functions : [];
		const n = fns.length;
		const out = Array.from({ length: n }, () => []);
		const called = new Uint8Array(n);
		for (const e of Array.isArray(prof.edges) ? prof.edges : []) {
			const a = e && e.caller, b = e && e.callee;
			if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n || a === b)
				continue;           /* a self call is recursion: its cost is already in self */
			out[a].push({ callee: b, w: cost(e, ev), calls: num(e.calls) });
			called[b] = 1;
		}
		for (const l of out)
			l.sort((x, y) => y.w - x.w);
		return { fns, out, called };
	}

	/*
	 * The tree's first level. The report lists only the project's functions
	 * and the 50 costliest others, so a library function nobody listed calls
	 * (__printf_fp_l, reached from printf through an unlisted function) is a
	 * fragment whose cost already lies under main: drawing every uncalled
	 * function side by side would count it twice. So the first level is the
	 * uncalled functions where programs start (main, "(below main)", the
	 * loader's dl_main/_dl_start, thread starts) and the project's uncalled
	 * functions; only when none of those exists (a cut profile) every
	 * uncalled function; and when everything is called (a cycle) the
	 * costliest function. The rest of the total is left as a gap beside them.
	 */
	function flameRoots(g, ev) {
		const all = [], entries = [];
		g.fns.forEach((f, i) => {
			if (g.called[i])
				return;
			all.push(i);
			if (ENTRY_NAMES.has(str(f && f.function)) || (f && f.in_project === true))
				entries.push(i);
		});
		let roots = entries.length ? entries : all;
		if (!roots.length && g.fns.length) {
			let best = 0;
			g.fns.forEach((f, i) => { if (cost(f, ev) > cost(g.fns[best], ev)) best = i; });
			roots = [best];
		}
		return roots.map((i) => ({ callee: i, w: cost(g.fns[i], ev), calls: num(g.fns[i].calls) })).sort((a, b) => b.w - a.w);
	}

	function onPath(node, f) {
		for (let p = node; p; p = p.parent)
			if (p.f === f)
				return true;
		return false;
	}

	/*
	 * Expand a node's subtree breadth first (so a budget cut takes the
	 * deepest, not the last siblings). A child's width is its edge's
	 * inclusive cost, scaled by the share of the callee's cost that this
	 * call path carries (a function called from two places has its callees
	 * split in proportion, not drawn twice in full); children never overflow
	 * their parent. A function already on the path (recursion, cycles) and
	 * frames below min are cut.
	 */
	function expand(tree, start, min, budget) {
		const { g, ev } = tree;
		start.kids = [];
		const queue = [start];
		let count = 0;
		for (let qi = 0; qi < queue.length; qi++) {
			const node = queue[qi];
			const cands = node.f < 0 ? tree.roots : g.out[node.f];
			const own = node.f < 0 ? 0 : cost(g.fns[node.f], ev);
			const scale = node.f < 0 ? 1 : own > 0 ? Math.min(1, node.w / own) : 0;
			let x = node.x;
			const end = node.x + node.w;
			for (const c of cands) {
				let w = c.w * scale;
				if (w <= 0 || w < min)
					break;                  /* sorted: the rest are narrower */
				if (onPath(node, c.callee))
					continue;
				w = Math.min(w, end - x);
				if (w <= 0 || w < min)
					break;
				if (count >= budget) {
					tree.truncated = true;
					return;
				}
				const kid = { f: c.callee, w, x, d: node.d + 1, parent: node, kids: [], calls: c.calls * Math.min(1, scale) };
				node.kids.push(kid);
				queue.push(kid);
				x += w;
				count++;
			}
		}
		start.min = min;
	}

	function buildFlameTree(prof, ev) {
		const g = callGraph(prof, ev);
		const tree = { g, ev, roots: null, truncated: false };
		tree.roots = flameRoots(g, ev);
		const rootsSum = tree.roots.reduce((s, r) => s + r.w, 0);
		const total = Math.max(num(prof.totals && prof.totals[ev]), rootsSum);
		tree.total = total;
		tree.root = { f: -1, w: total, x: 0, d: 0, parent: null, kids: [], calls: 0 };
		expand(tree, tree.root, total * FLAME_MIN, FLAME_BUDGET);
		return tree;
	}

	function flameName(tree, node) {
		if (node.f < 0)
			return 'all (' + fmtInt(tree.total) + ' ' + tree.ev + ')';
		return str(tree.g.fns[node.f].function, '???') || '???';
	}

	function costLabel(prof) {
		const ev = Array.isArray(prof.events) ? prof.events.join(', ') : '';
		return ev || 'costs';
	}

	function flame(el, costProfiles) {
		const list = Array.isArray(costProfiles) ? costProfiles.filter((p) => p && Array.isArray(p.functions) && p.functions.length) : [];
		const f = frame(el, 'flame', 'Where the time goes (callgrind)');
		if (!list.length) {
			emptyMessage(f.body, 'No callgrind profile: run with --dynamic callgrind to see the costs of the functions.');
			return;
		}
		const choices = [];
		list.forEach((p, pi) => {
			const evs = Array.isArray(p.events) && p.events.length ? p.events : Object.keys(p.totals || {});
			for (const ev of evs)
				choices.push([pi + ':' + ev, list.length > 1 ? ev + ' (profile ' + (pi + 1) + ': ' + costLabel(p) + ')' : ev]);
		});
		if (!choices.length)
			choices.push(['0:Ir', 'Ir']);
		const state = { choice: choices[0][0] };
		const view = flameView(el, f);
		if (choices.length > 1)
			f.controls.appendChild(select('Event', choices, (v) => { state.choice = v; load(); }));
		const load = () => {
			const sep = state.choice.indexOf(':');
			const prof = list[Number(state.choice.slice(0, sep))], ev = state.choice.slice(sep + 1);
			view.load(prof, ev);
		};
		load();
	}

	/* The flame's controls (search, reset), caption, legend and drawing area; load() shows one profile+event. */
	function flameView(el, f) {
		const bar = h('div', 'ma-flame-toolbar');
		const search = h('input', 'ma-flame-search');
		search.type = 'search';
		search.placeholder = 'Highlight functions\u2026';
		search.setAttribute('aria-label', 'highlight functions whose name contains');
		const count = h('span', 'ma-flame-matches');
		count.setAttribute('aria-live', 'polite');
		const reset = h('button', 'ma-flame-reset', 'Reset zoom');
		reset.type = 'button';
		reset.disabled = true;
		bar.appendChild(search);
		bar.appendChild(count);
		bar.appendChild(reset);
		f.body.appendChild(bar);
		const caption = h('p', 'ma-plot-command');
		f.body.appendChild(caption);
		f.body.appendChild(flameLegend());
		const host = h('div', 'ma-flame-host');
		f.body.appendChild(host);
		const note = h('p', 'ma-plot-note');
		f.body.appendChild(note);
		const tip = tooltip(host);
		const st = { tree: null, zoom: null, drawn: [], width: 800, query: '', prof: null };

		const draw = () => {
			tip.hide();
			st.drawn = drawFlame(host, st, tip);
			reset.disabled = !st.zoom;
			highlight();
		};
		const highlight = () => {
			const q = st.query.toLowerCase();
			flameHighlight(host, st, q, count);
		};
		const zoomTo = (node) => {
			st.zoom = node && node !== st.tree.root ? node : null;
			if (st.zoom && (st.zoom.min === undefined || st.zoom.min > st.zoom.w * FLAME_MIN * 1.0001))
				expand(st.tree, st.zoom, st.zoom.w * FLAME_MIN, FLAME_BUDGET);   /* finer detail inside the zoom */
			draw();
		};
		search.addEventListener('input', () => { st.query = search.value; highlight(); });
		reset.addEventListener('click', () => zoomTo(null));
		host.addEventListener('click', (e) => {
			const node = frameNode(st, e.target);
			if (!node)
				return;
			zoomTo(node === st.zoom || node.f < 0 ? null : node);
		});
		host.addEventListener('keydown', (e) => {
			if (e.key !== 'Enter' && e.key !== ' ')
				return;
			const node = frameNode(st, e.target);
			if (!node)
				return;
			e.preventDefault();
			zoomTo(node === st.zoom || node.f < 0 ? null : node);
			/* the frames were redrawn: keep the keyboard on the new root (or the top frame) */
			const next = host.querySelector('.ma-flame-root') || host.querySelector('.ma-flame-frame');
			if (next)
				next.focus();
		});
		host.addEventListener('pointermove', (e) => {
			const node = frameNode(st, e.target);
			if (node)
				tip.show(flameTipLines(st, node), e.clientX, e.clientY);
			else
				tip.hide();
		});
		host.addEventListener('pointerleave', () => tip.hide());

		return {
			load(prof, ev) {
				st.prof = prof;
				st.tree = buildFlameTree(prof, ev);
				st.zoom = null;
				const procs = num(prof.processes);
				clear(caption);
				caption.appendChild(h('span', 'ma-plot-command-label', 'total '));
				caption.appendChild(h('strong', null, fmtInt(st.tree.total) + ' ' + ev));
				caption.appendChild(document.createTextNode(' over ' + procs + (procs === 1 ? ' process' : ' processes') +
					(Array.isArray(prof.commands) && prof.commands.length ? ': ' : '')));
				if (Array.isArray(prof.commands) && prof.commands.length) {
					const code = h('code', null, shorten(prof.commands.slice(0, 3).join(' \u00b7 '), 200) + (prof.commands.length > 3 ? ' \u2026' : ''));
					code.title = showable(shorten(prof.commands.join('\n'), 2000));
					caption.appendChild(code);
				}
				note.textContent = !(st.tree.total > 0) ? 'No ' + ev + ' cost was recorded.' : 'Root on top; a frame\u2019s width is its inclusive cost along that call path (callers\u2019 costs split among their call sites). ' +
					'Click a frame to zoom into it, click it again (or the top frame) to zoom out. Recursion is cut, and frames under 0.1% of the width shown.' +
					(st.tree.truncated ? ' Only the ' + FLAME_BUDGET + ' widest frames are drawn.' : '');
				drawAtWidth(el, host, (w) => { st.width = w; draw(); });
			},
		};
	}

	function flameLegend() {
		const l = h('div', 'ma-plot-legend');
		for (const [cls, text] of [['ma-flame-swatch-project', 'the project\u2019s functions (bold)'], ['ma-flame-swatch-lib', 'libraries']]) {
			const item = h('span', 'ma-plot-legend-item');
			item.appendChild(h('span', 'ma-plot-swatch ' + cls));
			item.appendChild(document.createTextNode(text));
			l.appendChild(item);
		}
		return l;
	}

	function frameNode(st, target) {
		const g = target && target.closest ? target.closest('.ma-flame-frame') : null;
		if (!g)
			return null;
		const i = Number(g.getAttribute('data-i'));
		return Number.isInteger(i) ? st.drawn[i] || null : null;
	}

	function flameTipLines(st, node) {
		const tree = st.tree, ev = tree.ev;
		if (node.f < 0)
			return [flameName(tree, node), 'the whole run: ' + fmtInt(tree.total) + ' ' + ev];
		const fn = tree.g.fns[node.f];
		const lines = [flameName(tree, node), where(fn.file, fn.line) + (fn.in_project === true ? '  (project)' : '  (' + shorten(str(fn.object, 'library'), 80) + ')')];
		lines.push('here: ' + fmtInt(node.w) + ' ' + ev + ' (' + fmtPct(node.w, tree.total) + ' of the total)');
		lines.push('function: inclusive ' + fmtInt(cost(fn, ev)) + ' (' + fmtPct(cost(fn, ev), tree.total) + '), self ' +
			fmtInt(fn.self ? num(fn.self[ev]) : 0) + ' (' + fmtPct(fn.self ? num(fn.self[ev]) : 0, tree.total) + ')');
		lines.push('called ' + fmtInt(fn.calls) + ' times');
		return lines;
	}

	/* The frames to draw: the zoom root's ancestors (full width) and its subtree wider than a pixel. */
	function visibleFrames(st, W) {
		const tree = st.tree, z = st.zoom || tree.root;
		const out = [];
		const chain = [];
		for (let p = z.parent; p; p = p.parent)
			chain.unshift(p);
		for (const p of chain)
			out.push([p, 0, W, true]);
		const scale = W / (z.w || 1);
		const stack = [z];
		while (stack.length) {
			const n = stack.pop();
			const px = (n.x - z.x) * scale, pw = n.w * scale;
			if (pw < 1)
				continue;
			out.push([n, px, pw, false]);
			for (let i = n.kids.length - 1; i >= 0; i--)
				stack.push(n.kids[i]);
		}
		return out;
	}

	/* Measured once: the labels' average character width, to cut labels to their frame. */
	let charWidth = 0;
	function labelCharWidth(svgRoot) {
		if (charWidth)
			return charWidth;
		const probe = svg('text', { class: 'ma-flame-label', x: 0, y: 0 }, 'abcdefghijklmnopqrstuvwxyz_ABCDEF0123');
		svgRoot.appendChild(probe);
		const w = probe.getComputedTextLength ? probe.getComputedTextLength() : 0;
		svgRoot.removeChild(probe);
		if (w > 0)
			charWidth = w / 38;
		return charWidth || 7;
	}

	function drawFlame(host, st, tip) {
		const W = Math.max(200, st.width), tree = st.tree;
		const frames = tree.total > 0 ? visibleFrames(st, W) : [];
		let depth = 0;
		for (const [n] of frames)
			depth = Math.max(depth, n.d);
		const H = (depth + 1) * FLAME_ROW + 1;
		const root = svg('svg', { class: 'ma-flame-svg', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'group' });
		root.setAttribute('aria-label', 'flame graph of ' + tree.ev + ', ' + frames.length + ' frames');
		/* attached before drawing so the label width can be measured */
		const old = host.querySelector('svg.ma-flame-svg');
		if (old)
			host.replaceChild(root, old);
		else
			host.insertBefore(root, host.firstChild);
		const cw = labelCharWidth(root);
		const drawn = [];
		const frag = document.createDocumentFragment();
		for (const [n, px, pw, ancestor] of frames) {
			const i = drawn.length;
			drawn.push(n);
			frag.appendChild(flameFrame(tree, st, n, i, px, pw, ancestor, cw));
		}
		root.appendChild(frag);
		return drawn;
	}

	function flameFrame(tree, st, n, i, px, pw, ancestor, cw) {
		const fn = n.f >= 0 ? tree.g.fns[n.f] : null;
		const project = !!(fn && fn.in_project === true);
		let cls = 'ma-flame-frame' + (project ? ' ma-flame-project' : n.f < 0 ? ' ma-flame-all' : ' ma-flame-lib');
		if (ancestor)
			cls += ' ma-flame-ancestor';
		if (st.zoom === n)
			cls += ' ma-flame-root';
		const name = flameName(tree, n);
		const g = svg('g', { class: cls, 'data-i': i, transform: 'translate(' + px.toFixed(2) + ',' + (n.d * FLAME_ROW) + ')' });
		if (st.zoom)
			g.setAttribute('data-zoomed', st.zoom === n ? 'root' : ancestor ? 'ancestor' : 'inside');
		g.setAttribute('data-name', name);
		const w = Math.max(0.5, pw - 1);
		g.appendChild(svg('rect', { class: 'ma-flame-rect', width: w.toFixed(2), height: FLAME_ROW - 1, rx: 2 }));
		if (project && w > 4)
			g.appendChild(svg('rect', { class: 'ma-flame-mark', width: 3, height: FLAME_ROW - 1 }));
		const room = Math.floor((w - 8) / cw);
		if (room >= 3) {
			const shown = showable(name);
			const label = shown.length > room ? shown.slice(0, room - 1) + '\u2026' : shown;
			g.appendChild(svg('text', { class: 'ma-flame-label', x: project ? 6 : 4, y: FLAME_ROW - 6 }, label));
		}
		if (pw >= 24) {
			g.setAttribute('tabindex', '0');      /* wide frames are keyboard targets; Enter zooms */
			g.setAttribute('role', 'button');
			g.setAttribute('aria-label', showable(name) + ', ' + fmtPct(n.w, tree.total));
		}
		return g;
	}

	/* Search: matching frames get .ma-flame-match, the rest dim; the count and the matches' share of the total. */
	function flameHighlight(host, st, q, countEl) {
		const root = host.querySelector('svg.ma-flame-svg');
		if (!root)
			return;
		const frames = root.querySelectorAll('.ma-flame-frame');
		root.classList.toggle('ma-flame-searching', q.length > 0);
		if (!q) {
			for (const g of frames)
				g.classList.remove('ma-flame-match');
			countEl.textContent = '';
			return;
		}
		let n = 0;
		const matched = new Set();
		for (const g of frames) {
			const node = st.drawn[Number(g.getAttribute('data-i'))];
			const hit = !!node && node.f >= 0 && flameName(st.tree, node).toLowerCase().includes(q);
			g.classList.toggle('ma-flame-match', hit);
			if (hit) {
				n++;
				matched.add(node);
			}
		}
		/* a match inside a match would count its cost twice: add up the outermost only */
		let share = 0;
		for (const node of matched) {
			let inner = false;
			for (let p = node.parent; p && !inner; p = p.parent)
				inner = matched.has(p);
			if (!inner)
				share += node.w;
		}
		countEl.textContent = n === 0 ? 'no match' : n + (n === 1 ? ' frame matches' : ' frames match') + ' (' + fmtPct(share, st.tree.total) + ' of ' + st.tree.ev + ')';
	}

	/* ---------- findings by directory ---------- */

	const SEVERITIES = ['error', 'warning', 'note'];

	/* "src/a/b.c" -> "src/a"; a file at the root -> "." */
	function dirOf(file) {
		const i = file.lastIndexOf('/');
		return i < 0 ? '.' : i === 0 ? '/' : file.slice(0, i);
	}

	function countByDirectory(findings) {
		const dirs = new Map();
		let noFile = 0;
		for (const f of findings) {
			const file = f && f.location && typeof f.location.file === 'string' ? f.location.file : null;
			if (!file) {
				noFile++;
				continue;
			}
			const d = dirOf(file);
			let e = dirs.get(d);
			if (!e) {
				e = { dir: d, total: 0, error: 0, warning: 0, note: 0 };
				dirs.set(d, e);
			}
			const sev = SEVERITIES.includes(f.severity) ? f.severity : 'note';
			e[sev]++;
			e.total++;
		}
		const list = Array.from(dirs.values()).sort((a, b) => b.total - a.total || b.error - a.error || (a.dir < b.dir ? -1 : 1));
		return { list, noFile };
	}

	function directories(el, findings, onSelect) {
		const f = frame(el, 'dirs', 'Findings by directory');
		const { list, noFile } = countByDirectory(Array.isArray(findings) ? findings : []);
		if (!list.length) {
			emptyMessage(f.body, noFile ? 'No finding names a file.' : 'No findings.');
			return;
		}
		f.body.appendChild(dirLegend());
		const shown = list.slice(0, 20);
		const max = shown[0].total;
		const ul = h('ul', 'ma-dir-list');
		for (const d of shown)
			ul.appendChild(h('li', 'ma-dir-item')).appendChild(dirBar(d, max, onSelect));
		f.body.appendChild(ul);
		const rest = list.length - shown.length;
		if (rest > 0 || noFile)
			f.body.appendChild(h('p', 'ma-plot-note', [
				rest > 0 ? rest + ' more ' + (rest === 1 ? 'directory' : 'directories') + ' with ' + list.slice(20).reduce((s, d) => s + d.total, 0) + ' findings not shown' : '',
				noFile ? noFile + (noFile === 1 ? ' finding names' : ' findings name') + ' no file' : '',
			].filter(Boolean).join('; ') + '.'));
	}

	function dirLegend() {
		const l = h('div', 'ma-plot-legend');
		for (const s of SEVERITIES) {
			const item = h('span', 'ma-plot-legend-item');
			item.appendChild(h('span', 'ma-plot-swatch ma-dir-seg-' + s));
			item.appendChild(document.createTextNode(s));
			l.appendChild(item);
		}
		return l;
	}

	function dirBar(d, max, onSelect) {
		const b = h('button', 'ma-dir-bar');
		b.type = 'button';
		b.setAttribute('data-dir', d.dir);
		const parts = SEVERITIES.filter((s) => d[s]).map((s) => d[s] + ' ' + s + (d[s] === 1 ? '' : 's'));
		b.title = showable(d.dir) + ': ' + parts.join(', ') + ' \u2014 show these findings';
		b.setAttribute('aria-label', showable(shorten(d.dir, 200)) + ': ' + d.total + (d.total === 1 ? ' finding' : ' findings') + ' (' + parts.join(', ') + ')');
		b.appendChild(h('span', 'ma-dir-label', shorten(d.dir === '.' ? './' : d.dir, 200)));
		const track = h('span', 'ma-dir-track');
		const fill = h('span', 'ma-dir-fill');
		fill.style.width = (100 * d.total / max).toFixed(2) + '%';
		for (const s of SEVERITIES) {
			if (!d[s])
				continue;
			const seg = h('span', 'ma-dir-seg ma-dir-seg-' + s);
			seg.style.flexGrow = String(d[s]);
			fill.appendChild(seg);
		}
		track.appendChild(fill);
		b.appendChild(track);
		const cnt = h('span', 'ma-dir-count');
		cnt.appendChild(h('strong', null, String(d.total)));
		const sevs = SEVERITIES.filter((s) => d[s]).map((s) => d[s] + s[0].toUpperCase());
		cnt.appendChild(h('span', 'ma-dir-sevs', ' ' + sevs.join(' ')));
		b.appendChild(cnt);
		b.addEventListener('click', () => {
			if (typeof onSelect === 'function')
				onSelect(d.dir);
		});
		return b;
	}

	window.MAPlots = Object.freeze({ heap, allocations, flame, directories });
})();
