/*
 * memaudit audit: find the compile database (or capture one with bear),
 * run the static pass over its translation units, and write the reports.
 *
 *   memaudit audit -p build                 build/compile_commands.json
 *   memaudit audit --compile-db FILE
 *   memaudit audit -- make -j8              capture the build with bear first
 *   memaudit audit -p build --run 'make test'
 *                                           then run the tests under memcheck
 *   memaudit audit --build make --run 'make test' --sanitize address,undefined
 *                                           build with clang's sanitizers (the build
 *                                           captured with bear too), run the tests
 */
#include "builtin.h"
#include "audit.h"
#include "../analyzers/dynamic/dynamic_pass.h"
#include "../analyzers/dynamic/sanitize_build.h"
#include "../analyzers/static/static_pass.h"
#include "../core/alloc.h"
#include "../core/baseline.h"
#include "../core/compdb.h"
#include "../core/config.h"
#include "../core/fs.h"
#include "../core/parse-options.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/rules.h"
#include "../core/shard.h"
#include "../core/spawn.h"
#include "../core/strbuf.h"
#include "../core/strvec.h"
#include "../core/suppress.h"
#include "audit_changed.h"
#include "../reporters/baseline_file.h"
#include "../reporters/reporter.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static const char *const audit_usage[] = {
	"memaudit audit [-p DIR | --compile-db FILE] [options]",
	"memaudit audit [options] -- BUILD COMMAND...",
	"memaudit audit [-p DIR] --run 'TEST COMMAND' [--timeout SECS] [options]",
	"memaudit audit [-p DIR] --build 'BUILD COMMAND' --run 'TEST COMMAND' --sanitize LIST [options]",
	NULL,
};


static double now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ------------------------------------------------------------------ */
/* Options                                                             */

