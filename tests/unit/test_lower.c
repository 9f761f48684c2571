/*
 * The lowering from libclang cursors into the IR (analyzers/static/lower.c,
 * lower_expr.c): each test writes a small C snippet to a temporary file,
 * parses it with libclang, lowers it with ir_lower_tu() and checks the shape
 * of the resulting control-flow graph.
 *
 * The checks are on structure, so that they fail when the lowering breaks:
 * which blocks are reachable from the entry, how many of them branch, where
 * an edge lands once empty jump blocks are skipped (the lowering leaves many
 * of those), and which statements a block holds.  Each area also has a
 * negative test (a constant condition that must not branch, a normal call
 * that must not end its block, ...), so a check cannot pass vacuously.
 *
 * Tests named known_* show engine bugs found while writing these tests;
 * they assert the correct behaviour but are skipped unless
 * MEMAUDIT_KNOWN_BUGS=1 is set, so that the suite stays green while the
 * engine is being changed:
 *
 *     MEMAUDIT_KNOWN_BUGS=1 build/unit-tests --filter 'lower/known_*'
 */
#include <criterion/criterion.h>

#include "../../analyzers/static/ir.h"
#include "../../analyzers/static/flow_internal.h"
#include "../../analyzers/static/static_pass.h"
#include "../../core/fs.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define ANY_K INT64_MIN
#define NONE UINT32_MAX

static struct strbuf dir = STRBUF_INIT;
static CXIndex cx_index;
static CXTranslationUnit cx_tu;
static struct ir_tu *ir;

/* ------------------------------------------------------------------ */
/* Fixture: parse and lower one snippet                                */

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_mkdtemp(&dir, "memaudit-lower", &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

/* Forget the snippet lowered last, to lower another in the same test. */
static void drop_lowered(void)
{
	ir_tu_free(ir);
	if (cx_tu)
		clang_disposeTranslationUnit(cx_tu);
	if (cx_index)
		clang_disposeIndex(cx_index);
	ir = NULL;
	cx_tu = NULL;
	cx_index = NULL;
}

static void teardown(void)
{
	drop_lowered();
	ma_remove_tree(dir.buf);
	strbuf_release(&dir);
}

TestSuite(lower, .init = setup, .fini = teardown, .timeout = 60);

static void known_bug(void)
{
	const char *e = getenv("MEMAUDIT_KNOWN_BUGS");

	/* a skipped test's .fini does not run: leave no directory behind */
	if (!e || strcmp(e, "1")) {
		teardown();
		cr_skip_test("known engine bug (set MEMAUDIT_KNOWN_BUGS=1 to run)");
	}
}

static void assert_parsed(void)
{
	for (unsigned i = 0; i < clang_getNumDiagnostics(cx_tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(cx_tu, i);
		CXString s = clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions());
		int bad = clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error;
		if (bad)
			cr_log_error("%s", clang_getCString(s));
		clang_disposeString(s);
		clang_disposeDiagnostic(d);
		cr_assert(!bad, "the snippet does not parse");
	}
}

/* Write src to <dir>/<name>, parse it with `std` and lower it. */
static void lower_as(const char *name, const char *std, const char *src)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	const char *res = ma_static_resource_dir();
	const char *args[4] = { std };
	int nargs = 1;

	strbuf_addf(&path, "%s/%s", dir.buf, name);
	cr_assert_eq(ma_write_file_atomic(path.buf, src, strlen(src), &err), 0, "%s", err.buf);
	if (res) {
		args[nargs++] = "-resource-dir";
		args[nargs++] = res;
	}
	drop_lowered(); /* a test may lower more than one snippet */
	cx_index = clang_createIndex(0, 0);
	cx_tu = clang_parseTranslationUnit(cx_index, path.buf, args, nargs, NULL, 0,
					   CXTranslationUnit_None);
	cr_assert_not_null(cx_tu, "libclang could not parse '%s'", path.buf);
	assert_parsed();
	ir = ir_lower_tu(cx_tu, dir.buf);
	cr_assert_not_null(ir);
	strbuf_release(&path);
	strbuf_release(&err);
}

static void lower_c(const char *src)
{
	lower_as("t.c", "-std=gnu11", src);
}

static const struct ir_func *fn(const char *name)
{
	for (size_t i = 0; i < ir->nr_funcs; i++)
		if (!strcmp(ir_string(ir, ir->funcs[i].name), name))
			return &ir->funcs[i];
	cr_assert_fail("no function '%s' was lowered", name);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Looking at a CFG                                                    */

/* Blocks reachable from the entry: seen[b] is 1 for each; returns how many. */
static unsigned reach_from(const struct ir_func *f, uint32_t from, uint8_t *seen)
{
	uint32_t *stack = calloc(f->nr_blocks + 1, sizeof(*stack)), sp = 0;
	unsigned n = 0;

	memset(seen, 0, f->nr_blocks);
	stack[sp++] = from;
	seen[from] = 1;
	while (sp) {
		const struct ir_block *b = &f->blocks[stack[--sp]];
		n++;
		cr_assert_leq(b->nsucc, 2);
		for (unsigned i = 0; i < b->nsucc; i++) {
			cr_assert_lt(b->succ[i], f->nr_blocks, "edge to a block that does not exist");
			if (!seen[b->succ[i]]) {
				seen[b->succ[i]] = 1;
				stack[sp++] = b->succ[i];
			}
		}
	}
	free(stack);
	return n;
}

static int reaches(const struct ir_func *f, uint32_t from, uint32_t to)
{
	uint8_t *seen = calloc(f->nr_blocks, 1);
	int r;

	reach_from(f, from, seen);
	r = seen[to];
	free(seen);
	return r;
}

static int reachable(const struct ir_func *f, uint32_t b)
{
	return reaches(f, IR_ENTRY, b);
}

static unsigned nr_reachable(const struct ir_func *f)
{
	uint8_t *seen = calloc(f->nr_blocks, 1);
	unsigned n = reach_from(f, IR_ENTRY, seen);

	free(seen);
	return n;
}

/* Reachable blocks that do something (hold statements, branch or end): empty
 * jump blocks, which the lowering leaves freely, are not counted. */
static unsigned nr_real_blocks(const struct ir_func *f)
{
	unsigned n = 0;

	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		const struct ir_block *blk = &f->blocks[b];
		n += (blk->nr_stmts || blk->nsucc != 1) && reachable(f, b);
	}
	return n;
}

static unsigned nr_branches(const struct ir_func *f)
{
	unsigned n = 0;

	for (uint32_t b = 0; b < f->nr_blocks; b++)
		n += f->blocks[b].nsucc == 2 && reachable(f, b);
	return n;
}

/* Statements of `op` in blocks reachable from the entry. */
static unsigned nr_ops(const struct ir_func *f, enum ir_op op)
{
	unsigned n = 0;

	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		if (!reachable(f, b))
			continue;
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++)
			n += f->blocks[b].stmts[k].op == op;
	}
	return n;
}

/* Where an edge to b really goes: past blocks that only jump on. */
static uint32_t land(const struct ir_func *f, uint32_t b)
{
	for (unsigned hops = 0; hops <= f->nr_blocks; hops++) {
		const struct ir_block *blk = &f->blocks[b];
		if (blk->nr_stmts || blk->nsucc != 1)
			return b;
		b = blk->succ[0];
	}
	return b; /* an empty cycle: while (1) {} */
}

static int path_is(const struct ir_func *f, ir_path p, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	int eq;

	ir_path_name(ir, f, p, &sb);
	eq = !strcmp(sb.buf, name);
	strbuf_release(&sb);
	return eq;
}

static int is_call(const struct ir_func *f, const struct ir_stmt *s, const char *callee, int64_t k)
{
	const struct ir_val *a;

	if (s->op != IR_CALL || !s->callee || strcmp(ir_string(ir, s->callee), callee))
		return 0;
	if (k == ANY_K)
		return 1;
	a = s->aux ? &f->args[s->args] : NULL;
	return a && a->kind == IRV_INT && a->k == k;
}

