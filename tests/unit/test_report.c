/* Unit tests for core/report.c: a pass's own report taken into the run's. */
#include <criterion/criterion.h>

#include <string.h>

#include "../../core/finding.h"
#include "../../core/report.h"
#include "../../core/rules.h"

static const struct ma_rule uaf = {
	.id = "use-after-free", .title = "Use of memory after it is freed",
	.cwe = 416, .severity = MA_SEV_ERROR,
};

static void add_finding(struct ma_report *rep, const char *file, unsigned line, const char *pass)
{
	struct ma_location loc;

	ma_location_set(&loc, file, line, 1, "f");
	ma_findings_add(&rep->findings, ma_finding_new(&uaf, "'p' used after free", &loc, pass));
	ma_location_release(&loc);
}

/* The static pass ran on a thread into a report of its own while the
 * dynamic passes wrote into the run's: its findings, failures and notes
 * come first, its counts are added. */
Test(report, take_first_puts_the_other_pass_ahead)
{
	struct ma_report run, stat;

	ma_report_init(&run);
	ma_report_init(&stat);
	run.run.tus_total = 3;
	add_finding(&run, "a.c", 7, "memcheck");
	strvec_push(&run.run.notes, "memcheck: 1 finding");
	ma_report_add_failure(&run, NULL, 0, 0, "the command timed out");
	add_finding(&stat, "b.c", 2, "static");
	add_finding(&stat, "a.c", 7, "static");
	strvec_push(&stat.run.notes, "libclang dropped -fno-foo");
	ma_report_add_failure(&stat, "c.c", 4, 1, "expected ';'");
	stat.run.tus_analysed = 2;
	stat.run.tus_failed = 1;
	stat.run.parse_seconds = 0.5;
	stat.run.jobs = 2;

	ma_report_take_first(&run, &stat);
	cr_assert_eq(run.findings.nr, 3);
	cr_expect_str_eq(run.findings.items[0]->loc.file, "b.c");
	cr_expect_str_eq(run.findings.items[2]->pass, "memcheck");
	cr_assert_eq(run.run.notes.nr, 2);
	cr_expect_str_eq(run.run.notes.v[0], "libclang dropped -fno-foo");
	cr_expect_str_eq(run.run.notes.v[1], "memcheck: 1 finding");
	cr_assert_eq(run.run.nr_failures, 2);
	cr_expect_str_eq(run.run.failures[0].file, "c.c");
	cr_expect_str_eq(run.run.failures[1].message, "the command timed out");
	cr_expect_eq(run.run.tus_total, 3);
	cr_expect_eq(run.run.tus_analysed, 2);
	cr_expect_eq(run.run.tus_failed, 1);
	cr_expect_eq(run.run.jobs, 2);
	cr_expect(run.run.partial);
	cr_expect_eq(stat.findings.nr, 0, "the other report is emptied");
	cr_expect_eq(stat.run.nr_failures, 0);

	ma_findings_confirm(&run.findings);
	cr_expect_eq(run.findings.nr, 2, "the static finding at a.c:7 is confirmed by memcheck");
	ma_report_release(&run);
	ma_report_release(&stat);
}

/* Nothing on either side: nothing in the result, nothing partial. */
Test(report, take_first_of_empty_reports)
{
	struct ma_report run, stat;

	ma_report_init(&run);
	ma_report_init(&stat);
	ma_report_take_first(&run, &stat);
	cr_expect_eq(run.findings.nr, 0);
	cr_expect_eq(run.run.nr_failures, 0);
	cr_expect_eq(run.run.notes.nr, 0);
	cr_expect(!run.run.partial);
	ma_report_release(&run);
	ma_report_release(&stat);
}
