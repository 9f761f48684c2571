/*
 * The JSON report: the whole finding model and the run, versioned.  The
 * schema is documented in docs/formats.md; bump MA_JSON_VERSION
 * (json_read.h, which reads it back) on any incompatible change.  Paths
 * are relative to run.root when below it.
 */
#include "reporter.h"
#include "json_read.h"
#include "baseline_file.h"
#include "../core/baseline.h"
#include "../core/finding.h"
#include "../core/hash.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/strbuf.h"
#include "../core/suppress.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The findings array is written directly, not through a cJSON tree: a
 * large run has tens of thousands of findings, and a tree of them (a node
 * and a copy of each string per field, printed, then freed) cost more than
 * reading Valgrind's XML.  The bytes are those cJSON_Print gives (a tab per
 * level, "key":<tab>value, ", " between array items), as test_reporters.c
 * checks against cJSON itself.
 */
#define KEY(k) k, sizeof(k) - 1

/* Where n more bytes go at the end of out: grown only when it has no room
 * for them and the NUL (this runs for every key). */
static inline char *room_for(struct strbuf *out, size_t n)
{
	if (out->alloc <= out->len + n)
		strbuf_grow(out, n);
	return out->buf + out->len;
}

static inline char *put_tabs(char *p, int n)
{
	while (n-- > 0)
		*p++ = '\t';
	return p;
}

/* An object member's `"key":<tab>` at `depth` (the first one opens the line
 * after '{'), written in place: the findings have a dozen members each. */
static inline void put_key(struct strbuf *out, int depth, const char *key, size_t len, int first)
{
	char *p = room_for(out, (size_t)depth + len + 6);

	if (!first)
		*p++ = ',';
	*p++ = '\n';
	p = put_tabs(p, depth);
	*p++ = '"';
	memcpy(p, key, len);
	p += len;
	memcpy(p, "\":\t", 3);
	strbuf_setlen(out, (size_t)(p + 3 - out->buf));
}

/* The end of an object whose members are at `depth`. */
static void put_object_end(struct strbuf *out, int depth)
{
	char *p = room_for(out, (size_t)depth + 1);

	*p++ = '\n';
	p = put_tabs(p, depth - 1);
	*p++ = '}';
	strbuf_setlen(out, (size_t)(p - out->buf));
}

static void put_int(struct strbuf *out, long long value)
{
	char *p = room_for(out, 24);

	strbuf_setlen(out, out->len + ma_json_format_int(p, value));
}

static void put_string_or_null(struct strbuf *out, const char *s)
{
	if (s)
		ma_add_json_string(out, s);
	else
		strbuf_addstr(out, "null");
}

/* A location's members at `depth`, after others when !first. */
static void put_location(struct strbuf *out, int depth, int first, const struct ma_report *rep,
			 const struct ma_location *loc)
{
	put_key(out, depth, KEY("file"), first);
	put_string_or_null(out, loc->file ? ma_path_relative(rep->run.root, loc->file) : NULL);
	put_key(out, depth, KEY("line"), 0);
	put_int(out, loc->line);
	put_key(out, depth, KEY("column"), 0);
	put_int(out, loc->column);
	put_key(out, depth, KEY("function"), 0);
	put_string_or_null(out, loc->function);
}

/* The events array, a member at `depth`. */
static void put_events(struct strbuf *out, int depth, const struct ma_report *rep, const struct ma_finding *f)
{
	put_key(out, depth, KEY("events"), 0);
	strbuf_addch(out, '[');
	for (size_t i = 0; i < f->nr_events; i++) {
		strbuf_addstr(out, i ? ", {" : "{");
		put_location(out, depth + 2, 1, rep, &f->events[i].loc);
		put_key(out, depth + 2, KEY("message"), 0);
		ma_add_json_string(out, f->events[i].message);
		put_object_end(out, depth + 2);
	}
	strbuf_addch(out, ']');
}

/*
 * A shard's report keeps each finding's line hash: `memaudit merge` numbers
 * occurrences and computes fingerprints again over all the shards, as one
 * unsharded run would (core/report_merge.h).  Other reports leave it out.
 */
static void put_line_hash(struct strbuf *out, int depth, const struct ma_finding *f)
{
	char hex[17];

	ma_hash_hex(f->line_hash, hex);
	put_key(out, depth, KEY("line_hash"), 0);
	ma_add_json_string(out, hex);
}

