/*
 * The HTML report: one self-contained page (docs/formats.md, "HTML").  The
 * look and the behaviour are reporters/html/{app,plots}.{css,js}, built
 * into the binary (reporters/html_assets.S); this file writes the page
 * around them and the data they read: the JSON report itself, the rules
 * its findings break, and the source of the files they name, each file
 * compressed (raw deflate, base64) and decoded by the browser only when
 * one of its findings is opened.
 *
 * Safety: everything that is not ours is data.  It goes into one
 * <script type="application/json"> block with '<', '>' and '&' written as
 * JSON escapes, so no byte sequence in a file name, message or source can
 * close the block or open a tag; the scripts build the page with
 * textContent.  A Content-Security-Policy allows only this page's own
 * scripts and styles (by nonce) and no network at all.
 */
#include "reporter.h"
#include "../core/alloc.h"
#include "../core/finding.h"
#include "../core/hash.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/rules.h"
#include "../core/sources.h"
#include "../core/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* reporters/html_assets.S: each file's bytes and a NUL */
extern const char ma_html_app_css[], ma_html_plots_css[], ma_html_plots_js[], ma_html_app_js[];

/* s with the characters that mean something in HTML written as entities
 * (for the few strings outside the data block: the title). */
static void add_html_text(struct strbuf *out, const char *s)
{
	struct strbuf utf8 = STRBUF_INIT;

	ma_add_utf8(&utf8, s);
	for (const char *p = utf8.buf; *p; p++) {
		switch (*p) {
		case '&': strbuf_addstr(out, "&amp;"); break;
		case '<': strbuf_addstr(out, "&lt;"); break;
		case '>': strbuf_addstr(out, "&gt;"); break;
		case '"': strbuf_addstr(out, "&quot;"); break;
		case '\'': strbuf_addstr(out, "&#39;"); break;
		default: strbuf_addch(out, *p);
		}
	}
	strbuf_release(&utf8);
}

/*
 * JSON text made safe inside <script>: '<', '>', '&' (outside strings JSON
 * has none) and U+2028/U+2029 (line ends to old JavaScript) as \u escapes.
 * The text stays the same JSON value.
 */
void ma_html_add_script_json(struct strbuf *out, const char *json, size_t len)
{
	static const unsigned char special[256] = { ['<'] = 1, ['>'] = 1, ['&'] = 1, [0xe2] = 1 };
	size_t i = 0;

	strbuf_grow(out, len);
	while (i < len) {
		size_t start = i;
		while (i < len && !special[(unsigned char)json[i]])
			i++;
		strbuf_add(out, json + start, i - start);
		if (i == len)
			break;
		if (json[i] == '\xe2' && i + 2 < len && json[i + 1] == '\x80' &&
		    (json[i + 2] == '\xa8' || json[i + 2] == '\xa9')) {
			strbuf_addstr(out, json[i + 2] == '\xa8' ? "\\u2028" : "\\u2029");
			i += 3;
		} else if (json[i] == '\xe2') {
			strbuf_addch(out, json[i++]);
		} else {
			strbuf_addf(out, "\\u%04x", (unsigned char)json[i++]);
		}
	}
}

/* len bytes, raw deflate (no zlib header: the browser's DecompressionStream
 * "deflate-raw"), as base64; -1 when zlib fails. */
int ma_html_add_deflated_base64(struct strbuf *out, const char *data, size_t len)
{
	z_stream z = { 0 };
	uLong bound;
	unsigned char *buf;
	int ret = -1;

	if (deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&z, (uLong)len);
	buf = malloc(bound ? bound : 1);
	if (buf) {
		z.next_in = (unsigned char *)data;
		z.avail_in = (uInt)len;
		z.next_out = buf;
		z.avail_out = (uInt)bound;
		if (deflate(&z, Z_FINISH) == Z_STREAM_END) {
			strbuf_add_base64(out, buf, z.total_out);
			ret = 0;
		}
	}
	deflateEnd(&z);
	free(buf);
	return ret;
}

static size_t count_lines(const char *text, size_t len)
{
	size_t n = 0;

	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))); p++)
		n++;
	return n + (len && text[len - 1] != '\n');
}

/* "path": {"z": ..., "size": N, "lines": N} for each embedded source, keyed
 * by the path as the JSON report writes it. */
static void add_sources(struct strbuf *json, const struct ma_report *rep, const struct ma_sources *src)
{
	int first = 1;

	strbuf_addstr(json, "{");
	for (size_t i = 0; src && i < src->nr; i++) {
		const struct ma_source *s = &src->items[i];
		size_t mark = json->len;
		strbuf_addstr(json, first ? "\n" : ",\n");
		ma_add_json_string(json, ma_path_relative(rep->run.root, s->path));
		strbuf_addstr(json, ": {\"z\": \"");
		if (ma_html_add_deflated_base64(json, s->text, s->len) < 0) {
			strbuf_setlen(json, mark); /* left out, like an unreadable file */
			continue;
		}
		strbuf_addf(json, "\", \"size\": %zu, \"lines\": %zu}", s->len, count_lines(s->text, s->len));
		first = 0;
	}
	strbuf_addstr(json, "}");
}

