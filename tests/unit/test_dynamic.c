/*
 * The dynamic passes end to end: each program of fixtures/dynamic/<pass>/
 * is built with -g -gdwarf-4 -O0 (Valgrind 3.19 cannot read clang 14's
 * default DWARF 5), run under `memaudit audit --run --dynamic <pass>`, and the findings the
 * pass made (or confirmed) are compared with the fixture's check-output
 * block: the same rule on the same line, nothing more, nothing less.  The
 * bad fixtures plant one bug per function, the good ones are their clean
 * twins.  Then how a run fails: Valgrind missing, a hang, a bad --run.
 *
 * Skipped when Valgrind is not installed (the static tests still run).
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture_block.h"
#include "../../core/fs.h"
#include "../../core/path.h"
#include "../../core/spawn.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

static struct strbuf dir = STRBUF_INIT;  /* the test's scratch directory */
static struct strbuf bin = STRBUF_INIT;  /* memaudit, absolute */
static struct strbuf repo = STRBUF_INIT; /* the working directory: the repository */

static void setup(void)
{
	const char *m = getenv("MEMAUDIT");
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_getcwd(&repo, &err), 0, "%s", err.buf);
	ma_path_absolute(&bin, repo.buf, m && *m ? m : "build/memaudit");
	cr_assert(access(bin.buf, X_OK) == 0, "no memaudit binary at '%s' (set MEMAUDIT)", bin.buf);
	cr_assert_eq(ma_mkdtemp(&dir, "memaudit-dyn", &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	ma_remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&bin);
	strbuf_release(&repo);
}

TestSuite(dynamic, .init = setup, .fini = teardown, .timeout = 180);

static int have_valgrind(void)
{
	struct ma_spawn_opts o = { .stdout_path = "/dev/null", .stderr_path = "/dev/null" };
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "valgrind", "--version", NULL };
	int ok = ma_spawn_run(argv, &o, &r, &err) == 0 && r.exit_code == 0;

	strbuf_release(&err);
	return ok;
}

static int run_argv(const char *const *argv, const char *const *env, int *exit_code)
{
	struct ma_spawn_opts o = { .cwd = repo.buf, .env = env, .stdin_path = "/dev/null",
				   .stdout_path = "/dev/null", .timeout_ms = 150000 };
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT, path = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/stderr", dir.buf);
	o.stderr_path = path.buf;
	ret = ma_spawn_run(argv, &o, &r, &err);
	cr_assert_eq(ret, 0, "cannot run %s: %s", argv[0], err.buf);
	*exit_code = r.exit_code;
	strbuf_release(&err);
	strbuf_release(&path);
	return ret;
}

/* The words of the fixture's " * check-build: clang ..." line into argv; 0 when it has none. */
static int fixture_build(const char *src, struct strvec *argv)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const char *p;
	char *line;
	int found;

	cr_assert_eq(strbuf_read_file(&text, src, &err), 0, "%s", err.buf);
	p = strstr(text.buf, " * check-build: ");
	found = p != NULL;
	if (found) {
		p += strlen(" * check-build: ");
		line = strndup(p, strcspn(p, "\n"));
		cr_assert_eq(strvec_split_words(argv, line, &err), 0, "%s: %s", src, err.buf);
		free(line);
	}
	strbuf_release(&text);
	strbuf_release(&err);
	return found;
}

/* Build src (relative to the repository) into dir/name: as its check-build
 * line says (ThreadSanitizer, UBSan's opt-in checks), else for Valgrind
 * with DWARF 4, for the sanitizers with clang's runtimes, recovering after
 * each report. */
