/*
 * assert() compiled out by NDEBUG.
 *
 * Release builds (and code such as SQLite, which defines NDEBUG itself)
 * turn `assert(p != 0);` into `((void)0)`: the test is gone from the AST,
 * but it still says what the author knows at that point.  Analysers that
 * see asserts treat them as assumptions (the failing side aborts); without
 * them every "cannot happen" path the assert rules out comes back as a
 * false alarm.  The condition is read back from the tokens of the macro
 * call and lowered as a test whose failing side ends the path.
 *
 * Only what can be read without the AST is used: access paths (`p`,
 * `p->next`, `s.len`), integer constants, NULL, the comparison operators,
 * `!`, `&&`, `||` and parentheses.  Anything else (a call, arithmetic, a
 * cast) is an unknown test that may be true, so it rules nothing out.  A
 * `p->f` the assert reads also says that p is not NULL when it is read.
 * A disjunction that would make a NULL path says only that (see A_OR in
 * lower_node).
 */
#include "lower_internal.h"
#include "ast.h"
#include "../../core/alloc.h"
#include "../../core/array.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NODES 64
#define MAX_TOKENS 256

enum anode_kind { A_AND, A_OR, A_NOT, A_CMP, A_UNKNOWN };

struct anode {
	uint8_t kind;
	uint8_t op;            /* A_CMP: enum ir_cmp */
	int a, b;              /* A_AND, A_OR: operands; A_NOT: a */
	struct ir_val l, r;    /* A_CMP */
};

struct aparse {
	struct lower *L;
	CXToken *toks;
	unsigned n, at;        /* tokens of the condition: [at, n) */
	struct anode nodes[MAX_NODES];
	int nr;
	CXString *spell;       /* spelling of each token */
};

static const char *tok(const struct aparse *P, unsigned i)
{
	return i < P->n ? clang_getCString(P->spell[i]) : "";
}

static int is(const struct aparse *P, const char *s)
{
	return !strcmp(tok(P, P->at), s);
}

static int node(struct aparse *P, struct anode n)
{
	if (P->nr == MAX_NODES)
		return -1;
	P->nodes[P->nr] = n;
	return P->nr++;
}

/* Skip an operand we cannot read, up to the next && || or closing parenthesis at this depth. */
static int unknown_operand(struct aparse *P)
{
	int depth = 0;

	for (; P->at < P->n; P->at++) {
		const char *t = tok(P, P->at);
		if (!strcmp(t, "(") || !strcmp(t, "["))
			depth++;
		else if (!strcmp(t, ")") || !strcmp(t, "]")) {
			if (depth-- == 0)
				break;
		} else if (depth == 0 && (!strcmp(t, "&&") || !strcmp(t, "||")))
			break;
	}
	return node(P, (struct anode){ .kind = A_UNKNOWN });
}

/* The declaration of the local variable (or a global already seen) named
 * name, and its variable: the latest declared (the innermost, mostly). */
static int var_named(struct lower *L, const char *name, CXCursor *decl, uint32_t *var)
{
	ir_str id = ir_intern(L->t, name);
	uint32_t v = L->f->nr_vars;

	while (v-- > 0)
		if (L->f->vars[v].name == id && !(L->f->vars[v].flags & IRV_TEMP))
			break;
	if (v == UINT32_MAX)
		return 0;
	for (size_t i = 0; i < L->vars_used; i++) { /* the slots in use, not the whole table */
		const struct var_slot *slot = &L->vars[L->used_slots[i]];
		if (slot->var == v) {
			*decl = slot->decl;
			*var = v;
			return 1;
		}
	}
	return 0;
}

static int is_ident(const struct aparse *P, unsigned i)
{
	return i < P->n && clang_getTokenKind(P->toks[i]) == CXToken_Identifier;
}

struct field_query {
	const char *name;
	CXType type;
	int found;
};

static enum CXVisitorResult match_field(CXCursor c, CXClientData data)
{
	struct field_query *q = data;
	CXString n = clang_getCursorSpelling(c);
	int same = !strcmp(clang_getCString(n), q->name);

