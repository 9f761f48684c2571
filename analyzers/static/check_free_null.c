/*
 * free-null: free() of a pointer that is NULL on every path reaching the
 * call (CWE-1164).  free(NULL) does nothing, so the call is dead; where it
 * stands, the code meant to release memory it believes was allocated, and
 * the allocation it counts on never happened on any path:
 *
 *     char *buf = NULL;                    ptr = NULL;
 *     ...  (no allocation)                 if (limit_reached())   never true
 *     free(buf);                                   ptr = malloc(n);
 *                                          strcpy(ptr, s);
 *                                          free(ptr);
 *
 * The data-flow engine tells, at each free(p), in each state reaching it,
 * whether p is NULL; after the function's analysis a free() that saw NULL
 * and nothing else is reported, if no statement that runs in the function
 * gives p anything but NULL.  That last condition keeps the usual cleanup
 * quiet: p = malloc(...); ...; hand p over or free it; p = NULL; ...
 * free(p) at a common exit frees NULL on every path, on purpose.  A NULL the code itself
 * tested for (if (p == NULL) { ...; free(p); }) does not count: such a
 * path knows what it frees, and cleanup code often frees everything on
 * every error path; nor do paths where an allocation failed.
 * Misses: pointers NULL only on some paths (legal and common), globals
 * set in another function, and frees inside helpers.
 */
#include "engine.h"
#include "flow.h"

#include <string.h>

static int my_id;

enum { SEEN_NULL = 1, SEEN_OTHER = 2 };

struct seen_free {
	const struct ir_stmt *call;
	uint32_t var;           /* the variable freed */
	uint8_t seen;
	struct ir_loc null_at;  /* where the NULL was stored */
};

/* The frees of the function being analysed (per worker thread; a
 * function with more than MAX_FREES calls to free() has the rest unseen). */
#define MAX_FREES 256
static _Thread_local struct seen_free frees[MAX_FREES];
static _Thread_local size_t nr_frees;
static _Thread_local const struct ir_func *frees_of;

static struct seen_free *entry(const struct ir_func *f, const struct ir_stmt *call, uint32_t var)
{
	if (frees_of != f) { /* a new function (the last one may have been given up) */
		frees_of = f;
		nr_frees = 0;
	}
	for (size_t i = 0; i < nr_frees; i++)
		if (frees[i].call == call)
			return &frees[i];
	if (nr_frees == MAX_FREES)
		return NULL;
	frees[nr_frees] = (struct seen_free){ .call = call, .var = var };
	return &frees[nr_frees++];
}

/* NULL here, and not because this path tested it: assigned, returned. */
static int stored_null(const struct fval *v, struct ir_loc *at)
{
	enum null_origin how;

	if (v->kind != FV_NULL)
		return 0;
	if (!fval_null_origin(v, &how, at)) {
		*at = (struct ir_loc){ 0 };
		return 1;
	}
	return how != NULL_TESTED;
}

/* The variable free() is given (free(p)), or UINT32_MAX for anything else. */
static uint32_t freed_var(const struct ir_func *f, const struct ir_stmt *s)
{
	const struct ir_val *a = s->aux ? &f->args[s->args] : NULL;

	if (!a || a->kind != IRV_PATH || f->paths[a->path].kind != IRP_VAR ||
	    (f->vars[f->paths[a->path].id].flags & IRV_ADDR_TAKEN))
		return UINT32_MAX;
	return f->paths[a->path].id;
}

static void match_dealloc(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v,
			  enum alloc_family fam, const char *fn)
{
	struct seen_free *e;
	struct ir_loc at;
	uint32_t var;

	/* free() itself, not a helper whose summary frees (its free may be
	 * shared); paths where memory ran out are not what the code is about */
	if (fam != FAM_MALLOC || !s->callee || strcmp(ir_string(flow_tu(cx), s->callee), fn) ||
	    strcmp(fn, "free") || flow_alloc_failed_on_path(cx))
		return;
	if ((var = freed_var(flow_func(cx), s)) == UINT32_MAX || !(e = entry(flow_func(cx), s, var)))
		return;
	if (stored_null(v, &at)) {
		e->seen |= SEEN_NULL;
		if (!e->null_at.line)
			e->null_at = at;
	} else {
		e->seen |= SEEN_OTHER;
	}
}

/* Does a statement that runs store into var something else than NULL? */
static int set_non_null(struct flow_cx *cx, uint32_t var)
{
	const struct ir_func *f = flow_func(cx);

	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		if (!(flow_block_seen(cx, b) & FLOW_BLOCK_REACHED))
			continue;
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			if ((s->op == IR_ASSIGN || s->op == IR_CALL || s->op == IR_ARITH) && s->dst &&
			    ir_path_root(f, s->dst) == var &&
			    !(s->op == IR_ASSIGN && (s->a.kind == IRV_NULL || (s->a.kind == IRV_INT && !s->a.k))))
				return 1;
		}
	}
	return 0;
}

static void match_end(struct flow_cx *cx)
{
	struct flow_report *r;

	if (frees_of != flow_func(cx))
		return;
	for (size_t i = 0; i < nr_frees; i++) {
		if (frees[i].seen != SEEN_NULL || set_non_null(cx, frees[i].var))
			continue;
		r = flow_report(cx, my_id, frees[i].call->loc, "'free' is given a pointer that is NULL on every "
				"path here: nothing is released (was it meant to be allocated?)");
		if (frees[i].null_at.line)
			flow_report_event(r, frees[i].null_at, "set to NULL here");
	}
	nr_frees = 0;
	frees_of = NULL;
}

void check_free_null(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_dealloc(ma_engine_flow(e), id, match_dealloc);
	flow_on_end(ma_engine_flow(e), id, match_end);
}
