/*
 * unchecked-return: the result of a function that reports failure or a
 * short count only through its return value is thrown away (CWE-252):
 *   fread(buf, 1, n, fp);      fgets(line, sizeof(line), fp);
 *   scanf("%d", &x);           read(fd, buf, n);        setuid(uid);
 *
 * "Thrown away" means the call is a statement of its own: directly in a
 * block, or as the body of an if/else/while/for/do/case/label.  A cast to
 * (void) says it is deliberate and is not reported.
 * Misses: results stored in a variable that is then never read (that is
 * data flow), and wrappers around these functions.
 */
#include "engine.h"
#include "ast.h"

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

static int token_before_is(CXTranslationUnit tu, CXCursor c, const char *want)
{
	char tok[8];

	return ma_ast_token_before(tu, c, tok, sizeof(tok)) && !strcmp(tok, want);
}

/* Is the call in statement position, its value discarded? */
static int value_discarded(struct ma_visit *v, CXCursor call)
{
	CXCursor parent = ma_visit_parent(v, 0);
	unsigned idx = ma_visit_child_index(v), n;

	switch (clang_getCursorKind(parent)) {
	case CXCursor_CompoundStmt:
	case CXCursor_LabelStmt:
	case CXCursor_DefaultStmt:
		return 1;
	case CXCursor_CaseStmt:
		return idx > 0;
	case CXCursor_IfStmt:
	case CXCursor_WhileStmt:
		return idx > 0;  /* child 0 is the condition */
	case CXCursor_DoStmt:
		return idx == 0; /* child 0 is the body */
	case CXCursor_ForStmt:
		/* libclang omits empty for-clauses: the body is the last child,
		 * right after the ')' of the header */
		n = ma_ast_num_children(parent);
		return idx == n - 1 && token_before_is(ma_visit_tu(v), call, ")");
	default:
		return 0;
	}
}

static void match_call(struct ma_visit *v, CXCursor call)
{
	char fn[32];

	if (!value_discarded(v, call))
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

void check_unchecked_return(struct ma_engine *e, int id)
{
	my_id = id;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		ma_engine_on_call(e, id, table[i].name, match_call);
}
