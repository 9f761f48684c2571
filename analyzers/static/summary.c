/*
 * Function summaries and the per-translation-unit driver of the flow
 * engine.
 *
 * Functions are analysed bottom-up over the TU's call graph (callees
 * first; a recursive cycle is cut where the depth-first search meets it),
 * so that when a caller is analysed each local callee already has a
 * summary of what it does to its pointer parameters and what it returns:
 *   frees parameter i        (on every path to its return)
 *   may free parameter i     (on some path: the caller stops tracking it)
 *   keeps parameter i        (stores it somewhere that outlives the call)
 *   returns new memory       (of which family, maybe NULL or not)
 *   returns parameter i / NULL / a constant
 *   dereferences parameter i (or the pointer *i holds, or global g) on
 *     every path, without testing it first; reads *i before writing it:
 *     a caller passing NULL, freed memory or an unset pointer gets the
 *     report at the place in the callee where it goes wrong
 *   leaves p->f holding the constant k at every exit (array->nelts = 0)
 *   writes through parameter i only elements at constant indices (p[0],
 *     p[2]): the caller's other elements keep what they held
 *   returns integers that depend on integer parameters: one case per exit,
 *     (the parameters' ranges on that path -> the returned range), so that
 *     `size(0)` in the caller is what size() returns when its flag is 0
 * Calls with a summary are applied here instead of being treated as
 * unknown calls.
 */
#include "flow_internal.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/finding.h"
#include "../../core/hash.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SUMMARY_PARAMS 16
#define MAX_GLOBALS 8
#define MAX_RET_CASES 8
#define MAX_CASE_PARAMS 4

/* An integer range, minus one value when has_ne. */
struct irange {
	int64_t lo, hi, ne;
	uint8_t has_ne;
};

#define MAX_USES 8

enum use_kind { USE_DEREF, USE_READ, USE_READ_FIELD, USE_LOCK, USE_UNLOCK };

/* What the function does, on every path, with a pointer its caller gave it. */
struct use {
	uint8_t kind;       /* enum use_kind */
	uint8_t depth;      /* 0: the pointer itself; 1: the pointer stored where it points */
	int param;          /* the parameter, or -1 for a global */
	ir_str global;      /* the global's name when param < 0 */
	ir_str field;       /* USE_READ_FIELD: the field of a struct passed by value */
	uint32_t elem;      /* USE_READ: of element k - 1 only (p[1] read, p[0] too: two uses); 0: any */
	struct ir_loc at;   /* where (the first place seen) */
	int exits_with;     /* exit states on which it happened */
	int exits_cond;     /* the others on which a branch tested the caller's memory (USE_READ) */
	uint8_t lock_after; /* USE_LOCK/UNLOCK: the global mutex's state at every exit, 0 if they differ */
	uint8_t lock_seen;  /* lock_after was set by an exit */
};

/* Field `field` of what parameter `param` points to holds `value` at every exit. */
struct field_set {
	int param;
	ir_str field;
	int64_t value;
};

#define MAX_FIELD_SETS 8

/* On the paths where parameter i lies in param[i], the function returns
 * ret (when has_ret) and leaves the globals of null_globals NULL. */
struct ret_case {
	struct irange param[MAX_CASE_PARAMS];
	struct irange ret;
	uint8_t has_ret;
	uint8_t null_globals;     /* bit i: null_global_names[i] */
};

enum ret_kind { RET_UNKNOWN, RET_ALLOC, RET_PARAM, RET_NULL, RET_CONST };

struct flow_summary {
	int valid;
	int exits;                               /* exit states seen */
	uint16_t frees_all, frees_some, keeps;   /* bit per parameter */
	uint8_t free_family[MAX_SUMMARY_PARAMS];
	uint16_t out_alloc;                      /* *param i holds new memory at every exit */
	uint8_t out_family[MAX_SUMMARY_PARAMS];
	int pure;                                /* no effect the caller can see */
	ir_str frees_global[MAX_GLOBALS];        /* globals whose incoming block is freed */
	struct ir_loc frees_global_at[MAX_GLOBALS];
	int nr_frees_global;
	int globals_seen;
	uint8_t ret;                             /* enum ret_kind */
	uint8_t ret_family;
	uint8_t ret_maybe_null;
	uint8_t ret_unset;                       /* RET_ALLOC: nothing was stored in the block */
	uint8_t ret_oom_null, ret_other_null;    /* some exit returns NULL after an allocation failed; for another reason */
	int ret_param;
	int64_t ret_const;
	int ret_set;
	struct ret_case cases[MAX_RET_CASES];
	int nr_cases;
	int cases_unusable;                      /* more exits than cases */
	ir_str null_global_names[8];             /* pointer globals some exit leaves NULL */
	int nr_null_globals;
	struct use uses[MAX_USES];
	int nr_uses;
	int globals_stable;                      /* no call of this function may change a global */
	struct field_set field_sets[MAX_FIELD_SETS]; /* p->f = k at every exit */
	int nr_field_sets;
	uint16_t elem_writer;                    /* bit per parameter: writes through it only p[k] */
	uint32_t elems_written[MAX_SUMMARY_PARAMS]; /* elem_writer: bit k for p[k] */
};

/* ---------------------------------------------------------------- collecting */

/* f's variable for the global `name`, or UINT32_MAX (globals are matched by name across functions). */
static uint32_t global_var(const struct ir_func *f, ir_str name)
{
	for (uint32_t v = 0; v < f->nr_vars; v++)
		if (f->vars[v].name == name && (f->vars[v].flags & IRV_GLOBAL))
			return v;
	return UINT32_MAX;
}

/* Reports made since `before` come from the call s: say so in their paths. */
static void point_to_call(struct flow_cx *cx, size_t before, const struct ir_stmt *s)
{
	for (size_t k = before; k < cx->nr_reports; k++)
		flow_report_event(&cx->reports[k], s->loc, "in the call to '%s' here", ir_string(cx->t, s->callee));
}

static uint32_t param_region(struct flow_cx *cx, uint32_t var)
{
	struct region_key key = { .kind = RG_SYMBOLIC, .a = loc_var(cx, var) };
	struct region_info info = { .kind = RG_SYMBOLIC };

	return region_intern(cx, &key, &info);
}

static struct flow_summary *current(struct flow_cx *cx)
{
	size_t idx = (size_t)(cx->f - cx->t->funcs);

	if (!cx->summaries || idx >= cx->nr_summaries)
		return NULL;
	if (cx->called && !cx->called[idx])
		return NULL; /* no caller in the unit would read it */
	return &cx->summaries[idx];
}

/* The new block this exit leaves in *param (an out-parameter), or UINT32_MAX. */
static uint32_t out_block(struct flow_cx *cx, uint32_t param_region_id)
{
	struct fval v = state_get(cx, cx->st, loc_region(cx, param_region_id));
	struct region_st def;

	if (v.kind != FV_PTR || cx->regions[v.region].kind != RG_HEAP ||
	    state_region_peek(cx, cx->st, v.region, &def)->state != RGS_LIVE)
		return UINT32_MAX;
	return v.region;
}

