/*
 * Unit tests for core/suppress_scan.c and core/suppress.c: the comment
 * scanner (which comments hold a directive, and which line each covers),
 * the directive's syntax and its errors, and the application to a report's
 * findings (suppressed, invalid and unused).
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "../../core/finding.h"
#include "../../core/fs.h"
#include "../../core/report.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"
#include "../../core/suppress.h"

static struct ma_suppress_list list;

static void scan(const char *text)
{
	ma_suppress_list_release(&list);
	ma_suppress_scan(text, strlen(text), &list);
}

static void fini(void)
{
	ma_suppress_list_release(&list);
}

TestSuite(suppress, .fini = fini);

static const struct ma_suppress_directive *only_one(void)
{
	cr_assert_eq(list.nr, 1, "expected one directive, found %zu", list.nr);
	return &list.items[0];
}

static void expect_valid(const struct ma_suppress_directive *d, enum ma_suppress_form form,
			 unsigned target, const char *reason)
{
	cr_expect_null(d->error, "unexpected error: %s", d->error);
	cr_expect_eq(d->form, form);
	cr_expect_eq(d->target, target, "target line %u, expected %u", d->target, target);
	cr_expect_str_eq(d->reason ? d->reason : "(null)", reason);
}

static void expect_error(const char *text, const char *needle)
{
	const struct ma_suppress_directive *d;

	scan(text);
	d = only_one();
	cr_assert_not_null(d->error, "no error for: %s", text);
	cr_expect(strstr(d->error, needle), "error '%s' lacks '%s'", d->error, needle);
	cr_expect_eq(ma_suppress_match(d, "use-after-free", d->target), -1, "an invalid directive suppresses nothing");
}

/* ------------------------------------------------------------------ */
/* Which line a directive covers                                       */

Test(suppress, trailing_comment_covers_its_line)
{
	scan("int a;\nfree(p); // memaudit-ignore[double-free]: freed twice on purpose\nint b;\n");
	expect_valid(only_one(), MA_SUPPRESS_LINE, 2, "freed twice on purpose");
	cr_expect_eq(list.items[0].line, 2);
	cr_expect_eq(list.items[0].column, 10);
}

Test(suppress, comment_alone_covers_the_next_line)
{
	scan("int a;\n\t// memaudit-ignore[double-free]: reason\n\tfree(p);\n");
	expect_valid(only_one(), MA_SUPPRESS_LINE, 3, "reason");
}

Test(suppress, stacked_comments_cover_the_same_code_line)
{
	scan("// memaudit-ignore[double-free]: one\n/* a remark */\n// memaudit-ignore[use-after-free]: two\nfree(p);\n");
	cr_assert_eq(list.nr, 2);
	cr_expect_eq(list.items[0].target, 4);
	cr_expect_eq(list.items[1].target, 4);
}

Test(suppress, blank_line_ends_the_reach)
{
	scan("// memaudit-ignore[double-free]: reason\n\nfree(p);\n");
	expect_valid(only_one(), MA_SUPPRESS_LINE, 0, "reason");
	cr_expect_eq(ma_suppress_match(&list.items[0], "double-free", 3), -1);
}

Test(suppress, comment_at_the_end_of_the_file_covers_nothing)
{
	scan("free(p);\n// memaudit-ignore[double-free]: reason");
	expect_valid(only_one(), MA_SUPPRESS_LINE, 0, "reason");
}

Test(suppress, block_comment_before_code_on_its_line)
{
	scan("int a;\n/* memaudit-ignore[double-free]: reason */ free(p);\n");
	expect_valid(only_one(), MA_SUPPRESS_LINE, 2, "reason");
}

Test(suppress, next_line_form_skips_its_own_line)
{
	scan("free(p); // memaudit-ignore-next-line[double-free]: reason\nfree(q);\n");
	expect_valid(only_one(), MA_SUPPRESS_NEXT_LINE, 2, "reason");
	cr_expect_eq(ma_suppress_match(&list.items[0], "double-free", 1), -1);
	cr_expect_eq(ma_suppress_match(&list.items[0], "double-free", 2), 0);
}

