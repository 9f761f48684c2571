/*
 * pow-out-of-range: pow() (or powf, powl) whose arguments are constants
 * that make the result overflow to infinity or underflow to zero
 * (CWE-190 / CWE-191 for floating point):
 *
 *     double base = 1e36;           double base = 3.6e-36;
 *     double e = 20000;             double e = 2000;
 *     ans = pow(base, e);   inf     ans = pow(base, e);     0
 *
 * An argument counts as constant when it is a constant expression, or a
 * local variable of the function initialised with one and never assigned,
 * incremented or given away by address afterwards.  The call is then
 * computed here, in the same floating type, and reported when finite
 * arguments give an infinite result, or a non-zero base gives zero or a
 * subnormal number (all precision lost).  A NaN (a negative base with a
 * fractional exponent) is not reported: that is a domain question, not a
 * range one.  Often the constant itself is the mistake: 10^36 is XOR in C,
 * not a power of ten.
 * Misses: values that are not constants of the function (parameters,
 * results of calls, globals).
 */
#include "engine.h"
#include "ast.h"

#include <float.h>
#include <math.h>
#include <string.h>

static int my_id;

static int evaluate(CXCursor e, double *out)
{
	CXEvalResult r = clang_Cursor_Evaluate(e);
	int ok = 1;

	if (!r)
		return 0;
	switch (clang_EvalResult_getKind(r)) {
	case CXEval_Int:
		*out = clang_EvalResult_isUnsignedInt(r) ? (double)clang_EvalResult_getAsUnsigned(r)
							 : (double)clang_EvalResult_getAsLongLong(r);
		break;
	case CXEval_Float:
		*out = clang_EvalResult_getAsDouble(r);
		break;
	default:
		ok = 0;
	}
	clang_EvalResult_dispose(r);
	return ok;
}

struct changes {
	CXTranslationUnit tu;
	CXCursor var;
	int changed;
};

/* The left operand starts where its operator expression starts. */
static int is_left_operand(CXCursor parent, CXCursor c)
{
	return clang_equalLocations(clang_getRangeStart(clang_getCursorExtent(parent)),
				    clang_getRangeStart(clang_getCursorExtent(c)));
}

/* Is the reference at c, under parent, a change of the variable? */
static int changes_var(CXTranslationUnit tu, CXCursor parent, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(parent);
	char op[4];

	if (k == CXCursor_CompoundAssignOperator)
		return is_left_operand(parent, c);
	if (k == CXCursor_BinaryOperator)
		return is_left_operand(parent, c) && ma_ast_binary_op(tu, parent, op, sizeof(op)) && !strcmp(op, "=");
	if (k == CXCursor_UnaryOperator)
		return ma_ast_unary_op(tu, parent, op, sizeof(op)) &&
		       (!strcmp(op, "++") || !strcmp(op, "--") || !strcmp(op, "&"));
	return 0;
}

static enum CXChildVisitResult find_change(CXCursor c, CXCursor parent, CXClientData data)
{
	struct changes *q = data;

	if (clang_getCursorKind(c) == CXCursor_DeclRefExpr &&
	    clang_equalCursors(clang_getCanonicalCursor(clang_getCursorReferenced(c)), q->var) &&
	    changes_var(q->tu, parent, c)) {
		q->changed = 1;
		return CXChildVisit_Break;
	}
	return CXChildVisit_Recurse;
}

/* The value of an argument: a constant, or a local that keeps its constant initialiser. */
static int constant_arg(struct ma_visit *v, CXCursor arg, double *out)
{
	CXCursor e = ma_ast_strip(arg), var, init;
	struct changes q = { ma_visit_tu(v), clang_getNullCursor(), 0 };

	if (clang_getCursorKind(e) != CXCursor_DeclRefExpr)
		return evaluate(e, out);
	var = clang_getCursorReferenced(e);
	if (clang_getCursorKind(var) != CXCursor_VarDecl || !ma_ast_is_automatic_var(var) ||
	    clang_isVolatileQualifiedType(clang_getCursorType(var)))
		return 0;
	init = clang_Cursor_getVarDeclInitializer(var);
	if (clang_Cursor_isNull(init) || !evaluate(init, out))
		return 0;
	q.var = clang_getCanonicalCursor(var);
	clang_visitChildren(ma_visit_function(v), find_change, &q);
	return !q.changed;
}

static void match_pow(struct ma_visit *v, CXCursor call)
{
	char fn[8];
	double base, expo, r, tiny;

	if (ma_ast_num_args(call) != 2 || !constant_arg(v, clang_Cursor_getArgument(call, 0), &base) ||
	    !constant_arg(v, clang_Cursor_getArgument(call, 1), &expo) || !isfinite(base) || !isfinite(expo))
		return;
	ma_ast_callee_name(call, fn, sizeof(fn));
	if (!strcmp(fn, "powf")) {
		r = powf((float)base, (float)expo);
		tiny = FLT_MIN;
	} else {
		r = pow(base, expo); /* powl: a double stands in; its range is wider, so fewer findings */
		tiny = !strcmp(fn, "powl") ? 0 : DBL_MIN;
	}
	if (isinf(r))
		ma_report(v, my_id, call, "'%s(%g, %g)' overflows: the result is too large for its type (infinity)",
			  fn, base, expo);
	else if (base != 0 && !isnan(r) && fabs(r) < tiny)
		ma_report(v, my_id, call, "'%s(%g, %g)' underflows: the result is too small for its type (%s)",
			  fn, base, expo, r == 0 ? "zero" : "a subnormal number");
}

void check_pow_out_of_range(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_call(e, id, "pow", match_pow);
	ma_engine_on_call(e, id, "powf", match_pow);
	ma_engine_on_call(e, id, "powl", match_pow);
}