/*
 * freed: parameters freed in this exit state; freed_or_null: freed, or
 * NULL on this path (a helper that checks for NULL first still frees its
 * argument whenever there is one).
 */
static void note_params(struct flow_cx *cx, struct flow_summary *sum, uint16_t *freed,
			uint16_t *freed_or_null, uint16_t *out)
{
	for (uint32_t v = 0; v < cx->f->nr_vars; v++) {
		const struct ir_var *var = &cx->f->vars[v];
		struct region_st def;
		const struct region_st *rs;
		uint32_t r;
		int released;
		if (var->param_index < 0 || var->param_index >= MAX_SUMMARY_PARAMS)
			continue;
		if (!(var->type & IRT_POINTER)) { /* a descriptor: closed on this path? */
			if ((released = state_kget(cx->st, kkey(KS_RELEASED_ID, (uint32_t)var->param_index)))) {
				*freed |= (uint16_t)(1u << var->param_index);
				*freed_or_null |= (uint16_t)(1u << var->param_index);
				sum->free_family[var->param_index] = (uint8_t)(released - 1);
			}
			continue;
		}
		r = param_region(cx, v);
		rs = state_region_peek(cx, cx->st, r, &def);
		if (rs->state == RGS_FREED) {
			*freed |= (uint16_t)(1u << var->param_index);
			sum->free_family[var->param_index] = rs->freed_fam;
		}
		if (rs->state == RGS_FREED || rs->null == NN_NULL)
			*freed_or_null |= (uint16_t)(1u << var->param_index);
		if (rs->escaped || flow_region_reachable(cx, r))
			sum->keeps |= (uint16_t)(1u << var->param_index);
		if (out_block(cx, r) != UINT32_MAX) {
			*out |= (uint16_t)(1u << var->param_index);
			sum->out_family[var->param_index] = cx->regions[out_block(cx, r)].family;
		}
	}
}

/* Fields of the caller's objects this exit leaves holding a constant. */
static int exit_field_sets(struct flow_cx *cx, struct field_set *out)
{
	int n = 0;

	for (uint32_t v = 0; v < cx->f->nr_vars && n < MAX_FIELD_SETS; v++) {
		const struct ir_var *var = &cx->f->vars[v];
		uint32_t obj;
		if (var->param_index < 0 || var->param_index >= MAX_SUMMARY_PARAMS ||
		    !(var->type & IRT_POINTER))
			continue;
		obj = loc_region(cx, param_region(cx, v));
		for (uint32_t i = 0; i < cx->st->nr_cells && n < MAX_FIELD_SETS; i++) {
			const struct cell *c = &cx->st->cells[i];
			const struct locrec *r = &cx->locs[c->loc];
			if (r->kind == LOC_FIELD && r->parent == obj && c->v.kind == FV_INT && c->v.lo == c->v.hi)
				out[n++] = (struct field_set){ var->param_index, r->id, c->v.lo };
		}
	}
	return n;
}

/* array->nelts = 0 on every path: kept only where all exits agree. */
static void note_field_sets(struct flow_cx *cx, struct flow_summary *sum)
{
	struct field_set now[MAX_FIELD_SETS];
	int n = exit_field_sets(cx, now), kept = 0;

	if (!sum->exits) { /* the first exit */
		memcpy(sum->field_sets, now, (size_t)n * sizeof(now[0]));
		sum->nr_field_sets = n;
		return;
	}
	for (int i = 0; i < sum->nr_field_sets; i++)
		for (int j = 0; j < n; j++)
			if (now[j].param == sum->field_sets[i].param && now[j].field == sum->field_sets[i].field &&
			    now[j].value == sum->field_sets[i].value) {
				sum->field_sets[kept++] = sum->field_sets[i];
				break;
			}
	sum->nr_field_sets = kept;
}

/* Globals whose incoming block (the symbolic object they pointed to) this exit freed. */
static void note_globals(struct flow_cx *cx, struct flow_summary *sum)
{
	ir_str now[MAX_GLOBALS];
	struct ir_loc at[MAX_GLOBALS];
	int n = 0;

	for (uint32_t v = 0; v < cx->f->nr_vars && n < MAX_GLOBALS; v++) {
		const struct ir_var *var = &cx->f->vars[v];
		struct region_key key = { .kind = RG_SYMBOLIC, .a = loc_var(cx, v) };
		struct region_info info = { .kind = RG_SYMBOLIC };
		struct region_st def;
		if (!(var->flags & IRV_GLOBAL) || !(var->type & IRT_POINTER))
			continue;
		uint32_t r = region_intern(cx, &key, &info);
		struct fval now_v = state_get(cx, cx->st, loc_var(cx, v));
		/* freed, and the global still points at it (not reset to NULL) */
		const struct region_st *rs = state_region_peek(cx, cx->st, r, &def);
		if (rs->state == RGS_FREED && now_v.kind == FV_PTR && now_v.region == r) {
			at[n] = rs->freed_at;
			now[n++] = var->name;
		}
	}
	if (!sum->globals_seen) {
		memcpy(sum->frees_global, now, sizeof(now[0]) * (size_t)n);
		memcpy(sum->frees_global_at, at, sizeof(at[0]) * (size_t)n);
		sum->nr_frees_global = n;
		sum->globals_seen = 1;
		return;
	}
	for (int i = 0; i < sum->nr_frees_global; i++) { /* keep those freed on every exit */
		int k;
		for (k = 0; k < n && now[k] != sum->frees_global[i]; k++)
			;
		if (k == n) {
			sum->nr_frees_global--;
			sum->frees_global_at[i] = sum->frees_global_at[sum->nr_frees_global];
			sum->frees_global[i--] = sum->frees_global[sum->nr_frees_global];
		}
	}
}

static int param_of_region(struct flow_cx *cx, uint32_t region)
{
	for (uint32_t v = 0; v < cx->f->nr_vars; v++)
		if (cx->f->vars[v].param_index >= 0 && (cx->f->vars[v].type & IRT_POINTER) &&
		    param_region(cx, v) == region)
			return cx->f->vars[v].param_index;
	return -1;
}

/*
 * Why an exit may return NULL: only because an allocation failed (a NULL
 * returned on a path where one did, or what an allocator returned,
 * untested), or for some other reason (a lookup that found nothing, an
 * unknown pointer).  A function whose NULL always means "out of memory"
 * is an allocator to its callers (sqlite3ExprListAppend, a vector's push).
 */
