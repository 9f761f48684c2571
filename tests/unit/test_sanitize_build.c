/*
 * --build CMD --sanitize LIST end to end: fixtures/dynamic/sanitize-build/
 * (a makefile project with one planted heap overflow, named in its
 * check-output block) is copied to a scratch directory and audited there.
 * The build goes through memaudit's compiler wrappers and is captured with
 * bear; a tree whose objects are up to date is built in a copy, and the
 * findings still name the tree's files; a build that calls its compiler
 * by full path, typos and incompatible sanitizers are refused.
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

#define FIXTURE "fixtures/dynamic/sanitize-build"

static struct strbuf tmp = STRBUF_INIT;   /* the test's scratch directory */
static struct strbuf tree = STRBUF_INIT;  /* the fixture's copy in it */
static struct strbuf bin = STRBUF_INIT;   /* memaudit, absolute */
static struct strbuf repo = STRBUF_INIT;  /* the repository */
static struct strbuf errout = STRBUF_INIT; /* memaudit's stderr, read back */

static int run_in(const char *cwd, const char *const *argv, int *exit_code)
{
	static const char *const env[] = { "MAKEFLAGS=", "MFLAGS=", NULL }; /* see test_cli.c */
	struct ma_spawn_opts o = { .cwd = cwd, .env = env, .stdin_path = "/dev/null", .stdout_path = "/dev/null",
				   .timeout_ms = 150000 };
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT, path = STRBUF_INIT;

	strbuf_addf(&path, "%s/stderr", tmp.buf);
	o.stderr_path = path.buf;
	cr_assert_eq(ma_spawn_run(argv, &o, &r, &err), 0, "cannot run %s: %s", argv[0], err.buf);
	*exit_code = r.exit_code;
	strbuf_reset(&errout);
	strbuf_read_file(&errout, path.buf, &err);
	strbuf_release(&err);
	strbuf_release(&path);
	return 0;
}

static void setup(void)
{
	const char *m = getenv("MEMAUDIT");
	struct strbuf err = STRBUF_INIT, src = STRBUF_INIT;
	int code;

	cr_assert_eq(ma_getcwd(&repo, &err), 0, "%s", err.buf);
	ma_path_absolute(&bin, repo.buf, m && *m ? m : "build/memaudit");
	cr_assert(access(bin.buf, X_OK) == 0, "no memaudit binary at '%s' (set MEMAUDIT)", bin.buf);
	cr_assert_eq(ma_mkdtemp(&tmp, "memaudit-sanbuild", &err), 0, "%s", err.buf);
	strbuf_addf(&tree, "%s/project", tmp.buf);
	strbuf_addf(&src, "%s/%s", repo.buf, FIXTURE);
	{
		const char *cp[] = { "cp", "-r", src.buf, tree.buf, NULL };
		run_in(tmp.buf, cp, &code);
		cr_assert_eq(code, 0, "cannot copy %s", src.buf);
	}
	strbuf_release(&err);
	strbuf_release(&src);
}

static void teardown(void)
{
	ma_remove_tree(tmp.buf);
	strbuf_release(&tmp);
	strbuf_release(&tree);
	strbuf_release(&bin);
	strbuf_release(&repo);
	strbuf_release(&errout);
}

TestSuite(sanitize_build, .init = setup, .fini = teardown, .timeout = 180);

/* memaudit audit -q ... in the fixture's copy; the JSON report, parsed (NULL when none). */
static cJSON *audit(const char *const *args, int *exit_code)
{
	struct strbuf out = STRBUF_INIT, json = STRBUF_INIT, err = STRBUF_INIT;
	struct strvec argv = STRVEC_INIT;
	cJSON *j = NULL;

	strbuf_addf(&out, "%s/out", tmp.buf);
	strvec_pushl(&argv, bin.buf, "audit", "-q", "-o", out.buf, "--fail-on", "none", NULL);
	strvec_pushv(&argv, args);
	run_in(tree.buf, argv.v, exit_code);
	strbuf_addstr(&out, "/report.json");
	if (!strbuf_read_file(&json, out.buf, &err))
		j = cJSON_Parse(json.buf);
	unlink(out.buf);
	strvec_clear(&argv);
	strbuf_release(&out);
	strbuf_release(&json);
	strbuf_release(&err);
	return j;
}

