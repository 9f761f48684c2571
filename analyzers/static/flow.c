/*
 * The data-flow engine: a worklist over each function's blocks with a
 * bounded set of abstract states per block (path sensitivity where it is
 * cheap, a join where it is not), transfer functions for the IR's
 * statements, branch refinement, and the hook calls of the checkers.
 *
 * Precision rules:
 *  - up to MAX_STATES distinct states reach a block; beyond that they are
 *    joined into one, and after WIDEN_AFTER joins at a block its integer
 *    intervals are widened (to the next constant the variable is tested
 *    against, then to infinity), so loops reach a fix-point;
 *  - a branch whose condition the state decides is followed one way only,
 *    so two tests of the same flag do not pair into an impossible path;
 *  - hooks see one state at a time and report only what holds in it.
 * Bounds: a function whose analysis passes MAX_STEPS statement visits is
 * abandoned (its reports so far are kept) and noted in the run.
 */
#include "flow_internal.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_STATES 8    /* 16 found nothing more on SQLite, lua or ITC, for +19% CPU */
#define MAX_GROUPS 2   /* kinds of path kept apart once a block merges (see state_resource_hash); 4 costs SQLite +25% CPU */
#define WIDEN_AFTER 3
#define MAX_STEPS 3000000UL
#define INF_HI INT64_MAX
#define INF_LO INT64_MIN

/* ---------------------------------------------------------------- registration */

static struct flow_engine *flow_engine_new(void)
{
	return ma_calloc(1, sizeof(struct flow_engine));
}

static void hooks_release(struct flow_hooks *h)
{
	for (size_t i = 0; i < h->nr; i++)
		free(h->items[i].callee);
	free(h->items);
}

void flow_engine_free(struct flow_engine *fe)
{
	if (!fe)
		return;
	hooks_release(&fe->deref);
	hooks_release(&fe->read);
	hooks_release(&fe->dealloc);
	hooks_release(&fe->ret);
	hooks_release(&fe->call);
	hooks_release(&fe->lost);
	hooks_release(&fe->exit);
	hooks_release(&fe->lock);
	hooks_release(&fe->unlock);
	hooks_release(&fe->assign);
	hooks_release(&fe->end);
	free(fe->rules);
	free(fe);
}

struct flow_engine *flow_engine_create(void)
{
	return flow_engine_new();
}

void flow_engine_set_rule(struct flow_engine *fe, int id, const struct ma_rule *rule)
{
	while (fe->nr_rules <= (size_t)id) {
		ALLOC_GROW(fe->rules, fe->nr_rules + 1, fe->alloc_rules);
		fe->rules[fe->nr_rules++] = NULL;
	}
	fe->rules[id] = rule;
}

static struct flow_hook *hook_add(struct flow_hooks *h, int id)
{
	ALLOC_GROW(h->items, h->nr + 1, h->alloc);
	memset(&h->items[h->nr], 0, sizeof(h->items[0]));
	h->items[h->nr].id = id;
	return &h->items[h->nr++];
}

void flow_on_deref(struct flow_engine *fe, int id, flow_val_fn fn) { hook_add(&fe->deref, id)->fn.val = fn; }
void flow_on_read(struct flow_engine *fe, int id, flow_val_fn fn) { hook_add(&fe->read, id)->fn.val = fn; }
void flow_on_dealloc(struct flow_engine *fe, int id, flow_dealloc_fn fn) { hook_add(&fe->dealloc, id)->fn.dealloc = fn; }
void flow_on_return(struct flow_engine *fe, int id, flow_val_fn fn) { hook_add(&fe->ret, id)->fn.val = fn; }
void flow_on_lost(struct flow_engine *fe, int id, flow_region_fn fn) { hook_add(&fe->lost, id)->fn.region = fn; }
void flow_on_exit(struct flow_engine *fe, int id, flow_exit_fn fn) { hook_add(&fe->exit, id)->fn.exit = fn; }
void flow_on_lock(struct flow_engine *fe, int id, flow_lock_fn fn) { hook_add(&fe->lock, id)->fn.lock = fn; }
void flow_on_unlock(struct flow_engine *fe, int id, flow_lock_fn fn) { hook_add(&fe->unlock, id)->fn.lock = fn; }
void flow_on_assign(struct flow_engine *fe, int id, flow_assign_fn fn) { hook_add(&fe->assign, id)->fn.assign = fn; }
void flow_on_end(struct flow_engine *fe, int id, flow_exit_fn fn) { hook_add(&fe->end, id)->fn.exit = fn; }

void flow_on_call(struct flow_engine *fe, int id, const char *callee, flow_stmt_fn fn)
{
	struct flow_hook *h = hook_add(&fe->call, id);

	h->fn.stmt = fn;
	h->callee = ma_strdup(callee);
}

int flow_engine_active(const struct flow_engine *fe)
{
	return fe && (fe->deref.nr || fe->read.nr || fe->dealloc.nr || fe->ret.nr || fe->call.nr ||
		      fe->lost.nr || fe->exit.nr || fe->lock.nr || fe->unlock.nr || fe->assign.nr ||
		      fe->end.nr);
}

/* ---------------------------------------------------------------- queries */

const struct ir_tu *flow_tu(const struct flow_cx *cx) { return cx->t; }
const struct ir_func *flow_func(const struct flow_cx *cx) { return cx->f; }

const struct region_info *flow_region_info(const struct flow_cx *cx, uint32_t region)
{
	return &cx->regions[region];
}

uint32_t flow_path_region(struct flow_cx *cx, ir_path p)
{
	uint32_t loc = flow_loc_of_path(cx, p);

	return loc ? region_of_loc(cx, loc) : UINT32_MAX;
}

enum region_state flow_region_state(const struct flow_cx *cx, uint32_t region)
{
	struct region_st def;
	return (enum region_state)state_region_peek(cx, cx->st, region, &def)->state;
}

enum nullness flow_region_null(const struct flow_cx *cx, uint32_t region)
{
	struct region_st def;
	return (enum nullness)state_region_peek(cx, cx->st, region, &def)->null;
}

struct fval flow_return_value(struct flow_cx *cx)
{
	return state_get(cx, cx->st, loc_intern(cx, LOC_RET, 0, 0));
}

int flow_region_escaped(const struct flow_cx *cx, uint32_t region)
{
	struct region_st def;
	return state_region_peek(cx, cx->st, region, &def)->escaped;
}

struct ir_loc flow_region_freed_at(const struct flow_cx *cx, uint32_t region, const char **by)
{
	struct region_st def;
	const struct region_st *r = state_region_peek(cx, cx->st, region, &def);

	if (by)
		*by = ir_string(cx->t, r->freed_by);
	return r->freed_at;
}

uint32_t flow_nr_regions(const struct flow_cx *cx)
{
	return cx->nr_regions;
}

int flow_get_state(const struct flow_cx *cx, int id, uint32_t loc)
{
	return state_kget(cx->st, kkey(id, loc));
}

void flow_set_state(struct flow_cx *cx, int id, uint32_t loc, int value)
{
	state_kset(cx->st, kkey(id, loc), value);
}

void flow_for_each_state(struct flow_cx *cx, int id,
			 void (*fn)(struct flow_cx *cx, uint32_t loc, int value, void *data), void *data)
{
	for (uint32_t i = 0; i < cx->st->nr_ks; i++)
		if ((int)(cx->st->ks[i].key >> 32) == id)
			fn(cx, (uint32_t)cx->st->ks[i].key, cx->st->ks[i].value, data);
}

/* ---------------------------------------------------------------- locks */

/* Lock states live in the state's checker array under the engine's id:
 * value = state | line << 2, so reports can name where the lock was taken. */
enum lock_state flow_lock_state(const struct flow_cx *cx, uint32_t lock)
{
	int v = state_kget(cx->st, kkey(KS_LOCK_ID, lock));

	if (!v && cx->f->thread_entry)
		return LOCK_RELEASED;
	return (enum lock_state)(v & 3);
}

struct ir_loc flow_lock_site(const struct flow_cx *cx, uint32_t lock)
{
	int v = state_kget(cx->st, kkey(KS_LOCK_ID, lock));
	struct ir_loc loc = { .file = cx->f->loc.file, .line = (uint32_t)v >> 2 };

	return loc;
}

void flow_for_each_lock(struct flow_cx *cx,
			void (*fn)(struct flow_cx *cx, uint32_t lock, enum lock_state st, void *data),
			void *data)
{
	for (uint32_t i = 0; i < cx->st->nr_ks; i++)
		if ((cx->st->ks[i].key >> 32) == KS_LOCK_ID)
			fn(cx, (uint32_t)cx->st->ks[i].key, (enum lock_state)(cx->st->ks[i].value & 3), data);
}

int flow_alloc_failed_on_path(const struct flow_cx *cx)
{
	return state_kget(cx->st, kkey(KS_ENGINE_ID, KS_ALLOC_FAILED)) != 0;
}

int flow_region_many(const struct flow_cx *cx, uint32_t region)
{
	struct region_st def;
	return state_region_peek(cx, cx->st, region, &def)->many;
}

int flow_block_reaches(const struct flow_cx *cx, uint32_t from, uint32_t to)
{
	const struct ir_func *f = cx->f;
	uint8_t *seen = ma_calloc(f->nr_blocks, 1);
	uint32_t *stack = ma_malloc(st_mult(f->nr_blocks, sizeof(*stack))), sp = 0;
	int found = 0;

	stack[sp++] = from;
	seen[from] = 1;
	while (sp && !found) {
		uint32_t b = stack[--sp];
		found = b == to;
		for (unsigned i = 0; i < f->blocks[b].nsucc; i++) {
			uint32_t s = f->blocks[b].succ[i];
			if (s < f->nr_blocks && !seen[s]) {
				seen[s] = 1;
				stack[sp++] = s;
			}
		}
	}
	free(seen);
	free(stack);
	return found;
}

unsigned flow_block_seen(const struct flow_cx *cx, uint32_t b)
{
	return cx->block_seen && b < cx->f->nr_blocks ? cx->block_seen[b] : 0;
}

int flow_is_unlock_call(const struct flow_cx *cx, const struct ir_stmt *s)
{
	return s->op == IR_CALL && s->callee && flow_model_is_unlock(ir_string(cx->t, s->callee));
}

uint32_t flow_exit_block(const struct flow_cx *cx)
{
	return cx->exit_from;
}

struct ir_loc flow_exit_loc(const struct flow_cx *cx)
{
	const struct ir_block *b = &cx->f->blocks[cx->exit_from];
	struct ir_loc none = { 0 };

	for (uint32_t k = b->nr_stmts; k-- > 0;)
		if (b->stmts[k].op == IR_RETURN)
			return b->stmts[k].loc;
	return none;
}

int flow_var_constant(struct flow_cx *cx, uint32_t var, int64_t *k)
{
	struct fval v;

	if (var >= cx->f->nr_vars)
		return 0;
	v = state_get(cx, cx->st, loc_var(cx, var));
	if (v.kind != FV_INT || v.lo != v.hi)
		return 0;
	*k = v.lo;
	return 1;
}

int flow_array_untouched(struct flow_cx *cx, ir_path elem)
{
	uint32_t loc = flow_loc_of_path(cx, elem), array;

	if (!loc || cx->locs[loc].kind != LOC_ELEM)
		return 0;
	array = cx->locs[loc].parent;
	return state_get(cx, cx->st, array).kind == FV_UNINIT && !state_has_below(cx, cx->st, array);
}

/* lo = how << 60 | file << 40 | col << 28 | line (as much of each as fits) */
struct fval fval_null_from(enum null_origin how, struct ir_loc at, uint8_t flags)
{
	struct fval v = { .kind = FV_NULL, .flags = flags };

	if (at.file < (1u << 20) && at.line < (1u << 28))
		v.lo = (int64_t)((uint64_t)how << 60 | (uint64_t)at.file << 40 |
				 (uint64_t)(at.col < 4096 ? at.col : 0) << 28 | at.line);
	return v;
}

