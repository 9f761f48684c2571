/*
 * report.json read back into a struct ma_report (json_read.h): the
 * inverse of json.c, field for field.  The whole file is parsed with cJSON
 * (a report is written whole and read whole); the reader then walks the
 * tree with `where`, the name of the object it is in
 * ("findings[3].location"), so an error names the field:
 *
 *     'out/report.json': findings[3].location.line: not a number
 *
 * Most members are read through tables of (key, type, offset) (`struct
 * field`, json_read_fields.h), one per kind of object; the few that need
 * more (paths, the severity, the fingerprint) have a function of their
 * own.  The profiles are read in json_read_profiles.c.
 * Members the version policy let later memaudits add to version 1
 * (`confirmed`, `also_by`, `confirmed_by`, `suppressed`, `code_key`, `baseline_state`,
 * `run.baseline`, `profiles` and its members) may be absent; summary, `never_read` and other derived values are not
 * read (the renderers compute them).
 */
#include "json_read.h"
#include "json_read_fields.h"
#include "baseline_file.h"
#include "../core/baseline.h"
#include "../core/alloc.h"
#include "../core/array.h"
#include "../core/finding.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/strbuf.h"
#include "../core/strvec.h"
#include "../core/suppress.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Where the reader is, and its errors                                 */

/* Into member `key` of the current object; the old length, for jr_leave(). */
size_t jr_enter(struct jr_reader *r, const char *key)
{
	size_t mark = r->where.len;

	if (r->where.len)
		strbuf_addch(&r->where, '.');
	strbuf_addstr(&r->where, key);
	return mark;
}

static size_t enter_index(struct jr_reader *r, size_t i)
{
	size_t mark = r->where.len;

	strbuf_addf(&r->where, "[%zu]", i);
	return mark;
}

void jr_leave(struct jr_reader *r, size_t mark)
{
	strbuf_setlen(&r->where, mark);
}

