/*
 * unchecked-return: the result of a function that reports failure or a
 * short count only through its return value is thrown away (CWE-252):
 *   fread(buf, 1, n, fp);      fgets(line, sizeof(line), fp);
 *   scanf("%d", &x);           read(fd, buf, n);        setuid(uid);
 *
 * "Thrown away" means the call is a statement of its own: directly in a
 * block, or as the body of an if/else/while/for/do/case/default/label,
 * a for-loop's init or increment clause, or the left side of a comma.  A
 * cast to (void) says it is deliberate and is not reported.
 * Misses: results stored in a variable that is then never read (that is
 * data flow), wrappers around these functions, and calls through a
 * parenthesised name or a function pointer.
 *
 * The data-flow half: a call to a function of this unit whose only effect
 * is its result (its summary: no store the caller sees, no call with
 * effects, no volatile read), with the result dropped.  Such a call does
 * nothing at all; the value it computes was meant to be used.  Calls cast
 * to (void) and calls in code that never runs are left alone.
 */
#include "engine.h"
#include "ast.h"
#include "flow.h"

#include <string.h>

static int my_id;

struct must_check {
	const char *name;
	const char *consequence;
};

static const struct must_check table[] = {
	{ "fread", "a short read leaves the rest of the buffer unset" },
	{ "fgets", "at end of input or on error the buffer keeps its old contents" },
	{ "fgetws", "at end of input or on error the buffer keeps its old contents" },
	{ "scanf", "on a failed conversion the targets stay unset" },
	{ "fscanf", "on a failed conversion the targets stay unset" },
	{ "sscanf", "on a failed conversion the targets stay unset" },
	{ "vscanf", "on a failed conversion the targets stay unset" },
	{ "vfscanf", "on a failed conversion the targets stay unset" },
	{ "vsscanf", "on a failed conversion the targets stay unset" },
	{ "read", "a short or failed read leaves the buffer partly unset" },
	{ "pread", "a short or failed read leaves the buffer partly unset" },
	{ "recv", "a short or failed receive leaves the buffer partly unset" },
	{ "recvfrom", "a short or failed receive leaves the buffer partly unset" },
	{ "recvmsg", "a short or failed receive leaves the buffer partly unset" },
	{ "setuid", "if it fails the program keeps its privileges" },
	{ "setgid", "if it fails the program keeps its privileges" },
	{ "seteuid", "if it fails the program keeps its privileges" },
	{ "setegid", "if it fails the program keeps its privileges" },
	{ "setreuid", "if it fails the program keeps its privileges" },
	{ "setregid", "if it fails the program keeps its privileges" },
	{ "setresuid", "if it fails the program keeps its privileges" },
	{ "setresgid", "if it fails the program keeps its privileges" },
};

static int neighbours_are(CXTranslationUnit tu, CXCursor c, const char *before, const char *after)
{
	char b[8], a[8];

	return ma_ast_token_before(tu, c, b, sizeof(b)) && !strcmp(b, before) &&
	       ma_ast_token_after(tu, c, a, sizeof(a)) && !strcmp(a, after);
}

/*
 * Is the value of the expression `up` levels above the call (0: the call
 * itself) thrown away?  It is when the expression is a statement of its
 * own, or the left of a comma; the right of a comma or parentheses pass
 * the question up one level.
 */
static int value_discarded(struct ma_visit *v, CXCursor call, unsigned up)
{
	CXCursor parent = ma_visit_parent(v, up);
	CXCursor self = up ? ma_visit_parent(v, up - 1) : call;
	unsigned idx = up ? ma_visit_parent_child_index(v, up - 1) : ma_visit_child_index(v);
	char op[4];

	switch (clang_getCursorKind(parent)) {
	case CXCursor_CompoundStmt:
	case CXCursor_LabelStmt:
	case CXCursor_DefaultStmt:
		return 1;
	case CXCursor_CaseStmt:   /* child 0 is the case value */
	case CXCursor_IfStmt:     /* child 0 is the condition */
	case CXCursor_WhileStmt:
		return idx > 0;
	case CXCursor_DoStmt:
		return idx == 0;  /* child 0 is the body */
	case CXCursor_ForStmt:
		/* libclang omits empty clauses, so tell them by their tokens: only
		 * the condition sits between two ';' */
		return !neighbours_are(ma_visit_tu(v), self, ";", ";");
	case CXCursor_ParenExpr:
		return value_discarded(v, call, up + 1);
	case CXCursor_BinaryOperator:
		if (!ma_ast_binary_op(ma_visit_tu(v), parent, op, sizeof(op)) || strcmp(op, ","))
			return 0;
		return idx == 0 || value_discarded(v, call, up + 1);
	default:
		return 0;
	}
}

static void match_call(struct ma_visit *v, CXCursor call)
{
	char fn[32];

	if (!value_discarded(v, call, 0))
		return;
	ma_ast_callee_name(call, fn, sizeof(fn));
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (!strcmp(fn, table[i].name)) {
			ma_report(v, my_id, call, "return value of '%s' is ignored; %s", fn,
				  table[i].consequence);
			return;
		}
	}
}

static void match_end(struct flow_cx *cx)
{
	const struct ir_func *f = flow_func(cx);

	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		if (!(flow_block_seen(cx, b) & FLOW_BLOCK_REACHED))
			continue;
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			if (s->op != IR_CALL || !(s->flags & IRS_DISCARDED) || !flow_call_has_no_effect(cx, s))
				continue;
			flow_report(cx, my_id, s->loc, "return value of '%s' is ignored; the call has no other effect, "
				    "so it does nothing", ir_string(flow_tu(cx), s->callee));
		}
	}
}

void check_unchecked_return(struct ma_engine *e, int id)
{
	my_id = id;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		ma_engine_on_call(e, id, table[i].name, match_call);
	flow_on_end(ma_engine_flow(e), id, match_end);
}
