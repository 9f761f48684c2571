/*
 * Tests for core/git_changes.c (what `git diff -U0` and `git ls-files`
 * say changed) and for `memaudit audit --changed-since REF
 * [--new-code-only]` on a git repository made here (skipped without git).
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/fs.h"
#include "../../core/git_changes.h"
#include "../../core/path.h"
#include "../../core/spawn.h"
#include "../../core/strbuf.h"

static const char diff[] =
	"diff --git a/src/a.c b/src/a.c\n"
	"index 1111111..2222222 100644\n"
	"--- a/src/a.c\n"
	"+++ b/src/a.c\n"
	"@@ -3,0 +4,2 @@ int a(void)\n"
	"+\tint x;\n"
	"+\tx = 1;\n"
	"@@ -10 +12 @@\n"
	"-\treturn 0;\n"
	"+\treturn 1;\n"
	"@@ -20,3 +21,0 @@\n"
	"diff --git a/new.c b/new.c\n"
	"new file mode 100644\n"
	"--- /dev/null\n"
	"+++ b/new.c\n"
	"@@ -0,0 +1,3 @@\n"
	"diff --git a/gone.c b/gone.c\n"
	"deleted file mode 100644\n"
	"--- a/gone.c\n"
	"+++ /dev/null\n"
	"@@ -1,3 +0,0 @@\n"
	"diff --git \"a/odd\\tname.c\" \"b/odd\\tname.c\"\n"
	"--- \"a/odd\\tname.c\"\n"
	"+++ \"b/odd\\tname.c\"\n"
	"@@ -1 +1 @@\n";

Test(git_changes, hunks_of_the_new_side)
{
	struct ma_changes ch = MA_CHANGES_INIT;
	struct strbuf err = STRBUF_INIT;
	const struct ma_changed_file *a, *n, *odd;

	cr_assert_eq(ma_changes_add_diff(&ch, "/top", diff, &err), 0);
	ma_changes_sort(&ch);
	cr_expect_eq(ch.nr, 3, "a.c, new.c and the quoted name; not the deleted file");
	a = ma_changes_find(&ch, "/top/src/a.c");
	cr_assert(a);
	cr_expect(!ma_changed_line(a, 3));
	cr_expect(ma_changed_line(a, 4) && ma_changed_line(a, 5));
	cr_expect(!ma_changed_line(a, 6));
	cr_expect(ma_changed_line(a, 12));
	cr_expect(!ma_changed_line(a, 21), "a hunk that only removes lines adds none");
	n = ma_changes_find(&ch, "/top/new.c");
	cr_assert(n);
	cr_expect(n->whole && ma_changed_line(n, 999));
	cr_expect_null(ma_changes_find(&ch, "/top/gone.c"));
	odd = ma_changes_find(&ch, "/top/odd\tname.c");
	cr_assert(odd, "C-quoted path unquoted");
	cr_expect(ma_changed_line(odd, 1));
	ma_changes_release(&ch);
	strbuf_release(&err);
}

Test(git_changes, untracked_files_are_whole)
{
	struct ma_changes ch = MA_CHANGES_INIT;
	const char names[] = "x.c\0dir/y.h\0";

	ma_changes_add_untracked(&ch, "/top", names, sizeof(names) - 1);
	ma_changes_sort(&ch);
	cr_assert_eq(ch.nr, 2);
	cr_expect(ma_changes_find(&ch, "/top/dir/y.h")->whole);
	cr_expect_null(ma_changes_find(&ch, "/top/z.c"));
	ma_changes_release(&ch);
}

/* ------------------------------------------------------------------ */
/* Through the binary, on a repository made here                        */

static struct strbuf dir = STRBUF_INIT, bin = STRBUF_INIT;

static int run_in(const char *cwd, const char *const *argv, const char *out)
{
	struct ma_spawn_opts o = { .cwd = cwd, .stdin_path = "/dev/null", .stdout_path = out ? out : "/dev/null",
				   .stderr_path = out ? NULL : "/dev/null", .stderr_to_stdout = out != NULL,
				   .timeout_ms = 120000 };
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;
	int ret = ma_spawn_run(argv, &o, &r, &err);

	cr_assert_eq(ret, 0, "cannot run %s: %s", argv[0], err.buf);
	strbuf_release(&err);
	return r.exit_code;
}

static void put(const char *rel, const char *text)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", dir.buf, rel);
	strbuf_setlen(&path, ma_path_dirlen(path.buf));
	ma_mkdir_p(path.buf, &err);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s", dir.buf, rel);
	cr_assert_eq(ma_write_file_atomic(path.buf, text, strlen(text), &err), 0, "%s", err.buf);
	strbuf_release(&path);
	strbuf_release(&err);
}

#define BUG_FN(name) "int " name "(void)\n{\n\tchar line[8];\n\tfgets(line, sizeof(line), stdin);\n\treturn line[0];\n}\n"

/* A repository: util.h included by a.c only, b.c on its own, each with an
 * ignored fgets (unchecked-return), committed. */
