#include "report.h"
#include "alloc.h"
#include "array.h"
#include "baseline.h"
#include "path.h"
#include "strbuf.h"
#include "version.h"

#include <stdlib.h>
#include <string.h>

void ma_report_init(struct ma_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->run.tool_version = MA_VERSION;
	strvec_init(&rep->run.command);
	strvec_init(&rep->run.passes);
	strvec_init(&rep->run.notes);
}

void ma_report_add_failure(struct ma_report *rep, const char *file, unsigned line,
			   unsigned column, const char *message)
{
	struct ma_run *run = &rep->run;
	struct ma_failure *f;

	ALLOC_GROW(run->failures, run->nr_failures + 1, run->alloc_failures);
	f = &run->failures[run->nr_failures++];
	f->file = file ? ma_strdup(file) : NULL;
	f->line = line;
	f->column = column;
	f->message = ma_strdup(message);
	run->partial = 1;
}

/* src's strings, then dst's, in dst; src emptied. */
static void strvec_take_first(struct strvec *dst, struct strvec *src)
{
	struct strvec both = STRVEC_INIT;

	for (size_t i = 0; i < src->nr; i++)
		strvec_push(&both, src->v[i]);
	for (size_t i = 0; i < dst->nr; i++)
		strvec_push(&both, dst->v[i]);
	strvec_clear(dst);
	strvec_clear(src);
	*dst = both;
}

void ma_report_take_first(struct ma_report *dst, struct ma_report *src)
{
	struct ma_run *d = &dst->run, *s = &src->run;
	struct ma_findings findings = { 0 };
	size_t nr = s->nr_failures + d->nr_failures;
	struct ma_failure *failures = ma_calloc(nr ? nr : 1, sizeof(*failures));

	ma_findings_take(&findings, &src->findings);
	ma_findings_take(&findings, &dst->findings);
	dst->findings = findings;
	if (s->nr_failures)
		memcpy(failures, s->failures, s->nr_failures * sizeof(*failures));
	if (d->nr_failures)
		memcpy(failures + s->nr_failures, d->failures, d->nr_failures * sizeof(*failures));
	free(d->failures);
	d->failures = failures;
	d->nr_failures = d->alloc_failures = nr;
	free(s->failures);
	s->failures = NULL;
	s->nr_failures = s->alloc_failures = 0;
	strvec_take_first(&d->notes, &s->notes);
	d->parse_seconds += s->parse_seconds;
	d->check_seconds += s->check_seconds;
	d->tus_analysed += s->tus_analysed;
	d->tus_failed += s->tus_failed;
	d->partial |= s->partial;
	if (s->jobs)
		d->jobs = s->jobs;
	ma_report_release(src);
}

static int strvec_has(const struct strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->nr; i++)
		if (!strcmp(sv->v[i], s))
			return 1;
	return 0;
}

static void strvec_add_missing(struct strvec *dst, const struct strvec *src)
{
	for (size_t i = 0; i < src->nr; i++)
		if (!strvec_has(dst, src->v[i]))
			strvec_push(dst, src->v[i]);
}

static int same_failure(const struct ma_failure *a, const struct ma_failure *b)
{
	return !strcmp(a->file ? a->file : "", b->file ? b->file : "") && a->line == b->line &&
	       a->column == b->column && !strcmp(a->message, b->message);
}

static int has_failure(const struct ma_run *run, const struct ma_failure *f)
{
	for (size_t i = 0; i < run->nr_failures; i++)
		if (same_failure(&run->failures[i], f))
			return 1;
	return 0;
}

static void take_failures(struct ma_run *d, struct ma_run *s)
{
	for (size_t i = 0; i < s->nr_failures; i++) {
		struct ma_failure *f = &s->failures[i];
		if (has_failure(d, f)) {
			free(f->file);
			free(f->message);
			continue;
		}
		ALLOC_GROW(d->failures, d->nr_failures + 1, d->alloc_failures);
		d->failures[d->nr_failures++] = *f;
	}
	free(s->failures);
	s->failures = NULL;
	s->nr_failures = s->alloc_failures = 0;
}

/* Append n elements of `size` bytes from *src to *dst (both ALLOC_GROW arrays); src freed. */
#define TAKE_ARRAY(dst, dnr, dalloc, src, snr) \
	do { \
		ALLOC_GROW(dst, (dnr) + (snr), dalloc); \
		if (snr) \
			memcpy((dst) + (dnr), (src), (snr) * sizeof(*(src))); \
		(dnr) += (snr); \
		free(src); \
		(src) = NULL; \
		(snr) = 0; \
	} while (0)

