/*
 * Inline suppressions through the built binary ($MEMAUDIT, else
 * build/memaudit):
 *
 *  - every fixture in fixtures/suppressions/ is audited with
 *    --report-unused-suppressions, and the findings of its JSON report
 *    ("FILE:LINE: RULE", plus " suppressed: REASON" for a suppressed one)
 *    must be exactly the lines of its check-output block; its SARIF log
 *    must carry the same suppressions (kind inSource, the reason as the
 *    justification, the comment's line as the location);
 *  - a project whose only findings are suppressed exits 0, and its text
 *    report counts them without listing them; an invalid suppression
 *    makes it exit 1;
 *  - `memaudit report` writes a report with suppressions back unchanged.
 *
 * Reports go to tests/out/cli_suppress/<test>/ (under $MEMAUDIT_TEST_OUT
 * when set), where tests/sarif/validate.sh validates their SARIF.
 * Run from the top of the tree (the fixtures are found from there).
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <glob.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_block.h"
#include "cli_run.h"
#include "../../core/fs.h"
#include "../../core/path.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

static struct strbuf proj = STRBUF_INIT;    /* the test's project (temporary) */
static struct strbuf reports = STRBUF_INIT; /* tests/out/cli_suppress/<test>/ */
static struct strbuf bin = STRBUF_INIT;     /* absolute path of memaudit */
static struct strbuf top = STRBUF_INIT;     /* the source tree */

static void setup(void)
{
	const char *m = getenv("MEMAUDIT"), *o = getenv("MEMAUDIT_TEST_OUT");
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_getcwd(&top, &err), 0, "%s", err.buf);
	ma_path_absolute(&bin, top.buf, m && *m ? m : "build/memaudit");
	cr_assert(access(bin.buf, X_OK) == 0, "no memaudit binary at '%s' (set MEMAUDIT)", bin.buf);
	ma_path_absolute(&reports, top.buf, o && *o ? o : "tests/out");
	strbuf_addf(&reports, "/cli_suppress/%s", criterion_current_test->name);
	ma_remove_tree(reports.buf);
	cr_assert_eq(ma_mkdtemp(&proj, "memaudit-cli-suppress", &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	ma_remove_tree(proj.buf);
	strbuf_release(&proj);
	strbuf_release(&reports);
	strbuf_release(&bin);
	strbuf_release(&top);
}

TestSuite(cli_suppress, .init = setup, .fini = teardown, .timeout = 180);

static void write_file(const char *name, const char *text)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", proj.buf, name);
	cr_assert_eq(ma_write_file_atomic(path.buf, text, strlen(text), &err), 0, "%s", err.buf);
	strbuf_release(&path);
	strbuf_release(&err);
}

/* compile_commands.json with one entry: `file` compiled in `dir`. */
static void write_compdb(const char *dir, const char *file)
{
	cJSON *db = cJSON_CreateArray(), *e = cJSON_CreateObject(), *args = cJSON_CreateArray();
	char *text;

	cJSON_AddStringToObject(e, "directory", dir);
	cJSON_AddStringToObject(e, "file", file);
	cJSON_AddItemToArray(args, cJSON_CreateString("cc"));
	cJSON_AddItemToArray(args, cJSON_CreateString("-c"));
	cJSON_AddItemToArray(args, cJSON_CreateString(file));
	cJSON_AddItemToObject(e, "arguments", args);
	cJSON_AddItemToArray(db, e);
	text = cJSON_Print(db);
	write_file("compile_commands.json", text);
	free(text);
	cJSON_Delete(db);
}

/* Run memaudit in the project with the given arguments (NULL-terminated). */
static void run(struct cli_result *r, const char *arg, ...)
{
	struct strvec argv = STRVEC_INIT;
	va_list ap;

	strvec_push(&argv, bin.buf);
	va_start(ap, arg);
	for (; arg; arg = va_arg(ap, const char *))
		strvec_push(&argv, arg);
	va_end(ap);
	cli_run(r, argv.v, proj.buf, proj.buf, 100000);
	strvec_clear(&argv);
}

static cJSON *read_json(const char *dir, const char *name)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	cJSON *j;

	strbuf_addf(&p, "%s/%s", dir, name);
	cli_slurp(p.buf, &text);
	j = cJSON_Parse(text.buf);
	cr_assert_not_null(j, "%s does not parse", p.buf);
	strbuf_release(&p);
	strbuf_release(&text);
	return j;
}

