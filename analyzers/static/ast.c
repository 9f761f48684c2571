#include "ast.h"

#include <ctype.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
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

struct first_n {
	CXCursor *out;
	unsigned n, max;
};

static enum CXChildVisitResult keep_child(CXCursor c, CXCursor parent, CXClientData data)
{
	struct first_n *f = data;

	(void)parent;
	f->out[f->n++] = c;
	return f->n < f->max ? CXChildVisit_Continue : CXChildVisit_Break;
}

unsigned ma_ast_children(CXCursor c, CXCursor *out, unsigned max)
{
	struct first_n f = { .out = out, .max = max };

	if (max)
		clang_visitChildren(c, keep_child, &f);
	return f.n;
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

/*
 * A cursor's extent can start in a macro definition (spelling) and end at
 * the macro's use (expansion): tokenizing it then lexes everything between,
 * hundreds of thousands of tokens in sqlite3.c.  Only plausible extents
 * are tokenized.
 */
static int sane_extent(CXCursor c, CXSourceRange *out)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile fb, fe;
	unsigned ob = 0, oe = 0;

	clang_getSpellingLocation(clang_getRangeStart(r), &fb, NULL, NULL, &ob);
	clang_getSpellingLocation(clang_getRangeEnd(r), &fe, NULL, NULL, &oe);
	if (!fb || !clang_File_isEqual(fb, fe) || oe < ob || oe - ob > 16384)
		return 0;
	*out = r;
	return 1;
}

static int token_at(CXTranslationUnit tu, CXCursor c, int last, char *buf, size_t size)
{
	CXToken *toks = NULL;
	unsigned n = 0;
	int ok = 0;
	CXSourceRange r;

	if (!last) {
		CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(c));
		r = clang_getRange(start, start); /* lexes exactly one token */
	} else if (!sane_extent(c, &r)) {
		return 0;
	}
	clang_tokenize(tu, r, &toks, &n);
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

static int is_word(CXTokenKind k)
{
	return k == CXToken_Identifier || k == CXToken_Keyword || k == CXToken_Literal;
}

CXSourceRange ma_ast_file_range(CXTranslationUnit tu, CXSourceLocation a, CXSourceLocation b,
				unsigned max)
{
	CXFile fa, fb;
	unsigned oa = 0, ob = 0;

	clang_getExpansionLocation(a, &fa, NULL, NULL, &oa);
	clang_getExpansionLocation(b, &fb, NULL, NULL, &ob);
	if (!fa || !clang_File_isEqual(fa, fb) || ob < oa || ob - oa > max)
		return clang_getNullRange();
	return clang_getRange(clang_getLocationForOffset(tu, fa, oa), clang_getLocationForOffset(tu, fb, ob));
}

CXSourceRange ma_ast_safe_extent(CXTranslationUnit tu, CXCursor c, unsigned max)
{
	CXSourceRange r = clang_getCursorExtent(c);

	return ma_ast_file_range(tu, clang_getRangeStart(r), clang_getRangeEnd(r), max);
}

int ma_ast_text(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	CXToken *toks = NULL;
	unsigned n = 0;
	size_t len = 0;

	if (!size)
		return 0;
	buf[0] = '\0';
	clang_tokenize(tu, ma_ast_safe_extent(tu, c, 4096), &toks, &n);
	for (unsigned i = 0; i < n && len < size; i++) {
		CXString s = clang_getTokenSpelling(tu, toks[i]);
		int space = i && is_word(clang_getTokenKind(toks[i])) &&
			    is_word(clang_getTokenKind(toks[i - 1]));
		len += (size_t)snprintf(buf + len, size - len, "%s%s", space ? " " : "", clang_getCString(s));
		clang_disposeString(s);
	}
	if (len >= size && size > 4)
		strcpy(buf + size - 4, "...");
	clang_disposeTokens(tu, toks, n);
	return n > 0;
}

/*
 * The token just before or after the cursor's extent: tokenize a short
 * window next to it (libclang has no "next token" call).
 */
