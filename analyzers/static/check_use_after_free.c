/*
 * use-after-free (CWE-416): memory is read or written through a pointer
 * after the block it points into was freed, on some path the engine
 * believes feasible:
 *     free(p); ... p->len = 0;            strcpy(buf, ...) after free(buf)
 * The pointer may be another alias of the block (q = p; free(p); *q) or
 * the block freed by a local helper (destroy(p); p->x).
 *
 * A freed pointer copied into another variable or field (c = buf after
 * free(buf)) is reported too: its value is indeterminate once the block
 * is freed (C11 6.2.4p2), and the copy outlives the original's reset.
 *
 * Quiet on purpose: comparing or printing a freed pointer's value (only
 * its use to reach memory, or a copy, counts), a block whose state differs between
 * merged paths, and a release call given the freed block (fclose(fp)
 * twice): that is one bug, double-free's, not also a use.
 * Misses: frees through function pointers and in other translation units,
 * and aliases the engine lost (pointers stored in and loaded back from
 * unknown memory).
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

#include <string.h>

static int my_id;

/* Releasing functions that also read through their argument (flow_models.c). */
static int is_release(struct flow_cx *cx, const struct ir_stmt *s)
{
	static const char *const names[] = { "closedir", "fclose", "pclose" };
	const char *fn;

	if (s->op != IR_CALL || !s->callee)
		return 0;
	fn = ir_string(flow_tu(cx), s->callee);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(fn, names[i]))
			return 1;
	return 0;
}

static void describe_access(struct flow_cx *cx, const struct ir_stmt *s, struct strbuf *out)
{
	if (s->op == IR_DEREF) {
		strbuf_addch(out, '\'');
		flow_path_name(cx, s->a.path, out);
		strbuf_addstr(out, "' is dereferenced");
	} else if (s->op == IR_CALL && s->callee) {
		strbuf_addf(out, "'%s' is given a pointer to it", ir_string(flow_tu(cx), s->callee));
	} else {
		strbuf_addstr(out, "it is used");
	}
}

static void match_deref(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v)
{
	const struct region_info *ri;
	struct flow_report *r;
	struct strbuf how = STRBUF_INIT;
	const char *by = NULL;
	struct ir_loc freed;

	if (v->kind != FV_PTR || flow_region_state(cx, v->region) != RGS_FREED || is_release(cx, s))
		return;
	ri = flow_region_info(cx, v->region);
	freed = flow_region_freed_at(cx, v->region, &by);
	describe_access(cx, s, &how);
	r = flow_report(cx, my_id, s->loc, "memory freed by '%s' on line %u is used: %s",
			by && *by ? by : "free", freed.line, how.buf);
	if (ri->kind == RG_HEAP)
		flow_report_event(r, ri->site, "allocated here");
	flow_report_event(r, freed, "freed here");
	flow_report_event(r, s->loc, "used here after it was freed");
	strbuf_release(&how);
}

/* Returning a pointer to freed memory hands the caller a dangling pointer. */
static void match_return(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v)
{
	const struct region_info *ri;
	struct flow_report *r;
	const char *by = NULL;
	struct ir_loc freed;

	if (v->kind != FV_PTR || flow_region_state(cx, v->region) != RGS_FREED || is_release(cx, s))
		return;
	ri = flow_region_info(cx, v->region);
	freed = flow_region_freed_at(cx, v->region, &by);
	r = flow_report(cx, my_id, s->loc, "'%s' returns a pointer to memory that '%s' freed on line %u",
			ir_string(flow_tu(cx), flow_func(cx)->name), by && *by ? by : "free", freed.line);
	if (ri->kind == RG_HEAP)
		flow_report_event(r, ri->site, "allocated here");
	flow_report_event(r, freed, "freed here");
	flow_report_event(r, s->loc, "returned here");
}

/* c = buf after free(buf): the dangling pointer lives on in c. */
static void match_assign(struct flow_cx *cx, const struct ir_stmt *s, uint32_t loc, const struct fval *v)
{
	const struct ir_func *f = flow_func(cx);
	const struct region_info *ri;
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	struct flow_report *r;
	const char *by = NULL;
	struct ir_loc freed;
	uint32_t root;

	(void)loc;
	if (s->op != IR_ASSIGN || s->a.kind != IRV_PATH || !s->dst || s->dst == s->a.path ||
	    v->kind != FV_PTR || flow_region_state(cx, v->region) != RGS_FREED)
		return;
	root = ir_path_root(f, s->a.path);
	if (root == UINT32_MAX || (f->vars[root].flags & IRV_TEMP) ||
	    (f->vars[ir_path_root(f, s->dst)].flags & IRV_TEMP) ||
	    flow_get_state(cx, my_id, v->region)) /* copies of the copy: one report */
		return;
	flow_set_state(cx, my_id, v->region, 1);
	ri = flow_region_info(cx, v->region);
	freed = flow_region_freed_at(cx, v->region, &by);
	flow_path_name(cx, s->a.path, &from);
	flow_path_name(cx, s->dst, &to);
	r = flow_report(cx, my_id, s->loc, "'%s' is copied into '%s' after '%s' freed its memory on line %u",
			from.buf, to.buf, by && *by ? by : "free", freed.line);
	if (ri->kind == RG_HEAP)
		flow_report_event(r, ri->site, "allocated here");
	flow_report_event(r, freed, "freed here");
	flow_report_event(r, s->loc, "the dangling pointer is copied here");
	strbuf_release(&from);
	strbuf_release(&to);
}

void check_use_after_free(struct ma_engine *e, int id)
{
	my_id = id;
	flow_on_assign(ma_engine_flow(e), id, match_assign);
	flow_on_deref(ma_engine_flow(e), id, match_deref);
	flow_on_return(ma_engine_flow(e), id, match_return);
}
