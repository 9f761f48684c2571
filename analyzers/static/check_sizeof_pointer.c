/*
 * sizeof-pointer: a size computed as sizeof of a pointer where the size
 * of what it points to was meant (CWE-467):
 *   memset(p, 0, sizeof(p));          p is a pointer (or an array parameter)
 *   strncpy(dst, src, sizeof(dst));
 *   struct s *p = malloc(sizeof(p));  p = realloc(p, n * sizeof(p));
 *
 * Heuristic: the operand of sizeof must be the very expression passed as
 * the buffer (or assigned the allocation), and of pointer type.  That keeps
 * `malloc(n * sizeof(char *))` (a type: an array of pointers is meant) and
 * `memcpy(&q, &p, sizeof(p))` (copying the pointer itself) quiet.  For
 * allocations, a pointer to pointers is not reported: sizeof(pp) equals
 * sizeof(*pp) there, so nothing is wrong in practice.
 */
#include "engine.h"
#include "ast.h"

#include <string.h>

static int my_id;

struct sized_call {
	const char *name;
	int buf[2];   /* argument indices of the buffers (-1: none) */
	int size;     /* argument index of the size */
};

static const struct sized_call buffer_calls[] = {
	{ "memset", { 0, -1 }, 2 },   { "memcpy", { 0, 1 }, 2 },  { "memmove", { 0, 1 }, 2 },
	{ "memcmp", { 0, 1 }, 2 },    { "bzero", { 0, -1 }, 1 },  { "strncpy", { 0, 1 }, 2 },
	{ "strncat", { 0, 1 }, 2 },   { "strncmp", { 0, 1 }, 2 }, { "strlcpy", { 0, 1 }, 2 },
	{ "strlcat", { 0, 1 }, 2 },   { "snprintf", { 0, -1 }, 1 }, { "vsnprintf", { 0, -1 }, 1 },
	{ "fgets", { 0, -1 }, 1 },    { "read", { 1, -1 }, 2 },   { "write", { 1, -1 }, 2 },
	{ "recv", { 1, -1 }, 2 },     { "send", { 1, -1 }, 2 },   { "fread", { 0, -1 }, 1 },
	{ "fwrite", { 0, -1 }, 1 },   { "memchr", { 0, -1 }, 2 },
};

static const struct sized_call alloc_calls[] = {
	{ "malloc", { -1, -1 }, 0 }, { "calloc", { -1, -1 }, 1 }, { "realloc", { -1, -1 }, 1 },
};

struct sizeof_search {
	CXTranslationUnit tu;
	CXCursor found[4];
	unsigned nr;
};

/* Collect the pointer-typed sizeof(expr) operands inside a size expression. */
static enum CXChildVisitResult find_sizeof(CXCursor c, CXCursor parent, CXClientData data)
{
	struct sizeof_search *s = data;
	CXCursor operand;

	(void)parent;
	if (ma_ast_sizeof_expr(s->tu, c, &operand)) {
		if (ma_type_is_pointer(clang_getCursorType(operand)) && s->nr < 4)
			s->found[s->nr++] = operand;
		return CXChildVisit_Continue;
	}
	return CXChildVisit_Recurse;
}

static void sizeofs_in(CXTranslationUnit tu, CXCursor size, struct sizeof_search *s)
{
	s->tu = tu;
	s->nr = 0;
	if (find_sizeof(size, clang_getNullCursor(), s) == CXChildVisit_Recurse)
		clang_visitChildren(size, find_sizeof, s);
}

static const struct sized_call *lookup(const struct sized_call *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return &t[i];
	return NULL;
}

static void report(struct ma_visit *v, CXCursor at, CXCursor operand, const char *fn)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	CXString type = clang_getTypeSpelling(clang_getCursorType(operand));
	char name[128];

	if (!ma_ast_first_token(tu, operand, name, sizeof(name)))
		strcpy(name, "the pointer");
	ma_report(v, my_id, at, "size passed to '%s' is sizeof of the pointer '%s' (%s), "
		  "not of what it points to", fn, name, clang_getCString(type));
	clang_disposeString(type);
}

