/*
 * memaudit audit, the units: every build the options ask for (the
 * project's own, captured with bear when it is the database's source; the
 * sanitizer build), the compile database, the root, and the units the
 * static pass analyses (--files, the configuration's excludes,
 * --changed-since, --shard).
 */
#include "audit.h"
#include "audit_changed.h"
#include "../core/alloc.h"
#include "../core/fs.h"
#include "../core/path.h"
#include "../core/spawn.h"
#include "../core/vcs.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* The compile database                                                */

/* The database comes from the build itself: a build command and no -p. */
static int capturing(const struct audit_state *st)
{
	return st->o.build_cmd.nr && !st->o.build_dir && !st->o.compile_db;
}

/* The sanitizers need a build of their own, apart from Valgrind's. */
static int valgrind_passes(const struct audit_state *st)
{
	const struct strvec *d = &st->o.dynamic;

	return st->o.run && (!d->nr || d->nr > (size_t)audit_names_pass(d, "sanitizers"));
}

/* A build that failed is a run-wide failure: the run is partial, and every report says why. */
static void note_build_outcome(struct audit_state *st, const struct ma_spawn_result *res, const char *what)
{
	struct strbuf how = STRBUF_INIT;

	if (!res->exit_code && !res->signal && !res->timed_out && !res->interrupted)
		return;
	strbuf_reset(&st->build_how);
	ma_spawn_describe(res, &st->build_how);
	strbuf_addf(&how, "the %s %s; the audit covers what it compiled", what, st->build_how.buf);
	ma_report_add_failure(&st->rep, NULL, 0, 0, how.buf);
	st->build_failed = 1;
	strbuf_release(&how);
}

/* With --quiet the builds' output goes to OUT/build.log, not the terminal. */
static const char *build_log(struct audit_state *st)
{
	if (!st->o.quiet)
		return NULL;
	if (!st->build_log.len && ma_mkdir_p(st->o.output, &st->err) == 0) {
		strbuf_addf(&st->build_log, "%s/build.log", st->o.output);
		unlink(st->build_log.buf); /* each build adds to it */
	}
	strbuf_reset(&st->err);
	return st->build_log.len ? st->build_log.buf : NULL;
}

static int make_db_path(struct audit_state *st)
{
	if (ma_mkdtemp(&st->tmpdir, "memaudit-bear", &st->err) < 0)
		return -1;
	strbuf_addf(&st->db_path, "%s/compile_commands.json", st->tmpdir.buf);
	return 0;
}

/* The build as the user gave it, under bear when it is the database's source. */
static int run_build(struct audit_state *st)
{
	struct strvec argv = STRVEC_INIT;
	struct ma_spawn_opts so = { .timeout_ms = st->o.build_timeout, .stdout_path = build_log(st),
				    .stderr_to_stdout = st->o.quiet, .append = 1 };
	struct ma_spawn_result res;
	int ret = 0;

	if (capturing(st)) {
		if (make_db_path(st) < 0)
			return -1;
		strvec_pushl(&argv, "bear", "--output", st->db_path.buf, "--", NULL);
	}
	strvec_pushv(&argv, st->o.build_cmd.v);
	if (!st->o.quiet)
		fprintf(stderr, "memaudit: %s the build: %s\n", capturing(st) ? "capturing" : "running",
			st->o.build_cmd.v[0]);
	if (ma_spawn_run(argv.v, &so, &res, &st->err) < 0)
		ret = -1;
	else
		note_build_outcome(st, &res, "build command");
	strvec_clear(&argv);
	return ret;
}

/* The tree a sanitizer build may copy: --root, else the current directory,
 * which must hold the directory the build runs in. */
static int sanitize_base(struct audit_state *st, struct strbuf *base, struct strbuf *cwd)
{
	if (ma_getcwd(cwd, &st->err) < 0)
		return -1;
	if (st->o.root)
		ma_path_absolute(base, cwd->buf, st->o.root);
	else
		strbuf_addbuf(base, cwd);
	if (!ma_path_is_under(base->buf, cwd->buf)) {
		strbuf_addf(&st->err, "--sanitize: the build runs in '%s', outside --root '%s'", cwd->buf, base->buf);
		return -1;
	}
	return 0;
}

/* The build with clang's sanitizers: the database's source too when only
 * the sanitizers run; else a second build, in a copy, so the tree keeps
 * the plain build Valgrind needs. */
