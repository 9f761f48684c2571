/*
 * Tests for the command line: each runs the built binary ($MEMAUDIT, else
 * build/memaudit) on a tiny project in a fresh temporary directory and
 * checks the exit code, the one line it prints on stderr, and the reports.
 *
 * Reports go to tests/out/cli/<test>/ (under $MEMAUDIT_TEST_OUT when set),
 * not into the temporary project: tests/sarif/validate.sh validates every
 * report.sarif left there, so the partial, percent-encoded and captured
 * runs below are also checked against the SARIF validator.
 *
 * Run from the top of the tree (as `make test-unit` does): the catalogue
 * test reads the rules/ folder.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <dirent.h>
#include <glob.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/fs.h"
#include "../../core/path.h"
#include "../../core/spawn.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

#define CLEAN_C "int add(int a, int b) { return a + b; }\n"
/* unchecked-return: a warning */
#define WARN_C "#include <stdio.h>\nvoid rd(void) { char b[8]; fgets(b, sizeof b, stdin); }\n"
/* free-non-heap: an error */
#define ERROR_C "#include <stdlib.h>\nvoid fr(void) { int x; free(&x); }\n"
/* a missing ';': the unit does not parse */
#define BAD_C "int main(void)\n{\n\treturn 0\n}\n"

struct result {
	int code;
	struct strbuf out, err;
};

static struct strbuf proj = STRBUF_INIT;    /* the test's project (temporary) */
static struct strbuf reports = STRBUF_INIT; /* tests/out/cli/<test>/ */
static struct strbuf bin = STRBUF_INIT;     /* absolute path of memaudit */

/* ------------------------------------------------------------------ */
/* Fixture                                                             */

static void setup(void)
{
	const char *m = getenv("MEMAUDIT"), *o = getenv("MEMAUDIT_TEST_OUT");
	struct strbuf cwd = STRBUF_INIT, err = STRBUF_INIT;

	cr_assert_eq(ma_getcwd(&cwd, &err), 0, "%s", err.buf);
	ma_path_absolute(&bin, cwd.buf, m && *m ? m : "build/memaudit");
	cr_assert(access(bin.buf, X_OK) == 0, "no memaudit binary at '%s' (set MEMAUDIT)", bin.buf);
	ma_path_absolute(&reports, cwd.buf, o && *o ? o : "tests/out");
	strbuf_addf(&reports, "/cli/%s", criterion_current_test->name);
	ma_remove_tree(reports.buf);
	cr_assert_eq(ma_mkdtemp(&proj, "memaudit-cli", &err), 0, "%s", err.buf);
	strbuf_release(&cwd);
	strbuf_release(&err);
}

static void teardown(void)
{
	ma_remove_tree(proj.buf);
	strbuf_release(&proj);
	strbuf_release(&reports);
	strbuf_release(&bin);
}

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 120);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static void write_file(const char *name, const char *text)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", proj.buf, name);
	cr_assert_eq(ma_write_file_atomic(path.buf, text, strlen(text), &err), 0, "%s", err.buf);
	strbuf_release(&path);
	strbuf_release(&err);
}

/* compile_commands.json listing the given files (NULL-terminated), compiled as cc -c. */
static void write_compdb(const char *file, ...)
{
	cJSON *db = cJSON_CreateArray();
	va_list ap;
	char *text;

	va_start(ap, file);
	for (; file; file = va_arg(ap, const char *)) {
		cJSON *e = cJSON_CreateObject(), *args = cJSON_CreateArray();
		cJSON_AddStringToObject(e, "directory", proj.buf);
		cJSON_AddStringToObject(e, "file", file);
		cJSON_AddItemToArray(args, cJSON_CreateString("cc"));
		cJSON_AddItemToArray(args, cJSON_CreateString("-c"));
		cJSON_AddItemToArray(args, cJSON_CreateString(file));
		cJSON_AddItemToObject(e, "arguments", args);
		cJSON_AddItemToArray(db, e);
	}
	va_end(ap);
	text = cJSON_Print(db);
	write_file("compile_commands.json", text);
	free(text);
	cJSON_Delete(db);
}

