#ifndef MA_STATIC_IR_H
#define MA_STATIC_IR_H
/*
 * The static engine's intermediate representation: each function lowered
 * from libclang's cursors (lower.c) into a control-flow graph of basic
 * blocks whose statements work on access paths (p, s->buf, a[i], *q).
 * Once a translation unit is lowered its AST is no longer needed: the
 * data-flow engine (flow.c) and function summaries (summary.c) work on
 * this IR alone.
 *
 * Ownership: a `struct ir_tu` owns everything (functions, strings, file
 * names); ir_tu_free() releases it in one go.  Ids are small integers
 * (uint32_t) into per-function or per-TU arrays; 0 means "none" for
 * paths and strings.
 *
 * Shape of a function:
 *   block 0 is the entry, block 1 the exit (every return jumps there);
 *   a block ends with 0 successors (exit, noreturn call), 1 (a jump) or 2
 *   (a branch: succ[0] when `cond` holds, succ[1] when it does not).
 *
 *     struct ir_tu *t = ir_lower_tu(cxtu, workdir);
 *     for (size_t i = 0; i < t->nr_funcs; i++) ir_dump_func(t, &t->funcs[i], &sb);
 *     ir_tu_free(t);
 */
#include <clang-c/Index.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

typedef uint32_t ir_str;   /* interned string id; 0: none */
typedef uint32_t ir_path;  /* path id within a function; 0: none */

/* What a path's value is, as far as the engine cares. */
enum ir_type_flags {
	IRT_POINTER = 1 << 0,
	IRT_ARRAY = 1 << 1,
	IRT_RECORD = 1 << 2,
	IRT_INT = 1 << 3,
	IRT_FLOAT = 1 << 4,
	IRT_FUNCPTR = 1 << 5,
	IRT_CONST = 1 << 6,   /* a const-qualified variable */
	IRT_VOLATILE = 1 << 7, /* volatile: something outside the program may change it */
};

enum ir_var_flags {
	IRV_PARAM = 1 << 0,
	IRV_GLOBAL = 1 << 1,     /* file scope or extern */
	IRV_STATIC_LOCAL = 1 << 2,
	IRV_TEMP = 1 << 3,       /* made up by the lowering */
	IRV_ADDR_TAKEN = 1 << 4,
};

struct ir_loc {
	uint32_t file;  /* index into ir_tu.files; 0: unknown */
	uint32_t line, col;
};

struct ir_var {
	ir_str name;
	unsigned flags;      /* enum ir_var_flags */
	unsigned type;       /* enum ir_type_flags */
	int param_index;     /* -1 unless IRV_PARAM */
	struct ir_loc loc;   /* where it is declared */
	/* A static variable (internal linkage, or local to its function) of
	 * integer type that nothing in the TU writes or takes the address of:
	 * it keeps its initial value, const_value. */
	int has_const_init;
	int64_t const_value;
	/* An integer variable's width in bits (0: not an integer, or not
	 * known) and signedness, as declared: a value the engine computed
	 * outside that range went through a conversion it does not model. */
	uint8_t int_bits;
	uint8_t int_unsigned;
};

enum ir_path_kind { IRP_VAR, IRP_DEREF, IRP_FIELD, IRP_ELEM };

struct ir_pathrec {
	uint8_t kind;      /* enum ir_path_kind */
	unsigned type;     /* enum ir_type_flags of the value at this path */
	ir_path base;      /* DEREF/FIELD/ELEM: the path it is based on */
	uint32_t id;       /* VAR: variable index; FIELD: field name (ir_str); ELEM: the index */
};

/*
 * The index of an ELEM path, in its id: 0 when unknown, IR_ELEM_CONST | k
 * for a constant k, otherwise the index variable + 1 (its value is looked
 * up in the state where the element is accessed).
 */
#define IR_ELEM_CONST 0x80000000u
#define IR_ELEM_MAX_CONST 0xffffu
/* The variable an ELEM path's index reads, or UINT32_MAX. */
static inline uint32_t ir_elem_index_var(const struct ir_pathrec *r)
{
	return r->kind == IRP_ELEM && r->id && !(r->id & IR_ELEM_CONST) ? r->id - 1 : UINT32_MAX;
}

enum ir_val_kind {
	IRV_UNKNOWN,  /* anything */
	IRV_INT,      /* the constant k */
	IRV_NULL,     /* a null pointer constant */
	IRV_PATH,     /* the value stored at path */
	IRV_ADDR,     /* the address of path (a variable, a field, an element) */
	IRV_STR,      /* a string literal */
	IRV_FUNC,     /* a function's address */
};

struct ir_val {
	uint8_t kind;
	ir_path path;
	int64_t k;
};

enum ir_op {
	IR_DECL,     /* dst (a local) comes into scope, uninitialised */
	IR_ASSIGN,   /* dst = a */
	IR_ARITH,    /* dst = a <aux> b, aux an enum ir_arith */
	IR_CALL,     /* dst = callee(args...); dst 0 when unused */
	IR_DEREF,    /* memory is accessed through the pointer value at `a.path` */
	IR_READ,     /* the value at a.path is used */
	IR_RETURN,   /* return a (IRV_UNKNOWN with k = -1: no value) */
	IR_ESCAPE,   /* the pointer value a flows where it cannot be followed */
	IR_FORGET,   /* a.path was tested by a condition we cannot read: its null-ness is unknown */
};

enum ir_arith { IRA_ADD, IRA_SUB, IRA_MUL, IRA_DIV, IRA_MOD, IRA_OTHER, IRA_AND };

