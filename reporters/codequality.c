/*
 * GitLab's Code Quality report (gl-code-quality-report.json), for
 * `artifacts:reports:codequality`: the subset of the Code Climate issue
 * format GitLab reads (docs.gitlab.com/ci/testing/code_quality/, "Code
 * Quality report format"): a JSON array with one object per finding,
 *
 *     description           the finding's message
 *     check_name            the rule id
 *     fingerprint           memaudit's fingerprint (GitLab matches issues
 *                           between the merge request and its target by
 *                           it, and ours survives unrelated edits)
 *     severity              info, minor, major, critical or blocker
 *     location.path         relative to the project root, no "./"
 *     location.lines.begin  the line (1 when unknown)
 *
 * and nothing else (GitLab ignores more).  Severities: error -> critical,
 * warning -> major, note -> info (docs/formats.md).
 */
#include "reporter.h"
#include "../core/finding.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/strbuf.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static const char *const gitlab_severity[MA_SEV_COUNT] = {
	[MA_SEV_NOTE] = "info",
	[MA_SEV_WARNING] = "major",
	[MA_SEV_ERROR] = "critical",
};

static cJSON *issue_json(const struct ma_report *rep, const struct ma_finding *f)
{
	cJSON *o = cJSON_CreateObject(), *loc = cJSON_CreateObject(), *lines = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "description", f->message);
	cJSON_AddStringToObject(o, "check_name", f->rule_id);
	cJSON_AddStringToObject(o, "fingerprint", f->fingerprint);
	cJSON_AddStringToObject(o, "severity", gitlab_severity[f->severity]);
	cJSON_AddStringToObject(loc, "path", ma_path_relative(rep->run.root, f->loc.file));
	ma_json_add_int(lines, "begin", f->loc.line ? f->loc.line : 1);
	cJSON_AddItemToObject(loc, "lines", lines);
	cJSON_AddItemToObject(o, "location", loc);
	return o;
}

void ma_render_codequality(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out)
{
	cJSON *issues = cJSON_CreateArray();
	char *text;

	(void)o;
	for (size_t i = 0; i < rep->findings.nr; i++) {
		const struct ma_finding *f = rep->findings.items[i];
		/* the format has no issue without a file, and no way to say an
		 * issue is suppressed: GitLab would show it as open */
		if (f->loc.file && f->suppression.kind == MA_SUPPRESSION_NONE)
			cJSON_AddItemToArray(issues, issue_json(rep, f));
	}
	text = cJSON_Print(issues); /* never NULL: cJSON allocates with ma_malloc */
	ma_add_utf8(out, text);
	strbuf_addch(out, '\n');
	free(text);
	cJSON_Delete(issues);
}
