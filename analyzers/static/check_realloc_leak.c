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

static int is_cast(enum CXCursorKind k)
{
	return k == CXCursor_UnexposedExpr || k == CXCursor_CStyleCastExpr || k == CXCursor_ParenExpr;
}

/* A call to realloc (few in a file: the engine finds them by name) whose
 * result is assigned straight back. */
static void match_realloc(struct ma_visit *v, CXCursor call)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	unsigned n = 0, index = ma_visit_child_index(v);
	CXCursor up = ma_visit_parent(v, 0), lhs;
	char op[4];
	struct ma_finding *f;

	/* up through the conversions around the call: p = (char *)realloc(p, n) */
	while (is_cast(clang_getCursorKind(up))) {
		index = ma_visit_parent_child_index(v, n);
		up = ma_visit_parent(v, ++n);
	}
	if (clang_getCursorKind(up) != CXCursor_BinaryOperator || index != 1 ||
	    !ma_ast_binary_op(tu, up, op, sizeof(op)) || strcmp(op, "="))
		return;
	lhs = ma_ast_strip(ma_ast_child(up, 0));
	if (is_parameter(lhs) || ma_ast_num_args(call) < 1 ||
	    !ma_ast_same_tokens(tu, lhs, ma_ast_strip_casts(ma_ast_arg(call, 0))))
		return;
	f = ma_report(v, my_id, call, "if 'realloc' fails, the old block is lost: its only pointer is "
		      "overwritten with NULL");
	ma_report_event(v, f, call, "assign realloc's result to a temporary and test it first");
}

void check_realloc_leak(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_call(e, id, "realloc", match_realloc);
}