static void slurp(const char *path, struct strbuf *sb)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(strbuf_read_file(sb, path, &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

/* Run memaudit with the given arguments (NULL-terminated) in the project. */
static void run(struct result *r, const char *arg, ...)
{
	struct strvec argv = STRVEC_INIT;
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, why = STRBUF_INIT;
	/* The make these tests run must not read the jobserver of a make that
	 * runs the tests (make -j test-san): its descriptors are not passed on. */
	static const char *const env[] = { "MAKEFLAGS=", "MFLAGS=", NULL };
	struct ma_spawn_opts o = { .cwd = proj.buf, .env = env, .stdin_path = "/dev/null", .timeout_ms = 100000 };
	struct ma_spawn_result res;
	va_list ap;

	strvec_push(&argv, bin.buf);
	va_start(ap, arg);
	for (; arg; arg = va_arg(ap, const char *))
		strvec_push(&argv, arg);
	va_end(ap);
	/* beside the project, not in it: a test may list the project's files */
	strbuf_addf(&out, "%s.stdout", proj.buf);
	strbuf_addf(&err, "%s.stderr", proj.buf);
	o.stdout_path = out.buf;
	o.stderr_path = err.buf;
	cr_assert_eq(ma_spawn_run(argv.v, &o, &res, &why), 0, "%s", why.buf);
	cr_assert(!res.signal && !res.timed_out, "memaudit was killed (signal %d)", res.signal);
	r->code = res.exit_code;
	strbuf_init(&r->out, 0);
	strbuf_init(&r->err, 0);
	slurp(out.buf, &r->out);
	slurp(err.buf, &r->err);
	unlink(out.buf);
	unlink(err.buf);
	strvec_clear(&argv);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&why);
}

static void result_release(struct result *r)
{
	strbuf_release(&r->out);
	strbuf_release(&r->err);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Exit code `code` and exactly one line on stderr, holding `needle`. */
static void expect_one_line(const struct result *r, int code, const char *needle)
{
	cr_expect_eq(r->code, code, "exit code %d, expected %d; stderr:\n%s", r->code, code, r->err.buf);
	cr_expect_eq(count_lines(r->err.buf), 1, "expected one line on stderr, got:\n%s", r->err.buf);
	cr_expect(strstr(r->err.buf, needle), "stderr lacks \"%s\":\n%s", needle, r->err.buf);
}

static void expect_error(const struct result *r, const char *needle)
{
	expect_one_line(r, 2, needle);
	cr_expect(starts_with(r->err.buf, "memaudit: error: "), "stderr: %s", r->err.buf);
}

static void report_path(struct strbuf *sb, const char *name)
{
	strbuf_addf(sb, "%s/%s", reports.buf, name);
}

static int report_exists(const char *name)
{
	struct strbuf p = STRBUF_INIT;
	int ret;

	report_path(&p, name);
	ret = ma_is_file(p.buf);
	strbuf_release(&p);
	return ret;
}

static cJSON *read_json_report(void)
{
	struct strbuf p = STRBUF_INIT, text = STRBUF_INIT;
	cJSON *j;

	report_path(&p, "report.json");
	slurp(p.buf, &text);
	j = cJSON_Parse(text.buf);
	cr_assert_not_null(j, "report.json does not parse");
	strbuf_release(&p);
	strbuf_release(&text);
	return j;
}

/* The value at a dotted path ("run.units.total"), asserted to exist. */
static cJSON *jget(cJSON *j, const char *path)
{
	char *copy = strdup(path), *save = NULL;

	for (char *key = strtok_r(copy, ".", &save); key && j; key = strtok_r(NULL, ".", &save))
		j = cJSON_GetObjectItemCaseSensitive(j, key);
	cr_assert_not_null(j, "report.json has no '%s'", path);
	free(copy);
	return j;
}

static double jnum(cJSON *j, const char *path)
{
	cJSON *v = jget(j, path);

	cr_assert(cJSON_IsNumber(v), "'%s' is not a number", path);
	return v->valuedouble;
}

static void expect_findings(double n)
{
	cJSON *j = read_json_report();

	cr_expect_eq(jnum(j, "summary.findings"), n);
	cJSON_Delete(j);
}

/* audit -q into this test's report directory, with more arguments. */
#define AUDIT(r, ...) run((r), "audit", "-q", "-o", reports.buf, __VA_ARGS__, NULL)

/* ------------------------------------------------------------------ */
/* Exit code 0                                                         */

Test(cli, exit0_clean_project)
{
	struct result r;
	cJSON *j;

	write_file("clean.c", CLEAN_C);
	write_compdb("clean.c", NULL);
	AUDIT(&r, NULL);
	cr_expect_eq(r.code, 0, "stderr: %s", r.err.buf);
	cr_expect_str_empty(r.err.buf, "-q and exit 0: nothing on stderr");
	cr_expect_str_empty(r.out.buf, "-q: no report on stdout");
	j = read_json_report();
	cr_expect_eq(jnum(j, "summary.findings"), 0);
	cr_expect_eq(jnum(j, "run.units.analysed"), 1);
	cJSON_Delete(j);
	result_release(&r);
}

Test(cli, exit0_fail_on_none)
{
	struct result r;

	write_file("warn.c", WARN_C);
	write_file("error.c", ERROR_C);
	write_compdb("warn.c", "error.c", NULL);
	AUDIT(&r, "--fail-on", "none");
	cr_expect_eq(r.code, 0, "stderr: %s", r.err.buf);
	cr_expect_str_empty(r.err.buf);
	expect_findings(2);
	result_release(&r);
}

Test(cli, exit0_fail_on_error_with_only_warnings)
{
	struct result r;

	write_file("warn.c", WARN_C);
	write_compdb("warn.c", NULL);
	AUDIT(&r, "--fail-on", "error");
	cr_expect_eq(r.code, 0, "stderr: %s", r.err.buf);
	cr_expect_str_empty(r.err.buf);
	expect_findings(1);
	result_release(&r);
}

Test(cli, exit0_prints_report_without_quiet)
{
	struct result r;

	write_file("clean.c", CLEAN_C);
	write_compdb("clean.c", NULL);
	run(&r, "audit", "-o", reports.buf, NULL);
	cr_expect_eq(r.code, 0, "stderr: %s", r.err.buf);
	cr_expect(strstr(r.out.buf, "memaudit: 0 findings in 1 translation unit\n"), "%s", r.out.buf);
	cr_expect(strstr(r.err.buf, "memaudit: wrote "), "%s", r.err.buf);
	cr_expect_null(strchr(r.out.buf, '\033'), "no colour when stdout is not a terminal");
	result_release(&r);
}

/* ------------------------------------------------------------------ */
/* Exit code 1                                                         */

Test(cli, exit1_warning_fails_by_default)
{
	struct result r;

	write_file("warn.c", WARN_C);
	write_compdb("warn.c", NULL);
	AUDIT(&r, NULL);
	expect_one_line(&r, 1, "memaudit: 1 finding at or above --fail-on warning");
	result_release(&r);
}

Test(cli, exit1_error_with_fail_on_error)
{
	struct result r;

	write_file("warn.c", WARN_C);
	write_file("error.c", ERROR_C);
	write_compdb("warn.c", "error.c", NULL);
	AUDIT(&r, "--fail-on", "error");
	expect_one_line(&r, 1, "memaudit: 1 finding at or above --fail-on error");
	result_release(&r);
}

Test(cli, exit1_fail_on_note_counts_everything)
{
	struct result r;

	write_file("warn.c", WARN_C);
	write_file("error.c", ERROR_C);
	write_compdb("warn.c", "error.c", NULL);
	AUDIT(&r, "--fail-on", "note");
	expect_one_line(&r, 1, "memaudit: 2 findings at or above --fail-on note");
	result_release(&r);
}

/* ------------------------------------------------------------------ */
/* Exit code 2: no usable input, or a usage error                      */

Test(cli, exit2_no_compile_database)
{
	struct result r;

	AUDIT(&r, NULL);
	expect_error(&r, "no compile database here");
	cr_expect_not(report_exists("report.json"), "no reports on a usage error");
	result_release(&r);
}

Test(cli, exit2_build_dir_without_database)
{
	struct result r;
	struct strbuf err = STRBUF_INIT, dir = STRBUF_INIT;

	strbuf_addf(&dir, "%s/build", proj.buf);
	cr_assert_eq(ma_mkdir_p(dir.buf, &err), 0);
	AUDIT(&r, "-p", "build");
	expect_error(&r, "cannot open 'build/compile_commands.json': No such file or directory");
	result_release(&r);
	strbuf_release(&dir);
	strbuf_release(&err);
}

Test(cli, exit2_compile_db_missing)
{
	struct result r;

	AUDIT(&r, "--compile-db", "nowhere.json");
	expect_error(&r, "cannot open 'nowhere.json': No such file or directory");
	result_release(&r);
}

Test(cli, exit2_compile_db_unreadable)
{
	struct result r;
	struct strbuf err = STRBUF_INIT, dir = STRBUF_INIT;

	/* a directory: unreadable as a file even for root, who ignores modes */
	strbuf_addf(&dir, "%s/db.json", proj.buf);
	cr_assert_eq(ma_mkdir_p(dir.buf, &err), 0);
	AUDIT(&r, "--compile-db", "db.json");
	expect_error(&r, "cannot read 'db.json': Is a directory");
	result_release(&r);
	if (geteuid() != 0) { /* modes bind only other users */
		write_file("locked.json", "[]");
		strbuf_addstr(&dir, "/../locked.json");
		cr_assert_eq(chmod(dir.buf, 0), 0);
		AUDIT(&r, "--compile-db", "locked.json");
		expect_error(&r, "cannot open 'locked.json': Permission denied");
		result_release(&r);
	}
	strbuf_release(&dir);
	strbuf_release(&err);
}

Test(cli, exit2_malformed_json_names_the_file)
{
	struct result r;

	write_file("compile_commands.json", "[\n  {\"directory\": \"/tmp\",\n  \"file\": \n");
	AUDIT(&r, NULL);
	expect_error(&r, "'compile_commands.json': malformed JSON near line ");
	result_release(&r);
}

Test(cli, exit2_empty_database)
{
	struct result r;

	write_file("compile_commands.json", "[]\n");
	AUDIT(&r, NULL);
	expect_error(&r, "'compile_commands.json': empty compile database");
	result_release(&r);
}

Test(cli, exit2_only_non_c_entries)
{
	struct result r;

	write_file("start.s", ".globl _start\n");
	write_file("mod.f90", "module m\nend module m\n");
	write_compdb("start.s", "mod.f90", NULL);
	AUDIT(&r, NULL);
	expect_error(&r, "'compile_commands.json': no C or C++ translation units (2 other entries skipped)");
	result_release(&r);
}

Test(cli, exit2_unknown_option)
{
	struct result r;

	run(&r, "audit", "--no-such-option", NULL);
	expect_error(&r, "unknown option '--no-such-option'");
	result_release(&r);
}

Test(cli, exit2_unknown_format)
{
	struct result r;

	write_file("clean.c", CLEAN_C);
	write_compdb("clean.c", NULL);
	AUDIT(&r, "--format", "json,xml");
	expect_error(&r, "unknown format 'xml'");
	result_release(&r);
}

Test(cli, exit2_bad_fail_on)
{
	struct result r;

	AUDIT(&r, "--fail-on", "fatal");
	expect_error(&r, "--fail-on takes error, warning, note or none, not 'fatal'");
	result_release(&r);
}

Test(cli, exit2_unknown_rule_in_rules_option)
{
	struct result r;

	AUDIT(&r, "--rules", "use-after-frees");
	expect_error(&r, "unknown rule 'use-after-frees'");
	result_release(&r);
}

Test(cli, exit2_two_database_sources)
{
	struct result r;

	AUDIT(&r, "-p", "build", "--compile-db", "x.json");
	expect_error(&r, "give only one of");
	result_release(&r);
}

Test(cli, exit2_rules_no_such_rule)
{
	struct result r;

	run(&r, "rules", "no-such-rule", NULL);
	expect_error(&r, "unknown rule 'no-such-rule'");
	cr_expect_str_empty(r.out.buf);
	result_release(&r);
}

Test(cli, exit2_no_arguments)
{
	struct result r;

	run(&r, NULL);
	cr_expect_eq(r.code, 2);
	cr_expect(starts_with(r.err.buf, "usage: memaudit <command>"), "%s", r.err.buf);
	cr_expect_str_empty(r.out.buf);
	result_release(&r);
}

Test(cli, exit2_unknown_command)
{
	struct result r;

	run(&r, "audti", NULL);
	expect_error(&r, "'audti' is not a memaudit command");
	result_release(&r);
}

Test(cli, exit2_files_match_nothing)
{
	struct result r;

	write_file("clean.c", CLEAN_C);
	write_compdb("clean.c", NULL);
	AUDIT(&r, "--files", "nothing/*.c");
	expect_error(&r, "--files matched none of the 1 translation units");
	result_release(&r);
}

/* ------------------------------------------------------------------ */
/* Exit code 3: incomplete, reports still written                      */

static void expect_bad_c_failure(cJSON *j)
{
	cJSON *fail;

	cr_expect(cJSON_IsTrue(jget(j, "run.partial")));
	cr_expect_eq(jnum(j, "run.units.failed"), 1);
	cr_assert_eq(cJSON_GetArraySize(jget(j, "run.failures")), 1);
	fail = cJSON_GetArrayItem(jget(j, "run.failures"), 0);
	cr_expect_str_eq(jget(fail, "file")->valuestring, "bad.c");
	cr_expect_eq(jnum(fail, "line"), 3);
	cr_expect(strstr(jget(fail, "message")->valuestring, "expected ';'"), "%s",
		  jget(fail, "message")->valuestring);
}

Test(cli, exit3_unit_fails_to_parse)
{
	struct result r;
	cJSON *j;

	write_file("bad.c", BAD_C);
	write_file("clean.c", CLEAN_C);
	write_compdb("bad.c", "clean.c", NULL);
	AUDIT(&r, NULL);
	expect_one_line(&r, 3, "memaudit: error: audit incomplete, reports marked partial: bad.c:3:");
	cr_expect(strstr(r.err.buf, "expected ';'"), "%s", r.err.buf);
	cr_expect(report_exists("report.txt") && report_exists("report.sarif"));
	j = read_json_report();
	expect_bad_c_failure(j);
	cr_expect_eq(jnum(j, "run.units.analysed"), 1);
	cJSON_Delete(j);
	result_release(&r);
}

Test(cli, exit3_wins_over_findings)
{
	struct result r;
	cJSON *j;

	write_file("bad.c", BAD_C);
	write_file("warn.c", WARN_C);
	write_compdb("bad.c", "warn.c", NULL);
	AUDIT(&r, NULL);
	expect_one_line(&r, 3, "audit incomplete");
	j = read_json_report();
	expect_bad_c_failure(j);
	cr_expect_eq(jnum(j, "summary.findings"), 1, "the units that parsed are still reported");
	cJSON_Delete(j);
	result_release(&r);
}

Test(cli, exit3_even_with_fail_on_none)
{
	struct result r;

	write_file("bad.c", BAD_C);
	write_compdb("bad.c", NULL);
	AUDIT(&r, "--fail-on", "none");
	expect_one_line(&r, 3, "audit incomplete");
	result_release(&r);
}

Test(cli, exit3_text_report_lists_the_failure)
{
	struct result r;

	write_file("bad.c", BAD_C);
	write_compdb("bad.c", NULL);
	run(&r, "audit", "-o", reports.buf, NULL);
	cr_expect_eq(r.code, 3);
	cr_expect(strstr(r.out.buf, "memaudit: not analysed: bad.c:3:"), "%s", r.out.buf);
	cr_expect(strstr(r.out.buf, "(partial: the audit is incomplete)"), "%s", r.out.buf);
	result_release(&r);
}

/* ------------------------------------------------------------------ */
/* Capturing the build, selecting units                                */

static int have_program(const char *name)
{
	struct strbuf cmd = STRBUF_INIT;
	int ok;

	strbuf_addf(&cmd, "command -v %s >/dev/null 2>&1", name);
	ok = system(cmd.buf) == 0;
	strbuf_release(&cmd);
	return ok;
}

Test(cli, build_command_is_captured_with_bear)
{
	struct result r;
	cJSON *j;

	if (!have_program("bear") || !have_program("make"))
		cr_skip_test("bear or make is not installed");
	write_file("Makefile", "all: warn.o clean.o\n%.o: %.c\n\t$(CC) -c -o $@ $<\n");
	write_file("warn.c", WARN_C);
	write_file("clean.c", CLEAN_C);
	AUDIT(&r, "--", "make", "--no-print-directory");
	expect_one_line(&r, 1, "1 finding at or above --fail-on warning");
	j = read_json_report();
	cr_expect_eq(jnum(j, "run.units.total"), 2);
	cr_expect(cJSON_IsNull(jget(j, "run.compile_db")), "a captured database is not named");
	cr_expect_str_eq(cJSON_GetArrayItem(jget(j, "findings"), 0)->child->valuestring,
			 "unchecked-return");
	cJSON_Delete(j);
	result_release(&r);
}

Test(cli, build_that_fails_after_compiling_something)
{
	struct result r;
	cJSON *j;

	if (!have_program("bear") || !have_program("make"))
		cr_skip_test("bear or make is not installed");
	write_file("Makefile", "all: warn.o\n\tfalse\n%.o: %.c\n\t$(CC) -c -o $@ $<\n");
	write_file("warn.c", WARN_C);
	AUDIT(&r, "--", "make", "--no-print-directory");
	/* make's own complaint comes first: the build's output is not captured */
	cr_expect_eq(r.code, 3, "stderr: %s", r.err.buf);
	cr_expect(ends_with(r.err.buf, "memaudit: error: audit incomplete, reports marked partial: "
			    "the build command exited with 2; the audit covers what it compiled\n"),
		  "%s", r.err.buf);
	j = read_json_report();
	cr_expect(cJSON_IsTrue(jget(j, "run.partial")));
	cr_expect(cJSON_IsNull(jget(cJSON_GetArrayItem(jget(j, "run.failures"), 0), "file")),
		  "a failed build is a run-wide failure, with no file");
	cr_expect_eq(jnum(j, "summary.findings"), 1, "what was compiled is still audited");
	cJSON_Delete(j);
	result_release(&r);
}

Test(cli, build_that_compiles_nothing)
{
	struct result r;

	if (!have_program("bear"))
		cr_skip_test("bear is not installed");
	AUDIT(&r, "--", "true");
	expect_error(&r, "the build command 'true' compiled no C or C++ file");
	result_release(&r);
}

Test(cli, files_glob_restricts_units)
{
	struct result r;
	cJSON *j, *f;

	write_file("warn.c", WARN_C);
	write_file("error.c", ERROR_C);
	write_compdb("warn.c", "error.c", NULL);
	AUDIT(&r, "--files", "err*.c", "--fail-on", "none");
	cr_expect_eq(r.code, 0, "stderr: %s", r.err.buf);
	j = read_json_report();
	cr_expect_eq(jnum(j, "run.units.total"), 1);
	cr_expect_eq(jnum(j, "run.units.excluded"), 1);
	cr_assert_eq(cJSON_GetArraySize(jget(j, "findings")), 1);
	f = cJSON_GetArrayItem(jget(j, "findings"), 0);
	cr_expect_str_eq(jget(f, "location.file")->valuestring, "error.c");
	cJSON_Delete(j);
	result_release(&r);
}

Test(cli, uri_of_a_file_with_space_and_hash)
{
	struct result r;
	struct strbuf p = STRBUF_INIT, sarif = STRBUF_INIT;

	write_file("a b#c.c", WARN_C);
	write_compdb("a b#c.c", NULL);
	AUDIT(&r, NULL);
	cr_expect_eq(r.code, 1, "stderr: %s", r.err.buf);
	report_path(&p, "report.sarif");
	slurp(p.buf, &sarif);
	cr_expect(strstr(sarif.buf, "\"a%20b%23c.c\""), "the uri is percent-encoded");
	cr_expect_null(strstr(sarif.buf, "a b#c.c\""));
	strbuf_release(&p);
	strbuf_release(&sarif);
	result_release(&r);
}

/* ------------------------------------------------------------------ */
/* Writing the reports                                                 */

Test(cli, format_json_writes_only_json)
{
	struct result r;

	write_file("clean.c", CLEAN_C);
	write_compdb("clean.c", NULL);
	AUDIT(&r, "--format", "json");
	cr_expect_eq(r.code, 0, "stderr: %s", r.err.buf);
	cr_expect(report_exists("report.json"));
	cr_expect_not(report_exists("report.txt"));
	cr_expect_not(report_exists("report.sarif"));
	result_release(&r);
}

Test(cli, output_dir_is_created_with_parents)
{
	struct result r;
	struct strbuf dir = STRBUF_INIT, file = STRBUF_INIT;

	write_file("clean.c", CLEAN_C);
	write_compdb("clean.c", NULL);
	strbuf_addf(&dir, "%s/a/b/c", reports.buf);
	run(&r, "audit", "-q", "-o", dir.buf, "--format", "text,sarif", NULL);
	cr_expect_eq(r.code, 0, "stderr: %s", r.err.buf);
	strbuf_addf(&file, "%s/report.txt", dir.buf);
	cr_expect(ma_is_file(file.buf), "no %s", file.buf);
	strbuf_release(&dir);
	strbuf_release(&file);
	result_release(&r);
}

/* Names in the report directory that hold ".tmp." (a leftover temporary). */
static size_t count_temporaries(void)
{
	DIR *d = opendir(reports.buf);
	struct dirent *de;
	size_t n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)))
		n += strstr(de->d_name, ".tmp.") != NULL;
	closedir(d);
	return n;
}