static void build_for(const char *src, const char *name, const char *pass)
{
	struct strbuf out = STRBUF_INIT;
	struct strvec own = STRVEC_INIT;
	const char *valgrind[] = { "cc", "-g", "-gdwarf-4", "-O0", "-w", "-pthread", "-o", NULL, src, NULL };
	const char *sanitizers[] = { "clang", "-g", "-O0", "-w", "-fsanitize=address,undefined",
				     "-fsanitize-recover=address,undefined", "-fno-omit-frame-pointer", "-o",
				     NULL, src, NULL };
	const char **argv = pass && !strcmp(pass, "sanitizers") ? sanitizers : valgrind;
	int code;

	strbuf_addf(&out, "%s/%s", dir.buf, name);
	if (fixture_build(src, &own)) {
		strvec_pushl(&own, "-w", "-o", out.buf, src, NULL);
		argv = (const char **)own.v;
	} else {
		for (size_t i = 0; argv[i]; i++)
			if (!strcmp(argv[i], "-o")) {
				argv[i + 1] = out.buf;
				break;
			}
	}
	run_argv(argv, NULL, &code);
	cr_assert_eq(code, 0, "%s failed on %s", argv[0], src);
	strvec_clear(&own);
	strbuf_release(&out);
}

static void build(const char *src, const char *name)
{
	build_for(src, name, NULL);
}

/* dir/compile_commands.json with the one file, so the static pass runs too. */
static void write_compdb(const char *src)
{
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;

	struct strbuf abs = STRBUF_INIT;

	ma_path_absolute(&abs, repo.buf, src);
	strbuf_addf(&text, "[{\"directory\":\"%s\",\"file\":\"%s\",\"arguments\":[\"cc\",\"-c\",\"%s\"]}]",
		    repo.buf, abs.buf, abs.buf);
	strbuf_release(&abs);
	strbuf_addf(&path, "%s/compile_commands.json", dir.buf);
	cr_assert_eq(ma_write_file_atomic(path.buf, text.buf, text.len, &err), 0, "%s", err.buf);
	strbuf_release(&text);
	strbuf_release(&path);
	strbuf_release(&err);
}

/* memaudit audit on the fixture, running `run`; the JSON report, parsed. */
static cJSON *audit(const char *src, const char *run, const char *pass, const char *extra,
		    const char *const *env, int *exit_code)
{
	struct strbuf db = STRBUF_INIT, out = STRBUF_INIT, json = STRBUF_INIT, err = STRBUF_INIT;
	const char *argv[16];
	int n = 0;
	cJSON *j;

	write_compdb(src);
	strbuf_addf(&db, "%s/compile_commands.json", dir.buf);
	strbuf_addf(&out, "%s/out", dir.buf);
	argv[n++] = bin.buf;
	argv[n++] = "audit";
	argv[n++] = "-q";
	argv[n++] = "--compile-db";
	argv[n++] = db.buf;
	argv[n++] = "--run";
	argv[n++] = run;
	argv[n++] = "-o";
	argv[n++] = out.buf;
	argv[n++] = "--fail-on";
	argv[n++] = "none";
	if (pass) {
		argv[n++] = "--dynamic";
		argv[n++] = pass;
	}
	if (extra) {
		argv[n++] = "--timeout";
		argv[n++] = extra;
	}
	argv[n] = NULL;
	run_argv(argv, env, exit_code);
	strbuf_addstr(&out, "/report.json");
	if (strbuf_read_file(&json, out.buf, &err) < 0)
		j = NULL;
	else
		j = cJSON_Parse(json.buf);
	strbuf_release(&db);
	strbuf_release(&out);
	strbuf_release(&json);
	strbuf_release(&err);
	return j;
}


/* Is `name` (a finding's pass) one the --dynamic pass `pass` makes?  The
 * sanitizers pass names each finding after its runtime. */
static int made_by(const char *name, const char *pass)
{
	static const char *const runtimes[] = { "asan", "ubsan", "lsan", "tsan", NULL };

	if (!strcmp(name, pass))
		return 1;
	for (size_t i = 0; !strcmp(pass, "sanitizers") && runtimes[i]; i++)
		if (strstr(name, runtimes[i]))
			return 1;
	return 0;
}

