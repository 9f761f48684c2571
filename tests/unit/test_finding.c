/* Unit tests for core/finding.c: the finding model, merge and fingerprints. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "../../core/finding.h"
#include "../../core/rules.h"

static const struct ma_rule uaf = {
	.id = "use-after-free", .title = "Use of memory after it is freed",
	.cwe = 416, .severity = MA_SEV_ERROR,
};
static const struct ma_rule leak = {
	.id = "memory-leak", .title = "Memory leak", .cwe = 401, .severity = MA_SEV_WARNING,
};
static const struct ma_rule style = {
	.id = "style-note", .title = "A note", .cwe = 0, .severity = MA_SEV_NOTE,
};

static struct ma_finding *mk(const struct ma_rule *rule, const char *file, unsigned line,
			     unsigned col, const char *func, const char *text, const char *msg)
{
	struct ma_location loc;
	struct ma_finding *f;

	ma_location_set(&loc, file, line, col, func);
	f = ma_finding_new(rule, msg, &loc, "static");
	ma_location_release(&loc);
	f->line_hash = ma_line_hash(text, strlen(text));
	return f;
}

/* The fingerprint of one finding finalised alone. */
static void fingerprint_of(struct ma_finding *f, const char *root, char out[17])
{
	struct ma_findings set = MA_FINDINGS_INIT;

	ma_findings_add(&set, f);
	ma_findings_finalize(&set, root);
	cr_assert_eq(set.nr, 1);
	cr_assert_eq(strlen(set.items[0]->fingerprint), 16);
	memcpy(out, set.items[0]->fingerprint, 17);
	ma_findings_release(&set);
}

Test(finding, location_set_copy_release)
{
	struct ma_location a, b;

	ma_location_set(&a, "/p/x.c", 3, 4, NULL);
	cr_assert_str_eq(a.file, "/p/x.c");
	cr_assert_null(a.function);
	ma_location_copy(&b, &a);
	cr_assert_neq(b.file, a.file, "copy owns its strings");
	cr_assert_str_eq(b.file, "/p/x.c");
	cr_assert_eq(b.line, 3);
	cr_assert_eq(b.column, 4);
	ma_location_release(&a);
	cr_assert_null(a.file);
	cr_assert_eq(a.line, 0);
	cr_assert_str_eq(b.file, "/p/x.c");
	ma_location_release(&b);
}

Test(finding, new_takes_rule_defaults)
{
	struct ma_finding *f = mk(&uaf, "/p/x.c", 7, 2, "main", "free(p);", "'p' used after free");

	cr_assert_str_eq(f->rule_id, "use-after-free");
	cr_assert_str_eq(f->title, "Use of memory after it is freed");
	cr_assert_eq(f->severity, MA_SEV_ERROR);
	cr_assert_eq(f->cwe, 416);
	cr_assert_str_eq(f->message, "'p' used after free");
	cr_assert_str_eq(f->loc.file, "/p/x.c");
	cr_assert_str_eq(f->loc.function, "main");
	cr_assert_eq(f->loc.line, 7);
	cr_assert_str_eq(f->pass, "static");
	cr_assert_eq(f->count, 1);
	cr_assert_eq(f->nr_events, 0);
	ma_finding_free(f);
	ma_finding_free(NULL);
}

Test(finding, events_keep_order)
{
	struct ma_finding *f = mk(&uaf, "/p/x.c", 9, 1, "main", "x", "m");
	struct ma_location l;

	for (unsigned i = 1; i <= 20; i++) {
		ma_location_set(&l, "/p/x.c", i, 1, "main");
		ma_finding_add_event(f, &l, i == 1 ? "allocated here" : "step");
		ma_location_release(&l);
	}
	cr_assert_eq(f->nr_events, 20);
	cr_assert_str_eq(f->events[0].message, "allocated here");
	cr_assert_eq(f->events[19].loc.line, 20);
	cr_assert_str_eq(f->events[19].loc.file, "/p/x.c");
	ma_finding_free(f);
}