Test(cli, reports_are_replaced_atomically)
{
	struct result r;
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT, text = STRBUF_INIT;
	cJSON *j;

	write_file("clean.c", CLEAN_C);
	write_compdb("clean.c", NULL);
	cr_assert_eq(ma_mkdir_p(reports.buf, &err), 0);
	report_path(&p, "report.json");
	cr_assert_eq(ma_write_file_atomic(p.buf, "old", 3, &err), 0);
	AUDIT(&r, NULL);
	cr_expect_eq(r.code, 0, "stderr: %s", r.err.buf);
	j = read_json_report();
	cr_expect_str_eq(jget(j, "format")->valuestring, "memaudit-report");
	cr_expect_eq(count_temporaries(), 0, "a temporary file was left behind");
	strbuf_reset(&p);
	report_path(&p, "report.txt");
	slurp(p.buf, &text);
	cr_expect(ends_with(text.buf, "in 1 translation unit\n"), "%s", text.buf);
	cJSON_Delete(j);
	strbuf_release(&p);
	strbuf_release(&err);
	strbuf_release(&text);
	result_release(&r);
}

Test(cli, unwritable_output_is_an_error)
{
	struct result r;

	write_file("clean.c", CLEAN_C);
	write_file("taken", "a file where the output directory should go\n");
	write_compdb("clean.c", NULL);
	run(&r, "audit", "-q", "-o", "taken/reports", NULL);
	expect_error(&r, "cannot create directory 'taken'");
	result_release(&r);
}

