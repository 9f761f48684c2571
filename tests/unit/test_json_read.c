/*
 * Tests for reporters/json_read.c (suite json_read): reports built in
 * memory (static findings with events, dynamic ones merged from several
 * passes, failures, notes, all three profile kinds) are rendered as JSON,
 * read back and rendered again: the two texts must be the same bytes, and
 * the model read must hold what was built (absolute paths, fingerprints).
 * Then broken files: each is one clear line naming the file, and leaks
 * nothing (make test-san).
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/finding.h"
#include "../../core/report.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"
#include "../../reporters/json_read.h"
#include "../../reporters/reporter.h"

#define NASTY "say \"hi\"\n\tthen \\ back\x01\x1f end \xc3\xa9 \xe2\x82\xac"

static struct ma_report rep;

static void teardown(void)
{
	ma_report_release(&rep);
}

TestSuite(json_read, .fini = teardown);

/* ------------------------------------------------------------------ */
/* Reports built in memory                                             */

static struct ma_finding *add(const char *rule, const char *file, unsigned line, unsigned col,
			      const char *msg, const char *pass)
{
	const struct ma_rule *r = ma_rule_find(rule);
	struct ma_location loc;
	struct ma_finding *f;

	cr_assert_not_null(r, "no rule '%s' in the catalogue", rule);
	ma_location_set(&loc, file, line, col, "fn");
	f = ma_finding_new(r, msg, &loc, pass);
	f->line_hash = ma_line_hash(msg, strlen(msg));
	ma_findings_add(&rep.findings, f);
	ma_location_release(&loc);
	return f;
}

static void add_event(struct ma_finding *f, const char *file, unsigned line, const char *fn, const char *msg)
{
	struct ma_location loc;

	ma_location_set(&loc, file, line, 3, fn);
	ma_finding_add_event(f, &loc, msg);
	ma_location_release(&loc);
}

static void build_run(void)
{
	ma_report_init(&rep);
	rep.run.root = ma_strdup("/proj");
	rep.run.compile_db = ma_strdup("/proj/build/compile_commands.json");
	rep.run.commit = ma_strdup("0123456789abcdef0123456789abcdef01234567");
	rep.run.branch = ma_strdup("topic/x");
	rep.run.config = ma_strdup("/proj/.memaudit.yml");
	rep.run.started = 1764109028; /* 2025-11-25T22:17:08Z */
	rep.run.jobs = 2;
	rep.run.tus_total = 4;
	rep.run.tus_analysed = 3;
	rep.run.tus_failed = 1;
	rep.run.tus_skipped = 2;
	rep.run.tus_filtered = 5;
	rep.run.wall_seconds = 1.9;
	rep.run.cpu_seconds = 1.0 / 3;
	rep.run.parse_seconds = 6.1e-7;
	rep.run.check_seconds = 12345.678;
	strvec_pushl(&rep.run.command, "memaudit", "audit", "-p", "build", "--run", NASTY, NULL);
	strvec_pushl(&rep.run.passes, "static", "memcheck", "helgrind", "drd", NULL);
	ma_report_add_failure(&rep, "/proj/src/bad.c", 3, 10, "expected ';' after return statement");
	ma_report_add_failure(&rep, NULL, 0, 0, "the build command failed: exited with 2");
	strvec_pushl(&rep.run.notes, "dropped compiler options clang does not know: -fno-tree-pre", NASTY, NULL);
}

/* Static findings with events, one confirmed by memcheck, dynamic ones
 * merged from helgrind and DRD, one outside the root, one without a file. */
