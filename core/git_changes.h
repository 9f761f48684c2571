#ifndef MA_GIT_CHANGES_H
#define MA_GIT_CHANGES_H
/*
 * What changed in a git checkout since a commit (`--changed-since REF`):
 * the files that differ between REF and the working tree (committed or
 * not, untracked files included), and for each the lines of its new side
 * that are new or changed (`--new-code-only`).  Read from `git diff -U0`
 * and `git ls-files --others`, spawned with argv arrays.
 *
 *     struct ma_changes ch = MA_CHANGES_INIT;
 *     if (ma_git_changes(root, "origin/main", &ch, &err) < 0) ...
 *     const struct ma_changed_file *f = ma_changes_find(&ch, "/abs/src/a.c");
 *     if (f && ma_changed_line(f, 42)) ...
 *     ma_changes_release(&ch);
 */
#include <stddef.h>

struct strbuf;

struct ma_line_range {
	unsigned first, last; /* 1-based, inclusive */
};

struct ma_changed_file {
	char *path;                  /* absolute */
	int whole;                   /* new (or untracked): every line is new */
	struct ma_line_range *ranges;
	size_t nr, alloc;
};

struct ma_changes {
	struct ma_changed_file *files; /* sorted by path */
	size_t nr, alloc;
};

#define MA_CHANGES_INIT { 0 }

/* -1 and one line in err (not a checkout, an unknown REF: git's own words). */
int ma_git_changes(const char *root, const char *ref, struct ma_changes *out, struct strbuf *err);

/*
 * The parts, for tests: the new-side files and hunks of a `git diff -U0`
 * output whose paths are relative to top; untracked file names (NUL
 * separated, as `git ls-files -z` prints them) as whole new files.
 */
int ma_changes_add_diff(struct ma_changes *c, const char *top, const char *diff, struct strbuf *err);
void ma_changes_add_untracked(struct ma_changes *c, const char *top, const char *names, size_t len);
void ma_changes_sort(struct ma_changes *c);

const struct ma_changed_file *ma_changes_find(const struct ma_changes *c, const char *path);
int ma_changed_line(const struct ma_changed_file *f, unsigned line);
void ma_changes_release(struct ma_changes *c);

#endif