int fval_null_origin(const struct fval *v, enum null_origin *how, struct ir_loc *at)
{
	uint64_t x = (uint64_t)v->lo;

	if (v->kind != FV_NULL || !(x >> 60))
		return 0;
	*how = (enum null_origin)(x >> 60);
	at->file = (uint32_t)(x >> 40) & 0xfffff;
	at->col = (uint32_t)(x >> 28) & 0xfff;
	at->line = (uint32_t)x & 0xfffffff;
	return 1;
}

int flow_is_thread_entry(const struct flow_cx *cx)
{
	return cx->f->thread_entry;
}

static int is_null_constant(const struct ir_val *v)
{
	return v->kind == IRV_NULL || (v->kind == IRV_INT && v->k == 0);
}

static int var_set_non_null(const struct ir_func *f, uint32_t var, int depth);

/* A copy of a variable that only ever holds null constants: p1 = p where
 * T *p = NULL is never set to anything else. */
static int is_null_copy(const struct ir_func *f, const struct ir_stmt *s, uint32_t var, int depth)
{
	uint32_t src;

	if (s->op != IR_ASSIGN || s->a.kind != IRV_PATH || f->paths[s->a.path].kind != IRP_VAR)
		return 0;
	src = f->paths[s->a.path].id;
	return src != var && depth < 3 && !(f->vars[src].flags & (IRV_PARAM | IRV_GLOBAL | IRV_STATIC_LOCAL)) &&
	       !var_set_non_null(f, src, depth + 1);
}

/* struct S s = { ... }: the whole struct's unknown value, before the
 * fields the initialiser names are stored one by one. */
static int is_init_placeholder(const struct ir_func *f, const struct ir_stmt *s)
{
	return s->op == IR_ASSIGN && (s->flags & IRS_DECL_INIT) && s->a.kind == IRV_UNKNOWN &&
	       (f->paths[s->dst].type & IRT_RECORD);
}

/* Is p the variable var itself, or (with fields) a field or element of it? */
static int names_var(const struct ir_func *f, ir_path p, uint32_t var, int fields)
{
	while (fields && (f->paths[p].kind == IRP_FIELD || f->paths[p].kind == IRP_ELEM))
		p = f->paths[p].base;
	return f->paths[p].kind == IRP_VAR && f->paths[p].id == var;
}

/* Does a statement store into variable var?  Initialisers of its
 * declaration count only if count_init, null constants (and copies of
 * variables holding only those) only if count_null; stores into its
 * fields count when counting what is set non-null. */
static int var_stored(const struct ir_func *f, uint32_t var, int count_init, int count_null, int depth)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			if ((s->op == IR_ASSIGN || s->op == IR_ARITH || s->op == IR_CALL) && s->dst &&
			    names_var(f, s->dst, var, !count_null) &&
			    (count_init || !(s->flags & IRS_DECL_INIT)) &&
			    (count_null || !((s->op == IR_ASSIGN && is_null_constant(&s->a)) ||
					     is_null_copy(f, s, var, depth) || is_init_placeholder(f, s))))
				return 1;
		}
	}
	return 0;
}

static int var_set_non_null(const struct ir_func *f, uint32_t var, int depth)
{
	if (f->vars[var].flags & IRV_ADDR_TAKEN) /* get(&p) sets it too */
		return 1;
	return var_stored(f, var, 1, 0, depth);
}


int flow_var_null_site(const struct flow_cx *cx, uint32_t var, struct ir_loc *at)
{
	const struct ir_func *f = cx->f;
	int n = 0;

	for (uint32_t b = 0; b < f->nr_blocks; b++)
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			if (s->op == IR_ASSIGN && s->dst && f->paths[s->dst].kind == IRP_VAR &&
			    f->paths[s->dst].id == var && is_null_constant(&s->a) && n++ == 0)
				*at = s->loc;
		}
	return n == 1;
}

static int same_val(const struct ir_val *a, const struct ir_val *b)
{
	return a->kind == b->kind && a->path == b->path && a->k == b->k;
}

/* The test that decides whether block b runs: its only predecessor, past
 * blocks that only jump, ends in a branch; *edge is the side that leads
 * to b.  NULL when b is a join. */
#define MAX_GUARD_HOPS 4

static const struct ir_block *guard_of(const struct ir_func *f, uint32_t b, int *edge)
{
	for (int hop = 0; hop < MAX_GUARD_HOPS; hop++) {
		uint32_t pred = UINT32_MAX, n = 0;
		for (uint32_t k = 0; k < f->nr_blocks && n < 2; k++)
			for (int e = 0; e < f->blocks[k].nsucc; e++)
				if (f->blocks[k].succ[e] == b) {
					pred = k;
					*edge = e;
					n++;
				}
		if (n != 1)
			return NULL;
		if (f->blocks[pred].nsucc == 2)
			return &f->blocks[pred];
		b = pred;
	}
	return NULL;
}

static int same_guard(const struct ir_block *g, int edge, const struct ir_block *h, int h_edge)
{
	return g != h && edge == h_edge && g->cond.op == h->cond.op && same_val(&g->cond.l, &h->cond.l) &&
	       same_val(&g->cond.r, &h->cond.r);
}

int flow_var_set_under_same_test(const struct flow_cx *cx, uint32_t var)
{
	const struct ir_func *f = cx->f;
	const struct ir_block *g, *h;
	int edge, h_edge;

	if (!(g = guard_of(f, cx->block, &edge)))
		return 0;
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			if (s->op == IR_ASSIGN && s->dst && f->paths[s->dst].kind == IRP_VAR &&
			    f->paths[s->dst].id == var && !is_null_constant(&s->a) &&
			    (h = guard_of(f, b, &h_edge)) && same_guard(g, edge, h, h_edge))
				return 1;
		}
	return 0;
}

int flow_var_written(const struct flow_cx *cx, uint32_t var)
{
	uint8_t *f = var < cx->nr_var_facts ? &cx->var_facts[var] : NULL;

	if (f && (*f & VF_WRITTEN_KNOWN))
		return (*f & VF_WRITTEN) != 0;
	if (!var_stored(cx->f, var, 0, 1, 0)) {
		if (f)
			*f |= VF_WRITTEN_KNOWN;
		return 0;
	}
	if (f)
		*f |= VF_WRITTEN_KNOWN | VF_WRITTEN;
	return 1;
}

int flow_var_set_non_null(const struct flow_cx *cx, uint32_t var)
{
	uint8_t *f = var < cx->nr_var_facts ? &cx->var_facts[var] : NULL;

	if (f && (*f & VF_SET_KNOWN))
		return (*f & VF_SET) != 0;
	if (!var_set_non_null(cx->f, var, 0)) {
		if (f)
			*f |= VF_SET_KNOWN;
		return 0;
	}
	if (f)
		*f |= VF_SET_KNOWN | VF_SET;
	return 1;
}

static void run_lock_hooks(struct flow_cx *cx, const struct flow_hooks *h, const struct ir_stmt *s,
			   uint32_t lock, enum lock_state before)
{
	for (size_t i = 0; i < h->nr; i++)
		h->items[i].fn.lock(cx, s, lock, before);
}

static int in_element(const struct flow_cx *cx, uint32_t loc, int unknown_only);

/* pthread_mutex_lock(m) and friends: the mutex is the cell m points to. */

void flow_do_lock(struct flow_cx *cx, const struct ir_stmt *s, int lock, int trylock)
{
	const struct fval *m = flow_call_arg(cx, s, 0);
	uint32_t cell;

	/* lock(&mutexes[i]) in a loop: one cell stands for every mutex of the
	 * array, and which one is held is not known */
	if (m->kind != FV_PTR || !(cell = m->loc) || in_element(cx, cell, 1))
		return;
	if (!trylock)
		flow_summary_note_lock(cx, s, cell, lock, flow_lock_state(cx, cell));
	flow_lock_cell(cx, s, cell, lock, trylock);
}

void flow_set_lock_state(struct flow_cx *cx, uint32_t cell, enum lock_state st, struct ir_loc at)
{
	state_kset(cx->st, kkey(KS_LOCK_ID, cell), st != LOCK_UNKNOWN ? (int)(st | (at.line << 2)) : 0);
}

void flow_lock_cell(struct flow_cx *cx, const struct ir_stmt *s, uint32_t cell, int lock, int trylock)
{
	enum lock_state before = flow_lock_state(cx, cell);

	if (!trylock)
		run_lock_hooks(cx, lock ? &cx->fe->lock : &cx->fe->unlock, s, cell, before);
	if (trylock) /* held or not, depending on a result we do not follow */
		state_kset(cx->st, kkey(KS_LOCK_ID, cell), (int)(LOCK_MAYBE | (s->loc.line << 2)));
	else
		state_kset(cx->st, kkey(KS_LOCK_ID, cell),
			   (int)((lock ? LOCK_HELD : LOCK_RELEASED) | (s->loc.line << 2)));
}

void flow_lock_name(struct flow_cx *cx, const struct ir_stmt *s, uint32_t lock, struct strbuf *out)
{
	const struct ir_val *a = s && s->aux ? &cx->f->args[s->args] : NULL;

	if (a && a->kind == IRV_ADDR) {
		flow_path_name(cx, a->path, out);
	} else if (a && a->kind == IRV_PATH) {
		strbuf_addch(out, '*');
		flow_path_name(cx, a->path, out);
	} else {
		flow_loc_name(cx, lock, out);
	}
}

struct fval flow_cell(struct flow_cx *cx, uint32_t loc)
{
	return state_get(cx, cx->st, loc);
}

uint32_t flow_pointee(const struct fval *v)
{
	return v->kind == FV_PTR ? v->loc : 0;
}

/* A variable (not a temporary) that points into region, or UINT32_MAX. */
static uint32_t var_pointing_to(struct flow_cx *cx, uint32_t region)
{
	for (uint32_t i = 0; i < cx->st->nr_cells; i++) {
		const struct locrec *r = &cx->locs[cx->st->cells[i].loc];
		if (r->kind == LOC_VAR && !(cx->f->vars[r->id].flags & IRV_TEMP) &&
		    cx->st->cells[i].v.kind == FV_PTR && cx->st->cells[i].v.region == region)
			return r->id;
	}
	return UINT32_MAX;
}

void flow_path_name(struct flow_cx *cx, ir_path p, struct strbuf *out)
{
	uint32_t root = ir_path_root(cx->f, p), loc, region, var;

	/* *(p[i] + j): name the memory by a variable that points to it */
	if (root != UINT32_MAX && (cx->f->vars[root].flags & IRV_TEMP) &&
	    (loc = flow_loc_of_path(cx, p)) && (region = region_of_loc(cx, loc)) != UINT32_MAX &&
	    (var = var_pointing_to(cx, region)) != UINT32_MAX) {
		strbuf_addf(out, cx->locs[loc].kind == LOC_ELEM ? "%s[]" : "*%s",
			    ir_string(cx->t, cx->f->vars[var].name));
		return;
	}
	ir_path_name(cx->t, cx->f, p, out);
}

/* The object an unknown pointer variable points to: appends the
 * variable's name ("a" for *a) and returns 1, or 0 if loc is not that. */
static int pointer_var_name(struct flow_cx *cx, uint32_t loc, struct strbuf *out)
{
	const struct locrec *r = &cx->locs[loc];
	const struct region_key *k;

	if (r->kind != LOC_REGION || cx->regions[r->id].kind != RG_SYMBOLIC)
		return 0;
	k = &cx->region_keys[r->id];
	if (cx->locs[k->a].kind != LOC_VAR)
		return 0;
	strbuf_addstr(out, ir_string(cx->t, cx->f->vars[cx->locs[k->a].id].name));
	return 1;
}

