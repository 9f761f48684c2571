/*
 * Tests for `memaudit audit --shard K/N` and `memaudit merge`, through the
 * built binary ($MEMAUDIT, else build/memaudit): fixtures/shards (five
 * units sharing headers with bugs, see its src/a.c) and the demo's
 * sources are audited whole, then in 2 and 3 shards merged, and the
 * reports compared byte for byte but for what says how and when the run
 * ran (command, started, jobs, timings).  Also the errors, and the
 * codequality format written only on request.  Reports go to
 * tests/out/cli_shards/<test>/ (under $MEMAUDIT_TEST_OUT when set), where
 * tests/sarif/validate.sh validates the merged SARIF too.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "../../core/fs.h"
#include "../../core/path.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

static struct strbuf top = STRBUF_INIT;     /* the repository (the tests' working directory) */
static struct strbuf tmp = STRBUF_INIT;     /* the test's compile database */
static struct strbuf reports = STRBUF_INIT; /* tests/out/cli_shards/<test>/ */
static struct strbuf bin = STRBUF_INIT;     /* absolute path of memaudit */
static struct strbuf db = STRBUF_INIT;      /* tmp/compile_commands.json */
static struct strbuf proj = STRBUF_INIT;    /* the project audited: the directory audit runs in */

static void setup(void)
{
	const char *m = getenv("MEMAUDIT"), *o = getenv("MEMAUDIT_TEST_OUT");
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_getcwd(&top, &err), 0, "%s", err.buf);
	ma_path_absolute(&bin, top.buf, m && *m ? m : "build/memaudit");
	cr_assert(access(bin.buf, X_OK) == 0, "no memaudit binary at '%s' (set MEMAUDIT)", bin.buf);
	ma_path_absolute(&reports, top.buf, o && *o ? o : "tests/out");
	strbuf_addf(&reports, "/cli_shards/%s", criterion_current_test->name);
	ma_remove_tree(reports.buf);
	cr_assert_eq(ma_mkdtemp(&tmp, "memaudit-cli-shards", &err), 0, "%s", err.buf);
	strbuf_addf(&db, "%s/compile_commands.json", tmp.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	ma_remove_tree(tmp.buf);
	strbuf_release(&tmp);
	strbuf_release(&top);
	strbuf_release(&reports);
	strbuf_release(&bin);
	strbuf_release(&db);
	strbuf_release(&proj);
}

TestSuite(cli_shards, .init = setup, .fini = teardown, .timeout = 240);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* The compile database of `dir` (under the repository): its units `files`, with `flags`. */
static void write_db(const char *dir, const char *flags, const char *const *files)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_reset(&proj);
	strbuf_addf(&proj, "%s/%s", top.buf, dir);
	strbuf_addch(&text, '[');
	for (size_t i = 0; files[i]; i++)
		strbuf_addf(&text, "%s{\"directory\": \"%s\", \"file\": \"%s\", \"command\": \"cc %s -c %s\"}",
			    i ? ", " : "", proj.buf, files[i], flags, files[i]);
	strbuf_addch(&text, ']');
	cr_assert_eq(ma_write_file_atomic(db.buf, text.buf, text.len, &err), 0, "%s", err.buf);
	strbuf_release(&text);
	strbuf_release(&err);
}

/* memaudit with args (NULL-terminated), run in the project. */
static void run_argv(struct cli_result *r, const char **args)
{
	struct strvec argv = STRVEC_INIT;
	struct strbuf scratch = STRBUF_INIT;

	strvec_push(&argv, bin.buf);
	strvec_pushv(&argv, args);
	strbuf_addf(&scratch, "%s/out", tmp.buf);
	cli_run(r, argv.v, proj.len ? proj.buf : top.buf, scratch.buf, 200000);
	strvec_clear(&argv);
	strbuf_release(&scratch);
}

static void run(struct cli_result *r, const char *arg, ...)
{
	const char *args[32];
	size_t n = 0;
	va_list ap;

	va_start(ap, arg);
	for (; arg && n < 31; arg = va_arg(ap, const char *))
		args[n++] = arg;
	va_end(ap);
	args[n] = NULL;
	run_argv(r, args);
}