static int parse_audit_options(struct audit_state *st, int argc, const char **argv)
{
	struct audit_opts *o = &st->o;
	int n, timeout_s = 0, run_timeout_s = -1;
	struct option opts[] = {
		OPT_GROUP("Input"),
		OPT_STRING('p', "build-dir", &o->build_dir, "DIR", "read DIR/compile_commands.json"),
		OPT_STRING(0, "compile-db", &o->compile_db, "FILE", "read this compile database"),
		OPT_LIST(0, "files", &o->files, "GLOB", "analyse only files matching GLOB (repeatable)"),
		OPT_STRING(0, "root", &o->root, "DIR", "project root; report paths are relative to it"),
		OPT_STRING(0, "config", &o->config, "FILE", "read this configuration (default: the nearest .memaudit.yml from here up)"),
		OPT_BOOL(0, "no-config", &o->no_config, "read no .memaudit.yml"),
		OPT_STRING(0, "build", &o->build, "CMD", "build with CMD first (captured with bear unless -p or --compile-db)"),
		OPT_INTEGER(0, "build-timeout", &timeout_s, "SECS", "kill the build after SECS"),
		OPT_GROUP("Analysis"),
		OPT_INTEGER('j', "jobs", &o->jobs, "N", "parse N translation units at once (default: all cores)"),
		OPT_LIST(0, "rules", &o->rules, "IDS", "run only these rules (comma-separated; 'none': parse only)"),
		OPT_STRING(0, "changed-since", &o->changed_since, "REF", "audit only the units that are or include a file changed since git REF"),
		OPT_BOOL(0, "new-code-only", &o->new_code_only, "report only findings on lines changed since --changed-since REF"),
		OPT_STRING(0, "shard", &o->shard, "K/N", "analyse shard K of N (split by size; dynamic passes in shard 1 only); see 'memaudit merge'"),
		OPT_GROUP("Dynamic passes"),
		OPT_STRING(0, "run", &o->run, "CMD", "run CMD (the project's tests) under the dynamic passes"),
		OPT_LIST(0, "dynamic", &o->dynamic, "LIST", "memcheck (default), helgrind, drd, massif, dhat, callgrind, sanitizers"),
		OPT_INTEGER(0, "timeout", &run_timeout_s, "SECS", "kill the --run command after SECS"),
		OPT_STRING(0, "sanitize", &o->sanitize, "LIST", "build again with clang -fsanitize=LIST (address,undefined or thread) and run CMD with the sanitizers"),
		OPT_LIST(0, "skip-program", &o->skip, "GLOB", "run matching programs, and all they start, without Valgrind (repeatable)"),
		OPT_GROUP("Output"),
		OPT_STRING('o', "output", &o->output, "DIR", "write reports into DIR (default: memaudit-out)"),
		OPT_LIST(0, "format", &o->formats, "LIST", "report formats: text,json,sarif,html,codequality (default: text,json,sarif,html)"),
		OPT_STRING(0, "fail-on", &o->fail_on, "LEVEL", "exit 1 on findings at or above LEVEL: error, warning, note, none (default: warning)"),
		OPT_BOOL('q', "quiet", &o->quiet, "print no progress and no report on stdout"),
		OPT_BOOL('v', "verbose", &o->verbose, "print each translation unit as it is done"),
		OPT_BOOL(0, "report-unused-suppressions", &o->report_unused, "report inline suppressions that matched no finding"),
		OPT_GROUP("Baseline"),
		OPT_STRING(0, "baseline", &o->baseline, "FILE", "mark findings new or unchanged against FILE (memaudit baseline save, or a report.json)"),
		OPT_STRING(0, "show", &o->show, "WHAT", "with --baseline, the text report lists: new (default), known or all (both: every finding)"),
		OPT_BOOL(0, "fail-on-new", &o->fail_on_new, "exit 1 only for new findings at or above --fail-on (needs --baseline)"),
		OPT_END(),
	};

	n = parse_options(argc, argv, opts, audit_usage, 0, &st->err);
	if (n == PARSE_OPT_HELP)
		return PARSE_OPT_HELP;
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++)
		strvec_push(&o->build_cmd, argv[i]);
	o->build_timeout = timeout_s > 0 ? (long)timeout_s * 1000 : 0;
	/* -1: not given, so the configuration's may apply */
	o->run_timeout = run_timeout_s > 0 ? (long)run_timeout_s * 1000 : run_timeout_s < 0 ? -1 : 0;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The configuration file (core/config.h, docs/config.md)              */

static const struct ma_config_vocab config_vocab = { ma_dynamic_pass_known, ma_sanitizer_unknown };

/* --config FILE, else the nearest .memaudit.yml from the current
 * directory up; none with --no-config. */
static int load_config(struct audit_state *st)
{
	struct strbuf path = STRBUF_INIT, cwd = STRBUF_INIT;
	int ret = 0;

	if (st->o.config && st->o.no_config) {
		strbuf_addstr(&st->err, "give only one of --config FILE and --no-config");
		return -1;
	}
	if (st->o.config)
		strbuf_addstr(&path, st->o.config);
	else if (!st->o.no_config && (ret = ma_getcwd(&cwd, &st->err)) == 0)
		ma_config_find(cwd.buf, &path);
	if (!ret && path.len)
		ret = ma_config_load(&st->cfg, path.buf, &config_vocab, &st->err);
	strbuf_release(&path);
	strbuf_release(&cwd);
	return ret;
}

/* The file's dynamic settings, for a run: without one they mean nothing. */
static void merge_dynamic_config(struct audit_opts *o, const struct ma_config *c)
{
	if (!o->run)
		return;
	if (!o->sanitize)
		o->sanitize = c->sanitize;
	if (!o->dynamic.nr)
		strvec_pushv(&o->dynamic, c->passes.v);
	if (!o->skip.nr)
		strvec_pushv(&o->skip, c->skip_programs.v);
	if (o->run_timeout < 0 && c->timeout > 0)
		o->run_timeout = c->timeout * 1000;
}

/* -j not given: the configuration's may apply (a negative -j is an error). */
#define JOBS_UNSET INT_MIN

