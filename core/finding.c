#include "finding.h"
#include "alloc.h"
#include "array.h"
#include "hash.h"
#include "path.h"
#include "rules.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? ma_strdup(s) : NULL;
}

void ma_location_set(struct ma_location *loc, const char *file, unsigned line,
		     unsigned column, const char *function)
{
	loc->file = dup_or_null(file);
	loc->line = line;
	loc->column = column;
	loc->function = dup_or_null(function);
}

void ma_location_copy(struct ma_location *dst, const struct ma_location *src)
{
	ma_location_set(dst, src->file, src->line, src->column, src->function);
}

void ma_location_release(struct ma_location *loc)
{
	free(loc->file);
	free(loc->function);
	memset(loc, 0, sizeof(*loc));
}

struct ma_finding *ma_finding_new(const struct ma_rule *rule, const char *message,
				  const struct ma_location *loc, const char *pass)
{
	struct ma_finding *f = ma_calloc(1, sizeof(*f));

	f->rule_id = ma_strdup(rule->id);
	f->title = ma_strdup(rule->title);
	f->severity = rule->severity;
	f->cwe = rule->cwe;
	f->message = ma_strdup(message);
	ma_location_copy(&f->loc, loc);
	f->pass = ma_strdup(pass);
	f->count = 1;
	return f;
}

void ma_finding_add_event(struct ma_finding *f, const struct ma_location *loc, const char *message)
{
	struct ma_event *ev;

	ALLOC_GROW(f->events, f->nr_events + 1, f->alloc_events);
	ev = &f->events[f->nr_events++];
	ma_location_copy(&ev->loc, loc);
	ev->message = ma_strdup(message);
}

void ma_finding_free(struct ma_finding *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nr_events; i++) {
		ma_location_release(&f->events[i].loc);
		free(f->events[i].message);
	}
	free(f->events);
	ma_location_release(&f->loc);
	free(f->rule_id);
	free(f->title);
	free(f->message);
	free(f->pass);
	free(f->confirmed_by);
	free(f->also_by);
	free(f->suppression.reason);
	free(f);
}

uint64_t ma_line_hash(const char *line, size_t len)
{
	uint64_t h = MA_HASH_INIT;

	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)line[i]))
			h = ma_hash_bytes(h, &line[i], 1);
	return ma_hash_final(h);
}

void ma_findings_add(struct ma_findings *set, struct ma_finding *f)
{
	ALLOC_GROW(set->items, set->nr + 1, set->alloc);
	set->items[set->nr++] = f;
}

void ma_findings_take(struct ma_findings *dst, struct ma_findings *src)
{
	for (size_t i = 0; i < src->nr; i++)
		ma_findings_add(dst, src->items[i]);
	free(src->items);
	memset(src, 0, sizeof(*src));
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_uint(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

/* Shorter paths first, then event by event. */
static int cmp_events(const struct ma_finding *a, const struct ma_finding *b)
{
	int c;

	if (a->nr_events != b->nr_events)
		return a->nr_events < b->nr_events ? -1 : 1;
	for (size_t i = 0; i < a->nr_events; i++) {
		const struct ma_event *x = &a->events[i], *y = &b->events[i];
		if ((c = cmp_str(x->loc.file, y->loc.file)) || (c = cmp_uint(x->loc.line, y->loc.line)) ||
		    (c = cmp_uint(x->loc.column, y->loc.column)) || (c = cmp_str(x->message, y->message)))
			return c;
	}
	return 0;
}

/*
 * Source order: file, line, column, rule, message, pass; then, between
 * copies of one finding from several units, the function and the event
 * path, so that the copy merge_duplicates() keeps does not depend on the
 * order the units came in (a sharded run's merge sees them in another).
 */
static int cmp_finding(const void *pa, const void *pb)
{
	const struct ma_finding *a = *(struct ma_finding *const *)pa;
	const struct ma_finding *b = *(struct ma_finding *const *)pb;
	int c;

	if ((c = cmp_str(a->loc.file, b->loc.file)) || (c = cmp_uint(a->loc.line, b->loc.line)) ||
	    (c = cmp_uint(a->loc.column, b->loc.column)) || (c = cmp_str(a->rule_id, b->rule_id)) ||
	    (c = cmp_str(a->message, b->message)) || (c = cmp_str(a->pass, b->pass)) ||
	    (c = cmp_str(a->loc.function, b->loc.function)))
		return c;
	return cmp_events(a, b);
}

static int is_static(const struct ma_finding *f)
{
	return f->pass && !strcmp(f->pass, "static");
}

static int same_place(const struct ma_finding *a, const struct ma_finding *b)
{
	return a->loc.line == b->loc.line && !cmp_str(a->rule_id, b->rule_id) && !cmp_str(a->loc.file, b->loc.file);
}

struct place_ref {
	struct ma_finding *f;
	size_t at; /* index in the set */
};

/* By place (file, line, rule), static findings first, then in the set's order. */
static int cmp_place(const void *pa, const void *pb)
{
	const struct place_ref *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->f->loc.file, b->f->loc.file)) || (c = cmp_uint(a->f->loc.line, b->f->loc.line)) ||
	    (c = cmp_str(a->f->rule_id, b->f->rule_id)) || (c = is_static(b->f) - is_static(a->f)))
		return c;
	return (a->at > b->at) - (a->at < b->at);
}

