/*
 * unused-variable: a local variable that is set but whose value is never
 * read (CWE-563).  Every value stored in it is lost: the result of the
 * call or computation that was meant to be checked or used is dropped.
 *
 *     int unuse;                       int rc = write_header(fp);
 *     unuse = a + b;    never read     rc++;          never read after
 *
 * Within one function, each reference to a local (or function-static)
 * variable is a set or a use.  Sets: the left side of `=`, the declaration's
 * initialiser, and updates: `x++`, `--x`, `x += k` whose own value is
 * thrown away (a statement of its own, a for's increment).  Anything else
 * is a use: a read, `&x`, `sizeof(x)`, a cast to (void), a member access,
 * an array element.  A variable with no use is reported when the code
 * works on its value: a local that is set and also updated, a function-
 * static assigned with `=`.  Left alone as deliberate: a local set once and
 * never read (`ret = f();` kept for a debugger or a test harness), and a
 * static only counted up (`static int calls; calls++;`, a breakpoint spot).
 * Left alone: parameters, globals, volatile variables, variables declared
 * inside a macro's expansion or marked unused, and functions too large to
 * track (more than MAX_VARS variables).
 * What compilers call -Wunused-but-set-variable; reads compiled out by
 * NDEBUG (assert(rc == 0)) leave the variable set-only here as there.
 */
#include "engine.h"
#include "ast.h"

#include <string.h>

static int my_id;

#define MAX_VARS 512   /* a power of two: the table is open-addressed */

struct var_use {
	CXCursor decl;      /* canonical; kind 0: empty slot */
	CXCursor first_set;
	unsigned hash;
	unsigned sets, updates, uses;  /* sets: =, initialisers; updates: ++, --, += ... */
	unsigned assigns;              /* sets by = */
	int ignored;
	int is_static;
};

static _Thread_local struct var_use vars[MAX_VARS];
static _Thread_local unsigned used[MAX_VARS / 2];  /* the slots in use, to clear them alone */
static _Thread_local unsigned nr_vars;
static _Thread_local int overflow;

static void match_function_begin(struct ma_visit *v, CXCursor fn)
{
	(void)v;
	(void)fn;
	for (unsigned i = 0; i < nr_vars; i++)
		vars[used[i]].decl.kind = 0;
	nr_vars = 0;
	overflow = 0;
}

static int attr_unused(const char *text, void *data)
{
	if (strstr(text, "unused") || strstr(text, "cleanup"))
		*(int *)data = 1;
	return *(int *)data;
}

/* A variable of this function worth tracking: a local (not a parameter)
 * or a function-static, not volatile, spelled outside macros. */
static int candidate(CXTranslationUnit tu, CXCursor decl)
{
	CXSourceLocation l = clang_getCursorLocation(decl);
	unsigned spelled = 0, expanded = 0;
	int marked = 0;
	enum CXCursorKind pk = clang_getCursorKind(clang_getCursorSemanticParent(decl));

	if (clang_getCursorKind(decl) != CXCursor_VarDecl || pk != CXCursor_FunctionDecl ||
	    clang_getCursorLinkage(decl) == CXLinkage_External ||
	    clang_isVolatileQualifiedType(clang_getCursorType(decl)))
		return 0;
	clang_getSpellingLocation(l, NULL, NULL, NULL, &spelled);
	clang_getExpansionLocation(l, NULL, NULL, NULL, &expanded);
	if (spelled != expanded)
		return 0;
	ma_ast_each_attribute(tu, decl, attr_unused, &marked);
	return !marked;
}

static struct var_use *slot(struct ma_visit *v, CXCursor decl)
{
	unsigned h = clang_hashCursor(decl), i = h & (MAX_VARS - 1);

	while (vars[i].decl.kind) {
		if (vars[i].hash == h && clang_equalCursors(vars[i].decl, decl))
			return &vars[i];
		i = (i + 1) & (MAX_VARS - 1);
	}
	if (2 * (nr_vars + 1) > MAX_VARS) {
		overflow = 1;
		return NULL;
	}
	used[nr_vars++] = i;
	vars[i] = (struct var_use){ .decl = decl, .hash = h, .first_set = clang_getNullCursor() };
	vars[i].ignored = !candidate(ma_visit_tu(v), decl);
	vars[i].is_static = clang_Cursor_getStorageClass(decl) == CX_SC_Static;
	return &vars[i];
}

static void note_set(struct var_use *u, CXCursor at)
{
	if (!u->sets++)
		u->first_set = at;
}

/*
 * Is the value of the expression `up` levels above the reference thrown
 * away?  It is when that expression is a statement of its own (in a
 * block, a label, a case, an if's or loop's body) or a for's increment.
 */
