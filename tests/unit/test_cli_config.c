/*
 * .memaudit.yml through the real binary: each file in fixtures/config/cases/
 * is installed into a fresh copy of fixtures/config/project/ (as
 * .memaudit.yml, unless it says otherwise), memaudit audit runs there, and
 * the exit code, stderr and report.json are checked against what the
 * file's leading comment expects:
 *
 *   # check-args: --fail-on none          more arguments to `memaudit audit -q -o DIR`
 *   # check-cwd: src/sub                  run there (default: the project's top)
 *   # check-install: memaudit-ci.yml      where the file goes (default .memaudit.yml)
 *   # check-decoy: .memaudit.yml          a file there that must not be read (it does not parse)
 *   # check-exit: 1
 *   # check-error: TEXT                   stderr is one line holding TEXT (repeatable)
 *   # check-json: run.units.excluded 1    a number, a string (or its last path
 *                                         components), null, or an item of an array
 *   # check-findings:                     exactly these findings, in any order
 *   #   src/app.c:11: unchecked-return warning
 *
 * Run from the top of the tree, as `make test-unit` does.
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/alloc.h"
#include "../../core/fs.h"
#include "../../core/path.h"
#include "../../core/spawn.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

#define PROJECT "fixtures/config/project"
#define CASES "fixtures/config/cases"

struct expect {
	struct strvec args, errors, json, findings;
	const char *cwd, *install, *decoy;
	int exit_code;
	int has_findings;
	struct strbuf text; /* the case file, installed as it is */
	char *lines;        /* a copy cut into lines: the pointers above point into it */
};

static struct strbuf proj = STRBUF_INIT, top = STRBUF_INIT, out = STRBUF_INIT;

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_getcwd(&top, &err), 0, "%s", err.buf);
	cr_assert_eq(ma_mkdtemp(&proj, "memaudit-config", &err), 0, "%s", err.buf);
	strbuf_addf(&out, "%s.out", proj.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	ma_remove_tree(proj.buf);
	ma_remove_tree(out.buf);
	strbuf_release(&proj);
	strbuf_release(&top);
	strbuf_release(&out);
}

TestSuite(cli_config, .init = setup, .fini = teardown, .timeout = 120);

/* ------------------------------------------------------------------ */
/* The project                                                         */

static void write_under(const char *dir, const char *rel, const char *text, size_t len)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", dir, rel);
	strbuf_setlen(&path, ma_path_dirlen(path.buf));
	cr_assert_eq(ma_mkdir_p(path.buf, &err), 0, "%s", err.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s", dir, rel);
	cr_assert_eq(ma_write_file_atomic(path.buf, text, len, &err), 0, "%s", err.buf);
	strbuf_release(&path);
	strbuf_release(&err);
}

static void copy_one(const char *path, void *data)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const char *src = data;

	cr_assert_eq(strbuf_read_file(&text, path, &err), 0, "%s", err.buf);
	write_under(proj.buf, ma_path_relative(src, path), text.buf, text.len);
	strbuf_release(&text);
	strbuf_release(&err);
}

static void copy_project(void)
{
	struct strbuf src = STRBUF_INIT;

	strbuf_addf(&src, "%s/%s", top.buf, PROJECT);
	ma_walk_files(src.buf, copy_one, src.buf);
	strbuf_release(&src);
}

/* ------------------------------------------------------------------ */
/* The expectations                                                    */

static void split_args(struct strvec *sv, char *s)
{
	for (char *save = NULL, *w = strtok_r(s, " ", &save); w; w = strtok_r(NULL, " ", &save))
		strvec_push(sv, w);
}

static void read_line(struct expect *e, char *line, int *in_findings)
{
	char *v;

	if (*in_findings && starts_with(line, "#   ")) {
		strvec_push(&e->findings, line + 4);
		return;
	}
	*in_findings = 0;
	if (skip_prefix(line, "# check-args: ", (const char **)&v))
		split_args(&e->args, v);
	else if (skip_prefix(line, "# check-cwd: ", (const char **)&v))
		e->cwd = v;
	else if (skip_prefix(line, "# check-install: ", (const char **)&v))
		e->install = v;
	else if (skip_prefix(line, "# check-decoy: ", (const char **)&v))
		e->decoy = v;
	else if (skip_prefix(line, "# check-exit: ", (const char **)&v))
		e->exit_code = atoi(v);
	else if (skip_prefix(line, "# check-error: ", (const char **)&v))
		strvec_push(&e->errors, v);
	else if (skip_prefix(line, "# check-json: ", (const char **)&v))
		strvec_push(&e->json, v);
	else if (!strcmp(line, "# check-findings:"))
		*in_findings = e->has_findings = 1;
	else if (starts_with(line, "# check-"))
		cr_assert_fail("unknown expectation '%s'", line);
}

