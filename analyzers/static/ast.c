#include "ast.h"

#include <stdio.h>
#include <string.h>

struct nth {
	unsigned want, seen;
	CXCursor found;
};

static enum CXChildVisitResult find_nth(CXCursor c, CXCursor parent, CXClientData data)
{
	struct nth *n = data;

	(void)parent;
	if (n->seen++ == n->want) {
		n->found = c;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Continue;
}

CXCursor ma_ast_child(CXCursor c, unsigned i)
{
	struct nth n = { .want = i, .found = clang_getNullCursor() };

	clang_visitChildren(c, find_nth, &n);
	return n.found;
}

static enum CXChildVisitResult count_child(CXCursor c, CXCursor parent, CXClientData data)
{
	(void)c;
	(void)parent;
	++*(unsigned *)data;
	return CXChildVisit_Continue;
}

unsigned ma_ast_num_children(CXCursor c)
{
	unsigned n = 0;

	clang_visitChildren(c, count_child, &n);
	return n;
}

int ma_ast_is_null(CXCursor c)
{
	return clang_Cursor_isNull(c);
}

static CXCursor strip(CXCursor c, int casts)
{
	for (;;) {
		enum CXCursorKind k = clang_getCursorKind(c);
		if (k == CXCursor_ParenExpr || (casts && k == CXCursor_CStyleCastExpr)) {
			c = ma_ast_child(c, casts && k == CXCursor_CStyleCastExpr ?
					 ma_ast_num_children(c) - 1 : 0);
		} else if (k == CXCursor_UnexposedExpr && ma_ast_num_children(c) == 1) {
			c = ma_ast_child(c, 0);
		} else {
			return c;
		}
		if (clang_Cursor_isNull(c))
			return c;
	}
}

CXCursor ma_ast_strip(CXCursor c)
{
	return strip(c, 0);
}

CXCursor ma_ast_strip_casts(CXCursor c)
{
	return strip(c, 1);
}

int ma_ast_is_string_literal(CXCursor c)
{
	return clang_getCursorKind(ma_ast_strip_casts(c)) == CXCursor_StringLiteral;
}

void ma_ast_callee_name(CXCursor call, char *buf, size_t size)
{
	CXCursor callee = clang_getCursorReferenced(call);
	CXString s;

	buf[0] = '\0';
	if (clang_getCursorKind(callee) != CXCursor_FunctionDecl)
		return;
	s = clang_getCursorSpelling(callee);
	if (clang_getCString(s))
		snprintf(buf, size, "%s", clang_getCString(s));
	clang_disposeString(s);
}

int ma_ast_num_args(CXCursor call)
{
	return clang_Cursor_getNumArguments(call);
}

CXCursor ma_ast_arg(CXCursor call, unsigned i)
{
	if ((int)i >= clang_Cursor_getNumArguments(call))
		return clang_getNullCursor();
	return ma_ast_strip(clang_Cursor_getArgument(call, i));
}

static int token_at(CXTranslationUnit tu, CXCursor c, int last, char *buf, size_t size)
{
	CXToken *toks = NULL;
	unsigned n = 0;
	int ok = 0;

	clang_tokenize(tu, clang_getCursorExtent(c), &toks, &n);
	if (n) {
		CXString s = clang_getTokenSpelling(tu, toks[last ? n - 1 : 0]);
		snprintf(buf, size, "%s", clang_getCString(s));
		clang_disposeString(s);
		ok = 1;
	}
	clang_disposeTokens(tu, toks, n);
	return ok;
}

int ma_ast_first_token(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	return token_at(tu, c, 0, buf, size);
}

int ma_ast_last_token(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	return token_at(tu, c, 1, buf, size);
}

/* Tokenize a short window before the cursor and keep its last token. */
int ma_ast_token_before(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(c));
	CXToken *toks = NULL;
	unsigned n = 0, off = 0;
	CXFile file;
	int ok = 0;

	clang_getSpellingLocation(start, &file, NULL, NULL, &off);
	if (!file || !off)
		return 0;
	clang_tokenize(tu, clang_getRange(clang_getLocationForOffset(tu, file, off > 32 ? off - 32 : 0),
					  start), &toks, &n);
	for (unsigned i = n; i-- > 0 && !ok;) {
		unsigned toff = 0;
		clang_getSpellingLocation(clang_getTokenLocation(tu, toks[i]), NULL, NULL, NULL, &toff);
		if (toff < off) {
			CXString s = clang_getTokenSpelling(tu, toks[i]);
			snprintf(buf, size, "%s", clang_getCString(s));
			clang_disposeString(s);
			ok = 1;
		}
	}
	clang_disposeTokens(tu, toks, n);
	return ok;
}

