/*
 * The sanitizers' logs (analyzers/dynamic/sanitizer_log.c) and their
 * findings (sanitizers.c), on real logs of clang 14's runtimes
 * (tests/data/sanitizers/: ASan and LSan on a program with a use after
 * free, an overflow, a double free, an overlapping memcpy and a leak;
 * UBSan's overflow and division by zero, then ASan's FPE; TSan's race,
 * lock order inversion and bad unlock), a log cut short, and lines that
 * are no report.
 */
#include <criterion/criterion.h>

#include "../../analyzers/dynamic/sanitizer_log.h"
#include "../../analyzers/dynamic/sanitizers.h"
#include "../../core/finding.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define ROOT "/src/demo"

struct got {
	char kinds[16][48];
	char rules[16][32];
	unsigned lines[16];
	char messages[16][128];
	size_t n, frames0, aux0;
	char aux0_what[64];
};

static int record(const struct vg_error *e, void *data)
{
	struct got *g = data;
	struct ma_finding *f;

	if (g->n >= 16)
		return 0;
	snprintf(g->kinds[g->n], sizeof(g->kinds[0]), "%s", e->kind);
	if (g->n == 0) {
		g->frames0 = e->stack.nr;
		g->aux0 = e->nr_aux;
		if (e->nr_aux)
			snprintf(g->aux0_what, sizeof(g->aux0_what), "%s", e->aux[0].what);
	}
	if (ma_sanitizer_finding(e, ROOT, &f) == VG_FINDING) {
		snprintf(g->rules[g->n], sizeof(g->rules[0]), "%s", f->rule_id);
		snprintf(g->messages[g->n], sizeof(g->messages[0]), "%s", f->message);
		g->lines[g->n] = f->loc.line;
		ma_finding_free(f);
	}
	g->n++;
	return 0;
}

static void parse(const char *path, struct got *g)
{
	struct strbuf err = STRBUF_INIT;
	size_t n;

	cr_assert_eq(sanitizer_parse_file(path, NULL, record, g, &n, &err), 0, "%s", err.buf);
	cr_expect_eq(n, g->n);
	strbuf_release(&err);
}

Test(sanitizers, asan_and_lsan_reports_with_their_stacks)
{
	struct got g = { 0 };

	parse("tests/data/sanitizers/asan-bugs.log", &g);
	cr_assert_eq(g.n, 5);
	cr_expect_str_eq(g.kinds[0], "asan:heap-use-after-free");
	cr_expect_eq(g.frames0, 5, "the access's stack");
	cr_expect_eq(g.aux0, 3, "located, freed by, previously allocated by");
	cr_expect(strstr(g.aux0_what, "is located 0 bytes inside of 16-byte region"), "%s", g.aux0_what);
	cr_expect_str_eq(g.rules[0], "use-after-free");
	cr_expect_eq(g.lines[0], 4);
	cr_expect_str_eq(g.messages[0], "heap-use-after-free: read of size 4");
	cr_expect_str_eq(g.kinds[1], "asan:heap-buffer-overflow");
	cr_expect_str_eq(g.rules[1], "buffer-overflow");
	cr_expect_eq(g.lines[1], 5);
	cr_expect_str_eq(g.kinds[2], "asan:double-free", "the SUMMARY line's name");
	cr_expect_str_eq(g.rules[2], "double-free");
	cr_expect_eq(g.lines[2], 8, "placed past free(), on the project's frame");
	cr_expect_str_eq(g.kinds[3], "asan:memcpy-param-overlap");
	cr_expect_str_eq(g.rules[3], "overlapping-copy");
	cr_expect_str_eq(g.kinds[4], "lsan:Direct leak");
	cr_expect_str_eq(g.rules[4], "memory-leak");
	cr_expect_eq(g.lines[4], 6);
	cr_expect_str_eq(g.messages[4], "Direct leak of 32 byte(s) in 1 object(s), never freed");
}