static int block_calls(const struct ir_func *f, uint32_t b, const char *callee, int64_t k)
{
	for (uint32_t i = 0; i < f->blocks[b].nr_stmts; i++)
		if (is_call(f, &f->blocks[b].stmts[i], callee, k))
			return 1;
	return 0;
}

/* The block holding the call callee(k) (k == ANY_K: any arguments), or NONE. */
static uint32_t call_block(const struct ir_func *f, const char *callee, int64_t k)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		if (block_calls(f, b, callee, k))
			return b;
	return NONE;
}

static uint32_t g_block(const struct ir_func *f, int64_t k)
{
	uint32_t b = call_block(f, "g", k);

	cr_assert_neq(b, NONE, "no call g(%lld) in the IR", (long long)k);
	return b;
}

/* The block holding the call g(name), name a variable. */
static uint32_t g_var_block(const struct ir_func *f, const char *name)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		for (uint32_t i = 0; i < f->blocks[b].nr_stmts; i++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[i];
			if (is_call(f, s, "g", ANY_K) && s->aux &&
			    f->args[s->args].kind == IRV_PATH && path_is(f, f->args[s->args].path, name))
				return b;
		}
	}
	cr_assert_fail("no call g(%s) in the IR", name);
	return NONE;
}

/* A block of f that writes (ASSIGN or ARITH) the variable `name`. */
static int block_writes(const struct ir_func *f, uint32_t b, const char *name)
{
	for (uint32_t i = 0; i < f->blocks[b].nr_stmts; i++) {
		const struct ir_stmt *s = &f->blocks[b].stmts[i];
		if ((s->op == IR_ASSIGN || s->op == IR_ARITH) && path_is(f, s->dst, name))
			return 1;
	}
	return 0;
}

/* The reachable branch whose right operand is the constant k, or NONE. */
static uint32_t branch_on_k(const struct ir_func *f, int64_t k)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		const struct ir_block *blk = &f->blocks[b];
		if (blk->nsucc == 2 && blk->cond.r.kind == IRV_INT && blk->cond.r.k == k &&
		    reachable(f, b))
			return b;
	}
	return NONE;
}

/* The reachable branch testing the variable `name`, or NONE. */
static uint32_t branch_on_var(const struct ir_func *f, const char *name)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		const struct ir_block *blk = &f->blocks[b];
		if (blk->nsucc == 2 && blk->cond.l.kind == IRV_PATH &&
		    path_is(f, blk->cond.l.path, name) && reachable(f, b))
			return b;
	}
	return NONE;
}

static char *dump(const struct ir_func *f)
{
	struct strbuf sb = STRBUF_INIT;

	ir_dump_func(ir, f, &sb);
	return strbuf_detach(&sb, NULL);
}

#define expect_dump_has(f, text) do { \
	char *d_ = dump(f); \
	cr_expect(strstr(d_, text) != NULL, "'%s' not in the IR:\n%s", text, d_); \
	free(d_); \
} while (0)

#define expect_dump_lacks(f, text) do { \
	char *d_ = dump(f); \
	cr_expect(strstr(d_, text) == NULL, "'%s' in the IR:\n%s", text, d_); \
	free(d_); \
} while (0)

/* The first statement of `op` in blocks reachable from the entry (in block order). */
static const struct ir_stmt *first_op(const struct ir_func *f, enum ir_op op, uint32_t *block)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		if (!reachable(f, b))
			continue;
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			if (f->blocks[b].stmts[k].op == op) {
				if (block)
					*block = b;
				return &f->blocks[b].stmts[k];
			}
		}
	}
	return NULL;
}

/* Reads of the variable `name` in reachable blocks. */
static unsigned nr_reads_of(const struct ir_func *f, const char *name)
{
	unsigned n = 0;

	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		if (!reachable(f, b))
			continue;
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			n += s->op == IR_READ && s->a.kind == IRV_PATH && path_is(f, s->a.path, name);
		}
	}
	return n;
}

#define PROLOGUE "#include <stdlib.h>\nint g(int);\n"

/* ------------------------------------------------------------------ */
/* The frame of a function                                             */

Test(lower, straight_line_code_is_one_block_between_entry_and_exit)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "int f(int a, int b) { int c = a + b; c = c * 2; g(c); return c; }\n");
	f = fn("f");
	cr_assert_eq(f->blocks[IR_ENTRY].nsucc, 1);
	cr_assert_eq(f->blocks[IR_EXIT].nsucc, 0, "the exit block has no successor");
	cr_assert_eq(f->blocks[IR_EXIT].nr_stmts, 0);
	cr_expect_eq(nr_reachable(f), 3, "entry, body, exit");
	cr_expect_eq(nr_branches(f), 0);
	cr_expect_eq(land(f, f->blocks[IR_ENTRY].succ[0]), g_block(f, ANY_K));
	cr_expect_eq(f->blocks[g_block(f, ANY_K)].succ[0], IR_EXIT);
	cr_expect_eq(f->nr_params, 2);
	cr_expect(!f->truncated);
	expect_dump_has(f, "decl c\n");
	expect_dump_has(f, "c = $arith");
	expect_dump_has(f, "return c\n");
}

Test(lower, falling_off_the_end_jumps_to_the_exit)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "void f(void) { g(1); }\nvoid e(void) { }\n");
	f = fn("f");
	cr_expect_eq(f->blocks[g_block(f, 1)].succ[0], IR_EXIT);
	cr_expect_eq(nr_ops(f, IR_RETURN), 0);
	f = fn("e");
	cr_expect_eq(nr_reachable(f), 3);
	cr_expect(reachable(f, IR_EXIT));
}

Test(lower, only_definitions_are_lowered)
{
	lower_c(PROLOGUE "int h(int);\nint f(int x) { return h(x); }\n");
	cr_expect_eq(ir->nr_funcs, 1, "declarations (g, h, the C library) are not lowered");
	cr_expect_str_eq(ir_string(ir, ir->funcs[0].name), "f");
}

/* ------------------------------------------------------------------ */
/* if                                                                  */

Test(lower, if_else_branches_and_joins)
{
	const struct ir_func *f;
	uint32_t br, t, e, join;

	lower_c(PROLOGUE "void f(int c) { if (c) g(1); else g(2); g(3); }\n");
	f = fn("f");
	cr_assert_eq(nr_branches(f), 1);
	br = branch_on_var(f, "c");
	cr_assert_neq(br, NONE);
	cr_expect_eq(f->blocks[br].cond.op, IRC_NE);
	t = land(f, f->blocks[br].succ[0]);
	e = land(f, f->blocks[br].succ[1]);
	join = g_block(f, 3);
	cr_expect_eq(t, g_block(f, 1), "the true edge goes to the then branch");
	cr_expect_eq(e, g_block(f, 2), "the false edge goes to the else branch");
	cr_expect_eq(land(f, f->blocks[t].succ[0]), join);
	cr_expect_eq(land(f, f->blocks[e].succ[0]), join);
	cr_expect(!reaches(f, t, e) && !reaches(f, e, t));
}

Test(lower, if_without_else_falls_through_to_the_join)
{
	const struct ir_func *f;
	uint32_t br;

	lower_c(PROLOGUE "void f(int c) { if (c > 4) g(1); g(3); }\n");
	f = fn("f");
	br = branch_on_k(f, 4);
	cr_assert_neq(br, NONE);
	cr_expect_eq(f->blocks[br].cond.op, IRC_GT);
	cr_expect_eq(land(f, f->blocks[br].succ[0]), g_block(f, 1));
	cr_expect_eq(land(f, f->blocks[br].succ[1]), g_block(f, 3));
}

