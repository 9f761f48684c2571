/*
 * The sanitizer build (--build CMD --sanitize LIST): compiler wrappers on
 * PATH, the flags in the environment, and a scratch copy when the tree's
 * objects would otherwise be reused.  See sanitize_build.h.
 */
#include "sanitize_build.h"

#include "../../core/compdb.h"
#include "../../core/fs.h"
#include "../../core/path.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* clang 14's -fsanitize= names a user may ask for (the groups and the
 * checks people name alone); a typo is caught before a long build. */
static const char *const known_sanitizers[] = {
	"address", "undefined", "leak", "thread", "memory", "integer", "implicit-conversion",
	"implicit-integer-truncation", "implicit-integer-sign-change", "unsigned-integer-overflow",
	"signed-integer-overflow", "float-divide-by-zero", "float-cast-overflow", "integer-divide-by-zero",
	"shift", "shift-base", "shift-exponent", "bounds", "array-bounds", "local-bounds", "alignment",
	"null", "nonnull-attribute", "nullability", "nullability-arg", "nullability-assign",
	"nullability-return", "pointer-overflow", "return", "returns-nonnull-attribute", "unreachable",
	"vla-bound", "bool", "enum", "builtin", "object-size", "function", "vptr",
	"pointer-compare", "pointer-subtract", "unsigned-shift-base", NULL,
};

/* The runtimes that cannot share a process with another. */
static const char *const exclusive_runtimes[] = { "thread", "memory", NULL };

/* The compilers a build may call by name: wrapped whatever PATH holds. */
static const char *const wrapped_names[] = { "cc", "gcc", "clang", "c++", "g++", "clang++", NULL };

static int in_list(const char *name, size_t len, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !strncmp(list[i], name, len))
			return 1;
	return 0;
}

const char *ma_sanitizer_unknown(const char *list, size_t *len)
{
	const char *p = list;

	for (;;) {
		size_t n = strcspn(p, ",");
		if (!in_list(p, n, known_sanitizers)) {
			*len = n;
			return p;
		}
		if (!p[n])
			return NULL;
		p += n + 1;
	}
}

