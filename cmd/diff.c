/*
 * memaudit diff OLD.json NEW.json: what changed between two audits.  NEW
 * (a report.json) is compared with OLD (a report.json or a baseline file)
 * as `audit --baseline OLD` does (core/baseline.h): each finding of NEW
 * is new or unchanged, and OLD's findings no longer there are fixed.
 *
 *   memaudit diff main/report.json branch/report.json
 *   memaudit diff old.json new.json -o diff-out --format json,sarif
 *
 * The text on stdout lists the new and the fixed findings and counts the
 * unchanged ones.  With -o DIR, the --format reports (default text, json,
 * sarif) are NEW's, marked: report.json is NEW's report with
 * `baseline_state` on each finding and `run.baseline` (OLD, the counts,
 * the fixed entries); report.sarif adds the fixed ones as results with
 * baselineState "absent".
 */
#include "builtin.h"
#include "../core/baseline.h"
#include "../core/parse-options.h"
#include "../core/report.h"
#include "../core/severity.h"
#include "../core/strbuf.h"
#include "../core/strvec.h"
#include "../reporters/baseline_file.h"
#include "../reporters/reporter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const diff_usage[] = {
	"memaudit diff OLD.json NEW.json [--fail-on LEVEL] [-o DIR [--format LIST]] [-q]",
	NULL,
};

struct diff_opts {
	const char *output;
	const char *fail_on;
	struct strvec formats;
	int quiet;
	enum ma_severity fail_level;
	int fail_never;
};

static int check_diff_options(struct diff_opts *o, int n, struct strbuf *err)
{
	if (n != 2) {
		strbuf_addf(err, "give the old and the new report (usage: %s)", diff_usage[0]);
		return -1;
	}
	if (o->formats.nr && !o->output) {
		strbuf_addstr(err, "--format needs -o DIR: the directory to write the reports into");
		return -1;
	}
	if (!o->formats.nr)
		strvec_pushl(&o->formats, "text", "json", "sarif", NULL);
	if (ma_formats_validate(&o->formats, err) < 0)
		return -1;
	if (!o->fail_on)
		o->fail_on = "warning";
	return parse_fail_on(o->fail_on, &o->fail_level, &o->fail_never, err);
}

static int parse_diff_options(struct diff_opts *o, int argc, const char **argv, struct strbuf *err)
{
	struct option opts[] = {
		OPT_STRING('o', "output", &o->output, "DIR", "also write the reports of --format into DIR"),
		OPT_LIST(0, "format", &o->formats, "LIST", "with -o: report formats (default: text,json,sarif)"),
		OPT_STRING(0, "fail-on", &o->fail_on, "LEVEL", "exit 1 on new findings at or above LEVEL: error, warning, note, none (default: warning)"),
		OPT_BOOL('q', "quiet", &o->quiet, "print nothing on stdout"),
		OPT_END(),
	};
	int n = parse_options(argc, argv, opts, diff_usage, 0, err);

	if (n < 0)
		return n;
	return check_diff_options(o, n, err) < 0 ? PARSE_OPT_ERROR : n;
}

/* NEW read and compared with OLD, every finding marked; the fixed ones in run.baseline. */
static int compare(const char *old, const char *new, struct ma_report *rep, struct strbuf *err)
{
	struct ma_baseline_entries base = MA_BASELINE_ENTRIES_INIT;
	int ret = ma_baseline_read(old, &base, err);

	if (!ret)
		ret = read_report_file(new, rep, err);
	if (!ret) {
		ma_baseline_apply(rep, old, &base);
		rep->run.baseline->list_absent = 1;
	}
	ma_baseline_entries_release(&base);
	return ret;
}

static int write_outputs(const struct ma_report *rep, const struct diff_opts *o, struct ma_ctx *ctx,
			 struct strbuf *err)
{
	struct ma_render_opts ro = { .color = ctx->stdout_tty && !getenv("NO_COLOR") };
	struct strvec written = STRVEC_INIT;
	struct strbuf text = STRBUF_INIT;
	int ret = 0;

	if (o->output)
		ret = ma_reporters_write(rep, &o->formats, o->output, &written, err);
	if (!ret && !o->quiet) {
		ma_render_text(rep, &ro, &text);
		fwrite(text.buf, 1, text.len, stdout);
		fflush(stdout);
		for (size_t i = 0; i < written.nr; i++)
			fprintf(stderr, "memaudit: wrote %s\n", written.v[i]);
	}
	strvec_clear(&written);
	strbuf_release(&text);
	return ret;
}

/* 1 when NEW has new findings at or above --fail-on, with its reason on stderr. */
static int diff_exit_code(const struct ma_report *rep, const struct diff_opts *o)
{
	size_t n = o->fail_never ? 0 : ma_findings_count_new_at_least(&rep->findings, o->fail_level);

	if (!n)
		return MA_EXIT_OK;
	fprintf(stderr, "memaudit: %zu new finding%s at or above --fail-on %s\n", n, n == 1 ? "" : "s", o->fail_on);
	return MA_EXIT_FINDINGS;
}

int cmd_diff(int argc, const char **argv, struct ma_ctx *ctx)
{
	struct diff_opts o = { .formats = STRVEC_INIT };
	struct strbuf err = STRBUF_INIT;
	struct ma_report rep;
	int n = parse_diff_options(&o, argc - 1, argv + 1, &err), ret;

	ma_report_init(&rep);
	if (n == PARSE_OPT_HELP)
		ret = MA_EXIT_OK;
	else if (n < 0 || compare(argv[1], argv[2], &rep, &err) < 0 || write_outputs(&rep, &o, ctx, &err) < 0)
		ret = error_exit(MA_EXIT_USAGE, "%s", err.buf);
	else
		ret = diff_exit_code(&rep, &o);
	ma_report_release(&rep);
	strvec_clear(&o.formats);
	strbuf_release(&err);
	return ret;
}