static void build_findings(void)
{
	struct ma_finding *f;

	f = add("free-non-heap", "/proj/src/buf.c", 12, 5, "'buf' is freed but was not allocated on the heap", "static");
	add_event(f, "/proj/src/buf.c", 8, "fn", "'buf' declared here");
	add_event(f, "/usr/include/stdlib.h", 500, NULL, NASTY);
	f = add("use-after-free", "/proj/src/buf.c", 30, 2, "'p' used after free", "static");
	add_event(f, "/proj/src/buf.c", 28, "fn", "freed here");
	add("use-after-free", "/proj/src/buf.c", 30, 2, "invalid read of size 4", "memcheck");
	add("data-race", "/proj/src/race.c", 7, 0, "data race on 'counter'", "helgrind");
	f = add("data-race", "/proj/src/race.c", 7, 0, "data race on 'counter'", "drd");
	f->count = 3;
	add("unchecked-return", "/proj/src/io.c", 17, 2, NASTY, "static");
	add("unchecked-return", "/proj/src/io.c", 17, 2, NASTY, "static"); /* a header seen twice */
	add("unchecked-return", "/elsewhere/x.c", 1, 1, "outside the root", "static");
	f = add("memory-leak", "/proj/src/io.c", 40, 0, "8 bytes lost", "lsan");
	free(f->loc.file);
	free(f->loc.function);
	f->loc.file = f->loc.function = NULL;
	f->loc.line = 0;
	f->severity = MA_SEV_NOTE;
	f = add("double-free", "/proj/src/io.c", 50, 2, "'q' freed twice", "static");
	f->suppression.kind = MA_SUPPRESSION_INLINE; /* by a comment on the line above */
	f->suppression.reason = strdup("both owners free it; " NASTY);
	f->suppression.line = 49;
	ma_findings_confirm(&rep.findings);
	ma_findings_finalize(&rep.findings, rep.run.root);
}

static void add_heap_profile(void)
{
	struct ma_heap_profile *p;

	ALLOC_GROW(rep.heap_profiles, rep.nr_heap_profiles + 1, rep.alloc_heap_profiles);
	p = &rep.heap_profiles[rep.nr_heap_profiles++];
	memset(p, 0, sizeof(*p));
	p->command = ma_strdup("./prog --big");
	p->time_unit = ma_strdup("i");
	ALLOC_GROW(p->snapshots, 3, p->alloc_snapshots);
	p->snapshots[0] = (struct ma_heap_snapshot){ 0, 0, 0, 0 };
	p->snapshots[1] = (struct ma_heap_snapshot){ 1000, 210000, 240, 16 };
	p->snapshots[2] = (struct ma_heap_snapshot){ UINT64_MAX - 4, 5, 8, 0 }; /* written as a negative */
	p->nr_snapshots = 3;
	p->peak = 1;
	ALLOC_GROW(p->sites, 2, p->alloc_sites);
	p->sites[0] = (struct ma_heap_site){ ma_strdup("make_buf"), ma_strdup("prog.c"), 12, 200000 };
	p->sites[1] = (struct ma_heap_site){ ma_strdup("grow"), ma_strdup(NASTY), 0, 10000 };
	p->nr_sites = 2;
}

/* Sites short-lived below 1000 instructions: one each side, one without blocks. */
static void add_alloc_profile(void)
{
	struct ma_alloc_profile *p;

	ALLOC_GROW(rep.alloc_profiles, rep.nr_alloc_profiles + 1, rep.alloc_alloc_profiles);
	p = &rep.alloc_profiles[rep.nr_alloc_profiles++];
	memset(p, 0, sizeof(*p));
	p->command = ma_strdup("./prog");
	p->time_unit = ma_strdup("instrs");
	p->total_time = 123456789;
	p->short_lived = 1000;
	ALLOC_GROW(p->sites, 3, p->alloc_sites);
	p->sites[0] = (struct ma_alloc_site){ ma_strdup("make_buf"), ma_strdup("prog.c"), 12, 4096, 4, 1024,
					      4 * 500, 500, 0, 4096 };
	p->sites[1] = (struct ma_alloc_site){ ma_strdup("keep"), ma_strdup("prog.c"), 20, 64, 2, 64, 2 * 5000,
					      5000, 64, 64 };
	p->sites[2] = (struct ma_alloc_site){ ma_strdup("none"), ma_strdup("prog.c"), 30, 0, 0, 0, 0, 0, 0, 0 };
	p->nr_sites = 3;
}