static int neighbour_token(CXTranslationUnit tu, CXCursor c, int after, char *buf, size_t size)
{
	CXSourceRange ext = clang_getCursorExtent(c);
	CXToken *toks = NULL;
	unsigned n = 0, off = 0, from, to;
	size_t len = 0;
	CXFile file;
	int ok = 0;

	clang_getSpellingLocation(after ? clang_getRangeEnd(ext) : clang_getRangeStart(ext), &file,
				  NULL, NULL, &off);
	if (!file || !clang_getFileContents(tu, file, &len))
		return 0;
	from = after ? off : (off > 32 ? off - 32 : 0);
	to = after ? (off + 32 < len ? off + 32 : (unsigned)len) : off;
	clang_tokenize(tu, clang_getRange(clang_getLocationForOffset(tu, file, from),
					  clang_getLocationForOffset(tu, file, to)), &toks, &n);
	for (unsigned k = 0; k < n && !ok; k++) {
		unsigned i = after ? k : n - 1 - k, toff = 0;
		clang_getSpellingLocation(clang_getTokenLocation(tu, toks[i]), NULL, NULL, NULL, &toff);
		if (after ? toff >= off : toff < off) {
			CXString s = clang_getTokenSpelling(tu, toks[i]);
			snprintf(buf, size, "%s", clang_getCString(s));
			clang_disposeString(s);
			ok = 1;
		}
	}
	clang_disposeTokens(tu, toks, n);
	return ok;
}

int ma_ast_token_before(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	return neighbour_token(tu, c, 0, buf, size);
}

int ma_ast_token_after(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	return neighbour_token(tu, c, 1, buf, size);
}


/*
 * libclang 14 gives expressions inside a macro body the extent of the
 * macro's invocation, and its "spelling" locations are file locations, so
 * the body's tokens are out of reach.  An operator whose operands' extents
 * overlap came from such a body: its operator cannot be read, and callers
 * must assume the least (lower_expr.c infers & and * from the types).
 */
static unsigned start_offset(CXCursor c)
{
	unsigned off = 0;

	clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(c)), NULL, NULL, NULL, &off);
	return off;
}

static unsigned end_offset(CXCursor c)
{
	unsigned off = 0;

	clang_getExpansionLocation(clang_getRangeEnd(clang_getCursorExtent(c)), NULL, NULL, NULL, &off);
	return off;
}

static int operands_collapsed(CXCursor whole, CXCursor first, CXCursor second)
{
	if (clang_Cursor_isNull(first))
		return 1;
	if (clang_Cursor_isNull(second))
		return start_offset(whole) == start_offset(first) && end_offset(whole) == end_offset(first);
	/* in written code the left operand ends before the right one starts */
	return !(start_offset(first) < start_offset(second) && end_offset(first) <= start_offset(second));
}

/*
 * Operators are read from the file's text, which libclang keeps in memory
 * (clang_getFileContents): scanning a few bytes costs far less than
 * clang_tokenize, which starts a lexer each time.
 */
static const char *file_text_in(CXTranslationUnit tu, CXSourceLocation l, CXFile *file, unsigned *off,
				size_t *size)
{
	CXFile f;

	clang_getExpansionLocation(l, &f, NULL, NULL, off);
	if (file)
		*file = f;
	if (!f)
		return NULL;
	return clang_getFileContents(tu, f, size);
}

static const char *file_text(CXTranslationUnit tu, CXSourceLocation l, unsigned *off, size_t *size)
{
	return file_text_in(tu, l, NULL, off, size);
}

/* Skip blanks, parentheses and comments from p up to end. */
static const char *skip_noise(const char *p, const char *end)
{
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '(' || *p == ')' ||
		    *p == '\\') {
			p++;
		} else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
			const char *q = p + 2;
			while (q + 1 < end && !(q[0] == '*' && q[1] == '/'))
				q++;
			p = q + 2;
		} else if (p + 1 < end && p[0] == '/' && p[1] == '/') {
			while (p < end && *p != '\n')
				p++;
		} else {
			break;
		}
	}
	return p;
}

