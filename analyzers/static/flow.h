#ifndef MA_STATIC_FLOW_H
#define MA_STATIC_FLOW_H
/*
 * The data-flow engine: runs over the IR of each function (ir.h) with a
 * bounded set of abstract states per program point, and calls the hooks
 * checkers registered.  Checkers never walk the CFG; they look at the
 * abstract values the engine hands them and report.
 *
 * The abstract state maps memory cells (a variable, a field of it, the
 * contents of a region, ...) to values, and regions (a heap allocation, a
 * local or global variable, a string literal, the unknown object behind a
 * pointer parameter) to their state: live, freed, never allocated
 * (allocation failed), escaped, and null-ness.  Heap and resource regions
 * carry their allocator family (malloc, new, new[], FILE, fd, DIR) so a
 * deallocation can be checked against it.
 *
 * Hooks run once per state that reaches the statement, so checkers must
 * only report what is definite in that state (a region that IS freed, a
 * value that IS null); the engine keeps one report per (rule, place).
 *
 *     static int my_id;
 *     static void match_deref(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *p)
 *     {
 *             if (p->kind == FV_PTR && flow_region_state(cx, p->region) == RGS_FREED)
 *                     flow_report(cx, my_id, s->loc, "use of freed memory");
 *     }
 *     void check_use_after_free(struct ma_engine *e, int id)
 *     {
 *             my_id = id;
 *             flow_on_deref(ma_engine_flow(e), id, match_deref);
 *     }
 */
#include <stdint.h>

#include "ir.h"

struct ma_engine;
struct flow_engine;
struct flow_cx;
struct flow_report;

enum fval_kind {
	FV_TOP,      /* unknown */
	FV_UNINIT,   /* never written */
	FV_INT,      /* an integer in [lo, hi] */
	FV_NULL,     /* a null pointer */
	FV_PTR,      /* points into `region` at cell `loc` */
};

enum fval_flags {
	FVF_INTERIOR = 1 << 0,  /* not the start of the region (p + n) */
	FVF_NE = 1 << 1,        /* FV_INT: also known to differ from `ne` */
	FVF_DEFAULT = 1 << 2,   /* FV_NULL: a null constant stored by an assignment or initialiser */
	FVF_CALLER = 1 << 3,    /* FV_TOP: read from the caller's memory before this function wrote it */
};

/* Where an FV_NULL value came from, kept in its `lo` (equal NULLs from two
 * places are one value: neither comparisons nor hashes look at it). */
enum null_origin { NULL_ASSIGNED = 1, NULL_TESTED, NULL_RETURNED };

struct fval {
	uint8_t kind;
	uint8_t flags;
	uint32_t region;
	uint32_t loc;
	int64_t lo, hi;
	int64_t ne;
};

enum region_kind {
	RG_HEAP,      /* from an allocator or a resource opener */
	RG_STACK,     /* a local variable (its address was taken) */
	RG_GLOBAL,    /* a global or static variable */
	RG_STRING,    /* a string literal */
	RG_SYMBOLIC,  /* what an unknown pointer (parameter, loaded value) points to */
	RG_EXTERNAL,  /* memory a library function returned that is not ours to free */
};

enum alloc_family {
	FAM_NONE,
	FAM_MALLOC,    /* malloc, calloc, realloc, strdup, ...  -> free */
	FAM_NEW,       /* new      -> delete */
	FAM_NEW_ARRAY, /* new[]    -> delete[] */
	FAM_FILE,      /* fopen, fdopen, tmpfile  -> fclose */
	FAM_PIPE,      /* popen    -> pclose */
	FAM_FD,        /* open, socket, dup, ...  -> close */
	FAM_DIR,       /* opendir, fdopendir  -> closedir */
	FAM_COUNT
};

enum region_state {
	RGS_LIVE,
	RGS_FREED,
	RGS_NOTALLOC,  /* the allocation failed on this path: nothing to free */
	RGS_TOP,       /* differs between merged paths */
};

enum nullness {
	NN_UNKNOWN,   /* nothing known (a parameter) */
	NN_MAYBE,     /* may be null and was not checked (malloc's result) */
	NN_NULL,
	NN_NONNULL,
};

struct region_info {
	uint8_t kind;         /* enum region_kind */
	uint8_t family;       /* enum alloc_family */
	uint32_t var;         /* RG_STACK, RG_GLOBAL: the variable */
	struct ir_loc site;   /* where it was allocated / declared */
	ir_str origin;        /* the allocating function ("malloc") */
	int zeroed;           /* calloc: contents start at zero */
};

/* The engine's lock model: the state of a mutex cell on this path. */
enum lock_state {
	LOCK_UNKNOWN,   /* not touched in this function (the caller may hold it) */
	LOCK_HELD,
	LOCK_RELEASED,
	LOCK_MAYBE,     /* trylocked, or held on some paths only */
};

