/*
 * function-pointer-mismatch: a call through a function pointer that holds
 * a function of another type (CWE-686).  C lets a cast turn any function
 * into any function pointer, but calling it through a pointer of an
 * incompatible type is undefined: the callee reads arguments that were
 * never passed, or in another register, and the caller reads a result
 * that was never returned.
 *
 *     int twice(int x);
 *     int (*fp)(int *) = (int (*)(int *))twice;
 *     fp(&n);                            twice() gets a pointer as an int
 *
 *     void reset(struct s *);
 *     cb = (int (*)(struct s *))reset;   (cb a global, set in this function)
 *     r = cb(p);                         reset() returns nothing to read
 *
 * The checker follows, in source order within one function, which
 * function each function-pointer variable was last given: by a plain
 * assignment or initialiser (through casts and &), or as a copy of
 * another such variable.  Any other assignment forgets it.  At a call
 * through the variable, the type the call uses (the pointer's, or a cast
 * written at the call) is compared with the function's:
 *   - return types, and the number and types of parameters when both are
 *     prototyped (an unprototyped `int (*)()` says nothing of them);
 *   - qualifiers are ignored, integers of one size agree (int and
 *     unsigned, an enum and its integer type: passed alike), and a
 *     void pointer matches any object pointer (the callback idiom
 *     `void (*)(void *)` for `free_node(struct node *)`).
 * Misses: pointers set in another function (a global assigned in an init
 * routine), stored in struct fields or arrays, or passed as arguments;
 * source order is not path order, so a branch that sets the pointer to a
 * compatible function on some paths hides the others.
 */
#include "engine.h"
#include "ast.h"

#include <string.h>

static int my_id;

#define MAX_TRACKED 32

/* What a function-pointer variable was last given in this function. */
struct target {
	CXCursor var;    /* canonical VarDecl / ParmDecl */
	CXCursor fn;     /* the FunctionDecl it points to */
	CXCursor set_at; /* the assignment or declaration that gave it */
};

static _Thread_local struct target tracked[MAX_TRACKED];
static _Thread_local unsigned nr_tracked;

static void match_function_begin(struct ma_visit *v, CXCursor fn)
{
	(void)v;
	(void)fn;
	nr_tracked = 0;
}

static struct target *find_target(CXCursor var)
{
	for (unsigned i = 0; i < nr_tracked; i++)
		if (clang_equalCursors(tracked[i].var, var))
			return &tracked[i];
	return NULL;
}

static void forget(CXCursor var)
{
	struct target *t = find_target(var);

	if (t)
		*t = tracked[--nr_tracked];
}

static void remember(CXCursor var, CXCursor fn, CXCursor at)
{
	struct target *t = find_target(var);

	if (!t && nr_tracked < MAX_TRACKED)
		t = &tracked[nr_tracked++];
	if (t)
		*t = (struct target){ var, fn, at };
}

static int is_function_type(CXType t)
{
	return t.kind == CXType_FunctionProto || t.kind == CXType_FunctionNoProto;
}

/* The function type a pointer (or function) type designates, or an invalid type. */
static CXType function_of(CXType t)
{
	t = clang_getCanonicalType(t);
	if (t.kind == CXType_Pointer)
		t = clang_getCanonicalType(clang_getPointeeType(t));
	if (!is_function_type(t))
		t.kind = CXType_Invalid;
	return t;
}

/* The variable an expression names (after parentheses and conversions), canonical; or null. */
static CXCursor named_var(CXCursor e)
{
	CXCursor d = ma_ast_referenced(e);
	enum CXCursorKind k = clang_getCursorKind(d);

	if (k != CXCursor_VarDecl && k != CXCursor_ParmDecl)
		return clang_getNullCursor();
	return clang_getCanonicalCursor(d);
}

/* ---------------------------------------------------------------- types */

static int fn_types_agree(CXType called, CXType actual);
static int types_agree(CXType a, CXType b);

static int is_integer_type(CXType t)
{
	return (t.kind >= CXType_Bool && t.kind <= CXType_Int128) || t.kind == CXType_Enum;
}

