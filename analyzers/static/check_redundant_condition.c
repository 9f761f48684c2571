/*
 * redundant-condition: in a chain of && or ||, a comparison that another
 * comparison of the same variable already decides (CWE-571), or a chain of
 * || that holds whatever the value:
 *
 *     if ((5 < a) && (10 < a))       5 < a adds nothing: 10 < a implies it
 *     while ((a < 5) || (a < 10))    a < 5 adds nothing: a < 10 covers it
 *     if ((a < 10) || (a > 5))       always true
 *
 * Usually one of the two bounds is not the one that was meant (a range
 * check written as 5 < a && 10 < a for 5 < a && a < 10).
 *
 * The chain is read from the source of each if, while, do, for and ?:
 * condition: its comparisons of a variable with an integer literal written
 * there (not a macro's value: a configuration constant may change) are
 * sets of values, and a bound whose set contains (for &&) or lies inside
 * (for ||) what the other bounds of that variable allow is reported; a
 * variable also compared with == is left alone (x <= 1 && x == 0 is a
 * deliberate shortcut).  Other parts of the chain are left out, which only makes the
 * others' sets looser, so what is reported still holds; a chain with a
 * call, an assignment or ++/-- in it is not read at all (the variable
 * could change half way).  Chains that can never hold are constant-
 * condition's, from the data-flow engine.
 * Misses: bounds written as macros or enum constants, comparisons of two
 * variables, and tests split over nested ifs.
 */
#include "engine.h"
#include "ast.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int my_id;

#define MAX_LEAVES 16

/* One comparison of a variable with a constant: the values that pass it. */
struct range {
	CXCursor cmp;     /* the comparison, for the report */
	CXCursor var;     /* canonical declaration */
	int64_t lo, hi;   /* closed interval */
	int is_eq;        /* x == k */
};

struct chain {
	CXCursor test;    /* the whole test of the statement */
	int is_and;
	struct range r[MAX_LEAVES];
	unsigned n;
	int impure;       /* a call or an assignment somewhere in it */
};

static enum CXChildVisitResult find_effect(CXCursor c, CXCursor parent, CXClientData data)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	struct { CXTranslationUnit tu; int found; } *q = data;
	char op[4];

	(void)parent;
	if (k == CXCursor_CallExpr || k == CXCursor_CompoundAssignOperator ||
	    k == CXCursor_StmtExpr ||
	    (k == CXCursor_BinaryOperator && ma_ast_binary_op(q->tu, c, op, sizeof(op)) && !strcmp(op, "=")) ||
	    (k == CXCursor_UnaryOperator && ma_ast_unary_op(q->tu, c, op, sizeof(op)) &&
	     (!strcmp(op, "++") || !strcmp(op, "--")))) {
		q->found = 1;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Recurse;
}

static int has_effect(CXTranslationUnit tu, CXCursor e)
{
	struct { CXTranslationUnit tu; int found; } q = { tu, 0 };

	clang_visitChildren(e, find_effect, &q);
	return q.found;
}

/* An integer written as a literal here: 12, -3. */
static int literal_value(CXTranslationUnit tu, CXCursor e, int64_t *k)
{
	char op[4];

	e = ma_ast_strip(e);
	if (clang_getCursorKind(e) == CXCursor_UnaryOperator && ma_ast_unary_op(tu, e, op, sizeof(op)) &&
	    !strcmp(op, "-") && ma_ast_int_literal(tu, ma_ast_strip(ma_ast_child(e, 0)), k)) {
		*k = -*k;
		return 1;
	}
	return ma_ast_int_literal(tu, e, k);
}

/* An integer variable (its canonical declaration), or a null cursor. */
static CXCursor int_var(CXCursor e, int *is_unsigned)
{
	CXCursor d = ma_ast_referenced(e);
	CXType t;
	enum CXCursorKind k = clang_getCursorKind(d);

	if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
		return clang_getNullCursor();
	t = clang_getCanonicalType(clang_getCursorType(d));
	if (!(t.kind >= CXType_Bool && t.kind <= CXType_Int128) || clang_isVolatileQualifiedType(t))
		return clang_getNullCursor();
	*is_unsigned = t.kind <= CXType_UInt128;
	return clang_getCanonicalCursor(d);
}

/* The values of x that pass `x op k`; 0 for an operator that is no interval (!=). */
static int interval(const char *op, int64_t k, int64_t *lo, int64_t *hi)
{
	*lo = INT64_MIN;
	*hi = INT64_MAX;
	if (!strcmp(op, "<") && k > INT64_MIN)
		*hi = k - 1;
	else if (!strcmp(op, "<="))
		*hi = k;
	else if (!strcmp(op, ">") && k < INT64_MAX)
		*lo = k + 1;
	else if (!strcmp(op, ">="))
		*lo = k;
	else if (!strcmp(op, "=="))
		*lo = *hi = k;
	else
		return 0;
	return 1;
}

/* k op x is x op' k. */
static const char *swapped(const char *op)
{
	if (!strcmp(op, "<")) return ">";
	if (!strcmp(op, "<=")) return ">=";
	if (!strcmp(op, ">")) return "<";
	if (!strcmp(op, ">=")) return "<=";
	return op;
}

