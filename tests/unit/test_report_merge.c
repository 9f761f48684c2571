/*
 * Tests for core/report_merge.c: shard reports built in memory, merged,
 * and compared with what one unsharded run finalizes from the same
 * findings; and every way a set of reports is not one run's shards.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "../../core/alloc.h"
#include "../../core/finding.h"
#include "../../core/report.h"
#include "../../core/report_merge.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"

#define MAX_SHARDS 4

static struct ma_report shards[MAX_SHARDS], merged, whole;
static const char *const paths[MAX_SHARDS] = { "s1.json", "s2.json", "s3.json", "s4.json" };
static struct strbuf err = STRBUF_INIT;

static void init_run(struct ma_report *r, unsigned k, unsigned n)
{
	ma_report_init(r);
	r->run.root = ma_strdup("/proj");
	r->run.shard_index = k;
	r->run.shard_count = n;
	strvec_push(&r->run.passes, "static");
}

static void setup(void)
{
	for (unsigned i = 0; i < MAX_SHARDS; i++)
		init_run(&shards[i], i + 1, MAX_SHARDS);
	ma_report_init(&merged);
	ma_report_init(&whole);
	whole.run.root = ma_strdup("/proj");
	strbuf_init(&err, 0);
}

static void teardown(void)
{
	for (unsigned i = 0; i < MAX_SHARDS; i++)
		ma_report_release(&shards[i]);
	ma_report_release(&merged);
	ma_report_release(&whole);
	strbuf_release(&err);
}

TestSuite(report_merge, .init = setup, .fini = teardown);

/* A static finding at file:line whose source line is `text`, into set. */
static void add(struct ma_findings *set, const char *file, unsigned line, const char *text)
{
	struct ma_location loc;
	struct ma_finding *f;

	ma_location_set(&loc, file, line, 2, "fn");
	f = ma_finding_new(ma_rule_find("free-non-heap"), "freed", &loc, "static");
	f->line_hash = ma_line_hash(text, strlen(text));
	ma_findings_add(set, f);
	ma_location_release(&loc);
}

/*
 * What each unit reports: u1 sees h.h's lines 5 and 7 (the same text),
 * u2 and u3 only line 7 (an #ifdef), u4 nothing in h.h; each its own.
 */
static void unit_findings(struct ma_findings *set, unsigned unit)
{
	static const char *const own[] = { "/proj/u1.c", "/proj/u2.c", "/proj/u3.c", "/proj/u4.c" };

	if (unit == 1)
		add(set, "/proj/h.h", 5, "free(&x);");
	if (unit <= 3)
		add(set, "/proj/h.h", 7, "free(&x);");
	add(set, own[unit - 1], 3, "free(&y);");
}

static int merge(size_t nr, unsigned flags)
{
	return ma_reports_merge(&merged, shards, (const char *const *)paths, nr, flags, &err);
}

static void expect_same_findings(const struct ma_findings *a, const struct ma_findings *b)
{
	cr_assert_eq(a->nr, b->nr, "%zu findings, not %zu", a->nr, b->nr);
	for (size_t i = 0; i < a->nr; i++) {
		const struct ma_finding *x = a->items[i], *y = b->items[i];
		cr_expect_str_eq(x->loc.file, y->loc.file, "finding %zu", i);
		cr_expect_eq(x->loc.line, y->loc.line, "finding %zu", i);
		cr_expect_eq(x->count, y->count, "finding %zu (%s:%u)", i, x->loc.file, x->loc.line);
		cr_expect_eq(x->occurrence, y->occurrence, "finding %zu (%s:%u)", i, x->loc.file, x->loc.line);
		cr_expect_str_eq(x->fingerprint, y->fingerprint, "finding %zu (%s:%u)", i, x->loc.file, x->loc.line);
	}
}

/* Units 1..4 over `n` shards as unit -> shard (1-based) says; the shards finalized as audit does. */
static void shard_units(const unsigned *shard_of_unit, unsigned n)
{
	for (unsigned u = 1; u <= 4; u++) {
		unit_findings(&whole.findings, u);
		unit_findings(&shards[shard_of_unit[u - 1] - 1].findings, u);
	}
	ma_findings_finalize(&whole.findings, "/proj");
	for (unsigned k = 0; k < n; k++) {
		shards[k].run.shard_count = n;
		ma_findings_finalize(&shards[k].findings, "/proj");
	}
}

Test(report_merge, findings_come_out_as_one_run_finalizes_them)
{
	static const unsigned split[] = { 1, 2, 2, 1 };

	shard_units(split, 2);
	/* shard 2 alone numbers h.h:7 occurrence 1: what the merge must undo */
	cr_assert_eq(shards[1].findings.items[0]->loc.line, 7);
	cr_assert_eq(shards[1].findings.items[0]->occurrence, 1);
	cr_assert_eq(merge(2, 0), 0, "%s", err.buf);
	expect_same_findings(&merged.findings, &whole.findings);
	cr_expect_eq(merged.findings.items[1]->count, 3, "h.h:7 seen by three units in two shards");
	cr_expect_eq(merged.findings.items[1]->occurrence, 2);
}

