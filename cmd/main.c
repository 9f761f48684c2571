/*
 * memaudit's entry point: pick the subcommand from the table, run it, and
 * make sure what it printed reached stdout (a full disk or a closed pipe is
 * an error, not a silent success).
 */
#include "builtin.h"
#include "../core/alloc.h"
#include "../core/fs.h"
#include "../core/parse-options.h"
#include "../core/strbuf.h"
#include "../core/strvec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum cmd_flags {
	CMD_NONE = 0,
	CMD_HIDDEN = 1 << 0, /* not listed in `memaudit help` */
};

struct cmd {
	const char *name;
	int (*fn)(int argc, const char **argv, struct ma_ctx *ctx);
	unsigned flags;
	const char *summary;
};

/* Sorted by name. */
static const struct cmd cmds[] = {
	{ "audit", cmd_audit, CMD_NONE, "audit a C/C++ project and write reports" },
	{ "baseline", cmd_baseline, CMD_NONE, "save a report's findings as a baseline to commit" },
	{ "diff", cmd_diff, CMD_NONE, "new, fixed and unchanged findings between two reports" },
	{ "help", cmd_help, CMD_NONE, "show this overview, or a command's options" },
	{ "merge", cmd_merge, CMD_NONE, "merge the reports of audit --shard K/N into one" },
	{ "report", cmd_report, CMD_NONE, "write a JSON report again in other formats" },
	{ "rules", cmd_rules, CMD_NONE, "list the rule catalogue, or show one rule" },
	{ "version", cmd_version, CMD_NONE, "print memaudit's version" },
};

int error_exit(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("memaudit: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static const char overview_exit_codes[] =
	"Exit codes:\n"
	"    0  no finding at or above --fail-on (default: warning)\n"
	"    1  findings at or above --fail-on (with --fail-on-new: new ones only)\n"
	"    2  usage error or unusable input (no or malformed compile database, ...)\n"
	"    3  audit incomplete (a translation unit failed to parse, a pass failed);\n"
	"       reports are still written and marked partial; 3 wins over 1\n";

static void print_overview(FILE *out)
{
	fputs("usage: memaudit <command> [options]\n\nCommands:\n", out);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!(cmds[i].flags & CMD_HIDDEN))
			fprintf(out, "    %-10s %s\n", cmds[i].name, cmds[i].summary);
	fputs("\nRun 'memaudit <command> --help' for a command's options.\n\n", out);
	fputs(overview_exit_codes, out);
}

static const char *const help_usage[] = {
	"memaudit help [COMMAND]",
	NULL,
};

int cmd_help(int argc, const char **argv, struct ma_ctx *ctx)
{
	struct option opts[] = { OPT_END() };
	struct strbuf err = STRBUF_INIT;
	const char *help_argv[] = { NULL, "--help", NULL };
	const struct cmd *c;
	int n = parse_options(argc - 1, argv + 1, opts, help_usage, 0, &err);

	if (n == PARSE_OPT_HELP)
		return MA_EXIT_OK;
	if (n < 0) {
		n = error_exit(MA_EXIT_USAGE, "%s", err.buf);
		strbuf_release(&err);
		return n;
	}
	if (!n) {
		print_overview(stdout);
		return MA_EXIT_OK;
	}
	c = find_cmd(argv[1]);
	if (!c)
		return error_exit(MA_EXIT_USAGE, "no such command '%s'; see 'memaudit help'", argv[1]);
	help_argv[0] = c->name;
	return c->fn(2, help_argv, ctx);
}

/* A write error on stdout (disk full, closed pipe) must not pass as success. */
static int finish_stdout(int code)
{
	int failed = fflush(stdout) != 0 || ferror(stdout);
	int saved_errno = errno;

	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		saved_errno = errno;
	}
	if (failed && saved_errno != EPIPE) {
		fprintf(stderr, "memaudit: error: cannot write to standard output: %s\n",
			strerror(saved_errno));
		return MA_EXIT_USAGE;
	}
	return code;
}

/* cJSON allocates with ma_malloc, which stops memaudit with a clear message
 * when memory runs out, instead of returning NULL from deep inside a
 * report's construction. */
static void *cjson_malloc(size_t size)
{
	return ma_malloc(size);
}

static void use_our_allocator_in_cjson(void)
{
	cJSON_Hooks hooks = { .malloc_fn = cjson_malloc, .free_fn = free };

	cJSON_InitHooks(&hooks);
}

int main(int argc, const char **argv)
{
	struct ma_ctx ctx = { .argc = argc, .stdout_tty = isatty(1), .stderr_tty = isatty(2) };
	struct strvec full_argv = STRVEC_INIT;
	const struct cmd *c;
	int ret;

	ma_fs_install_signal_cleanup();
	use_our_allocator_in_cjson();
	if (argc < 2) {
		print_overview(stderr);
		return MA_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return finish_stdout(cmd_help(1, argv + 1, &ctx));
	if (!strcmp(argv[1], "--version"))
		return finish_stdout(cmd_version(1, argv + 1, &ctx));
	c = find_cmd(argv[1]);
	if (!c) {
		fprintf(stderr, "memaudit: error: '%s' is not a memaudit command; see 'memaudit help'\n",
			argv[1]);
		return MA_EXIT_USAGE;
	}
	/* commands parse their argv in place: keep a copy of the whole line for reports */
	strvec_pushv(&full_argv, argv);
	ctx.argv = full_argv.v;
	ret = finish_stdout(c->fn(argc - 1, argv + 1, &ctx));
	strvec_clear(&full_argv);
	return ret;
}
