/*
 * memaudit rules [ID...]: the rule catalogue (rules/<id>.json).
 * Without an id, one line per rule; with ids, each rule in full.
 */
#include "builtin.h"
#include "../core/parse-options.h"
#include "../core/rules.h"
#include "../core/strbuf.h"

#include <stdio.h>

static const char *const rules_usage[] = {
	"memaudit rules [ID...]",
	NULL,
};

static void print_line(const struct ma_rule *r)
{
	char cwe[16] = "-";

	if (r->cwe)
		snprintf(cwe, sizeof(cwe), "CWE-%d", r->cwe);
	printf("%-28s %-8s %-8s %s\n", r->id, ma_severity_name(r->severity), cwe, r->title);
}

static void print_full(const struct ma_rule *r)
{
	printf("%s: %s\n", r->id, r->title);
	if (r->cwe)
		printf("  CWE:       CWE-%d (https://cwe.mitre.org/data/definitions/%d.html)\n",
		       r->cwe, r->cwe);
	printf("  severity:  %s\n", ma_severity_name(r->severity));
	printf("  precision: %s\n", r->precision);
	printf("  tags:      %s\n", r->tags);
	printf("  docs:      docs/rules/%s.md\n\n", r->id);
	printf("%s\n\nHow to fix: %s\n", r->description, r->fix);
}

int cmd_rules(int argc, const char **argv, struct ma_ctx *ctx)
{
	struct strbuf err = STRBUF_INIT;
	struct option opts[] = { OPT_END() };
	int n;

	(void)ctx;
	n = parse_options(argc - 1, argv + 1, opts, rules_usage, 0, &err);
	if (n == PARSE_OPT_HELP)
		return MA_EXIT_OK;
	if (n < 0) {
		error_exit(MA_EXIT_USAGE, "%s", err.buf);
		strbuf_release(&err);
		return MA_EXIT_USAGE;
	}
	if (!n) {
		printf("%-28s %-8s %-8s %s\n", "ID", "SEVERITY", "CWE", "TITLE");
		for (size_t i = 0; i < ma_nr_rules; i++)
			print_line(&ma_rules[i]);
		return MA_EXIT_OK;
	}
	for (int i = 0; i < n; i++) {
		const struct ma_rule *r = ma_rule_find(argv[1 + i]);
		if (!r)
			return error_exit(MA_EXIT_USAGE, "unknown rule '%s' (see 'memaudit rules')",
					  argv[1 + i]);
		if (i)
			putchar('\n');
		print_full(r);
	}
	return MA_EXIT_OK;
}