Test(finding, line_hash_ignores_white_space)
{
	const char *a = "free(p);", *b = "\t free( p ) ;\r\n", *c = "free(q);";

	cr_assert_eq(ma_line_hash(a, strlen(a)), ma_line_hash(b, strlen(b)));
	cr_assert_neq(ma_line_hash(a, strlen(a)), ma_line_hash(c, strlen(c)));
	cr_assert_eq(ma_line_hash("ab", 1), ma_line_hash("a", 1), "only len bytes");
	cr_assert_eq(ma_line_hash("\tfree(p);  ", 11), UINT64_C(0x83020290fda198cc), "pinned");
}

Test(finding, finalize_sorts)
{
	struct ma_findings set = MA_FINDINGS_INIT;

	ma_findings_add(&set, mk(&uaf, "/p/b.c", 1, 1, "f", "x", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/a.c", 20, 1, "f", "x", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/a.c", 3, 9, "f", "x", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/a.c", 3, 2, "f", "x", "m"));
	ma_findings_add(&set, mk(&leak, "/p/a.c", 3, 9, "f", "x", "m"));
	ma_findings_add(&set, mk(&leak, "/p/a.c", 3, 9, "f", "x", "a message"));
	ma_findings_finalize(&set, "/p");
	cr_assert_eq(set.nr, 6);
	cr_assert_str_eq(set.items[0]->loc.file, "/p/a.c");
	cr_assert_eq(set.items[0]->loc.line, 3);
	cr_assert_eq(set.items[0]->loc.column, 2);
	cr_assert_str_eq(set.items[1]->rule_id, "memory-leak");
	cr_assert_str_eq(set.items[1]->message, "a message");
	cr_assert_str_eq(set.items[2]->rule_id, "memory-leak");
	cr_assert_str_eq(set.items[2]->message, "m");
	cr_assert_str_eq(set.items[3]->rule_id, "use-after-free");
	cr_assert_eq(set.items[3]->loc.column, 9);
	cr_assert_eq(set.items[4]->loc.line, 20, "numeric, not text, line order");
	cr_assert_str_eq(set.items[5]->loc.file, "/p/b.c");
	for (size_t i = 0; i < set.nr; i++)
		cr_assert_eq(set.items[i]->count, 1);
	ma_findings_release(&set);
	cr_assert_eq(set.nr, 0);
	cr_assert_null(set.items);
}

Test(finding, finalize_empty_set)
{
	struct ma_findings set = MA_FINDINGS_INIT;

	ma_findings_finalize(&set, "/p");
	cr_assert_eq(set.nr, 0);
	ma_findings_release(&set);
}

Test(finding, merges_identical_findings_from_several_tus)
{
	struct ma_findings set = MA_FINDINGS_INIT, tu[3] = { MA_FINDINGS_INIT, MA_FINDINGS_INIT,
							     MA_FINDINGS_INIT };

	/* a header bug seen by three TUs, plus one finding only one TU has */
	for (int i = 0; i < 3; i++) {
		ma_findings_add(&tu[i], mk(&uaf, "/p/inc/h.h", 5, 3, "inl", "free(p);", "used"));
		if (i == 1)
			ma_findings_add(&tu[i], mk(&leak, "/p/a.c", 1, 1, "main", "p = m();", "leak"));
		ma_findings_take(&set, &tu[i]);
		cr_assert_eq(tu[i].nr, 0);
		cr_assert_null(tu[i].items);
	}
	cr_assert_eq(set.nr, 4);
	ma_findings_finalize(&set, "/p");
	cr_assert_eq(set.nr, 2);
	cr_assert_str_eq(set.items[0]->loc.file, "/p/a.c");
	cr_assert_eq(set.items[0]->count, 1);
	cr_assert_str_eq(set.items[1]->loc.file, "/p/inc/h.h");
	cr_assert_eq(set.items[1]->count, 3);
	cr_assert_eq(set.items[1]->occurrence, 1);
	ma_findings_release(&set);
}

Test(finding, merge_adds_existing_counts)
{
	struct ma_findings set = MA_FINDINGS_INIT;
	struct ma_finding *a = mk(&uaf, "/p/x.c", 5, 3, "f", "t", "m");
	struct ma_finding *b = mk(&uaf, "/p/x.c", 5, 3, "f", "t", "m");

	a->count = 2;
	b->count = 5;
	ma_findings_add(&set, a);
	ma_findings_add(&set, b);
	ma_findings_finalize(&set, "/p");
	cr_assert_eq(set.nr, 1);
	cr_assert_eq(set.items[0]->count, 7);
	ma_findings_finalize(&set, "/p"); /* idempotent */
	cr_assert_eq(set.nr, 1);
	cr_assert_eq(set.items[0]->count, 7);
	ma_findings_release(&set);
}

Test(finding, different_findings_are_not_merged)
{
	struct ma_findings set = MA_FINDINGS_INIT;
	struct ma_finding *other_pass = mk(&uaf, "/p/x.c", 5, 3, "f", "t", "m");

	free(other_pass->pass);
	other_pass->pass = strdup("memcheck");
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 5, 3, "f", "t", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 5, 4, "f", "t", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 6, 3, "f", "t", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 5, 3, "f", "t", "other message"));
	ma_findings_add(&set, mk(&leak, "/p/x.c", 5, 3, "f", "t", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/y.c", 5, 3, "f", "t", "m"));
	ma_findings_add(&set, other_pass);
	ma_findings_finalize(&set, "/p");
	cr_assert_eq(set.nr, 7);
	for (size_t i = 0; i < set.nr; i++)
		cr_assert_eq(set.items[i]->count, 1);
	ma_findings_release(&set);
}

Test(finding, occurrences_number_same_context_in_line_order)
{
	struct ma_findings set = MA_FINDINGS_INIT;

	/* the same statement three times in one function, added out of order */
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 30, 5, "f", "free(p);", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 10, 5, "f", "free(p);", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 20, 5, "f", "  free(p);", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 15, 5, "f", "free(q);", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 25, 5, "g", "free(p);", "m"));
	ma_findings_add(&set, mk(&uaf, "/p/y.c", 1, 5, "f", "free(p);", "m"));
	ma_findings_finalize(&set, "/p");
	cr_assert_eq(set.nr, 6);
	cr_assert_eq(set.items[0]->loc.line, 10);
	cr_assert_eq(set.items[0]->occurrence, 1);
	cr_assert_eq(set.items[1]->loc.line, 15);
	cr_assert_eq(set.items[1]->occurrence, 1, "other line text");
	cr_assert_eq(set.items[2]->loc.line, 20);
	cr_assert_eq(set.items[2]->occurrence, 2);
	cr_assert_eq(set.items[3]->loc.line, 25);
	cr_assert_eq(set.items[3]->occurrence, 1, "other function");
	cr_assert_eq(set.items[4]->loc.line, 30);
	cr_assert_eq(set.items[4]->occurrence, 3);
	cr_assert_eq(set.items[5]->occurrence, 1, "other file");
	for (size_t i = 0; i < set.nr; i++)
		for (size_t j = i + 1; j < set.nr; j++)
			cr_assert_str_neq(set.items[i]->fingerprint, set.items[j]->fingerprint,
					  "%zu and %zu share a fingerprint", i, j);
	ma_findings_release(&set);
}

