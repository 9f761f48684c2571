#include "compdb.h"
#include "alloc.h"
#include "array.h"
#include "fs.h"
#include "path.h"
#include "strbuf.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Shell-like splitting of "command"                                   */

static const char *split_double_quoted(const char *p, struct strbuf *word)
{
	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1])) {
			p++;
			if (*p == '\n')
				continue;
		}
		strbuf_addch(word, *p);
	}
	return p;
}

int ma_shell_split(const char *cmd, struct strvec *out, struct strbuf *err)
{
	struct strbuf word = STRBUF_INIT;
	int in_word = 0;
	const char *p = cmd;

	for (; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (in_word)
				strvec_push(out, word.buf);
			strbuf_reset(&word);
			in_word = 0;
			continue;
		}
		if (*p == '\\' && p[1] == '\n') { /* a line continuation is no word */
			p++;
			continue;
		}
		in_word = 1;
		if (*p == '\\') {
			if (p[1])
				p++;
			strbuf_addch(&word, *p);
		} else if (*p == '\'') {
			const char *end = strchr(p + 1, '\'');
			if (!end)
				goto open_quote;
			strbuf_add(&word, p + 1, (size_t)(end - p - 1));
			p = end;
		} else if (*p == '"') {
			p = split_double_quoted(p + 1, &word);
			if (!*p)
				goto open_quote;
		} else {
			strbuf_addch(&word, *p);
		}
	}
	if (in_word)
		strvec_push(out, word.buf);
	strbuf_release(&word);
	return 0;
open_quote:
	strbuf_addf(err, "unterminated quote in command: %s", cmd);
	strbuf_release(&word);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Argument filtering                                                  */

int ma_lang_of_file(const char *file)
{
	static const char *const c_ext[] = { ".c", ".i", ".h", NULL };
	static const char *const cxx_ext[] = { ".cc", ".cpp", ".cxx", ".c++", ".C", ".cp",
					       ".CPP", ".ii", ".hh", ".hpp", ".hxx", NULL };
	const char *dot = strrchr(file, '.');

	if (!dot || strchr(dot, '/'))
		return -1;
	for (size_t i = 0; c_ext[i]; i++)
		if (!strcmp(dot, c_ext[i]))
			return MA_LANG_C;
	for (size_t i = 0; cxx_ext[i]; i++)
		if (!strcmp(dot, cxx_ext[i]))
			return MA_LANG_CXX;
	return -1;
}

/* Options that take their value as the next argument and are dropped with it. */
static const char *const drop_with_value[] = { "-o", "-MF", "-MT", "-MQ", "-Xassembler", "--param",
					       NULL };

/* Options dropped as a whole: compilation mode, dependency files, gcc-only. */
static const char *const drop_exact[] = {
	"-c", "-M", "-MM", "-MD", "-MMD", "-MP", "-MG", "-pipe", "-save-temps",
	"-fconserve-stack", "-fno-var-tracking-assignments", "-fvar-tracking-assignments",
	"-fmerge-constants", "-fno-allow-store-data-races", "-fno-partial-inlining",
	"-fno-schedule-insns2", "-fanalyzer", "-fno-code-hoisting", "-fsingle-precision-constant",
	"-mno-fp-ret-in-387", "-mskip-rax-setup", "-fno-tree-vrp", "-Wno-psabi", NULL,
};

/* Prefixes of gcc-only options (and output-file options with a joined value). */
static const char *const drop_prefix[] = {
	"-o", "-MF", "-MT", "-MQ", "-Wa,", "-fdump-", "-fplugin", "-fipa-", "-fno-ipa-",
	"-ftree-", "-fno-tree-", "-fsched-", "-fno-sched-", "-finline-limit=",
	"-mpreferred-stack-boundary=", "-mindirect-branch", "-mfunction-return=",
	"-mrecord-mcount", "-fconstant-string-class", "-fmacro-prefix-map=",
	"-flto", "-fno-lto", "-fprofile-", "-specs=", "--param", "-fopt-info",
	"-fcallgraph-info", "-fstack-usage", "-fdiagnostics-color", NULL,
};

static int in_list(const char *arg, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(arg, *list))
			return 1;
	return 0;
}

static int has_prefix_in(const char *arg, const char *const *list)
{
	for (; *list; list++)
		if (starts_with(arg, *list))
			return 1;
	return 0;
}

static int is_wrapper(const char *prog)
{
	const char *base = strrchr(prog, '/');
	base = base ? base + 1 : prog;
	return !strcmp(base, "ccache") || !strcmp(base, "distcc") || !strcmp(base, "sccache");
}

