#ifndef MA_STATIC_LOWER_INTERNAL_H
#define MA_STATIC_LOWER_INTERNAL_H
/*
 * Shared between lower.c (statements, control flow) and lower_expr.c
 * (expressions): the state of lowering one function.
 */
#include <clang-c/Index.h>

#include "ir.h"

/* Lowering gives up on a function past these (adversarial input). */
#define LOWER_MAX_STMTS 400000
#define LOWER_MAX_DEPTH 400
#define LOWER_NO_BLOCK UINT32_MAX   /* after a jump, until a label or the next emit */

struct loop_target {
	uint32_t brk;
	uint32_t cont;       /* UINT32_MAX for a switch: continue goes further out */
};

struct label_block {
	ir_str name;
	uint32_t block;
};

struct case_block {
	unsigned hash;       /* clang_hashCursor of the case statement */
	CXCursor cursor;
	uint32_t block;
	int is_default;
	int has_value;
	int64_t value;
};

struct switch_ctx {
	struct case_block *cases;
	size_t nr, alloc;
	struct switch_ctx *outer;
};

struct var_slot {
	unsigned hash;
	CXCursor decl;
	uint32_t var;
	int used;
};

struct file_slot {
	CXFile file;
	uint32_t id;
	uint32_t *line_start;   /* offset of each line, made on first use; NULL: not yet */
	uint32_t nr_lines;
	int no_text;            /* libclang has no contents for it: ask it for lines */
};

/* An operator read back from the source text (lower_op): a quarter of
 * the expressions are asked twice, once as a test and once as a value. */
#define OP_MEMO 64
struct op_memo {
	const void *node;              /* the expression (its clang Stmt) */
	uint8_t expect_arg;            /* read inside likely()/unlikely() */
	uint8_t found;
	char op[4];                    /* the longest C operators: <<= >>= */
};

/* A third of the statements share a cursor location with one lowered
 * just before (a read, then the assignment it feeds). */
#define LOC_MEMO 64
struct loc_memo {
	unsigned raw;                  /* CXSourceLocation.int_data; 0: empty */
	struct ir_loc loc;
};

/* The children of a node asked for again soon after (a fifth of the
 * asks: a test is peeled, then lowered; an operand is typed, then read). */
#define KIDS_MEMO 64
#define KIDS_MEMO_MAX 4
struct kids_memo {
	CXCursor of;                   /* kind 0 (CXCursor's never is): empty */
	unsigned n;
	CXCursor v[KIDS_MEMO_MAX];
};

struct lower {
	struct ir_tu *t;
	struct ir_func *f;
	CXTranslationUnit tu;
	const char *workdir;
	uint32_t cur;                  /* block receiving statements */
	struct loop_target *loops;
	size_t nr_loops, alloc_loops;
	struct label_block *labels;
	size_t nr_labels, alloc_labels;
	struct switch_ctx *sw;
	struct var_slot *vars;         /* decl cursor -> variable, open addressing */
	size_t vars_size, vars_used;
	uint32_t *used_slots;          /* the slots of vars in use, to clear them alone */
	size_t alloc_used_slots;
	struct file_slot *files;
	size_t nr_files, alloc_files, last_file;
	size_t stmts;                  /* emitted so far */
	unsigned depth;
	uint32_t temps;
	unsigned uncertain;            /* inside an operand that may not be evaluated */
	unsigned cond_depth;           /* nesting of lower_cond: constants are folded at the top */
	unsigned in_expect_arg;        /* lowering the test a likely()/unlikely() macro was given */
	uint8_t branch_flags;          /* IRB_COND_* the branches being lowered get */
	unsigned negated;              /* under an odd number of ! in the condition being lowered */
	uint8_t *noreturn;             /* by callee name: 0 not asked, 1 returns, 2 does not */
	uint32_t alloc_noreturn;
	uint8_t *changed;              /* by variable name: written or address taken somewhere */
	uint32_t alloc_changed;
	struct op_memo op_memo[OP_MEMO]; /* operators read from the source, by expression */
	struct loc_memo loc_memo[LOC_MEMO]; /* lower_loc's answers, by raw source location */
	struct kids_memo kids_memo[KIDS_MEMO];
};

/* Children of a cursor, in order.  Most nodes have at most four: those
 * stay in the struct (one malloc per visited node cost 1% of a run); a
 * struct kids is therefore never copied, only pointed to. */
#define KIDS_INLINE 4
struct kids {
	CXCursor *v;
	unsigned n, alloc;
	CXCursor inl[KIDS_INLINE];
};
void kids_get(struct lower *L, CXCursor c, struct kids *k);
void kids_release(struct kids *k);

struct ir_loc lower_loc(struct lower *L, CXCursor c);
unsigned lower_type_flags(CXType t);
unsigned lower_decl_type_flags(CXCursor decl);
uint32_t lower_var_of(struct lower *L, CXCursor decl);
uint32_t lower_temp(struct lower *L, unsigned type, const char *what);
struct ir_stmt *lower_emit(struct lower *L, enum ir_op op, CXCursor at);
/* The block receiving statements, made if code follows a jump. */
uint32_t lower_cur(struct lower *L);
int lower_over_budget(struct lower *L);
void lower_jump(struct lower *L, uint32_t target);
void lower_branch(struct lower *L, struct ir_cond cond, struct ir_loc loc, uint32_t t, uint32_t f);
/* Start a block with no predecessors, for code after a jump. */
void lower_dead(struct lower *L);

/* lower_assert.c: assert(cond) that NDEBUG left as ((void)0), lowered as
 * a test whose failing side ends the path.  1 when s was one. */
int lower_disabled_assert(struct lower *L, CXCursor s);

/* lower.c: the statements inside ({ ... }) */
void lower_stmt_expr(struct lower *L, CXCursor e);

/* lower_expr.c */
struct ir_val lower_expr(struct lower *L, CXCursor e);
ir_path lower_lvalue(struct lower *L, CXCursor e);
void lower_cond(struct lower *L, CXCursor e, uint32_t t, uint32_t f);
int lower_eval_int(CXCursor e, int64_t *out);
/* The operator of a unary/binary operator cursor, from its tokens. */
int lower_op(struct lower *L, CXCursor e, const struct kids *k, char *buf, size_t size);

#endif
