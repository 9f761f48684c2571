#ifndef MA_PROGRESS_H
#define MA_PROGRESS_H
/*
 * The self-updating progress line on stderr:
 *     [12/34] src/lparser.c  0:03 elapsed, ~0:05 left
 * Shown only when stderr is a terminal and not --quiet; it is rewritten in
 * place (\r and erase-to-end-of-line), at most ten times a second, and
 * erased at the end so it never mixes with the report.  Thread-safe: the
 * static pass's workers call progress_update() as they finish units.
 */
#include <stddef.h>

struct progress;

/* NULL (and every call a no-op) when the line should not be shown. */
struct progress *progress_start(const char *title, size_t total, int enabled);
void progress_update(struct progress *p, size_t done, const char *current);
void progress_stop(struct progress *p);

#endif