/* reports/<sub>[/<file>] */
static void out_path(struct strbuf *sb, const char *sub, const char *file)
{
	strbuf_reset(sb);
	strbuf_addf(sb, "%s/%s", reports.buf, sub);
	if (file)
		strbuf_addf(sb, "/%s", file);
}

/* audit into reports/<sub> with --shard spec (NULL: unsharded); exit 0 wanted. */
static void audit_into(const char *sub, const char *shard)
{
	struct strbuf dir = STRBUF_INIT;
	struct cli_result r;

	out_path(&dir, sub, NULL);
	if (shard)
		run(&r, "audit", "-q", "--fail-on", "none", "--compile-db", db.buf, "-o", dir.buf, "--shard", shard, NULL);
	else
		run(&r, "audit", "-q", "--fail-on", "none", "--compile-db", db.buf, "-o", dir.buf, NULL);
	cr_assert_eq(r.code, 0, "audit --shard %s exits %d:\n%s", shard ? shard : "(none)", r.code, r.err.buf);
	cli_result_release(&r);
	strbuf_release(&dir);
}

/* The lines that say how and when the run ran, reduced to their key. */
static void normalise(struct strbuf *text)
{
	static const char *const keys[] = { "\"command\":", "\"arguments\":", "\"started\":", "\"jobs\":",
					    "\"wall_seconds\":", "\"cpu_seconds\":", "\"parse_cpu_seconds\":",
					    "\"check_cpu_seconds\":", NULL };
	struct strbuf out = STRBUF_INIT;
	const char *p = text->buf;

	while (*p) {
		const char *eol = strchr(p, '\n'), *key = NULL;
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		const char *lead = p + strspn(p, "\t ");
		for (size_t k = 0; keys[k] && !key; k++)
			if (!strncmp(lead, keys[k], strlen(keys[k])))
				key = keys[k];
		if (key)
			strbuf_addf(&out, "%.*s%s <normalised>", (int)(lead - p), p, key);
		else
			strbuf_add(&out, p, len);
		if (eol)
			strbuf_addch(&out, '\n');
		p += len + (eol != NULL);
	}
	strbuf_reset(text);
	strbuf_addbuf(text, &out);
	strbuf_release(&out);
}

static void expect_same_report(const char *a, const char *b, const char *name, int exact)
{
	struct strbuf pa = STRBUF_INIT, pb = STRBUF_INIT, ta = STRBUF_INIT, tb = STRBUF_INIT;

	out_path(&pa, a, name);
	out_path(&pb, b, name);
	cli_slurp(pa.buf, &ta);
	cli_slurp(pb.buf, &tb);
	if (!exact) {
		normalise(&ta);
		normalise(&tb);
	}
	cr_expect(ta.len == tb.len && !memcmp(ta.buf, tb.buf, ta.len), "%s/%s and %s/%s differ:\n%s\n---\n%s",
		  a, name, b, name, ta.buf, tb.buf);
	strbuf_release(&pa);
	strbuf_release(&pb);
	strbuf_release(&ta);
	strbuf_release(&tb);
}

/* Audit in n shards (reports/<prefix>-<k>), merge into reports/<prefix>, compare with reports/whole. */
static void shard_and_merge(const char *prefix, unsigned n)
{
	struct strvec args = STRVEC_INIT;
	struct strbuf sub = STRBUF_INIT, spec = STRBUF_INIT, path = STRBUF_INIT;
	struct cli_result r;

	strvec_pushl(&args, "merge", "-q", "--fail-on", "none", NULL);
	for (unsigned k = n; k >= 1; k--) { /* any order */
		strbuf_reset(&sub);
		strbuf_reset(&spec);
		strbuf_addf(&sub, "%s-%u", prefix, k);
		strbuf_addf(&spec, "%u/%u", k, n);
		audit_into(sub.buf, spec.buf);
		out_path(&path, sub.buf, "report.json");
		strvec_push(&args, path.buf);
	}
	out_path(&path, prefix, NULL);
	strvec_pushl(&args, "-o", path.buf, NULL);
	run_argv(&r, args.v);
	cr_assert_eq(r.code, 0, "merge exits %d:\n%s", r.code, r.err.buf);
	cr_expect_str_empty(r.err.buf);
	cli_result_release(&r);
	expect_same_report("whole", prefix, "report.txt", 1);
	expect_same_report("whole", prefix, "report.json", 0);
	expect_same_report("whole", prefix, "report.sarif", 0);
	strvec_clear(&args);
	strbuf_release(&sub);
	strbuf_release(&spec);
	strbuf_release(&path);
}

