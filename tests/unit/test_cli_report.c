/*
 * Tests for `memaudit report` (cmd/report.c), through the built binary
 * ($MEMAUDIT, else build/memaudit), as test_cli.c does for audit: a tiny
 * project in a fresh temporary directory is audited, its report.json
 * written again with `memaudit report`, and the two sets of reports
 * compared byte for byte.  Reports go to tests/out/cli_report/<test>/
 * (under $MEMAUDIT_TEST_OUT when set), where tests/sarif/validate.sh
 * validates the SARIF logs written again too.
 */
#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "../../core/fs.h"
#include "../../core/path.h"
#include "../../core/spawn.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

/* free-non-heap (an error, with an event) and unchecked-return (a warning) */
#define BUGS_C "#include <stdio.h>\n#include <stdlib.h>\nvoid fr(void) { int x; free(&x); }\n" \
	       "void rd(void) { char b[8]; fgets(b, sizeof b, stdin); }\n"

static struct strbuf proj = STRBUF_INIT;    /* the test's project (temporary) */
static struct strbuf reports = STRBUF_INIT; /* tests/out/cli_report/<test>/ */
static struct strbuf bin = STRBUF_INIT;     /* absolute path of memaudit */

static void setup(void)
{
	const char *m = getenv("MEMAUDIT"), *o = getenv("MEMAUDIT_TEST_OUT");
	struct strbuf cwd = STRBUF_INIT, err = STRBUF_INIT;

	cr_assert_eq(ma_getcwd(&cwd, &err), 0, "%s", err.buf);
	ma_path_absolute(&bin, cwd.buf, m && *m ? m : "build/memaudit");
	cr_assert(access(bin.buf, X_OK) == 0, "no memaudit binary at '%s' (set MEMAUDIT)", bin.buf);
	ma_path_absolute(&reports, cwd.buf, o && *o ? o : "tests/out");
	strbuf_addf(&reports, "/cli_report/%s", criterion_current_test->name);
	ma_remove_tree(reports.buf);
	cr_assert_eq(ma_mkdtemp(&proj, "memaudit-cli-report", &err), 0, "%s", err.buf);
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

TestSuite(cli_report, .init = setup, .fini = teardown, .timeout = 180);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static void write_file(const char *name, const char *text, size_t len)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", proj.buf, name);
	cr_assert_eq(ma_write_file_atomic(path.buf, text, len, &err), 0, "%s", err.buf);
	strbuf_release(&path);
	strbuf_release(&err);
}

/* The project: bugs.c and a compile database naming it. */
static void write_project(void)
{
	struct strbuf db = STRBUF_INIT;

	write_file("bugs.c", BUGS_C, strlen(BUGS_C));
	strbuf_addf(&db, "[{\"directory\": \"%s\", \"file\": \"bugs.c\", \"arguments\": [\"cc\", \"-c\", \"bugs.c\"]}]",
		    proj.buf);
	write_file("compile_commands.json", db.buf, db.len);
	strbuf_release(&db);
}

/* Run argv (NULL-terminated; memaudit's path put first when `memaudit`) in the project. */
static void run_argv(struct cli_result *r, int memaudit, const char **args)
{
	struct strvec argv = STRVEC_INIT;

	if (memaudit)
		strvec_push(&argv, bin.buf);
	strvec_pushv(&argv, args);
	cli_run(r, argv.v, proj.buf, proj.buf, 150000);
	strvec_clear(&argv);
}

static void run(struct cli_result *r, const char *arg, ...)
{
	const char *args[16];
	size_t n = 0;
	va_list ap;

	va_start(ap, arg);
	for (; arg && n < 15; arg = va_arg(ap, const char *))
		args[n++] = arg;
	va_end(ap);
	args[n] = NULL;
	run_argv(r, 1, args);
}

/* reports/<sub> as an absolute path. */
static void out_dir(struct strbuf *sb, const char *sub)
{
	strbuf_addf(sb, "%s/%s", reports.buf, sub);
}

