#include "static_pass.h"
#include "engine_internal.h"
#include "flow.h"
#include "flow_tu.h"
#include "ir.h"
#include "../../core/alloc.h"
#include "../../core/compdb.h"
#include "../../core/fs.h"
#include "../../core/progress.h"
#include "../../core/report.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef MA_CLANG_RESOURCE_DIR
#define MA_CLANG_RESOURCE_DIR ""
#endif

/* libclang recurses deeply on nested expressions: give workers room. */
#define WORKER_STACK (64u << 20)

struct unit_result {
	struct ma_findings findings;
	struct strvec dropped;    /* options libclang rejected, dropped on a retry */
	int failed;
	char *fail_file;
	unsigned fail_line, fail_col;
	char *fail_message;
	double parse_cpu, check_cpu;
	struct ma_walk_stats stats;
	struct flow_stats flow;
};

struct pass_state {
	struct ma_compile_unit *const *units;
	size_t *order;            /* unit indices, largest first */
	size_t nr;
	atomic_size_t next;
	atomic_size_t done;
	struct unit_result *results;
	const struct ma_engine *engine;
	struct progress *progress;
	int verbose;
	pthread_mutex_t print_lock;
};

const char *ma_static_resource_dir(void)
{
	return *MA_CLANG_RESOURCE_DIR && ma_is_dir(MA_CLANG_RESOURCE_DIR) ? MA_CLANG_RESOURCE_DIR : NULL;
}

static double wall_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The arguments libclang gets: the unit's own (with paths already made
 * absolute by the compile database reader: clang's -working-directory
 * would chdir() the whole process under the other workers), then ours;
 * -w skips computing warnings we do not show.
 */
void ma_static_clang_args(struct strvec *out, const char *const *args)
{
	const char *res = ma_static_resource_dir();

	for (; args && *args; args++)
		strvec_push(out, *args);
	if (res) {
		strvec_push(out, "-resource-dir");
		strvec_push(out, res);
	}
	strvec_pushl(out, "-w", "-Wno-unknown-warning-option", "-ferror-limit=1", NULL);
}

static void first_error(CXTranslationUnit tu, struct unit_result *r)
{
	unsigned n = clang_getNumDiagnostics(tu);

	for (unsigned i = 0; i < n && !r->failed; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
			CXString msg = clang_getDiagnosticSpelling(d);
			CXString fname;
			CXFile file;
			clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file,
						   &r->fail_line, &r->fail_col, NULL);
			fname = clang_getFileName(file);
			if (clang_getCString(fname) && file)
				r->fail_file = ma_strdup(clang_getCString(fname));
			r->fail_message = ma_strdup(clang_getCString(msg));
			r->failed = 1;
			clang_disposeString(fname);
			clang_disposeString(msg);
		}
		clang_disposeDiagnostic(d);
	}
}

static const char *cx_error_name(enum CXErrorCode e)
{
	switch (e) {
	case CXError_Crashed: return "libclang crashed while parsing";
	case CXError_InvalidArguments: return "libclang rejected the arguments";
	case CXError_ASTReadError: return "libclang could not read the AST";
	default: return "libclang failed to parse";
	}
}

/*
 * The option named by a diagnostic such as "unknown argument: '-ffoo'" or
 * "unsupported option '-mfoo' for target 'x'", or NULL.  Such options come
 * from compilers other than clang (gcc flags in the database); the unit is
 * parsed again without them rather than given up.
 */
static char *rejected_option(const char *msg)
{
	const char *p = strstr(msg, "unknown argument");
	const char *q;

	if (!p)
		p = strstr(msg, "unsupported option");
	if (!p || !(p = strchr(p, '\'')) || !(q = strchr(p + 1, '\'')))
		return NULL;
	return ma_strndup(p + 1, (size_t)(q - p - 1));
}

static size_t collect_rejected(CXTranslationUnit tu, struct strvec *out)
{
	unsigned n = clang_getNumDiagnostics(tu);
	size_t before = out->nr;

	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		CXString msg = clang_getDiagnosticSpelling(d);
		char *opt = rejected_option(clang_getCString(msg));
		if (opt)
			strvec_push_nodup(out, opt);
		clang_disposeString(msg);
		clang_disposeDiagnostic(d);
	}
	return out->nr - before;
}

static void drop_options(struct strvec *argv, const struct strvec *drop)
{
	struct strvec kept = STRVEC_INIT;

	for (size_t i = 0; i < argv->nr; i++) {
		int dropped = 0;
		for (size_t k = 0; k < drop->nr && !dropped; k++)
			dropped = !strcmp(argv->v[i], drop->v[k]);
		if (!dropped)
			strvec_push(&kept, argv->v[i]);
	}
	strvec_clear(argv);
	*argv = kept;
}