/* The parsed report.json of reports/<sub>; to be deleted. */
static cJSON *read_json(const char *sub, const char *name)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	cJSON *doc;

	out_path(&path, sub, name);
	cli_slurp(path.buf, &text);
	doc = cJSON_Parse(text.buf);
	cr_assert_not_null(doc, "%s is not JSON", path.buf);
	strbuf_release(&path);
	strbuf_release(&text);
	return doc;
}

/* Does reports/<sub>/report.json hold a finding in `file` (at `line`, 0: any)? Its occurrence, 0 if none. */
static int occurrence_in(const char *sub, const char *file, int line)
{
	cJSON *doc = read_json(sub, "report.json"), *f;
	int occ = 0;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(doc, "findings")) {
		cJSON *loc = cJSON_GetObjectItem(f, "location");
		if (!strcmp(cJSON_GetObjectItem(loc, "file")->valuestring, file) &&
		    (!line || cJSON_GetObjectItem(loc, "line")->valueint == line))
			occ = cJSON_GetObjectItem(f, "occurrence")->valueint;
	}
	cJSON_Delete(doc);
	return occ;
}

static const char *const shard_units[] = { "a.c", "b.c", "c.c", "d.c", "e.c", NULL };

static void shards_fixture(void)
{
	write_db("fixtures/shards/src", "-I../include", shard_units);
	strbuf_reset(&proj);
	strbuf_addf(&proj, "%s/fixtures/shards", top.buf); /* the root: src/ and include/ */
}

/* ------------------------------------------------------------------ */
/* Merged = unsharded                                                  */

Test(cli_shards, fixture_merged_from_2_and_3_shards_is_the_unsharded_report)
{
	shards_fixture();
	audit_into("whole", NULL);
	shard_and_merge("two", 2);
	shard_and_merge("three", 3);
	/* what makes it a test of the merge: a.c and b.c in different shards,
	 * and pick.h's second free() numbered 1 by b.c's shard alone */
	cr_expect(occurrence_in("two-1", "src/a.c", 0) && !occurrence_in("two-1", "src/b.c", 0),
		  "a.c is not alone of a.c, b.c in shard 1 of 2 (see fixtures/shards/src/a.c)");
	cr_expect(occurrence_in("two-2", "src/b.c", 0), "b.c not in shard 2 of 2");
	cr_expect(occurrence_in("two-1", "include/common.h", 11) && occurrence_in("two-2", "include/common.h", 11),
		  "common.h's bug not seen by both shards");
	cr_expect_eq(occurrence_in("two-2", "include/pick.h", 20), 1, "b.c's shard numbers pick.h:20 alone");
	cr_expect_eq(occurrence_in("two", "include/pick.h", 20), 2, "merged: the second occurrence again");
	cr_expect_eq(occurrence_in("whole", "include/pick.h", 20), 2);
}

Test(cli_shards, demo_merged_from_2_and_3_shards_is_the_unsharded_report)
{
	static const char *const units[] = { "src/main.c", "src/inventory.c", "src/report.c", "src/util.c", NULL };

	write_db("fixtures/demo", "-g -O0 -Wall", units);
	audit_into("whole", NULL);
	shard_and_merge("two", 2);
	shard_and_merge("three", 3);
}