static void note_return_null_cause(struct flow_cx *cx, struct flow_summary *sum, const struct fval *v)
{
	struct region_st def;
	const struct region_st *rs;

	if (!(cx->f->returns & IRT_POINTER))
		return;
	if (v->kind == FV_NULL) {
		*(flow_alloc_failed_on_path(cx) ? &sum->ret_oom_null : &sum->ret_other_null) = 1;
		return;
	}
	if (v->kind != FV_PTR) {
		sum->ret_other_null = 1;
		return;
	}
	rs = state_region_peek(cx, cx->st, v->region, &def);
	if (rs->null == NN_NULL || rs->state == RGS_NOTALLOC)
		*(flow_alloc_failed_on_path(cx) ? &sum->ret_oom_null : &sum->ret_other_null) = 1;
	else if (rs->alloc_like && rs->null != NN_NONNULL)
		sum->ret_oom_null = 1;
	else if (rs->null == NN_MAYBE && !(cx->regions[v->region].kind == RG_HEAP &&
					   cx->regions[v->region].family == FAM_MALLOC))
		sum->ret_other_null = 1;
	else if (rs->null == NN_MAYBE)
		sum->ret_oom_null = 1; /* malloc's result, untested */
}

/* What this exit state returns, folded into the summary. */
static void note_return(struct flow_cx *cx, struct flow_summary *sum)
{
	struct fval v = flow_return_value(cx);
	struct flow_summary one = { .ret = RET_UNKNOWN };
	struct region_st def;

	note_return_null_cause(cx, sum, &v);
	if (v.kind == FV_NULL || (v.kind == FV_PTR &&
				  state_region_peek(cx, cx->st, v.region, &def)->state == RGS_NOTALLOC)) {
		one.ret = RET_NULL;
	} else if (v.kind == FV_PTR && cx->regions[v.region].kind == RG_HEAP &&
		   !(v.flags & FVF_INTERIOR)) {
		uint32_t contents = loc_region(cx, v.region);
		one.ret = RET_ALLOC;
		one.ret_family = cx->regions[v.region].family;
		one.ret_maybe_null = state_region_peek(cx, cx->st, v.region, &def)->null == NN_MAYBE;
		one.ret_unset = state_get(cx, cx->st, contents).kind == FV_UNINIT &&
				!state_has_below(cx, cx->st, contents);
	} else if (v.kind == FV_PTR && (one.ret_param = param_of_region(cx, v.region)) >= 0) {
		one.ret = RET_PARAM;
	} else if (v.kind == FV_INT && v.lo == v.hi) {
		one.ret = RET_CONST;
		one.ret_const = v.lo;
	}
	if (!sum->ret_set) {
		sum->ret = one.ret;
		sum->ret_family = one.ret_family;
		sum->ret_maybe_null = one.ret_maybe_null;
		sum->ret_unset = one.ret_unset;
		sum->ret_param = one.ret_param;
		sum->ret_const = one.ret_const;
		sum->ret_set = 1;
		return;
	}
	/* new memory on some paths and NULL on others: maybe-NULL new memory */
	if (sum->ret == RET_ALLOC && one.ret == RET_NULL) {
		sum->ret_maybe_null = 1;
	} else if (sum->ret == RET_NULL && one.ret == RET_ALLOC) {
		sum->ret = RET_ALLOC;
		sum->ret_family = one.ret_family;
		sum->ret_maybe_null = 1;
		sum->ret_unset = one.ret_unset;
	} else if (sum->ret != one.ret || (one.ret == RET_ALLOC && one.ret_family != sum->ret_family) ||
		   (one.ret == RET_PARAM && one.ret_param != sum->ret_param) ||
		   (one.ret == RET_CONST && one.ret_const != sum->ret_const)) {
		sum->ret = RET_UNKNOWN;
	} else if (one.ret == RET_ALLOC) {
		sum->ret_maybe_null |= one.ret_maybe_null;
		sum->ret_unset &= one.ret_unset;
	}
}

/* ---------------------------------------------------------------- uses */

/* The parameter or global whose incoming pointer names the symbolic region
 * r, and at which depth; 0 when r is something else. */
static int origin_of(struct flow_cx *cx, uint32_t r, int *param, ir_str *global, uint8_t *depth)
{
	const struct region_key *k = &cx->region_keys[r];
	const struct locrec *l;
	const struct ir_var *var;

	if (cx->regions[r].kind != RG_SYMBOLIC || k->b)
		return 0;
	l = &cx->locs[k->a];
	*depth = 0;
	if (l->kind == LOC_REGION) { /* the pointer loaded from *p */
		if (cx->regions[l->id].kind != RG_SYMBOLIC || cx->region_keys[l->id].b)
			return 0;
		l = &cx->locs[cx->region_keys[l->id].a];
		*depth = 1;
	}
	if (l->kind != LOC_VAR)
		return 0;
	var = &cx->f->vars[l->id];
	if (!(var->type & IRT_POINTER) || flow_var_written(cx, l->id))
		return 0;
	if (var->param_index >= 0 && var->param_index < MAX_SUMMARY_PARAMS) {
		*param = var->param_index;
		return 1;
	}
	if ((var->flags & IRV_GLOBAL) && *depth == 0 && current(cx)->globals_stable) {
		*param = -1;
		*global = var->name;
		return 1;
	}
	return 0;
}

static void record_use(struct flow_cx *cx, struct flow_summary *sum, const struct use *u)
{
	int i;

	for (i = 0; i < sum->nr_uses; i++)
		if (sum->uses[i].kind == u->kind && sum->uses[i].depth == u->depth &&
		    sum->uses[i].param == u->param && sum->uses[i].global == u->global &&
		    sum->uses[i].field == u->field && sum->uses[i].elem == u->elem)
			break;
	if (i == sum->nr_uses) {
		if (i == MAX_USES)
			return;
		sum->uses[sum->nr_uses++] = *u;
	}
	state_kset(cx->st, kkey(KS_USE_ID, (uint32_t)i), 1);
}

void flow_summary_note_release(struct flow_cx *cx, int param, int family)
{
	if (current(cx) && param >= 0 && param < MAX_SUMMARY_PARAMS)
		state_kset(cx->st, kkey(KS_RELEASED_ID, (uint32_t)param), family + 1);
}

/* The callee side: memory is accessed through the pointer value v at `at`. */
void flow_summary_note_use(struct flow_cx *cx, int read, const struct fval *v, uint32_t elem, struct ir_loc at)
{
	struct flow_summary *sum = current(cx);
	struct region_st def;
	struct use u = { .kind = read ? USE_READ : USE_DEREF, .param = -1, .elem = elem, .at = at };

	if (!sum || v->kind != FV_PTR || !origin_of(cx, v->region, &u.param, &u.global, &u.depth))
		return;
	if (read)
		u.depth++; /* reading *p is a use of what p points to */
	if (u.depth > 1 || (!read && state_region_peek(cx, cx->st, v->region, &def)->null != NN_UNKNOWN))
		return; /* tested first: the callee copes with NULL */
	record_use(cx, sum, &u);
}

/*
 * The first lock or unlock of a global mutex whose state the caller
 * decides (nothing in this function touched it before): the caller that
 * already holds it, or does not, gets the report at this line.
 */
void flow_summary_note_lock(struct flow_cx *cx, const struct ir_stmt *s, uint32_t cell, int lock,
			    enum lock_state before)
{
	struct flow_summary *sum = current(cx);
	const struct locrec *l = &cx->locs[cell];
	struct use u = { .kind = lock ? USE_LOCK : USE_UNLOCK, .param = -1, .at = s->loc };
	ir_str global;
	uint8_t depth;

