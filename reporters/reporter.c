#include "reporter.h"

#include <cjson/cJSON.h>
#include "../core/fs.h"
#include "../core/sources.h"
#include "../core/strbuf.h"
#include "../core/strvec.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct ma_format formats[] = {
	{ "codequality", "gl-code-quality-report.json", ma_render_codequality, 1 },
	{ "html", "report.html", ma_render_html, 0 },
	{ "json", "report.json", ma_render_json, 0 },
	{ "sarif", "report.sarif", ma_render_sarif, 0 },
	{ "text", "report.txt", ma_render_text, 0 },
};

const struct ma_format *ma_format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(formats[i].name, name))
			return &formats[i];
	return NULL;
}

const char *ma_format_names(void)
{
	return "text, json, sarif, html, codequality";
}

int ma_formats_validate(const struct strvec *names, struct strbuf *err)
{
	for (size_t i = 0; i < names->nr; i++) {
		if (!ma_format_find(names->v[i])) {
			strbuf_addf(err, "unknown format '%s' (known: %s)", names->v[i], ma_format_names());
			return -1;
		}
	}
	return 0;
}

static int names_format(const struct strvec *names, const char *name)
{
	for (size_t i = 0; i < names->nr; i++)
		if (!strcmp(names->v[i], name))
			return 1;
	return 0;
}

int ma_reporters_write(const struct ma_report *rep, const struct strvec *names,
		       const char *dir, struct strvec *written, struct strbuf *err)
{
	struct ma_sources sources = MA_SOURCES_INIT;
	struct ma_render_opts o = { 0 };
	int ret = 0;

	if (ma_mkdir_p(dir, err) < 0)
		return -1;
	if (names_format(names, "html")) { /* the page embeds the files its findings name */
		ma_sources_load(&sources, rep, MA_SOURCE_MAX_FILE);
		o.sources = &sources;
	}
	for (size_t i = 0; i < names->nr && !ret; i++) {
		const struct ma_format *f = ma_format_find(names->v[i]);
		struct strbuf out = STRBUF_INIT, path = STRBUF_INIT;

		if (!f) {
			strbuf_addf(err, "unknown format '%s'", names->v[i]);
			ret = -1;
			break;
		}
		f->render(rep, &o, &out);
		strbuf_addf(&path, "%s/%s", dir, f->file_name);
		ret = ma_write_file_atomic(path.buf, out.buf, out.len, err);
		if (!ret)
			strvec_push(written, path.buf);
		strbuf_release(&out);
		strbuf_release(&path);
	}
	ma_sources_release(&sources);
	return ret;
}

/* Length of the well-formed UTF-8 sequence at p; 0 when there is none. */
static size_t utf8_len(const unsigned char *p)
{
	uint32_t cp, min;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, min = 0x80, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, min = 0x800, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, min = 0x10000, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void ma_add_utf8(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		const unsigned char *ascii = p;
		size_t n;
		while (*p && *p < 0x80) /* most text: copied in one go */
			p++;
		if (p > ascii)
			strbuf_add(out, ascii, (size_t)(p - ascii));
		if (!*p)
			break;
		n = utf8_len(p);
		if (n) {
			strbuf_add(out, p, n);
			p += n;
		} else {
			strbuf_addstr(out, "\xef\xbf\xbd"); /* U+FFFD */
			p++;
		}
	}
}

/* The escape of a byte cJSON escapes in strings (quote, backslash, the
 * control characters), NULL for the others. */
static const char *json_escape(unsigned char c, char buf[8])
{
	static const char *const named[32] = { ['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n",
					       ['\r'] = "\\r", ['\t'] = "\\t" };

	if (c == '"')
		return "\\\"";
	if (c == '\\')
		return "\\\\";
	if (c >= 32)
		return NULL;
	if (named[c])
		return named[c];
	snprintf(buf, 8, "\\u%04x", c);
	return buf;
}

/* The bytes a JSON string holds as they are: ASCII but the control
 * characters, the quote and the backslash. */
static const unsigned char json_plain[256] = { [' ' ... '!'] = 1, ['#' ... '['] = 1, [']' ... 0x7f] = 1 };

void ma_add_json_string(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *o, buf[8];

	/* written in place: a byte becomes at most 6 ("\u001f"), and a report
	 * of 10,000 findings has half a million strings */
	strbuf_grow(out, 6 * strlen(s) + 2);
	o = out->buf + out->len;
	*o++ = '"';
	while (*p) {
		const char *esc;
		size_t n;
		if (json_plain[*p]) {
			*o++ = (char)*p++;
		} else if ((esc = json_escape(*p, buf))) {
			n = strlen(esc);
			memcpy(o, esc, n);
			o += n;
			p++;
		} else if ((n = utf8_len(p))) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3); /* U+FFFD */
			o += 3;
			p++;
		}
	}
	*o++ = '"';
	strbuf_setlen(out, (size_t)(o - out->buf));
}

size_t ma_json_format_int(char buf[24], long long value)
{
	char digits[24], *p = digits + sizeof(digits);
	unsigned long long u = value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
	size_t n;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (value < 0)
		*--p = '-';
	n = (size_t)(digits + sizeof(digits) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

void ma_json_add_int(struct cJSON *obj, const char *key, long long value)
{
	char buf[24];

	ma_json_format_int(buf, value);
	cJSON_AddRawToObject(obj, key, buf);
}
