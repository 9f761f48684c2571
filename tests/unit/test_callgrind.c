/*
 * callgrind's output (analyzers/dynamic/callgrind.c) and the cost
 * profiles made of it (analyzers/dynamic/cost_profile.c, the JSON and text
 * reports).
 *
 * tests/data/callgrind/ holds real profiles of fixtures/dynamic/callgrind/hot.c,
 * built in /tmp/cgdata with `cc -g -gdwarf-4 -O0 -o hot hot.c` and run as
 * `valgrind --tool=callgrind --toggle-collect=main ./hot` (only what main
 * runs: small files) with:
 *   hot.out         the defaults: compressed names, relative positions
 *   hot-plain.out   --compress-strings=no --compress-pos=no
 *   hot-instr.out   --dump-instr=yes: "positions: instr line"
 *   hot-bus.out     --collect-bus=yes: two events, Ir and Ge
 *   hot-cut.out     hot.out cut in the middle of line 128
 *   hot-bad.out     hot.out with one cost line spoilt ("+30 five")
 * In hot.c: fact's entry is line 21, bump's 26, checksum's 31, main's 40.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include "../../analyzers/dynamic/callgrind.h"
#include "../../analyzers/dynamic/cost_profile.h"
#include "../../core/alloc.h"
#include "../../core/report.h"
#include "../../core/strbuf.h"
#include "../../reporters/reporter.h"

#include <string.h>

#define DATA "tests/data/callgrind/"
#define PROGRAM "/tmp/cgdata/hot"
#define SOURCE "/tmp/cgdata/hot.c"

/* Parse a data file into p; its return value, err holding the message. */
static int parse_file(const char *name, struct ma_cost_profile *p, struct strbuf *err)
{
	FILE *in = fopen(name, "r");
	int ret;

	cr_assert(in, "cannot open %s", name);
	ma_cost_profile_init(p);
	ret = ma_callgrind_parse(in, name, p, err);
	fclose(in);
	return ret;
}

static void parse_ok(const char *name, struct ma_cost_profile *p)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(parse_file(name, p, &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

static int parse_text(const char *text, struct ma_cost_profile *p, struct strbuf *err)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int ret;

	ma_cost_profile_init(p);
	ret = ma_callgrind_parse(in, "t.out", p, err);
	fclose(in);
	return ret;
}

/* The function named name (in file, when given), or NULL. */
static const struct ma_cost_function *fn(const struct ma_cost_profile *p, const char *name, const char *file)
{
	for (size_t i = 0; i < p->nr_functions; i++)
		if (!strcmp(p->functions[i].name, name) && (!file || !strcmp(p->functions[i].file, file)))
			return &p->functions[i];
	return NULL;
}

static const struct ma_cost_function *must(const struct ma_cost_profile *p, const char *name)
{
	const struct ma_cost_function *f = fn(p, name, NULL);

	cr_assert(f, "no function %s", name);
	return f;
}

static const struct ma_cost_edge *edge(const struct ma_cost_profile *p, const char *caller, const char *callee)
{
	for (size_t i = 0; i < p->nr_edges; i++)
		if (!strcmp(p->functions[p->edges[i].caller].name, caller) &&
		    !strcmp(p->functions[p->edges[i].callee].name, callee))
			return &p->edges[i];
	cr_assert_fail("no edge %s -> %s", caller, callee);
	return NULL;
}

static uint64_t self_sum(const struct ma_cost_profile *p, size_t event)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < p->nr_functions; i++)
		sum += p->functions[i].self[event];
	return sum;
}

/* ------------------------------------------------------------ the parser */

