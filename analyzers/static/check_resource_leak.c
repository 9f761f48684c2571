/*
 * resource-leak (CWE-775, CWE-404): a FILE stream (fopen, fdopen, tmpfile,
 * popen), a file descriptor (open, creat, socket, accept, dup) or a
 * directory stream (opendir) becomes unreachable without being closed:
 * the function returns with no handle to it left anywhere the caller can
 * see, or the last handle is overwritten.  Placed on the opening call.
 *
 * Quiet on purpose: handles passed to functions the engine does not know
 * (they may close or keep them), handles stored for the caller, opens that
 * failed on this path (tested against NULL or < 0), and paths ending in
 * exit().
 */
#include "engine.h"
#include "flow.h"

static int my_id;

static int is_resource(const struct region_info *ri)
{
	return ri->kind == RG_HEAP && (ri->family == FAM_FILE || ri->family == FAM_PIPE ||
				       ri->family == FAM_FD || ri->family == FAM_DIR);
}

static const char *what(const struct region_info *ri)
{
	switch (ri->family) {
	case FAM_FD: return "file descriptor";
	case FAM_DIR: return "directory stream";
	case FAM_PIPE: return "pipe stream";
	default: return "file stream";
	}
}

static void report(struct flow_cx *cx, const struct region_info *ri, const char *why,
		   const struct ir_loc *where)
{
	const char *fn = ri->origin ? ir_string(flow_tu(cx), ri->origin) : "?";
	struct flow_report *r = flow_report(cx, my_id, ri->site, "the %s opened by '%s' is never closed: %s",
					    what(ri), fn, why);

	flow_report_event(r, ri->site, "opened here");
	if (where)
		flow_report_event(r, *where, "the last handle to it is overwritten here");
}

static void match_exit(struct flow_cx *cx)
{
	for (uint32_t r = 0; r < flow_nr_regions(cx); r++) {
		const struct region_info *ri = flow_region_info(cx, r);
		if (is_resource(ri) && flow_region_state(cx, r) == RGS_LIVE &&
		    flow_region_null(cx, r) != NN_NULL && !flow_region_escaped(cx, r) &&
		    !flow_region_reachable(cx, r))
			report(cx, ri, "no handle to it is left when the function returns", NULL);
	}
}

static void match_lost(struct flow_cx *cx, const struct ir_stmt *s, uint32_t r)
{
	const struct region_info *ri = flow_region_info(cx, r);

	if (is_resource(ri))
		report(cx, ri, "the last handle to it is overwritten", &s->loc);
}

void check_resource_leak(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_exit(ma_engine_flow(e), id, match_exit);
	flow_on_lost(ma_engine_flow(e), id, match_lost);
}
