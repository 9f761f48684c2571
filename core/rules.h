#ifndef MA_RULES_H
#define MA_RULES_H
/*
 * The rule catalogue.  Each rule is one file, rules/<id>.json; the build
 * turns them into build/gen/rules.def (rules/gen-rules.c), which this module
 * compiles into the ma_rules[] table.  The static engine, `memaudit rules`,
 * the SARIF rules[] array and docs/rules/<id>.md all describe the same
 * records, so a rule is added in exactly one place.
 *
 * Invariants: ids are stable kebab-case strings, never reused; the table is
 * sorted by id (the generator sorts), so ma_rule_find() bisects.
 *
 *     const struct ma_rule *r = ma_rule_find("use-after-free");
 *     if (r) printf("CWE-%d %s\n", r->cwe, r->title);
 */
#include <stddef.h>

#include "severity.h"

struct ma_rule {
	const char *id;
	const char *title;
	int cwe;                     /* 0 when no CWE fits */
	enum ma_severity severity;   /* default severity */
	const char *precision;       /* SARIF precision: very-high, high, medium, low */
	const char *tags;            /* comma-separated */
	const char *description;
	const char *fix;
	const char *security_severity; /* GitHub's 0.0-10.0 score, as a string */
};

extern const struct ma_rule ma_rules[];
extern const size_t ma_nr_rules;

const struct ma_rule *ma_rule_find(const char *id);
size_t ma_rule_index(const struct ma_rule *rule);

/* The URL of a rule's documentation page (docs/rules/<id>.md). */
#define MA_DOCS_BASE_URL "https://github.com/memaudit/memaudit/blob/main/docs/rules/"
#define MA_HOME_URL "https://github.com/memaudit/memaudit"

#endif
