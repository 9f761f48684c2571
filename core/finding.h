#ifndef MA_FINDING_H
#define MA_FINDING_H
/*
 * The finding model, shared by every pass and every reporter.
 *
 * A finding is one bug at one place: a rule, a severity, a message, a
 * primary location and an ordered event path ("allocated here", "freed
 * here", "used here").  Findings are collected in a `struct ma_findings`
 * set, which owns them; ma_findings_finalize() then sorts the set, merges
 * identical findings reported by several translation units (a bug in a
 * header is seen by every TU that includes it) and computes fingerprints.
 *
 * Fingerprints hold no run-specific data: rule, file (relative to the
 * project root), function, the source line with all white space removed,
 * and the occurrence of that same tuple in the file.  Line numbers are not
 * part of it, so adding lines above a finding keeps its fingerprint.  The
 * code key leaves the file out too (rule, function, line text): a baseline
 * matches on it what moved to another file (core/baseline.h).
 *
 *     struct ma_finding *f = ma_finding_new(rule, "'p' used after free", &loc);
 *     ma_finding_add_event(f, &free_loc, "freed here");
 *     ma_findings_add(&set, f);            (the set now owns f)
 *     ma_findings_finalize(&set, root);
 *     ma_findings_release(&set);
 */
#include <stddef.h>
#include <stdint.h>

#include "severity.h"

struct ma_rule;

struct ma_location {
	char *file;      /* absolute, normalised path */
	unsigned line;   /* 1-based; 0 when unknown */
	unsigned column; /* 1-based; 0 when unknown */
	char *function;  /* enclosing function, NULL when none */
};

struct ma_event {
	struct ma_location loc;
	char *message;
};

/* Why a finding is not counted: an inline comment (core/suppress.c) or the
 * project's configuration.  A suppressed finding stays in the reports
 * (JSON "suppressed", SARIF suppressions) and never sets the exit code. */
enum ma_suppression_kind { MA_SUPPRESSION_NONE, MA_SUPPRESSION_INLINE, MA_SUPPRESSION_CONFIG };

struct ma_suppression {
	enum ma_suppression_kind kind;
	char *reason;
	unsigned line;  /* inline: the comment's line, in the finding's file; 0 otherwise */
};

/* A finding compared with a baseline (core/baseline.h); NONE without one. */
enum ma_baseline_state {
	MA_BASELINE_NONE = 0,
	MA_BASELINE_NEW,       /* not in the baseline */
	MA_BASELINE_UNCHANGED, /* in the baseline: known */
};

struct ma_finding {
	char *rule_id;
	char *title;               /* the rule's title, kept for reports */
	enum ma_severity severity;
	int cwe;
	char *message;
	struct ma_location loc;
	struct ma_event *events;
	size_t nr_events, alloc_events;
	char *pass;                /* "static", "memcheck", ... */
	char *confirmed_by;        /* a static finding a dynamic pass hit at the same place: that pass */
	char *also_by;             /* a dynamic finding other passes saw too: "drd", "helgrind,drd" */
	uint64_t line_hash;        /* hash of the primary line, white space removed */
	unsigned occurrence;       /* 1-based, set by ma_findings_finalize() */
	unsigned count;            /* how many reports were merged into this one */
	char fingerprint[17];      /* set by ma_findings_finalize() */
	struct ma_suppression suppression; /* kind NONE unless suppressed */
	char code_key[17];         /* rule, function, line_hash: the fingerprint without the file; "" unknown */
	enum ma_baseline_state baseline_state; /* set by ma_baseline_apply() */
};

struct ma_findings {
	struct ma_finding **items;
	size_t nr, alloc;
};

#define MA_FINDINGS_INIT { 0 }

void ma_location_set(struct ma_location *loc, const char *file, unsigned line,
		     unsigned column, const char *function);
void ma_location_copy(struct ma_location *dst, const struct ma_location *src);
void ma_location_release(struct ma_location *loc);

/* A new finding for rule, with its defaults (severity, CWE); message is copied. */
struct ma_finding *ma_finding_new(const struct ma_rule *rule, const char *message,
				  const struct ma_location *loc, const char *pass);
void ma_finding_add_event(struct ma_finding *f, const struct ma_location *loc, const char *message);
void ma_finding_free(struct ma_finding *f);

/* Hash of a source line with every white-space byte removed. */
uint64_t ma_line_hash(const char *line, size_t len);

void ma_findings_add(struct ma_findings *set, struct ma_finding *f);
/* Move every finding of src into dst; src is left empty. */
void ma_findings_take(struct ma_findings *dst, struct ma_findings *src);
/* Drop (and free) each finding at index >= from that has an earlier one of
 * the same rule on the same line: the data-flow half of a checker seeing a
 * bug its pattern half already reported, or one bug seen on two paths.
 * Findings before `from` are all kept. */
void ma_findings_drop_repeats(struct ma_findings *set, size_t from);
/* One finding per bug and place across passes: a static finding that a
 * dynamic pass reports with the same rule on the same line is confirmed by
 * it (confirmed_by), and the dynamic finding merges into it; dynamic
 * findings of one rule on one line (a race's load and store, helgrind's
 * and DRD's report of it) merge into the first, which counts them all and
 * names the other passes (also_by). */
void ma_findings_confirm(struct ma_findings *set);
/* Sort (confirmed findings first), merge duplicates, number occurrences
 * and compute fingerprints and code keys. */
void ma_findings_finalize(struct ma_findings *set, const char *root);
/* 1 when f's fingerprint is the one finalize gives it with this line hash:
 * a report.json does not hold the hash, and a finding read back from it
 * gets it again from its source only when the line is still the same. */
int ma_finding_fingerprint_has(const struct ma_finding *f, const char *root, uint64_t line_hash);
void ma_findings_release(struct ma_findings *set);
/* Count of findings with severity >= min that are not suppressed. */
size_t ma_findings_count_at_least(const struct ma_findings *set, enum ma_severity min);

#endif