static int op_char(char c)
{
	return c && strchr("=!<>&|+-*/%^,~", c) != NULL;
}

/* The operator spelled at p (a run of operator characters, at most 3). */
static int read_op(const char *p, const char *end, char *buf, size_t size)
{
	size_t n = 0;

	while (p + n < end && n < 3 && op_char(p[n]))
		n++;
	if (!n || n >= size)
		return 0;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 1;
}

static int same_type(CXType a, CXType b)
{
	return a.kind != CXType_Invalid && b.kind != CXType_Invalid &&
	       clang_equalTypes(clang_getCanonicalType(a), clang_getCanonicalType(b));
}

/*
 * Inside a macro the text is the macro's name, not the operator; & and *
 * still show in the types: &x is a pointer to x's type, *p has p's
 * pointee type.  The other operators cannot be told apart this way.
 */
static int unary_op_from_types(CXCursor c, CXCursor sub, char *buf, size_t size)
{
	CXType t = clang_getCursorType(c), ts = clang_getCursorType(sub);
	const char *op = NULL;

	if (size < 2 || clang_Cursor_isNull(sub))
		return 0;
	if (t.kind == CXType_Pointer && same_type(clang_getPointeeType(t), ts))
		op = "&";
	else if (clang_getCanonicalType(ts).kind == CXType_Pointer && same_type(clang_getPointeeType(ts), t))
		op = "*";
	if (!op)
		return 0;
	buf[0] = op[0];
	buf[1] = '\0';
	return 1;
}

/* A prefix operator (-x, !x, &x, *p, ++i) at `text`: the first one only. */
static int read_prefix_op(const char *text, const char *end, char *buf, size_t size)
{
	if (!read_op(text, end, buf, size))
		return 0;
	/* **pp, !!x, -*p: the first operator is this one's (only ++ and --
	 * take two characters) */
	if (buf[1] && !(buf[0] == buf[1] && (buf[0] == '+' || buf[0] == '-')))
		buf[1] = '\0';
	else if (buf[1])
		buf[2] = '\0';
	return 1;
}

int ma_ast_unary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	CXCursor sub;
	CXSourceLocation at;
	CXFile spelled = NULL, expanded = NULL;
	const char *text, *p;
	unsigned start = 0, sub_end = 0, spelled_at = 0;
	size_t len = 0;

	if (clang_getCursorKind(c) != CXCursor_UnaryOperator)
		return 0;
	/* the common case, cheaply: a prefix operator written in the file,
	 * where the expression starts (no extents, no child visit) */
	at = clang_getCursorLocation(c);
	text = file_text_in(tu, at, &expanded, &start, &len);
	clang_getSpellingLocation(at, &spelled, NULL, NULL, &spelled_at);
	if (text && spelled && spelled_at == start && start < len && op_char(text[start]) &&
	    clang_File_isEqual(spelled, expanded))
		return read_prefix_op(text + start, text + len, buf, size);
	sub = ma_ast_child(c, 0);
	if (operands_collapsed(c, sub, clang_getNullCursor()))
		return unary_op_from_types(c, sub, buf, size);
	text = file_text(tu, clang_getRangeStart(clang_getCursorExtent(c)), &start, &len);
	if (!text || start >= len)
		return 0;
	if (op_char(text[start]))              /* prefix: -x, !x, &x, *p, ++i */
		return read_prefix_op(text + start, text + len, buf, size);
	clang_getExpansionLocation(clang_getRangeEnd(clang_getCursorExtent(sub)), NULL, NULL, NULL, &sub_end);
	p = skip_noise(text + sub_end, text + len);      /* postfix: i++, i-- */
	if (!read_op(p, text + len, buf, size))
		return 0;
	/* i++, j++ and i++-1: the run read goes on past this operator */
	if ((buf[0] == '+' || buf[0] == '-') && buf[1] == buf[0])
		buf[2] = '\0';
	return 1;
}

static unsigned offset_of(CXSourceLocation l)
{
	unsigned off = 0;

	clang_getSpellingLocation(l, NULL, NULL, NULL, &off);
	return off;
}

