/*
 * constant-condition: a test that can never hold where it is made
 * (CWE-570).  The code it guards never runs; the test is almost always
 * not the one that was meant: a contradiction, a copy-paste, a flag that
 * is never set.
 *
 *     if ((a == 0) && (a == 1))            a == 1 never holds once a == 0
 *     if (a < 5) { if (10 < a) ... }       10 < a never holds there
 *     int flag = 0; ... while (flag > 0)   flag is still 0
 *
 * The data-flow half: the engine follows integer values along every
 * path, and a test that every path reaching it fails is reported on its
 * line.  Only tests the engine models exactly count (flow_branch_decided):
 * written in the source rather than a macro, signed integer comparisons,
 * operands that are constants or local variables it follows exactly, in a
 * function where no path was cut by a test it does not model exactly.  So
 * NULL checks, globals, volatile objects, unsigned arithmetic, narrowing
 * conversions, callee summaries, literal conditions (while (1),
 * if (DEBUG)) and macros (assert, likely) are left alone.  A test that
 * always holds is not reported by this half: `flag = 1; while (flag)` and
 * a defensive re-check are how code says "always", not mistakes.
 * Misses: tests decided by the caller's arguments (each function is
 * analysed for any caller), and those whose operands the engine loses
 * (a value through memory, a loop it widens).
 *
 * The pattern half: a function's address compared with NULL,
 * `if (get_limit == NULL)` where `get_limit()` was meant.  A function this
 * unit defines has an address, so the test is decided either way; weak
 * functions (whose address is NULL when no definition is linked in) are
 * left alone.
 */
#include "engine.h"
#include "ast.h"
#include "flow.h"
#include "../../core/strbuf.h"

#include <string.h>

static int my_id;

static void report_never(struct flow_cx *cx, uint32_t b)
{
	const struct ir_block *blk = &flow_func(cx)->blocks[b];
	struct strbuf text = STRBUF_INIT;

	if (flow_cond_text(cx, b, &text))
		flow_report(cx, my_id, blk->cond_loc, "'%s' never holds here: the code it guards never runs",
			    text.buf);
	else
		flow_report(cx, my_id, blk->cond_loc, "this test never holds here: the code it guards never runs");
	strbuf_release(&text);
}

static void match_end(struct flow_cx *cx)
{
	const struct ir_func *f = flow_func(cx);
	int truth;

	for (uint32_t b = 0; b < f->nr_blocks; b++)
		if (flow_branch_decided(cx, b, &truth) && !flow_branch_source_truth(cx, b, truth))
			report_never(cx, b);
}

/* ---------------------------------------------------------------- f == NULL */

static int null_constant(CXCursor e)
{
	CXEvalResult r;
	int is_null = 0;

	e = ma_ast_strip_casts(e);
	if (clang_getCursorKind(e) == CXCursor_GNUNullExpr)
		return 1;
	if (clang_getCursorKind(e) != CXCursor_IntegerLiteral)
		return 0;
	r = clang_Cursor_Evaluate(e);
	if (r) {
		is_null = clang_EvalResult_getKind(r) == CXEval_Int && clang_EvalResult_getAsLongLong(r) == 0;
		clang_EvalResult_dispose(r);
	}
	return is_null;
}

static int weak_found(const char *text, void *data)
{
	if (strstr(text, "weak"))
		*(int *)data = 1;
	return *(int *)data;
}

/* A function defined in this unit, and not weak: its address is not NULL. */
static int has_address(CXTranslationUnit tu, CXCursor fn)
{
	CXCursor def = clang_getCursorDefinition(fn);
	int weak = 0;

	if (clang_Cursor_isNull(def))
		return 0;
	ma_ast_each_attribute(tu, def, weak_found, &weak);
	if (!weak)
		ma_ast_each_attribute(tu, fn, weak_found, &weak);
	return !weak;
}

/* A function named as a value: is it compared with NULL (f == NULL, f != 0)? */
static void match_function_ref(struct ma_visit *v, CXCursor ref)
{
	CXCursor fn = ma_visit_referenced(v, ref), p;
	unsigned up = 0, idx;
	enum CXCursorKind k;
	char op[4];
	CXString name;

	if (clang_getCursorKind(fn) != CXCursor_FunctionDecl)
		return;
	for (;; up++) {
		p = ma_visit_parent(v, up);
		k = clang_getCursorKind(p);
		if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr && k != CXCursor_CStyleCastExpr)
			break;
	}
	if (k != CXCursor_BinaryOperator || !ma_ast_binary_op(ma_visit_tu(v), p, op, sizeof(op)) ||
	    (strcmp(op, "==") && strcmp(op, "!=")))
		return;
	idx = up ? ma_visit_parent_child_index(v, up - 1) : ma_visit_child_index(v);
	if (!null_constant(ma_ast_child(p, idx ? 0 : 1)) || !has_address(ma_visit_tu(v), fn))
		return;
	name = clang_getCursorSpelling(fn);
	ma_report(v, my_id, p, "the address of function '%s' is never NULL: this test %s (was '%s()' meant?)",
		  clang_getCString(name), strcmp(op, "==") ? "always holds" : "never holds", clang_getCString(name));
	clang_disposeString(name);
}

void check_constant_condition(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_end(ma_engine_flow(e), id, match_end);
	ma_engine_on_kind(e, id, CXCursor_DeclRefExpr, match_function_ref);
}
