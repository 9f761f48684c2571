/*
 * Abstract states of the data-flow engine: cells (memory locations) and
 * regions interned per function, the sorted arrays that make up a state,
 * and the join used when too many states reach one point.
 */
#include "flow_internal.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/hash.h"

#include <stdlib.h>
#include <string.h>

#define INF_HI INT64_MAX
#define INF_LO INT64_MIN

struct fval fval_top(void)
{
	return (struct fval){ .kind = FV_TOP };
}

struct fval fval_int(int64_t lo, int64_t hi)
{
	return (struct fval){ .kind = FV_INT, .lo = lo, .hi = hi };
}

struct fval fval_ptr(uint32_t region, uint32_t loc)
{
	return (struct fval){ .kind = FV_PTR, .region = region, .loc = loc };
}

/* ---------------------------------------------------------------- cells */

static uint32_t loc_key(uint8_t kind, uint32_t parent, uint32_t id)
{
	return (uint32_t)ma_mix3(kind, parent, id);
}

static void loc_rehash(struct flow_cx *cx)
{
	uint32_t size = cx->loc_hash_size ? 2 * cx->loc_hash_size : 256;

	free(cx->loc_hash);
	cx->loc_hash = ma_calloc(size, sizeof(*cx->loc_hash));
	cx->loc_hash_size = size;
	for (uint32_t i = 1; i < cx->nr_locs; i++) {
		const struct locrec *r = &cx->locs[i];
		uint32_t h = loc_key(r->kind, r->parent, r->id) & (size - 1);
		while (cx->loc_hash[h])
			h = (h + 1) & (size - 1);
		cx->loc_hash[h] = i;
	}
}

uint32_t loc_intern(struct flow_cx *cx, uint8_t kind, uint32_t parent, uint32_t id)
{
	uint32_t h;

	if (!cx->nr_locs) {
		ALLOC_GROW(cx->locs, 1, cx->alloc_locs);
		memset(&cx->locs[0], 0, sizeof(cx->locs[0]));
		cx->nr_locs = 1;
	}
	if (2 * (cx->nr_locs + 1) > cx->loc_hash_size)
		loc_rehash(cx);
	h = loc_key(kind, parent, id) & (cx->loc_hash_size - 1);
	while (cx->loc_hash[h]) {
		const struct locrec *r = &cx->locs[cx->loc_hash[h]];
		if (r->kind == kind && r->parent == parent && r->id == id)
			return cx->loc_hash[h];
		h = (h + 1) & (cx->loc_hash_size - 1);
	}
	ALLOC_GROW(cx->locs, cx->nr_locs + 1, cx->alloc_locs);
	cx->locs[cx->nr_locs] = (struct locrec){ .kind = kind, .parent = parent, .id = id };
	if (parent)
		cx->locs[parent].has_kids = 1;
	if (kind == LOC_ELEM && id)
		cx->known_elems = 1;
	cx->loc_hash[h] = cx->nr_locs;
	return cx->nr_locs++;
}

uint32_t loc_var(struct flow_cx *cx, uint32_t var)
{
	return loc_intern(cx, LOC_VAR, 0, var);
}

/* A variable's region and the variable's cell are one: &x points at x. */
uint32_t loc_region(struct flow_cx *cx, uint32_t region)
{
	const struct region_info *ri = &cx->regions[region];

	if (ri->kind == RG_STACK || ri->kind == RG_GLOBAL)
		return loc_var(cx, ri->var);
	return loc_intern(cx, LOC_REGION, 0, region);
}

uint32_t loc_root(const struct flow_cx *cx, uint32_t loc)
{
	while (loc && (cx->locs[loc].kind == LOC_FIELD || cx->locs[loc].kind == LOC_ELEM))
		loc = cx->locs[loc].parent;
	return loc;
}

int loc_within(const struct flow_cx *cx, uint32_t loc, uint32_t ancestor)
{
	for (; loc; loc = (cx->locs[loc].kind == LOC_FIELD || cx->locs[loc].kind == LOC_ELEM)
			  ? cx->locs[loc].parent : 0)
		if (loc == ancestor)
			return 1;
	return 0;
}

/* ---------------------------------------------------------------- regions */

static uint32_t region_hash(const struct region_key *k)
{
	return (uint32_t)ma_mix3(k->kind, k->a, k->b);
}

