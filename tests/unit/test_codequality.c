/*
 * Tests for reporters/codequality.c: GitLab's Code Quality report, parsed
 * back with cJSON and checked against the fields GitLab documents
 * (docs.gitlab.com/ci/testing/code_quality/, "Code Quality report
 * format"): an array of objects, each with description, check_name,
 * fingerprint (strings), severity (info, minor, major, critical or
 * blocker), location.path (a relative path) and location.lines.begin
 * (an integer).
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <math.h>
#include <string.h>

#include "../../core/alloc.h"
#include "../../core/finding.h"
#include "../../core/report.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"
#include "../../reporters/reporter.h"

static struct ma_report rep;

static struct ma_finding *add(const char *rule, const char *file, unsigned line, const char *msg)
{
	const struct ma_rule *r = ma_rule_find(rule);
	struct ma_location loc;
	struct ma_finding *f;

	cr_assert_not_null(r, "no rule '%s' in the catalogue", rule);
	ma_location_set(&loc, file, line, 2, "fn");
	f = ma_finding_new(r, msg, &loc, "static");
	f->line_hash = ma_line_hash(msg, strlen(msg));
	ma_findings_add(&rep.findings, f);
	ma_location_release(&loc);
	return f;
}

static void setup(void)
{
	ma_report_init(&rep);
	rep.run.root = ma_strdup("/proj");
}

static void teardown(void)
{
	ma_report_release(&rep);
}

TestSuite(codequality, .init = setup, .fini = teardown);

/* The report rendered and parsed; an array, to be deleted. */
static cJSON *render(void)
{
	struct strbuf out = STRBUF_INIT;
	cJSON *doc;

	ma_render_codequality(&rep, NULL, &out);
	cr_assert(out.len && out.buf[out.len - 1] == '\n', "no final newline");
	doc = cJSON_Parse(out.buf);
	cr_assert_not_null(doc, "not JSON:\n%s", out.buf);
	cr_assert(cJSON_IsArray(doc), "not an array:\n%s", out.buf);
	strbuf_release(&out);
	return doc;
}

static const char *string_member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	cr_assert(cJSON_IsString(v), "'%s' is not a string", key);
	return v->valuestring;
}

static int is_gitlab_severity(const char *s)
{
	static const char *const allowed[] = { "info", "minor", "major", "critical", "blocker" };

	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (!strcmp(s, allowed[i]))
			return 1;
	return 0;
}

/* Every documented field, of its type, and nothing else. */
static void check_issue(const cJSON *issue, const struct ma_finding *f)
{
	const cJSON *loc = cJSON_GetObjectItemCaseSensitive(issue, "location"), *lines, *begin;
	const char *path;

	cr_assert(cJSON_IsObject(issue));
	cr_expect_eq(cJSON_GetArraySize(issue), 5, "description, check_name, fingerprint, severity, location");
	cr_expect_str_eq(string_member(issue, "description"), f->message);
	cr_expect_str_eq(string_member(issue, "check_name"), f->rule_id);
	cr_expect_str_eq(string_member(issue, "fingerprint"), f->fingerprint);
	cr_expect_eq(strlen(f->fingerprint), 16);
	cr_expect(is_gitlab_severity(string_member(issue, "severity")), "severity '%s'",
		  string_member(issue, "severity"));
	cr_assert(cJSON_IsObject(loc), "no location object");
	path = string_member(loc, "path");
	cr_expect(path[0] != '/' && strncmp(path, "./", 2), "path '%s' is not relative to the root", path);
	lines = cJSON_GetObjectItemCaseSensitive(loc, "lines");
	cr_assert(cJSON_IsObject(lines), "no location.lines object");
	begin = cJSON_GetObjectItemCaseSensitive(lines, "begin");
	cr_assert(cJSON_IsNumber(begin), "location.lines.begin is not a number");
	cr_expect(begin->valuedouble == floor(begin->valuedouble) && begin->valuedouble >= 1,
		  "location.lines.begin %g is not a line number", begin->valuedouble);
}

Test(codequality, each_finding_is_an_issue_with_the_documented_fields)
{
	cJSON *doc;
	size_t i = 0;
	const cJSON *issue;

	add("free-non-heap", "/proj/src/buf.c", 12, "'buf' is freed \"twice\"");
	add("unchecked-return", "/proj/src/io.c", 17, "return value of 'fgets' is ignored");
	ma_findings_finalize(&rep.findings, rep.run.root);
	doc = render();
	cr_assert_eq(cJSON_GetArraySize(doc), 2);
	cJSON_ArrayForEach(issue, doc)
		check_issue(issue, rep.findings.items[i++]);
	issue = cJSON_GetArrayItem(doc, 0);
	cr_expect_str_eq(string_member(cJSON_GetObjectItemCaseSensitive(issue, "location"), "path"), "src/buf.c");
	cr_expect_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
		     cJSON_GetObjectItemCaseSensitive(issue, "location"), "lines"), "begin")->valueint, 12);
	cJSON_Delete(doc);
}