static int build_sanitized(struct audit_state *st, int capture)
{
	struct ma_sanitize_build *b = &st->san;
	int ret;

	if (sanitize_base(st, &st->san_base, &st->san_cwd) < 0)
		return -1;
	if (capture && make_db_path(st) < 0)
		return -1;
	b->build = st->o.build_cmd.v;
	b->sanitize = st->o.sanitize;
	b->base = st->san_base.buf;
	b->cwd = st->san_cwd.buf;
	b->capture_db = capture ? st->db_path.buf : NULL;
	b->always_copy = !capture && valgrind_passes(st);
	b->timeout_ms = st->o.build_timeout;
	b->log_path = build_log(st);
	if (!st->o.quiet)
		fprintf(stderr, "memaudit: building with -fsanitize=%s: %s\n", st->o.sanitize, st->o.build_cmd.v[0]);
	ret = ma_sanitize_build_run(b, &st->err);
	st->built_sanitized = 1;
	if (ret == 0) {
		note_build_outcome(st, &b->res, "sanitizer build");
		if (b->copy.len)
			strvec_pushf(&st->rep.run.notes, "sanitizers: built in a copy of the tree (%s), "
				     "so that no object is reused without them", b->always_copy ?
				     "the tree keeps its plain build for Valgrind" : "its objects were up to date");
	}
	return ret;
}

/* Every build the options ask for, before the database is read. */
static int build_project(struct audit_state *st)
{
	if (!st->o.build_cmd.nr)
		return 0;
	if (st->o.sanitize && !valgrind_passes(st))
		return build_sanitized(st, capturing(st)); /* one build serves both passes */
	if (run_build(st) < 0)
		return -1;
	return st->o.sanitize ? build_sanitized(st, 0) : 0;
}

/*
 * bear writes "[]" (or nothing) when the build compiled nothing: it failed
 * early, or the project was already built.  Say that, not "empty database"
 * about a temporary file the user never named.
 */
static int captured_nothing(struct audit_state *st, const char *path)
{
	struct strbuf text = STRBUF_INIT, ignored = STRBUF_INIT;
	int empty = 1;

	if (!strbuf_read_file(&text, path, &ignored)) {
		strbuf_trim(&text);
		empty = !text.len || !strcmp(text.buf, "[]");
	}
	if (empty && st->build_failed)
		strbuf_addf(&st->err, "the build command '%s' %s before compiling anything",
			    st->o.build_cmd.v[0], st->build_how.buf);
	else if (empty)
		strbuf_addf(&st->err, "the build command '%s' compiled no C or C++ file; "
			    "if the project is already built, clean it first", st->o.build_cmd.v[0]);
	strbuf_release(&text);
	strbuf_release(&ignored);
	return empty;
}

static int find_compdb(struct audit_state *st, struct strbuf *path)
{
	static const char *const guesses[] = { "compile_commands.json", "build/compile_commands.json", NULL };

	if (capturing(st)) {
		strbuf_addbuf(path, &st->db_path);
		return 0;
	}
	if (st->o.compile_db) {
		strbuf_addstr(path, st->o.compile_db);
		return 0;
	}
	if (st->o.build_dir) {
		strbuf_addf(path, "%s/compile_commands.json", st->o.build_dir);
		return 0;
	}
	for (size_t i = 0; guesses[i]; i++) {
		if (ma_is_file(guesses[i])) {
			strbuf_addstr(path, guesses[i]);
			return 0;
		}
	}
	strbuf_addstr(&st->err, "no compile database here: give -p BUILD_DIR, --compile-db FILE, "
		      "or -- BUILD COMMAND to capture one");
	return -1;
}

static int matches_files(const struct audit_state *st, const struct ma_compile_unit *u)
{
	const char *rel;

	if (!st->o.files.nr)
		return 1;
	rel = ma_path_relative(st->rep.run.root, u->file);
	for (size_t i = 0; i < st->o.files.nr; i++) {
		const char *g = st->o.files.v[i];
		if (!fnmatch(g, u->file, 0) || !fnmatch(g, rel, 0))
			return 1;
	}
	return 0;
}

/* Shard K of N keeps its part of the units --files selected (core/shard.h);
 * a shard may be empty when there are more shards than units. */
static void select_shard(struct audit_state *st)
{
	struct ma_run *run = &st->rep.run;

	if (!st->shard.count)
		return;
	st->nr_selected = ma_shard_select(st->selected, st->nr_selected, &st->shard);
	run->tus_total = st->nr_selected;
	run->shard_index = st->shard.index;
	run->shard_count = st->shard.count;
}

