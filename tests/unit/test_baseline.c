/*
 * Tests for baselines (suite baseline): code keys (core/finding.c), the
 * two-round multiset match and its application to a report
 * (core/baseline.c), the baseline file and baselines read from a report
 * (reporters/baseline_file.c), and what the JSON, text and SARIF reports
 * make of a run compared with a baseline.  The end-to-end cases, on
 * fixtures/baseline/, are in test_cli_baseline.c.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "../../core/alloc.h"
#include "../../core/baseline.h"
#include "../../core/finding.h"
#include "../../core/fs.h"
#include "../../core/report.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"
#include "../../reporters/baseline_file.h"
#include "../../reporters/json_read.h"
#include "../../reporters/reporter.h"

static struct strbuf tmp = STRBUF_INIT;

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_mkdtemp(&tmp, "memaudit-baseline", &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	ma_remove_tree(tmp.buf);
	strbuf_release(&tmp);
}

TestSuite(baseline, .init = setup, .fini = teardown);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

static struct ma_finding *add(struct ma_findings *set, const char *rule, const char *file, unsigned line,
			      const char *func, const char *text)
{
	const struct ma_rule *r = ma_rule_find(rule);
	struct ma_location loc;
	struct ma_finding *f;

	cr_assert_not_null(r, "no rule '%s'", rule);
	ma_location_set(&loc, file, line, 2, func);
	f = ma_finding_new(r, "a message", &loc, "static");
	f->line_hash = ma_line_hash(text, strlen(text));
	ma_findings_add(set, f);
	ma_location_release(&loc);
	return f;
}

/* The finding of set at file:line (there must be one). */
static struct ma_finding *at(const struct ma_findings *set, const char *file, unsigned line)
{
	for (size_t i = 0; i < set->nr; i++)
		if (!strcmp(set->items[i]->loc.file, file) && set->items[i]->loc.line == line)
			return set->items[i];
	cr_assert_fail("no finding at %s:%u", file, line);
	return NULL;
}

static void match(const struct ma_match_key *base, size_t nb, const struct ma_match_key *cur, size_t nc,
		  size_t *pair)
{
	ma_baseline_match(base, nb, cur, nc, pair);
}

#define NONE MA_BASELINE_NO_MATCH

