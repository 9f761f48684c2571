/*
 * Lowering of expressions into IR statements of the current block.
 *
 * lower_expr() returns the value of an rvalue, emitting READs for the
 * variables it reads, DEREFs for the pointers it goes through and CALLs;
 * lower_lvalue() returns the access path an lvalue designates without
 * reading it (but still dereferencing the pointers on the way: in s->a.b,
 * s is read and dereferenced); lower_cond() lowers a condition straight
 * into branches, so that && || ! and ?: become control flow.
 *
 * libclang 14 hides implicit casts (UnexposedExpr) and operator kinds;
 * operators come from tokens (ast.c), implicit casts are looked through.
 */
#include "lower_internal.h"
#include "ast.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

static struct ir_val val_unknown(void)
{
	return (struct ir_val){ .kind = IRV_UNKNOWN };
}

static struct ir_val val_int(int64_t k)
{
	return (struct ir_val){ .kind = IRV_INT, .k = k };
}

static struct ir_val val_path(ir_path p)
{
	return (struct ir_val){ .kind = p ? IRV_PATH : IRV_UNKNOWN, .path = p };
}

static int is_lvalue_kind(struct lower *L, CXCursor e);

struct effects_scan {
	CXTranslationUnit tu;
	int found;
};

static int may_assign(CXTranslationUnit tu, CXCursor e, enum CXCursorKind k)
{
	char op[8];
	CXCursor lhs = ma_ast_child(e, 0);

	if (k == CXCursor_UnaryOperator) {
		if (ma_ast_unary_op(tu, e, op, sizeof(op)))
			return !strcmp(op, "++") || !strcmp(op, "--");
	} else if (ma_ast_binary_op(tu, e, op, sizeof(op))) {
		return !strcmp(op, "=");
	}
	/* an operator from a macro body: an assignment writes an lvalue and
	 * keeps its type */
	return is_lvalue_kind(NULL, lhs) && /* outside lowering: no memo */
	       clang_equalTypes(clang_getCanonicalType(clang_getCursorType(e)),
				clang_getCanonicalType(clang_getCursorType(lhs)));
}

static enum CXChildVisitResult scan_effects(CXCursor c, CXCursor parent, CXClientData data)
{
	struct effects_scan *es = data;
	enum CXCursorKind k = clang_getCursorKind(c);

	(void)parent;
	if (k == CXCursor_CallExpr || k == CXCursor_CompoundAssignOperator ||
	    ((k == CXCursor_BinaryOperator || k == CXCursor_UnaryOperator) && may_assign(es->tu, c, k))) {
		es->found = 1;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Recurse;
}

/*
 * clang_Cursor_Evaluate folds (x = 5, 1) to 1 and says nothing of the
 * assignment it dropped; only side-effect-free expressions are folded.
 */
static int has_side_effects(CXTranslationUnit tu, CXCursor e)
{
	struct effects_scan es = { .tu = tu };
	enum CXCursorKind k = clang_getCursorKind(e);

	if (k == CXCursor_IntegerLiteral || k == CXCursor_CharacterLiteral || k == CXCursor_DeclRefExpr)
		return 0;
	if (scan_effects(e, clang_getNullCursor(), &es) == CXChildVisit_Break)
		return 1;
	clang_visitChildren(e, scan_effects, &es);
	return es.found;
}

int lower_eval_int(CXCursor e, int64_t *out)
{
	CXEvalResult r;
	int64_t v = 0;
	int ok = 0;

	/* most expressions are not constant and fail here at once; the walk
	 * for side effects is only paid for those that fold */
	r = clang_Cursor_Evaluate(e);
	if (!r)
		return 0;
	if (clang_EvalResult_getKind(r) == CXEval_Int) {
		v = clang_EvalResult_isUnsignedInt(r) ? (int64_t)clang_EvalResult_getAsUnsigned(r)
						      : (int64_t)clang_EvalResult_getAsLongLong(r);
		ok = 1;
	}
	clang_EvalResult_dispose(r);
	if (!ok || has_side_effects(clang_Cursor_getTranslationUnit(e), e))
		return 0;
	*out = v;
	return 1;
}

static int read_op(struct lower *L, CXCursor e, const struct kids *k, char *buf, size_t size)
{
	if (clang_getCursorKind(e) == CXCursor_UnaryOperator)
		return ma_ast_unary_op(L->tu, e, buf, size);
	if (k && k->n == 2 && ma_ast_binary_op_of(L->tu, e, k->v[0], k->v[1], buf, size))
		return 1;
	return (!(k && k->n == 2) && ma_ast_binary_op(L->tu, e, buf, size)) ||
	       (L->in_expect_arg && ma_ast_macro_arg_binary_op(L->tu, e, buf, size));
}

int lower_op(struct lower *L, CXCursor e, const struct kids *k, char *buf, size_t size)
{
	const void *node = clang_isExpression(clang_getCursorKind(e)) ? e.data[1] : NULL;
	struct op_memo *m = &L->op_memo[((uintptr_t)node >> 4) % OP_MEMO];
	uint8_t expect = L->in_expect_arg != 0;

	buf[0] = '\0';
	if (node && m->node == node && m->expect_arg == expect && size >= sizeof(m->op)) {
		memcpy(buf, m->op, sizeof(m->op));
		return m->found;
	}
	int found = read_op(L, e, k, buf, size);
	if (node && strlen(buf) < sizeof(m->op)) {
		*m = (struct op_memo){ .node = node, .expect_arg = expect, .found = (uint8_t)found };
		memcpy(m->op, buf, strlen(buf) + 1);
	}
	return found;
}

static CXCursor only_child(struct lower *L, CXCursor e)
{
	struct kids k = { 0 };
	CXCursor c = clang_getNullCursor();

	kids_get(L, e, &k);
	if (k.n == 1)
		c = k.v[0];
	kids_release(&k);
	return c;
}

/* The expression inside parentheses and implicit conversions. */
static CXCursor peel(struct lower *L, CXCursor e)
{
	for (;;) {
		enum CXCursorKind k = clang_getCursorKind(e);
		CXCursor c;
		if (k != CXCursor_ParenExpr && k != CXCursor_UnexposedExpr)
			return e;
		c = only_child(L, e);
		if (clang_Cursor_isNull(c) || !clang_isExpression(clang_getCursorKind(c)))
			return e;
		e = c;
	}
}

/* The operand of a cast: its last child (a TypeRef may come first). */
static CXCursor cast_operand(struct lower *L, CXCursor e)
{
	struct kids k = { 0 };
	CXCursor c = clang_getNullCursor();

	kids_get(L, e, &k);
	if (k.n)
		c = k.v[k.n - 1];
	kids_release(&k);
	return c;
}

static unsigned expr_type(CXCursor e)
{
	return lower_type_flags(clang_getCursorType(e));
}

/* Lower every child as an expression, for its side effects. */
static void lower_children(struct lower *L, CXCursor e)
{
	struct kids k = { 0 };

	kids_get(L, e, &k);
	for (unsigned i = 0; i < k.n; i++)
		if (clang_isExpression(clang_getCursorKind(k.v[i])))
			(void)lower_expr(L, k.v[i]);
	kids_release(&k);
}

static void emit_read(struct lower *L, ir_path p, CXCursor at)
{
	struct ir_stmt *s;

	if (!p)
		return;
	s = lower_emit(L, IR_READ, at);
	s->a = val_path(p);
}

static void emit_deref(struct lower *L, ir_path p, CXCursor at, int write)
{
	struct ir_stmt *s = lower_emit(L, IR_DEREF, at);

	s->a = val_path(p);
	if (write)
		s->flags |= IRS_WRITE;
}

static int infer_unary_op(struct lower *L, CXCursor e, CXCursor sub, char *op, size_t size);
static ir_path lvalue_at(struct lower *L, CXCursor e, int write);

/* ------------------------------------------------------------------ */
/* Lvalues                                                             */

/* The pointer value at v, dereferenced: the path *v, or 0. */
static ir_path deref_of(struct lower *L, struct ir_val v, CXCursor at, unsigned type, int write)
{
	if (v.kind == IRV_ADDR)
		return v.path;            /* *&x is x */
	if (v.kind != IRV_PATH)
		return 0;
	emit_deref(L, v.path, at, write);
	return ir_path_sub(L->f, IRP_DEREF, v.path, 0, type);
}

static int is_union(CXType t)
{
	return clang_getCursorKind(clang_getTypeDeclaration(clang_getCanonicalType(t))) == CXCursor_UnionDecl;
}

/*
 * (union u){ p }: what glibc's transparent-union parameters turn an
 * argument into (accept(fd, (struct sockaddr *)&sa, &len)): a union
 * holding one value is that value.  Other compound literals are lowered
 * for their side effects and are unknown.
 */
static struct ir_val lower_compound_literal(struct lower *L, CXCursor e)
{
	struct kids k = { 0 }, init = { 0 };
	struct ir_val v = val_unknown();
	int done = 0;

