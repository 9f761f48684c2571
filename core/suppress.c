/*
 * Inline suppressions applied to an audit's findings (suppress.h).
 *
 * The files scanned are the analysed units and every file a finding is
 * in (a header), each read, scanned and dropped before the next, so that
 * memory stays that of one file.  Within a file, a finding covered by a
 * line directive takes its reason; a file directive comes second.  Every
 * directive that covers a finding counts as used, so a line directive
 * under a file directive of the same rule is not reported as unused.
 */
#include "suppress.h"
#include "alloc.h"
#include "finding.h"
#include "path.h"
#include "report.h"
#include "rules.h"
#include "sources.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
	[MA_SUPPRESSION_INLINE] = "inline",
	[MA_SUPPRESSION_CONFIG] = "config",
};

const char *ma_suppression_kind_name(int kind)
{
	if (kind <= MA_SUPPRESSION_NONE || kind > MA_SUPPRESSION_CONFIG)
		return NULL;
	return kind_names[kind];
}

int ma_suppression_kind_parse(const char *name)
{
	for (int k = MA_SUPPRESSION_INLINE; k <= MA_SUPPRESSION_CONFIG; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_by_file(const void *pa, const void *pb)
{
	const struct ma_finding *a = *(struct ma_finding *const *)pa;
	const struct ma_finding *b = *(struct ma_finding *const *)pb;

	return strcmp(a->loc.file, b->loc.file);
}

/* The files to scan: the units and the findings' files, sorted, each once. */
static void files_to_scan(const struct ma_findings *set, const struct strvec *extra, struct strvec *out)
{
	size_t kept = 0;

	for (size_t i = 0; extra && i < extra->nr; i++)
		strvec_push(out, extra->v[i]);
	for (size_t i = 0; i < set->nr; i++)
		if (set->items[i]->loc.file)
			strvec_push(out, set->items[i]->loc.file);
	if (!out->nr)
		return;
	qsort(out->v, out->nr, sizeof(*out->v), cmp_str_ptr);
	for (size_t i = 0; i < out->nr; i++) {
		if (kept && !strcmp(out->v[kept - 1], out->v[i]))
			free((char *)out->v[i]);
		else
			out->v[kept++] = out->v[i];
	}
	out->nr = kept;
	out->v[kept] = NULL;
}

/* The findings with a file, sorted by file (the set keeps its report order). */
struct by_file {
	struct ma_finding **items;
	size_t nr;
};

static void index_by_file(const struct ma_findings *set, struct by_file *idx)
{
	idx->items = ma_calloc(set->nr ? set->nr : 1, sizeof(*idx->items));
	idx->nr = 0;
	for (size_t i = 0; i < set->nr; i++)
		if (set->items[i]->loc.file)
			idx->items[idx->nr++] = set->items[i];
	if (idx->nr)
		qsort(idx->items, idx->nr, sizeof(*idx->items), cmp_by_file);
}

/* [*first, *first + return) are the findings in `file`. */
static size_t findings_in(const struct by_file *idx, const char *file, size_t *first)
{
	size_t lo = 0, hi = idx->nr, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(idx->items[mid]->loc.file, file) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < idx->nr && !strcmp(idx->items[lo + n]->loc.file, file))
		n++;
	return n;
}

/* Mark f with the first covering directive (line forms before the file
 * form) and count it for every directive that covers it. */
static void suppress_finding(struct ma_finding *f, struct ma_suppress_list *dirs)
{
	const struct ma_suppress_directive *by = NULL;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < dirs->nr; k++) {
			struct ma_suppress_directive *d = &dirs->items[k];
			int at;
			if ((d->form == MA_SUPPRESS_FILE) != pass)
				continue;
			if ((at = ma_suppress_match(d, f->rule_id, f->loc.line)) < 0)
				continue;
			d->used[at]++;
			if (!by)
				by = d;
		}
	}
	if (!by || f->suppression.kind) /* the configuration's suppression came first */
		return;
	f->suppression.kind = MA_SUPPRESSION_INLINE;
	f->suppression.reason = ma_strdup(by->reason);
	f->suppression.line = by->line;
}