static CXTranslationUnit parse(CXIndex index, const char *file, struct strvec *argv,
			       struct unit_result *r)
{
	CXTranslationUnit tu = NULL;
	enum CXErrorCode ec;

	for (int attempt = 0; attempt < 2; attempt++) {
		ec = clang_parseTranslationUnit2(index, file, argv->v, (int)argv->nr, NULL, 0,
						 CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles, &tu);
		if (ec != CXError_Success || !tu) {
			r->failed = 1;
			r->fail_message = ma_strdup(cx_error_name(ec));
			return NULL;
		}
		if (attempt || !collect_rejected(tu, &r->dropped))
			break;
		clang_disposeTranslationUnit(tu);
		tu = NULL;
		drop_options(argv, &r->dropped);
	}
	first_error(tu, r);
	return tu;
}

/*
 * The cursor checkers walk the AST; then the unit is lowered to the IR and
 * its AST disposed of before the data-flow engine runs, so only the small
 * IR stays in memory during the longer part of the work.
 */
static void analyze_parsed(const struct ma_engine *engine, CXTranslationUnit tu,
			   const char *workdir, struct unit_result *r)
{
	const struct flow_engine *fe = ma_engine_flow_const(engine);
	struct ir_tu *ir = NULL;
	size_t nr_pattern;

	ma_engine_walk_tu(engine, tu, workdir, &r->findings, &r->stats);
	nr_pattern = r->findings.nr; /* kept as they are; the data-flow ones repeat none */
	if (flow_engine_active(fe))
		ir = ir_lower_tu(tu, workdir);
	clang_disposeTranslationUnit(tu);
	if (ir) {
		flow_analyze_tu(fe, ir, &r->findings, &r->flow); /* counts the truncated ones */
		ir_tu_free(ir);
	}
	ma_findings_drop_repeats(&r->findings, nr_pattern);
}

static void analyze_unit(CXIndex index, const struct ma_engine *engine, const char *file,
			 const char *const *args, const char *workdir, struct unit_result *r)
{
	struct strvec argv = STRVEC_INIT;
	CXTranslationUnit tu;
	double t0 = wall_clock(), t1;

	/* libclang parses on a thread of its own, which this thread's CPU
	 * clock does not see: the parse is timed by the wall clock */
	ma_static_clang_args(&argv, args);
	tu = parse(index, file, &argv, r);
	r->parse_cpu = wall_clock() - t0;
	t1 = thread_cpu();
	if (tu && !r->failed)
		analyze_parsed(engine, tu, workdir, r);
	else if (tu)
		clang_disposeTranslationUnit(tu);
	if (r->failed && !r->fail_file)
		r->fail_file = ma_strdup(file);
	r->check_cpu = thread_cpu() - t1;
	strvec_clear(&argv);
}

static void report_done(struct pass_state *st, const struct ma_compile_unit *u,
			const struct unit_result *r)
{
	size_t done = atomic_fetch_add(&st->done, 1) + 1;

	progress_update(st->progress, done, u->file);
	if (!st->verbose)
		return;
	pthread_mutex_lock(&st->print_lock);
	fprintf(stderr, "memaudit: [%zu/%zu] %s: %s (%.2f s parse, %.2f s checks, %zu findings)\n",
		done, st->nr, u->file, r->failed ? "failed" : "ok", r->parse_cpu, r->check_cpu,
		r->findings.nr);
	pthread_mutex_unlock(&st->print_lock);
}

static void *worker(void *arg)
{
	struct pass_state *st = arg;
	CXIndex index = clang_createIndex(0, 0);
	size_t i;

	while ((i = atomic_fetch_add(&st->next, 1)) < st->nr) {
		size_t u = st->order[i];
		analyze_unit(index, st->engine, st->units[u]->file, st->units[u]->args.v,
			     st->units[u]->directory, &st->results[u]);
		report_done(st, st->units[u], &st->results[u]);
	}
	clang_disposeIndex(index);
	return NULL;
}

static struct ma_compile_unit *const *sort_units;