/* audit the project into reports/<sub>, with more arguments (NULL-terminated) */
static void audit_into(const char *sub, const char *more, ...)
{
	struct strbuf dir = STRBUF_INIT;
	const char *args[24] = { "audit", "-q", "--fail-on", "none", "-o", NULL };
	size_t n = 6;
	struct cli_result r;
	va_list ap;

	out_dir(&dir, sub);
	args[5] = dir.buf;
	va_start(ap, more);
	for (; more && n < 23; more = va_arg(ap, const char *))
		args[n++] = more;
	va_end(ap);
	args[n] = NULL;
	run_argv(&r, 1, args);
	cr_assert_eq(r.code, 0, "audit exits %d:\n%s", r.code, r.err.buf);
	cli_result_release(&r);
	strbuf_release(&dir);
}

/* `memaudit report A/report.json -o B -q` with reports/<a> and reports/<b>. */
static void rewrite(const char *a, const char *b)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	struct cli_result r;

	out_dir(&in, a);
	strbuf_addstr(&in, "/report.json");
	out_dir(&out, b);
	run(&r, "report", in.buf, "-o", out.buf, "-q", NULL);
	cr_assert_eq(r.code, 0, "report exits %d:\n%s", r.code, r.err.buf);
	cr_expect_str_empty(r.err.buf);
	cr_expect_str_empty(r.out.buf, "printed with -q:\n%s", r.out.buf);
	cli_result_release(&r);
	strbuf_release(&in);
	strbuf_release(&out);
}

/* reports/<a>/<name> and reports/<b>/<name> hold the same bytes. */
static void expect_same_file(const char *a, const char *b, const char *name)
{
	struct strbuf pa = STRBUF_INIT, pb = STRBUF_INIT, ta = STRBUF_INIT, tb = STRBUF_INIT;

	out_dir(&pa, a);
	strbuf_addf(&pa, "/%s", name);
	out_dir(&pb, b);
	strbuf_addf(&pb, "/%s", name);
	cli_slurp(pa.buf, &ta);
	cli_slurp(pb.buf, &tb);
	cr_expect(ta.len == tb.len && !memcmp(ta.buf, tb.buf, ta.len), "%s differs after `memaudit report`:\n%s\n---\n%s",
		  name, ta.buf, tb.buf);
	strbuf_release(&pa);
	strbuf_release(&pb);
	strbuf_release(&ta);
	strbuf_release(&tb);
}

static void expect_same_reports(const char *a, const char *b)
{
	expect_same_file(a, b, "report.json");
	expect_same_file(a, b, "report.txt");
	expect_same_file(a, b, "report.sarif");
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Exit 2 and one line on stderr, holding `needle`. */
static void expect_error(const struct cli_result *r, const char *needle)
{
	cr_expect_eq(r->code, 2, "exit code %d; stderr:\n%s", r->code, r->err.buf);
	cr_expect_eq(count_lines(r->err.buf), 1, "expected one line on stderr:\n%s", r->err.buf);
	cr_expect(starts_with(r->err.buf, "memaudit: error: "), "%s", r->err.buf);
	cr_expect(strstr(r->err.buf, needle), "stderr lacks \"%s\":\n%s", needle, r->err.buf);
}

/* ------------------------------------------------------------------ */
/* Round trips                                                         */

Test(cli_report, writes_the_audits_reports_again_byte_for_byte)
{
	write_project();
	audit_into("audit", NULL);
	rewrite("audit", "again");
	expect_same_reports("audit", "again");
}

Test(cli_report, prints_the_text_report_like_audit)
{
	struct strbuf in = STRBUF_INIT, txt = STRBUF_INIT;
	struct cli_result r;

	write_project();
	audit_into("audit", NULL);
	out_dir(&in, "audit/report.json");
	run(&r, "report", in.buf, NULL);
	cr_expect_eq(r.code, 0, "%s", r.err.buf);
	out_dir(&txt, "audit/report.txt");
	strbuf_reset(&in);
	cli_slurp(txt.buf, &in);
	cr_expect_str_eq(r.out.buf, in.buf);
	cr_expect(strstr(r.err.buf, "memaudit: wrote memaudit-out/report.json\n"), "%s", r.err.buf);
	cr_expect(strstr(r.err.buf, "memaudit: wrote memaudit-out/report.sarif\n"), "default: every format:\n%s",
		  r.err.buf);
	cli_result_release(&r);
	strbuf_release(&in);
	strbuf_release(&txt);
}

Test(cli_report, format_list_writes_only_those)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	struct cli_result r;

	write_project();
	audit_into("audit", NULL);
	out_dir(&in, "audit/report.json");
	out_dir(&out, "sarif");
	run(&r, "report", in.buf, "--format", "sarif", "-o", out.buf, "-q", NULL);
	cr_expect_eq(r.code, 0, "%s", r.err.buf);
	expect_same_file("audit", "sarif", "report.sarif");
	strbuf_addstr(&out, "/report.json");
	cr_expect_not(ma_is_file(out.buf), "json written without being asked for");
	cli_result_release(&r);
	strbuf_release(&in);
	strbuf_release(&out);
}

