/*
 * Unit tests for core/config.c: .memaudit.yml read from YAML strings, its
 * errors (each with the file, line and column), the walk up to find it,
 * and what it does to a set of findings.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "../../analyzers/dynamic/dynamic_pass.h"
#include "../../analyzers/dynamic/sanitize_build.h"
#include "../../core/config.h"
#include "../../core/finding.h"
#include "../../core/fs.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"

static const struct ma_config_vocab vocab = { ma_dynamic_pass_known, ma_sanitizer_unknown };

/* Parse text as t.yml in /proj; the error (empty on success) in err. */
static int parse(struct ma_config *c, const char *text, struct strbuf *err)
{
	ma_config_init(c);
	strbuf_init(err, 0);
	return ma_config_parse(c, "t.yml", "/proj", text, strlen(text), &vocab, err);
}

/* text must fail with exactly this error line. */
static void expect_error(const char *text, const char *want)
{
	struct ma_config c;
	struct strbuf err;

	cr_expect_eq(parse(&c, text, &err), -1, "parsed: %s", text);
	cr_expect_str_eq(err.buf, want, "for:\n%s", text);
	cr_expect_null(strchr(err.buf, '\n'), "one line: %s", err.buf);
	ma_config_release(&c);
	strbuf_release(&err);
}

static void expect_error_prefix(const char *text, const char *prefix)
{
	struct ma_config c;
	struct strbuf err;

	cr_expect_eq(parse(&c, text, &err), -1, "parsed: %s", text);
	cr_expect(starts_with(err.buf, prefix), "expected '%s...', got '%s'", prefix, err.buf);
	cr_expect_null(strchr(err.buf, '\n'), "one line: %s", err.buf);
	ma_config_release(&c);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

Test(config, full_example)
{
	static const char text[] =
		"version: 1\n"
		"rules:\n"
		"  enable: ['*']\n"
		"  disable: [dangerous-function, '*-leak']\n"
		"  severity:\n"
		"    unchecked-return: note\n"
		"    use-after-free: error\n"
		"exclude:\n"
		"  - third_party/**\n"
		"  - build/gen/*.c\n"
		"dynamic:\n"
		"  run: make test\n"
		"  passes: [memcheck, helgrind]\n"
		"  timeout: 600\n"
		"  skip_programs: ['*/python3']\n"
		"  sanitize: address,undefined\n"
		"  build: make -j2\n"
		"fail_on: error\n"
		"jobs: 4\n";
	struct ma_config c;
	struct strbuf err;

	cr_assert_eq(parse(&c, text, &err), 0, "%s", err.buf);
	cr_expect_eq(c.enable.nr, 1);
	cr_expect_eq(c.disable.nr, 2);
	cr_expect_str_eq(c.disable.v[1], "*-leak");
	cr_assert_eq(c.nr_severity, 2);
	cr_expect_str_eq(c.severity[0].rule, "unchecked-return");
	cr_expect_eq(c.severity[0].severity, MA_SEV_NOTE);
	cr_expect_eq(c.severity[1].severity, MA_SEV_ERROR);
	cr_expect_eq(c.exclude.nr, 2);
	cr_expect_str_eq(c.exclude.v[0], "third_party/**");
	cr_expect_str_eq(c.run, "make test");
	cr_expect_eq(c.passes.nr, 2);
	cr_expect_str_eq(c.passes.v[1], "helgrind");
	cr_expect_eq(c.timeout, 600);
	cr_expect_str_eq(c.skip_programs.v[0], "*/python3");
	cr_expect_str_eq(c.sanitize, "address,undefined");
	cr_expect_str_eq(c.build, "make -j2");
	cr_expect_str_eq(c.fail_on, "error");
	cr_expect_eq(c.jobs, 4);
	cr_expect_str_eq(c.dir, "/proj");
	ma_config_release(&c);
	strbuf_release(&err);
}

Test(config, empty_file_sets_nothing)
{
	static const char *const texts[] = { "", "# only a comment\n", "---\n", "~\n" };

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct ma_config c;
		struct strbuf err;

		cr_expect_eq(parse(&c, texts[i], &err), 0, "'%s': %s", texts[i], err.buf);
		cr_expect_null(c.fail_on);
		cr_expect_null(c.run);
		cr_expect_eq(c.jobs, -1);
		cr_expect_eq(c.timeout, -1);
		cr_expect_eq(c.exclude.nr, 0);
		cr_expect_not(ma_config_selects_rules(&c));
		ma_config_release(&c);
		strbuf_release(&err);
	}
}

