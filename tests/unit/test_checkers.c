/*
 * The checkers against their fixtures (smatch's validation/, sparse's
 * check-output blocks).
 *
 * Every fixtures/checkers/<rule-id>/<name>.c and fixtures/demo/src/<name>.c
 * ends with the findings it expects (format: fixtures/README.md).  Each
 * file is one parameter of checkers::fixture: it is analysed in-process
 * with all checkers on, and the multiset of "file:line: rule" keys
 * reported must equal the expected one exactly.  A failure lists what is
 * missing and what is unexpected (with the checker's message), like a diff.
 *
 * Because an empty parameter list or an unparsable block would otherwise
 * pass silently, checkers::discovery insists that every registered checker
 * has a bad.c and a good.c, and the harness_* tests prove that the
 * comparison fails when an expectation is wrong.
 *
 * Run from the top directory, as the Makefile does; fixtures/README.md
 * has the command that runs only these tests.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strverscmp */
#endif
#include <criterion/criterion.h>
#include <criterion/alloc.h>
#include <criterion/parameterized.h>

#include "../../analyzers/static/static_pass.h"
#include "../../analyzers/static/engine_internal.h"
#include "../../core/finding.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

#include <ctype.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BLOCK_START "check-output-start"
#define BLOCK_END "check-output-end"

static const char *const fixture_args[] = { "-std=gnu11", NULL };

static const char *const fixture_globs[] = {
	"fixtures/checkers/*/*.c",
	"fixtures/demo/src/*.c",
};

/* ------------------------------------------------------------------ */
/* Expectations                                                        */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* "bad.c:12: free-non-heap", with the spacing normalised; 0 if malformed. */
static int parse_key(const char *line, size_t len, struct strvec *out)
{
	char file[256], rule[128];
	unsigned lineno;
	int used = 0;
	char *s = strndup(line, len);

	if (sscanf(s, "%255[^:]:%u: %127s%n", file, &lineno, rule, &used) != 3 ||
	    s[used] != '\0' || !lineno) {
		free(s);
		return 0;
	}
	strvec_pushf(out, "%s:%u: %s", file, lineno, rule);
	free(s);
	return 1;
}

/*
 * Order of keys, ignoring what follows a tab (a finding's message), and
 * with line numbers compared as numbers so that diffs read top to bottom.
 */
static int key_cmp(const char *a, const char *b)
{
	char ka[512], kb[512];

	snprintf(ka, sizeof(ka), "%.*s", (int)strcspn(a, "\t"), a);
	snprintf(kb, sizeof(kb), "%.*s", (int)strcspn(b, "\t"), b);
	return strverscmp(ka, kb);
}

static int cmp_key_ptr(const void *a, const void *b)
{
	return key_cmp(*(const char *const *)a, *(const char *const *)b);
}

static void sort_keys(struct strvec *sv)
{
	qsort(sv->v, sv->nr, sizeof(*sv->v), cmp_key_ptr);
}

/* Trim " * " comment decoration and white space from both ends. */
static void trim_line(const char **p, size_t *len)
{
	const char *s = *p, *e = *p + *len;

	while (s < e && (isspace((unsigned char)*s) || *s == '*'))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*p = s;
	*len = (size_t)(e - s);
}