void flow_loc_name(struct flow_cx *cx, uint32_t loc, struct strbuf *out)
{
	const struct locrec *r = &cx->locs[loc];

	switch (r->kind) {
	case LOC_VAR:
		strbuf_addstr(out, ir_string(cx->t, cx->f->vars[r->id].name));
		break;
	case LOC_FIELD:
		if (pointer_var_name(cx, r->parent, out)) { /* p->f, not (*p).f */
			strbuf_addf(out, "->%s", ir_string(cx->t, r->id));
			break;
		}
		flow_loc_name(cx, r->parent, out);
		strbuf_addf(out, ".%s", ir_string(cx->t, r->id));
		break;
	case LOC_ELEM:
		flow_loc_name(cx, r->parent, out);
		if (r->id)
			strbuf_addf(out, "[%u]", r->id - 1);
		else
			strbuf_addstr(out, "[]");
		break;
	case LOC_REGION: {
		const struct region_info *ri = &cx->regions[r->id];
		size_t len = out->len;
		strbuf_addch(out, '*');
		if (!ri->origin && pointer_var_name(cx, loc, out))
			break; /* "*p" */
		strbuf_setlen(out, len);
		if (ri->origin)
			strbuf_addf(out, "the memory from '%s'", ir_string(cx->t, ri->origin));
		else
			strbuf_addstr(out, "*(unknown pointer)");
		break;
	}
	default:
		strbuf_addstr(out, "?");
	}
}

/* ---------------------------------------------------------------- reports */

struct flow_report *flow_report(struct flow_cx *cx, int id, struct ir_loc at, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	struct flow_report *r;
	va_list ap;

	if (cx->collecting_summary || !at.file)
		return NULL;
	for (size_t i = 0; i < cx->nr_reports; i++) {
		r = &cx->reports[i];
		if (r->id == id && r->at.file == at.file && r->at.line == at.line && r->at.col == at.col)
			return NULL; /* already reported from another state */
	}
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ALLOC_GROW(cx->reports, cx->nr_reports + 1, cx->alloc_reports);
	r = &cx->reports[cx->nr_reports++];
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->at = at;
	r->message = strbuf_detach(&msg, NULL);
	return r;
}

void flow_report_event(struct flow_report *r, struct ir_loc at, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	struct flow_event *ev;
	va_list ap;

	if (!r || !at.file)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ALLOC_GROW(r->events, r->nr_events + 1, r->alloc_events);
	ev = &r->events[r->nr_events++];
	ev->at = at;
	ev->message = strbuf_detach(&msg, NULL);
}

/* ---------------------------------------------------------------- values */

static int within_elem(const struct flow_cx *cx, uint32_t loc);
static int region_referenced_except(struct flow_cx *cx, uint32_t r, uint32_t except);

/* What an unknown pointer points to: one symbolic region per IR path, so a
 * loop walking p = p->next does not create regions without end. */
static uint32_t symbolic_region(struct flow_cx *cx, uint32_t key_loc)
{
	struct region_key key = { .kind = RG_SYMBOLIC, .a = key_loc };
	struct region_info info = { .kind = RG_SYMBOLIC };

	return region_intern(cx, &key, &info);
}

/*
 * Give the unknown pointer in cell `loc` a symbolic pointee.  A region of
 * that key may already be in use in this state by an older value (the
 * object a loop freed last time round): the unknown value is a new object,
 * so the region starts afresh.
 */
static struct fval materialize(struct flow_cx *cx, uint32_t loc)
{
	uint32_t r = symbolic_region(cx, loc);
	struct region_st *rs;

	/* p = p->next after q = p: q still points at the object p named
	 * before, which must keep its region; the new one is another */
	if (region_referenced_except(cx, r, loc) && cx->stmt) {
		struct region_key key = { .kind = RG_SYMBOLIC, .a = loc,
					  .b = (cx->block << 12 | (uint32_t)(cx->stmt - cx->f->blocks[cx->block].stmts)) + 1 };
		struct region_info info = { .kind = RG_SYMBOLIC };
		r = region_intern(cx, &key, &info);
	}
	uint32_t holder = region_of_loc(cx, loc);
	struct region_st def;
	/* an element stands for all elements' objects, and so does what they point to */
	int many = within_elem(cx, loc) ||
		   (holder != UINT32_MAX && state_region_peek(cx, cx->st, holder, &def)->many);

	rs = state_region(cx, cx->st, r);
	struct fval v = fval_ptr(r, loc_region(cx, r));

	rs->state = RGS_LIVE;
	rs->null = NN_UNKNOWN;
	rs->escaped = 0;
	rs->many = (uint8_t)many;
	state_drop(cx, cx->st, loc_region(cx, r)); /* nothing is known of a new object (nor written) */
	state_set(cx, cx->st, loc, v);
	return v;
}

struct fval flow_materialize(struct flow_cx *cx, uint32_t loc)
{
	return materialize(cx, loc);
}

/* x, x.f, x[]: paths that go through no pointer name the same cell in every state.
 * (x[1] and x[i] do not: which cell they name depends on the state.) */
static int path_is_static(const struct flow_cx *cx, ir_path p)
{
	for (; p; p = cx->f->paths[p].base) {
		if (cx->f->paths[p].kind == IRP_DEREF ||
		    (cx->f->paths[p].kind == IRP_ELEM && cx->f->paths[p].id))
			return 0;
		if (cx->f->paths[p].kind == IRP_VAR)
			return 1;
	}
	return 0;
}

/*
 * Which cell an element at a known index is: while nothing was stored in
 * the array but elements at known indices, each such element has a cell
 * of its own (id: index + 1), so that a[1] read after a[0] = x is unset.
 * Otherwise one cell (id 0) stands for every element.
 */
static uint32_t elem_cell_id(struct flow_cx *cx, const struct ir_pathrec *r, uint32_t array)
{
	int64_t k = -1;
	uint32_t var = ir_elem_index_var(r);

	if (r->id & IR_ELEM_CONST) {
		k = r->id & ~IR_ELEM_CONST;
	} else if (var != UINT32_MAX) {
		struct fval v = state_get(cx, cx->st, loc_var(cx, var));
		if (v.kind == FV_INT && v.lo == v.hi && v.lo >= 0 && v.lo <= IR_ELEM_MAX_CONST)
			k = v.lo;
	}
	if (k < 0 || !state_elems_apart(cx, cx->st, array))
		return 0;
	return (uint32_t)k + 1;
}

static uint32_t cached_loc(struct flow_cx *cx, ir_path p, uint32_t loc)
{
	if (loc && p < cx->alloc_path_loc)
		cx->path_loc[p] = loc;
	return loc;
}

uint32_t flow_loc_of_path(struct flow_cx *cx, ir_path p)
{
	const struct ir_pathrec *r;
	uint32_t base;
	struct fval v;

	if (!p)
		return 0;
	if (p < cx->alloc_path_loc && cx->path_loc[p])
		return cx->path_loc[p];
	r = &cx->f->paths[p];
	switch (r->kind) {
	case IRP_VAR:
		return cached_loc(cx, p, loc_var(cx, r->id));
	case IRP_FIELD:
		base = flow_loc_of_path(cx, r->base);
		if (!base)
			return 0;
		return path_is_static(cx, r->base) ? cached_loc(cx, p, loc_intern(cx, LOC_FIELD, base, r->id))
						   : loc_intern(cx, LOC_FIELD, base, r->id);
	case IRP_ELEM:
		base = flow_loc_of_path(cx, r->base);
		if (!base)
			return 0;
		if (r->id)
			return loc_intern(cx, LOC_ELEM, base, elem_cell_id(cx, r, base));
		return path_is_static(cx, r->base) ? cached_loc(cx, p, loc_intern(cx, LOC_ELEM, base, 0))
						   : loc_intern(cx, LOC_ELEM, base, 0);
	case IRP_DEREF:
		base = flow_loc_of_path(cx, r->base);
		if (!base)
			return 0;
		v = state_get(cx, cx->st, base);
		if (v.kind == FV_TOP)
			v = materialize(cx, base);
		if (v.kind != FV_PTR)
			return 0;
		/* *(p + i) is some element of p's block, like p[i]; so is *p once
		 * p[i] was stored in a heap block (calloc's zeroes are stale then) */
		if (v.flags & FVF_INTERIOR)
			return loc_intern(cx, LOC_ELEM, v.loc, 0);
		if (cx->locs[v.loc].has_kids && cx->regions[v.region].kind == RG_HEAP) {
			uint32_t any = loc_intern(cx, LOC_ELEM, v.loc, 0);
			if (state_has(cx->st, any))
				return any;
		}
		return v.loc;
	}
	return 0;
}

static uint32_t string_region(struct flow_cx *cx)
{
	struct region_key key = { .kind = RG_STRING };
	struct region_info info = { .kind = RG_STRING };

	return region_intern(cx, &key, &info);
}

struct fval flow_eval(struct flow_cx *cx, const struct ir_val *v)
{
	uint32_t loc, r;

	switch (v->kind) {
	case IRV_INT:
		return fval_int(v->k, v->k);
	case IRV_NULL:
		return (struct fval){ .kind = FV_NULL };
	case IRV_STR:
		r = string_region(cx);
		return fval_ptr(r, loc_region(cx, r));
	case IRV_ADDR:
		loc = flow_loc_of_path(cx, v->path);
		if (!loc || (r = region_of_loc(cx, loc)) == UINT32_MAX)
			return fval_top();
		return fval_ptr(r, loc);
	case IRV_PATH:
		loc = flow_loc_of_path(cx, v->path);
		return loc ? state_get(cx, cx->st, loc) : fval_top();
	default:
		return fval_top();
	}
}

const struct fval *flow_call_arg(struct flow_cx *cx, const struct ir_stmt *s, unsigned i)
{
	static const struct fval top = { .kind = FV_TOP };

	(void)s;
	return i < cx->nr_args ? &cx->args[i] : &top;
}

/* ---------------------------------------------------------------- hooks */

static void run_val_hooks(struct flow_cx *cx, const struct flow_hooks *h, const struct ir_stmt *s,
			  const struct fval *v)
{
	for (size_t i = 0; i < h->nr; i++)
		h->items[i].fn.val(cx, s, v);
}

void flow_run_deref_hooks(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v)
{
	flow_summary_note_use(cx, 0, v, 0, s->loc);
	run_val_hooks(cx, &cx->fe->deref, s, v);
}

void flow_run_read_hooks(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v)
{
	run_val_hooks(cx, &cx->fe->read, s, v);
}

/* Is any cell other than temporaries (and `except`) still pointing into region r? */
static int region_referenced_except(struct flow_cx *cx, uint32_t r, uint32_t except)
{
	for (uint32_t i = 0; i < cx->st->nr_cells; i++) {
		const struct cell *c = &cx->st->cells[i];
		uint32_t root = loc_root(cx, c->loc);
		if (c->v.kind != FV_PTR || c->v.region != r || c->loc == except)
			continue;
		if (cx->locs[root].kind == LOC_VAR && (cx->f->vars[cx->locs[root].id].flags & IRV_TEMP))
			continue;
		return 1;
	}
	return 0;
}

static int region_referenced(struct flow_cx *cx, uint32_t r)
{
	return region_referenced_except(cx, r, 0);
}

static int is_owned_live(struct flow_cx *cx, uint32_t r)
{
	struct region_st def;
	const struct region_st *rs = state_region_peek(cx, cx->st, r, &def);

	return cx->regions[r].kind == RG_HEAP && rs->state == RGS_LIVE && rs->null != NN_NULL &&
	       !rs->escaped;
}

/* Does loc lie in an array element (in one at an unknown index only, if
 * unknown_only: a cell that stands for every element, so stores into it
 * are weak)? */
static int in_element(const struct flow_cx *cx, uint32_t loc, int unknown_only)
{
	for (; loc; loc = cx->locs[loc].parent) {
		if (cx->locs[loc].kind == LOC_ELEM && (!unknown_only || !cx->locs[loc].id))
			return 1;
		if (cx->locs[loc].kind != LOC_ELEM && cx->locs[loc].kind != LOC_FIELD)
			return 0;
	}
	return 0;
}

static int within_elem(const struct flow_cx *cx, uint32_t loc)
{
	return in_element(cx, loc, 0);
}

/* Is loc an element of memory the caller owns?  Its elements at known
 * indices have cells of their own for what this function writes (see
 * state_elems_apart), but a test of modules[0], m = 0 on a loop's first
 * turn, must not say the caller's array is empty to a later loop. */
static int in_callers_element(const struct flow_cx *cx, uint32_t loc)
{
	const struct locrec *l = &cx->locs[loc];

	return l->kind == LOC_ELEM && cx->locs[l->parent].kind == LOC_REGION &&
	       cx->regions[cx->locs[l->parent].id].kind == RG_SYMBOLIC;
}