/* ------------------------------------------------------------------ */
/* rules, help, version                                                */

/* The ids of the rule files in rules/, read from the source tree. */
static void catalogue_ids(struct strvec *ids)
{
	glob_t g;

	cr_assert_eq(glob("rules/*.json", 0, NULL, &g), 0, "run the tests from the top of the tree");
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		strvec_push(ids, base);
		((char *)ids->v[ids->nr - 1])[strlen(base) - 5] = '\0';
	}
	globfree(&g);
}

Test(cli, rules_lists_the_whole_catalogue)
{
	struct strvec ids = STRVEC_INIT;
	struct strbuf line = STRBUF_INIT;
	struct result r;

	catalogue_ids(&ids);
	cr_assert_gt(ids.nr, 0);
	run(&r, "rules", NULL);
	cr_expect_eq(r.code, 0);
	cr_expect_str_empty(r.err.buf);
	cr_expect_eq(count_lines(r.out.buf), ids.nr + 1, "a header and one line per rule:\n%s", r.out.buf);
	for (size_t i = 0; i < ids.nr; i++) {
		strbuf_reset(&line);
		strbuf_addf(&line, "\n%s ", ids.v[i]);
		cr_expect(strstr(r.out.buf, line.buf), "'%s' is not listed", ids.v[i]);
	}
	strvec_clear(&ids);
	strbuf_release(&line);
	result_release(&r);
}