static int discarded(struct ma_visit *v, unsigned up)
{
	CXCursor p = ma_visit_parent(v, up + 1);
	unsigned idx = ma_visit_parent_child_index(v, up);
	char b[4], a[4];

	switch (clang_getCursorKind(p)) {
	case CXCursor_CompoundStmt:
	case CXCursor_LabelStmt:
	case CXCursor_DefaultStmt:
		return 1;
	case CXCursor_CaseStmt:
	case CXCursor_IfStmt:
	case CXCursor_WhileStmt:
		return idx > 0;
	case CXCursor_DoStmt:
		return idx == 0;
	case CXCursor_ForStmt: /* not the condition: the clause between the two ';' */
		return !(ma_ast_token_before(ma_visit_tu(v), ma_visit_parent(v, up), b, sizeof(b)) && !strcmp(b, ";") &&
			 ma_ast_token_after(ma_visit_tu(v), ma_visit_parent(v, up), a, sizeof(a)) && !strcmp(a, ";"));
	default:
		return 0;
	}
}

/* How the reference is used: 0 a use, SET_ASSIGN or SET_UPDATE. */
enum { SET_ASSIGN = 1, SET_UPDATE = 2 };

static int set_kind(struct ma_visit *v, CXCursor ref)
{
	CXTranslationUnit tu = ma_visit_tu(v);
	unsigned up = 0, idx = ma_visit_child_index(v);
	CXCursor p;

	for (p = ma_visit_parent(v, 0); clang_getCursorKind(p) == CXCursor_ParenExpr; p = ma_visit_parent(v, ++up))
		idx = ma_visit_parent_child_index(v, up);
	/* a reference that is a direct operand is an lvalue: the others are read
	 * through a conversion (an UnexposedExpr) first */
	switch (clang_getCursorKind(p)) {
	case CXCursor_BinaryOperator: /* x = ... (x, y: a value thrown away, as good) */
		return idx == 0 ? SET_ASSIGN : 0;
	case CXCursor_CompoundAssignOperator:
		return idx == 0 && discarded(v, up) ? SET_UPDATE : 0;
	case CXCursor_UnaryOperator: { /* x++, ++x, x--, --x, or &x */
		int c = ma_ast_first_char(tu, p);
		int postfix = clang_equalLocations(clang_getCursorLocation(p),
						   clang_getCursorLocation(up ? ma_visit_parent(v, up - 1) : ref));
		return (postfix || c == '+' || c == '-') && c != '&' && discarded(v, up) ? SET_UPDATE : 0;
	}
	default:
		return 0;
	}
}

static void match_ref(struct ma_visit *v, CXCursor ref)
{
	CXCursor decl = ma_visit_referenced(v, ref);
	struct var_use *u;
	int kind;

	if (overflow || clang_getCursorKind(decl) != CXCursor_VarDecl)
		return;
	if (!(u = slot(v, clang_getCanonicalCursor(decl))) || u->ignored)
		return;
	if (!(kind = set_kind(v, ref))) {
		u->uses++;
		return;
	}
	if (kind == SET_UPDATE) {
		u->updates++;
	} else {
		u->assigns++;
		note_set(u, ma_visit_parent(v, 0));
	}
}

/* int x = f();  counts as a set of x */
static void match_decl(struct ma_visit *v, CXCursor decl)
{
	struct var_use *u;

	if (overflow || clang_Cursor_isNull(clang_Cursor_getVarDeclInitializer(decl)))
		return;
	if ((u = slot(v, clang_getCanonicalCursor(decl))) && !u->ignored)
		note_set(u, decl);
}

static void match_function_end(struct ma_visit *v, CXCursor fn)
{
	(void)fn;
	if (overflow)
		return;
	for (unsigned k = 0; k < nr_vars; k++) {
		const struct var_use *u = &vars[used[k]];
		CXString name;
		/* a value set once and dropped (ret = f(); in a test harness, a
		 * result kept for a debugger) is common and deliberate, and so is
		 * a static counter nothing reads (static int calls; calls++; to
		 * break on in a debugger); a local that is also updated, or a
		 * static assigned anew on each call, is computed for nothing */
		if (u->ignored || u->uses || (u->is_static ? !u->assigns : !u->updates))
			continue;
		/* at the first assignment, or the declaration when there is none */
		name = clang_getCursorSpelling(u->decl);
		ma_report(v, my_id, u->sets ? u->first_set : u->decl,
			  "'%s' is set but never read: the value%s stored in it %s lost", clang_getCString(name),
			  u->sets + u->updates > 1 ? "s" : "", u->sets + u->updates > 1 ? "are" : "is");
		clang_disposeString(name);
	}
}

void check_unused_variable(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_function_begin(e, id, match_function_begin);
	ma_engine_on_kind(e, id, CXCursor_DeclRefExpr, match_ref);
	ma_engine_on_kind(e, id, CXCursor_VarDecl, match_decl);
	ma_engine_on_function_end(e, id, match_function_end);
}