Test(report_merge, any_split_and_any_order_of_the_reports)
{
	static const unsigned splits[][4] = { { 1, 1, 1, 1 }, { 2, 1, 1, 1 }, { 3, 2, 1, 3 }, { 4, 3, 2, 1 } };

	for (size_t s = 0; s < sizeof(splits) / sizeof(splits[0]); s++) {
		teardown();
		setup();
		shard_units(splits[s], 4);
		/* given in reverse */
		struct ma_report tmp = shards[0];
		shards[0] = shards[3];
		shards[3] = tmp;
		tmp = shards[1];
		shards[1] = shards[2];
		shards[2] = tmp;
		cr_assert_eq(merge(4, 0), 0, "split %zu: %s", s, err.buf);
		expect_same_findings(&merged.findings, &whole.findings);
	}
}

Test(report_merge, run_counts_and_times)
{
	shards[0].run.tus_total = shards[0].run.tus_analysed = 2;
	shards[1].run.tus_total = 3;
	shards[1].run.tus_analysed = 2;
	shards[1].run.tus_failed = 1;
	for (unsigned k = 0; k < 4; k++) {
		shards[k].run.tus_filtered = 5; /* --files: the same in every shard */
		shards[k].run.tus_skipped = 1;
		shards[k].run.cpu_seconds = 1.5;
		shards[k].run.wall_seconds = k + 1.0;
		shards[k].run.started = 1000 - k;
		shards[k].run.jobs = (int)k;
		strvec_push(&shards[k].run.notes, "dropped compiler options clang does not know: -fx");
		ma_report_add_failure(&shards[k], NULL, 0, 0, "the build command exited with 2");
	}
	strvec_push(&shards[0].run.passes, "memcheck");
	ma_report_add_failure(&shards[1], "/proj/bad.c", 3, 1, "expected ';'");
	cr_assert_eq(merge(4, 0), 0, "%s", err.buf);
	cr_expect_eq(merged.run.tus_total, 5);
	cr_expect_eq(merged.run.tus_analysed, 4);
	cr_expect_eq(merged.run.tus_failed, 1);
	cr_expect_eq(merged.run.tus_filtered, 5);
	cr_expect_eq(merged.run.tus_skipped, 1);
	cr_expect_float_eq(merged.run.cpu_seconds, 6.0, 1e-9);
	cr_expect_float_eq(merged.run.wall_seconds, 4.0, 1e-9, "the longest shard");
	cr_expect_eq(merged.run.started, 997, "the first shard to start");
	cr_expect_eq(merged.run.jobs, 3);
	cr_expect_eq(merged.run.notes.nr, 1, "the same note once");
	cr_expect_eq(merged.run.nr_failures, 2, "the build's failure once, the unit's");
	cr_expect(merged.run.partial);
	cr_expect_eq(merged.run.passes.nr, 2);
	cr_expect_str_eq(merged.run.passes.v[1], "memcheck");
	cr_expect_eq(merged.run.shard_count, 0, "the merged report is no shard");
	cr_expect_str_eq(merged.run.root, "/proj");
}

static void expect_merge_error(size_t nr, unsigned flags, const char *needle)
{
	strbuf_reset(&err);
	cr_expect_eq(merge(nr, flags), -1, "merged; wanted \"%s\"", needle);
	cr_expect(strstr(err.buf, needle), "error lacks \"%s\": %s", needle, err.buf);
	cr_expect(!strchr(err.buf, '\n'), "one line: %s", err.buf);
}

Test(report_merge, a_missing_shard_is_an_error)
{
	expect_merge_error(3, 0, "shard 4 of 4 missing");
	expect_merge_error(2, 0, "shards 3, 4 of 4 missing");
}

Test(report_merge, allow_missing_makes_the_report_partial)
{
	unit_findings(&shards[0].findings, 1);
	cr_assert_eq(merge(2, MA_MERGE_ALLOW_MISSING), 0, "%s", err.buf);
	cr_expect(merged.run.partial);
	cr_assert_eq(merged.run.nr_failures, 1);
	cr_expect(strstr(merged.run.failures[0].message, "shards 3, 4 of 4 not merged"), "%s",
		  merged.run.failures[0].message);
	cr_expect_eq(merged.findings.nr, 3);
}

Test(report_merge, the_same_shard_twice)
{
	shards[2].run.shard_index = 2;
	expect_merge_error(4, 0, "'s2.json' and 's3.json' are both shard 2 of 4");
}

Test(report_merge, not_a_shard)
{
	shards[1].run.shard_count = 0;
	expect_merge_error(4, 0, "'s2.json' is not a shard's report");
	shards[1].run.shard_count = 4;
	shards[0].run.shard_count = 0;
	expect_merge_error(4, 0, "'s1.json' is not a shard's report");
}

Test(report_merge, shards_of_different_runs)
{
	shards[3].run.shard_count = 5;
	expect_merge_error(4, 0, "'s4.json' is shard 4 of 5, but 's1.json' is of 4");
	shards[3].run.shard_count = 4;
	free(shards[2].run.root);
	shards[2].run.root = ma_strdup("/elsewhere");
	expect_merge_error(4, 0, "differ in root ('/proj', '/elsewhere')");
	free(shards[2].run.root);
	shards[2].run.root = ma_strdup("/proj");
	shards[1].run.tool_version = "0.0.1-other";
	expect_merge_error(4, 0, "differ in memaudit version");
	shards[1].run.tool_version = shards[0].run.tool_version;
	shards[3].run.commit = ma_strdup("abc123");
	expect_merge_error(4, 0, "differ in commit ('none', 'abc123')");
}

Test(report_merge, nothing_to_merge)
{
	expect_merge_error(0, 0, "no shard reports");
}
