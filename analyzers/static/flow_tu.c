/*
 * Running the flow engine over a lowered translation unit: order the
 * functions callees-first, analyse each with a fresh context, keep its
 * summary for its callers, and turn its reports into findings.
 */
#include "flow_tu.h"
#include "flow_internal.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/finding.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

struct flow_summary *flow_summaries_new(size_t n);
void flow_summary_finish(struct flow_summary *all, size_t i, int complete, int impure);
void flow_run_function(struct flow_cx *cx);

/* ---------------------------------------------------------------- order */

static int32_t *function_index(const struct ir_tu *t)
{
	int32_t *map = ma_malloc(st_mult(t->nr_strings ? t->nr_strings : 1, sizeof(*map)));

	for (uint32_t i = 0; i < t->nr_strings; i++)
		map[i] = -1;
	for (size_t i = 0; i < t->nr_funcs; i++)
		if (map[t->funcs[i].name] < 0)
			map[t->funcs[i].name] = (int32_t)i;
	return map;
}

struct callees {
	uint32_t *v;
	uint32_t n, alloc;
};

static void collect_callees(const struct ir_func *f, const int32_t *map, struct callees *c)
{
	c->n = 0;
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			if (s->op == IR_CALL && s->callee && map[s->callee] >= 0) {
				ALLOC_GROW(c->v, c->n + 1, c->alloc);
				c->v[c->n++] = (uint32_t)map[s->callee];
			}
		}
	}
}

/* Post-order of the call graph (iterative DFS): callees before callers;
 * called[g] set for each function another one calls. */
