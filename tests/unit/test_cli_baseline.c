/*
 * Baselines through the built binary ($MEMAUDIT, else build/memaudit):
 * `audit --baseline`, `--show`, `--fail-on-new`, `baseline save` and
 * `diff`, on the cases of fixtures/baseline/.
 *
 * fixtures/baseline/base/ is audited and saved as the baseline; each
 * other directory is the same project after an edit (lines added above
 * the findings, another function reformatted, the file moved, the buggy
 * line really changed, ...), audited against it.  Each case states what
 * it expects in its files' `baseline-expect` blocks, one line per finding
 * (`unchanged RULE FUNCTION`, `new RULE FUNCTION`) and per baseline entry
 * no longer found (`fixed RULE FUNCTION`); a new case needs no test code.
 *
 * Reports go to tests/out/cli_baseline/<test>/ (under $MEMAUDIT_TEST_OUT
 * when set), where tests/sarif/validate.sh validates the SARIF logs,
 * the diff's "absent" results among them.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_run.h"
#include "../../core/fs.h"
#include "../../core/path.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

#define CASES "fixtures/baseline"

static struct strbuf proj = STRBUF_INIT;    /* the project audited (temporary) */
static struct strbuf reports = STRBUF_INIT; /* tests/out/cli_baseline/<test>/ */
static struct strbuf bin = STRBUF_INIT;     /* absolute path of memaudit */
static struct strbuf top = STRBUF_INIT;     /* the source tree (the current directory) */

static void setup(void)
{
	const char *m = getenv("MEMAUDIT"), *o = getenv("MEMAUDIT_TEST_OUT");
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_getcwd(&top, &err), 0, "%s", err.buf);
	ma_path_absolute(&bin, top.buf, m && *m ? m : "build/memaudit");
	cr_assert(access(bin.buf, X_OK) == 0, "no memaudit binary at '%s' (set MEMAUDIT)", bin.buf);
	ma_path_absolute(&reports, top.buf, o && *o ? o : "tests/out");
	strbuf_addf(&reports, "/cli_baseline/%s", criterion_current_test->name);
	ma_remove_tree(reports.buf);
	cr_assert_eq(ma_mkdir_p(reports.buf, &err), 0, "%s", err.buf);
	cr_assert_eq(ma_mkdtemp(&proj, "memaudit-cli-baseline", &err), 0, "%s", err.buf);
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

TestSuite(cli_baseline, .init = setup, .fini = teardown, .timeout = 240);

/* ------------------------------------------------------------------ */
/* Running memaudit                                                    */

/* memaudit with the arguments (NULL-terminated), in the project. */
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

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Exit 2 and one line on stderr, naming what it should. */
static void expect_error(const struct cli_result *r, const char *needle)
{
	cr_expect_eq(r->code, 2, "exit code %d, expected 2; stderr:\n%s", r->code, r->err.buf);
	cr_expect_eq(count_lines(r->err.buf), 1, "one line on stderr, got:\n%s", r->err.buf);
	cr_expect(strstr(r->err.buf, "memaudit: error: ") == r->err.buf, "%s", r->err.buf);
	cr_expect(strstr(r->err.buf, needle), "stderr lacks \"%s\":\n%s", needle, r->err.buf);
}

/* reports/<name> into sb. */
static void out_path(struct strbuf *sb, const char *name)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/%s", reports.buf, name);
}

/* ------------------------------------------------------------------ */
/* The cases                                                           */

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void sort_strings(struct strvec *sv)
{
	if (sv->nr)
		qsort(sv->v, sv->nr, sizeof(*sv->v), cmp_strings);
}

/* Every .c file under dir (relative to it, "src/core/lib.c"), sorted. */
static void list_sources(const char *dir, const char *prefix, struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	cr_assert_not_null(d, "cannot open '%s'", dir);
	while ((de = readdir(d))) {
		struct strbuf path = STRBUF_INIT, rel = STRBUF_INIT;
		struct stat st;
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		strbuf_addf(&path, "%s/%s", dir, de->d_name);
		strbuf_addf(&rel, "%s%s", prefix, de->d_name);
		cr_assert_eq(stat(path.buf, &st), 0, "%s", path.buf);
		if (S_ISDIR(st.st_mode)) {
			strbuf_addch(&rel, '/');
			list_sources(path.buf, rel.buf, out);
		} else if (n > 2 && !strcmp(de->d_name + n - 2, ".c")) {
			strvec_push(out, rel.buf);
		}
		strbuf_release(&path);
		strbuf_release(&rel);
	}
	closedir(d);
	sort_strings(out);
}