static void expect_release(struct expect *e)
{
	strvec_clear(&e->args);
	strvec_clear(&e->errors);
	strvec_clear(&e->json);
	strvec_clear(&e->findings);
	strbuf_release(&e->text);
	free(e->lines);
}

static void read_case(struct expect *e, const char *name)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	int in_findings = 0;

	memset(e, 0, sizeof(*e));
	strvec_init(&e->args);
	strvec_init(&e->errors);
	strvec_init(&e->json);
	strvec_init(&e->findings);
	strbuf_init(&e->text, 0);
	e->install = ".memaudit.yml";
	e->exit_code = -1;
	strbuf_addf(&path, "%s/%s/%s.yml", top.buf, CASES, name);
	cr_assert_eq(strbuf_read_file(&e->text, path.buf, &err), 0, "%s", err.buf);
	e->lines = ma_strndup(e->text.buf, e->text.len);
	for (char *save = NULL, *l = strtok_r(e->lines, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		read_line(e, l, &in_findings);
	cr_assert_neq(e->exit_code, -1, "%s: no check-exit", name);
	cr_assert(e->exit_code == 2 ? e->errors.nr > 0 : e->has_findings, "%s: no check-error or check-findings", name);
	strbuf_release(&path);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Running                                                             */

struct result {
	int code;
	struct strbuf err;
};

static void run(const struct expect *e, struct result *r)
{
	struct strvec argv = STRVEC_INIT;
	struct strbuf cwd = STRBUF_INIT, bin = STRBUF_INIT, errpath = STRBUF_INIT, why = STRBUF_INIT;
	static const char *const env[] = { "MAKEFLAGS=", "MFLAGS=", NULL };
	struct ma_spawn_opts o = { .env = env, .stdin_path = "/dev/null", .stdout_path = "/dev/null",
				   .timeout_ms = 100000 };
	struct ma_spawn_result res;
	const char *m = getenv("MEMAUDIT");

	ma_path_absolute(&bin, top.buf, m && *m ? m : "build/memaudit");
	strbuf_addf(&cwd, "%s%s%s", proj.buf, e->cwd ? "/" : "", e->cwd ? e->cwd : "");
	strbuf_addf(&errpath, "%s.stderr", proj.buf);
	o.cwd = cwd.buf;
	o.stderr_path = errpath.buf;
	strvec_pushl(&argv, bin.buf, "audit", "-q", "-o", out.buf, "--format", "json", NULL);
	strvec_pushv(&argv, e->args.v);
	cr_assert_eq(ma_spawn_run(argv.v, &o, &res, &why), 0, "%s", why.buf);
	cr_assert(!res.signal && !res.timed_out, "memaudit was killed (signal %d)", res.signal);
	r->code = res.exit_code;
	strbuf_init(&r->err, 0);
	cr_assert_eq(strbuf_read_file(&r->err, errpath.buf, &why), 0, "%s", why.buf);
	unlink(errpath.buf);
	strvec_clear(&argv);
	strbuf_release(&cwd);
	strbuf_release(&bin);
	strbuf_release(&errpath);
	strbuf_release(&why);
}

static cJSON *read_report(void)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT, err = STRBUF_INIT;
	cJSON *j;

	strbuf_addf(&path, "%s/report.json", out.buf);
	cr_assert_eq(strbuf_read_file(&text, path.buf, &err), 0, "%s", err.buf);
	j = cJSON_Parse(text.buf);
	cr_assert_not_null(j, "report.json does not parse");
	strbuf_release(&path);
	strbuf_release(&text);
	strbuf_release(&err);
	return j;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "file:line: rule severity" of each finding, sorted; then compared as one text. */
static void check_findings(const struct expect *e, cJSON *report, const char *name)
{
	struct strvec got = STRVEC_INIT, want = STRVEC_INIT;
	cJSON *f;
	char *g, *w;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(report, "findings")) {
		cJSON *loc = cJSON_GetObjectItem(f, "location");
		strvec_pushf(&got, "%s:%d: %s %s", cJSON_GetObjectItem(loc, "file")->valuestring,
			     cJSON_GetObjectItem(loc, "line")->valueint, cJSON_GetObjectItem(f, "rule")->valuestring,
			     cJSON_GetObjectItem(f, "severity")->valuestring);
	}
	strvec_pushv(&want, e->findings.v);
	qsort(got.v, got.nr, sizeof(*got.v), cmp_str);
	qsort(want.v, want.nr, sizeof(*want.v), cmp_str);
	g = strvec_join(&got, "\n");
	w = strvec_join(&want, "\n");
	cr_expect_str_eq(g, w, "%s: findings\n%s\nexpected\n%s", name, g, w);
	free(g);
	free(w);
	strvec_clear(&got);
	strvec_clear(&want);
}

/* "run.units.excluded 1": the value at the dotted path. */
static void check_json(const char *spec, cJSON *report, const char *name)
{
	char *path = ma_strdup(spec), *want = strchr(path, ' '), *save = NULL;
	cJSON *v = report, *item;
	int found = 0;

	cr_assert_not_null(want, "%s: check-json '%s' has no value", name, spec);
	*want++ = '\0';
	for (char *k = strtok_r(path, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		v = cJSON_GetObjectItemCaseSensitive(v, k);
	cr_assert_not_null(v, "%s: report.json has no '%s'", name, path);
	if (cJSON_IsNumber(v))
		found = v->valuedouble == atof(want);
	else if (cJSON_IsNull(v))
		found = !strcmp(want, "null");
	else if (cJSON_IsString(v))
		found = !strcmp(v->valuestring, want) || (ends_with(v->valuestring, want) &&
			v->valuestring[strlen(v->valuestring) - strlen(want) - 1] == '/');
	else if (cJSON_IsArray(v))
		cJSON_ArrayForEach(item, v)
			found |= cJSON_IsString(item) && !strcmp(item->valuestring, want);
	if (!found) {
		char *text = cJSON_PrintUnformatted(v);
		cr_expect_fail("%s: '%s' is %s, expected %s", name, path, text, want);
		free(text);
	}
	free(path);
}

static void install_case(const struct expect *e)
{
	static const char decoy[] = "- this file must not be read\n";

	copy_project();
	write_under(proj.buf, e->install, e->text.buf, e->text.len);
	if (e->decoy)
		write_under(proj.buf, e->decoy, decoy, strlen(decoy));
}

static void run_case(const char *name)
{
	struct expect e;
	struct result r;

	read_case(&e, name);
	install_case(&e);
	run(&e, &r);
	cr_expect_eq(r.code, e.exit_code, "%s: exit %d, expected %d; stderr:\n%s", name, r.code, e.exit_code,
		     r.err.buf);
	for (size_t i = 0; i < e.errors.nr; i++)
		cr_expect(strstr(r.err.buf, e.errors.v[i]), "%s: stderr lacks \"%s\":\n%s", name, e.errors.v[i],
			  r.err.buf);
	if (e.exit_code == 2) {
		cr_expect(starts_with(r.err.buf, "memaudit: error: "), "%s: %s", name, r.err.buf);
		cr_expect(strchr(r.err.buf, '\n') == r.err.buf + r.err.len - 1, "%s: one line: %s", name, r.err.buf);
	} else {
		cJSON *report = read_report();
		check_findings(&e, report, name);
		for (size_t i = 0; i < e.json.nr; i++)
			check_json(e.json.v[i], report, name);
		cJSON_Delete(report);
	}
	strbuf_release(&r.err);
	expect_release(&e);
}

/* ------------------------------------------------------------------ */
/* The cases: one test each, and every file in cases/ has one          */

#define CASE(name) Test(cli_config, name) { run_case(#name); }
#define CASE_LIST \
	X(exclude_dir) X(exclude_generated) X(exclude_everything) X(disable_rule) X(enable_glob) \
	X(severity_lowers_exit) X(severity_raises_exit) X(flags_win_fail_on) X(flags_win_rules) \
	X(from_subdirectory) X(config_option) X(no_config) X(dynamic_from_file) \
	X(err_unknown_key) X(err_unknown_nested_key) X(err_bad_value) X(err_unknown_rule) \
	X(err_glob_no_rule) X(err_yaml_syntax) X(err_not_mapping) X(err_config_and_no_config) \
	X(err_config_missing) X(fail_on_new_needs_baseline)

#define X(name) CASE(name)
CASE_LIST
#undef X

static void count_case(const char *path, void *data)
{
	static const char *const names[] = {
#define X(name) #name,
		CASE_LIST
#undef X
	};
	const char *base = strrchr(path, '/') + 1;
	int known = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		known |= !strncmp(base, names[i], strlen(names[i])) && !strcmp(base + strlen(names[i]), ".yml");
	cr_expect(known, "%s has no test in test_cli_config.c", path);
	++*(int *)data;
}

Test(cli_config, every_case_has_a_test)
{
	struct strbuf dir = STRBUF_INIT;
	int n = 0;

	strbuf_addf(&dir, "%s/%s", top.buf, CASES);
	ma_walk_files(dir.buf, count_case, &n);
	cr_expect_gt(n, 20, "only %d cases", n);
	strbuf_release(&dir);
}
