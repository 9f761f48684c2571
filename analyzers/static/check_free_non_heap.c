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
 * Misses: a pointer variable that was set to such an address earlier
 * (p = buf; free(p)), which needs data flow, and wrappers around free().
 */
#include "engine.h"
#include "ast.h"

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

void check_free_non_heap(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_call(e, id, "free", match_free);
	ma_engine_on_call(e, id, "realloc", match_free);
}