/*
 * The operator is the first thing between the end of the left operand and
 * the start of the right one (parentheses and comments aside); only that
 * gap of the file's text is read.
 */
/*
 * An operator in a macro's argument (`unlikely(p != NULL)`): every token
 * expands at the macro's use, but the argument's were spelled there, in
 * order; the operator is the text between its operands' spellings.  (A
 * macro body's own operators are spelled at the use too, as one point:
 * there is no text between them, and they stay unread.)
 */
int ma_ast_macro_arg_binary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	CXCursor lhs = ma_ast_child(c, 0), rhs = ma_ast_child(c, 1);
	CXSourceRange lr;
	CXFile lf, rf;
	unsigned l_start = 0, l_end = 0, r_start = 0;
	const char *text;
	size_t len = 0;

	if (clang_getCursorKind(c) != CXCursor_BinaryOperator || clang_Cursor_isNull(lhs) ||
	    clang_Cursor_isNull(rhs))
		return 0;
	lr = clang_getCursorExtent(lhs);
	clang_getSpellingLocation(clang_getRangeStart(lr), &lf, NULL, NULL, &l_start);
	clang_getSpellingLocation(clang_getRangeEnd(lr), &lf, NULL, NULL, &l_end);
	clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(rhs)), &rf, NULL, NULL, &r_start);
	if (!lf || !rf || !clang_File_isEqual(lf, rf) || !(l_start < r_start && l_end <= r_start) ||
	    r_start - l_end > 64)
		return 0;
	text = clang_getFileContents(tu, lf, &len);
	if (!text || r_start > len)
		return 0;
	return read_op(skip_noise(text + l_end, text + r_start), text + r_start, buf, size);
}


static int is_binary_op(const char *op, int compound)
{
	static const char *const plain[] = { "*", "/", "%", "+", "-", "<<", ">>", "<", ">", "<=", ">=", "==",
					     "!=", "&", "^", "|", "&&", "||", "=", ",", NULL };
	static const char *const assign[] = { "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|=", NULL };

	for (const char *const *o = compound ? assign : plain; *o; o++)
		if (!strcmp(op, *o))
			return 1;
	return 0;
}

/* Back from `end` over blanks and block comments; NULL at a line comment's text or the start. */
static const char *skip_noise_back(const char *start, const char *end)
{
	while (end > start) {
		char c = end[-1];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == '\\') {
			end--;
		} else if (c == '/' && end - start >= 2 && end[-2] == '*') {
			const char *q = end - 2;
			while (q - start >= 2 && !(q[-2] == '/' && q[-1] == '*'))
				q--;
			if (q - start < 2)
				return NULL;
			end = q - 2;
		} else {
			return end;
		}
	}
	return NULL;
}

/*
 * The common case, cheaply: the operator is the run of operator characters
 * just before the right operand, which starts where its cursor's location
 * is (not so for a member access, whose location is the member's name,
 * even under an implicit conversion: then "->" or "." comes before).  The longest run's tail that is
 * an operator of the right family wins (a---b is (a--) - b).  0 when unsure.
 */
static int binary_op_before_rhs(CXTranslationUnit tu, CXCursor lhs, CXCursor rhs, int compound, char *buf,
				size_t size)
{
	enum CXCursorKind rk = clang_getCursorKind(rhs);
	unsigned lhs_start = 0, rhs_start = 0;
	const char *text, *end, *p;
	size_t len = 0;

	if (rk == CXCursor_MemberRefExpr)
		return 0;
	text = file_text(tu, clang_getCursorLocation(rhs), &rhs_start, &len);
	clang_getExpansionLocation(clang_getCursorLocation(lhs), NULL, NULL, NULL, &lhs_start);
	/* both in one macro expansion, they collapse to one point: no text between */
	if (!text || lhs_start >= rhs_start || rhs_start > len)
		return 0;
	end = skip_noise_back(text + lhs_start, text + rhs_start);
	/* an implicit conversion of p->f or s.f is located at f: not an operand's start */
	if (!end || end[-1] == '.' || (end[-1] == '>' && end - text >= 2 && end[-2] == '-'))
		return 0;
	for (p = end; p > text + lhs_start && end - p < 3 && op_char(p[-1]); p--)
		;
	for (; p < end; p++) {
		size_t n = (size_t)(end - p);
		if (n >= size)
			continue;
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (is_binary_op(buf, compound))
			return 1;
	}
	return 0;
}

