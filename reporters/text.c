/*
 * The text report, for terminals and CI logs:
 *
 *   src/buf.c:12:5: error: 'buf' is freed but was not allocated on the heap [free-non-heap]
 *       src/buf.c:8:10: 'buf' declared here
 *   memaudit: 3 findings (1 error, 2 warnings), 1 suppressed, in 5 translation units
 *
 * The first line of a finding is the compiler's format, so editors and CI
 * log parsers jump to it.  Colour only when asked (a terminal).
 */
#include "reporter.h"

#include <string.h>
#include "../core/baseline.h"
#include "../core/finding.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/strbuf.h"

#include <string.h>

#define BOLD "\033[1m"
#define RESET "\033[0m"

static const char *severity_color(enum ma_severity s)
{
	switch (s) {
	case MA_SEV_ERROR: return "\033[1;31m";
	case MA_SEV_WARNING: return "\033[1;35m";
	default: return "\033[1;36m";
	}
}

static void add_location(struct strbuf *out, const struct ma_report *rep,
			 const struct ma_location *loc, const struct ma_render_opts *o)
{
	const char *file = o->show_paths_abs ? loc->file : ma_path_relative(rep->run.root, loc->file);

	strbuf_addstr(out, file ? file : "<unknown>");
	if (loc->line)
		strbuf_addf(out, ":%u", loc->line);
	if (loc->line && loc->column)
		strbuf_addf(out, ":%u", loc->column);
}

static void add_finding(struct strbuf *out, const struct ma_report *rep,
			const struct ma_finding *f, const struct ma_render_opts *o)
{
	if (o->color)
		strbuf_addstr(out, BOLD);
	add_location(out, rep, &f->loc, o);
	strbuf_addf(out, ":%s ", o->color ? RESET : "");
	if (o->color)
		strbuf_addf(out, "%s%s:%s", severity_color(f->severity),
			    ma_severity_name(f->severity), RESET);
	else
		strbuf_addf(out, "%s:", ma_severity_name(f->severity));
	strbuf_addf(out, " %s [%s]", f->message, f->rule_id);
	if (f->confirmed_by)
		strbuf_addf(out, " [confirmed by %s]", f->confirmed_by);
	else if (strcmp(f->pass, "static"))
		strbuf_addf(out, " [%s%s%s]", f->pass, f->also_by ? "," : "", f->also_by ? f->also_by : "");
	if (f->count > 1)
		strbuf_addf(out, " (x%u)", f->count);
	strbuf_addch(out, '\n');
	for (size_t i = 0; i < f->nr_events; i++) {
		strbuf_addstr(out, "    ");
		add_location(out, rep, &f->events[i].loc, o);
		strbuf_addf(out, ": %s\n", f->events[i].message);
	}
}

static void add_plural(struct strbuf *out, size_t n, const char *what)
{
	strbuf_addf(out, "%zu %s%s", n, what, n == 1 ? "" : "s");
}

static void add_summary(struct strbuf *out, const struct ma_report *rep)
{
	const struct ma_run *run = &rep->run;
	size_t by_sev[MA_SEV_COUNT] = { 0 }, suppressed = 0;
	int first = 1;

	for (size_t i = 0; i < rep->findings.nr; i++) {
		if (rep->findings.items[i]->suppression.kind)
			suppressed++;
		else
			by_sev[rep->findings.items[i]->severity]++;
	}
	strbuf_addstr(out, "memaudit: ");
	add_plural(out, rep->findings.nr - suppressed, "finding");
	if (rep->findings.nr > suppressed) {
		strbuf_addstr(out, " (");
		for (int s = MA_SEV_ERROR; s >= MA_SEV_NOTE; s--) {
			if (!by_sev[s])
				continue;
			strbuf_addstr(out, first ? "" : ", ");
			add_plural(out, by_sev[s], ma_severity_name((enum ma_severity)s));
			first = 0;
		}
		strbuf_addch(out, ')');
	}
	if (suppressed)
		strbuf_addf(out, ", %zu suppressed,", suppressed);
	strbuf_addstr(out, " in ");
	add_plural(out, run->tus_analysed, "translation unit");
	if (run->tus_failed)
		strbuf_addf(out, "; %zu failed to parse", run->tus_failed);
	if (run->partial)
		strbuf_addstr(out, " (partial: the audit is incomplete)");
	strbuf_addch(out, '\n');
}

