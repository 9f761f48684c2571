/*
 * format-string-non-literal: a printf-family call whose format is not a
 * string literal and that passes no arguments after it (CWE-134):
 *   printf(msg);   fprintf(stderr, buf);   snprintf(out, n, name);
 * Such a call prints msg verbatim only until msg holds a '%'.
 *
 * Not reported, because the format is a constant after all:
 *   - a const variable initialised with a literal (static const char m[] = "...");
 *   - cond ? "a" : "b" with literal branches;
 *   - translations, f("literal") for a one-argument call (gettext, _()).
 * The v* variants (vprintf(fmt, ap)) are the wrapper pattern and are
 * checked at the wrapper's callers by compilers; they are not reported.
 */
#include "engine.h"
#include "ast.h"

#include <string.h>

static int my_id;

struct printf_like {
	const char *name;
	int fmt; /* index of the format argument */
};

static const struct printf_like table[] = {
	{ "printf", 0 },  { "fprintf", 1 }, { "dprintf", 1 }, { "sprintf", 1 },
	{ "snprintf", 2 }, { "syslog", 1 },  { "wprintf", 0 }, { "fwprintf", 1 },
};

static int is_constant_format(CXCursor e);

/* A const-qualified variable whose initialiser is a literal. */
static int is_const_literal_var(CXCursor ref)
{
	CXCursor d = clang_getCursorReferenced(ref), init;
	CXType t;

	if (clang_getCursorKind(d) != CXCursor_VarDecl)
		return 0;
	t = clang_getCursorType(d);
	if (ma_type_is_array(t))
		t = clang_getArrayElementType(t);
	else if (!clang_isConstQualifiedType(t))
		return 0; /* a pointer that is not itself const can be re-pointed */
	else
		t = clang_getPointeeType(t);
	if (!clang_isConstQualifiedType(t))
		return 0;
	init = clang_Cursor_getVarDeclInitializer(d);
	return !clang_Cursor_isNull(init) && ma_ast_is_string_literal(init);
}

static int is_constant_format(CXCursor e)
{
	e = ma_ast_strip_casts(e);
	switch (clang_getCursorKind(e)) {
	case CXCursor_StringLiteral:
		return 1;
	case CXCursor_DeclRefExpr:
		return is_const_literal_var(e);
	case CXCursor_ConditionalOperator:
		return is_constant_format(ma_ast_child(e, 1)) && is_constant_format(ma_ast_child(e, 2));
	case CXCursor_CallExpr:
		/* gettext("...") and the like: a translated literal */
		return ma_ast_num_args(e) == 1 && ma_ast_is_string_literal(ma_ast_arg(e, 0));
	default:
		return 0;
	}
}

static void match_call(struct ma_visit *v, CXCursor call)
{
	char fn[32], text[64];
	int nargs = ma_ast_num_args(call);
	CXCursor fmt;

	ma_ast_callee_name(call, fn, sizeof(fn));
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(fn, table[i].name))
			continue;
		if (nargs != table[i].fmt + 1)
			return; /* arguments follow: the format was meant */
		fmt = ma_ast_arg(call, (unsigned)table[i].fmt);
		if (clang_Cursor_isNull(fmt) || is_constant_format(fmt))
			return;
		if (!ma_ast_first_token(ma_visit_tu(v), fmt, text, sizeof(text)))
			strcpy(text, "?");
		ma_report(v, my_id, call, "'%s' uses the non-literal '%s' as its format with no arguments; "
			  "a '%%' in it reads arguments that were never passed", fn, text);
		return;
	}
}

void check_format_string_non_literal(struct ma_engine *e, int id)
{
	my_id = id;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		ma_engine_on_call(e, id, table[i].name, match_call);
}