/* Regions by key, open addressing; slots hold region id + 1. */
static void region_rehash(struct flow_cx *cx)
{
	uint32_t size = cx->region_hash_size ? 2 * cx->region_hash_size : 64;

	free(cx->region_hash);
	cx->region_hash = ma_calloc(size, sizeof(*cx->region_hash));
	cx->region_hash_size = size;
	for (uint32_t i = 0; i < cx->nr_regions; i++) {
		uint32_t h = region_hash(&cx->region_keys[i]) & (size - 1);
		while (cx->region_hash[h])
			h = (h + 1) & (size - 1);
		cx->region_hash[h] = i + 1;
	}
}

uint32_t region_intern(struct flow_cx *cx, const struct region_key *key, const struct region_info *info)
{
	uint32_t h;

	if (2 * (cx->nr_regions + 1) > cx->region_hash_size)
		region_rehash(cx);
	h = region_hash(key) & (cx->region_hash_size - 1);
	while (cx->region_hash[h]) {
		const struct region_key *k = &cx->region_keys[cx->region_hash[h] - 1];
		if (k->kind == key->kind && k->a == key->a && k->b == key->b)
			return cx->region_hash[h] - 1;
		h = (h + 1) & (cx->region_hash_size - 1);
	}
	ALLOC_GROW(cx->regions, cx->nr_regions + 1, cx->alloc_regions);
	cx->region_keys = ma_realloc(cx->region_keys, st_mult(cx->alloc_regions, sizeof(*cx->region_keys)));
	cx->regions[cx->nr_regions] = *info;
	cx->region_keys[cx->nr_regions] = *key;
	cx->region_hash[h] = cx->nr_regions + 1;
	return cx->nr_regions++;
}

uint32_t region_of_var(struct flow_cx *cx, uint32_t var)
{
	const struct ir_var *v = &cx->f->vars[var];
	int global = (v->flags & (IRV_GLOBAL | IRV_STATIC_LOCAL)) != 0;
	struct region_key key = { .kind = global ? RG_GLOBAL : RG_STACK, .a = var };
	struct region_info info = { .kind = key.kind, .var = var, .site = v->loc };

	return region_intern(cx, &key, &info);
}

uint32_t region_of_loc(struct flow_cx *cx, uint32_t loc)
{
	uint32_t root = loc_root(cx, loc);

	if (!root)
		return UINT32_MAX;
	if (cx->locs[root].kind == LOC_REGION)
		return cx->locs[root].id;
	if (cx->locs[root].kind == LOC_VAR)
		return region_of_var(cx, cx->locs[root].id);
	return UINT32_MAX;
}

/* ---------------------------------------------------------------- states */

void state_init(struct state *s)
{
	memset(s, 0, sizeof(*s));
}

/*
 * States are copied at every branch and released at every join: their
 * arrays are kept for reuse, per thread (each worker analyses its own
 * translation units), instead of going back to malloc each time.
 */
#define POOL_MAX 16

struct array_pool {
	void *items[POOL_MAX];
	uint32_t alloc[POOL_MAX];
	uint32_t nr;
};

static _Thread_local struct array_pool cell_pool, reg_pool, k_pool;

static void pool_put(struct array_pool *pool, void *p, uint32_t alloc)
{
	if (!p)
		return;
	if (pool->nr == POOL_MAX) {
		free(p);
		return;
	}
	pool->items[pool->nr] = p;
	pool->alloc[pool->nr++] = alloc;
}

/* An array of at least n elements of `size` bytes; *alloc is set to its length. */
static void *pool_get(struct array_pool *pool, uint32_t n, size_t size, uint32_t *alloc)
{
	for (uint32_t i = pool->nr; i-- > 0;) {
		if (pool->alloc[i] >= n) {
			void *p = pool->items[i];
			*alloc = pool->alloc[i];
			pool->items[i] = pool->items[--pool->nr];
			pool->alloc[i] = pool->alloc[pool->nr];
			return p;
		}
	}
	*alloc = n < 16 ? 16 : n;
	return ma_malloc(st_mult(*alloc, size));
}

static void pool_drain(struct array_pool *pool)
{
	while (pool->nr)
		free(pool->items[--pool->nr]);
}

void state_pools_drain(void)
{
	pool_drain(&cell_pool);
	pool_drain(&reg_pool);
	pool_drain(&k_pool);
}

void state_release(struct state *s)
{
	pool_put(&cell_pool, s->cells, s->alloc_cells);
	pool_put(&reg_pool, s->regs, s->alloc_regs);
	pool_put(&k_pool, s->ks, s->alloc_ks);
	state_init(s);
}