static void add_cost_function(struct ma_cost_profile *p, const char *name, const char *file, int in_project,
			      uint64_t self, uint64_t inclusive)
{
	struct ma_cost_function *f;

	ALLOC_GROW(p->functions, p->nr_functions + 1, p->alloc_functions);
	f = &p->functions[p->nr_functions++];
	*f = (struct ma_cost_function){ .name = ma_strdup(name), .file = ma_strdup(file),
					.object = ma_strdup("/proj/prog"), .line = 7, .in_project = in_project,
					.calls = 50 };
	f->self = ma_calloc(2 * p->events.nr + 1, sizeof(*f->self));
	f->inclusive = f->self + p->events.nr;
	for (size_t i = 0; i < p->events.nr; i++) {
		f->self[i] = self + i;
		f->inclusive[i] = inclusive + i;
	}
}

static void add_cost_profile(void)
{
	struct ma_cost_profile *p;
	struct ma_cost_edge *e;

	ALLOC_GROW(rep.cost_profiles, rep.nr_cost_profiles + 1, rep.alloc_cost_profiles);
	p = &rep.cost_profiles[rep.nr_cost_profiles++];
	ma_cost_profile_init(p);
	strvec_pushl(&p->events, "Ir", "Dr", NULL);
	p->totals = ma_calloc(2, sizeof(*p->totals));
	p->totals[0] = 6821770;
	p->totals[1] = 300;
	p->processes = 2;
	strvec_pushl(&p->commands, "./prog", "./prog --other", NULL);
	add_cost_function(p, "checksum", "/proj/src/hot.c", 1, 3277450, 3277450);
	add_cost_function(p, "memset", "./string/../memset.S", 0, 1000, 1000);
	add_cost_function(p, "_dl_start", "???", 0, 10, 20);
	add_cost_function(p, "main", "/proj/src/main.c", 1, 100, 3278560);
	ALLOC_GROW(p->edges, 1, p->alloc_edges);
	e = &p->edges[p->nr_edges++];
	*e = (struct ma_cost_edge){ .caller = 3, .callee = 0, .calls = 50 };
	e->inclusive = ma_calloc(2, sizeof(*e->inclusive));
	e->inclusive[0] = 3277450;
	e->inclusive[1] = 7;
}

static void build_full_report(void)
{
	build_run();
	build_findings();
	add_heap_profile();
	add_alloc_profile();
	add_cost_profile();
}

/* ------------------------------------------------------------------ */
/* Round trips                                                         */

static void render(const struct ma_report *r, ma_render_fn fn, struct strbuf *out)
{
	struct ma_render_opts o = { 0 };

	strbuf_reset(out);
	fn(r, &o, out);
}

/* rep as JSON, read back into `back`; the text read. */
static void read_back(struct ma_report *back, struct strbuf *json)
{
	struct strbuf err = STRBUF_INIT;

	render(&rep, ma_render_json, json);
	ma_report_init(back);
	cr_assert_eq(ma_report_read_json(json->buf, json->len, "report.json", back, &err), 0, "%s", err.buf);
	cr_assert_str_empty(err.buf);
	strbuf_release(&err);
}

/* rep and what it reads back as render the same bytes in format fn. */
static void expect_same_rendering(ma_render_fn fn)
{
	struct ma_report back;
	struct strbuf json = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;

	read_back(&back, &json);
	render(&rep, fn, &a);
	render(&back, fn, &b);
	cr_expect_str_eq(b.buf, a.buf);
	cr_expect_eq(b.len, a.len);
	ma_report_release(&back);
	strbuf_release(&json);
	strbuf_release(&a);
	strbuf_release(&b);
}

Test(json_read, full_report_renders_the_same_json)
{
	build_full_report();
	expect_same_rendering(ma_render_json);
}

Test(json_read, full_report_renders_the_same_text)
{
	build_full_report();
	expect_same_rendering(ma_render_text);
}

