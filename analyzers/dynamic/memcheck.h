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
 *     if (ma_memcheck_finding(e, root, &f) == VG_FINDING) ...
 */
#include "vg_finding.h"

struct ma_finding;

/* root: the project's root directory (absolute); frames outside it are not the project's. */
enum vg_verdict ma_memcheck_finding(const struct vg_error *e, const char *root, struct ma_finding **out);

#endif
