/*
 * lock-not-released (CWE-667): a function returns on some path still
 * holding a mutex it locked, while it releases that mutex on other paths
 * (an error path that forgot the unlock), or a thread's start routine
 * ends holding a lock.  Placed on the lock.
 *
 * Quiet on purpose: functions that never unlock (lock wrappers that return
 * holding the mutex by design), wrappers that say they return holding it
 * by returning a positive value (as a successful trylock does), and trylock.
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

#include <string.h>

static int my_id;

/* The lock call on the site's line (the engine keeps only the line), to
 * name the mutex as written there. */
static const struct ir_stmt *lock_call_at(struct flow_cx *cx, struct ir_loc site)
{
	const struct ir_func *f = flow_func(cx);

	for (uint32_t b = 0; b < f->nr_blocks; b++)
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			const char *fn = s->op == IR_CALL && s->callee ? ir_string(flow_tu(cx), s->callee) : "";

			/* the C library's, not a helper named like one (account_lock(a)) */
			if (s->loc.line == site.line && (!strcmp(fn, "pthread_mutex_lock") ||
							 !strcmp(fn, "pthread_spin_lock") || !strcmp(fn, "mtx_lock")))
				return s;
		}
	return NULL;
}

static unsigned unlock_calls(struct flow_cx *cx)
{
	return flow_count_calls(cx, "pthread_mutex_unlock") + flow_count_calls(cx, "pthread_spin_unlock") +
	       flow_count_calls(cx, "mtx_unlock");
}

static void check_lock(struct flow_cx *cx, uint32_t lock, enum lock_state st, void *data)
{
	struct strbuf name = STRBUF_INIT;
	struct ir_loc site = flow_lock_site(cx, lock);
	struct flow_report *r;
	struct fval ret;

	(void)data;
	if (st != LOCK_HELD || !site.line)
		return;
	if (!flow_is_thread_entry(cx) && !unlock_calls(cx))
		return;
	ret = flow_return_value(cx);
	if (ret.kind == FV_INT && ret.lo > 0)
		return; /* "I took it": the caller unlocks */
	flow_lock_name(cx, lock_call_at(cx, site), lock, &name);
	r = flow_report(cx, my_id, site, "'%s' is locked here and still held when '%s' returns on some path",
			name.buf, ir_string(flow_tu(cx), flow_func(cx)->name));
	flow_report_event(r, site, "locked here");
	strbuf_release(&name);
}

static void match_exit(struct flow_cx *cx)
{
	flow_for_each_lock(cx, check_lock, NULL);
}

void check_lock_not_released(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_exit(ma_engine_flow(e), id, match_exit);
}