	if (!sum || before != LOCK_UNKNOWN)
		return;
	if (l->kind == LOC_VAR && (cx->f->vars[l->id].flags & IRV_GLOBAL)) {
		u.global = cx->f->vars[l->id].name;         /* &global_mutex */
	} else {
		if (l->kind == LOC_FIELD) {                 /* &p->lock */
			u.field = l->id;
			l = &cx->locs[l->parent];
		}
		/* *p: the object the parameter (or a global pointer) points to */
		if (l->kind != LOC_REGION || !origin_of(cx, l->id, &u.param, &global, &depth) || depth != 0)
			return;
		if (u.param < 0) { /* *g: depth 1 marks "through the global pointer" */
			u.global = global;
			u.depth = 1;
		}
	}
	record_use(cx, sum, &u);
}

/* At an exit: what the lock uses left their mutex in. */
static void note_lock_after(struct flow_cx *cx, struct use *u)
{
	uint8_t now = 0;

	if (u->param >= 0) { /* the parameter's object, or a field of it */
		for (uint32_t v = 0; v < cx->f->nr_vars; v++) {
			uint32_t cell;
			if (cx->f->vars[v].param_index != u->param)
				continue;
			cell = loc_region(cx, param_region(cx, v));
			if (u->field)
				cell = loc_intern(cx, LOC_FIELD, cell, u->field);
			now = (uint8_t)flow_lock_state(cx, cell);
		}
	}
	if (u->param < 0) {
		uint32_t v = global_var(cx->f, u->global), cell;
		if (v != UINT32_MAX) {
			cell = u->depth ? loc_region(cx, param_region(cx, v)) : loc_var(cx, v);
			if (u->field)
				cell = loc_intern(cx, LOC_FIELD, cell, u->field);
			now = (uint8_t)flow_lock_state(cx, cell);
		}
	}
	if (!u->lock_seen)
		u->lock_after = now;
	else if (u->lock_after != now)
		u->lock_after = 0;
	u->lock_seen = 1;
}

/* The callee reads field `field` of the struct parameter var before writing it. */
void flow_summary_note_field_read(struct flow_cx *cx, uint32_t var, ir_str field, struct ir_loc at)
{
	struct flow_summary *sum = current(cx);
	const struct ir_var *v = &cx->f->vars[var];
	struct use u = { .kind = USE_READ_FIELD, .param = v->param_index, .field = field, .at = at };

	if (!sum || v->param_index < 0 || v->param_index >= MAX_SUMMARY_PARAMS || !(v->type & IRT_RECORD) ||
	    (v->type & (IRT_POINTER | IRT_ARRAY)) || flow_var_written(cx, var))
		return;
	record_use(cx, sum, &u);
}

/* Did this path branch on the very memory the read use u is of (what its parameter points to)? */
static int tested_callers_memory(struct flow_cx *cx, const struct use *u)
{
	int which = state_kget(cx->st, kkey(KS_ENGINE_ID, KS_COND_CALLER));
	int param;
	ir_str global;
	uint8_t depth;

	if (u->kind != USE_READ || u->depth != 1 || which <= 0)
		return 0;
	return origin_of(cx, (uint32_t)which - 1, &param, &global, &depth) && param == u->param && depth == 0;
}

static void note_uses(struct flow_cx *cx, struct flow_summary *sum)
{
	for (int i = 0; i < sum->nr_uses; i++) {
		if (state_kget(cx->st, kkey(KS_USE_ID, (uint32_t)i)))
			sum->uses[i].exits_with++;
		else if (tested_callers_memory(cx, &sum->uses[i]))
			sum->uses[i].exits_cond++;
		if (sum->uses[i].kind == USE_LOCK || sum->uses[i].kind == USE_UNLOCK)
			note_lock_after(cx, &sum->uses[i]);
	}
}

/* Does any call in f reach a function of this unit (which may set globals)? */
static int calls_local_function(struct flow_cx *cx)
{
	for (uint32_t b = 0; b < cx->f->nr_blocks; b++)
		for (uint32_t k = 0; k < cx->f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &cx->f->blocks[b].stmts[k];
			if (s->op == IR_CALL && ((s->flags & IRS_INDIRECT) ||
						 (s->callee && cx->func_of_str[s->callee] >= 0)))
				return 1;
		}
	return 0;
}

/* Is p the parameter var itself, as a value (not read through)? */
static int is_param_value(const struct ir_func *f, const struct ir_val *v, uint32_t var)
{
	return (v->kind == IRV_PATH || v->kind == IRV_ADDR) && ir_path_root(f, v->path) == var &&
	       (v->kind == IRV_ADDR || f->paths[v->path].kind == IRP_VAR);
}

/* p[k] for the parameter var: k, or -1. */
static int64_t param_elem(const struct ir_func *f, ir_path p, uint32_t var)
{
	const struct ir_pathrec *r = &f->paths[p];
	const struct ir_pathrec *base;

	if (r->kind != IRP_ELEM || !(r->id & IR_ELEM_CONST) || (r->id & ~IR_ELEM_CONST) >= 32)
		return -1;
	base = &f->paths[r->base];
	if (base->kind != IRP_DEREF || f->paths[base->base].kind != IRP_VAR || f->paths[base->base].id != var)
		return -1;
	return r->id & ~IR_ELEM_CONST;
}

/*
 * Does the function write through pointer parameter var only p[k] for
 * constant k (bits set in *elems), and nothing else: the pointer is not
 * copied, passed on, moved or written through any other way?  Then the
 * caller's other elements keep what they held (unset ones stay unset).
 */
static int writes_known_elems_only(const struct ir_func *f, uint32_t var, uint32_t *elems)
{
	*elems = 0;
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			if (s->op == IR_READ || s->op == IR_DEREF || s->op == IR_FORGET || s->op == IR_DECL)
				continue;
			if (is_param_value(f, &s->a, var) || is_param_value(f, &s->b, var))
				return 0;
			for (uint32_t i = 0; s->op == IR_CALL && i < s->aux; i++)
				if (is_param_value(f, &f->args[s->args + i], var))
					return 0;
			if (s->dst && ir_path_root(f, s->dst) == var) {
				int64_t e = param_elem(f, s->dst, var);
				if (e < 0)
					return 0;
				*elems |= UINT32_C(1) << e;
			}
		}
	}
	/* nothing written at all: more likely a use the lowering could not
	 * read (a transparent union argument) than none; leave it to havoc */
	return *elems != 0;
}

void flow_summary_begin(struct flow_cx *cx)
{
	struct flow_summary *sum = current(cx);

	if (!sum)
		return;
	sum->globals_stable = !calls_local_function(cx);
	for (uint32_t v = 0; v < cx->f->nr_vars; v++) {
		const struct ir_var *var = &cx->f->vars[v];
		if ((var->flags & IRV_PARAM) && var->param_index >= 0 &&
		    var->param_index < MAX_SUMMARY_PARAMS && (var->type & IRT_POINTER) &&
		    writes_known_elems_only(cx->f, v, &sum->elems_written[var->param_index]))
			sum->elem_writer |= (uint16_t)(1u << var->param_index);
	}
}