static int names(const char *list, const char *name)
{
	const char *p = list;
	size_t len = strlen(name);

	for (;;) {
		size_t n = strcspn(p, ",");
		if (n == len && !strncmp(p, name, len))
			return 1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int ma_sanitizers_compatible(const char *list, struct strbuf *err)
{
	for (size_t i = 0; exclusive_runtimes[i]; i++) {
		const char *x = exclusive_runtimes[i];
		if (names(list, x) && (names(list, "address") || names(list, "leak") ||
				       (strcmp(x, "thread") && names(list, "thread")))) {
			strbuf_addf(err, "--sanitize %s cannot share a build with address or leak: "
				    "give it its own audit (--sanitize %s)", x, x);
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Compiler wrappers                                                   */

/* The first `name` on PATH outside skip_dir, into out. */
static int find_on_path(const char *name, const char *skip_dir, struct strbuf *out)
{
	const char *path = getenv("PATH");

	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		strbuf_reset(out);
		strbuf_add(out, p, n);
		if (n && strcmp(out->buf, skip_dir)) {
			strbuf_addf(out, "/%s", name);
			if (!access(out->buf, X_OK))
				return 0;
		}
		p += n + !!p[n];
	}
	strbuf_reset(out);
	return -1;
}

/* gcc-12, clang-14, x86_64-linux-gnu-gcc-12, ...: a wrapped name with a
 * version after it or a target triple before it. */
static int is_versioned_compiler(const char *file)
{
	const char *base = file, *dash;

	while ((dash = strstr(base, "-linux-gnu-")))
		base = dash + strlen("-linux-gnu-");
	for (size_t i = 0; wrapped_names[i]; i++) {
		const char *rest;
		if (skip_prefix(base, wrapped_names[i], &rest) && (!*rest ? base != file :
			(rest[0] == '-' && rest[1] >= '0' && rest[1] <= '9' && strspn(rest + 1, "0123456789.") == strlen(rest + 1))))
			return 1;
	}
	return 0;
}

/* Every name the build might call: the plain ones and the versioned ones on PATH. */
static void collect_wrapped_names(struct strvec *out)
{
	const char *path = getenv("PATH");
	struct strbuf dir = STRBUF_INIT;

	strvec_pushv(out, wrapped_names);
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		DIR *d;
		strbuf_reset(&dir);
		strbuf_add(&dir, p, n);
		p += n + !!p[n];
		if (!n || !(d = opendir(dir.buf)))
			continue;
		for (struct dirent *e; (e = readdir(d));) {
			int seen = 0;
			for (size_t i = 0; i < out->nr && !seen; i++)
				seen = !strcmp(out->v[i], e->d_name);
			if (!seen && is_versioned_compiler(e->d_name))
				strvec_push(out, e->d_name);
		}
		closedir(d);
	}
	strbuf_release(&dir);
}

static void sanitizer_flags(const char *list, struct strbuf *out)
{
	strbuf_addf(out, "-fsanitize=%s", list);
	if (names(list, "address"))
		strbuf_addstr(out, " -fsanitize-recover=address");
	strbuf_addstr(out, " -g -fno-omit-frame-pointer");
}

/* One wrapper script: log the call (so a build that compiled nothing is
 * seen), then clang with the project's arguments and the flags.  Every
 * string in it is memaudit's own: paths it made and a checked list. */
static int write_wrapper(const char *dir, const char *name, const char *clang, const char *flags,
			 struct strbuf *err)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	int ret;

	strbuf_addf(&path, "%s/%s", dir, name);
	strbuf_addf(&text, "#!/bin/sh\n"
		    "# memaudit --sanitize: the project's compiler call, made with clang and the sanitizers\n"
		    "echo \"$PWD\" >> '%s/calls'\n"
		    "exec '%s' \"$@\" %s\n", dir, clang, flags);
	ret = ma_write_file_atomic(path.buf, text.buf, text.len, err);
	if (!ret && chmod(path.buf, 0755) < 0) {
		strbuf_addf(err, "%s: %s", path.buf, strerror(errno));
		ret = -1;
	}
	strbuf_release(&path);
	strbuf_release(&text);
	return ret;
}

static int write_wrappers(const char *dir, const char *flags, struct strbuf *err)
{
	struct strbuf clang = STRBUF_INIT, clangxx = STRBUF_INIT;
	struct strvec wrapped = STRVEC_INIT;
	int ret = -1;

	if (find_on_path("clang", dir, &clang) < 0 || find_on_path("clang++", dir, &clangxx) < 0) {
		strbuf_addstr(err, "--sanitize builds with clang and clang++: not found on PATH "
			      "(Debian: apt-get install clang)");
		goto out;
	}
	collect_wrapped_names(&wrapped);
	for (size_t i = 0; i < wrapped.nr; i++) {
		const char *real = strstr(wrapped.v[i], "++") ? clangxx.buf : clang.buf;
		if (write_wrapper(dir, wrapped.v[i], real, flags, err) < 0)
			goto out;
	}
	ret = 0;
out:
	strvec_clear(&wrapped);
	strbuf_release(&clang);
	strbuf_release(&clangxx);
	return ret;
}

/* PATH with the wrappers first, and the compiler variables a makefile may read. */
static void build_env(const char *wrappers, const char *flags, struct strvec *env)
{
	static const char *const flag_vars[] = { "CFLAGS", "CXXFLAGS", "LDFLAGS", NULL };
	const char *path = getenv("PATH");

	strvec_pushf(env, "PATH=%s:%s", wrappers, path ? path : "/usr/bin:/bin");
	strvec_pushf(env, "CC=%s/clang", wrappers);
	strvec_pushf(env, "CXX=%s/clang++", wrappers);
	for (size_t i = 0; flag_vars[i]; i++) {
		const char *user = getenv(flag_vars[i]);
		strvec_pushf(env, "%s=%s%s%s", flag_vars[i], user ? user : "", user ? " " : "", flags);
	}
}

/* ------------------------------------------------------------------ */
/* The tree: objects before the build, the scratch copy                */

static int is_object(const char *path)
{
	return ends_with(path, ".o") || ends_with(path, ".obj");
}

static void count_object(const char *path, void *data)
{
	if (is_object(path))
		(*(size_t *)data)++;
}

/* Newer than every object copied with it: make and ninja rebuild them all. */
static void touch_source(const char *path, void *data)
{
	(void)data;
	if (ma_lang_of_file(path) >= 0 || ends_with(path, ".inc") || ends_with(path, ".def"))
		utimensat(AT_FDCWD, path, NULL, 0);
}

static size_t objects_under(const char *dir)
{
	size_t n = 0;

	ma_walk_files(dir, count_object, &n);
	return n;
}

static size_t lines_in(const char *path)
{
	struct strbuf text = STRBUF_INIT, ignored = STRBUF_INIT;
	size_t n = 0;

	if (!strbuf_read_file(&text, path, &ignored))
		for (size_t i = 0; i < text.len; i++)
			n += text.buf[i] == '\n';
	strbuf_release(&text);
	strbuf_release(&ignored);
	return n;
}

void ma_sanitize_build_to_copy(const struct ma_sanitize_build *b, const char *path, struct strbuf *out)
{
	ma_path_move(out, path, b->base, b->copy.len ? b->copy.buf : b->base);
}

/* cp -a base TMP/tree, then its sources made newer than its objects. */
static int make_copy(struct ma_sanitize_build *b, struct strbuf *err)
{
	struct strvec argv = STRVEC_INIT;
	struct ma_spawn_opts so = { .stdout_path = "/dev/null" };
	struct ma_spawn_result res;
	int ret = -1;

	strbuf_reset(&b->copy);
	strbuf_addf(&b->copy, "%s/tree", b->tmp.buf);
	strvec_pushl(&argv, "cp", "-a", "--", b->base, b->copy.buf, NULL);
	if (ma_spawn_run(argv.v, &so, &res, err) < 0)
		goto out;
	if (res.exit_code || res.signal) {
		strbuf_addf(err, "could not copy '%s' to build it with the sanitizers: cp ", b->base);
		ma_spawn_describe(&res, err);
		goto out;
	}
	ma_walk_files(b->copy.buf, touch_source, NULL);
	ret = 0;
out:
	strvec_clear(&argv);
	return ret;
}

/* The entry's compiler: "arguments"[0], or the first word of "command". */
static int called_through(const cJSON *entry, const char *wrappers)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(entry, "arguments");
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(entry, "command");
	const char *first = cJSON_IsArray(args) && cJSON_IsString(cJSON_GetArrayItem(args, 0)) ?
			    cJSON_GetArrayItem(args, 0)->valuestring : cJSON_IsString(cmd) ? cmd->valuestring : "";

	return starts_with(first, wrappers) && first[strlen(wrappers)] == '/';
}

/*
 * bear sees each compile twice: the project's call of a wrapper, and the
 * wrapper's call of clang (with a clang-internal "-cc1" call besides when
 * one command compiles and links).  The project's calls are the database.
 */
static int keep_wrapper_calls(const char *db_path, const char *wrappers, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	cJSON *db = NULL, *kept = cJSON_CreateArray(), *e;
	char *out = NULL;
	int ret = -1;

	if (strbuf_read_file(&text, db_path, err) < 0)
		goto done;
	if (!(db = cJSON_Parse(text.buf)) || !cJSON_IsArray(db)) {
		strbuf_addf(err, "'%s': the compile database bear wrote is not a JSON array", db_path);
		goto done;
	}
	cJSON_ArrayForEach(e, db)
		if (called_through(e, wrappers))
			cJSON_AddItemReferenceToArray(kept, e);
	out = cJSON_Print(kept);
	ret = ma_write_file_atomic(db_path, out, strlen(out), err);
done:
	free(out);
	cJSON_Delete(kept);
	cJSON_Delete(db);
	strbuf_release(&text);
	return ret;
}

/* The build command, under bear when capturing, in cwd of the tree built. */
static int run_build(struct ma_sanitize_build *b, const struct strvec *env, struct strbuf *err)
{
	struct strvec argv = STRVEC_INIT;
	struct strbuf wrappers = STRBUF_INIT, calls = STRBUF_INIT;
	struct ma_spawn_opts so = { .cwd = b->run_cwd.buf, .env = env->v, .timeout_ms = b->timeout_ms,
				    .stdout_path = b->log_path, .stderr_to_stdout = !!b->log_path, .append = 1 };
	int ret;

	strbuf_addf(&wrappers, "%s/wrappers", b->tmp.buf);
	strbuf_addf(&calls, "%s/calls", wrappers.buf);
	unlink(calls.buf);
	if (b->capture_db) {
		unlink(b->capture_db);
		strvec_pushl(&argv, "bear", "--output", b->capture_db, "--", NULL);
	}
	strvec_pushv(&argv, b->build);
	ret = ma_spawn_run(argv.v, &so, &b->res, err);
	b->compiler_calls = lines_in(calls.buf);
	if (!ret && b->capture_db && ma_is_file(b->capture_db))
		ret = keep_wrapper_calls(b->capture_db, wrappers.buf, err);
	strvec_clear(&argv);
	strbuf_release(&wrappers);
	strbuf_release(&calls);
	return ret;
}

static int build_in_copy(struct ma_sanitize_build *b, const struct strvec *env, struct strbuf *err)
{
	if (make_copy(b, err) < 0)
		return -1;
	ma_sanitize_build_to_copy(b, b->cwd, &b->run_cwd);
	return run_build(b, env, err);
}

int ma_sanitize_build_run(struct ma_sanitize_build *b, struct strbuf *err)
{
	struct strbuf wrappers = STRBUF_INIT, flags = STRBUF_INIT;
	struct strvec env = STRVEC_INIT;
	int ret = -1;

	strbuf_init(&b->tmp, 0);
	strbuf_init(&b->copy, 0);
	strbuf_init(&b->run_cwd, 0);
	if (ma_mkdtemp(&b->tmp, "memaudit-sanitize", err) < 0)
		goto out;
	strbuf_addf(&wrappers, "%s/wrappers", b->tmp.buf);
	sanitizer_flags(b->sanitize, &flags);
	if (ma_mkdir_p(wrappers.buf, err) < 0 || write_wrappers(wrappers.buf, flags.buf, err) < 0)
		goto out;
	build_env(wrappers.buf, flags.buf, &env);
	b->objects_before = objects_under(b->base);
	if (b->objects_before || b->always_copy) {
		ret = build_in_copy(b, &env, err);
	} else {
		strbuf_addstr(&b->run_cwd, b->cwd);
		ret = run_build(b, &env, err);
		/* nothing compiled: its outputs were up to date without objects */
		if (!ret && !b->compiler_calls && !b->res.exit_code && !b->res.signal && !b->res.timed_out)
			ret = build_in_copy(b, &env, err);
	}
	if (!ret && !b->compiler_calls && !b->res.timed_out && !b->res.interrupted) {
		strbuf_addf(err, "the build command '%s' ", b->build[0]);
		if (b->res.exit_code || b->res.signal) {
			ma_spawn_describe(&b->res, err);
			strbuf_addstr(err, " before compiling anything");
		} else {
			strbuf_addstr(err, "called no compiler through memaudit's wrappers (does it name "
				      "the compiler by its full path?)");
		}
		ret = -1;
	}
out:
	strvec_clear(&env);
	strbuf_release(&wrappers);
	strbuf_release(&flags);
	return ret;
}

void ma_sanitize_build_release(struct ma_sanitize_build *b)
{
	if (b->tmp.len)
		ma_remove_tree(b->tmp.buf);
	strbuf_release(&b->tmp);
	strbuf_release(&b->copy);
	strbuf_release(&b->run_cwd);
}
