/* Unit tests for core/parse-options.c: the declarative option parser. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <stdlib.h>
#include <string.h>

#include "../../core/parse-options.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

static const char *const usage[] = {
	"memaudit audit [options] [--] <command>...",
	"memaudit audit [options] -p <compile_commands.json>",
	NULL,
};

struct vals {
	int quiet, verbose, jobs, cb_calls;
	const char *out;
	struct strvec fmt;
	char cb_arg[64];
};

static struct vals v;

static int level_cb(const struct option *opt, const char *arg, struct strbuf *err)
{
	struct vals *vv = opt->value;

	vv->cb_calls++;
	if (strcmp(arg, "low") && strcmp(arg, "high")) {
		strbuf_addf(err, "bad level '%s'", arg);
		return -1;
	}
	snprintf(vv->cb_arg, sizeof(vv->cb_arg), "%s", arg);
	return 0;
}

#define OPTS \
	struct option opts[] = { \
		OPT_GROUP("Output"), \
		OPT_STRING('o', "output", &v.out, "DIR", "write reports into DIR"), \
		OPT_LIST(0, "format", &v.fmt, "LIST", "report formats"), \
		OPT_GROUP(""), \
		OPT_INTEGER('j', "jobs", &v.jobs, "N", "parse N units at once"), \
		OPT_BOOL('q', "quiet", &v.quiet, "print no progress"), \
		OPT_BOOL('v', "verbose", &v.verbose, "say more"), \
		OPT_CALLBACK(0, "level", &v, "L", "low or high", level_cb), \
		OPT_END(), \
	}

static void reset(void)
{
	memset(&v, 0, sizeof(v));
	strvec_init(&v.fmt);
}

static void fini(void)
{
	strvec_clear(&v.fmt);
}

/* Parse a NULL-terminated list; the array is modified in place like argv. */
static int parse(const char **argv, unsigned flags, struct strbuf *err)
{
	int argc = 0;
	OPTS;

	while (argv[argc])
		argc++;
	return parse_options(argc, argv, opts, usage, flags, err);
}

TestSuite(parse_options, .init = reset, .fini = fini);

Test(parse_options, long_forms)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "--output=out/a", "--jobs", "4", "--quiet", NULL };

	cr_assert_eq(parse(argv, 0, &err), 0, "%s", err.buf);
	cr_assert_str_eq(v.out, "out/a");
	cr_assert_eq(v.jobs, 4);
	cr_assert_eq(v.quiet, 1);
	cr_assert_eq(v.verbose, 0);
	cr_assert_eq(err.len, 0);
	cr_assert_null(argv[0]);
	strbuf_release(&err);
}

Test(parse_options, long_separate_value_may_look_like_option)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "--output", "--quiet", NULL };

	cr_assert_eq(parse(argv, 0, &err), 0);
	cr_assert_str_eq(v.out, "--quiet");
	cr_assert_eq(v.quiet, 0);
	strbuf_release(&err);
}

Test(parse_options, long_empty_value)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "--output=", NULL };

	cr_assert_eq(parse(argv, 0, &err), 0);
	cr_assert_str_eq(v.out, "");
	strbuf_release(&err);
}

Test(parse_options, short_forms)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "-oDIR", "-j", "8", NULL };

	cr_assert_eq(parse(argv, 0, &err), 0, "%s", err.buf);
	cr_assert_str_eq(v.out, "DIR");
	cr_assert_eq(v.jobs, 8);
	strbuf_release(&err);
}

Test(parse_options, short_cluster)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "-qvj12", "-o", "x", NULL };

	cr_assert_eq(parse(argv, 0, &err), 0, "%s", err.buf);
	cr_assert_eq(v.quiet, 1);
	cr_assert_eq(v.verbose, 1);
	cr_assert_eq(v.jobs, 12);
	cr_assert_str_eq(v.out, "x");
	strbuf_release(&err);
}

Test(parse_options, no_prefix_clears_bool)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "-q", "--verbose", "--no-quiet", NULL };

	cr_assert_eq(parse(argv, 0, &err), 0);
	cr_assert_eq(v.quiet, 0);
	cr_assert_eq(v.verbose, 1);
	strbuf_release(&err);
}

Test(parse_options, no_prefix_only_for_bools)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "--no-output", NULL };

	cr_assert_eq(parse(argv, 0, &err), PARSE_OPT_ERROR);
	cr_assert_str_eq(err.buf, "unknown option '--no-output'");
	strbuf_release(&err);
}

