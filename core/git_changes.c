#include "git_changes.h"
#include "alloc.h"
#include "array.h"
#include "fs.h"
#include "path.h"
#include "spawn.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static struct ma_changed_file *add_file(struct ma_changes *c, const char *top, const char *rel)
{
	struct strbuf abs = STRBUF_INIT;
	struct ma_changed_file *f;

	ma_path_absolute(&abs, top, rel);
	ALLOC_GROW(c->files, c->nr + 1, c->alloc);
	f = &c->files[c->nr++];
	memset(f, 0, sizeof(*f));
	f->path = strbuf_detach(&abs, NULL);
	return f;
}

/* A path as git prints it after "+++ b/": plain, or C-quoted when it holds
 * unusual bytes ("\"b/a\\tb.c\""). */
static void unquote_path(const char *s, size_t len, struct strbuf *out)
{
	if (!len || s[0] != '"') {
		strbuf_add(out, s, len);
		return;
	}
	for (size_t i = 1; i < len && s[i] != '"'; i++) {
		if (s[i] != '\\' || i + 1 >= len) {
			strbuf_addch(out, s[i]);
			continue;
		}
		i++;
		if (s[i] >= '0' && s[i] <= '7' && i + 2 < len) { /* \303 */
			strbuf_addch(out, (char)((s[i] - '0') * 64 + (s[i + 1] - '0') * 8 + (s[i + 2] - '0')));
			i += 2;
		} else {
			strbuf_addch(out, s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i]);
		}
	}
}

/* "@@ -a,b +c,d @@": the new side's lines c..c+d-1 (d 1 when left out, 0: none). */
static void add_hunk(struct ma_changed_file *f, const char *line)
{
	const char *plus = strstr(line, " +");
	unsigned long first, count = 1;
	char *end;

	if (!plus)
		return;
	first = strtoul(plus + 2, &end, 10);
	if (*end == ',')
		count = strtoul(end + 1, &end, 10);
	if (!count || !first)
		return; /* lines removed only: nothing new on this side */
	ALLOC_GROW(f->ranges, f->nr + 1, f->alloc);
	f->ranges[f->nr++] = (struct ma_line_range){ (unsigned)first, (unsigned)(first + count - 1) };
}

int ma_changes_add_diff(struct ma_changes *c, const char *top, const char *diff, struct strbuf *err)
{
	struct ma_changed_file *f = NULL;
	int new_file = 0;

	for (const char *line = diff; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (!strncmp(line, "diff --git ", 11)) {
			f = NULL;
			new_file = 0;
		} else if (!strncmp(line, "new file mode", 13)) {
			new_file = 1;
		} else if (!strncmp(line, "+++ ", 4)) {
			struct strbuf path = STRBUF_INIT;
			unquote_path(line + 4, len - 4, &path);
			if (starts_with(path.buf, "b/")) {
				f = add_file(c, top, path.buf + 2);
				f->whole = new_file;
			} else {
				f = NULL; /* "+++ /dev/null": the file is gone */
			}
			strbuf_release(&path);
		} else if (!strncmp(line, "@@ ", 3) && f) {
			add_hunk(f, line);
		} else if (!strncmp(line, "Binary files ", 13)) {
			f = NULL;
		}
		line = end ? end + 1 : NULL;
	}
	(void)err;
	return 0;
}

void ma_changes_add_untracked(struct ma_changes *c, const char *top, const char *names, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n = strnlen(names + i, len - i);
		if (n)
			add_file(c, top, names + i)->whole = 1;
		i += n + 1;
	}
}

static int cmp_changed(const void *a, const void *b)
{
	return strcmp(((const struct ma_changed_file *)a)->path, ((const struct ma_changed_file *)b)->path);
}

void ma_changes_sort(struct ma_changes *c)
{
	if (c->nr)
		qsort(c->files, c->nr, sizeof(*c->files), cmp_changed);
}

/* git's output (stdout into out); -1 with the first line git printed on stderr. */
static int run_git(const char *const *argv, const char *tmp, struct strbuf *out, struct strbuf *err)
{
	struct strbuf out_path = STRBUF_INIT, err_path = STRBUF_INIT, msg = STRBUF_INIT;
	struct ma_spawn_opts o = { .stdin_path = "/dev/null", .timeout_ms = 120000 };
	struct ma_spawn_result res;
	int ret = -1;

	strbuf_addf(&out_path, "%s/out", tmp);
	strbuf_addf(&err_path, "%s/err", tmp);
	o.stdout_path = out_path.buf;
	o.stderr_path = err_path.buf;
	if (ma_spawn_run(argv, &o, &res, err) < 0)
		goto out;
	if (res.exit_code || res.signal || res.timed_out) {
		strbuf_read_file(&msg, err_path.buf, err);
		strbuf_setlen(&msg, strcspn(msg.buf ? msg.buf : "", "\n"));
		strbuf_addf(err, "'%s %s' failed: %s", argv[0], argv[3], msg.len ? msg.buf : "no message");
		goto out;
	}
	ret = strbuf_read_file(out, out_path.buf, err);
out:
	strbuf_release(&out_path);
	strbuf_release(&err_path);
	strbuf_release(&msg);
	return ret;
}

int ma_git_changes(const char *root, const char *ref, struct ma_changes *out, struct strbuf *err)
{
	const char *toplevel[] = { "git", "-C", root, "rev-parse", "--show-toplevel", NULL };
	const char *diff[] = { "git", "-C", NULL, "diff", "--no-color", "--no-ext-diff", "-U0", ref, "--", NULL };
	const char *untracked[] = { "git", "-C", NULL, "ls-files", "--others", "--exclude-standard", "-z", NULL };
	struct strbuf tmp = STRBUF_INIT, top = STRBUF_INIT, text = STRBUF_INIT;
	int ret = -1;

	if (ma_mkdtemp(&tmp, "memaudit-git", err) < 0)
		return -1;
	if (run_git(toplevel, tmp.buf, &top, err) < 0)
		goto out;
	strbuf_trim(&top);
	diff[2] = untracked[2] = top.buf;
	if (run_git(diff, tmp.buf, &text, err) < 0 || ma_changes_add_diff(out, top.buf, text.buf ? text.buf : "", err) < 0)
		goto out;
	strbuf_reset(&text);
	if (run_git(untracked, tmp.buf, &text, err) < 0)
		goto out;
	ma_changes_add_untracked(out, top.buf, text.buf ? text.buf : "", text.len);
	ma_changes_sort(out);
	ret = 0;
out:
	ma_remove_tree(tmp.buf);
	strbuf_release(&tmp);
	strbuf_release(&top);
	strbuf_release(&text);
	return ret;
}

static int cmp_key(const void *key, const void *item)
{
	return strcmp(key, ((const struct ma_changed_file *)item)->path);
}

const struct ma_changed_file *ma_changes_find(const struct ma_changes *c, const char *path)
{
	if (!c->nr || !path)
		return NULL;
	return bsearch(path, c->files, c->nr, sizeof(*c->files), cmp_key);
}

int ma_changed_line(const struct ma_changed_file *f, unsigned line)
{
	if (f->whole)
		return 1;
	for (size_t i = 0; i < f->nr; i++)
		if (line >= f->ranges[i].first && line <= f->ranges[i].last)
			return 1;
	return 0;
}

void ma_changes_release(struct ma_changes *c)
{
	for (size_t i = 0; i < c->nr; i++) {
		free(c->files[i].path);
		free(c->files[i].ranges);
	}
	free(c->files);
	memset(c, 0, sizeof(*c));
}