/* The findings pass made, confirmed or saw too (merged into another pass's), as "file:line: rule". */
static void findings_of(const cJSON *report, const char *pass, struct strvec *out)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(report, "findings")) {
		const cJSON *loc = cJSON_GetObjectItem(f, "location");
		const char *by = cJSON_GetObjectItem(f, "pass")->valuestring;
		const cJSON *conf = cJSON_GetObjectItem(f, "confirmed_by"), *also = cJSON_GetObjectItem(f, "also_by");
		if (strncmp(by, pass, strlen(pass)) &&
		    !(cJSON_IsString(conf) && strstr(conf->valuestring, pass)) &&
		    !(cJSON_IsString(also) && strstr(also->valuestring, pass)))
			continue;
		strvec_pushf(out, "%s:%d: %s", cJSON_GetObjectItem(loc, "file")->valuestring,
			     cJSON_GetObjectItem(loc, "line")->valueint, cJSON_GetObjectItem(f, "rule")->valuestring);
	}
}

static void expect_same(const struct strvec *want, const struct strvec *got)
{
	char *w = strvec_join(want, " | "), *g = strvec_join(got, " | ");

	cr_expect_str_eq(g, w, "the sanitizer build found [%s], expected [%s]", g, w);
	free(w);
	free(g);
}

static int has_note(const cJSON *report, const char *text)
{
	const cJSON *n;

	cJSON_ArrayForEach(n, cJSON_GetObjectItem(cJSON_GetObjectItem(report, "run"), "notes"))
		if (strstr(n->valuestring, text))
			return 1;
	return 0;
}

static int listed(const cJSON *array, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, array)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return 1;
	return 0;
}

static const char *const asan_audit[] = { "--build", "make", "--run", "./prog", "--sanitize",
					  "address,undefined", NULL };

Test(sanitize_build, a_clean_tree_is_built_in_place_with_the_sanitizers_and_captured)
{
	struct strvec want = STRVEC_INIT, got = STRVEC_INIT;
	cJSON *r;
	int code;

	r = audit(asan_audit, &code);
	cr_assert(r, "no JSON report: %s", errout.buf);
	cr_expect_eq(code, 0, "%s", errout.buf);
	fixture_expected(FIXTURE "/prog.c", &want);
	findings_of(r, "asan", &got);
	expect_same(&want, &got);
	cr_expect_not(has_note(r, "built in a copy"), "a clean tree needs no copy");
	cr_expect(listed(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "run"), "passes"), "static"),
		  "the build was captured, so the static pass ran");
	cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "run"), "units"), "total")->valueint,
		     1, "one translation unit captured");
	cJSON_Delete(r);
	strvec_clear(&want);
	strvec_clear(&got);
}

/* One command compiles and links: clang then runs its front end (-cc1) as
 * a process of its own, which bear sees too; only the project's call counts. */
Test(sanitize_build, the_database_holds_the_project_s_calls_only)
{
	const char *args[] = { "--build", "cc -g -o prog prog.c", "--run", "./prog", "--sanitize",
			       "address,undefined", NULL };
	struct strvec want = STRVEC_INIT, got = STRVEC_INIT;
	cJSON *r;
	int code;

	r = audit(args, &code);
	cr_assert(r, "no JSON report: %s", errout.buf);
	cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "run"), "units"), "total")->valueint,
		     1, "prog.c once, not again for clang's own calls");
	cr_expect_not(has_note(r, "rejected"), "no clang-internal options reached libclang");
	fixture_expected(FIXTURE "/prog.c", &want);
	findings_of(r, "asan", &got);
	expect_same(&want, &got);
	cJSON_Delete(r);
	strvec_clear(&want);
	strvec_clear(&got);
}