static struct irange range_of(const struct fval *v)
{
	struct irange r = { INT64_MIN, INT64_MAX, 0, 0 };

	if (v->kind == FV_INT) {
		r.lo = v->lo;
		r.hi = v->hi;
		r.has_ne = (v->flags & FVF_NE) != 0;
		r.ne = v->ne;
	}
	return r;
}

/* A parameter's value as a range: an integer as it is; a pointer as 0
 * when NULL and "not 0" when it points somewhere (f(NULL) returning an
 * error code is a case like f(0)). */
static struct irange param_range(struct flow_cx *cx, const struct fval *v)
{
	struct irange r = range_of(v);
	struct region_st def;
	const struct region_st *rs;

	if (v->kind == FV_NULL) {
		r.lo = r.hi = 0;
	} else if (v->kind == FV_PTR && !(v->flags & FVF_INTERIOR)) {
		rs = state_region_peek(cx, cx->st, v->region, &def);
		if (rs->null == NN_NULL || rs->state == RGS_NOTALLOC) {
			r.lo = r.hi = 0;
		} else if (rs->null == NN_NONNULL) {
			r.has_ne = 1;
			r.ne = 0;
		}
	}
	return r;
}

static int range_equal(const struct irange *a, const struct irange *b)
{
	return a->lo == b->lo && a->hi == b->hi && a->has_ne == b->has_ne && (!a->has_ne || a->ne == b->ne);
}

/* The bits of the pointer globals this exit leaves NULL. */
static uint8_t null_globals_here(struct flow_cx *cx, struct flow_summary *sum)
{
	uint8_t bits = 0;

	for (uint32_t k = 0; k < cx->f->nr_vars; k++) {
		const struct ir_var *var = &cx->f->vars[k];
		int i;
		if (!(var->flags & IRV_GLOBAL) || !(var->type & IRT_POINTER) ||
		    state_get(cx, cx->st, loc_var(cx, k)).kind != FV_NULL)
			continue;
		for (i = 0; i < sum->nr_null_globals && sum->null_global_names[i] != var->name; i++)
			;
		if (i == sum->nr_null_globals) {
			if (i == 8)
				continue;
			sum->null_global_names[sum->nr_null_globals++] = var->name;
		}
		bits |= (uint8_t)(1u << i);
	}
	return bits;
}

/* The case of this exit: the integer parameters the function never
 * assigns, as the path's conditions left them, the returned range and
 * the globals left NULL. */
static void note_return_case(struct flow_cx *cx, struct flow_summary *sum)
{
	struct fval v = flow_return_value(cx);
	struct ret_case c;
	int i;

	if (sum->cases_unusable)
		return;
	for (i = 0; i < MAX_CASE_PARAMS; i++)
		c.param[i] = (struct irange){ INT64_MIN, INT64_MAX, 0, 0 };
	c.ret = range_of(&v);
	c.has_ret = v.kind == FV_INT;
	c.null_globals = null_globals_here(cx, sum);
	for (uint32_t k = 0; k < cx->f->nr_vars; k++) {
		const struct ir_var *var = &cx->f->vars[k];
		struct fval pv;
		if (var->param_index < 0 || var->param_index >= MAX_CASE_PARAMS ||
		    !(var->type & (IRT_INT | IRT_POINTER)) || flow_var_written(cx, k))
			continue;
		pv = state_get(cx, cx->st, loc_var(cx, k));
		c.param[var->param_index] = param_range(cx, &pv);
	}
	for (i = 0; i < sum->nr_cases; i++) {
		int same = 1;
		for (int p = 0; p < MAX_CASE_PARAMS && same; p++)
			same = range_equal(&sum->cases[i].param[p], &c.param[p]);
		if (same) { /* the same parameters: the hull of what they return */
			struct irange *r = &sum->cases[i].ret;
			r->lo = c.ret.lo < r->lo ? c.ret.lo : r->lo;
			r->hi = c.ret.hi > r->hi ? c.ret.hi : r->hi;
			r->has_ne = 0;
			sum->cases[i].has_ret &= c.has_ret;
			sum->cases[i].null_globals &= c.null_globals;
			return;
		}
	}
	if (sum->nr_cases == MAX_RET_CASES) {
		sum->cases_unusable = 1;
		return;
	}
	sum->cases[sum->nr_cases++] = c;
}

void flow_summary_note_exit(struct flow_cx *cx)
{
	struct flow_summary *sum = current(cx);
	uint16_t freed = 0, freed_or_null = 0, out = 0;

	if (!sum)
		return;
	note_params(cx, sum, &freed, &freed_or_null, &out);
	note_field_sets(cx, sum);
	note_globals(cx, sum);
	sum->out_alloc = sum->exits ? (uint16_t)(sum->out_alloc & out) : out;
	sum->frees_all = sum->exits ? (uint16_t)(sum->frees_all & freed_or_null) : freed_or_null;
	sum->frees_some |= freed;
	sum->exits++;
	note_return(cx, sum);
	note_return_case(cx, sum);
	note_uses(cx, sum);
}

/* ---------------------------------------------------------------- applying */

static const struct flow_summary *summary_of(struct flow_cx *cx, ir_str callee)
{
	int32_t i = cx->func_of_str && callee < cx->t->nr_strings ? cx->func_of_str[callee] : -1;

	return i >= 0 && cx->summaries[i].valid ? &cx->summaries[i] : NULL;
}

static int ranges_meet(struct flow_cx *cx, const struct irange *a, const struct fval *v)
{
	struct irange b = param_range(cx, v);

	if (a->hi < b.lo || b.hi < a->lo)
		return 0;
	if (b.lo == b.hi && a->has_ne && a->ne == b.lo)
		return 0;
	if (a->lo == a->hi && b.has_ne && b.ne == a->lo)
		return 0;
	return 1;
}

static int case_meets_args(struct flow_cx *cx, const struct ret_case *c)
{
	int meets = 1;

	for (unsigned p = 0; p < MAX_CASE_PARAMS && p < cx->nr_args && meets; p++)
		meets = ranges_meet(cx, &c->param[p], &cx->args[p]);
	return meets;
}

/* The returned range over the cases the arguments can be in; 0 when unknown. */
static int ret_from_cases(struct flow_cx *cx, const struct flow_summary *sum, struct fval *out)
{
	int found = 0;

	if (sum->cases_unusable || !sum->nr_cases)
		return 0;
	for (int i = 0; i < sum->nr_cases; i++) {
		const struct ret_case *c = &sum->cases[i];
		if (!case_meets_args(cx, c))
			continue;
		if (!c->has_ret)
			return 0;
		if (!found) {
			*out = fval_int(c->ret.lo, c->ret.hi);
			found = 1;
		} else {
			out->lo = c->ret.lo < out->lo ? c->ret.lo : out->lo;
			out->hi = c->ret.hi > out->hi ? c->ret.hi : out->hi;
		}
	}
	return found;
}