static const cJSON *member(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	cr_assert_not_null(v, "no member '%s'", key);
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort(struct strvec *sv)
{
	if (sv->nr)
		qsort(sv->v, sv->nr, sizeof(*sv->v), cmp_str);
}

/* "FILE:LINE: RULE[ suppressed: REASON]" for each finding of a JSON report. */
static void json_findings(const cJSON *j, struct strvec *out)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, member(j, "findings")) {
		const cJSON *loc = member(f, "location"), *s = cJSON_GetObjectItemCaseSensitive(f, "suppressed");
		struct strbuf line = STRBUF_INIT;
		strbuf_addf(&line, "%s:%d: %s", member(loc, "file")->valuestring, member(loc, "line")->valueint,
			    member(f, "rule")->valuestring);
		if (s) {
			cr_expect_str_eq(member(s, "kind")->valuestring, "inline");
			strbuf_addf(&line, " suppressed: %s", member(s, "reason")->valuestring);
		}
		strvec_push(out, line.buf);
		strbuf_release(&line);
	}
}

/* The SARIF results carry the JSON findings' suppressions, in the same order. */
static void expect_sarif_agrees(const cJSON *json, const cJSON *sarif)
{
	const cJSON *results = member(cJSON_GetArrayItem(member(sarif, "runs"), 0), "results");
	const cJSON *findings = member(json, "findings");

	cr_assert_eq(cJSON_GetArraySize(results), cJSON_GetArraySize(findings));
	for (int i = 0; i < cJSON_GetArraySize(findings); i++) {
		const cJSON *f = cJSON_GetArrayItem(findings, i), *r = cJSON_GetArrayItem(results, i);
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(f, "suppressed");
		const cJSON *sup = cJSON_GetObjectItemCaseSensitive(r, "suppressions"), *one;
		cr_expect_str_eq(member(r, "ruleId")->valuestring, member(f, "rule")->valuestring);
		if (!s) {
			cr_expect_null(sup, "result %d has suppressions, its finding is not suppressed", i);
			continue;
		}
		cr_assert(cJSON_IsArray(sup) && cJSON_GetArraySize(sup) == 1, "result %d: no suppressions", i);
		one = cJSON_GetArrayItem(sup, 0);
		cr_expect_str_eq(member(one, "kind")->valuestring, "inSource");
		cr_expect_str_eq(member(one, "status")->valuestring, "accepted");
		cr_expect_str_eq(member(one, "justification")->valuestring, member(s, "reason")->valuestring);
		cr_expect_eq(member(member(member(member(one, "location"), "physicalLocation"), "region"),
				    "startLine")->valueint, member(s, "line")->valueint);
	}
}

