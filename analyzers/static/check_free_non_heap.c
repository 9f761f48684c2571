/*
 * free-non-heap: free() or realloc() of memory that malloc() never
 * returned (CWE-590):
 *   free(&x)             the address of a variable, local, global or a parameter
 *   free(arr)            an array variable, local, static or global; also
 *                        &arr[i] (&arr[0] included), arr + n, c ? p : arr
 *   free(s->name)        an array member of a struct (char name[16]), even
 *                        through a pointer: the array lives inside the struct
 *   free("text")         a string literal
 *   free((int[]){1, 2})  a compound literal
 *
 * Not reported: &p->field (the first field's address is p itself, which
 * may be heap memory), &p[i] through a pointer, and array parameters
 * (they are pointers, whatever libclang says).
 * The data-flow half follows such an address through pointer variables
 * (p = buf; free(p)); on a line both halves see, the pattern half's
 * finding is kept.  Misses: wrappers around free(), and addresses stored
 * in memory the engine does not track.
 */
#include "engine.h"
#include "ast.h"
#include "flow.h"

static int my_id;

static const char *storage_word(CXCursor var)
{
	if (clang_getCursorKind(var) == CXCursor_ParmDecl)
		return "parameter";
	return ma_ast_is_automatic_var(var) ? "local variable" : "static variable";
}

static void report_var(struct ma_visit *v, CXCursor call, const char *fn, CXCursor var)
{
	CXString name = clang_getCursorSpelling(var);
	struct ma_finding *f;

	f = ma_report(v, my_id, call, "'%s' is given the address of %s '%s', not heap memory", fn,
		      storage_word(var), clang_getCString(name));
	ma_report_event(v, f, var, "'%s' declared here", clang_getCString(name));
	clang_disposeString(name);
}

static void match_free(struct ma_visit *v, CXCursor call)
{
	CXCursor arg = ma_ast_strip_casts(clang_Cursor_getArgument(call, 0)), var;
	enum CXCursorKind k = clang_getCursorKind(arg);
	char fn[16];

	ma_ast_callee_name(call, fn, sizeof(fn));
	if (k == CXCursor_StringLiteral) {
		ma_report(v, my_id, call, "'%s' is given a string literal, not heap memory", fn);
	} else if (k == CXCursor_CompoundLiteralExpr && ma_ast_is_array_expr(arg)) {
		ma_report(v, my_id, call, "'%s' is given a compound literal, not heap memory", fn);
	} else if (k == CXCursor_MemberRefExpr && ma_ast_is_array_expr(arg)) {
		CXString m = clang_getCursorSpelling(arg);
		ma_report(v, my_id, call, "'%s' is given the array member '%s', not heap memory", fn,
			  clang_getCString(m));
		clang_disposeString(m);
	} else if (!clang_Cursor_isNull(var = ma_ast_pointed_var(ma_visit_tu(v), arg))) {
		report_var(v, call, fn, var);
	}
}

/*
 * The data-flow half: the argument is a variable that holds such an
 * address (p = buf; free(p)), or a pointer into the middle of a heap
 * block (free(p + 1)).  Arguments written as the address itself are the
 * pattern half's, above.
 */
static void match_dealloc(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v,
			  enum alloc_family fam, const char *fn)
{
	const struct ir_val *arg = s->aux ? &flow_func(cx)->args[s->args] : NULL;
	const struct region_info *ri;
	struct flow_report *r;

	/* a literal or &x written at the call is the pattern half's; a free
	 * inside a local callee (no argument of its own here) is ours */
	if (fam != FAM_MALLOC || v->kind != FV_PTR || (arg && arg->kind != IRV_PATH))
		return;
	ri = flow_region_info(cx, v->region);
	if (ri->kind == RG_HEAP && (v->flags & FVF_INTERIOR) && flow_region_state(cx, v->region) == RGS_LIVE) {
		r = flow_report(cx, my_id, s->loc, "'%s' is given a pointer into the middle of a block, "
				"not the pointer the allocator returned", fn);
		flow_report_event(r, ri->site, "allocated here");
		return;
	}
	if (ri->kind == RG_STRING)
		r = flow_report(cx, my_id, s->loc, "'%s' is given a pointer to a string literal, not heap memory", fn);
	else if (ri->kind == RG_STACK || ri->kind == RG_GLOBAL)
		r = flow_report(cx, my_id, s->loc, "'%s' is given a pointer to the %s variable '%s', not heap memory",
				fn, ri->kind == RG_STACK ? "local" : "static",
				ir_string(flow_tu(cx), flow_func(cx)->vars[ri->var].name));
	else
		return;
	flow_report_event(r, ri->site, "the memory it points to is declared here");
}

void check_free_non_heap(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_call(e, id, "free", match_free);
	ma_engine_on_call(e, id, "realloc", match_free);
	flow_on_dealloc(ma_engine_flow(e), id, match_dealloc);
}