static int names_pass(const struct ma_finding *f, const char *pass)
{
	const char *p = f->also_by;
	size_t n = strlen(pass);

	if (!cmp_str(f->pass, pass))
		return 1;
	for (; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
		if (!strncmp(p, pass, n) && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

static void add_pass(struct ma_finding *f, const char *pass)
{
	struct strbuf sb = STRBUF_INIT;

	if (names_pass(f, pass))
		return;
	if (f->also_by)
		strbuf_addf(&sb, "%s,", f->also_by);
	strbuf_addstr(&sb, pass);
	free(f->also_by);
	f->also_by = strbuf_detach(&sb, NULL);
}

/* Merge the dynamic findings of the group refs[0..n) (one place) into its head. */
static void merge_place(struct ma_findings *set, struct place_ref *refs, size_t n)
{
	struct ma_finding *head = refs[0].f;

	for (size_t k = 1; k < n; k++) {
		struct ma_finding *d = refs[k].f;
		if (is_static(d))
			continue;
		if (is_static(head)) {
			if (!head->confirmed_by)
				head->confirmed_by = ma_strdup(d->pass);
		} else {
			head->count += d->count;
			add_pass(head, d->pass);
		}
		ma_finding_free(d);
		set->items[refs[k].at] = NULL;
	}
}

void ma_findings_confirm(struct ma_findings *set)
{
	struct place_ref *refs = ma_calloc(set->nr ? set->nr : 1, sizeof(*refs));
	size_t out = 0;

	for (size_t i = 0; i < set->nr; i++)
		refs[i] = (struct place_ref){ .f = set->items[i], .at = i };
	if (set->nr)
		qsort(refs, set->nr, sizeof(*refs), cmp_place);
	for (size_t i = 0, j; i < set->nr; i = j) {
		for (j = i + 1; j < set->nr && same_place(refs[i].f, refs[j].f); j++)
			;
		merge_place(set, refs + i, j - i);
	}
	free(refs);
	for (size_t i = 0; i < set->nr; i++)
		if (set->items[i])
			set->items[out++] = set->items[i];
	set->nr = out;
}

/* Identical findings: the same bug reported by several TUs. */
static int same_finding(const struct ma_finding *a, const struct ma_finding *b)
{
	return !cmp_str(a->loc.file, b->loc.file) && a->loc.line == b->loc.line &&
	       a->loc.column == b->loc.column && !cmp_str(a->rule_id, b->rule_id) &&
	       !cmp_str(a->message, b->message) && !cmp_str(a->pass, b->pass);
}

/* The copy `dup` of `kept` counted in it and freed; a confirmation (the
 * dynamic pass hit the copy confirm() saw first) stays with the finding. */
static void merge_copy(struct ma_finding *kept, struct ma_finding *dup)
{
	kept->count += dup->count;
	if (!kept->confirmed_by && dup->confirmed_by) {
		kept->confirmed_by = dup->confirmed_by;
		dup->confirmed_by = NULL;
	}
	ma_finding_free(dup);
}

static void merge_duplicates(struct ma_findings *set)
{
	size_t out = 0;

	for (size_t i = 0; i < set->nr; i++) {
		if (out && same_finding(set->items[out - 1], set->items[i])) {
			merge_copy(set->items[out - 1], set->items[i]);
			continue;
		}
		set->items[out++] = set->items[i];
	}
	set->nr = out;
}

struct line_key {
	const struct ma_finding *f;
	size_t at;
};

static int cmp_line_key(const void *pa, const void *pb)
{
	const struct line_key *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->f->loc.file, b->f->loc.file)) || (c = cmp_uint(a->f->loc.line, b->f->loc.line)) ||
	    (c = cmp_str(a->f->rule_id, b->f->rule_id)))
		return c;
	return (a->at > b->at) - (a->at < b->at);
}

