/*
 * double-lock (CWE-764): a mutex is locked again on a path where this
 * function already holds it (pthread_mutex_lock, pthread_spin_lock,
 * mtx_lock).  With a default (non-recursive) mutex the thread deadlocks
 * on itself.
 *
 * Quiet on purpose: locks whose state this function does not know (taken
 * by a caller), and trylock, whose outcome the engine does not follow.
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

static int my_id;

static void match_lock(struct flow_cx *cx, const struct ir_stmt *s, uint32_t lock,
		       enum lock_state before)
{
	struct strbuf name = STRBUF_INIT;
	struct flow_report *r;

	if (before != LOCK_HELD)
		return;
	flow_lock_name(cx, s, lock, &name);
	r = flow_report(cx, my_id, s->loc, "'%s' is locked again while this thread holds it; "
			"a non-recursive mutex deadlocks here", name.buf);
	flow_report_event(r, flow_lock_site(cx, lock), "first locked here");
	flow_report_event(r, s->loc, "locked again here");
	strbuf_release(&name);
}

void check_double_lock(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_lock(ma_engine_flow(e), id, match_lock);
}
