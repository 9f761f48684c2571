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
 * `memcpy(&q, &p, sizeof(p))` (copying the pointer itself) quiet.  A
 * pointer to pointers is not reported: sizeof(pp) equals sizeof(*pp)
 * there, so nothing is wrong in practice.
 * Misses: sizes computed into a variable first, wrappers (xmalloc) and
 * functions not in the tables below.
 */
#include "engine.h"
#include "ast.h"

#include <string.h>

static int my_id;

struct sized_call {
	const char *name;
	int buf[2];   /* argument indices of the buffers (-1: none; none at all: an allocator) */
	int size;     /* argument index of the size */
};

static const struct sized_call table[] = {
	{ "memset", { 0, -1 }, 2 },   { "memcpy", { 0, 1 }, 2 },  { "memmove", { 0, 1 }, 2 },
	{ "memcmp", { 0, 1 }, 2 },    { "bzero", { 0, -1 }, 1 },  { "strncpy", { 0, 1 }, 2 },
	{ "strncat", { 0, 1 }, 2 },   { "strncmp", { 0, 1 }, 2 }, { "strlcpy", { 0, 1 }, 2 },
	{ "strlcat", { 0, 1 }, 2 },   { "snprintf", { 0, -1 }, 1 }, { "vsnprintf", { 0, -1 }, 1 },
	{ "fgets", { 0, -1 }, 1 },    { "read", { 1, -1 }, 2 },   { "write", { 1, -1 }, 2 },
	{ "recv", { 1, -1 }, 2 },     { "send", { 1, -1 }, 2 },   { "fread", { 0, -1 }, 1 },
	{ "fwrite", { 0, -1 }, 1 },   { "memchr", { 0, -1 }, 2 },
	{ "malloc", { -1, -1 }, 0 },  { "calloc", { -1, -1 }, 1 }, { "realloc", { -1, -1 }, 1 },
};

struct sizeof_search {
	CXTranslationUnit tu;
	CXCursor target;  /* the buffer, the VarDecl or the assigned lvalue */
	CXCursor found;
};

/* Is the sizeof operand the target: the same variable, or the same tokens? */
static int same_target(CXTranslationUnit tu, CXCursor target, CXCursor operand)
{
	if (clang_getCursorKind(target) == CXCursor_VarDecl)
		return clang_getCursorKind(operand) == CXCursor_DeclRefExpr &&
		       clang_equalCursors(clang_getCursorReferenced(operand), target);
	return ma_ast_same_tokens(tu, ma_ast_strip_casts(target), operand);
}

/* sizeof(p) of a pointer to a non-pointer; sizeof(pp) is sizeof(*pp) anyway. */
static int sizes_a_pointer(CXCursor operand)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(operand));

	if (!ma_ast_is_pointer_expr(operand))
		return 0;
	t = ma_type_is_array(t) ? clang_getArrayElementType(t) : clang_getPointeeType(t);
	return !ma_type_is_pointer(t);
}

static enum CXChildVisitResult find_sizeof(CXCursor c, CXCursor parent, CXClientData data)
{
	struct sizeof_search *s = data;
	CXCursor operand;

	(void)parent;
	if (!ma_ast_sizeof_expr(s->tu, c, &operand))
		return CXChildVisit_Recurse;
	if (sizes_a_pointer(operand) && same_target(s->tu, s->target, operand)) {
		s->found = operand;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

/* The sizeof(target) inside the size expression, or a null cursor. */
static CXCursor sizeof_of(CXTranslationUnit tu, CXCursor size, CXCursor target)
{
	struct sizeof_search s = { tu, target, clang_getNullCursor() };

	if (find_sizeof(size, clang_getNullCursor(), &s) == CXChildVisit_Recurse)
		clang_visitChildren(size, find_sizeof, &s);
	return s.found;
}

/* What an allocation is assigned to: `T *p = malloc(...)` or `p = malloc(...)`. */
static CXCursor assignment_target(struct ma_visit *v)
{
	char op[4];

	for (unsigned up = 0; up < 4; up++) {
		CXCursor p = ma_visit_parent(v, up);
		enum CXCursorKind k = clang_getCursorKind(p);
		if (k == CXCursor_UnexposedExpr || k == CXCursor_CStyleCastExpr || k == CXCursor_ParenExpr)
			continue;
		if (k == CXCursor_VarDecl)
			return p;
		if (k == CXCursor_BinaryOperator && ma_ast_binary_op(ma_visit_tu(v), p, op, sizeof(op)) &&
		    !strcmp(op, "="))
			return ma_ast_strip(ma_ast_child(p, 0));
		break;
	}
	return clang_getNullCursor();
}

static void report(struct ma_visit *v, CXCursor at, CXCursor operand, const char *fn)
{
	CXString type = clang_getTypeSpelling(clang_getCursorType(operand));
	char name[48];

	if (!ma_ast_text(ma_visit_tu(v), operand, name, sizeof(name)))
		strcpy(name, "the pointer");
	ma_report(v, my_id, at, "size passed to '%s' is sizeof of the pointer '%s' (%s%s), "
		  "not of what it points to", fn, name, clang_getCString(type),
		  ma_ast_is_array_param(operand) ? ", an array parameter" : "");
	clang_disposeString(type);
}

static void match_call(struct ma_visit *v, CXCursor call)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	const struct sized_call *sc = NULL;
	CXCursor size, targets[2], found;
	char fn[32];

	ma_ast_callee_name(call, fn, sizeof(fn));
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]) && !sc; i++)
		if (!strcmp(table[i].name, fn))
			sc = &table[i];
	if (!sc || ma_ast_num_args(call) <= sc->size)
		return;
	size = ma_ast_arg(call, (unsigned)sc->size);
	for (int b = 0; b < 2; b++)
		targets[b] = sc->buf[b] < 0 ? clang_getNullCursor() : ma_ast_arg(call, (unsigned)sc->buf[b]);
	if (sc->buf[0] < 0)
		targets[0] = assignment_target(v); /* an allocator: the result's destination */
	for (int b = 0; b < 2; b++) {
		if (clang_Cursor_isNull(targets[b]))
			continue;
		found = sizeof_of(tu, size, targets[b]);
		if (!clang_Cursor_isNull(found)) {
			report(v, call, found, fn);
			return;
		}
	}
}

void check_sizeof_pointer(struct ma_engine *e, int id)
{
	my_id = id;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		ma_engine_on_call(e, id, table[i].name, match_call);
}