static void expect_same(const char *what, struct strvec *want, struct strvec *got)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	sort(want);
	sort(got);
	for (size_t i = 0; i < want->nr; i++)
		strbuf_addf(&a, "    %s\n", want->v[i]);
	for (size_t i = 0; i < got->nr; i++)
		strbuf_addf(&b, "    %s\n", got->v[i]);
	cr_expect_str_eq(a.buf, b.buf, "%s: findings differ from its check-output block\n  expected:\n%s  reported:\n%s",
			 what, a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void check_fixture(const char *path)
{
	struct strbuf dir = STRBUF_INIT, out = STRBUF_INIT;
	struct strvec want = STRVEC_INIT, got = STRVEC_INIT;
	const char *base = strrchr(path, '/') + 1;
	struct cli_result r;
	cJSON *json, *sarif;

	strbuf_add(&dir, path, ma_path_dirlen(path));
	strbuf_addf(&out, "%s/%.*s", reports.buf, (int)(strlen(base) - 2), base);
	write_compdb(dir.buf, base);
	run(&r, "audit", "-q", "-o", out.buf, "--root", dir.buf, "--report-unused-suppressions",
	    "--fail-on", "none", NULL);
	cr_expect_eq(r.code, 0, "%s: exit %d: %s", base, r.code, r.err.buf);
	fixture_expected(path, &want);
	json = read_json(out.buf, "report.json");
	sarif = read_json(out.buf, "report.sarif");
	json_findings(json, &got);
	expect_same(base, &want, &got);
	expect_sarif_agrees(json, sarif);
	cJSON_Delete(json);
	cJSON_Delete(sarif);
	strvec_clear(&want);
	strvec_clear(&got);
	strbuf_release(&dir);
	strbuf_release(&out);
	cli_result_release(&r);
}

Test(cli_suppress, fixtures)
{
	struct strbuf pattern = STRBUF_INIT;
	glob_t g;

	strbuf_addf(&pattern, "%s/fixtures/suppressions/*.c", top.buf);
	cr_assert_eq(glob(pattern.buf, 0, NULL, &g), 0, "no fixtures/suppressions/*.c: run from the top of the tree");
	cr_expect_geq(g.gl_pathc, 4);
	for (size_t i = 0; i < g.gl_pathc; i++)
		check_fixture(g.gl_pathv[i]);
	globfree(&g);
	strbuf_release(&pattern);
}

/* free-non-heap (an error) and unchecked-return (a warning), both suppressed */
#define SUPPRESSED_C "#include <stdio.h>\n#include <stdlib.h>\n" \
	"void fr(void) { int x; free(&x); } // memaudit-ignore[free-non-heap]: x is a pool slot\n" \
	"void rd(void)\n{\n\tchar b[8];\n\t// memaudit-ignore-next-line[unchecked-return]: input is optional\n" \
	"\tfgets(b, sizeof b, stdin);\n}\n"

Test(cli_suppress, only_suppressed_findings_exit_0)
{
	struct cli_result r;
	cJSON *j;

	write_file("s.c", SUPPRESSED_C);
	write_compdb(proj.buf, "s.c");
	run(&r, "audit", "-o", reports.buf, "--fail-on", "note", "--format", "json", NULL);
	cr_expect_eq(r.code, 0, "exit %d; stderr:\n%s", r.code, r.err.buf);
	cr_expect(strstr(r.out.buf, "memaudit: 0 findings, 2 suppressed, in 1 translation unit\n"), "%s", r.out.buf);
	cr_expect_null(strstr(r.out.buf, "[free-non-heap]"), "a suppressed finding is listed:\n%s", r.out.buf);
	j = read_json(reports.buf, "report.json");
	cr_expect_eq(member(member(j, "summary"), "findings")->valueint, 0);
	cr_expect_eq(member(member(j, "summary"), "suppressed")->valueint, 2);
	cr_expect_eq(cJSON_GetArraySize(member(j, "findings")), 2, "suppressed findings stay in the report");
	cJSON_Delete(j);
	cli_result_release(&r);
}

Test(cli_suppress, invalid_suppression_fails_the_audit)
{
	struct cli_result r;

	write_file("s.c", "#include <stdlib.h>\nvoid fr(void) { int x; free(&x); } // memaudit-ignore[free-non-heap]\n");
	write_compdb(proj.buf, "s.c");
	run(&r, "audit", "-o", reports.buf, "--format", "json,sarif", NULL);
	cr_expect_eq(r.code, 1);
	cr_expect(strstr(r.out.buf, "s.c:2:36: warning: suppression without a reason"), "%s", r.out.buf);
	cr_expect(strstr(r.out.buf, "[free-non-heap]"), "the finding it meant to suppress stays:\n%s", r.out.buf);
	cr_expect(strstr(r.err.buf, "2 findings at or above --fail-on warning"), "%s", r.err.buf);
	cli_result_release(&r);
}

Test(cli_suppress, report_writes_suppressions_back)
{
	struct strbuf again = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT, p = STRBUF_INIT;
	struct cli_result r;

	write_file("s.c", SUPPRESSED_C);
	write_compdb(proj.buf, "s.c");
	run(&r, "audit", "-q", "-o", reports.buf, "--format", "json", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err.buf);
	cli_result_release(&r);
	strbuf_addf(&again, "%s/again", reports.buf);
	strbuf_addf(&p, "%s/report.json", reports.buf);
	run(&r, "report", p.buf, "-q", "-o", again.buf, "--format", "json,text,sarif", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err.buf);
	cli_slurp(p.buf, &a);
	strbuf_addstr(&again, "/report.json");
	cli_slurp(again.buf, &b);
	cr_expect_str_eq(a.buf, b.buf, "report.json written back differs");
	cr_expect(strstr(a.buf, "\"suppressed\":\t{"), "no suppression in the report");
	strbuf_reset(&b);
	strbuf_setlen(&again, again.len - strlen("/report.json"));
	strbuf_addstr(&again, "/report.txt");
	cli_slurp(again.buf, &b);
	cr_expect(strstr(b.buf, "2 suppressed"), "%s", b.buf);
	cli_result_release(&r);
	strbuf_release(&again);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&p);
}