/* Hooks. */
typedef void (*flow_stmt_fn)(struct flow_cx *cx, const struct ir_stmt *s);
typedef void (*flow_val_fn)(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v);
typedef void (*flow_dealloc_fn)(struct flow_cx *cx, const struct ir_stmt *s, const struct fval *v,
				enum alloc_family fam, const char *fn);
typedef void (*flow_region_fn)(struct flow_cx *cx, const struct ir_stmt *s, uint32_t region);
typedef void (*flow_exit_fn)(struct flow_cx *cx);
typedef void (*flow_assign_fn)(struct flow_cx *cx, const struct ir_stmt *s, uint32_t loc,
			       const struct fval *v);
typedef void (*flow_lock_fn)(struct flow_cx *cx, const struct ir_stmt *s, uint32_t lock,
			     enum lock_state before);

struct flow_engine *ma_engine_flow(struct ma_engine *e);
void flow_on_deref(struct flow_engine *fe, int id, flow_val_fn fn);    /* *p, p->f, p[i] */
void flow_on_read(struct flow_engine *fe, int id, flow_val_fn fn);     /* a value is used */
void flow_on_dealloc(struct flow_engine *fe, int id, flow_dealloc_fn fn); /* before free() acts */
void flow_on_return(struct flow_engine *fe, int id, flow_val_fn fn);
void flow_on_call(struct flow_engine *fe, int id, const char *callee, flow_stmt_fn fn);
void flow_on_lost(struct flow_engine *fe, int id, flow_region_fn fn);  /* last pointer overwritten */
void flow_on_exit(struct flow_engine *fe, int id, flow_exit_fn fn);    /* each state at return */
void flow_on_lock(struct flow_engine *fe, int id, flow_lock_fn fn);    /* pthread_mutex_lock, ... */
void flow_on_assign(struct flow_engine *fe, int id, flow_assign_fn fn); /* x = v, before the store */
void flow_on_unlock(struct flow_engine *fe, int id, flow_lock_fn fn);  /* pthread_mutex_unlock, ... */
/* Once per function, after its analysis, when that went to the end (the
 * engine did not give up): what each block saw is then final. */
void flow_on_end(struct flow_engine *fe, int id, flow_exit_fn fn);
int flow_engine_active(const struct flow_engine *fe);

/* What a hook may ask. */
const struct ir_tu *flow_tu(const struct flow_cx *cx);
const struct ir_func *flow_func(const struct flow_cx *cx);
struct fval flow_eval(struct flow_cx *cx, const struct ir_val *v);
const struct fval *flow_call_arg(struct flow_cx *cx, const struct ir_stmt *s, unsigned i);
const struct region_info *flow_region_info(const struct flow_cx *cx, uint32_t region);
enum region_state flow_region_state(const struct flow_cx *cx, uint32_t region);
/* The region the memory at path p lies in (in the current state), or UINT32_MAX. */
uint32_t flow_path_region(struct flow_cx *cx, ir_path p);
enum nullness flow_region_null(const struct flow_cx *cx, uint32_t region);
int flow_region_escaped(const struct flow_cx *cx, uint32_t region);
/* Where the region was freed, and by which call (valid when RGS_FREED). */
struct ir_loc flow_region_freed_at(const struct flow_cx *cx, uint32_t region, const char **by);
/* At exit: 1 when something outside this call (a global, the caller's memory,
 * the return value) can still reach the region. */
int flow_region_reachable(struct flow_cx *cx, uint32_t region);
uint32_t flow_nr_regions(const struct flow_cx *cx);
/* Locks: the state of the mutex at cell `lock`, and where it was taken. */
enum lock_state flow_lock_state(const struct flow_cx *cx, uint32_t lock);
/* At the exit: the value the function returns on this path (top if none). */
struct fval flow_return_value(struct flow_cx *cx);
struct ir_loc flow_lock_site(const struct flow_cx *cx, uint32_t lock);
/* The mutex at cell lock as the lock call s wrote it ("q->lock", "*m"; s
 * may be NULL), else the engine's name for the cell. */
void flow_lock_name(struct flow_cx *cx, const struct ir_stmt *s, uint32_t lock, struct strbuf *out);
/* Calls fn for each mutex cell this path has touched. */
void flow_for_each_lock(struct flow_cx *cx,
			void (*fn)(struct flow_cx *cx, uint32_t lock, enum lock_state st, void *data),
			void *data);
/* 1 when the cell outlives the call: a global, or memory the caller owns. */
int flow_loc_is_external(struct flow_cx *cx, uint32_t loc);
/* 1 when an allocation failed on this path (its NULL result was tested): reports
 * that only matter when malloc fails can be left out there. */
int flow_alloc_failed_on_path(const struct flow_cx *cx);
/* 1 when the site allocated again while an earlier block from it was alive
 * (a loop filling an array): the region stands for several blocks. */
