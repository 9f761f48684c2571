#ifndef MA_MEMCHECK_H
#define MA_MEMCHECK_H
/*
 * memcheck's errors as findings: which rule an error is (its kind, and
 * for invalid accesses the "Address ... is ..." line that says whose
 * memory it was), where it goes (the innermost frame in the project's own
 * sources, not libc or the allocator), and its path (the calls that led
 * there, where the block was freed and allocated).
 *
 *     struct ma_finding *f;
 *     switch (ma_memcheck_finding(e, root, &f)) { ... }
 */
#include "valgrind_xml.h"

struct ma_finding;

enum ma_memcheck_verdict {
	MA_MC_FINDING,      /* *out is a new finding (the caller owns it) */
	MA_MC_IGNORED,      /* a kind memaudit does not report (still-reachable memory) */
	MA_MC_NOT_OURS,     /* no frame in the project: a shell's, make's or a library's */
};

/* root: the project's root directory (absolute); frames outside it are not the project's. */
enum ma_memcheck_verdict ma_memcheck_finding(const struct vg_error *e, const char *root,
					     struct ma_finding **out);

/* A binary of the project (under root) on e's stacks without line
 * information: Valgrind could not read its debug info (clang 14's default
 * DWARF 5 with Valgrind 3.19), so reports in it cannot be placed.  Its path,
 * or NULL. */
const char *ma_memcheck_unplaced_binary(const struct vg_error *e, const char *root);

#endif