Test(lower, if_0_jumps_past_its_body)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "void f(void) { if (0) { g(1); } g(2); }\n"
		"void t(void) { if (1) g(3); else g(4); }\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 0, "a constant condition does not branch");
	cr_expect(!reachable(f, g_block(f, 1)), "the body of if (0) is dead");
	cr_expect(reachable(f, g_block(f, 2)));
	f = fn("t");
	cr_expect_eq(nr_branches(f), 0);
	cr_expect(reachable(f, g_block(f, 3)));
	cr_expect(!reachable(f, g_block(f, 4)), "the else of if (1) is dead");
}

/* ------------------------------------------------------------------ */
/* Loops                                                               */

Test(lower, while_tests_before_the_body_and_loops_back)
{
	const struct ir_func *f;
	uint32_t head, body;

	lower_c(PROLOGUE "void f(int c) { while (c) { c = g(c); } g(9); }\n");
	f = fn("f");
	cr_assert_eq(nr_branches(f), 1);
	head = branch_on_var(f, "c");
	body = land(f, f->blocks[head].succ[0]);
	cr_expect(block_calls(f, body, "g", ANY_K) && block_writes(f, body, "c"));
	cr_expect_eq(land(f, f->blocks[head].succ[1]), g_block(f, 9));
	cr_expect(reaches(f, body, head), "the body loops back to the test");
	cr_expect(!reaches(f, g_block(f, 9), head));
}

Test(lower, while_0_never_runs_its_body)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "void f(void) { while (0) g(1); g(2); }\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 0);
	cr_expect(!reachable(f, g_block(f, 1)));
	cr_expect(reachable(f, g_block(f, 2)));
}

Test(lower, while_1_without_break_never_ends)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "void f(void) { while (1) { g(1); } g(2); }\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 0);
	cr_expect(reaches(f, g_block(f, 1), g_block(f, 1)), "a cycle");
	cr_expect(!reachable(f, g_block(f, 2)));
	cr_expect(!reachable(f, IR_EXIT));
}

Test(lower, do_while_runs_the_body_before_the_test)
{
	const struct ir_func *f;
	uint32_t body, test;

	lower_c(PROLOGUE "void f(int c) { do { c = g(c); } while (c); g(9); }\n");
	f = fn("f");
	cr_assert_eq(nr_branches(f), 1);
	body = g_block(f, ANY_K);
	test = branch_on_var(f, "c");
	cr_expect_eq(land(f, f->blocks[IR_ENTRY].succ[0]), body, "no test before the first run");
	cr_expect_eq(land(f, f->blocks[test].succ[0]), body, "the true edge loops back");
	cr_expect_eq(land(f, f->blocks[test].succ[1]), call_block(f, "g", 9));
}

Test(lower, do_while_0_runs_once)
{
	const struct ir_func *f;
	uint32_t body;

	lower_c(PROLOGUE "void f(void) { do { g(1); } while (0); g(2); }\n");
	f = fn("f");
	body = g_block(f, 1);
	cr_expect_eq(nr_branches(f), 0);
	cr_expect(reachable(f, body));
	cr_expect(!reaches(f, g_block(f, 2), body), "no back edge");
	cr_expect(reaches(f, body, g_block(f, 2)));
}

/* for with each clause present or omitted: libclang lists only those present. */
struct for_case {
	const char *init, *cond, *inc;
};

static void check_for(const struct for_case *fc)
{
	char src[512];
	const struct ir_func *f;
	uint32_t body;

	snprintf(src, sizeof(src), PROLOGUE "void f(int n) { int i = 7; for (%s; %s; %s) { g(i); } g(-1); }\n",
		 fc->init, fc->cond, fc->inc);
	lower_c(src);
	f = fn("f");
	body = g_var_block(f, "i");
	cr_expect(reachable(f, body), "for (%s; %s; %s): the body runs", fc->init, fc->cond, fc->inc);
	cr_expect_eq(nr_branches(f), *fc->cond ? 1 : 0, "for (%s; %s; %s)", fc->init, fc->cond, fc->inc);
	cr_expect_eq(reachable(f, g_block(f, -1)), *fc->cond != 0,
		     "for (%s; %s; %s): the loop ends only through its condition", fc->init, fc->cond, fc->inc);
	cr_expect(reaches(f, body, body), "for (%s; %s; %s): a loop", fc->init, fc->cond, fc->inc);
	if (*fc->cond)
		cr_expect_neq(branch_on_var(f, "i"), NONE, "for (%s; %s; %s): the test is on i", fc->init,
			      fc->cond, fc->inc);
	if (*fc->init)
		expect_dump_has(f, "i = 0\n");
	else
		expect_dump_lacks(f, "i = 0\n");
	if (*fc->inc)
		cr_expect(block_writes(f, land(f, f->blocks[body].succ[0]), "i"),
			  "for (%s; %s; %s): the increment follows the body", fc->init, fc->cond, fc->inc);
	else
		expect_dump_lacks(f, "i = i + 1");
}