static int is_variable_region(const struct flow_cx *cx, uint32_t r)
{
	return cx->regions[r].kind == RG_STACK || cx->regions[r].kind == RG_GLOBAL;
}

/* Store v into loc; if that dropped the last pointer to a live allocation, say so. */
static struct fval weak_elem_value(struct fval old, struct fval v)
{
	if (v.kind == FV_INT && old.kind == FV_INT)
		return fval_int(old.lo < v.lo ? old.lo : v.lo, old.hi > v.hi ? old.hi : v.hi);
	return fval_top();
}

/* The cell that stands for every element where loc names elements at known indices. */
static uint32_t any_elem_loc(struct flow_cx *cx, uint32_t loc)
{
	const struct locrec r = cx->locs[loc];

	if (r.kind == LOC_ELEM)
		return loc_intern(cx, LOC_ELEM, any_elem_loc(cx, r.parent), 0);
	if (r.kind == LOC_FIELD)
		return loc_intern(cx, LOC_FIELD, any_elem_loc(cx, r.parent), r.id);
	return loc;
}

static void store(struct flow_cx *cx, const struct ir_stmt *s, uint32_t loc, struct fval v)
{
	struct fval old;

	/* pointers in arrays are followed as before: one cell for all elements
	 * (elements at known indices are told apart for initialisation only,
	 * and for addresses of variables: {&a, &b} keeps &a in [0]) */
	if (v.kind == FV_PTR && within_elem(cx, loc) &&
	    (in_element(cx, loc, 1) || !is_variable_region(cx, v.region)))
		loc = any_elem_loc(cx, loc);
	old = state_get(cx, cx->st, loc);
	int same, replaced;
	struct region_st def;

	/* p[i] = NULL clears one element; the others may still hold the
	 * block stored before, or not: which one a later p[j] reads is
	 * unknown, so the block is no longer followed (neither lost nor used) */
	if (old.kind == FV_PTR && v.kind != FV_PTR && within_elem(cx, loc)) {
		state_region(cx, cx->st, old.region)->escaped = 1;
		state_set(cx, cx->st, loc, fval_top());
		return;
	}
	/* argv[n] = NULL says nothing of argv[0]: one cell stands for all, so
	 * it holds what any element may hold */
	if ((v.kind == FV_NULL || v.kind == FV_INT) && in_element(cx, loc, 1))
		v = weak_elem_value(old, v);
	state_set(cx, cx->st, loc, v);
	if (!cx->impure && flow_loc_is_external(cx, loc))
		cx->impure = 1; /* the caller can see this store */
	if (old.kind != FV_PTR)
		return;
	/* p = malloc() in a loop replaces the previous block of the same site;
	 * an array element stands for all elements, so it replaces nothing */
	/* p[1] = q after p[0] = r: this one cell stands for both elements, so
	 * which block a later p[i] is, is unknown; neither is tracked further */
	if (v.kind == FV_PTR && v.region != old.region && within_elem(cx, loc)) {
		state_region(cx, cx->st, old.region)->escaped = 1;
		state_region(cx, cx->st, v.region)->escaped = 1;
		state_set(cx, cx->st, loc, fval_top());
		return;
	}
	same = v.kind == FV_PTR && v.region == old.region;
	replaced = !same || (state_region_peek(cx, cx->st, old.region, &def)->many &&
			     !within_elem(cx, loc));
	if (replaced && is_owned_live(cx, old.region) &&
	    !region_referenced_except(cx, old.region, same ? loc : 0)) {
		for (size_t i = 0; i < cx->fe->lost.nr; i++)
			cx->fe->lost.items[i].fn.region(cx, s, old.region);
	}
}

void flow_set_dst(struct flow_cx *cx, const struct ir_stmt *s, struct fval v)
{
	uint32_t loc = s->dst ? flow_loc_of_path(cx, s->dst) : 0;

	if (loc)
		store(cx, s, loc, v);
}

/*
 * Forget what is stored at loc and below (someone else may have written
 * it); blocks that were pointed to from there are no longer ours to
 * track, so they escape rather than look leaked.
 */
#define MAX_LOCALS_REACHED 16

static void havoc_escape_depth(struct flow_cx *cx, uint32_t loc, int depth)
{
	uint32_t reached[MAX_LOCALS_REACHED];
	int n = 0;

	for (uint32_t i = 0; i < cx->st->nr_cells; i++) {
		const struct cell *c = &cx->st->cells[i];
		enum region_kind k;
		if (c->v.kind != FV_PTR || !loc_within(cx, c->loc, loc))
			continue;
		state_region(cx, cx->st, c->v.region)->escaped = 1;
		k = (enum region_kind)cx->regions[c->v.region].kind;
		if ((k == RG_STACK || k == RG_SYMBOLIC || k == RG_HEAP) && n < MAX_LOCALS_REACHED)
			reached[n++] = c->v.region;
	}
	state_havoc(cx, cx->st, loc);
	/* ccv.value = &cv; compile(&ccv), or r->body->file written by
	 * write_body(r): what the memory points to may be written as well */
	for (int i = 0; i < n && depth < 3; i++)
		havoc_escape_depth(cx, loc_region(cx, reached[i]), depth + 1);
}

void flow_havoc_escape(struct flow_cx *cx, uint32_t loc)
{
	havoc_escape_depth(cx, loc, 0);
}

void flow_escape_value(struct flow_cx *cx, const struct fval *v)
{
	uint32_t root;

	if (v->kind != FV_PTR)
		return;
	state_region(cx, cx->st, v->region)->escaped = 1;
	/* what the callee may write through it */
	root = loc_region(cx, v->region);
	flow_havoc_escape(cx, v->loc ? v->loc : root);
}

static uint32_t new_heap(struct flow_cx *cx, const struct ir_stmt *s, enum alloc_family fam,
			 enum nullness null, int zeroed, uint32_t n);

uint32_t flow_new_heap(struct flow_cx *cx, const struct ir_stmt *s, enum alloc_family fam,
		       enum nullness null, int zeroed)
{
	return new_heap(cx, s, fam, null, zeroed, 0);
}

uint32_t flow_new_heap_at(struct flow_cx *cx, const struct ir_stmt *s, enum alloc_family fam,
			  enum nullness null, uint32_t n)
{
	return new_heap(cx, s, fam, null, 0, n);
}

static uint32_t new_heap(struct flow_cx *cx, const struct ir_stmt *s, enum alloc_family fam,
			 enum nullness null, int zeroed, uint32_t n)
{
	struct region_key key = { .kind = RG_HEAP, .a = cx->block,
				  .b = (uint32_t)(s - cx->f->blocks[cx->block].stmts) | (n << 24) };
	struct region_info info = { .kind = RG_HEAP, .family = (uint8_t)fam, .site = s->loc,
				    .origin = s->callee, .zeroed = zeroed };
	uint32_t r = region_intern(cx, &key, &info);
	struct region_st *rs = state_region(cx, cx->st, r);
	int again = rs->state == RGS_LIVE || rs->state == RGS_TOP || rs->many;

	/* the site runs again while an earlier block of it is still held
	 * somewhere (a loop filling an array): one region for many blocks */
	rs->many = again && region_referenced(cx, r);
	rs = state_region(cx, cx->st, r);
	rs->state = RGS_LIVE;
	rs->null = (uint8_t)null;
	rs->escaped = 0;
	state_havoc(cx, cx->st, loc_region(cx, r));
	state_set(cx, cx->st, loc_region(cx, r), (struct fval){ .kind = FV_UNINIT });
	if (zeroed || fam != FAM_MALLOC)
		state_set(cx, cx->st, loc_region(cx, r), zeroed ? fval_int(0, 0) : fval_top());
	return r;
}

/* free(p), fclose(fp), delete p: check through the hooks, then mark freed. */
/* close(fd) with fd an integer parameter: the caller's descriptor, which
 * the summary says this function releases (a pointer parameter's block is
 * followed through its region instead). */
static void note_released_param(struct flow_cx *cx, const struct ir_stmt *s, unsigned arg, enum alloc_family fam)
{
	const struct ir_val *a;
	const struct ir_var *var;

	if (arg >= s->aux)
		return;
	a = &cx->f->args[s->args + arg];
	if (a->kind != IRV_PATH || cx->f->paths[a->path].kind != IRP_VAR)
		return;
	var = &cx->f->vars[cx->f->paths[a->path].id];
	if (var->param_index >= 0 && !(var->type & IRT_POINTER))
		flow_summary_note_release(cx, var->param_index, (int)fam);
}

void flow_do_dealloc(struct flow_cx *cx, const struct ir_stmt *s, unsigned arg,
		     enum alloc_family fam, const char *fn)
{
	const struct fval *v = flow_call_arg(cx, s, arg);
	struct region_st *rs;

	for (size_t i = 0; i < cx->fe->dealloc.nr; i++)
		cx->fe->dealloc.items[i].fn.dealloc(cx, s, v, fam, fn);
	if (v->kind != FV_PTR) {
		note_released_param(cx, s, arg, fam);
		return;
	}
	/* freeing a variable or a literal is free-non-heap's finding, once */
	if (cx->regions[v->region].kind != RG_HEAP && cx->regions[v->region].kind != RG_SYMBOLIC)
		return;
	rs = state_region(cx, cx->st, v->region);
	if (rs->many) { /* one of several blocks: which one is unknown */
		rs->state = RGS_TOP;
		return;
	}
	if (rs->state == RGS_LIVE || rs->state == RGS_TOP) {
		rs->state = RGS_FREED;
		rs->freed_at = s->loc;
		rs->freed_by = s->callee;
		rs->freed_fam = (uint8_t)fam;
	}
}

static int path_is_pointer(struct flow_cx *cx, const struct ir_val *v);

/* ---------------------------------------------------------------- statements */

/*
 * a & b: exact for constants; a value already within a low-bit mask
 * (rc & 0xff, rc in 0..255) is itself; anything masked by a constant
 * m >= 0 lies in 0..m.
 */
static struct fval bit_and(struct fval a, struct fval b)
{
	if (a.kind == FV_INT && b.kind == FV_INT && a.lo == a.hi && b.lo == b.hi)
		return fval_int(a.lo & b.lo, a.lo & b.lo);
	if (a.kind == FV_INT && a.lo == a.hi && a.lo >= 0) { /* mask & x */
		struct fval t = a;
		a = b;
		b = t;
	}
	if (b.kind != FV_INT || b.lo != b.hi || b.lo < 0)
		return fval_top();
	if (a.kind == FV_INT && a.lo >= 0 && a.hi <= b.lo && ((b.lo + 1) & b.lo) == 0)
		return a;
	return fval_int(0, b.lo);
}

static struct fval arith(struct flow_cx *cx, const struct ir_stmt *s)
{
	struct fval a = flow_eval(cx, &s->a), b = flow_eval(cx, &s->b);
	int64_t lo, hi;

	/* p - s: a distance, an integer (the result is not a pointer) */
	if (a.kind == FV_PTR && s->aux == IRA_SUB &&
	    (b.kind == FV_PTR || (s->dst && !(cx->f->paths[s->dst].type & IRT_POINTER))))
		return fval_top();
	if (a.kind == FV_PTR && (s->aux == IRA_ADD || s->aux == IRA_SUB || s->aux == IRA_OTHER || s->aux == IRA_AND)) {
		if (b.kind == FV_INT && b.lo == 0 && b.hi == 0)
			return a;
		a.flags |= FVF_INTERIOR;
		return a;
	}
	if (s->aux == IRA_AND)
		return bit_and(a, b);
	if (a.kind != FV_INT || b.kind != FV_INT)
		return fval_top();
	/* intervals only for + and - with finite ends; the rest is unknown */
	if (a.lo == INF_LO || a.hi == INF_HI || b.lo == INF_LO || b.hi == INF_HI)
		return fval_top();
	/* a result that overflows int64_t is unknown, not wrapped */
	if (s->aux == IRA_ADD && !__builtin_add_overflow(a.lo, b.lo, &lo) &&
	    !__builtin_add_overflow(a.hi, b.hi, &hi))
		return fval_int(lo, hi);
	if (s->aux == IRA_SUB && !__builtin_sub_overflow(a.lo, b.hi, &lo) &&
	    !__builtin_sub_overflow(a.hi, b.lo, &hi))
		return fval_int(lo, hi);
	if (s->aux == IRA_MUL && a.lo == a.hi && b.lo == b.hi && !__builtin_mul_overflow(a.lo, b.lo, &lo))
		return fval_int(lo, lo);
	return fval_top();
}

