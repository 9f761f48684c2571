#define _GNU_SOURCE /* qsort_r: a sort with a context, not a global */
/*
 * Baselines: entries of an earlier run, and the two-round match of a run
 * against them (baseline.h says why two rounds and why a multiset).
 */
#include "baseline.h"
#include "alloc.h"
#include "array.h"
#include "path.h"
#include "report.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? ma_strdup(s) : NULL;
}

struct ma_baseline_entry *ma_baseline_entries_push(struct ma_baseline_entries *e)
{
	ALLOC_GROW(e->v, e->nr + 1, e->alloc);
	memset(&e->v[e->nr], 0, sizeof(e->v[e->nr]));
	return &e->v[e->nr++];
}

void ma_baseline_entries_add_findings(struct ma_baseline_entries *out, const struct ma_findings *set,
				      const char *root)
{
	for (size_t i = 0; i < set->nr; i++) {
		const struct ma_finding *f = set->items[i];
		struct ma_baseline_entry *e = ma_baseline_entries_push(out);

		e->rule_id = ma_strdup(f->rule_id);
		memcpy(e->fingerprint, f->fingerprint, sizeof(e->fingerprint));
		memcpy(e->code_key, f->code_key, sizeof(e->code_key));
		e->file = f->loc.file ? ma_strdup(ma_path_relative(root, f->loc.file)) : NULL;
		e->line = f->loc.line;
		e->function = dup_or_null(f->loc.function);
		e->message = dup_or_null(f->message);
		e->severity = f->severity;
	}
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct ma_baseline_entry *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = cmp_str(a->rule_id, b->rule_id)))
		return c;
	return strcmp(a->fingerprint, b->fingerprint);
}

void ma_baseline_entries_sort(struct ma_baseline_entries *e)
{
	if (e->nr)
		qsort(e->v, e->nr, sizeof(*e->v), cmp_entry);
}

static void entry_release(struct ma_baseline_entry *e)
{
	free(e->rule_id);
	free(e->file);
	free(e->function);
	free(e->message);
}