Test(json_read, empty_report_renders_the_same_json)
{
	ma_report_init(&rep);
	expect_same_rendering(ma_render_json);
}

Test(json_read, report_without_root_or_database_renders_the_same_json)
{
	build_run();
	free(rep.run.root);
	free(rep.run.compile_db);
	rep.run.root = rep.run.compile_db = NULL;
	rep.run.wall_seconds = NAN; /* cJSON writes null */
	build_findings();
	expect_same_rendering(ma_render_json);
}

Test(json_read, run_is_read_back)
{
	struct ma_report back;
	struct strbuf json = STRBUF_INIT;

	build_full_report();
	read_back(&back, &json);
	cr_expect_str_eq(back.run.root, "/proj");
	cr_expect_str_eq(back.run.compile_db, "/proj/build/compile_commands.json");
	cr_expect_str_eq(back.run.commit, "0123456789abcdef0123456789abcdef01234567");
	cr_expect_str_eq(back.run.branch, "topic/x");
	cr_expect_str_eq(back.run.config, "/proj/.memaudit.yml");
	cr_expect_eq(back.run.started, 1764109028);
	cr_expect_eq(back.run.jobs, 2);
	cr_expect(back.run.tus_total == 4 && back.run.tus_analysed == 3 && back.run.tus_failed == 1 &&
		  back.run.tus_skipped == 2 && back.run.tus_filtered == 5);
	cr_expect(back.run.partial);
	cr_expect(strvec_equal(&back.run.command, &rep.run.command));
	cr_expect(strvec_equal(&back.run.passes, &rep.run.passes));
	cr_expect(strvec_equal(&back.run.notes, &rep.run.notes));
	cr_expect_eq(back.run.cpu_seconds, 1.0 / 3, "a double comes back exactly");
	cr_assert_eq(back.run.nr_failures, 2);
	cr_expect_str_eq(back.run.failures[0].file, "/proj/src/bad.c", "made absolute again");
	cr_expect_eq(back.run.failures[0].column, 10);
	cr_expect_null(back.run.failures[1].file);
	cr_expect_str_eq(back.run.tool_version, rep.run.tool_version);
	ma_report_release(&back);
	strbuf_release(&json);
}

Test(json_read, tool_version_is_the_one_that_audited)
{
	struct ma_report back;
	struct strbuf json = STRBUF_INIT, err = STRBUF_INIT, again = STRBUF_INIT;
	const char *v = "\"version\":\t\"";
	char *at;

	ma_report_init(&rep);
	render(&rep, ma_render_json, &json);
	at = strstr(json.buf, v);
	cr_assert_not_null(at);
	strbuf_reset(&again);
	strbuf_add(&again, json.buf, (size_t)(at - json.buf) + strlen(v));
	strbuf_addstr(&again, "0.0.1-old");
	strbuf_addstr(&again, strchr(at + strlen(v), '"'));
	ma_report_init(&back);
	cr_assert_eq(ma_report_read_json(again.buf, again.len, "old.json", &back, &err), 0, "%s", err.buf);
	cr_expect_str_eq(back.run.tool_version, "0.0.1-old");
	render(&back, ma_render_json, &json);
	cr_expect_str_eq(json.buf, again.buf);
	ma_report_release(&back);
	strbuf_release(&json);
	strbuf_release(&err);
	strbuf_release(&again);
}

