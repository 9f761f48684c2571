/*
 * .memaudit.yml: libyaml loads the file as a document (a tree of nodes,
 * each with its line and column), and tables of keys below say what each
 * mapping may hold and how each value is read and checked.
 */
#include "config.h"
#include "alloc.h"
#include "array.h"
#include "finding.h"
#include "fs.h"
#include "glob.h"
#include "path.h"
#include "rules.h"
#include "strbuf.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct reader {
	yaml_document_t *doc;
	const char *name;           /* the file, as errors name it */
	struct ma_config *c;
	const struct ma_config_vocab *vocab;
	struct strbuf *err;
};

struct key;
/* Read `value` for the key at dotted path `path` ("dynamic.timeout"). */
typedef int (*read_fn)(struct reader *r, const struct key *k, const char *path, yaml_node_t *value);

struct key {
	const char *name;
	read_fn read;
	size_t offset;              /* of the field in struct ma_config it fills */
	const char *expect;         /* what a good value is, for "bad value" errors */
};

void ma_config_init(struct ma_config *c)
{
	struct ma_config blank = MA_CONFIG_INIT;

	*c = blank;
}

void ma_config_release(struct ma_config *c)
{
	free(c->path);
	free(c->dir);
	strvec_clear(&c->enable);
	strvec_clear(&c->disable);
	for (size_t i = 0; i < c->nr_severity; i++)
		free(c->severity[i].rule);
	free(c->severity);
	strvec_clear(&c->exclude);
	free(c->run);
	free(c->build);
	free(c->sanitize);
	strvec_clear(&c->passes);
	strvec_clear(&c->skip_programs);
	free(c->fail_on);
	free(c->baseline);
	ma_config_init(c);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

/* "FILE:LINE:COL: " and the message: libyaml's marks count from 0. */
static int bad_at(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	strbuf_addf(r->err, "%s:%zu:%zu: ", r->name, n->start_mark.line + 1, n->start_mark.column + 1);
	va_start(ap, fmt);
	strbuf_vaddf(r->err, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "a scalar";
	}
}

/* A value quoted for a one-line message: control bytes (a block scalar's
 * newlines) shown as '?', and cut after 60 bytes. */
static void add_quoted(struct strbuf *sb, const char *s)
{
	size_t n = 0;

	strbuf_addch(sb, '\'');
	for (; s[n] && n < 60; n++)
		strbuf_addch(sb, (unsigned char)s[n] < 0x20 ? '?' : s[n]);
	strbuf_addstr(sb, s[n] ? "...'" : "'");
}

static int bad_value(struct reader *r, const char *path, const yaml_node_t *n, const char *expect)
{
	bad_at(r, n, "bad value for '%s': ", path);
	if (n->type == YAML_SCALAR_NODE)
		add_quoted(r->err, (const char *)n->data.scalar.value);
	else
		strbuf_addstr(r->err, node_kind(n));
	strbuf_addf(r->err, " (%s)", expect);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Nodes                                                               */

static yaml_node_t *node(struct reader *r, int index)
{
	return yaml_document_get_node(r->doc, index);
}

static const char *scalar_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* `key:` with nothing after it, or ~ / null: YAML's null. */
static int is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(nulls); i++)
		if (!strcmp(scalar_text(n), nulls[i]))
			return 1;
	return 0;
}

/* The text of a scalar that is not null, or NULL after an error. */
static const char *need_scalar(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE || is_null(n) || strlen(scalar_text(n)) != n->data.scalar.length) {
		bad_value(r, path, n, k->expect);
		return NULL;
	}
	return scalar_text(n);
}

static void *field(struct reader *r, const struct key *k)
{
	return (char *)r->c + k->offset;
}

/* ------------------------------------------------------------------ */
/* Mappings                                                            */