static int is_array_type(CXType t)
{
	return t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
	       t.kind == CXType_VariableArray;
}

/* T[] and T[n] are compatible; T[n] and T[m] are not. */
static int arrays_agree(CXType a, CXType b)
{
	if (a.kind == CXType_ConstantArray && b.kind == CXType_ConstantArray &&
	    clang_getArraySize(a) != clang_getArraySize(b))
		return 0;
	return types_agree(clang_getArrayElementType(a), clang_getArrayElementType(b));
}

static int types_agree(CXType a, CXType b)
{
	a = clang_getCanonicalType(a);
	b = clang_getCanonicalType(b);
	/* int and unsigned, an enum and its integer type: passed and returned alike */
	if (is_integer_type(a) && is_integer_type(b))
		return clang_Type_getSizeOf(a) == clang_Type_getSizeOf(b);
	if (is_array_type(a) && is_array_type(b))
		return arrays_agree(a, b);
	if (a.kind != b.kind)
		return 0;
	switch (a.kind) {
	case CXType_Pointer: {
		CXType pa = clang_getCanonicalType(clang_getPointeeType(a));
		CXType pb = clang_getCanonicalType(clang_getPointeeType(b));
		if (pa.kind == CXType_Void || pb.kind == CXType_Void)
			return 1;
		if (is_function_type(pa) && is_function_type(pb))
			return fn_types_agree(pa, pb);
		return types_agree(pa, pb);
	}
	case CXType_Record:
		return clang_equalCursors(clang_getCanonicalCursor(clang_getTypeDeclaration(a)),
					  clang_getCanonicalCursor(clang_getTypeDeclaration(b)));
	default:
		return 1; /* the same builtin kind */
	}
}

static int fn_types_agree(CXType called, CXType actual)
{
	int n;

	if (!types_agree(clang_getResultType(called), clang_getResultType(actual)))
		return 0;
	if (called.kind != CXType_FunctionProto || actual.kind != CXType_FunctionProto)
		return 1;
	n = clang_getNumArgTypes(called);
	if (n != clang_getNumArgTypes(actual) ||
	    clang_isFunctionTypeVariadic(called) != clang_isFunctionTypeVariadic(actual))
		return 0;
	for (int i = 0; i < n; i++)
		if (!types_agree(clang_getArgType(called, (unsigned)i), clang_getArgType(actual, (unsigned)i)))
			return 0;
	return 1;
}

/* What differs, for the message. */
static const char *difference(CXType called, CXType actual)
{
	if (!types_agree(clang_getResultType(called), clang_getResultType(actual)))
		return "its return type differs";
	if (clang_getNumArgTypes(called) != clang_getNumArgTypes(actual) ||
	    clang_isFunctionTypeVariadic(called) != clang_isFunctionTypeVariadic(actual))
		return "it takes a different number of parameters";
	return "its parameter types differ";
}

/* ---------------------------------------------------------------- assignments */

/*
 * A function used as a value (not called): if it is what a variable is
 * given (v = f, v = (T)&f, T v = f), remember it.  Parentheses, casts and
 * & between the name and the assignment are walked up through.
 */
static void match_function_ref(struct ma_visit *v, CXCursor ref)
{
	CXCursor fn = ma_visit_referenced(v, ref), p, var;
	unsigned up = 0;
	enum CXCursorKind k;

	if (clang_getCursorKind(fn) != CXCursor_FunctionDecl)
		return;
	for (;; up++) {
		p = ma_visit_parent(v, up);
		k = clang_getCursorKind(p);
		if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr &&
		    k != CXCursor_CStyleCastExpr && k != CXCursor_UnaryOperator)
			break;
	}
	if (k == CXCursor_VarDecl) {
		var = clang_getCanonicalCursor(p);
	} else if (k == CXCursor_BinaryOperator && (up ? ma_visit_parent_child_index(v, up - 1)
						       : ma_visit_child_index(v)) == 1) {
		char op[4];
		if (!ma_ast_binary_op(ma_visit_tu(v), p, op, sizeof(op)) || strcmp(op, "="))
			return;
		var = named_var(ma_ast_child(p, 0));
	} else {
		return;
	}
	if (!clang_Cursor_isNull(var) && function_of(clang_getCursorType(var)).kind != CXType_Invalid)
		remember(var, fn, p);
}