Test(lower, for_with_every_combination_of_clauses)
{
	static const struct for_case cases[] = {
		{ "", "", "" },           { "i = 0", "", "" },       { "", "i < n", "" },
		{ "", "", "i++" },        { "i = 0", "i < n", "" },  { "i = 0", "", "i++" },
		{ "", "i < n", "i++" },   { "i = 0", "i < n", "i++" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		check_for(&cases[i]);
		drop_lowered();
	}
}

Test(lower, for_ever_has_no_exit_but_break)
{
	const struct ir_func *f;
	uint32_t br;

	lower_c(PROLOGUE "void f(int c) { for (;;) { if (c) break; g(1); } g(2); }\n");
	f = fn("f");
	cr_assert_eq(nr_branches(f), 1, "only the if branches");
	br = branch_on_var(f, "c");
	cr_expect_eq(land(f, f->blocks[br].succ[0]), g_block(f, 2), "break leaves the loop");
	cr_expect(reaches(f, g_block(f, 1), br), "the body loops back");
}

Test(lower, for_with_a_declaration_and_no_condition)
{
	const struct ir_func *f;
	uint32_t br;

	lower_c(PROLOGUE "void f(int n) { for (int i = 0;; i++) { if (i > n) break; g(i); } g(-1); }\n");
	f = fn("f");
	cr_assert_eq(nr_branches(f), 1, "i++ is not taken for the condition");
	br = branch_on_var(f, "i");
	cr_assert_neq(br, NONE);
	cr_expect_eq(f->blocks[br].cond.op, IRC_GT);
	cr_expect_eq(land(f, f->blocks[br].succ[0]), g_block(f, -1));
	cr_expect(block_writes(f, land(f, f->blocks[g_var_block(f, "i")].succ[0]), "i"));
	expect_dump_has(f, "decl i\n");
}

/* ------------------------------------------------------------------ */
/* break and continue                                                  */

Test(lower, break_and_continue_in_nested_loops_bind_to_the_inner_loop)
{
	const struct ir_func *f;
	uint32_t cont, brk;

	lower_c(PROLOGUE "void f(int n) {\n"
		"  for (int i = 0; i < n; i++) {\n"
		"    for (int j = 0; j < n; j++) {\n"
		"      if (j == 3) continue;\n"
		"      if (j == 5) break;\n"
		"      g(j);\n"
		"    }\n"
		"    g(100);\n"
		"  }\n"
		"  g(200);\n"
		"}\n");
	f = fn("f");
	cont = land(f, f->blocks[branch_on_k(f, 3)].succ[0]);
	brk = land(f, f->blocks[branch_on_k(f, 5)].succ[0]);
	cr_expect(block_writes(f, cont, "j"), "continue goes to the inner increment");
	cr_expect(!block_writes(f, cont, "i"));
	cr_expect_eq(brk, g_block(f, 100), "break leaves the inner loop only");
	cr_expect_eq(nr_branches(f), 4);
}

Test(lower, continue_in_a_switch_goes_to_the_enclosing_loop)
{
	const struct ir_func *f;
	uint32_t c1, c2;

	lower_c(PROLOGUE "void f(int n) {\n"
		"  for (int i = 0; i < n; i++) {\n"
		"    switch (i) {\n"
		"    case 1: continue;\n"
		"    case 2: break;\n"
		"    default: g(7);\n"
		"    }\n"
		"    g(i);\n"
		"  }\n"
		"}\n");
	f = fn("f");
	c1 = land(f, f->blocks[branch_on_k(f, 1)].succ[0]);
	c2 = land(f, f->blocks[branch_on_k(f, 2)].succ[0]);
	cr_expect(block_writes(f, c1, "i"), "continue goes to i++, not past the switch");
	cr_expect_eq(c2, g_var_block(f, "i"), "break leaves the switch only, to g(i)");
	cr_expect_eq(land(f, f->blocks[g_block(f, 7)].succ[0]), c2, "default falls out of the switch");
}

Test(lower, continue_in_do_while_goes_to_the_test)
{
	const struct ir_func *f;
	uint32_t br;

	lower_c(PROLOGUE "void f(int c) { do { if (c == 4) continue; g(1); } while (c--); g(2); }\n");
	f = fn("f");
	br = branch_on_k(f, 4);
	cr_assert_neq(br, NONE);
	cr_expect(block_writes(f, land(f, f->blocks[br].succ[0]), "c"), "continue runs c--");
	cr_expect_eq(nr_branches(f), 2);
}

Test(lower, break_outside_any_loop_goes_nowhere)
{
	const struct ir_func *f;

	/* a stray break does not parse in C; a break in a switch inside no loop leaves the switch */
	lower_c(PROLOGUE "void f(int c) { switch (c) { case 1: g(1); break; g(5); } g(2); }\n");
	f = fn("f");
	cr_expect_eq(land(f, f->blocks[g_block(f, 1)].succ[0]), g_block(f, 2));
	cr_expect(!reachable(f, g_block(f, 5)), "code after break is dead");
}

/* ------------------------------------------------------------------ */
/* switch                                                              */

Test(lower, switch_falls_through_and_default_sits_in_the_middle)
{
	const struct ir_func *f;
	uint32_t b1, b2, b3, dflt;

	lower_c(PROLOGUE "void f(int c) {\n"
		"  switch (c) { case 1: g(1); case 2: g(2); break; default: g(0); case 3: g(3); }\n"
		"  g(9);\n"
		"}\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 3, "one equality test per case");
	b1 = branch_on_k(f, 1), b2 = branch_on_k(f, 2), b3 = branch_on_k(f, 3);
	cr_assert(b1 != NONE && b2 != NONE && b3 != NONE);
	cr_expect_eq(f->blocks[b1].cond.op, IRC_EQ);
	cr_expect_eq(land(f, f->blocks[b1].succ[0]), g_block(f, 1));
	cr_expect_eq(land(f, f->blocks[b2].succ[0]), g_block(f, 2));
	cr_expect_eq(land(f, f->blocks[b3].succ[0]), g_block(f, 3));
	dflt = land(f, f->blocks[b3].succ[1]);
	cr_expect_eq(dflt, g_block(f, 0), "no case matched: default");
	cr_expect_eq(land(f, f->blocks[g_block(f, 1)].succ[0]), g_block(f, 2), "fall-through");
	cr_expect_eq(land(f, f->blocks[g_block(f, 2)].succ[0]), g_block(f, 9), "break");
	cr_expect_eq(land(f, f->blocks[g_block(f, 0)].succ[0]), g_block(f, 3),
		     "default falls through to the case after it");
	cr_expect_eq(land(f, f->blocks[g_block(f, 3)].succ[0]), g_block(f, 9));
}

Test(lower, switch_without_default_skips_to_the_end)
{
	const struct ir_func *f;
	uint32_t last;

	lower_c(PROLOGUE "void f(int c) { switch (c) { case 1: g(1); break; case 2: g(2); } g(9); }\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 2);
	last = branch_on_k(f, 2);
	cr_assert_neq(last, NONE);
	cr_expect_eq(land(f, f->blocks[last].succ[1]), g_block(f, 9), "no case matched: past the switch");
	cr_expect_eq(land(f, f->blocks[g_block(f, 2)].succ[0]), g_block(f, 9));
	expect_dump_has(f, "if c == 1 then");
	expect_dump_lacks(f, "$switch");
}

/* A switch on a variable tests the variable itself, so each case knows its
 * value; an expression is evaluated once, into a temporary. */
Test(lower, switch_on_an_expression_evaluates_it_once)
{
	const struct ir_func *f;
	char *d;

	lower_c(PROLOGUE "void f(int c) { switch (g(c)) { case 1: g(1); break; case 2: g(2); } }\n");
	f = fn("f");
	d = dump(f);
	cr_expect(strstr(d, "$call1 = g(c)\n") && !strstr(strstr(d, "$call1 = g(c)\n") + 13, "= g(c)"),
		  "g(c) is called once:\n%s", d);
	free(d);
	expect_dump_has(f, "if $call1 == 1 then");
	expect_dump_has(f, "if $call1 == 2 then");
}

Test(lower, nested_switch_keeps_its_own_cases)
{
	const struct ir_func *f;
	uint32_t inner;

	lower_c(PROLOGUE "void f(int a, int b) {\n"
		"  switch (a) { case 1: switch (b) { case 10: g(10); break; default: g(11); } g(1); break;\n"
		"               case 2: g(2); }\n"
		"}\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 3, "a == 1, a == 2, b == 10");
	inner = branch_on_k(f, 10);
	cr_assert_neq(inner, NONE);
	cr_expect_eq(land(f, f->blocks[inner].succ[1]), g_block(f, 11), "the inner default");
	cr_expect_eq(land(f, f->blocks[g_block(f, 10)].succ[0]), g_block(f, 1),
		     "the inner break leaves the inner switch only");
	cr_expect(!reaches(f, g_block(f, 2), g_block(f, 1)));
}

Test(lower, switch_on_a_constant_has_no_default_path_when_a_case_matches)
{
	const struct ir_func *f;

	/* negative: the dispatch still tests (the engine decides), but a case
	 * with no statements must not swallow the next case's label */
	lower_c(PROLOGUE "void f(int c) { switch (c) { case 1: case 2: g(2); break; } g(9); }\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 2);
	cr_expect_eq(land(f, f->blocks[branch_on_k(f, 1)].succ[0]), g_block(f, 2));
	cr_expect_eq(land(f, f->blocks[branch_on_k(f, 2)].succ[0]), g_block(f, 2));
}

Test(lower, known_case_range_is_not_a_single_value)
{
	const struct ir_func *f;

	known_bug(); /* lower.c:add_case takes `case 1 ... 5` for `case 1` */
	lower_c(PROLOGUE "void f(int c) { switch (c) { case 1 ... 5: g(1); break; } g(9); }\n");
	f = fn("f");
	cr_expect_eq(branch_on_k(f, 1), NONE, "c == 1 is not the test of case 1 ... 5");
}

/* ------------------------------------------------------------------ */
/* goto                                                                */

Test(lower, goto_forwards_skips_code)
{
	const struct ir_func *f;
	uint32_t br;

	lower_c(PROLOGUE "void f(int c) { if (c) goto out; g(1); out: g(2); }\n"
		"void d(void) { goto out; g(5); out: g(6); }\n");
	f = fn("f");
	br = branch_on_var(f, "c");
	cr_expect_eq(land(f, f->blocks[br].succ[0]), g_block(f, 2));
	cr_expect_eq(land(f, f->blocks[g_block(f, 1)].succ[0]), g_block(f, 2));
	f = fn("d");
	cr_expect(!reachable(f, g_block(f, 5)), "code after goto is dead");
	cr_expect(reachable(f, g_block(f, 6)));
}

Test(lower, goto_backwards_makes_a_loop)
{
	const struct ir_func *f;
	uint32_t br, label;

	lower_c(PROLOGUE "void f(int c) { int i = 0; again: i++; g(i); if (i < c) goto again; g(-1); }\n");
	f = fn("f");
	br = branch_on_var(f, "i");
	cr_assert_neq(br, NONE);
	label = land(f, f->blocks[br].succ[0]);
	cr_expect(block_writes(f, label, "i"), "the label's block starts with i++");
	cr_expect(reaches(f, label, br), "a cycle through the label");
	cr_expect_eq(land(f, f->blocks[br].succ[1]), g_block(f, -1));
}

Test(lower, goto_into_a_loop_body_is_irreducible)
{
	const struct ir_func *f;
	uint32_t enter, head, inside;

	lower_c(PROLOGUE "void f(int c) {\n"
		"  int i = 0;\n"
		"  if (c) goto inside;\n"
		"  while (i < 10) { g(i); inside: i++; }\n"
		"  g(-1);\n"
		"}\n");
	f = fn("f");
	enter = branch_on_var(f, "c");
	head = branch_on_k(f, 10);
	cr_assert(enter != NONE && head != NONE);
	inside = land(f, f->blocks[enter].succ[0]);
	cr_expect(block_writes(f, inside, "i"), "the goto lands on i++");
	cr_expect_eq(land(f, f->blocks[g_var_block(f, "i")].succ[0]), inside, "the body reaches it too");
	cr_expect_eq(land(f, f->blocks[inside].succ[0]), head, "then the loop test");
	cr_expect_eq(land(f, f->blocks[enter].succ[1]), head, "the other way in is the test");
	cr_expect_eq(land(f, f->blocks[head].succ[1]), g_block(f, -1));
}

Test(lower, labels_are_per_function)
{
	const struct ir_func *a, *b;

	lower_c(PROLOGUE "void a(void) { goto out; g(1); out: g(2); }\n"
		"void b(void) { goto out; g(3); out: g(4); }\n");
	a = fn("a"), b = fn("b");
	cr_expect(reachable(a, g_block(a, 2)) && !reachable(a, g_block(a, 1)));
	cr_expect(reachable(b, g_block(b, 4)) && !reachable(b, g_block(b, 3)));
}

/* ------------------------------------------------------------------ */
/* return and calls that do not return                                 */

Test(lower, early_return_jumps_to_the_exit)
{
	const struct ir_func *f;
	uint32_t br, ret;

	lower_c(PROLOGUE "int f(int c) { if (c) return 1; g(2); return 0; g(3); }\n");
	f = fn("f");
	br = branch_on_var(f, "c");
	ret = land(f, f->blocks[br].succ[0]);
	cr_assert_eq(f->blocks[ret].nr_stmts, 1);
	cr_expect_eq(f->blocks[ret].stmts[0].op, IR_RETURN);
	cr_expect_eq(f->blocks[ret].stmts[0].a.kind, IRV_INT);
	cr_expect_eq(f->blocks[ret].succ[0], IR_EXIT);
	cr_expect(!reaches(f, ret, g_block(f, 2)));
	cr_expect_eq(nr_ops(f, IR_RETURN), 2);
	cr_expect(!reachable(f, g_block(f, 3)), "code after return is dead");
}

Test(lower, void_return_has_no_value)
{
	const struct ir_func *f;
	const struct ir_stmt *s;

	lower_c(PROLOGUE "void f(int c) { if (c) return; g(1); }\n");
	f = fn("f");
	s = first_op(f, IR_RETURN, NULL);
	cr_assert_not_null(s);
	cr_expect_eq(s->a.kind, IRV_UNKNOWN);
	cr_expect_eq(s->a.k, -1);
}

/* name: a call to it ends its block with no successor */
static void check_noreturn_call(const struct ir_func *f, const char *name)
{
	uint32_t b = call_block(f, name, ANY_K);
	const struct ir_stmt *s;

	cr_assert_neq(b, NONE, "no call to %s", name);
	cr_expect(reachable(f, b));
	cr_expect_eq(f->blocks[b].nsucc, 0, "a call to %s ends its block", name);
	s = &f->blocks[b].stmts[f->blocks[b].nr_stmts - 1];
	cr_expect(is_call(f, s, name, ANY_K), "the call to %s is the block's last statement", name);
	cr_expect(s->flags & IRS_NORETURN);
	cr_expect_eq(s->dst, 0);
}

Test(lower, calls_that_do_not_return_end_their_block)
{
	lower_c(PROLOGUE "_Noreturn void die(void);\n"
		"__attribute__((noreturn)) void die2(const char *);\n"
		"void f(int c) { if (c == 1) exit(1); if (c == 2) abort(); if (c == 3) die();\n"
		"  if (c == 4) die2(\"x\"); g(5); }\n"
		"void u(void) { exit(2); g(6); }\n");
	check_noreturn_call(fn("f"), "exit");
	check_noreturn_call(fn("f"), "abort");
	check_noreturn_call(fn("f"), "die");
	check_noreturn_call(fn("f"), "die2");
	cr_expect(reachable(fn("f"), g_block(fn("f"), 5)), "the other paths go on");
	cr_expect(!reachable(fn("u"), g_block(fn("u"), 6)), "code after exit() is dead");
	cr_expect(!reachable(fn("u"), IR_EXIT), "u never returns");
}

Test(lower, ordinary_calls_do_not_end_their_block)
{
	const struct ir_func *f;
	uint32_t b;

	lower_c(PROLOGUE "void h(void);\nvoid f(void) { h(); g(1); }\n");
	f = fn("f");
	b = call_block(f, "h", ANY_K);
	cr_expect_eq(b, g_block(f, 1), "h() and g(1) share a block");
	cr_expect_eq(f->blocks[b].nsucc, 1);
	cr_expect(!(f->blocks[b].stmts[0].flags & IRS_NORETURN));
	cr_expect(reachable(f, IR_EXIT));
}

Test(lower, known_noreturn_after_other_specifiers)
{
	known_bug(); /* lower_expr.c:is_noreturn_decl looks at the first token only */
	lower_c(PROLOGUE "static _Noreturn void d1(void) { exit(1); }\n"
		"void _Noreturn d2(void);\n"
		"void f(int c) { if (c == 1) d1(); if (c == 2) d2(); g(3); }\n");
	check_noreturn_call(fn("f"), "d1");
	check_noreturn_call(fn("f"), "d2");
}

Test(lower, known_noreturn_on_an_earlier_declaration)
{
	known_bug(); /* the call refers to the definition, which does not repeat _Noreturn */
	lower_c(PROLOGUE "_Noreturn void die(void);\n"
		"void die(void) { abort(); }\n"
		"void f(int c) { if (c) die(); g(3); }\n");
	check_noreturn_call(fn("f"), "die");
}

Test(lower, noreturn_from_stdnoreturn_h)
{
	/* `noreturn` is a macro for _Noreturn */
	lower_c("#include <stdnoreturn.h>\nint g(int);\nnoreturn void die(void);\n"
		"void f(int c) { if (c) die(); g(3); }\n");
	check_noreturn_call(fn("f"), "die");
}

/* ------------------------------------------------------------------ */
/* Conditions                                                          */

Test(lower, logical_operators_in_conditions_become_branches)
{
	const struct ir_func *f;
	uint32_t bc;

	lower_c(PROLOGUE "void f(int a, int b, int c) { if ((a && b) || !c) g(1); g(2); }\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 3, "one test per operand");
	expect_dump_lacks(f, "$cond");
	bc = branch_on_var(f, "c");
	cr_assert_neq(bc, NONE);
	cr_expect_eq(land(f, f->blocks[bc].succ[0]), g_block(f, 2), "!c: c true skips the body");
	cr_expect_eq(land(f, f->blocks[bc].succ[1]), g_block(f, 1));
	cr_expect_eq(land(f, f->blocks[branch_on_var(f, "a")].succ[1]), bc, "a false: try !c");
	cr_expect_eq(land(f, f->blocks[branch_on_var(f, "b")].succ[0]), g_block(f, 1));
	cr_expect_eq(nr_real_blocks(f), 6, "three tests, then, join, exit");
}

Test(lower, conditional_operator_in_a_condition_becomes_branches)
{
	const struct ir_func *f;
	uint32_t ba;

	lower_c(PROLOGUE "void f(int a, int b, int c) { if (a ? b : c) g(1); g(2); }\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 3);
	ba = branch_on_var(f, "a");
	cr_expect_eq(land(f, f->blocks[ba].succ[0]), branch_on_var(f, "b"));
	cr_expect_eq(land(f, f->blocks[ba].succ[1]), branch_on_var(f, "c"));
	expect_dump_lacks(f, "$cond");
}

Test(lower, bitwise_operators_do_not_branch)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "void f(int a, int b) { if (a & b) g(1); if (a | b) g(2); }\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 2, "one test per if, not per operand");
	cr_expect_eq(nr_ops(f, IR_ARITH), 2);
}

Test(lower, logical_value_outside_a_condition_is_a_temporary)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "int f(int a, int b) { int x = a && b; return x; }\n");
	f = fn("f");
	cr_expect_eq(nr_branches(f), 2);
	expect_dump_has(f, "$cond1 = 1\n");
	expect_dump_has(f, "$cond1 = 0\n");
	expect_dump_has(f, "x = $cond1\n");
}

Test(lower, post_increment_in_a_condition_tests_the_old_value)
{
	const struct ir_func *f;
	uint32_t br = NONE;
	const struct ir_stmt *old;

	lower_c(PROLOGUE "void f(int x) { if (x++) g(1); }\n");
	f = fn("f");
	cr_assert_eq(nr_branches(f), 1);
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		if (f->blocks[b].nsucc == 2)
			br = b;
	cr_assert_eq(f->blocks[br].cond.l.kind, IRV_PATH);
	cr_expect(!path_is(f, f->blocks[br].cond.l.path, "x"), "not the incremented x");
	old = first_op(f, IR_ASSIGN, NULL);
	cr_assert_not_null(old);
	cr_expect_eq(old->dst, f->blocks[br].cond.l.path, "the test is on a copy of x");
	cr_expect(old->a.kind == IRV_PATH && path_is(f, old->a.path, "x"));
	cr_expect(block_writes(f, br, "x"), "x is incremented before the branch");
}

Test(lower, pre_increment_in_a_condition_tests_the_new_value)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "void f(int x) { if (++x) g(1); }\n");
	f = fn("f");
	cr_expect_neq(branch_on_var(f, "x"), NONE, "the test is on x itself");
	expect_dump_lacks(f, "$old");
}

Test(lower, assignment_in_a_condition_tests_the_assigned_value)
{
	const struct ir_func *f;
	uint32_t br;

	lower_c(PROLOGUE "void f(void) { char *p; if ((p = malloc(4)) != NULL) free(p); }\n"
		"void n(void) { char *q; if (!(q = malloc(4))) return; free(q); }\n");
	f = fn("f");
	br = branch_on_var(f, "p");
	cr_assert_neq(br, NONE);
	cr_expect_eq(f->blocks[br].cond.r.kind, IRV_NULL);
	cr_expect_eq(land(f, f->blocks[br].succ[0]), call_block(f, "free", ANY_K));
	f = fn("n");
	br = branch_on_var(f, "q");
	cr_assert_neq(br, NONE);
	cr_expect_eq(land(f, f->blocks[br].succ[1]), land(f, f->blocks[br].succ[1]));
	cr_expect_eq(land(f, f->blocks[br].succ[0]), call_block(f, "free", ANY_K),
		     "!(q = ...): q non-null goes on to free");
}

/* ------------------------------------------------------------------ */
/* Expressions                                                         */

Test(lower, malloc_result_is_a_call_with_a_destination_then_an_assignment)
{
	const struct ir_func *f;
	uint32_t b;
	const struct ir_stmt *s;

	lower_c(PROLOGUE "void f(int n) { char *p; p = malloc(n); free(p); }\n");
	f = fn("f");
	b = call_block(f, "malloc", ANY_K);
	cr_assert_neq(b, NONE);
	for (s = f->blocks[b].stmts; !is_call(f, s, "malloc", ANY_K); s++)
		;
	cr_assert_neq(s->dst, 0, "malloc's value is kept");
	cr_expect(f->paths[s->dst].type & IRT_POINTER);
	cr_expect_eq(s->aux, 1);
	cr_expect(f->args[s->args].kind == IRV_PATH && path_is(f, f->args[s->args].path, "n"));
	cr_expect_eq(s[1].op, IR_ASSIGN);
	cr_expect(path_is(f, s[1].dst, "p"));
	cr_expect(s[1].a.kind == IRV_PATH && s[1].a.path == s->dst);
	for (s = f->blocks[b].stmts; !is_call(f, s, "free", ANY_K); s++)
		;
	cr_expect_eq(s->dst, 0, "a void call has no destination");
}

Test(lower, member_of_a_pointer_derefs_it)
{
	const struct ir_func *f;
	const struct ir_stmt *d, *a;

	lower_c(PROLOGUE "struct S { struct { int b[4]; } a; };\n"
		"void f(struct S *s, int i) { s->a.b[i] = 1; }\n");
	f = fn("f");
	d = first_op(f, IR_DEREF, NULL);
	cr_assert_not_null(d, "s is dereferenced");
	cr_expect(d->a.kind == IRV_PATH && path_is(f, d->a.path, "s"));
	cr_expect_eq(nr_ops(f, IR_DEREF), 1);
	a = first_op(f, IR_ASSIGN, NULL);
	cr_assert_not_null(a);
	cr_expect(path_is(f, a->dst, "s->a.b[i]"));
	cr_expect(a->a.kind == IRV_INT && a->a.k == 1);
	cr_expect_eq(nr_reads_of(f, "i"), 1, "the index is read");
}

Test(lower, member_of_a_local_struct_derefs_nothing)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "struct S { struct { int b[4]; } a; };\n"
		"int f(int i) { struct S t; t.a.b[i] = 1; return t.a.b[0]; }\n");
	f = fn("f");
	cr_expect_eq(nr_ops(f, IR_DEREF), 0);
	expect_dump_has(f, "t.a.b[i] = 1");
	expect_dump_has(f, "read t.a.b[0]");
}