static const struct key *find_key(const struct key *keys, size_t nr, const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

static int unknown_key(struct reader *r, const yaml_node_t *kn, const char *where,
		       const struct key *keys, size_t nr)
{
	bad_at(r, kn, "unknown key ");
	add_quoted(r->err, scalar_text(kn));
	if (where)
		strbuf_addf(r->err, " in '%s'", where);
	strbuf_addstr(r->err, " (known: ");
	for (size_t i = 0; i < nr; i++)
		strbuf_addf(r->err, "%s%s", i ? ", " : "", keys[i].name);
	strbuf_addch(r->err, ')');
	return -1;
}

/* A key seen before in the same mapping: YAML forbids it, libyaml lets it through. */
static int repeated_key(struct reader *r, const yaml_node_t *map, const yaml_node_pair_t *pair)
{
	const char *name = scalar_text(node(r, pair->key));

	for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < pair; p++) {
		const yaml_node_t *kn = node(r, p->key);
		if (kn->type == YAML_SCALAR_NODE && !strcmp(scalar_text(kn), name))
			return bad_at(r, node(r, pair->key), "key '%s' given twice (first on line %zu)", name,
				      kn->start_mark.line + 1);
	}
	return 0;
}

/* Each key of the mapping n read by its entry in keys; `where` is the
 * dotted path of n itself, NULL at the top. */
static int read_mapping(struct reader *r, yaml_node_t *n, const char *where, const struct key *keys, size_t nr)
{
	struct strbuf path = STRBUF_INIT;
	int ret = 0;

	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; !ret && p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(r, p->key);
		const struct key *k;

		if (kn->type != YAML_SCALAR_NODE)
			return bad_at(r, kn, "a key must be a word, not %s", node_kind(kn));
		if (!(k = find_key(keys, nr, scalar_text(kn))))
			ret = unknown_key(r, kn, where, keys, nr);
		else if (!(ret = repeated_key(r, n, p))) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s%s%s", where ? where : "", where ? "." : "", k->name);
			ret = k->read(r, k, path.buf, node(r, p->value));
		}
	}
	strbuf_release(&path);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static int read_string(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	const char *s = need_scalar(r, k, path, n);
	char **out = field(r, k);

	if (!s)
		return -1;
	free(*out);
	*out = ma_strdup(s);
	return 0;
}

/* A whole number in [min, max]. */
static int read_number(struct reader *r, const struct key *k, const char *path, yaml_node_t *n,
		       long min, long max, long *out)
{
	const char *s = need_scalar(r, k, path, n);
	char *end;
	long v;

	if (!s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return bad_value(r, path, n, k->expect);
	*out = v;
	return 0;
}

static int read_version(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	long v;

	return read_number(r, k, path, n, 1, 1, &v);
}

static int read_jobs(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	long v;

	if (read_number(r, k, path, n, 0, 4096, &v) < 0)
		return -1;
	*(int *)field(r, k) = (int)v;
	return 0;
}

static int read_seconds(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	return read_number(r, k, path, n, 1, INT_MAX / 1000, field(r, k));
}

static int read_fail_on(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	const char *s = need_scalar(r, k, path, n);
	enum ma_severity ignored;

	if (!s)
		return -1;
	if (strcmp(s, "none") && ma_severity_parse(s, &ignored) < 0)
		return bad_value(r, path, n, k->expect);
	return read_string(r, k, path, n);
}

/* true or false (YAML 1.1's yes/no, on/off too, as .clang-tidy files use them). */
static int read_bool(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "on", "On" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "off", "Off" };
	const char *s = need_scalar(r, k, path, n);

	if (!s)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i]) || !strcmp(s, no[i])) {
			*(int *)field(r, k) = !strcmp(s, yes[i]);
			return 0;
		}
	}
	return bad_value(r, path, n, k->expect);
}

/* A path, relative to the file's directory when not absolute. */
static int read_path(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	const char *s = need_scalar(r, k, path, n);
	struct strbuf abs = STRBUF_INIT;
	char **out = field(r, k);

	if (!s)
		return -1;
	if (!*s)
		return bad_value(r, path, n, k->expect);
	if (r->c->dir)
		ma_path_absolute(&abs, r->c->dir, s);
	else
		strbuf_addstr(&abs, s);
	free(*out);
	*out = strbuf_detach(&abs, NULL);
	return 0;
}