Test(parse_options, later_value_wins)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "-j1", "--jobs=3", "--no-verbose", "-v", NULL };

	cr_assert_eq(parse(argv, 0, &err), 0);
	cr_assert_eq(v.jobs, 3);
	cr_assert_eq(v.verbose, 1);
	strbuf_release(&err);
}

Test(parse_options, prefixes_are_not_accepted)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "--out=x", NULL };

	cr_assert_eq(parse(argv, 0, &err), PARSE_OPT_ERROR);
	cr_assert_str_eq(err.buf, "unknown option '--out'");
	cr_assert_null(v.out);
	strbuf_release(&err);
}

Test(parse_options, unknown_short)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "-qx", NULL };

	cr_assert_eq(parse(argv, 0, &err), PARSE_OPT_ERROR);
	cr_assert_str_eq(err.buf, "unknown option '-x'");
	strbuf_release(&err);
}

Test(parse_options, bool_takes_no_value)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "--quiet=1", NULL };

	cr_assert_eq(parse(argv, 0, &err), PARSE_OPT_ERROR);
	cr_assert_str_eq(err.buf, "option '--quiet' takes no value");
	cr_assert_eq(v.quiet, 0);
	strbuf_release(&err);
}

Test(parse_options, missing_values)
{
	struct strbuf err = STRBUF_INIT;
	const char *a1[] = { "--output", NULL };
	const char *a2[] = { "-q", "-o", NULL };

	cr_assert_eq(parse(a1, 0, &err), PARSE_OPT_ERROR);
	cr_assert_str_eq(err.buf, "option '--output' requires a value");
	strbuf_reset(&err);
	cr_assert_eq(parse(a2, 0, &err), PARSE_OPT_ERROR);
	cr_assert_str_eq(err.buf, "option '-o' requires a value");
	strbuf_release(&err);
}

Test(parse_options, integers)
{
	static const char *const bad[] = { "abc", "12x", "", "99999999999", "1.5", "0x10" };
	struct strbuf err = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = { "--jobs", bad[i], NULL };
		struct strbuf want = STRBUF_INIT;

		strbuf_reset(&err);
		cr_assert_eq(parse(argv, 0, &err), PARSE_OPT_ERROR, "'%s' accepted", bad[i]);
		strbuf_addf(&want, "option '--jobs' expects a whole number, not '%s'", bad[i]);
		cr_assert_str_eq(err.buf, want.buf);
		strbuf_release(&want);
	}
	{
		const char *argv[] = { "-jx", NULL };
		strbuf_reset(&err);
		cr_assert_eq(parse(argv, 0, &err), PARSE_OPT_ERROR);
		cr_assert_str_eq(err.buf, "option '-j' expects a whole number, not 'x'");
	}
	{
		const char *argv[] = { "--jobs=-3", NULL };
		cr_assert_eq(parse(argv, 0, &err), 0);
		cr_assert_eq(v.jobs, -3);
	}
	{
		const char *argv[] = { "--jobs=2147483647", NULL };
		cr_assert_eq(parse(argv, 0, &err), 0);
		cr_assert_eq(v.jobs, 2147483647);
	}
	{
		const char *argv[] = { "--jobs=2147483648", NULL };
		cr_assert_eq(parse(argv, 0, &err), PARSE_OPT_ERROR);
	}
	strbuf_release(&err);
}

Test(parse_options, list_splits_and_repeats)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "--format=text,,json,", "--format", "sarif", NULL };

	cr_assert_eq(parse(argv, 0, &err), 0);
	cr_assert_eq(v.fmt.nr, 3);
	cr_assert_str_eq(v.fmt.v[0], "text");
	cr_assert_str_eq(v.fmt.v[1], "json");
	cr_assert_str_eq(v.fmt.v[2], "sarif");
	cr_assert_null(v.fmt.v[3]);
	strbuf_release(&err);
}

Test(parse_options, list_of_only_commas_adds_nothing)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "--format=,,", NULL };

	cr_assert_eq(parse(argv, 0, &err), 0);
	cr_assert_eq(v.fmt.nr, 0);
	strbuf_release(&err);
}

Test(parse_options, callback)
{
	struct strbuf err = STRBUF_INIT;
	const char *ok[] = { "--level=high", NULL };
	const char *bad[] = { "--level", "mid", NULL };

	cr_assert_eq(parse(ok, 0, &err), 0);
	cr_assert_eq(v.cb_calls, 1);
	cr_assert_str_eq(v.cb_arg, "high");
	cr_assert_eq(parse(bad, 0, &err), PARSE_OPT_ERROR);
	cr_assert_eq(v.cb_calls, 2);
	cr_assert_str_eq(err.buf, "bad level 'mid'");
	strbuf_release(&err);
}