/* The project is the case's files (nothing else) and a compile database of them. */
static void use_case(const char *name, struct strvec *files)
{
	struct strbuf dir = STRBUF_INIT, err = STRBUF_INIT;
	cJSON *db = cJSON_CreateArray();
	char *json;

	strvec_clear(files);
	ma_remove_tree(proj.buf);
	cr_assert_eq(ma_mkdir_p(proj.buf, &err), 0, "%s", err.buf);
	strbuf_addf(&dir, "%s/%s/%s", top.buf, CASES, name);
	list_sources(dir.buf, "", files);
	cr_assert(files->nr > 0, "no sources in %s", dir.buf);
	for (size_t i = 0; i < files->nr; i++) {
		struct strbuf from = STRBUF_INIT, to = STRBUF_INIT, text = STRBUF_INIT;
		cJSON *e = cJSON_CreateObject(), *args = cJSON_CreateArray();
		strbuf_addf(&from, "%s/%s", dir.buf, files->v[i]);
		strbuf_addf(&to, "%s/%s", proj.buf, files->v[i]);
		cli_slurp(from.buf, &text);
		strbuf_setlen(&from, 0);
		strbuf_add(&from, to.buf, ma_path_dirlen(to.buf));
		cr_assert_eq(ma_mkdir_p(from.buf, &err), 0, "%s", err.buf);
		cr_assert_eq(ma_write_file_atomic(to.buf, text.buf, text.len, &err), 0, "%s", err.buf);
		cJSON_AddStringToObject(e, "directory", proj.buf);
		cJSON_AddStringToObject(e, "file", files->v[i]);
		cJSON_AddItemToArray(args, cJSON_CreateString("cc"));
		cJSON_AddItemToArray(args, cJSON_CreateString("-c"));
		cJSON_AddItemToArray(args, cJSON_CreateString(files->v[i]));
		cJSON_AddItemToObject(e, "arguments", args);
		cJSON_AddItemToArray(db, e);
		strbuf_release(&from);
		strbuf_release(&to);
		strbuf_release(&text);
	}
	json = cJSON_Print(db);
	strbuf_reset(&dir);
	strbuf_addf(&dir, "%s/compile_commands.json", proj.buf);
	cr_assert_eq(ma_write_file_atomic(dir.buf, json, strlen(json), &err), 0, "%s", err.buf);
	free(json);
	cJSON_Delete(db);
	strbuf_release(&dir);
	strbuf_release(&err);
}

/* The lines of the `baseline-expect` block of each of the case's files. */
static void expectations(const char *name, const struct strvec *files, struct strvec *out)
{
	for (size_t i = 0; i < files->nr; i++) {
		struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
		const char *p, *end;
		strbuf_addf(&path, "%s/%s/%s/%s", top.buf, CASES, name, files->v[i]);
		cli_slurp(path.buf, &text);
		p = strstr(text.buf, "baseline-expect-start\n");
		end = strstr(text.buf, " * baseline-expect-end");
		cr_assert(p && end && p < end, "%s: no baseline-expect block", path.buf);
		for (p = strchr(p, '\n') + 1; p < end; p = strchr(p, '\n') + 1) {
			size_t n = (size_t)(strchr(p, '\n') - p);
			cr_assert(n > 3 && !strncmp(p, " * ", 3), "%s: not ' * STATE RULE FUNCTION': %.*s", path.buf, (int)n, p);
			strvec_pushf(out, "%.*s", (int)(n - 3), p + 3);
		}
		strbuf_release(&path);
		strbuf_release(&text);
	}
	sort_strings(out);
}

static cJSON *read_json(const char *path)
{
	struct strbuf text = STRBUF_INIT;
	cJSON *j;

	cli_slurp(path, &text);
	j = cJSON_Parse(text.buf);
	cr_assert_not_null(j, "'%s' does not parse", path);
	strbuf_release(&text);
	return j;
}

static const char *str_at(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : "(none)";
}

/* "STATE RULE FUNCTION" for each finding of the report and each fixed entry, sorted. */
static void states_of(const char *report, struct strvec *out)
{
	cJSON *j = read_json(report), *f;
	const cJSON *run = cJSON_GetObjectItemCaseSensitive(j, "run");
	const cJSON *fixed = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run, "baseline"), "fixed");

	cr_assert(cJSON_IsArray(fixed), "%s: no run.baseline.fixed", report);
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(j, "findings"))
		strvec_pushf(out, "%s %s %s", str_at(f, "baseline_state"), str_at(f, "rule"),
			     str_at(cJSON_GetObjectItemCaseSensitive(f, "location"), "function"));
	cJSON_ArrayForEach(f, fixed)
		strvec_pushf(out, "fixed %s %s", str_at(f, "rule"), str_at(f, "function"));
	sort_strings(out);
	cJSON_Delete(j);
}