enum ir_stmt_flags {
	IRS_WRITE = 1 << 0,     /* DEREF: the access writes */
	IRS_NORETURN = 1 << 1,  /* CALL: the callee does not return */
	IRS_INDIRECT = 1 << 2,  /* CALL: through a function pointer */
	IRS_ARRAY_NEW = 1 << 3, /* CALL to "new"/"delete": the [] form */
	IRS_UNCERTAIN = 1 << 4, /* from a macro operator we could not read: it may not run */
	IRS_DECL_INIT = 1 << 5, /* ASSIGN: the initialiser of a declaration */
	IRS_DISCARDED = 1 << 6, /* CALL: a statement of its own, its result dropped (not cast to void) */
};

struct ir_stmt {
	uint8_t op;
	uint8_t flags;
	ir_path dst;
	struct ir_val a, b;
	uint32_t aux;        /* ARITH: enum ir_arith; CALL: number of args */
	uint32_t args;       /* CALL: index of the first argument in ir_func.args */
	ir_str callee;       /* CALL: the callee's name (0: unknown) */
	struct ir_loc loc;
};

enum ir_cmp { IRC_EQ, IRC_NE, IRC_LT, IRC_LE, IRC_GT, IRC_GE };

struct ir_cond {
	uint8_t op;          /* enum ir_cmp */
	struct ir_val l, r;
};

/* What the source says of a block's test, or of the block itself. */
enum ir_block_flags {
	IRB_COND_MACRO = 1 << 0,    /* the test is written inside a macro's expansion */
	IRB_COND_IMPLICIT = 1 << 1, /* the test is not one the source writes: a switch's dispatch, an assert's */
	IRB_COND_UNSIGNED = 1 << 2, /* the comparison is made in an unsigned type (the engine's integers are signed) */
	IRB_COND_NEGATED = 1 << 3,  /* the source tests the opposite (!x, !(a && b)): its successors are swapped */
};

struct ir_block {
	struct ir_stmt *stmts;
	uint32_t nr_stmts, alloc_stmts;
	uint8_t nsucc;
	uint8_t flags;        /* enum ir_block_flags */
	uint32_t succ[2];
	struct ir_cond cond;  /* when nsucc == 2 */
	struct ir_loc cond_loc;
};

struct ir_func {
	ir_str name;
	struct ir_loc loc;
	struct ir_loc end_loc;      /* the closing brace of its body */
	unsigned returns;           /* enum ir_type_flags of the return type */
	int returns_void;           /* declared void (returns is 0 for void and a struct alike) */
	struct ir_var *vars;
	uint32_t nr_vars, alloc_vars;
	struct ir_pathrec *paths;   /* paths[0] is unused */
	uint32_t nr_paths, alloc_paths;
	uint32_t *path_hash;        /* open addressing over paths, for interning */
	uint32_t path_hash_size;
	struct ir_block *blocks;
	uint32_t nr_blocks, alloc_blocks;
	struct ir_val *args;        /* call arguments, referenced by ir_stmt.args */
	uint32_t nr_args, alloc_args;
	uint32_t nr_params;
	int truncated;              /* lowering stopped early (too large, too deep) */
	int thread_entry;           /* passed to pthread_create in this unit: starts with no lock held */
	int has_thread_arg;         /* only ever started by pthread_create with an integer constant argument */
	int configured;             /* its body holds #if/#ifdef: another build compiles other code */
	int64_t thread_arg_lo, thread_arg_hi;
};

struct ir_tu {
	struct ir_func *funcs;
	size_t nr_funcs, alloc_funcs;
	char **strings;             /* strings[0] is "" */
	uint32_t nr_strings, alloc_strings;
	uint32_t *str_hash;
	uint32_t str_hash_size;
	char **files;               /* files[0] is "" */
	uint32_t nr_files, alloc_files;
	size_t truncated_funcs;
};

#define IR_ENTRY 0
#define IR_EXIT 1

/* Strings and files. */
ir_str ir_intern(struct ir_tu *t, const char *s);
static inline const char *ir_string(const struct ir_tu *t, ir_str s) { return t->strings[s]; }

/* Paths: interned, so equal paths have equal ids. */
ir_path ir_path_var(struct ir_func *f, uint32_t var, unsigned type);
ir_path ir_path_sub(struct ir_func *f, enum ir_path_kind kind, ir_path base, uint32_t id,
		    unsigned type);
/* The variable at the root of a path. */
uint32_t ir_path_root(const struct ir_func *f, ir_path p);
/* 1 when p is q or lies below it (q->f, *q, q[i] ...). */
int ir_path_within(const struct ir_func *f, ir_path p, ir_path q);
/* "s->buf", "*p", "a[]" */
void ir_path_name(const struct ir_tu *t, const struct ir_func *f, ir_path p, struct strbuf *out);

uint32_t ir_add_var(struct ir_func *f, ir_str name, unsigned flags, unsigned type, struct ir_loc loc);
uint32_t ir_new_block(struct ir_func *f);
struct ir_stmt *ir_emit(struct ir_func *f, uint32_t block, enum ir_op op, struct ir_loc loc);

/* Lowering (lower.c): every function defined outside system headers. */
struct ir_tu *ir_lower_tu(CXTranslationUnit tu, const char *workdir);
struct ir_tu *ir_tu_new(void);
void ir_tu_free(struct ir_tu *t);
void ir_func_release(struct ir_func *f);

/* A readable listing, for tests and `memaudit debug ir`. */
void ir_dump_func(const struct ir_tu *t, const struct ir_func *f, struct strbuf *out);

#endif