	clang_disposeString(n);
	if (!same)
		return CXVisit_Continue;
	q->type = clang_getCursorType(c);
	q->found = 1;
	return CXVisit_Break;
}

/* The type of field `name` of the struct or union t: 1 when there is one. */
static int field_type(CXType t, const char *name, CXType *out)
{
	struct field_query q = { .name = name };

	t = clang_getCanonicalType(t);
	if (t.kind != CXType_Record)
		return 0;
	clang_Type_visitFields(t, match_field, &q);
	*out = q.type;
	return q.found;
}

/* An access path: x, x->f, x.f, chains of them, typed as the code types
 * them (a path first made here keeps its type for the whole function).
 * 0 if the tokens are not one. */
static ir_path path_operand(struct aparse *P)
{
	struct lower *L = P->L;
	CXCursor decl;
	CXType t;
	uint32_t var;
	ir_path p;

	if (!is_ident(P, P->at) || !var_named(L, tok(P, P->at), &decl, &var))
		return 0;
	p = ir_path_var(L->f, var, L->f->vars[var].type);
	t = clang_getCursorType(decl);
	if (clang_getCursorKind(decl) == CXCursor_ParmDecl && ma_type_is_array(t))
		t = clang_getArrayElementType(t); /* int a[] is a pointer: only a->f matters here */
	P->at++;
	while (P->at + 1 < P->n && (is(P, "->") || is(P, ".")) && is_ident(P, P->at + 1)) {
		CXType ft;
		if (is(P, "->")) {
			if (clang_getCanonicalType(t).kind != CXType_Pointer)
				return 0;
			t = clang_getPointeeType(clang_getCanonicalType(t));
			p = ir_path_sub(L->f, IRP_DEREF, p, 0, lower_type_flags(t));
		}
		if (!field_type(t, tok(P, P->at + 1), &ft))
			return 0;
		t = ft;
		p = ir_path_sub(L->f, IRP_FIELD, p, ir_intern(L->t, tok(P, P->at + 1)), lower_type_flags(t));
		P->at += 2;
	}
	return p;
}

/* An integer constant (or NULL): 1 and *k, else 0. */
static int const_operand(struct aparse *P, int64_t *k)
{
	const char *t = tok(P, P->at);
	char *end;

	if (!strcmp(t, "NULL")) {
		*k = 0;
		P->at++;
		return 1;
	}
	if (P->at >= P->n || clang_getTokenKind(P->toks[P->at]) != CXToken_Literal ||
	    !(t[0] >= '0' && t[0] <= '9'))
		return 0;
	*k = strtoll(t, &end, 0);
	if (strspn(end, "uUlL") != strlen(end))
		return 0;
	P->at++;
	return 1;
}

/* One side of a comparison: a path or a constant. */
static int operand(struct aparse *P, struct ir_val *v)
{
	int64_t k;
	ir_path p;

	if (const_operand(P, &k)) {
		*v = (struct ir_val){ .kind = IRV_INT, .k = k };
		return 1;
	}
	if ((p = path_operand(P))) {
		*v = (struct ir_val){ .kind = IRV_PATH, .path = p };
		return 1;
	}
	return 0;
}

static const struct { const char *op; uint8_t cmp, swapped; } relops[] = {
	{ "==", IRC_EQ, IRC_EQ }, { "!=", IRC_NE, IRC_NE }, { "<", IRC_LT, IRC_GT },
	{ "<=", IRC_LE, IRC_GE }, { ">", IRC_GT, IRC_LT }, { ">=", IRC_GE, IRC_LE },
};

/* 0 compared with a pointer is NULL. */
static struct ir_val null_if_pointer(const struct lower *L, struct ir_val c, const struct ir_val *other)
{
	if (c.kind == IRV_INT && c.k == 0 && other->kind == IRV_PATH &&
	    (L->f->paths[other->path].type & IRT_POINTER))
		return (struct ir_val){ .kind = IRV_NULL };
	return c;
}

static int parse_or(struct aparse *P);

