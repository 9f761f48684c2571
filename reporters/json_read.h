#ifndef MA_JSON_READ_H
#define MA_JSON_READ_H
/*
 * The inverse of the JSON reporter: a report.json (docs/formats.md, "JSON
 * (report.json)") read back into the `struct ma_report` it was written
 * from, so that a finished audit can be rendered again in any format
 * (`memaudit report`).  Rendering the report read with ma_render_json()
 * gives back the same bytes.
 *
 * What the JSON does not hold is rebuilt or left out: paths relative to
 * run.root are made absolute again; findings keep the fingerprint and
 * occurrence read (their line_hash, not written, is 0, so they must not be
 * finalized again; a shard's report, which `memaudit merge` finalizes
 * again, holds it); a DHAT profile's short-lived threshold is one that
 * gives its sites the `short_lived` flags read.
 *
 *     struct ma_report rep;
 *     ma_report_init(&rep);
 *     if (ma_report_read_json(text.buf, text.len, path, &rep, &err) < 0)
 *         ... err holds one line naming the file (and the field) ...
 *     ma_report_release(&rep);   (in both cases)
 */
#include <stddef.h>

/* The schema version json.c writes and json_read.c reads. */
#define MA_JSON_VERSION 1

struct ma_report;
struct strbuf;

/*
 * Parse `len` bytes of `text` (a report.json; need not be NUL-terminated)
 * into `rep`, which must be freshly initialised.  0 on success; -1 and one
 * line in err, starting with 'path', on a file that is not JSON, is cut
 * short, is not a memaudit report, is of a newer version, or has a field
 * of the wrong type.  `rep` is to be released in both cases.
 */
int ma_report_read_json(const char *text, size_t len, const char *path, struct ma_report *rep,
			struct strbuf *err);

#endif
