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

/*
 * The mutex as the call wrote it ("q->lock", "*m"): the engine's name for
 * a cell behind a parameter reads "*(unknown pointer).lock".
 */
static void lock_name(struct flow_cx *cx, const struct ir_stmt *s, uint32_t lock, struct strbuf *out)
{
	const struct ir_val *a = s && s->aux ? &flow_func(cx)->args[s->args] : NULL;

	if (a && a->kind == IRV_ADDR) {
		flow_path_name(cx, a->path, out);
	} else if (a && a->kind == IRV_PATH) {
		strbuf_addch(out, '*');
		flow_path_name(cx, a->path, out);
	} else {
		flow_loc_name(cx, lock, out);
	}
}

static void match_lock(struct flow_cx *cx, const struct ir_stmt *s, uint32_t lock,
		       enum lock_state before)
{
	struct strbuf name = STRBUF_INIT;
	struct flow_report *r;

	if (before != LOCK_HELD)
		return;
	lock_name(cx, s, lock, &name);
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