/* The findings a pass made or confirmed, as "file:line: rule". */
static void found_by(const cJSON *report, const char *pass, struct strvec *out)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(report, "findings")) {
		const cJSON *by = cJSON_GetObjectItem(f, "confirmed_by"), *also = cJSON_GetObjectItem(f, "also_by");
		const cJSON *loc = cJSON_GetObjectItem(f, "location");
		const char *file = cJSON_GetObjectItem(loc, "file")->valuestring;
		const char *base = strrchr(file, '/');
		if (!made_by(cJSON_GetObjectItem(f, "pass")->valuestring, pass) &&
		    !(cJSON_IsString(by) && made_by(by->valuestring, pass)) &&
		    !(cJSON_IsString(also) && made_by(also->valuestring, pass)))
			continue;
		strvec_pushf(out, "%s:%d: %s", base ? base + 1 : file,
			     cJSON_GetObjectItem(loc, "line")->valueint,
			     cJSON_GetObjectItem(f, "rule")->valuestring);
	}
}

static int listed(const struct strvec *v, const char *s)
{
	for (size_t i = 0; i < v->nr; i++)
		if (!strcmp(v->v[i], s))
			return 1;
	return 0;
}

/* The report has the fixture's expected findings of the pass, and no others. */
static void expect_fixture_findings(const cJSON *report, const char *src, const char *pass)
{
	struct strvec want = STRVEC_INIT, got = STRVEC_INIT;

	fixture_expected(src, &want);
	found_by(report, pass, &got);
	for (size_t i = 0; i < want.nr; i++)
		cr_expect(listed(&got, want.v[i]), "%s: expected, not reported: %s", src, want.v[i]);
	for (size_t i = 0; i < got.nr; i++)
		cr_expect(listed(&want, got.v[i]), "%s: reported, not expected: %s", src, got.v[i]);
	strvec_clear(&want);
	strvec_clear(&got);
}

/* fixtures/dynamic/<pass>/<name>.c runs under <pass>, memaudit with env set. */
static void check_fixture_env(const char *src, const char *pass, const char *const *env)
{
	struct strbuf prog = STRBUF_INIT;
	cJSON *report;
	int code;

	if (strcmp(pass, "sanitizers") && !have_valgrind())
		cr_skip_test("valgrind is not installed");
	build_for(src, "prog", pass);
	strbuf_addf(&prog, "%s/prog", dir.buf);
	report = audit(src, prog.buf, pass, NULL, env, &code);
	cr_assert(report, "no JSON report");
	cr_expect_eq(code, 0);
	expect_fixture_findings(report, src, pass);
	cJSON_Delete(report);
	strbuf_release(&prog);
}

static void check_fixture(const char *src, const char *pass)
{
	check_fixture_env(src, pass, NULL);
}

Test(dynamic, memcheck_finds_each_planted_bug_on_its_line)
{
	check_fixture("fixtures/dynamic/memcheck/bad.c", "memcheck");
}

Test(dynamic, memcheck_is_quiet_on_the_clean_twins)
{
	check_fixture("fixtures/dynamic/memcheck/good.c", "memcheck");
}

Test(dynamic, helgrind_finds_races_lock_order_and_lock_misuse)
{
	check_fixture("fixtures/dynamic/helgrind/bad.c", "helgrind");
}

Test(dynamic, helgrind_is_quiet_on_the_clean_twins)
{
	check_fixture("fixtures/dynamic/helgrind/good.c", "helgrind");
}

Test(dynamic, drd_finds_races_and_unlocks_of_mutexes_not_held)
{
	check_fixture("fixtures/dynamic/drd/bad.c", "drd");
}

Test(dynamic, drd_is_quiet_on_the_clean_twins)
{
	check_fixture("fixtures/dynamic/drd/good.c", "drd");
}

Test(dynamic, sanitizers_report_each_planted_bug_on_its_line)
{
	check_fixture("fixtures/dynamic/sanitizers/bad.c", "sanitizers");
}

Test(dynamic, sanitizers_are_quiet_on_the_clean_twins)
{
	check_fixture("fixtures/dynamic/sanitizers/good.c", "sanitizers");
}

/* The runtimes print binary+offset frames only; memaudit reads the DWARF itself (libdw). */
Test(dynamic, sanitizers_without_a_symbolizer_still_place_each_bug_on_its_line)
{
	const char *env[] = { "ASAN_OPTIONS=symbolize=0", "UBSAN_OPTIONS=symbolize=0", "LSAN_OPTIONS=symbolize=0",
			      NULL };

	check_fixture_env("fixtures/dynamic/sanitizers/bad.c", "sanitizers", env);
}