Test(sanitizers, allocator_reports_by_their_summary_names)
{
	struct got g = { 0 };

	parse("tests/data/sanitizers/asan-alloc.log", &g);
	cr_assert_eq(g.n, 4);
	cr_expect_str_eq(g.kinds[0], "asan:bad-free");
	cr_expect_str_eq(g.rules[0], "free-non-heap");
	cr_expect_eq(g.lines[0], 8);
	cr_expect_str_eq(g.kinds[1], "asan:allocation-size-too-big");
	cr_expect_str_eq(g.kinds[2], "asan:calloc-overflow");
	cr_expect_str_eq(g.kinds[3], "asan:out-of-memory");
	for (int i = 1; i < 4; i++) {
		cr_expect_str_eq(g.rules[i], "allocation-too-large", "record %d", i);
		cr_expect_eq(g.lines[i], 8 + (unsigned)i, "record %d", i);
	}
}

Test(sanitizers, a_report_cut_before_its_summary_is_read_by_its_header)
{
	const char *text = "==7==ERROR: AddressSanitizer: attempting free on address which was not "
			   "malloc()-ed: 0x7fff6dab9f00 in thread T0\n"
			   "    #0 0x5 in free (/src/demo/alloc+0xa3ea2)\n"
			   "    #1 0x6 in main /src/demo/alloc.c:8:10\n";
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct got g = { 0 };
	size_t n;

	cr_assert_eq(sanitizer_parse_stream(in, NULL, record, &g, &n), 0);
	fclose(in);
	cr_assert_eq(n, 1);
	cr_expect_str_eq(g.kinds[0], "asan:attempting free");
	cr_expect_str_eq(g.rules[0], "free-non-heap");
	cr_expect_eq(g.lines[0], 8);
}

Test(sanitizers, ubsan_runtime_errors_and_a_fatal_signal)
{
	struct got g = { 0 };

	parse("tests/data/sanitizers/ubsan-errors.log", &g);
	cr_assert_eq(g.n, 3);
	cr_expect_str_eq(g.kinds[0], "ubsan:runtime error");
	cr_expect_str_eq(g.rules[0], "integer-overflow");
	cr_expect_str_eq(g.messages[0], "signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'");
	cr_expect_str_eq(g.rules[1], "division-by-zero");
	cr_expect_str_eq(g.kinds[2], "asan:FPE");
	cr_expect_str_eq(g.rules[2], "division-by-zero");
	cr_expect_eq(g.lines[2], 5);
}

Test(sanitizers, tsan_races_lock_order_and_bad_unlocks)
{
	struct got g = { 0 };

	parse("tests/data/sanitizers/tsan-race.log", &g);
	cr_assert_eq(g.n, 3);
	cr_expect_str_eq(g.kinds[0], "tsan:data race");
	cr_expect_str_eq(g.rules[0], "data-race");
	cr_expect_eq(g.lines[0], 5);
	cr_expect_str_eq(g.messages[0], "data race: Write of size 4, and a previous write of size 4 in another thread");
	cr_expect_str_eq(g.kinds[1], "tsan:lock-order-inversion (potential deadlock)");
	cr_expect_str_eq(g.rules[1], "lock-order-inversion");
	cr_expect_eq(g.lines[1], 7, "without second_deadlock_stack: the acquisition that closed the cycle");
	cr_expect_str_eq(g.rules[2], "unlock-without-lock");
}

/*
 * tsan-threads.log, TSAN_OPTIONS=second_deadlock_stack=1, of:
 *    8  ab(): lock(a);                   (thread T1, joined before T2 starts)
 *    9        lock(b);
 *   16  ba(): lock(b);                   (thread T2)
 *   17        lock(a);                   (closes the cycle)
 *   22  writer(): shared = 1;
 *   23  reader(): return shared;         (races with the write)
 *   33  pthread_create(&t3, ...)         (never joined)
 *   34  pthread_mutex_lock(&held);
 *   35  pthread_mutex_destroy(&held);
 */
Test(sanitizers, tsan_lock_cycles_reads_leaked_threads_and_destroyed_locks)
{
	struct got g = { 0 };

	parse("tests/data/sanitizers/tsan-threads.log", &g);
	cr_assert_eq(g.n, 4);
	cr_expect_str_eq(g.rules[0], "lock-order-inversion");
	cr_expect_eq(g.lines[0], 16, "where the thread that closed the cycle took the lock it held");
	cr_expect_eq(g.aux0, 6, "two stacks per lock, one per thread");
	cr_expect_str_eq(g.rules[1], "data-race");
	cr_expect_eq(g.lines[1], 22, "a read racing with an earlier write: on the write");
	cr_expect_str_eq(g.messages[1], "data race: Read of size 1, and a previous write of size 1 in another thread");
	cr_expect_str_eq(g.rules[2], "lock-not-released");
	cr_expect_eq(g.lines[2], 35);
	cr_expect_str_eq(g.rules[3], "thread-leak");
	cr_expect_eq(g.lines[3], 33, "where the thread was created");
}