	kids_get(L, e, &k);
	if (is_union(clang_getCursorType(e)) && k.n &&
	    clang_getCursorKind(k.v[k.n - 1]) == CXCursor_InitListExpr) {
		kids_get(L, k.v[k.n - 1], &init);
		if (init.n == 1 && clang_isExpression(clang_getCursorKind(init.v[0]))) {
			v = lower_expr(L, init.v[0]);
			done = 1;
		}
		kids_release(&init);
	}
	if (!done)
		lower_children(L, e);
	kids_release(&k);
	return v;
}

static ir_path lvalue_member(struct lower *L, CXCursor e, int write)
{
	struct kids k = { 0 };
	CXString name = clang_getCursorSpelling(e);
	ir_str field = ir_intern(L->t, clang_getCString(name));
	ir_path base = 0;

	clang_disposeString(name);
	kids_get(L, e, &k);
	if (k.n) {
		CXCursor b = k.v[0];
		CXType bt = clang_getCursorType(b);
		if (ma_type_is_pointer(bt)) {
			struct ir_val v = lower_expr(L, b);
			base = deref_of(L, v, e, expr_type(peel(L, b)) & ~IRT_POINTER, write);
			bt = clang_getPointeeType(clang_getCanonicalType(bt));
		} else {
			base = lower_lvalue(L, b);
		}
		/* the members of a union share their storage: writing c.u sets c.f */
		if (is_union(bt)) {
			kids_release(&k);
			return base;
		}
	}
	kids_release(&k);
	return ir_path_sub(L->f, IRP_FIELD, base, field, expr_type(e));
}

/* The id of an ELEM path for an index that lowered to v (see IR_ELEM_CONST). */
static uint32_t elem_index(const struct lower *L, struct ir_val v)
{
	if (v.kind == IRV_INT && v.k >= 0 && v.k <= IR_ELEM_MAX_CONST)
		return IR_ELEM_CONST | (uint32_t)v.k;
	if (v.kind == IRV_PATH && L->f->paths[v.path].kind == IRP_VAR)
		return L->f->paths[v.path].id + 1;
	return 0;
}

/* A parameter declared as an array (int a[]) is a pointer: libclang still types it as the array. */
static int names_param(CXCursor e)
{
	return clang_getCursorKind(e) == CXCursor_DeclRefExpr &&
	       clang_getCursorKind(clang_getCursorReferenced(e)) == CXCursor_ParmDecl;
}

static ir_path lvalue_subscript(struct lower *L, CXCursor e, int write)
{
	struct kids k = { 0 };
	ir_path base = 0;
	uint32_t index = 0;

	kids_get(L, e, &k);
	if (k.n == 2) {
		CXCursor b = peel(L, k.v[0]);
		index = elem_index(L, lower_expr(L, k.v[1]));
		if (ma_type_is_array(clang_getCursorType(b)) && !names_param(b)) {
			base = lvalue_at(L, b, write);
		} else {
			struct ir_val v = lower_expr(L, k.v[0]);
			base = deref_of(L, v, e, expr_type(e), write);
		}
	}
	kids_release(&k);
	return ir_path_sub(L->f, IRP_ELEM, base, index, expr_type(e));
}

static ir_path lvalue_ref(struct lower *L, CXCursor e)
{
	CXCursor d = clang_getCursorReferenced(e);
	enum CXCursorKind k = clang_getCursorKind(d);

	if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
		return 0;
	return ir_path_var(L->f, lower_var_of(L, d), lower_decl_type_flags(d));
}

static ir_path lvalue_at(struct lower *L, CXCursor e, int write)
{
	char op[4];

	e = peel(L, e);
	switch (clang_getCursorKind(e)) {
	case CXCursor_DeclRefExpr:
		return lvalue_ref(L, e);
	case CXCursor_MemberRefExpr:
		return lvalue_member(L, e, write);
	case CXCursor_ArraySubscriptExpr:
		return lvalue_subscript(L, e, write);
	case CXCursor_CStyleCastExpr:
		return lvalue_at(L, cast_operand(L, e), write);
	case CXCursor_UnaryOperator:
		if ((lower_op(L, e, NULL, op, sizeof(op)) || infer_unary_op(L, e, only_child(L, e), op, sizeof(op))) &&
		    !strcmp(op, "*"))
			return deref_of(L, lower_expr(L, only_child(L, e)), e, expr_type(e), write);
		break;
	default:
		break;
	}
	(void)lower_expr(L, e);
	return 0;
}

ir_path lower_lvalue(struct lower *L, CXCursor e)
{
	return lvalue_at(L, e, 0);
}

/* ------------------------------------------------------------------ */
/* Calls                                                               */

/* Look for _Noreturn among the tokens before the declaration's name
 * (only a short, plain stretch of one file: macros can make it anything). */
static int has_noreturn_specifier(CXTranslationUnit tu, CXCursor d)
{
	CXSourceLocation name = clang_getCursorLocation(d);
	CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(d));
	CXToken *toks = NULL;
	unsigned n = 0, o1 = 0, o2 = 0;
	CXFile f1, f2;
	int found = 0;

