/*
 * memory-leak (CWE-401): heap memory (malloc, calloc, realloc, strdup,
 * new, and local helpers that return such memory) that becomes
 * unreachable without being freed:
 *   - at a return, no pointer to it is left in anything that outlives the
 *     call (the return value, globals, the caller's memory);
 *   - the last pointer to it is overwritten (p = malloc(...) in a loop).
 * The finding is placed on the allocation.
 *
 * Quiet on purpose: memory handed to a function the engine does not know
 * (it may keep it), memory stored where the caller can see it, allocations
 * that failed on this path (checked against NULL), and paths that end in
 * exit() or abort().
 */
#include "engine.h"
#include "flow.h"

static int my_id;

static int is_memory(const struct region_info *ri)
{
	return ri->kind == RG_HEAP &&
	       (ri->family == FAM_MALLOC || ri->family == FAM_NEW || ri->family == FAM_NEW_ARRAY);
}

static int is_owned(struct flow_cx *cx, uint32_t r)
{
	return flow_region_state(cx, r) == RGS_LIVE && flow_region_null(cx, r) != NN_NULL &&
	       !flow_region_escaped(cx, r);
}

static void report(struct flow_cx *cx, const struct region_info *ri, const char *why,
		   const struct ir_loc *where, const char *where_msg)
{
	const char *fn = ri->origin ? ir_string(flow_tu(cx), ri->origin) : "an allocator";
	struct flow_report *rep = flow_report(cx, my_id, ri->site, "memory allocated by '%s' is never freed: %s",
					      fn, why);

	flow_report_event(rep, ri->site, "allocated here");
	if (where)
		flow_report_event(rep, *where, "%s", where_msg);
}

static void match_exit(struct flow_cx *cx)
{
	for (uint32_t r = 0; r < flow_nr_regions(cx); r++) {
		const struct region_info *ri = flow_region_info(cx, r);
		if (is_memory(ri) && is_owned(cx, r) && !flow_region_reachable(cx, r))
			report(cx, ri, "no pointer to it is left when the function returns", NULL, NULL);
	}
}

static void match_lost(struct flow_cx *cx, const struct ir_stmt *s, uint32_t r)
{
	const struct region_info *ri = flow_region_info(cx, r);

	if (is_memory(ri))
		report(cx, ri, "the last pointer to it is overwritten", &s->loc,
		       "the last pointer to it is overwritten here");
}

void check_memory_leak(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_exit(ma_engine_flow(e), id, match_exit);
	flow_on_lost(ma_engine_flow(e), id, match_lost);
}