int ma_ast_binary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXCursor kids[2];

	if (k != CXCursor_BinaryOperator && k != CXCursor_CompoundAssignOperator)
		return 0;
	if (ma_ast_children(c, kids, 2) != 2)
		return 0;
	return ma_ast_binary_op_of(tu, c, kids[0], kids[1], buf, size);
}

int ma_ast_binary_op_of(CXTranslationUnit tu, CXCursor c, CXCursor lhs, CXCursor rhs, char *buf, size_t size)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXSourceRange lr;
	unsigned lhs_start = 0, lhs_end = 0, rhs_start = 0;
	const char *text;
	size_t len = 0;

	if (k != CXCursor_BinaryOperator && k != CXCursor_CompoundAssignOperator)
		return 0;
	if (binary_op_before_rhs(tu, lhs, rhs, k == CXCursor_CompoundAssignOperator, buf, size))
		return 1;
	/* each extent is computed once: they cost more than the rest together */
	lr = clang_getCursorExtent(lhs);
	clang_getExpansionLocation(clang_getRangeStart(lr), NULL, NULL, NULL, &lhs_start);
	clang_getExpansionLocation(clang_getRangeEnd(lr), NULL, NULL, NULL, &lhs_end);
	text = file_text(tu, clang_getRangeStart(clang_getCursorExtent(rhs)), &rhs_start, &len);
	/* in written code the left operand ends before the right one starts */
	if (!(lhs_start < rhs_start && lhs_end <= rhs_start))
		return 0;
	lhs_end = offset_of(clang_getRangeEnd(lr));
	if (!text || lhs_end > rhs_start || rhs_start > len)
		return 0;
	return read_op(skip_noise(text + lhs_end, text + rhs_start), text + rhs_start, buf, size);
}

static int is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

int ma_ast_may_contain(CXTranslationUnit tu, CXCursor c, const char *a, const char *b)
{
	unsigned off = 0;
	size_t size = 0, na = strlen(a), nb = b ? strlen(b) : 0;
	const char *p = file_text(tu, clang_getCursorLocation(c), &off, &size), *q, *end;
	int depth = 0;

	if (!p || off >= size)
		return 1; /* cannot tell */
	/* from where the expression starts to the ')' that closes around it,
	 * or the end of its statement: the expression and maybe a little more */
	end = p + (size - off > 4096 ? off + 4096 : size);
	for (q = p + off; q < end; q++) {
		if (*q == '"' || *q == '\'') { /* a literal's text is no operator */
			const char *quote = q;
			while (++q < end && *q != *quote)
				q += *q == '\\';
		} else if (*q == '(') {
			depth++;
		} else if (*q == ')') {
			if (--depth < 0)
				return 0;
		} else if (*q == ';' || *q == '{' || *q == '}') {
			return 0;
		} else if ((*q == a[0] && q + na <= end && !strncmp(q, a, na)) ||
			   (b && *q == b[0] && q + nb <= end && !strncmp(q, b, nb))) {
			return 1;
		}
	}
	return end != p + size; /* cut short: cannot tell */
}

int ma_ast_first_char(CXTranslationUnit tu, CXCursor c)
{
	unsigned off = 0, spelled = 0;
	size_t size = 0;
	CXSourceLocation l = clang_getCursorLocation(c);
	const char *p = file_text(tu, l, &off, &size);

	clang_getSpellingLocation(l, NULL, NULL, NULL, &spelled);
	return p && off == spelled && off < size ? (unsigned char)p[off] : 0;
}

