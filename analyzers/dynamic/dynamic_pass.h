#ifndef MA_DYNAMIC_PASS_H
#define MA_DYNAMIC_PASS_H
/*
 * The dynamic half of an audit: run the project's own command (its tests,
 * a program) under Valgrind's tools (memcheck, helgrind, drd, massif,
 * dhat, callgrind) or with the sanitizers' runtimes logging, one run per pass, and
 * turn what it reports into findings and profiles.
 *
 * The command is traced into every program it starts (--trace-children),
 * shells and make included: Valgrind cannot follow the children of a
 * program it skips.  What those tools report themselves is dropped, since
 * no frame of theirs is in the project.  Each process writes its own file
 * (XML, log or profile), read after the run; a run that times out is
 * killed with its whole process group, and what its processes wrote is
 * kept.
 *
 *     struct ma_dynamic_opts o = { .run = argv, .passes = names, .root = root, .timeout_ms = 600000 };
 *     if (ma_dynamic_run(&o, &report, &err) < 0)
 *             ... Valgrind could not be started: err says why
 */
struct ma_report;
struct strbuf;

struct ma_dynamic_opts {
	const char *const *run;   /* the command, as an argv array (never through a shell) */
	const char *const *passes; /* the passes, in order (memcheck, ..., sanitizers); NULL: memcheck */
	const char *root;         /* the project's root: frames outside it are not the project's */
	const char *cwd;          /* where the command runs; NULL: the current directory */
	const char *const *skip;  /* programs Valgrind runs natively, with all they start (glob patterns) */
	long timeout_ms;          /* 0: no limit */
	int quiet;                /* the command's output goes to a log file in the report directory */
	const char *log_path;     /* where, when quiet */
};

/* The pass's name if this build has it (memcheck, helgrind, drd), else NULL. */
const char *ma_dynamic_pass_known(const char *name);

/* Run o->run under each pass in turn (a run each).  Findings, notes and failures (a time-out, a
 * truncated file: the run is then partial) go into rep.  -1 with err set
 * only when nothing could be run (Valgrind missing). */
int ma_dynamic_run(const struct ma_dynamic_opts *o, struct ma_report *rep, struct strbuf *err);

#endif