static void match_buffer_call(struct ma_visit *v, CXCursor call)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	struct sizeof_search s;
	const struct sized_call *sc;
	char fn[32];

	ma_ast_callee_name(call, fn, sizeof(fn));
	sc = lookup(buffer_calls, sizeof(buffer_calls) / sizeof(buffer_calls[0]), fn);
	if (!sc || ma_ast_num_args(call) <= sc->size)
		return;
	sizeofs_in(tu, ma_ast_arg(call, (unsigned)sc->size), &s);
	for (unsigned i = 0; i < s.nr; i++) {
		for (int b = 0; b < 2; b++) {
			if (sc->buf[b] < 0)
				continue;
			if (ma_ast_same_tokens(tu, ma_ast_strip_casts(ma_ast_arg(call, (unsigned)sc->buf[b])),
					       s.found[i])) {
				report(v, call, s.found[i], fn);
				return;
			}
		}
	}
}

/* What the allocation is assigned to: `T *p = malloc(...)` or `p = malloc(...)`. */
static CXCursor assignment_target(struct ma_visit *v, CXCursor call)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	char op[4];

	for (unsigned up = 0; up < 4; up++) {
		CXCursor p = ma_visit_parent(v, up);
		enum CXCursorKind k = clang_getCursorKind(p);
		if (k == CXCursor_UnexposedExpr || k == CXCursor_CStyleCastExpr || k == CXCursor_ParenExpr)
			continue;
		if (k == CXCursor_VarDecl)
			return p;
		if (k == CXCursor_BinaryOperator && ma_ast_binary_op(tu, p, op, sizeof(op)) &&
		    !strcmp(op, "="))
			return ma_ast_strip(ma_ast_child(p, 0));
		break;
	}
	(void)call;
	return clang_getNullCursor();
}

static int same_target(CXTranslationUnit tu, CXCursor target, CXCursor operand)
{
	if (clang_getCursorKind(target) == CXCursor_VarDecl)
		return clang_getCursorKind(operand) == CXCursor_DeclRefExpr &&
		       clang_equalCursors(clang_getCursorReferenced(operand), target);
	return ma_ast_same_tokens(tu, target, operand);
}

static void match_alloc_call(struct ma_visit *v, CXCursor call)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	CXCursor target = assignment_target(v, call);
	struct sizeof_search s;
	const struct sized_call *sc;
	char fn[32];

	if (clang_Cursor_isNull(target))
		return;
	ma_ast_callee_name(call, fn, sizeof(fn));
	sc = lookup(alloc_calls, sizeof(alloc_calls) / sizeof(alloc_calls[0]), fn);
	if (!sc || ma_ast_num_args(call) <= sc->size)
		return;
	sizeofs_in(tu, ma_ast_arg(call, (unsigned)sc->size), &s);
	for (unsigned i = 0; i < s.nr; i++) {
		CXType pointee = clang_getPointeeType(clang_getCanonicalType(clang_getCursorType(s.found[i])));
		if (clang_getCanonicalType(pointee).kind == CXType_Pointer)
			continue; /* sizeof(pp) == sizeof(*pp) */
		if (same_target(tu, target, s.found[i])) {
			report(v, call, s.found[i], fn);
			return;
		}
	}
}

void check_sizeof_pointer(struct ma_engine *e, int id)
{
	my_id = id;
	for (size_t i = 0; i < sizeof(buffer_calls) / sizeof(buffer_calls[0]); i++)
		ma_engine_on_call(e, id, buffer_calls[i].name, match_buffer_call);
	for (size_t i = 0; i < sizeof(alloc_calls) / sizeof(alloc_calls[0]); i++)
		ma_engine_on_call(e, id, alloc_calls[i].name, match_alloc_call);
}
