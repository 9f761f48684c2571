#ifndef MA_THREADS_H
#define MA_THREADS_H
/*
 * helgrind's and DRD's errors as findings: data races, lock order
 * violations, unlocking a lock not held, re-locking one held, and a thread
 * that exits holding a lock.  An error whose stacks never enter the
 * project (a thread exiting in libc) is placed on the project frame that
 * created the thread, from helgrind's thread announcements.
 *
 *     struct vg_threads th = { 0 };
 *     ... for each error e of a helgrind file:
 *     if (ma_helgrind_finding(e, root, &th, &f) == VG_FINDING) ...
 *     vg_threads_release(&th);
 */
#include "vg_finding.h"

struct ma_finding;

/* The stacks that created helgrind's threads, by thread number. */
struct vg_threads {
	struct vg_stack *created;
	size_t nr, alloc;
};

enum vg_verdict ma_helgrind_finding(const struct vg_error *e, const char *root, struct vg_threads *th,
				    struct ma_finding **out);
enum vg_verdict ma_drd_finding(const struct vg_error *e, const char *root, struct ma_finding **out);
void vg_threads_release(struct vg_threads *th);

#endif
