/*
 * dangerous-function: calls to C library functions that cannot be used
 * safely (CWE-242/CWE-676).
 *
 *  - gets(): cannot bound its input, removed from C11.             error
 *  - getpw(), getwd(): write an unbounded result into the caller's
 *    buffer.                                                       error
 *  - mktemp(), tmpnam(), tempnam(): the name they return can be
 *    claimed by another process before it is opened (CWE-377).     warning
 *
 * Deliberately not reported: strcpy/strcat/sprintf.  They are safe
 * whenever the sizes are known, and a rule that fires on every use trains
 * users to ignore it; overflows are the business of the buffer checkers.
 *
 * Misses: calls through function pointers, and these functions reached by
 * another name (a wrapper or a #define to something else).
 */
#include "engine.h"
#include "ast.h"
#include "../../core/finding.h"

#include <string.h>

static int my_id;

struct dangerous {
	const char *name;
	const char *why;
	const char *instead;
	int is_race; /* a time-of-check/time-of-use race rather than an overflow */
};

static const struct dangerous table[] = {
	{ "gets", "cannot limit how much it reads", "fgets(buf, sizeof(buf), stdin)", 0 },
	{ "getpw", "cannot limit how much it writes", "getpwuid_r()", 0 },
	{ "getwd", "cannot limit how much it writes", "getcwd(buf, sizeof(buf))", 0 },
	{ "mktemp", "returns a name another process can create first", "mkstemp()", 1 },
	{ "tmpnam", "returns a name another process can create first", "mkstemp() or tmpfile()", 1 },
	{ "tempnam", "returns a name another process can create first", "mkstemp()", 1 },
};

static void match_call(struct ma_visit *v, CXCursor call)
{
	char name[64];
	struct ma_finding *f;

	ma_ast_callee_name(call, name, sizeof(name));
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (strcmp(name, table[i].name))
			continue;
		f = ma_report(v, my_id, call, "'%s' %s; use %s instead", name, table[i].why,
			      table[i].instead);
		if (f && table[i].is_race)
			f->severity = MA_SEV_WARNING;
		return;
	}
}

void check_dangerous_function(struct ma_engine *e, int id)
{
	my_id = id;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		ma_engine_on_call(e, id, table[i].name, match_call);
}