/* The file's settings where the command line gave none: flags win. */
static int configure(struct audit_state *st)
{
	struct audit_opts *o = &st->o;
	const struct ma_config *c = &st->cfg;

	if (load_config(st) < 0)
		return -1;
	if (!o->fail_on)
		o->fail_on = c->fail_on;
	if (!o->baseline)
		o->baseline = c->baseline;
	if (!o->fail_on_new && c->fail_on_new > 0) /* a flag can only turn it on */
		o->fail_on_new = 1;
	if (o->jobs == JOBS_UNSET)
		o->jobs = c->jobs < 0 ? 0 : c->jobs;
	if (!o->run)
		o->run = c->run;
	if (!o->build && !o->build_cmd.nr)
		o->build = c->build;
	merge_dynamic_config(o, c);
	if (o->run_timeout < 0)
		o->run_timeout = 0;
	st->config_rules = !o->rules.nr && ma_config_selects_rules(c);
	if (st->config_rules) /* the static pass runs only the enabled checkers */
		ma_config_enabled_rules(c, &o->rules);
	st->rep.run.config = c->path ? ma_strdup(c->path) : NULL;
	return 0;
}

/* Checked before the build is captured, so a typo does not cost a build.
 * "none" runs no checker at all: the parse-only floor of bench/. */
static int check_rule_ids(const struct strvec *ids, struct strbuf *err)
{
	for (size_t i = 0; i < ids->nr; i++) {
		if (strcmp(ids->v[i], "none") && !ma_rule_find(ids->v[i])) {
			strbuf_addf(err, "unknown rule '%s' in --rules (see 'memaudit rules')", ids->v[i]);
			return -1;
		}
	}
	return 0;
}

/* --run splits into words (no shell: 'sh -c ...' when one is wanted);
 * --dynamic names passes this build has. */
static int check_dynamic_options(struct audit_state *st)
{
	struct audit_opts *o = &st->o;

	if (!o->run) {
		if (o->dynamic.nr)
			strbuf_addstr(&st->err, "--dynamic needs --run CMD: the command to run under them");
		return o->dynamic.nr ? -1 : 0;
	}
	if (strvec_split_words(&o->run_argv, o->run, &st->err) < 0) {
		strbuf_addf(&st->err, " given to --run: '%s'", o->run);
		return -1;
	}
	for (size_t i = 0; i < o->dynamic.nr; i++) {
		if (!ma_dynamic_pass_known(o->dynamic.v[i])) {
			strbuf_addf(&st->err, "--dynamic: unknown pass '%s' (memcheck, helgrind, drd, massif, dhat, callgrind, sanitizers)",
				    o->dynamic.v[i]);
			return -1;
		}
	}
	return 0;
}

int audit_names_pass(const struct strvec *passes, const char *name)
{
	for (size_t i = 0; i < passes->nr; i++)
		if (!strcmp(passes->v[i], name))
			return 1;
	return 0;
}

/* --build is -- BUILD COMMAND as one string.  --sanitize needs a build to
 * instrument and a command to run, and brings the sanitizers pass. */
static int check_build_options(struct audit_state *st)
{
	struct audit_opts *o = &st->o;
	const char *bad;
	size_t len;

	if (o->build && o->build_cmd.nr) {
		strbuf_addstr(&st->err, "give the build command once: --build 'CMD' or -- CMD");
		return -1;
	}
	if (o->build && (strvec_split_words(&o->build_cmd, o->build, &st->err) < 0 || !o->build_cmd.nr)) {
		strbuf_addf(&st->err, "%s--build needs a command, not '%s'", st->err.len ? " given to " : "", o->build);
		return -1;
	}
	if (!o->sanitize)
		return 0;
	if (!o->build_cmd.nr || !o->run) {
		strbuf_addstr(&st->err, "--sanitize needs --build 'CMD' (the build to instrument) and --run 'CMD' "
			      "(the program or tests to run)");
		return -1;
	}
	if ((bad = ma_sanitizer_unknown(o->sanitize, &len))) {
		strbuf_addf(&st->err, "--sanitize: unknown sanitizer '%.*s' (clang's -fsanitize= names: address, "
			    "undefined, leak, thread, ...)", (int)len, bad);
		return -1;
	}
	if (ma_sanitizers_compatible(o->sanitize, &st->err) < 0)
		return -1;
	if (!audit_names_pass(&o->dynamic, "sanitizers"))
		strvec_push(&o->dynamic, "sanitizers");
	return 0;
}