void ma_findings_drop_repeats(struct ma_findings *set, size_t from)
{
	struct line_key *keys;
	unsigned char *drop;
	size_t out = 0;

	if (set->nr < 2 || from >= set->nr)
		return;
	keys = ma_calloc(set->nr, sizeof(*keys));
	drop = ma_calloc(set->nr, 1);
	for (size_t i = 0; i < set->nr; i++) {
		keys[i].f = set->items[i];
		keys[i].at = i;
	}
	qsort(keys, set->nr, sizeof(*keys), cmp_line_key);
	for (size_t i = 1; i < set->nr; i++)
		if (keys[i].at >= from && !cmp_str(keys[i].f->loc.file, keys[i - 1].f->loc.file) &&
		    keys[i].f->loc.line == keys[i - 1].f->loc.line &&
		    !cmp_str(keys[i].f->rule_id, keys[i - 1].f->rule_id))
			drop[keys[i].at] = 1;
	for (size_t i = 0; i < set->nr; i++) {
		if (drop[i])
			ma_finding_free(set->items[i]);
		else
			set->items[out++] = set->items[i];
	}
	set->nr = out;
	free(drop);
	free(keys);
}

static uint64_t context_key(const struct ma_finding *f, const char *relfile, uint64_t line_hash)
{
	uint64_t h = MA_HASH_INIT;

	h = ma_hash_str(h, f->rule_id);
	h = ma_hash_str(h, relfile);
	h = ma_hash_str(h, f->loc.function);
	return ma_hash_u64(h, line_hash);
}

int ma_finding_fingerprint_has(const struct ma_finding *f, const char *root, uint64_t line_hash)
{
	uint64_t key = context_key(f, ma_path_relative(root, f->loc.file), line_hash);
	char hex[17];

	ma_hash_hex(ma_hash_final(ma_hash_u64(key, f->occurrence)), hex);
	return !strcmp(hex, f->fingerprint);
}

/*
 * Occurrence numbers: the n-th finding (in line order) with the same rule,
 * file, function and line text.  Findings are sorted by file then line, so
 * the findings of one file are a run, numbered in order with a hash table
 * of their keys (a generated file, or a test suite under memcheck, can
 * hold thousands).
 */
struct occ_slot {
	uint64_t key;
	unsigned seen; /* 0: empty */
};

/*
 * The code key: what the finding says about the code, wherever the code
 * is.  A baseline matches on the fingerprint first, then on this for the
 * findings left (a file moved or renamed keeps every code key).  No
 * occurrence in it: the baseline matches code keys as a multiset, so two
 * equal findings match two equal entries, wherever each is.
 */
static void code_key(struct ma_finding *f)
{
	uint64_t h = MA_HASH_INIT;

	h = ma_hash_str(h, "code-key"); /* never equal to a fingerprint of the same parts */
	h = ma_hash_str(h, f->rule_id);
	h = ma_hash_str(h, f->loc.function);
	ma_hash_hex(ma_hash_final(ma_hash_u64(h, f->line_hash)), f->code_key);
}

static void number_file(struct ma_finding **items, size_t n, const char *root)
{
	size_t size = 16;
	struct occ_slot *t;

	while (size < 2 * n)
		size *= 2;
	t = ma_calloc(size, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		struct ma_finding *f = items[i];
		uint64_t key = context_key(f, ma_path_relative(root, f->loc.file), f->line_hash);
		size_t k = (size_t)(ma_mix3(key, 0, 0) & (size - 1));
		while (t[k].seen && t[k].key != key)
			k = (k + 1) & (size - 1);
		t[k].key = key;
		f->occurrence = ++t[k].seen;
		ma_hash_hex(ma_hash_final(ma_hash_u64(key, f->occurrence)), f->fingerprint);
		code_key(f);
	}
	free(t);
}

static void number_occurrences(struct ma_findings *set, const char *root)
{
	for (size_t i = 0, j; i < set->nr; i = j) {
		for (j = i + 1; j < set->nr && !cmp_str(set->items[i]->loc.file, set->items[j]->loc.file); j++)
			;
		number_file(set->items + i, j - i, root);
	}
}

/* The report order: confirmed findings first, each group in source order. */
static int cmp_report_order(const void *pa, const void *pb)
{
	const struct ma_finding *a = *(struct ma_finding *const *)pa;
	const struct ma_finding *b = *(struct ma_finding *const *)pb;
	int c = (b->confirmed_by != NULL) - (a->confirmed_by != NULL);

	return c ? c : cmp_finding(pa, pb);
}

void ma_findings_finalize(struct ma_findings *set, const char *root)
{
	if (set->nr)
		qsort(set->items, set->nr, sizeof(*set->items), cmp_finding);
	merge_duplicates(set);
	number_occurrences(set, root); /* in source order: a file's findings are one run */
	if (set->nr)
		qsort(set->items, set->nr, sizeof(*set->items), cmp_report_order);
}

void ma_findings_release(struct ma_findings *set)
{
	for (size_t i = 0; i < set->nr; i++)
		ma_finding_free(set->items[i]);
	free(set->items);
	memset(set, 0, sizeof(*set));
}

size_t ma_findings_count_at_least(const struct ma_findings *set, enum ma_severity min)
{
	size_t n = 0;

	for (size_t i = 0; i < set->nr; i++)
		n += set->items[i]->severity >= min && !set->items[i]->suppression.kind;
	return n;
}
