/*
 * null-dereference (CWE-476, CWE-690): memory is accessed through a
 * pointer that is NULL on some feasible path:
 *   - a null constant, directly or through copies (p = NULL; ... *p);
 *   - a pointer a test just found to be NULL (if (!p) { p->x = 0; });
 *   - the unchecked result of a lookup or open function that returns NULL
 *     in normal operation (getenv, strchr, strstr, fopen, opendir, ...),
 *     used before any test (CWE-690);
 *   - an integer expression equal to 0 converted to a pointer.
 * Library functions that dereference their argument (strlen, memcpy,
 * fclose, ...) count as uses.
 *
 * Quiet on purpose: pointers about which nothing is known (parameters,
 * loaded values), free(NULL), unchecked results of memory allocators
 * (assumed to succeed, as clang's analyzer does), and paths on which an
 * allocation was found to have failed (the crash needs malloc to fail).
 * NULL passed to a local function that dereferences it on every path
 * without a test is reported at the dereference, with the call as an event.
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

static int my_id;

static void name_pointer(struct flow_cx *cx, const struct ir_stmt *s, struct strbuf *out)
{
	if (s->op == IR_DEREF) {
		strbuf_addch(out, '\'');
		flow_path_name(cx, s->a.path, out);
		strbuf_addch(out, '\'');
	} else if (s->op == IR_CALL && s->callee) {
		strbuf_addf(out, "the pointer given to '%s'", ir_string(flow_tu(cx), s->callee));
	} else {
		strbuf_addstr(out, "the pointer");
	}
}

/*
 * Like clang's analyzer, memory allocators are assumed to succeed unless
 * the code tests their result: "malloc may return NULL" on every unchecked
 * allocation would bury the real findings.  Lookups (getenv, strchr, ...)
 * and opens (fopen, opendir) return NULL in normal operation and are held
 * to it.
 */
static int is_memory_allocator(const struct region_info *ri)
{
	return ri->kind == RG_HEAP &&
	       (ri->family == FAM_MALLOC || ri->family == FAM_NEW || ri->family == FAM_NEW_ARRAY);
}

/* The pointer's path: dereferenced, or given to a library function (b); 0 if none. */
static ir_path pointer_path(const struct ir_stmt *s)
{
	return s->op == IR_CALL && s->b.kind == IRV_PATH ? s->b.path :
	       s->a.kind == IRV_PATH || s->op == IR_DEREF ? s->a.path : 0;
}

/* The local variable holding the pointer s dereferences or gives to a library function. */
static int pointer_var(struct flow_cx *cx, const struct ir_stmt *s, uint32_t *var)
{
	const struct ir_func *f = flow_func(cx);
	ir_path p = pointer_path(s);

	if (!p || f->paths[p].kind != IRP_VAR)
		return 0;
	*var = f->paths[p].id;
	return 1;
}

static void match_deref(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v)
{
	uint32_t var;
	struct strbuf name = STRBUF_INIT;
	const struct region_info *ri = NULL;
	struct flow_report *r = NULL;
	enum nullness nn = NN_UNKNOWN;
	int is_null = v->kind == FV_NULL || (v->kind == FV_INT && v->lo == 0 && v->hi == 0);

	if (!is_null && (v->kind != FV_PTR || (v->flags & FVF_INTERIOR)))
		return;
	/* T *p = NULL; ... p = x on some path ... p->f: when the variable is
	 * also set to something else, which paths reach the use with the NULL
	 * depends on loop and branch correlations the engine does not see */
	if (v->kind == FV_NULL && (v->flags & FVF_DEFAULT) && s->op == IR_DEREF &&
	    flow_var_set_non_null(cx, ir_path_root(flow_func(cx), s->a.path)))
		return;
	/* if (c) p = x; ... if (c) use(p): set and used under the same test,
	 * which the engine cannot tell gives the same answer both times */
	if (v->kind == FV_NULL && pointer_var(cx, s, &var) && flow_var_set_under_same_test(cx, var))
		return;
	if (v->kind == FV_PTR) {
		nn = flow_region_null(cx, v->region);
		ri = flow_region_info(cx, v->region);
		if (nn != NN_NULL && !(nn == NN_MAYBE && ri->origin && !is_memory_allocator(ri)))
			return;
	}
	/* a crash that needs malloc to fail first is not worth a report */
	if (flow_alloc_failed_on_path(cx))
		return;
	name_pointer(cx, s, &name);
	if (is_null) {
		ir_path p = pointer_path(s);
		static const char *const origin[] = { [NULL_ASSIGNED] = "set to NULL here",
						      [NULL_TESTED] = "NULL on this branch of the test here",
						      [NULL_RETURNED] = "the call here returns NULL" };
		enum null_origin how;
		struct ir_loc set;
		r = flow_report(cx, my_id, s->loc, "null pointer dereference: %s is NULL here", name.buf);
		if (fval_null_origin(v, &how, &set))
			flow_report_event(r, set, "%s", origin[how]);
		else if (v->kind == FV_NULL && (v->flags & FVF_DEFAULT) && p &&
			 flow_var_null_site(cx, ir_path_root(flow_func(cx), p), &set))
			flow_report_event(r, set, "set to NULL here");
	} else if (nn == NN_NULL) {
		r = flow_report(cx, my_id, s->loc, "null pointer dereference: %s was found to be NULL",
				name.buf);
	} else {
		r = flow_report(cx, my_id, s->loc, "%s may be NULL: the result of '%s' is used without a check",
				name.buf, ir_string(flow_tu(cx), ri->origin));
		flow_report_event(r, ri->site, "'%s' may return NULL here", ir_string(flow_tu(cx), ri->origin));
	}
	flow_report_event(r, s->loc, "dereferenced here");
	strbuf_release(&name);
}

void check_null_dereference(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_deref(ma_engine_flow(e), id, match_deref);
}
