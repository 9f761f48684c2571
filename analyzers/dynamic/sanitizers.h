#ifndef MA_SANITIZERS_H
#define MA_SANITIZERS_H
/*
 * The sanitizers' reports (sanitizer_log.c) as findings: AddressSanitizer's
 * memory errors, LeakSanitizer's leaks, UndefinedBehaviorSanitizer's
 * runtime errors, ThreadSanitizer's races and lock misuse, each placed on
 * its innermost project frame, its pass named after the sanitizer (asan,
 * lsan, ubsan, tsan).
 *
 *     if (ma_sanitizer_finding(e, root, &f) == VG_FINDING) ...
 */
#include "vg_finding.h"

struct ma_finding;

enum vg_verdict ma_sanitizer_finding(const struct vg_error *e, const char *root, struct ma_finding **out);

#endif