/* v = w, w tracked: v now holds w's function; v = anything else: forgotten
 * (a function name on the right is remembered by match_function_ref, which
 * runs after this, on the name). */
static void assigned(CXCursor var, CXCursor value, CXCursor at)
{
	CXCursor from = named_var(ma_ast_strip_casts(value));
	struct target *t = clang_Cursor_isNull(from) ? NULL : find_target(from);

	if (t)
		remember(var, t->fn, at);
	else
		forget(var);
}

static void match_assign(struct ma_visit *v, CXCursor op)
{
	CXCursor var;
	char s[4];

	if (!nr_tracked)
		return;
	var = named_var(ma_ast_child(op, 0));
	if (clang_Cursor_isNull(var) || function_of(clang_getCursorType(var)).kind == CXType_Invalid ||
	    !ma_ast_binary_op(ma_visit_tu(v), op, s, sizeof(s)) || strcmp(s, "="))
		return;
	assigned(var, ma_ast_child(op, 1), op);
}

static void match_var_decl(struct ma_visit *v, CXCursor decl)
{
	unsigned n;

	(void)v;
	if (!nr_tracked || function_of(clang_getCursorType(decl)).kind == CXType_Invalid)
		return;
	n = ma_ast_num_children(decl);
	if (n) /* the initialiser is the last child (type references come first) */
		assigned(clang_getCanonicalCursor(decl), ma_ast_child(decl, n - 1), decl);
}

/* ---------------------------------------------------------------- calls */

static void report(struct ma_visit *v, CXCursor call, const struct target *t, CXType called, CXType actual)
{
	CXString var = clang_getCursorSpelling(t->var), fn = clang_getCursorSpelling(t->fn);
	CXString ct = clang_getTypeSpelling(called), at = clang_getTypeSpelling(actual);
	struct ma_finding *f;

	f = ma_report(v, my_id, call, "'%s' is called as '%s' but points to '%s', a '%s': %s",
		      clang_getCString(var), clang_getCString(ct), clang_getCString(fn),
		      clang_getCString(at), difference(called, actual));
	ma_report_event(v, f, t->set_at, "'%s' is given '%s' here", clang_getCString(var),
			clang_getCString(fn));
	clang_disposeString(var);
	clang_disposeString(fn);
	clang_disposeString(ct);
	clang_disposeString(at);
}

static void match_call(struct ma_visit *v, CXCursor call)
{
	CXCursor callee, inner, var;
	const struct target *t;
	CXType called, actual;
	char op[4];

	if (!nr_tracked || clang_getCursorKind(clang_getCursorReferenced(call)) == CXCursor_FunctionDecl)
		return;
	callee = ma_ast_strip(ma_ast_child(call, 0));
	called = function_of(clang_getCursorType(callee));
	inner = ma_ast_strip_casts(callee);
	if (clang_getCursorKind(inner) == CXCursor_UnaryOperator && /* (*fp)(x) */
	    ma_ast_unary_op(ma_visit_tu(v), inner, op, sizeof(op)) && !strcmp(op, "*"))
		inner = ma_ast_strip_casts(ma_ast_child(inner, 0));
	var = named_var(inner);
	if (called.kind == CXType_Invalid || clang_Cursor_isNull(var) || !(t = find_target(var)))
		return;
	actual = clang_getCanonicalType(clang_getCursorType(t->fn));
	if (is_function_type(actual) && !fn_types_agree(called, actual))
		report(v, call, t, called, actual);
}

void check_function_pointer_mismatch(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_function_begin(e, id, match_function_begin);
	ma_engine_on_kind(e, id, CXCursor_DeclRefExpr, match_function_ref);
	ma_engine_on_kind(e, id, CXCursor_BinaryOperator, match_assign);
	ma_engine_on_kind(e, id, CXCursor_VarDecl, match_var_decl);
	ma_engine_on_kind(e, id, CXCursor_CallExpr, match_call);
}
