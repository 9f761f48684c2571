#ifndef MA_STATIC_FLOW_INTERNAL_H
#define MA_STATIC_FLOW_INTERNAL_H
/*
 * The data-flow engine's own structures, shared by flow.c (worklist,
 * transfer functions), flow_state.c (cells, regions, joins), flow_models.c
 * (the C library) and summary.c (function summaries).
 */
#include "flow.h"
#include "../../core/finding.h"

struct ma_rule;
struct flow_summary;

/* ---------------------------------------------------------------- hooks */

struct flow_hook {
	int id;
	union {
		flow_val_fn val;
		flow_dealloc_fn dealloc;
		flow_stmt_fn stmt;
		flow_region_fn region;
		flow_exit_fn exit;
		flow_lock_fn lock;
		flow_assign_fn assign;
	} fn;
	ir_str callee_name;   /* flow_on_call: matched by name */
	char *callee;
};

struct flow_hooks {
	struct flow_hook *items;
	size_t nr, alloc;
};

struct flow_engine {
	struct flow_hooks deref, read, dealloc, ret, call, lost, exit, lock, unlock, assign, end;
	const struct ma_rule **rules;   /* by check id */
	size_t nr_rules, alloc_rules;
};

/* ---------------------------------------------------------------- cells */

enum loc_kind { LOC_VAR, LOC_REGION, LOC_FIELD, LOC_ELEM, LOC_RET };

struct locrec {
	uint8_t kind;
	uint8_t has_kids;  /* some FIELD/ELEM cell has this one as parent */
	uint32_t parent;  /* FIELD, ELEM: the containing cell */
	uint32_t id;      /* VAR: variable; REGION: region; FIELD: field name */
};

struct cell {
	uint32_t loc;
	struct fval v;
};

struct region_st {
	uint32_t region;
	uint8_t state;     /* enum region_state */
	uint8_t null;      /* enum nullness */
	uint8_t escaped;
	uint8_t many;      /* allocated again while an earlier block of this site lives */
	uint8_t alloc_like; /* returned by an allocator the engine does not model (xmalloc, ...) */
	ir_str freed_by;
	struct ir_loc freed_at;
	uint8_t freed_fam;    /* the family of the function that freed it */
	uint32_t moved_from;  /* realloc: the old block, live again if this one fails; 0 none, else id+1 */
};

struct kstate {
	uint64_t key;      /* check id << 32 | loc */
	int value;
};

struct state {
	struct cell *cells;
	uint32_t nr_cells, alloc_cells;
	struct region_st *regs;
	uint32_t nr_regs, alloc_regs;
	struct kstate *ks;
	uint32_t nr_ks, alloc_ks;
};

/* ---------------------------------------------------------------- reports */

struct flow_event {
	struct ir_loc at;
	char *message;
};

struct flow_report {
	int id;
	struct ir_loc at;
	char *message;
	struct flow_event *events;
	size_t nr_events, alloc_events;
};

/* ---------------------------------------------------------------- context */

struct region_key {
	uint8_t kind;
	uint32_t a, b;        /* kind-specific identity (site, variable, path) */
};

struct threshold {
	uint32_t var;
	int64_t k;
};

struct temp_death {
	uint32_t block, stmt, var;
};

struct flow_cx {
	const struct flow_engine *fe;
	struct ir_tu *t;
	struct ir_func *f;
	struct flow_summary *summaries;  /* by function index, or NULL */
	size_t nr_summaries;
	const uint8_t *called;           /* by function index: some other function of the unit calls it */
	const int32_t *func_of_str;      /* ir_str of a name -> function index, -1 */
	uint8_t *allocator_name;         /* ir_str -> 0 not yet seen, 1 no, 2 "alloc" in it (per unit) */
	uint32_t exit_from;              /* at the exit: the block the state comes from */
	/* cells, interned per function */
	struct locrec *locs;
	uint32_t nr_locs, alloc_locs;
	uint32_t *loc_hash;
	uint32_t loc_hash_size;
	uint32_t *path_loc;         /* cells of paths without a dereference, by path (0: not yet) */
	uint32_t alloc_path_loc;
	/* regions, interned per function */
	struct region_info *regions;
	struct region_key *region_keys;
	uint32_t nr_regions, alloc_regions;
	uint32_t *region_hash;      /* region id + 1, open addressing */
	uint32_t region_hash_size;
	/* the state being transformed, and the statement at hand */
	struct state *st;
	const struct ir_stmt *stmt;
	uint32_t block;
	struct fval *args;          /* evaluated arguments of the call at hand */
	uint32_t nr_args, alloc_args;
	int collecting_summary;     /* reports are not kept */
	/* reports */
	struct flow_report *reports;
	size_t nr_reports, alloc_reports;
	/* temporaries whose last use is statement k of block b: dead after it */
	struct temp_death *deaths;  /* sorted by block, then statement */
	uint32_t nr_deaths;
	uint32_t *first_death;      /* by block: index into deaths (nr_blocks + 1 entries) */
	unsigned long steps;        /* statements transformed, for the budget */
	int impure;                 /* this function writes memory or state the caller sees */
	struct state join_scratch;  /* state_join builds its result here */
	uint64_t *live_in;          /* flow_live.c: integer locals live into each block */
	uint32_t live_words;        /* words per block in live_in */
	uint8_t *live_join;         /* by block: predecessors, counted up to 2 */
	uint8_t *var_facts;         /* by variable: flow_var_written and the like, once known */
	uint32_t nr_var_facts, alloc_var_facts;
	int gave_up;
	int known_elems;            /* some cell is an element at a known index (elem_cell_id) */
	int pointer_params;         /* the function takes a pointer: what it reads there is the caller's */
	uint8_t *block_seen;        /* by block: FLOW_BLOCK_REACHED, FLOW_BRANCH_TRUE, FLOW_BRANCH_FALSE, ... */
	int decisions_trusted;      /* flow_decided.c: -1 until known */
	struct threshold *thresholds; /* each variable's constants its tests compare it with, +-1, sorted */
	uint32_t nr_thresholds, alloc_thresholds;
};

