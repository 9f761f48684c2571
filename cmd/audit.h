#ifndef MA_CMD_AUDIT_H
#define MA_CMD_AUDIT_H
/*
 * The state of one `memaudit audit`, shared by the files of the command:
 * cmd/audit.c (options, the passes, the reports, the exit code) and
 * cmd/audit_units.c (the builds and the compile database: which units the
 * static pass analyses).
 */
#include "../analyzers/dynamic/sanitize_build.h"
#include "../core/baseline.h"
#include "../core/compdb.h"
#include "../core/config.h"
#include "../core/git_changes.h"
#include "../core/report.h"
#include "../core/severity.h"
#include "../core/shard.h"
#include "../core/strbuf.h"
#include "../core/strvec.h"

struct audit_opts {
	const char *build_dir;
	const char *compile_db;
	const char *output;
	const char *root;
	const char *fail_on;
	const char *shard;        /* --shard K/N */
	struct strvec formats;
	struct strvec files;
	struct strvec rules;
	struct strvec build_cmd;  /* -- BUILD COMMAND, or --build split into words */
	const char *build;        /* --build */
	const char *sanitize;     /* --sanitize: build with -fsanitize=LIST, run the sanitizers pass */
	const char *changed_since; /* --changed-since REF */
	int new_code_only;         /* --new-code-only */
	const char *run;          /* --run: the command for the dynamic passes */
	struct strvec run_argv;   /* ... split into words */
	struct strvec dynamic;    /* --dynamic: the passes (memcheck) */
	struct strvec skip;       /* --skip-program: run natively, with their children */
	long run_timeout;
	int jobs;
	int quiet;
	int verbose;
	long build_timeout;
	const char *config;       /* --config FILE */
	int no_config;            /* --no-config */
	int report_unused;        /* --report-unused-suppressions */
	const char *baseline;     /* --baseline FILE: a baseline file or an earlier report.json */
	const char *show;         /* --show new|known|all: what the text report lists against it */
	int fail_on_new;          /* --fail-on-new: only new findings fail the run */
};

struct audit_state {
	struct audit_opts o;
	struct ma_compdb db;
	struct ma_report rep;
	struct strbuf err;
	struct strbuf tmpdir;     /* bear's output, removed at the end */
	struct strbuf build_how;  /* how a failed captured build ended ("exited with 2") */
	struct strbuf db_path;    /* the captured database */
	struct ma_sanitize_build san;
	struct strbuf san_base, san_cwd; /* the tree it may copy, and where it builds */
	struct strbuf build_log;  /* with --quiet: OUT/build.log, the builds' output */
	int built_sanitized;      /* san ran */
	struct ma_changes changes; /* --changed-since: what changed since REF */
	struct ma_compile_unit **selected;
	size_t nr_selected;
	int build_failed;
	enum ma_severity fail_level;
	int fail_never;
	struct ma_shard shard;
	struct ma_config cfg;     /* .memaudit.yml; empty without one */
	int config_rules;         /* its rules.enable/disable apply (no --rules given) */
	struct ma_baseline_entries baseline; /* read before the audit, applied after finalize */
};

/* Build what the options ask for, read the compile database, choose the
 * root and the units; -1 and a line in st->err. */
int audit_load_units(struct audit_state *st);

/* Does the list of passes (--dynamic) name this one? */
int audit_names_pass(const struct strvec *passes, const char *name);

#endif