	clang_getExpansionLocation(start, &f1, NULL, NULL, &o1);
	clang_getExpansionLocation(name, &f2, NULL, NULL, &o2);
	if (!f1 || !clang_File_isEqual(f1, f2) || o2 < o1 || o2 - o1 > 200)
		return 0;
	/* a range of file locations: a macro location here would make
	 * libclang lex from the macro's definition */
	clang_tokenize(tu, clang_getRange(clang_getLocationForOffset(tu, f1, o1),
					  clang_getLocationForOffset(tu, f2, o2)), &toks, &n);
	for (unsigned i = 0; i < n && i < 8 && !found; i++) {
		CXString sp = clang_getTokenSpelling(tu, toks[i]);
		found = !strcmp(clang_getCString(sp), "_Noreturn") || !strcmp(clang_getCString(sp), "noreturn");
		clang_disposeString(sp);
	}
	clang_disposeTokens(tu, toks, n);
	return found;
}

static int is_noreturn_uncached(struct lower *L, CXCursor fn);

/* Asked at every call: answered once per callee name and unit. */
static int is_noreturn_decl(struct lower *L, CXCursor fn, ir_str name)
{
	if (name >= L->alloc_noreturn) {
		uint32_t n = L->alloc_noreturn ? L->alloc_noreturn : 256;
		while (n <= name)
			n *= 2;
		L->noreturn = ma_realloc(L->noreturn, n);
		memset(L->noreturn + L->alloc_noreturn, 0, n - L->alloc_noreturn);
		L->alloc_noreturn = n;
	}
	if (!L->noreturn[name])
		L->noreturn[name] = is_noreturn_uncached(L, fn) ? 2 : 1;
	return L->noreturn[name] == 2;
}

static int is_noreturn_uncached(struct lower *L, CXCursor fn)
{
	static const char *const names[] = {
		"exit", "_exit", "_Exit", "abort", "quick_exit", "__assert_fail",
		"__assert_perror_fail", "__assert", "longjmp", "siglongjmp", "_longjmp",
		"pthread_exit", "err", "errx", "verr", "verrx", "__builtin_unreachable",
		"__builtin_trap", "__stack_chk_fail", "__builtin_abort", NULL,
	};
	CXString name = clang_getCursorSpelling(fn), type;
	char first[16];
	int nr = 0;

	for (size_t i = 0; names[i] && !nr; i++)
		nr = !strcmp(clang_getCString(name), names[i]);
	clang_disposeString(name);
	if (nr)
		return 1;
	type = clang_getTypeSpelling(clang_getCursorType(fn));
	nr = strstr(clang_getCString(type), "noreturn") != NULL;
	clang_disposeString(type);
	/* _Noreturn is a specifier, on this or on an earlier declaration */
	for (int pass = 0; pass < 2 && !nr; pass++) {
		CXCursor d = pass ? clang_getCanonicalCursor(fn) : fn;
		nr = has_noreturn_specifier(L->tu, d);
	}
	(void)first;
	return nr;
}

static uint32_t push_arg(struct lower *L, struct ir_val v)
{
	struct ir_func *f = L->f;

	ALLOC_GROW(f->args, f->nr_args + 1, f->alloc_args);
	f->args[f->nr_args] = v;
	return f->nr_args++;
}

static struct ir_val lower_call(struct lower *L, CXCursor e)
{
	CXCursor callee = clang_getCursorReferenced(e);
	int nargs = clang_Cursor_getNumArguments(e), direct;
	struct ir_val *vals = nargs > 0 ? ma_calloc((size_t)nargs, sizeof(*vals)) : NULL;
	unsigned rtype = expr_type(e);
	struct ir_stmt *s;
	uint32_t first = L->f->nr_args;

	direct = clang_getCursorKind(callee) == CXCursor_FunctionDecl;
	if (!direct) {
		/* the callee expression (s->fn, *fp) is read like any other */
		CXCursor target = ma_ast_child(e, 0);
		if (!clang_Cursor_isNull(target) && clang_isExpression(clang_getCursorKind(target)))
			(void)lower_expr(L, target);
	}
	for (int i = 0; i < nargs; i++)
		vals[i] = lower_expr(L, clang_Cursor_getArgument(e, (unsigned)i));
	for (int i = 0; i < nargs; i++) {
		uint32_t at = push_arg(L, vals[i]);
		if (!i)
			first = at;
	}
	free(vals);
	s = lower_emit(L, IR_CALL, e);
	s->aux = nargs > 0 ? (uint32_t)nargs : 0;
	s->args = first;
	if (direct) {
		CXString n = clang_getCursorSpelling(callee);
		s->callee = ir_intern(L->t, clang_getCString(n));
		clang_disposeString(n);
		if (is_noreturn_decl(L, callee, s->callee))
			s->flags |= IRS_NORETURN;
	} else {
		s->flags |= IRS_INDIRECT;
	}
	if (clang_getCursorType(e).kind != CXType_Void && !(s->flags & IRS_NORETURN))
		s->dst = ir_path_var(L->f, lower_temp(L, rtype, "call"), rtype);
	if (s->flags & IRS_NORETURN) {
		L->f->blocks[lower_cur(L)].nsucc = 0;
		lower_dead(L);
		return val_unknown();
	}
	return val_path(s->dst);
}

/* new T / new T[n]: a call to "new" or "new[]"; delete p / delete[] p likewise. */
static struct ir_val lower_new_delete(struct lower *L, CXCursor e, int is_new)
{
	struct kids k = { 0 };
	char tok[16] = "";
	int array = 0;
	struct ir_val arg = val_unknown();
	struct ir_stmt *s;

