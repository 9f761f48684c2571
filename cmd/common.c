/*
 * What several commands do alike: read a JSON report from a file, take
 * --fail-on, and print the text report with the list of files written.
 */
#include "builtin.h"
#include "../core/report.h"
#include "../core/strbuf.h"
#include "../core/strvec.h"
#include "../reporters/json_read.h"
#include "../reporters/reporter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int read_report_file(const char *path, struct ma_report *rep, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	int ret = strbuf_read_file(&text, path, err);

	if (!ret)
		ret = ma_report_read_json(text.buf, text.len, path, rep, err);
	strbuf_release(&text);
	return ret;
}

int parse_fail_on(const char *fail_on, enum ma_severity *level, int *never, struct strbuf *err)
{
	*never = !strcmp(fail_on, "none");
	if (!*never && ma_severity_parse(fail_on, level) < 0) {
		strbuf_addf(err, "--fail-on takes error, warning, note or none, not '%s'", fail_on);
		return -1;
	}
	return 0;
}

void print_text_report(const struct ma_report *rep, const struct strvec *written, const struct ma_ctx *ctx)
{
	struct ma_render_opts ro = { .color = ctx->stdout_tty && !getenv("NO_COLOR") };
	struct strbuf text = STRBUF_INIT;

	ma_render_text(rep, &ro, &text);
	fwrite(text.buf, 1, text.len, stdout);
	fflush(stdout);
	strbuf_release(&text);
	for (size_t i = 0; i < written->nr; i++)
		fprintf(stderr, "memaudit: wrote %s\n", written->v[i]);
}