/* x, x op y, !x, (x): an atom ends at && || ) or the end. */
static int parse_unary(struct aparse *P)
{
	struct ir_val l, r;
	unsigned start = P->at;

	if (is(P, "!")) {
		int a;
		P->at++;
		a = parse_unary(P);
		return a < 0 ? a : node(P, (struct anode){ .kind = A_NOT, .a = a });
	}
	if (is(P, "(")) {
		int a;
		P->at++;
		a = parse_or(P);
		if (a < 0 || !is(P, ")"))
			return -1;
		P->at++;
		return a;
	}
	if (!operand(P, &l))
		return unknown_operand(P);
	for (size_t i = 0; i < sizeof(relops) / sizeof(relops[0]); i++) {
		if (!is(P, relops[i].op))
			continue;
		P->at++;
		if (!operand(P, &r) || !(is(P, "&&") || is(P, "||") || is(P, ")") || P->at == P->n)) {
			P->at = start;
			return unknown_operand(P);
		}
		if (l.kind == IRV_INT && r.kind == IRV_INT)
			return node(P, (struct anode){ .kind = A_UNKNOWN });
		if (l.kind == IRV_INT) /* 0 != p: p != 0 */
			return node(P, (struct anode){ .kind = A_CMP, .op = relops[i].swapped,
						       .l = r, .r = null_if_pointer(P->L, l, &r) });
		return node(P, (struct anode){ .kind = A_CMP, .op = relops[i].cmp, .l = l,
					       .r = null_if_pointer(P->L, r, &l) });
	}
	if (l.kind != IRV_PATH || !(is(P, "&&") || is(P, "||") || is(P, ")") || P->at == P->n)) {
		P->at = start;
		return unknown_operand(P);
	}
	return node(P, (struct anode){ .kind = A_CMP, .op = IRC_NE, .l = l,
				       .r = null_if_pointer(P->L, (struct ir_val){ .kind = IRV_INT }, &l) });
}

/* operand (op operand)*, left to right; next parses an operand. */
static int parse_chain(struct aparse *P, const char *op, uint8_t kind, int (*next)(struct aparse *))
{
	int a = next(P);

	while (a >= 0 && is(P, op)) {
		int b;
		P->at++;
		b = next(P);
		a = b < 0 ? b : node(P, (struct anode){ .kind = kind, .a = a, .b = b });
	}
	return a;
}

static int parse_and(struct aparse *P)
{
	return parse_chain(P, "&&", A_AND, parse_unary);
}

static int parse_or(struct aparse *P)
{
	return parse_chain(P, "||", A_OR, parse_and);
}

/* Reading path p (a->b->c) needs each pointer on the way to be non-NULL: test them, in order. */
static void test_bases(struct lower *L, ir_path p, struct ir_loc loc, uint32_t fail)
{
	const struct ir_pathrec *r = &L->f->paths[p];
	uint32_t next;

	if (r->kind == IRP_VAR)
		return;
	test_bases(L, r->base, loc, fail);
	if (r->kind != IRP_DEREF)
		return;
	next = ir_new_block(L->f);
	lower_branch(L, (struct ir_cond){ .op = IRC_NE, .l = { .kind = IRV_PATH, .path = r->base },
					  .r = { .kind = IRV_NULL } }, loc, next, fail);
	L->cur = next;
}

/* Does node n (under `negated` negations) hold only if some pointer is NULL:
 * p == NULL, !p?  Such a test, split on, would make a NULL path. */
static int claims_null(const struct aparse *P, int n, int negated)
{
	const struct anode *a = &P->nodes[n];

	switch (a->kind) {
	case A_CMP:
		return a->r.kind == IRV_NULL && (a->op == (negated ? IRC_NE : IRC_EQ));
	case A_NOT:
		return claims_null(P, a->a, !negated);
	case A_AND:
	case A_OR:
		return claims_null(P, a->a, negated) || claims_null(P, a->b, negated);
	default:
		return 0;
	}
}

static int says_something(const struct aparse *P, int n);

