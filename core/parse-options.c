#include "parse-options.h"
#include "strbuf.h"
#include "strvec.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int parse_int(const char *arg, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static void split_list(struct strvec *sv, const char *arg)
{
	const char *p = arg;

	while (*p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n) {
			struct strbuf sb = STRBUF_INIT;
			strbuf_add(&sb, p, n);
			strvec_push_nodup(sv, strbuf_detach(&sb, NULL));
		}
		p += n + (comma ? 1 : 0);
	}
}

static void opt_name(struct strbuf *sb, const struct option *o, int is_short)
{
	if (is_short)
		strbuf_addf(sb, "-%c", o->short_name);
	else
		strbuf_addf(sb, "--%s", o->long_name);
}

/* Store arg into the option; arg is NULL only for bools. */
static int set_value(const struct option *o, const char *arg, int unset, int is_short,
		     struct strbuf *err)
{
	struct strbuf name = STRBUF_INIT;
	int ret = 0;

	opt_name(&name, o, is_short);
	switch (o->type) {
	case OPTION_BOOL:
		*(int *)o->value = !unset;
		break;
	case OPTION_STRING:
		*(const char **)o->value = arg;
		break;
	case OPTION_INTEGER:
		if (parse_int(arg, o->value) < 0) {
			strbuf_addf(err, "option '%s' expects a whole number, not '%s'", name.buf, arg);
			ret = -1;
		}
		break;
	case OPTION_LIST:
		split_list(o->value, arg);
		break;
	case OPTION_CALLBACK:
		ret = o->callback(o, arg, err);
		break;
	default:
		ret = -1;
	}
	strbuf_release(&name);
	return ret;
}

static const struct option *find_long(const struct option *opts, const char *name, size_t len,
				      int *unset)
{
	const char *rest;

	for (const struct option *o = opts; o->type != OPTION_END; o++) {
		if (!o->long_name)
			continue;
		if (strlen(o->long_name) == len && !strncmp(o->long_name, name, len)) {
			*unset = 0;
			return o;
		}
		if (o->type == OPTION_BOOL && skip_prefix(name, "no-", &rest) &&
		    strlen(o->long_name) == len - 3 && !strncmp(o->long_name, rest, len - 3)) {
			*unset = 1;
			return o;
		}
	}
	return NULL;
}

static const struct option *find_short(const struct option *opts, int c)
{
	for (const struct option *o = opts; o->type != OPTION_END; o++)
		if (o->short_name == c && o->type != OPTION_GROUP)
			return o;
	return NULL;
}

/* Returns how many argv entries were consumed (1 or 2), or -1. */
static int parse_long(const struct option *opts, int argc, const char **argv, struct strbuf *err)
{
	const char *name = argv[0] + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	int unset = 0;
	const struct option *o = find_long(opts, name, len, &unset);

	if (!o) {
		strbuf_addf(err, "unknown option '--%.*s'", (int)len, name);
		return -1;
	}
	if (o->type == OPTION_BOOL) {
		if (eq) {
			strbuf_addf(err, "option '--%s' takes no value", o->long_name);
			return -1;
		}
		return set_value(o, NULL, unset, 0, err) < 0 ? -1 : 1;
	}
	if (eq)
		return set_value(o, eq + 1, 0, 0, err) < 0 ? -1 : 1;
	if (argc < 2) {
		strbuf_addf(err, "option '--%s' requires a value", o->long_name);
		return -1;
	}
	return set_value(o, argv[1], 0, 0, err) < 0 ? -1 : 2;
}

/* A cluster of short options, "-qv" or "-j4" or "-o DIR". */
static int parse_short(const struct option *opts, int argc, const char **argv, struct strbuf *err)
{
	for (const char *p = argv[0] + 1; *p; p++) {
		const struct option *o = find_short(opts, (unsigned char)*p);
		if (!o) {
			strbuf_addf(err, "unknown option '-%c'", *p);
			return -1;
		}
		if (o->type == OPTION_BOOL) {
			if (set_value(o, NULL, 0, 1, err) < 0)
				return -1;
			continue;
		}
		if (p[1])
			return set_value(o, p + 1, 0, 1, err) < 0 ? -1 : 1;
		if (argc < 2) {
			strbuf_addf(err, "option '-%c' requires a value", *p);
			return -1;
		}
		return set_value(o, argv[1], 0, 1, err) < 0 ? -1 : 2;
	}
	return 1;
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int parse_options(int argc, const char **argv, const struct option *opts,
		  const char *const *usage, unsigned flags, struct strbuf *err)
{
	int out = 0, i = 0;

	while (i < argc) {
		const char *arg = argv[i];
		int used;

		if (!strcmp(arg, "--")) {
			if (!(flags & PARSE_OPT_KEEP_DASHDASH))
				i++;
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (arg[0] != '-' || !arg[1]) {
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION) {
				while (i < argc)
					argv[out++] = argv[i++];
				break;
			}
			argv[out++] = argv[i++];
			continue;
		}
		if (is_help(arg)) {
			usage_with_options(stdout, usage, opts);
			return PARSE_OPT_HELP;
		}
		used = arg[1] == '-' ? parse_long(opts, argc - i, argv + i, err)
				     : parse_short(opts, argc - i, argv + i, err);
		if (used < 0)
			return PARSE_OPT_ERROR;
		i += used;
	}
	argv[out] = NULL;
	return out;
}

static void print_option(FILE *out, const struct option *o)
{
	struct strbuf left = STRBUF_INIT;

	strbuf_addstr(&left, "    ");
	if (o->short_name)
		strbuf_addf(&left, "-%c%s", o->short_name, o->long_name ? ", " : "");
	if (o->long_name)
		strbuf_addf(&left, "--%s%s", o->type == OPTION_BOOL ? "[no-]" : "", o->long_name);
	if (o->argh)
		strbuf_addf(&left, " %s", o->argh);
	if (left.len < 30)
		fprintf(out, "%-30s%s\n", left.buf, o->help);
	else
		fprintf(out, "%s\n%30s%s\n", left.buf, "", o->help);
	strbuf_release(&left);
}

void usage_with_options(FILE *out, const char *const *usage, const struct option *opts)
{
	for (size_t i = 0; usage[i]; i++)
		fprintf(out, "%s%s\n", i ? "   or: " : "usage: ", usage[i]);
	for (const struct option *o = opts; o->type != OPTION_END; o++) {
		if (o->type == OPTION_GROUP)
			fprintf(out, "\n%s%s\n", o->help, *o->help ? ":" : "");
		else
			print_option(out, o);
	}
}
