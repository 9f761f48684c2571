/*
 * realloc-leak (CWE-401): p = realloc(p, n).  When realloc fails it
 * returns NULL and leaves the old block alone; assigning its result
 * straight back to the only pointer to that block loses the block.
 *
 * Matched on the assignment's shape: the pointer assigned and realloc's
 * first argument are the same expression (same tokens).  Writing the
 * result to a temporary first (q = realloc(p, n); if (q) p = q;) is the
 * fix and is quiet.
 *
 * Quiet on purpose: a plain parameter on the left (p = realloc(p, n) in a
 * helper that returns p): the caller still holds the old pointer, and
 * whether the block is lost depends on what the caller does with the
 * result.
 */
#include "engine.h"
#include "ast.h"

#include <string.h>

static int my_id;

static int is_parameter(CXCursor e)
{
	return clang_getCursorKind(e) == CXCursor_DeclRefExpr &&
	       clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_ParmDecl;
}

static void match_assign(struct ma_visit *v, CXCursor e)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	CXCursor lhs, rhs;
	char op[4], fn[16];
	struct ma_finding *f;

	/* the call first: reading the operator from the text costs more */
	rhs = ma_ast_strip_casts(ma_ast_child(e, 1));
	if (clang_getCursorKind(rhs) != CXCursor_CallExpr)
		return;
	ma_ast_callee_name(rhs, fn, sizeof(fn));
	if (strcmp(fn, "realloc") || !ma_ast_binary_op(tu, e, op, sizeof(op)) || strcmp(op, "="))
		return;
	lhs = ma_ast_strip(ma_ast_child(e, 0));
	if (is_parameter(lhs) || ma_ast_num_args(rhs) < 1 ||
	    !ma_ast_same_tokens(tu, lhs, ma_ast_strip_casts(ma_ast_arg(rhs, 0))))
		return;
	f = ma_report(v, my_id, rhs, "if 'realloc' fails, the old block is lost: its only pointer is "
		      "overwritten with NULL");
	ma_report_event(v, f, rhs, "assign realloc's result to a temporary and test it first");
}

void check_realloc_leak(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_kind(e, id, CXCursor_BinaryOperator, match_assign);
}