Test(finding, fingerprint_pinned)
{
	char fp[17];

	fingerprint_of(mk(&uaf, "/proj/src/x.c", 42, 3, "main", "\tfree(p);  ", "m"), "/proj", fp);
	cr_assert_str_eq(fp, "0e495c5246187119", "fingerprints must never change silently");
}

Test(finding, fingerprint_stable_when_only_line_moves)
{
	char a[17], b[17], c[17];

	fingerprint_of(mk(&uaf, "/p/x.c", 42, 3, "main", "free(p);", "m"), "/p", a);
	fingerprint_of(mk(&uaf, "/p/x.c", 97, 3, "main", "    free(p);", "m"), "/p", b);
	fingerprint_of(mk(&uaf, "/p/x.c", 97, 7, "main", "free(p);", "m"), "/p", c);
	cr_assert_str_eq(a, b);
	cr_assert_str_eq(a, c, "the column is not part of the fingerprint either");
}

Test(finding, fingerprint_independent_of_checkout_location)
{
	char a[17], b[17];

	fingerprint_of(mk(&uaf, "/home/a/proj/x.c", 1, 1, "main", "free(p);", "m"), "/home/a/proj", a);
	fingerprint_of(mk(&uaf, "/ci/build/x.c", 1, 1, "main", "free(p);", "m"), "/ci/build/", b);
	cr_assert_str_eq(a, b);
}

