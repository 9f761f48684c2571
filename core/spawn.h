#ifndef MA_SPAWN_H
#define MA_SPAWN_H
/*
 * Running other programs (bear now; Valgrind, sanitizer builds and the
 * project's tests later).  Never through a shell: the command is an argv
 * array (a struct strvec's v), so no user string is ever re-parsed.
 *
 * The child runs in its own process group, so a timeout or a Ctrl-C kills
 * the whole tree it started (make, the shell, the tests), not only the
 * direct child: SIGTERM to the group, then SIGKILL after a grace period.
 *
 *     struct ma_spawn_opts o = { .cwd = dir, .timeout_ms = 600000 };
 *     struct ma_spawn_result r;
 *     if (ma_spawn_run(argv.v, &o, &r, &err) < 0)      (could not start)
 *             return error(err.buf);
 *     if (r.timed_out) ...; else if (r.exit_code) ...;
 *
 * ma_spawn_run returns -1 only when the program could not be started (not
 * found, not executable, fork failed), with one line in err naming it.
 */
#include <sys/types.h>

struct strbuf;

struct ma_spawn_opts {
	const char *cwd;             /* NULL: the current directory */
	const char *const *env;      /* NULL: inherit; else "NAME=value" to set */
	const char *stdin_path;      /* NULL: inherit */
	const char *stdout_path;     /* NULL: inherit; "/dev/null" to drop */
	const char *stderr_path;     /* NULL: inherit */
	int stderr_to_stdout;        /* 2>&1 */
	int append;                  /* >>: add to stdout_path and stderr_path */
	long timeout_ms;             /* 0: no limit */
};

struct ma_spawn_result {
	int exit_code;    /* when exited normally */
	int signal;       /* the signal that killed it, 0 if none */
	int timed_out;    /* killed by memaudit after timeout_ms */
	int interrupted;  /* memaudit got SIGINT/SIGTERM while waiting */
	double seconds;   /* wall time */
};

int ma_spawn_run(const char *const *argv, const struct ma_spawn_opts *opts,
		 struct ma_spawn_result *res, struct strbuf *err);

/* A one-line description of how a finished program ended ("exited with 2"). */
void ma_spawn_describe(const struct ma_spawn_result *res, struct strbuf *out);

#endif
