/*
 * The baseline file, written and read, and baselines read from a whole
 * report.json (baseline_file.h).  Entries are read with the report
 * reader's tables (json_read_fields.h), so an error names the field:
 *
 *     'ci/baseline.json': entries[2].fingerprint: not 16 lowercase hex digits
 */
#include "baseline_file.h"
#include "json_read.h"
#include "json_read_fields.h"
#include "reporter.h"
#include "../core/alloc.h"
#include "../core/baseline.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/rules.h"
#include "../core/strbuf.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE_FORMAT "memaudit-baseline"

/* ------------------------------------------------------------------ */
/* Writing                                                             */

struct cJSON *ma_baseline_entry_json(const struct ma_baseline_entry *e, const char *root, int full)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "rule", e->rule_id);
	cJSON_AddStringToObject(o, "fingerprint", e->fingerprint);
	if (*e->code_key)
		cJSON_AddStringToObject(o, "code_key", e->code_key);
	if (e->file)
		cJSON_AddStringToObject(o, "file", ma_path_relative(root, e->file));
	else
		cJSON_AddNullToObject(o, "file");
	ma_json_add_int(o, "line", e->line);
	if (e->function)
		cJSON_AddStringToObject(o, "function", e->function);
	else
		cJSON_AddNullToObject(o, "function");
	if (full) {
		cJSON_AddStringToObject(o, "severity", ma_severity_name(e->severity));
		if (e->message)
			cJSON_AddStringToObject(o, "message", e->message);
	}
	return o;
}

void ma_render_baseline(const struct ma_baseline_entries *e, const char *root, struct strbuf *out)
{
	cJSON *doc = cJSON_CreateObject(), *entries = cJSON_CreateArray();
	char *text;

	cJSON_AddStringToObject(doc, "format", BASELINE_FORMAT);
	ma_json_add_int(doc, "version", MA_BASELINE_VERSION);
	for (size_t i = 0; i < e->nr; i++)
		cJSON_AddItemToArray(entries, ma_baseline_entry_json(&e->v[i], root, 0));
	cJSON_AddItemToObject(doc, "entries", entries);
	text = cJSON_Print(doc); /* never NULL: cJSON allocates with ma_malloc */
	ma_add_utf8(out, text);
	strbuf_addch(out, '\n');
	free(text);
	cJSON_Delete(doc);
}

/* ------------------------------------------------------------------ */
/* Reading entries                                                     */

static const struct field entry_fields[] = {
	{ "rule", F_STRING, offsetof(struct ma_baseline_entry, rule_id) },
	{ "file", F_PATH, offsetof(struct ma_baseline_entry, file) },
	{ "line", F_UNSIGNED, offsetof(struct ma_baseline_entry, line) },
	{ "function", F_STRING_OR_NULL, offsetof(struct ma_baseline_entry, function) },
	{ "message", F_OPTIONAL_STRING, offsetof(struct ma_baseline_entry, message) },
};

/* 16 lowercase hex digits into out[17]; absent is "" when optional. */
static int read_hex16(struct jr_reader *r, const cJSON *obj, const char *key, int optional, char out[17])
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v && optional)
		return 0;
	if (!v)
		return jr_bad(r, key, "missing");
	if (!cJSON_IsString(v) || strlen(v->valuestring) != 16 ||
	    strspn(v->valuestring, "0123456789abcdef") != 16)
		return jr_bad(r, key, "not 16 lowercase hex digits");
	memcpy(out, v->valuestring, 17);
	return 0;
}

/* The entry's severity when written (run.baseline.fixed), else its rule's. */
static int read_entry_severity(struct jr_reader *r, const cJSON *obj, struct ma_baseline_entry *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "severity");
	const struct ma_rule *rule = ma_rule_find(e->rule_id);

	e->severity = rule ? rule->severity : MA_SEV_WARNING;
	if (v && (!cJSON_IsString(v) || ma_severity_parse(v->valuestring, &e->severity) < 0))
		return jr_bad(r, "severity", "not \"error\", \"warning\" or \"note\"");
	return 0;
}