Test(cli, rules_shows_one_rule)
{
	struct result r;

	run(&r, "rules", "free-non-heap", NULL);
	cr_expect_eq(r.code, 0);
	cr_expect(starts_with(r.out.buf, "free-non-heap: "), "%s", r.out.buf);
	cr_expect(strstr(r.out.buf, "CWE-590"), "%s", r.out.buf);
	cr_expect(strstr(r.out.buf, "How to fix: "), "%s", r.out.buf);
	result_release(&r);
}

static void expect_usage(const char *cmd, const char *first)
{
	struct result r;

	run(&r, cmd, "--help", NULL);
	cr_expect_eq(r.code, 0, "'%s --help' exits %d", cmd, r.code);
	cr_expect(starts_with(r.out.buf, first), "'%s --help':\n%s", cmd, r.out.buf);
	cr_expect_str_empty(r.err.buf);
	result_release(&r);
}

Test(cli, help_of_every_command)
{
	expect_usage("audit", "usage: memaudit audit ");
	expect_usage("help", "usage: memaudit help");
	expect_usage("rules", "usage: memaudit rules");
	expect_usage("version", "usage: memaudit version");
	expect_usage("--help", "usage: memaudit <command>");
}

Test(cli, help_command_shows_a_command_usage)
{
	struct result a, h;

	run(&a, "audit", "--help", NULL);
	run(&h, "help", "audit", NULL);
	cr_expect_eq(h.code, 0);
	cr_expect_str_eq(h.out.buf, a.out.buf);
	cr_expect(strstr(a.out.buf, "--fail-on LEVEL"), "%s", a.out.buf);
	result_release(&a);
	result_release(&h);
	run(&h, "help", NULL);
	cr_expect_eq(h.code, 0);
	cr_expect(strstr(h.out.buf, "Exit codes:"), "%s", h.out.buf);
	result_release(&h);
	run(&h, "help", "nope", NULL);
	expect_error(&h, "no such command 'nope'");
	result_release(&h);
}

Test(cli, version)
{
	struct result r;

	run(&r, "version", NULL);
	cr_expect_eq(r.code, 0);
	cr_expect(starts_with(r.out.buf, "memaudit "), "%s", r.out.buf);
	result_release(&r);
	run(&r, "--version", NULL);
	cr_expect_eq(r.code, 0);
	result_release(&r);
	run(&r, "version", "extra", NULL);
	expect_error(&r, "takes no arguments");
	result_release(&r);
}