static uint32_t *bottom_up_order(const struct ir_tu *t, const int32_t *map, uint8_t *called)
{
	size_t n = t->nr_funcs;
	uint32_t *order = ma_calloc(n ? n : 1, sizeof(*order)), nr = 0;
	uint8_t *state = ma_calloc(n ? n : 1, 1); /* 0 new, 1 on stack, 2 done */
	struct callees *edges = ma_calloc(n ? n : 1, sizeof(*edges));
	uint32_t *stack = ma_calloc(n ? n : 1, sizeof(*stack)), *next = ma_calloc(n ? n : 1, sizeof(*next));

	for (size_t i = 0; i < n; i++) {
		collect_callees(&t->funcs[i], map, &edges[i]);
		for (uint32_t k = 0; k < edges[i].n; k++)
			if (edges[i].v[k] != i)
				called[edges[i].v[k]] = 1;
	}
	for (size_t root = 0; root < n; root++) {
		uint32_t sp = 0;
		if (state[root])
			continue;
		stack[sp++] = (uint32_t)root;
		state[root] = 1;
		while (sp) {
			uint32_t f = stack[sp - 1];
			if (next[f] < edges[f].n) {
				uint32_t g = edges[f].v[next[f]++];
				if (!state[g]) {
					state[g] = 1;
					stack[sp++] = g;
				}
				continue;
			}
			state[f] = 2;
			order[nr++] = f;
			sp--;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(edges[i].v);
	free(edges);
	free(stack);
	free(next);
	free(state);
	return order;
}

/*
 * The constant a call passes: an integer literal, or a local that only
 * ever holds that one literal (intptr_t t = 10; ... (void *)t).
 */
static int constant_arg(const struct ir_func *f, const struct ir_val *v, int64_t *k)
{
	const struct ir_var *var;
	int stores = 0;

	if (v->kind == IRV_INT) {
		*k = v->k;
		return 1;
	}
	if (v->kind != IRV_PATH || f->paths[v->path].kind != IRP_VAR)
		return 0;
	var = &f->vars[f->paths[v->path].id];
	if (var->flags & (IRV_PARAM | IRV_GLOBAL | IRV_STATIC_LOCAL | IRV_ADDR_TAKEN))
		return 0;
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		for (uint32_t i = 0; i < f->blocks[b].nr_stmts; i++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[i];
			if (s->dst != v->path || s->op == IR_DECL)
				continue;
			if (s->op != IR_ASSIGN || s->a.kind != IRV_INT || (stores++ && s->a.k != *k))
				return 0;
			*k = s->a.k;
		}
	return stores > 0;
}

struct thread_start {
	unsigned refs, starts;  /* references to the function; those that start a thread with a constant */
	int64_t lo, hi;
};

static void count_ref(struct thread_start *ts, const int32_t *map, const struct ir_val *v)
{
	if (v->kind == IRV_FUNC && map[v->k] >= 0)
		ts[map[v->k]].refs++;
}

static void note_thread_start(const struct ir_tu *t, const struct ir_func *f, const struct ir_stmt *s,
			      const int32_t *map, struct thread_start *ts)
{
	const char *name = s->callee ? ir_string(t, s->callee) : "";
	int thrd = !strcmp(name, "thrd_create");
	const struct ir_val *fn;
	int64_t k;

	if (s->op != IR_CALL || s->aux < (thrd ? 3u : 4u) || (!thrd && strcmp(name, "pthread_create")))
		return;
	fn = &f->args[s->args + (thrd ? 1 : 2)];
	if (fn->kind != IRV_FUNC || map[fn->k] < 0)
		return;
	t->funcs[map[fn->k]].thread_entry = 1;
	if (!constant_arg(f, &f->args[s->args + (thrd ? 2 : 3)], &k))
		return;
	ts += map[fn->k];
	ts->lo = ts->starts ? (k < ts->lo ? k : ts->lo) : k;
	ts->hi = ts->starts ? (k > ts->hi ? k : ts->hi) : k;
	ts->starts++;
}

/*
 * Functions handed to pthread_create (or thrd_create) start with no lock
 * held.  One that is only ever started that way, always with integer
 * constants, starts with its argument in their range (a worker numbered
 * by its creator); a direct call or any other use of its address leaves
 * the argument unknown.
 */
static void mark_thread_entries(struct ir_tu *t, const int32_t *map)
{
	struct thread_start *ts = ma_calloc(t->nr_funcs ? t->nr_funcs : 1, sizeof(*ts));

	for (size_t i = 0; i < t->nr_funcs; i++) {
		const struct ir_func *f = &t->funcs[i];
		for (uint32_t b = 0; b < f->nr_blocks; b++) {
			for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
				const struct ir_stmt *s = &f->blocks[b].stmts[k];
				if (s->op == IR_CALL && s->callee && map[s->callee] >= 0)
					ts[map[s->callee]].refs++; /* a direct call */
				count_ref(ts, map, &s->a);
				count_ref(ts, map, &s->b);
				for (uint32_t a = 0; s->op == IR_CALL && a < s->aux; a++)
					count_ref(ts, map, &f->args[s->args + a]);
				note_thread_start(t, f, s, map, ts);
			}
		}
	}
	for (size_t i = 0; i < t->nr_funcs; i++) {
		struct ir_func *g = &t->funcs[i];
		g->has_thread_arg = g->thread_entry && ts[i].starts && ts[i].starts == ts[i].refs;
		g->thread_arg_lo = ts[i].lo;
		g->thread_arg_hi = ts[i].hi;
	}
	free(ts);
}

/* ---------------------------------------------------------------- findings */

struct source_cache {
	uint32_t file;
	struct strbuf text;
	size_t *line_start;     /* offset of line n + 1 in text */
	size_t nr_lines, alloc_lines;
	int loaded;
};

/* Load the file and index its lines once: findings come by the dozen per file. */
static void load_source(struct source_cache *sc, const struct ir_tu *t, uint32_t file)
{
	struct strbuf err = STRBUF_INIT;
	const char *p, *end;

	strbuf_reset(&sc->text);
	sc->file = file;
	sc->loaded = 1;
	sc->nr_lines = 0;
	strbuf_read_file(&sc->text, t->files[file], &err);
	strbuf_release(&err);
	p = sc->text.buf;
	end = p + sc->text.len;
	for (;;) {
		const char *nl;
		ALLOC_GROW(sc->line_start, sc->nr_lines + 1, sc->alloc_lines);
		sc->line_start[sc->nr_lines++] = (size_t)(p - sc->text.buf);
		nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		if (!nl)
			break;
		p = nl + 1;
	}
}

static uint64_t line_hash(struct source_cache *sc, const struct ir_tu *t, struct ir_loc at)
{
	const char *p, *end, *eol;

	if (!sc->loaded || sc->file != at.file)
		load_source(sc, t, at.file);
	end = sc->text.buf + sc->text.len;
	p = at.line >= 1 && at.line <= sc->nr_lines ? sc->text.buf + sc->line_start[at.line - 1] : end;
	eol = memchr(p, '\n', (size_t)(end - p));
	return ma_line_hash(p, (size_t)((eol ? eol : end) - p));
}

static void emit_findings(struct flow_cx *cx, struct source_cache *sc, struct ma_findings *sink)
{
	const char *fname = ir_string(cx->t, cx->f->name);

	for (size_t i = 0; i < cx->nr_reports; i++) {
		struct flow_report *r = &cx->reports[i];
		const struct ma_rule *rule = (size_t)r->id < cx->fe->nr_rules ? cx->fe->rules[r->id] : NULL;
		struct ma_location loc = { .file = cx->t->files[r->at.file], .line = r->at.line,
					   .column = r->at.col, .function = (char *)fname };
		struct ma_finding *f;

		if (rule) {
			f = ma_finding_new(rule, r->message, &loc, "static");
			f->line_hash = line_hash(sc, cx->t, r->at);
			for (size_t k = 0; k < r->nr_events; k++) {
				struct ma_location el = { .file = cx->t->files[r->events[k].at.file],
							  .line = r->events[k].at.line,
							  .column = r->events[k].at.col,
							  .function = (char *)fname };
				ma_finding_add_event(f, &el, r->events[k].message);
			}
			ma_findings_add(sink, f);
		}
		for (size_t k = 0; k < r->nr_events; k++)
			free(r->events[k].message);
		free(r->events);
		free(r->message);
	}
	cx->nr_reports = 0;
}

/* ---------------------------------------------------------------- driver */

static void cx_reset(struct flow_cx *cx)
{
	ALLOC_GROW(cx->var_facts, cx->f->nr_vars, cx->alloc_var_facts);
	cx->nr_var_facts = cx->f->nr_vars;
	if (cx->var_facts)
		memset(cx->var_facts, 0, cx->nr_var_facts);
	if (cx->alloc_path_loc < cx->f->nr_paths) {
		free(cx->path_loc);
		cx->alloc_path_loc = cx->f->nr_paths;
		cx->path_loc = ma_malloc(st_mult(cx->alloc_path_loc, sizeof(*cx->path_loc)));
	}
	if (cx->path_loc) /* only this function's paths are looked up */
		memset(cx->path_loc, 0, cx->f->nr_paths * sizeof(*cx->path_loc));
	/* the hash tables are sized for the largest function so far: one
	 * far too big for the last function starts small again */
	if (cx->loc_hash_size > 1024 && cx->loc_hash_size > 8 * cx->nr_locs) {
		free(cx->loc_hash);
		cx->loc_hash = NULL;
		cx->loc_hash_size = 0;
	}
	if (cx->region_hash_size > 1024 && cx->region_hash_size > 8 * cx->nr_regions) {
		free(cx->region_hash);
		cx->region_hash = NULL;
		cx->region_hash_size = 0;
	}
	cx->nr_locs = 0;
	cx->nr_regions = 0;
	if (cx->region_hash)
		memset(cx->region_hash, 0, cx->region_hash_size * sizeof(*cx->region_hash));
	if (cx->loc_hash)
		memset(cx->loc_hash, 0, cx->loc_hash_size * sizeof(*cx->loc_hash));
	cx->steps = 0;
	cx->gave_up = 0;
	cx->known_elems = 0;
	cx->pointer_params = 0;
	for (uint32_t v = 0; v < cx->f->nr_vars && !cx->pointer_params; v++)
		cx->pointer_params = (cx->f->vars[v].flags & IRV_PARAM) && (cx->f->vars[v].type & IRT_POINTER);
	cx->impure = 0;
}

static void cx_release(struct flow_cx *cx)
{
	free(cx->locs);
	free(cx->path_loc);
	free(cx->loc_hash);
	free(cx->regions);
	free(cx->region_keys);
	free(cx->region_hash);
	free(cx->args);
	free(cx->thresholds);
	free(cx->reports);
	state_release(&cx->join_scratch);
	free(cx->var_facts);
}

void flow_analyze_tu(const struct flow_engine *fe, struct ir_tu *t, struct ma_findings *sink,
		     struct flow_stats *stats)
{
	struct flow_cx cx = { .fe = fe, .t = t };
	struct source_cache sc = { .text = STRBUF_INIT };
	int32_t *map = function_index(t);
	uint8_t *called = ma_calloc(t->nr_funcs ? t->nr_funcs : 1, 1);
	uint32_t *order = bottom_up_order(t, map, called);

	cx.func_of_str = map;
	cx.allocator_name = ma_calloc(t->nr_strings ? t->nr_strings : 1, 1);
	mark_thread_entries(t, map);
	cx.nr_summaries = t->nr_funcs;
	cx.called = called; /* a summary no one reads is not made */
	cx.summaries = flow_summaries_new(t->nr_funcs);
	for (size_t i = 0; i < t->nr_funcs; i++) {
		struct ir_func *f = &t->funcs[order[i]];
		if (f->truncated) {
			stats->skipped++;
			continue;
		}
		cx.f = f;
		flow_summary_adopt_globals(&cx);
		cx_reset(&cx);
		flow_run_function(&cx);
		stats->functions++;
		stats->abandoned += cx.gave_up != 0;
		flow_summary_finish(cx.summaries, order[i], !cx.gave_up, cx.impure);
		emit_findings(&cx, &sc, sink);
	}
	strbuf_release(&sc.text);
	free(sc.line_start);
	free(cx.summaries);
	free(cx.allocator_name);
	free(map);
	free(order);
	free(called);
	cx_release(&cx);
	state_pools_drain();
}