Test(lower, subscripts_keep_a_constant_or_variable_index)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "int f(int *p, int i) { int a[4]; a[2] = 1; a[i + 1] = 2; p[i] = 3;\n"
		"  return a[2]; }\n");
	f = fn("f");
	expect_dump_has(f, "a[2] = 1");
	expect_dump_has(f, "p[i] = 3");
	expect_dump_has(f, "read a[2]");
	/* a[i + 1]: the index is a temporary, kept by the path but not named */
	expect_dump_has(f, "a[] = 2");
}

Test(lower, store_through_a_pointer_is_a_write)
{
	const struct ir_func *f;
	const struct ir_stmt *d;

	lower_c(PROLOGUE "struct S { int a; };\nvoid f(struct S *s, int *p) { s->a = 1; *p = 2; }\n"
		"int r(struct S *s) { return s->a; }\n");
	f = fn("f");
	cr_expect_eq(nr_ops(f, IR_DEREF), 2);
	d = first_op(f, IR_DEREF, NULL);
	cr_expect(d->flags & IRS_WRITE);
	expect_dump_has(f, "store *s\n");
	expect_dump_has(f, "store *p\n");
	d = first_op(fn("r"), IR_DEREF, NULL);
	cr_assert_not_null(d);
	cr_expect(!(d->flags & IRS_WRITE), "a read is a load");
}