/* The SARIF line hashes come from the sources: an edited line loses its
 * hash (GitHub then matches the alert on its own), the others keep theirs. */
Test(cli_report, edited_source_line_loses_its_sarif_line_hash)
{
	static const char edited[] = "#include <stdio.h>\n#include <stdlib.h>\nvoid fr(void) { int x;   free(&x); /* ! */ }\n"
				     "void rd(void) { char b[8]; fgets(b, sizeof b, stdin); }\n";
	struct strbuf p = STRBUF_INIT, sarif = STRBUF_INIT;

	write_project();
	audit_into("audit", NULL);
	write_file("bugs.c", edited, strlen(edited));
	rewrite("audit", "again");
	expect_same_file("audit", "again", "report.json");
	out_dir(&p, "again/report.sarif");
	cli_slurp(p.buf, &sarif);
	cr_expect(strstr(sarif.buf, "\"primaryLocationLineHash\":\t\"0000000000000000:1\""), "%s", sarif.buf);
	cr_expect_null(strstr(strstr(sarif.buf, "0000000000000000:1") + 1, "0000000000000000:1"),
		       "only the edited line's finding lost its hash");
	strbuf_release(&p);
	strbuf_release(&sarif);
}

static int have_valgrind(void)
{
	const char *argv[] = { "valgrind", "--version", NULL };
	struct ma_spawn_opts o = { .stdout_path = "/dev/null", .stderr_path = "/dev/null" };
	struct ma_spawn_result res;
	struct strbuf why = STRBUF_INIT;
	int ok = ma_spawn_run(argv, &o, &res, &why) == 0 && res.exit_code == 0;

	strbuf_release(&why);
	return ok;
}

/* A clean program for the profilers (bad.c wrecks the heap, which stops
 * massif and DHAT): a long-lived block and many short-lived ones. */
#define ALLOC_C "#include <stdlib.h>\n#include <string.h>\n" \
		"static char *keep(size_t n) { char *p = malloc(n); memset(p, 1, n); return p; }\n" \
		"int main(void)\n{\n\tchar *big = keep(100000);\n\tint s = 0;\n" \
		"\tfor (int i = 0; i < 100; i++) {\n\t\tchar *t = malloc(64);\n\t\tt[0] = (char)i;\n" \
		"\t\ts += t[0];\n\t\tfree(t);\n\t}\n\ts += big[5];\n\tfree(big);\n\treturn s < 0;\n}\n"

/* Build name.c into name for Valgrind (DWARF 4). */
static void build_program(const char *name)
{
	struct strbuf src = STRBUF_INIT;
	const char *cc[] = { "cc", "-g", "-gdwarf-4", "-O0", "-w", "-o", name, NULL, NULL };
	struct cli_result r;

	strbuf_addf(&src, "%s.c", name);
	cc[7] = src.buf;
	run_argv(&r, 0, cc);
	cr_assert_eq(r.code, 0, "cc %s: %s", src.buf, r.err.buf);
	cli_result_release(&r);
	strbuf_release(&src);
}

