/*
 * mismatched-deallocation (CWE-762): a block is released with a function
 * of another family than the one that allocated it: malloc'd memory with
 * delete, new'd memory with free(), new[] with delete (or new with
 * delete[]), a FILE from fopen with free() or close(), popen's stream
 * with fclose, a directory stream with fclose.
 *
 * Quiet on purpose: pointers whose allocator is unknown.
 */
#include "engine.h"
#include "flow.h"

static int my_id;

static const char *const family_release[FAM_COUNT] = {
	[FAM_MALLOC] = "free", [FAM_NEW] = "delete", [FAM_NEW_ARRAY] = "delete[]",
	[FAM_FILE] = "fclose", [FAM_PIPE] = "pclose", [FAM_FD] = "close", [FAM_DIR] = "closedir",
};

static void match_dealloc(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v,
			  enum alloc_family fam, const char *fn)
{
	const struct region_info *ri;
	struct flow_report *r;

	if (v->kind != FV_PTR || fam == FAM_NONE)
		return;
	ri = flow_region_info(cx, v->region);
	if (ri->kind != RG_HEAP || ri->family == FAM_NONE || ri->family == fam ||
	    flow_region_state(cx, v->region) != RGS_LIVE)
		return;
	r = flow_report(cx, my_id, s->loc, "'%s' releases what '%s' allocated; use '%s'", fn,
			ri->origin ? ir_string(flow_tu(cx), ri->origin) : "?", family_release[ri->family]);
	flow_report_event(r, ri->site, "allocated here");
	flow_report_event(r, s->loc, "released with the wrong function here");
}

void check_mismatched_deallocation(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_dealloc(ma_engine_flow(e), id, match_dealloc);
}