Test(codequality, severities_map_error_critical_warning_major_note_info)
{
	static const struct { enum ma_severity sev; const char *gitlab; } map[] = {
		{ MA_SEV_ERROR, "critical" }, { MA_SEV_WARNING, "major" }, { MA_SEV_NOTE, "info" },
	};
	cJSON *doc;

	for (size_t i = 0; i < 3; i++)
		add("unchecked-return", "/proj/a.c", (unsigned)(10 + i), "m")->severity = map[i].sev;
	ma_findings_finalize(&rep.findings, rep.run.root);
	doc = render();
	for (size_t i = 0; i < 3; i++) {
		const cJSON *issue = cJSON_GetArrayItem(doc, (int)i);
		cr_expect_str_eq(string_member(issue, "severity"), map[i].gitlab, "%s", ma_severity_name(map[i].sev));
	}
	cJSON_Delete(doc);
}

/* GitLab needs a line: an unknown one (0) is the file's first. */
Test(codequality, unknown_line_is_line_one)
{
	cJSON *doc;

	add("free-non-heap", "/proj/a.c", 0, "somewhere in a.c");
	ma_findings_finalize(&rep.findings, rep.run.root);
	doc = render();
	check_issue(cJSON_GetArrayItem(doc, 0), rep.findings.items[0]);
	cr_expect_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
		     cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(doc, 0), "location"), "lines"), "begin")->valueint, 1);
	cJSON_Delete(doc);
}

/* Fingerprints tell apart two findings of one rule on the same line text
 * (GitLab shows one issue per fingerprint). */
Test(codequality, fingerprints_are_unique)
{
	cJSON *doc;

	add("free-non-heap", "/proj/a.c", 3, "same");
	add("free-non-heap", "/proj/a.c", 9, "same");
	ma_findings_finalize(&rep.findings, rep.run.root);
	doc = render();
	cr_assert_eq(cJSON_GetArraySize(doc), 2);
	cr_expect_str_neq(string_member(cJSON_GetArrayItem(doc, 0), "fingerprint"),
			  string_member(cJSON_GetArrayItem(doc, 1), "fingerprint"));
	cJSON_Delete(doc);
}

Test(codequality, no_finding_is_an_empty_array)
{
	cJSON *doc = render();

	cr_expect_eq(cJSON_GetArraySize(doc), 0);
	cJSON_Delete(doc);
}

/* The format cannot say an issue is suppressed: a suppressed finding is left out. */
Test(codequality, suppressed_finding_is_left_out)
{
	cJSON *doc;

	add("free-non-heap", "/proj/a.c", 3, "kept");
	add("free-non-heap", "/proj/a.c", 9, "suppressed");
	ma_findings_finalize(&rep.findings, rep.run.root);
	for (size_t i = 0; i < rep.findings.nr; i++)
		if (rep.findings.items[i]->loc.line == 9)
			rep.findings.items[i]->suppression.kind = MA_SUPPRESSION_INLINE;
	doc = render();
	cr_assert_eq(cJSON_GetArraySize(doc), 1);
	cr_expect_str_eq(string_member(cJSON_GetArrayItem(doc, 0), "description"), "kept");
	cJSON_Delete(doc);
}

/* The format has no issue without a file: such a finding is left out, the others kept. */
Test(codequality, finding_without_a_file_is_left_out)
{
	cJSON *doc;

	add("free-non-heap", "/proj/a.c", 3, "in a file");
	add("free-non-heap", NULL, 0, "nowhere");
	ma_findings_finalize(&rep.findings, rep.run.root);
	doc = render();
	cr_assert_eq(cJSON_GetArraySize(doc), 1);
	cr_expect_str_eq(string_member(cJSON_GetArrayItem(doc, 0), "description"), "in a file");
	cJSON_Delete(doc);
}

Test(codequality, is_a_format_written_only_on_request)
{
	const struct ma_format *f = ma_format_find("codequality");

	cr_assert_not_null(f);
	cr_expect_str_eq(f->file_name, "gl-code-quality-report.json");
	cr_expect(f->on_request, "codequality must not be a default format");
	cr_expect_not(ma_format_find("json")->on_request);
}