static void apply_ret(struct flow_cx *cx, const struct ir_stmt *s, const struct flow_summary *sum)
{
	struct fval v;

	uint32_t r;

	switch (sum->ret) {
	case RET_ALLOC:
		r = flow_new_heap(cx, s, (enum alloc_family)sum->ret_family,
				  sum->ret_maybe_null ? NN_MAYBE : NN_NONNULL, 0);
		if (!sum->ret_unset) /* what the callee stored there is not known here */
			state_set(cx, cx->st, loc_region(cx, r), fval_top());
		flow_set_dst(cx, s, fval_ptr(r, loc_region(cx, r)));
		break;
	case RET_PARAM:
		flow_set_dst(cx, s, sum->ret_param < (int)cx->nr_args ? cx->args[sum->ret_param] : fval_top());
		break;
	case RET_NULL:
		flow_set_dst(cx, s, fval_null_from(NULL_RETURNED, s->loc, 0));
		break;
	case RET_CONST:
		flow_set_dst(cx, s, fval_int(sum->ret_const, sum->ret_const));
		break;
	default:
		if (ret_from_cases(cx, sum, &v)) {
			flow_set_dst(cx, s, v);
		} else {
			flow_set_dst(cx, s, fval_top());
			if (sum->ret_oom_null && !sum->ret_other_null)
				flow_mark_alloc_like(cx, s);
			else
				flow_note_alloc_like_result(cx, s);
		}
	}
}

/* The caller's view of a global the callee frees: its own variable of that name. */
static void free_globals(struct flow_cx *cx, const struct ir_stmt *s, const struct flow_summary *sum)
{
	for (int i = 0; i < sum->nr_frees_global; i++) {
		uint32_t v = global_var(cx->f, sum->frees_global[i]);
		struct ir_stmt at = *s;
		size_t before = cx->nr_reports;
		struct fval val;
		if (v == UINT32_MAX)
			continue;
		val = state_get(cx, cx->st, loc_var(cx, v));
		if (val.kind == FV_TOP) /* whatever it points to now, the call frees it */
			val = flow_materialize(cx, loc_var(cx, v));
		if (val.kind != FV_PTR)
			continue;
		/* hand it to the dealloc hooks as an extra argument, freed where
		 * the callee frees it */
		at.loc = sum->frees_global_at[i];
		ALLOC_GROW(cx->args, cx->nr_args + 1, cx->alloc_args);
		cx->args[cx->nr_args++] = val;
		flow_do_dealloc(cx, &at, cx->nr_args - 1, FAM_MALLOC, ir_string(cx->t, s->callee));
		cx->nr_args--;
		point_to_call(cx, before, s);
	}
}

/* The globals the call leaves NULL on every path its arguments allow. */
static void set_null_globals(struct flow_cx *cx, const struct flow_summary *sum)
{
	uint8_t bits = 0xff;
	int any = 0;

	if (sum->cases_unusable || !sum->nr_null_globals)
		return;
	for (int i = 0; i < sum->nr_cases; i++)
		if (case_meets_args(cx, &sum->cases[i])) {
			bits &= sum->cases[i].null_globals;
			any = 1;
		}
	for (int i = 0; any && i < sum->nr_null_globals; i++) {
		uint32_t g = global_var(cx->f, sum->null_global_names[i]);
		struct fval null = { .kind = FV_NULL, .flags = FVF_DEFAULT };
		if ((bits & (1u << i)) && g != UINT32_MAX)
			state_set(cx, cx->st, loc_var(cx, g), null);
	}
}

/* *out = malloc(...) in the callee: the caller's cell now holds new memory. */
static void out_allocs(struct flow_cx *cx, const struct ir_stmt *s, const struct flow_summary *sum)
{
	for (unsigned i = 0; i < cx->nr_args && i < MAX_SUMMARY_PARAMS; i++) {
		uint32_t r;
		if (!(sum->out_alloc & (1u << i)) || cx->args[i].kind != FV_PTR)
			continue;
		r = flow_new_heap_at(cx, s, (enum alloc_family)sum->out_family[i], NN_NONNULL, i + 1);
		state_set(cx, cx->st, loc_region(cx, r), fval_top());
		state_set(cx, cx->st, cx->args[i].loc, fval_ptr(r, loc_region(cx, r)));
	}
}


static int var_set_elsewhere(struct flow_cx *cx, ir_path p)
{
	uint32_t root = ir_path_root(cx->f, p);

	return root == UINT32_MAX || flow_var_set_non_null(cx, root);
}

/* The path the caller named the pointer by (p in f(p), x in f(&x)), or 0. */
static ir_path arg_path(struct flow_cx *cx, const struct ir_stmt *s, int param)
{
	const struct ir_val *a = &cx->f->args[s->args + (uint32_t)param];

	return a->kind == IRV_PATH || a->kind == IRV_ADDR ? a->path : 0;
}

/*
 * A callee that locks or unlocks a global mutex first thing (for it): the
 * lock checkers see the caller's state of that mutex at the callee's line,
 * and the caller's state afterwards is the one the callee leaves.
 */
static void apply_lock_use(struct flow_cx *cx, const struct ir_stmt *s, const struct flow_summary *sum,
			   const struct use *u)
{
	struct ir_stmt at = *s;
	size_t before = cx->nr_reports;
	int deadlocks = 0;
	uint32_t cell;

	if (u->param >= 0) { /* the caller's object behind the argument */
		if ((unsigned)u->param >= cx->nr_args || cx->args[u->param].kind != FV_PTR)
			return;
		cell = cx->args[u->param].loc;
		if (u->field)
			cell = loc_intern(cx, LOC_FIELD, cell, u->field);
	} else {
		uint32_t g = global_var(cx->f, u->global);
		if (g == UINT32_MAX)
			return;
		cell = loc_var(cx, g);
		if (u->depth) { /* the mutex the global pointer points to */
			struct fval p = state_get(cx, cx->st, cell);
			if (p.kind == FV_TOP)
				p = flow_materialize(cx, cell);
			if (p.kind != FV_PTR)
				return;
			cell = p.loc;
		}
		if (u->field)
			cell = loc_intern(cx, LOC_FIELD, cell, u->field);
	}
	at.loc = u->at;
	at.aux = 0; /* the call's arguments are not the mutex: the checkers name it by its cell */
	if (u->exits_with == sum->exits) { /* on every path: the checkers may judge it */
		if (u->kind == USE_LOCK && flow_lock_state(cx, cell) == LOCK_HELD)
			deadlocks = 1;
		flow_lock_cell(cx, &at, cell, u->kind == USE_LOCK, 0);
		point_to_call(cx, before, s);
	}
	/* for the caller, the call is where the mutex was taken or released;
	 * after a second lock the thread is stuck there, and what the callee
	 * does next is not the caller's concern, which keeps holding it */
	flow_set_lock_state(cx, cell, deadlocks ? LOCK_HELD : (enum lock_state)u->lock_after, s->loc);
}