Test(json_read, findings_keep_every_field_and_their_fingerprints)
{
	struct ma_report back;
	struct strbuf json = STRBUF_INIT;

	build_full_report();
	read_back(&back, &json);
	cr_assert_eq(back.findings.nr, rep.findings.nr);
	for (size_t i = 0; i < rep.findings.nr; i++) {
		const struct ma_finding *a = rep.findings.items[i], *b = back.findings.items[i];
		cr_expect_str_eq(b->rule_id, a->rule_id);
		cr_expect_str_eq(b->title, a->title);
		cr_expect_eq(b->severity, a->severity);
		cr_expect_eq(b->cwe, a->cwe);
		cr_expect_str_eq(b->message, a->message);
		cr_expect_str_eq(b->pass, a->pass);
		cr_expect_eq(!b->loc.file, !a->loc.file);
		if (a->loc.file)
			cr_expect_str_eq(b->loc.file, a->loc.file, "absolute, as the model holds it");
		cr_expect_eq(b->loc.line, a->loc.line);
		cr_expect_eq(b->loc.column, a->loc.column);
		cr_expect_eq(b->nr_events, a->nr_events);
		cr_expect_eq(!b->also_by, !a->also_by);
		cr_expect_eq(!b->confirmed_by, !a->confirmed_by);
		cr_expect_str_eq(b->fingerprint, a->fingerprint);
		cr_expect_eq(b->occurrence, a->occurrence);
		cr_expect_eq(b->count, a->count);
		cr_expect_eq(b->suppression.kind, a->suppression.kind);
		cr_expect_str_eq(b->suppression.reason ? b->suppression.reason : "", a->suppression.reason ? a->suppression.reason : "");
		cr_expect_eq(b->suppression.line, a->suppression.line);
	}
	ma_report_release(&back);
	strbuf_release(&json);
}

/* Ahead of the others, as finalize put it: the memcheck-confirmed finding. */
Test(json_read, merged_findings_come_back_merged)
{
	struct ma_report back;
	struct strbuf json = STRBUF_INIT;
	const struct ma_finding *first, *race = NULL;

	build_full_report();
	read_back(&back, &json);
	first = back.findings.items[0];
	cr_expect_str_eq(first->confirmed_by, "memcheck");
	cr_expect_str_eq(first->events[0].loc.file, "/proj/src/buf.c");
	for (size_t i = 0; i < back.findings.nr; i++)
		if (!strcmp(back.findings.items[i]->rule_id, "data-race"))
			race = back.findings.items[i];
	cr_assert_not_null(race);
	cr_expect_str_eq(race->also_by, "drd");
	cr_expect_eq(race->count, 4);
	ma_report_release(&back);
	strbuf_release(&json);
}

Test(json_read, profiles_are_read_back)
{
	struct ma_report back;
	struct strbuf json = STRBUF_INIT;
	const struct ma_cost_profile *c;

	build_full_report();
	read_back(&back, &json);
	cr_assert_eq(back.nr_heap_profiles, 1);
	cr_expect_eq(back.heap_profiles[0].peak, 1);
	cr_expect_eq(back.heap_profiles[0].snapshots[2].time, UINT64_MAX - 4);
	cr_assert_eq(back.nr_alloc_profiles, 1);
	cr_expect_eq(back.alloc_profiles[0].sites[1].total_lifetime, 10000);
	cr_assert_eq(back.nr_cost_profiles, 1);
	c = &back.cost_profiles[0];
	cr_expect_str_eq(c->functions[0].file, "/proj/src/hot.c", "a project function's file, absolute again");
	cr_expect_str_eq(c->functions[1].file, "./string/../memset.S", "callgrind's own name, as it was");
	cr_expect_str_eq(c->functions[2].file, "???");
	cr_expect_eq(c->functions[3].inclusive[1], 3278561);
	cr_expect_eq(c->edges[0].inclusive[1], 7);
	ma_report_release(&back);
	strbuf_release(&json);
}

/* The report `make demo-run` wrote, when there is one (test-unit runs before it). */
Test(json_read, demo_report_renders_the_same_json)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT, again = STRBUF_INIT;

	if (strbuf_read_file(&text, "out/demo/report.json", &err) < 0) {
		strbuf_release(&err);
		cr_skip_test("no out/demo/report.json (make demo-run writes it)");
	}
	ma_report_init(&rep);
	cr_assert_eq(ma_report_read_json(text.buf, text.len, "out/demo/report.json", &rep, &err), 0, "%s", err.buf);
	render(&rep, ma_render_json, &again);
	cr_expect(again.len == text.len && !memcmp(again.buf, text.buf, text.len),
		  "out/demo/report.json renders differently after a round trip");
	strbuf_release(&text);
	strbuf_release(&err);
	strbuf_release(&again);
}