/* The run's notes, joined by newlines. */
static void notes_of(const cJSON *report, struct strbuf *out)
{
	const cJSON *n;

	cJSON_ArrayForEach(n, cJSON_GetObjectItem(cJSON_GetObjectItem(report, "run"), "notes"))
		strbuf_addf(out, "%s\n", n->valuestring);
}

/* A use after free built by clang with `flags`, under memcheck: the report's notes. */
static void memcheck_notes(const char *const *flags, struct strbuf *notes)
{
	const char *text = "#include <stdlib.h>\nint main(void) { int *p = malloc(4); free(p);\n"
			   "  return p[0];\n}\n";
	const char *argv[12] = { "clang", "-O0", "-w" };
	struct strbuf src = STRBUF_INIT, prog = STRBUF_INIT, err = STRBUF_INIT;
	cJSON *report;
	int n = 3, code;

	strbuf_addf(&src, "%s/uaf.c", dir.buf);
	strbuf_addf(&prog, "%s/uaf", dir.buf);
	cr_assert_eq(ma_write_file_atomic(src.buf, text, strlen(text), &err), 0, "%s", err.buf);
	for (size_t i = 0; flags[i]; i++)
		argv[n++] = flags[i];
	argv[n++] = "-o";
	argv[n++] = prog.buf;
	argv[n++] = src.buf;
	argv[n] = NULL;
	run_argv(argv, NULL, &code);
	cr_assert_eq(code, 0, "clang failed");
	report = audit(src.buf, prog.buf, "memcheck", NULL, NULL, &code);
	cr_assert(report, "no JSON report");
	notes_of(report, notes);
	cJSON_Delete(report);
	strbuf_release(&src);
	strbuf_release(&prog);
	strbuf_release(&err);
}

/* (Debian's Valgrind 3.19 does read the line tables of clang 14's DWARF 5,
 * so a DWARF 5 binary is placed here: its note is tested in test_symbolize.c.) */
Test(dynamic, memcheck_says_which_binary_has_no_debug_information)
{
	struct strbuf notes = STRBUF_INIT, want = STRBUF_INIT;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	memcheck_notes((const char *[]){ NULL }, &notes);
	strbuf_addf(&want, "%s/uaf: no debug information: rebuild with -g\n", dir.buf);
	cr_expect(strstr(notes.buf, want.buf), "notes:\n%s", notes.buf);
	cr_expect_null(strstr(notes.buf, "DWARF 5"), "notes:\n%s", notes.buf);

	strbuf_reset(&notes);
	memcheck_notes((const char *[]){ "-g", "-gdwarf-4", NULL }, &notes);
	cr_expect_null(strstr(notes.buf, "/uaf"), "DWARF 4: placed, no note about the binary:\n%s", notes.buf);
	strbuf_release(&notes);
	strbuf_release(&want);
}

Test(dynamic, tsan_reports_races_lock_cycles_lock_misuse_and_leaked_threads)
{
	check_fixture("fixtures/dynamic/tsan/bad.c", "sanitizers");
}

Test(dynamic, tsan_is_quiet_on_the_clean_twins)
{
	check_fixture("fixtures/dynamic/tsan/good.c", "sanitizers");
}

Test(dynamic, opt_in_ubsan_checks_report_conversions_wraps_and_bad_indirect_calls)
{
	check_fixture("fixtures/dynamic/ubsan-opt-in/bad.c", "sanitizers");
}

Test(dynamic, opt_in_ubsan_checks_are_quiet_on_the_clean_twins)
{
	check_fixture("fixtures/dynamic/ubsan-opt-in/good.c", "sanitizers");
}

/*
 * Each process's XML is read while Valgrind writes it.  A traced shell
 * that execs the program keeps its pid, so the program's Valgrind writes
 * the shell's file again from its start, after the shell's header was read
 * (the shell sleeps first): only the program's reports count, and the file
 * is not taken for a malformed one.
 */
