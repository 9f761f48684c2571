#ifndef MA_SANITIZERS_H
#define MA_SANITIZERS_H
/*
 * The sanitizers' reports (sanitizer_log.c) as findings: AddressSanitizer's
 * memory errors, LeakSanitizer's leaks, UndefinedBehaviorSanitizer's
 * runtime errors (with the checks a user adds by name: implicit
 * conversions, unsigned wrap-around, control-flow integrity of indirect
 * calls), ThreadSanitizer's races, lock misuse and leaked threads,
 * MemorySanitizer's uses of uninitialised values, and the signals and
 * allocator refusals every runtime reports.  Each is placed on its
 * innermost project frame (a TSan lock cycle where the thread that closed
 * it took the lock it held, a race between a read and a write on the
 * write), its pass named after the sanitizer (asan, lsan, ubsan, tsan,
 * msan).
 *
 *     if (ma_sanitizer_finding(e, root, &f) == VG_FINDING) ...
 */
#include "vg_finding.h"

struct ma_finding;

enum vg_verdict ma_sanitizer_finding(const struct vg_error *e, const char *root, struct ma_finding **out);

#endif