/* Facts about a variable that take a scan of the whole function, kept in
 * flow_cx.var_facts once known (cx_reset clears them). */
enum { VF_WRITTEN_KNOWN = 1, VF_WRITTEN = 2, VF_SET_KNOWN = 4, VF_SET = 8,
       VF_EXACT_KNOWN = 16, VF_EXACT = 32 };

/* flow_state.c */
uint32_t loc_intern(struct flow_cx *cx, uint8_t kind, uint32_t parent, uint32_t id);
uint32_t loc_var(struct flow_cx *cx, uint32_t var);
uint32_t loc_region(struct flow_cx *cx, uint32_t region);
uint32_t loc_root(const struct flow_cx *cx, uint32_t loc);
int loc_within(const struct flow_cx *cx, uint32_t loc, uint32_t ancestor);
uint32_t region_intern(struct flow_cx *cx, const struct region_key *key, const struct region_info *info);
uint32_t region_of_var(struct flow_cx *cx, uint32_t var);
/* The region a cell belongs to (its root), or UINT32_MAX. */
uint32_t region_of_loc(struct flow_cx *cx, uint32_t loc);

void state_init(struct state *s);
void state_release(struct state *s);
void state_copy(struct state *dst, const struct state *src);
/* Free the arrays released states left for reuse (this thread's). */
void state_pools_drain(void);
int state_equal(const struct state *a, const struct state *b);
/* A 64-bit digest: equal states have equal hashes (distinct ones, almost surely not). */
uint64_t state_hash(const struct state *s);
/* The same over pointer cells, regions and checker states only. */
uint64_t state_resource_hash(const struct state *s);
/* a := a joined with b; returns 1 when a changed.  widen: intervals jump to infinity. */
int state_join(struct flow_cx *cx, struct state *a, const struct state *b, int widen);

struct fval state_get(struct flow_cx *cx, const struct state *s, uint32_t loc);
/* 1 when the state holds a value for the cell itself (not its default). */
int state_has(const struct state *s, uint32_t loc);
int state_elems_apart(struct flow_cx *cx, const struct state *s, uint32_t array);
/* 1 when a cell strictly below loc (a field, an element) holds a value. */
int state_has_below(struct flow_cx *cx, const struct state *s, uint32_t loc);
/* Set a cell, dropping what was stored below it. */
void state_set(struct flow_cx *cx, struct state *s, uint32_t loc, struct fval v);
/* Forget a cell and everything below it (its contents become unknown). */
void state_havoc(struct flow_cx *cx, struct state *s, uint32_t loc);
/* Remove loc's cell and those below it: the value is gone, not unknown. */
void state_drop(struct flow_cx *cx, struct state *s, uint32_t loc);
struct region_st *state_region(struct flow_cx *cx, struct state *s, uint32_t region);
const struct region_st *state_region_peek(const struct flow_cx *cx, const struct state *s,
					  uint32_t region, struct region_st *def);
int state_kget(const struct state *s, uint64_t key);
void state_kset(struct state *s, uint64_t key, int value);

struct fval fval_top(void);
struct fval fval_int(int64_t lo, int64_t hi);
struct fval fval_ptr(uint32_t region, uint32_t loc);

/* flow_models.c: the C library.  1 when the call was modelled. */
int flow_model_call(struct flow_cx *cx, const struct ir_stmt *s);
int flow_model_is_dealloc(const char *name);
/* The model gives the result a value (a new block or handle, an argument
 * returned): not just an unknown number. */
int flow_model_result_known(const char *name);
int flow_model_is_unlock(const char *name);
/* A modelled function without side effects (strlen, strcmp, ...). */
int flow_model_is_pure(const char *name);