Test(dynamic, a_file_written_again_after_an_exec_is_read_again)
{
	const char *src = "fixtures/dynamic/memcheck/bad.c";
	struct strbuf run = STRBUF_INIT;
	cJSON *report;
	int code;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	build(src, "prog");
	strbuf_addf(&run, "sh -c 'sleep 1; exec %s/prog'", dir.buf);
	report = audit(src, run.buf, "memcheck", NULL, NULL, &code);
	cr_assert(report, "no JSON report");
	cr_expect_eq(code, 0);
	cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(report, "run"), "partial")));
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(report, "run"), "failures")), 0);
	expect_fixture_findings(report, src, "memcheck");
	cJSON_Delete(report);
	strbuf_release(&run);
}

Test(dynamic, a_static_finding_the_run_hits_is_confirmed)
{
	struct strbuf prog = STRBUF_INIT;
	cJSON *report, *first;
	int code;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	build("fixtures/dynamic/memcheck/bad.c", "prog");
	strbuf_addf(&prog, "%s/prog", dir.buf);
	report = audit("fixtures/dynamic/memcheck/bad.c", prog.buf, NULL, NULL, NULL, &code);
	cr_assert(report);
	/* the static pass sees the use after free too: one finding, confirmed, listed first */
	first = cJSON_GetArrayItem(cJSON_GetObjectItem(report, "findings"), 0);
	cr_expect_str_eq(cJSON_GetObjectItem(first, "rule")->valuestring, "use-after-free");
	cr_expect_str_eq(cJSON_GetObjectItem(first, "pass")->valuestring, "static");
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(first, "confirmed")));
	cr_expect_str_eq(cJSON_GetObjectItem(first, "confirmed_by")->valuestring, "memcheck");
	cJSON_Delete(report);
	strbuf_release(&prog);
}

Test(dynamic, a_hang_is_killed_and_what_it_reported_is_kept)
{
	struct strbuf prog = STRBUF_INIT, src = STRBUF_INIT, err = STRBUF_INIT;
	const char *text = "#include <stdlib.h>\nint main(void) { int *p = malloc(4); free(p);\n"
			   "  volatile int x = p[0];\n  for (;;) x++;\n}\n";
	cJSON *report;
	int code, found = 0;
	const cJSON *f;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	strbuf_addf(&src, "%s/hang.c", dir.buf);
	cr_assert_eq(ma_write_file_atomic(src.buf, text, strlen(text), &err), 0, "%s", err.buf);
	build(src.buf, "hang");
	strbuf_addf(&prog, "%s/hang", dir.buf);
	report = audit(src.buf, prog.buf, NULL, "2", NULL, &code);
	cr_assert(report, "no JSON report after a time-out");
	cr_expect_eq(code, 3, "a killed run is an incomplete audit (exit 3)");
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(report, "run"), "partial")));
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(report, "findings"))
		found |= !strcmp(cJSON_GetObjectItem(f, "rule")->valuestring, "use-after-free");
	cr_expect(found, "the use after free reported before the hang is kept");
	cJSON_Delete(report);
	strbuf_release(&prog);
	strbuf_release(&src);
	strbuf_release(&err);
}

/* A stand-in for valgrind that writes two processes' XML in steps: one
 * whole, one with text after its end (the old way of reading the files
 * after the run called that malformed, and so must the new one). */
#define FAKE_VALGRIND \
	"#!/bin/sh\n" \
	"for a; do case $a in --xml-file=*) f=${a#--xml-file=};; esac; done\n" \
	"d=${f%/*}\n" \
	"for p in 11 12; do printf '<?xml version=\"1.0\"?>\\n<valgrindoutput>\\n" \
	"<protocolversion>4</protocolversion>\\n<pid>%s</pid>\\n' $p > $d/$p.xml; done\n" \
	"sleep 0.3\n" \
	"for p in 11 12; do printf '</valgrindoutput>\\n' >> $d/$p.xml; done\n" \
	"sleep 0.3\n" \
	"printf '<junk/>\\n' >> $d/12.xml\n"