Test(parse_options, non_options_kept_in_order)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "a", "-q", "b", "-", "--jobs=2", "c", NULL };

	cr_assert_eq(parse(argv, 0, &err), 4);
	cr_assert_str_eq(argv[0], "a");
	cr_assert_str_eq(argv[1], "b");
	cr_assert_str_eq(argv[2], "-", "a lone dash is an argument (stdin)");
	cr_assert_str_eq(argv[3], "c");
	cr_assert_null(argv[4]);
	cr_assert_eq(v.quiet, 1);
	cr_assert_eq(v.jobs, 2);
	strbuf_release(&err);
}

Test(parse_options, dashdash_ends_options)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "-q", "--", "make", "-j4", "--quiet", NULL };

	cr_assert_eq(parse(argv, 0, &err), 3);
	cr_assert_str_eq(argv[0], "make");
	cr_assert_str_eq(argv[1], "-j4");
	cr_assert_str_eq(argv[2], "--quiet");
	cr_assert_null(argv[3]);
	cr_assert_eq(v.jobs, 0, "options after -- are not parsed");
	strbuf_release(&err);
}

Test(parse_options, keep_dashdash)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "x", "--", "-q", NULL };

	cr_assert_eq(parse(argv, PARSE_OPT_KEEP_DASHDASH, &err), 3);
	cr_assert_str_eq(argv[0], "x");
	cr_assert_str_eq(argv[1], "--");
	cr_assert_str_eq(argv[2], "-q");
	cr_assert_eq(v.quiet, 0);
	strbuf_release(&err);
}

Test(parse_options, stop_at_non_option)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "-q", "make", "-j4", "-v", NULL };

	cr_assert_eq(parse(argv, PARSE_OPT_STOP_AT_NON_OPTION, &err), 3);
	cr_assert_str_eq(argv[0], "make");
	cr_assert_str_eq(argv[1], "-j4");
	cr_assert_str_eq(argv[2], "-v");
	cr_assert_eq(v.quiet, 1);
	cr_assert_eq(v.verbose, 0);
	cr_assert_eq(v.jobs, 0);
	strbuf_release(&err);
}

Test(parse_options, no_arguments)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { NULL };

	cr_assert_eq(parse(argv, 0, &err), 0);
	cr_assert_null(argv[0]);
	strbuf_release(&err);
}

Test(parse_options, help_returns_help, .init = cr_redirect_stdout)
{
	struct strbuf err = STRBUF_INIT;
	const char *a1[] = { "-q", "--help", "--bogus", NULL };
	const char *a2[] = { "-h", NULL };

	reset();
	cr_assert_eq(parse(a1, 0, &err), PARSE_OPT_HELP);
	cr_assert_eq(parse(a2, 0, &err), PARSE_OPT_HELP);
	cr_assert_eq(err.len, 0, "help is not an error: %s", err.buf);
	fflush(stdout);
	cr_assert_stdout_neq_str("");
	strbuf_release(&err);
}

Test(parse_options, help_after_dashdash_is_an_argument)
{
	struct strbuf err = STRBUF_INIT;
	const char *argv[] = { "--", "--help", NULL };

	cr_assert_eq(parse(argv, 0, &err), 1);
	cr_assert_str_eq(argv[0], "--help");
	strbuf_release(&err);
}

Test(parse_options, usage_text)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	OPTS;

	cr_assert_not_null(fp);
	usage_with_options(fp, usage, opts);
	fclose(fp);
	cr_assert_str_eq(text,
		"usage: memaudit audit [options] [--] <command>...\n"
		"   or: memaudit audit [options] -p <compile_commands.json>\n"
		"\n"
		"Output:\n"
		"    -o, --output DIR          write reports into DIR\n"
		"    --format LIST             report formats\n"
		"\n"
		"\n"
		"    -j, --jobs N              parse N units at once\n"
		"    -q, --[no-]quiet          print no progress\n"
		"    -v, --[no-]verbose        say more\n"
		"    --level L                 low or high\n");
	free(text);
}

Test(parse_options, usage_long_option_wraps)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	int x = 0;
	struct option opts[] = {
		OPT_BOOL(0, "a-rather-long-option-name", &x, "help text"),
		OPT_END(),
	};
	const char *const one[] = { "cmd", NULL };

	usage_with_options(fp, one, opts);
	fclose(fp);
	cr_assert_str_eq(text,
		"usage: cmd\n"
		"    --[no-]a-rather-long-option-name\n"
		"                              help text\n");
	free(text);
}
