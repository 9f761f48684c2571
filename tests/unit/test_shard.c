/*
 * Tests for core/shard.c: --shard K/N parsed, and the units split by size.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "../../core/compdb.h"
#include "../../core/shard.h"
#include "../../core/strbuf.h"

Test(shard, parses_k_of_n)
{
	static const struct { const char *spec; unsigned k, n; } good[] = {
		{ "1/1", 1, 1 }, { "2/4", 2, 4 }, { "4/4", 4, 4 }, { "10/12", 10, 12 },
	};
	struct strbuf err = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct ma_shard s = { 0, 0 };
		cr_expect_eq(ma_shard_parse(good[i].spec, &s, &err), 0, "'%s': %s", good[i].spec, err.buf);
		cr_expect_eq(s.index, good[i].k, "'%s'", good[i].spec);
		cr_expect_eq(s.count, good[i].n, "'%s'", good[i].spec);
	}
	strbuf_release(&err);
}

Test(shard, refuses_what_is_not_k_of_n)
{
	static const char *const bad[] = { "", "1", "0/4", "5/4", "1/0", "-1/4", "1/-4", "a/4", "1/4x",
					   "1 /4", " 1/4", "1//4", "1/4/4", "1.5/4", "2/", "/2", "+1/4",
					   "1/99999999999999999999", "1/65536" };
	struct strbuf err = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ma_shard s = { 7, 7 };
		strbuf_reset(&err);
		cr_expect_eq(ma_shard_parse(bad[i], &s, &err), -1, "'%s' accepted", bad[i]);
		cr_expect(strstr(err.buf, "--shard"), "'%s': %s", bad[i], err.buf);
		cr_expect(!strchr(err.buf, '\n'), "one line: %s", err.buf);
		cr_expect(s.index == 7 && s.count == 7, "'%s' changed the shard", bad[i]);
	}
	strbuf_reset(&err);
	ma_shard_parse("5/4", &(struct ma_shard){ 0, 0 }, &err);
	cr_expect(strstr(err.buf, "no shard 5 of 4"), "%s", err.buf);
	strbuf_release(&err);
}

#define MAX_UNITS 16

static struct ma_compile_unit units[MAX_UNITS];
static char names[MAX_UNITS][16];

/* units[i] named u<i>.c, of sizes[i] bytes; ptrs to them in database order. */
static void make_units(const long long *sizes, size_t nr, struct ma_compile_unit **ptrs)
{
	for (size_t i = 0; i < nr; i++) {
		snprintf(names[i], sizeof(names[i]), "/p/u%02zu.c", i);
		units[i].file = names[i];
		units[i].size = sizes[i];
		ptrs[i] = &units[i];
	}
}

/* Shard k of n's units as indices into units[], in the order given. */
static size_t shard_of(const long long *sizes, size_t nr, unsigned k, unsigned n, size_t *out)
{
	struct ma_compile_unit *ptrs[MAX_UNITS];
	struct ma_shard s = { k, n };
	size_t got;

	make_units(sizes, nr, ptrs);
	got = ma_shard_select(ptrs, nr, &s);
	for (size_t i = 0; i < got; i++)
		out[i] = (size_t)(ptrs[i] - units);
	return got;
}

/* Every unit in exactly one shard, each shard in database order. */
static void expect_partition(const long long *sizes, size_t nr, unsigned n)
{
	unsigned seen[MAX_UNITS] = { 0 };
	size_t idx[MAX_UNITS];

	for (unsigned k = 1; k <= n; k++) {
		size_t got = shard_of(sizes, nr, k, n, idx);
		for (size_t i = 0; i < got; i++) {
			seen[idx[i]]++;
			if (i)
				cr_expect_lt(idx[i - 1], idx[i], "shard %u/%u not in database order", k, n);
		}
	}
	for (size_t i = 0; i < nr; i++)
		cr_expect_eq(seen[i], 1, "unit %zu is in %u shards of %u", i, seen[i], n);
}

Test(shard, every_unit_in_one_shard_in_database_order)
{
	static const long long sizes[] = { 50, 700, 3, 3, 120, 900, 45, 45, 45, 8, 0, -1, 300 };
	size_t nr = sizeof(sizes) / sizeof(sizes[0]);

	for (unsigned n = 1; n <= 15; n++)
		expect_partition(sizes, nr, n);
}

/* Balanced by bytes, not by count: one big unit is a shard's whole share. */
Test(shard, balances_by_size_not_count)
{
	static const long long sizes[] = { 10, 1000, 10, 10, 10 };
	size_t idx[MAX_UNITS];

	cr_assert_eq(shard_of(sizes, 5, 1, 2, idx), 1);
	cr_expect_eq(idx[0], 1, "the largest unit alone in shard 1");
	cr_assert_eq(shard_of(sizes, 5, 2, 2, idx), 4);
	cr_expect(idx[0] == 0 && idx[1] == 2 && idx[2] == 3 && idx[3] == 4);
}

/* Greedy: each unit, largest first, to the shard with the fewest bytes so far. */
Test(shard, largest_first_to_the_lightest_shard)
{
	static const long long sizes[] = { 5, 8, 4, 7, 6 };
	size_t idx[MAX_UNITS];

	/* 8 -> s1 (8), 7 -> s2 (7), 6 -> s2 (13), 5 -> s1 (13), 4 -> s1 (17): s1 = {5, 8, 4}, s2 = {7, 6} */
	cr_assert_eq(shard_of(sizes, 5, 1, 2, idx), 3);
	cr_expect(idx[0] == 0 && idx[1] == 1 && idx[2] == 2, "%zu %zu %zu", idx[0], idx[1], idx[2]);
	cr_assert_eq(shard_of(sizes, 5, 2, 2, idx), 2);
	cr_expect(idx[0] == 3 && idx[1] == 4);
}

/* Equal sizes go by path, whatever the database order: the split is the
 * same for a database listing the same units in another order. */
Test(shard, ties_by_path)
{
	static const long long sizes[] = { 10, 10, 10, 10 };
	struct ma_compile_unit *ptrs[4];
	struct ma_shard s = { 1, 2 };
	size_t got;

	make_units(sizes, 4, ptrs);
	/* database order u03, u02, u01, u00: by path u00 -> s1, u01 -> s2, u02 -> s1, u03 -> s2 */
	for (size_t i = 0; i < 4; i++)
		ptrs[i] = &units[3 - i];
	got = ma_shard_select(ptrs, 4, &s);
	cr_assert_eq(got, 2);
	cr_expect(ptrs[0] == &units[2] && ptrs[1] == &units[0], "shard 1 holds u02, u00 (database order)");
}

Test(shard, more_shards_than_units_leaves_some_empty)
{
	static const long long sizes[] = { 10, 20 };
	size_t idx[MAX_UNITS];

	cr_expect_eq(shard_of(sizes, 2, 1, 4, idx), 1);
	cr_expect_eq(idx[0], 1);
	cr_expect_eq(shard_of(sizes, 2, 2, 4, idx), 1);
	cr_expect_eq(shard_of(sizes, 2, 3, 4, idx), 0);
	cr_expect_eq(shard_of(sizes, 2, 4, 4, idx), 0);
	expect_partition(sizes, 2, 4);
}