Test(dynamic, files_read_during_the_run_end_as_files_read_after_it)
{
	struct strbuf fake = STRBUF_INIT, path_env = STRBUF_INIT, err = STRBUF_INIT;
	const char *env[2];
	const cJSON *failures, *notes;
	cJSON *report;
	int code;

	strbuf_addf(&fake, "%s/bin", dir.buf);
	cr_assert_eq(ma_mkdir_p(fake.buf, &err), 0, "%s", err.buf);
	strbuf_addstr(&fake, "/valgrind");
	cr_assert_eq(ma_write_file_atomic(fake.buf, FAKE_VALGRIND, strlen(FAKE_VALGRIND), &err), 0, "%s", err.buf);
	cr_assert_eq(chmod(fake.buf, 0755), 0);
	strbuf_addf(&path_env, "PATH=%s/bin:%s", dir.buf, getenv("PATH"));
	env[0] = path_env.buf;
	env[1] = NULL;
	report = audit("fixtures/dynamic/memcheck/good.c", "./prog", NULL, NULL, env, &code);
	cr_assert(report, "no JSON report");
	failures = cJSON_GetObjectItem(cJSON_GetObjectItem(report, "run"), "failures");
	notes = cJSON_GetObjectItem(cJSON_GetObjectItem(report, "run"), "notes");
	cr_assert_eq(cJSON_GetArraySize(failures), 1);
	cr_expect(strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(failures, 0), "message")->valuestring,
			 "12.xml:6: junk after document element"), "%s",
		  cJSON_GetObjectItem(cJSON_GetArrayItem(failures, 0), "message")->valuestring);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(report, "run"), "partial")));
	cr_expect(strstr(cJSON_GetArrayItem(notes, 0)->valuestring, "from 2 processes"), "%s",
		  cJSON_GetArrayItem(notes, 0)->valuestring);
	cJSON_Delete(report);
	strbuf_release(&fake);
	strbuf_release(&path_env);
	strbuf_release(&err);
}

Test(dynamic, valgrind_missing_is_a_usage_error)
{
	const char *env[] = { "PATH=/nonexistent", NULL };
	struct strbuf msg = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;
	cJSON *report;
	int code;

	report = audit("fixtures/dynamic/memcheck/good.c", "./prog", NULL, NULL, env, &code);
	cJSON_Delete(report);
	cr_expect_eq(code, 2);
	strbuf_addf(&path, "%s/stderr", dir.buf);
	cr_assert_eq(strbuf_read_file(&msg, path.buf, &err), 0, "%s", err.buf);
	cr_expect(strstr(msg.buf, "valgrind") != NULL, "the message names valgrind: %s", msg.buf);
	strbuf_release(&msg);
	strbuf_release(&path);
	strbuf_release(&err);
}

Test(dynamic, a_run_command_with_an_open_quote_is_refused)
{
	int code;
	cJSON *report = audit("fixtures/dynamic/memcheck/good.c", "./prog 'unclosed", NULL, NULL, NULL, &code);

	cJSON_Delete(report);
	cr_expect_eq(code, 2);
}

Test(dynamic, massif_profiles_the_heap_of_each_program)
{
	struct strbuf prog = STRBUF_INIT;
	const cJSON *heap, *p, *site;
	cJSON *report;
	int code;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	build("fixtures/dynamic/memcheck/good.c", "prog");
	strbuf_addf(&prog, "%s/prog", dir.buf);
	report = audit("fixtures/dynamic/memcheck/good.c", prog.buf, "massif", NULL, NULL, &code);
	cr_assert(report);
	cr_expect_eq(code, 0);
	heap = cJSON_GetObjectItem(cJSON_GetObjectItem(report, "profiles"), "heap");
	cr_assert_eq(cJSON_GetArraySize(heap), 1, "one profile: the program's");
	p = cJSON_GetArrayItem(heap, 0);
	cr_expect_gt(cJSON_GetArraySize(cJSON_GetObjectItem(p, "snapshots")), 2);
	site = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "sites"), 0);
	cr_assert(site, "the peak has a site");
	cr_expect_str_eq(cJSON_GetObjectItem(site, "file")->valuestring, "good.c");
	cr_expect_gt(cJSON_GetObjectItem(site, "bytes")->valueint, 0);
	cJSON_Delete(report);
	strbuf_release(&prog);
}

/* A program that breaks massif itself: a note that names it, and
 * Valgrind's assertion kept out of the command's output. */
