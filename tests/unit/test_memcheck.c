/*
 * memcheck's errors as findings (analyzers/dynamic/memcheck.c), on errors
 * built by hand: the rule each kind and "Address ..." line maps to, where
 * the finding goes (the innermost project frame, past libc and the
 * allocator), what is dropped, and messages without run-specific numbers.
 */
#include <criterion/criterion.h>

#include "../../analyzers/dynamic/memcheck.h"
#include "../../analyzers/dynamic/vg_finding.h"
#include "../../core/finding.h"

#include <string.h>

#define ROOT "/src/proj"

static struct vg_frame frames[3] = {
	{ .fn = "free", .obj = "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so" },
	{ .fn = "parse", .obj = ROOT "/prog", .dir = ROOT "/src", .file = "parse.c", .line = 42 },
	{ .fn = "main", .obj = ROOT "/prog", .dir = ROOT "/src", .file = "main.c", .line = 7 },
};

/* An error of `kind` whose stack is libc -> parse.c:42 -> main.c:7, with one aux line. */
static struct vg_error error_of(const char *kind, const char *what, const char *aux)
{
	struct vg_error e = { .kind = (char *)kind, .what = (char *)what };

	e.stack = (struct vg_stack){ .v = frames, .nr = 3 };
	if (aux) {
		e.aux[0].what = (char *)aux;
		e.aux[0].stack = (struct vg_stack){ .v = frames + 1, .nr = 1 };
		e.nr_aux = 1;
	}
	return e;
}

static const char *rule_for(const struct vg_error *e)
{
	static char rule[64];
	struct ma_finding *f;

	if (ma_memcheck_finding(e, ROOT, &f) != VG_FINDING)
		return "(none)";
	snprintf(rule, sizeof(rule), "%s", f->rule_id);
	ma_finding_free(f);
	return rule;
}

Test(memcheck, invalid_accesses_are_told_apart_by_whose_memory_it_was)
{
	struct vg_error e;

	e = error_of("InvalidRead", "Invalid read of size 4",
		     "Address 0x4a42040 is 0 bytes inside a block of size 16 free'd");
	cr_expect_str_eq(rule_for(&e), "use-after-free");
	e = error_of("InvalidWrite", "Invalid write of size 1",
		     "Address 0x4a42098 is 0 bytes after a block of size 8 alloc'd");
	cr_expect_str_eq(rule_for(&e), "buffer-overflow");
	e = error_of("InvalidRead", "Invalid read of size 8",
		     "Address 0x8 is not stack'd, malloc'd or (recently) free'd");
	cr_expect_str_eq(rule_for(&e), "null-dereference");
	e = error_of("InvalidRead", "Invalid read of size 8",
		     "Address 0x5a000 is not stack'd, malloc'd or (recently) free'd");
	cr_expect_str_eq(rule_for(&e), "invalid-memory-access");
}

Test(memcheck, frees_leaks_and_uninitialised_values)
{
	struct vg_error e;

	e = error_of("InvalidFree", "Invalid free() / delete / delete[] / realloc()",
		     "Address 0x4a42190 is 0 bytes inside a block of size 3 free'd");
	cr_expect_str_eq(rule_for(&e), "double-free");
	e = error_of("InvalidFree", "Invalid free() / delete / delete[] / realloc()",
		     "Address 0x1ffefffd4c is on thread 1's stack");
	cr_expect_str_eq(rule_for(&e), "free-non-heap");
	e = error_of("InvalidFree", "Invalid free() / delete / delete[] / realloc()",
		     "Address 0x5a000 is not stack'd, malloc'd or (recently) free'd");
	cr_expect_str_eq(rule_for(&e), "free-non-heap", "a wild pointer freed is not a double free");
	e = error_of("InvalidFree", "Invalid free() / delete / delete[] / realloc()",
		     "Address 0x4a42190 is 48 bytes inside a block of size 384 free'd");
	cr_expect_str_eq(rule_for(&e), "free-non-heap", "a pointer into a block was never malloc's");
	e = error_of("MismatchedFree", "Mismatched free() / delete / delete []", NULL);
	cr_expect_str_eq(rule_for(&e), "mismatched-deallocation");
	e = error_of("UninitCondition", "Conditional jump or move depends on uninitialised value(s)", NULL);
	cr_expect_str_eq(rule_for(&e), "uninitialized-read");
	e = error_of("Leak_DefinitelyLost", "16 bytes in 1 blocks are definitely lost in loss record 1 of 3", NULL);
	cr_expect_str_eq(rule_for(&e), "memory-leak");
	e = error_of("Leak_StillReachable", "8 bytes in 1 blocks are still reachable in loss record 1 of 1", NULL);
	cr_expect_str_eq(rule_for(&e), "(none)", "still-reachable memory is not a leak");
	e = error_of("Overlap", "Source and destination overlap in strncpy(0x1, 0x0, 8)", NULL);
	cr_expect_str_eq(rule_for(&e), "overlapping-copy");
}