#define COPY_ARRAY(pool, dst, src, arr, nr, alloc) do { \
	if ((dst)->alloc < (src)->nr) { \
		pool_put(pool, (dst)->arr, (dst)->alloc); \
		(dst)->arr = pool_get(pool, (src)->nr, sizeof(*(src)->arr), &(dst)->alloc); \
	} \
	if ((src)->nr) \
		memcpy((dst)->arr, (src)->arr, (src)->nr * sizeof(*(src)->arr)); \
	(dst)->nr = (src)->nr; \
} while (0)

void state_copy(struct state *dst, const struct state *src)
{
	COPY_ARRAY(&cell_pool, dst, src, cells, nr_cells, alloc_cells);
	COPY_ARRAY(&reg_pool, dst, src, regs, nr_regs, alloc_regs);
	COPY_ARRAY(&k_pool, dst, src, ks, nr_ks, alloc_ks);
}

static int fval_equal(const struct fval *a, const struct fval *b)
{
	if (a->kind != b->kind || a->flags != b->flags)
		return 0;
	switch (a->kind) {
	case FV_INT: return a->lo == b->lo && a->hi == b->hi && (!(a->flags & FVF_NE) || a->ne == b->ne);
	case FV_PTR: return a->region == b->region && a->loc == b->loc;
	default: return 1;
	}
}

int state_equal(const struct state *a, const struct state *b)
{
	if (a->nr_cells != b->nr_cells || a->nr_regs != b->nr_regs || a->nr_ks != b->nr_ks)
		return 0;
	for (uint32_t i = 0; i < a->nr_cells; i++)
		if (a->cells[i].loc != b->cells[i].loc || !fval_equal(&a->cells[i].v, &b->cells[i].v))
			return 0;
	for (uint32_t i = 0; i < a->nr_regs; i++) {
		const struct region_st *x = &a->regs[i], *y = &b->regs[i];
		if (x->region != y->region || x->state != y->state || x->null != y->null ||
		    x->escaped != y->escaped || x->many != y->many)
			return 0;
	}
	for (uint32_t i = 0; i < a->nr_ks; i++)
		if (a->ks[i].key != b->ks[i].key || a->ks[i].value != b->ks[i].value)
			return 0;
	return 1;
}

uint64_t state_hash(const struct state *s)
{
	uint64_t h = s->nr_cells;

	for (uint32_t i = 0; i < s->nr_cells; i++) {
		const struct cell *c = &s->cells[i];
		uint64_t v = ((uint64_t)c->v.kind << 8 | c->v.flags) ^ ((uint64_t)c->v.region << 16);
		/* lo and hi mixed one after the other: ma_mix3 is linear in its
		 * arguments before it mixes, and [0, max] and [min, -1] (the two
		 * sides of x < 0) would hash alike in one call */
		if (c->v.kind == FV_INT)
			v ^= ma_mix3(ma_mix3((uint64_t)c->v.lo, 0, 0), (uint64_t)c->v.hi,
				     (c->v.flags & FVF_NE) ? (uint64_t)c->v.ne : 0);
		else if (c->v.kind == FV_PTR)
			v ^= (uint64_t)c->v.loc << 32;
		h = ma_mix3(h, c->loc, v);
	}
	for (uint32_t i = 0; i < s->nr_regs; i++) {
		const struct region_st *r = &s->regs[i];
		h = ma_mix3(h, r->region, (uint64_t)r->state | (uint64_t)r->null << 8 |
				       (uint64_t)r->escaped << 16 | (uint64_t)r->many << 24);
	}
	for (uint32_t i = 0; i < s->nr_ks; i++)
		h = ma_mix3(h, s->ks[i].key, (uint64_t)(uint32_t)s->ks[i].value);
	return h;
}

/* The facts checkers report on: pointer cells, regions, locks and checker
 * states; integers are left out so a counter does not split a group. */
uint64_t state_resource_hash(const struct state *s)
{
	uint64_t h = 0x5bd1e995;

	/* what was released, and the checkers' facts (locks held): null-ness
	 * and pointer values are left to the join, or every loop that tests a
	 * pointer would keep its paths apart */
	for (uint32_t i = 0; i < s->nr_regs; i++) {
		const struct region_st *r = &s->regs[i];
		if (r->state == RGS_FREED)
			h = ma_mix3(h, r->region, r->state);
	}
	for (uint32_t i = 0; i < s->nr_ks; i++)
		if (s->ks[i].key >> 32 != KS_ENGINE_ID && s->ks[i].key >> 32 != KS_USE_ID)
			/* "malloc failed" is no kind of path, nor "p was used" */
			h = ma_mix3(h, s->ks[i].key, (uint64_t)(uint32_t)s->ks[i].value);
	return h;
}

