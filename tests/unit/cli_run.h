#ifndef MA_TEST_CLI_RUN_H
#define MA_TEST_CLI_RUN_H
/*
 * Running memaudit (or any program) from a test and keeping what it
 * printed: the command-line tests' one way to do it.
 *
 *     struct cli_result r;
 *     const char *argv[] = { bin, "audit", "-q", NULL };
 *     cli_run(&r, argv, proj, scratch, 100000);
 *     cr_expect_eq(r.code, 0, "%s", r.err.buf);
 *     cli_result_release(&r);
 */
#include "../../core/strbuf.h"

struct cli_result {
	int code;
	struct strbuf out, err;
};

/*
 * argv (NULL-terminated) run in cwd, stdin from /dev/null, MAKEFLAGS
 * cleared (no outer make's jobserver), killed after timeout_ms; its stdout
 * and stderr into r, through the files SCRATCH.stdout and SCRATCH.stderr
 * (removed after).  The test fails when it cannot start or is killed.
 */
void cli_run(struct cli_result *r, const char *const *argv, const char *cwd, const char *scratch, long timeout_ms);
void cli_result_release(struct cli_result *r);

/* The whole file into sb; the test fails when it cannot be read. */
void cli_slurp(const char *path, struct strbuf *sb);

#endif