/* "'FILE': WHERE.KEY: WHAT" (key NULL: the current object itself); -1. */
int jr_bad(struct jr_reader *r, const char *key, const char *what)
{
	strbuf_addf(r->err, "'%s': %s", r->path, r->where.buf);
	if (key)
		strbuf_addf(r->err, "%s%s", r->where.len ? "." : "", key);
	strbuf_addf(r->err, ": %s", what);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Members by type                                                     */

static const cJSON *need(struct jr_reader *r, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		jr_bad(r, key, "missing");
	return v;
}

static const cJSON *need_array(struct jr_reader *r, const cJSON *obj, const char *key)
{
	const cJSON *v = need(r, obj, key);

	if (v && !cJSON_IsArray(v)) {
		jr_bad(r, key, "not an array");
		return NULL;
	}
	return v;
}

const cJSON *jr_need_object(struct jr_reader *r, const cJSON *obj, const char *key)
{
	const cJSON *v = need(r, obj, key);

	if (v && !cJSON_IsObject(v)) {
		jr_bad(r, key, "not an object");
		return NULL;
	}
	return v;
}

/* A string member, copied; or, when `null_ok`, null (NULL). */
static int read_string(struct jr_reader *r, const cJSON *obj, const char *key, int null_ok, char **out)
{
	const cJSON *v = need(r, obj, key);

	if (!v)
		return -1;
	if (null_ok && cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return jr_bad(r, key, null_ok ? "not a string or null" : "not a string");
	*out = ma_strdup(v->valuestring);
	return 0;
}

/* A member a later version 1 added: absent (or null) is NULL. */
static int read_optional_string(struct jr_reader *r, const cJSON *obj, const char *key, char **out)
{
	return cJSON_HasObjectItem(obj, key) ? read_string(r, obj, key, 1, out) : 0;
}

/* A path below the root is written relative to it: the model holds it absolute. */
static int read_path(struct jr_reader *r, const cJSON *obj, const char *key, char **out)
{
	struct strbuf abs = STRBUF_INIT;

	if (read_string(r, obj, key, 1, out) < 0)
		return -1;
	if (!*out || **out == '/' || !r->root)
		return 0;
	ma_path_absolute(&abs, r->root, *out);
	free(*out);
	*out = strbuf_detach(&abs, NULL);
	return 0;
}

/*
 * An integer member in [min, lim).  JSON numbers are read as doubles,
 * exact up to 2^53: more than any count, size or time a report holds.
 */
static int read_integer(struct jr_reader *r, const cJSON *obj, const char *key, double min, double lim,
			double *out)
{
	const cJSON *v = need(r, obj, key);

	if (!v)
		return -1;
	if (!cJSON_IsNumber(v))
		return jr_bad(r, key, "not a number");
	if (v->valuedouble != floor(v->valuedouble))
		return jr_bad(r, key, "not an integer");
	if (v->valuedouble < min || v->valuedouble >= lim)
		return jr_bad(r, key, "out of range");
	*out = v->valuedouble;
	return 0;
}

static int read_unsigned(struct jr_reader *r, const cJSON *obj, const char *key, unsigned *out)
{
	double d;

	if (read_integer(r, obj, key, 0, (double)UINT_MAX + 1, &d) < 0)
		return -1;
	*out = (unsigned)d;
	return 0;
}

static int read_int(struct jr_reader *r, const cJSON *obj, const char *key, int *out)
{
	double d;

	if (read_integer(r, obj, key, INT_MIN, (double)INT_MAX + 1, &d) < 0)
		return -1;
	*out = (int)d;
	return 0;
}

int jr_read_size(struct jr_reader *r, const cJSON *obj, const char *key, size_t *out)
{
	double d;

	if (read_integer(r, obj, key, 0, 0x1p64, &d) < 0)
		return -1;
	*out = (size_t)d;
	return 0;
}

/* json.c writes a uint64_t as a long long: one past 2^63 reads back negative. */
int jr_read_u64(struct jr_reader *r, const cJSON *obj, const char *key, uint64_t *out)
{
	double d;

	if (read_integer(r, obj, key, -0x1p63, 0x1p64, &d) < 0)
		return -1;
	*out = d < 0 ? (uint64_t)(long long)d : (uint64_t)d;
	return 0;
}

/* Seconds: cJSON writes a NaN as null. */
static int read_seconds(struct jr_reader *r, const cJSON *obj, const char *key, double *out)
{
	const cJSON *v = need(r, obj, key);

	if (!v)
		return -1;
	if (cJSON_IsNull(v))
		*out = NAN;
	else if (cJSON_IsNumber(v))
		*out = v->valuedouble;
	else
		return jr_bad(r, key, "not a number");
	return 0;
}

int jr_read_bool(struct jr_reader *r, const cJSON *obj, const char *key, int *out)
{
	const cJSON *v = need(r, obj, key);

	if (!v)
		return -1;
	if (!cJSON_IsBool(v))
		return jr_bad(r, key, "not a boolean");
	*out = cJSON_IsTrue(v);
	return 0;
}

/* An array of strings, appended to out. */
int jr_read_strings(struct jr_reader *r, const cJSON *obj, const char *key, struct strvec *out)
{
	const cJSON *a = need_array(r, obj, key), *s;
	size_t i = 0;

	if (!a)
		return -1;
	cJSON_ArrayForEach(s, a) {
		if (!cJSON_IsString(s)) {
			jr_enter(r, key);
			enter_index(r, i);
			return jr_bad(r, NULL, "not a string");
		}
		strvec_push(out, s->valuestring);
		i++;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Objects as tables of members                                        */

static int read_field(struct jr_reader *r, const cJSON *obj, const struct field *f, char *base)
{
	void *p = base + f->offset;

	switch (f->type) {
	case F_STRING: return read_string(r, obj, f->key, 0, p);
	case F_STRING_OR_NULL: return read_string(r, obj, f->key, 1, p);
	case F_OPTIONAL_STRING: return read_optional_string(r, obj, f->key, p);
	case F_PATH: return read_path(r, obj, f->key, p);
	case F_INT: return read_int(r, obj, f->key, p);
	case F_UNSIGNED: return read_unsigned(r, obj, f->key, p);
	case F_SIZE: return jr_read_size(r, obj, f->key, p);
	case F_U64: return jr_read_u64(r, obj, f->key, p);
	case F_SECONDS: return read_seconds(r, obj, f->key, p);
	case F_BOOL: return jr_read_bool(r, obj, f->key, p);
	}
	return -1;
}

int jr_read_fields(struct jr_reader *r, const cJSON *obj, void *base, const struct field *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (read_field(r, obj, &fields[i], base) < 0)
			return -1;
	return 0;
}

/*
 * Each element of array `key` of obj, an object, read by `read_one` into
 * the element `add` appends to `items` (the new element is counted before
 * it is read, so releasing the report frees what was read of it).
 */
int jr_read_each(struct jr_reader *r, const cJSON *obj, const char *key, void *items, jr_read_one_fn read_one)
{
	const cJSON *a = need_array(r, obj, key), *e;
	size_t mark = r->where.len, i = 0;

	if (!a)
		return -1;
	jr_enter(r, key);
	cJSON_ArrayForEach(e, a) {
		size_t at = enter_index(r, i++);
		if (!cJSON_IsObject(e))
			return jr_bad(r, NULL, "not an object");
		if (read_one(r, e, items) < 0)
			return -1;
		jr_leave(r, at);
	}
	jr_leave(r, mark);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The run                                                             */

static const struct field unit_fields[] = {
	{ "total", F_SIZE, offsetof(struct ma_run, tus_total) },
	{ "analysed", F_SIZE, offsetof(struct ma_run, tus_analysed) },
	{ "failed", F_SIZE, offsetof(struct ma_run, tus_failed) },
	{ "skipped_other_language", F_SIZE, offsetof(struct ma_run, tus_skipped) },
	{ "excluded", F_SIZE, offsetof(struct ma_run, tus_filtered) },
};

static const struct field timing_fields[] = {
	{ "wall_seconds", F_SECONDS, offsetof(struct ma_run, wall_seconds) },
	{ "cpu_seconds", F_SECONDS, offsetof(struct ma_run, cpu_seconds) },
	{ "parse_cpu_seconds", F_SECONDS, offsetof(struct ma_run, parse_seconds) },
	{ "check_cpu_seconds", F_SECONDS, offsetof(struct ma_run, check_seconds) },
};

static const struct field shard_fields[] = {
	{ "index", F_UNSIGNED, offsetof(struct ma_run, shard_index) },
	{ "count", F_UNSIGNED, offsetof(struct ma_run, shard_count) },
};

static const struct field failure_fields[] = {
	{ "file", F_PATH, offsetof(struct ma_failure, file) },
	{ "line", F_UNSIGNED, offsetof(struct ma_failure, line) },
	{ "column", F_UNSIGNED, offsetof(struct ma_failure, column) },
	{ "message", F_STRING, offsetof(struct ma_failure, message) },
};

/* The members of object `key` of obj, by table, into base. */
static int read_object(struct jr_reader *r, const cJSON *obj, const char *key, void *base,
		       const struct field *fields, size_t n)
{
	const cJSON *o = jr_need_object(r, obj, key);
	size_t mark;

	if (!o)
		return -1;
	mark = jr_enter(r, key);
	if (jr_read_fields(r, o, base, fields, n) < 0)
		return -1;
	jr_leave(r, mark);
	return 0;
}

/* "" stands for no root (json.c writes a NULL root so). */
static int read_root(struct jr_reader *r, const cJSON *run, struct ma_run *out)
{
	if (read_string(r, run, "root", 0, &out->root) < 0)
		return -1;
	if (!*out->root) {
		free(out->root);
		out->root = NULL;
	}
	r->root = out->root;
	return 0;
}

/* "2026-11-25T22:17:08Z", UTC; one that does not print back the same is no time. */
static int read_started(struct jr_reader *r, const cJSON *run, long long *out)
{
	const cJSON *v = need(r, run, "started");
	struct tm tm = { 0 };
	char again[32];
	time_t t;
	int end = 0;

	if (!v)
		return -1;
	if (!cJSON_IsString(v) ||
	    sscanf(v->valuestring, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &end) != 6 || v->valuestring[end])
		return jr_bad(r, "started", "not a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (!gmtime_r(&t, &tm) || !strftime(again, sizeof(again), "%Y-%m-%dT%H:%M:%SZ", &tm) ||
	    strcmp(again, v->valuestring))
		return jr_bad(r, "started", "not a valid date");
	*out = (long long)t;
	return 0;
}

static int read_failure(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_run *run = items;

	ALLOC_GROW(run->failures, run->nr_failures + 1, run->alloc_failures);
	memset(&run->failures[run->nr_failures], 0, sizeof(*run->failures));
	return JR_READ_FIELDS(r, obj, &run->failures[run->nr_failures++], failure_fields);
}

/* run.shard: {"index": K, "count": N}, null, or absent (reports from before --shard). */
static int read_shard(struct jr_reader *r, const cJSON *run, struct ma_run *out)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(run, "shard");
	size_t mark;

	if (!s || cJSON_IsNull(s))
		return 0;
	if (!cJSON_IsObject(s))
		return jr_bad(r, "shard", "not an object or null");
	mark = jr_enter(r, "shard");
	if (JR_READ_FIELDS(r, s, out, shard_fields) < 0)
		return -1;
	if (!out->shard_index || out->shard_index > out->shard_count)
		return jr_bad(r, NULL, "not shard K of N with 1 <= K <= N");
	jr_leave(r, mark);
	return 0;
}

/* run.baseline, present when the run had one. */
static int read_run_baseline(struct jr_reader *r, const cJSON *run, struct ma_run *out)
{
	const cJSON *o;
	struct ma_baseline_run *b;
	size_t mark;

	if (!cJSON_HasObjectItem(run, "baseline"))
		return 0;
	if (!(o = jr_need_object(r, run, "baseline")))
		return -1;
	b = out->baseline = ma_calloc(1, sizeof(*b));
	mark = jr_enter(r, "baseline");
	if (read_string(r, o, "file", 0, &b->file) < 0 || jr_read_size(r, o, "new", &b->nr_new) < 0 ||
	    jr_read_size(r, o, "unchanged", &b->nr_unchanged) < 0 ||
	    jr_read_baseline_entries(r, o, "fixed", &b->fixed) < 0)
		return -1;
	jr_leave(r, mark);
	return 0;
}

static int read_run(struct jr_reader *r, const cJSON *doc, struct ma_run *out)
{
	const cJSON *run = jr_need_object(r, doc, "run");
	size_t mark;

	if (!run)
		return -1;
	mark = jr_enter(r, "run");
	if (jr_read_strings(r, run, "command", &out->command) < 0 || read_root(r, run, out) < 0 ||
	    read_string(r, run, "compile_db", 1, &out->compile_db) < 0 ||
	    read_optional_string(r, run, "commit", &out->commit) < 0 ||
	    read_optional_string(r, run, "branch", &out->branch) < 0 ||
	    read_started(r, run, &out->started) < 0 || jr_read_strings(r, run, "passes", &out->passes) < 0 ||
	    read_int(r, run, "jobs", &out->jobs) < 0 ||
	    read_object(r, run, "units", out, unit_fields, ARRAY_SIZE(unit_fields)) < 0 ||
	    jr_read_bool(r, run, "partial", &out->partial) < 0 ||
	    jr_read_each(r, run, "failures", out, read_failure) < 0 ||
	    jr_read_strings(r, run, "notes", &out->notes) < 0 ||
	    read_object(r, run, "timings", out, timing_fields, ARRAY_SIZE(timing_fields)) < 0 ||
	    read_shard(r, run, out) < 0 ||
	    read_optional_string(r, run, "config", &out->config) < 0 ||
	    read_run_baseline(r, run, out) < 0)
		return -1;
	jr_leave(r, mark);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Findings                                                            */

static const struct field location_fields[] = {
	{ "file", F_PATH, offsetof(struct ma_location, file) },
	{ "line", F_UNSIGNED, offsetof(struct ma_location, line) },
	{ "column", F_UNSIGNED, offsetof(struct ma_location, column) },
	{ "function", F_STRING_OR_NULL, offsetof(struct ma_location, function) },
};

static const struct field finding_fields[] = {
	{ "rule", F_STRING, offsetof(struct ma_finding, rule_id) },
	{ "title", F_STRING, offsetof(struct ma_finding, title) },
	{ "cwe", F_INT, offsetof(struct ma_finding, cwe) },
	{ "message", F_STRING, offsetof(struct ma_finding, message) },
	{ "pass", F_STRING, offsetof(struct ma_finding, pass) },
	{ "also_by", F_OPTIONAL_STRING, offsetof(struct ma_finding, also_by) },
	{ "confirmed_by", F_OPTIONAL_STRING, offsetof(struct ma_finding, confirmed_by) },
	{ "occurrence", F_UNSIGNED, offsetof(struct ma_finding, occurrence) },
	{ "count", F_UNSIGNED, offsetof(struct ma_finding, count) },
};

static int read_event(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_finding *f = items;
	struct ma_event *ev;

	ALLOC_GROW(f->events, f->nr_events + 1, f->alloc_events);
	ev = &f->events[f->nr_events++];
	memset(ev, 0, sizeof(*ev));
	if (JR_READ_FIELDS(r, obj, &ev->loc, location_fields) < 0)
		return -1;
	return read_string(r, obj, "message", 0, &ev->message);
}

static int read_severity(struct jr_reader *r, const cJSON *obj, enum ma_severity *out)
{
	const cJSON *v = need(r, obj, "severity");

	if (!v)
		return -1;
	if (!cJSON_IsString(v) || ma_severity_parse(v->valuestring, out) < 0)
		return jr_bad(r, "severity", "not \"error\", \"warning\" or \"note\"");
	return 0;
}

/* Kept as written: a finding read back is not finalized again (its line
 * hash is not in the report), so this is its fingerprint for good. */
static int read_fingerprint(struct jr_reader *r, const cJSON *obj, struct ma_finding *f)
{
	const cJSON *v = need(r, obj, "fingerprint");
	size_t n;

	if (!v)
		return -1;
	if (!cJSON_IsString(v))
		return jr_bad(r, "fingerprint", "not a string");
	n = strspn(v->valuestring, "0123456789abcdef");
	if (v->valuestring[n] || n >= sizeof(f->fingerprint))
		return jr_bad(r, "fingerprint", "not 16 lowercase hex digits");
	memcpy(f->fingerprint, v->valuestring, n + 1);
	return 0;
}

/* Only a shard's report holds it (json.c): 16 lowercase hex digits. */
static int read_line_hash(struct jr_reader *r, const cJSON *obj, struct ma_finding *f)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "line_hash");

	if (!v)
		return 0;
	if (!cJSON_IsString(v) || strlen(v->valuestring) != 16 || strspn(v->valuestring, "0123456789abcdef") != 16)
		return jr_bad(r, "line_hash", "not 16 lowercase hex digits");
	f->line_hash = (uint64_t)strtoull(v->valuestring, NULL, 16);
	return 0;
}

/* `confirmed` (absent before dynamic passes existed) must agree with `confirmed_by`. */
static int check_confirmed(struct jr_reader *r, const cJSON *obj, const struct ma_finding *f)
{
	int confirmed = 0;

	if (cJSON_HasObjectItem(obj, "confirmed") && jr_read_bool(r, obj, "confirmed", &confirmed) < 0)
		return -1;
	if (confirmed != (f->confirmed_by != NULL))
		return jr_bad(r, "confirmed", confirmed ? "true without confirmed_by" : "false with confirmed_by");
	return 0;
}

/* `suppressed`, absent when the finding is not: its kind, reason and, for
 * an inline suppression, the comment's line. */
static int read_suppression(struct jr_reader *r, const cJSON *obj, struct ma_finding *f)
{
	const cJSON *o, *kind;
	size_t mark;
	int k;

	if (!cJSON_HasObjectItem(obj, "suppressed"))
		return 0;
	if (!(o = jr_need_object(r, obj, "suppressed")))
		return -1;
	mark = jr_enter(r, "suppressed");
	if (!(kind = need(r, o, "kind")))
		return -1;
	if (!cJSON_IsString(kind) || (k = ma_suppression_kind_parse(kind->valuestring)) < 0)
		return jr_bad(r, "kind", "not \"inline\" or \"config\"");
	f->suppression.kind = (enum ma_suppression_kind)k;
	if (read_string(r, o, "reason", 0, &f->suppression.reason) < 0 ||
	    (cJSON_HasObjectItem(o, "line") && read_unsigned(r, o, "line", &f->suppression.line) < 0))
		return -1;
	jr_leave(r, mark);
	return 0;
}

static int read_location(struct jr_reader *r, const cJSON *obj, struct ma_location *loc)
{
	return read_object(r, obj, "location", loc, location_fields, ARRAY_SIZE(location_fields));
}

/* `code_key` (absent in reports from before it) and `baseline_state`
 * (present only when the run had a baseline). */
static int read_baseline_members(struct jr_reader *r, const cJSON *obj, struct ma_finding *f)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(obj, "code_key");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, "baseline_state");

	if (k && (!cJSON_IsString(k) || strlen(k->valuestring) != 16 ||
		  strspn(k->valuestring, "0123456789abcdef") != 16))
		return jr_bad(r, "code_key", "not 16 lowercase hex digits");
	if (k)
		memcpy(f->code_key, k->valuestring, sizeof(f->code_key));
	if (!s)
		return 0;
	if (cJSON_IsString(s) && !strcmp(s->valuestring, "new"))
		f->baseline_state = MA_BASELINE_NEW;
	else if (cJSON_IsString(s) && !strcmp(s->valuestring, "unchanged"))
		f->baseline_state = MA_BASELINE_UNCHANGED;
	else
		return jr_bad(r, "baseline_state", "not \"new\" or \"unchanged\"");
	return 0;
}

static int read_finding(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_finding *f = ma_calloc(1, sizeof(*f));

	ma_findings_add(items, f); /* owned by the set from here, released with it */
	if (JR_READ_FIELDS(r, obj, f, finding_fields) < 0 || read_severity(r, obj, &f->severity) < 0 ||
	    read_location(r, obj, &f->loc) < 0 || jr_read_each(r, obj, "events", f, read_event) < 0 ||
	    check_confirmed(r, obj, f) < 0 || read_fingerprint(r, obj, f) < 0 || read_line_hash(r, obj, f) < 0 ||
	    read_suppression(r, obj, f) < 0 || read_baseline_members(r, obj, f) < 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The document                                                        */

static void line_and_column(const char *text, const char *at, unsigned *line, unsigned *column)
{
	*line = *column = 1;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n') {
			++*line;
			*column = 1;
		} else {
			++*column;
		}
	}
}

/* Does the text end inside a string or an unclosed object or array?  A
 * file cut short (a full disk, a copy stopped) says so, not "malformed". */
static int ends_inside_a_value(const char *text, size_t len)
{
	size_t depth = 0;
	int in_string = 0;

	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && depth) {
			depth--;
		}
	}
	return in_string || depth;
}