/*
 * assert(p || X), X something the read-back cannot read (a call, a
 * macro): p is not NULL unless X holds.  On the side where p is NULL the
 * engine cannot tell whether X held, so it stops claiming that p is NULL
 * there; *p is the pointer's path.
 */
static int null_unless_unread(const struct aparse *P, int n, ir_path *p)
{
	const struct anode *a = &P->nodes[n], *l;

	if (a->kind != A_OR || says_something(P, a->b))
		return 0;
	l = &P->nodes[a->a];
	if (l->kind != A_CMP || l->op != IRC_NE || l->r.kind != IRV_NULL || l->l.kind != IRV_PATH)
		return 0;
	*p = l->l.path;
	return 1;
}

/* The pointer at path p holds nothing the engine knows of from here on. */
static void forget(struct lower *L, ir_path p, struct ir_loc loc)
{
	struct ir_stmt *s = ir_emit(L->f, lower_cur(L), IR_ASSIGN, loc);

	s->dst = p;
	s->a = (struct ir_val){ .kind = IRV_UNKNOWN };
	L->stmts++;
}

/* The first atom evaluated in node n. */
static int leftmost(const struct aparse *P, int n)
{
	while (P->nodes[n].kind == A_AND || P->nodes[n].kind == A_OR || P->nodes[n].kind == A_NOT)
		n = P->nodes[n].a;
	return n;
}

static void test_bases_of(struct aparse *P, int n, struct ir_loc loc, uint32_t fail)
{
	const struct anode *a = &P->nodes[n];

	if (a->kind != A_CMP)
		return;
	test_bases(P->L, a->l.path, loc, fail);
	if (a->r.kind == IRV_PATH)
		test_bases(P->L, a->r.path, loc, fail);
}

static void lower_node(struct aparse *P, int n, struct ir_loc loc, uint32_t t, uint32_t f, uint32_t fail)
{
	struct lower *L = P->L;
	const struct anode *a = &P->nodes[n];
	uint32_t mid;
	ir_path p;

	switch (a->kind) {
	case A_AND:
		mid = ir_new_block(L->f);
		lower_node(P, a->a, loc, mid, f, fail);
		L->cur = mid;
		lower_node(P, a->b, loc, t, f, fail);
		break;
	case A_OR:
		/* assert(p == 0 || p->n > 0) states an invariant, not that p may
		 * be NULL: testing it would make a NULL path the code never
		 * tests.  Such a disjunction says only that the pointers its
		 * first operand goes through are not NULL.  One whose first
		 * operand claims no NULL is a test like any other
		 * (assert(p || n == 0), assert(p != 0 || q == 0): p is NULL only
		 * where the rest holds). */
		if (claims_null(P, a->a, 0)) {
			test_bases_of(P, leftmost(P, a->a), loc, fail);
			lower_jump(L, t);
			break;
		}
		if (null_unless_unread(P, n, &p)) {
			mid = ir_new_block(L->f);
			lower_node(P, a->a, loc, t, mid, fail);
			L->cur = mid;
			forget(L, p, loc);
			lower_jump(L, t);
			break;
		}
		mid = ir_new_block(L->f);
		lower_node(P, a->a, loc, t, mid, fail);
		L->cur = mid;
		lower_node(P, a->b, loc, t, f, fail);
		break;
	case A_NOT: /* !(x && y) is a disjunction, and an unknown test stays unknown */
		if (P->nodes[a->a].kind == A_CMP || P->nodes[a->a].kind == A_NOT)
			lower_node(P, a->a, loc, f, t, fail);
		else
			lower_jump(L, t);
		break;
	case A_CMP:
		test_bases_of(P, n, loc, fail);
		lower_branch(L, (struct ir_cond){ .op = a->op, .l = a->l, .r = a->r }, loc, t, f);
		break;
	default: /* may be true: rules nothing out (never reached with t and f swapped) */
		lower_jump(L, t);
		break;
	}
}