/* ------------------------------------------------------------------ */
/* Broken files                                                        */

/* Reading `text` fails with one line that starts with the file's name and holds `needle`. */
static void expect_error(const char *text, size_t len, const char *needle)
{
	struct strbuf err = STRBUF_INIT;

	ma_report_init(&rep);
	cr_expect_eq(ma_report_read_json(text, len, "out/report.json", &rep, &err), -1, "accepted: %.200s", text);
	cr_expect(starts_with(err.buf, "'out/report.json': "), "%s", err.buf);
	cr_expect(strstr(err.buf, needle), "\"%s\" not in: %s", needle, err.buf);
	cr_expect_null(strchr(err.buf, '\n'), "more than one line: %s", err.buf);
	ma_report_release(&rep);
	strbuf_release(&err);
}

static void expect_error_str(const char *text, const char *needle)
{
	expect_error(text, strlen(text), needle);
}

/* A full report's JSON with the first `from` replaced by `to`. */
static void edited(struct strbuf *out, const char *from, const char *to)
{
	struct strbuf json = STRBUF_INIT;
	const char *at;

	build_full_report();
	render(&rep, ma_render_json, &json);
	ma_report_release(&rep);
	at = strstr(json.buf, from);
	cr_assert_not_null(at, "no '%s' in the report", from);
	strbuf_add(out, json.buf, (size_t)(at - json.buf));
	strbuf_addstr(out, to);
	strbuf_addstr(out, at + strlen(from));
	strbuf_release(&json);
}

static void expect_edit_error(const char *from, const char *to, const char *needle)
{
	struct strbuf text = STRBUF_INIT;

	edited(&text, from, to);
	expect_error(text.buf, text.len, needle);
	strbuf_release(&text);
}

Test(json_read, not_json)
{
	expect_error_str("Hello, world\n", "malformed JSON at line 1, column 1");
	expect_error_str("{\n\t\"format\": \"memaudit-report\",\n\t\"version\": 1,\n\t\"tool\": nope }",
			 "malformed JSON at line 4, column 10");
	expect_error_str("", "empty file");
	expect_error_str(" \n", "empty file");
}

Test(json_read, truncated_json_names_the_line_it_ends_at)
{
	struct strbuf json = STRBUF_INIT;

	build_full_report();
	render(&rep, ma_render_json, &json);
	ma_report_release(&rep);
	expect_error(json.buf, json.len / 2, "truncated JSON: it ends at line ");
	expect_error(json.buf, json.len - 3, "truncated JSON");
	strbuf_release(&json);
}

Test(json_read, text_after_the_report)
{
	struct strbuf json = STRBUF_INIT;

	ma_report_init(&rep);
	render(&rep, ma_render_json, &json);
	ma_report_release(&rep);
	strbuf_addstr(&json, "{}\n");
	expect_error(json.buf, json.len, "unexpected text after the report");
	strbuf_release(&json);
}

Test(json_read, not_a_memaudit_report)
{
	expect_error_str("[1, 2]", "not a memaudit report");
	expect_error_str("{\"version\": \"2.1.0\", \"runs\": []}", "not a memaudit report");
	expect_edit_error("\"memaudit-report\"", "\"other-report\"", "not a memaudit report");
}

Test(json_read, newer_version)
{
	expect_edit_error("\"version\":\t1", "\"version\":\t2", "report version 2 is newer than this memaudit reads (1)");
	expect_edit_error("\"version\":\t1", "\"version\":\t0", "version: not a report version");
	expect_edit_error("\"version\":\t1", "\"version\":\t\"1\"", "version: not a report version");
}