static size_t trimmed_length(const char *text, size_t len)
{
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	return len;
}

static cJSON *parse(const char *text, size_t len, const char *path, struct strbuf *err)
{
	const char *end = text;
	unsigned line, column;
	cJSON *doc;

	if (!trimmed_length(text, len)) {
		strbuf_addf(err, "'%s': empty file, not a memaudit report", path);
		return NULL;
	}
	doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (doc && trimmed_length(end, len - (size_t)(end - text))) {
		line_and_column(text, end, &line, &column);
		strbuf_addf(err, "'%s': unexpected text after the report at line %u, column %u", path, line, column);
		cJSON_Delete(doc);
		return NULL;
	}
	if (doc)
		return doc;
	line_and_column(text, end, &line, &column);
	if (ends_inside_a_value(text, len))
		strbuf_addf(err, "'%s': truncated JSON: it ends at line %u before the report does", path, line);
	else
		strbuf_addf(err, "'%s': malformed JSON at line %u, column %u", path, line, column);
	return NULL;
}

static int check_format(struct jr_reader *r, const cJSON *doc)
{
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(doc, "format");
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(doc, "version");

	if (!cJSON_IsObject(doc) || !cJSON_IsString(format) || strcmp(format->valuestring, "memaudit-report")) {
		strbuf_addf(r->err, "'%s': not a memaudit report (no \"format\": \"memaudit-report\")", r->path);
		return -1;
	}
	if (!cJSON_IsNumber(version) || version->valuedouble != floor(version->valuedouble) ||
	    version->valuedouble < 1)
		return jr_bad(r, "version", "not a report version (an integer from 1)");
	if (version->valuedouble > MA_JSON_VERSION) {
		strbuf_addf(r->err, "'%s': report version %.0f is newer than this memaudit reads (%d); "
			    "use a newer memaudit", r->path, version->valuedouble, MA_JSON_VERSION);
		return -1;
	}
	return 0;
}

static int read_tool_version(struct jr_reader *r, const cJSON *doc, struct ma_run *run)
{
	const cJSON *tool = jr_need_object(r, doc, "tool");
	size_t mark;

	if (!tool)
		return -1;
	mark = jr_enter(r, "tool");
	if (read_string(r, tool, "version", 0, &run->read_tool_version) < 0)
		return -1;
	jr_leave(r, mark);
	run->tool_version = run->read_tool_version; /* the version that audited, not ours */
	return 0;
}

int ma_report_read_json(const char *text, size_t len, const char *path, struct ma_report *rep,
			struct strbuf *err)
{
	struct jr_reader r = { .path = path, .where = STRBUF_INIT, .err = err };
	cJSON *doc = parse(text, len, path, err);
	int ret;

	if (!doc)
		return -1;
	ret = check_format(&r, doc) < 0 || read_tool_version(&r, doc, &rep->run) < 0 ||
	      read_run(&r, doc, &rep->run) < 0 || jr_read_each(&r, doc, "findings", &rep->findings, read_finding) < 0 ||
	      jr_read_profiles(&r, doc, rep) < 0 ? -1 : 0;
	strbuf_release(&r.where);
	cJSON_Delete(doc);
	return ret;
}