static int is_gcc_only(const char *arg)
{
	/* -Wa, etc. are joined forms; "-o" alone is handled as drop_with_value */
	return in_list(arg, drop_exact) || (strcmp(arg, "-o") && has_prefix_in(arg, drop_prefix) &&
					    !starts_with(arg, "-objc"));
}

static int is_source_arg(const char *arg, const char *dir, const char *file)
{
	struct strbuf abs = STRBUF_INIT;
	int same;

	if (arg[0] == '-')
		return 0;
	ma_path_absolute(&abs, dir, arg);
	same = !strcmp(abs.buf, file);
	strbuf_release(&abs);
	return same;
}

static void note_dropped(struct ma_compdb *db, const char *arg)
{
	/* only gcc-only options are worth telling the user about */
	if (starts_with(arg, "-o") || starts_with(arg, "-M") || !strcmp(arg, "-c"))
		return;
	for (size_t i = 0; i < db->dropped_options.nr; i++)
		if (!strcmp(db->dropped_options.v[i], arg))
			return;
	strvec_push(&db->dropped_options, arg);
}

/*
 * Options naming a file or directory.  Their relative values are made
 * absolute against the entry's directory, because libclang resolves them
 * against the process's working directory, which is shared by every worker
 * thread (clang's -working-directory would chdir() the whole process).
 * Longer names first, so "-isystem" is not taken for "-isysroot"'s prefix.
 */
static const char *const path_options[] = {
	"-iwithprefixbefore", "-iwithprefix", "-include-pch", "-ivfsoverlay", "-cxx-isystem",
	"-iframework", "-idirafter", "-isysroot", "--sysroot=", "--sysroot", "-isystem",
	"-iprefix", "-imacros", "-include", "-iquote", "-fmodule-map-file=", "-I", "-F", NULL,
};

/* Push a, with its path made absolute if it is a path option; returns 1 when
 * the next argument is that option's value and must be made absolute too. */
static int push_path_aware(struct strvec *out, const char *a, const char *dir)
{
	for (size_t k = 0; path_options[k]; k++) {
		const char *val;
		struct strbuf sb = STRBUF_INIT;
		if (!skip_prefix(a, path_options[k], &val))
			continue;
		if (!*val) {
			strvec_push(out, a);
			return 1;
		}
		strbuf_addstr(&sb, path_options[k]);
		ma_path_absolute(&sb, dir, val);
		strvec_push_nodup(out, strbuf_detach(&sb, NULL));
		return 0;
	}
	strvec_push(out, a);
	return 0;
}

static void push_path(struct strvec *out, const char *val, const char *dir)
{
	struct strbuf sb = STRBUF_INIT;

	ma_path_absolute(&sb, dir, val);
	strvec_push_nodup(out, strbuf_detach(&sb, NULL));
}

static void filter_args(struct ma_compdb *db, const struct strvec *raw, const char *dir,
			const char *file, struct strvec *out)
{
	size_t i = 0;

	while (i < raw->nr && is_wrapper(raw->v[i]))
		i++;
	for (i++; i < raw->nr; i++) {
		const char *a = raw->v[i];
		if (in_list(a, drop_with_value)) {
			i++;
			continue;
		}
		if (is_gcc_only(a)) {
			note_dropped(db, a);
			continue;
		}
		if (is_source_arg(a, dir, file))
			continue;
		if (push_path_aware(out, a, dir) && i + 1 < raw->nr)
			push_path(out, raw->v[++i], dir);
	}
}

/* ------------------------------------------------------------------ */
/* JSON entries                                                        */

static const char *json_string(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(it) ? it->valuestring : NULL;
}

static int raw_args(const cJSON *entry, struct strvec *out, size_t idx, const char *path,
		    struct strbuf *err)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(entry, "arguments"), *a;
	const char *command = json_string(entry, "command");

	if (cJSON_IsArray(args)) {
		cJSON_ArrayForEach(a, args) {
			if (!cJSON_IsString(a)) {
				strbuf_addf(err, "'%s': entry %zu: 'arguments' must hold only strings", path, idx + 1);
				return -1;
			}
			strvec_push(out, a->valuestring);
		}
	} else if (command) {
		struct strbuf why = STRBUF_INIT;
		if (ma_shell_split(command, out, &why) < 0) {
			strbuf_addf(err, "'%s': entry %zu: %s", path, idx + 1, why.buf);
			strbuf_release(&why);
			return -1;
		}
	} else {
		strbuf_addf(err, "'%s': entry %zu has neither 'arguments' nor 'command'", path, idx + 1);
		return -1;
	}
	if (!out->nr) {
		strbuf_addf(err, "'%s': entry %zu has an empty command", path, idx + 1);
		return -1;
	}
	return 0;
}