static int read_entry(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_baseline_entry *e = ma_baseline_entries_push(items);

	if (JR_READ_FIELDS(r, obj, e, entry_fields) < 0 || read_hex16(r, obj, "fingerprint", 0, e->fingerprint) < 0 ||
	    read_hex16(r, obj, "code_key", 1, e->code_key) < 0 || read_entry_severity(r, obj, e) < 0)
		return -1;
	return 0;
}

int jr_read_baseline_entries(struct jr_reader *r, const cJSON *obj, const char *key,
			     struct ma_baseline_entries *out)
{
	return jr_read_each(r, obj, key, out, read_entry);
}

/* ------------------------------------------------------------------ */
/* Reading a baseline: its file, or a report                           */

static int read_baseline_doc(const cJSON *doc, const char *path, struct ma_baseline_entries *out,
			     struct strbuf *err)
{
	struct jr_reader r = { .path = path, .where = STRBUF_INIT, .err = err };
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(doc, "version");
	int ret;

	if (!cJSON_IsNumber(version) || version->valuedouble != floor(version->valuedouble) ||
	    version->valuedouble < 1)
		ret = jr_bad(&r, "version", "not a baseline version (an integer from 1)");
	else if (version->valuedouble > MA_BASELINE_VERSION)
		ret = jr_bad(&r, "version", "newer than this memaudit reads; use a newer memaudit");
	else
		ret = jr_read_baseline_entries(&r, doc, "entries", out);
	strbuf_release(&r.where);
	return ret;
}

/* A report's findings as entries, paths relative to its root again. */
static int read_report_as_baseline(const char *text, size_t len, const char *path,
				   struct ma_baseline_entries *out, struct strbuf *err)
{
	struct ma_report rep;
	int ret;

	ma_report_init(&rep);
	ret = ma_report_read_json(text, len, path, &rep, err);
	if (!ret)
		ma_baseline_entries_add_findings(out, &rep.findings, rep.run.root);
	ma_report_release(&rep);
	return ret;
}

static void where_parsing_stopped(const char *text, const char *at, unsigned *line, unsigned *column)
{
	*line = *column = 1;
	for (const char *p = text; p < at && *p; p++) {
		if (*p == '\n') {
			++*line;
			*column = 1;
		} else {
			++*column;
		}
	}
}

static int read_text(const char *text, size_t len, const char *path, struct ma_baseline_entries *out,
		     struct strbuf *err)
{
	const char *end = text;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	const cJSON *format = doc ? cJSON_GetObjectItemCaseSensitive(doc, "format") : NULL;
	unsigned line, column;
	int ret = -1;

	if (!doc) {
		where_parsing_stopped(text, end, &line, &column);
		strbuf_addf(err, "'%s': not a baseline: malformed JSON at line %u, column %u", path, line, column);
	} else if (cJSON_IsString(format) && !strcmp(format->valuestring, BASELINE_FORMAT)) {
		ret = read_baseline_doc(doc, path, out, err);
	} else if (cJSON_IsString(format) && !strcmp(format->valuestring, "memaudit-report")) {
		ret = read_report_as_baseline(text, len, path, out, err);
	} else {
		strbuf_addf(err, "'%s': not a baseline (no \"format\": \"%s\" or \"memaudit-report\")", path,
			    BASELINE_FORMAT);
	}
	cJSON_Delete(doc);
	return ret;
}

int ma_baseline_read(const char *path, struct ma_baseline_entries *out, struct strbuf *err)
{
	struct strbuf text = STRBUF_INIT;
	int ret = strbuf_read_file(&text, path, err);

	if (!ret)
		ret = read_text(text.buf, text.len, path, out, err);
	strbuf_release(&text);
	return ret;
}