Test(sanitize_build, an_up_to_date_tree_is_built_again_in_a_copy)
{
	const char *make[] = { "make", "-s", NULL };
	struct strvec want = STRVEC_INIT, got = STRVEC_INIT;
	struct strbuf prog = STRBUF_INIT;
	struct stat before, after;
	cJSON *r;
	int code;

	run_in(tree.buf, make, &code);
	cr_assert_eq(code, 0, "the plain build failed");
	strbuf_addf(&prog, "%s/prog", tree.buf);
	cr_assert_eq(stat(prog.buf, &before), 0);
	r = audit(asan_audit, &code);
	cr_assert(r, "no JSON report: %s", errout.buf);
	fixture_expected(FIXTURE "/prog.c", &want);
	findings_of(r, "asan", &got);
	expect_same(&want, &got); /* the tree's own file name, not the copy's */
	cr_expect(has_note(r, "built in a copy"), "objects up to date: the copy is named in the notes");
	cr_assert_eq(stat(prog.buf, &after), 0);
	cr_expect_eq(before.st_mtime, after.st_mtime, "the tree's own build is left alone");
	cJSON_Delete(r);
	strvec_clear(&want);
	strvec_clear(&got);
	strbuf_release(&prog);
}

Test(sanitize_build, valgrind_passes_run_on_the_plain_build_the_sanitizers_on_theirs)
{
	const char *args[] = { "--build", "make", "--run", "./prog", "--dynamic", "memcheck",
			       "--sanitize", "address", NULL };
	const char *vg[] = { "valgrind", "--version", NULL };
	struct strvec want = STRVEC_INIT, got = STRVEC_INIT;
	cJSON *r, *passes;
	int code;

	run_in(tmp.buf, vg, &code);
	if (code)
		cr_skip_test("valgrind is not installed");
	r = audit(args, &code);
	cr_assert(r, "no JSON report: %s", errout.buf);
	passes = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "run"), "passes");
	cr_expect(listed(passes, "memcheck") && listed(passes, "sanitizers"), "both passes ran");
	fixture_expected(FIXTURE "/prog.c", &want);
	findings_of(r, "memcheck", &got);
	expect_same(&want, &got);
	strvec_clear(&got);
	findings_of(r, "asan", &got);
	expect_same(&want, &got);
	cJSON_Delete(r);
	strvec_clear(&want);
	strvec_clear(&got);
}

Test(sanitize_build, a_build_that_bypasses_the_wrappers_is_refused)
{
	const char *args[] = { "--build", "make CC=/usr/bin/cc", "--run", "./prog", "--sanitize", "address", NULL };
	cJSON *r;
	int code;

	r = audit(args, &code);
	cr_expect_eq(code, 2, "%s", errout.buf);
	cr_expect(strstr(errout.buf, "called no compiler through memaudit's wrappers"), "%s", errout.buf);
	cJSON_Delete(r);
}

Test(sanitize_build, bad_sanitize_options_are_usage_errors)
{
	static const struct { const char *args[8]; const char *message; } cases[] = {
		{ { "--run", "./prog", "--sanitize", "address", NULL }, "--sanitize needs --build" },
		{ { "--build", "make", "--sanitize", "address", NULL }, "--sanitize needs --build" },
		{ { "--build", "make", "--run", "./prog", "--sanitize", "adress", NULL }, "unknown sanitizer 'adress'" },
		{ { "--build", "make", "--run", "./prog", "--sanitize", "thread,address", NULL }, "cannot share a build" },
		{ { "--build", "make", "--run", "./prog", "--", "make", NULL }, "give the build command once" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int code;
		cJSON *r = audit(cases[i].args, &code);
		cr_expect_eq(code, 2, "case %zu: exit %d", i, code);
		cr_expect(strstr(errout.buf, cases[i].message), "case %zu: '%s' not in: %s", i,
			  cases[i].message, errout.buf);
		cr_expect_null(r, "case %zu: no report for a usage error", i);
		cJSON_Delete(r);
	}
}