static void make_repo(void)
{
	const char *init[] = { "git", "init", "-q", NULL };
	const char *add[] = { "git", "add", "-A", NULL };
	const char *commit[] = { "git", "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base", NULL };
	const char *probe[] = { "git", "--version", NULL };
	struct strbuf err = STRBUF_INIT, db = STRBUF_INIT;
	const char *m = getenv("MEMAUDIT");

	if (run_in("/", probe, NULL) != 0)
		cr_skip_test("git is not installed");
	cr_assert_eq(ma_mkdtemp(&dir, "memaudit-git", &err), 0, "%s", err.buf);
	cr_assert_eq(ma_getcwd(&db, &err), 0);
	ma_path_absolute(&bin, db.buf, m && *m ? m : "build/memaudit");
	put("src/util.h", "static inline int twice(int x)\n{\n\treturn 2 * x;\n}\n");
	put("src/a.c", "#include <stdio.h>\n#include \"util.h\"\n" BUG_FN("a"));
	put("src/b.c", "#include <stdio.h>\n" BUG_FN("b") "\n" BUG_FN("b2"));
	strbuf_reset(&db);
	strbuf_addf(&db, "[{\"directory\":\"%s\",\"file\":\"src/a.c\",\"arguments\":[\"cc\",\"-c\",\"src/a.c\"]},"
		    "{\"directory\":\"%s\",\"file\":\"src/b.c\",\"arguments\":[\"cc\",\"-c\",\"src/b.c\"]}]",
		    dir.buf, dir.buf);
	put("compile_commands.json", db.buf);
	put(".gitignore", "out/\n");
	cr_assert_eq(run_in(dir.buf, init, NULL), 0);
	cr_assert_eq(run_in(dir.buf, add, NULL), 0);
	cr_assert_eq(run_in(dir.buf, commit, NULL), 0);
	strbuf_release(&err);
	strbuf_release(&db);
}

/* memaudit audit --changed-since HEAD [extra]: exit code, report.json parsed into *json. */
static int audit_changes(const char *extra, cJSON **json)
{
	const char *argv[] = { bin.buf, "audit", "-p", ".", "-q", "--format", "json", "-o", "out", "--fail-on",
			       "none", "--changed-since", "HEAD", extra, NULL };
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT, err = STRBUF_INIT;
	int code = run_in(dir.buf, argv, NULL);

	strbuf_addf(&path, "%s/out/report.json", dir.buf);
	*json = strbuf_read_file(&text, path.buf, &err) == 0 ? cJSON_Parse(text.buf) : NULL;
	strbuf_release(&path);
	strbuf_release(&text);
	strbuf_release(&err);
	return code;
}

static int units_analysed(const cJSON *j)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "run"), "units"), "analysed")->valueint;
}

static void teardown(void)
{
	if (dir.len)
		ma_remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&bin);
}

TestSuite(changed_since, .fini = teardown, .timeout = 120);

Test(changed_since, a_changed_header_selects_the_units_that_include_it)
{
	cJSON *j;

	make_repo();
	put("src/util.h", "static inline int twice(int x)\n{\n\treturn x + x;\n}\n");
	cr_assert_eq(audit_changes(NULL, &j), 0);
	cr_assert(j);
	cr_expect_eq(units_analysed(j), 1, "a.c includes util.h; b.c does not");
	cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "findings"), 0),
					     "location")->child->valuestring, "src/a.c");
	cJSON_Delete(j);
}

Test(changed_since, nothing_changed_is_nothing_to_audit)
{
	cJSON *j;

	make_repo();
	cr_assert_eq(audit_changes(NULL, &j), 0);
	cr_assert(j);
	cr_expect_eq(units_analysed(j), 0);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "findings")), 0);
	cJSON_Delete(j);
}

Test(changed_since, new_code_only_keeps_the_findings_on_changed_lines)
{
	cJSON *j;
	const cJSON *f;

	make_repo();
	/* b.c: the second function's fgets line changes, the first's does not */
	put("src/b.c", "#include <stdio.h>\n" BUG_FN("b") "\n"
		       "int b2(void)\n{\n\tchar line[8];\n\tfgets(line, 8, stdin);\n\treturn line[0];\n}\n");
	cr_assert_eq(audit_changes(NULL, &j), 0);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "findings")), 2, "both of b.c's without --new-code-only");
	cJSON_Delete(j);
	cr_assert_eq(audit_changes("--new-code-only", &j), 0);
	cr_assert(j);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "findings")), 1);
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "findings"), 0);
	cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "location"), "line")->valueint, 12);
	cJSON_Delete(j);
}

Test(changed_since, a_bad_revision_is_a_usage_error)
{
	const char *argv[] = { NULL, "audit", "-p", ".", "-q", "-o", "out", "--changed-since", "no-such-ref", NULL };
	const char *lonely[] = { NULL, "audit", "-p", ".", "-q", "-o", "out", "--new-code-only", NULL };
	struct strbuf log = STRBUF_INIT, text = STRBUF_INIT, err = STRBUF_INIT;

	make_repo();
	argv[0] = lonely[0] = bin.buf;
	strbuf_addf(&log, "%s/log", dir.buf);
	cr_expect_eq(run_in(dir.buf, argv, log.buf), 2);
	cr_assert_eq(strbuf_read_file(&text, log.buf, &err), 0);
	cr_expect(strstr(text.buf, "no-such-ref"), "git's message names the revision: %s", text.buf);
	cr_expect_eq(run_in(dir.buf, lonely, NULL), 2, "--new-code-only needs --changed-since");
	strbuf_release(&log);
	strbuf_release(&text);
	strbuf_release(&err);
}