/*
 * --shard K/N.  The dynamic passes run the whole test suite, which does
 * not split by translation unit: shard 1 runs them (and the sanitizer
 * build they need), the other shards only the static pass.
 */
static int check_shard_option(struct audit_state *st)
{
	struct audit_opts *o = &st->o;

	if (!o->shard)
		return 0;
	if (ma_shard_parse(o->shard, &st->shard, &st->err) < 0)
		return -1;
	if (st->shard.index != 1) {
		o->run = NULL;
		o->sanitize = NULL;
		strvec_clear(&o->dynamic);
	}
	return 0;
}

static int check_baseline_options(const struct audit_opts *o, struct strbuf *err)
{
	if (o->fail_on_new && !o->baseline) {
		strbuf_addstr(err, "--fail-on-new needs --baseline FILE: the findings to tell new ones from");
		return -1;
	}
	if (o->show && strcmp(o->show, "new") && strcmp(o->show, "known") && strcmp(o->show, "all")) {
		strbuf_addf(err, "--show takes new, known or all, not '%s'", o->show);
		return -1;
	}
	return 0;
}

static int check_audit_options(struct audit_state *st)
{
	struct audit_opts *o = &st->o;

	if (o->build_dir && o->compile_db) {
		strbuf_addstr(&st->err, "give only one of -p DIR and --compile-db FILE");
		return -1;
	}
	if (!o->formats.nr)
		strvec_pushl(&o->formats, "text", "json", "sarif", "html", NULL);
	if (ma_formats_validate(&o->formats, &st->err) < 0)
		return -1;
	if (!o->fail_on)
		o->fail_on = "warning";
	if (parse_fail_on(o->fail_on, &st->fail_level, &st->fail_never, &st->err) < 0)
		return -1;
	if (check_rule_ids(&o->rules, &st->err) < 0 || check_baseline_options(o, &st->err) < 0)
		return -1;
	if (o->new_code_only && !o->changed_since) {
		strbuf_addstr(&st->err, "--new-code-only needs --changed-since REF (the changes it keeps findings on)");
		return -1;
	}
	if (o->changed_since && (!*o->changed_since || o->changed_since[0] == '-')) {
		strbuf_addf(&st->err, "--changed-since takes a git revision, not '%s'", o->changed_since);
		return -1;
	}
	if (o->jobs < 0) {
		strbuf_addstr(&st->err, "--jobs must be 0 (all cores) or more");
		return -1;
	}
	if (!o->output)
		o->output = "memaudit-out";
	if (check_build_options(st) < 0 || check_dynamic_options(st) < 0)
		return -1;
	return check_shard_option(st);
}

/* ------------------------------------------------------------------ */
/* Running and reporting                                               */

static int run_static(struct audit_state *st, struct ma_report *rep, struct strbuf *err, int progress)
{
	struct ma_static_opts so = {
		.jobs = st->o.jobs,
		.progress = progress,
		.verbose = st->o.verbose,
		.only = &st->o.rules,
	};

	return ma_static_run(st->selected, st->nr_selected, &so, rep, err);
}

/*
 * The static pass on a thread of its own while the dynamic passes run: the
 * two do not depend on each other, and Valgrind keeps one core busy for
 * the whole run while libclang would otherwise wait for it (or it for
 * libclang).  The thread only reads `st` and writes `rep` and `err`.
 */