/* A comparison of a variable with a literal, as the values that pass it
 * (not an unsigned variable with a negative constant: that converts). */
static int read_range(CXTranslationUnit tu, CXCursor cmp, CXCursor l, CXCursor rt, struct range *r)
{
	int is_unsigned = 0;
	char op[4];
	int64_t k;

	if (!ma_ast_binary_op_of(tu, cmp, l, rt, op, sizeof(op)))
		return 0;
	r->cmp = cmp;
	r->is_eq = !strcmp(op, "==");
	r->var = int_var(l, &is_unsigned);
	if (!clang_Cursor_isNull(r->var) && literal_value(tu, rt, &k))
		return (k >= 0 || !is_unsigned) && interval(op, k, &r->lo, &r->hi);
	r->var = int_var(rt, &is_unsigned);
	if (!clang_Cursor_isNull(r->var) && literal_value(tu, l, &k))
		return (k >= 0 || !is_unsigned) && interval(swapped(op), k, &r->lo, &r->hi);
	return 0;
}

static int is_chain_op(CXTranslationUnit tu, CXCursor e, char *op)
{
	return clang_getCursorKind(e) == CXCursor_BinaryOperator && ma_ast_binary_op(tu, e, op, 4) &&
	       (!strcmp(op, "&&") || !strcmp(op, "||"));
}

static void analyze(struct ma_visit *v, CXCursor e, const char *op, CXCursor test, int depth);


/* Could the operand be a variable or a literal (the two sides read_range
 * reads)?  Parentheses and conversions are looked through one visit a
 * level (ma_ast_strip takes two). */
static int plain_operand(CXCursor e)
{
	enum CXCursorKind k;

	for (int depth = 0; depth < 8; depth++) {
		k = clang_getCursorKind(e);
		if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr)
			return k == CXCursor_DeclRefExpr || k == CXCursor_IntegerLiteral || k == CXCursor_UnaryOperator;
		e = ma_ast_child(e, 0);
	}
	return 0;
}

/* Gather the comparisons of a chain of one operator; sub-chains of the other are analysed on their own. */
static void gather(struct ma_visit *v, CXCursor e, struct chain *c, int depth)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	CXCursor kids[2];
	char op[4];

	while (clang_getCursorKind(e) == CXCursor_ParenExpr)
		e = ma_ast_child(e, 0);
	if (clang_getCursorKind(e) != CXCursor_BinaryOperator)
		return;
	if (ma_ast_children(e, kids, 2) != 2)
		return;
	/* a leaf comparing a variable with a literal: most leaves are not */
	if (plain_operand(kids[0]) && plain_operand(kids[1])) {
		if (c->n < MAX_LEAVES && read_range(tu, e, kids[0], kids[1], &c->r[c->n]))
			c->n++;
		return;
	}
	if (!ma_ast_may_contain(tu, e, "&&", "||") || !ma_ast_binary_op_of(tu, e, kids[0], kids[1], op, sizeof(op)) ||
	    (strcmp(op, "&&") && strcmp(op, "||")))
		return;
	if ((!strcmp(op, "&&")) == c->is_and) {
		gather(v, kids[0], c, depth);
		gather(v, kids[1], c, depth);
	} else {
		analyze(v, e, op, c->test, depth + 1);
	}
}

static int same_var(const struct chain *c, unsigned i, unsigned j)
{
	return clang_equalCursors(c->r[i].var, c->r[j].var);
}

/* Is a bound of r[i]'s variable checked by equality in the chain?  Then
 * an extra bound beside it (x <= 1 && x == 0) is a deliberate shortcut or
 * harmless, not two bounds one of which was meant otherwise. */
static int var_has_equality(const struct chain *c, unsigned i)
{
	for (unsigned j = 0; j < c->n; j++)
		if (same_var(c, i, j) && c->r[j].is_eq)
			return 1;
	return 0;
}

/* &&: what the other comparisons of r[skip]'s variable let through
 * together (their intersection); 0 when there is none. */
static int others_allow(const struct chain *c, unsigned skip, int64_t *lo, int64_t *hi)
{
	int any = 0;

	*lo = INT64_MIN, *hi = INT64_MAX;
	for (unsigned i = 0; i < c->n; i++) {
		if (i == skip || !same_var(c, i, skip))
			continue;
		*lo = c->r[i].lo > *lo ? c->r[i].lo : *lo;
		*hi = c->r[i].hi < *hi ? c->r[i].hi : *hi;
		any = 1;
	}
	return any;
}

/* ||: does another comparison of the same variable already pass every
 * value r[skip] passes? */
static int other_covers(const struct chain *c, unsigned skip)
{
	for (unsigned i = 0; i < c->n; i++)
		if (i != skip && same_var(c, i, skip) && c->r[i].lo <= c->r[skip].lo && c->r[i].hi >= c->r[skip].hi &&
		    (c->r[i].lo != c->r[skip].lo || c->r[i].hi != c->r[skip].hi || i < skip))
			return 1;
	return 0;
}