Test(suppress, block_comment_across_lines)
{
	scan("int a;\n/* memaudit-ignore[use-after-free]: the pool keeps\n *   the block alive\n * until exit */\nuse(p);\n");
	expect_valid(only_one(), MA_SUPPRESS_LINE, 5, "the pool keeps the block alive until exit");
	cr_expect_eq(list.items[0].line, 2);
}

Test(suppress, block_comment_ending_before_code)
{
	scan("/* memaudit-ignore[use-after-free]: reason\n */ use(p);\n");
	expect_valid(only_one(), MA_SUPPRESS_LINE, 2, "reason");
}

Test(suppress, file_form_covers_every_line)
{
	const struct ma_suppress_directive *d;

	scan("/* header */\n// memaudit-ignore-file[unchecked-return]: generated code\nint a;\n");
	d = only_one();
	expect_valid(d, MA_SUPPRESS_FILE, 0, "generated code");
	cr_expect_eq(ma_suppress_match(d, "unchecked-return", 1), 0);
	cr_expect_eq(ma_suppress_match(d, "unchecked-return", 900), 0);
	cr_expect_eq(ma_suppress_match(d, "use-after-free", 900), -1);
}

/* ------------------------------------------------------------------ */
/* What is not a directive                                             */

Test(suppress, string_literal_is_not_a_comment)
{
	scan("const char *s = \"// memaudit-ignore[double-free]: no\";\n"
	     "const char *t = \"/* memaudit-ignore[double-free]: no */\";\n"
	     "const char *u = \"\\\" // memaudit-ignore[double-free]: escaped quote\";\n");
	cr_expect_eq(list.nr, 0, "found %zu directives in string literals", list.nr);
}

Test(suppress, character_literal_and_raw_string)
{
	scan("char c = '\"'; // memaudit-ignore[double-free]: after a quote character\n"
	     "auto r = R\"x(// memaudit-ignore[double-free]: in a raw string)\" )x\";\n"
	     "int n = 1'000; // memaudit-ignore[use-after-free]: after a digit separator\n");
	cr_assert_eq(list.nr, 2);
	cr_expect_eq(list.items[0].target, 1);
	cr_expect_eq(list.items[1].target, 3);
	cr_expect_str_eq(list.items[1].rules.v[0], "use-after-free");
}

Test(suppress, directive_must_open_the_comment)
{
	scan("// see memaudit-ignore[double-free]: in prose\nfree(p);\n"
	     "/*\n * the check-output block names memaudit-ignore[x] too\n */\n");
	cr_expect_eq(list.nr, 0);
}

Test(suppress, comment_inside_a_comment)
{
	scan("/* // memaudit-ignore[double-free]: inside a block */\nfree(p);\n");
	cr_expect_eq(list.nr, 0, "'//' inside a block comment does not open one");
}

Test(suppress, doxygen_comment_prefixes)
{
	scan("/// memaudit-ignore[double-free]: a\nfree(p);\n/*! memaudit-ignore[double-free]: b */\nfree(q);\n");
	cr_assert_eq(list.nr, 2);
	cr_expect_eq(list.items[0].target, 2);
	cr_expect_eq(list.items[1].target, 4);
}

/* ------------------------------------------------------------------ */
/* Rule lists                                                          */

Test(suppress, several_rules)
{
	const struct ma_suppress_directive *d;

	scan("free(p); // memaudit-ignore[double-free, use-after-free]: reason\n");
	d = only_one();
	expect_valid(d, MA_SUPPRESS_LINE, 1, "reason");
	cr_assert_eq(d->rules.nr, 2);
	cr_expect_eq(ma_suppress_match(d, "double-free", 1), 0);
	cr_expect_eq(ma_suppress_match(d, "use-after-free", 1), 1);
	cr_expect_eq(ma_suppress_match(d, "memory-leak", 1), -1);
	cr_expect_eq(ma_suppress_match(d, "double-free", 2), -1, "another line");
}

Test(suppress, star_covers_every_rule)
{
	scan("free(p); // memaudit-ignore[*]: reason\n");
	cr_expect_eq(ma_suppress_match(only_one(), "memory-leak", 1), 0);
}

/* ------------------------------------------------------------------ */
/* Invalid directives                                                  */

