/*
 * helgrind's and DRD's errors as findings (analyzers/dynamic/threads.c), on
 * errors built by hand: rules, messages without thread numbers or
 * addresses, and a thread that exits holding a lock placed where the
 * project created it.
 */
#include <criterion/criterion.h>

#include "../../analyzers/dynamic/threads.h"
#include "../../core/finding.h"

#include <string.h>

#define ROOT "/src/proj"

static struct vg_frame work[2] = {
	{ .fn = "worker", .obj = ROOT "/prog", .dir = ROOT, .file = "w.c", .line = 12 },
	{ .fn = "start_thread", .obj = "/usr/lib/libc.so.6", .dir = "./nptl", .file = "pthread_create.c",
	  .line = 442 },
};

static struct vg_error error_of(const char *kind, const char *what)
{
	return (struct vg_error){ .kind = (char *)kind, .what = (char *)what,
				  .stack = { .v = work, .nr = 2 } };
}

Test(threads, a_helgrind_race_names_the_accesses_and_the_variable)
{
	struct vg_error e = error_of("Race", "Possible data race during write of size 4 at 0x10C060 by thread #3");
	struct vg_threads th = { 0 };
	struct ma_finding *f;

	e.aux[0].what = "This conflicts with a previous read of size 4 by thread #2";
	e.aux[0].stack = (struct vg_stack){ .v = work, .nr = 1 };
	e.aux[1].what = "Address 0x10c060 is 0 bytes inside data symbol \"hits\"";
	e.nr_aux = 2;
	cr_assert_eq(ma_helgrind_finding(&e, ROOT, &th, &f), VG_FINDING);
	cr_expect_str_eq(f->rule_id, "data-race");
	cr_expect_str_eq(f->message, "data race: write of size 4 of 'hits' conflicts with a previous read of "
				     "size 4 in another thread");
	cr_expect_eq(f->loc.line, 12);
	cr_expect_str_eq(f->pass, "helgrind");
	ma_finding_free(f);
	vg_threads_release(&th);
}

Test(threads, helgrind_lock_errors_map_to_the_lock_rules)
{
	struct vg_threads th = { 0 };
	struct ma_finding *f;
	struct vg_error e;

	e = error_of("LockOrder", "Thread #5: lock order \"0x10C080 before 0x10C0C0\" violated");
	cr_assert_eq(ma_helgrind_finding(&e, ROOT, &th, &f), VG_FINDING);
	cr_expect_str_eq(f->rule_id, "lock-order-inversion");
	ma_finding_free(f);
	e = error_of("UnlockForeign", "Thread #1 unlocked lock at 0x10C080 currently held by thread #2");
	cr_assert_eq(ma_helgrind_finding(&e, ROOT, &th, &f), VG_FINDING);
	cr_expect_str_eq(f->rule_id, "unlock-without-lock");
	cr_expect_str_eq(f->message, "a lock held by another thread is unlocked");
	ma_finding_free(f);
	e = error_of("Misc", "Thread #1: Attempt to re-lock a non-recursive lock I already hold");
	cr_assert_eq(ma_helgrind_finding(&e, ROOT, &th, &f), VG_FINDING);
	cr_expect_str_eq(f->rule_id, "double-lock");
	ma_finding_free(f);
	e = error_of("PthAPIerror", "Thread #1's call to pthread_cond_wait failed");
	cr_expect_eq(ma_helgrind_finding(&e, ROOT, &th, &f), VG_IGNORED);
	vg_threads_release(&th);
}

Test(threads, a_thread_exiting_with_a_lock_is_placed_where_it_was_created)
{
	struct vg_frame libc_only[1] = { { .fn = "start_thread", .obj = "/usr/lib/libc.so.6", .dir = "./nptl",
					    .file = "pthread_create.c", .line = 593 } };
	struct vg_frame creation[2] = {
		{ .fn = "pthread_create@*", .obj = "/usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so" },
		{ .fn = "spawn", .obj = ROOT "/prog", .dir = ROOT, .file = "main.c", .line = 30 },
	};
	struct vg_error announce = { .kind = "AnnounceThread", .hthread = 2,
				     .stack = { .v = creation, .nr = 2 } };
	struct vg_error exit = { .kind = "Misc", .what = "Thread #2: Exiting thread still holds 1 lock",
				 .hthread = 2, .stack = { .v = libc_only, .nr = 1 } };
	struct vg_threads th = { 0 };
	struct ma_finding *f;

	cr_expect_eq(ma_helgrind_finding(&exit, ROOT, &th, &f), VG_NOT_OURS, "before the announcement: nowhere");
	cr_expect_eq(ma_helgrind_finding(&announce, ROOT, &th, &f), VG_IGNORED);
	cr_assert_eq(ma_helgrind_finding(&exit, ROOT, &th, &f), VG_FINDING);
	cr_expect_str_eq(f->rule_id, "lock-not-released");
	cr_expect_str_eq(f->loc.file, ROOT "/main.c");
	cr_expect_eq(f->loc.line, 30);
	cr_expect_str_eq(f->events[0].message, "the thread was created here");
	ma_finding_free(f);
	vg_threads_release(&th);
}

Test(threads, drd_races_and_mutex_errors)
{
	struct vg_frame unlock[2] = {
		{ .fn = "pthread_mutex_unlock@*", .obj = "/usr/libexec/valgrind/vgpreload_drd-amd64-linux.so" },
		{ .fn = "release", .obj = ROOT "/prog", .dir = ROOT, .file = "r.c", .line = 21 },
	};
	struct ma_finding *f;
	struct vg_error e;

	e = error_of("ConflictingAccess", "Conflicting store by thread 3 at 0x0010c060 size 4");
	cr_assert_eq(ma_drd_finding(&e, ROOT, &f), VG_FINDING);
	cr_expect_str_eq(f->rule_id, "data-race");
	cr_expect_str_eq(f->message, "data race: conflicting store of size 4");
	cr_expect_str_eq(f->pass, "drd");
	ma_finding_free(f);
	e = error_of("MutexErr", "Mutex not locked by calling thread: mutex 0x10c080, recursion count 0, owner 5.");
	cr_assert_eq(ma_drd_finding(&e, ROOT, &f), VG_FINDING);
	cr_expect_str_eq(f->rule_id, "unlock-without-lock");
	ma_finding_free(f);
	/* "not a mutex" in an unlock: a mutex never locked; elsewhere, nothing memaudit reports */
	e = (struct vg_error){ .kind = "MutexErr", .what = "The object at address 0x10c080 is not a mutex.",
			       .stack = { .v = unlock, .nr = 2 } };
	cr_assert_eq(ma_drd_finding(&e, ROOT, &f), VG_FINDING);
	cr_expect_str_eq(f->rule_id, "unlock-without-lock");
	cr_expect_eq(f->loc.line, 21);
	ma_finding_free(f);
	e = error_of("MutexErr", "The object at address 0x10c080 is not a mutex.");
	cr_expect_eq(ma_drd_finding(&e, ROOT, &f), VG_IGNORED);
}