/* The first cell at or after loc (a branch-free lower bound: the cells
 * are few, and the search runs for nearly every value the engine reads). */
static int find_cell(const struct state *s, uint32_t loc, uint32_t *at)
{
	const struct cell *base = s->cells;
	uint32_t n = s->nr_cells, i;

	if (!n) {
		*at = 0;
		return 0;
	}
	while (n > 1) {
		uint32_t half = n / 2;
		base = base[half - 1].loc < loc ? base + half : base;
		n -= half;
	}
	i = (uint32_t)(base - s->cells) + (base->loc < loc);
	*at = i;
	return i < s->nr_cells && s->cells[i].loc == loc;
}

/* Does the state hold a cell for an element of array at a known index? */
static int has_known_elements(struct flow_cx *cx, const struct state *s, uint32_t array)
{
	if (!cx->known_elems || !cx->locs[array].has_kids) /* no such cell in this function */
		return 0;
	for (uint32_t i = 0; i < s->nr_cells; i++) {
		const struct locrec *r = &cx->locs[s->cells[i].loc];
		if (r->kind == LOC_ELEM && r->id && r->parent == array)
			return 1;
	}
	return 0;
}

/* The value a cell has when nothing was stored in it. */
static struct fval default_value(struct flow_cx *cx, const struct state *s, uint32_t loc)
{
	const struct locrec *r = &cx->locs[loc];
	struct fval pv;

	switch (r->kind) {
	case LOC_FIELD:
	case LOC_ELEM:
		pv = state_get(cx, s, r->parent);
		/* some element of an array whose elements at known indices were
		 * set, or the array seen as a struct: it may be one that was set */
		if (pv.kind == FV_UNINIT && !(r->kind == LOC_ELEM && r->id) &&
		    has_known_elements(cx, s, r->parent))
			return fval_top();
		if (pv.kind == FV_UNINIT || (pv.kind == FV_INT && pv.lo == 0 && pv.hi == 0))
			return pv;  /* fields of uninitialised or zeroed memory */
		return fval_top();
	case LOC_REGION: {
		const struct region_info *ri = &cx->regions[r->id];
		if (ri->kind == RG_HEAP && ri->family == FAM_MALLOC)
			return ri->zeroed ? fval_int(0, 0) : (struct fval){ .kind = FV_UNINIT };
		return fval_top();
	}
	case LOC_VAR:
		if (cx->f->vars[r->id].has_const_init)
			return fval_int(cx->f->vars[r->id].const_value, cx->f->vars[r->id].const_value);
		return fval_top();
	default:
		return fval_top();
	}
}

int state_has_below(struct flow_cx *cx, const struct state *s, uint32_t loc)
{
	if (!cx->locs[loc].has_kids)
		return 0;
	for (uint32_t i = 0; i < s->nr_cells; i++)
		if (s->cells[i].loc != loc && loc_within(cx, s->cells[i].loc, loc))
			return 1;
	return 0;
}

int state_has(const struct state *s, uint32_t loc)
{
	uint32_t at;

	return loc && find_cell(s, loc, &at);
}

struct fval state_get(struct flow_cx *cx, const struct state *s, uint32_t loc)
{
	uint32_t at;

	if (!loc)
		return fval_top();
	if (find_cell(s, loc, &at))
		return s->cells[at].v;
	return default_value(cx, s, loc);
}

/* Remove the cells strictly below loc. */
static void drop_below(struct flow_cx *cx, struct state *s, uint32_t loc)
{
	uint32_t out = 0;

	if (!cx->locs[loc].has_kids) /* most cells (scalars, temporaries) have none */
		return;
	for (uint32_t i = 0; i < s->nr_cells; i++) {
		uint32_t l = s->cells[i].loc;
		if (l != loc && loc_within(cx, l, loc))
			continue;
		s->cells[out++] = s->cells[i];
	}
	s->nr_cells = out;
}

/*
 * An array whose elements at known indices had cells of their own is
 * written at an unknown index: one cell stands for all elements again,
 * and the blocks the old cells pointed to are no longer followed.
 */
