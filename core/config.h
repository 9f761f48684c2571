#ifndef MA_CONFIG_H
#define MA_CONFIG_H
/*
 * The project configuration file, .memaudit.yml (docs/config.md): YAML
 * read with libyaml into a plain struct, every key and value checked, so
 * that a typo is an error naming the file, line and key rather than a
 * setting silently ignored.
 *
 * Invariants: every field the file did not set keeps its "unset" value
 * (NULL, an empty strvec, -1), so the caller can tell it from a value and
 * let a command-line flag win; rule ids and globs in it each name at least
 * one rule of the catalogue; `dir` is absolute, and exclude globs are
 * relative to it.
 *
 *     struct ma_config c = MA_CONFIG_INIT;
 *     struct strbuf path = STRBUF_INIT;
 *     if (ma_config_find(cwd, &path) && ma_config_load(&c, path.buf, &vocab, &err) < 0)
 *             ... err holds "FILE:LINE:COL: unknown key 'rulez' (known: ...)"
 *     ... after ma_findings_finalize():
 *     ma_config_apply(&c, &findings);
 *     ma_config_release(&c);
 */
#include <stddef.h>

#include "severity.h"
#include "strvec.h"

struct strbuf;
struct ma_findings;

#define MA_CONFIG_FILE ".memaudit.yml"

/* rules.severity: the last entry whose glob matches a rule wins. */
struct ma_config_severity {
	char *rule;                 /* a rule id or a glob over ids */
	enum ma_severity severity;
};

struct ma_config {
	char *path;                 /* absolute path of the file read */
	char *dir;                  /* its directory */
	struct strvec enable;       /* rules.enable: ids or globs; empty: every rule */
	struct strvec disable;      /* rules.disable: ids or globs, applied after enable */
	struct ma_config_severity *severity;
	size_t nr_severity, alloc_severity;
	struct strvec exclude;      /* path globs, relative to dir (core/glob.h) */
	char *run;                  /* dynamic.run */
	char *build;                /* dynamic.build */
	char *sanitize;             /* dynamic.sanitize */
	struct strvec passes;       /* dynamic.passes */
	struct strvec skip_programs; /* dynamic.skip_programs */
	long timeout;               /* dynamic.timeout, seconds; -1 unset */
	char *fail_on;              /* error, warning, note or none; NULL unset */
	char *baseline;             /* baseline: FILE, absolute (relative to dir in the file); NULL unset */
	int fail_on_new;            /* fail_on_new: 1, 0; -1 unset */
	int jobs;                   /* -1 unset */
};

#define MA_CONFIG_INIT { .enable = STRVEC_INIT, .disable = STRVEC_INIT, .exclude = STRVEC_INIT, \
			 .passes = STRVEC_INIT, .skip_programs = STRVEC_INIT, .timeout = -1, .jobs = -1, \
			 .fail_on_new = -1 }

/*
 * Names other modules own, checked while reading so that a bad one is
 * reported at its line: the dynamic passes (ma_dynamic_pass_known) and
 * clang's sanitizers (ma_sanitizer_unknown).  A NULL hook checks nothing.
 */
struct ma_config_vocab {
	const char *(*pass_known)(const char *name);
	const char *(*sanitizer_unknown)(const char *list, size_t *len);
};

void ma_config_init(struct ma_config *c);
void ma_config_release(struct ma_config *c);

/*
 * The nearest .memaudit.yml in dir or a directory above it: 1 and its path
 * in `path`, or 0.  The walk stops after the top of a git work tree (a
 * directory holding `.git`): a file above the repository belongs to
 * something else, and a CI checkout must not pick up the runner's.
 */
int ma_config_find(const char *dir, struct strbuf *path);

/* Read and check the file at path (made absolute); -1 and one line in err. */
int ma_config_load(struct ma_config *c, const char *path, const struct ma_config_vocab *vocab,
		   struct strbuf *err);
/* The same on text; `name` is the file name errors give, `dir` what
 * exclude globs are relative to. */
int ma_config_parse(struct ma_config *c, const char *name, const char *dir, const char *text,
		    size_t len, const struct ma_config_vocab *vocab, struct strbuf *err);

/* 1 when the file sets rules.enable or rules.disable. */
int ma_config_selects_rules(const struct ma_config *c);
/* 1 when rule_id is enabled and not disabled. */
int ma_config_rule_enabled(const struct ma_config *c, const char *rule_id);
/* Every enabled rule of the catalogue into ids ("none" when there is none),
 * for the static pass's list of rules to run. */
void ma_config_enabled_rules(const struct ma_config *c, struct strvec *ids);
/* 1 when an exclude glob matches abs_path, or a directory above it. */
int ma_config_excludes(const struct ma_config *c, const char *abs_path);

/*
 * Step (1) after ma_findings_finalize(): drop the findings in excluded
 * files and, when `rules` is set, those of disabled rules; give the others
 * their severity overrides.  Fingerprints are left as they are, so they do
 * not change with the configuration.
 */
void ma_config_apply(const struct ma_config *c, struct ma_findings *set, int rules);

#endif