static int unwritten_caller_memory(struct flow_cx *cx, uint32_t loc);

static void do_decl(struct flow_cx *cx, const struct ir_stmt *s)
{
	uint32_t loc = flow_loc_of_path(cx, s->dst);

	if (loc)
		store(cx, s, loc, (struct fval){ .kind = FV_UNINIT });
}

static int is_plain_pointer_var(const struct flow_cx *cx, ir_path p)
{
	const struct ir_pathrec *r = &cx->f->paths[p];

	return r->kind == IRP_VAR && (r->type & IRT_POINTER) && !(r->type & IRT_FUNCPTR) &&
	       !(cx->f->vars[r->id].flags & (IRV_TEMP | IRV_GLOBAL));
}

static void do_assign(struct flow_cx *cx, const struct ir_stmt *s)
{
	struct fval v = flow_eval(cx, &s->a);
	uint32_t loc = flow_loc_of_path(cx, s->dst), src;

	if (v.kind == FV_UNINIT && !(cx->f->paths[s->dst].type & (IRT_RECORD | IRT_ARRAY)))
		v = fval_top(); /* reported at the READ; do not report again downstream */
	if (v.kind == FV_UNINIT && s->a.kind == IRV_PATH && (src = flow_loc_of_path(cx, s->a.path)) &&
	    cx->locs[src].has_kids)
		v = fval_top(); /* q = p, p partly set: its fields are not copied one by one */
	/* q = p, p an unknown pointer (a parameter): both name one object, so
	 * free(p) is seen through q */
	if (v.kind == FV_TOP && s->a.kind == IRV_PATH && is_plain_pointer_var(cx, s->a.path) &&
	    (src = flow_loc_of_path(cx, s->a.path)))
		v = materialize(cx, src);
	if (v.kind == FV_NULL && (s->a.kind == IRV_NULL || s->a.kind == IRV_INT))
		v = fval_null_from(NULL_ASSIGNED, s->loc, v.flags | FVF_DEFAULT);
	/* an integer the caller's memory held: a branch on it is the caller's
	 * business (see KS_COND_CALLER) */
	if (cx->pointer_params && v.kind == FV_TOP && !v.flags && s->a.kind == IRV_PATH &&
	    (cx->f->paths[s->dst].type & IRT_INT) && (src = flow_loc_of_path(cx, s->a.path)) &&
	    unwritten_caller_memory(cx, src))
		v.flags |= FVF_CALLER;
	if (!loc)
		return;
	for (size_t i = 0; i < cx->fe->assign.nr && !(s->flags & IRS_UNCERTAIN); i++)
		cx->fe->assign.items[i].fn.assign(cx, s, loc, &v);
	store(cx, s, loc, v);
}

static void do_deref(struct flow_cx *cx, const struct ir_stmt *s)
{
	uint32_t loc = flow_loc_of_path(cx, s->a.path);
	struct fval v;

	if (!loc)
		return;
	v = state_get(cx, cx->st, loc);
	if (v.kind == FV_TOP)
		v = materialize(cx, loc);
	if (!(s->flags & IRS_UNCERTAIN))
		flow_run_deref_hooks(cx, s, &v);
	/* past a dereference the pointer was not null (or we crashed) */
	if (v.kind == FV_PTR) {
		struct region_st *rs = state_region(cx, cx->st, v.region);
		if (rs->null != NN_NULL)
			rs->null = NN_NONNULL;
	}
}

/* p[k] read at loc, an element of the block at `block`: k + 1, else 0. */
static uint32_t const_elem_of(const struct flow_cx *cx, ir_path p, uint32_t loc, uint32_t block)
{
	const struct ir_pathrec *r = &cx->f->paths[p];

	if (!p || r->kind != IRP_ELEM || !(r->id & IR_ELEM_CONST) || cx->locs[loc].kind != LOC_ELEM ||
	    cx->locs[loc].parent != block || (r->id & ~IR_ELEM_CONST) > IR_ELEM_MAX_CONST)
		return 0;
	return (r->id & ~IR_ELEM_CONST) + 1;
}

/* Is loc in memory the caller owns (an unknown pointer's target) and not
 * yet written on this path? */
static int unwritten_caller_memory(struct flow_cx *cx, uint32_t loc)
{
	uint32_t r = region_of_loc(cx, loc);

	if (r == UINT32_MAX || cx->regions[r].kind != RG_SYMBOLIC)
		return 0;
	for (uint32_t l = loc; ; l = cx->locs[l].parent) {
		if (state_has(cx->st, l))
			return 0;
		if (cx->locs[l].kind != LOC_FIELD && cx->locs[l].kind != LOC_ELEM)
			return 1;
	}
}

/* A read of memory the caller owns that this path has not written yet:
 * what the caller passed must hold a value there. */
static void note_unwritten_read(struct flow_cx *cx, const struct ir_stmt *s, uint32_t loc)
{
	uint32_t r = region_of_loc(cx, loc);
	const struct locrec *l = &cx->locs[loc];
	struct fval p;

	if (l->kind == LOC_FIELD && cx->locs[l->parent].kind == LOC_VAR && !state_has(cx->st, loc) &&
	    !state_has(cx->st, l->parent)) { /* s.f of a struct passed by value */
		flow_summary_note_field_read(cx, cx->locs[l->parent].id, l->id, s->loc);
		return;
	}
	if (!unwritten_caller_memory(cx, loc))
		return;
	p = fval_ptr(r, loc_region(cx, r));
	flow_summary_note_use(cx, 1, &p, const_elem_of(cx, s->a.path, loc, p.loc), s->loc);
}

static void do_read(struct flow_cx *cx, const struct ir_stmt *s)
{
	uint32_t loc = flow_loc_of_path(cx, s->a.path);
	struct fval v;

	if (!loc)
		return;
	v = state_get(cx, cx->st, loc);
	if (v.kind == FV_TOP && !(s->flags & IRS_UNCERTAIN))
		note_unwritten_read(cx, s, loc);
	if (!(s->flags & IRS_UNCERTAIN))
		run_val_hooks(cx, &cx->fe->read, s, &v);
	/* report each uninitialised value once; a whole struct keeps the
	 * fields written into it */
	if (v.kind == FV_UNINIT && !(cx->f->paths[s->a.path].type & (IRT_RECORD | IRT_ARRAY)))
		state_set(cx, cx->st, loc, fval_top());
}

static void do_return(struct flow_cx *cx, const struct ir_stmt *s)
{
	struct fval v = flow_eval(cx, &s->a);
	uint32_t src;

	/* return p, p an unknown pointer (a parameter): the caller gets the
	 * object it named, which the summary can then say */
	if (v.kind == FV_TOP && s->a.kind == IRV_PATH && is_plain_pointer_var(cx, s->a.path) &&
	    (src = flow_loc_of_path(cx, s->a.path)))
		v = materialize(cx, src);

	run_val_hooks(cx, &cx->fe->ret, s, &v);
	/* a struct returned by value hands its pointers to the caller */
	if (s->a.kind == IRV_PATH && (cx->f->paths[s->a.path].type & IRT_RECORD)) {
		uint32_t loc = flow_loc_of_path(cx, s->a.path);
		if (loc)
			flow_havoc_escape(cx, loc);
	}
	state_set(cx, cx->st, loc_intern(cx, LOC_RET, 0, 0), v);
}

/* Evaluate the arguments; an unknown pointer gets its symbolic pointee, so
 * that free(p) of a parameter is remembered. */
/* After a condition we could not read: nothing is known of p's null-ness. */
static void do_forget(struct flow_cx *cx, const struct ir_stmt *s)
{
	uint32_t loc = flow_loc_of_path(cx, s->a.path);
	struct fval v;

	if (!loc)
		return;
	v = state_get(cx, cx->st, loc);
	if (v.kind == FV_NULL) {
		state_set(cx, cx->st, loc, fval_top());
	} else if (v.kind == FV_PTR) {
		struct region_st *rs = state_region(cx, cx->st, v.region);
		if (rs->null == NN_NULL || rs->null == NN_MAYBE)
			rs->null = NN_UNKNOWN;
	}
}

/*
 * After a call that may change globals (an unknown function, or a local
 * one that writes what its caller sees), forget what this function knew
 * of them; what they pointed to is no longer this function's to track.
 */
static int name_in(ir_str name, const ir_str *names, int n)
{
	for (int i = 0; i < n; i++)
		if (names[i] == name)
			return 1;
	return 0;
}

static void havoc_globals(struct flow_cx *cx, const ir_str *keep, int nr_keep)
{
	uint32_t out = 0;

	for (uint32_t i = 0; i < cx->st->nr_cells; i++) {
		struct cell *c = &cx->st->cells[i];
		const struct locrec *root = &cx->locs[loc_root(cx, c->loc)];
		int global = root->kind == LOC_VAR &&
			     (cx->f->vars[root->id].flags & (IRV_GLOBAL | IRV_STATIC_LOCAL));
		if (!global || (c->loc == loc_root(cx, c->loc) &&
				name_in(cx->f->vars[root->id].name, keep, nr_keep))) {
			cx->st->cells[out++] = *c;
			continue;
		}
		if (c->v.kind == FV_PTR)
			state_region(cx, cx->st, c->v.region)->escaped = 1;
	}
	cx->st->nr_cells = out;
}

void flow_call_impure(struct flow_cx *cx, const ir_str *keep, int nr_keep)
{
	cx->impure = 1;
	havoc_globals(cx, keep, nr_keep);
}

static void eval_args(struct flow_cx *cx, const struct ir_stmt *s)
{
	cx->nr_args = 0;
	for (uint32_t i = 0; i < s->aux; i++) {
		const struct ir_val *a = &cx->f->args[s->args + i];
		struct fval v = flow_eval(cx, a);
		if (v.kind == FV_TOP && path_is_pointer(cx, a)) {
			uint32_t loc = flow_loc_of_path(cx, a->path);
			if (loc)
				v = materialize(cx, loc);
		}
		ALLOC_GROW(cx->args, cx->nr_args + 1, cx->alloc_args);
		cx->args[cx->nr_args++] = v;
	}
}

/*
 * The pointer an allocator we do not model returns (a project's xmalloc,
 * sqlite3DbMallocZero, g_malloc, ...: "alloc" in the name).  Its blocks are
 * not tracked for leaks, but like malloc's, a NULL from it means memory ran
 * out: what the code then does on that path is not reported (as for malloc,
 * see flow_alloc_failed_on_path).
 */
static int names_allocator(const char *name)
{
	for (const char *p = name; *p; p++)
		if (!strncasecmp(p, "alloc", 5))
			return 1;
	return 0;
}

void flow_mark_alloc_like(struct flow_cx *cx, const struct ir_stmt *s)
{
	uint32_t loc;
	struct fval v;

	if (!s->dst || !(cx->f->paths[s->dst].type & IRT_POINTER) || !(loc = flow_loc_of_path(cx, s->dst)))
		return;
	v = flow_materialize(cx, loc);
	if (v.kind == FV_PTR)
		state_region(cx, cx->st, v.region)->alloc_like = 1;
}

void flow_note_alloc_like_result(struct flow_cx *cx, const struct ir_stmt *s)
{
	uint8_t *known;

	if (!s->callee)
		return;
	known = &cx->allocator_name[s->callee]; /* the analysis interns no string */
	if (!*known)
		*known = names_allocator(ir_string(cx->t, s->callee)) ? 2 : 1;
	if (*known == 2)
		flow_mark_alloc_like(cx, s);
}

/* A call nobody models: pointers passed may be kept or written through. */
static void unknown_call(struct flow_cx *cx, const struct ir_stmt *s)
{
	cx->impure = 1;
	havoc_globals(cx, NULL, 0);
	for (uint32_t i = 0; i < cx->nr_args; i++)
		flow_escape_value(cx, &cx->args[i]);
	flow_set_dst(cx, s, fval_top());
	flow_note_alloc_like_result(cx, s);
}