/* Only the comment's closing may follow the block: it must end the file. */
static int only_comment_end(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (!strncmp(s, "*/", 2))
		s += 2;
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

/*
 * Parse the check-output block of a fixture's text into sorted keys.
 * -1 and a line in err when the block is missing, repeated, malformed or
 * not at the end of the file: a harness that guessed would pass silently.
 */
static int parse_expectations(const char *text, struct strvec *out, struct strbuf *err)
{
	const char *start = strstr(text, BLOCK_START), *end, *p;

	if (!start) {
		strbuf_addstr(err, "no '" BLOCK_START "' block");
		return -1;
	}
	if (strstr(start + 1, BLOCK_START)) {
		strbuf_addstr(err, "more than one '" BLOCK_START "' block");
		return -1;
	}
	end = strstr(start, BLOCK_END);
	if (!end) {
		strbuf_addstr(err, "'" BLOCK_START "' without '" BLOCK_END "'");
		return -1;
	}
	if (!only_comment_end(end + strlen(BLOCK_END))) {
		strbuf_addstr(err, "text after '" BLOCK_END "': the block must end the file");
		return -1;
	}
	p = strchr(start, '\n');
	while (p && p < end) {
		const char *line = p + 1, *nl = strchr(line, '\n');
		size_t len = (size_t)((nl && nl < end ? nl : end) - line);

		p = nl;
		trim_line(&line, &len);
		if (len && !parse_key(line, len, out)) {
			strbuf_addf(err, "malformed expectation '%.*s' (want 'file.c:LINE: rule-id')",
				    (int)len, line);
			return -1;
		}
	}
	sort_keys(out);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Comparison                                                          */

/* Keys of the findings, each followed by a tab and its message. */
static void finding_keys(const struct ma_findings *set, struct strvec *out)
{
	for (size_t i = 0; i < set->nr; i++) {
		const struct ma_finding *f = set->items[i];
		strvec_pushf(out, "%s:%u: %s\t%s", base_name(f->loc.file), f->loc.line, f->rule_id,
			     f->message);
	}
}

static void add_item(struct strbuf *sb, const char *key)
{
	size_t k = strcspn(key, "\t");

	strbuf_addf(sb, "    %.*s", (int)k, key);
	if (key[k])
		strbuf_addf(sb, "    (%s)", key + k + 1);
	strbuf_addch(sb, '\n');
}

/*
 * Compare two sorted multisets of keys; returns how many differ and
 * describes them in diff, missing ones first.
 */
static size_t compare_keys(const struct strvec *want, const struct strvec *got, struct strbuf *diff)
{
	struct strbuf missing = STRBUF_INIT, unexpected = STRBUF_INIT;
	size_t i = 0, j = 0, bad = 0;

	while (i < want->nr || j < got->nr) {
		int c = i == want->nr ? 1 : j == got->nr ? -1 : key_cmp(want->v[i], got->v[j]);
		if (!c) {
			i++, j++;
			continue;
		}
		bad++;
		if (c < 0)
			add_item(&missing, want->v[i++]);
		else
			add_item(&unexpected, got->v[j++]);
	}
	if (missing.len)
		strbuf_addf(diff, "  missing (expected, not reported):\n%s", missing.buf);
	if (unexpected.len)
		strbuf_addf(diff, "  unexpected (reported, not expected):\n%s", unexpected.buf);
	strbuf_release(&missing);
	strbuf_release(&unexpected);
	return bad;
}

/* Analyse path; its sorted finding keys go to got.  -1 and err if it does not parse. */
static int analyze(const char *path, struct strvec *got, struct strbuf *err)
{
	struct ma_findings set = MA_FINDINGS_INIT;
	int ret = ma_static_analyze_file(path, fixture_args, &set, err);

	finding_keys(&set, got);
	sort_keys(got);
	ma_findings_release(&set);
	return ret;
}

/* The whole check of one fixture; 0 when it holds, else the report in msg. */
static int check_fixture(const char *path, const char *text, struct strbuf *msg)
{
	struct strvec want = STRVEC_INIT, got = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT, diff = STRBUF_INIT;
	int ret = -1;

	if (parse_expectations(text, &want, &err) < 0)
		strbuf_addf(msg, "%s: %s", path, err.buf);
	else if (analyze(path, &got, &err) < 0)
		strbuf_addf(msg, "%s: does not parse: %s", path, err.buf);
	else if (compare_keys(&want, &got, &diff))
		strbuf_addf(msg, "%s: findings differ from its check-output block\n%s", path, diff.buf);
	else
		ret = 0;
	strvec_clear(&want);
	strvec_clear(&got);
	strbuf_release(&err);
	strbuf_release(&diff);
	return ret;
}

static void read_text(const char *path, struct strbuf *text)
{
	struct strbuf err = STRBUF_INIT;

	if (strbuf_read_file(text, path, &err) < 0)
		cr_assert_fail("%s", err.buf);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* The fixtures                                                        */

/* Fixed-size, so the array can live in Criterion's shared memory. */
struct fixture {
	char path[256];
};

static void free_fixtures(struct criterion_test_params *crp)
{
	cr_free(crp->params);
}

/* Every fixture path, sorted within each glob; the caller globfree()s. */
static size_t find_fixtures(glob_t *g)
{
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < sizeof(fixture_globs) / sizeof(fixture_globs[0]); i++)
		glob(fixture_globs[i], i ? GLOB_APPEND : 0, NULL, g);
	return g->gl_pathc;
}

ParameterizedTestParameters(checkers, fixture)
{
	struct fixture *params;
	glob_t g;
	size_t n = find_fixtures(&g);

	params = cr_calloc(n ? n : 1, sizeof(*params));
	for (size_t i = 0; i < n; i++)
		snprintf(params[i].path, sizeof(params[i].path), "%s", g.gl_pathv[i]);
	globfree(&g);
	return cr_make_param_array(struct fixture, params, n, free_fixtures);
}

ParameterizedTest(struct fixture *fx, checkers, fixture)
{
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;

	read_text(fx->path, &text);
	if (check_fixture(fx->path, text.buf, &msg) < 0)
		cr_assert_fail("%s", msg.buf);
	strbuf_release(&text);
	strbuf_release(&msg);
}

static int is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* Does some bad*.c of dir expect at least one finding of rule? */
static int dir_expects_rule(const char *dir, const char *rule)
{
	struct strbuf pattern = STRBUF_INIT, needle = STRBUF_INIT;
	int found = 0;
	glob_t g;

	strbuf_addf(&pattern, "%s/bad*.c", dir);
	strbuf_addf(&needle, ": %s\n", rule);
	if (!glob(pattern.buf, 0, NULL, &g)) {
		for (size_t i = 0; i < g.gl_pathc && !found; i++) {
			struct strbuf text = STRBUF_INIT;
			read_text(g.gl_pathv[i], &text);
			found = strstr(text.buf, needle.buf) != NULL;
			strbuf_release(&text);
		}
		globfree(&g);
	}
	strbuf_release(&pattern);
	strbuf_release(&needle);
	return found;
}

/* Without this, a wrong working directory would run zero fixtures and pass. */
Test(checkers, discovery)
{
	struct strbuf err = STRBUF_INIT;
	struct ma_engine *e = ma_checks_engine(NULL, &err);
	glob_t g;

	cr_assert_not_null(e, "%s", err.buf);
	cr_assert_geq(find_fixtures(&g), 2 * ma_engine_nr_checks(e) + 1,
		      "too few fixtures found; run the tests from the top directory");
	globfree(&g);
	for (size_t i = 0; i < ma_engine_nr_checks(e); i++) {
		struct strbuf dir = STRBUF_INIT, rule = STRBUF_INIT, f = STRBUF_INIT;
		const char *name = ma_engine_check_name(e, (int)i);

		for (const char *p = name + strlen("check_"); *p; p++)
			strbuf_addch(&rule, *p == '_' ? '-' : *p);
		strbuf_addf(&dir, "fixtures/checkers/%s", rule.buf);
		strbuf_addf(&f, "%s/good.c", dir.buf);
		cr_expect(is_file(f.buf), "checker %s has no %s", name, f.buf);
		strbuf_reset(&f);
		strbuf_addf(&f, "%s/bad.c", dir.buf);
		cr_expect(is_file(f.buf), "checker %s has no %s", name, f.buf);
		cr_expect(dir_expects_rule(dir.buf, rule.buf),
			  "no %s/bad*.c expects a '%s' finding", dir.buf, rule.buf);
		strbuf_release(&dir);
		strbuf_release(&rule);
		strbuf_release(&f);
	}
	ma_engine_free(e);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* The harness fails when it should                                    */

/* A pattern-only fixture, so that gaps tracked in the data-flow fixtures do not break this test. */
#define PROBE "fixtures/checkers/dangerous-function/bad.c"

/* The probe's text with the line number of its first expectation moved by one. */
static void shift_first_expectation(struct strbuf *text)
{
	char *block = strstr(text->buf, BLOCK_START), *colon, *end;
	unsigned long line;
	struct strbuf out = STRBUF_INIT;

	cr_assert_not_null(block);
	colon = strchr(strchr(block, '\n') + 1, ':');
	cr_assert_not_null(colon);
	line = strtoul(colon + 1, &end, 10);
	strbuf_add(&out, text->buf, (size_t)(colon + 1 - text->buf));
	strbuf_addf(&out, "%lu%s", line + 1, end);
	strbuf_release(text);
	*text = out;
}

Test(checkers, harness_reports_wrong_line)
{
	struct strbuf text = STRBUF_INIT, msg = STRBUF_INIT;

	read_text(PROBE, &text);
	cr_assert_eq(check_fixture(PROBE, text.buf, &msg), 0, "%s", msg.buf);
	shift_first_expectation(&text);
	cr_assert_neq(check_fixture(PROBE, text.buf, &msg), 0, "a wrong line number went unnoticed");
	cr_assert(strstr(msg.buf, "missing (expected, not reported)"), "%s", msg.buf);
	cr_assert(strstr(msg.buf, "unexpected (reported, not expected)"), "%s", msg.buf);
	strbuf_release(&text);
	strbuf_release(&msg);
}

Test(checkers, harness_reports_wrong_rule_and_extra_line)
{
	struct strvec want = STRVEC_INIT, got = STRVEC_INIT;
	struct strbuf diff = STRBUF_INIT;

	strvec_pushl(&want, "a.c:3: free-non-heap", "a.c:9: sizeof-pointer", NULL);
	strvec_pushl(&got, "a.c:3: free-non-heap\tmsg", "a.c:9: sizeof-pointer\tmsg",
		     "a.c:9: sizeof-pointer\tmsg", NULL);
	cr_assert_eq(compare_keys(&want, &got, &diff), 1, "a duplicate finding went unnoticed");
	strvec_pop(&got);
	strvec_pop(&got);
	strvec_push(&got, "a.c:9: unchecked-return\tmsg");
	strbuf_reset(&diff);
	cr_assert_eq(compare_keys(&want, &got, &diff), 2, "%s", diff.buf);
	cr_assert(strstr(diff.buf, "a.c:9: sizeof-pointer") && strstr(diff.buf, "a.c:9: unchecked-return"),
		  "%s", diff.buf);
	strvec_clear(&want);
	strvec_clear(&got);
	strbuf_release(&diff);
}

static void expect_parse_error(const char *text, const char *why)
{
	struct strvec want = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;

	cr_expect_eq(parse_expectations(text, &want, &err), -1, "accepted %s", why);
	strvec_clear(&want);
	strbuf_release(&err);
}

Test(checkers, harness_rejects_bad_blocks)
{
	struct strvec want = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;

	expect_parse_error("int x;\n", "a file without a block");
	expect_parse_error("/*\n * check-output-start\n * a.c:1: r\n */\n", "a block without its end");
	expect_parse_error("/*\n * check-output-start\n * a.c: r\n * check-output-end\n */\n",
			   "a line without a number");
	expect_parse_error("/*\n * check-output-start\n * a.c:1: r extra\n * check-output-end\n */\n",
			   "trailing words");
	expect_parse_error("/*\n * check-output-start\n * check-output-end\n */\nint x;\n",
			   "code after the block");
	cr_assert_eq(parse_expectations("/*\n * check-output-start\n * check-output-end\n */\n",
					&want, &err), 0, "%s", err.buf);
	cr_assert_eq(want.nr, 0);
	strvec_clear(&want);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Event paths: a finding tells where its story starts                 */

/* The finding of `rule` at `line` of the fixture, or NULL. */
static const struct ma_finding *finding_at(const struct ma_findings *set, const char *rule, unsigned line)
{
	for (size_t i = 0; i < set->nr; i++)
		if (set->items[i]->loc.line == line && !strcmp(set->items[i]->rule_id, rule))
			return set->items[i];
	return NULL;
}

static int has_event(const struct ma_finding *f, unsigned line, const char *message)
{
	for (size_t i = 0; i < f->nr_events; i++)
		if (f->events[i].loc.line == line && strstr(f->events[i].message, message))
			return 1;
	return 0;
}

Test(checkers, null_dereference_events_show_where_the_null_was_set_and_the_call)
{
	struct ma_findings set = MA_FINDINGS_INIT;
	struct strbuf err = STRBUF_INIT;
	const struct ma_finding *f;

	cr_assert_eq(ma_static_analyze_file("fixtures/checkers/null-dereference/bad.c", fixture_args, &set, &err),
		     0, "%s", err.buf);
	f = finding_at(&set, "null-dereference", 75);   /* strlen(name), name = NULL on line 63 */
	cr_assert_not_null(f);
	cr_expect(has_event(f, 63, "set to NULL here"), "no event at the NULL's origin");
	cr_expect(has_event(f, 75, "dereferenced here"));
	f = finding_at(&set, "null-dereference", 129);  /* inside counter_bump(), called on line 134 */
	cr_assert_not_null(f);
	cr_expect(has_event(f, 134, "in the call to 'counter_bump'"), "no event at the call");
	f = finding_at(&set, "null-dereference", 124);  /* cur = head: a copy, no single NULL store */
	cr_assert_not_null(f);
	cr_expect(!has_event(f, 121, "set to NULL here"), "the copy's own variable was never set to NULL");
	ma_findings_release(&set);
	strbuf_release(&err);
}

Test(checkers, uninitialized_heap_reads_point_at_the_allocation)
{
	struct ma_findings set = MA_FINDINGS_INIT;
	struct strbuf err = STRBUF_INIT;
	const struct ma_finding *f;

	cr_assert_eq(ma_static_analyze_file("fixtures/checkers/uninitialized-read/bad.c", fixture_args, &set, &err),
		     0, "%s", err.buf);
	f = finding_at(&set, "uninitialized-read", 294);   /* v[i], v from malloc on line 288 */
	cr_assert_not_null(f);
	cr_expect(has_event(f, 288, "allocated here by 'malloc'"), "no event at the allocation");
	cr_expect(!has_event(f, 286, "declared here"), "v was declared with no value but the block is what is unset");
	f = finding_at(&set, "uninitialized-read", 160);   /* rgb[2]: a local array */
	cr_assert_not_null(f);
	cr_expect(has_event(f, 156, "'rgb' is declared here without a value"));
	ma_findings_release(&set);
	strbuf_release(&err);
}