Test(config, one_word_is_a_list_and_null_is_empty)
{
	struct ma_config c;
	struct strbuf err;

	cr_assert_eq(parse(&c, "exclude: vendor\nrules:\n  disable:\ndynamic:\n", &err), 0, "%s", err.buf);
	cr_expect_eq(c.exclude.nr, 1);
	cr_expect_str_eq(c.exclude.v[0], "vendor");
	cr_expect_eq(c.disable.nr, 0);
	ma_config_release(&c);
	strbuf_release(&err);
}

Test(config, quoted_none_is_a_value)
{
	struct ma_config c;
	struct strbuf err;

	cr_assert_eq(parse(&c, "fail_on: 'none'\njobs: 0\n", &err), 0, "%s", err.buf);
	cr_expect_str_eq(c.fail_on, "none");
	cr_expect_eq(c.jobs, 0);
	ma_config_release(&c);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

Test(config, unknown_key)
{
	expect_error("version: 1\nrulez:\n  enable: [x]\n",
		     "t.yml:2:1: unknown key 'rulez' (known: version, rules, exclude, dynamic, fail_on, jobs, "
		     "baseline, fail_on_new)");
	expect_error("dynamic:\n  runn: make test\n",
		     "t.yml:2:3: unknown key 'runn' in 'dynamic' (known: run, passes, timeout, skip_programs, "
		     "sanitize, build)");
	expect_error("rules:\n  enabled: [use-after-free]\n",
		     "t.yml:2:3: unknown key 'enabled' in 'rules' (known: enable, disable, severity)");
}

Test(config, bad_values)
{
	expect_error("fail_on: critical\n",
		     "t.yml:1:10: bad value for 'fail_on': 'critical' (error, warning, note or none)");
	expect_error("version: 2\n", "t.yml:1:10: bad value for 'version': '2' (1, the only version)");
	expect_error("jobs: -1\n", "t.yml:1:7: bad value for 'jobs': '-1' (a whole number: 0 for all cores)");
	expect_error("jobs: four\n", "t.yml:1:7: bad value for 'jobs': 'four' (a whole number: 0 for all cores)");
	expect_error("jobs:\n", "t.yml:1:6: bad value for 'jobs': '' (a whole number: 0 for all cores)");
	expect_error("dynamic:\n  timeout: 0\n",
		     "t.yml:2:12: bad value for 'dynamic.timeout': '0' (seconds, a whole number above 0)");
	expect_error("dynamic:\n  run: [make, test]\n",
		     "t.yml:2:8: bad value for 'dynamic.run': a list (the test command, as --run takes it)");
	expect_error("exclude: {a: b}\n", "t.yml:1:10: bad value for 'exclude': a mapping (a list of path globs)");
	expect_error("rules: [use-after-free]\n",
		     "t.yml:1:8: bad value for 'rules': a list (a mapping: enable, disable, severity)");
}

Test(config, baseline_relative_to_its_directory_and_fail_on_new)
{
	struct ma_config c;
	struct strbuf err;

	cr_assert_eq(parse(&c, "baseline: ci/base.json\nfail_on_new: yes\n", &err), 0, "%s", err.buf);
	cr_expect_str_eq(c.baseline, "/proj/ci/base.json");
	cr_expect_eq(c.fail_on_new, 1);
	ma_config_release(&c);
	strbuf_release(&err);
	cr_assert_eq(parse(&c, "baseline: /abs/b.json\nfail_on_new: false\n", &err), 0, "%s", err.buf);
	cr_expect_str_eq(c.baseline, "/abs/b.json");
	cr_expect_eq(c.fail_on_new, 0);
	ma_config_release(&c);
	strbuf_release(&err);
	cr_assert_eq(parse(&c, "version: 1\n", &err), 0, "%s", err.buf);
	cr_expect_null(c.baseline);
	cr_expect_eq(c.fail_on_new, -1, "unset");
	ma_config_release(&c);
	strbuf_release(&err);
	expect_error("fail_on_new: maybe\n", "t.yml:1:14: bad value for 'fail_on_new': 'maybe' (true or false)");
	expect_error("baseline: ''\n", "t.yml:1:11: bad value for 'baseline': '' (a file: a baseline (memaudit "
		     "baseline save) or a report.json)");
}

Test(config, bad_value_quoted_on_one_line)
{
	expect_error("fail_on: |\n  two\n  lines\n",
		     "t.yml:1:10: bad value for 'fail_on': 'two?lines?' (error, warning, note or none)");
}

Test(config, unknown_rules)
{
	expect_error("rules:\n  enable: [use-after-free, use-after-fre]\n",
		     "t.yml:2:28: unknown rule 'use-after-fre' in 'rules.enable' (see 'memaudit rules')");
	expect_error("rules:\n  disable:\n    - 'nothing-*'\n",
		     "t.yml:3:7: the glob 'nothing-*' in 'rules.disable' matches no rule (see 'memaudit rules')");
	expect_error("rules:\n  severity:\n    double-freed: note\n",
		     "t.yml:3:5: unknown rule 'double-freed' in 'rules.severity' (see 'memaudit rules')");
	expect_error("rules:\n  severity:\n    double-free: critical\n",
		     "t.yml:3:18: bad value for 'rules.severity': 'critical' (error, warning or note)");
}

Test(config, unknown_pass_and_sanitizer)
{
	expect_error("dynamic:\n  passes: [memcheck, massive]\n",
		     "t.yml:2:22: bad value for 'dynamic.passes': unknown pass 'massive' (memcheck, helgrind, drd, "
		     "massif, dhat, callgrind, sanitizers)");
	expect_error_prefix("dynamic:\n  sanitize: address,bogus\n",
			    "t.yml:2:13: bad value for 'dynamic.sanitize': unknown sanitizer 'bogus'");
}

Test(config, not_a_mapping)
{
	expect_error("- version: 1\n",
		     "t.yml:1:1: the configuration must be a mapping of keys (version, rules, exclude, dynamic, "
		     "fail_on, jobs, baseline, fail_on_new), not a list");
	expect_error("just words\n",
		     "t.yml:1:1: the configuration must be a mapping of keys (version, rules, exclude, dynamic, "
		     "fail_on, jobs, baseline, fail_on_new), not a scalar");
}

Test(config, repeated_key)
{
	expect_error("jobs: 2\nfail_on: note\njobs: 3\n", "t.yml:3:1: key 'jobs' given twice (first on line 1)");
}

Test(config, yaml_syntax_errors_keep_libyaml_place_and_message)
{
	expect_error("rules:\n  enable: [use-after-free\nfail_on: note\n",
		     "t.yml:3:8: did not find expected ',' or ']' (while parsing a flow sequence at line 2)");
	expect_error("jobs: 2\n  fail_on: note\n",
		     "t.yml:2:10: mapping values are not allowed in this context");
	expect_error("exclude:\n\t- vendor\n",
		     "t.yml:2:1: found character that cannot start any token (while scanning for the next token at line 2)");
}

Test(config, second_document)
{
	expect_error("jobs: 2\n---\njobs: 3\n", "t.yml:2:1: a second YAML document: the configuration is one");
}

Test(config, load_missing_file)
{
	struct ma_config c = MA_CONFIG_INIT;
	struct strbuf err = STRBUF_INIT;

	cr_expect_eq(ma_config_load(&c, "/nonexistent/.memaudit.yml", &vocab, &err), -1);
	cr_expect_str_eq(err.buf, "cannot open '/nonexistent/.memaudit.yml': No such file or directory");
	ma_config_release(&c);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Rules, paths, findings                                              */

Test(config, enable_then_disable)
{
	struct ma_config c;
	struct strbuf err;
	struct strvec ids = STRVEC_INIT;

	cr_assert_eq(parse(&c, "rules:\n  enable: ['*-leak', use-after-free]\n  disable: [thread-leak]\n", &err), 0,
		     "%s", err.buf);
	cr_expect(ma_config_selects_rules(&c));
	cr_expect(ma_config_rule_enabled(&c, "memory-leak"));
	cr_expect(ma_config_rule_enabled(&c, "use-after-free"));
	cr_expect_not(ma_config_rule_enabled(&c, "thread-leak"));
	cr_expect_not(ma_config_rule_enabled(&c, "double-free"));
	ma_config_enabled_rules(&c, &ids);
	for (size_t i = 0; i < ids.nr; i++)
		cr_expect(ma_config_rule_enabled(&c, ids.v[i]), "%s", ids.v[i]);
	cr_expect_eq(ids.nr, 4, "memory-leak, realloc-leak, resource-leak, use-after-free: got %zu", ids.nr);
	strvec_clear(&ids);
	ma_config_release(&c);
	strbuf_release(&err);
}

Test(config, disabling_everything_runs_no_checker)
{
	struct ma_config c;
	struct strbuf err;
	struct strvec ids = STRVEC_INIT;

	cr_assert_eq(parse(&c, "rules:\n  disable: ['*']\n", &err), 0, "%s", err.buf);
	ma_config_enabled_rules(&c, &ids);
	cr_assert_eq(ids.nr, 1);
	cr_expect_str_eq(ids.v[0], "none");
	strvec_clear(&ids);
	ma_config_release(&c);
	strbuf_release(&err);
}

Test(config, excludes_relative_to_its_directory)
{
	struct ma_config c;
	struct strbuf err;

	cr_assert_eq(parse(&c, "exclude: [third_party, 'build/gen/*.c', '/opt/vendor/**']\n", &err), 0, "%s", err.buf);
	cr_expect(ma_config_excludes(&c, "/proj/third_party/zlib/inflate.c"));
	cr_expect(ma_config_excludes(&c, "/proj/third_party/x.h"));
	cr_expect(ma_config_excludes(&c, "/proj/build/gen/parser.c"));
	cr_expect(ma_config_excludes(&c, "/opt/vendor/lib/a.c"));
	cr_expect_not(ma_config_excludes(&c, "/proj/build/gen/sub/parser.c"));
	cr_expect_not(ma_config_excludes(&c, "/proj/src/third_party.c"));
	cr_expect_not(ma_config_excludes(&c, "/elsewhere/third_party/x.c"), "outside the config's directory");
	ma_config_release(&c);
	strbuf_release(&err);
}

static struct ma_finding *finding(const char *rule, const char *file)
{
	struct ma_location loc;
	struct ma_finding *f;

	ma_location_set(&loc, file, 3, 1, "f");
	f = ma_finding_new(ma_rule_find(rule), "m", &loc, "static");
	ma_location_release(&loc);
	return f;
}

Test(config, apply_drops_and_overrides)
{
	static const char text[] =
		"exclude: [vendor]\n"
		"rules:\n"
		"  disable: [dangerous-function]\n"
		"  severity:\n"
		"    '*': note\n"
		"    use-after-free: warning\n";
	struct ma_findings set = MA_FINDINGS_INIT;
	struct ma_config c;
	struct strbuf err;

	cr_assert_eq(parse(&c, text, &err), 0, "%s", err.buf);
	ma_findings_add(&set, finding("use-after-free", "/proj/src/a.c"));
	ma_findings_add(&set, finding("dangerous-function", "/proj/src/a.c"));
	ma_findings_add(&set, finding("double-free", "/proj/vendor/x.h"));
	ma_findings_add(&set, finding("double-free", "/proj/src/b.c"));
	ma_config_apply(&c, &set, 1);
	cr_assert_eq(set.nr, 2);
	cr_expect_str_eq(set.items[0]->rule_id, "use-after-free");
	cr_expect_eq(set.items[0]->severity, MA_SEV_WARNING, "the last matching entry wins");
	cr_expect_str_eq(set.items[1]->loc.file, "/proj/src/b.c");
	cr_expect_eq(set.items[1]->severity, MA_SEV_NOTE);
	ma_findings_release(&set);
	ma_config_release(&c);
	strbuf_release(&err);
}

Test(config, apply_keeps_rules_when_told_to)
{
	struct ma_findings set = MA_FINDINGS_INIT;
	struct ma_config c;
	struct strbuf err;

	cr_assert_eq(parse(&c, "rules:\n  enable: [use-after-free]\n", &err), 0, "%s", err.buf);
	ma_findings_add(&set, finding("double-free", "/proj/src/b.c"));
	ma_config_apply(&c, &set, 0);
	cr_expect_eq(set.nr, 1, "--rules given: the file's rule selection is not applied");
	ma_config_apply(&c, &set, 1);
	cr_expect_eq(set.nr, 0);
	ma_findings_release(&set);
	ma_config_release(&c);
	strbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Finding the file                                                    */

static void put(const char *dir, const char *name, const char *text)
{
	struct strbuf p = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&p, "%s/%s", dir, name);
	cr_assert_eq(ma_write_file_atomic(p.buf, text, strlen(text), &err), 0, "%s", err.buf);
	strbuf_release(&p);
	strbuf_release(&err);
}

Test(config, find_walks_up_and_stops_at_the_repository)
{
	struct strbuf tmp = STRBUF_INIT, err = STRBUF_INIT, sub = STRBUF_INIT, found = STRBUF_INIT;
	struct strbuf want = STRBUF_INIT;

	cr_assert_eq(ma_mkdtemp(&tmp, "memaudit-config", &err), 0, "%s", err.buf);
	strbuf_addf(&sub, "%s/repo/src/deep", tmp.buf);
	cr_assert_eq(ma_mkdir_p(sub.buf, &err), 0, "%s", err.buf);
	put(tmp.buf, ".memaudit.yml", "jobs: 1\n");
	cr_expect(ma_config_find(sub.buf, &found), "no .git: the walk goes on up");
	strbuf_addf(&want, "%s/.memaudit.yml", tmp.buf);
	cr_expect_str_eq(found.buf, want.buf);

	strbuf_setlen(&sub, sub.len - strlen("/src/deep"));
	strbuf_addstr(&sub, "/.git");
	cr_assert_eq(ma_mkdir_p(sub.buf, &err), 0, "%s", err.buf);
	strbuf_setlen(&sub, sub.len - strlen("/.git"));
	strbuf_addstr(&sub, "/src/deep");
	strbuf_reset(&found);
	cr_expect_not(ma_config_find(sub.buf, &found), "found '%s' above the repository", found.buf);

	strbuf_setlen(&sub, sub.len - strlen("/deep"));
	put(sub.buf, ".memaudit.yml", "jobs: 2\n");
	strbuf_addstr(&sub, "/deep");
	cr_expect(ma_config_find(sub.buf, &found));
	cr_expect(ends_with(found.buf, "/repo/src/.memaudit.yml"), "%s", found.buf);
	ma_remove_tree(tmp.buf);
	strbuf_release(&tmp);
	strbuf_release(&err);
	strbuf_release(&sub);
	strbuf_release(&found);
	strbuf_release(&want);
}