static void do_call(struct flow_cx *cx, const struct ir_stmt *s)
{
	const char *name = s->callee ? ir_string(cx->t, s->callee) : "";

	eval_args(cx, s);
	for (size_t i = 0; i < cx->fe->call.nr; i++)
		if (!strcmp(cx->fe->call.items[i].callee, name))
			cx->fe->call.items[i].fn.stmt(cx, s);
	if (flow_model_call(cx, s)) {
		if (!flow_model_is_pure(ir_string(cx->t, s->callee)))
			cx->impure = 1;
		return;
	}
	if (flow_apply_summary(cx, s))
		return;
	unknown_call(cx, s);
}

static void transfer(struct flow_cx *cx, const struct ir_stmt *s)
{
	cx->stmt = s;
	cx->steps++;
	switch (s->op) {
	case IR_DECL: do_decl(cx, s); break;
	case IR_ASSIGN: do_assign(cx, s); break;
	case IR_ARITH: flow_set_dst(cx, s, arith(cx, s)); break;
	case IR_CALL: do_call(cx, s); break;
	case IR_DEREF: do_deref(cx, s); break;
	case IR_READ: do_read(cx, s); break;
	case IR_RETURN: do_return(cx, s); break;
	case IR_ESCAPE: {
		struct fval v = flow_eval(cx, &s->a);
		flow_escape_value(cx, &v);
		break;
	}
	case IR_FORGET: do_forget(cx, s); break;
	default: break;
	}
}

/* ---------------------------------------------------------------- branches */

static uint8_t negate(uint8_t op)
{
	static const uint8_t neg[] = { IRC_NE, IRC_EQ, IRC_GE, IRC_GT, IRC_LE, IRC_LT };
	return neg[op];
}

static uint8_t swap_op(uint8_t op)
{
	static const uint8_t sw[] = { IRC_EQ, IRC_NE, IRC_GT, IRC_GE, IRC_LT, IRC_LE };
	return sw[op];
}

static int is_null_const(const struct fval *v)
{
	return v->kind == FV_NULL || (v->kind == FV_INT && v->lo == 0 && v->hi == 0);
}

static int path_is_pointer(struct flow_cx *cx, const struct ir_val *v)
{
	return v->kind == IRV_PATH && (cx->f->paths[v->path].type & IRT_POINTER);
}

/* What a branch learnt of the value at pv.  Not for an element: the cell
 * stands for every element, and `s[0] == 0` says nothing of s[-4]. */
static void set_path(struct flow_cx *cx, const struct ir_val *pv, struct fval v)
{
	uint32_t loc = pv->kind == IRV_PATH ? flow_loc_of_path(cx, pv->path) : 0;

	if (loc && !within_elem(cx, loc))
		state_set(cx, cx->st, loc, v);
}

/* The allocation behind v failed (is_null) or succeeded, on this branch. */
static void settle_region(struct flow_cx *cx, uint32_t r, int is_null)
{
	struct region_st *rs = state_region(cx, cx->st, r);

	rs->null = is_null ? NN_NULL : NN_NONNULL;
	if (is_null && rs->alloc_like) /* an allocator we do not model ran out */
		state_kset(cx->st, kkey(KS_ENGINE_ID, KS_ALLOC_FAILED), 1);
	if (is_null && cx->regions[r].kind == RG_HEAP && rs->state == RGS_LIVE) {
		uint32_t old = rs->moved_from;
		rs->state = RGS_NOTALLOC;
		/* out of memory is rare; a file that is not there is not */
		if (cx->regions[r].family == FAM_MALLOC || cx->regions[r].family == FAM_NEW ||
		    cx->regions[r].family == FAM_NEW_ARRAY)
			state_kset(cx->st, kkey(KS_ENGINE_ID, KS_ALLOC_FAILED), 1);
		if (old) /* realloc failed: the old block is still ours */
			state_region(cx, cx->st, old - 1)->state = RGS_LIVE;
	}
}

/*
 * pv == NULL (is_eq) or pv != NULL (or pv == q, q NULL here) holds on this
 * branch: refine pv, and say whether the branch is feasible.  `flags` carries
 * FVF_DEFAULT when the NULL is a variable's assigned one (q = NULL, set to
 * other things elsewhere): p is then NULL only as surely as that value
 * reaches this test, a loop or branch correlation the engine does not see.
 */
static int null_test(struct flow_cx *cx, const struct ir_val *pv, struct fval v, int is_eq, uint8_t flags)
{
	struct region_st def;
	const struct region_st *rs;
	uint32_t at = pv->kind == IRV_PATH ? flow_loc_of_path(cx, pv->path) : 0;

	/* argv[j] == NULL, j unknown: one cell stands for every element, and
	 * what the test says of one unknown value says nothing of argv[3]
	 * (an object this function made and stored there is still that one) */
	if (at && (v.kind == FV_TOP || (v.kind == FV_PTR && cx->regions[v.region].kind == RG_SYMBOLIC)) &&
	    (in_element(cx, at, 1) || in_callers_element(cx, at)))
		return 1;
	switch (v.kind) {
	case FV_NULL:
		return is_eq;
	case FV_PTR:
		rs = state_region_peek(cx, cx->st, v.region, &def);
		if (rs->null == NN_NULL || rs->state == RGS_NOTALLOC)
			return is_eq;
		if (rs->null == NN_NONNULL || (v.flags & FVF_INTERIOR))
			return !is_eq;
		settle_region(cx, v.region, is_eq);
		if (is_eq)
			set_path(cx, pv, fval_null_from(NULL_TESTED, cx->f->blocks[cx->block].cond_loc, flags));
		return 1;
	case FV_TOP: {
		uint32_t loc;
		if (!path_is_pointer(cx, pv) || !(loc = flow_loc_of_path(cx, pv->path)))
			return 1;
		/* the unknown object behind it is absent (NULL: no object to
		 * name, and none to settle, which another pointer may share in a
		 * loop) or present */
		if (is_eq)
			state_set(cx, cx->st, loc, fval_null_from(NULL_TESTED, cx->f->blocks[cx->block].cond_loc, flags));
		else
			settle_region(cx, materialize(cx, loc).region, 0);
		return 1;
	}
	default:
		return 1;
	}
}

static int64_t sat_add(int64_t a, int64_t d)
{
	if (a == INF_HI || a == INF_LO)
		return a;
	if (d > 0 && a > INF_HI - d)
		return INF_HI;
	if (d < 0 && a < INF_LO - d)
		return INF_LO;
	return a + d;
}

/* Narrow [l] and [r] so that l op r can hold; 0 when it cannot. */
static int narrow(uint8_t op, int64_t *llo, int64_t *lhi, int64_t *rlo, int64_t *rhi)
{
	switch (op) {
	case IRC_EQ:
		if (*llo < *rlo) *llo = *rlo; else *rlo = *llo;
		if (*lhi > *rhi) *lhi = *rhi; else *rhi = *lhi;
		break;
	case IRC_NE:
		if (*llo == *lhi && *rlo == *rhi && *llo == *rlo)
			return 0;
		if (*rlo == *rhi) {
			if (*llo == *rlo) *llo = sat_add(*llo, 1);
			else if (*lhi == *rlo) *lhi = sat_add(*lhi, -1);
		}
		break;
	case IRC_LT:
		if (*lhi >= *rhi) *lhi = sat_add(*rhi, -1);
		if (*rlo <= *llo) *rlo = sat_add(*llo, 1);
		break;
	case IRC_LE:
		if (*lhi > *rhi) *lhi = *rhi;
		if (*rlo < *llo) *rlo = *llo;
		break;
	case IRC_GT:
		return narrow(IRC_LT, rlo, rhi, llo, lhi);
	case IRC_GE:
		return narrow(IRC_LE, rlo, rhi, llo, lhi);
	}
	return *llo <= *lhi && *rlo <= *rhi;
}

static void as_interval(const struct fval *v, int64_t *lo, int64_t *hi)
{
	if (v->kind == FV_INT) {
		*lo = v->lo;
		*hi = v->hi;
	} else {
		*lo = INF_LO;
		*hi = INF_HI;
	}
}

/* A resource handle (fd) compared with an integer: -1 on failure, >= 0 on success. */
static int handle_test(struct flow_cx *cx, const struct ir_val *pv, struct fval v, uint8_t op,
		       struct fval k)
{
	int64_t klo, khi, a, b, c, d;
	int can_fail, can_succeed;

	as_interval(&k, &klo, &khi);
	a = -1, b = -1, c = klo, d = khi;
	can_fail = narrow(op, &a, &b, &c, &d);
	a = 0, b = INF_HI, c = klo, d = khi;
	can_succeed = narrow(op, &a, &b, &c, &d);
	if (can_fail && can_succeed)
		return 1;
	if (!can_fail && !can_succeed)
		return 0;
	settle_region(cx, v.region, can_fail);
	if (can_fail)
		set_path(cx, pv, fval_int(-1, -1));
	return 1;
}

static int excludes(const struct fval *v, int64_t k)
{
	return v->kind == FV_INT && (v->flags & FVF_NE) && v->ne == k;
}

/* The refined value of one side; keeps an exclusion that still applies. */
static struct fval refined(const struct fval *old, int64_t lo, int64_t hi, int ne_set, int64_t ne)
{
	struct fval v = fval_int(lo, hi);

	if (ne_set && ne >= lo && ne <= hi && lo != hi) {
		v.flags |= FVF_NE;
		v.ne = ne;
	} else if (excludes(old, old->ne) && old->ne >= lo && old->ne <= hi && lo != hi) {
		v.flags |= FVF_NE;
		v.ne = old->ne;
	}
	return v;
}

static int int_test(struct flow_cx *cx, const struct ir_cond *c, uint8_t op, struct fval l,
		    struct fval r)
{
	int64_t llo, lhi, rlo, rhi;
	int ne_l = 0, ne_r = 0;

	if ((l.kind != FV_INT && l.kind != FV_TOP) || (r.kind != FV_INT && r.kind != FV_TOP))
		return 1;
	as_interval(&l, &llo, &lhi);
	as_interval(&r, &rlo, &rhi);
	/* x == k where x is known to differ from k, and the other way round */
	if (op == IRC_EQ && ((rlo == rhi && excludes(&l, rlo)) || (llo == lhi && excludes(&r, llo))))
		return 0;
	if (!narrow(op, &llo, &lhi, &rlo, &rhi))
		return 0;
	if (llo == lhi && (excludes(&l, llo)))
		return 0;
	if (op == IRC_NE) {
		ne_l = rlo == rhi;
		ne_r = llo == lhi;
	}
	if (c->l.kind == IRV_PATH && !(cx->f->paths[c->l.path].type & (IRT_POINTER | IRT_FLOAT)) &&
	    (llo != INF_LO || lhi != INF_HI || ne_l))
		set_path(cx, &c->l, refined(&l, llo, lhi, ne_l, rlo));
	if (c->r.kind == IRV_PATH && !(cx->f->paths[c->r.path].type & (IRT_POINTER | IRT_FLOAT)) &&
	    (rlo != INF_LO || rhi != INF_HI || ne_r))
		set_path(cx, &c->r, refined(&r, rlo, rhi, ne_r, llo));
	return 1;
}

/* A variable or a block this function allocated: no other object overlaps it. */
static int is_own_object(struct flow_cx *cx, uint32_t region)
{
	return cx->regions[region].kind == RG_STACK || cx->regions[region].kind == RG_HEAP;
}

/* p == q (is_eq) or p != q, both pointing into known objects: feasible? */
static int ptr_test(struct flow_cx *cx, struct fval l, struct fval r, int is_eq)
{
	if ((l.flags | r.flags) & FVF_INTERIOR)
		return 1;
	if (l.region == r.region && l.loc == r.loc)
		return is_eq;
	if (l.region != r.region && is_own_object(cx, l.region) && is_own_object(cx, r.region))
		return !is_eq; /* two distinct objects (a failed malloc's NULL differs too) */
	return 1;
}