static void set_array_in_use(struct flow_cx *cx, struct state *s, uint32_t array)
{
	for (uint32_t i = 0; i < s->nr_cells; i++)
		if (s->cells[i].v.kind == FV_PTR && s->cells[i].loc != array &&
		    loc_within(cx, s->cells[i].loc, array))
			state_region(cx, s, s->cells[i].v.region)->escaped = 1;
	state_set(cx, s, array, fval_top());
}

/*
 * Is v, unknown, what the cell holds by default anyway?  Local variables
 * (not parameters, whose cells tell the summaries what the function
 * wrote, nor constant statics) and the contents of memory that is neither
 * the caller's nor fresh from malloc.
 */
static int top_is_default(const struct flow_cx *cx, uint32_t loc, const struct fval *v)
{
	const struct locrec *r = &cx->locs[loc];

	if (v->kind != FV_TOP || v->flags)
		return 0;
	if (r->kind == LOC_VAR) {
		const struct ir_var *var = &cx->f->vars[r->id];
		return !(var->flags & IRV_PARAM) && !var->has_const_init;
	}
	if (r->kind == LOC_REGION) {
		const struct region_info *ri = &cx->regions[r->id];
		return ri->kind != RG_SYMBOLIC && !(ri->kind == RG_HEAP && ri->family == FAM_MALLOC);
	}
	return 0;
}

/*
 * Do the elements at known indices of `array` have cells of their own?
 * While the array is unset, and while memory the caller owns was not
 * written but at known indices (p[0] = x leaves p[1] as the caller had
 * it: the summaries tell the caller which elements the function reads).
 */
int state_elems_apart(struct flow_cx *cx, const struct state *s, uint32_t array)
{
	const struct locrec *l = &cx->locs[array];

	if (state_get(cx, s, array).kind == FV_UNINIT)
		return 1;
	return l->kind == LOC_REGION && cx->regions[l->id].kind == RG_SYMBOLIC && !state_has(s, array) &&
	       !state_has(s, loc_intern(cx, LOC_ELEM, array, 0));
}

void state_set(struct flow_cx *cx, struct state *s, uint32_t loc, struct fval v)
{
	uint32_t at;

	if (!loc)
		return;
	/* an element at an unknown index may be any: the array is in use, and
	 * reading another element is not reported as uninitialised (elements
	 * at known indices keep cells of their own, see elem_cell_id) */
	if (cx->locs[loc].kind == LOC_ELEM || cx->locs[loc].kind == LOC_FIELD) {
		uint32_t array = 0;
		for (uint32_t u = loc; cx->locs[u].kind == LOC_ELEM || cx->locs[u].kind == LOC_FIELD;
		     u = cx->locs[u].parent)
			if (cx->locs[u].kind == LOC_ELEM && !cx->locs[u].id &&
			    state_elems_apart(cx, s, cx->locs[u].parent))
				array = cx->locs[u].parent; /* the outermost such array */
		if (array)
			set_array_in_use(cx, s, array);
	}
	drop_below(cx, s, loc);
	if (top_is_default(cx, loc, &v)) { /* no cell says the same, and states stay small */
		if (find_cell(s, loc, &at)) {
			memmove(&s->cells[at], &s->cells[at + 1], (s->nr_cells - at - 1) * sizeof(*s->cells));
			s->nr_cells--;
		}
		return;
	}
	if (!find_cell(s, loc, &at)) {
		ALLOC_GROW(s->cells, s->nr_cells + 1, s->alloc_cells);
		memmove(&s->cells[at + 1], &s->cells[at], (s->nr_cells - at) * sizeof(*s->cells));
		s->nr_cells++;
		s->cells[at].loc = loc;
	}
	s->cells[at].v = v;
}

void state_drop(struct flow_cx *cx, struct state *s, uint32_t loc)
{
	uint32_t at;

	if (!loc)
		return;
	drop_below(cx, s, loc);
	if (find_cell(s, loc, &at)) {
		memmove(&s->cells[at], &s->cells[at + 1], (s->nr_cells - at - 1) * sizeof(*s->cells));
		s->nr_cells--;
	}
}

void state_havoc(struct flow_cx *cx, struct state *s, uint32_t loc)
{
	state_set(cx, s, loc, fval_top());
}

static int find_reg(const struct state *s, uint32_t region, uint32_t *at)
{
	uint32_t lo = 0, hi = s->nr_regs;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->regs[mid].region < region)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < s->nr_regs && s->regs[lo].region == region;
}

