#ifndef MA_FS_H
#define MA_FS_H
/*
 * File-system helpers.  Reports are always written with
 * ma_write_file_atomic(): the data goes to a temporary file in the same
 * directory, which is then renamed over the target, so a run stopped by
 * Ctrl-C leaves the old report or the new one, never half a file.  While a
 * temporary file exists its name is remembered, and SIGINT/SIGTERM remove
 * it (ma_fs_install_signal_cleanup).
 *
 *     if (ma_mkdir_p("out/demo", &err) < 0 ||
 *         ma_write_file_atomic("out/demo/report.json", sb.buf, sb.len, &err) < 0)
 *             return error(err.buf);
 */
#include <stddef.h>
#include <sys/types.h>

struct strbuf;

int ma_mkdir_p(const char *dir, struct strbuf *err);
int ma_write_file_atomic(const char *path, const void *data, size_t len, struct strbuf *err);
void ma_fs_install_signal_cleanup(void);
int ma_is_dir(const char *path);
int ma_is_file(const char *path);
/* Size of a file in bytes, or -1. */
off_t ma_file_size(const char *path);
/* Make a fresh temporary directory (prefix e.g. "memaudit-bear"); path into sb. */
int ma_mkdtemp(struct strbuf *sb, const char *prefix, struct strbuf *err);
/* Remove a directory tree (best effort). */
void ma_remove_tree(const char *path);
/* Call visit on every regular file under dir (symbolic links not followed,
 * version-control folders .git, .svn and .hg left out). */
void ma_walk_files(const char *dir, void (*visit)(const char *path, void *data), void *data);

#endif