static int select_units(struct audit_state *st)
{
	struct ma_run *run = &st->rep.run;

	st->selected = ma_calloc(st->db.nr ? st->db.nr : 1, sizeof(*st->selected));
	for (size_t i = 0; i < st->db.nr; i++) {
		if (matches_files(st, &st->db.units[i]) && !ma_config_excludes(&st->cfg, st->db.units[i].file))
			st->selected[st->nr_selected++] = &st->db.units[i];
		else
			run->tus_filtered++;
	}
	run->tus_total = st->nr_selected;
	run->tus_skipped = st->db.skipped_other_lang;
	if (!st->db.nr) {
		strbuf_addf(&st->err, "'%s': no C or C++ translation units (%zu other %s skipped)",
			    st->db.path, st->db.skipped_other_lang,
			    st->db.skipped_other_lang == 1 ? "entry" : "entries");
		return -1;
	}
	if (!st->nr_selected && st->cfg.exclude.nr) {
		strbuf_addf(&st->err, "%sthe exclude globs of '%s' left none of the %zu translation units in '%s'",
			    st->o.files.nr ? "--files and " : "", st->cfg.path, st->db.nr, st->db.path);
		return -1;
	}
	if (!st->nr_selected) {
		strbuf_addf(&st->err, "--files matched none of the %zu translation units in '%s'",
			    st->db.nr, st->db.path);
		return -1;
	}
	/* none left after this is not an error: the change touched nothing the units see */
	if (st->o.changed_since) {
		if (ma_git_changes(run->root, st->o.changed_since, &st->changes, &st->err) < 0)
			return -1;
		ma_select_changed_units(st->selected, &st->nr_selected, &st->changes, st->o.jobs, run);
	}
	select_shard(st);
	return 0;
}

static int all_units_under(const struct ma_compdb *db, const char *dir)
{
	for (size_t i = 0; i < db->nr; i++)
		if (!ma_path_is_under(dir, db->units[i].file))
			return 0;
	return 1;
}

/* Shrink dir until it holds every unit. */
static void common_dir(const struct ma_compdb *db, struct strbuf *dir)
{
	for (size_t i = 0; i < db->nr; i++)
		while (dir->len > 1 && !ma_path_is_under(dir->buf, db->units[i].file))
			strbuf_setlen(dir, ma_path_dirlen(dir->buf));
}

/* The root: --root, else the current directory when it holds every unit,
 * else the deepest directory that holds them all. */
static void choose_root(struct audit_state *st)
{
	struct strbuf root = STRBUF_INIT, cwd = STRBUF_INIT, ignored = STRBUF_INIT;

	ma_getcwd(&cwd, &ignored);
	if (st->o.root) {
		ma_path_absolute(&root, cwd.buf, st->o.root);
	} else if (cwd.len && all_units_under(&st->db, cwd.buf)) {
		strbuf_addbuf(&root, &cwd);
	} else if (st->db.nr) {
		strbuf_add(&root, st->db.units[0].file, ma_path_dirlen(st->db.units[0].file));
		common_dir(&st->db, &root);
	}
	st->rep.run.root = strbuf_detach(&root, NULL);
	strbuf_release(&cwd);
	strbuf_release(&ignored);
}

static void note_db_details(struct audit_state *st)
{
	struct ma_run *run = &st->rep.run;

	if (st->db.dropped_options.nr) {
		char *list = strvec_join(&st->db.dropped_options, " ");
		strvec_pushf(&run->notes, "dropped compiler options clang does not know: %s", list);
		free(list);
	}
	if (st->db.skipped_other_lang)
		strvec_pushf(&run->notes, "skipped %zu compile database entries that are not C or C++",
			     st->db.skipped_other_lang);
}

int audit_load_units(struct audit_state *st)
{
	struct strbuf path = STRBUF_INIT;
	int ret = -1;

	if (build_project(st) < 0 || find_compdb(st, &path) < 0)
		goto out;
	if (capturing(st) && captured_nothing(st, path.buf))
		goto out;
	if (ma_compdb_load(&st->db, path.buf, &st->err) < 0)
		goto out;
	st->rep.run.compile_db = capturing(st) ? NULL : ma_strdup(path.buf);
	choose_root(st);
	ma_vcs_head(st->rep.run.root, &st->rep.run.commit, &st->rep.run.branch);
	note_db_details(st);
	ret = select_units(st);
out:
	strbuf_release(&path);
	return ret;
}
