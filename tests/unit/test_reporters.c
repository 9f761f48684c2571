/*
 * Tests for reporters/: a report built in memory (two findings in /proj,
 * one with an event path) rendered as text, JSON and SARIF (suites
 * text_report, json_report, sarif_report).  The JSON and SARIF outputs are
 * parsed back with cJSON and checked field by field against
 * docs/formats.md.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

#include "../../core/alloc.h"
#include "../../core/fs.h"
#include "../../core/finding.h"
#include "../../core/report.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"
#include "../../reporters/reporter.h"

#define NASTY "say \"hi\"\n\tthen \\ back\x01\x1f end \xc3\xa9"

static struct ma_report rep;

/* Add a finding of rule at file:line:col, in function "fn"; the set owns it. */
static struct ma_finding *add(const char *rule, const char *file, unsigned line, unsigned col,
			      const char *msg)
{
	const struct ma_rule *r = ma_rule_find(rule);
	struct ma_location loc;
	struct ma_finding *f;

	cr_assert_not_null(r, "no rule '%s' in the catalogue", rule);
	ma_location_set(&loc, file, line, col, "fn");
	f = ma_finding_new(r, msg, &loc, "static");
	f->line_hash = ma_line_hash(msg, strlen(msg));
	ma_findings_add(&rep.findings, f);
	ma_location_release(&loc);
	return f;
}

static void add_event(struct ma_finding *f, unsigned line, const char *msg)
{
	struct ma_location loc;

	ma_location_set(&loc, f->loc.file, line, 3, "fn");
	ma_finding_add_event(f, &loc, msg);
	ma_location_release(&loc);
}

static void setup(void)
{
	struct ma_finding *f;

	ma_report_init(&rep);
	rep.run.root = ma_strdup("/proj");
	rep.run.compile_db = ma_strdup("/proj/build/compile_commands.json");
	rep.run.started = 1700000000;
	rep.run.jobs = 2;
	rep.run.tus_total = rep.run.tus_analysed = 3;
	strvec_pushl(&rep.run.command, "memaudit", "audit", "-p", "build", NULL);
	strvec_push(&rep.run.passes, "static");
	f = add("free-non-heap", "/proj/src/buf.c", 12, 5, "'buf' is freed but was not allocated on the heap");
	add_event(f, 8, "'buf' declared here");
	add("unchecked-return", "/proj/src/io.c", 17, 2, "return value of 'fgets' is ignored");
}

static void teardown(void)
{
	ma_report_release(&rep);
}

TestSuite(text_report, .init = setup, .fini = teardown);
TestSuite(json_report, .init = setup, .fini = teardown);
TestSuite(sarif_report, .init = setup, .fini = teardown);

static void finalize(void)
{
	ma_findings_finalize(&rep.findings, rep.run.root);
}

static void render(ma_render_fn fn, int color, struct strbuf *out)
{
	struct ma_render_opts o = { .color = color };

	finalize();
	fn(&rep, &o, out);
}

/*
 * SARIF goes to tests/out/reporters/<test>.sarif as well (or under
 * $MEMAUDIT_TEST_OUT), for tests/sarif/validate.sh to check against the
 * SARIF validator: the odd cases built here (failures, strange paths and
 * strings) are then validated too.
 */
static void keep_sarif(const struct strbuf *out)
{
	const char *base = getenv("MEMAUDIT_TEST_OUT");
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&dir, "%s/reporters", base && *base ? base : "tests/out");
	strbuf_addf(&path, "%s/%s-%s.sarif", dir.buf, criterion_current_test->category,
		    criterion_current_test->name);
	cr_assert_eq(ma_mkdir_p(dir.buf, &err), 0, "%s", err.buf);
	cr_assert_eq(ma_write_file_atomic(path.buf, out->buf, out->len, &err), 0, "%s", err.buf);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&err);
}