Test(callgrind, reads_the_header_and_each_function_costs)
{
	struct ma_cost_profile p;
	const struct ma_cost_function *checksum, *main_fn, *fact;

	parse_ok(DATA "hot.out", &p);
	cr_expect_eq(p.pid, 18508);
	cr_assert_eq(p.commands.nr, 1);
	cr_expect_str_eq(p.commands.v[0], "./hot");
	cr_assert_eq(p.events.nr, 1);
	cr_expect_str_eq(p.events.v[0], "Ir");
	cr_expect_eq(p.totals[0], 3286515);
	cr_expect_eq(self_sum(&p, 0), p.totals[0], "every cost line counted once");
	checksum = must(&p, "checksum");
	cr_expect_str_eq(checksum->file, SOURCE);
	cr_expect_str_eq(checksum->object, PROGRAM);
	cr_expect_eq(checksum->line, 31);
	cr_expect_eq(checksum->self[0], 3277450);
	cr_expect_eq(checksum->inclusive[0], checksum->self[0], "it calls nothing");
	cr_expect_eq(checksum->calls, 50);
	main_fn = must(&p, "main");
	cr_expect_eq(main_fn->line, 40);
	cr_expect_eq(main_fn->inclusive[0], p.totals[0], "only what main ran was collected");
	cr_expect_lt(main_fn->self[0], main_fn->inclusive[0]);
	fact = must(&p, "fact");
	cr_expect_eq(fact->line, 21);
	cr_expect_eq(fact->calls, 10, "fact(10): 1 call from main, 9 from itself");
	cr_expect_eq(fact->inclusive[0], fact->self[0], "the recursive calls are its own cost");
	cr_expect_eq(edge(&p, "main", "fact")->inclusive[0], fact->self[0]);
	cr_expect_eq(edge(&p, "main", "checksum")->calls, 50);
	cr_expect_eq(edge(&p, "main", "checksum")->inclusive[0], 3277450);
	cr_expect_eq(must(&p, "bump")->calls, 10);
	ma_cost_profile_release(&p);
}

Test(callgrind, recursion_levels_are_one_function)
{
	struct ma_cost_profile p;

	parse_ok(DATA "hot.out", &p);
	for (size_t i = 0; i < p.nr_functions; i++)
		cr_expect(!strchr(p.functions[i].name, '\''), "%s", p.functions[i].name);
	cr_expect_eq(edge(&p, "fact", "fact")->calls, 9, "fact calling fact'2 and fact'2 calling itself: fact calling fact");
	ma_cost_profile_release(&p);
}

/* Each function of a reads the same in b (another writing of the same run). */
static void expect_same_functions(const struct ma_cost_profile *a, const struct ma_cost_profile *b)
{
	cr_expect_eq(a->nr_functions, b->nr_functions);
	cr_expect_eq(a->nr_edges, b->nr_edges);
	cr_expect_eq(a->totals[0], b->totals[0]);
	for (size_t i = 0; i < a->nr_functions; i++) {
		const struct ma_cost_function *f = &a->functions[i], *g = fn(b, f->name, f->file);
		cr_assert(g, "%s (%s) is missing", f->name, f->file);
		cr_expect_eq(g->self[0], f->self[0], "%s", f->name);
		cr_expect_eq(g->inclusive[0], f->inclusive[0], "%s", f->name);
		cr_expect_eq(g->calls, f->calls, "%s", f->name);
		cr_expect_eq(g->line, f->line, "%s", f->name);
	}
}

Test(callgrind, names_and_positions_written_out_read_the_same)
{
	struct ma_cost_profile compressed, plain;

	parse_ok(DATA "hot.out", &compressed);
	parse_ok(DATA "hot-plain.out", &plain);
	expect_same_functions(&compressed, &plain);
	ma_cost_profile_release(&compressed);
	ma_cost_profile_release(&plain);
}

Test(callgrind, instruction_positions_read_the_same_lines_and_costs)
{
	struct ma_cost_profile lines, instrs;

	parse_ok(DATA "hot.out", &lines);
	parse_ok(DATA "hot-instr.out", &instrs);
	expect_same_functions(&lines, &instrs);
	ma_cost_profile_release(&lines);
	ma_cost_profile_release(&instrs);
}

Test(callgrind, each_event_has_its_costs)
{
	struct ma_cost_profile p;
	const struct ma_cost_function *bump;

	parse_ok(DATA "hot-bus.out", &p);
	cr_assert_eq(p.events.nr, 2);
	cr_expect_str_eq(p.events.v[1], "Ge");
	cr_expect_eq(p.totals[0], 3286515);
	cr_expect_eq(p.totals[1], 14);
	cr_expect_eq(self_sum(&p, 1), 14);
	bump = must(&p, "bump");
	cr_expect_eq(bump->self[0], 60);
	cr_expect_eq(bump->self[1], 10, "one locked add per call");
	cr_expect_eq(must(&p, "main")->inclusive[1], 14);
	cr_expect_eq(edge(&p, "main", "bump")->inclusive[1], 10);
	ma_cost_profile_release(&p);
}

Test(callgrind, a_file_cut_short_keeps_what_was_read)
{
	struct ma_cost_profile p;
	struct strbuf err = STRBUF_INIT;

	cr_expect_eq(parse_file(DATA "hot-cut.out", &p, &err), -1);
	cr_expect(strstr(err.buf, "hot-cut.out:128: cut short") != NULL, "%s", err.buf);
	cr_expect(strstr(err.buf, "of 3286515") != NULL, "the summary says how much is missing: %s", err.buf);
	cr_expect_eq(must(&p, "checksum")->self[0], 3277450);
	cr_expect_eq(must(&p, "fact")->self[0], 135);
	cr_expect_eq(p.totals[0], self_sum(&p, 0), "the totals of what was read");
	cr_expect_lt(p.totals[0], 3286515);
	ma_cost_profile_release(&p);
	strbuf_release(&err);
}

