#ifndef MA_REPORT_MERGE_H
#define MA_REPORT_MERGE_H
/*
 * The reports of `memaudit audit --shard K/N`, K = 1..N, put back into the
 * report one unsharded audit writes (`memaudit merge`).
 *
 * The shards must be one run's: each has run.shard, all the same N, each
 * K once, the same root, tool version and commit.  A missing shard is an
 * error unless MA_MERGE_ALLOW_MISSING, which marks the result partial
 * with a failure naming the shards missing.
 *
 * Findings are merged as the audit merges those of its units: a shard's
 * report keeps each finding's line hash (json.c), so the union is
 * confirmed and finalized again (core/finding.h): one bug in a header
 * seen by units of two shards is one finding with their counts added, and
 * order, occurrences and fingerprints are those of the unsharded run.
 * The run: root, database, commit and branch of shard 1 (the lowest
 * given); units, failures, notes, passes and profiles of all the shards
 * (ma_report_append); `started` the earliest, wall time the longest (the
 * shards run side by side), CPU times added, jobs the most any shard
 * used.  `command` is left for the caller (merge's own command line).
 *
 *     struct ma_report merged;
 *     ma_report_init(&merged);
 *     if (ma_reports_merge(&merged, shards, paths, n, 0, &err) < 0) ...
 */
#include <stddef.h>

struct ma_report;
struct strbuf;

enum { MA_MERGE_ALLOW_MISSING = 1 << 0 };

/*
 * Merge shards[0..nr) (read from paths[0..nr), for messages) into `out`,
 * freshly initialised.  The shards are emptied in both cases (they stay
 * to be released).  0, or -1 and one line in err naming the file.
 */
int ma_reports_merge(struct ma_report *out, struct ma_report *shards, const char *const *paths, size_t nr,
		     unsigned flags, struct strbuf *err);

#endif
