#ifndef MA_PARSE_OPTIONS_H
#define MA_PARSE_OPTIONS_H
/*
 * Declarative command-line options (after git's parse-options).  A command
 * describes its options as a table and calls parse_options() once:
 *
 *     int jobs = 0, quiet = 0; const char *out = NULL; struct strvec fmt = STRVEC_INIT;
 *     struct option opts[] = {
 *         OPT_GROUP("Output"),
 *         OPT_STRING('o', "output", &out, "DIR", "write reports into DIR"),
 *         OPT_LIST(0, "format", &fmt, "LIST", "report formats (text,json,sarif)"),
 *         OPT_INTEGER('j', "jobs", &jobs, "parse N translation units at once"),
 *         OPT_BOOL('q', "quiet", &quiet, "print no progress"),
 *         OPT_END(),
 *     };
 *     argc = parse_options(argc, argv, opts, usage, 0, &err);
 *
 * Rules, handled once here and not in each command:
 *  - `--name=value`, `--name value`, `-xVALUE`, `-x VALUE`;
 *  - `--no-name` clears a bool; unique prefixes of long names are not
 *    accepted (scripts should keep working when options are added);
 *  - `-h`/`--help` prints the usage to stdout and returns PARSE_OPT_HELP;
 *  - non-option arguments are kept, in order, at the front of argv and their
 *    count is returned; everything after `--` is kept as is, including the
 *    `--` itself when PARSE_OPT_KEEP_DASHDASH is given.
 * Errors return PARSE_OPT_ERROR with one line in err.
 */
#include <stdio.h>

struct strbuf;
struct strvec;

enum parse_opt_type {
	OPTION_END,
	OPTION_GROUP,
	OPTION_BOOL,
	OPTION_STRING,
	OPTION_INTEGER,
	OPTION_LIST,
	OPTION_CALLBACK,
};

struct option;
typedef int (*parse_opt_cb)(const struct option *opt, const char *arg, struct strbuf *err);

struct option {
	enum parse_opt_type type;
	int short_name;
	const char *long_name;
	void *value;
	const char *argh;      /* name of the argument in the help, NULL for bools */
	const char *help;
	parse_opt_cb callback; /* OPTION_CALLBACK only */
};

#define OPT_END()                      { .type = OPTION_END }
#define OPT_GROUP(h)                   { .type = OPTION_GROUP, .help = (h) }
#define OPT_BOOL(s, l, v, h)           { .type = OPTION_BOOL, .short_name = (s), .long_name = (l), .value = (v), .help = (h) }
#define OPT_STRING(s, l, v, a, h)      { .type = OPTION_STRING, .short_name = (s), .long_name = (l), .value = (v), .argh = (a), .help = (h) }
#define OPT_INTEGER(s, l, v, a, h)     { .type = OPTION_INTEGER, .short_name = (s), .long_name = (l), .value = (v), .argh = (a), .help = (h) }
/* Comma-separated values appended to a struct strvec; may be repeated. */
#define OPT_LIST(s, l, v, a, h)        { .type = OPTION_LIST, .short_name = (s), .long_name = (l), .value = (v), .argh = (a), .help = (h) }
#define OPT_CALLBACK(s, l, v, a, h, f) { .type = OPTION_CALLBACK, .short_name = (s), .long_name = (l), .value = (v), .argh = (a), .help = (h), .callback = (f) }

enum {
	PARSE_OPT_KEEP_DASHDASH = 1 << 0,
	PARSE_OPT_STOP_AT_NON_OPTION = 1 << 1,
};

#define PARSE_OPT_HELP (-2)
#define PARSE_OPT_ERROR (-1)

int parse_options(int argc, const char **argv, const struct option *opts,
		  const char *const *usage, unsigned flags, struct strbuf *err);
void usage_with_options(FILE *out, const char *const *usage, const struct option *opts);

#endif
