/*
 * The JSON report's profiles read back (json_read.h): massif's heap over
 * time, DHAT's allocation sites, callgrind's costs; json.c's heap_json,
 * alloc_json and cost_json in reverse.
 */
#include "json_read_fields.h"
#include "../core/alloc.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/strvec.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const struct field heap_fields[] = {
	{ "command", F_STRING, offsetof(struct ma_heap_profile, command) },
	{ "time_unit", F_STRING, offsetof(struct ma_heap_profile, time_unit) },
	{ "peak", F_SIZE, offsetof(struct ma_heap_profile, peak) },
};

static const struct field snapshot_fields[] = {
	{ "time", F_U64, offsetof(struct ma_heap_snapshot, time) },
	{ "heap", F_U64, offsetof(struct ma_heap_snapshot, heap) },
	{ "extra", F_U64, offsetof(struct ma_heap_snapshot, extra) },
	{ "stacks", F_U64, offsetof(struct ma_heap_snapshot, stacks) },
};

static const struct field heap_site_fields[] = {
	{ "function", F_STRING, offsetof(struct ma_heap_site, function) },
	{ "file", F_STRING, offsetof(struct ma_heap_site, file) },
	{ "line", F_UNSIGNED, offsetof(struct ma_heap_site, line) },
	{ "bytes", F_U64, offsetof(struct ma_heap_site, bytes) },
};

static int read_snapshot(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_heap_profile *p = items;

	ALLOC_GROW(p->snapshots, p->nr_snapshots + 1, p->alloc_snapshots);
	memset(&p->snapshots[p->nr_snapshots], 0, sizeof(*p->snapshots));
	return JR_READ_FIELDS(r, obj, &p->snapshots[p->nr_snapshots++], snapshot_fields);
}

static int read_heap_site(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_heap_profile *p = items;

	ALLOC_GROW(p->sites, p->nr_sites + 1, p->alloc_sites);
	memset(&p->sites[p->nr_sites], 0, sizeof(*p->sites));
	return JR_READ_FIELDS(r, obj, &p->sites[p->nr_sites++], heap_site_fields);
}

static int read_heap(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_report *rep = items;
	struct ma_heap_profile *p;

	ALLOC_GROW(rep->heap_profiles, rep->nr_heap_profiles + 1, rep->alloc_heap_profiles);
	p = &rep->heap_profiles[rep->nr_heap_profiles++];
	memset(p, 0, sizeof(*p));
	if (JR_READ_FIELDS(r, obj, p, heap_fields) < 0 || jr_read_each(r, obj, "snapshots", p, read_snapshot) < 0 ||
	    jr_read_each(r, obj, "sites", p, read_heap_site) < 0)
		return -1;
	if (p->peak >= p->nr_snapshots) /* the text report shows snapshots[peak] */
		return jr_bad(r, "peak", "not the index of a snapshot");
	return 0;
}

static const struct field alloc_fields[] = {
	{ "command", F_STRING, offsetof(struct ma_alloc_profile, command) },
	{ "time_unit", F_STRING, offsetof(struct ma_alloc_profile, time_unit) },
	{ "total_time", F_U64, offsetof(struct ma_alloc_profile, total_time) },
};

static const struct field alloc_site_fields[] = {
	{ "function", F_STRING, offsetof(struct ma_alloc_site, function) },
	{ "file", F_STRING, offsetof(struct ma_alloc_site, file) },
	{ "line", F_UNSIGNED, offsetof(struct ma_alloc_site, line) },
	{ "bytes", F_U64, offsetof(struct ma_alloc_site, bytes) },
	{ "blocks", F_U64, offsetof(struct ma_alloc_site, blocks) },
	{ "max_bytes", F_U64, offsetof(struct ma_alloc_site, max_bytes) },
	{ "avg_lifetime", F_U64, offsetof(struct ma_alloc_site, avg_lifetime) },
	{ "reads", F_U64, offsetof(struct ma_alloc_site, reads) },
	{ "writes", F_U64, offsetof(struct ma_alloc_site, writes) },
};

/* While a DHAT profile's sites are read: the threshold (not written) that
 * their short_lived flags bound from both sides. */
struct alloc_read {
	struct ma_alloc_profile *p;
	uint64_t longest_short;   /* + 1: the least the threshold can be */
	uint64_t shortest_long;   /* the most it can be */
};

static int read_alloc_site(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct alloc_read *ar = items;
	struct ma_alloc_profile *p = ar->p;
	struct ma_alloc_site *s;
	int short_lived;

	ALLOC_GROW(p->sites, p->nr_sites + 1, p->alloc_sites);
	s = &p->sites[p->nr_sites++];
	memset(s, 0, sizeof(*s));
	if (JR_READ_FIELDS(r, obj, s, alloc_site_fields) < 0 || jr_read_bool(r, obj, "short_lived", &short_lived) < 0)
		return -1;
	s->total_lifetime = s->avg_lifetime * s->blocks; /* as near as the average tells */
	if (!s->blocks)
		return short_lived ? jr_bad(r, "short_lived", "true for a site without blocks") : 0;
	if (short_lived && s->avg_lifetime + 1 > ar->longest_short)
		ar->longest_short = s->avg_lifetime + 1;
	if (!short_lived && s->avg_lifetime < ar->shortest_long)
		ar->shortest_long = s->avg_lifetime;
	return 0;
}

