/*
 * memaudit merge: the reports of `memaudit audit --shard K/N` (one per
 * job of a CI matrix) put back into the reports one unsharded audit
 * writes: the same findings, in the same order, with the same
 * fingerprints (core/report_merge.h says how, docs/ci.md when).
 *
 *   memaudit merge shard1/report.json shard2/report.json -o memaudit-out
 *   memaudit merge a.json b.json --format sarif,json --fail-on error
 *
 * Exit codes as audit's: 0, 1 for findings at or above --fail-on, 2 for
 * reports that are not the shards of one run (or a shard missing without
 * --allow-missing), 3 when the merged report is partial.
 */
#include "builtin.h"
#include "../core/alloc.h"
#include "../core/baseline.h"
#include "../core/parse-options.h"
#include "../core/report.h"
#include "../core/report_merge.h"
#include "../core/severity.h"
#include "../core/strbuf.h"
#include "../core/strvec.h"
#include "../reporters/baseline_file.h"
#include "../reporters/reporter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const merge_usage[] = {
	"memaudit merge SHARD.json... [-o DIR] [--format LIST] [--fail-on LEVEL] [--baseline FILE [--fail-on-new]] [--allow-missing] [-q]",
	NULL,
};

struct merge_opts {
	const char *output;
	const char *fail_on;
	struct strvec formats;
	int allow_missing;
	int quiet;
	const char *baseline;     /* --baseline FILE: as audit's, applied to the merged findings */
	int fail_on_new;
	enum ma_severity fail_level;
	int fail_never;
};

static int parse_merge_options(struct merge_opts *o, int argc, const char **argv, struct strbuf *err)
{
	struct option opts[] = {
		OPT_STRING('o', "output", &o->output, "DIR", "write reports into DIR (default: memaudit-out)"),
		OPT_LIST(0, "format", &o->formats, "LIST", "report formats: text,json,sarif,html,codequality (default: text,json,sarif,html)"),
		OPT_STRING(0, "fail-on", &o->fail_on, "LEVEL", "exit 1 on findings at or above LEVEL: error, warning, note, none (default: warning)"),
		OPT_STRING(0, "baseline", &o->baseline, "FILE", "mark the merged findings new or unchanged against FILE (as audit --baseline)"),
		OPT_BOOL(0, "fail-on-new", &o->fail_on_new, "exit 1 only for new findings at or above --fail-on (needs --baseline)"),
		OPT_BOOL(0, "allow-missing", &o->allow_missing, "merge the shards given even if some are missing (the report is marked partial)"),
		OPT_BOOL('q', "quiet", &o->quiet, "print no report on stdout"),
		OPT_END(),
	};
	int n = parse_options(argc, argv, opts, merge_usage, 0, err);

	if (n < 0)
		return n;
	if (!n) {
		strbuf_addf(err, "give the shards' JSON reports to merge (usage: %s)", merge_usage[0]);
		return PARSE_OPT_ERROR;
	}
	if (!o->formats.nr)
		strvec_pushl(&o->formats, "text", "json", "sarif", "html", NULL);
	if (ma_formats_validate(&o->formats, err) < 0)
		return PARSE_OPT_ERROR;
	if (o->fail_on_new && !o->baseline) {
		strbuf_addstr(err, "--fail-on-new needs --baseline FILE: the findings to tell new ones from");
		return PARSE_OPT_ERROR;
	}
	if (!o->fail_on)
		o->fail_on = "warning";
	if (parse_fail_on(o->fail_on, &o->fail_level, &o->fail_never, err) < 0)
		return PARSE_OPT_ERROR;
	if (!o->output)
		o->output = "memaudit-out";
	return n;
}

/* Every shard read, then merged into `out`; the shards released. */
static int read_and_merge(const char **paths, size_t nr, const struct merge_opts *o, struct ma_report *out,
			  struct strbuf *err)
{
	struct ma_report *shards = ma_calloc(nr, sizeof(*shards));
	size_t loaded = 0;
	int ret = 0;

	for (; loaded < nr && !ret; loaded++) {
		ma_report_init(&shards[loaded]);
		ret = read_report_file(paths[loaded], &shards[loaded], err);
	}
	if (!ret)
		ret = ma_reports_merge(out, shards, paths, nr, o->allow_missing ? MA_MERGE_ALLOW_MISSING : 0, err);
	for (size_t i = 0; i < loaded; i++)
		ma_report_release(&shards[i]);
	free(shards);
	return ret;
}

/* As audit's: a partial report first (3), then findings at or above --fail-on (1). */
static int exit_code(const struct ma_report *rep, const struct merge_opts *o)
{
	size_t n = o->fail_never ? 0 : o->fail_on_new ? ma_findings_count_new_at_least(&rep->findings, o->fail_level)
						      : ma_findings_count_at_least(&rep->findings, o->fail_level);

	if (rep->run.partial)
		return error_exit(MA_EXIT_INCOMPLETE, "merged report marked partial: %s",
				  rep->run.nr_failures ? rep->run.failures[0].message : "a shard was partial");
	if (n)
		fprintf(stderr, "memaudit: %zu %sfinding%s at or above --fail-on %s\n", n, o->fail_on_new ? "new " : "",
			n == 1 ? "" : "s", o->fail_on);
	return n ? MA_EXIT_FINDINGS : MA_EXIT_OK;
}

static int merge(const char **paths, size_t nr, const struct merge_opts *o, struct ma_ctx *ctx)
{
	struct ma_report rep;
	struct strvec written = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;
	struct ma_baseline_entries base = { 0 };
	int ret;

	ma_report_init(&rep);
	for (int i = 0; i < ctx->argc; i++)
		strvec_push(&rep.run.command, ctx->argv[i]);
	if ((o->baseline && ma_baseline_read(o->baseline, &base, &err) < 0) ||
	    read_and_merge(paths, nr, o, &rep, &err) < 0) {
		ret = error_exit(MA_EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	if (o->baseline) /* after the merge: the union's findings, finalized, against it */
		ma_baseline_apply(&rep, o->baseline, &base);
	if (ma_reporters_write(&rep, &o->formats, o->output, &written, &err) < 0) {
		ret = error_exit(MA_EXIT_USAGE, "%s", err.buf);
		goto out;
	}
	if (!o->quiet)
		print_text_report(&rep, &written, ctx);
	ret = exit_code(&rep, o);
out:
	strvec_clear(&written);
	strbuf_release(&err);
	ma_baseline_entries_release(&base);
	ma_report_release(&rep);
	return ret;
}

int cmd_merge(int argc, const char **argv, struct ma_ctx *ctx)
{
	struct merge_opts o = { .formats = STRVEC_INIT };
	struct strbuf err = STRBUF_INIT;
	int n = parse_merge_options(&o, argc - 1, argv + 1, &err);

	if (n == PARSE_OPT_HELP)
		n = MA_EXIT_OK;
	else if (n < 0)
		n = error_exit(MA_EXIT_USAGE, "%s", err.buf);
	else
		n = merge(argv + 1, (size_t)n, &o, ctx);
	strvec_clear(&o.formats);
	strbuf_release(&err);
	return n;
}