static void expect_same(const char *what, const struct strvec *expected, const struct strvec *actual)
{
	char *e = strvec_join(expected, "\n"), *a = strvec_join(actual, "\n");

	cr_expect_str_eq(a, e, "%s: got\n%s\nexpected\n%s", what, a, e);
	free(e);
	free(a);
}

/* The base case audited into reports/base/ and saved as reports/baseline.json. */
static void save_base(struct strbuf *baseline, struct strbuf *report)
{
	struct strvec files = STRVEC_INIT;
	struct strbuf dir = STRBUF_INIT;
	struct cli_result r;

	use_case("base", &files);
	out_path(&dir, "base");
	run(&r, "audit", "-q", "-o", dir.buf, "--format", "json", "--fail-on", "none", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err.buf);
	cli_result_release(&r);
	out_path(report, "base/report.json");
	out_path(baseline, "baseline.json");
	run(&r, "baseline", "save", report->buf, "-o", baseline->buf, NULL);
	cr_assert_eq(r.code, 0, "%s", r.err.buf);
	cr_assert(strstr(r.err.buf, "memaudit: wrote "), "%s", r.err.buf);
	cli_result_release(&r);
	strvec_clear(&files);
	strbuf_release(&dir);
}

/* Each case audited against `baseline`, its states compared with its blocks. */
static void check_every_case(const char *baseline, const char *tag)
{
	struct strvec cases = STRVEC_INIT, files = STRVEC_INIT;
	struct strbuf dir = STRBUF_INIT;
	DIR *d = opendir(CASES);
	struct dirent *de;

	cr_assert_not_null(d, "run from the top of the tree: no %s", CASES);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && !strchr(de->d_name, '.'))
			strvec_push(&cases, de->d_name);
	closedir(d);
	sort_strings(&cases);
	cr_assert(cases.nr >= 7, "the cases of %s are missing", CASES);
	for (size_t i = 0; i < cases.nr; i++) {
		struct strvec expected = STRVEC_INIT, actual = STRVEC_INIT;
		struct strbuf what = STRBUF_INIT;
		struct cli_result r;
		use_case(cases.v[i], &files);
		out_path(&dir, cases.v[i]);
		run(&r, "audit", "-q", "-o", dir.buf, "--format", "json,sarif", "--fail-on", "none", "--baseline",
		    baseline, NULL);
		cr_expect_eq(r.code, 0, "%s: %s", cases.v[i], r.err.buf);
		cli_result_release(&r);
		strbuf_addstr(&dir, "/report.json");
		expectations(cases.v[i], &files, &expected);
		states_of(dir.buf, &actual);
		strbuf_addf(&what, "case %s against %s", cases.v[i], tag);
		expect_same(what.buf, &expected, &actual);
		strvec_clear(&expected);
		strvec_clear(&actual);
		strbuf_release(&what);
	}
	strvec_clear(&cases);
	strvec_clear(&files);
	strbuf_release(&dir);
}

Test(cli_baseline, every_case_against_the_baseline_file)
{
	struct strbuf baseline = STRBUF_INIT, report = STRBUF_INIT;

	save_base(&baseline, &report);
	check_every_case(baseline.buf, "the baseline file");
	strbuf_release(&baseline);
	strbuf_release(&report);
}

Test(cli_baseline, every_case_against_the_full_report)
{
	struct strbuf baseline = STRBUF_INIT, report = STRBUF_INIT;

	save_base(&baseline, &report);
	check_every_case(report.buf, "the base's report.json");
	strbuf_release(&baseline);
	strbuf_release(&report);
}

/* ------------------------------------------------------------------ */
/* --fail-on-new, --show, the fixed list                               */

