/*
 * Unit tests for core/hash.c.  Fingerprints are stored in baselines, so the
 * values below are pinned: if one of these tests fails, the hash changed and
 * every user's baseline would silently stop matching.  Do not update the
 * expected values; fix the hash.  (The FNV-1a and splitmix64 values are the
 * published test vectors of those algorithms.)
 */
#include <criterion/criterion.h>

#include <string.h>

#include "../../core/hash.h"

Test(hash, init_is_fnv_offset_basis)
{
	cr_assert_eq(MA_HASH_INIT, UINT64_C(0xcbf29ce484222325));
}

Test(hash, bytes_is_fnv1a)
{
	cr_assert_eq(ma_hash_bytes(MA_HASH_INIT, "", 0), UINT64_C(0xcbf29ce484222325));
	cr_assert_eq(ma_hash_bytes(MA_HASH_INIT, "a", 1), UINT64_C(0xaf63dc4c8601ec8c));
	cr_assert_eq(ma_hash_bytes(MA_HASH_INIT, "foobar", 6), UINT64_C(0x85944171f73967e8));
}

Test(hash, bytes_is_incremental)
{
	uint64_t h = ma_hash_bytes(MA_HASH_INIT, "foo", 3);

	cr_assert_eq(ma_hash_bytes(h, "bar", 3), ma_hash_bytes(MA_HASH_INIT, "foobar", 6));
}

Test(hash, bytes_high_bit_bytes_are_unsigned)
{
	/* a signed char would sign-extend 0xff into the xor */
	unsigned char hi[] = { 0xff, 0x80 };

	cr_assert_eq(ma_hash_bytes(MA_HASH_INIT, hi, 2), UINT64_C(0x0a9a2607b6f6e56a));
}

Test(hash, str_includes_terminator)
{
	cr_assert_eq(ma_hash_str(MA_HASH_INIT, "a"), UINT64_C(0x089be207b544f1e4));
	cr_assert_eq(ma_hash_str(MA_HASH_INIT, "a"), ma_hash_bytes(MA_HASH_INIT, "a", 2));
	cr_assert_neq(ma_hash_str(MA_HASH_INIT, "a"), ma_hash_bytes(MA_HASH_INIT, "a", 1));
}

Test(hash, str_boundaries_differ)
{
	uint64_t ab_c = ma_hash_str(ma_hash_str(MA_HASH_INIT, "ab"), "c");
	uint64_t a_bc = ma_hash_str(ma_hash_str(MA_HASH_INIT, "a"), "bc");

	cr_assert_neq(ab_c, a_bc);
	cr_assert_eq(ma_hash_str(ma_hash_str(MA_HASH_INIT, "use-after-free"), "src/x.c"),
		     UINT64_C(0xdd5bd16383c964c6));
}

Test(hash, str_null_is_empty_string)
{
	cr_assert_eq(ma_hash_str(MA_HASH_INIT, NULL), ma_hash_str(MA_HASH_INIT, ""));
	cr_assert_eq(ma_hash_str(MA_HASH_INIT, NULL), UINT64_C(0xaf63bd4c8601b7df));
}

Test(hash, u64_is_little_endian_bytes)
{
	unsigned char le[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };

	cr_assert_eq(ma_hash_u64(MA_HASH_INIT, 1), UINT64_C(0x89cd31291d2aefa4));
	cr_assert_eq(ma_hash_u64(MA_HASH_INIT, UINT64_C(0x0102030405060708)),
		     UINT64_C(0x0c6d4496e17859d5));
	cr_assert_eq(ma_hash_u64(MA_HASH_INIT, UINT64_C(0x0102030405060708)),
		     ma_hash_bytes(MA_HASH_INIT, le, 8), "independent of the host's byte order");
	cr_assert_neq(ma_hash_u64(MA_HASH_INIT, 1), ma_hash_u64(MA_HASH_INIT, 2));
}

Test(hash, final_is_splitmix64)
{
	cr_assert_eq(ma_hash_final(0), 0);
	cr_assert_eq(ma_hash_final(UINT64_C(0x9e3779b97f4a7c15)), UINT64_C(0xe220a8397b1dcdaf));
	cr_assert_eq(ma_hash_final(MA_HASH_INIT), UINT64_C(0xf52a15e9a9b5e89b));
}

Test(hash, hex)
{
	char out[17];

	memset(out, 'z', sizeof(out));
	ma_hash_hex(UINT64_C(0xe220a8397b1dcdaf), out);
	cr_assert_str_eq(out, "e220a8397b1dcdaf");
	ma_hash_hex(0, out);
	cr_assert_str_eq(out, "0000000000000000", "always 16 digits");
	ma_hash_hex(UINT64_C(0xABCDEF0000000001), out);
	cr_assert_str_eq(out, "abcdef0000000001", "lowercase");
	ma_hash_hex(UINT64_MAX, out);
	cr_assert_str_eq(out, "ffffffffffffffff");
	cr_assert_eq(out[16], '\0');
}
