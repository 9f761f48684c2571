/*
 * dead-code: statements that no execution reaches (CWE-561), because the
 * test that guards them is always false where it is made:
 *
 *     int flag = 0;                         for (i = 0; i > 1; i++)
 *     if (flag) {                                   a++;      never runs
 *             a++;        never runs
 *     }                                     while (f() != 0)  f() returns 0
 *                                                   a++;      never runs
 *
 * The first statement of each dead stretch is reported (not every line of
 * it), with the test as an event.  The tests are those constant-condition
 * trusts (flow_branch_decided): integer comparisons the engine models
 * exactly.  Not reported: code under a literal `if (0)` or `while (0)`
 * (disabled on purpose), under configuration macros (`if (DEBUG)`), the
 * `else` of an always-true test, code after a return, and switch cases
 * never taken.
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

static int my_id;

/* Where a dead stretch starts: its first statement, else its test, else
 * the same in the block it falls into, a few steps on. */
static int first_line(const struct ir_func *f, uint32_t b, struct ir_loc *at)
{
	for (int steps = 0; steps < 4 && b < f->nr_blocks; steps++) {
		const struct ir_block *blk = &f->blocks[b];
		for (uint32_t k = 0; k < blk->nr_stmts; k++)
			if (blk->stmts[k].loc.line) {
				*at = blk->stmts[k].loc;
				return 1;
			}
		if (blk->nsucc == 2 && blk->cond_loc.line) {
			*at = blk->cond_loc;
			return 1;
		}
		if (blk->nsucc != 1)
			return 0;
		b = blk->succ[0];
	}
	return 0;
}

static void report_guarded(struct flow_cx *cx, uint32_t branch, int truth)
{
	const struct ir_func *f = flow_func(cx);
	uint32_t dead = f->blocks[branch].succ[truth ? 1 : 0];
	struct strbuf text = STRBUF_INIT;
	struct flow_report *r;
	struct ir_loc at;

	if (!flow_block_dead_behind(cx, dead) || !first_line(f, dead, &at))
		return;
	if (flow_cond_text(cx, branch, &text))
		r = flow_report(cx, my_id, at, "this code never runs: '%s' never holds where it is tested",
				text.buf);
	else
		r = flow_report(cx, my_id, at, "this code never runs: the test guarding it never holds");
	flow_report_event(r, f->blocks[branch].cond_loc, "never holds here");
	strbuf_release(&text);
}

static void match_end(struct flow_cx *cx)
{
	const struct ir_func *f = flow_func(cx);
	int truth;

	/* the code a test that never holds guards; not the else of one that
	 * always holds (if (FEATURE_ON) ... else ...) */
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		if (flow_branch_decided(cx, b, &truth) && !flow_branch_source_truth(cx, b, truth))
			report_guarded(cx, b, truth);
}

void check_dead_code(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_end(ma_engine_flow(e), id, match_end);
}