/*
 * A condition's operand that the caller's memory held (read there, or
 * copied from there): the region + 1 of that memory, UINT32_MAX when it
 * was copied (which region is not kept), else 0.
 */
static uint32_t from_caller_memory(struct flow_cx *cx, const struct ir_val *iv, const struct fval *v)
{
	uint32_t loc;

	if (v->kind != FV_TOP)
		return 0;
	if (v->flags & FVF_CALLER)
		return UINT32_MAX;
	if (iv->kind == IRV_PATH && (cx->f->paths[iv->path].type & IRT_INT) &&
	    (loc = flow_loc_of_path(cx, iv->path)) && unwritten_caller_memory(cx, loc))
		return region_of_loc(cx, loc) + 1;
	return 0;
}

/* The path branched on the caller's memory in region + 1 `which` (see
 * KS_COND_CALLER); on two different ones, or one not known, it holds -1. */
static void note_caller_test(struct flow_cx *cx, uint32_t which)
{
	int old = state_kget(cx->st, kkey(KS_ENGINE_ID, KS_COND_CALLER));

	if (!which)
		return;
	if (which == UINT32_MAX || (old && (uint32_t)old != which))
		state_kset(cx->st, kkey(KS_ENGINE_ID, KS_COND_CALLER), -1);
	else
		state_kset(cx->st, kkey(KS_ENGINE_ID, KS_COND_CALLER), (int)which);
}

/* Refine cx->st for the branch where the condition is `truth`; 0 if impossible. */
static int refine(struct flow_cx *cx, const struct ir_cond *cond, int truth)
{
	struct ir_cond c = *cond;
	uint8_t op = truth ? c.op : negate(c.op);
	struct fval l = flow_eval(cx, &c.l), r = flow_eval(cx, &c.r);

	if (c.l.kind == IRV_UNKNOWN || c.r.kind == IRV_UNKNOWN)
		return 1;
	if (cx->pointer_params) { /* only a parameter's memory is the caller's (see KS_COND_CALLER) */
		note_caller_test(cx, from_caller_memory(cx, &c.l, &l));
		note_caller_test(cx, from_caller_memory(cx, &c.r, &r));
	}
	if (is_null_const(&l) && !is_null_const(&r)) { /* NULL == p: put the path left */
		struct ir_val tv = c.l;
		struct fval tf = l;
		c.l = c.r, c.r = tv, l = r, r = tf;
		op = swap_op(op);
	}
	if (l.kind == FV_PTR && cx->regions[l.region].family == FAM_FD && r.kind == FV_INT)
		return handle_test(cx, &c.l, l, op, r);
	if (is_null_const(&r) && (op == IRC_EQ || op == IRC_NE) &&
	    (l.kind == FV_PTR || l.kind == FV_NULL || path_is_pointer(cx, &c.l)))
		return null_test(cx, &c.l, l, op == IRC_EQ,
				 c.r.kind == IRV_PATH ? (uint8_t)(r.flags & FVF_DEFAULT) : 0);
	if (l.kind == FV_PTR && r.kind == FV_PTR && (op == IRC_EQ || op == IRC_NE))
		return ptr_test(cx, l, r, op == IRC_EQ);
	return int_test(cx, &c, op, l, r);
}

/* ---------------------------------------------------------------- worklist */

/*
 * What reaches a block.  At first every distinct state is kept (up to
 * MAX_STATES, told apart by hash).  Past that the block merges: states
 * are grouped by their resource facts (what is allocated, freed, held,
 * null) and joined within a group, so a loop counter does not make the
 * engine forget that a block was freed on the path out of the loop.
 */
struct merge_group {
	uint64_t key;                /* hash of the state's resource facts */
	struct state st;
	unsigned joins;
	int dirty;                   /* changed since the block last ran it */
};

struct block_states {
	uint64_t *seen;              /* hashes of the distinct states that reached the entry */
	uint32_t nr_seen, alloc_seen;
	struct state *pending;       /* states to process, owned */
	uint32_t nr_pending, alloc_pending;
	struct merge_group *groups;  /* once merged */
	uint32_t nr_groups, alloc_groups;
	int merged;
	int queued;
};

struct worklist {
	uint32_t *heap;              /* blocks, ordered by reverse post-order number */
	uint32_t nr, alloc;
	const uint32_t *rpo;         /* block -> its number */
};

static int wl_less(const struct worklist *w, uint32_t a, uint32_t b)
{
	return w->rpo[w->heap[a]] < w->rpo[w->heap[b]];
}

static void wl_swap(struct worklist *w, uint32_t a, uint32_t b)
{
	uint32_t t = w->heap[a];
	w->heap[a] = w->heap[b];
	w->heap[b] = t;
}

static void wl_push(struct worklist *w, uint32_t block)
{
	uint32_t i;

	ALLOC_GROW(w->heap, w->nr + 1, w->alloc);
	i = w->nr++;
	w->heap[i] = block;
	while (i && wl_less(w, i, (i - 1) / 2)) {
		wl_swap(w, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static uint32_t wl_pop(struct worklist *w)
{
	uint32_t top = w->heap[0], i = 0;

	w->heap[0] = w->heap[--w->nr];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < w->nr && wl_less(w, l, m))
			m = l;
		if (r < w->nr && wl_less(w, r, m))
			m = r;
		if (m == i)
			break;
		wl_swap(w, i, m);
		i = m;
	}
	return top;
}

/* Reverse post-order numbers from the entry (iteratively: CFGs can be deep). */
static uint32_t *reverse_postorder(const struct ir_func *f)
{
	uint32_t n = f->nr_blocks, *num = ma_calloc(n, sizeof(*num));
	uint32_t *stack = ma_calloc(n + 1, sizeof(*stack)), *next = ma_calloc(n, sizeof(*next));
	uint8_t *seen = ma_calloc(n, 1);
	uint32_t sp = 0, order = n;

	for (uint32_t i = 0; i < n; i++)
		num[i] = UINT32_MAX;
	stack[sp++] = IR_ENTRY;
	seen[IR_ENTRY] = 1;
	while (sp) {
		uint32_t b = stack[sp - 1];
		if (next[b] < f->blocks[b].nsucc) {
			uint32_t s = f->blocks[b].succ[next[b]++];
			if (!seen[s]) {
				seen[s] = 1;
				stack[sp++] = s;
			}
			continue;
		}
		num[b] = --order;
		sp--;
	}
	free(stack);
	free(next);
	free(seen);
	return num;
}

static void enqueue(struct worklist *w, struct block_states *bs, uint32_t b)
{
	if (!bs[b].queued) {
		bs[b].queued = 1;
		wl_push(w, b);
	}
}

/* Take ownership of *s (left empty). */
static void push_pending(struct block_states *b, struct state *s)
{
	ALLOC_GROW(b->pending, b->nr_pending + 1, b->alloc_pending);
	b->pending[b->nr_pending++] = *s;
	state_init(s);
}

static void drop_pending(struct block_states *b)
{
	for (uint32_t i = 0; i < b->nr_pending; i++)
		state_release(&b->pending[i]);
	b->nr_pending = 0;
}

/*
 * Join *s (taken) into the group of its resource facts; 1 when that group
 * changed.  The block runs the group's state once when it is next taken
 * from the worklist, however many joins changed it meanwhile: the last
 * one holds all the others.
 */
static int join_into_group(struct flow_cx *cx, struct block_states *b, struct state *s)
{
	uint64_t key = state_resource_hash(s);
	struct merge_group *g = NULL;
	int changed;

	for (uint32_t i = 0; i < b->nr_groups && !g; i++)
		if (b->groups[i].key == key)
			g = &b->groups[i];
	if (!g && b->nr_groups < MAX_GROUPS) {
		ALLOC_GROW(b->groups, b->nr_groups + 1, b->alloc_groups);
		g = &b->groups[b->nr_groups++];
		g->key = key;
		g->joins = 0;
		g->st = *s;
		g->dirty = 1;
		state_init(s);
		return 1;
	}
	if (!g) /* too many kinds of paths: the first group takes the rest */
		g = &b->groups[0];
	changed = state_join(cx, &g->st, s, ++g->joins > WIDEN_AFTER);
	state_release(s);
	g->dirty |= changed;
	return changed;
}

/* Too many states here: from now on, join by group.  The states already
 * processed have reached the successors; those pending are joined in. */
static void merge_block(struct flow_cx *cx, struct block_states *b, struct state *s)
{
	struct state *old = b->pending;
	uint32_t n = b->nr_pending;

	b->pending = NULL;
	b->nr_pending = b->alloc_pending = 0;
	b->merged = 1;
	for (uint32_t i = 0; i < n; i++)
		join_into_group(cx, b, &old[i]);
	free(old);
	join_into_group(cx, b, s);
}

static int seen_before(const struct block_states *b, uint64_t h)
{
	for (uint32_t i = 0; i < b->nr_seen; i++)
		if (b->seen[i] == h)
			return 1;
	return 0;
}

static void note_seen(struct block_states *b, uint64_t h)
{
	ALLOC_GROW(b->seen, b->nr_seen + 1, b->alloc_seen);
	b->seen[b->nr_seen++] = h;
}

/* A state arrives at block b (which takes *s and leaves it empty): 1 when b
 * must be (re)visited.  Distinct states are told apart by their hash. */
static int arrive(struct flow_cx *cx, struct block_states *b, struct state *s)
{
	uint64_t h;

	if (b->merged)
		return join_into_group(cx, b, s);
	h = state_hash(s);
	if (seen_before(b, h)) {
		state_release(s);
		return 0;
	}
	if (b->nr_seen >= MAX_STATES) {
		merge_block(cx, b, s);
		return 1;
	}
	note_seen(b, h);
	push_pending(b, s);
	return 1;
}

static void run_exit_hooks(struct flow_cx *cx)
{
	for (size_t i = 0; i < cx->fe->exit.nr; i++)
		cx->fe->exit.items[i].fn.exit(cx);
}

void flow_summary_note_exit(struct flow_cx *cx);

/*
 * A state that reaches the exit is checked there at once, never merged
 * with the others: "leaked on the error path" must not be joined away by
 * the paths that freed.  Their number is bounded by the states of the
 * blocks that return, and equal ones are checked once.
 */
static void exit_with(struct flow_cx *cx, struct block_states *exit, struct state *st)
{
	uint64_t h = state_hash(st);

	if (seen_before(exit, h))
		return;
	note_seen(exit, h);
	cx->st = st;
	run_exit_hooks(cx);
	flow_summary_note_exit(cx);
}

/* st (taken) goes on to block `to`. */
static void reach(struct flow_cx *cx, struct worklist *w, struct block_states *bs, uint32_t to,
		  struct state *st)
{
	if (to == IR_EXIT) {
		exit_with(cx, &bs[IR_EXIT], st);
		state_release(st);
		return;
	}
	flow_live_drop_dead(cx, st, to);
	if (arrive(cx, &bs[to], st))
		enqueue(w, bs, to);
}

static void flow_out(struct flow_cx *cx, struct worklist *w, struct block_states *bs,
		     uint32_t b, struct state *st)
{
	const struct ir_block *blk = &cx->f->blocks[b];

	cx->exit_from = b;
	if (b == IR_EXIT) { /* only if the entry is the exit */
		exit_with(cx, &bs[IR_EXIT], st);
		return;
	}
	if (blk->nsucc == 1) {
		reach(cx, w, bs, blk->succ[0], st);
		return;
	}
	for (int truth = 1, ways = 0; truth >= 0 && blk->nsucc == 2; truth--) {
		struct state copy;
		uint32_t to = blk->succ[truth ? 0 : 1];
		state_init(&copy);
		if (truth) {
			state_copy(&copy, st);
		} else { /* the last use of st: take it */
			copy = *st;
			state_init(st);
		}
		cx->st = &copy;
		if (refine(cx, &blk->cond, truth)) {
			cx->block_seen[b] |= truth ? FLOW_BRANCH_TRUE : FLOW_BRANCH_FALSE;
			ways++;
			reach(cx, w, bs, to, &copy);
		}
		if (!truth && ways < 2)
			cx->block_seen[b] |= FLOW_TEST_PRUNED;
		state_release(&copy);
	}
}

/* ---------------------------------------------------------------- dead temporaries */

/*
 * The lowering makes a temporary for every call result and many operands;
 * each is written once and read in the next statement or so.  Their cells
 * would pile up (a 50,000-line function has tens of thousands) and make
 * every statement that scans the state slow, so a temporary used only in
 * one block is dropped after its last use there.
 */
enum { TEMP_UNSEEN = UINT32_MAX, TEMP_KEEP = UINT32_MAX - 1 };

struct temp_use {
	uint32_t block, stmt;
};

static void note_temp_var(const struct ir_func *f, struct temp_use *use, uint32_t v, uint32_t b,
			  uint32_t k, int keep)
{
	if (v >= f->nr_vars || !(f->vars[v].flags & IRV_TEMP) || use[v].block == TEMP_KEEP)
		return;
	if (keep || (use[v].block != TEMP_UNSEEN && use[v].block != b)) {
		use[v].block = TEMP_KEEP;
		return;
	}
	use[v].block = b;
	use[v].stmt = k;
}

static void note_temp(const struct ir_func *f, struct temp_use *use, ir_path p, uint32_t b,
		      uint32_t k, int keep)
{
	if (!p)
		return;
	for (ir_path q = p; q && f->paths[q].kind != IRP_VAR; q = f->paths[q].base)
		note_temp_var(f, use, ir_elem_index_var(&f->paths[q]), b, k, 0); /* a[t] reads t */
	note_temp_var(f, use, ir_path_root(f, p), b, k, keep);
}

static void note_val(const struct ir_func *f, struct temp_use *use, const struct ir_val *v,
		     uint32_t b, uint32_t k)
{
	if (v->kind == IRV_PATH || v->kind == IRV_ADDR)
		note_temp(f, use, v->path, b, k, v->kind == IRV_ADDR);
}

static int cmp_death(const void *pa, const void *pb)
{
	const struct temp_death *a = pa, *b = pb;

	if (a->block != b->block)
		return a->block < b->block ? -1 : 1;
	return (a->stmt > b->stmt) - (a->stmt < b->stmt);
}

static void find_temp_deaths(struct flow_cx *cx)
{
	const struct ir_func *f = cx->f;
	struct temp_use *use = ma_calloc(f->nr_vars ? f->nr_vars : 1, sizeof(*use));
	uint32_t n = 0;

	for (uint32_t v = 0; v < f->nr_vars; v++)
		use[v].block = TEMP_UNSEEN;
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		const struct ir_block *blk = &f->blocks[b];
		for (uint32_t k = 0; k < blk->nr_stmts; k++) {
			const struct ir_stmt *s = &blk->stmts[k];
			note_temp(f, use, s->dst, b, k, 0);
			note_val(f, use, &s->a, b, k);
			note_val(f, use, &s->b, b, k);
			for (uint32_t i = 0; s->op == IR_CALL && i < s->aux; i++)
				note_val(f, use, &f->args[s->args + i], b, k);
		}
		if (blk->nsucc == 2) { /* a condition reads them after the last statement */
			note_val(f, use, &blk->cond.l, b, UINT32_MAX);
			note_val(f, use, &blk->cond.r, b, UINT32_MAX);
		}
	}
	cx->deaths = ma_calloc(f->nr_vars ? f->nr_vars : 1, sizeof(*cx->deaths));
	for (uint32_t v = 0; v < f->nr_vars; v++)
		if (use[v].block < TEMP_KEEP && use[v].stmt != UINT32_MAX)
			cx->deaths[n++] = (struct temp_death){ use[v].block, use[v].stmt, v };
	qsort(cx->deaths, n, sizeof(*cx->deaths), cmp_death);
	cx->nr_deaths = n;
	cx->first_death = ma_calloc(f->nr_blocks + 1, sizeof(*cx->first_death));
	for (uint32_t b = 0, i = 0; b <= f->nr_blocks; b++) {
		while (i < n && cx->deaths[i].block < b)
			i++;
		cx->first_death[b] = i;
	}
	free(use);
}