static cJSON *render_parsed(ma_render_fn fn)
{
	struct strbuf out = STRBUF_INIT;
	cJSON *j;

	render(fn, 0, &out);
	if (fn == ma_render_sarif)
		keep_sarif(&out);
	j = cJSON_Parse(out.buf);
	cr_assert_not_null(j, "the output does not parse:\n%s", out.buf);
	strbuf_release(&out);
	return j;
}

/* The value at a dotted path ("runs.0.tool.driver"); digits index arrays. */
static cJSON *jget(cJSON *j, const char *path)
{
	char *copy = strdup(path), *save = NULL;

	for (char *k = strtok_r(copy, ".", &save); k && j; k = strtok_r(NULL, ".", &save)) {
		if (cJSON_IsArray(j))
			j = cJSON_GetArrayItem(j, atoi(k));
		else
			j = cJSON_GetObjectItemCaseSensitive(j, k);
	}
	cr_assert_not_null(j, "no '%s'", path);
	free(copy);
	return j;
}

static const char *jstr(cJSON *j, const char *path)
{
	cJSON *v = jget(j, path);

	cr_assert(cJSON_IsString(v), "'%s' is not a string", path);
	return v->valuestring;
}

static double jnum(cJSON *j, const char *path)
{
	cJSON *v = jget(j, path);

	cr_assert(cJSON_IsNumber(v), "'%s' is not a number", path);
	return v->valuedouble;
}