	kids_get(L, e, &k);
	for (unsigned i = 0; i < k.n; i++)
		if (clang_isExpression(clang_getCursorKind(k.v[i])))
			arg = lower_expr(L, k.v[i]);
	kids_release(&k);
	if (is_new) {
		array = ma_ast_last_token(L->tu, e, tok, sizeof(tok)) && !strcmp(tok, "]");
	} else {
		CXToken *toks = NULL;
		unsigned n = 0;
		clang_tokenize(L->tu, ma_ast_safe_extent(L->tu, e, 4096), &toks, &n);
		if (n > 1) {
			CXString sp = clang_getTokenSpelling(L->tu, toks[1]);
			array = !strcmp(clang_getCString(sp), "[");
			clang_disposeString(sp);
		}
		clang_disposeTokens(L->tu, toks, n);
	}
	s = lower_emit(L, IR_CALL, e);
	s->callee = ir_intern(L->t, is_new ? (array ? "new[]" : "new") : (array ? "delete[]" : "delete"));
	if (array)
		s->flags |= IRS_ARRAY_NEW;
	if (is_new) {
		s->dst = ir_path_var(L->f, lower_temp(L, IRT_POINTER, "new"), IRT_POINTER);
		return val_path(s->dst);
	}
	s->aux = 1;
	s->args = push_arg(L, arg);
	return val_unknown();
}

/* ------------------------------------------------------------------ */
/* Operators                                                           */

static struct ir_val fold_arith(const char *op, int64_t a, int64_t b, int *ok)
{
	int64_t r;

	*ok = 1;
	/* what overflows int64_t is not folded (C would wrap or trap) */
	if (!strcmp(op, "+") && !__builtin_add_overflow(a, b, &r)) return val_int(r);
	if (!strcmp(op, "-") && !__builtin_sub_overflow(a, b, &r)) return val_int(r);
	if (!strcmp(op, "*") && !__builtin_mul_overflow(a, b, &r)) return val_int(r);
	if (!strcmp(op, "/") && b && !(a == INT64_MIN && b == -1)) return val_int(a / b);
	if (!strcmp(op, "%") && b && !(a == INT64_MIN && b == -1)) return val_int(a % b);
	if (!strcmp(op, "&")) return val_int(a & b);
	if (!strcmp(op, "|")) return val_int(a | b);
	if (!strcmp(op, "^")) return val_int(a ^ b);
	if (!strcmp(op, "<<") && b >= 0 && b < 63) return val_int((int64_t)((uint64_t)a << b));
	if (!strcmp(op, ">>") && b >= 0 && b < 63) return val_int(a >> b);
	*ok = 0;
	return val_unknown();
}

static enum ir_arith arith_of(const char *op)
{
	if (!strcmp(op, "+") || !strcmp(op, "+=") || !strcmp(op, "++")) return IRA_ADD;
	if (!strcmp(op, "-") || !strcmp(op, "-=") || !strcmp(op, "--")) return IRA_SUB;
	if (!strcmp(op, "*") || !strcmp(op, "*=")) return IRA_MUL;
	if (!strcmp(op, "/") || !strcmp(op, "/=")) return IRA_DIV;
	if (!strcmp(op, "%") || !strcmp(op, "%=")) return IRA_MOD;
	if (!strcmp(op, "&") || !strcmp(op, "&=")) return IRA_AND;
	return IRA_OTHER;
}

static int cmp_of(const char *op, uint8_t *out)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };

	for (uint8_t i = 0; i < 6; i++) {
		if (!strcmp(op, ops[i])) {
			*out = i;
			return 1;
		}
	}
	return 0;
}

static void emit_arith(struct lower *L, CXCursor at, ir_path dst, struct ir_val a,
		       enum ir_arith op, struct ir_val b)
{
	struct ir_stmt *s = lower_emit(L, IR_ARITH, at);

	s->dst = dst;
	s->a = a;
	s->b = b;
	s->aux = op;
}

static struct ir_val lower_assign(struct lower *L, CXCursor e, CXCursor lhs, CXCursor rhs)
{
	struct ir_val v = lower_expr(L, rhs);
	ir_path dst = lvalue_at(L, lhs, 1);
	struct ir_stmt *s;

	if (!dst)
		return v;
	s = lower_emit(L, IR_ASSIGN, e);
	s->dst = dst;
	s->a = v;
	return val_path(dst);
}

static struct ir_val lower_compound_assign(struct lower *L, CXCursor e, CXCursor lhs,
					   CXCursor rhs, const char *op)
{
	struct ir_val r = lower_expr(L, rhs);
	ir_path dst = lvalue_at(L, lhs, 1);

	if (!dst)
		return val_unknown();
	emit_read(L, dst, e);
	emit_arith(L, e, dst, val_path(dst), arith_of(op), r);
	return val_path(dst);
}

/* The value of a condition used as a value (x = a && b; return p != NULL). */
static struct ir_val lower_cond_value(struct lower *L, CXCursor e)
{
	uint32_t t = ir_new_block(L->f), f = ir_new_block(L->f), join = ir_new_block(L->f);
	ir_path tmp = ir_path_var(L->f, lower_temp(L, IRT_INT, "cond"), IRT_INT);
	struct ir_stmt *s;

	lower_cond(L, e, t, f);
	L->cur = t;
	s = lower_emit(L, IR_ASSIGN, e);
	s->dst = tmp;
	s->a = val_int(1);
	lower_jump(L, join);
	L->cur = f;
	s = lower_emit(L, IR_ASSIGN, e);
	s->dst = tmp;
	s->a = val_int(0);
	lower_jump(L, join);
	L->cur = join;
	return val_path(tmp);
}

static int is_lvalue_kind(struct lower *L, CXCursor e)
{
	enum CXCursorKind k = clang_getCursorKind(peel(L, e));

	return k == CXCursor_DeclRefExpr || k == CXCursor_MemberRefExpr ||
	       k == CXCursor_ArraySubscriptExpr || k == CXCursor_UnaryOperator;
}

/* A pointer whose value we lose track of must not look leaked later. */
static void escape_if_pointer(struct lower *L, CXCursor at, struct ir_val v)
{
	struct ir_stmt *s;

	if (v.kind == IRV_ADDR) {
		/* &x used in arithmetic we cannot read: x may be written through it */
	} else if (v.kind != IRV_PATH || !(L->f->paths[v.path].type & IRT_POINTER)) {
		return;
	}
	s = lower_emit(L, IR_ESCAPE, at);
	s->a = v;
}

static struct ir_val lower_unknown_binary(struct lower *L, CXCursor e, CXCursor lhs, CXCursor rhs)
{
	CXType te = clang_getCanonicalType(clang_getCursorType(e));
	CXType tl = clang_getCanonicalType(clang_getCursorType(peel(L, lhs)));
	struct ir_stmt *s;
	ir_path dst;

	int64_t k;

