/*
 * lock-not-released (CWE-667): a function returns on some path still
 * holding a mutex it locked, while it releases that mutex on other paths
 * (an error path that forgot the unlock), or a thread's start routine
 * ends holding a lock.  Placed on the lock.
 *
 * Quiet on purpose: functions that never unlock (lock wrappers that return
 * holding the mutex by design), and trylock.
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

static int my_id;

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

	(void)data;
	if (st != LOCK_HELD || !site.line)
		return;
	if (!flow_is_thread_entry(cx) && !unlock_calls(cx))
		return;
	flow_loc_name(cx, lock, &name);
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
