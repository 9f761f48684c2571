/*
 * What the flow engine needs to decide a test (analyzers/static/flow_decided.c
 * and the facts the lowering records for it): the flags a condition's block
 * carries (written in a macro, made in an unsigned type, under a !, a
 * switch's dispatch), the width of integer variables, functions whose body
 * holds #if, and the state hash that must keep the two sides of a sign test
 * apart.  Each fact has a case that sets it and one that must not.
 */
#include <criterion/criterion.h>

#include "../../analyzers/static/ir.h"
#include "../../analyzers/static/flow_internal.h"
#include "../../analyzers/static/static_pass.h"
#include "../../core/fs.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

static struct strbuf dir = STRBUF_INIT;
static CXIndex cx_index;
static CXTranslationUnit cx_tu;
static struct ir_tu *ir;

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_mkdtemp(&dir, "memaudit-decided", &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	ir_tu_free(ir);
	if (cx_tu)
		clang_disposeTranslationUnit(cx_tu);
	if (cx_index)
		clang_disposeIndex(cx_index);
	ma_remove_tree(dir.buf);
	strbuf_release(&dir);
}

TestSuite(flow_decided, .init = setup, .fini = teardown, .timeout = 60);

static void lower_src(const char *src)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	const char *res = ma_static_resource_dir();
	const char *args[4] = { "-std=gnu11" };
	int nargs = 1;

	strbuf_addf(&path, "%s/t.c", dir.buf);
	cr_assert_eq(ma_write_file_atomic(path.buf, src, strlen(src), &err), 0, "%s", err.buf);
	if (res) {
		args[nargs++] = "-resource-dir";
		args[nargs++] = res;
	}
	cx_index = clang_createIndex(0, 0);
	cx_tu = clang_parseTranslationUnit(cx_index, path.buf, args, nargs, NULL, 0, CXTranslationUnit_None);
	cr_assert_not_null(cx_tu);
	ir = ir_lower_tu(cx_tu, dir.buf);
	cr_assert_not_null(ir);
	strbuf_release(&path);
	strbuf_release(&err);
}

static const struct ir_func *func(const char *name)
{
	for (size_t i = 0; i < ir->nr_funcs; i++)
		if (!strcmp(ir_string(ir, ir->funcs[i].name), name))
			return &ir->funcs[i];
	cr_assert_fail("no function '%s'", name);
	return NULL;
}

/* The flags of the branch on `line` (the first one there), or -1. */
static int branch_flags(const struct ir_func *f, unsigned line)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		if (f->blocks[b].nsucc == 2 && f->blocks[b].cond_loc.line == line)
			return f->blocks[b].flags;
	return -1;
}

/* Does the branch on `line` test a value the lowering could not read? */
static int unknown_operand(const struct ir_func *f, unsigned line)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		if (f->blocks[b].nsucc == 2 && f->blocks[b].cond_loc.line == line)
			return f->blocks[b].cond.l.kind == IRV_UNKNOWN || f->blocks[b].cond.r.kind == IRV_UNKNOWN;
	return 0;
}

static const struct ir_var *var(const struct ir_func *f, const char *name)
{
	for (uint32_t v = 0; v < f->nr_vars; v++)
		if (!strcmp(ir_string(ir, f->vars[v].name), name))
			return &f->vars[v];
	cr_assert_fail("no variable '%s'", name);
	return NULL;
}

Test(flow_decided, negation_is_recorded_per_test)
{
	lower_src("int g(int);\n"
		  "int f(int a, int b) {\n"
		  "  if (!(a == 1)) return 1;\n"           /* 3: negated */
		  "  if (a == 2) return 2;\n"              /* 4: not */
		  "  if (!g(b < 0 ? 1 : 2)) return 3;\n"   /* 5: the call's test negated, b < 0 not */
		  "  return 0;\n"
		  "}\n");
	const struct ir_func *f = func("f");
	int neg5 = 0, plain5 = 0;

	cr_assert(branch_flags(f, 3) & IRB_COND_NEGATED);
	cr_assert_not(branch_flags(f, 4) & IRB_COND_NEGATED);
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		if (f->blocks[b].nsucc != 2 || f->blocks[b].cond_loc.line != 5)
			continue;
		if (f->blocks[b].flags & IRB_COND_NEGATED)
			neg5++;
		else
			plain5++;
	}
	cr_assert_eq(neg5, 1, "the test of g()'s result is under the !");
	cr_assert_eq(plain5, 1, "b < 0 is a value inside the call: not under the !");
}