Test(lower, double_dereference_loads_then_stores)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "void f(int **pp) { **pp = 1; }\nint h(int **pp) { return !!**pp; }\n");
	f = fn("f");
	cr_expect_eq(nr_ops(f, IR_DEREF), 2, "**pp is two dereferences, not an unknown operator");
	expect_dump_has(f, "load *pp\n");
	expect_dump_has(f, "store **pp\n");
	expect_dump_has(fn("h"), "load **pp\n");
}

Test(lower, known_store_into_an_array_member_is_a_write)
{
	known_bug(); /* lower_expr.c:lvalue_subscript lowers an array base with write = 0 */
	lower_c(PROLOGUE "struct S { int b[4]; };\nvoid f(struct S *s, int i) { s->b[i] = 1; }\n");
	expect_dump_has(fn("f"), "store *s\n");
}

Test(lower, address_of_is_not_a_read)
{
	const struct ir_func *f;
	const struct ir_stmt *a;

	lower_c(PROLOGUE "void h(int *);\nvoid f(void) { int x; int *p = &x; h(p); h(&x); }\n"
		"int r(void) { int y = 3; int z = y; return z; }\n");
	f = fn("f");
	cr_expect_eq(nr_reads_of(f, "x"), 0, "&x does not read x");
	a = first_op(f, IR_ASSIGN, NULL);
	cr_assert_not_null(a);
	cr_expect(path_is(f, a->dst, "p"));
	cr_expect_eq(a->a.kind, IRV_ADDR);
	cr_expect(path_is(f, a->a.path, "x"));
	expect_dump_has(f, "h(&x)");
	cr_expect_eq(nr_reads_of(fn("r"), "y"), 1, "a plain use of y reads it");
}