Test(json_read, field_of_the_wrong_type_is_named)
{
	expect_edit_error("\"line\":\t17", "\"line\":\t\"17\"", "findings[4].location.line: not a number");
	expect_edit_error("\"jobs\":\t2", "\"jobs\":\t2.5", "run.jobs: not an integer");
	expect_edit_error("\"column\":\t10", "\"column\":\t-1", "run.failures[0].column: out of range");
	expect_edit_error("\"partial\":\ttrue", "\"partial\":\t1", "run.partial: not a boolean");
	expect_edit_error("\"notes\":\t[\"dropped", "\"notes\":\t[7, \"dropped", "run.notes[0]: not a string");
	expect_edit_error("\"severity\":\t\"error\"", "\"severity\":\t\"fatal\"", "findings[0].severity: not \"error\"");
	expect_edit_error("\"events\":\t[{", "\"events\":\t[7, {", "findings[0].events[0]: not an object");
	expect_edit_error("\"started\":\t\"2025-11-25T22:17:08Z\"", "\"started\":\t\"2025-13-25T22:17:08Z\"",
			  "run.started: not a valid date");
	expect_edit_error("\"started\":\t\"2025-11-25T22:17:08Z\"", "\"started\":\t\"yesterday\"",
			  "run.started: not a UTC time");
	expect_edit_error("\"peak\":\t1", "\"peak\":\t3", "profiles.heap[0].peak: not the index of a snapshot");
	expect_edit_error("\"caller\":\t3", "\"caller\":\t9", "profiles.costs[0].edges[0].caller: not the index");
	expect_edit_error("\"Dr\":\t300", "\"Dx\":\t300", "profiles.costs[0].totals.Dr: missing");
	expect_edit_error("\"fingerprint\":\t\"", "\"fingerprint\":\t\"X", "findings[0].fingerprint: not 16 lowercase hex");
	expect_edit_error("\"confirmed\":\ttrue", "\"confirmed\":\tfalse", "findings[0].confirmed: false with confirmed_by");
}

Test(json_read, suppression_of_an_unknown_kind)
{
	expect_edit_error("\"kind\":\t\"inline\"", "\"kind\":\t\"pragma\"", ".suppressed.kind: not \"inline\" or \"config\"");
	expect_edit_error("\"kind\":\t\"inline\",", "\"kind\":\t\"inline\", \"reason\": 3,", ".suppressed.reason: not a string");
}

Test(json_read, finding_without_a_rule)
{
	expect_edit_error("\"rule\":\t\"use-after-free\",", "", "findings[0].rule: missing");
}

Test(json_read, short_lived_flags_that_no_threshold_gives)
{
	expect_edit_error("\"avg_lifetime\":\t5000", "\"avg_lifetime\":\t100",
			  "profiles.allocations[0].sites: short_lived does not follow avg_lifetime");
}

/* Members a later version 1 added may be missing from an older report. */
Test(json_read, report_without_profiles_or_confirmations)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const char *json = "{\"format\": \"memaudit-report\", \"version\": 1, \"tool\": {\"name\": \"memaudit\", "
			   "\"version\": \"0.1.0\"}, \"run\": {\"command\": [], \"root\": \"/p\", \"compile_db\": null, "
			   "\"started\": \"2024-01-01T00:00:00Z\", \"passes\": [\"static\"], \"jobs\": 1, \"units\": "
			   "{\"total\": 1, \"analysed\": 1, \"failed\": 0, \"skipped_other_language\": 0, \"excluded\": 0}, "
			   "\"partial\": false, \"failures\": [], \"notes\": [], \"timings\": {\"wall_seconds\": 1, "
			   "\"cpu_seconds\": 1, \"parse_cpu_seconds\": 0.5, \"check_cpu_seconds\": 0.25}}, \"findings\": "
			   "[{\"rule\": \"x\", \"title\": \"X\", \"severity\": \"note\", \"cwe\": 0, \"message\": \"m\", "
			   "\"location\": {\"file\": \"a.c\", \"line\": 1, \"column\": 2, \"function\": null}, \"events\": [], "
			   "\"pass\": \"static\", \"fingerprint\": \"0123456789abcdef\", \"occurrence\": 1, \"count\": 1}]}";

	ma_report_init(&rep);
	cr_assert_eq(ma_report_read_json(json, strlen(json), "old.json", &rep, &err), 0, "%s", err.buf);
	cr_assert_eq(rep.findings.nr, 1);
	cr_expect_str_eq(rep.findings.items[0]->loc.file, "/p/a.c");
	cr_expect_null(rep.findings.items[0]->confirmed_by);
	cr_expect_null(rep.run.config, "no run.config: read without a configuration");
	cr_expect_eq(rep.nr_heap_profiles + rep.nr_alloc_profiles + rep.nr_cost_profiles, 0);
	strbuf_release(&text);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Shards (audit --shard K/N)                                          */