Test(finding, fingerprint_changes_with_context)
{
	char base[17], fp[17];

	fingerprint_of(mk(&uaf, "/p/x.c", 42, 3, "main", "free(p);", "m"), "/p", base);
	fingerprint_of(mk(&uaf, "/p/x.c", 42, 3, "main", "free(q);", "m"), "/p", fp);
	cr_assert_str_neq(base, fp, "line text changed");
	fingerprint_of(mk(&leak, "/p/x.c", 42, 3, "main", "free(p);", "m"), "/p", fp);
	cr_assert_str_neq(base, fp, "rule changed");
	fingerprint_of(mk(&uaf, "/p/x.c", 42, 3, "other", "free(p);", "m"), "/p", fp);
	cr_assert_str_neq(base, fp, "function changed");
	fingerprint_of(mk(&uaf, "/p/x.c", 42, 3, NULL, "free(p);", "m"), "/p", fp);
	cr_assert_str_neq(base, fp, "no function");
	fingerprint_of(mk(&uaf, "/p/y.c", 42, 3, "main", "free(p);", "m"), "/p", fp);
	cr_assert_str_neq(base, fp, "file changed");
	fingerprint_of(mk(&uaf, "/p/sub/x.c", 42, 3, "main", "free(p);", "m"), "/p", fp);
	cr_assert_str_neq(base, fp, "same name in another directory");
}

Test(finding, count_at_least)
{
	struct ma_findings set = MA_FINDINGS_INIT;

	cr_assert_eq(ma_findings_count_at_least(&set, MA_SEV_NOTE), 0);
	ma_findings_add(&set, mk(&uaf, "/p/x.c", 1, 1, "f", "t", "m"));
	ma_findings_add(&set, mk(&leak, "/p/x.c", 2, 1, "f", "t", "m"));
	ma_findings_add(&set, mk(&leak, "/p/x.c", 3, 1, "f", "t", "m"));
	ma_findings_add(&set, mk(&style, "/p/x.c", 4, 1, "f", "t", "m"));
	cr_assert_eq(ma_findings_count_at_least(&set, MA_SEV_NOTE), 4);
	cr_assert_eq(ma_findings_count_at_least(&set, MA_SEV_WARNING), 3);
	cr_assert_eq(ma_findings_count_at_least(&set, MA_SEV_ERROR), 1);
	ma_findings_release(&set);
}

Test(finding, take_appends_in_order)
{
	struct ma_findings dst = MA_FINDINGS_INIT, src = MA_FINDINGS_INIT;

	ma_findings_add(&dst, mk(&uaf, "/p/a.c", 1, 1, "f", "t", "first"));
	ma_findings_add(&src, mk(&uaf, "/p/a.c", 1, 1, "f", "t", "second"));
	ma_findings_add(&src, mk(&uaf, "/p/a.c", 1, 1, "f", "t", "third"));
	ma_findings_take(&dst, &src);
	cr_assert_eq(dst.nr, 3);
	cr_assert_str_eq(dst.items[0]->message, "first");
	cr_assert_str_eq(dst.items[2]->message, "third");
	cr_assert_eq(src.nr, 0);
	ma_findings_take(&dst, &src); /* taking from an empty set */
	cr_assert_eq(dst.nr, 3);
	ma_findings_release(&dst);
}