/*
 * ubsan-opt-in.log: the checks a user adds to -fsanitize=undefined, on
 *    6  unsigned char narrow = big;            (300)
 *    7  unsigned wide = neg;                   (-5)
 *    8  ... wrapped = zero - 1;                (0u - 1)
 *   11  fp('a');                               (int (char) called as void (char))
 *   12  ... 1.0 / z ...                        (z == 0.0)
 */
Test(sanitizers, opt_in_ubsan_checks_have_their_own_rules)
{
	static const char *const rules[] = { "integer-truncation", "sign-conversion", "unsigned-wraparound",
					     "function-pointer-mismatch", "division-by-zero" };
	static const unsigned lines[] = { 6, 7, 8, 11, 12 };
	struct got g = { 0 };

	parse("tests/data/sanitizers/ubsan-opt-in.log", &g);
	cr_assert_eq(g.n, 5);
	for (size_t i = 0; i < 5; i++) {
		cr_expect_str_eq(g.rules[i], rules[i], "record %zu", i);
		cr_expect_eq(g.lines[i], lines[i], "record %zu", i);
	}
}

Test(sanitizers, a_note_between_a_runtime_error_and_its_stack_keeps_the_stack)
{
	const char *text = "opt.c:11:2: runtime error: control flow integrity check for type 'void (char)' "
			   "failed during indirect function call\n"
			   "/src/demo/opt.c:2: note: add_one defined here\n"
			   "    #0 0x5 in call_it /src/demo/opt.c:11:2\n"
			   "    #1 0x6 in main /src/demo/opt.c:20:2\n";
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct got g = { 0 };
	size_t n;

	cr_assert_eq(sanitizer_parse_stream(in, NULL, record, &g, &n), 0);
	fclose(in);
	cr_assert_eq(n, 1);
	cr_expect_eq(g.frames0, 2, "the runtime error's own stack, not the note's");
	cr_expect_eq(g.aux0, 1);
	cr_expect_str_eq(g.aux0_what, "/src/demo/opt.c:2: note: add_one defined here");
	cr_expect_eq(g.lines[0], 11);
}

Test(sanitizers, memory_sanitizer_uses_of_uninitialised_values)
{
	struct got g = { 0 };

	parse("tests/data/sanitizers/msan-uninit.log", &g);
	cr_assert_eq(g.n, 2);
	cr_expect_str_eq(g.kinds[0], "msan:use-of-uninitialized-value");
	cr_expect_eq(g.aux0, 1, "the origin, with its stack");
	cr_expect_str_eq(g.rules[0], "uninitialized-read");
	cr_expect_eq(g.lines[0], 10);
	cr_expect_str_eq(g.messages[0], "use-of-uninitialized-value: Uninitialized value was created by a heap "
			 "allocation");
	cr_expect_eq(g.lines[1], 12);
}

Test(sanitizers, a_log_cut_short_keeps_its_records_and_other_text_is_no_report)
{
	const char *text = "hello from the program\n"
			   "==7==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6 at pc 0x1\n"
			   "WRITE of size 1 at 0x6 thread T0\n"
			   "    #0 0x5 in fill /src/demo/f.c:9:3\n"
			   "    #1 0x6 in main /src/demo/f.c:20:2\n";
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct got g = { 0 };
	size_t n;

	cr_assert_eq(sanitizer_parse_stream(in, NULL, record, &g, &n), 0);
	fclose(in);
	cr_expect_eq(n, 1, "the last record is handed over at the end of the log");
	cr_expect_str_eq(g.rules[0], "buffer-overflow");
	cr_expect_eq(g.lines[0], 9);
	cr_expect_str_eq(g.messages[0], "heap-buffer-overflow: write of size 1");
}