static int by_size_desc(const void *a, const void *b)
{
	long long sa = sort_units[*(const size_t *)a]->size, sb = sort_units[*(const size_t *)b]->size;
	if (sa != sb)
		return sa < sb ? 1 : -1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void add_distinct(struct strvec *set, const struct strvec *items)
{
	for (size_t i = 0; i < items->nr; i++) {
		size_t k;
		for (k = 0; k < set->nr && strcmp(set->v[k], items->v[i]); k++)
			;
		if (k == set->nr)
			strvec_push(set, items->v[i]);
	}
}

static void note_rejected(struct ma_run *run, const struct strvec *rejected)
{
	char *list;

	if (!rejected->nr)
		return;
	list = strvec_join(rejected, " ");
	strvec_pushf(&run->notes, "libclang rejected these compiler options, which were dropped: %s", list);
	free(list);
}

static void collect(struct pass_state *st, struct ma_report *rep)
{
	struct ma_run *run = &rep->run;
	struct strvec rejected = STRVEC_INIT;
	size_t limited = 0, skipped = 0, abandoned = 0;

	for (size_t u = 0; u < st->nr; u++) {
		struct unit_result *r = &st->results[u];
		run->parse_seconds += r->parse_cpu;
		run->check_seconds += r->check_cpu;
		limited += r->stats.depth_limited;
		skipped += r->flow.skipped;
		abandoned += r->flow.abandoned;
		if (r->failed) {
			run->tus_failed++;
			ma_report_add_failure(rep, r->fail_file, r->fail_line, r->fail_col, r->fail_message);
		} else {
			run->tus_analysed++;
		}
		ma_findings_take(&rep->findings, &r->findings);
		add_distinct(&rejected, &r->dropped);
		strvec_clear(&r->dropped);
		free(r->fail_file);
		free(r->fail_message);
	}
	note_rejected(run, &rejected);
	strvec_clear(&rejected);
	if (skipped)
		strvec_pushf(&run->notes, "%zu functions are too large or too deeply nested for the data-flow engine and were only checked by the pattern checkers", skipped);
	if (abandoned)
		strvec_pushf(&run->notes, "the data-flow analysis of %zu functions stopped at its step budget; their findings so far are kept", abandoned);
	if (limited)
		strvec_pushf(&run->notes, "%zu functions nest deeper than the engine walks; their innermost expressions were skipped", limited);
}

int ma_static_jobs(int asked, size_t nr)
{
	int jobs = asked > 0 ? asked : (int)sysconf(_SC_NPROCESSORS_ONLN);

	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > nr)
		jobs = nr ? (int)nr : 1;
	return jobs;
}

void ma_static_run_threads(int jobs, void *(*fn)(void *), void *arg)
{
	pthread_t *threads = ma_calloc((size_t)jobs, sizeof(*threads));
	pthread_attr_t attr;
	int started = 0;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	for (int i = 0; i < jobs; i++)
		if (!pthread_create(&threads[started], &attr, fn, arg))
			started++;
	pthread_attr_destroy(&attr);
	if (!started)
		fn(arg); /* no thread could start: do the work here */
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
}

/*
 * libclang parses on a thread of its own with an 8 MiB stack, and deeply
 * nested code overflows it and kills the process; parsing on the caller's
 * thread (the workers have WORKER_STACK) avoids that.
 */
void ma_static_prepare(void)
{
	setenv("LIBCLANG_NOTHREADS", "1", 0);
}

int ma_static_run(struct ma_compile_unit *const *units, size_t nr,
		  const struct ma_static_opts *opts, struct ma_report *rep, struct strbuf *err)
{
	struct pass_state st = { .units = units, .nr = nr, .verbose = opts->verbose };
	int jobs = ma_static_jobs(opts->jobs, nr);

	st.engine = ma_checks_engine(opts->only, err);
	if (!st.engine)
		return -1;
	ma_static_prepare();
	rep->run.jobs = jobs;
	st.results = ma_calloc(nr ? nr : 1, sizeof(*st.results));
	st.order = ma_calloc(nr ? nr : 1, sizeof(*st.order));
	for (size_t i = 0; i < nr; i++) {
		st.order[i] = i;
		strvec_init(&st.results[i].dropped);
	}
	sort_units = units;
	qsort(st.order, nr, sizeof(*st.order), by_size_desc);
	pthread_mutex_init(&st.print_lock, NULL);
	st.progress = progress_start("memaudit: analysing", nr, opts->progress);
	ma_static_run_threads(jobs, worker, &st);
	progress_stop(st.progress);
	collect(&st, rep);
	pthread_mutex_destroy(&st.print_lock);
	ma_engine_free((struct ma_engine *)st.engine);
	free(st.results);
	free(st.order);
	return 0;
}

int ma_static_analyze_file(const char *file, const char *const *args,
			   struct ma_findings *out, struct strbuf *err)
{
	struct ma_engine *engine = ma_checks_engine(NULL, err);
	struct unit_result r = { .dropped = STRVEC_INIT };
	CXIndex index;
	char cwd[4096];

	if (!engine)
		return -1;
	index = clang_createIndex(0, 0);
	analyze_unit(index, engine, file, args, getcwd(cwd, sizeof(cwd)) ? cwd : NULL, &r);
	clang_disposeIndex(index);
	ma_engine_free(engine);
	ma_findings_take(out, &r.findings);
	strvec_clear(&r.dropped);
	if (r.failed) {
		strbuf_addf(err, "'%s': %s", r.fail_file ? r.fail_file : file, r.fail_message);
		free(r.fail_file);
		free(r.fail_message);
		return -1;
	}
	free(r.fail_file);
	free(r.fail_message);
	return 0;
}