static int read_sanitize(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	const char *s = need_scalar(r, k, path, n), *bad;
	size_t len;

	if (!s)
		return -1;
	if (r->vocab && r->vocab->sanitizer_unknown && (bad = r->vocab->sanitizer_unknown(s, &len)))
		return bad_at(r, n, "bad value for '%s': unknown sanitizer '%.*s' (clang's -fsanitize= names: "
			      "address, undefined, leak, thread, ...)", path, (int)len, bad);
	return read_string(r, k, path, n);
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */

/* Checks one item of a list; -1 with the error written. */
typedef int (*check_item_fn)(struct reader *r, const char *path, yaml_node_t *item);

static int is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static int names_a_rule(const char *pattern)
{
	for (size_t i = 0; i < ma_nr_rules; i++)
		if (!fnmatch(pattern, ma_rules[i].id, 0))
			return 1;
	return 0;
}

static int check_rule(struct reader *r, const char *path, yaml_node_t *item)
{
	const char *s = scalar_text(item);

	if (names_a_rule(s))
		return 0;
	if (is_glob(s))
		return bad_at(r, item, "the glob '%s' in '%s' matches no rule (see 'memaudit rules')", s, path);
	return bad_at(r, item, "unknown rule '%s' in '%s' (see 'memaudit rules')", s, path);
}

static int check_pass(struct reader *r, const char *path, yaml_node_t *item)
{
	if (!r->vocab || !r->vocab->pass_known || r->vocab->pass_known(scalar_text(item)))
		return 0;
	return bad_at(r, item, "bad value for '%s': unknown pass '%s' (memcheck, helgrind, drd, massif, dhat, "
		      "callgrind, sanitizers)", path, scalar_text(item));
}

/* A list of words, or one word alone; null is the empty list. */
static int read_list_checked(struct reader *r, const struct key *k, const char *path, yaml_node_t *n,
			     check_item_fn check)
{
	struct strvec *out = field(r, k);
	yaml_node_item_t *it, *end;

	if (is_null(n))
		return 0;
	if (n->type == YAML_SCALAR_NODE) {
		if (!need_scalar(r, k, path, n) || (check && check(r, path, n) < 0))
			return -1;
		strvec_push(out, scalar_text(n));
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE)
		return bad_value(r, path, n, k->expect);
	end = n->data.sequence.items.top;
	for (it = n->data.sequence.items.start; it < end; it++) {
		yaml_node_t *item = node(r, *it);
		if (!need_scalar(r, k, path, item) || (check && check(r, path, item) < 0))
			return -1;
		strvec_push(out, scalar_text(item));
	}
	return 0;
}

static int read_list(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	return read_list_checked(r, k, path, n, NULL);
}

static int read_rule_list(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	return read_list_checked(r, k, path, n, check_rule);
}

static int read_pass_list(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	return read_list_checked(r, k, path, n, check_pass);
}

/* ------------------------------------------------------------------ */
/* Mappings of the schema                                              */

static int read_mapping_value(struct reader *r, const struct key *k, const char *path, yaml_node_t *n,
			      const struct key *keys, size_t nr)
{
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return bad_value(r, path, n, k->expect);
	return read_mapping(r, n, path, keys, nr);
}

/* rules.severity: { rule-or-glob: error|warning|note }, in order. */
static int read_severity(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	struct ma_config *c = r->c;

	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return bad_value(r, path, n, k->expect);
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(r, p->key), *vn = node(r, p->value);
		enum ma_severity sev;

		if (kn->type != YAML_SCALAR_NODE)
			return bad_at(r, kn, "a key must be a rule id, not %s", node_kind(kn));
		if (check_rule(r, path, kn) < 0 || repeated_key(r, n, p) < 0)
			return -1;
		if (vn->type != YAML_SCALAR_NODE || ma_severity_parse(scalar_text(vn), &sev) < 0)
			return bad_value(r, path, vn, "error, warning or note");
		ALLOC_GROW(c->severity, c->nr_severity + 1, c->alloc_severity);
		c->severity[c->nr_severity].rule = ma_strdup(scalar_text(kn));
		c->severity[c->nr_severity++].severity = sev;
	}
	return 0;
}

#define KEY(name, fn, member, expect) { name, fn, offsetof(struct ma_config, member), expect }
/* A key whose reader fills no field of its own (a check, or a mapping of keys). */
#define KEY_NO_FIELD(name, fn, expect) { name, fn, 0, expect }

static const struct key rules_keys[] = {
	KEY("enable", read_rule_list, enable, "a list of rule ids or globs"),
	KEY("disable", read_rule_list, disable, "a list of rule ids or globs"),
	KEY("severity", read_severity, severity, "a mapping of rule ids to error, warning or note"),
};

