/*
 * unlock-without-lock (CWE-765): a mutex is unlocked on a path where it
 * is not held: unlocked twice, or unlocked in a thread's start routine
 * that never locked it (a new thread holds no lock).  Unlocking a mutex
 * the thread does not hold is undefined behaviour for default mutexes.
 *
 * Quiet on purpose: an unlock in an ordinary function of a mutex it did
 * not lock itself: helpers that release what their caller took are
 * common and correct.
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

static int my_id;

static void match_unlock(struct flow_cx *cx, const struct ir_stmt *s, uint32_t lock,
			 enum lock_state before)
{
	struct strbuf name = STRBUF_INIT;
	struct flow_report *r;
	struct ir_loc last = flow_lock_site(cx, lock);

	if (before != LOCK_RELEASED)
		return;
	flow_lock_name(cx, s, lock, &name);
	if (last.line) {
		r = flow_report(cx, my_id, s->loc, "'%s' is unlocked again; it was already released on line %u",
				name.buf, last.line);
		flow_report_event(r, last, "released here");
	} else {
		r = flow_report(cx, my_id, s->loc, "'%s' is unlocked by the thread function '%s', which never locked it",
				name.buf, ir_string(flow_tu(cx), flow_func(cx)->name));
	}
	flow_report_event(r, s->loc, "unlocked here while not held");
	strbuf_release(&name);
}

void check_unlock_without_lock(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_unlock(ma_engine_flow(e), id, match_unlock);
}