static int is_punct(const char *s)
{
	return *s && strchr("&*!~-+", *s);
}

int ma_ast_unary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	if (clang_getCursorKind(c) != CXCursor_UnaryOperator)
		return 0;
	if (ma_ast_first_token(tu, c, buf, size) && is_punct(buf))
		return 1;
	return ma_ast_last_token(tu, c, buf, size); /* postfix ++ / -- */
}

static unsigned offset_of(CXSourceLocation l)
{
	unsigned off = 0;

	clang_getSpellingLocation(l, NULL, NULL, NULL, &off);
	return off;
}

int ma_ast_binary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor lhs;
	unsigned lhs_end;
	CXToken *toks = NULL;
	unsigned n = 0;
	int ok = 0;

	if (k != CXCursor_BinaryOperator && k != CXCursor_CompoundAssignOperator)
		return 0;
	lhs = ma_ast_child(c, 0);
	lhs_end = offset_of(clang_getRangeEnd(clang_getCursorExtent(lhs)));
	clang_tokenize(tu, clang_getCursorExtent(c), &toks, &n);
	for (unsigned i = 0; i < n && !ok; i++) {
		if (clang_getTokenKind(toks[i]) != CXToken_Punctuation ||
		    offset_of(clang_getTokenLocation(tu, toks[i])) < lhs_end)
			continue;
		CXString s = clang_getTokenSpelling(tu, toks[i]);
		snprintf(buf, size, "%s", clang_getCString(s));
		clang_disposeString(s);
		ok = 1;
	}
	clang_disposeTokens(tu, toks, n);
	return ok;
}

int ma_ast_sizeof_expr(CXTranslationUnit tu, CXCursor c, CXCursor *arg)
{
	char tok[16];
	CXCursor child;

	if (clang_getCursorKind(c) != CXCursor_UnaryExpr)
		return 0;
	if (!ma_ast_first_token(tu, c, tok, sizeof(tok)) || strcmp(tok, "sizeof"))
		return 0;
	child = ma_ast_child(c, 0);
	if (clang_Cursor_isNull(child) || !clang_isExpression(clang_getCursorKind(child)))
		return 0; /* sizeof(type) */
	*arg = ma_ast_strip(child);
	return 1;
}

CXCursor ma_ast_referenced(CXCursor expr)
{
	CXCursor e = ma_ast_strip(expr);
	enum CXCursorKind k = clang_getCursorKind(e);

	if (k != CXCursor_DeclRefExpr && k != CXCursor_MemberRefExpr)
		return clang_getNullCursor();
	return clang_getCursorReferenced(e);
}

int ma_ast_is_automatic_var(CXCursor decl)
{
	enum CXCursorKind k = clang_getCursorKind(decl);
	enum CX_StorageClass sc;
	enum CXCursorKind pk;

	if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
		return 0;
	sc = clang_Cursor_getStorageClass(decl);
	if (sc == CX_SC_Static || sc == CX_SC_Extern)
		return 0;
	pk = clang_getCursorKind(clang_getCursorSemanticParent(decl));
	return k == CXCursor_ParmDecl || pk == CXCursor_FunctionDecl || pk == CXCursor_CXXMethod ||
	       pk == CXCursor_Constructor || pk == CXCursor_Destructor;
}

int ma_ast_is_static_storage_var(CXCursor decl)
{
	return clang_getCursorKind(decl) == CXCursor_VarDecl && !ma_ast_is_automatic_var(decl);
}

int ma_type_is_pointer(CXType t)
{
	return clang_getCanonicalType(t).kind == CXType_Pointer;
}

int ma_type_is_array(CXType t)
{
	enum CXTypeKind k = clang_getCanonicalType(t).kind;

	return k == CXType_ConstantArray || k == CXType_IncompleteArray ||
	       k == CXType_VariableArray || k == CXType_DependentSizedArray;
}

int ma_ast_same_tokens(CXTranslationUnit tu, CXCursor a, CXCursor b)
{
	CXToken *ta = NULL, *tb = NULL;
	unsigned na = 0, nb = 0;
	int same;

	clang_tokenize(tu, clang_getCursorExtent(a), &ta, &na);
	clang_tokenize(tu, clang_getCursorExtent(b), &tb, &nb);
	same = na == nb && na > 0;
	for (unsigned i = 0; same && i < na; i++) {
		CXString sa = clang_getTokenSpelling(tu, ta[i]);
		CXString sb = clang_getTokenSpelling(tu, tb[i]);
		same = !strcmp(clang_getCString(sa), clang_getCString(sb));
		clang_disposeString(sa);
		clang_disposeString(sb);
	}
	clang_disposeTokens(tu, ta, na);
	clang_disposeTokens(tu, tb, nb);
	return same;
}