static const struct key dynamic_keys[] = {
	KEY("run", read_string, run, "the test command, as --run takes it"),
	KEY("passes", read_pass_list, passes, "a list of passes, as --dynamic takes them"),
	KEY("timeout", read_seconds, timeout, "seconds, a whole number above 0"),
	KEY("skip_programs", read_list, skip_programs, "a list of program globs"),
	KEY("sanitize", read_sanitize, sanitize, "clang's sanitizers, as --sanitize takes them"),
	KEY("build", read_string, build, "the build command, as --build takes it"),
};

static int read_rules(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	return read_mapping_value(r, k, path, n, rules_keys, ARRAY_SIZE(rules_keys));
}

static int read_dynamic(struct reader *r, const struct key *k, const char *path, yaml_node_t *n)
{
	return read_mapping_value(r, k, path, n, dynamic_keys, ARRAY_SIZE(dynamic_keys));
}

static const struct key top_keys[] = {
	KEY_NO_FIELD("version", read_version, "1, the only version"),
	KEY_NO_FIELD("rules", read_rules, "a mapping: enable, disable, severity"),
	KEY("exclude", read_list, exclude, "a list of path globs"),
	KEY_NO_FIELD("dynamic", read_dynamic, "a mapping: run, passes, timeout, skip_programs, sanitize, build"),
	KEY("fail_on", read_fail_on, fail_on, "error, warning, note or none"),
	KEY("jobs", read_jobs, jobs, "a whole number: 0 for all cores"),
	KEY("baseline", read_path, baseline, "a file: a baseline (memaudit baseline save) or a report.json"),
	KEY("fail_on_new", read_bool, fail_on_new, "true or false"),
};

/* ------------------------------------------------------------------ */
/* Documents                                                           */

/* libyaml's own message and place: "FILE:3:7: mapping values are not
 * allowed in this context (while scanning ... at line 2)". */
static int syntax_error(const yaml_parser_t *p, const char *name, struct strbuf *err)
{
	if (p->error == YAML_MEMORY_ERROR) {
		strbuf_addf(err, "%s: out of memory reading YAML", name);
		return -1;
	}
	if (p->error == YAML_READER_ERROR) {
		strbuf_addf(err, "%s: %s at byte %zu", name, p->problem ? p->problem : "cannot read",
			    p->problem_offset);
		return -1;
	}
	strbuf_addf(err, "%s:%zu:%zu: %s", name, p->problem_mark.line + 1, p->problem_mark.column + 1,
		    p->problem ? p->problem : "YAML syntax error");
	if (p->context)
		strbuf_addf(err, " (%s at line %zu)", p->context, p->context_mark.line + 1);
	return -1;
}

static int read_root(struct reader *r, yaml_node_t *root)
{
	if (!root || is_null(root)) /* an empty file: nothing set */
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return bad_at(r, root, "the configuration must be a mapping of keys (version, rules, exclude, "
			      "dynamic, fail_on, jobs, baseline, fail_on_new), not %s", node_kind(root));
	return read_mapping(r, root, NULL, top_keys, ARRAY_SIZE(top_keys));
}

/* A second "---" document would be ignored without a word: refuse it. */
static int only_one_document(yaml_parser_t *p, const char *name, struct strbuf *err)
{
	yaml_document_t next;
	yaml_node_t *root;
	int ret = 0;

	if (!yaml_parser_load(p, &next))
		return syntax_error(p, name, err);
	if ((root = yaml_document_get_root_node(&next))) {
		strbuf_addf(err, "%s:%zu:%zu: a second YAML document: the configuration is one", name,
			    next.start_mark.line + 1, next.start_mark.column + 1);
		ret = -1;
	}
	yaml_document_delete(&next);
	return ret;
}

int ma_config_parse(struct ma_config *c, const char *name, const char *dir, const char *text,
		    size_t len, const struct ma_config_vocab *vocab, struct strbuf *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct reader r = { .doc = &doc, .name = name, .c = c, .vocab = vocab, .err = err };
	int ret;

	if (!yaml_parser_initialize(&parser)) {
		strbuf_addf(err, "%s: out of memory reading YAML", name);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		ret = syntax_error(&parser, name, err);
		yaml_parser_delete(&parser);
		return ret;
	}
	free(c->dir); /* before reading: paths in the file are relative to it */
	c->dir = dir ? ma_strdup(dir) : NULL;
	ret = read_root(&r, yaml_document_get_root_node(&doc));
	if (!ret)
		ret = only_one_document(&parser, name, err);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return ret;
}

