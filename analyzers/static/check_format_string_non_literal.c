/*
 * format-string-non-literal: a printf-like call whose format is not a
 * constant and that passes no arguments after it (CWE-134):
 *   printf(msg);   fprintf(stderr, buf);   snprintf(out, n, name);
 *   die(msg);      where die() is declared __attribute__((format(printf, 1, 2)))
 * Such a call prints msg verbatim only until msg holds a '%'.
 *
 * printf-like means a C library function of the table (printf's format
 * attribute is implicit, and not every libc declares syslog's) or any
 * function declared with a printf format attribute, so project wrappers
 * are checked too.  A wrapper passing its own format on, as in
 * vfprintf(stderr, fmt, ap) or fprintf(fp, fmt, x), is fine; one that
 * drops its arguments (printf(fmt) inside die()) is reported.
 *
 * Not reported, because the format is a constant after all:
 *   - a const variable initialised with a literal (static const char m[] = "...");
 *   - cond ? "a" : "b" with constant branches, and NULL;
 *   - a call to a format_arg function (gettext, _(), ngettext) given constants,
 *     the rule compilers use; getenv("X") is no such function.
 * Limits: a non-const pointer that only ever holds literals is reported
 * (telling needs data flow), and attributes spelt by a macro whose name
 * says neither "printf" nor "format", or holds no numbers, are missed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strcasestr */
#endif
#include "engine.h"
#include "ast.h"

#include <stdio.h>
#include <string.h>

static int my_id;

struct printf_like {
	const char *name;
	unsigned fmt; /* index of the format argument; the variadic ones follow */
};

static const struct printf_like builtins[] = {
	{ "printf", 0 },  { "fprintf", 1 },  { "sprintf", 1 }, { "snprintf", 2 },
	{ "dprintf", 1 }, { "asprintf", 1 }, { "syslog", 1 },  { "wprintf", 0 },
	{ "fwprintf", 1 }, { "swprintf", 2 },
};

struct attr_query {
	unsigned fmt, first; /* printf: 1-based, as written */
	unsigned args[4];    /* format_arg: 1-based argument numbers */
	unsigned nr_args;
};

/*
 * Classify an attribute by its text.  Projects spell these through macros
 * (git's FORMAT_PRESERVING(1), glibc's __attribute_format_arg__ (1),
 * PRINTF_LIKE(2, 3)) and libclang shows only the macro call, so: "printf"
 * with two numbers is a printf format, any other "format" with one number
 * is a format_arg.
 */
static int read_attr(const char *text, void *data)
{
	struct attr_query *q = data;
	unsigned n[3], nr = ma_ast_attribute_numbers(text, n, 3);

	if (strcasestr(text, "printf")) {
		if (nr == 2 && n[0]) {
			q->fmt = n[0];
			q->first = n[1];
		}
	} else if (strcasestr(text, "format") && nr == 1 && n[0] && q->nr_args < 4) {
		q->args[q->nr_args++] = n[0];
	}
	return 0;
}

/*
 * Reading a declaration's attributes visits all its children; a file calls
 * the same few functions thousands of times.  Each thread keeps the
 * answers for the last declarations it looked at (keyed by the walk too:
 * a cursor means nothing in another unit).
 */
#define ATTR_CACHE 256

struct attr_entry {
	unsigned long walk;  /* ma_visit_serial */
	CXCursor decl;
	struct attr_query q;
};

static _Thread_local struct attr_entry attr_cache[ATTR_CACHE];

static void query_attrs(struct ma_visit *v, CXCursor call, struct attr_query *q)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	CXCursor fn = clang_getCursorReferenced(call);
	struct attr_entry *e;

	memset(q, 0, sizeof(*q));
	if (clang_getCursorKind(fn) != CXCursor_FunctionDecl)
		return;
	e = &attr_cache[clang_hashCursor(fn) % ATTR_CACHE];
	if (e->walk == ma_visit_serial(v) && clang_equalCursors(e->decl, fn)) {
		*q = e->q;
		return;
	}
	ma_ast_each_attribute(tu, fn, read_attr, q);
	e->walk = ma_visit_serial(v);
	e->decl = fn;
	e->q = *q;
}

static int is_constant_format(struct ma_visit *v, CXCursor e)
{
	struct attr_query q;

	e = ma_ast_strip_casts(e);
	switch (clang_getCursorKind(e)) {
	case CXCursor_StringLiteral:
	case CXCursor_IntegerLiteral:       /* NULL: die(NULL) prints no message */
	case CXCursor_GNUNullExpr:
	case CXCursor_CXXNullPtrLiteralExpr:
		return 1;
	case CXCursor_DeclRefExpr:
		return ma_ast_is_const_literal_var(e);
	case CXCursor_ConditionalOperator:
		return is_constant_format(v, ma_ast_child(e, 1)) && is_constant_format(v, ma_ast_child(e, 2));
	case CXCursor_CallExpr:
		query_attrs(v, e, &q);
		for (unsigned i = 0; i < q.nr_args; i++)
			if (!is_constant_format(v, ma_ast_arg(e, q.args[i] - 1)))
				return 0;
		return q.nr_args > 0; /* gettext("...") and the like */
	default:
		return 0;
	}
}

/* The format's index when the call is printf-like and passes nothing after it; else -1. */
static int bare_format(struct ma_visit *v, CXCursor call)
{
	struct attr_query q;
	char fn[32];
	int nargs;

	/* printf-like functions take variable arguments: most calls stop here */
	if (!clang_Cursor_isVariadic(clang_getCursorReferenced(call)))
		return -1;
	nargs = ma_ast_num_args(call);
	ma_ast_callee_name(call, fn, sizeof(fn));
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(fn, builtins[i].name))
			return nargs == (int)builtins[i].fmt + 1 ? (int)builtins[i].fmt : -1;
	query_attrs(v, call, &q);
	if (!q.fmt || !q.first) /* first == 0: a va_list (vprintf style) */
		return -1;
	return nargs < (int)q.first ? (int)q.fmt - 1 : -1;
}

static void match_call(struct ma_visit *v, CXCursor call)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	int idx = bare_format(v, call);
	char fn[32], text[48];
	CXCursor fmt;

	if (idx < 0)
		return;
	fmt = ma_ast_arg(call, (unsigned)idx);
	if (clang_Cursor_isNull(fmt) || is_constant_format(v, fmt))
		return;
	ma_ast_callee_name(call, fn, sizeof(fn));
	if (!ma_ast_text(tu, fmt, text, sizeof(text)))
		strcpy(text, "(a macro)");
	ma_report(v, my_id, call, "'%s' uses the non-literal '%s' as its format with no arguments; "
		  "a '%%' in it reads arguments that were never passed", fn, text);
}

void check_format_string_non_literal(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_kind(e, id, CXCursor_CallExpr, match_call);
}