/* The shard in the report, null unsharded; a shard's findings carry their line hash. */
Test(cli_shards, report_json_records_the_shard)
{
	cJSON *doc, *shard, *f;

	shards_fixture();
	audit_into("whole", NULL);
	audit_into("s", "2/3");
	doc = read_json("s", "report.json");
	shard = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "run"), "shard");
	cr_assert(cJSON_IsObject(shard), "run.shard is not an object");
	cr_expect_eq(cJSON_GetObjectItem(shard, "index")->valueint, 2);
	cr_expect_eq(cJSON_GetObjectItem(shard, "count")->valueint, 3);
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
	cr_assert_not_null(f, "shard 2 of 3 found nothing");
	cr_expect(cJSON_IsString(cJSON_GetObjectItem(f, "line_hash")), "no line_hash in a shard's finding");
	cJSON_Delete(doc);
	doc = read_json("whole", "report.json");
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "run"), "shard")), "run.shard not null");
	f = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "findings"), 0);
	cr_expect_null(cJSON_GetObjectItem(f, "line_hash"), "line_hash in an unsharded report");
	cJSON_Delete(doc);
}

/* `memaudit report` writes a shard's report back byte for byte (run.shard, line_hash). */
Test(cli_shards, report_rewrites_a_shard_report_as_it_was)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	struct cli_result r;

	shards_fixture();
	audit_into("s", "1/2");
	out_path(&in, "s", "report.json");
	out_path(&out, "again", NULL);
	run(&r, "report", in.buf, "-q", "--format", "json", "-o", out.buf, NULL);
	cr_assert_eq(r.code, 0, "%s", r.err.buf);
	expect_same_report("s", "again", "report.json", 1);
	cli_result_release(&r);
	strbuf_release(&in);
	strbuf_release(&out);
}

Test(cli_shards, more_shards_than_units_gives_empty_shards)
{
	cJSON *doc;

	shards_fixture();
	audit_into("whole", NULL);
	shard_and_merge("seven", 7);
	doc = read_json("seven-7", "report.json");
	cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "run"), "units"), "total")->valueint, 0);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "findings")), 0);
	cJSON_Delete(doc);
}

/* The dynamic passes run in shard 1 only: shard 2 does not run the command. */
Test(cli_shards, dynamic_passes_run_in_shard_1_only)
{
	struct strbuf dir = STRBUF_INIT;
	struct cli_result r;
	cJSON *doc, *passes;

	shards_fixture();
	out_path(&dir, "s2", NULL);
	run(&r, "audit", "-q", "--fail-on", "none", "--compile-db", db.buf, "-o", dir.buf, "--shard", "2/2",
	    "--run", "./no-such-program", "--dynamic", "memcheck", NULL);
	cr_expect_eq(r.code, 0, "shard 2 ran the command? exit %d:\n%s", r.code, r.err.buf);
	doc = read_json("s2", "report.json");
	passes = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "run"), "passes");
	cr_expect_eq(cJSON_GetArraySize(passes), 1);
	cr_expect_str_eq(cJSON_GetArrayItem(passes, 0)->valuestring, "static");
	cJSON_Delete(doc);
	cli_result_release(&r);
	strbuf_release(&dir);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void expect_error(const struct cli_result *r, int code, const char *needle)
{
	cr_expect_eq(r->code, code, "exit code %d; stderr:\n%s", r->code, r->err.buf);
	cr_expect_eq(count_lines(r->err.buf), 1, "expected one line on stderr:\n%s", r->err.buf);
	cr_expect(strstr(r->err.buf, "memaudit: error: ") == r->err.buf, "%s", r->err.buf);
	cr_expect(strstr(r->err.buf, needle), "stderr lacks \"%s\":\n%s", needle, r->err.buf);
}

Test(cli_shards, bad_shard_values_exit_2)
{
	static const char *const bad[] = { "0/2", "3/2", "2", "a/b", "1/0", "-1/2", "1/2/3", "" };
	struct cli_result r;

	shards_fixture();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run(&r, "audit", "-q", "--compile-db", db.buf, "-o", tmp.buf, "--shard", bad[i], NULL);
		expect_error(&r, 2, "--shard");
		cli_result_release(&r);
	}
}