	if (lower_eval_int(e, &k)) /* a constant computed in a macro */
		return val_int(k);
	/* an assignment has its left side's type; a comparison of pointers does
	 * not.  The right side may be skipped (&&, ||): what it does is uncertain. */
	if (!is_lvalue_kind(L, lhs) || !clang_equalTypes(te, tl)) {
		struct ir_val a = lower_expr(L, lhs), b;
		CXType tr = clang_getCanonicalType(clang_getCursorType(peel(L, rhs)));
		L->uncertain++;
		b = lower_expr(L, rhs);
		L->uncertain--;
		/* (void)f(), p: a comma yields its right side (a pointer keeps its block) */
		if (te.kind == CXType_Pointer && clang_equalTypes(te, tr) && !clang_equalTypes(te, tl))
			return b;
		escape_if_pointer(L, e, a);
		escape_if_pointer(L, e, b);
		return val_unknown();
	}
	dst = lvalue_at(L, lhs, 1);
	(void)lower_expr(L, rhs);
	if (dst) {
		s = lower_emit(L, IR_ASSIGN, e);
		s->dst = dst;
		/* p += n on a pointer stays within p's block */
		if (L->f->paths[dst].type & IRT_POINTER) {
			s->op = IR_ARITH;
			s->a = val_path(dst);
			s->b = val_unknown();
			s->aux = IRA_ADD;
		} else {
			s->a = val_unknown();
		}
	}
	return val_unknown();
}

static struct ir_val lower_binary(struct lower *L, CXCursor e)
{
	struct kids k = { 0 };
	char op[8];
	struct ir_val l, r, res = val_unknown();
	uint8_t cmp;
	int ok;

	kids_get(L, e, &k);
	if (k.n == 2 && !lower_op(L, e, &k, op, sizeof(op))) {
		/* an operator we cannot read (inside a macro): it may be an
		 * assignment, so the left side is written, not read */
		res = lower_unknown_binary(L, e, k.v[0], k.v[1]);
		kids_release(&k);
		return res;
	}
	if (k.n != 2) {
		kids_release(&k);
		lower_children(L, e);
		return res;
	}
	if (!strcmp(op, "=")) {
		res = lower_assign(L, e, k.v[0], k.v[1]);
	} else if (clang_getCursorKind(e) == CXCursor_CompoundAssignOperator) {
		res = lower_compound_assign(L, e, k.v[0], k.v[1], op);
	} else if (!strcmp(op, "&&") || !strcmp(op, "||") || cmp_of(op, &cmp)) {
		int64_t v;
		res = lower_eval_int(e, &v) ? val_int(v) : lower_cond_value(L, e);
	} else if (!strcmp(op, ",")) {
		(void)lower_expr(L, k.v[0]);
		res = lower_expr(L, k.v[1]);
	} else {
		l = lower_expr(L, k.v[0]);
		r = lower_expr(L, k.v[1]);
		if (l.kind == IRV_INT && r.kind == IRV_INT) {
			res = fold_arith(op, l.k, r.k, &ok);
		} else {
			unsigned type = expr_type(e);
			ir_path tmp = ir_path_var(L->f, lower_temp(L, type, "arith"), type);
			emit_arith(L, e, tmp, l, arith_of(op), r);
			res = val_path(tmp);
		}
	}
	kids_release(&k);
	return res;
}

/* ++x and x++: x++ yields the old value, kept in a temporary. */
static struct ir_val lower_incdec(struct lower *L, CXCursor e, const char *op)
{
	ir_path p = lvalue_at(L, only_child(L, e), 1), old = 0;
	char first[4];
	struct ir_stmt *s;

	if (!p)
		return val_unknown();
	emit_read(L, p, e);
	if (ma_ast_first_token(L->tu, e, first, sizeof(first)) && strcmp(first, op)) {
		unsigned type = L->f->paths[p].type;
		old = ir_path_var(L->f, lower_temp(L, type, "old"), type);
		s = lower_emit(L, IR_ASSIGN, e);
		s->dst = old;
		s->a = val_path(p);
	}
	emit_arith(L, e, p, val_path(p), arith_of(op), val_int(1));
	return val_path(old ? old : p);
}

/* Inside a macro the operator's token is out of reach; & and * show in the types. */
static int infer_unary_op(struct lower *L, CXCursor e, CXCursor sub, char *op, size_t size)
{
	CXType te = clang_getCanonicalType(clang_getCursorType(e));
	CXType ts = clang_getCanonicalType(clang_getCursorType(peel(L, sub)));

	if (te.kind == CXType_Pointer &&
	    clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(te)), ts))
		return snprintf(op, size, "&") > 0;
	if (ts.kind == CXType_Pointer &&
	    clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(ts)), te))
		return snprintf(op, size, "*") > 0;
	return 0;
}

static struct ir_val lower_unary(struct lower *L, CXCursor e)
{
	char op[8];
	CXCursor sub = only_child(L, e);
	struct ir_val v;
	ir_path p;

	if (clang_Cursor_isNull(sub)) {
		lower_children(L, e);
		return val_unknown();
	}
	if (!lower_op(L, e, NULL, op, sizeof(op)) && !infer_unary_op(L, e, sub, op, sizeof(op))) {
		int64_t k;
		if (lower_eval_int(e, &k))
			return val_int(k);
		/* -x, ~x, !x or ++x from a macro: unknown value; only ++x and --x
		 * (whose type is the operand's) may change x */
		p = is_lvalue_kind(L, sub) && clang_equalTypes(clang_getCanonicalType(clang_getCursorType(e)),
							    clang_getCanonicalType(clang_getCursorType(peel(L, sub))))
			? lvalue_at(L, sub, 1) : 0;
		if (p) {
			struct ir_stmt *s = lower_emit(L, IR_ASSIGN, e);
			s->dst = p;
			s->a = val_unknown();
		} else {
			(void)lower_expr(L, sub);
		}
		return val_unknown();
	}
	if (!strcmp(op, "&")) {
		p = lvalue_at(L, sub, 0);
		if (p && L->f->paths[p].kind == IRP_VAR)
			L->f->vars[L->f->paths[p].id].flags |= IRV_ADDR_TAKEN;
		return p ? (struct ir_val){ .kind = IRV_ADDR, .path = p } : val_unknown();
	}
	if (!strcmp(op, "*")) {
		p = lvalue_at(L, e, 0);
		if (p && !(L->f->paths[p].type & (IRT_ARRAY | IRT_RECORD)))
			emit_read(L, p, e);
		return val_path(p);
	}
	if (!strcmp(op, "++") || !strcmp(op, "--"))
		return lower_incdec(L, e, op);
	if (!strcmp(op, "!")) {
		int64_t k;
		return lower_eval_int(e, &k) ? val_int(k) : lower_cond_value(L, e);
	}
	v = lower_expr(L, sub);
	if (v.kind == IRV_INT && !strcmp(op, "-"))
		return v.k == INT64_MIN ? val_unknown() : val_int(-v.k);
	if (v.kind == IRV_INT && !strcmp(op, "~"))
		return val_int(~v.k);
	return !strcmp(op, "+") ? v : val_unknown();
}