/* Dynamic findings (memcheck's, some confirming static ones) and every
 * profile kind, from a real run. */
Test(cli_report, dynamic_passes_and_profiles_come_back_the_same)
{
	struct strbuf text = STRBUF_INIT, db = STRBUF_INIT, json = STRBUF_INIT;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	cli_slurp("fixtures/dynamic/memcheck/bad.c", &text);
	write_file("bad.c", text.buf, text.len);
	write_file("alloc.c", ALLOC_C, strlen(ALLOC_C));
	strbuf_addf(&db, "[{\"directory\": \"%s\", \"file\": \"bad.c\", \"arguments\": [\"cc\", \"-c\", \"bad.c\"]}, "
		    "{\"directory\": \"%s\", \"file\": \"alloc.c\", \"arguments\": [\"cc\", \"-c\", \"alloc.c\"]}]",
		    proj.buf, proj.buf);
	write_file("compile_commands.json", db.buf, db.len);
	build_program("bad");
	build_program("alloc");
	audit_into("audit", "--run", "sh -c './bad; ./alloc'", "--dynamic", "memcheck,massif,dhat,callgrind", NULL);
	strbuf_reset(&db);
	out_dir(&db, "audit/report.json");
	cli_slurp(db.buf, &json);
	cr_expect(strstr(json.buf, "\"confirmed\":\ttrue"), "no confirmed finding:\n%s", json.buf);
	cr_expect(strstr(json.buf, "\"snapshots\":\t[{"), "no heap profile:\n%s", json.buf);
	cr_expect(strstr(json.buf, "\"short_lived\":\t"), "no allocation profile:\n%s", json.buf);
	cr_expect(strstr(json.buf, "\"edges\":\t[{"), "no cost profile:\n%s", json.buf);
	rewrite("audit", "again");
	expect_same_reports("audit", "again");
	strbuf_release(&text);
	strbuf_release(&db);
	strbuf_release(&json);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

Test(cli_report, missing_file)
{
	struct cli_result r;

	run(&r, "report", "nowhere/report.json", NULL);
	expect_error(&r, "cannot open 'nowhere/report.json': No such file or directory");
	cli_result_release(&r);
}

Test(cli_report, not_a_report)
{
	struct strbuf in = STRBUF_INIT;
	struct cli_result r;

	write_project();
	audit_into("audit", NULL);
	out_dir(&in, "audit/report.sarif");
	run(&r, "report", in.buf, NULL);
	expect_error(&r, "report.sarif': not a memaudit report");
	cli_result_release(&r);
	run(&r, "report", "compile_commands.json", NULL);
	expect_error(&r, "'compile_commands.json': not a memaudit report");
	cli_result_release(&r);
	run(&r, "report", "bugs.c", NULL);
	expect_error(&r, "'bugs.c': malformed JSON at line 1, column 1");
	cli_result_release(&r);
	strbuf_release(&in);
}

Test(cli_report, bad_format)
{
	struct cli_result r;

	write_project();
	run(&r, "report", "compile_commands.json", "--format", "json,pdf", NULL);
	expect_error(&r, "unknown format 'pdf' (known: ");
	cli_result_release(&r);
}

Test(cli_report, one_report_exactly)
{
	struct cli_result r;

	run(&r, "report", NULL);
	expect_error(&r, "give one JSON report to read");
	cli_result_release(&r);
	run(&r, "report", "a.json", "b.json", NULL);
	expect_error(&r, "give one JSON report to read");
	cli_result_release(&r);
	run(&r, "report", "--help", NULL);
	cr_expect_eq(r.code, 0);
	cr_expect(starts_with(r.out.buf, "usage: memaudit report REPORT.json"), "%s", r.out.buf);
	cli_result_release(&r);
}