Test(flow_decided, macro_unsigned_and_switch_tests_are_marked)
{
	lower_src("#define CHECK(x) (x)\n"
		  "#define likely(x) __builtin_expect(!!(x), 1)\n"
		  "int f(int a, unsigned u) {\n"
		  "  if (CHECK(a < 0)) return 1;\n" /* 4: in a macro's expansion */
		  "  if (a < 0) return 2;\n"       /* 5: plain */
		  "  if (u < 5) return 3;\n"       /* 6: unsigned */
		  "  switch (a) { case 1: return 4; }\n" /* 7: implicit */
		  "  if (likely(a > 7)) return 5;\n" /* 8: read from the macro's argument */
		  "  return 0;\n"
		  "}\n");
	const struct ir_func *f = func("f");

	/* the macro's test: marked, or not read at all (an operand unknown):
	 * either way no decided test can come of it */
	cr_assert((branch_flags(f, 4) & IRB_COND_MACRO) || unknown_operand(f, 4));
	cr_assert_eq(branch_flags(f, 5), 0);
	cr_assert_not(unknown_operand(f, 5));
	cr_assert(branch_flags(f, 6) & IRB_COND_UNSIGNED);
	cr_assert(branch_flags(f, 7) & IRB_COND_IMPLICIT);
	cr_assert_not(unknown_operand(f, 8));
	cr_assert(branch_flags(f, 8) & IRB_COND_MACRO);
}

Test(flow_decided, integer_widths_and_volatile)
{
	lower_src("int f(void) {\n"
		  "  signed char c = 1; unsigned short us = 2; long l = 3; _Bool b = 1;\n"
		  "  volatile int v = 0; double d = 0; char *p = 0;\n"
		  "  return c + us + (int)l + b + v + (int)d + (p != 0);\n"
		  "}\n");
	const struct ir_func *f = func("f");

	cr_assert_eq(var(f, "c")->int_bits, 8);
	cr_assert_not(var(f, "c")->int_unsigned);
	cr_assert_eq(var(f, "us")->int_bits, 16);
	cr_assert(var(f, "us")->int_unsigned);
	cr_assert_eq(var(f, "l")->int_bits, 64);
	cr_assert(var(f, "b")->int_unsigned);
	cr_assert(var(f, "v")->type & IRT_VOLATILE);
	cr_assert_not(var(f, "l")->type & IRT_VOLATILE);
	cr_assert_eq(var(f, "d")->int_bits, 0);
	cr_assert_eq(var(f, "p")->int_bits, 0);
}

Test(flow_decided, functions_with_conditional_directives)
{
	lower_src("int f(int a) {\n"
		  "  int x = 0;\n"
		  "#ifdef FEATURE\n"
		  "  x = a;\n"
		  "#endif\n"
		  "  return x;\n"
		  "}\n"
		  "#define ONE 1\n"
		  "int g(int a) {\n"
		  "  return a + ONE; /* # in a comment, #define outside */\n"
		  "}\n");

	cr_assert(func("f")->configured);
	cr_assert_not(func("g")->configured);
}

/* [0, max] and [min, -1], the two sides of x < 0, once hashed alike: the
 * engine then kept one of the two paths and lost the other. */
Test(flow_decided, sign_intervals_hash_apart)
{
	struct cell a = { .loc = 7, .v = { .kind = FV_INT, .lo = 0, .hi = INT64_MAX } };
	struct cell b = { .loc = 7, .v = { .kind = FV_INT, .lo = INT64_MIN, .hi = -1 } };
	struct cell c = a;
	struct state sa = { .cells = &a, .nr_cells = 1 }, sb = { .cells = &b, .nr_cells = 1 };
	struct state sc = { .cells = &c, .nr_cells = 1 };

	cr_assert_neq(state_hash(&sa), state_hash(&sb));
	cr_assert_eq(state_hash(&sa), state_hash(&sc), "equal states hash alike");
	c.v.hi = INT64_MAX - 1;
	cr_assert_neq(state_hash(&sa), state_hash(&sc));
}
