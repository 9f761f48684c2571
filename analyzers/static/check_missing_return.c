/*
 * missing-return: a function declared to return a value reaches the end
 * of its body on some path (CWE-758).  The caller
 * then reads whatever the return register held: undefined behaviour that
 * usually looks like a random result.
 *
 *     int find(int flag)
 *     {
 *             if (flag == 0)
 *                     return 0;
 *     }                              flag != 0 falls off the end
 *
 * The data-flow engine's paths decide: a path that falls off the end is
 * reported on the closing brace.  (A bare `return;` in such a function is
 * an error compilers already reject.)
 * Paths the engine knows cannot be taken (after exit(), abort(), a
 * noreturn function, a test its values decide) do not count.  main() is
 * exempt (C99 returns 0 for it).
 * Misses: functions the engine gives up on; and a function the engine
 * does not know never returns (a project's die() without the noreturn
 * attribute) makes the path after it look real, as it does to compilers.
 */
#include "engine.h"
#include "flow.h"

#include <string.h>

static int my_id;

/* Did the path fall off the end of the body (no return statement ends it)? */
static int fell_off_end(struct flow_cx *cx)
{
	const struct ir_block *b = &flow_func(cx)->blocks[flow_exit_block(cx)];

	for (uint32_t k = 0; k < b->nr_stmts; k++)
		if (b->stmts[k].op == IR_RETURN)
			return 0;
	return 1;
}

static void match_exit(struct flow_cx *cx)
{
	const struct ir_func *f = flow_func(cx);
	const char *name = ir_string(flow_tu(cx), f->name);

	if (f->returns_void || !f->end_loc.line || !strcmp(name, "main") || flow_exit_block(cx) == IR_ENTRY)
		return;
	if (fell_off_end(cx))
		flow_report(cx, my_id, f->end_loc, "'%s' returns a value, but this path reaches the end of its "
			    "body without a return", name);
}

void check_missing_return(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_exit(ma_engine_flow(e), id, match_exit);
}