/* c ? a : b as a value: a temporary set on each branch. */
static struct ir_val lower_conditional(struct lower *L, CXCursor e)
{
	struct kids k = { 0 };
	uint32_t t = ir_new_block(L->f), f = ir_new_block(L->f), join = ir_new_block(L->f);
	unsigned type = expr_type(e);
	ir_path tmp = ir_path_var(L->f, lower_temp(L, type, "cond"), type);
	struct ir_stmt *s;
	struct ir_val v;

	kids_get(L, e, &k);
	if (k.n != 3) {
		kids_release(&k);
		lower_children(L, e);
		return val_unknown();
	}
	lower_cond(L, k.v[0], t, f);
	L->cur = t;
	v = lower_expr(L, k.v[1]);
	s = lower_emit(L, IR_ASSIGN, e);
	s->dst = tmp;
	s->a = v;
	lower_jump(L, join);
	L->cur = f;
	v = lower_expr(L, k.v[2]);
	s = lower_emit(L, IR_ASSIGN, e);
	s->dst = tmp;
	s->a = v;
	lower_jump(L, join);
	L->cur = join;
	kids_release(&k);
	return val_path(tmp);
}

/* ------------------------------------------------------------------ */
/* Leaves                                                              */

/* An enumerator's value, read as its enum's type: enum { big = UINT_MAX * 2 }
 * is 4294967294 in an unsigned enum, not -2. */
static int64_t enum_value(CXCursor d)
{
	CXType t = clang_getCanonicalType(clang_getEnumDeclIntegerType(clang_getCursorSemanticParent(d)));

	switch (t.kind) {
	case CXType_UInt: case CXType_ULong: case CXType_ULongLong: case CXType_UShort: case CXType_UChar:
		return (int64_t)clang_getEnumConstantDeclUnsignedValue(d);
	default:
		return clang_getEnumConstantDeclValue(d);
	}
}

static struct ir_val lower_ref(struct lower *L, CXCursor e)
{
	CXCursor d = clang_getCursorReferenced(e);
	enum CXCursorKind k = clang_getCursorKind(d);
	int64_t v;
	ir_path p;

	if (k == CXCursor_EnumConstantDecl)
		return val_int(enum_value(d));
	if (k == CXCursor_FunctionDecl) {
		CXString n = clang_getCursorSpelling(d);
		struct ir_val f = { .kind = IRV_FUNC, .k = ir_intern(L->t, clang_getCString(n)) };
		clang_disposeString(n);
		return f;
	}
	if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
		return val_unknown();
	p = lvalue_ref(L, e);
	if (L->f->paths[p].type & IRT_ARRAY)
		return (struct ir_val){ .kind = IRV_ADDR, .path = p };
	/* const globals with a constant initialiser fold to their value */
	if ((L->f->vars[ir_path_root(L->f, p)].flags & IRV_GLOBAL) &&
	    clang_isConstQualifiedType(clang_getCursorType(d)) && lower_eval_int(e, &v))
		return val_int(v);
	emit_read(L, p, e);
	return val_path(p);
}

static struct ir_val lower_cast(struct lower *L, CXCursor e)
{
	struct ir_val v = lower_expr(L, cast_operand(L, e));

	if (v.kind == IRV_INT && v.k == 0 && (expr_type(e) & IRT_POINTER))
		return (struct ir_val){ .kind = IRV_NULL };
	return v;
}

static struct ir_val lower_literal(struct lower *L, CXCursor e)
{
	int64_t v;

	/* most literals are written as such: reading them is cheaper than clang's evaluator */
	if (ma_ast_int_literal(L->tu, e, &v) || lower_eval_int(e, &v))
		return val_int(v);
	return val_unknown();
}

/* table[2] where table is a const global array with a constant initialiser. */
static int const_element(struct lower *L, CXCursor e, int64_t *out)
{
	struct kids k = { 0 }, init = { 0 };
	CXCursor d;
	CXType t;
	int64_t idx;
	int ok = 0;

	if (clang_getCursorKind(e) != CXCursor_ArraySubscriptExpr)
		return 0;
	kids_get(L, e, &k);
	if (k.n != 2 || clang_getCursorKind(peel(L, k.v[0])) != CXCursor_DeclRefExpr)
		goto out;
	d = clang_getCursorReferenced(peel(L, k.v[0]));
	t = clang_getCursorType(d);
	if (clang_getCursorKind(d) != CXCursor_VarDecl ||
	    clang_getCursorKind(clang_getCursorSemanticParent(d)) != CXCursor_TranslationUnit ||
	    t.kind != CXType_ConstantArray || !clang_isConstQualifiedType(clang_getArrayElementType(t)) ||
	    !lower_eval_int(k.v[1], &idx) || idx < 0)
		goto out;
	d = clang_Cursor_getVarDeclInitializer(d);
	if (clang_Cursor_isNull(d) || clang_getCursorKind(d) != CXCursor_InitListExpr)
		goto out;
	kids_get(L, d, &init);
	ok = idx < (int64_t)init.n && lower_eval_int(init.v[idx], out);
	kids_release(&init);
out:
	kids_release(&k);
	return ok;
}

static struct ir_val lower_access(struct lower *L, CXCursor e)
{
	ir_path p;
	int64_t k;

	if (const_element(L, e, &k))
		return val_int(k);
	p = lvalue_at(L, e, 0);

	if (!p)
		return val_unknown();
	if (L->f->paths[p].type & IRT_ARRAY)
		return (struct ir_val){ .kind = IRV_ADDR, .path = p };
	emit_read(L, p, e);
	return val_path(p);
}

static int mentions_va_list(CXType t)
{
	CXString a = clang_getTypeSpelling(t);
	CXString b = clang_getTypeSpelling(clang_getCanonicalType(t));
	int yes = strstr(clang_getCString(a), "va_list") || strstr(clang_getCString(b), "va_list");

	clang_disposeString(a);
	clang_disposeString(b);
	return yes;
}

/* libclang 14 does not expose va_arg(ap, T): it is an UnexposedExpr over
 * ap, like an implicit cast, but its value is the next argument, not ap. */
static int is_va_arg(CXCursor e, CXCursor child)
{
	CXType te = clang_getCursorType(e), tc = clang_getCursorType(child);

	return !clang_equalTypes(clang_getCanonicalType(te), clang_getCanonicalType(tc)) &&
	       mentions_va_list(tc) && !mentions_va_list(te);
}

