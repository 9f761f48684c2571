#ifndef MA_SHARD_H
#define MA_SHARD_H
/*
 * Shards: one audit spread over N jobs (a CI matrix), each analysing a
 * deterministic 1/N of the translation units, and `memaudit merge`
 * putting their reports back together (core/report_merge.h).
 *
 * The split is by size, not by count: the units are taken largest source
 * file first (ties by path, then by their order in the database) and each
 * goes to the shard with the fewest bytes so far (ties: the lowest
 * number).  It depends on nothing but the selected units and their files'
 * sizes, so every shard computes the same split when it sees the same
 * tree and the same compile database.  A shard gets its units in database
 * order, as an unsharded run would analyse them.
 *
 *     struct ma_shard s;
 *     if (ma_shard_parse("2/4", &s, &err) < 0) ...     ("--shard: ...")
 *     nr = ma_shard_select(units, nr, &s);              (units[0..nr) are shard 2's)
 */
#include <stddef.h>

struct ma_compile_unit;
struct strbuf;

struct ma_shard {
	unsigned index; /* 1-based */
	unsigned count; /* 0: not sharded */
};

/* "K/N" with 1 <= K <= N (decimal, nothing else); -1 and a line in err. */
int ma_shard_parse(const char *spec, struct ma_shard *out, struct strbuf *err);

/*
 * Keep, in place and in their order, the units of `units[0..nr)` that
 * belong to shard s; returns how many.  Shards with more shards than
 * units are empty.
 */
size_t ma_shard_select(struct ma_compile_unit **units, size_t nr, const struct ma_shard *s);

#endif
