/*
 * Cost profiles: functions and edges looked up by key, merged across
 * processes, trimmed for the report (see cost_profile.h).
 */
#include "cost_profile.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/hash.h"
#include "../../core/path.h"
#include "../../core/report.h"
#include "../../core/strvec.h"

#include <stdlib.h>
#include <string.h>

/* Where a function is: its file, or its object when callgrind has no file ("???"). */
static const char *place_of(const char *file, const char *object)
{
	return strcmp(file, "???") ? file : object;
}

static uint64_t fn_hash(const char *name, const char *place)
{
	return ma_hash_str(ma_hash_str(MA_HASH_INIT, name), place);
}

static uint64_t fn_hash_at(const struct ma_cost_profile *p, size_t i)
{
	const struct ma_cost_function *f = &p->functions[i];

	return fn_hash(f->name, place_of(f->file, f->object));
}

static uint64_t edge_hash_at(const struct ma_cost_profile *p, size_t i)
{
	return ma_mix3(p->edges[i].caller, p->edges[i].callee, 0);
}

/* Make room for item n in a table kept at most half full (open
 * addressing, linear probing), placing the n items already in the
 * profile: a fresh table takes in what the profile holds. */
static void make_room(size_t **slot, size_t *cap, size_t n, const struct ma_cost_profile *p,
		      uint64_t (*hash_at)(const struct ma_cost_profile *, size_t))
{
	size_t new_cap = *cap ? *cap : 64;

	if (2 * (n + 1) <= *cap)
		return;
	while (new_cap < 2 * (n + 1))
		new_cap = st_mult(new_cap, 2);
	free(*slot);
	*slot = ma_calloc(new_cap, sizeof(**slot));
	*cap = new_cap;
	for (size_t i = 0; i < n; i++) {
		size_t k = hash_at(p, i) & (new_cap - 1);
		while ((*slot)[k])
			k = (k + 1) & (new_cap - 1);
		(*slot)[k] = i + 1;
	}
}

void cost_tables_release(struct cost_tables *t)
{
	free(t->fn_slot);
	free(t->edge_slot);
	memset(t, 0, sizeof(*t));
}

void cost_profile_set_events(struct ma_cost_profile *p, const struct strvec *events)
{
	strvec_pushv(&p->events, events->v);
	p->totals = ma_calloc(events->nr + 1, sizeof(*p->totals));
}

/* One allocation for both arrays: self, then inclusive. */
static size_t add_function(struct ma_cost_profile *p, const char *name, const char *file, const char *object)
{
	size_t nev = p->events.nr;
	struct ma_cost_function *f;

	ALLOC_GROW(p->functions, p->nr_functions + 1, p->alloc_functions);
	f = &p->functions[p->nr_functions];
	memset(f, 0, sizeof(*f));
	f->name = ma_strdup(name);
	f->file = ma_strdup(file);
	f->object = ma_strdup(object);
	f->self = ma_calloc(st_mult(2, nev) + 1, sizeof(*f->self));
	f->inclusive = f->self + nev;
	return p->nr_functions++;
}

size_t cost_function_get(struct ma_cost_profile *p, struct cost_tables *t, const char *name, const char *file,
			 const char *object)
{
	const char *place = place_of(file, object);
	size_t k, mask;

	make_room(&t->fn_slot, &t->fn_cap, p->nr_functions, p, fn_hash_at);
	mask = t->fn_cap - 1;
	for (k = fn_hash(name, place) & mask; t->fn_slot[k]; k = (k + 1) & mask) {
		const struct ma_cost_function *f = &p->functions[t->fn_slot[k] - 1];
		if (!strcmp(f->name, name) && !strcmp(place_of(f->file, f->object), place))
			return t->fn_slot[k] - 1;
	}
	t->fn_slot[k] = add_function(p, name, file, object) + 1;
	return t->fn_slot[k] - 1;
}

size_t cost_edge_get(struct ma_cost_profile *p, struct cost_tables *t, size_t caller, size_t callee)
{
	size_t k, mask;
	struct ma_cost_edge *e;

	make_room(&t->edge_slot, &t->edge_cap, p->nr_edges, p, edge_hash_at);
	mask = t->edge_cap - 1;
	for (k = ma_mix3(caller, callee, 0) & mask; t->edge_slot[k]; k = (k + 1) & mask) {
		e = &p->edges[t->edge_slot[k] - 1];
		if (e->caller == caller && e->callee == callee)
			return t->edge_slot[k] - 1;
	}
	ALLOC_GROW(p->edges, p->nr_edges + 1, p->alloc_edges);
	e = &p->edges[p->nr_edges];
	*e = (struct ma_cost_edge){ .caller = caller, .callee = callee };
	e->inclusive = ma_calloc(p->events.nr + 1, sizeof(*e->inclusive));
	t->edge_slot[k] = ++p->nr_edges;
	return p->nr_edges - 1;
}

size_t ma_cost_profile_mark_project(struct ma_cost_profile *p, const char *root)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nr_functions; i++) {
		struct ma_cost_function *f = &p->functions[i];
		if (f->file[0] == '/') {
			ma_path_normalize(f->file);
			f->in_project = root && ma_path_is_under(root, f->file);
		}
		n += f->in_project;
	}
	return n;
}