static void add_failures(struct strbuf *out, const struct ma_report *rep,
			 const struct ma_render_opts *o)
{
	for (size_t i = 0; i < rep->run.nr_failures; i++) {
		const struct ma_failure *f = &rep->run.failures[i];
		struct ma_location loc = { .file = f->file, .line = f->line, .column = f->column };
		strbuf_addstr(out, "memaudit: not analysed: ");
		if (f->file) {
			add_location(out, rep, &loc, o);
			strbuf_addstr(out, ": ");
		}
		strbuf_addf(out, "%s\n", f->message);
	}
	for (size_t i = 0; i < rep->run.notes.nr; i++)
		strbuf_addf(out, "memaudit: note: %s\n", rep->run.notes.v[i]);
}

#define TEXT_HEAP_PROFILES 3
#define TEXT_HEAP_SITES 5

/* "heap peak of ./prog: 210000 bytes (+240 allocator overhead); top sites:" and the sites. */
static void add_heap_profiles(struct strbuf *out, const struct ma_report *rep)
{
	for (size_t i = 0; i < rep->nr_heap_profiles && i < TEXT_HEAP_PROFILES; i++) {
		const struct ma_heap_profile *p = &rep->heap_profiles[i];
		const struct ma_heap_snapshot *peak = &p->snapshots[p->peak];
		strbuf_addf(out, "memaudit: heap peak of %s: %llu bytes (+%llu allocator overhead); largest sites:\n",
			    p->command ? p->command : "?", (unsigned long long)peak->heap,
			    (unsigned long long)peak->extra);
		for (size_t k = 0; k < p->nr_sites && k < TEXT_HEAP_SITES; k++)
			strbuf_addf(out, "    %s:%u: %s: %llu bytes (%.1f%%)\n", p->sites[k].file, p->sites[k].line,
				    p->sites[k].function, (unsigned long long)p->sites[k].bytes,
				    peak->heap ? 100.0 * (double)p->sites[k].bytes / (double)peak->heap : 0.0);
	}
}

/* "allocations of ./prog, largest sites:" and the sites, with DHAT's warnings. */
static void add_alloc_profiles(struct strbuf *out, const struct ma_report *rep)
{
	for (size_t i = 0; i < rep->nr_alloc_profiles && i < TEXT_HEAP_PROFILES; i++) {
		const struct ma_alloc_profile *p = &rep->alloc_profiles[i];
		strbuf_addf(out, "memaudit: allocations of %s, largest sites:\n", p->command ? p->command : "?");
		for (size_t k = 0; k < p->nr_sites && k < TEXT_HEAP_SITES; k++) {
			const struct ma_alloc_site *a = &p->sites[k];
			strbuf_addf(out, "    %s:%u: %s: %llu bytes in %llu blocks%s%s\n", a->file, a->line,
				    a->function, (unsigned long long)a->bytes, (unsigned long long)a->blocks,
				    a->bytes && !a->reads ? ", never read" : "",
				    a->blocks && a->avg_lifetime < p->short_lived ? ", short-lived" : "");
		}
	}
}

#define TEXT_COST_FUNCTIONS 10

