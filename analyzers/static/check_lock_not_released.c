/*
 * lock-not-released (CWE-667): a function returns on some path still
 * holding a mutex it locked, while it releases that mutex on other paths
 * (an error path that forgot the unlock), or a thread's start routine
 * ends holding a lock.  Placed where the path goes wrong: on the return
 * that keeps the lock when no unlock leads there (an early return), on
 * the unlock the path skips when its return is shared with paths that
 * unlock (`if (ok) unlock(m);`, a goto past the unlock), or on the lock
 * when the function never unlocks that mutex.
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

/*
 * The unlock this path skipped: the first, after the lock's line, of the
 * mutex the lock call names, written the same way (paths are interned:
 * &s->mu is one path), from which the path's return can be reached.  None
 * when the path returns early, where no unlock leads (the return is then
 * the place to show); *any tells whether there is an unlock at all.
 */
static const struct ir_stmt *skipped_unlock(struct flow_cx *cx, const struct ir_stmt *lock, int *any)
{
	const struct ir_func *f = flow_func(cx);
	const struct ir_val *m = lock && lock->aux ? &f->args[lock->args] : NULL;
	const struct ir_stmt *best = NULL;
	uint32_t ret_block = flow_exit_block(cx);

	if (!m || (m->kind != IRV_ADDR && m->kind != IRV_PATH))
		return NULL;
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			const struct ir_val *a = s->op == IR_CALL && s->aux ? &f->args[s->args] : NULL;
			if (!a || a->kind != m->kind || a->path != m->path || s->loc.line <= lock->loc.line ||
			    !flow_is_unlock_call(cx, s))
				continue;
			*any = 1;
			if ((!best || s->loc.line < best->loc.line) && flow_block_reaches(cx, b, ret_block))
				best = s;
		}
	return best;
}

static int has_unlock_call(struct flow_cx *cx)
{
	const struct ir_func *f = flow_func(cx);

	for (uint32_t b = 0; b < f->nr_blocks; b++)
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++)
			if (flow_is_unlock_call(cx, &f->blocks[b].stmts[k]))
				return 1;
	return 0;
}

static void check_lock(struct flow_cx *cx, uint32_t lock, enum lock_state st, void *data)
{
	struct strbuf name = STRBUF_INIT;
	struct ir_loc site = flow_lock_site(cx, lock);
	const struct ir_stmt *call, *unlock;
	struct flow_report *r;
	struct ir_loc ret_at;
	struct fval ret;
	int any_unlock = 0;

	(void)data;
	if (st != LOCK_HELD || !site.line)
		return;
	if (!flow_is_thread_entry(cx) && !has_unlock_call(cx))
		return;
	ret = flow_return_value(cx);
	if (ret.kind == FV_INT && ret.lo > 0)
		return; /* "I took it": the caller unlocks */
	call = lock_call_at(cx, site);
	unlock = skipped_unlock(cx, call, &any_unlock);
	ret_at = flow_exit_loc(cx);
	flow_lock_name(cx, call, lock, &name);
	if (unlock)
		r = flow_report(cx, my_id, unlock->loc,
				"this unlock of '%s' is skipped on some path: locked on line %u, it is still held when '%s' returns",
				name.buf, site.line, ir_string(flow_tu(cx), flow_func(cx)->name));
	else if (any_unlock && ret_at.line)
		r = flow_report(cx, my_id, ret_at, "'%s' returns here still holding '%s', locked on line %u",
				ir_string(flow_tu(cx), flow_func(cx)->name), name.buf, site.line);
	else
		r = flow_report(cx, my_id, site, "'%s' is locked here and still held when '%s' returns",
				name.buf, ir_string(flow_tu(cx), flow_func(cx)->name));
	flow_report_event(r, site, "locked here");
	if (unlock)
		flow_report_event(r, unlock->loc, "not reached on this path");
	if (ret_at.line)
		flow_report_event(r, ret_at, "returns still holding '%s'", name.buf);
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