Test(finding, drop_repeats_keeps_the_first_of_each_rule_and_line)
{
	struct ma_findings set = MA_FINDINGS_INIT;

	ma_findings_add(&set, mk(&uaf, "/p/a.c", 7, 3, "f", "x", "pattern"));
	ma_findings_add(&set, mk(&uaf, "/p/a.c", 7, 5, "f", "x", "pattern, same line"));
	ma_findings_add(&set, mk(&leak, "/p/a.c", 7, 3, "f", "x", "other rule"));
	ma_findings_add(&set, mk(&uaf, "/p/a.c", 8, 3, "f", "x", "other line"));
	ma_findings_add(&set, mk(&uaf, "/p/b.c", 7, 3, "f", "x", "other file"));
	ma_findings_add(&set, mk(&uaf, "/p/a.c", 7, 9, "f", "x", "repeat of the pattern"));
	ma_findings_add(&set, mk(&uaf, "/p/a.c", 8, 1, "f", "x", "repeat of other line"));
	ma_findings_drop_repeats(&set, 2);
	cr_assert_eq(set.nr, 5);
	cr_assert_str_eq(set.items[0]->message, "pattern");
	cr_assert_str_eq(set.items[1]->message, "pattern, same line", "those before `from` are all kept");
	cr_assert_str_eq(set.items[2]->message, "other rule");
	cr_assert_str_eq(set.items[3]->message, "other line");
	cr_assert_str_eq(set.items[4]->message, "other file", "the order is kept");
	ma_findings_release(&set);
}

Test(finding, drop_repeats_of_nothing_or_one)
{
	struct ma_findings set = MA_FINDINGS_INIT;

	ma_findings_drop_repeats(&set, 0);
	cr_assert_eq(set.nr, 0);
	ma_findings_add(&set, mk(&uaf, "/p/a.c", 7, 3, "f", "x", "only"));
	ma_findings_drop_repeats(&set, 0);
	cr_assert_eq(set.nr, 1);
	ma_findings_release(&set);
}

/* Copies of one finding from several units (a header's) differing in their
 * paths: the copy kept is the same whatever order the units came in (a
 * sharded run's merge sees them in another), and a confirmation made on
 * any copy stays. */
static struct ma_finding *copy_with_event(unsigned event_line)
{
	struct ma_finding *f = mk(&uaf, "/p/h.h", 9, 2, "get", "use(p);", "'p' used after free");
	struct ma_location loc;

	ma_location_set(&loc, "/p/h.h", event_line, 2, "get");
	ma_finding_add_event(f, &loc, "freed here");
	ma_location_release(&loc);
	return f;
}

Test(finding, copies_keep_the_same_one_in_any_order)
{
	static const unsigned orders[][3] = { { 5, 6, 7 }, { 7, 6, 5 }, { 6, 7, 5 } };

	for (size_t o = 0; o < 3; o++) {
		struct ma_findings set = MA_FINDINGS_INIT;
		for (size_t i = 0; i < 3; i++)
			ma_findings_add(&set, copy_with_event(orders[o][i]));
		set.items[2]->confirmed_by = strdup("memcheck");
		ma_findings_finalize(&set, "/p");
		cr_assert_eq(set.nr, 1, "order %zu", o);
		cr_expect_eq(set.items[0]->count, 3);
		cr_expect_eq(set.items[0]->events[0].loc.line, 5, "order %zu kept the copy with its event at line %u", o,
			     set.items[0]->events[0].loc.line);
		cr_expect_str_eq(set.items[0]->confirmed_by, "memcheck", "order %zu lost the confirmation", o);
		ma_findings_release(&set);
	}
}
