/*
 * misleading-body: a block whose extent is not what its layout says
 * (CWE-483):
 *
 *     if (err)                        the second statement runs always,
 *             log(err);               though it is indented as part of
 *             return -1;              the if's body
 *
 *     if (n > max);                   an empty body: the test does nothing
 *             n = max;                and the next statement always runs
 *
 *     while (i < n);                  an empty body whose test cannot
 *                                     change: it never ends, or does nothing
 *
 *     if (x == 0)                     the body is not indented: the three
 *     printf("zero");                 read as a sequence, but the second
 *     printf("done");                 one runs only when x == 0
 *
 * Read from the source: an unbraced body of an if, while or for that
 * starts on a later line, followed on the next line by a statement at the
 * same column; an unbraced body of an if at the if's own column with the
 * next statement right below it, at that column too; a `;` body on the same line as an if without else; a `;`
 * body of a while whose test only reads local variables (no call, no
 * assignment, no ++/--, nothing volatile or global that something else
 * could change).  Code from macros is left alone, and so is
 * `for (...; ...; i++);`, the usual way to scan for an end.
 */
#include "engine.h"
#include "ast.h"

#include <string.h>

static int my_id;

struct pos {
	unsigned line, col;
};

/* Where a cursor starts, written in the file itself (0: from a macro). */
static int start_of(CXCursor c, struct pos *p)
{
	CXSourceLocation l = clang_getRangeStart(clang_getCursorExtent(c));
	unsigned spelled = 0, expanded = 0;
	CXFile sf, ef;

	clang_getSpellingLocation(l, &sf, NULL, NULL, &spelled);
	clang_getExpansionLocation(l, &ef, &p->line, &p->col, &expanded);
	return ef && spelled == expanded && clang_File_isEqual(sf, ef);
}

/* The line a cursor starts on (where its macro is used, if any). */
static unsigned line_of(CXCursor c)
{
	unsigned line = 0;

	clang_getExpansionLocation(clang_getCursorLocation(c), NULL, &line, NULL, NULL);
	return line;
}

static unsigned end_line(CXCursor c)
{
	unsigned line = 0;

	clang_getExpansionLocation(clang_getRangeEnd(clang_getCursorExtent(c)), NULL, &line, NULL, NULL);
	return line;
}

/* The statement after the current one in its block, or a null cursor. */
static CXCursor next_statement(struct ma_visit *v)
{
	CXCursor block = ma_visit_parent(v, 0);

	if (clang_getCursorKind(block) != CXCursor_CompoundStmt)
		return clang_getNullCursor();
	return ma_ast_child(block, ma_visit_child_index(v) + 1);
}

/* body on a later line than the statement, unbraced, and the next
 * statement of the block right below it at the body's column */
static int misleading(struct ma_visit *v, CXCursor stmt, CXCursor body)
{
	struct pos s, b, n;
	CXCursor next;

	if (clang_Cursor_isNull(body) || clang_getCursorKind(body) == CXCursor_CompoundStmt ||
	    clang_getCursorKind(body) == CXCursor_NullStmt || line_of(body) <= line_of(stmt) ||
	    !start_of(stmt, &s) || !start_of(body, &b) || b.line <= s.line || b.col <= s.col)
		return 0;
	next = next_statement(v);
	return !clang_Cursor_isNull(next) && start_of(next, &n) && n.line == end_line(body) + 1 && n.col == b.col;
}

/* body unbraced, on a later line and not indented, with the next
 * statement right below at the same column: the three read as a
 * sequence, but the middle one runs only when the test holds */
static int unindented(struct ma_visit *v, CXCursor stmt, CXCursor body)
{
	struct pos s, b, n;
	CXCursor next;

	if (clang_getCursorKind(body) == CXCursor_CompoundStmt || clang_getCursorKind(body) == CXCursor_NullStmt ||
	    line_of(body) <= line_of(stmt) || !start_of(stmt, &s) || !start_of(body, &b) || b.line <= s.line ||
	    b.col != s.col)
		return 0;
	next = next_statement(v);
	return !clang_Cursor_isNull(next) && start_of(next, &n) && n.line == end_line(body) + 1 && n.col == b.col;
}

static int empty_on_same_line(CXCursor stmt, CXCursor body)
{
	struct pos s, b;

	return clang_getCursorKind(body) == CXCursor_NullStmt && start_of(stmt, &s) && start_of(body, &b) &&
	       b.line == s.line;
}

struct last_two {
	CXCursor v[2];
	unsigned n;  /* children seen */
};

/* Keeps the last two children seen: v[0] the one before the last, v[1] the last. */
static enum CXChildVisitResult collect_last(CXCursor c, CXCursor parent, CXClientData data)
{
	struct last_two *k = data;

