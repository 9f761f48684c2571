/*
 * uninitialized-read (CWE-457): a value is read before anything was
 * stored in it, on some feasible path: a local variable, an element of a
 * local array, a field of a local struct, or heap memory from malloc or
 * realloc (calloc's is zeroed).
 *
 * Quiet on purpose: copying a whole struct (partly set structs are copied
 * around legitimately), variables whose address was passed to a function
 * the engine does not know (it may have set them), values that differ
 * between merged paths, and an element read at a variable index of an
 * array that the function fills at a variable index, unless the engine
 * knows which element is read and that something was stored in the
 * array on this path: whether the elements one loop reads are those
 * another loop filled depends on their counts (filled for i < n - 1, read
 * for i < n - 1 later), a correlation the engine does not track.  Each
 * value is reported once.
 */
#include "engine.h"
#include "flow.h"
#include "../../core/strbuf.h"

static int my_id;

/* p's outermost element at a variable index (a[i] in a[i].f), or 0. */
static ir_path variable_index_elem(const struct ir_func *f, ir_path p)
{
	ir_path elem = 0;

	for (; p && f->paths[p].kind != IRP_VAR; p = f->paths[p].base)
		if (f->paths[p].kind == IRP_ELEM && !(f->paths[p].id & IR_ELEM_CONST))
			elem = p;
	return elem;
}

static int reads_array(const struct ir_func *f, const struct ir_val *v, ir_path array)
{
	ir_path elem = v->kind == IRV_PATH ? variable_index_elem(f, v->path) : 0;

	return elem && f->paths[elem].base == array;
}

/* Does the function store into array at a variable index, a value not
 * made from the array itself (counts[c]++ fills nothing)? */
static int filled_at_variable_index(const struct ir_func *f, ir_path array)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			ir_path elem = (s->op == IR_ASSIGN || s->op == IR_ARITH || s->op == IR_CALL) && s->dst ?
					       variable_index_elem(f, s->dst) : 0;
			if (elem && f->paths[elem].base == array && !reads_array(f, &s->a, array) &&
			    !reads_array(f, &s->b, array))
				return 1;
		}
	return 0;
}

static int through_pointer(const struct ir_func *f, ir_path p)
{
	for (; p && f->paths[p].kind != IRP_VAR; p = f->paths[p].base)
		if (f->paths[p].kind == IRP_DEREF)
			return 1;
	return 0;
}

static void match_read(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v)
{
	const struct ir_func *f = flow_func(cx);
	struct strbuf name = STRBUF_INIT;
	struct flow_report *r;
	uint32_t root, region;

	ir_path elem;
	int64_t k;

	if (v->kind != FV_UNINIT || (f->paths[s->a.path].type & IRT_RECORD))
		return;
	elem = variable_index_elem(f, s->a.path);
	if (elem && filled_at_variable_index(f, f->paths[elem].base) &&
	    (flow_array_untouched(cx, elem) || !flow_var_constant(cx, ir_elem_index_var(&f->paths[elem]), &k)))
		return;
	root = ir_path_root(f, s->a.path);
	flow_path_name(cx, s->a.path, &name);
	r = flow_report(cx, my_id, s->loc, "'%s' is read before it is initialised", name.buf);
	region = flow_path_region(cx, s->a.path);
	if (region != UINT32_MAX && flow_region_info(cx, region)->kind == RG_HEAP)
		flow_report_event(r, flow_region_info(cx, region)->site, "allocated here by '%s'",
				  ir_string(flow_tu(cx), flow_region_info(cx, region)->origin));
	else if (root != UINT32_MAX && f->vars[root].loc.line && !(f->vars[root].flags & IRV_TEMP) &&
		 !through_pointer(f, s->a.path)) /* *pbuf[i]: pbuf's declaration is not the unset one */
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