int ma_config_load(struct ma_config *c, const char *path, const struct ma_config_vocab *vocab,
		   struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT, abs = STRBUF_INIT, cwd = STRBUF_INIT;
	int ret = -1;

	if (strbuf_read_file(&text, path, err) < 0 || ma_getcwd(&cwd, err) < 0)
		goto out;
	ma_path_absolute(&abs, cwd.buf, path);
	free(c->path);
	c->path = ma_strdup(abs.buf);
	strbuf_setlen(&abs, ma_path_dirlen(abs.buf));
	ret = ma_config_parse(c, path, abs.buf, text.buf, text.len, vocab, err);
out:
	strbuf_release(&text);
	strbuf_release(&abs);
	strbuf_release(&cwd);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Finding the file                                                    */

static int file_in(struct strbuf *dir, const char *name, struct strbuf *out)
{
	strbuf_reset(out);
	strbuf_addf(out, "%s/%s", dir->len > 1 ? dir->buf : "", name);
	return ma_is_file(out->buf) || ma_is_dir(out->buf);
}

int ma_config_find(const char *dir, struct strbuf *path)
{
	struct strbuf d = STRBUF_INIT, probe = STRBUF_INIT;
	int found = 0;

	strbuf_addstr(&d, dir);
	for (;;) {
		if (file_in(&d, MA_CONFIG_FILE, &probe) && ma_is_file(probe.buf)) {
			strbuf_reset(path);
			strbuf_addbuf(path, &probe);
			found = 1;
			break;
		}
		if (file_in(&d, ".git", &probe) || d.len <= 1 || !strchr(d.buf, '/'))
			break;
		strbuf_setlen(&d, ma_path_dirlen(d.buf));
	}
	strbuf_release(&d);
	strbuf_release(&probe);
	return found;
}

/* ------------------------------------------------------------------ */
/* Applying it                                                         */

static int any_matches(const struct strvec *globs, const char *rule_id)
{
	for (size_t i = 0; i < globs->nr; i++)
		if (!fnmatch(globs->v[i], rule_id, 0))
			return 1;
	return 0;
}

int ma_config_selects_rules(const struct ma_config *c)
{
	return c->enable.nr || c->disable.nr;
}

int ma_config_rule_enabled(const struct ma_config *c, const char *rule_id)
{
	if (c->enable.nr && !any_matches(&c->enable, rule_id))
		return 0;
	return !any_matches(&c->disable, rule_id);
}

void ma_config_enabled_rules(const struct ma_config *c, struct strvec *ids)
{
	size_t before = ids->nr;

	for (size_t i = 0; i < ma_nr_rules; i++)
		if (ma_config_rule_enabled(c, ma_rules[i].id))
			strvec_push(ids, ma_rules[i].id);
	if (ids->nr == before)
		strvec_push(ids, "none");
}

int ma_config_excludes(const struct ma_config *c, const char *abs_path)
{
	const char *rel = c->dir ? ma_path_relative(c->dir, abs_path) : abs_path;

	for (size_t i = 0; i < c->exclude.nr; i++) {
		const char *g = c->exclude.v[i];
		if (g[0] == '/' ? ma_glob_match(g, abs_path, MA_GLOB_PARENTS) :
		    rel != abs_path && strcmp(rel, ".") && ma_glob_match(g, rel, MA_GLOB_PARENTS))
			return 1;
	}
	return 0;
}

/* The last severity entry that matches the rule wins. */
static void override_severity(const struct ma_config *c, struct ma_finding *f)
{
	for (size_t i = c->nr_severity; i-- > 0;) {
		if (!fnmatch(c->severity[i].rule, f->rule_id, 0)) {
			f->severity = c->severity[i].severity;
			return;
		}
	}
}

void ma_config_apply(const struct ma_config *c, struct ma_findings *set, int rules)
{
	size_t kept = 0;

	for (size_t i = 0; i < set->nr; i++) {
		struct ma_finding *f = set->items[i];
		if ((f->loc.file && ma_config_excludes(c, f->loc.file)) ||
		    (rules && !ma_config_rule_enabled(c, f->rule_id))) {
			ma_finding_free(f);
			continue;
		}
		override_severity(c, f);
		set->items[kept++] = f;
	}
	set->nr = kept;
}
