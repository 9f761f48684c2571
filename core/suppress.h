#ifndef MA_SUPPRESS_H
#define MA_SUPPRESS_H
/*
 * Inline suppressions: comments in the source that mark a finding as
 * reviewed and accepted (docs/suppressions.md).
 *
 *     free(&x); // memaudit-ignore[free-non-heap]: x is a pool slot, see pool.c
 *     // memaudit-ignore-next-line[use-after-free,double-free]: REASON
 *     // memaudit-ignore-file[unchecked-return]: REASON
 *
 * ma_suppress_scan() finds the directives of one file with a small C/C++
 * tokenizer (comments, string and character literals, raw strings, digit
 * separators), so a directive inside a string literal is not one; a
 * directive must open its comment.  It works on text alone, for the unit
 * tests.  ma_suppressions_apply() reads the files, marks the findings a
 * directive covers as suppressed, and adds a finding of rule
 * `invalid-suppression` for each malformed directive (no reason, an
 * unknown rule, ...) and, when asked, one of `unused-suppression` for
 * each rule of a directive that matched nothing.  It runs after
 * ma_findings_finalize() and finalizes the set again when it adds findings.
 *
 * An invalid directive suppresses nothing.
 */
#include <stddef.h>

#include "strvec.h"

struct ma_report;

enum ma_suppress_form {
	MA_SUPPRESS_LINE,      /* memaudit-ignore: its own line, or the next one when alone */
	MA_SUPPRESS_NEXT_LINE, /* memaudit-ignore-next-line */
	MA_SUPPRESS_FILE,      /* memaudit-ignore-file */
};

struct ma_suppress_directive {
	enum ma_suppress_form form;
	unsigned line, column;  /* where the comment starts, 1-based */
	unsigned target;        /* the line it covers; 0 for the file form, or when no code follows */
	struct strvec rules;    /* the ids; "*" alone for every rule */
	unsigned *used;         /* per rule: findings it suppressed */
	char *reason;           /* NULL when missing */
	char *error;            /* why the directive is invalid; NULL when valid */
};

struct ma_suppress_list {
	struct ma_suppress_directive *items;
	size_t nr, alloc;
};

#define MA_SUPPRESS_LIST_INIT { 0 }

/* Append the directives of one file's text (len bytes; NULs allowed) to out. */
void ma_suppress_scan(const char *text, size_t len, struct ma_suppress_list *out);
void ma_suppress_list_release(struct ma_suppress_list *l);
/* The index in d->rules of the entry that covers rule_id at line (a line of
 * d's file); -1 when d does not cover it (or is invalid). */
int ma_suppress_match(const struct ma_suppress_directive *d, const char *rule_id, unsigned line);

struct ma_suppress_opts {
	const struct strvec *files;  /* scanned too (the analysed units), besides the files findings name */
	const struct strvec *only;   /* --rules: a rule outside it did not run, so its suppression is not unused */
	int report_unused;           /* --report-unused-suppressions */
};

void ma_suppressions_apply(struct ma_report *rep, const struct ma_suppress_opts *o);

/* "inline", "config"; the JSON report's names. */
const char *ma_suppression_kind_name(int kind);
/* -1 for an unknown name. */
int ma_suppression_kind_parse(const char *name);

#endif