/* "suppressed": {"kind": "inline", "reason": "...", "line": 12}, a member at `depth`. */
static void put_suppression(struct strbuf *out, int depth, const struct ma_finding *f)
{
	put_key(out, depth, KEY("suppressed"), 0);
	strbuf_addch(out, '{');
	put_key(out, depth + 1, KEY("kind"), 1);
	ma_add_json_string(out, ma_suppression_kind_name(f->suppression.kind));
	put_key(out, depth + 1, KEY("reason"), 0);
	ma_add_json_string(out, f->suppression.reason ? f->suppression.reason : "");
	if (f->suppression.line) {
		put_key(out, depth + 1, KEY("line"), 0);
		put_int(out, f->suppression.line);
	}
	put_object_end(out, depth + 1);
}

/* The code key (a report read back from before code keys has none) and,
 * against a baseline, the finding's state there. */
static void put_baseline_members(struct strbuf *out, int depth, const struct ma_finding *f)
{
	if (*f->code_key) {
		put_key(out, depth, KEY("code_key"), 0);
		ma_add_json_string(out, f->code_key);
	}
	if (f->baseline_state != MA_BASELINE_NONE) {
		put_key(out, depth, KEY("baseline_state"), 0);
		ma_add_json_string(out, f->baseline_state == MA_BASELINE_NEW ? "new" : "unchanged");
	}
}

/* One finding, an object whose members are at `depth`. */
static void put_finding(struct strbuf *out, int depth, const struct ma_report *rep, const struct ma_finding *f)
{
	strbuf_addch(out, '{');
	put_key(out, depth, KEY("rule"), 1);
	ma_add_json_string(out, f->rule_id);
	put_key(out, depth, KEY("title"), 0);
	ma_add_json_string(out, f->title);
	put_key(out, depth, KEY("severity"), 0);
	ma_add_json_string(out, ma_severity_name(f->severity));
	put_key(out, depth, KEY("cwe"), 0);
	put_int(out, f->cwe);
	put_key(out, depth, KEY("message"), 0);
	ma_add_json_string(out, f->message);
	put_key(out, depth, KEY("location"), 0);
	strbuf_addch(out, '{');
	put_location(out, depth + 1, 1, rep, &f->loc);
	put_object_end(out, depth + 1);
	put_events(out, depth, rep, f);
	put_key(out, depth, KEY("pass"), 0);
	ma_add_json_string(out, f->pass);
	if (f->also_by) {
		put_key(out, depth, KEY("also_by"), 0);
		ma_add_json_string(out, f->also_by);
	}
	put_key(out, depth, KEY("confirmed"), 0);
	strbuf_addstr(out, f->confirmed_by ? "true" : "false");
	if (f->confirmed_by) {
		put_key(out, depth, KEY("confirmed_by"), 0);
		ma_add_json_string(out, f->confirmed_by);
	}
	put_key(out, depth, KEY("fingerprint"), 0);
	ma_add_json_string(out, f->fingerprint);
	if (rep->run.shard_count)
		put_line_hash(out, depth, f);
	put_key(out, depth, KEY("occurrence"), 0);
	put_int(out, f->occurrence);
	put_key(out, depth, KEY("count"), 0);
	put_int(out, f->count);
	if (f->suppression.kind)
		put_suppression(out, depth, f);
	put_baseline_members(out, depth, f);
	put_object_end(out, depth);
}

/* The findings array, the value of a member of the root object (depth 1). */
static void put_findings(struct strbuf *out, const struct ma_report *rep)
{
	strbuf_addch(out, '[');
	for (size_t i = 0; i < rep->findings.nr; i++) {
		if (i)
			strbuf_addstr(out, ", ");
		put_finding(out, 3, rep, rep->findings.items[i]);
	}
	strbuf_addch(out, ']');
}

static cJSON *strvec_json(const struct strvec *sv)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < sv->nr; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(sv->v[i]));
	return a;
}

static void add_time(cJSON *o, const char *key, long long t)
{
	char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(o, key, buf);
}