/* A shard's report: run.shard, and each finding's line hash, for merge. */
Test(json_read, shard_report_keeps_the_shard_and_line_hashes)
{
	struct ma_report back;
	struct strbuf json = STRBUF_INIT;

	build_full_report();
	rep.run.shard_index = 2;
	rep.run.shard_count = 3;
	expect_same_rendering(ma_render_json);
	read_back(&back, &json);
	cr_expect(strstr(json.buf, "\"shard\":\t{\n\t\t\t\"index\":\t2,\n\t\t\t\"count\":\t3\n\t\t}"), "%s", json.buf);
	cr_expect_eq(back.run.shard_index, 2);
	cr_expect_eq(back.run.shard_count, 3);
	cr_assert_eq(back.findings.nr, rep.findings.nr);
	for (size_t i = 0; i < rep.findings.nr; i++)
		cr_expect_eq(back.findings.items[i]->line_hash, rep.findings.items[i]->line_hash, "finding %zu", i);
	ma_report_release(&back);
	strbuf_release(&json);
}

Test(json_read, unsharded_report_has_a_null_shard_and_no_line_hash)
{
	struct ma_report back;
	struct strbuf json = STRBUF_INIT;

	build_full_report();
	read_back(&back, &json);
	cr_expect(strstr(json.buf, "\"shard\":\tnull,\n"), "run.shard is not null");
	cr_expect_null(strstr(json.buf, "\"line_hash\""));
	cr_expect_eq(back.run.shard_count, 0);
	ma_report_release(&back);
	strbuf_release(&json);
}

/* Reports from before --shard have no run.shard. */
Test(json_read, report_without_shard)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;

	edited(&text, ",\n\t\t\"shard\":\tnull", "");
	ma_report_init(&rep);
	cr_expect_eq(ma_report_read_json(text.buf, text.len, "old.json", &rep, &err), 0, "%s", err.buf);
	cr_expect_eq(rep.run.shard_count, 0);
	strbuf_release(&text);
	strbuf_release(&err);
}

Test(json_read, bad_shard_or_line_hash_is_named)
{
	expect_edit_error("\"shard\":\tnull", "\"shard\":\t3", "run.shard: not an object or null");
	expect_edit_error("\"shard\":\tnull", "\"shard\":\t{\"index\": 0, \"count\": 2}", "run.shard: not shard K of N");
	expect_edit_error("\"shard\":\tnull", "\"shard\":\t{\"index\": 3, \"count\": 2}", "run.shard: not shard K of N");
	expect_edit_error("\"shard\":\tnull", "\"shard\":\t{\"index\": 1}", "run.shard.count: missing");
	expect_edit_error("\"occurrence\":", "\"line_hash\": \"xyz\", \"occurrence\":",
			  "findings[0].line_hash: not 16 lowercase hex digits");
	expect_edit_error("\"occurrence\":", "\"line_hash\": 7, \"occurrence\":", "findings[0].line_hash: not 16");
	expect_edit_error("\"occurrence\":", "\"line_hash\": \"00000000000000000\", \"occurrence\":",
			  "findings[0].line_hash: not 16");
}
