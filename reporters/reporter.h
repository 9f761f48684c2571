#ifndef MA_REPORTER_H
#define MA_REPORTER_H
/*
 * Report formats.  Each format is one file in reporters/ exporting a
 * render function that turns a finished `struct ma_report` into bytes; the
 * table in reporter.c maps format names to renderers and file names.
 * Renderers never do I/O: ma_reporters_write() writes each output
 * atomically, so a report on disk is always whole.
 *
 *     struct ma_render_opts o = { .color = isatty(1) };
 *     struct strbuf out = STRBUF_INIT;
 *     ma_render_text(&report, &o, &out);
 */
#include <stddef.h>

struct ma_report;
struct strbuf;
struct strvec;

struct ma_sources;

struct ma_render_opts {
	int color;            /* ANSI colours (text only) */
	int show_paths_abs;   /* absolute paths in text output */
	const struct ma_sources *sources; /* the files the findings name, read (HTML only) */
};

typedef void (*ma_render_fn)(const struct ma_report *rep, const struct ma_render_opts *o,
			     struct strbuf *out);

struct ma_format {
	const char *name;      /* as given to --format */
	const char *file_name; /* written into the output directory */
	ma_render_fn render;
	int on_request;        /* written only when --format names it, never by default */
};

void ma_render_text(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out);
void ma_render_json(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out);
void ma_render_sarif(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out);
void ma_render_html(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out);
void ma_render_codequality(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out);

/* For reporters/html.c and its tests: JSON text made safe inside a
 * <script> element ('<', '>', '&', U+2028, U+2029 as \u escapes), and
 * bytes raw-deflated and base64-encoded (-1 when zlib fails). */
void ma_html_add_script_json(struct strbuf *out, const char *json, size_t len);
int ma_html_add_deflated_base64(struct strbuf *out, const char *data, size_t len);

const struct ma_format *ma_format_find(const char *name);
/* The names of every format, comma-separated, for messages. */
const char *ma_format_names(void);
/* Check a --format list; -1 and a line in err naming the unknown format. */
int ma_formats_validate(const struct strvec *names, struct strbuf *err);
/*
 * Render and atomically write each named format into dir (created if
 * needed); the written paths are appended to `written`.  Stops at the first
 * error, with one line in err.
 */
int ma_reporters_write(const struct ma_report *rep, const struct strvec *formats,
		       const char *dir, struct strvec *written, struct strbuf *err);

/*
 * Append s with every byte that is not part of well-formed UTF-8 replaced
 * by U+FFFD.  JSON and SARIF must be UTF-8; file names and source text need
 * not be (a Latin-1 file name), and one stray byte would make the whole
 * report unreadable to strict parsers.
 */
void ma_add_utf8(struct strbuf *out, const char *s);
/*
 * Append s as a JSON string, quoted, byte for byte as cJSON prints it
 * (quote, backslash and control characters escaped, \u00XX for those
 * without a short escape) and with ma_add_utf8's replacement of bytes
 * that are not well-formed UTF-8: for the parts of a report written
 * without a cJSON tree.
 */
void ma_add_json_string(struct strbuf *out, const char *s);
/* An integer member of a JSON object, its digits stored as raw JSON text:
 * cJSON prints a number with sprintf("%1.15g") and reads it back to check
 * it, a good part of a large report's time. */
/* value's digits into buf, NUL-terminated; their count. */
size_t ma_json_format_int(char buf[24], long long value);
struct cJSON;
void ma_json_add_int(struct cJSON *obj, const char *key, long long value);

#endif