/* The caller's value a use looks at, and the statement the hooks see
 * (at->a names it in the caller); 0 when there is nothing to look at. */
static int use_value(struct flow_cx *cx, const struct ir_stmt *s, const struct use *u,
		     struct ir_stmt *at, struct fval *v)
{
	if (u->kind == USE_READ_FIELD) { /* s.f of a struct passed by value */
		ir_path p = (unsigned)u->param < cx->nr_args ? arg_path(cx, s, u->param) : 0;
		if (!p || cx->f->args[s->args + (uint32_t)u->param].kind != IRV_PATH)
			return 0;
		at->a = (struct ir_val){ .kind = IRV_PATH,
					 .path = ir_path_sub(cx->f, IRP_FIELD, p, u->field, IRT_INT) };
		*v = state_get(cx, cx->st, flow_loc_of_path(cx, at->a.path));
	} else if (u->param >= 0) {
		if ((unsigned)u->param >= cx->nr_args)
			return 0;
		*v = cx->args[u->param];
		at->a = (struct ir_val){ .kind = IRV_PATH, .path = arg_path(cx, s, u->param) };
	} else {
		uint32_t g = global_var(cx->f, u->global);
		if (g == UINT32_MAX)
			return 0;
		*v = state_get(cx, cx->st, loc_var(cx, g));
		at->a = (struct ir_val){ .kind = IRV_PATH, .path = ir_path_var(cx->f, g, cx->f->vars[g].type) };
		at->op = IR_DEREF; /* the callee uses the global itself */
	}
	if (u->depth == 1 && u->elem && v->kind == FV_PTR && state_get(cx, cx->st, v->loc).kind == FV_UNINIT) {
		/* p[k] of an array filled element by element: that element */
		uint32_t elem = loc_intern(cx, LOC_ELEM, v->loc, u->elem);
		if (state_has_below(cx, cx->st, elem))
			return 0;
		at->a.path = ir_path_sub(cx->f, IRP_ELEM, at->a.path, IR_ELEM_CONST | (u->elem - 1), IRT_INT);
		*v = state_get(cx, cx->st, elem);
	} else if (u->depth == 1) {
		/* only a pointee nothing was stored into, not even a field:
		 * the callee may read just the fields that were set */
		if (v->kind != FV_PTR || state_has_below(cx, cx->st, v->loc))
			return 0;
		*v = state_get(cx, cx->st, v->loc);
	}
	/* a NULL constant in a variable that holds other pointers on other
	 * paths: which of them reaches the call is a correlation of the
	 * caller's branches the engine does not claim to see */
	return !(v->kind == FV_NULL && at->a.path && var_set_elsewhere(cx, at->a.path));
}

/*
 * A read the callee makes on some paths only, the others having branched
 * on what the caller's memory held (if (a[0] > 0) use a[1]): when the
 * caller wrote nothing at all into that memory, the branch is decided by
 * garbage, and the read is as good as made.
 */
static int read_on_callers_garbage(struct flow_cx *cx, const struct flow_summary *sum, const struct use *u)
{
	const struct fval *p;

	if (u->kind != USE_READ || u->depth != 1 || u->param < 0 || !u->exits_with ||
	    u->exits_with + u->exits_cond != sum->exits || (unsigned)u->param >= cx->nr_args)
		return 0;
	p = &cx->args[u->param];
	return p->kind == FV_PTR && state_get(cx, cx->st, p->loc).kind == FV_UNINIT &&
	       !state_has_below(cx, cx->st, p->loc);
}

/*
 * An element at a known index of an array the caller passed (v[1]), read
 * by the callee on every path: the caller handed the array over without
 * it, so the report goes to the call, one per call, with the callee's
 * read in its path.  A pointer the callee dereferences, a read on some
 * paths only and a field of a struct passed by value stay at the
 * callee's line, which says where it goes wrong.
 */
static int read_at_call(const struct flow_summary *sum, const struct use *u)
{
	return u->kind == USE_READ && u->param >= 0 && u->elem && u->exits_with == sum->exits;
}

static void point_to_callee(struct flow_cx *cx, size_t before, const struct ir_stmt *s, struct ir_loc read)
{
	for (size_t k = before; k < cx->nr_reports; k++)
		flow_report_event(&cx->reports[k], read, "'%s' reads it here, on every path through it",
				  ir_string(cx->t, s->callee));
}

/*
 * The callee dereferences or reads what the caller handed it: let the
 * checkers look at the caller's value, as if the access were at the
 * callee's line, and point the reports they make back to the call.
 */
static void apply_uses(struct flow_cx *cx, const struct ir_stmt *s, const struct flow_summary *sum)
{
	for (int i = 0; i < sum->nr_uses; i++) {
		const struct use *u = &sum->uses[i];
		const struct flow_hooks *hooks = &cx->fe->deref;
		struct ir_stmt at = *s;
		struct fval v;
		size_t before = cx->nr_reports;
		if (u->kind == USE_LOCK || u->kind == USE_UNLOCK) {
			apply_lock_use(cx, s, sum, u);
			continue;
		}
		if (u->exits_with < sum->exits && !read_on_callers_garbage(cx, sum, u))
			continue;
		if (!use_value(cx, s, u, &at, &v))
			continue;
		at.loc = read_at_call(sum, u) ? s->loc : u->at;
		if (u->kind == USE_READ || u->kind == USE_READ_FIELD) {
			if (!at.a.path)
				continue;
			at.op = IR_READ;
			hooks = &cx->fe->read;
		}
		for (size_t k = 0; k < hooks->nr; k++)
			hooks->items[k].fn.val(cx, &at, &v);
		if (read_at_call(sum, u))
			point_to_callee(cx, before, s, u->at);
		else
			point_to_call(cx, before, s);
	}
}

/*
 * A pure function called twice with the same known arguments returns the
 * same value: if (f(1) > 0) ... if (f(1) > 0) ... must not pair the first
 * test's true branch with the second's false one.  The first call's
 * result cell is remembered (with its refinements) under a hash of the
 * callee and the arguments.
 */
static uint32_t memo_key(struct flow_cx *cx, const struct ir_stmt *s)
{
	uint64_t h = ma_hash_u64(MA_HASH_INIT, s->callee);

	for (unsigned i = 0; i < cx->nr_args; i++) {
		const struct fval *a = &cx->args[i];
		if (a->kind == FV_INT && a->lo == a->hi)
			h = ma_hash_u64(ma_hash_u64(h, 1), (uint64_t)a->lo);
		else if (a->kind == FV_PTR)
			h = ma_hash_u64(ma_hash_u64(ma_hash_u64(h, 2), a->region), a->loc);
		else if (a->kind == FV_NULL)
			h = ma_hash_u64(h, 3);
		else
			return 0; /* an unknown argument may differ between the calls */
	}
	return (uint32_t)ma_hash_final(h) | 1;
}

