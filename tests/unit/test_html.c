/*
 * Tests for reporters/html.c: the data block's escaping (no byte sequence
 * in the data can leave it), the sources' embedding (raw deflate, base64,
 * any bytes), the page's CSP and nonces, and the hostile report the
 * browser tests load: tests/out/html/xss.html (under $MEMAUDIT_TEST_OUT).
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../../core/alloc.h"
#include "../../core/finding.h"
#include "../../core/fs.h"
#include "../../core/report.h"
#include "../../core/rules.h"
#include "../../core/sources.h"
#include "../../core/strbuf.h"
#include "../../reporters/reporter.h"

#define EVIL_FILE "<img src=x onerror=alert(1)>.c"
#define EVIL_MSG "</script><script>alert('msg')</script> & \"quotes\" \xe2\x80\xa8 \xff\xfe bytes"
#define EVIL_FN "\"'><svg onload=alert(2)>"
/* a source with a NUL, invalid UTF-8, and markup */
static const char evil_source[] = "int main(void)\n{\n\t/* </script><script>alert(3)</script> */\n"
				  "\tchar s[] = \"\x00\xff<img src=x onerror=alert(4)>\";\n\treturn s[0];\n}\n";

/* Decode base64 (the test's own, to check the reporter's). */
static size_t unbase64(const char *in, unsigned char *out)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = 0, bits = 0;
	unsigned acc = 0;

	for (; *in && *in != '='; in++) {
		const char *d = strchr(digits, *in);
		cr_assert(d, "not base64: '%c'", *in);
		acc = acc << 6 | (unsigned)(d - digits);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return n;
}

static size_t inflate_raw(const unsigned char *in, size_t len, unsigned char *out, size_t room)
{
	z_stream z = { 0 };

	cr_assert_eq(inflateInit2(&z, -15), Z_OK);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)room;
	cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
	inflateEnd(&z);
	return z.total_out;
}

Test(html, base64_vectors_of_rfc4648)
{
	static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const want[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_add_base64(&sb, in[i], strlen(in[i]));
		cr_expect_str_eq(sb.buf ? sb.buf : "", want[i], "base64 of '%s'", in[i]);
		strbuf_release(&sb);
	}
}

Test(html, deflated_source_comes_back_byte_for_byte)
{
	struct strbuf b64 = STRBUF_INIT;
	unsigned char raw[4096], back[4096];
	size_t n;

	cr_assert_eq(ma_html_add_deflated_base64(&b64, evil_source, sizeof(evil_source) - 1), 0);
	n = unbase64(b64.buf, raw);
	n = inflate_raw(raw, n, back, sizeof(back));
	cr_assert_eq(n, sizeof(evil_source) - 1);
	cr_expect(!memcmp(back, evil_source, n), "the NUL and the bytes that are not UTF-8 survive");
	strbuf_release(&b64);
}

/* The escaped JSON has no '<', '>', '&' or U+2028 left, and parses to the same value. */
Test(html, script_json_cannot_close_its_block)
{
	struct strbuf json = STRBUF_INIT, safe = STRBUF_INIT;
	cJSON *a, *b;

	strbuf_addstr(&json, "{\"m\": ");
	ma_add_json_string(&json, EVIL_MSG);
	strbuf_addstr(&json, ", \"e\": \"\xe2\x82\xac and \xe2\x80\xa9\"}");
	ma_html_add_script_json(&safe, json.buf, json.len);
	cr_expect(!strpbrk(safe.buf, "<>&"), "markup characters left in: %s", safe.buf);
	cr_expect(!strstr(safe.buf, "\xe2\x80\xa8") && !strstr(safe.buf, "\xe2\x80\xa9"));
	cr_expect(strstr(safe.buf, "\xe2\x82\xac"), "other characters starting with 0xe2 are kept (the euro sign)");
	a = cJSON_Parse(json.buf);
	b = cJSON_Parse(safe.buf);
	cr_assert(a && b, "both parse: %s", safe.buf);
	cr_expect_str_eq(cJSON_GetObjectItem(a, "m")->valuestring, cJSON_GetObjectItem(b, "m")->valuestring);
	cr_expect_str_eq(cJSON_GetObjectItem(a, "e")->valuestring, cJSON_GetObjectItem(b, "e")->valuestring);
	cJSON_Delete(a);
	cJSON_Delete(b);
	strbuf_release(&json);
	strbuf_release(&safe);
}

