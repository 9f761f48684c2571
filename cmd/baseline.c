/*
 * memaudit baseline save REPORT.json -o FILE: the findings of a finished
 * audit as a baseline file (reporters/baseline_file.h) to commit, for
 * `memaudit audit --baseline FILE` to tell new findings from known ones.
 *
 *   memaudit audit -p build -o out --format json --fail-on none
 *   memaudit baseline save out/report.json -o .memaudit-baseline.json
 *
 * The file holds fingerprints and code keys, not messages or run data, so
 * saving it again from the same findings gives the same bytes.
 */
#include "builtin.h"
#include "../core/baseline.h"
#include "../core/fs.h"
#include "../core/parse-options.h"
#include "../core/report.h"
#include "../core/strbuf.h"
#include "../reporters/baseline_file.h"

#include <stdio.h>
#include <string.h>

static const char *const baseline_usage[] = {
	"memaudit baseline save REPORT.json -o FILE",
	NULL,
};

/* Actions by name: one today, a table so that more ("show", ...) are a line each. */
struct baseline_action {
	const char *name;
	int (*fn)(const char *report, const char *output, struct strbuf *err);
};

static int save(const char *report, const char *output, struct strbuf *err)
{
	struct ma_report rep;
	struct ma_baseline_entries entries = MA_BASELINE_ENTRIES_INIT;
	struct strbuf out = STRBUF_INIT;
	int ret;

	ma_report_init(&rep);
	ret = read_report_file(report, &rep, err);
	if (!ret) {
		ma_baseline_entries_add_findings(&entries, &rep.findings, rep.run.root);
		ma_baseline_entries_sort(&entries);
		ma_render_baseline(&entries, NULL, &out); /* the entries' paths are relative already */
		ret = ma_write_file_atomic(output, out.buf, out.len, err);
	}
	if (!ret) {
		fprintf(stderr, "memaudit: wrote %s (%zu finding%s)\n", output, entries.nr, entries.nr == 1 ? "" : "s");
		if (rep.run.partial) /* what the failed units hold will look new */
			fprintf(stderr, "memaudit: warning: '%s' is partial: findings in what it did not analyse "
				"will be new against this baseline\n", report);
	}
	ma_baseline_entries_release(&entries);
	strbuf_release(&out);
	ma_report_release(&rep);
	return ret;
}

static const struct baseline_action actions[] = {
	{ "save", save },
};

static const struct baseline_action *find_action(const char *name)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}

int cmd_baseline(int argc, const char **argv, struct ma_ctx *ctx)
{
	const char *output = NULL;
	struct option opts[] = {
		OPT_STRING('o', "output", &output, "FILE", "write the baseline to FILE"),
		OPT_END(),
	};
	struct strbuf err = STRBUF_INIT;
	const struct baseline_action *action = NULL;
	int n = parse_options(argc - 1, argv + 1, opts, baseline_usage, 0, &err), ret;

	(void)ctx;
	if (n == PARSE_OPT_HELP)
		return MA_EXIT_OK;
	if (n >= 0 && (n != 2 || !(action = find_action(argv[1]))))
		strbuf_addf(&err, "usage: %s", baseline_usage[0]);
	else if (n >= 0 && !output)
		strbuf_addstr(&err, "baseline save: give the file to write with -o FILE");
	if (!action || err.len) /* a bad option (parse_options said why), or the above */
		ret = error_exit(MA_EXIT_USAGE, "%s", err.buf);
	else if (action->fn(argv[2], output, &err) < 0)
		ret = error_exit(MA_EXIT_USAGE, "%s", err.buf);
	else
		ret = MA_EXIT_OK;
	strbuf_release(&err);
	return ret;
}