Test(lower, sizeof_does_not_read_its_operand)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "int f(void) { int x; int n = sizeof(x); int m = sizeof x++; return n + m; }\n");
	/* m's value may stay unknown (x++ is not folded), but x is neither read nor changed */
	f = fn("f");
	cr_expect_eq(nr_reads_of(f, "x"), 0);
	expect_dump_lacks(f, "x = x + 1");
	expect_dump_has(f, "n = 4\n");
}

Test(lower, local_with_initializer_is_decl_then_assign)
{
	const struct ir_func *f;
	const struct ir_stmt *s;
	uint32_t b;

	lower_c(PROLOGUE "int f(int a) { int x = a; int y; y = x; return y; }\n");
	f = fn("f");
	s = first_op(f, IR_DECL, &b);
	cr_assert_not_null(s);
	cr_expect(path_is(f, s->dst, "x"));
	s++;
	while (s->op == IR_READ)
		s++;
	cr_expect_eq(s->op, IR_ASSIGN, "DECL x, (reads of the initializer), ASSIGN x");
	cr_expect(path_is(f, s->dst, "x"));
	s++;
	cr_expect_eq(s->op, IR_DECL);
	cr_expect(path_is(f, s->dst, "y"));
	cr_expect_neq(s[1].op, IR_ASSIGN, "no initializer: no assignment after DECL y");
	cr_expect_eq(nr_ops(f, IR_DECL), 2);
}

Test(lower, static_local_and_global_get_no_decl)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "int gl = 5;\nint f(void) { static int s = 3; extern int e; s++; return s + gl + e; }\n");
	f = fn("f");
	cr_expect_eq(nr_ops(f, IR_DECL), 0);
	expect_dump_lacks(f, "s = 3");
	for (uint32_t v = 0; v < f->nr_vars; v++) {
		const char *name = ir_string(ir, f->vars[v].name);
		if (!strcmp(name, "s"))
			cr_expect(f->vars[v].flags & IRV_STATIC_LOCAL);
		if (!strcmp(name, "gl") || !strcmp(name, "e"))
			cr_expect(f->vars[v].flags & IRV_GLOBAL, "%s is global", name);
	}
}

Test(lower, parameters_are_numbered)
{
	const struct ir_func *f;
	int seen = 0;

	lower_c(PROLOGUE "int f(int a, char *b, int c) { return a + c + (b != 0); }\n");
	f = fn("f");
	cr_expect_eq(f->nr_params, 3);
	for (uint32_t v = 0; v < f->nr_vars; v++) {
		if (!(f->vars[v].flags & IRV_PARAM))
			continue;
		seen++;
		if (!strcmp(ir_string(ir, f->vars[v].name), "b")) {
			cr_expect_eq(f->vars[v].param_index, 1);
			cr_expect(f->vars[v].type & IRT_POINTER);
		}
	}
	cr_expect_eq(seen, 3);
}

Test(lower, known_statement_expression_is_lowered)
{
	known_bug(); /* lower_expr.c:lower_dispatch: a GNU ({ ... }) is skipped (its compound child is no expression) */
	lower_c(PROLOGUE "int f(char *p) { int x = ({ free(p); 1; }); return x; }\n");
	cr_expect_neq(call_block(fn("f"), "free", ANY_K), NONE, "free() inside ({ ... })");
}

Test(lower, known_logical_not_from_a_macro_does_not_write_its_operand)
{
	known_bug(); /* lower_expr.c:lower_unary: an unreadable !p is taken for ++p and p is overwritten */
	lower_c(PROLOGUE "#define unlikely(x) __builtin_expect(!!(x), 0)\n"
		"int f(int n) { char *p = malloc(n); if (unlikely(!p)) return -1; free(p); return 0; }\n");
	expect_dump_lacks(fn("f"), "p = ?");
}

Test(lower, known_cxx_condition_variable)
{
	const struct ir_func *f;
	uint32_t br;

	known_bug(); /* lower.c:lower_if takes the VarDecl child for the condition */
	lower_as("t.cpp", "-std=c++17", "int g(int);\nint *get();\n"
		 "void f() { if (int *p = get()) g(*p); g(9); }\n");
	f = fn("f");
	expect_dump_has(f, "p = $call1");
	br = branch_on_var(f, "p");
	cr_assert_neq(br, NONE, "the test is on p");
	cr_expect(block_calls(f, land(f, f->blocks[br].succ[0]), "g", ANY_K) &&
		  !block_calls(f, land(f, f->blocks[br].succ[0]), "g", 9), "p non-null runs g(*p)");
}

Test(lower, known_cxx17_if_with_initializer)
{
	const struct ir_func *f;

	known_bug(); /* lower.c:lower_if: `if (init; cond)` has four children */
	lower_as("t.cpp", "-std=c++17", "int g(int);\n"
		 "void f() { if (int x = g(0); x > 3) g(1); else g(2); g(9); }\n");
	f = fn("f");
	expect_dump_has(f, "x = $call");
	cr_expect_neq(branch_on_k(f, 3), NONE);
	cr_expect_eq(land(f, f->blocks[branch_on_k(f, 3)].succ[1]), g_block(f, 2));
}

/* ------------------------------------------------------------------ */
/* Statics that keep their value, and liveness of integer locals       */

static const struct ir_var *var_named(const struct ir_func *f, const char *name)
{
	for (uint32_t v = 0; v < f->nr_vars; v++)
		if (!strcmp(ir_string(ir, f->vars[v].name), name))
			return &f->vars[v];
	cr_assert_fail("no variable '%s' in the function", name);
	return NULL;
}