struct static_job {
	struct audit_state *st;
	struct ma_report rep;
	struct strbuf err;
	pthread_t thread;
	int started;
	int ret;
};

static void *static_job_main(void *arg)
{
	struct static_job *job = arg;

	job->ret = run_static(job->st, &job->rep, &job->err, 0);
	return NULL;
}

static void start_static_job(struct static_job *job, struct audit_state *st)
{
	job->st = st;
	ma_report_init(&job->rep);
	strbuf_init(&job->err, 0);
	ma_static_prepare();
	if (!st->o.quiet)
		fprintf(stderr, "memaudit: analysing %zu translation unit%s alongside the run\n",
			st->nr_selected, st->nr_selected == 1 ? "" : "s");
	job->started = !pthread_create(&job->thread, NULL, static_job_main, job);
	if (!job->started) /* no thread: the static pass first, as without --run */
		static_job_main(job);
}

/* The static pass's findings ahead of the dynamic ones; its error in err. */
static int finish_static_job(struct static_job *job, struct audit_state *st, struct strbuf *err)
{
	int ret;

	if (job->started)
		pthread_join(job->thread, NULL);
	ret = job->ret;
	if (ret < 0)
		strbuf_addbuf(err, &job->err);
	ma_report_take_first(&st->rep, &job->rep);
	strbuf_release(&job->err);
	return ret;
}

/* The sanitizers' run, in the tree that was built with them: the command's
 * words that name the tree name the copy, when there is one. */
static int run_sanitized(struct audit_state *st, struct ma_dynamic_opts *o)
{
	static const char *const sanitizers[] = { "sanitizers", NULL };
	struct strvec argv = STRVEC_INIT;
	struct strbuf root = STRBUF_INIT, word = STRBUF_INIT;
	int ret;

	for (size_t i = 0; i < st->o.run_argv.nr; i++) {
		ma_sanitize_build_to_copy(&st->san, st->o.run_argv.v[i], &word);
		strvec_push(&argv, word.buf);
	}
	ma_sanitize_build_to_copy(&st->san, st->rep.run.root, &root);
	o->run = argv.v;
	o->passes = sanitizers;
	o->root = root.buf;
	o->cwd = st->san.run_cwd.buf;
	ret = ma_dynamic_run(o, &st->rep, &st->err);
	strvec_clear(&argv);
	strbuf_release(&root);
	strbuf_release(&word);
	return ret;
}

/* The Valgrind passes in the tree as it is, then the sanitizers in the
 * sanitizer build when there is one. */
static int run_dynamic(struct audit_state *st)
{
	struct strbuf log = STRBUF_INIT;
	struct strvec valgrind = STRVEC_INIT;
	struct ma_dynamic_opts o = {
		.run = st->o.run_argv.v,
		.skip = st->o.skip.v,
		.root = st->rep.run.root,
		.timeout_ms = st->o.run_timeout,
		.quiet = st->o.quiet,
	};
	int ret = 0;

	if (st->o.quiet && ma_mkdir_p(st->o.output, &st->err) == 0) {
		strbuf_addf(&log, "%s/run.log", st->o.output);
		o.log_path = log.buf;
	}
	strbuf_reset(&st->err);
	for (size_t i = 0; i < st->o.dynamic.nr; i++)
		if (!st->built_sanitized || strcmp(st->o.dynamic.v[i], "sanitizers"))
			strvec_push(&valgrind, st->o.dynamic.v[i]);
	if (!st->o.quiet) {
		char *passes = st->o.dynamic.nr ? strvec_join(&st->o.dynamic, ",") : ma_strdup("memcheck");
		fprintf(stderr, "memaudit: running under %s: %s\n", passes, st->o.run);
		free(passes);
	}
	if (valgrind.nr || !st->o.dynamic.nr) {
		o.passes = valgrind.v;
		ret = ma_dynamic_run(&o, &st->rep, &st->err);
	}
	if (!ret && st->built_sanitized)
		ret = run_sanitized(st, &o);
	strvec_clear(&valgrind);
	strbuf_release(&log);
	return ret;
}