Test(suppress, missing_reason)
{
	expect_error("free(p); // memaudit-ignore[double-free]\n", "without a reason");
	expect_error("free(p); // memaudit-ignore[double-free]:   \n", "without a reason");
	expect_error("free(p); /* memaudit-ignore[double-free]: */\n", "without a reason");
	expect_error("free(p); // memaudit-ignore[double-free] because\n", "without a reason");
}

Test(suppress, unknown_rule)
{
	expect_error("free(p); // memaudit-ignore[double-free,dobule-free]: typo\n", "unknown rule 'dobule-free'");
}

Test(suppress, no_rule_list)
{
	expect_error("free(p); // memaudit-ignore: reason\n", "names no rule");
	expect_error("free(p); // memaudit-ignore-next-line\n", "'memaudit-ignore-next-line' names no rule");
	expect_error("free(p); // memaudit-ignore[]: reason\n", "empty rule id");
	expect_error("free(p); // memaudit-ignore[double-free,]: reason\n", "empty rule id");
	expect_error("free(p); // memaudit-ignore[double-free: reason\n", "without its ']'");
}

Test(suppress, misspelt_directive)
{
	expect_error("free(p); // memaudit-ignore-nextline[double-free]: reason\n", "unknown suppression 'memaudit-ignore-nextline'");
	expect_error("free(p); // memaudit-ignored[double-free]: reason\n", "unknown suppression 'memaudit-ignored'");
}

Test(suppress, star_not_alone)
{
	expect_error("free(p); // memaudit-ignore[*,double-free]: reason\n", "'*' must be alone");
}

Test(suppress, the_suppression_rules_themselves)
{
	expect_error("free(p); // memaudit-ignore[invalid-suppression]: reason\n", "cannot be suppressed inline");
}

/* ------------------------------------------------------------------ */
/* Applied to a report                                                 */

static struct strbuf dir = STRBUF_INIT;