static struct region_st region_default(const struct flow_cx *cx, uint32_t region)
{
	const struct region_info *ri = &cx->regions[region];
	struct region_st d = { .region = region, .state = RGS_LIVE, .null = NN_UNKNOWN };

	if (ri->kind == RG_STACK || ri->kind == RG_GLOBAL || ri->kind == RG_STRING)
		d.null = NN_NONNULL;
	if (ri->kind == RG_HEAP) /* not allocated on the paths that never reached its site */
		d.state = RGS_NOTALLOC;
	return d;
}

const struct region_st *state_region_peek(const struct flow_cx *cx, const struct state *s,
					  uint32_t region, struct region_st *def)
{
	uint32_t at;

	if (find_reg(s, region, &at))
		return &s->regs[at];
	*def = region_default(cx, region);
	return def;
}

struct region_st *state_region(struct flow_cx *cx, struct state *s, uint32_t region)
{
	uint32_t at;

	if (find_reg(s, region, &at))
		return &s->regs[at];
	ALLOC_GROW(s->regs, s->nr_regs + 1, s->alloc_regs);
	memmove(&s->regs[at + 1], &s->regs[at], (s->nr_regs - at) * sizeof(*s->regs));
	s->nr_regs++;
	s->regs[at] = region_default(cx, region);
	return &s->regs[at];
}

