/*
 * return-stack-address: a function returns the address of its own
 * automatic storage (CWE-562):
 *   return &x;          return &arr[i];     return &s.field;
 *   return arr;         return s.name;      (local arrays decay to their address)
 *   return &param;      return c ? buf : NULL;   (either branch of ?:)
 *   return buf + n;     return strcpy(buf, s);   (still inside buf)
 *
 * Static locals, globals, extern declarations, parameters' values and
 * pointees (p, &p->x, &p[i], an array parameter) are fine and not reported,
 * and so are integers computed from addresses ((uintptr_t)&x).
 * The data-flow half follows the address through pointer variables
 * (p = &x; return p;) and catches it stored where it outlives the call
 * (*out = buf; g = &x); on a line both halves see, the pattern half's
 * finding is kept.  Misses: an address inside a returned struct, compound
 * literals, and addresses passed through functions other than the strcpy
 * family.
 */
#include "engine.h"
#include "ast.h"
#include "flow.h"

static int my_id;

static void report(struct ma_visit *v, CXCursor ret, CXCursor var)
{
	CXString name = clang_getCursorSpelling(var);
	const char *kind = clang_getCursorKind(var) == CXCursor_ParmDecl ? "parameter" : "local variable";
	struct ma_finding *f;

	f = ma_report(v, my_id, ret, "'%s' returns the address of %s '%s', which is gone once it returns",
		      ma_visit_function_name(v), kind, clang_getCString(name));
	ma_report_event(v, f, var, "'%s' declared here", clang_getCString(name));
	ma_report_event(v, f, ret, "its address escapes here");
	clang_disposeString(name);
}

static void match_return(struct ma_visit *v, CXCursor ret)
{
	CXCursor e = ma_ast_child(ret, 0), var;

	/* an integer made of an address ((uintptr_t)&x, a difference of two)
	 * is a deliberate use, as in stack-depth probes: only pointers escape */
	if (clang_Cursor_isNull(e) || !ma_type_is_pointer(clang_getCursorType(e)))
		return;
	/* what the returned pointer points into, if it is a variable's storage */
	var = ma_ast_pointed_var(ma_visit_tu(v), e);
	if (ma_ast_is_automatic_var(var))
		report(v, ret, var);
}

/*
 * The data-flow half: the returned value is a variable holding such an
 * address (p = &x; return p;).  Returns written as the address itself are
 * the pattern half's, above.
 */
static void match_flow_return(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v)
{
	const struct ir_func *f = flow_func(cx);
	const struct region_info *ri;
	struct flow_report *r;

	if (s->a.kind != IRV_PATH || v->kind != FV_PTR || !(f->returns & IRT_POINTER))
		return;
	ri = flow_region_info(cx, v->region);
	if (ri->kind != RG_STACK || (f->vars[ri->var].flags & (IRV_TEMP | IRV_STATIC_LOCAL | IRV_GLOBAL)))
		return;
	r = flow_report(cx, my_id, s->loc, "'%s' returns a pointer to its local variable '%s', which is gone once it returns",
			ir_string(flow_tu(cx), f->name), ir_string(flow_tu(cx), f->vars[ri->var].name));
	flow_report_event(r, ri->site, "'%s' declared here", ir_string(flow_tu(cx), f->vars[ri->var].name));
	flow_report_event(r, s->loc, "its address escapes here");
}

/* A local's stack region, if v points into one that dies with this call. */
static int local_region(struct flow_cx *cx, const struct fval *v)
{
	const struct region_info *ri;

	if (v->kind != FV_PTR)
		return 0;
	ri = flow_region_info(cx, v->region);
	return ri->kind == RG_STACK &&
	       !(flow_func(cx)->vars[ri->var].flags & (IRV_TEMP | IRV_STATIC_LOCAL | IRV_GLOBAL));
}

/*
 * The address stored where it outlives the call (*out = buf; g = &x).
 * Code often parks a local's address in a global and restores the old
 * value before returning (an error-handler chain): only an address still
 * there at the return is reported, at the line that stored it.
 */
static void match_assign(struct flow_cx *cx, const struct ir_stmt *s, uint32_t loc, const struct fval *v)
{
	int line;

	if (v->kind != FV_PTR && !flow_get_state(cx, my_id, loc))
		return; /* the common case: nothing to remember or to forget */
	if (!flow_loc_is_external(cx, loc))
		return;
	line = local_region(cx, v) && s->a.kind != IRV_UNKNOWN ? (int)s->loc.line : 0;
	flow_set_state(cx, my_id, loc, line);
}

static void check_stored(struct flow_cx *cx, uint32_t loc, int line, void *data)
{
	const struct ir_func *f = flow_func(cx);
	struct fval v = flow_cell(cx, loc);
	struct ir_loc at = { .file = f->loc.file, .line = (uint32_t)line };
	const struct region_info *ri;
	struct flow_report *r;

	(void)data;
	if (!local_region(cx, &v))
		return;
	ri = flow_region_info(cx, v.region);
	r = flow_report(cx, my_id, at, "'%s' leaves the address of its local variable '%s' where it "
			"outlives the call", ir_string(flow_tu(cx), f->name),
			ir_string(flow_tu(cx), f->vars[ri->var].name));
	flow_report_event(r, ri->site, "'%s' declared here", ir_string(flow_tu(cx), f->vars[ri->var].name));
	flow_report_event(r, at, "its address is stored here and still there when the function returns");
}

static void match_exit(struct flow_cx *cx)
{
	flow_for_each_state(cx, my_id, check_stored, NULL);
}

void check_return_stack_address(struct ma_engine *e, int id)
{
	my_id = id;
	ma_engine_on_kind(e, id, CXCursor_ReturnStmt, match_return);
	flow_on_return(ma_engine_flow(e), id, match_flow_return);
	flow_on_assign(ma_engine_flow(e), id, match_assign);
	flow_on_exit(ma_engine_flow(e), id, match_exit);
}