Test(memcheck, fatal_signals_near_zero_are_null_dereferences)
{
	struct vg_error e = error_of("FatalSignal", NULL, NULL);

	e.fatal = 1;
	e.signo = 11;
	e.has_siaddr = 1;
	e.siaddr = 0x10;
	cr_expect_str_eq(rule_for(&e), "null-dereference");
	e.siaddr = 0x7ff000;
	cr_expect_str_eq(rule_for(&e), "fatal-signal");
	e.signo = 8; /* SIGFPE */
	e.siaddr = 0;
	cr_expect_str_eq(rule_for(&e), "fatal-signal");
}

Test(memcheck, the_finding_is_on_the_innermost_project_frame_with_its_path)
{
	struct vg_error e = error_of("InvalidRead", "Invalid read of size 4",
				     "Address 0x4a42040 is 0 bytes inside a block of size 16 free'd");
	struct ma_finding *f;

	cr_assert_eq(ma_memcheck_finding(&e, ROOT, &f), VG_FINDING);
	cr_expect_str_eq(f->loc.file, ROOT "/src/parse.c");
	cr_expect_eq(f->loc.line, 42);
	cr_expect_str_eq(f->loc.function, "parse");
	cr_expect_str_eq(f->pass, "memcheck");
	/* no address in the message: the same bug in two processes merges */
	cr_expect_str_eq(f->message, "invalid read of size 4: 0 bytes inside a block of size 16 free'd");
	cr_assert_eq(f->nr_events, 3);
	cr_expect_str_eq(f->events[1].message, "called from here");
	cr_expect_eq(f->events[1].loc.line, 7);
	cr_expect_str_eq(f->events[2].message, "0 bytes inside a block of size 16 free'd");
	ma_finding_free(f);
}

Test(memcheck, reports_outside_the_project_are_not_ours)
{
	struct vg_error e = error_of("Leak_DefinitelyLost", "4 bytes in 1 blocks are definitely lost in loss record 1 of 1",
				     NULL);
	struct ma_finding *f;

	e.stack.nr = 1; /* only the libc frame: the shell's own leak */
	cr_expect_eq(ma_memcheck_finding(&e, ROOT, &f), VG_NOT_OURS);
	cr_expect_null(f);
	cr_expect_eq(ma_memcheck_finding(&e, "/elsewhere", &f), VG_NOT_OURS);
	e.stack.nr = 3;
	cr_expect_eq(ma_memcheck_finding(&e, "/elsewhere", &f), VG_NOT_OURS, "frames outside the root");
}

Test(memcheck, a_project_binary_without_lines_is_named)
{
	struct vg_frame nolines[2] = {
		{ .fn = "parse", .obj = ROOT "/prog" },
		{ .fn = "main", .obj = ROOT "/prog" },
	};
	struct vg_error e = { .kind = "InvalidRead", .stack = { .v = nolines, .nr = 2 } };

	cr_expect_str_eq(vg_unplaced_binary(&e, ROOT), ROOT "/prog");
	e.stack = (struct vg_stack){ .v = frames, .nr = 3 };
	cr_expect_null(vg_unplaced_binary(&e, ROOT), "frames with lines are placed");
}