static struct ir_val lower_dispatch(struct lower *L, CXCursor e)
{
	switch (clang_getCursorKind(e)) {
	case CXCursor_IntegerLiteral:
	case CXCursor_CharacterLiteral:
	case CXCursor_UnaryExpr:            /* sizeof, alignof: not evaluated */
		return lower_literal(L, e);
	case CXCursor_StringLiteral:
	case CXCursor_ObjCStringLiteral:
		return (struct ir_val){ .kind = IRV_STR };
	case CXCursor_GNUNullExpr:
	case CXCursor_CXXNullPtrLiteralExpr:
		return (struct ir_val){ .kind = IRV_NULL };
	case CXCursor_DeclRefExpr:
		return lower_ref(L, e);
	case CXCursor_ParenExpr:
		return lower_expr(L, only_child(L, e));
	case CXCursor_CompoundLiteralExpr:
		return lower_compound_literal(L, e);
	case CXCursor_UnexposedExpr: {
		CXCursor c = only_child(L, e);
		if (!clang_Cursor_isNull(c) && clang_isExpression(clang_getCursorKind(c))) {
			struct ir_val v = lower_expr(L, c);
			if (is_va_arg(e, c))
				return val_unknown();
			if (v.kind == IRV_INT && v.k == 0 && (expr_type(e) & IRT_POINTER))
				return (struct ir_val){ .kind = IRV_NULL };
			return v;
		}
		lower_children(L, e);
		return val_unknown();
	}
	case CXCursor_CStyleCastExpr:
	case CXCursor_CXXStaticCastExpr:
	case CXCursor_CXXReinterpretCastExpr:
	case CXCursor_CXXConstCastExpr:
	case CXCursor_CXXFunctionalCastExpr:
		return lower_cast(L, e);
	case CXCursor_UnaryOperator:
		return lower_unary(L, e);
	case CXCursor_BinaryOperator:
	case CXCursor_CompoundAssignOperator:
		return lower_binary(L, e);
	case CXCursor_ConditionalOperator:
		return lower_conditional(L, e);
	case CXCursor_CallExpr:
		return lower_call(L, e);
	case CXCursor_CXXNewExpr:
		return lower_new_delete(L, e, 1);
	case CXCursor_CXXDeleteExpr:
		return lower_new_delete(L, e, 0);
	case CXCursor_MemberRefExpr:
	case CXCursor_ArraySubscriptExpr:
		return lower_access(L, e);
	case CXCursor_StmtExpr: /* assert() in glibc, and ({ ... }) macros */
		lower_stmt_expr(L, e);
		return val_unknown();
	default:
		lower_children(L, e);
		return val_unknown();
	}
}

struct ir_val lower_expr(struct lower *L, CXCursor e)
{
	struct ir_val v;
	unsigned negated = L->negated;

	if (clang_Cursor_isNull(e) || lower_over_budget(L) || L->depth >= LOWER_MAX_DEPTH) {
		L->f->truncated |= L->depth >= LOWER_MAX_DEPTH;
		return val_unknown();
	}
	L->depth++;
	L->negated = 0; /* a value: tests inside it (x ? a : b, a && b) are their own */
	v = lower_dispatch(L, e);
	L->negated = negated;
	L->depth--;
	return v;
}

/* ------------------------------------------------------------------ */
/* Conditions                                                          */

/* An integer constant or variable: a test of those may be decided by the
 * values (flow_decided.c); only those need the flags below. */
static int plain_int(const struct lower *L, const struct ir_val *v)
{
	return v->kind == IRV_INT ||
	       (v->kind == IRV_PATH && L->f->paths[v->path].kind == IRP_VAR && (L->f->paths[v->path].type & IRT_INT));
}

/* Is the cursor's own location (an operator's) inside a macro's expansion? */
static int in_macro(CXCursor e)
{
	CXSourceLocation l = clang_getCursorLocation(e);
	unsigned spelled = 0, expanded = 0;
	CXFile sf, ef;

	clang_getSpellingLocation(l, &sf, NULL, NULL, &spelled);
	clang_getExpansionLocation(l, &ef, NULL, NULL, &expanded);
	return spelled != expanded || !clang_File_isEqual(sf, ef);
}

static void branch_on(struct lower *L, CXCursor e, uint8_t op, struct ir_val l, struct ir_val r,
		      uint32_t t, uint32_t f)
{
	struct ir_cond c = { .op = op, .l = l, .r = r };
	uint8_t saved = L->branch_flags;

	if (plain_int(L, &l) && plain_int(L, &r) && in_macro(e))
		L->branch_flags |= IRB_COND_MACRO;
	if (L->negated)
		L->branch_flags |= IRB_COND_NEGATED;
	lower_branch(L, c, lower_loc(L, e), t, f);
	L->branch_flags = saved;
}

static int lower_logical(struct lower *L, CXCursor e, const char *op, struct kids *k,
			 uint32_t t, uint32_t f)
{
	uint32_t mid;

	if (!strcmp(op, "&&")) {
		mid = ir_new_block(L->f);
		lower_cond(L, k->v[0], mid, f);
		L->cur = mid;
		lower_cond(L, k->v[1], t, f);
		return 1;
	}
	if (!strcmp(op, "||")) {
		mid = ir_new_block(L->f);
		lower_cond(L, k->v[0], t, mid);
		L->cur = mid;
		lower_cond(L, k->v[1], t, f);
		return 1;
	}
	if (!strcmp(op, ",")) {
		(void)lower_expr(L, k->v[0]);
		lower_cond(L, k->v[1], t, f);
		return 1;
	}
	(void)e;
	return 0;
}

/* An operand that makes a comparison unsigned: an unsigned type at least
 * as wide as int (narrower ones are promoted to int). */
static int compares_unsigned(CXCursor operand)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(operand));

	if (t.kind == CXType_Enum)
		t = clang_getCanonicalType(clang_getEnumDeclIntegerType(clang_getTypeDeclaration(t)));
	return (t.kind == CXType_UInt || t.kind == CXType_ULong || t.kind == CXType_ULongLong ||
		t.kind == CXType_UInt128);
}

static int lower_cond_binary(struct lower *L, CXCursor e, uint32_t t, uint32_t f)
{
	struct kids k = { 0 };
	char op[8];
	uint8_t cmp;
	int done = 0;

	kids_get(L, e, &k);
	if (k.n == 2 && lower_op(L, e, &k, op, sizeof(op))) {
		if (lower_logical(L, e, op, &k, t, f)) {
			done = 1;
		} else if (cmp_of(op, &cmp)) {
			struct ir_val l = lower_expr(L, k.v[0]);
			struct ir_val r = lower_expr(L, k.v[1]);
			uint8_t saved = L->branch_flags;
			if (plain_int(L, &l) && plain_int(L, &r) &&
			    (compares_unsigned(k.v[0]) || compares_unsigned(k.v[1])))
				L->branch_flags |= IRB_COND_UNSIGNED;
			branch_on(L, e, cmp, l, r, t, f);
			L->branch_flags = saved;
			done = 1;
		}
	}
	kids_release(&k);
	return done;
}

