/*
 * return-stack-address: a function returns the address of its own
 * automatic storage (CWE-562):
 *   return &x;          return &arr[i];     return &s.field;
 *   return arr;         (a local array decays to its address)
 *
 * Static locals, globals and parameters' pointees are fine and not
 * reported; a parameter's own address (&param) is.
 * Misses: the address stored in a pointer first (p = &x; return p;), which
 * needs data flow (issue 4), and addresses hidden in returned structs.
 */
#include "engine.h"
#include "ast.h"

#include <string.h>

static int my_id;

/* The automatic variable whose storage expression e designates, or null. */
static CXCursor automatic_root(CXCursor e)
{
	for (;;) {
		enum CXCursorKind k;
		e = ma_ast_strip(e);
		k = clang_getCursorKind(e);
		if (k == CXCursor_DeclRefExpr) {
			CXCursor d = clang_getCursorReferenced(e);
			return ma_ast_is_automatic_var(d) ? d : clang_getNullCursor();
		}
		if (k == CXCursor_ArraySubscriptExpr) {
			CXCursor base = ma_ast_child(e, 0);
			if (!ma_type_is_array(clang_getCursorType(ma_ast_strip(base))))
				return clang_getNullCursor();
			e = base;
		} else if (k == CXCursor_MemberRefExpr) {
			CXCursor base = ma_ast_child(e, 0);
			if (clang_getCanonicalType(clang_getCursorType(ma_ast_strip(base))).kind == CXType_Pointer)
				return clang_getNullCursor(); /* p->field */
			e = base;
		} else {
			return clang_getNullCursor();
		}
	}
}

static void report(struct ma_visit *v, CXCursor ret, CXCursor var, const char *what)
{
	CXString name = clang_getCursorSpelling(var);
	struct ma_finding *f;

	f = ma_report(v, my_id, ret, "'%s' returns %s local variable '%s', which is gone once it returns",
		      ma_visit_function_name(v), what, clang_getCString(name));
	ma_report_event(v, f, var, "'%s' declared here", clang_getCString(name));
	ma_report_event(v, f, ret, "its address escapes here");
	clang_disposeString(name);
}

static void match_return(struct ma_visit *v, CXCursor ret)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	CXCursor e = ma_ast_strip_casts(ma_ast_child(ret, 0)), var;
	char op[4];

	if (clang_Cursor_isNull(e))
		return;
	if (ma_ast_unary_op(tu, e, op, sizeof(op)) && !strcmp(op, "&")) {
		var = automatic_root(ma_ast_child(e, 0));
		if (!clang_Cursor_isNull(var))
			report(v, ret, var, "the address of");
	} else if (ma_type_is_array(clang_getCursorType(e))) {
		var = automatic_root(e);
		if (!clang_Cursor_isNull(var))
			report(v, ret, var, "the array");
	}
}

void check_return_stack_address(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_kind(e, id, CXCursor_ReturnStmt, match_return);
}