static struct strbuf dir = STRBUF_INIT;

/* A report in dir with one hostile finding in a hostile file name, its
 * source on disk, and a second finding in a file that does not exist. */
static void hostile_report(struct ma_report *rep)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	struct ma_location loc;
	struct ma_finding *f;

	cr_assert_eq(ma_mkdtemp(&dir, "memaudit-html", &err), 0, "%s", err.buf);
	ma_report_init(rep);
	rep->run.root = ma_strdup(dir.buf);
	rep->run.started = 1700000000;
	strvec_push(&rep->run.passes, "static");
	strbuf_addf(&path, "%s/%s", dir.buf, EVIL_FILE);
	cr_assert_eq(ma_write_file_atomic(path.buf, evil_source, sizeof(evil_source) - 1, &err), 0, "%s", err.buf);
	ma_location_set(&loc, path.buf, 4, 2, EVIL_FN);
	f = ma_finding_new(ma_rule_find("use-after-free"), EVIL_MSG, &loc, "static");
	ma_finding_add_event(f, &loc, "freed </script> here");
	ma_findings_add(&rep->findings, f);
	ma_location_release(&loc);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/gone.c", dir.buf);
	ma_location_set(&loc, path.buf, 1, 1, "f");
	ma_findings_add(&rep->findings, ma_finding_new(ma_rule_find("memory-leak"), "leak", &loc, "memcheck"));
	ma_location_release(&loc);
	ma_findings_finalize(&rep->findings, rep->run.root);
	strbuf_release(&path);
	strbuf_release(&err);
}

static void render(const struct ma_report *rep, struct strbuf *page, struct ma_sources *src)
{
	struct ma_render_opts o = { .sources = src };

	ma_sources_load(src, rep, MA_SOURCE_MAX_FILE);
	ma_render_html(rep, &o, page);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The data block of page, parsed. */
static cJSON *page_data(const char *page)
{
	const char *open = "<script type=\"application/json\" id=\"ma-data\">";
	const char *start = strstr(page, open), *end;
	char *text;
	cJSON *j;

	cr_assert(start, "no data block");
	start += strlen(open);
	end = strstr(start, "</script>");
	cr_assert(end);
	text = strndup(start, (size_t)(end - start));
	cr_expect(!strpbrk(text, "<>"), "markup in the data block");
	j = cJSON_Parse(text);
	cr_assert(j, "the data block is not JSON");
	free(text);
	return j;
}

/* Write the page for the browser tests: tests/out/html/NAME. */
static void keep_page(const char *name, const struct strbuf *page)
{
	const char *o = getenv("MEMAUDIT_TEST_OUT");
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&path, "%s/html", o && *o ? o : "tests/out");
	cr_assert_eq(ma_mkdir_p(path.buf, &err), 0, "%s", err.buf);
	strbuf_addf(&path, "/%s", name);
	cr_assert_eq(ma_write_file_atomic(path.buf, page->buf, page->len, &err), 0, "%s", err.buf);
	strbuf_release(&path);
	strbuf_release(&err);
}

