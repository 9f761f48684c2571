#ifndef MA_BASELINE_H
#define MA_BASELINE_H
/*
 * Baselines: the findings of an earlier run, to tell a run's new findings
 * from the known ones (`audit --baseline FILE`, `memaudit diff`).
 *
 * An entry is what identifies one earlier finding: its rule, fingerprint
 * and code key (core/finding.h), and for people its file, line and
 * function.  Matching a run against entries goes in two rounds:
 *
 *   1. by fingerprint (rule, file, function, line text, occurrence): the
 *      finding is where it was, lines above it may have come and gone;
 *   2. the findings and entries left, by code key (rule, function, line
 *      text, no file): the file was moved or renamed.
 *
 * Each round is a multiset match: an entry matches at most one finding,
 * and two equal findings (the same code in two files) take two equal
 * entries.  Matched findings are "unchanged", the others "new"; entries
 * left over were fixed (or their code changed).  A real edit of the
 * finding's line changes both keys: it is new, and the old entry fixed.
 *
 * Entry paths are relative to the baseline's root as read (a baseline file
 * holds no root, so it works in any checkout); ma_baseline_apply() makes
 * them absolute under the run's root, like every path of a report.
 *
 *     struct ma_baseline_entries base = MA_BASELINE_ENTRIES_INIT;
 *     if (ma_baseline_read(path, &base, &err) < 0) ...   (reporters/baseline_file.h)
 *     ma_findings_finalize(&rep.findings, rep.run.root);
 *     ma_baseline_apply(&rep, path, &base);   (takes base's entries: the fixed ones go to rep.run.baseline)
 */
#include <stddef.h>

#include "finding.h"
#include "severity.h"

struct ma_report;

struct ma_baseline_entry {
	char *rule_id;
	char fingerprint[17];
	char code_key[17];        /* "" when the baseline holds none (a report from before code keys) */
	char *file;               /* NULL when unknown */
	unsigned line;
	char *function;           /* NULL at file scope */
	char *message;            /* NULL when the baseline holds none (a baseline file) */
	enum ma_severity severity; /* the finding's; a baseline file's entries get their rule's */
};

struct ma_baseline_entries {
	struct ma_baseline_entry *v;
	size_t nr, alloc;
};

#define MA_BASELINE_ENTRIES_INIT { 0 }

/* What a run compared with a baseline found: the JSON report's run.baseline. */
struct ma_baseline_run {
	char *file;                        /* the baseline, as given */
	size_t nr_new, nr_unchanged;
	struct ma_baseline_entries fixed;  /* entries no finding matched, in the baseline's order */
	int show_known;  /* the text report lists the unchanged findings too (--show known); not in JSON */
	int list_absent; /* SARIF lists the fixed ones as "absent" results (memaudit diff); not in JSON */
};

/* One entry per finding of set (copies), with paths relative to root. */
void ma_baseline_entries_add_findings(struct ma_baseline_entries *out, const struct ma_findings *set,
				      const char *root);
/* A new entry at the end, zeroed, for a reader to fill. */
struct ma_baseline_entry *ma_baseline_entries_push(struct ma_baseline_entries *e);
/* The order of a baseline file: file, line, rule, fingerprint (stable, diff-friendly). */
void ma_baseline_entries_sort(struct ma_baseline_entries *e);
void ma_baseline_entries_release(struct ma_baseline_entries *e);

#define MA_BASELINE_NO_MATCH ((size_t)-1)

/* What a match compares: "" (or NULL) matches nothing. */
struct ma_match_key {
	const char *fingerprint;
	const char *code_key;
};

/*
 * The two-round multiset match: pair[i] is the index of the entry (in
 * base) current finding i matched, or MA_BASELINE_NO_MATCH.  Within a
 * round, findings take entries in their order, each the first free one of
 * its key, so the result does not depend on anything but the inputs.
 */
void ma_baseline_match(const struct ma_match_key *base, size_t nr_base, const struct ma_match_key *cur,
		       size_t nr_cur, size_t *pair);

/*
 * Mark each finding of rep new or unchanged against base, and record the
 * comparison in rep->run.baseline (replacing any): `file` and the counts,
 * and the entries no finding matched, moved from base (made absolute under
 * rep->run.root).  base is left empty.
 */
void ma_baseline_apply(struct ma_report *rep, const char *file, struct ma_baseline_entries *base);
void ma_baseline_run_free(struct ma_baseline_run *b);

/* Findings of severity >= min that are new against the baseline. */
size_t ma_findings_count_new_at_least(const struct ma_findings *set, enum ma_severity min);

#endif