int ma_ast_assigned_after(CXTranslationUnit tu, CXCursor lhs)
{
	CXSourceRange r = clang_getCursorExtent(lhs);
	unsigned end = 0, spelled = 0;
	size_t size = 0;
	const char *p = file_text(tu, clang_getRangeEnd(r), &end, &size), *q;

	clang_getSpellingLocation(clang_getRangeEnd(r), NULL, NULL, NULL, &spelled);
	if (!p || end != spelled || end > size)
		return 0;
	q = skip_noise(p + end, p + size);
	return q < p + size && *q == '=' && (q + 1 == p + size || q[1] != '=');
}

int ma_ast_int_literal(CXTranslationUnit tu, CXCursor lit, int64_t *out)
{
	unsigned off = 0;
	size_t len = 0, n = 0;
	const char *text, *p;
	char digits[32];
	char *end;
	unsigned long long v;

	if (clang_getCursorKind(lit) != CXCursor_IntegerLiteral ||
	    !(text = file_text(tu, clang_getCursorLocation(lit), &off, &len)) || off >= len)
		return 0;
	p = text + off;
	if (*p < '0' || *p > '9') /* the name of a macro that expands to it */
		return 0;
	while (off + n < len && n + 1 < sizeof(digits) && is_ident_char(p[n]))
		n++;
	if (off + n < len && (p[n] == '.' || p[n] == '\'' || is_ident_char(p[n])))
		return 0; /* a float, digit separators, or too long */
	memcpy(digits, p, n);
	digits[n] = '\0';
	errno = 0;
	v = strtoull(digits, &end, 0);
	if (errno || end == digits || strspn(end, "uUlL") != strlen(end) || strlen(end) > 3)
		return 0; /* 0b101, an overflow, another suffix: ask clang */
	*out = (int64_t)v;
	return 1;
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

	clang_tokenize(tu, ma_ast_safe_extent(tu, a, 4096), &ta, &na);
	clang_tokenize(tu, ma_ast_safe_extent(tu, b, 4096), &tb, &nb);
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

int ma_ast_is_array_param(CXCursor expr)
{
	CXCursor e = ma_ast_strip(expr);

	return clang_getCursorKind(e) == CXCursor_DeclRefExpr &&
	       clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_ParmDecl &&
	       ma_type_is_array(clang_getCursorType(e));
}

int ma_ast_is_array_expr(CXCursor expr)
{
	return ma_type_is_array(clang_getCursorType(ma_ast_strip(expr))) && !ma_ast_is_array_param(expr);
}

int ma_ast_is_pointer_expr(CXCursor expr)
{
	return ma_type_is_pointer(clang_getCursorType(ma_ast_strip(expr))) || ma_ast_is_array_param(expr);
}

CXCursor ma_ast_storage_root(CXCursor e)
{
	for (;;) {
		enum CXCursorKind k;
		CXCursor base;

		e = ma_ast_strip(e);
		k = clang_getCursorKind(e);
		if (k == CXCursor_DeclRefExpr) {
			CXCursor d = clang_getCursorReferenced(e);
			k = clang_getCursorKind(d);
			return k == CXCursor_VarDecl || k == CXCursor_ParmDecl ? d : clang_getNullCursor();
		}
		if (k != CXCursor_ArraySubscriptExpr && k != CXCursor_MemberRefExpr)
			return clang_getNullCursor();
		base = ma_ast_child(e, 0);
		if (k == CXCursor_ArraySubscriptExpr ? !ma_ast_is_array_expr(base) : ma_ast_is_pointer_expr(base))
			return clang_getNullCursor();
		e = base;
	}
}

int ma_ast_attribute_text(CXTranslationUnit tu, CXCursor attr, char *buf, size_t size)
{
	const char *text;
	size_t len = 0, i, n = 0;
	unsigned off = 0;
	int depth = 0;
	CXFile file;

	if (!size || !clang_isAttribute(clang_getCursorKind(attr)))
		return 0;
	clang_getExpansionLocation(clang_getCursorLocation(attr), &file, NULL, NULL, &off);
	text = file ? clang_getFileContents(tu, file, &len) : NULL;
	if (!text || off >= len)
		return 0;
	for (i = off; i < len && n + 1 < size; i++) {
		if (text[i] == ')' && --depth <= 0) {
			buf[n++] = ')';
			break;
		}
		if (text[i] == '(') {
			depth++;
		} else if (!depth && !isalnum((unsigned char)text[i]) && text[i] != '_') {
			size_t j = i;
			while (j < len && isspace((unsigned char)text[j]))
				j++;
			if (j == i || j == len || text[j] != '(')
				break; /* the end of an attribute without arguments */
		}
		buf[n++] = text[i];
	}
	buf[n] = '\0';
	return n > 0;
}

unsigned ma_ast_attribute_numbers(const char *text, unsigned *nums, unsigned max)
{
	const char *p = strchr(text, '(');
	unsigned nr = 0;

	for (; p && *p && nr < max; p++)
		if (isdigit((unsigned char)*p) && !isdigit((unsigned char)p[-1]) &&
		    sscanf(p, "%u", &nums[nr]) == 1)
			nr++;
	return nr;
}

struct attr_walk {
	CXTranslationUnit tu;
	ma_attr_fn fn;
	void *data;
};

static enum CXChildVisitResult visit_attr(CXCursor c, CXCursor parent, CXClientData data)
{
	struct attr_walk *w = data;
	char text[128];

	/* an implicit attribute sits at its declaration's name: no text of its own */
	if (clang_equalLocations(clang_getCursorLocation(c), clang_getCursorLocation(parent)) ||
	    !ma_ast_attribute_text(w->tu, c, text, sizeof(text)))
		return CXChildVisit_Continue;
	return w->fn(text, w->data) ? CXChildVisit_Break : CXChildVisit_Continue;
}

void ma_ast_each_attribute(CXTranslationUnit tu, CXCursor decl, ma_attr_fn fn, void *data)
{
	struct attr_walk w = { tu, fn, data };

	clang_visitChildren(decl, visit_attr, &w);
}

/* Calls whose value is their first argument: the storage they point into. */
static int returns_first_arg(CXCursor call)
{
	static const char *const names[] = {
		"strcpy", "strncpy", "strcat", "strncat", "memcpy", "memmove", "memset",
	};
	char fn[16];

	ma_ast_callee_name(call, fn, sizeof(fn));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(fn, names[i]))
			return ma_ast_num_args(call) > 0;
	return 0;
}