Test(html, hostile_strings_stay_data)
{
	struct ma_report rep;
	struct ma_sources src = MA_SOURCES_INIT;
	struct strbuf page = STRBUF_INIT;
	const char *csp;
	char nonce[64];
	cJSON *data;

	hostile_report(&rep);
	render(&rep, &page, &src);
	keep_page("xss.html", &page);
	/* three scripts: the data and the two of ours (whose text must never
	 * hold "</script>"); nothing the data opened */
	{
		char *ours = strstr(page.buf, "<script nonce=");
		cr_assert(ours);
		*ours = '\0'; /* the page up to our scripts: the head, the style, the data */
		cr_expect_eq(count(page.buf, "<script"), 1);
		cr_expect_eq(count(page.buf, "</script>"), 1);
		*ours = '<';
	}
	cr_expect_eq(count(page.buf, "<script nonce="), 2);
	cr_expect_eq(count(page.buf, "</script>"), 3);
	cr_expect_eq(count(page.buf, "<img"), 0);
	cr_expect_eq(count(page.buf, "<svg onload"), 0);
	/* the CSP names the nonce every script and style carries */
	csp = strstr(page.buf, "script-src 'nonce-");
	cr_assert(csp, "no CSP with a script nonce");
	cr_assert_eq(sscanf(csp, "script-src 'nonce-%63[0-9a-f]'", nonce), 1);
	cr_expect(strstr(page.buf, "default-src 'none'"), "the CSP forbids the network");
	cr_expect_eq(count(page.buf, nonce), 2 + 1 + 2, "CSP twice, the style, the two scripts");
	data = page_data(page.buf);
	{
		const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "report"),
									"findings"), 0);
		cr_assert(f);
		cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "location"), "file")->valuestring, EVIL_FILE);
		cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "location"), "function")->valuestring,
				 EVIL_FN);
	}
	cJSON_Delete(data);
	ma_sources_release(&src);
	ma_report_release(&rep);
	ma_remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&page);
}

Test(html, sources_of_the_findings_files_only)
{
	struct ma_report rep;
	struct ma_sources src = MA_SOURCES_INIT;
	struct strbuf page = STRBUF_INIT;
	const cJSON *sources, *s, *meta, *rules;
	unsigned char raw[4096], back[4096];
	size_t n;
	cJSON *data;

	hostile_report(&rep);
	render(&rep, &page, &src);
	data = page_data(page.buf);
	sources = cJSON_GetObjectItem(data, "sources");
	cr_expect_eq(cJSON_GetArraySize(sources), 1, "the file that exists, once (finding and event)");
	s = cJSON_GetObjectItem(sources, EVIL_FILE);
	cr_assert(s, "keyed by the path as the report writes it");
	cr_expect_eq(cJSON_GetObjectItem(s, "size")->valueint, (int)sizeof(evil_source) - 1);
	cr_expect_eq(cJSON_GetObjectItem(s, "lines")->valueint, 6);
	n = unbase64(cJSON_GetObjectItem(s, "z")->valuestring, raw);
	n = inflate_raw(raw, n, back, sizeof(back));
	cr_expect(n == sizeof(evil_source) - 1 && !memcmp(back, evil_source, n));
	meta = cJSON_GetObjectItem(data, "meta");
	cr_expect_eq(cJSON_GetObjectItem(meta, "sources_missing")->valueint, 1, "gone.c");
	rules = cJSON_GetObjectItem(data, "rules");
	cr_expect_eq(cJSON_GetArraySize(rules), 2);
	cr_expect(cJSON_IsString(cJSON_GetObjectItem(cJSON_GetObjectItem(rules, "use-after-free"), "fix")));
	cJSON_Delete(data);
	ma_sources_release(&src);
	ma_report_release(&rep);
	ma_remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&page);
}

/* No findings: a page all the same, with empty sources and rules. */
Test(html, empty_report_is_a_page)
{
	struct ma_report rep;
	struct ma_sources src = MA_SOURCES_INIT;
	struct strbuf page = STRBUF_INIT;
	cJSON *data;

	ma_report_init(&rep);
	rep.run.root = ma_strdup("/nowhere/proj");
	render(&rep, &page, &src);
	cr_expect(strstr(page.buf, "<title>memaudit report: proj</title>"));
	data = page_data(page.buf);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(data, "sources")), 0);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(data, "rules")), 0);
	cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "report"), "findings")), 0);
	cJSON_Delete(data);
	ma_sources_release(&src);
	ma_report_release(&rep);
	strbuf_release(&page);
}
