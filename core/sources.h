#ifndef MA_SOURCES_H
#define MA_SOURCES_H
/*
 * The source text of the files a report's findings and their events name,
 * read once before the HTML report is rendered (renderers do no I/O).
 * Files that cannot be read (moved, generated and gone) are left out, and
 * the report says their source is not embedded.
 *
 *     struct ma_sources src = MA_SOURCES_INIT;
 *     ma_sources_load(&src, &report, MA_SOURCE_MAX_FILE);
 *     const struct ma_source *s = ma_sources_find(&src, path);
 *     ma_sources_release(&src);
 */
#include <stddef.h>

struct ma_report;

/* A file larger than this is not embedded (a generated amalgamation). */
#define MA_SOURCE_MAX_FILE (32u << 20)

struct ma_source {
	char *path;      /* absolute, as the findings hold it */
	char *text;      /* the file's bytes, NUL-terminated (it may hold NULs of its own) */
	size_t len;
};

struct ma_sources {
	struct ma_source *items; /* sorted by path */
	size_t nr, alloc;
	size_t skipped;          /* files named but not read (missing, too large) */
};

#define MA_SOURCES_INIT { 0 }

void ma_sources_load(struct ma_sources *s, const struct ma_report *rep, size_t max_file);
/* One file, for a caller that reads files one at a time (the inline
 * suppressions); -1 when it cannot be read or is larger than max_file. */
int ma_source_read(const char *path, size_t max_file, struct ma_source *src);
void ma_source_release(struct ma_source *src);
const struct ma_source *ma_sources_find(const struct ma_sources *s, const char *path);
void ma_sources_release(struct ma_sources *s);

#endif
