/*
 * check_template.c: an example checker to copy when starting a rule.  It is
 * compiled (so it keeps up with engine.h) but not registered: there is no
 * CK(check_template) line in check_list.h and no rules/template.json, so it
 * never runs.  The checklist for a real rule is at the top of check_list.h.
 *
 * The example, after smatch's check_template.c: a function that calls
 * pthread_mutex_lock() more often than pthread_mutex_unlock() probably
 * returns with a lock held.
 *
 * The shape every checker follows:
 *   - `static int my_id`, set by the registration function;
 *   - static match_*() callbacks, one per hook;
 *   - one exported check_<rule>() that only registers hooks.  Hooks come by
 *     callee name (ma_engine_on_call), by cursor kind (ma_engine_on_kind),
 *     and at the start and end of each function.
 * State kept between callbacks must be _Thread_local: the engine's workers
 * are threads running at once, each walking whole functions, so per-thread
 * state reset at function begin is per-function state.
 *
 * What a simple cursor checker like this one misses, and why the real
 * checkers stick to facts visible at one cursor:
 *   - Paths.  It counts calls in source order, not along paths:
 *         lock(m); if (err) return -1; unlock(m);
 *     balances by count, yet the error path returns with m held; and
 *         if (a) lock(m); ...; if (a) unlock(m);
 *     is fine but a path-insensitive rule cannot prove it.  That needs a
 *     control-flow graph with per-path state (smatch's "states").
 *   - Values.  It sees names, not what they denote: lock(a); unlock(b)
 *     balances, and so does p = &m; lock(p); unlock(&m) by accident.
 *   - Loops.  A lock inside a loop body counts once however often it runs.
 *   - Other functions.  A helper that unlocks for its caller, a function
 *     that returns locked by design, wrappers (my_lock()), function pointers
 *     and macros that expand to other names are all invisible.
 * Each of these is a false positive or a false negative; document the ones
 * your rule accepts in its header comment, in docs/rules/<id>.md, and pin
 * them with good.c/bad.c fixtures (fixtures/README.md).
 */
#include "engine.h"
#include "ast.h"     /* the cursor helpers most checkers need */

static int my_id;

/* Per worker thread, reset for each function (see above). */
static _Thread_local int held;
static _Thread_local CXCursor last_lock;

static void match_function_begin(struct ma_visit *v, CXCursor fn)
{
	(void)v;
	(void)fn;
	held = 0;
	last_lock = clang_getNullCursor();
}

static void match_lock(struct ma_visit *v, CXCursor call)
{
	(void)v;
	held++;
	last_lock = call;
}

static void match_unlock(struct ma_visit *v, CXCursor call)
{
	(void)v;
	(void)call;
	held--;
}

static void match_function_end(struct ma_visit *v, CXCursor fn)
{
	struct ma_finding *f;

	if (held <= 0)
		return;
	/* ma_report places the finding and returns NULL in system headers */
	f = ma_report(v, my_id, fn, "'%s' takes %d more lock(s) than it releases",
		      ma_visit_function_name(v), held);
	ma_report_event(v, f, last_lock, "last lock taken here");
}

void check_template(struct ma_engine *e, int id);

void check_template(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_function_begin(e, id, match_function_begin);
	ma_engine_on_call(e, id, "pthread_mutex_lock", match_lock);
	ma_engine_on_call(e, id, "pthread_mutex_unlock", match_unlock);
	ma_engine_on_function_end(e, id, match_function_end);
}