static cJSON *units_json(const struct ma_run *run)
{
	cJSON *u = cJSON_CreateObject();

	cJSON_AddNumberToObject(u, "total", (double)run->tus_total);
	cJSON_AddNumberToObject(u, "analysed", (double)run->tus_analysed);
	cJSON_AddNumberToObject(u, "failed", (double)run->tus_failed);
	cJSON_AddNumberToObject(u, "skipped_other_language", (double)run->tus_skipped);
	cJSON_AddNumberToObject(u, "excluded", (double)run->tus_filtered);
	return u;
}

static cJSON *failures_json(const struct ma_report *rep)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < rep->run.nr_failures; i++) {
		const struct ma_failure *f = &rep->run.failures[i];
		cJSON *o = cJSON_CreateObject();
		if (f->file)
			cJSON_AddStringToObject(o, "file", ma_path_relative(rep->run.root, f->file));
		else
			cJSON_AddNullToObject(o, "file");
		cJSON_AddNumberToObject(o, "line", f->line);
		cJSON_AddNumberToObject(o, "column", f->column);
		cJSON_AddStringToObject(o, "message", f->message);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static void add_string_or_null(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* "shard": {"index": K, "count": N} for `audit --shard K/N`, else null. */
static void add_shard(cJSON *r, const struct ma_run *run)
{
	cJSON *s;

	if (!run->shard_count) {
		cJSON_AddNullToObject(r, "shard");
		return;
	}
	s = cJSON_CreateObject();
	ma_json_add_int(s, "index", run->shard_index);
	ma_json_add_int(s, "count", run->shard_count);
	cJSON_AddItemToObject(r, "shard", s);
}

/* run.baseline: the baseline compared with, the counts, the entries fixed. */
static cJSON *baseline_json(const struct ma_report *rep)
{
	const struct ma_baseline_run *b = rep->run.baseline;
	cJSON *o = cJSON_CreateObject(), *fixed = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "file", b->file);
	ma_json_add_int(o, "new", (long long)b->nr_new);
	ma_json_add_int(o, "unchanged", (long long)b->nr_unchanged);
	for (size_t i = 0; i < b->fixed.nr; i++)
		cJSON_AddItemToArray(fixed, ma_baseline_entry_json(&b->fixed.v[i], rep->run.root, 1));
	cJSON_AddItemToObject(o, "fixed", fixed);
	return o;
}

static cJSON *run_json(const struct ma_report *rep)
{
	const struct ma_run *run = &rep->run;
	cJSON *r = cJSON_CreateObject(), *t = cJSON_CreateObject();

	cJSON_AddItemToObject(r, "command", strvec_json(&run->command));
	cJSON_AddStringToObject(r, "root", run->root ? run->root : "");
	add_string_or_null(r, "compile_db", run->compile_db);
	add_string_or_null(r, "commit", run->commit);
	add_string_or_null(r, "branch", run->branch);
	add_time(r, "started", run->started);
	cJSON_AddItemToObject(r, "passes", strvec_json(&run->passes));
	cJSON_AddNumberToObject(r, "jobs", run->jobs);
	cJSON_AddItemToObject(r, "units", units_json(run));
	cJSON_AddBoolToObject(r, "partial", run->partial);
	cJSON_AddItemToObject(r, "failures", failures_json(rep));
	cJSON_AddItemToObject(r, "notes", strvec_json(&run->notes));
	cJSON_AddNumberToObject(t, "wall_seconds", run->wall_seconds);
	cJSON_AddNumberToObject(t, "cpu_seconds", run->cpu_seconds);
	cJSON_AddNumberToObject(t, "parse_cpu_seconds", run->parse_seconds);
	cJSON_AddNumberToObject(t, "check_cpu_seconds", run->check_seconds);
	cJSON_AddItemToObject(r, "timings", t);
	add_shard(r, run);
	add_string_or_null(r, "config", run->config);
	if (run->baseline)
		cJSON_AddItemToObject(r, "baseline", baseline_json(rep));
	return r;
}

static cJSON *summary_json(const struct ma_report *rep)
{
	cJSON *s = cJSON_CreateObject(), *sev = cJSON_CreateObject(), *rules = cJSON_CreateObject();
	size_t by_sev[MA_SEV_COUNT] = { 0 }, suppressed = 0;

	for (size_t i = 0; i < rep->findings.nr; i++) {
		const struct ma_finding *f = rep->findings.items[i];
		cJSON *n = cJSON_GetObjectItemCaseSensitive(rules, f->rule_id);
		if (f->suppression.kind) { /* in findings[], not in the counts */
			suppressed++;
			continue;
		}
		by_sev[f->severity]++;
		if (n)
			cJSON_SetNumberValue(n, n->valuedouble + 1);
		else
			cJSON_AddNumberToObject(rules, f->rule_id, 1);
	}
	cJSON_AddNumberToObject(s, "findings", (double)(rep->findings.nr - suppressed));
	cJSON_AddNumberToObject(s, "suppressed", (double)suppressed);
	for (int i = MA_SEV_COUNT - 1; i >= 0; i--)
		cJSON_AddNumberToObject(sev, ma_severity_name((enum ma_severity)i), (double)by_sev[i]);
	cJSON_AddItemToObject(s, "by_severity", sev);
	cJSON_AddItemToObject(s, "by_rule", rules);
	return s;
}

/* One process's heap: its snapshots over time, the peak and its largest sites. */
static cJSON *heap_json(const struct ma_heap_profile *p)
{
	cJSON *o = cJSON_CreateObject(), *snaps = cJSON_CreateArray(), *sites = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "command", p->command ? p->command : "");
	cJSON_AddStringToObject(o, "time_unit", p->time_unit ? p->time_unit : "");
	ma_json_add_int(o, "peak", (long long)p->peak);
	for (size_t i = 0; i < p->nr_snapshots; i++) {
		cJSON *s = cJSON_CreateObject();
		ma_json_add_int(s, "time", (long long)p->snapshots[i].time);
		ma_json_add_int(s, "heap", (long long)p->snapshots[i].heap);
		ma_json_add_int(s, "extra", (long long)p->snapshots[i].extra);
		ma_json_add_int(s, "stacks", (long long)p->snapshots[i].stacks);
		cJSON_AddItemToArray(snaps, s);
	}
	cJSON_AddItemToObject(o, "snapshots", snaps);
	for (size_t i = 0; i < p->nr_sites; i++) {
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "function", p->sites[i].function);
		cJSON_AddStringToObject(s, "file", p->sites[i].file);
		ma_json_add_int(s, "line", p->sites[i].line);
		ma_json_add_int(s, "bytes", (long long)p->sites[i].bytes);
		cJSON_AddItemToArray(sites, s);
	}
	cJSON_AddItemToObject(o, "sites", sites);
	return o;
}