static int lower_cond_conditional(struct lower *L, CXCursor e, uint32_t t, uint32_t f)
{
	struct kids k = { 0 };
	uint32_t a, b;

	kids_get(L, e, &k);
	if (k.n != 3) {
		kids_release(&k);
		return 0;
	}
	a = ir_new_block(L->f);
	b = ir_new_block(L->f);
	lower_cond(L, k.v[0], a, b);
	L->cur = a;
	lower_cond(L, k.v[1], t, f);
	L->cur = b;
	lower_cond(L, k.v[2], t, f);
	kids_release(&k);
	return 1;
}

/*
 * A condition built from operators we cannot read (a macro like
 * IS_VALID(p), expanding to p != NULL && ...) may be a null test of the
 * pointers it reads; what either branch knows of them is then unknown.
 */
static void forget_tested_pointers(struct lower *L, CXCursor at, uint32_t first)
{
	uint32_t n = L->f->blocks[lower_cur(L)].nr_stmts;

	for (uint32_t i = first; i < n; i++) {
		struct ir_stmt *r = &L->f->blocks[L->cur].stmts[i], *s;
		ir_path p;
		if (r->op != IR_READ || !(L->f->paths[r->a.path].type & IRT_POINTER))
			continue;
		p = r->a.path;
		s = lower_emit(L, IR_FORGET, at);
		s->a = (struct ir_val){ .kind = IRV_PATH, .path = p };
	}
}

static void lower_cond_body(struct lower *L, CXCursor e, uint32_t t, uint32_t f);

static int is_logical_chain(struct lower *L, CXCursor e)
{
	char op[4];

	if (clang_getCursorKind(e) == CXCursor_UnaryOperator)
		return lower_op(L, e, NULL, op, sizeof(op)) && !strcmp(op, "!");
	return clang_getCursorKind(e) == CXCursor_BinaryOperator && lower_op(L, e, NULL, op, sizeof(op)) &&
	       (!strcmp(op, "&&") || !strcmp(op, "||"));
}

void lower_cond(struct lower *L, CXCursor e, uint32_t t, uint32_t f)
{
	int64_t k;

	e = peel(L, e);
	/* if (0), while (1), if (DEBUG && x): constants are folded at the
	 * leaves of && / || chains, so each part is evaluated once (folding
	 * every level of a long chain would cost quadratic time) */
	if (!is_logical_chain(L, e) && lower_eval_int(e, &k)) {
		lower_jump(L, k ? t : f);
		return;
	}
	L->cond_depth++;
	lower_cond_body(L, e, t, f);
	L->cond_depth--;
}

static int spelled_elsewhere(CXCursor c)
{
	unsigned spelled = 0, expanded = 0;
	CXSourceLocation l = clang_getRangeStart(clang_getCursorExtent(c));

	clang_getSpellingLocation(l, NULL, NULL, NULL, &spelled);
	clang_getExpansionLocation(l, NULL, NULL, NULL, &expanded);
	return spelled != expanded;
}

/*
 * __builtin_expect(x, v), as likely() and unlikely() write it: its value
 * is x's.  The test, or a null cursor.  Inside such a macro the operators
 * around the argument ((x) != 0, !!(x)) cannot be read (libclang gives
 * their text as the macro's name); they only keep x's truth, so the test
 * is the macro's argument itself, the outermost expression spelled at the
 * macro's use.  (libclang counts no arguments for a builtin's call: x is
 * the child after the callee.)
 */
static CXCursor expected_value(struct lower *L, CXCursor e)
{
	struct kids k = { 0 };
	CXCursor x = clang_getNullCursor();
	CXString n = clang_getCursorSpelling(e);

	if (!strcmp(clang_getCString(n), "__builtin_expect") ||
	    !strcmp(clang_getCString(n), "__builtin_expect_with_probability")) {
		kids_get(L, e, &k);
		if (k.n >= 2)
			x = k.v[1];
		kids_release(&k);
	}
	clang_disposeString(n);
	return x;
}

/* The test of __builtin_expect(x, v): x, or inside a macro whose operators
 * around x cannot be read ((a) != 0, !!(a)), the macro's argument a, when
 * it is spelled at the macro's use (not in another macro's body). */
static CXCursor expected_test(struct lower *L, CXCursor x)
{
	CXCursor px = peel(L, x), a;
	enum CXCursorKind k = clang_getCursorKind(px);
	char op[4];

	if ((k != CXCursor_BinaryOperator && k != CXCursor_UnaryOperator) || lower_op(L, px, NULL, op, sizeof(op)))
		return x; /* written out: read as it is */
	a = peel(L, ma_ast_child(px, 0));
	if (clang_getCursorKind(a) == CXCursor_UnaryOperator && k == CXCursor_UnaryOperator)
		a = peel(L, ma_ast_child(a, 0)); /* !!(a) */
	return !clang_Cursor_isNull(a) && spelled_elsewhere(a) ? a : x;
}

static void lower_cond_body(struct lower *L, CXCursor e, uint32_t t, uint32_t f)
{
	char op[4];
	struct ir_val v;
	uint32_t first;

	switch (clang_getCursorKind(e)) {
	case CXCursor_UnaryOperator:
		if (lower_op(L, e, NULL, op, sizeof(op)) && !strcmp(op, "!")) {
			L->negated ^= 1;
			lower_cond(L, only_child(L, e), f, t);
			L->negated ^= 1;
			return;
		}
		break;
	case CXCursor_BinaryOperator:
		if (lower_cond_binary(L, e, t, f))
			return;
		break;
	case CXCursor_ConditionalOperator:
		if (lower_cond_conditional(L, e, t, f))
			return;
		break;
	case CXCursor_CStyleCastExpr:
		lower_cond(L, cast_operand(L, e), t, f);
		return;
	case CXCursor_CallExpr: {
		CXCursor x = expected_value(L, e);
		if (!clang_Cursor_isNull(x)) { /* if (unlikely(p != NULL)): the test is p != NULL */
			CXCursor test = expected_test(L, x);
			L->in_expect_arg += !clang_equalCursors(test, x);
			lower_cond(L, test, t, f);
			L->in_expect_arg -= !clang_equalCursors(test, x);
			return;
		}
		break;
	}
	default:
		break;
	}
	first = L->f->blocks[lower_cur(L)].nr_stmts;
	v = lower_expr(L, e);
	if (v.kind == IRV_UNKNOWN)
		forget_tested_pointers(L, e, first);
	branch_on(L, e, IRC_NE, v, (v.kind == IRV_PATH && (L->f->paths[v.path].type & IRT_POINTER))
		  ? (struct ir_val){ .kind = IRV_NULL } : val_int(0), t, f);
}