CXCursor ma_ast_pointed_var(CXTranslationUnit tu, CXCursor e)
{
	CXCursor var = clang_getNullCursor();
	char op[4];

	e = ma_ast_strip_casts(e);
	switch (clang_getCursorKind(e)) {
	case CXCursor_ConditionalOperator:
		/* c ? a : b, or GNU a ?: b: any branch but the condition */
		for (unsigned i = 1, n = ma_ast_num_children(e); i < n && clang_Cursor_isNull(var); i++)
			var = ma_ast_pointed_var(tu, ma_ast_child(e, i));
		return var;
	case CXCursor_CallExpr:
		return returns_first_arg(e) ? ma_ast_pointed_var(tu, ma_ast_arg(e, 0)) : var;
	case CXCursor_BinaryOperator:
		/* arr + n, n + arr, arr - n: still inside arr */
		if (!ma_ast_binary_op(tu, e, op, sizeof(op)) || (strcmp(op, "+") && strcmp(op, "-")))
			return var;
		var = ma_ast_pointed_var(tu, ma_ast_child(e, 0));
		if (clang_Cursor_isNull(var) && !strcmp(op, "+"))
			var = ma_ast_pointed_var(tu, ma_ast_child(e, 1));
		return var;
	case CXCursor_UnaryOperator:
		if (ma_ast_unary_op(tu, e, op, sizeof(op)) && !strcmp(op, "&"))
			return ma_ast_storage_root(ma_ast_child(e, 0));
		return var;
	default:
		return ma_ast_is_array_expr(e) ? ma_ast_storage_root(e) : var;
	}
}

int ma_ast_is_const_literal_var(CXCursor ref)
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