/* Inline suppressions (docs/suppressions.md), read from the units analysed
 * and from every file a finding is in. */
static void apply_suppressions(struct audit_state *st)
{
	struct strvec units = STRVEC_INIT;
	struct ma_suppress_opts so = { .files = &units, .only = &st->o.rules, .report_unused = st->o.report_unused };

	for (size_t i = 0; i < st->nr_selected; i++)
		strvec_push(&units, st->selected[i]->file);
	ma_suppressions_apply(&st->rep, &so);
	strvec_clear(&units);
}

/* Findings new or unchanged against --baseline; the text report lists the
 * known ones only when --show asks. */
static void apply_baseline(struct audit_state *st)
{
	if (!st->o.baseline)
		return;
	ma_baseline_apply(&st->rep, st->o.baseline, &st->baseline);
	st->rep.run.baseline->show_known = st->o.show && strcmp(st->o.show, "new");
}

static int write_reports(struct audit_state *st, struct ma_ctx *ctx)
{
	struct strvec written = STRVEC_INIT;
	int ret = ma_reporters_write(&st->rep, &st->o.formats, st->o.output, &written, &st->err);

	if (!st->o.quiet)
		print_text_report(&st->rep, &written, ctx);
	strvec_clear(&written);
	return ret;
}

/* "bad.c:3:7: expected ';'" and how many more, for the one-line exit message. */
static void describe_failures(const struct ma_report *rep, struct strbuf *out)
{
	const struct ma_failure *f = &rep->run.failures[0];

	if (f->file) {
		strbuf_addstr(out, ma_path_relative(rep->run.root, f->file));
		if (f->line)
			strbuf_addf(out, ":%u:%u", f->line, f->column);
		strbuf_addstr(out, ": ");
	}
	strbuf_addstr(out, f->message);
	if (rep->run.nr_failures > 1)
		strbuf_addf(out, " (and %zu more)", rep->run.nr_failures - 1);
}

/*
 * The exit code, and for a non-zero one its reason as one line on stderr
 * (even with --quiet: a CI log must say why the step failed).
 */
static int exit_code(const struct audit_state *st)
{
	const struct ma_report *rep = &st->rep;
	size_t n = st->fail_never ? 0 : st->o.fail_on_new ? ma_findings_count_new_at_least(&rep->findings, st->fail_level)
			       : ma_findings_count_at_least(&rep->findings, st->fail_level);
	struct strbuf why = STRBUF_INIT;

	if (rep->run.partial && rep->run.nr_failures) {
		describe_failures(rep, &why);
		error_exit(MA_EXIT_INCOMPLETE, "audit incomplete, reports marked partial: %s", why.buf);
		strbuf_release(&why);
		return MA_EXIT_INCOMPLETE;
	}
	if (rep->run.partial)
		return error_exit(MA_EXIT_INCOMPLETE, "audit incomplete, reports marked partial");
	if (n)
		fprintf(stderr, "memaudit: %zu %sfinding%s at or above --fail-on %s\n", n, st->o.fail_on_new ? "new " : "",
			n == 1 ? "" : "s", st->o.fail_on);
	return n ? MA_EXIT_FINDINGS : MA_EXIT_OK;
}

static void audit_release(struct audit_state *st)
{
	ma_changes_release(&st->changes);
	if (st->tmpdir.len)
		ma_remove_tree(st->tmpdir.buf);
	strbuf_release(&st->tmpdir);
	strbuf_release(&st->build_how);
	strbuf_release(&st->db_path);
	if (st->built_sanitized)
		ma_sanitize_build_release(&st->san);
	strbuf_release(&st->san_base);
	strbuf_release(&st->san_cwd);
	strbuf_release(&st->build_log);
	strbuf_release(&st->err);
	strvec_clear(&st->o.formats);
	strvec_clear(&st->o.files);
	strvec_clear(&st->o.rules);
	strvec_clear(&st->o.build_cmd);
	strvec_clear(&st->o.run_argv);
	strvec_clear(&st->o.dynamic);
	strvec_clear(&st->o.skip);
	free(st->selected);
	ma_config_release(&st->cfg);
	ma_baseline_entries_release(&st->baseline);
	ma_compdb_release(&st->db);
	ma_report_release(&st->rep);
}

