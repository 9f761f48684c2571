#ifndef MA_PATH_H
#define MA_PATH_H
/*
 * Path helpers.  memaudit keeps every path it stores absolute and
 * normalised ("/a/b/../c/./d" -> "/a/c/d"), without touching the file
 * system, because compile databases name the same file from different
 * directories and findings must merge on the path.  Reports show paths
 * relative to the project root (ma_path_relative).
 *
 *     struct strbuf p = STRBUF_INIT;
 *     ma_path_absolute(&p, entry_dir, "../src/x.c");   ("/proj/src/x.c")
 *     puts(ma_path_relative("/proj", p.buf));           ("src/x.c")
 */
#include <stddef.h>

struct strbuf;

/* Collapse "//", "/./" and "/../" in place; keeps a leading "/". */
void ma_path_normalize(char *path);
/* sb = base/path (path as is when absolute), normalised. */
void ma_path_absolute(struct strbuf *sb, const char *base, const char *path);
/* The part of path below root ("src/x.c"), or path itself when outside root. */
const char *ma_path_relative(const char *root, const char *path);
/* 1 when path is root or below it. */
int ma_path_is_under(const char *root, const char *path);
/* path, moved from under `from` to under `to`, into out (reset first); a
 * path not under `from` is copied as it is. */
void ma_path_move(struct strbuf *out, const char *path, const char *from, const char *to);
/* Length of the directory part of path (up to, not including, the last '/'). */
size_t ma_path_dirlen(const char *path);
/* The current working directory into sb; -1 and a line in err on failure. */
int ma_getcwd(struct strbuf *sb, struct strbuf *err);

#endif
