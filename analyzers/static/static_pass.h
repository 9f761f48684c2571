#ifndef MA_STATIC_PASS_H
#define MA_STATIC_PASS_H
/*
 * The static pass: parse every selected translation unit with libclang and
 * run the checkers on it.
 *
 * `jobs` workers each own a CXIndex and take units from a shared queue,
 * largest first; a worker parses one unit, walks it, and disposes of it
 * before taking the next, so memory is bounded by the largest unit, not by
 * the project.  A unit that does not parse is recorded as a failure (file
 * and first error) in the report, which is then partial; the others go on.
 * Results are gathered per unit and merged in database order, so a run's
 * findings do not depend on thread timing.
 *
 *     struct ma_static_opts o = { .jobs = 8, .progress = 1 };
 *     if (ma_static_run(units, nr, &o, &report, &err) < 0) ...
 */
#include <stddef.h>

struct ma_compile_unit;
struct ma_report;
struct ma_findings;
struct strbuf;
struct strvec;

struct ma_static_opts {
	int jobs;                    /* <= 0: one per online CPU */
	int progress;                /* draw the progress line (if stderr is a terminal) */
	int verbose;                 /* print each unit as it is done */
	const struct strvec *only;   /* rule ids to run; NULL or empty: all */
};

/*
 * Set what the pass needs in the environment; call it before starting the
 * threads a ma_static_run() on a thread of its own runs alongside (setenv
 * is not safe while other threads read the environment or fork).
 */
void ma_static_prepare(void);

/* -1 and a line in err only when the pass cannot run at all. */
int ma_static_run(struct ma_compile_unit *const *units, size_t nr,
		  const struct ma_static_opts *opts, struct ma_report *rep, struct strbuf *err);

/*
 * Analyse one file in-process with the given compiler arguments (tests and
 * fixtures); findings are appended to out.  -1 and the first error in err
 * when it does not parse.
 */
int ma_static_analyze_file(const char *file, const char *const *args,
			   struct ma_findings *out, struct strbuf *err);

/* Worker threads for libclang (its parse runs on the calling thread, which
 * needs a large stack): how many for `asked` (<= 0: one per online CPU)
 * and nr units, and fn(arg) run on that many, or here when none starts. */
int ma_static_jobs(int asked, size_t nr);
void ma_static_run_threads(int jobs, void *(*fn)(void *), void *arg);

/* The arguments libclang gets for a unit: its own, then ours (the resource
 * directory, no warnings). */
void ma_static_clang_args(struct strvec *out, const char *const *args);

/*
 * The files each unit includes, directly or not (absolute paths; the
 * unit's own file first): each parsed with function bodies skipped, `jobs`
 * at once (<= 0: one per online CPU, as -j).  includes[i] is for units[i]; a unit that does not parse
 * includes what libclang saw up to the error.
 */
void ma_static_includes(struct ma_compile_unit *const *units, size_t nr, int jobs, struct strvec *includes);

/* clang's resource directory as built in, or NULL when it is missing. */
const char *ma_static_resource_dir(void);

#endif
