/*
 * double-free (CWE-415): a block is released a second time on some
 * feasible path, by free(), realloc(), delete, fclose() and the like, or by
 * a local helper whose summary says it frees its argument.
 *     free(p); ... free(p);        q = p; free(p); free(q);
 *
 * Quiet on purpose: free(NULL) (legal, and common in cleanup paths after
 * p = NULL), and blocks whose state differs between merged paths.
 */
#include "engine.h"
#include "flow.h"

static int my_id;

/* What was released: "memory" reads wrong for a stream or a descriptor. */
static const char *what(const struct region_info *ri)
{
	if (ri->kind != RG_HEAP)
		return "memory";
	switch (ri->family) {
	case FAM_FILE:
	case FAM_PIPE: return "a stream";
	case FAM_FD: return "a file descriptor";
	case FAM_DIR: return "a directory stream";
	default: return "memory";
	}
}

static void match_dealloc(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v,
			  enum alloc_family fam, const char *fn)
{
	const struct region_info *ri;
	struct flow_report *r;
	const char *by = NULL;
	struct ir_loc first;

	(void)fam;
	if (v->kind != FV_PTR || flow_region_state(cx, v->region) != RGS_FREED)
		return;
	ri = flow_region_info(cx, v->region);
	first = flow_region_freed_at(cx, v->region, &by);
	r = flow_report(cx, my_id, s->loc, "'%s' releases %s that '%s' already released on line %u",
			fn, what(ri), by && *by ? by : "free", first.line);
	if (ri->kind == RG_HEAP)
		flow_report_event(r, ri->site, "allocated here");
	flow_report_event(r, first, "released here");
	flow_report_event(r, s->loc, "released again here");
}

void check_double_free(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_dealloc(ma_engine_flow(e), id, match_dealloc);
}