Test(sanitizers, reports_outside_the_project_and_unknown_kinds)
{
	struct vg_frame libc[1] = { { .fn = "strlen", .obj = "/usr/lib/libc.so.6" } };
	struct vg_error e = { .kind = "asan:heap-use-after-free", .stack = { .v = libc, .nr = 1 } };
	struct ma_finding *f;

	cr_expect_eq(ma_sanitizer_finding(&e, ROOT, &f), VG_NOT_OURS);
	e.kind = "tsan:signal-unsafe call inside of a signal";
	cr_expect_eq(ma_sanitizer_finding(&e, ROOT, &f), VG_IGNORED);
	e.kind = "no-colon";
	cr_expect_eq(ma_sanitizer_finding(&e, ROOT, &f), VG_IGNORED);
}

/* The frames of the first record, kept. */
static int first_stacks(const struct vg_error *e, void *data)
{
	struct vg_error *keep = data;

	if (!keep->kind) {
		keep->kind = strdup(e->kind);
		vg_stack_copy(&keep->stack, &e->stack);
		if (e->nr_aux) {
			keep->aux[0].what = strdup(e->aux[0].what);
			vg_stack_copy(&keep->aux[0].stack, &e->aux[0].stack);
			keep->nr_aux = 1;
		}
	}
	return 0;
}

Test(sanitizers, frames_without_a_symbolizer_keep_their_binary_and_offset)
{
	const char *text = "==7==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6 at pc 0x1\n"
			   "WRITE of size 4 at 0x6 thread T0\n"
			   "    #0 0x55d0c8a1b2c3  (/src/demo/prog+0x1b2c3) (BuildId: cda4c6c8)\n"
			   "    #1 0x7f0ec7a12249  (/opt/g++/lib/libx.so.1+0x271ca) (BuildId: 93ac61ec)\n"
			   "    #2 0x55d0c8a00000  (/src/demo/prog)\n";
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct vg_error e = { 0 };
	size_t n;

	cr_assert_eq(sanitizer_parse_stream(in, NULL, first_stacks, &e, &n), 0);
	fclose(in);
	cr_assert_eq(e.stack.nr, 3);
	cr_expect_null(e.stack.v[0].fn, "no function: not an empty name");
	cr_expect_str_eq(e.stack.v[0].obj, "/src/demo/prog");
	cr_expect_eq(e.stack.v[0].offset, 0x1b2c3);
	cr_expect_eq(e.stack.v[0].ip, 0x55d0c8a1b2c3);
	cr_expect_str_eq(e.stack.v[1].obj, "/opt/g++/lib/libx.so.1", "a '+' in the path is the path's");
	cr_expect_eq(e.stack.v[1].offset, 0x271ca);
	cr_expect_str_eq(e.stack.v[2].obj, "/src/demo/prog");
	cr_expect_eq(e.stack.v[2].offset, 0, "no offset printed");
	vg_error_release(&e);
}

Test(sanitizers, tsan_frames_without_a_symbolizer_get_the_path_of_their_summary)
{
	const char *text = "WARNING: ThreadSanitizer: data race (pid=12)\n"
			   "  Write of size 4 at 0x555a04ca1258 by thread T1:\n"
			   "    #0 <null> <null> (race+0xd0194) (BuildId: e0177)\n"
			   "    #1 <null> <null> (libc.so.6+0x27249) (BuildId: 93ac6)\n"
			   "\n"
			   "  Previous write of size 4 at 0x555a04ca1258 by main thread:\n"
			   "    #0 <null> <null> (race+0xd0126) (BuildId: e0177)\n"
			   "\n"
			   "SUMMARY: ThreadSanitizer: data race (/src/demo/race+0xd0194) (BuildId: e0177)\n";
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct vg_error e = { 0 };
	size_t n;

	cr_assert_eq(sanitizer_parse_stream(in, NULL, first_stacks, &e, &n), 0);
	fclose(in);
	cr_assert_eq(e.stack.nr, 2);
	cr_expect_null(e.stack.v[0].fn, "<null> is no function");
	cr_expect_str_eq(e.stack.v[0].obj, "/src/demo/race");
	cr_expect_eq(e.stack.v[0].offset, 0xd0194);
	cr_expect_str_eq(e.stack.v[1].obj, "libc.so.6", "another binary keeps its name");
	cr_assert_eq(e.nr_aux, 1);
	cr_assert_eq(e.aux[0].stack.nr, 1);
	cr_expect_str_eq(e.aux[0].stack.v[0].obj, "/src/demo/race", "every stack of the record");
	vg_error_release(&e);
}