/* One process's allocations by site (DHAT). */
static cJSON *alloc_json(const struct ma_alloc_profile *p)
{
	cJSON *o = cJSON_CreateObject(), *sites = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "command", p->command ? p->command : "");
	cJSON_AddStringToObject(o, "time_unit", p->time_unit ? p->time_unit : "");
	ma_json_add_int(o, "total_time", (long long)p->total_time);
	for (size_t i = 0; i < p->nr_sites; i++) {
		const struct ma_alloc_site *a = &p->sites[i];
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "function", a->function);
		cJSON_AddStringToObject(s, "file", a->file);
		ma_json_add_int(s, "line", a->line);
		ma_json_add_int(s, "bytes", (long long)a->bytes);
		ma_json_add_int(s, "blocks", (long long)a->blocks);
		ma_json_add_int(s, "max_bytes", (long long)a->max_bytes);
		ma_json_add_int(s, "avg_lifetime", (long long)a->avg_lifetime);
		ma_json_add_int(s, "reads", (long long)a->reads);
		ma_json_add_int(s, "writes", (long long)a->writes);
		cJSON_AddBoolToObject(s, "never_read", a->bytes && !a->reads);
		cJSON_AddBoolToObject(s, "short_lived", a->blocks && a->avg_lifetime < p->short_lived);
		cJSON_AddItemToArray(sites, s);
	}
	cJSON_AddItemToObject(o, "sites", sites);
	return o;
}

/* {"Ir": 1200, "Dr": 300}: one number per event. */
static cJSON *event_costs_json(const struct strvec *events, const uint64_t *v)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; i < events->nr; i++)
		ma_json_add_int(o, events->v[i], (long long)v[i]);
	return o;
}