static void add_costs(uint64_t *to, const uint64_t *from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		to[i] += from[i];
}

static void add_command(struct strvec *commands, const char *cmd)
{
	for (size_t i = 0; i < commands->nr; i++)
		if (!strcmp(commands->v[i], cmd))
			return;
	strvec_push(commands, cmd);
}

/* from's function into `into`; its index there. */
static size_t merge_function(struct ma_cost_profile *into, struct cost_tables *t, const struct ma_cost_function *f)
{
	size_t k = cost_function_get(into, t, f->name, f->file, f->object);
	struct ma_cost_function *g = &into->functions[k];

	add_costs(g->self, f->self, 2 * into->events.nr); /* self and inclusive */
	g->calls += f->calls;
	g->in_project |= f->in_project;
	if (!g->line)
		g->line = f->line;
	return k;
}

int ma_cost_profile_merge(struct ma_cost_profile *into, const struct ma_cost_profile *from)
{
	struct cost_tables t = { 0 };
	size_t *index_in_into;

	if (!into->events.nr)
		cost_profile_set_events(into, &from->events);
	else if (!strvec_equal(&into->events, &from->events))
		return -1;
	index_in_into = ma_calloc(from->nr_functions + 1, sizeof(*index_in_into));
	for (size_t i = 0; i < from->nr_functions; i++)
		index_in_into[i] = merge_function(into, &t, &from->functions[i]);
	for (size_t i = 0; i < from->nr_edges; i++) {
		const struct ma_cost_edge *e = &from->edges[i];
		size_t k = cost_edge_get(into, &t, index_in_into[e->caller], index_in_into[e->callee]);
		into->edges[k].calls += e->calls;
		add_costs(into->edges[k].inclusive, e->inclusive, into->events.nr);
	}
	add_costs(into->totals, from->totals, into->events.nr);
	for (size_t i = 0; i < from->commands.nr; i++)
		add_command(&into->commands, from->commands.v[i]);
	into->pid = into->processes ? 0 : from->pid;
	into->processes += from->processes;
	free(index_in_into);
	cost_tables_release(&t);
	return 0;
}

/* By the first event's self cost, the largest first; then by name and
 * place, so that the order does not depend on the order files were read. */
static int cmp_hotter(const void *a, const void *b)
{
	const struct ma_cost_function *x = *(const struct ma_cost_function *const *)a;
	const struct ma_cost_function *y = *(const struct ma_cost_function *const *)b;
	int c = (x->self[0] < y->self[0]) - (x->self[0] > y->self[0]);

	if (!c)
		c = strcmp(x->name, y->name);
	return c ? c : strcmp(place_of(x->file, x->object), place_of(y->file, y->object));
}

static int cmp_edge(const void *a, const void *b)
{
	const struct ma_cost_edge *x = a, *y = b;

	if (x->caller != y->caller)
		return (x->caller > y->caller) - (x->caller < y->caller);
	return (x->callee > y->callee) - (x->callee < y->callee);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void release_function(struct ma_cost_function *f)
{
	free(f->name);
	free(f->file);
	free(f->object);
	free(f->self);
}

/* The edges whose two ends are kept, renumbered. */
static void keep_edges(struct ma_cost_profile *p, const size_t *new_index)
{
	size_t kept = 0;

	for (size_t i = 0; i < p->nr_edges; i++) {
		struct ma_cost_edge e = p->edges[i];
		if (new_index[e.caller] == SIZE_MAX || new_index[e.callee] == SIZE_MAX) {
			free(e.inclusive);
			continue;
		}
		e.caller = new_index[e.caller];
		e.callee = new_index[e.callee];
		p->edges[kept++] = e;
	}
	p->nr_edges = kept;
	if (kept > 1)
		qsort(p->edges, kept, sizeof(*p->edges), cmp_edge);
}

void ma_cost_profile_trim(struct ma_cost_profile *p, size_t others)
{
	size_t n = p->nr_functions, kept = 0, others_kept = 0;
	struct ma_cost_function **hottest = ma_calloc(n + 1, sizeof(*hottest));
	struct ma_cost_function *functions = ma_calloc(n + 1, sizeof(*functions));
	size_t *new_index = ma_calloc(n + 1, sizeof(*new_index));

	for (size_t i = 0; i < n; i++)
		hottest[i] = &p->functions[i];
	if (n > 1)
		qsort(hottest, n, sizeof(*hottest), cmp_hotter);
	for (size_t r = 0; r < n; r++) {
		struct ma_cost_function *f = hottest[r];
		size_t i = (size_t)(f - p->functions);
		int keep = f->in_project || others_kept < others;

		others_kept += keep && !f->in_project;
		new_index[i] = keep ? kept : SIZE_MAX;
		if (keep)
			functions[kept++] = *f;
		else
			release_function(f);
	}
	free(p->functions);
	p->functions = functions;
	p->nr_functions = kept;
	p->alloc_functions = n + 1;
	keep_edges(p, new_index);
	if (p->commands.nr > 1)
		qsort(p->commands.v, p->commands.nr, sizeof(*p->commands.v), cmp_str);
	free(hottest);
	free(new_index);
}