Test(cli_baseline, fail_on_new_counts_only_new_findings)
{
	struct strbuf baseline = STRBUF_INIT, report = STRBUF_INIT, dir = STRBUF_INIT;
	struct strvec files = STRVEC_INIT;
	struct cli_result r;

	save_base(&baseline, &report);
	out_path(&dir, "out");
	run(&r, "audit", "-q", "-o", dir.buf, "--format", "json", "--baseline", baseline.buf, "--fail-on-new", NULL);
	cr_expect_eq(r.code, 0, "only known findings (an error, two warnings): %s", r.err.buf);
	cr_expect_str_empty(r.err.buf);
	cli_result_release(&r);
	run(&r, "audit", "-q", "-o", dir.buf, "--format", "json", "--baseline", baseline.buf, NULL);
	cr_expect_eq(r.code, 1, "without --fail-on-new the known ones count");
	cli_result_release(&r);
	use_case("buggy-line-changed", &files);
	run(&r, "audit", "-q", "-o", dir.buf, "--format", "json", "--baseline", baseline.buf, "--fail-on-new", NULL);
	cr_expect_eq(r.code, 1, "a new error: %s", r.err.buf);
	cr_expect(strstr(r.err.buf, "memaudit: 1 new finding at or above --fail-on warning"), "%s", r.err.buf);
	cli_result_release(&r);
	run(&r, "audit", "-q", "-o", dir.buf, "--format", "json", "--baseline", baseline.buf, "--fail-on-new",
	    "--fail-on", "none", NULL);
	cr_expect_eq(r.code, 0, "--fail-on none");
	cli_result_release(&r);
	strvec_clear(&files);
	strbuf_release(&baseline);
	strbuf_release(&report);
	strbuf_release(&dir);
}

Test(cli_baseline, fail_on_new_needs_a_baseline)
{
	struct strvec files = STRVEC_INIT;
	struct cli_result r;

	use_case("base", &files);
	run(&r, "audit", "-q", "-o", reports.buf, "--fail-on-new", NULL);
	expect_error(&r, "--fail-on-new needs --baseline FILE");
	cli_result_release(&r);
	run(&r, "audit", "-q", "-o", reports.buf, "--baseline", "x.json", "--show", "some", NULL);
	expect_error(&r, "--show takes new, known or all, not 'some'");
	cli_result_release(&r);
	strvec_clear(&files);
}

Test(cli_baseline, text_lists_new_and_fixed_and_show_known_lists_all)
{
	struct strbuf baseline = STRBUF_INIT, report = STRBUF_INIT, dir = STRBUF_INIT, txt = STRBUF_INIT;
	struct strbuf written = STRBUF_INIT;
	struct strvec files = STRVEC_INIT;
	struct cli_result r;

	save_base(&baseline, &report);
	use_case("buggy-line-changed", &files);
	out_path(&dir, "out");
	run(&r, "audit", "-o", dir.buf, "--format", "text,json", "--baseline", baseline.buf, "--fail-on", "none", NULL);
	cr_expect_eq(r.code, 0, "%s", r.err.buf);
	cr_expect(strstr(r.out.buf, "lib.c:17:2: error: 'free' is given the address of local variable 'y'"), "%s", r.out.buf);
	cr_expect_null(strstr(r.out.buf, "lib.c:24:2:"), "known: not listed\n%s", r.out.buf);
	cr_expect(strstr(r.out.buf, "memaudit: fixed since the baseline (no longer reported):\n    lib.c:17: [free-non-heap] in reset\n"),
		  "%s", r.out.buf);
	cr_expect(strstr(r.out.buf, "1 new, 2 known (not listed; --show known lists them), 1 fixed"), "%s", r.out.buf);
	strbuf_addf(&txt, "%s/report.txt", dir.buf);
	cli_slurp(txt.buf, &written);
	cr_expect_str_eq(r.out.buf, written.buf, "report.txt is what stdout shows");
	cli_result_release(&r);
	for (int i = 0; i < 2; i++) {
		run(&r, "audit", "-o", dir.buf, "--format", "json", "--baseline", baseline.buf, "--fail-on", "none",
		    "--show", i ? "all" : "known", NULL);
		cr_expect(strstr(r.out.buf, "lib.c:24:2: warning:"), "--show %s:\n%s", i ? "all" : "known", r.out.buf);
		cr_expect(strstr(r.out.buf, "util.c:12:2: warning:"), "%s", r.out.buf);
		cr_expect(strstr(r.out.buf, "1 new, 2 known, 1 fixed"), "%s", r.out.buf);
		cli_result_release(&r);
	}
	strvec_clear(&files);
	strbuf_release(&baseline);
	strbuf_release(&report);
	strbuf_release(&dir);
	strbuf_release(&txt);
	strbuf_release(&written);
}

/* ------------------------------------------------------------------ */
/* Bad baselines, baseline save                                        */