static cJSON *cost_function_json(const struct ma_report *rep, const struct ma_cost_profile *p,
				 const struct ma_cost_function *f)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "function", f->name);
	cJSON_AddStringToObject(o, "file", ma_path_relative(rep->run.root, f->file));
	ma_json_add_int(o, "line", f->line);
	cJSON_AddStringToObject(o, "object", f->object);
	cJSON_AddBoolToObject(o, "in_project", f->in_project);
	ma_json_add_int(o, "calls", (long long)f->calls);
	cJSON_AddItemToObject(o, "self", event_costs_json(&p->events, f->self));
	cJSON_AddItemToObject(o, "inclusive", event_costs_json(&p->events, f->inclusive));
	return o;
}

/* The run's costs (callgrind): functions hottest first, edges by index into them. */
static cJSON *cost_json(const struct ma_report *rep, const struct ma_cost_profile *p)
{
	cJSON *o = cJSON_CreateObject(), *fns = cJSON_CreateArray(), *edges = cJSON_CreateArray();

	cJSON_AddItemToObject(o, "events", strvec_json(&p->events));
	cJSON_AddItemToObject(o, "totals", event_costs_json(&p->events, p->totals));
	ma_json_add_int(o, "processes", (long long)p->processes);
	cJSON_AddItemToObject(o, "commands", strvec_json(&p->commands));
	for (size_t i = 0; i < p->nr_functions; i++)
		cJSON_AddItemToArray(fns, cost_function_json(rep, p, &p->functions[i]));
	cJSON_AddItemToObject(o, "functions", fns);
	for (size_t i = 0; i < p->nr_edges; i++) {
		const struct ma_cost_edge *e = &p->edges[i];
		cJSON *x = cJSON_CreateObject();
		ma_json_add_int(x, "caller", (long long)e->caller);
		ma_json_add_int(x, "callee", (long long)e->callee);
		ma_json_add_int(x, "calls", (long long)e->calls);
		cJSON_AddItemToObject(x, "inclusive", event_costs_json(&p->events, e->inclusive));
		cJSON_AddItemToArray(edges, x);
	}
	cJSON_AddItemToObject(o, "edges", edges);
	return o;
}

static cJSON *profiles_json(const struct ma_report *rep)
{
	cJSON *o = cJSON_CreateObject(), *heap = cJSON_CreateArray(), *allocs = cJSON_CreateArray();
	cJSON *costs = cJSON_CreateArray();

	for (size_t i = 0; i < rep->nr_heap_profiles; i++)
		cJSON_AddItemToArray(heap, heap_json(&rep->heap_profiles[i]));
	cJSON_AddItemToObject(o, "heap", heap);
	for (size_t i = 0; i < rep->nr_alloc_profiles; i++)
		cJSON_AddItemToArray(allocs, alloc_json(&rep->alloc_profiles[i]));
	cJSON_AddItemToObject(o, "allocations", allocs);
	for (size_t i = 0; i < rep->nr_cost_profiles; i++)
		cJSON_AddItemToArray(costs, cost_json(rep, &rep->cost_profiles[i]));
	cJSON_AddItemToObject(o, "costs", costs);
	return o;
}

/* Stands for the findings in the printed tree: cJSON escapes every control
 * character in strings and keys, so this byte appears nowhere else. */
#define FINDINGS_MARK "\x01"

void ma_render_json(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out)
{
	cJSON *root = cJSON_CreateObject(), *tool = cJSON_CreateObject();
	char *text, *mark;

	(void)o;
	cJSON_AddStringToObject(root, "format", "memaudit-report");
	cJSON_AddNumberToObject(root, "version", MA_JSON_VERSION);
	cJSON_AddStringToObject(tool, "name", "memaudit");
	cJSON_AddStringToObject(tool, "version", rep->run.tool_version);
	cJSON_AddItemToObject(root, "tool", tool);
	cJSON_AddItemToObject(root, "run", run_json(rep));
	cJSON_AddItemToObject(root, "summary", summary_json(rep));
	cJSON_AddRawToObject(root, "findings", FINDINGS_MARK);
	cJSON_AddItemToObject(root, "profiles", profiles_json(rep));
	text = cJSON_Print(root); /* NULL only out of memory, which ma_malloc (cJSON's allocator) never returns */
	mark = text ? strstr(text, FINDINGS_MARK) : NULL;
	if (!mark) /* the mark was added above: a cJSON that drops members is broken */
		abort();
	*mark = '\0';
	ma_add_utf8(out, text);
	put_findings(out, rep);
	ma_add_utf8(out, mark + 1);
	strbuf_addch(out, '\n');
	free(text);
	cJSON_Delete(root);
}