static int find_k(const struct state *s, uint64_t key, uint32_t *at)
{
	uint32_t lo = 0, hi = s->nr_ks;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->ks[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < s->nr_ks && s->ks[lo].key == key;
}

int state_kget(const struct state *s, uint64_t key)
{
	uint32_t at;

	return find_k(s, key, &at) ? s->ks[at].value : 0;
}

void state_kset(struct state *s, uint64_t key, int value)
{
	uint32_t at;

	if (find_k(s, key, &at)) {
		if (value) {
			s->ks[at].value = value;
		} else {
			memmove(&s->ks[at], &s->ks[at + 1], (s->nr_ks - at - 1) * sizeof(*s->ks));
			s->nr_ks--;
		}
		return;
	}
	if (!value)
		return;
	ALLOC_GROW(s->ks, s->nr_ks + 1, s->alloc_ks);
	memmove(&s->ks[at + 1], &s->ks[at], (s->nr_ks - at) * sizeof(*s->ks));
	s->nr_ks++;
	s->ks[at].key = key;
	s->ks[at].value = value;
}

/* ---------------------------------------------------------------- join */

/* Widening with thresholds: a bound of variable var that grows moves to
 * the next constant the function compares var with (n < 32 stays below
 * 32), then to infinity.  Other cells go to infinity at once. */
#define MAX_THRESHOLDS 9  /* three constants: a variable tested against more widens at once */

static void threshold_range(const struct flow_cx *cx, uint32_t var, uint32_t *from, uint32_t *to)
{
	uint32_t lo = 0, hi = cx->nr_thresholds;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (cx->thresholds[mid].var < var)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (lo < cx->nr_thresholds && cx->thresholds[lo].var == var)
		lo++;
	*to = lo;
}

static int64_t widen_hi(const struct flow_cx *cx, uint32_t var, int64_t hi)
{
	uint32_t a, b;

	threshold_range(cx, var, &a, &b);
	if (b - a > MAX_THRESHOLDS)
		return INF_HI;
	for (; a < b; a++)
		if (cx->thresholds[a].k >= hi)
			return cx->thresholds[a].k;
	return INF_HI;
}

static int64_t widen_lo(const struct flow_cx *cx, uint32_t var, int64_t lo)
{
	uint32_t a, b;

	threshold_range(cx, var, &a, &b);
	if (b - a > MAX_THRESHOLDS)
		return INF_LO;
	while (b-- > a)
		if (cx->thresholds[b].k <= lo)
			return cx->thresholds[b].k;
	return INF_LO;
}

static struct fval join_val(const struct flow_cx *cx, uint32_t var, struct fval a, struct fval b, int widen)
{
	if (fval_equal(&a, &b))
		return a;
	if (a.kind == FV_INT && b.kind == FV_INT) {
		struct fval r = fval_int(a.lo < b.lo ? a.lo : b.lo, a.hi > b.hi ? a.hi : b.hi);
		/* "differs from k" survives where both sides exclude k */
		int64_t k = (a.flags & FVF_NE) ? a.ne : b.ne;
		int a_ex = ((a.flags & FVF_NE) && a.ne == k) || k < a.lo || k > a.hi;
		int b_ex = ((b.flags & FVF_NE) && b.ne == k) || k < b.lo || k > b.hi;
		if (((a.flags | b.flags) & FVF_NE) && a_ex && b_ex && k >= r.lo && k <= r.hi) {
			r.flags |= FVF_NE;
			r.ne = k;
		}
		if (widen) {
			if (b.lo < a.lo)
				r.lo = var == UINT32_MAX ? INF_LO : widen_lo(cx, var, r.lo);
			if (b.hi > a.hi)
				r.hi = var == UINT32_MAX ? INF_HI : widen_hi(cx, var, r.hi);
		}
		return r;
	}
	if (a.kind == FV_PTR && b.kind == FV_PTR && a.region == b.region) {
		a.flags |= b.flags;
		if (a.loc != b.loc)
			a.flags |= FVF_INTERIOR;
		return a;
	}
	return fval_top();
}

/* Returns 1 when out differs from a. */
static int join_cells(struct flow_cx *cx, struct state *out, const struct state *a,
		      const struct state *b, int widen)
{
	uint32_t i = 0, j = 0;
	int changed = 0;

	ALLOC_GROW(out->cells, a->nr_cells + b->nr_cells, out->alloc_cells);
	while (i < a->nr_cells || j < b->nr_cells) {
		uint32_t la = i < a->nr_cells ? a->cells[i].loc : UINT32_MAX;
		uint32_t lb = j < b->nr_cells ? b->cells[j].loc : UINT32_MAX;
		uint32_t loc = la < lb ? la : lb;
		if (la == lb && fval_equal(&a->cells[i].v, &b->cells[j].v)) { /* most cells */
			out->cells[out->nr_cells++] = a->cells[i];
			i++, j++;
			continue;
		}
		struct fval va = la == loc ? a->cells[i++].v : default_value(cx, a, loc);
		struct fval vb = lb == loc ? b->cells[j++].v : default_value(cx, b, loc);
		struct fval v = join_val(cx, cx->locs[loc].kind == LOC_VAR ? cx->locs[loc].id : UINT32_MAX,
					 va, vb, widen);
		if (la != loc && fval_equal(&va, &v) &&
		    (cx->locs[loc].kind == LOC_VAR || cx->locs[loc].kind == LOC_REGION))
			continue; /* a's default already says it, and depends on no other cell */
		/* unknown where that is the default anyway: no cell, for a field or
		 * element when the joined parent says unknown too (parents come
		 * first in loc order) */
		if (top_is_default(cx, loc, &v) ||
		    (v.kind == FV_TOP && (cx->locs[loc].kind == LOC_FIELD || cx->locs[loc].kind == LOC_ELEM) &&
		     default_value(cx, out, loc).kind == FV_TOP)) {
			changed |= va.kind != FV_TOP;
			continue;
		}
		changed |= la != loc || !fval_equal(&va, &v);
		out->cells[out->nr_cells].loc = loc;
		out->cells[out->nr_cells++].v = v;
	}
	return changed;
}

static struct region_st join_reg(struct region_st x, struct region_st y)
{
	if (x.state != y.state)
		x.state = RGS_TOP;
	if (x.null != y.null)
		x.null = (x.null == NN_MAYBE || y.null == NN_MAYBE) ? NN_MAYBE : NN_UNKNOWN;
	x.escaped |= y.escaped;
	x.many |= y.many;
	x.alloc_like |= y.alloc_like;
	return x;
}

static int region_equal(const struct region_st *x, const struct region_st *y)
{
	return x->state == y->state && x->null == y->null && x->escaped == y->escaped &&
	       x->many == y->many && x->alloc_like == y->alloc_like && x->freed_by == y->freed_by &&
	       x->freed_at.file == y->freed_at.file && x->freed_at.line == y->freed_at.line &&
	       x->freed_at.col == y->freed_at.col && x->freed_fam == y->freed_fam &&
	       x->moved_from == y->moved_from;
}

static int join_regs(struct flow_cx *cx, struct state *out, const struct state *a,
		     const struct state *b)
{
	uint32_t i = 0, j = 0;
	int changed = 0;

	ALLOC_GROW(out->regs, a->nr_regs + b->nr_regs, out->alloc_regs);
	while (i < a->nr_regs || j < b->nr_regs) {
		uint32_t ra = i < a->nr_regs ? a->regs[i].region : UINT32_MAX;
		uint32_t rb = j < b->nr_regs ? b->regs[j].region : UINT32_MAX;
		uint32_t r = ra < rb ? ra : rb;
		if (ra == rb && region_equal(&a->regs[i], &b->regs[j])) { /* most regions */
			out->regs[out->nr_regs++] = a->regs[i];
			i++, j++;
			continue;
		}
		struct region_st x = ra == r ? a->regs[i++] : region_default(cx, r);
		struct region_st y = rb == r ? b->regs[j++] : region_default(cx, r);
		struct region_st z = join_reg(x, y);
		changed |= ra != r || z.state != x.state || z.null != x.null || z.escaped != x.escaped ||
			   z.many != x.many;
		out->regs[out->nr_regs++] = z;
	}
	return changed;
}

/*
 * Checker states survive a join only where both sides agree.  A mutex is
 * the exception: held on one side and not on the other, it is "maybe
 * held" after the join, not forgotten (in a thread's start routine a
 * forgotten mutex would read as never locked).
 */
static int join_kvalue(uint64_t key, int a, int b)
{
	if (key >> 32 != KS_LOCK_ID)
		return a == b ? a : 0;
	if ((a & 3) == (b & 3))
		return a; /* the same state, reached from two lines: keep one */
	return LOCK_MAYBE | ((a ? a : b) & ~3);
}

static int ks_equal(const struct state *a, const struct state *b)
{
	if (a->nr_ks != b->nr_ks)
		return 0;
	for (uint32_t i = 0; i < a->nr_ks; i++)
		if (a->ks[i].key != b->ks[i].key || a->ks[i].value != b->ks[i].value)
			return 0;
	return 1;
}

static void join_ks(struct state *out, const struct state *a, const struct state *b)
{
	uint32_t i = 0, j = 0;

	ALLOC_GROW(out->ks, a->nr_ks + b->nr_ks, out->alloc_ks);
	while (i < a->nr_ks || j < b->nr_ks) { /* both sorted by key: one merge */
		uint64_t key;
		int v;
		if (j == b->nr_ks || (i < a->nr_ks && a->ks[i].key < b->ks[j].key)) {
			key = a->ks[i].key;
			v = join_kvalue(key, a->ks[i++].value, 0);
		} else if (i == a->nr_ks || b->ks[j].key < a->ks[i].key) {
			key = b->ks[j].key;
			v = join_kvalue(key, 0, b->ks[j++].value);
		} else {
			key = a->ks[i].key;
			v = join_kvalue(key, a->ks[i++].value, b->ks[j++].value);
		}
		if (v) {
			out->ks[out->nr_ks].key = key;
			out->ks[out->nr_ks++].value = v;
		}
	}
}

/*
 * States are joined where a block has seen too many (often a loop head
 * before its last iteration): a loop that fills an array element by
 * element may not have reached every element yet in the joined state, so
 * each array with elements at known indices is in use there, like one
 * written at an unknown index.  1 when one was.
 */
static int widen_arrays(struct flow_cx *cx, struct state *s)
{
	for (uint32_t i = 0; i < s->nr_cells; i++) {
		const struct locrec *r = &cx->locs[s->cells[i].loc];
		if (r->kind == LOC_ELEM && r->id && state_get(cx, s, r->parent).kind == FV_UNINIT) {
			uint32_t array = r->parent; /* the outermost unset one: rows too */
			while (cx->locs[array].kind == LOC_ELEM &&
			       state_get(cx, s, cx->locs[array].parent).kind == FV_UNINIT)
				array = cx->locs[array].parent;
			set_array_in_use(cx, s, array);
			widen_arrays(cx, s); /* the cells moved */
			return 1;
		}
	}
	return 0;
}

/* The join is built in the context's scratch state, whose arrays are
 * swapped with a's: a join allocates nothing once the scratch has grown. */
int state_join(struct flow_cx *cx, struct state *a, const struct state *b, int widen)
{
	struct state *out = &cx->join_scratch, old;
	int changed;

	out->nr_cells = out->nr_regs = out->nr_ks = 0;
	changed = join_cells(cx, out, a, b, widen);
	changed |= join_regs(cx, out, a, b);
	join_ks(out, a, b);
	changed |= !ks_equal(out, a);
	old = *a;
	*a = *out;
	*out = old;
	if (cx->known_elems)
		changed |= widen_arrays(cx, a);
	return changed;
}