static int memo_lookup(struct flow_cx *cx, const struct ir_stmt *s, uint32_t key)
{
	uint64_t k = kkey(KS_MEMO_ID, key);
	int loc = state_kget(cx->st, k);

	if (!s->dst)
		return 0;
	/* the first result's cell may be a temporary dropped since */
	if (loc && state_has(cx->st, (uint32_t)loc)) {
		flow_set_dst(cx, s, state_get(cx, cx->st, (uint32_t)loc));
		return 1;
	}
	return 0;
}

static void memo_store(struct flow_cx *cx, const struct ir_stmt *s, uint32_t key)
{
	uint32_t loc = s->dst ? flow_loc_of_path(cx, s->dst) : 0;

	if (loc)
		state_kset(cx->st, kkey(KS_MEMO_ID, key), (int)loc);
}

/*
 * The callee sets only elements at known indices of the caller's unset
 * array a: those become set (to values unknown here), the others stay
 * unset.  0 when that does not apply.
 */
static int set_known_elems(struct flow_cx *cx, const struct fval *a, const struct flow_summary *sum,
			   unsigned i)
{
	uint32_t array = a->loc;

	if (!(sum->elem_writer & (1u << i)) || (a->flags & FVF_INTERIOR))
		return 0;
	/* &a[0], as an array passed by name decays to */
	if (cx->locs[array].kind == LOC_ELEM && cx->locs[array].id == 1)
		array = cx->locs[array].parent;
	if (state_get(cx, cx->st, array).kind != FV_UNINIT)
		return 0;
	for (uint32_t k = 0; k < 32; k++)
		if (sum->elems_written[i] & (UINT32_C(1) << k))
			state_set(cx, cx->st, loc_intern(cx, LOC_ELEM, array, k + 1), fval_top());
	return 1;
}

/* The fields the callee leaves holding a constant in the caller's objects. */
static void apply_field_sets(struct flow_cx *cx, const struct flow_summary *sum)
{
	for (int i = 0; i < sum->nr_field_sets; i++) {
		const struct field_set *fs = &sum->field_sets[i];
		const struct fval *a = (uint32_t)fs->param < cx->nr_args ? &cx->args[fs->param] : NULL;
		if (a && a->kind == FV_PTR && !(a->flags & FVF_INTERIOR))
			state_set(cx, cx->st, loc_intern(cx, LOC_FIELD, a->loc, fs->field),
				  fval_int(fs->value, fs->value));
	}
}

int flow_apply_summary(struct flow_cx *cx, const struct ir_stmt *s)
{
	const struct flow_summary *sum;
	uint32_t key = 0;

	if (!s->callee || !(sum = summary_of(cx, s->callee)))
		return 0;
	apply_uses(cx, s, sum);
	if (sum->pure && (key = memo_key(cx, s)) && memo_lookup(cx, s, key))
		return 1;
	free_globals(cx, s, sum);
	if (!sum->pure) /* the globals it frees keep pointing at the freed block */
		flow_call_impure(cx, sum->frees_global, sum->nr_frees_global);
	set_null_globals(cx, sum);
	for (unsigned i = 0; i < cx->nr_args; i++) {
		uint16_t bit = i < MAX_SUMMARY_PARAMS ? (uint16_t)(1u << i) : 0;
		struct fval a = cx->args[i];
		if (a.kind != FV_PTR)
			continue;
		if (sum->frees_all & sum->frees_some & bit)
			flow_do_dealloc(cx, s, i, (enum alloc_family)sum->free_family[i],
					ir_string(cx->t, s->callee));
		else if ((sum->frees_some | sum->keeps) & bit || !bit)
			flow_escape_value(cx, &a);
		else if (!set_known_elems(cx, &a, sum, i))
			flow_havoc_escape(cx, a.loc); /* it may write through it, and close or keep what it finds there */
	}
	out_allocs(cx, s, sum);
	apply_field_sets(cx, sum);
	apply_ret(cx, s, sum);
	if (key)
		memo_store(cx, s, key);
	return 1;
}

/*
 * A callee frees or uses a global its caller never names: the caller
 * gets a variable for it before it is analysed, so that what the calls
 * do to the global (freed by one, read by the next) has a cell to live in.
 */
static void adopt_global(struct ir_func *f, ir_str name)
{
	uint32_t v;

	if (global_var(f, name) != UINT32_MAX)
		return;
	v = ir_add_var(f, name, IRV_GLOBAL, IRT_POINTER, (struct ir_loc){ 0 });
	(void)ir_path_var(f, v, IRT_POINTER);
}

void flow_summary_adopt_globals(struct flow_cx *cx)
{
	for (uint32_t b = 0; b < cx->f->nr_blocks; b++) {
		for (uint32_t k = 0; k < cx->f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &cx->f->blocks[b].stmts[k];
			const struct flow_summary *sum;
			if (s->op != IR_CALL || !s->callee || !(sum = summary_of(cx, s->callee)))
				continue;
			for (int i = 0; i < sum->nr_frees_global; i++)
				adopt_global(cx->f, sum->frees_global[i]);
			for (int i = 0; i < sum->nr_uses; i++)
				if (sum->uses[i].param < 0 && sum->uses[i].exits_with == sum->exits)
					adopt_global(cx->f, sum->uses[i].global);
			for (int i = 0; !sum->cases_unusable && i < sum->nr_null_globals; i++)
				adopt_global(cx->f, sum->null_global_names[i]);
			for (int i = 0; i < sum->nr_uses; i++) /* s.f for a struct s passed by value */
				if (sum->uses[i].kind == USE_READ_FIELD && (uint32_t)sum->uses[i].param < s->aux &&
				    cx->f->args[s->args + (uint32_t)sum->uses[i].param].kind == IRV_PATH)
					(void)ir_path_sub(cx->f, IRP_FIELD,
							  cx->f->args[s->args + (uint32_t)sum->uses[i].param].path,
							  sum->uses[i].field, IRT_INT);
		}
	}
}

/* ---------------------------------------------------------------- the driver */

struct flow_summary *flow_summaries_new(size_t n)
{
	return ma_calloc(n ? n : 1, sizeof(struct flow_summary));
}

int flow_call_has_no_effect(struct flow_cx *cx, const struct ir_stmt *s)
{
	const struct flow_summary *sum = s->callee ? summary_of(cx, s->callee) : NULL;
	const struct ir_func *g;

	if (!sum || !sum->pure)
		return 0;
	g = &cx->t->funcs[cx->func_of_str[s->callee]];
	if (g->configured) /* #ifdef'd: another build's body may have effects */
		return 0;
	for (uint32_t p = 1; p < g->nr_paths; p++) /* reading volatile memory is an effect */
		if (g->paths[p].type & IRT_VOLATILE)
			return 0;
	return 1;
}

/* A summary is used only when its function was analysed to the end. */
void flow_summary_finish(struct flow_summary *all, size_t i, int complete, int impure)
{
	all[i].valid = complete && all[i].exits > 0;
	all[i].pure = !impure;
}
