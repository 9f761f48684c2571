/*
 * uninitialized-read (CWE-457): a value is read before anything was
 * stored in it, on some feasible path: a local variable, an element of a
 * local array, a field of a local struct, or heap memory from malloc or
 * realloc (calloc's is zeroed).
 *
 * Quiet on purpose: copying a whole struct (partly set structs are copied
 * around legitimately), variables whose address was passed to a function
 * the engine does not know (it may have set them), and values that differ
 * between merged paths.  Each value is reported once.
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

static int my_id;

static void match_read(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v)
{
	const struct ir_func *f = flow_func(cx);
	struct strbuf name = STRBUF_INIT;
	struct flow_report *r;
	uint32_t root, region;

	if (v->kind != FV_UNINIT || (f->paths[s->a.path].type & IRT_RECORD))
		return;
	root = ir_path_root(f, s->a.path);
	flow_path_name(cx, s->a.path, &name);
	r = flow_report(cx, my_id, s->loc, "'%s' is read before it is initialised", name.buf);
	region = flow_path_region(cx, s->a.path);
	if (region != UINT32_MAX && flow_region_info(cx, region)->kind == RG_HEAP)
		flow_report_event(r, flow_region_info(cx, region)->site, "allocated here by '%s'",
				  ir_string(flow_tu(cx), flow_region_info(cx, region)->origin));
	else if (root != UINT32_MAX && f->vars[root].loc.line && !(f->vars[root].flags & IRV_TEMP))
		flow_report_event(r, f->vars[root].loc, "'%s' is declared here without a value",
				  ir_string(flow_tu(cx), f->vars[root].name));
	flow_report_event(r, s->loc, "read here");
	strbuf_release(&name);
}

void check_uninitialized_read(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_read(ma_engine_flow(e), id, match_read);
}
