/*
 * The JSON report: the whole finding model and the run, versioned.  The
 * schema is documented in docs/formats.md; bump MA_JSON_VERSION on any
 * incompatible change.  Paths are relative to run.root when below it.
 */
#include "reporter.h"
#include "../core/finding.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/strbuf.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <time.h>

#define MA_JSON_VERSION 1

static void add_location(cJSON *obj, const struct ma_report *rep, const struct ma_location *loc)
{
	if (loc->file)
		cJSON_AddStringToObject(obj, "file", ma_path_relative(rep->run.root, loc->file));
	else
		cJSON_AddNullToObject(obj, "file");
	ma_json_add_int(obj, "line", loc->line);
	ma_json_add_int(obj, "column", loc->column);
	if (loc->function)
		cJSON_AddStringToObject(obj, "function", loc->function);
	else
		cJSON_AddNullToObject(obj, "function");
}

static cJSON *finding_json(const struct ma_report *rep, const struct ma_finding *f)
{
	cJSON *o = cJSON_CreateObject(), *loc = cJSON_CreateObject(), *events = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "rule", f->rule_id);
	cJSON_AddStringToObject(o, "title", f->title);
	cJSON_AddStringToObject(o, "severity", ma_severity_name(f->severity));
	ma_json_add_int(o, "cwe", f->cwe);
	cJSON_AddStringToObject(o, "message", f->message);
	add_location(loc, rep, &f->loc);
	cJSON_AddItemToObject(o, "location", loc);
	for (size_t i = 0; i < f->nr_events; i++) {
		cJSON *ev = cJSON_CreateObject();
		add_location(ev, rep, &f->events[i].loc);
		cJSON_AddStringToObject(ev, "message", f->events[i].message);
		cJSON_AddItemToArray(events, ev);
	}
	cJSON_AddItemToObject(o, "events", events);
	cJSON_AddStringToObject(o, "pass", f->pass);
	if (f->also_by)
		cJSON_AddStringToObject(o, "also_by", f->also_by);
	cJSON_AddBoolToObject(o, "confirmed", f->confirmed_by != NULL);
	if (f->confirmed_by)
		cJSON_AddStringToObject(o, "confirmed_by", f->confirmed_by);
	cJSON_AddStringToObject(o, "fingerprint", f->fingerprint);
	ma_json_add_int(o, "occurrence", f->occurrence);
	ma_json_add_int(o, "count", f->count);
	return o;
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

static cJSON *run_json(const struct ma_report *rep)
{
	const struct ma_run *run = &rep->run;
	cJSON *r = cJSON_CreateObject(), *t = cJSON_CreateObject();

	cJSON_AddItemToObject(r, "command", strvec_json(&run->command));
	cJSON_AddStringToObject(r, "root", run->root ? run->root : "");
	if (run->compile_db)
		cJSON_AddStringToObject(r, "compile_db", run->compile_db);
	else
		cJSON_AddNullToObject(r, "compile_db");
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
	return r;
}

static cJSON *summary_json(const struct ma_report *rep)
{
	cJSON *s = cJSON_CreateObject(), *sev = cJSON_CreateObject(), *rules = cJSON_CreateObject();
	size_t by_sev[MA_SEV_COUNT] = { 0 };

	for (size_t i = 0; i < rep->findings.nr; i++) {
		const struct ma_finding *f = rep->findings.items[i];
		cJSON *n = cJSON_GetObjectItemCaseSensitive(rules, f->rule_id);
		by_sev[f->severity]++;
		if (n)
			cJSON_SetNumberValue(n, n->valuedouble + 1);
		else
			cJSON_AddNumberToObject(rules, f->rule_id, 1);
	}
	cJSON_AddNumberToObject(s, "findings", (double)rep->findings.nr);
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

void ma_render_json(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out)
{
	cJSON *root = cJSON_CreateObject(), *tool = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	char *text;

	(void)o;
	cJSON_AddStringToObject(root, "format", "memaudit-report");
	cJSON_AddNumberToObject(root, "version", MA_JSON_VERSION);
	cJSON_AddStringToObject(tool, "name", "memaudit");
	cJSON_AddStringToObject(tool, "version", rep->run.tool_version);
	cJSON_AddItemToObject(root, "tool", tool);
	cJSON_AddItemToObject(root, "run", run_json(rep));
	cJSON_AddItemToObject(root, "summary", summary_json(rep));
	for (size_t i = 0; i < rep->findings.nr; i++)
		cJSON_AddItemToArray(arr, finding_json(rep, rep->findings.items[i]));
	cJSON_AddItemToObject(root, "findings", arr);
	cJSON_AddItemToObject(root, "profiles", profiles_json(rep));
	text = cJSON_Print(root);
	ma_add_utf8(out, text);
	strbuf_addch(out, '\n');
	free(text);
	cJSON_Delete(root);
}