static void take_profiles(struct ma_report *dst, struct ma_report *src)
{
	TAKE_ARRAY(dst->heap_profiles, dst->nr_heap_profiles, dst->alloc_heap_profiles, src->heap_profiles,
		   src->nr_heap_profiles);
	TAKE_ARRAY(dst->alloc_profiles, dst->nr_alloc_profiles, dst->alloc_alloc_profiles, src->alloc_profiles,
		   src->nr_alloc_profiles);
	TAKE_ARRAY(dst->cost_profiles, dst->nr_cost_profiles, dst->alloc_cost_profiles, src->cost_profiles,
		   src->nr_cost_profiles);
}

void ma_report_append(struct ma_report *dst, struct ma_report *src)
{
	struct ma_run *d = &dst->run, *s = &src->run;

	ma_findings_take(&dst->findings, &src->findings);
	take_failures(d, s);
	strvec_add_missing(&d->notes, &s->notes);
	strvec_add_missing(&d->passes, &s->passes);
	take_profiles(dst, src);
	d->cpu_seconds += s->cpu_seconds;
	d->parse_seconds += s->parse_seconds;
	d->check_seconds += s->check_seconds;
	d->tus_total += s->tus_total;
	d->tus_analysed += s->tus_analysed;
	d->tus_failed += s->tus_failed;
	d->partial |= s->partial;
	ma_report_release(src);
}

/* *path, moved from under `from` to under `to` (a fresh allocation). */
static void move_path(char **path, const char *from, const char *to)
{
	struct strbuf moved = STRBUF_INIT;

	if (!*path || !ma_path_is_under(from, *path))
		return;
	ma_path_move(&moved, *path, from, to);
	free(*path);
	*path = strbuf_detach(&moved, NULL);
}

void ma_report_move_paths(struct ma_report *rep, const char *from, const char *to)
{
	move_path(&rep->run.root, from, to);
	for (size_t i = 0; i < rep->run.nr_failures; i++)
		move_path(&rep->run.failures[i].file, from, to);
	for (size_t i = 0; i < rep->findings.nr; i++) {
		struct ma_finding *f = rep->findings.items[i];
		move_path(&f->loc.file, from, to);
		for (size_t k = 0; k < f->nr_events; k++)
			move_path(&f->events[k].loc.file, from, to);
	}
}

void ma_report_release(struct ma_report *rep)
{
	struct ma_run *run = &rep->run;

	for (size_t i = 0; i < run->nr_failures; i++) {
		free(run->failures[i].file);
		free(run->failures[i].message);
	}
	free(run->failures);
	strvec_clear(&run->command);
	strvec_clear(&run->passes);
	strvec_clear(&run->notes);
	free(run->root);
	free(run->compile_db);
	free(run->commit);
	free(run->branch);
	free(run->read_tool_version);
	free(run->config);
	ma_baseline_run_free(run->baseline);
	ma_findings_release(&rep->findings);
	for (size_t i = 0; i < rep->nr_heap_profiles; i++)
		ma_heap_profile_release(&rep->heap_profiles[i]);
	free(rep->heap_profiles);
	for (size_t i = 0; i < rep->nr_alloc_profiles; i++)
		ma_alloc_profile_release(&rep->alloc_profiles[i]);
	free(rep->alloc_profiles);
	for (size_t i = 0; i < rep->nr_cost_profiles; i++)
		ma_cost_profile_release(&rep->cost_profiles[i]);
	free(rep->cost_profiles);
	ma_report_init(rep); /* release re-initialises: the strvecs must not be left NULL */
}

void ma_heap_profile_release(struct ma_heap_profile *p)
{
	free(p->command);
	free(p->time_unit);
	free(p->snapshots);
	for (size_t i = 0; i < p->nr_sites; i++) {
		free(p->sites[i].function);
		free(p->sites[i].file);
	}
	free(p->sites);
	memset(p, 0, sizeof(*p));
}

void ma_alloc_profile_release(struct ma_alloc_profile *p)
{
	free(p->command);
	free(p->time_unit);
	for (size_t i = 0; i < p->nr_sites; i++) {
		free(p->sites[i].function);
		free(p->sites[i].file);
	}
	free(p->sites);
	memset(p, 0, sizeof(*p));
}

void ma_cost_profile_init(struct ma_cost_profile *p)
{
	memset(p, 0, sizeof(*p));
	strvec_init(&p->events);
	strvec_init(&p->commands);
}

void ma_cost_profile_release(struct ma_cost_profile *p)
{
	for (size_t i = 0; i < p->nr_functions; i++) {
		free(p->functions[i].name);
		free(p->functions[i].file);
		free(p->functions[i].object);
		free(p->functions[i].self);
	}
	free(p->functions);
	for (size_t i = 0; i < p->nr_edges; i++)
		free(p->edges[i].inclusive);
	free(p->edges);
	free(p->totals);
	strvec_clear(&p->events);
	strvec_clear(&p->commands);
	ma_cost_profile_init(p);
}