static void write_source(const char *name, const char *text, struct strbuf *path)
{
	struct strbuf err = STRBUF_INIT;

	if (!dir.len)
		cr_assert_eq(ma_mkdtemp(&dir, "memaudit-suppress", &err), 0, "%s", err.buf);
	strbuf_reset(path);
	strbuf_addf(path, "%s/%s", dir.buf, name);
	cr_assert_eq(ma_write_file_atomic(path->buf, text, strlen(text), &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

static void add(struct ma_report *rep, const char *rule, const char *file, unsigned line)
{
	struct ma_location loc = { .file = (char *)file, .line = line, .column = 2 };

	ma_findings_add(&rep->findings, ma_finding_new(ma_rule_find(rule), "msg", &loc, "static"));
}

static const struct ma_finding *find(const struct ma_report *rep, const char *rule, unsigned line)
{
	for (size_t i = 0; i < rep->findings.nr; i++)
		if (!strcmp(rep->findings.items[i]->rule_id, rule) && rep->findings.items[i]->loc.line == line)
			return rep->findings.items[i];
	cr_assert_fail("no %s finding on line %u", rule, line);
	return NULL;
}

static void apply_fini(void)
{
	fini();
	if (dir.len)
		ma_remove_tree(dir.buf);
	strbuf_release(&dir);
}

TestSuite(suppress_apply, .fini = apply_fini);

#define APPLY_C \
	"void f(int *p)\n"                                                       /* 1 */ \
	"{\n"                                                                    /* 2 */ \
	"\tfree(p); // memaudit-ignore[double-free]: the caller passes a copy\n" /* 3 */ \
	"\tfree(p);\n"                                                           /* 4 */ \
	"\t// memaudit-ignore[use-after-free,double-free]: only one is used\n"   /* 5 */ \
	"\tuse(p);\n"                                                            /* 6 */ \
	"\tuse(p); // memaudit-ignore[use-after-free]\n"                         /* 7 */ \
	"}\n"                                                                    /* 8 */

Test(suppress_apply, marks_reports_and_counts)
{
	struct ma_report rep;
	struct strbuf path = STRBUF_INIT;
	struct ma_suppress_opts o = { .report_unused = 1 };
	const struct ma_finding *f;

	write_source("apply.c", APPLY_C, &path);
	ma_report_init(&rep);
	rep.run.root = strdup(dir.buf);
	add(&rep, "double-free", path.buf, 3);
	add(&rep, "double-free", path.buf, 4);
	add(&rep, "use-after-free", path.buf, 6);
	add(&rep, "use-after-free", path.buf, 7);
	ma_findings_finalize(&rep.findings, rep.run.root);
	ma_suppressions_apply(&rep, &o);

	f = find(&rep, "double-free", 3);
	cr_expect_eq(f->suppression.kind, MA_SUPPRESSION_INLINE);
	cr_expect_str_eq(f->suppression.reason, "the caller passes a copy");
	cr_expect_eq(f->suppression.line, 3);
	cr_expect_eq(find(&rep, "double-free", 4)->suppression.kind, MA_SUPPRESSION_NONE);
	cr_expect_eq(find(&rep, "use-after-free", 6)->suppression.kind, MA_SUPPRESSION_INLINE);
	cr_expect_eq(find(&rep, "use-after-free", 7)->suppression.kind, MA_SUPPRESSION_NONE,
		     "a directive without a reason suppresses nothing");
	f = find(&rep, "invalid-suppression", 7);
	cr_expect(strstr(f->message, "without a reason"), "%s", f->message);
	cr_expect_eq(f->severity, MA_SEV_WARNING);
	cr_expect_eq(f->fingerprint[16], '\0');
	cr_expect_neq(f->fingerprint[0], '\0', "finalized again: the new findings have fingerprints");
	f = find(&rep, "unused-suppression", 5);
	cr_expect(strstr(f->message, "'double-free'"), "%s", f->message);
	cr_expect_eq(f->severity, MA_SEV_NOTE);
	cr_expect_eq(rep.findings.nr, 6, "4 findings, 1 invalid, 1 unused");
	cr_expect_eq(ma_findings_count_at_least(&rep.findings, MA_SEV_NOTE), 4, "the suppressed do not count");
	ma_report_release(&rep);
	strbuf_release(&path);
}

Test(suppress_apply, unused_only_when_asked_and_only_for_rules_that_ran)
{
	struct ma_report rep;
	struct strbuf path = STRBUF_INIT;
	struct strvec files = STRVEC_INIT, ran = STRVEC_INIT;
	struct ma_suppress_opts o = { .files = &files }; /* scanned though no finding names it */

	write_source("unused.c", "// memaudit-ignore-file[memory-leak]: arena\n"
		     "int x; // memaudit-ignore[double-free]: reason\n", &path);
	ma_report_init(&rep);
	rep.run.root = strdup(dir.buf);
	strvec_push(&files, path.buf);
	ma_suppressions_apply(&rep, &o);
	cr_expect_eq(rep.findings.nr, 0, "no --report-unused-suppressions: nothing reported");

	o.report_unused = 1;
	ma_suppressions_apply(&rep, &o);
	cr_expect_eq(rep.findings.nr, 2, "both directives unused");
	cr_expect(strstr(find(&rep, "unused-suppression", 1)->message, "in this file"));
	ma_findings_release(&rep.findings);

	strvec_push(&ran, "memory-leak");
	o.only = &ran;
	ma_suppressions_apply(&rep, &o);
	cr_expect_eq(rep.findings.nr, 1, "double-free did not run (--rules): its suppression is not judged");
	cr_expect_eq(rep.findings.items[0]->loc.line, 1);
	ma_report_release(&rep);

	write_source("invalid.c", "int x; // memaudit-ignore[double-free]\n", &path);
	ma_report_init(&rep);
	strvec_clear(&files);
	strvec_push(&files, path.buf);
	ma_suppressions_apply(&rep, &o);
	cr_expect_eq(rep.findings.nr, 0, "--rules memory-leak: invalid-suppression did not run");
	strvec_push(&ran, "invalid-suppression");
	ma_suppressions_apply(&rep, &o);
	cr_expect_eq(rep.findings.nr, 1, "--rules memory-leak,invalid-suppression");
	ma_report_release(&rep);
	strvec_clear(&files);
	strvec_clear(&ran);
	strbuf_release(&path);
}