void ma_baseline_entries_release(struct ma_baseline_entries *e)
{
	for (size_t i = 0; i < e->nr; i++)
		entry_release(&e->v[i]);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* ------------------------------------------------------------------ */
/* The match                                                           */

/* The base entries of one round, sorted by key, and which are taken. */
struct round {
	const struct ma_match_key *base;
	size_t *order;      /* indices into base, by key then index */
	size_t nr;          /* entries with a key this round */
	size_t *next;       /* next[lo]: where to look in the group starting at lo */
	int by_code;
};

static const char *key_of(const struct round *r, const struct ma_match_key *k)
{
	const char *s = r->by_code ? k->code_key : k->fingerprint;

	return s && *s ? s : NULL;
}

static int cmp_order(const void *pa, const void *pb, void *ctx)
{
	const struct round *r = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = strcmp(key_of(r, &r->base[a]), key_of(r, &r->base[b]));

	return c ? c : (a > b) - (a < b);
}

static void round_init(struct round *r, const struct ma_match_key *base, size_t nr_base,
		       const unsigned char *taken, int by_code)
{
	r->base = base;
	r->by_code = by_code;
	r->order = ma_calloc(nr_base ? nr_base : 1, sizeof(*r->order));
	r->next = ma_calloc(nr_base ? nr_base : 1, sizeof(*r->next));
	r->nr = 0;
	for (size_t j = 0; j < nr_base; j++)
		if (!taken[j] && key_of(r, &base[j]))
			r->order[r->nr++] = j;
	if (r->nr)
		qsort_r(r->order, r->nr, sizeof(*r->order), cmp_order, r);
	for (size_t k = 0; k < r->nr; k++)
		r->next[k] = k;
}

/* The first position in order whose key is >= key. */
static size_t lower_bound(const struct round *r, const char *key)
{
	size_t lo = 0, hi = r->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(key_of(r, &r->base[r->order[mid]]), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The next free entry of key's group, taken; MA_BASELINE_NO_MATCH when none is left. */
static size_t take(struct round *r, const char *key)
{
	size_t lo = lower_bound(r, key), at;

	if (lo == r->nr || strcmp(key_of(r, &r->base[r->order[lo]]), key))
		return MA_BASELINE_NO_MATCH;
	at = r->next[lo];
	if (at == r->nr || strcmp(key_of(r, &r->base[r->order[at]]), key))
		return MA_BASELINE_NO_MATCH; /* the group is used up */
	r->next[lo] = at + 1;
	return r->order[at];
}

static void run_round(const struct ma_match_key *base, size_t nr_base, const struct ma_match_key *cur,
		      size_t nr_cur, size_t *pair, unsigned char *taken, int by_code)
{
	struct round r;

	round_init(&r, base, nr_base, taken, by_code);
	for (size_t i = 0; i < nr_cur; i++) {
		const char *key = key_of(&r, &cur[i]);
		size_t j;
		if (pair[i] != MA_BASELINE_NO_MATCH || !key)
			continue;
		j = take(&r, key);
		if (j != MA_BASELINE_NO_MATCH) {
			pair[i] = j;
			taken[j] = 1;
		}
	}
	free(r.order);
	free(r.next);
}

void ma_baseline_match(const struct ma_match_key *base, size_t nr_base, const struct ma_match_key *cur,
		       size_t nr_cur, size_t *pair)
{
	unsigned char *taken = ma_calloc(nr_base ? nr_base : 1, 1);

	for (size_t i = 0; i < nr_cur; i++)
		pair[i] = MA_BASELINE_NO_MATCH;
	run_round(base, nr_base, cur, nr_cur, pair, taken, 0);
	run_round(base, nr_base, cur, nr_cur, pair, taken, 1);
	free(taken);
}

/* ------------------------------------------------------------------ */
/* Applying a baseline to a run                                        */

/* The entries no finding took, moved into fixed, their paths under root. */
static void keep_fixed(struct ma_baseline_entries *base, const unsigned char *taken, const char *root,
		       struct ma_baseline_entries *fixed)
{
	struct strbuf abs = STRBUF_INIT;

	for (size_t j = 0; j < base->nr; j++) {
		struct ma_baseline_entry *e = &base->v[j];
		if (taken[j]) {
			entry_release(e);
			continue;
		}
		if (e->file && *e->file != '/' && root) {
			strbuf_reset(&abs);
			ma_path_absolute(&abs, root, e->file);
			free(e->file);
			e->file = ma_strdup(abs.buf);
		}
		*ma_baseline_entries_push(fixed) = *e;
	}
	strbuf_release(&abs);
	free(base->v);
	memset(base, 0, sizeof(*base));
}

void ma_baseline_apply(struct ma_report *rep, const char *file, struct ma_baseline_entries *base)
{
	const struct ma_findings *set = &rep->findings;
	struct ma_match_key *old = ma_calloc(base->nr ? base->nr : 1, sizeof(*old));
	struct ma_match_key *cur = ma_calloc(set->nr ? set->nr : 1, sizeof(*cur));
	size_t *pair = ma_calloc(set->nr ? set->nr : 1, sizeof(*pair));
	unsigned char *taken = ma_calloc(base->nr ? base->nr : 1, 1);
	struct ma_baseline_run *b = ma_calloc(1, sizeof(*b));

	for (size_t j = 0; j < base->nr; j++)
		old[j] = (struct ma_match_key){ base->v[j].fingerprint, base->v[j].code_key };
	for (size_t i = 0; i < set->nr; i++)
		cur[i] = (struct ma_match_key){ set->items[i]->fingerprint, set->items[i]->code_key };
	ma_baseline_match(old, base->nr, cur, set->nr, pair);
	for (size_t i = 0; i < set->nr; i++) {
		int known = pair[i] != MA_BASELINE_NO_MATCH;
		set->items[i]->baseline_state = known ? MA_BASELINE_UNCHANGED : MA_BASELINE_NEW;
		if (known)
			taken[pair[i]] = 1;
		b->nr_unchanged += known;
		b->nr_new += !known;
	}
	b->file = ma_strdup(file);
	keep_fixed(base, taken, rep->run.root, &b->fixed);
	ma_baseline_run_free(rep->run.baseline);
	rep->run.baseline = b;
	free(old);
	free(cur);
	free(pair);
	free(taken);
}

void ma_baseline_run_free(struct ma_baseline_run *b)
{
	if (!b)
		return;
	free(b->file);
	ma_baseline_entries_release(&b->fixed);
	free(b);
}

size_t ma_findings_count_new_at_least(const struct ma_findings *set, enum ma_severity min)
{
	size_t n = 0;

	for (size_t i = 0; i < set->nr; i++)
		n += set->items[i]->baseline_state == MA_BASELINE_NEW && set->items[i]->severity >= min &&
		     !set->items[i]->suppression.kind; /* a suppressed finding never counts */
	return n;
}