static void write_tmp(const char *name, const char *text, struct strbuf *path)
{
	struct strbuf err = STRBUF_INIT;

	strbuf_reset(path);
	strbuf_addf(path, "%s/%s", tmp.buf, name);
	cr_assert_eq(ma_write_file_atomic(path->buf, text, strlen(text), &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Code keys                                                           */

Test(baseline, code_key_leaves_out_the_file_and_the_line)
{
	struct ma_findings set = MA_FINDINGS_INIT;
	struct ma_finding *a, *b;

	add(&set, "free-non-heap", "/p/a.c", 10, "reset", "free(&x);");
	add(&set, "free-non-heap", "/p/sub/b.c", 99, "reset", "  free( &x ) ;");
	ma_findings_finalize(&set, "/p");
	a = at(&set, "/p/a.c", 10);
	b = at(&set, "/p/sub/b.c", 99);
	cr_assert_eq(strlen(a->code_key), 16);
	cr_assert_str_eq(a->code_key, b->code_key, "same rule, function and line text");
	cr_assert_str_neq(a->fingerprint, b->fingerprint, "the fingerprint holds the file");
	cr_assert_str_neq(a->code_key, a->fingerprint);
	ma_findings_release(&set);
}

Test(baseline, code_key_holds_rule_function_and_line_text)
{
	struct ma_findings set = MA_FINDINGS_INIT;
	struct ma_finding *base, *text, *func, *rule;

	add(&set, "free-non-heap", "/p/a.c", 1, "reset", "free(&x);");
	add(&set, "free-non-heap", "/p/b.c", 1, "reset", "free(&y);");
	add(&set, "free-non-heap", "/p/c.c", 1, "clear", "free(&x);");
	add(&set, "double-free", "/p/d.c", 1, "reset", "free(&x);");
	ma_findings_finalize(&set, "/p");
	base = at(&set, "/p/a.c", 1);
	text = at(&set, "/p/b.c", 1);
	func = at(&set, "/p/c.c", 1);
	rule = at(&set, "/p/d.c", 1);
	cr_assert_str_neq(base->code_key, text->code_key, "the line text changed");
	cr_assert_str_neq(base->code_key, func->code_key, "another function");
	cr_assert_str_neq(base->code_key, rule->code_key, "another rule");
	ma_findings_release(&set);
}

/* ------------------------------------------------------------------ */
/* The match                                                           */

Test(baseline, match_by_fingerprint_then_by_code_key)
{
	struct ma_match_key base[] = { { "f1", "k1" }, { "f2", "k2" } };
	struct ma_match_key cur[] = { { "f9", "k2" }, { "f1", "k1" }, { "f8", "k8" } };
	size_t pair[3];

	match(base, 2, cur, 3, pair);
	cr_assert_eq(pair[0], 1, "moved: matched by code key");
	cr_assert_eq(pair[1], 0, "in place: matched by fingerprint");
	cr_assert_eq(pair[2], NONE, "new");
}

Test(baseline, exact_round_goes_first_whatever_the_order)
{
	/* Both findings have the code key of both entries; the second is
	 * where e0 was.  One round taking any key would give c0 e0 and leave
	 * c1 to e1; two rounds keep c1 on its own entry. */
	struct ma_match_key base[] = { { "fa", "K" }, { "fb", "K" } };
	struct ma_match_key cur[] = { { "fx", "K" }, { "fa", "K" } };
	size_t pair[2];

	match(base, 2, cur, 2, pair);
	cr_assert_eq(pair[1], 0);
	cr_assert_eq(pair[0], 1);
}

Test(baseline, code_keys_match_as_a_multiset)
{
	/* the same code in two files, both moved; a third copy is new */
	struct ma_match_key base[] = { { "f1", "K" }, { "f2", "K" }, { "f3", "other" } };
	struct ma_match_key cur[] = { { "g1", "K" }, { "g2", "K" }, { "g3", "K" } };
	size_t pair[3];

	match(base, 3, cur, 3, pair);
	cr_assert_eq(pair[0], 0);
	cr_assert_eq(pair[1], 1);
	cr_assert_eq(pair[2], NONE, "two entries match two findings, not three");
}

Test(baseline, an_entry_matches_one_finding)
{
	struct ma_match_key base[] = { { "f1", "K" } };
	struct ma_match_key cur[] = { { "f1", "K" }, { "f1", "K" } };
	size_t pair[2];

	match(base, 1, cur, 2, pair);
	cr_assert_eq(pair[0], 0);
	cr_assert_eq(pair[1], NONE, "the entry is taken");
}

Test(baseline, empty_keys_match_nothing)
{
	struct ma_match_key base[] = { { "f1", "" }, { "", NULL } };
	struct ma_match_key cur[] = { { "f1", "" }, { "", "" }, { NULL, NULL } };
	size_t pair[3];

	match(base, 2, cur, 3, pair);
	cr_assert_eq(pair[0], 0, "an entry without code key still matches by fingerprint");
	cr_assert_eq(pair[1], NONE);
	cr_assert_eq(pair[2], NONE);
}

Test(baseline, empty_sides)
{
	struct ma_match_key cur[] = { { "f1", "K" } };
	size_t pair[1] = { 0 };

	match(NULL, 0, cur, 1, pair);
	cr_assert_eq(pair[0], NONE);
	match(cur, 1, NULL, 0, pair); /* nothing to write: must not crash */
}

/* ------------------------------------------------------------------ */
/* Applying a baseline                                                 */

/* The old run: a.c (reset, rd) and util.c (rd2), finalized under /old. */
static void old_run(struct ma_baseline_entries *out)
{
	struct ma_findings set = MA_FINDINGS_INIT;

	add(&set, "free-non-heap", "/old/a.c", 17, "reset", "free(&x);");
	add(&set, "unchecked-return", "/old/a.c", 24, "rd", "fgets(b, sizeof b, stdin);");
	add(&set, "unchecked-return", "/old/util.c", 12, "rd2", "fgets(b, sizeof b, stdin);");
	ma_findings_finalize(&set, "/old");
	ma_baseline_entries_add_findings(out, &set, "/old");
	ma_findings_release(&set);
}

Test(baseline, apply_marks_findings_and_keeps_the_fixed_entries)
{
	struct ma_baseline_entries base = MA_BASELINE_ENTRIES_INIT;
	struct ma_report rep;
	const struct ma_baseline_run *b;

	old_run(&base);
	cr_assert_str_eq(base.v[0].file, "a.c", "entries are relative to their root");
	ma_report_init(&rep);
	rep.run.root = ma_strdup("/new");
	/* a.c moved to src/, lines added above; reset's line really changed */
	add(&rep.findings, "free-non-heap", "/new/src/a.c", 20, "reset", "free(&y);");
	add(&rep.findings, "unchecked-return", "/new/src/a.c", 27, "rd", "fgets(b,sizeof b,stdin);");
	add(&rep.findings, "unchecked-return", "/new/util.c", 14, "rd2", "fgets(b, sizeof b, stdin);");
	ma_findings_finalize(&rep.findings, rep.run.root);
	ma_baseline_apply(&rep, "ci/baseline.json", &base);
	cr_assert_eq(base.nr, 0, "the entries were taken");
	cr_assert_eq(at(&rep.findings, "/new/src/a.c", 20)->baseline_state, MA_BASELINE_NEW);
	cr_assert_eq(at(&rep.findings, "/new/src/a.c", 27)->baseline_state, MA_BASELINE_UNCHANGED);
	cr_assert_eq(at(&rep.findings, "/new/util.c", 14)->baseline_state, MA_BASELINE_UNCHANGED);
	b = rep.run.baseline;
	cr_assert_not_null(b);
	cr_assert_str_eq(b->file, "ci/baseline.json");
	cr_assert_eq(b->nr_new, 1);
	cr_assert_eq(b->nr_unchanged, 2);
	cr_assert_eq(b->fixed.nr, 1);
	cr_assert_str_eq(b->fixed.v[0].rule_id, "free-non-heap");
	cr_assert_str_eq(b->fixed.v[0].file, "/new/a.c", "made absolute under the run's root");
	cr_assert_eq(ma_findings_count_new_at_least(&rep.findings, MA_SEV_ERROR), 1);
	cr_assert_eq(ma_findings_count_new_at_least(&rep.findings, MA_SEV_NOTE), 1);
	ma_report_release(&rep);
}

Test(baseline, count_new_ignores_known_and_lower_findings)
{
	struct ma_findings set = MA_FINDINGS_INIT;

	add(&set, "unchecked-return", "/p/a.c", 1, "f", "a")->baseline_state = MA_BASELINE_NEW;
	add(&set, "free-non-heap", "/p/a.c", 2, "f", "b")->baseline_state = MA_BASELINE_UNCHANGED;
	add(&set, "free-non-heap", "/p/a.c", 3, "f", "c"); /* no baseline */
	cr_assert_eq(ma_findings_count_new_at_least(&set, MA_SEV_WARNING), 1);
	cr_assert_eq(ma_findings_count_new_at_least(&set, MA_SEV_ERROR), 0, "the new one is a warning");
	set.items[0]->suppression.kind = MA_SUPPRESSION_INLINE;
	cr_assert_eq(ma_findings_count_new_at_least(&set, MA_SEV_WARNING), 0, "a suppressed new one never counts");
	ma_findings_release(&set);
}

/* ------------------------------------------------------------------ */
/* The baseline file                                                   */

Test(baseline, file_is_sorted_and_reads_back)
{
	struct ma_baseline_entries e = MA_BASELINE_ENTRIES_INIT, back = MA_BASELINE_ENTRIES_INIT;
	struct strbuf text = STRBUF_INIT, again = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;

	old_run(&e);
	/* the reverse of the sorted order, so the sort has work */
	struct ma_baseline_entry first = e.v[0];
	e.v[0] = e.v[2];
	e.v[2] = first;
	ma_baseline_entries_sort(&e);
	cr_assert_str_eq(e.v[0].file, "a.c");
	cr_assert_eq(e.v[0].line, 17);
	cr_assert_str_eq(e.v[2].file, "util.c");
	ma_render_baseline(&e, NULL, &text);
	cr_assert(strstr(text.buf, "\"format\":\t\"memaudit-baseline\""), "%s", text.buf);
	cr_assert_null(strstr(text.buf, "a message"), "no messages in a baseline file");
	write_tmp("b.json", text.buf, &path);
	cr_assert_eq(ma_baseline_read(path.buf, &back, &err), 0, "%s", err.buf);
	cr_assert_eq(back.nr, 3);
	for (size_t i = 0; i < 3; i++) {
		cr_assert_str_eq(back.v[i].fingerprint, e.v[i].fingerprint);
		cr_assert_str_eq(back.v[i].code_key, e.v[i].code_key);
		cr_assert_str_eq(back.v[i].file, e.v[i].file);
		cr_assert_eq(back.v[i].line, e.v[i].line);
		cr_assert_str_eq(back.v[i].function, e.v[i].function);
		cr_assert_null(back.v[i].message);
	}
	cr_assert_eq(back.v[0].severity, MA_SEV_ERROR, "the rule's severity");
	ma_render_baseline(&back, NULL, &again);
	cr_assert_str_eq(again.buf, text.buf, "written again, the same bytes");
	ma_baseline_entries_release(&e);
	ma_baseline_entries_release(&back);
	strbuf_release(&text);
	strbuf_release(&again);
	strbuf_release(&path);
	strbuf_release(&err);
}

Test(baseline, a_report_is_a_baseline_too)
{
	struct ma_report rep;
	struct ma_baseline_entries e = MA_BASELINE_ENTRIES_INIT;
	struct strbuf json = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;
	struct ma_render_opts o = { 0 };

	ma_report_init(&rep);
	rep.run.root = ma_strdup("/old");
	add(&rep.findings, "free-non-heap", "/old/src/a.c", 17, "reset", "free(&x);");
	ma_findings_finalize(&rep.findings, rep.run.root);
	ma_render_json(&rep, &o, &json);
	write_tmp("report.json", json.buf, &path);
	cr_assert_eq(ma_baseline_read(path.buf, &e, &err), 0, "%s", err.buf);
	cr_assert_eq(e.nr, 1);
	cr_assert_str_eq(e.v[0].file, "src/a.c", "relative to the report's root");
	cr_assert_str_eq(e.v[0].fingerprint, rep.findings.items[0]->fingerprint);
	cr_assert_str_eq(e.v[0].code_key, rep.findings.items[0]->code_key);
	cr_assert_str_eq(e.v[0].message, "a message");
	ma_baseline_entries_release(&e);
	ma_report_release(&rep);
	strbuf_release(&json);
	strbuf_release(&path);
	strbuf_release(&err);
}

/* Reading `text` as a baseline fails with one line holding each needle. */
static void expect_bad(const char *text, const char *needle1, const char *needle2)
{
	struct ma_baseline_entries e = MA_BASELINE_ENTRIES_INIT;
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;

	write_tmp("bad.json", text, &path);
	cr_expect_eq(ma_baseline_read(path.buf, &e, &err), -1, "read: %s", text);
	cr_expect(strstr(err.buf, "bad.json'"), "names the file: %s", err.buf);
	cr_expect(strstr(err.buf, needle1), "'%s' not in: %s", needle1, err.buf);
	cr_expect(!needle2 || strstr(err.buf, needle2), "'%s' not in: %s", needle2, err.buf);
	cr_expect_null(strchr(err.buf, '\n'), "one line: %s", err.buf);
	ma_baseline_entries_release(&e);
	strbuf_release(&path);
	strbuf_release(&err);
}

#define ENTRY(fp) "{\"rule\": \"free-non-heap\", \"fingerprint\": \"" fp "\", \"file\": \"a.c\", \"line\": 1, \"function\": null}"

Test(baseline, bad_files_are_one_line_naming_the_file)
{
	expect_bad("{\"format\": \"memaudit-baseline\",\n  \"version\": 1,\n  \"entries\": [", "malformed JSON", "line 3");
	expect_bad("", "malformed JSON", NULL);
	expect_bad("[{\"directory\": \"/p\"}]", "not a baseline", "memaudit-baseline");
	expect_bad("{\"format\": \"memaudit-baseline\", \"version\": 2, \"entries\": []}", "version", "newer");
	expect_bad("{\"format\": \"memaudit-baseline\", \"entries\": []}", "version", NULL);
	expect_bad("{\"format\": \"memaudit-baseline\", \"version\": 1}", "entries: missing", NULL);
	expect_bad("{\"format\": \"memaudit-baseline\", \"version\": 1, \"entries\": [" ENTRY("0123456789abcdef") ", "
		   ENTRY("XYZ") "]}", "entries[1].fingerprint", "16 lowercase hex");
	expect_bad("{\"format\": \"memaudit-baseline\", \"version\": 1, \"entries\": [{\"fingerprint\": \"0123456789abcdef\"}]}",
		   "entries[0].rule: missing", NULL);
	expect_bad("{\"format\": \"memaudit-report\", \"version\": 1}", "tool", NULL);
}

Test(baseline, missing_file_is_named)
{
	struct ma_baseline_entries e = MA_BASELINE_ENTRIES_INIT;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_baseline_read("/nonexistent/baseline.json", &e, &err), -1);
	cr_assert(strstr(err.buf, "/nonexistent/baseline.json"), "%s", err.buf);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Reports of a run compared with a baseline                           */

/* old_run's findings, then the new run: rd unchanged, reset changed, a new one in util.c. */
static void compared_report(struct ma_report *rep)
{
	struct ma_baseline_entries base = MA_BASELINE_ENTRIES_INIT;

	old_run(&base);
	ma_report_init(rep);
	rep->run.root = ma_strdup("/new");
	add(&rep->findings, "free-non-heap", "/new/a.c", 17, "reset", "free(&y);");
	add(&rep->findings, "unchecked-return", "/new/a.c", 24, "rd", "fgets(b, sizeof b, stdin);");
	add(&rep->findings, "unchecked-return", "/new/util.c", 12, "rd2", "fgets(b, sizeof b, stdin);");
	ma_findings_finalize(&rep->findings, rep->run.root);
	ma_baseline_apply(rep, "base.json", &base);
}

Test(baseline, json_report_carries_states_and_reads_back_the_same)
{
	struct ma_report rep, back;
	struct strbuf json = STRBUF_INIT, again = STRBUF_INIT, err = STRBUF_INIT;
	struct ma_render_opts o = { 0 };

	compared_report(&rep);
	ma_render_json(&rep, &o, &json);
	cr_assert(strstr(json.buf, "\"baseline_state\":\t\"new\""), "%s", json.buf);
	cr_assert(strstr(json.buf, "\"baseline_state\":\t\"unchanged\""), "%s", json.buf);
	cr_assert(strstr(json.buf, "\"fixed\":\t[{"), "%s", json.buf);
	ma_report_init(&back);
	cr_assert_eq(ma_report_read_json(json.buf, json.len, "r.json", &back, &err), 0, "%s", err.buf);
	cr_assert_not_null(back.run.baseline);
	cr_assert_eq(back.run.baseline->nr_new, 1);
	cr_assert_eq(back.run.baseline->nr_unchanged, 2);
	cr_assert_eq(back.run.baseline->fixed.nr, 1);
	cr_assert_str_eq(back.run.baseline->fixed.v[0].file, "/new/a.c");
	cr_assert_eq(back.run.baseline->fixed.v[0].severity, MA_SEV_ERROR);
	cr_assert_str_eq(back.findings.items[0]->code_key, rep.findings.items[0]->code_key);
	ma_render_json(&back, &o, &again);
	cr_assert_str_eq(again.buf, json.buf);
	ma_report_release(&rep);
	ma_report_release(&back);
	strbuf_release(&json);
	strbuf_release(&again);
	strbuf_release(&err);
}

Test(baseline, json_without_a_baseline_has_no_state)
{
	struct ma_report rep;
	struct strbuf json = STRBUF_INIT;
	struct ma_render_opts o = { 0 };

	ma_report_init(&rep);
	add(&rep.findings, "free-non-heap", "/p/a.c", 1, "f", "x");
	ma_findings_finalize(&rep.findings, "/p");
	ma_render_json(&rep, &o, &json);
	cr_assert_null(strstr(json.buf, "baseline_state"), "%s", json.buf);
	cr_assert_null(strstr(json.buf, "\"baseline\""), "%s", json.buf);
	cr_assert(strstr(json.buf, "\"code_key\""), "%s", json.buf);
	ma_report_release(&rep);
	strbuf_release(&json);
}

Test(baseline, json_bad_baseline_state_is_named)
{
	struct ma_report rep, back;
	struct strbuf json = STRBUF_INIT, err = STRBUF_INIT;
	struct ma_render_opts o = { 0 };
	char *p;

	compared_report(&rep);
	ma_render_json(&rep, &o, &json);
	p = strstr(json.buf, "\"baseline_state\":\t\"new\"");
	cr_assert_not_null(p);
	memcpy(p + strlen("\"baseline_state\":\t"), "\"old\"", 5);
	ma_report_init(&back);
	cr_assert_eq(ma_report_read_json(json.buf, json.len, "r.json", &back, &err), -1);
	cr_assert(strstr(err.buf, "'r.json': findings[0].baseline_state: not"), "%s", err.buf);
	ma_report_release(&rep);
	ma_report_release(&back);
	strbuf_release(&json);
	strbuf_release(&err);
}

Test(baseline, text_lists_new_and_fixed_and_hides_known)
{
	struct ma_report rep;
	struct strbuf text = STRBUF_INIT;
	struct ma_render_opts o = { 0 };

	compared_report(&rep);
	ma_render_text(&rep, &o, &text);
	cr_assert(strstr(text.buf, "a.c:17:2: error:"), "the new one is listed:\n%s", text.buf);
	cr_assert_null(strstr(text.buf, "a.c:24:2:"), "a known one is not:\n%s", text.buf);
	cr_assert(strstr(text.buf, "memaudit: fixed since the baseline"), "%s", text.buf);
	cr_assert(strstr(text.buf, "    a.c:17: [free-non-heap] in reset"), "%s", text.buf);
	cr_assert(strstr(text.buf, "memaudit: baseline base.json: 1 new, 2 known (not listed; --show known lists them), 1 fixed"),
		  "%s", text.buf);
	strbuf_reset(&text);
	rep.run.baseline->show_known = 1;
	ma_render_text(&rep, &o, &text);
	cr_assert(strstr(text.buf, "a.c:24:2: warning:"), "--show known lists it:\n%s", text.buf);
	cr_assert(strstr(text.buf, "util.c:12:2: warning:"), "%s", text.buf);
	cr_assert_null(strstr(text.buf, "not listed"), "%s", text.buf);
	ma_report_release(&rep);
	strbuf_release(&text);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

Test(baseline, sarif_states_and_absent_results_only_when_asked)
{
	struct ma_report rep;
	struct strbuf sarif = STRBUF_INIT;
	struct ma_render_opts o = { 0 };

	compared_report(&rep);
	ma_render_sarif(&rep, &o, &sarif);
	cr_assert_eq(count(sarif.buf, "\"baselineState\":\t\"new\""), 1, "%s", sarif.buf);
	cr_assert_eq(count(sarif.buf, "\"baselineState\":\t\"unchanged\""), 2);
	cr_assert_eq(count(sarif.buf, "\"absent\""), 0, "an audit's SARIF goes to code scanning: no absent results");
	strbuf_reset(&sarif);
	rep.run.baseline->list_absent = 1;
	ma_render_sarif(&rep, &o, &sarif);
	cr_assert_eq(count(sarif.buf, "\"baselineState\":\t\"absent\""), 1, "%s", sarif.buf);
	cr_assert_eq(count(sarif.buf, "\"ruleId\":"), 4);
	ma_report_release(&rep);
	strbuf_release(&sarif);
}
