#ifndef MA_BUILTIN_H
#define MA_BUILTIN_H
/*
 * The subcommands.  Each is one file, cmd/<name>.c, exporting cmd_<name>();
 * cmd/main.c maps names to them in its table.  A command parses its own
 * options (core/parse-options.h), prints, and returns the process exit code
 * (core/exitcode.h); nothing below cmd/ prints or exits.
 */
#include "../core/exitcode.h"
#include "../core/severity.h"

struct ma_report;
struct strbuf;
struct strvec;

struct ma_ctx {
	const char *const *argv;  /* memaudit's whole command line */
	int argc;
	int stdout_tty;
	int stderr_tty;
};

int cmd_audit(int argc, const char **argv, struct ma_ctx *ctx);
int cmd_baseline(int argc, const char **argv, struct ma_ctx *ctx);
int cmd_diff(int argc, const char **argv, struct ma_ctx *ctx);
int cmd_help(int argc, const char **argv, struct ma_ctx *ctx);
int cmd_merge(int argc, const char **argv, struct ma_ctx *ctx);
int cmd_report(int argc, const char **argv, struct ma_ctx *ctx);
int cmd_rules(int argc, const char **argv, struct ma_ctx *ctx);
int cmd_version(int argc, const char **argv, struct ma_ctx *ctx);

/* "memaudit: error: <msg>" on stderr; returns code, for `return error_exit(...)`. */
__attribute__((format(printf, 2, 3)))
int error_exit(int code, const char *fmt, ...);

/* cmd/common.c: what several commands do alike. */
/* A JSON report read from path into rep (initialised); -1 and a line in err. */
int read_report_file(const char *path, struct ma_report *rep, struct strbuf *err);
/* --fail-on LEVEL: "none" sets *never, else *level; -1 and a line in err. */
int parse_fail_on(const char *fail_on, enum ma_severity *level, int *never, struct strbuf *err);
/* The text report on stdout (coloured on a terminal), then the files written on stderr. */
void print_text_report(const struct ma_report *rep, const struct strvec *written, const struct ma_ctx *ctx);

#endif