static double percent(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* "costs of 2 processes (./prog): 6572078 Ir, 99.7% in the project's
 * functions; ..." and the project's functions that cost the most
 * themselves (the profile lists them hottest first), with their inclusive cost. */
static void add_cost_profiles(struct strbuf *out, const struct ma_report *rep)
{
	for (size_t i = 0; i < rep->nr_cost_profiles && i < TEXT_HEAP_PROFILES; i++) {
		const struct ma_cost_profile *p = &rep->cost_profiles[i];
		const char *event = p->events.nr ? p->events.v[0] : "?";
		uint64_t total = p->events.nr ? p->totals[0] : 0, project = 0;
		size_t shown = 0;

		for (size_t k = 0; k < p->nr_functions; k++)
			project += p->functions[k].in_project ? p->functions[k].self[0] : 0;
		strbuf_addf(out, "memaudit: costs of %zu process%s (%s%s): %llu %s, %.1f%% in the project's "
			    "functions; the costliest by their own %s:\n", p->processes, p->processes == 1 ? "" : "es",
			    p->commands.nr ? p->commands.v[0] : "?", p->commands.nr > 1 ? ", ..." : "",
			    (unsigned long long)total, event, percent(project, total), event);
		for (size_t k = 0; k < p->nr_functions && shown < TEXT_COST_FUNCTIONS; k++) {
			const struct ma_cost_function *f = &p->functions[k];
			if (!f->in_project)
				continue;
			strbuf_addf(out, "    %s:%u: %s: %llu self (%.1f%%), %llu inclusive (%.1f%%)\n",
				    ma_path_relative(rep->run.root, f->file), f->line, f->name,
				    (unsigned long long)f->self[0], percent(f->self[0], total),
				    (unsigned long long)f->inclusive[0], percent(f->inclusive[0], total));
			shown++;
		}
	}
}

#define TEXT_FIXED_ENTRIES 20

/* Against a baseline, the known findings are listed only with --show known. */
static int listed(const struct ma_report *rep, const struct ma_finding *f)
{
	const struct ma_baseline_run *b = rep->run.baseline;

	return !b || b->show_known || f->baseline_state != MA_BASELINE_UNCHANGED;
}

/* "fixed since the baseline:" and its entries, then the counts. */
static void add_baseline(struct strbuf *out, const struct ma_report *rep, const struct ma_render_opts *o)
{
	const struct ma_baseline_run *b = rep->run.baseline;

	if (!b)
		return;
	if (b->fixed.nr)
		strbuf_addstr(out, "memaudit: fixed since the baseline (no longer reported):\n");
	for (size_t i = 0; i < b->fixed.nr && i < TEXT_FIXED_ENTRIES; i++) {
		const struct ma_baseline_entry *e = &b->fixed.v[i];
		struct ma_location loc = { .file = e->file, .line = e->line };
		strbuf_addstr(out, "    ");
		add_location(out, rep, &loc, o);
		strbuf_addf(out, ": [%s]%s%s%s%s\n", e->rule_id, e->function ? " in " : "", e->function ? e->function : "",
			    e->message ? ": " : "", e->message ? e->message : "");
	}
	if (b->fixed.nr > TEXT_FIXED_ENTRIES)
		strbuf_addf(out, "    ... and %zu more (run.baseline.fixed in report.json)\n", b->fixed.nr - TEXT_FIXED_ENTRIES);
	strbuf_addf(out, "memaudit: baseline %s: %zu new, %zu known%s, %zu fixed\n", b->file, b->nr_new,
		    b->nr_unchanged, b->nr_unchanged && !b->show_known ? " (not listed; --show known lists them)" : "",
		    b->fixed.nr);
}

void ma_render_text(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out)
{
	for (size_t i = 0; i < rep->findings.nr; i++)
		if (!rep->findings.items[i]->suppression.kind && listed(rep, rep->findings.items[i]))
			add_finding(out, rep, rep->findings.items[i], o);
	add_heap_profiles(out, rep);
	add_alloc_profiles(out, rep);
	add_cost_profiles(out, rep);
	add_baseline(out, rep, o);
	add_failures(out, rep, o);
	add_summary(out, rep);
}