/* The engine's own keys in struct state.ks (checkers use their id >= 0). */
#define KS_LOCK_ID 0x7fffffff
#define KS_ENGINE_ID 0x7ffffffe   /* loc: KS_ALLOC_FAILED, KS_COND_CALLER */
#define KS_MEMO_ID 0x7ffffffd     /* loc: hash of a pure call; value: its result's cell */
#define KS_USE_ID 0x7ffffffc      /* loc: a use of the caller's pointer (summary.c) seen on this path */
#define KS_RELEASED_ID 0x7ffffffb /* loc: an integer parameter (a descriptor) the path released; value: family + 1 */
#define KS_ALLOC_FAILED 1
#define KS_COND_CALLER 2  /* the caller's memory (region + 1, or -1: several) a branch on this path tested */

/* The key of (id, loc) in struct state.ks. */
static inline uint64_t kkey(int id, uint32_t loc)
{
	return ((uint64_t)(uint32_t)id << 32) | loc;
}

void flow_do_lock(struct flow_cx *cx, const struct ir_stmt *s, int lock, int trylock);
/* Set the mutex at cell to st (LOCK_UNKNOWN: forget it), taken or released at `at`. */
void flow_set_lock_state(struct flow_cx *cx, uint32_t cell, enum lock_state st, struct ir_loc at);
/* The same on the mutex at cell, however s names it (a callee's lock seen from its caller). */
void flow_lock_cell(struct flow_cx *cx, const struct ir_stmt *s, uint32_t cell, int lock, int trylock);

/* flow.c, used by models and summaries */
void flow_do_dealloc(struct flow_cx *cx, const struct ir_stmt *s, unsigned arg,
		     enum alloc_family fam, const char *fn);
uint32_t flow_new_heap(struct flow_cx *cx, const struct ir_stmt *s, enum alloc_family fam,
		       enum nullness null, int zeroed);
/* The same for the n-th block a call creates (0: its result, i + 1: through argument i). */
uint32_t flow_new_heap_at(struct flow_cx *cx, const struct ir_stmt *s, enum alloc_family fam,
			  enum nullness null, uint32_t n);
void flow_run_deref_hooks(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v);
/* s reads the value v (s->a.path names where it is read from). */
void flow_run_read_hooks(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v);
void flow_escape_value(struct flow_cx *cx, const struct fval *v);
void flow_havoc_escape(struct flow_cx *cx, uint32_t loc);
void flow_set_dst(struct flow_cx *cx, const struct ir_stmt *s, struct fval v);
uint32_t flow_loc_of_path(struct flow_cx *cx, ir_path p);
/* Give the unknown pointer in cell loc a symbolic pointee, and return it. */
struct fval flow_materialize(struct flow_cx *cx, uint32_t loc);

/* s called an allocator the engine does not model: mark what it returned. */
void flow_note_alloc_like_result(struct flow_cx *cx, const struct ir_stmt *s);
/* The result of call s is NULL only when memory ran out (see flow_alloc_failed_on_path). */
void flow_mark_alloc_like(struct flow_cx *cx, const struct ir_stmt *s);
/* A call with effects the caller can see: globals are forgotten, but for
 * the variables named in keep (whose value the call is known to leave). */
void flow_call_impure(struct flow_cx *cx, const ir_str *keep, int nr_keep);

/* flow_live.c */
void flow_live_compute(struct flow_cx *cx);
/* A state arrives at block: forget the integer locals dead there. */
void flow_live_drop_dead(struct flow_cx *cx, struct state *s, uint32_t block);
void flow_live_free(struct flow_cx *cx);

/* summary.c */
struct flow_summary;
int flow_apply_summary(struct flow_cx *cx, const struct ir_stmt *s);
/* Before a function's context is set up: variables for the globals its callees touch. */
void flow_summary_adopt_globals(struct flow_cx *cx);
/* Before a function is run: what its summary needs to know of it. */
void flow_summary_begin(struct flow_cx *cx);
/* Memory is dereferenced (read 0) or read (read 1) through v at `at`. */
/* read: of what v points to, at element cell `elem` (k + 1 for [k], 0: unknown or the whole) */
/* The callee side: close(fd) and the like on integer parameter param. */
void flow_summary_note_release(struct flow_cx *cx, int param, int family);
void flow_summary_note_use(struct flow_cx *cx, int read, const struct fval *v, uint32_t elem, struct ir_loc at);
/* s locks (or unlocks) the mutex at cell, which was in state `before`. */
void flow_summary_note_lock(struct flow_cx *cx, const struct ir_stmt *s, uint32_t cell, int lock,
			    enum lock_state before);
/* Field `field` of the struct parameter var is read before anything was stored in it. */
void flow_summary_note_field_read(struct flow_cx *cx, uint32_t var, ir_str field, struct ir_loc at);

#endif