Test(cli_baseline, bad_baseline_files_exit_2_naming_the_file)
{
	struct strvec files = STRVEC_INIT;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct cli_result r;

	use_case("base", &files);
	strbuf_addf(&path, "%s/notjson.json", proj.buf);
	cr_assert_eq(ma_write_file_atomic(path.buf, "fingerprints:\n", 14, &err), 0, "%s", err.buf);
	run(&r, "audit", "-q", "-o", reports.buf, "--baseline", "notjson.json", NULL);
	expect_error(&r, "'notjson.json': not a baseline: malformed JSON at line 1");
	cli_result_release(&r);
	run(&r, "audit", "-q", "-o", reports.buf, "--baseline", "compile_commands.json", NULL);
	expect_error(&r, "'compile_commands.json': not a baseline (no \"format\": \"memaudit-baseline\"");
	cli_result_release(&r);
	run(&r, "audit", "-q", "-o", reports.buf, "--baseline", "missing.json", NULL);
	expect_error(&r, "missing.json");
	cli_result_release(&r);
	strvec_clear(&files);
	strbuf_release(&path);
	strbuf_release(&err);
}

Test(cli_baseline, save_is_stable_and_checks_its_input)
{
	struct strbuf baseline = STRBUF_INIT, report = STRBUF_INIT, again = STRBUF_INIT;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	struct cli_result r;

	save_base(&baseline, &report);
	out_path(&again, "again.json");
	run(&r, "baseline", "save", report.buf, "-o", again.buf, NULL);
	cr_expect_eq(r.code, 0, "%s", r.err.buf);
	cr_expect(strstr(r.err.buf, "(3 findings)"), "%s", r.err.buf);
	cli_result_release(&r);
	cli_slurp(baseline.buf, &a);
	cli_slurp(again.buf, &b);
	cr_expect_str_eq(a.buf, b.buf, "saved twice, the same bytes");
	cr_expect_null(strstr(a.buf, "/tmp"), "no absolute paths:\n%s", a.buf);
	cr_expect(strstr(a.buf, "\"file\":\t\"lib.c\""), "%s", a.buf);
	run(&r, "baseline", "save", report.buf, NULL);
	expect_error(&r, "-o FILE");
	cli_result_release(&r);
	run(&r, "baseline", "save", baseline.buf, "-o", again.buf, NULL);
	expect_error(&r, "not a memaudit report");
	cli_result_release(&r);
	run(&r, "baseline", "load", report.buf, "-o", again.buf, NULL);
	expect_error(&r, "usage: memaudit baseline save");
	cli_result_release(&r);
	run(&r, "baseline", "--help", NULL);
	cr_expect_eq(r.code, 0);
	cr_expect(strstr(r.out.buf, "usage: memaudit baseline save REPORT.json -o FILE"), "%s", r.out.buf);
	cli_result_release(&r);
	strbuf_release(&baseline);
	strbuf_release(&report);
	strbuf_release(&again);
	strbuf_release(&a);
	strbuf_release(&b);
}

/* ------------------------------------------------------------------ */
/* memaudit diff                                                       */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* base audited into reports/old, buggy-line-changed into reports/new (no baseline). */
static void two_reports(struct strbuf *old, struct strbuf *new)
{
	struct strvec files = STRVEC_INIT;
	struct strbuf dir = STRBUF_INIT;
	struct cli_result r;
	const char *cases[] = { "base", "buggy-line-changed" };

	for (int i = 0; i < 2; i++) {
		use_case(cases[i], &files);
		out_path(&dir, i ? "new" : "old");
		run(&r, "audit", "-q", "-o", dir.buf, "--format", "json", "--fail-on", "none", NULL);
		cr_assert_eq(r.code, 0, "%s", r.err.buf);
		cli_result_release(&r);
	}
	out_path(old, "old/report.json");
	out_path(new, "new/report.json");
	strvec_clear(&files);
	strbuf_release(&dir);
}