/* The number of the first line of the file that contains s. */
static size_t line_with(const char *name, const char *s)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	size_t n = 1;
	const char *at;

	cr_assert_eq(strbuf_read_file(&text, name, &err), 0, "%s", err.buf);
	at = strstr(text.buf, s);
	cr_assert(at, "no '%s' in %s", s, name);
	for (const char *c = text.buf; c < at; c++)
		n += *c == '\n';
	strbuf_release(&text);
	strbuf_release(&err);
	return n;
}

Test(callgrind, a_malformed_line_is_named_and_what_came_before_kept)
{
	struct ma_cost_profile p;
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;

	cr_expect_eq(parse_file(DATA "hot-bad.out", &p, &err), -1);
	strbuf_addf(&want, DATA "hot-bad.out:%zu: '+30 five' is not a cost line", line_with(DATA "hot-bad.out", "five"));
	cr_expect_str_eq(err.buf, want.buf);
	cr_expect_eq(must(&p, "checksum")->self[0], 3277450);
	ma_cost_profile_release(&p);
	strbuf_release(&err);
	strbuf_release(&want);
}

/* The specification's extended example (3.1.4), with names compressed as in 3.1.5. */
static const char spec_example[] =
	"# callgrind format\nevents: Instructions\n\n"
	"fl=(1) file1.c\nfn=(1) main\n16 20\ncfn=(2) func1\ncalls=1 50\n16 400\n"
	"cfi=(2) file2.c\ncfn=(3) func2\ncalls=3 20\n16 400\n\n"
	"fn=(2)\n51 100\ncfi=(2)\ncfn=(3)\ncalls=2 20\n51 300\n\n"
	"fl=(2)\nfn=(3)\n20 700\ntotals: 1520\n";

Test(callgrind, the_specification_example_with_compressed_names)
{
	struct ma_cost_profile p;
	struct strbuf err = STRBUF_INIT;
	const struct ma_cost_function *func2;

	cr_assert_eq(parse_text(spec_example, &p, &err), 0, "%s", err.buf);
	cr_expect_eq(p.nr_functions, 3);
	cr_expect_eq(must(&p, "main")->self[0], 20);
	cr_expect_eq(must(&p, "main")->inclusive[0], 820, "as the specification computes it");
	cr_expect_eq(must(&p, "func1")->inclusive[0], 400);
	cr_expect_str_eq(must(&p, "func1")->file, "file1.c", "no cfi=: the caller's file");
	func2 = must(&p, "func2");
	cr_expect_str_eq(func2->file, "file2.c");
	cr_expect_eq(func2->self[0], 700);
	cr_expect_eq(func2->calls, 5);
	cr_expect_eq(func2->line, 20);
	cr_expect_eq(edge(&p, "main", "func2")->calls, 3);
	cr_expect_eq(edge(&p, "func1", "func2")->inclusive[0], 300);
	ma_cost_profile_release(&p);
	strbuf_release(&err);
}

Test(callgrind, relative_subpositions_and_inlined_code)
{
	/* 3.1.6's example, then code inlined from a header into f: f's line is in its own file */
	const char *text = "positions: instr line\nevents: ticks\nfl=a.c\nfn=func\n0x80001234 90 1\n+3 * 5\n+1 +1 6\n"
			   "fn=f\nfi=inl.h\n0x10 5 10\nfe=a.c\n* 20 1\n-0x2 -2 1\ntotals: 24\n";
	struct ma_cost_profile p;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(parse_text(text, &p, &err), 0, "%s", err.buf);
	cr_expect_eq(must(&p, "func")->self[0], 12);
	cr_expect_eq(must(&p, "func")->line, 90);
	cr_expect_eq(must(&p, "f")->self[0], 12);
	cr_expect_eq(must(&p, "f")->line, 20, "line 5 is inl.h's");
	ma_cost_profile_release(&p);
	strbuf_release(&err);
}