static int jhas(cJSON *j, const char *key)
{
	return cJSON_HasObjectItem(j, key);
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

Test(text_report, finding_lines_and_events)
{
	struct strbuf out = STRBUF_INIT;

	render(ma_render_text, 0, &out);
	cr_expect_str_eq(out.buf,
		"src/buf.c:12:5: error: 'buf' is freed but was not allocated on the heap [free-non-heap]\n"
		"    src/buf.c:8:3: 'buf' declared here\n"
		"src/io.c:17:2: warning: return value of 'fgets' is ignored [unchecked-return]\n"
		"memaudit: 2 findings (1 error, 1 warning) in 3 translation units\n");
	strbuf_release(&out);
}

Test(text_report, no_ansi_codes_unless_color)
{
	struct strbuf plain = STRBUF_INIT, color = STRBUF_INIT;

	render(ma_render_text, 0, &plain);
	ma_render_text(&rep, &(struct ma_render_opts){ .color = 1 }, &color);
	cr_expect_null(strchr(plain.buf, '\033'));
	cr_expect(strstr(color.buf, "\033[1;31merror:\033[0m"), "%s", color.buf);
	cr_expect(strstr(color.buf, "\033[1;35mwarning:\033[0m"), "%s", color.buf);
	strbuf_release(&plain);
	strbuf_release(&color);
}

Test(text_report, summary_without_findings)
{
	struct strbuf out = STRBUF_INIT;

	ma_findings_release(&rep.findings);
	rep.run.tus_analysed = 1;
	render(ma_render_text, 0, &out);
	cr_expect_str_eq(out.buf, "memaudit: 0 findings in 1 translation unit\n");
	strbuf_release(&out);
}

Test(text_report, summary_counts_each_severity)
{
	struct strbuf out = STRBUF_INIT;

	add("sizeof-pointer", "/proj/src/a.c", 1, 1, "sizeof of a pointer");
	add("dangerous-function", "/proj/src/a.c", 2, 1, "gets");
	render(ma_render_text, 0, &out);
	cr_expect(ends_with(out.buf, "memaudit: 4 findings (2 errors, 2 warnings) in 3 translation units\n"),
		  "%s", out.buf);
	strbuf_release(&out);
}

Test(text_report, merged_duplicates_show_their_count)
{
	struct strbuf out = STRBUF_INIT;

	add("unchecked-return", "/proj/src/io.c", 17, 2, "return value of 'fgets' is ignored");
	render(ma_render_text, 0, &out);
	cr_expect(strstr(out.buf, "[unchecked-return] (x2)\n"), "%s", out.buf);
	strbuf_release(&out);
}

Test(text_report, partial_run_lists_failures_and_notes)
{
	struct strbuf out = STRBUF_INIT;

	rep.run.tus_analysed = 2;
	rep.run.tus_failed = 1;
	ma_report_add_failure(&rep, "/proj/src/bad.c", 3, 10, "expected ';' after return statement");
	strvec_push(&rep.run.notes, "dropped compiler options clang does not know: -fno-tree-pre");
	render(ma_render_text, 0, &out);
	cr_expect(strstr(out.buf, "memaudit: not analysed: src/bad.c:3:10: expected ';' after return statement\n"),
		  "%s", out.buf);
	cr_expect(strstr(out.buf, "memaudit: note: dropped compiler options"), "%s", out.buf);
	cr_expect(ends_with(out.buf, "in 2 translation units; 1 failed to parse (partial: the audit is incomplete)\n"),
		  "%s", out.buf);
	strbuf_release(&out);
}

Test(text_report, file_outside_root_stays_absolute)
{
	struct strbuf out = STRBUF_INIT;

	add("sizeof-pointer", "/usr/include/x.h", 4, 1, "sizeof of a pointer");
	render(ma_render_text, 0, &out);
	cr_expect(strstr(out.buf, "\n/usr/include/x.h:4:1: warning: "), "%s", out.buf);
	strbuf_release(&out);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

Test(json_report, top_level)
{
	cJSON *j = render_parsed(ma_render_json);

	cr_expect_str_eq(jstr(j, "format"), "memaudit-report");
	cr_expect_eq(jnum(j, "version"), 1);
	cr_expect_str_eq(jstr(j, "tool.name"), "memaudit");
	cr_expect_str_eq(jstr(j, "tool.version"), rep.run.tool_version);
	cr_expect(cJSON_IsObject(jget(j, "run")));
	cr_expect(cJSON_IsObject(jget(j, "summary")));
	cr_expect_eq(cJSON_GetArraySize(jget(j, "findings")), 2);
	cJSON_Delete(j);
}

Test(json_report, run)
{
	cJSON *j = render_parsed(ma_render_json);

	cr_expect_eq(cJSON_GetArraySize(jget(j, "run.command")), 4);
	cr_expect_str_eq(jstr(j, "run.command.2"), "-p");
	cr_expect_str_eq(jstr(j, "run.root"), "/proj");
	cr_expect_str_eq(jstr(j, "run.compile_db"), "/proj/build/compile_commands.json");
	cr_expect_str_eq(jstr(j, "run.started"), "2023-11-14T22:13:20Z");
	cr_expect_str_eq(jstr(j, "run.passes.0"), "static");
	cr_expect_eq(jnum(j, "run.jobs"), 2);
	cr_expect_eq(jnum(j, "run.units.total"), 3);
	cr_expect_eq(jnum(j, "run.units.analysed"), 3);
	cr_expect_eq(jnum(j, "run.units.failed"), 0);
	cr_expect_eq(jnum(j, "run.units.skipped_other_language"), 0);
	cr_expect_eq(jnum(j, "run.units.excluded"), 0);
	cr_expect(cJSON_IsFalse(jget(j, "run.partial")));
	cr_expect_eq(cJSON_GetArraySize(jget(j, "run.failures")), 0);
	cr_expect(cJSON_IsArray(jget(j, "run.notes")));
	cr_expect(cJSON_IsNumber(jget(j, "run.timings.wall_seconds")));
	cr_expect(cJSON_IsNumber(jget(j, "run.timings.cpu_seconds")));
	cr_expect(cJSON_IsNumber(jget(j, "run.timings.parse_cpu_seconds")));
	cr_expect(cJSON_IsNumber(jget(j, "run.timings.check_cpu_seconds")));
	cJSON_Delete(j);
}

Test(json_report, captured_database_is_null)
{
	cJSON *j;

	free(rep.run.compile_db);
	rep.run.compile_db = NULL;
	j = render_parsed(ma_render_json);
	cr_expect(cJSON_IsNull(jget(j, "run.compile_db")));
	cJSON_Delete(j);
}

Test(json_report, partial_run_and_failures)
{
	cJSON *j;

	ma_report_add_failure(&rep, "/proj/src/bad.c", 3, 10, "expected ';'");
	ma_report_add_failure(&rep, NULL, 0, 0, "the build command exited with 2");
	j = render_parsed(ma_render_json);
	cr_expect(cJSON_IsTrue(jget(j, "run.partial")));
	cr_expect_eq(cJSON_GetArraySize(jget(j, "run.failures")), 2);
	cr_expect_str_eq(jstr(j, "run.failures.0.file"), "src/bad.c");
	cr_expect_eq(jnum(j, "run.failures.0.line"), 3);
	cr_expect_eq(jnum(j, "run.failures.0.column"), 10);
	cr_expect_str_eq(jstr(j, "run.failures.0.message"), "expected ';'");
	cr_expect(cJSON_IsNull(jget(j, "run.failures.1.file")), "a run-wide failure has no file");
	cJSON_Delete(j);
}

Test(json_report, summary)
{
	cJSON *j;

	add("unchecked-return", "/proj/src/io.c", 30, 2, "return value of 'fread' is ignored");
	j = render_parsed(ma_render_json);
	cr_expect_eq(jnum(j, "summary.findings"), 3);
	cr_expect_eq(jnum(j, "summary.by_severity.error"), 1);
	cr_expect_eq(jnum(j, "summary.by_severity.warning"), 2);
	cr_expect_eq(jnum(j, "summary.by_severity.note"), 0);
	cr_expect_eq(jnum(j, "summary.by_rule.unchecked-return"), 2);
	cr_expect_eq(jnum(j, "summary.by_rule.free-non-heap"), 1);
	cr_expect_eq(cJSON_GetArraySize(jget(j, "summary.by_rule")), 2);
	cJSON_Delete(j);
}

Test(json_report, finding_fields)
{
	cJSON *j = render_parsed(ma_render_json), *f = jget(j, "findings.0");

	cr_expect_str_eq(jstr(f, "rule"), "free-non-heap");
	cr_expect_str_eq(jstr(f, "title"), ma_rule_find("free-non-heap")->title);
	cr_expect_str_eq(jstr(f, "severity"), "error");
	cr_expect_eq(jnum(f, "cwe"), 590);
	cr_expect_str_eq(jstr(f, "message"), "'buf' is freed but was not allocated on the heap");
	cr_expect_str_eq(jstr(f, "location.file"), "src/buf.c");
	cr_expect_eq(jnum(f, "location.line"), 12);
	cr_expect_eq(jnum(f, "location.column"), 5);
	cr_expect_str_eq(jstr(f, "location.function"), "fn");
	cr_expect_eq(cJSON_GetArraySize(jget(f, "events")), 1);
	cr_expect_str_eq(jstr(f, "events.0.file"), "src/buf.c");
	cr_expect_eq(jnum(f, "events.0.line"), 8);
	cr_expect_str_eq(jstr(f, "events.0.message"), "'buf' declared here");
	cr_expect_str_eq(jstr(f, "pass"), "static");
	cr_expect_eq(strlen(jstr(f, "fingerprint")), 16);
	cr_expect_str_eq(jstr(f, "fingerprint"), rep.findings.items[0]->fingerprint);
	cr_expect_eq(jnum(f, "occurrence"), 1);
	cr_expect_eq(jnum(f, "count"), 1);
	cr_expect_eq(cJSON_GetArraySize(jget(j, "findings.1.events")), 0);
	cJSON_Delete(j);
}

Test(json_report, paths_relative_to_root_only_below_it)
{
	cJSON *j;

	add("sizeof-pointer", "/usr/include/x.h", 4, 1, "sizeof of a pointer");
	add("sizeof-pointer", "/projection/y.c", 4, 1, "sizeof of a pointer");
	j = render_parsed(ma_render_json);
	cr_expect_str_eq(jstr(j, "findings.1.location.file"), "src/io.c");
	cr_expect_str_eq(jstr(j, "findings.2.location.file"), "/projection/y.c", "a sibling is not below");
	cr_expect_str_eq(jstr(j, "findings.3.location.file"), "/usr/include/x.h");
	cJSON_Delete(j);
}

Test(json_report, strings_survive_the_round_trip)
{
	cJSON *j;

	add("unchecked-return", "/proj/src/zz \"odd\"\nname.c", 1, 1, NASTY);
	strvec_push(&rep.run.command, NASTY);
	strvec_push(&rep.run.notes, NASTY);
	j = render_parsed(ma_render_json);
	cr_expect_str_eq(jstr(j, "findings.2.message"), NASTY);
	cr_expect_str_eq(jstr(j, "findings.2.location.file"), "src/zz \"odd\"\nname.c");
	cr_expect_str_eq(jstr(j, "run.command.4"), NASTY);
	cr_expect_str_eq(jstr(j, "run.notes.0"), NASTY);
	cJSON_Delete(j);
}

Test(json_report, no_findings)
{
	cJSON *j;

	ma_findings_release(&rep.findings);
	j = render_parsed(ma_render_json);
	cr_expect_eq(cJSON_GetArraySize(jget(j, "findings")), 0);
	cr_expect_eq(jnum(j, "summary.findings"), 0);
	cr_expect(cJSON_IsObject(jget(j, "summary.by_rule")));
	cJSON_Delete(j);
}

/* Not well-formed UTF-8: a stray continuation byte, a lead byte without
 * its continuation, an overlong '/', a surrogate, a byte never used. */
#define BAD_UTF8 "a\x80" "b\xc3(c\xc0\xaf" "d\xed\xa0\x80" "e\xff\xe2\x82"

/* The findings are written without a cJSON tree: their bytes must be those
 * cJSON would print (its indentation and escapes, then ma_add_utf8's
 * replacements), so cJSON's printing of the parsed report gives them back. */
static void expect_printed_as_cjson_prints_it(void)
{
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;
	cJSON *j;
	char *text;

	render(ma_render_json, 0, &out);
	j = cJSON_Parse(out.buf);
	cr_assert_not_null(j, "the output does not parse:\n%s", out.buf);
	text = cJSON_Print(j);
	ma_add_utf8(&again, text);
	strbuf_addch(&again, '\n');
	cr_expect_str_eq(out.buf, again.buf);
	free(text);
	cJSON_Delete(j);
	strbuf_release(&out);
	strbuf_release(&again);
}

Test(json_report, findings_are_printed_as_cjson_prints_them)
{
	struct ma_finding *f = add("use-after-free", "/proj/src/\xe9t\xe9.c", 3, 0, NASTY BAD_UTF8);
	struct ma_location none = { 0 };

	add_event(f, 1, BAD_UTF8);
	add_event(f, 2, "\x7f\x1b[0m \xf0\x9f\x98\x80 \xe2\x82\xac \xc3\xa9");
	ma_finding_add_event(f, &none, "nowhere");
	f->confirmed_by = ma_strdup("memcheck");
	f->also_by = ma_strdup("drd,\"x\"");
	free(f->loc.function);
	f->loc.function = NULL;
	expect_printed_as_cjson_prints_it();
}

Test(json_report, no_findings_are_printed_as_cjson_prints_them)
{
	ma_findings_release(&rep.findings);
	expect_printed_as_cjson_prints_it();
}

Test(json_report, strings_escaped_and_made_utf8)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "", "\"\"" },
		{ "plain / text", "\"plain / text\"" },
		{ "q\"b\\", "\"q\\\"b\\\\\"" },
		{ "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"" },
		{ "\xc3\xa9\xe2\x82\xac", "\"\xc3\xa9\xe2\x82\xac\"" },
		{ "\xc3\"", "\"\xef\xbf\xbd\\\"\"" },
		{ "\xff\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf out = STRBUF_INIT;
		ma_add_json_string(&out, cases[i].in);
		cr_expect_str_eq(out.buf, cases[i].out, "case %zu", i);
		strbuf_release(&out);
	}
}

/* ------------------------------------------------------------------ */
/* SARIF                                                               */

static cJSON *sarif_run(cJSON *log)
{
	return jget(log, "runs.0");
}

static int has_string(cJSON *array, const char *s)
{
	cJSON *e;

	cJSON_ArrayForEach(e, array)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return 1;
	return 0;
}

Test(sarif_report, version_and_schema)
{
	cJSON *j = render_parsed(ma_render_sarif);

	cr_expect_str_eq(jstr(j, "version"), "2.1.0");
	cr_expect(strstr(jstr(j, "$schema"), "sarif-2.1.0"));
	cr_expect_eq(cJSON_GetArraySize(jget(j, "runs")), 1);
	cr_expect_str_eq(jstr(j, "runs.0.tool.driver.name"), "memaudit");
	cr_expect_str_eq(jstr(j, "runs.0.tool.driver.version"), rep.run.tool_version);
	cJSON_Delete(j);
}

static void expect_rule(cJSON *jr, const struct ma_rule *r)
{
	char tag[40];
	cJSON *sev = jget(jr, "properties.security-severity");
	double score;

	cr_expect_str_eq(jstr(jr, "id"), r->id);
	cr_expect(starts_with(jstr(jr, "helpUri"), MA_DOCS_BASE_URL), "%s", jstr(jr, "helpUri"));
	cr_expect(ends_with(jstr(jr, "helpUri"), ".md"));
	cr_expect(strstr(jstr(jr, "help.text"), r->fix), "help.text holds the fix");
	cr_expect(strlen(jstr(jr, "help.markdown")) > 0);
	cr_expect_str_eq(jstr(jr, "shortDescription.text"), r->title);
	cr_expect_str_eq(jstr(jr, "properties.precision"), r->precision);
	cr_assert(cJSON_IsString(sev), "%s: security-severity must be a string", r->id);
	score = strtod(sev->valuestring, NULL);
	cr_expect(score > 0.0 && score <= 10.0, "%s: security-severity '%s'", r->id, sev->valuestring);
	snprintf(tag, sizeof(tag), "external/cwe/cwe-%d", r->cwe);
	if (r->cwe)
		cr_expect(has_string(jget(jr, "properties.tags"), tag), "%s lacks tag %s", r->id, tag);
}

Test(sarif_report, every_catalogue_rule_in_driver)
{
	cJSON *j = render_parsed(ma_render_sarif), *rules = jget(sarif_run(j), "tool.driver.rules");

	cr_assert_gt(ma_nr_rules, 0);
	cr_assert_eq((size_t)cJSON_GetArraySize(rules), ma_nr_rules);
	for (size_t i = 0; i < ma_nr_rules; i++)
		expect_rule(cJSON_GetArrayItem(rules, (int)i), &ma_rules[i]);
	cJSON_Delete(j);
}

Test(sarif_report, results_point_at_their_rule)
{
	cJSON *j = render_parsed(ma_render_sarif), *run = sarif_run(j), *res;
	cJSON *rules = jget(run, "tool.driver.rules");
	int n = 0;

	cJSON_ArrayForEach(res, jget(run, "results")) {
		const char *id = jstr(res, "ruleId");
		int idx = (int)jnum(res, "ruleIndex");
		cr_expect_eq((size_t)idx, ma_rule_index(ma_rule_find(id)));
		cr_expect_str_eq(jstr(cJSON_GetArrayItem(rules, idx), "id"), id);
		n++;
	}
	cr_expect_eq(n, 2);
	cr_expect_str_eq(jstr(run, "results.0.level"), "error");
	cr_expect_str_eq(jstr(run, "results.1.level"), "warning");
	cr_expect_str_eq(jstr(run, "results.0.message.text"), "'buf' is freed but was not allocated on the heap");
	cJSON_Delete(j);
}

Test(sarif_report, locations_relative_to_srcroot)
{
	cJSON *j = render_parsed(ma_render_sarif), *run = sarif_run(j);
	cJSON *al = jget(run, "results.0.locations.0.physicalLocation.artifactLocation");
	int idx = (int)jnum(al, "index");

	cr_expect_str_eq(jstr(al, "uri"), "src/buf.c");
	cr_expect_str_eq(jstr(al, "uriBaseId"), "%SRCROOT%");
	cr_expect_str_eq(jstr(cJSON_GetArrayItem(jget(run, "artifacts"), idx), "location.uri"), "src/buf.c");
	cr_expect_eq(jnum(run, "results.0.locations.0.physicalLocation.region.startLine"), 12);
	cr_expect_eq(jnum(run, "results.0.locations.0.physicalLocation.region.startColumn"), 5);
	cr_expect_str_eq(jstr(run, "results.0.locations.0.logicalLocations.0.name"), "fn");
	cr_expect_str_eq(jstr(run, "originalUriBaseIds.%SRCROOT%.uri"), "file:///proj/");
	cJSON_Delete(j);
}

Test(sarif_report, fingerprints)
{
	cJSON *j = render_parsed(ma_render_sarif), *res;

	cJSON_ArrayForEach(res, jget(sarif_run(j), "results")) {
		const char *h = jstr(res, "partialFingerprints.primaryLocationLineHash");
		cr_expect_eq(strspn(h, "0123456789abcdef"), 16, "%s", h);
		cr_expect_str_eq(h + 16, ":1", "%s", h);
		cr_expect_eq(strlen(jstr(res, "partialFingerprints.memaudit/v1")), 16);
	}
	cJSON_Delete(j);
}

Test(sarif_report, code_flows_only_with_events)
{
	cJSON *j = render_parsed(ma_render_sarif), *run = sarif_run(j);
	cJSON *tfl = jget(run, "results.0.codeFlows.0.threadFlows.0.locations");

	cr_expect_eq(cJSON_GetArraySize(tfl), 1);
	cr_expect_str_eq(jstr(tfl, "0.location.message.text"), "'buf' declared here");
	cr_expect_eq(jnum(tfl, "0.location.physicalLocation.region.startLine"), 8);
	cr_expect_eq(jnum(tfl, "0.executionOrder"), 1);
	cr_expect_not(jhas(jget(run, "results.1"), "codeFlows"));
	cJSON_Delete(j);
}

Test(sarif_report, complete_run_is_successful)
{
	cJSON *j = render_parsed(ma_render_sarif), *inv = jget(sarif_run(j), "invocations.0");

	cr_expect(cJSON_IsTrue(jget(inv, "executionSuccessful")));
	cr_expect_eq(cJSON_GetArraySize(jget(inv, "toolExecutionNotifications")), 0);
	cr_expect_str_eq(jstr(inv, "arguments.1"), "audit");
	cJSON_Delete(j);
}

Test(sarif_report, partial_run_has_one_notification_per_failure)
{
	cJSON *j, *inv;

	ma_report_add_failure(&rep, "/proj/src/bad.c", 3, 10, "expected ';' after return statement");
	ma_report_add_failure(&rep, "/proj/src/worse.c", 1, 1, "unknown type name 'foo'");
	j = render_parsed(ma_render_sarif);
	inv = jget(sarif_run(j), "invocations.0");
	cr_expect(cJSON_IsFalse(jget(inv, "executionSuccessful")));
	cr_assert_eq(cJSON_GetArraySize(jget(inv, "toolExecutionNotifications")), 2);
	cr_expect_str_eq(jstr(inv, "toolExecutionNotifications.0.level"), "error");
	cr_expect_str_eq(jstr(inv, "toolExecutionNotifications.0.message.text"),
			 "expected ';' after return statement");
	cr_expect_str_eq(jstr(inv, "toolExecutionNotifications.1.locations.0.physicalLocation.artifactLocation.uri"),
			 "src/worse.c");
	cr_expect_eq(jnum(inv, "toolExecutionNotifications.0.locations.0.physicalLocation.region.startLine"), 3);
	cJSON_Delete(j);
}

Test(sarif_report, uris_are_percent_encoded)
{
	cJSON *j, *run;

	ma_findings_release(&rep.findings);
	add("sizeof-pointer", "/proj/a b#c.c", 1, 1, "sizeof of a pointer");
	add("sizeof-pointer", "/elsewhere/100%/x\xc3\xa9.c", 1, 1, "sizeof of a pointer");
	j = render_parsed(ma_render_sarif);
	run = sarif_run(j);
	/* sorted by path: /elsewhere before /proj */
	cr_expect_str_eq(jstr(run, "results.1.locations.0.physicalLocation.artifactLocation.uri"),
			 "a%20b%23c.c");
	cr_expect_str_eq(jstr(run, "results.0.locations.0.physicalLocation.artifactLocation.uri"),
			 "file:///elsewhere/100%25/x%C3%A9.c");
	cr_expect_not(jhas(jget(run, "results.0.locations.0.physicalLocation.artifactLocation"), "uriBaseId"),
		      "a file outside the root has an absolute uri");
	cJSON_Delete(j);
}

Test(sarif_report, strings_survive_the_round_trip)
{
	cJSON *j, *run;

	ma_findings_release(&rep.findings);
	add("unchecked-return", "/proj/x.c", 1, 1, NASTY);
	ma_report_add_failure(&rep, NULL, 0, 0, NASTY);
	j = render_parsed(ma_render_sarif);
	run = sarif_run(j);
	cr_expect_str_eq(jstr(run, "results.0.message.text"), NASTY);
	cr_expect_str_eq(jstr(run, "invocations.0.toolExecutionNotifications.0.message.text"), NASTY);
	cr_expect_not(jhas(jget(run, "invocations.0.toolExecutionNotifications.0"), "locations"));
	cJSON_Delete(j);
}

/* ------------------------------------------------------------------ */
/* All formats                                                         */

static int is_utf8_clean(const char *s)
{
	/* U+FFFD is there, no stray 0xff or 0xc3 left alone */
	return strstr(s, "\xef\xbf\xbd") && !strchr(s, '\xff') && !strstr(s, "\xc3(");
}

Test(sarif_report, invalid_utf8_is_replaced)
{
	struct strbuf out = STRBUF_INIT;
	cJSON *j;

	add("sizeof-pointer", "/proj/latin1-\xff.c", 1, 1, "bad \xc3( byte");
	render(ma_render_json, 0, &out);
	cr_expect(is_utf8_clean(out.buf), "%s", out.buf);
	strbuf_reset(&out);
	ma_render_sarif(&rep, &(struct ma_render_opts){ 0 }, &out);
	cr_expect(is_utf8_clean(out.buf));
	cr_expect(strstr(out.buf, "latin1-%FF.c"), "the uri keeps the byte, percent-encoded");
	keep_sarif(&out);
	j = cJSON_Parse(out.buf);
	cr_expect_not_null(j);
	cJSON_Delete(j);
	strbuf_release(&out);
}

Test(sarif_report, finding_without_a_file)
{
	struct ma_location loc = { .line = 0 };
	struct strbuf text = STRBUF_INIT;
	cJSON *j;

	ma_findings_add(&rep.findings, ma_finding_new(ma_rule_find("unchecked-return"), "whole program",
						      &loc, "static"));
	j = render_parsed(ma_render_sarif);
	cr_expect_str_eq(jstr(j, "runs.0.results.0.message.text"), "whole program");
	cr_expect_not(jhas(jget(j, "runs.0.results.0.locations.0"), "physicalLocation"));
	cJSON_Delete(j);
	j = render_parsed(ma_render_json);
	cr_expect(cJSON_IsNull(jget(j, "findings.0.location.file")));
	cJSON_Delete(j);
	ma_render_text(&rep, &(struct ma_render_opts){ 0 }, &text);
	cr_expect(starts_with(text.buf, "<unknown>: warning: whole program [unchecked-return]\n"), "%s", text.buf);
	strbuf_release(&text);
}