static int same_unit(const struct ma_compile_unit *a, const struct ma_compile_unit *b)
{
	return !strcmp(a->file, b->file) && strvec_equal(&a->args, &b->args);
}

static int is_duplicate(const struct ma_compdb *db, const struct ma_compile_unit *u)
{
	for (size_t i = 0; i < db->nr; i++)
		if (same_unit(&db->units[i], u))
			return 1;
	return 0;
}

static void unit_release(struct ma_compile_unit *u)
{
	free(u->file);
	free(u->directory);
	strvec_clear(&u->args);
}

static int add_entry(struct ma_compdb *db, const cJSON *entry, size_t idx, const char *base,
		     struct strbuf *err)
{
	const char *dir = json_string(entry, "directory"), *file = json_string(entry, "file");
	struct strbuf absdir = STRBUF_INIT, absfile = STRBUF_INIT;
	struct strvec raw = STRVEC_INIT;
	struct ma_compile_unit u = { .args = STRVEC_INIT };
	int lang;

	if (!cJSON_IsObject(entry) || !file || !*file || !dir) {
		strbuf_addf(err, "'%s': entry %zu needs string fields 'directory' and 'file'", db->path, idx + 1);
		return -1;
	}
	ma_path_absolute(&absdir, base, dir);
	ma_path_absolute(&absfile, absdir.buf, file);
	if ((lang = ma_lang_of_file(absfile.buf)) < 0) {
		db->skipped_other_lang++;
		goto out;
	}
	if (raw_args(entry, &raw, idx, db->path, err) < 0) {
		strbuf_release(&absdir);
		strbuf_release(&absfile);
		strvec_clear(&raw);
		return -1;
	}
	u.file = strbuf_detach(&absfile, NULL);
	u.directory = strbuf_detach(&absdir, NULL);
	u.lang = (enum ma_lang)lang;
	u.size = (long long)ma_file_size(u.file);
	filter_args(db, &raw, u.directory, u.file, &u.args);
	if (is_duplicate(db, &u)) {
		db->duplicates++;
		unit_release(&u);
		goto out;
	}
	ALLOC_GROW(db->units, db->nr + 1, db->alloc);
	db->units[db->nr++] = u;
out:
	strbuf_release(&absdir);
	strbuf_release(&absfile);
	strvec_clear(&raw);
	return 0;
}

static unsigned line_of(const char *text, const char *at)
{
	unsigned line = 1;

	for (const char *p = text; p < at && *p; p++)
		line += *p == '\n';
	return line;
}

int ma_compdb_parse(struct ma_compdb *db, const char *json, size_t len, const char *path,
		    struct strbuf *err)
{
	struct strbuf base = STRBUF_INIT, cwd = STRBUF_INIT, ignored = STRBUF_INIT;
	cJSON *root = cJSON_ParseWithLength(json, len), *entry;
	size_t idx = 0;
	int ret = 0;

	free(db->path);
	db->path = ma_strdup(path);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		strbuf_addf(err, "'%s': malformed JSON near line %u", path,
			    at && at >= json && at <= json + len ? line_of(json, at) : 1);
		return -1;
	}
	if (!cJSON_IsArray(root)) {
		strbuf_addf(err, "'%s': expected a JSON array of compile commands", path);
		cJSON_Delete(root);
		return -1;
	}
	if (!cJSON_GetArraySize(root)) {
		strbuf_addf(err, "'%s': empty compile database (no entries)", path);
		cJSON_Delete(root);
		return -1;
	}
	/* a relative "directory" is taken relative to the database's own folder */
	if (ma_getcwd(&cwd, &ignored) == 0)
		ma_path_absolute(&base, cwd.buf, path);
	strbuf_setlen(&base, ma_path_dirlen(base.buf));
	cJSON_ArrayForEach(entry, root) {
		if ((ret = add_entry(db, entry, idx++, base.buf, err)) < 0)
			break;
	}
	cJSON_Delete(root);
	strbuf_release(&base);
	strbuf_release(&cwd);
	strbuf_release(&ignored);
	return ret;
}

int ma_compdb_load(struct ma_compdb *db, const char *path, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	int ret;

	if (strbuf_read_file(&text, path, err) < 0)
		return -1;
	ret = ma_compdb_parse(db, text.buf, text.len, path, err);
	strbuf_release(&text);
	return ret;
}

void ma_compdb_release(struct ma_compdb *db)
{
	for (size_t i = 0; i < db->nr; i++)
		unit_release(&db->units[i]);
	free(db->units);
	free(db->path);
	strvec_clear(&db->dropped_options);
	memset(db, 0, sizeof(*db));
	strvec_init(&db->dropped_options);
}