Test(callgrind, malformed_files_are_refused_at_their_line)
{
	static const struct { const char *text, *message; } cases[] = {
		{ "events: Ir\nfl=a.c\nfn=(7)\n", "t.out:3: function (7) is used before it is defined" },
		{ "events: Ir\nfl=(2)\n", "t.out:2: name (2) is used before it is defined" },
		{ "events: Ir\nfl=a.c\n3 4\n", "t.out:3: a cost line outside any function" },
		{ "fl=a.c\nfn=f\n", "t.out:2: a function before the events: line" },
		{ "events: Ir\nfl=a.c\nfn=f\ncalls=2 3\n", "t.out:4: calls= without a fn= and a cfn= line" },
		{ "events: Ir\nfl=a.c\nfn=f\n3 4 5\n", "t.out:4: more costs than the 1 event in '3 4 5'" },
		{ "events: Ir\nfl=a.c\nfn=f\n3 4\n-9 1\n", "t.out:5: a relative position before 0" },
		{ "events: Ir\nfl=a.c\nfn=f\ncfn=g\ncalls=2 3\nfn=h\n", "t.out:6: a calls= or jump= line is not followed" },
		{ "events: Ir\nfl=a.c\nfn=f\ncfn=g\ncalls=2 3\n", "t.out:5: cut short after a calls= or jump= line" },
		{ "events: Ir\nfl=a.c\nfn=f\nxy=1\n", "t.out:4: unknown specification 'xy='" },
		{ "positions: line instr\nevents: Ir\n", "t.out:1: positions: 'line instr' is not some of instr" },
		{ "version: 2\nevents: Ir\n", "t.out:1: format version '2'" },
		{ "events: Ir\nfl=a.c\nfn=f\n3 4\n!\n", "t.out:5: '!' is not a line of callgrind's format" },
		{ "<?xml version=\"1.0\"?>\n", "t.out:1: '<?xml version=\"1.0\"?>' is not a line" },
		{ "", "t.out: no events: line" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ma_cost_profile p;
		struct strbuf err = STRBUF_INIT;
		cr_expect_eq(parse_text(cases[i].text, &p, &err), -1, "case %zu", i);
		cr_expect(starts_with(err.buf, cases[i].message), "case %zu: %s", i, err.buf);
		ma_cost_profile_release(&p);
		strbuf_release(&err);
	}
}

/* ------------------------------------------------------- merge and trim */

Test(cost_profile, the_project_functions_are_those_under_the_root)
{
	struct ma_cost_profile p;

	parse_ok(DATA "hot.out", &p);
	cr_expect_eq(ma_cost_profile_mark_project(&p, "/tmp/cgdata"), 4, "main, checksum, fact, bump");
	cr_expect(must(&p, "checksum")->in_project);
	cr_expect(!must(&p, "printf")->in_project);
	ma_cost_profile_release(&p);
	parse_ok(DATA "hot.out", &p);
	cr_expect_eq(ma_cost_profile_mark_project(&p, "/tmp/cg"), 0, "a prefix of the name is not a parent");
	ma_cost_profile_release(&p);
}

Test(cost_profile, processes_of_one_program_add_up)
{
	struct ma_cost_profile one, run;
	const struct ma_cost_function *checksum;

	parse_ok(DATA "hot.out", &one);
	ma_cost_profile_init(&run);
	cr_assert_eq(ma_cost_profile_merge(&run, &one), 0);
	cr_assert_eq(ma_cost_profile_merge(&run, &one), 0);
	cr_expect_eq(run.processes, 2);
	cr_expect_eq(run.pid, 0);
	cr_expect_eq(run.commands.nr, 1, "the same command once");
	cr_expect_eq(run.nr_functions, one.nr_functions);
	cr_expect_eq(run.nr_edges, one.nr_edges);
	cr_expect_eq(run.totals[0], 2 * one.totals[0]);
	checksum = must(&run, "checksum");
	cr_expect_eq(checksum->self[0], 2 * 3277450);
	cr_expect_eq(checksum->calls, 100);
	cr_expect_eq(checksum->line, 31);
	cr_expect_eq(edge(&run, "main", "checksum")->calls, 100);
	ma_cost_profile_release(&one);
	ma_cost_profile_release(&run);
}

Test(cost_profile, profiles_of_other_events_do_not_mix)
{
	struct ma_cost_profile ir, bus, run;

	parse_ok(DATA "hot.out", &ir);
	parse_ok(DATA "hot-bus.out", &bus);
	ma_cost_profile_init(&run);
	cr_assert_eq(ma_cost_profile_merge(&run, &ir), 0);
	cr_expect_eq(ma_cost_profile_merge(&run, &bus), -1);
	cr_expect_eq(run.processes, 1);
	cr_expect_eq(run.totals[0], ir.totals[0]);
	ma_cost_profile_release(&ir);
	ma_cost_profile_release(&bus);
	ma_cost_profile_release(&run);
}

Test(cost_profile, trimming_keeps_the_project_and_the_costliest_others)
{
	struct ma_cost_profile p;
	size_t others = 0;

	parse_ok(DATA "hot.out", &p);
	ma_cost_profile_mark_project(&p, "/tmp/cgdata");
	ma_cost_profile_trim(&p, 3);
	cr_assert_eq(p.nr_functions, 4 + 3);
	cr_expect_str_eq(p.functions[0].name, "checksum", "the hottest first");
	for (size_t i = 1; i < p.nr_functions; i++)
		cr_expect_geq(p.functions[i - 1].self[0], p.functions[i].self[0]);
	for (size_t i = 0; i < p.nr_functions; i++)
		others += !p.functions[i].in_project;
	cr_expect_eq(others, 3);
	cr_expect(fn(&p, "bump", NULL) && fn(&p, "fact", NULL), "every project function, however cheap");
	for (size_t i = 0; i < p.nr_edges; i++)
		cr_expect(p.edges[i].caller < p.nr_functions && p.edges[i].callee < p.nr_functions);
	cr_expect_eq(edge(&p, "main", "checksum")->inclusive[0], 3277450);
	ma_cost_profile_release(&p);
}

/* --------------------------------------------------------------- reports */

/* A report with hot.out's costs, its root the program's directory. */
static void cost_report(struct ma_report *rep)
{
	struct ma_cost_profile p;

	ma_report_init(rep);
	rep->run.root = ma_strdup("/tmp/cgdata");
	parse_ok(DATA "hot.out", &p);
	ma_cost_profile_mark_project(&p, rep->run.root);
	rep->cost_profiles = ma_calloc(1, sizeof(*rep->cost_profiles));
	rep->nr_cost_profiles = rep->alloc_cost_profiles = 1;
	ma_cost_profile_init(&rep->cost_profiles[0]);
	ma_cost_profile_merge(&rep->cost_profiles[0], &p);
	ma_cost_profile_trim(&rep->cost_profiles[0], MA_COST_OTHER_FUNCTIONS);
	ma_cost_profile_release(&p);
}

Test(cost_profile, the_json_report_carries_functions_and_edges)
{
	struct ma_report rep;
	struct ma_render_opts o = { 0 };
	struct strbuf out = STRBUF_INIT;
	cJSON *j, *costs, *first, *e;
	int found = 0;

	cost_report(&rep);
	ma_render_json(&rep, &o, &out);
	j = cJSON_Parse(out.buf);
	cr_assert(j);
	costs = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "profiles"), "costs"), 0);
	cr_assert(costs);
	cr_expect_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(costs, "events"), 0)->valuestring, "Ir");
	cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(costs, "totals"), "Ir")->valuedouble, 3286515);
	cr_expect_eq(cJSON_GetObjectItem(costs, "processes")->valueint, 1);
	first = cJSON_GetArrayItem(cJSON_GetObjectItem(costs, "functions"), 0);
	cr_expect_str_eq(cJSON_GetObjectItem(first, "function")->valuestring, "checksum");
	cr_expect_str_eq(cJSON_GetObjectItem(first, "file")->valuestring, "hot.c", "relative to the root");
	cr_expect_eq(cJSON_GetObjectItem(first, "line")->valueint, 31);
	cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(first, "in_project")));
	cr_expect_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(first, "self"), "Ir")->valuedouble, 3277450);
	cJSON_ArrayForEach(e, cJSON_GetObjectItem(costs, "edges"))
		found += cJSON_GetObjectItem(e, "callee")->valueint == 0 &&
			 cJSON_GetObjectItem(e, "calls")->valueint == 50;
	cr_expect_eq(found, 1, "main's 50 calls of checksum (function 0)");
	cJSON_Delete(j);
	strbuf_release(&out);
	ma_report_release(&rep);
}

Test(cost_profile, the_text_report_lists_the_costliest_project_functions)
{
	struct ma_report rep;
	struct ma_render_opts o = { 0 };
	struct strbuf out = STRBUF_INIT;

	cost_report(&rep);
	ma_render_text(&rep, &o, &out);
	cr_expect(strstr(out.buf, "memaudit: costs of 1 process (./hot): 3286515 Ir, ") != NULL, "%s", out.buf);
	cr_expect(strstr(out.buf, "\n    hot.c:31: checksum: 3277450 self (99.7%), 3277450 inclusive (99.7%)\n"
				  "    hot.c:40: main: ") != NULL, "%s", out.buf);
	cr_expect(strstr(out.buf, "printf") == NULL, "only the project's functions: %s", out.buf);
	strbuf_release(&out);
	ma_report_release(&rep);
}