static void add_json_key_string(struct strbuf *json, const char *key, const char *value, int last)
{
	strbuf_addf(json, "\"%s\": ", key);
	if (value)
		ma_add_json_string(json, value);
	else
		strbuf_addstr(json, "null");
	strbuf_addstr(json, last ? "" : ", ");
}

/* The catalogue's entry of every rule the findings name, each once. */
static void add_rules(struct strbuf *json, const struct ma_report *rep)
{
	char *seen = ma_calloc(ma_nr_rules ? ma_nr_rules : 1, 1); /* by catalogue index */
	size_t nr_seen = 0;

	strbuf_addstr(json, "{");
	for (size_t i = 0; i < rep->findings.nr; i++) {
		const char *id = rep->findings.items[i]->rule_id;
		const struct ma_rule *r = id ? ma_rule_find(id) : NULL;
		if (!r || seen[ma_rule_index(r)])
			continue;
		seen[ma_rule_index(r)] = 1;
		strbuf_addstr(json, nr_seen++ ? ",\n" : "\n");
		ma_add_json_string(json, r->id);
		strbuf_addstr(json, ": {");
		add_json_key_string(json, "title", r->title, 0);
		strbuf_addf(json, "\"cwe\": %d, ", r->cwe);
		add_json_key_string(json, "severity", ma_severity_name(r->severity), 0);
		add_json_key_string(json, "description", r->description, 0);
		add_json_key_string(json, "fix", r->fix, 1);
		strbuf_addstr(json, "}");
	}
	strbuf_addstr(json, "}");
	free(seen);
}

/* The project's name: the root's last component. */
static const char *project_name(const struct ma_report *rep)
{
	const char *root = rep->run.root && *rep->run.root ? rep->run.root : "memaudit";
	const char *slash = strrchr(root, '/');

	return slash && slash[1] ? slash + 1 : root;
}

/* The whole data block's JSON: {"report": ..., "rules": ..., "sources": ..., "meta": ...}. */
static void data_json(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *json)
{
	struct ma_render_opts plain = { 0 };

	strbuf_addstr(json, "{\"report\": ");
	ma_render_json(rep, &plain, json);
	strbuf_addstr(json, ",\n\"rules\": ");
	add_rules(json, rep);
	strbuf_addstr(json, ",\n\"sources\": ");
	add_sources(json, rep, o->sources);
	strbuf_addstr(json, ",\n\"meta\": {");
	add_json_key_string(json, "project", project_name(rep), 0);
	add_json_key_string(json, "commit", rep->run.commit, 0);
	add_json_key_string(json, "branch", rep->run.branch, 0);
	strbuf_addf(json, "\"sources_missing\": %zu}}", o->sources ? o->sources->skipped : 0);
}

/* A nonce for this page's own <script> and <style>: derived from the data,
 * so the same report gives the same bytes, and unguessable by whoever wrote
 * the strings in it (they would have to know the nonce to write it). */
static void page_nonce(const struct strbuf *data, char out[33])
{
	uint64_t a = ma_hash_final(ma_hash_bytes(MA_HASH_INIT, data->buf, data->len));
	uint64_t b = ma_hash_final(ma_hash_u64(a, data->len));

	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

void ma_render_html(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out)
{
	struct strbuf json = STRBUF_INIT, data = STRBUF_INIT;
	char nonce[33];

	data_json(rep, o, &json);
	ma_html_add_script_json(&data, json.buf, json.len);
	strbuf_release(&json);
	page_nonce(&data, nonce);
	strbuf_addf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "script-src 'nonce-%s'; style-src 'nonce-%s'; img-src data:; base-uri 'none'; "
		    "form-action 'none'\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"color-scheme\" content=\"light dark\">\n"
		    "<meta name=\"generator\" content=\"memaudit %s\">\n<title>memaudit report: ",
		    nonce, nonce, rep->run.tool_version ? rep->run.tool_version : "");
	add_html_text(out, project_name(rep));
	strbuf_addf(out, "</title>\n<style nonce=\"%s\">\n%s\n%s\n</style>\n</head>\n<body>\n"
		    "<noscript>This report needs JavaScript; report.txt and report.json hold the same "
		    "findings.</noscript>\n<div id=\"app\"></div>\n"
		    "<script type=\"application/json\" id=\"ma-data\">",
		    nonce, ma_html_app_css, ma_html_plots_css);
	strbuf_addbuf(out, &data);
	strbuf_addf(out, "</script>\n<script nonce=\"%s\">\n%s\n</script>\n<script nonce=\"%s\">\n%s\n</script>\n"
		    "</body>\n</html>\n", nonce, ma_html_plots_js, nonce, ma_html_app_js);
	strbuf_release(&data);
}
