#ifndef MA_BASELINE_FILE_H
#define MA_BASELINE_FILE_H
/*
 * The baseline file (`memaudit baseline save`), and baselines read from
 * either it or a whole report.json (docs/ci.md, "Baselines"):
 *
 *     {
 *         "format": "memaudit-baseline",
 *         "version": 1,
 *         "entries": [
 *             { "rule": "free-non-heap", "fingerprint": "49440d9655bcf672",
 *               "code_key": "0f3c...", "file": "src/buf.c", "line": 12,
 *               "function": "buf_reset" }
 *         ]
 *     }
 *
 * One member per line (cJSON's printing), entries sorted by file, line,
 * rule and fingerprint, paths relative to the audited root and no run data
 * (times, commands): saved again from an unchanged tree it is the same
 * bytes, and it commits and diffs well.
 */
#include <stddef.h>

struct cJSON;
struct jr_reader;
struct ma_baseline_entries;
struct ma_baseline_entry;
struct strbuf;

/* The schema version written and read; bumped on incompatible changes. */
#define MA_BASELINE_VERSION 1

/* The baseline file of entries (sorted by the caller), paths relative to root. */
void ma_render_baseline(const struct ma_baseline_entries *e, const char *root, struct strbuf *out);

/*
 * The entries of the baseline at path: a baseline file, or a report.json
 * (one entry per finding), their paths relative to the root they were
 * audited under.  -1 and one line in err naming the file when it cannot be
 * read, is not JSON, is neither a baseline nor a report, is of a newer
 * version, or has a field of the wrong type.
 */
int ma_baseline_read(const char *path, struct ma_baseline_entries *out, struct strbuf *err);

/* One entry as a JSON object, path relative to root; `full` adds severity
 * and (when known) message: the report's run.baseline.fixed. */
struct cJSON *ma_baseline_entry_json(const struct ma_baseline_entry *e, const char *root, int full);
/* Array `key` of obj, entries as ma_baseline_entry_json writes them, appended to out. */
int jr_read_baseline_entries(struct jr_reader *r, const struct cJSON *obj, const char *key,
			     struct ma_baseline_entries *out);

#endif