/* The text of line `line` (1-based) of src, for the finding's line hash. */
static uint64_t hash_of_line(const struct ma_source *src, unsigned line)
{
	const char *p = src->text, *end = src->text + src->len, *nl;

	for (unsigned l = 1; l < line && p < end; l++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	return ma_line_hash(p, (size_t)((nl ? nl : end) - p));
}

static void add_finding(struct ma_findings *out, const struct ma_source *src,
			const struct ma_suppress_directive *d, const char *rule_id, const char *message)
{
	struct ma_location loc = { .file = src->path, .line = d->line, .column = d->column };
	struct ma_finding *f = ma_finding_new(ma_rule_find(rule_id), message, &loc, "static");

	f->line_hash = hash_of_line(src, d->line);
	ma_findings_add(out, f);
}

/* A rule --rules left out did not run: its suppression cannot be judged unused. */
static int rule_ran(const struct strvec *only, const char *rule_id)
{
	if (!only || !only->nr || !strcmp(rule_id, "*"))
		return 1;
	for (size_t i = 0; i < only->nr; i++)
		if (!strcmp(only->v[i], rule_id))
			return 1;
	return 0;
}

static void report_unused(struct ma_findings *out, const struct ma_source *src,
			  const struct ma_suppress_directive *d, const struct strvec *only)
{
	struct strbuf msg = STRBUF_INIT;

	for (size_t k = 0; k < d->rules.nr; k++) {
		const char *id = d->rules.v[k];
		if (d->used[k] || !rule_ran(only, id))
			continue;
		strbuf_reset(&msg);
		if (!strcmp(id, "*"))
			strbuf_addstr(&msg, "suppression of every rule ('*')");
		else
			strbuf_addf(&msg, "suppression of '%s'", id);
		strbuf_addstr(&msg, d->form == MA_SUPPRESS_FILE ? " matched no finding in this file" :
			      d->target ? " matched no finding" : " covers no line: no code follows it");
		add_finding(out, src, d, "unused-suppression", msg.buf);
	}
	strbuf_release(&msg);
}

static void apply_to_file(const struct ma_source *src, const struct by_file *idx,
			  const struct ma_suppress_opts *o, struct ma_findings *added)
{
	struct ma_suppress_list dirs = MA_SUPPRESS_LIST_INIT;
	size_t first, n;

	ma_suppress_scan(src->text, src->len, &dirs);
	n = findings_in(idx, src->path, &first);
	for (size_t i = first; i < first + n && dirs.nr; i++)
		suppress_finding(idx->items[i], &dirs);
	for (size_t k = 0; k < dirs.nr; k++) {
		const struct ma_suppress_directive *d = &dirs.items[k];
		if (d->error) {
			if (rule_ran(o->only, "invalid-suppression"))
				add_finding(added, src, d, "invalid-suppression", d->error);
		} else if (o->report_unused) {
			report_unused(added, src, d, o->only);
		}
	}
	ma_suppress_list_release(&dirs);
}

void ma_suppressions_apply(struct ma_report *rep, const struct ma_suppress_opts *o)
{
	struct strvec files = STRVEC_INIT;
	struct ma_findings added = MA_FINDINGS_INIT;
	struct by_file idx;

	files_to_scan(&rep->findings, o->files, &files);
	index_by_file(&rep->findings, &idx);
	for (size_t i = 0; i < files.nr; i++) {
		struct ma_source src;
		if (ma_source_read(files.v[i], MA_SOURCE_MAX_FILE, &src) < 0)
			continue; /* gone since the analysis: nothing to read suppressions from */
		apply_to_file(&src, &idx, o, &added);
		ma_source_release(&src);
	}
	free(idx.items);
	strvec_clear(&files);
	if (!added.nr)
		return;
	ma_findings_take(&rep->findings, &added);
	ma_findings_finalize(&rep->findings, rep->run.root); /* their fingerprints, and the report's order */
}