	(void)parent;
	k->v[0] = k->v[1];
	k->v[1] = c;
	k->n++;
	return CXChildVisit_Continue;
}

static void match_if(struct ma_visit *v, CXCursor stmt)
{
	CXCursor kids[3], body;

	if (ma_ast_children(stmt, kids, 3) != 2) /* with an else: the layout of else-if chains is another matter */
		return;
	body = kids[1];
	if (clang_getCursorKind(body) == CXCursor_CompoundStmt)
		return;
	if (empty_on_same_line(stmt, body))
		ma_report(v, my_id, stmt, "the 'if' has an empty body ';': the test does nothing, and the next "
			  "statement always runs");
	else if (misleading(v, stmt, body))
		ma_report(v, my_id, stmt, "only the first statement indented under this 'if' belongs to it; the "
			  "next one always runs (braces missing?)");
	else if (unindented(v, stmt, body))
		ma_report(v, my_id, stmt, "the body of this 'if' is not indented: the statement under it reads as "
			  "one that always runs, but runs only when the test holds");
}

/* Does the test only read local variables, with no effect of its own? */
static enum CXChildVisitResult find_change(CXCursor c, CXCursor parent, CXClientData data)
{
	struct { CXTranslationUnit tu; int found; } *q = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	char op[4];

	(void)parent;
	if (k == CXCursor_CallExpr || k == CXCursor_CompoundAssignOperator || k == CXCursor_StmtExpr ||
	    k == CXCursor_MemberRefExpr || k == CXCursor_ArraySubscriptExpr ||
	    (k == CXCursor_UnaryOperator && ma_ast_unary_op(q->tu, c, op, sizeof(op)) &&
	     (!strcmp(op, "++") || !strcmp(op, "--") || !strcmp(op, "*"))) ||
	    (k == CXCursor_BinaryOperator && ma_ast_binary_op(q->tu, c, op, sizeof(op)) && !strcmp(op, "="))) {
		q->found = 1;
		return CXChildVisit_Break;
	}
	if (k == CXCursor_DeclRefExpr) {
		CXCursor d = clang_getCursorReferenced(c);
		if (clang_getCursorKind(d) == CXCursor_EnumConstantDecl)
			return CXChildVisit_Continue;
		if (!ma_ast_is_automatic_var(d) || clang_isVolatileQualifiedType(clang_getCursorType(d))) {
			q->found = 1;
			return CXChildVisit_Break;
		}
	}
	return CXChildVisit_Recurse;
}

static int test_cannot_change(CXTranslationUnit tu, CXCursor test)
{
	struct { CXTranslationUnit tu; int found; } q = { tu, 0 };

	if (clang_getCursorKind(ma_ast_strip(test)) == CXCursor_IntegerLiteral)
		return 0; /* while (1); waits for a signal: deliberate */
	clang_visitChildren(test, find_change, &q);
	return !q.found && !clang_Cursor_isNull(test);
}

/* The last child of a while or for: its body. */
static CXCursor body_of(CXCursor stmt, CXCursor *before)
{
	struct last_two k = { .n = 0 };

	clang_visitChildren(stmt, collect_last, &k);
	*before = k.n >= 2 ? k.v[0] : clang_getNullCursor();
	return k.n ? k.v[1] : clang_getNullCursor();
}

static void match_while(struct ma_visit *v, CXCursor stmt)
{
	CXCursor test, body = body_of(stmt, &test);

	if (clang_Cursor_isNull(body) || clang_getCursorKind(body) == CXCursor_CompoundStmt)
		return;
	if (!clang_Cursor_isNull(test) && empty_on_same_line(stmt, body) && test_cannot_change(ma_visit_tu(v), test))
		ma_report(v, my_id, stmt, "the 'while' has an empty body ';' and nothing in its test changes: it "
			  "never ends, or does nothing");
	else if (misleading(v, stmt, body))
		ma_report(v, my_id, stmt, "only the first statement indented under this 'while' belongs to it; "
			  "the next one runs once, after the loop (braces missing?)");
}

static void match_for(struct ma_visit *v, CXCursor stmt)
{
	CXCursor before, body = body_of(stmt, &before);

	if (!clang_Cursor_isNull(body) && clang_getCursorKind(body) != CXCursor_CompoundStmt &&
	    misleading(v, stmt, body))
		ma_report(v, my_id, stmt, "only the first statement indented under this 'for' belongs to it; "
			  "the next one runs once, after the loop (braces missing?)");
}

void check_misleading_body(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_kind(e, id, CXCursor_IfStmt, match_if);
	ma_engine_on_kind(e, id, CXCursor_WhileStmt, match_while);
	ma_engine_on_kind(e, id, CXCursor_ForStmt, match_for);
}