static int read_alloc(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_report *rep = items;
	struct alloc_read ar = { .longest_short = 0, .shortest_long = UINT64_MAX };

	ALLOC_GROW(rep->alloc_profiles, rep->nr_alloc_profiles + 1, rep->alloc_alloc_profiles);
	ar.p = &rep->alloc_profiles[rep->nr_alloc_profiles++];
	memset(ar.p, 0, sizeof(*ar.p));
	if (JR_READ_FIELDS(r, obj, ar.p, alloc_fields) < 0 || jr_read_each(r, obj, "sites", &ar, read_alloc_site) < 0)
		return -1;
	if (ar.longest_short > ar.shortest_long)
		return jr_bad(r, "sites", "short_lived does not follow avg_lifetime");
	ar.p->short_lived = ar.longest_short; /* the least threshold that fits: DHAT's own is lost */
	return 0;
}

/* Object `key` of obj: one number per event of the profile, into v. */
static int read_costs(struct jr_reader *r, const cJSON *obj, const char *key, const struct strvec *events,
		      uint64_t *v)
{
	const cJSON *o = jr_need_object(r, obj, key);
	size_t mark;

	if (!o)
		return -1;
	mark = jr_enter(r, key);
	for (size_t i = 0; i < events->nr; i++)
		if (jr_read_u64(r, o, events->v[i], &v[i]) < 0)
			return -1;
	jr_leave(r, mark);
	return 0;
}

static const struct field cost_function_fields[] = {
	{ "function", F_STRING, offsetof(struct ma_cost_function, name) },
	{ "file", F_STRING, offsetof(struct ma_cost_function, file) },
	{ "line", F_UNSIGNED, offsetof(struct ma_cost_function, line) },
	{ "object", F_STRING, offsetof(struct ma_cost_function, object) },
	{ "in_project", F_BOOL, offsetof(struct ma_cost_function, in_project) },
	{ "calls", F_U64, offsetof(struct ma_cost_function, calls) },
};

static const struct field cost_edge_fields[] = {
	{ "caller", F_SIZE, offsetof(struct ma_cost_edge, caller) },
	{ "callee", F_SIZE, offsetof(struct ma_cost_edge, callee) },
	{ "calls", F_U64, offsetof(struct ma_cost_edge, calls) },
};

/*
 * Only a project function's file is below the root, and written relative
 * to it: the others keep callgrind's own names, which may be relative
 * ("./string/memset.S") or "???", and are not made absolute.
 */
static int read_cost_function(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_cost_profile *p = items;
	struct ma_cost_function *f;
	size_t nev = p->events.nr;

	ALLOC_GROW(p->functions, p->nr_functions + 1, p->alloc_functions);
	f = &p->functions[p->nr_functions++];
	memset(f, 0, sizeof(*f));
	f->self = ma_calloc(st_mult(2, nev) + 1, sizeof(*f->self)); /* one allocation, as cost_profile.c */
	f->inclusive = f->self + nev;
	if (JR_READ_FIELDS(r, obj, f, cost_function_fields) < 0 || read_costs(r, obj, "self", &p->events, f->self) < 0 ||
	    read_costs(r, obj, "inclusive", &p->events, f->inclusive) < 0)
		return -1;
	if (f->in_project && f->file[0] != '/' && r->root) {
		struct strbuf abs = STRBUF_INIT;
		ma_path_absolute(&abs, r->root, f->file);
		free(f->file);
		f->file = strbuf_detach(&abs, NULL);
	}
	return 0;
}

static int read_cost_edge(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_cost_profile *p = items;
	struct ma_cost_edge *e;

	ALLOC_GROW(p->edges, p->nr_edges + 1, p->alloc_edges);
	e = &p->edges[p->nr_edges++];
	memset(e, 0, sizeof(*e));
	e->inclusive = ma_calloc(p->events.nr + 1, sizeof(*e->inclusive));
	if (JR_READ_FIELDS(r, obj, e, cost_edge_fields) < 0 || read_costs(r, obj, "inclusive", &p->events, e->inclusive) < 0)
		return -1;
	if (e->caller >= p->nr_functions || e->callee >= p->nr_functions)
		return jr_bad(r, e->caller >= p->nr_functions ? "caller" : "callee", "not the index of a function");
	return 0;
}

static int read_cost(struct jr_reader *r, const cJSON *obj, void *items)
{
	struct ma_report *rep = items;
	struct ma_cost_profile *p;

	ALLOC_GROW(rep->cost_profiles, rep->nr_cost_profiles + 1, rep->alloc_cost_profiles);
	p = &rep->cost_profiles[rep->nr_cost_profiles++];
	ma_cost_profile_init(p);
	if (jr_read_strings(r, obj, "events", &p->events) < 0)
		return -1;
	p->totals = ma_calloc(p->events.nr + 1, sizeof(*p->totals));
	if (read_costs(r, obj, "totals", &p->events, p->totals) < 0 || jr_read_size(r, obj, "processes", &p->processes) < 0 ||
	    jr_read_strings(r, obj, "commands", &p->commands) < 0 ||
	    jr_read_each(r, obj, "functions", p, read_cost_function) < 0 ||
	    jr_read_each(r, obj, "edges", p, read_cost_edge) < 0)
		return -1;
	return 0;
}

/* Members a later version 1 added: each may be absent, as `profiles` itself. */
int jr_read_profiles(struct jr_reader *r, const cJSON *doc, struct ma_report *rep)
{
	static const struct {
		const char *key;
		jr_read_one_fn read;
	} kinds[] = { { "heap", read_heap }, { "allocations", read_alloc }, { "costs", read_cost } };
	const cJSON *profiles;
	size_t mark;

	if (!cJSON_HasObjectItem(doc, "profiles"))
		return 0;
	if (!(profiles = jr_need_object(r, doc, "profiles")))
		return -1;
	mark = jr_enter(r, "profiles");
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (cJSON_HasObjectItem(profiles, kinds[i].key) && jr_read_each(r, profiles, kinds[i].key, rep, kinds[i].read) < 0)
			return -1;
	jr_leave(r, mark);
	return 0;
}