Test(lower, statics_nothing_writes_keep_their_initial_value)
{
	const struct ir_func *f;

	lower_c(PROLOGUE "static int limit = 7;\nstatic int counter;\nstatic int taken = 3;\n"
		"int *handle = &taken;\nint exported = 5;\nstatic volatile int flag = 1;\n"
		"int f(void) { counter++; return limit + counter + taken + exported + flag; }\n"
		"int h2(void) { static int local = 4; static int bumped = 1; bumped *= 2;"
		" return local + bumped + limit; }\n");
	f = fn("f");
	cr_expect(var_named(f, "limit")->has_const_init, "a static nothing writes is a constant");
	cr_expect_eq(var_named(f, "limit")->const_value, 7);
	cr_expect(!var_named(f, "counter")->has_const_init, "written by counter++");
	cr_expect(!var_named(f, "taken")->has_const_init, "its address is handed out at file scope");
	cr_expect(!var_named(f, "exported")->has_const_init, "another file may write a global");
	cr_expect(!var_named(f, "flag")->has_const_init, "volatile");
	f = fn("h2");
	cr_expect(var_named(f, "local")->has_const_init, "a static local nothing writes");
	cr_expect_eq(var_named(f, "local")->const_value, 4);
	cr_expect(!var_named(f, "bumped")->has_const_init, "written by *=");
}

static uint32_t var_index(const struct ir_func *f, const char *name)
{
	return (uint32_t)(var_named(f, name) - f->vars);
}

static int live_in(const struct flow_cx *cx, uint32_t block, uint32_t var)
{
	return (cx->live_in[(size_t)block * cx->live_words + var / 64] >> (var % 64)) & 1;
}

Test(lower, integer_locals_are_live_until_their_last_read)
{
	struct ir_func *f;
	struct flow_cx cx = { 0 };
	uint32_t t, b_test = UINT32_MAX, b_inc = UINT32_MAX;

	lower_c(PROLOGUE "int f(int a) {\n  int t = a > 0;\n  if (a > 5)\n    a = 1;\n"
		"  if (t)\n    a++;\n  return a;\n}\n");
	f = (struct ir_func *)fn("f");
	t = var_index(f, "t");
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		const struct ir_block *blk = &f->blocks[b];
		if (blk->nsucc == 2 && blk->cond.l.kind == IRV_PATH && f->paths[blk->cond.l.path].kind == IRP_VAR &&
		    f->paths[blk->cond.l.path].id == t)
			b_test = b;
		for (uint32_t k = 0; k < blk->nr_stmts; k++)
			if (blk->stmts[k].op == IR_ARITH && blk->stmts[k].loc.line == 8) /* a++, after PROLOGUE's 2 lines */
				b_inc = b;
	}
	cr_assert_neq(b_test, UINT32_MAX, "no block tests t");
	cr_assert_neq(b_inc, UINT32_MAX, "no block increments a");
	cx.f = f;
	flow_live_compute(&cx);
	cr_assert_not_null(cx.live_in);
	cr_expect(live_in(&cx, b_test, t) || b_test == 0, "t is read by the test");
	cr_expect(!live_in(&cx, b_inc, t), "t is dead once tested");
	cr_expect(!live_in(&cx, IR_EXIT, t), "nothing is live at the exit");
	cr_expect(!live_in(&cx, IR_ENTRY, t), "t is set before it is read");
	flow_live_free(&cx);
}

/* ------------------------------------------------------------------ */
/* assert() compiled out by NDEBUG: read back from its tokens          */

#define NDEBUG_PROLOGUE PROLOGUE "#define NDEBUG 1\n#include <assert.h>\n" \
	"struct node { int v; struct node *next; };\n"

Test(lower, disabled_assert_becomes_a_test_that_ends_the_path)
{
	const struct ir_func *f;

	lower_c(NDEBUG_PROLOGUE "int f(struct node *p, int n) {\n"
		"  assert(p != 0 && p->next == NULL && n > 2);\n  return p->v; }\n");
	f = fn("f");
	expect_dump_has(f, "if p != NULL");
	expect_dump_has(f, "if p->next == NULL");
	expect_dump_has(f, "if n > 2");
	cr_expect_eq(nr_ops(f, IR_DEREF), 1, "the assert dereferences nothing: only the return does");
}

Test(lower, disabled_assert_reads_only_what_it_understands)
{
	const struct ir_func *f;

	/* a call, a disjunction and a negated call: no test of their own */
	lower_c(NDEBUG_PROLOGUE "int ok(struct node *);\n"
		"int f(struct node *p, int n) {\n"
		"  assert(ok(p));\n  assert(p == 0 || n > 0);\n  assert(!ok(p));\n  return n; }\n");
	f = fn("f");
	expect_dump_lacks(f, "if ");
	/* p->next in the first operand of || is read: p is not NULL there */
	lower_c(NDEBUG_PROLOGUE "int f(struct node *p, int n) {\n"
		"  assert(p->next == 0 || n > 0);\n  return n; }\n");
	f = fn("f");
	expect_dump_has(f, "if p != NULL");
	expect_dump_lacks(f, "if n > 0");
}

Test(lower, disabled_assert_disjunction_without_a_null_claim_is_a_test)
{
	const struct ir_func *f;

	lower_c(NDEBUG_PROLOGUE "int f(struct node *p, int n) {\n"
		"  assert(p != 0 || n == 0);\n  return n; }\n");
	f = fn("f");
	expect_dump_has(f, "if p != NULL");
	expect_dump_has(f, "if n == 0");
	/* a NULL claimed after the first operand: only where that one fails */
	lower_c(NDEBUG_PROLOGUE "int f(struct node *p, struct node *q) {\n"
		"  assert(p != 0 || q == 0);\n  return q ? p->v : 0; }\n");
	f = fn("f");
	expect_dump_has(f, "if p != NULL");
	expect_dump_has(f, "if q == NULL");
}

Test(lower, every_increment_of_a_comma_list_is_lowered)
{
	const struct ir_func *f;

	/* i++ before a comma was read as the operator "++," and lowered as a
	 * plain read: the loop counter never moved */
	lower_c(PROLOGUE "int f(const int *a, int n) { int i, j, s = 0;\n"
			 "  for (i = 0, j = n; i < n; i++, a++, j--) s += *a;\n"
			 "  return s + j; }\n");
	f = fn("f");
	expect_dump_has(f, "i = i + 1\n");
	expect_dump_has(f, "a = a + 1\n");
	expect_dump_has(f, "j = j - 1\n");
}

Test(lower, integer_literals_are_read_from_the_source_or_evaluated)
{
	const struct ir_func *f;

	/* written literals are parsed from the file; a macro's, a GNU binary
	 * literal and a character literal go to clang's evaluator */
	lower_c(PROLOGUE "#define K 7\n"
			 "int f(void) { int x, y, z, v, k, c; x = 10; y = 0x1fu; z = 017L;\n"
			 "  v = 0b101; k = K; c = 'a'; return x + y + z + v + k + c; }\n");
	f = fn("f");
	expect_dump_has(f, "x = 10\n");
	expect_dump_has(f, "y = 31\n");
	expect_dump_has(f, "z = 15\n");
	expect_dump_has(f, "v = 5\n");
	expect_dump_has(f, "k = 7\n");
	expect_dump_has(f, "c = 97\n");
}

Test(lower, disabled_assert_with_an_unreadable_alternative_forgets_the_null)
{
	const struct ir_func *f;

	/* assert(p || X), X a call: p is not NULL unless X held, which cannot
	 * be read; on p's NULL side p is forgotten, not kept NULL */
	lower_c(NDEBUG_PROLOGUE "int is_limit(const struct node *p);\n"
		"int f(struct node *p) {\n  assert(p || !is_limit(p));\n  return p->v; }\n");
	f = fn("f");
	expect_dump_has(f, "if p != NULL");
	expect_dump_has(f, "p = ?\n");
	drop_lowered();
	/* a readable alternative is a test, and forgets nothing */
	lower_c(NDEBUG_PROLOGUE "int f(struct node *p, int n) {\n  assert(p || n == 0);\n"
		"  return n ? p->v : 0; }\n");
	f = fn("f");
	expect_dump_has(f, "if n == 0");
	expect_dump_lacks(f, "p = ?");
}