Test(dynamic, massif_stopped_by_the_program_is_a_note_not_output)
{
	const char *src = "fixtures/dynamic/massif/breaks-valgrind.c";
	struct strbuf prog = STRBUF_INIT, notes = STRBUF_INIT, log = STRBUF_INIT, err = STRBUF_INIT;
	struct strvec want = STRVEC_INIT;
	cJSON *report;
	int code;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	fixture_expected(src, &want);
	build(src, "prog");
	strbuf_addf(&prog, "%s/prog", dir.buf);
	report = audit(src, prog.buf, "massif", NULL, NULL, &code);
	cr_assert(report);
	notes_of(report, &notes);
	for (size_t i = 0; i < want.nr; i++) {
		cr_assert(!strncmp(want.v[i], "note: ", 6), "%s: only notes expected: %s", src, want.v[i]);
		cr_expect(strstr(notes.buf, want.v[i] + 6), "no note '%s' in:\n%s", want.v[i] + 6, notes.buf);
	}
	cr_expect(strstr(notes.buf, prog.buf), "the note names the program:\n%s", notes.buf);
	cr_expect(strstr(notes.buf, "Assertion"), "the note quotes Valgrind:\n%s", notes.buf);
	strbuf_reset(&prog);
	strbuf_addf(&prog, "%s/out/run.log", dir.buf);
	cr_assert_eq(strbuf_read_file(&log, prog.buf, &err), 0, "%s", err.buf);
	cr_expect(!strstr(log.buf, "valgrind:"), "Valgrind's message is in the command's output:\n%s", log.buf);
	cJSON_Delete(report);
	strvec_clear(&want);
	strbuf_release(&prog);
	strbuf_release(&notes);
	strbuf_release(&log);
	strbuf_release(&err);
}

/* The project's function callgrind saw first in the profile (hottest
 * first), as "file:line: function". */
static void top_project_function(const cJSON *costs, struct strbuf *out)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(costs, "functions")) {
		const char *file = cJSON_GetObjectItem(f, "file")->valuestring, *base = strrchr(file, '/');
		if (!cJSON_IsTrue(cJSON_GetObjectItem(f, "in_project")))
			continue;
		strbuf_addf(out, "%s:%d: %s", base ? base + 1 : file, cJSON_GetObjectItem(f, "line")->valueint,
			    cJSON_GetObjectItem(f, "function")->valuestring);
		return;
	}
}

Test(dynamic, callgrind_puts_the_hot_project_function_on_top)
{
	const char *src = "fixtures/dynamic/callgrind/hot.c";
	struct strbuf run = STRBUF_INIT, top = STRBUF_INIT;
	struct strvec want = STRVEC_INIT;
	const cJSON *costs;
	cJSON *report;
	int code;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	build(src, "prog");
	/* twice through a shell: the shell ran no function of the project and
	 * is left out, the program's two processes add up */
	strbuf_addf(&run, "sh -c '%s/prog && %s/prog'", dir.buf, dir.buf);
	report = audit(src, run.buf, "callgrind", NULL, NULL, &code);
	cr_assert(report);
	cr_expect_eq(code, 0);
	costs = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(report, "profiles"), "costs"), 0);
	cr_assert(costs, "no cost profile");
	cr_expect_eq(cJSON_GetObjectItem(costs, "processes")->valueint, 2);
	fixture_expected(src, &want);
	cr_assert_eq(want.nr, 1);
	top_project_function(costs, &top);
	cr_expect_str_eq(top.buf, want.v[0]);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(costs, "functions"), 0),
						   "in_project")),
		  "the hot function costs more than anything the C library or the loader ran");
	cJSON_Delete(report);
	strbuf_release(&run);
	strbuf_release(&top);
	strvec_clear(&want);
}

/* The project's program built without -g: callgrind names its functions
 * but cannot place them, and the run says why there is no profile. */