Test(cli_baseline, diff_in_text_json_and_sarif)
{
	struct strbuf old = STRBUF_INIT, new = STRBUF_INIT, dir = STRBUF_INIT, sarif = STRBUF_INIT;
	struct strvec states = STRVEC_INIT;
	struct cli_result r;
	char *joined;
	cJSON *j;

	two_reports(&old, &new);
	out_path(&dir, "diff");
	run(&r, "diff", old.buf, new.buf, "-o", dir.buf, "--format", "text,json,sarif", NULL);
	cr_expect_eq(r.code, 1, "a new error, --fail-on warning by default: %s", r.err.buf);
	cr_expect(strstr(r.err.buf, "memaudit: 1 new finding at or above --fail-on warning"), "%s", r.err.buf);
	cr_expect(strstr(r.out.buf, "lib.c:17:2: error: 'free' is given the address of local variable 'y'"), "%s", r.out.buf);
	cr_expect(strstr(r.out.buf, "    lib.c:17: [free-non-heap] in reset: 'free' is given the address of local variable 'x'"),
		  "the fixed one, with its message from OLD:\n%s", r.out.buf);
	cr_expect(strstr(r.out.buf, ": 1 new, 2 known (not listed; --show known lists them), 1 fixed"), "%s", r.out.buf);
	cr_expect_null(strstr(r.out.buf, "lib.c:24:2"), "unchanged ones are counted, not listed:\n%s", r.out.buf);
	cli_result_release(&r);
	strbuf_addstr(&dir, "/report.json");
	states_of(dir.buf, &states);
	joined = strvec_join(&states, ",");
	cr_expect_str_eq(joined, "fixed free-non-heap reset,new free-non-heap reset,"
			 "unchanged unchecked-return rd,unchanged unchecked-return rd2");
	free(joined);
	j = read_json(dir.buf);
	cr_expect_str_eq(str_at(j, "format"), "memaudit-report", "the JSON is a report memaudit report reads");
	cJSON_Delete(j);
	out_path(&sarif, "diff/report.sarif");
	strbuf_reset(&dir);
	cli_slurp(sarif.buf, &dir);
	cr_expect_eq(count(dir.buf, "\"baselineState\":\t\"new\""), 1, "%s", dir.buf);
	cr_expect_eq(count(dir.buf, "\"baselineState\":\t\"unchanged\""), 2);
	cr_expect_eq(count(dir.buf, "\"baselineState\":\t\"absent\""), 1);
	run(&r, "diff", old.buf, new.buf, "--fail-on", "none", NULL);
	cr_expect_eq(r.code, 0, "%s", r.err.buf);
	cli_result_release(&r);
	run(&r, "diff", old.buf, old.buf, NULL);
	cr_expect_eq(r.code, 0, "nothing new: %s", r.err.buf);
	cr_expect(strstr(r.out.buf, ": 0 new, 3 known (not listed; --show known lists them), 0 fixed"), "%s", r.out.buf);
	cli_result_release(&r);
	strvec_clear(&states);
	strbuf_release(&old);
	strbuf_release(&new);
	strbuf_release(&dir);
	strbuf_release(&sarif);
}

Test(cli_baseline, diff_bad_input_exits_2)
{
	struct strbuf old = STRBUF_INIT, new = STRBUF_INIT, bl = STRBUF_INIT;
	struct cli_result r;

	two_reports(&old, &new);
	run(&r, "diff", old.buf, NULL);
	expect_error(&r, "give the old and the new report");
	cli_result_release(&r);
	run(&r, "diff", old.buf, "nope.json", NULL);
	expect_error(&r, "nope.json");
	cli_result_release(&r);
	run(&r, "diff", "compile_commands.json", new.buf, NULL);
	expect_error(&r, "'compile_commands.json': not a baseline");
	cli_result_release(&r);
	run(&r, "diff", old.buf, new.buf, "--format", "json", NULL);
	expect_error(&r, "--format needs -o DIR");
	cli_result_release(&r);
	/* a baseline file is fine as OLD, not as NEW */
	out_path(&bl, "bl.json");
	run(&r, "baseline", "save", old.buf, "-o", bl.buf, NULL);
	cr_assert_eq(r.code, 0, "%s", r.err.buf);
	cli_result_release(&r);
	run(&r, "diff", bl.buf, new.buf, NULL);
	cr_expect_eq(r.code, 1, "%s", r.err.buf);
	cr_expect(strstr(r.out.buf, "    lib.c:17: [free-non-heap] in reset\n"), "%s", r.out.buf);
	cli_result_release(&r);
	run(&r, "diff", old.buf, bl.buf, NULL);
	expect_error(&r, "not a memaudit report");
	cli_result_release(&r);
	run(&r, "diff", "--help", NULL);
	cr_expect_eq(r.code, 0);
	cr_expect(strstr(r.out.buf, "usage: memaudit diff OLD.json NEW.json"), "%s", r.out.buf);
	cli_result_release(&r);
	strbuf_release(&old);
	strbuf_release(&new);
	strbuf_release(&bl);
}