static void free_temp_deaths(struct flow_cx *cx)
{
	free(cx->deaths);
	free(cx->first_death);
	cx->deaths = NULL;
	cx->first_death = NULL;
	cx->nr_deaths = 0;
}

static void run_block_stmts(struct flow_cx *cx, uint32_t b)
{
	const struct ir_block *blk = &cx->f->blocks[b];
	uint32_t d = cx->first_death ? cx->first_death[b] : 0;
	uint32_t end = cx->first_death ? cx->first_death[b + 1] : 0;

	for (uint32_t k = 0; k < blk->nr_stmts && !cx->gave_up; k++) {
		transfer(cx, &blk->stmts[k]);
		for (; d < end && cx->deaths[d].stmt == k; d++)
			state_drop(cx, cx->st, loc_var(cx, cx->deaths[d].var));
	}
}

/* A merged block runs a copy of each group state that changed. */
static void take_dirty_groups(struct block_states *B, struct state **todo, uint32_t *n)
{
	size_t alloc = *n;

	for (uint32_t k = 0; k < B->nr_groups; k++) {
		if (!B->groups[k].dirty)
			continue;
		B->groups[k].dirty = 0;
		ALLOC_GROW(*todo, *n + 1, alloc);
		state_init(&(*todo)[*n]);
		state_copy(&(*todo)[(*n)++], &B->groups[k].st);
	}
}

static void process_block(struct flow_cx *cx, struct worklist *w, struct block_states *bs, uint32_t b)
{
	struct block_states *B = &bs[b];
	struct state *todo = B->pending;
	uint32_t n = B->nr_pending;

	B->pending = NULL;
	B->nr_pending = B->alloc_pending = 0;
	if (B->merged)
		take_dirty_groups(B, &todo, &n);
	cx->block = b;
	if (n)
		cx->block_seen[b] |= FLOW_BLOCK_REACHED;
	for (uint32_t i = 0; i < n; i++) {
		cx->st = &todo[i];
		run_block_stmts(cx, b);
		if (cx->steps > MAX_STEPS)
			cx->gave_up = 1;
		if (!cx->gave_up)
			flow_out(cx, w, bs, b, &todo[i]);
		state_release(&todo[i]);
	}
	free(todo);
}

static void free_block_states(struct block_states *bs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		for (uint32_t k = 0; k < bs[i].nr_groups; k++)
			state_release(&bs[i].groups[k].st);
		free(bs[i].groups);
		drop_pending(&bs[i]);
		free(bs[i].seen);
		free(bs[i].pending);
	}
	free(bs);
}

static int cmp_threshold(const void *pa, const void *pb)
{
	const struct threshold *a = pa, *b = pb;

	if (a->var != b->var)
		return a->var < b->var ? -1 : 1;
	return (a->k > b->k) - (a->k < b->k);
}

static void add_threshold(struct flow_cx *cx, uint32_t var, int64_t k)
{
	ALLOC_GROW(cx->thresholds, cx->nr_thresholds + 1, cx->alloc_thresholds);
	cx->thresholds[cx->nr_thresholds++] = (struct threshold){ var, k };
}

/* The constants each variable is compared with (and their neighbours):
 * where its widened bounds stop before going to infinity. */
static void collect_thresholds(struct flow_cx *cx)
{
	uint32_t out = 0;

	cx->nr_thresholds = 0;
	for (uint32_t b = 0; b < cx->f->nr_blocks; b++) {
		const struct ir_cond *c = &cx->f->blocks[b].cond;
		if (cx->f->blocks[b].nsucc != 2)
			continue;
		for (int side = 0; side < 2; side++) {
			const struct ir_val *v = side ? &c->l : &c->r, *x = side ? &c->r : &c->l;
			if (v->kind != IRV_INT || v->k <= INT64_MIN + 1 || v->k >= INT64_MAX - 1 ||
			    x->kind != IRV_PATH || cx->f->paths[x->path].kind != IRP_VAR)
				continue;
			add_threshold(cx, cx->f->paths[x->path].id, v->k - 1);
			add_threshold(cx, cx->f->paths[x->path].id, v->k);
			add_threshold(cx, cx->f->paths[x->path].id, v->k + 1);
		}
	}
	if (!cx->nr_thresholds)
		return;
	qsort(cx->thresholds, cx->nr_thresholds, sizeof(*cx->thresholds), cmp_threshold);
	for (uint32_t i = 0; i < cx->nr_thresholds; i++)
		if (!out || cmp_threshold(&cx->thresholds[out - 1], &cx->thresholds[i]))
			cx->thresholds[out++] = cx->thresholds[i];
	cx->nr_thresholds = out;
}

/* A thread's start routine begins with the argument its creators pass (see mark_thread_entries). */
static void set_thread_arg(struct flow_cx *cx, struct state *init)
{
	const struct ir_func *f = cx->f;

	if (!f->has_thread_arg)
		return;
	for (uint32_t v = 0; v < f->nr_vars; v++)
		if ((f->vars[v].flags & IRV_PARAM) && f->vars[v].param_index == 0)
			state_set(cx, init, loc_var(cx, v), fval_int(f->thread_arg_lo, f->thread_arg_hi));
}

/* Run the engine over one function; reports accumulate in cx. */
void flow_run_function(struct flow_cx *cx)
{
	uint32_t n = cx->f->nr_blocks;
	struct block_states *bs = ma_calloc(n, sizeof(*bs));
	uint32_t *rpo = reverse_postorder(cx->f);
	struct worklist w = { .rpo = rpo };
	struct state init;

	cx->block_seen = ma_calloc(n ? n : 1, 1);
	cx->decisions_trusted = -1;
	collect_thresholds(cx);
	find_temp_deaths(cx);
	flow_live_compute(cx);
	flow_summary_begin(cx);
	state_init(&init);
	set_thread_arg(cx, &init);
	arrive(cx, &bs[IR_ENTRY], &init);
	enqueue(&w, bs, IR_ENTRY);
	while (w.nr && !cx->gave_up) {
		uint32_t b = wl_pop(&w);
		bs[b].queued = 0;
		process_block(cx, &w, bs, b);
	}
	for (size_t i = 0; i < cx->fe->end.nr && !cx->gave_up; i++)
		cx->fe->end.items[i].fn.exit(cx);
	free(cx->block_seen);
	cx->block_seen = NULL;
	state_release(&init);
	free_block_states(bs, n);
	free_temp_deaths(cx);
	flow_live_free(cx);
	free(rpo);
	free(w.heap);
}

/* ---------------------------------------------------------------- reachability */

static int root_is_external(struct flow_cx *cx, uint32_t loc, const uint8_t *marked)
{
	const struct locrec *r = &cx->locs[loc_root(cx, loc)];

	switch (r->kind) {
	case LOC_RET:
		return 1;
	case LOC_VAR:
		return (cx->f->vars[r->id].flags & (IRV_GLOBAL | IRV_STATIC_LOCAL)) != 0;
	case LOC_REGION:
		return cx->regions[r->id].kind != RG_HEAP || marked[r->id];
	default:
		return 0;
	}
}

int flow_loc_is_external(struct flow_cx *cx, uint32_t loc)
{
	uint8_t none = 0;
	const struct locrec *r = &cx->locs[loc_root(cx, loc)];

	if (r->kind == LOC_REGION && cx->regions[r->id].kind == RG_HEAP)
		return 0;
	return root_is_external(cx, loc, &none);
}

int flow_region_reachable(struct flow_cx *cx, uint32_t region)
{
	uint8_t *marked = ma_calloc(cx->nr_regions ? cx->nr_regions : 1, 1);
	int changed = 1, result;

	for (uint32_t i = 0; i < cx->st->nr_regs; i++)
		if (cx->st->regs[i].escaped)
			marked[cx->st->regs[i].region] = 1;
	while (changed && !marked[region]) {
		changed = 0;
		for (uint32_t i = 0; i < cx->st->nr_cells; i++) {
			const struct cell *c = &cx->st->cells[i];
			if (c->v.kind != FV_PTR || marked[c->v.region])
				continue;
			if (root_is_external(cx, c->loc, marked)) {
				marked[c->v.region] = 1;
				changed = 1;
			}
		}
	}
	result = marked[region];
	free(marked);
	return result;
}