/* Shards 1 and 3 of 3 written; their paths in a, b. */
static void two_of_three(struct strbuf *a, struct strbuf *b)
{
	shards_fixture();
	audit_into("s1", "1/3");
	audit_into("s3", "3/3");
	out_path(a, "s1", "report.json");
	out_path(b, "s3", "report.json");
}

Test(cli_shards, merge_a_missing_shard_exits_2)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, o = STRBUF_INIT;
	struct cli_result r;

	two_of_three(&a, &b);
	out_path(&o, "m", NULL);
	run(&r, "merge", "-q", a.buf, b.buf, "-o", o.buf, NULL);
	expect_error(&r, 2, "shard 2 of 3 missing");
	strbuf_addstr(&o, "/report.json");
	cr_expect_not(ma_is_file(o.buf), "a report written");
	cli_result_release(&r);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&o);
}

Test(cli_shards, merge_allow_missing_writes_a_partial_report_and_exits_3)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, o = STRBUF_INIT;
	struct cli_result r;
	cJSON *doc;

	two_of_three(&a, &b);
	out_path(&o, "m", NULL);
	run(&r, "merge", "-q", "--fail-on", "none", "--allow-missing", a.buf, b.buf, "-o", o.buf, NULL);
	expect_error(&r, 3, "shard 2 of 3 not merged");
	doc = read_json("m", "report.json");
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "run"), "partial")));
	cJSON_Delete(doc);
	cli_result_release(&r);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&o);
}

Test(cli_shards, merge_refuses_reports_that_are_not_shards)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, w = STRBUF_INIT;
	struct cli_result r;

	two_of_three(&a, &b);
	audit_into("whole", NULL);
	out_path(&w, "whole", "report.json");
	run(&r, "merge", "-q", a.buf, w.buf, "-o", tmp.buf, NULL);
	expect_error(&r, 2, "report.json' is not a shard's report");
	cli_result_release(&r);
	run(&r, "merge", "-q", a.buf, a.buf, "-o", tmp.buf, NULL);
	expect_error(&r, 2, "are both shard 1 of 3");
	cli_result_release(&r);
	out_path(&w, "whole", "report.sarif");
	run(&r, "merge", "-q", a.buf, w.buf, "-o", tmp.buf, NULL);
	expect_error(&r, 2, "report.sarif': not a memaudit report");
	cli_result_release(&r);
	run(&r, "merge", "-q", "-o", tmp.buf, NULL);
	expect_error(&r, 2, "give the shards' JSON reports");
	cli_result_release(&r);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&w);
}

Test(cli_shards, merge_exit_1_on_findings_at_fail_on)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, o = STRBUF_INIT;
	struct cli_result r;

	shards_fixture();
	audit_into("s1", "1/2");
	audit_into("s2", "2/2");
	out_path(&a, "s1", "report.json");
	out_path(&b, "s2", "report.json");
	out_path(&o, "m", NULL);
	run(&r, "merge", "-q", a.buf, b.buf, "-o", o.buf, NULL);
	cr_expect_eq(r.code, 1, "%s", r.err.buf);
	cr_expect(strstr(r.err.buf, "at or above --fail-on warning"), "%s", r.err.buf);
	cli_result_release(&r);
	run(&r, "merge", "-q", "--fail-on", "none", a.buf, b.buf, "-o", o.buf, NULL);
	cr_expect_eq(r.code, 0, "%s", r.err.buf);
	cli_result_release(&r);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&o);
}

/* ------------------------------------------------------------------ */
/* --format codequality                                                */

/* A sharded CI run gates on new findings: the merged report against a
 * baseline saved from the whole run has none; against an empty one, all are new. */
