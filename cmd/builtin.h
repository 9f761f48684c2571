#ifndef MA_BUILTIN_H
#define MA_BUILTIN_H
/*
 * The subcommands.  Each is one file, cmd/<name>.c, exporting cmd_<name>();
 * cmd/main.c maps names to them in its table.  A command parses its own
 * options (core/parse-options.h), prints, and returns the process exit code
 * (core/exitcode.h); nothing below cmd/ prints or exits.
 */
#include "../core/exitcode.h"

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

#endif