/* ((void)0), as NDEBUG's assert() expands to. */
static int is_void_zero(struct lower *L, CXCursor e)
{
	CXCursor c = e;
	enum CXCursorKind k0 = clang_getCursorKind(e);

	if ((k0 != CXCursor_ParenExpr && k0 != CXCursor_CStyleCastExpr) ||
	    clang_getCursorType(e).kind != CXType_Void)
		return 0;
	for (;;) {
		enum CXCursorKind k = clang_getCursorKind(c);
		struct kids kids = { 0 };
		if (k == CXCursor_IntegerLiteral)
			return 1;
		if (k != CXCursor_ParenExpr && k != CXCursor_CStyleCastExpr && k != CXCursor_UnexposedExpr)
			return 0;
		kids_get(L, c, &kids);
		if (kids.n == 0) {
			kids_release(&kids);
			return 0;
		}
		c = kids.v[kids.n - 1];
		kids_release(&kids);
	}
}

static int has_deref(const struct lower *L, const struct ir_val *v)
{
	for (ir_path p = v->kind == IRV_PATH ? v->path : 0; p && L->f->paths[p].kind != IRP_VAR;
	     p = L->f->paths[p].base)
		if (L->f->paths[p].kind == IRP_DEREF)
			return 1;
	return 0;
}

/* Does lowering node n rule anything out (else it is left alone)? */
static int says_something(const struct aparse *P, int n)
{
	ir_path p;

	const struct anode *a = &P->nodes[n];

	switch (a->kind) {
	case A_CMP:
		return 1;
	case A_AND:
		return says_something(P, a->a) || says_something(P, a->b);
	case A_OR:
		if (null_unless_unread(P, n, &p))
			return 1;
		if (!claims_null(P, a->a, 0))
			return says_something(P, a->a) && says_something(P, a->b);
		a = &P->nodes[leftmost(P, a->a)];
		return a->kind == A_CMP && (has_deref(P->L, &a->l) || has_deref(P->L, &a->r));
	case A_NOT:
		return (P->nodes[a->a].kind == A_CMP || P->nodes[a->a].kind == A_NOT) &&
		       says_something(P, a->a);
	default:
		return 0;
	}
}

int lower_disabled_assert(struct lower *L, CXCursor s)
{
	struct aparse P;
	unsigned n = 0;
	int root, done = 0;

	if (L->cur == LOWER_NO_BLOCK || !is_void_zero(L, s))
		return 0;
	/* not before: most statements are not (void)0, and P is large */
	P.L = L;
	P.toks = NULL;
	P.n = P.at = 0;
	P.nr = 0;
	P.spell = NULL;
	clang_tokenize(L->tu, ma_ast_safe_extent(L->tu, s, 4096), &P.toks, &n);
	if (n < 4 || n > MAX_TOKENS)
		goto out;
	P.spell = ma_calloc(n, sizeof(*P.spell));
	for (unsigned i = 0; i < n; i++)
		P.spell[i] = clang_getTokenSpelling(L->tu, P.toks[i]);
	P.n = n;
	if (strcmp(tok(&P, 0), "assert") || strcmp(tok(&P, 1), "("))
		goto spelled;
	/* the condition: tokens 2 .. the parenthesis that closes token 1 */
	for (int depth = 0, i = 1; i < (int)n; i++) {
		if (!strcmp(tok(&P, i), "("))
			depth++;
		else if (!strcmp(tok(&P, i), ")") && --depth == 0) {
			P.n = (unsigned)i;
			break;
		}
	}
	P.at = 2;
	root = parse_or(&P);
	if (root >= 0 && P.at == P.n && says_something(&P, root)) {
		struct ir_loc loc = lower_loc(L, s);
		uint32_t ok = ir_new_block(L->f), fail = ir_new_block(L->f);
		uint8_t saved = L->branch_flags;
		L->branch_flags |= IRB_COND_IMPLICIT;
		lower_node(&P, root, loc, ok, fail, fail);
		L->branch_flags = saved;
		L->cur = ok;  /* fail has no successor: the path ends there, as at abort() */
		done = 1;
	}
spelled:
	for (unsigned i = 0; i < n; i++)
		clang_disposeString(P.spell[i]);
	free(P.spell);
out:
	clang_disposeTokens(L->tu, P.toks, n);
	return done;
}
