/*
 * constant-condition: a test that can never hold where it is made
 * (CWE-570).  The code it guards never runs; the test is almost always
 * not the one that was meant: a contradiction, a copy-paste, a flag that
 * is never set.
 *
 *     if ((a == 0) && (a == 1))            a == 1 never holds once a == 0
 *     if (a < 5) { if (10 < a) ... }       10 < a never holds there
 *     int flag = 0; ... while (flag > 0)   flag is still 0
 *
 * The data-flow half: the engine follows integer values along every
 * path, and a test that every path reaching it fails is reported on its
 * line.  Only tests the engine models exactly count (flow_branch_decided):
 * written in the source rather than a macro, signed integer comparisons,
 * operands that are constants or local variables it follows exactly, in a
 * function where no path was cut by a test it does not model exactly.  So
 * NULL checks, globals, volatile objects, unsigned arithmetic, narrowing
 * conversions, callee summaries, literal conditions (while (1),
 * if (DEBUG)) and macros (assert, likely) are left alone.  A test that
 * always holds is not reported by this half: `flag = 1; while (flag)` and
 * a defensive re-check are how code says "always", not mistakes.
 * Misses: tests decided by the caller's arguments (each function is
 * analysed for any caller), and those whose operands the engine loses
 * (a value through memory, a loop it widens).
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

static int my_id;

static void report_never(struct flow_cx *cx, uint32_t b)
{
	const struct ir_block *blk = &flow_func(cx)->blocks[b];
	struct strbuf text = STRBUF_INIT;

	if (flow_cond_text(cx, b, &text))
		flow_report(cx, my_id, blk->cond_loc, "'%s' never holds here: the code it guards never runs",
			    text.buf);
	else
		flow_report(cx, my_id, blk->cond_loc, "this test never holds here: the code it guards never runs");
	strbuf_release(&text);
}

static void match_end(struct flow_cx *cx)
{
	const struct ir_func *f = flow_func(cx);
	int truth;

	for (uint32_t b = 0; b < f->nr_blocks; b++)
		if (flow_branch_decided(cx, b, &truth) && !flow_branch_source_truth(cx, b, truth))
			report_never(cx, b);
}

void check_constant_condition(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_end(ma_engine_flow(e), id, match_end);
}