Test(cli_shards, merge_against_a_baseline_fails_on_new_findings_only)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, o = STRBUF_INIT, whole = STRBUF_INIT, base = STRBUF_INIT,
		      empty = STRBUF_INIT, err = STRBUF_INIT;
	const char *none = "{\"format\": \"memaudit-baseline\", \"version\": 1, \"entries\": []}\n";
	struct cli_result r;
	cJSON *doc;

	shards_fixture();
	audit_into("whole", NULL);
	audit_into("s1", "1/2");
	audit_into("s2", "2/2");
	out_path(&whole, "whole", "report.json");
	out_path(&base, "base.json", NULL);
	out_path(&empty, "empty.json", NULL);
	cr_assert_eq(ma_write_file_atomic(empty.buf, none, strlen(none), &err), 0, "%s", err.buf);
	run(&r, "baseline", "save", whole.buf, "-o", base.buf, NULL);
	cr_assert_eq(r.code, 0, "%s", r.err.buf);
	cli_result_release(&r);
	out_path(&a, "s1", "report.json");
	out_path(&b, "s2", "report.json");
	out_path(&o, "m", NULL);
	run(&r, "merge", "-q", "--baseline", base.buf, "--fail-on-new", a.buf, b.buf, "-o", o.buf, NULL);
	cr_expect_eq(r.code, 0, "every finding is in the baseline: %s", r.err.buf);
	cli_result_release(&r);
	doc = read_json("m", "report.json");
	cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "run"), "baseline"), "new")->valueint, 0);
	cJSON_Delete(doc);
	run(&r, "merge", "-q", "--baseline", empty.buf, "--fail-on-new", a.buf, b.buf, "-o", o.buf, NULL);
	cr_expect_eq(r.code, 1, "%s", r.err.buf);
	cr_expect(strstr(r.err.buf, "new findings at or above --fail-on warning"), "%s", r.err.buf);
	cli_result_release(&r);
	run(&r, "merge", "-q", "--fail-on-new", a.buf, b.buf, "-o", o.buf, NULL);
	expect_error(&r, 2, "--fail-on-new needs --baseline");
	cli_result_release(&r);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&o);
	strbuf_release(&whole);
	strbuf_release(&base);
	strbuf_release(&empty);
	strbuf_release(&err);
}

Test(cli_shards, codequality_only_when_asked_for)
{
	struct strbuf dir = STRBUF_INIT, p = STRBUF_INIT;
	struct cli_result r;
	cJSON *doc, *whole;

	shards_fixture();
	audit_into("whole", NULL);
	out_path(&p, "whole", "gl-code-quality-report.json");
	cr_expect_not(ma_is_file(p.buf), "written by default");
	out_path(&dir, "cq", NULL);
	run(&r, "audit", "-q", "--fail-on", "none", "--compile-db", db.buf, "-o", dir.buf, "--format",
	    "codequality,json", NULL);
	cr_assert_eq(r.code, 0, "%s", r.err.buf);
	doc = read_json("cq", "gl-code-quality-report.json");
	whole = read_json("whole", "report.json");
	cr_expect_eq(cJSON_GetArraySize(doc), cJSON_GetArraySize(cJSON_GetObjectItem(whole, "findings")));
	cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "fingerprint")->valuestring,
			 cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(whole, "findings"), 0),
					     "fingerprint")->valuestring);
	cJSON_Delete(doc);
	cJSON_Delete(whole);
	cli_result_release(&r);
	strbuf_release(&dir);
	strbuf_release(&p);
}

Test(cli_shards, merge_help)
{
	struct cli_result r;

	run(&r, "merge", "--help", NULL);
	cr_expect_eq(r.code, 0);
	cr_expect(strstr(r.out.buf, "usage: memaudit merge SHARD.json...") == r.out.buf, "%s", r.out.buf);
	cr_expect(strstr(r.out.buf, "--allow-missing"), "%s", r.out.buf);
	cli_result_release(&r);
	run(&r, "audit", "--help", NULL);
	cr_expect(strstr(r.out.buf, "--shard K/N"), "%s", r.out.buf);
	cli_result_release(&r);
}
