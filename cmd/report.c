/*
 * memaudit report REPORT.json: a finished audit's JSON report read back
 * (reporters/json_read.c) and written again in the formats asked for,
 * without auditing anything: the SARIF for an upload, the text for a
 * log, any format added since.
 *
 *   memaudit report memaudit-out/report.json -o sarif-out --format sarif
 *
 * The reports go to memaudit-out/ unless -o says otherwise, as audit's
 * do; report.json written back is the input byte for byte.
 */
#include "builtin.h"
#include "../core/finding.h"
#include "../core/parse-options.h"
#include "../core/report.h"
#include "../core/strbuf.h"
#include "../core/strvec.h"
#include "../reporters/reporter.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const report_usage[] = {
	"memaudit report REPORT.json [--format LIST] [-o DIR] [-q]",
	NULL,
};

struct report_opts {
	const char *output;
	struct strvec formats;
	int quiet;
};

/*
 * Every format the reporter table knows, from the list it gives for
 * messages ("text, json, sarif"): a format added to the table is then
 * written by default without this command knowing it, unless it is one
 * written only on request (codequality), as audit does.
 */
static void all_formats(struct strvec *out)
{
	const char *p = ma_format_names();

	while (*p) {
		size_t n = strcspn(p, ", ");
		struct strbuf name = STRBUF_INIT;
		strbuf_add(&name, p, n);
		if (n && !ma_format_find(name.buf)->on_request)
			strvec_push(out, name.buf);
		strbuf_release(&name);
		p += n;
		p += strspn(p, ", ");
	}
}

static int parse_report_options(struct report_opts *o, int argc, const char **argv, struct strbuf *err)
{
	struct option opts[] = {
		OPT_STRING('o', "output", &o->output, "DIR", "write reports into DIR (default: memaudit-out)"),
		OPT_LIST(0, "format", &o->formats, "LIST", "report formats, comma-separated (default: all)"),
		OPT_BOOL('q', "quiet", &o->quiet, "print no report on stdout"),
		OPT_END(),
	};
	int n = parse_options(argc, argv, opts, report_usage, 0, err);

	if (n < 0)
		return n;
	if (n != 1) {
		strbuf_addf(err, "give one JSON report to read (usage: %s)", report_usage[0]);
		return PARSE_OPT_ERROR;
	}
	if (!o->formats.nr)
		all_formats(&o->formats);
	if (ma_formats_validate(&o->formats, err) < 0)
		return PARSE_OPT_ERROR;
	if (!o->output)
		o->output = "memaudit-out";
	return n;
}

/* Line `line` of text (the first for 0, empty past the end), as the
 * static pass hashes it (analyzers/static/engine.c). */
static uint64_t hash_line(const struct strbuf *text, unsigned line)
{
	const char *p = text->buf, *end = text->buf + text->len, *eol;

	for (unsigned l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	eol = memchr(p, '\n', (size_t)(end - p));
	return ma_line_hash(p, (size_t)((eol ? eol : end) - p));
}

/*
 * SARIF's primaryLocationLineHash (GitHub follows alerts by it) is the
 * hash of the finding's line, which report.json does not hold.  It is
 * read again from the source, when the source is still there, and kept
 * only when it gives the fingerprint the report holds: the line is then
 * the one audited.  Otherwise (the file gone or edited, a dynamic finding,
 * whose hash is 0) it stays 0.  Findings come sorted by file, so each file
 * is read about once.
 */
static void restore_line_hashes(struct ma_report *rep)
{
	struct strbuf file = STRBUF_INIT, text = STRBUF_INIT, ignored = STRBUF_INIT;
	int readable = 0;

	for (size_t i = 0; i < rep->findings.nr; i++) {
		struct ma_finding *f = rep->findings.items[i];
		uint64_t h;
		if (!f->loc.file)
			continue;
		if (strcmp(file.buf, f->loc.file)) {
			strbuf_reset(&file);
			strbuf_addstr(&file, f->loc.file);
			strbuf_reset(&text);
			readable = strbuf_read_file(&text, file.buf, &ignored) == 0;
			strbuf_reset(&ignored);
		}
		h = readable ? hash_line(&text, f->loc.line) : 0;
		if (h && ma_finding_fingerprint_has(f, rep->run.root, h))
			f->line_hash = h;
	}
	strbuf_release(&file);
	strbuf_release(&text);
	strbuf_release(&ignored);
}

static int rewrite(const char *path, const struct report_opts *o, struct ma_ctx *ctx, struct strbuf *err)
{
	struct ma_report rep;
	struct strvec written = STRVEC_INIT;
	int ret;

	ma_report_init(&rep);
	ret = read_report_file(path, &rep, err);
	if (!ret)
		restore_line_hashes(&rep);
	if (!ret)
		ret = ma_reporters_write(&rep, &o->formats, o->output, &written, err);
	if (!ret && !o->quiet)
		print_text_report(&rep, &written, ctx);
	strvec_clear(&written);
	ma_report_release(&rep);
	return ret;
}

int cmd_report(int argc, const char **argv, struct ma_ctx *ctx)
{
	struct report_opts o = { .formats = STRVEC_INIT };
	struct strbuf err = STRBUF_INIT;
	int ret = parse_report_options(&o, argc - 1, argv + 1, &err);

	if (ret == PARSE_OPT_HELP)
		ret = MA_EXIT_OK;
	else if (ret < 0 || rewrite(argv[1], &o, ctx, &err) < 0)
		ret = error_exit(MA_EXIT_USAGE, "%s", err.buf);
	else
		ret = MA_EXIT_OK;
	strvec_clear(&o.formats);
	strbuf_release(&err);
	return ret;
}