static int audit(struct audit_state *st, struct ma_ctx *ctx)
{
	double wall0 = now_wall(), cpu0 = cpu_seconds();

	st->rep.run.started = (long long)time(NULL);
	for (int i = 0; i < ctx->argc; i++)
		strvec_push(&st->rep.run.command, ctx->argv[i]);
	if ((st->o.baseline && ma_baseline_read(st->o.baseline, &st->baseline, &st->err) < 0) || audit_load_units(st) < 0)
		return error_exit(MA_EXIT_USAGE, "%s", st->err.buf);
	strvec_push(&st->rep.run.passes, "static");
	if (!st->o.run) {
		if (run_static(st, &st->rep, &st->err, !st->o.quiet) < 0)
			return error_exit(MA_EXIT_USAGE, "%s", st->err.buf);
	} else {
		struct static_job job;
		struct strbuf ignored = STRBUF_INIT;

		start_static_job(&job, st);
		if (run_dynamic(st) < 0) {
			finish_static_job(&job, st, &ignored);
			strbuf_release(&ignored);
			return error_exit(MA_EXIT_USAGE, "%s", st->err.buf);
		}
		strbuf_reset(&st->err);
		if (finish_static_job(&job, st, &st->err) < 0)
			return error_exit(MA_EXIT_USAGE, "%s", st->err.buf);
	}
	if (st->san.copy.len)
		ma_report_move_paths(&st->rep, st->san.copy.buf, st->san_base.buf);
	ma_findings_confirm(&st->rep.findings);
	ma_findings_finalize(&st->rep.findings, st->rep.run.root);
	ma_config_apply(&st->cfg, &st->rep.findings, st->config_rules);
	apply_suppressions(st);
	if (st->o.new_code_only)
		ma_keep_findings_on_changed_lines(&st->rep.findings, &st->changes, &st->rep.run);
	apply_baseline(st);
	st->rep.run.wall_seconds = now_wall() - wall0;
	st->rep.run.cpu_seconds = cpu_seconds() - cpu0;
	if (write_reports(st, ctx) < 0)
		return error_exit(MA_EXIT_USAGE, "%s", st->err.buf);
	return exit_code(st);
}

int cmd_audit(int argc, const char **argv, struct ma_ctx *ctx)
{
	struct audit_state st = { .db = MA_COMPDB_INIT, .err = STRBUF_INIT, .tmpdir = STRBUF_INIT,
				  .build_how = STRBUF_INIT, .db_path = STRBUF_INIT, .san_base = STRBUF_INIT,
				  .san_cwd = STRBUF_INIT, .build_log = STRBUF_INIT, .cfg = MA_CONFIG_INIT };
	int ret;

	strvec_init(&st.o.formats);
	strvec_init(&st.o.files);
	strvec_init(&st.o.rules);
	strvec_init(&st.o.build_cmd);
	strvec_init(&st.o.run_argv);
	strvec_init(&st.o.dynamic);
	strvec_init(&st.o.skip);
	ma_report_init(&st.rep);
	st.o.jobs = JOBS_UNSET;
	ret = parse_audit_options(&st, argc - 1, argv + 1);
	if (ret == PARSE_OPT_HELP)
		ret = MA_EXIT_OK;
	else if (ret < 0 || configure(&st) < 0 || check_audit_options(&st) < 0)
		ret = error_exit(MA_EXIT_USAGE, "%s", st.err.buf);
	else
		ret = audit(&st, ctx);
	audit_release(&st);
	return ret;
}
