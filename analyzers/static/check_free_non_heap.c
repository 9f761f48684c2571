/*
 * free-non-heap: free() or realloc() of memory that malloc() never
 * returned (CWE-590):
 *   free(&x)             the address of a variable (local or global)
 *   free(&arr[i])        an element of an array variable
 *   free(arr)            an array variable, local or global
 *   free(s->name)        an array member of a struct (char name[16])
 *   free("text")         a string literal
 *
 * Not reported: &p->field (the first field's address is p itself, which
 * may be heap memory) and array parameters (they are pointers).
 * Misses: a pointer variable that was set to such an address earlier;
 * that needs data flow (the engine of issue 4).
 */
#include "engine.h"
#include "ast.h"

#include <stdio.h>
#include <string.h>

static int my_id;

/* The variable at the root of a ".field" / "[i]" chain, or a null cursor. */
static CXCursor root_variable(CXCursor e)
{
	for (;;) {
		enum CXCursorKind k;
		e = ma_ast_strip(e);
		k = clang_getCursorKind(e);
		if (k == CXCursor_DeclRefExpr) {
			CXCursor d = clang_getCursorReferenced(e);
			return clang_getCursorKind(d) == CXCursor_VarDecl ? d : clang_getNullCursor();
		}
		if (k == CXCursor_ArraySubscriptExpr) {
			CXCursor base = ma_ast_child(e, 0);
			if (!ma_type_is_array(clang_getCursorType(ma_ast_strip(base))))
				return clang_getNullCursor(); /* p[i] through a pointer */
			e = base;
		} else if (k == CXCursor_MemberRefExpr) {
			CXCursor base = ma_ast_child(e, 0);
			/* a->b: the struct may live on the heap */
			if (ma_type_is_pointer(clang_getCursorType(ma_ast_strip(base))))
				return clang_getNullCursor();
			e = base;
		} else {
			return clang_getNullCursor();
		}
	}
}

static const char *storage_word(CXCursor var)
{
	return ma_ast_is_automatic_var(var) ? "local" : "static";
}

static void report_var(struct ma_visit *v, CXCursor call, const char *fn, CXCursor var,
		       const char *what)
{
	CXString name = clang_getCursorSpelling(var);
	struct ma_finding *f;

	f = ma_report(v, my_id, call, "'%s' is given %s of %s variable '%s', not heap memory", fn,
		      what, storage_word(var), clang_getCString(name));
	ma_report_event(v, f, var, "'%s' declared here", clang_getCString(name));
	clang_disposeString(name);
}

static void match_free(struct ma_visit *v, CXCursor call)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	CXCursor arg = ma_ast_strip_casts(clang_Cursor_getArgument(call, 0));
	enum CXCursorKind k = clang_getCursorKind(arg);
	char fn[16], op[4];
	CXCursor var;

	ma_ast_callee_name(call, fn, sizeof(fn));
	if (k == CXCursor_StringLiteral) {
		ma_report(v, my_id, call, "'%s' is given a string literal, not heap memory", fn);
	} else if (ma_ast_unary_op(tu, arg, op, sizeof(op)) && !strcmp(op, "&")) {
		var = root_variable(ma_ast_child(arg, 0));
		if (!clang_Cursor_isNull(var))
			report_var(v, call, fn, var, "the address");
	} else if (ma_type_is_array(clang_getCursorType(arg))) {
		if (k == CXCursor_MemberRefExpr) {
			CXString m = clang_getCursorSpelling(arg);
			ma_report(v, my_id, call, "'%s' is given the array member '%s', not heap memory",
				  fn, clang_getCString(m));
			clang_disposeString(m);
		} else if (!clang_Cursor_isNull(var = root_variable(arg))) {
			report_var(v, call, fn, var, "the array");
		}
	}
}

void check_free_non_heap(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_call(e, id, "free", match_free);
	ma_engine_on_call(e, id, "realloc", match_free);
}