Test(dynamic, callgrind_says_a_program_without_debug_info_has_no_lines)
{
	const char *src = "fixtures/dynamic/callgrind/hot.c";
	struct strbuf prog = STRBUF_INIT, notes = STRBUF_INIT;
	const char *cc[] = { "cc", "-O0", "-w", "-o", NULL, src, NULL };
	cJSON *report;
	int code;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	strbuf_addf(&prog, "%s/prog", dir.buf);
	cc[4] = prog.buf;
	run_argv(cc, NULL, &code);
	cr_assert_eq(code, 0, "cc failed on %s", src);
	report = audit(src, prog.buf, "callgrind", NULL, NULL, &code);
	cr_assert(report);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(report, "profiles"), "costs")), 0);
	notes_of(report, &notes);
	cr_expect(strstr(notes.buf, prog.buf) && strstr(notes.buf, "no debug information"),
		  "no note on %s:\n%s", prog.buf, notes.buf);
	cJSON_Delete(report);
	strbuf_release(&prog);
	strbuf_release(&notes);
}

Test(dynamic, a_hang_under_callgrind_is_killed_and_its_costs_kept)
{
	struct strbuf prog = STRBUF_INIT, src = STRBUF_INIT, err = STRBUF_INIT, top = STRBUF_INIT;
	const char *text = "static volatile unsigned long n;\nstatic void spin(void)\n{\n\tfor (;;)\n\t\tn++;\n}\n"
			   "int main(void)\n{\n\tspin();\n}\n";
	cJSON *report;
	int code;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	strbuf_addf(&src, "%s/spin.c", dir.buf);
	cr_assert_eq(ma_write_file_atomic(src.buf, text, strlen(text), &err), 0, "%s", err.buf);
	build(src.buf, "spin");
	strbuf_addf(&prog, "%s/spin", dir.buf);
	report = audit(src.buf, prog.buf, "callgrind", "2", NULL, &code);
	cr_assert(report, "no JSON report after a time-out");
	cr_expect_eq(code, 3, "a killed run is an incomplete audit (exit 3)");
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(report, "run"), "partial")));
	/* callgrind writes its profile when the process is terminated */
	top_project_function(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(report, "profiles"), "costs"), 0),
			     &top);
	cr_expect_str_eq(top.buf, "spin.c:3: spin");
	cJSON_Delete(report);
	strbuf_release(&prog);
	strbuf_release(&src);
	strbuf_release(&err);
	strbuf_release(&top);
}

Test(dynamic, a_skipped_program_runs_without_valgrind)
{
	struct strbuf prog = STRBUF_INIT, db = STRBUF_INIT, out = STRBUF_INIT, json = STRBUF_INIT, err = STRBUF_INIT;
	const cJSON *f;
	cJSON *report;
	int code, memcheck = 0;

	if (!have_valgrind())
		cr_skip_test("valgrind is not installed");
	build("fixtures/dynamic/memcheck/bad.c", "prog");
	write_compdb("fixtures/dynamic/memcheck/bad.c");
	/* through a shell: Valgrind skips children, not the program it is given */
	strbuf_addf(&prog, "sh -c %s/prog", dir.buf);
	strbuf_addf(&db, "%s/compile_commands.json", dir.buf);
	strbuf_addf(&out, "%s/out", dir.buf);
	{
		const char *argv[] = { bin.buf, "audit", "-q", "--compile-db", db.buf, "--run", prog.buf,
				       "--skip-program", "*/prog", "-o", out.buf, "--fail-on", "none", NULL };
		run_argv(argv, NULL, &code);
	}
	cr_expect_eq(code, 0);
	strbuf_addstr(&out, "/report.json");
	cr_assert_eq(strbuf_read_file(&json, out.buf, &err), 0, "%s", err.buf);
	report = cJSON_Parse(json.buf);
	cJSON_ArrayForEach(f, cJSON_GetObjectItem(report, "findings"))
		memcheck += !strcmp(cJSON_GetObjectItem(f, "pass")->valuestring, "memcheck") ||
			    cJSON_IsString(cJSON_GetObjectItem(f, "confirmed_by"));
	cr_expect_eq(memcheck, 0, "the planted bugs ran natively: memcheck saw none");
	cJSON_Delete(report);
	strbuf_release(&prog);
	strbuf_release(&db);
	strbuf_release(&out);
	strbuf_release(&json);
	strbuf_release(&err);
}