int flow_region_many(const struct flow_cx *cx, uint32_t region);
/* The function runs as a thread (passed to pthread_create): it starts holding no lock. */
int flow_is_thread_entry(const struct flow_cx *cx);
/* A NULL value that remembers where it came from; and reading that back (0: not known). */
struct fval fval_null_from(enum null_origin how, struct ir_loc at, uint8_t flags);
int fval_null_origin(const struct fval *v, enum null_origin *how, struct ir_loc *at);
/* 1 when variable var holds the one integer *k in this state. */
int flow_var_constant(struct flow_cx *cx, uint32_t var, int64_t *k);
/* 1 when nothing was stored, on this path, in the array element path elem lies in. */
int flow_array_untouched(struct flow_cx *cx, ir_path elem);
/* At the exit: the return statement this state comes from (line 0 if it fell off the end). */
struct ir_loc flow_exit_loc(const struct flow_cx *cx);
uint32_t flow_exit_block(const struct flow_cx *cx);
/* What the analysis saw at block b, over all paths (final in flow_on_end's
 * hooks): some state reached it; its branch was taken when its test held,
 * when it did not.  A reached branch missing one of the two has a test the
 * values decide; a block never reached is dead code. */
enum { FLOW_BLOCK_REACHED = 1, FLOW_BRANCH_TRUE = 2, FLOW_BRANCH_FALSE = 4,
       FLOW_TEST_PRUNED = 8 /* some state could go only one way */ };
unsigned flow_block_seen(const struct flow_cx *cx, uint32_t b);
/* flow_decided.c, in flow_on_end's hooks.  1 when block b's test was
 * reached and always went one way (*truth: which), and the engine models
 * the test exactly: written in the source, not in a macro, comparing
 * signed integers held by constants and local variables it follows
 * exactly (no pointer, global, volatile, or conversion it cannot see). */
int flow_branch_decided(struct flow_cx *cx, uint32_t b, int *truth);
/* The test as the source writes it is `truth` when block b's test is
 * (they differ under a !: `if (!p)` branches on p != 0, swapped). */
int flow_branch_source_truth(const struct flow_cx *cx, uint32_t b, int truth);
/* Block b's test as the source would say it ("flag != 0", "f() == 0"): 0 if it cannot. */
int flow_cond_text(struct flow_cx *cx, uint32_t b, struct strbuf *out);
/* Can control flow reach block `to` from block `from`? */
int flow_block_reaches(const struct flow_cx *cx, uint32_t from, uint32_t to);
/* pthread_mutex_unlock, mtx_unlock, ... (the engine's model of the C library). */
int flow_is_unlock_call(const struct flow_cx *cx, const struct ir_stmt *s);
/* 1 when call s is to a function of this unit whose analysis completed and
 * that does nothing its caller can see but return a value: no store the
 * caller sees, no call with effects, no volatile read, no #if in its body. */
int flow_call_has_no_effect(struct flow_cx *cx, const struct ir_stmt *s);
/* 1 when variable `var` is assigned anywhere in the function besides its
 * declaration's initialiser. */
int flow_var_written(const struct flow_cx *cx, uint32_t var);
/* 1 when some statement stores into variable var a value other than a null constant. */
int flow_var_set_non_null(const struct flow_cx *cx, uint32_t var);
/* Where a null constant is stored into variable var (its initialiser or an
 * assignment): 1 and *at when there is exactly one such place. */
int flow_var_null_site(const struct flow_cx *cx, uint32_t var, struct ir_loc *at);
/* 1 when the block being analysed runs only on one side of a test and
 * variable var is set to something other than a null constant somewhere
 * that runs only on the same side of the same test (if (s[i] == '\n') p =
 * x; ... later: if (s[i] == '\n') use(p)): a correlation of the two tests. */
int flow_var_set_under_same_test(const struct flow_cx *cx, uint32_t var);

/* Checker-owned state of a cell (a lock's state, ...); 0 when unset. */
int flow_get_state(const struct flow_cx *cx, int id, uint32_t loc);
void flow_set_state(struct flow_cx *cx, int id, uint32_t loc, int value);
/* The value stored in a cell on this path. */
struct fval flow_cell(struct flow_cx *cx, uint32_t loc);
/* The cell a pointer value points to, or 0. */
uint32_t flow_pointee(const struct fval *v);
/* A readable name of a cell ("buf", "s->data", "the memory from malloc"). */
void flow_loc_name(struct flow_cx *cx, uint32_t loc, struct strbuf *out);
/* A readable name of an IR path ("p", "s->buf"). */
void flow_path_name(struct flow_cx *cx, ir_path p, struct strbuf *out);
/* Iterate the cells holding checker state of `id`: calls fn(cx, loc, value). */
void flow_for_each_state(struct flow_cx *cx, int id,
			 void (*fn)(struct flow_cx *cx, uint32_t loc, int value, void *data), void *data);

/* Reports (deduplicated per rule and place over all states). */
__attribute__((format(printf, 4, 5)))
struct flow_report *flow_report(struct flow_cx *cx, int id, struct ir_loc at, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void flow_report_event(struct flow_report *r, struct ir_loc at, const char *fmt, ...);

#endif