/* ||: do the comparisons of r[first]'s variable pass every value?  Sweep
 * up from the least value, each step taking the interval that starts at
 * or below the point reached and goes farthest. */
static int covers_all(const struct chain *c, unsigned first)
{
	int64_t reached = INT64_MIN; /* every value below it passes */
	int moved = 1, started = 0;

	while (moved) {
		int64_t best = reached;
		moved = 0;
		for (unsigned i = 0; i < c->n; i++) {
			if (!same_var(c, i, first) || (started && c->r[i].lo > reached) || (!started && c->r[i].lo != INT64_MIN))
				continue;
			if (c->r[i].hi == INT64_MAX)
				return 1;
			if (!started || c->r[i].hi + 1 > best) {
				best = c->r[i].hi + 1;
				moved = 1;
			}
		}
		started = 1;
		reached = best;
	}
	return 0;
}

static void report_implied(struct ma_visit *v, const struct chain *c, unsigned i)
{
	char text[64];
	CXString name = clang_getCursorSpelling(c->r[i].var);

	if (!ma_ast_text(ma_visit_tu(v), c->r[i].cmp, text, sizeof(text)))
		snprintf(text, sizeof(text), "this comparison");
	ma_report(v, my_id, c->r[i].cmp, "'%s' is redundant: the other tests of '%s' in this %s chain %s it",
		  text, clang_getCString(name), c->is_and ? "&&" : "||", c->is_and ? "imply" : "cover");
	clang_disposeString(name);
}

/* One finding per chain: an || that always holds, else the first
 * comparison another one decides.  An && that never holds is
 * constant-condition's (the data-flow engine sees it, with its path). */
static void check_chain(struct ma_visit *v, const struct chain *c)
{
	int64_t lo, hi;

	/* the whole test must be free of effects: checked last, as it walks
	 * the whole test and a finding is rare */
	for (unsigned i = 0; i < c->n && !c->is_and; i++)
		if (covers_all(c, i) && !has_effect(ma_visit_tu(v), c->test)) {
			ma_report(v, my_id, c->r[i].cmp, "this || chain always holds: its tests pass every value");
			return;
		}
	for (unsigned i = 0; i < c->n; i++) {
		if (var_has_equality(c, i))
			continue;
		if (c->is_and ? (others_allow(c, i, &lo, &hi) && lo <= hi && c->r[i].lo <= lo && c->r[i].hi >= hi)
			      : other_covers(c, i)) {
			if (!has_effect(ma_visit_tu(v), c->test))
				report_implied(v, c, i);
			return;
		}
	}
}

/* e: a chain of the operator op (&& or ||), inside the statement's test. */
static void analyze(struct ma_visit *v, CXCursor e, const char *op, CXCursor test, int depth)
{
	struct chain c = { .test = test };

	if (depth > 8)
		return;
	c.is_and = !strcmp(op, "&&");
	gather(v, e, &c, depth);
	if (c.n >= 2)
		check_chain(v, &c);
}

/* The statement whose test the current expression is (found up through
 * parentheses and conversions): an if, while, do, for or ?:, else 0.
 * The walk's stack answers without asking libclang, so that the operators
 * that are no test cost nothing.  *clause: the child of the statement. */
static enum CXCursorKind test_of(struct ma_visit *v, CXCursor self, CXCursor *clause)
{
	unsigned up = 0, idx = ma_visit_child_index(v);
	enum CXCursorKind k;

	*clause = self;
	for (;; up++) {
		CXCursor p = ma_visit_parent(v, up);
		k = clang_getCursorKind(p);
		if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr)
			break;
		*clause = p;
		idx = ma_visit_parent_child_index(v, up);
	}
	switch (k) {
	case CXCursor_IfStmt:
	case CXCursor_WhileStmt:
	case CXCursor_ConditionalOperator:
		return idx == 0 ? k : 0;
	case CXCursor_DoStmt:
		return idx == 1 ? k : 0;
	case CXCursor_ForStmt:
		return k;
	default:
		return 0;
	}
}

/* A for's condition is the clause between its two ';' (libclang leaves out the empty ones). */
static int between_semicolons(struct ma_visit *v, CXCursor clause)
{
	char b[4], a[4];

	return ma_ast_token_before(ma_visit_tu(v), clause, b, sizeof(b)) && !strcmp(b, ";") &&
	       ma_ast_token_after(ma_visit_tu(v), clause, a, sizeof(a)) && !strcmp(a, ";");
}

static void match_operator(struct ma_visit *v, CXCursor e)
{
	enum CXCursorKind stmt;
	CXCursor clause;
	char op[4];

	if (!(stmt = test_of(v, e, &clause)) ||
	    !ma_ast_may_contain(ma_visit_tu(v), e, "&&", "||") ||
	    !is_chain_op(ma_visit_tu(v), e, op) || (stmt == CXCursor_ForStmt && !between_semicolons(v, clause)))
		return;
	analyze(v, e, op, e, 0);
}

void check_redundant_condition(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_kind(e, id, CXCursor_BinaryOperator, match_operator);
}
