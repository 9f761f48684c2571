#ifndef MA_HASH_H
#define MA_HASH_H
/*
 * A small, stable 64-bit hash for fingerprints.  Stability matters more
 * than speed: fingerprints are stored in baselines and must not change
 * between memaudit versions, so this is FNV-1a with a fixed offset basis
 * and a final avalanche (splitmix64), and must never be "improved" in place.
 *
 *     uint64_t h = MA_HASH_INIT;
 *     h = ma_hash_str(h, rule_id);
 *     h = ma_hash_str(h, file);
 */
#include <stddef.h>
#include <stdint.h>

#define MA_HASH_INIT UINT64_C(0xcbf29ce484222325)

uint64_t ma_hash_bytes(uint64_t h, const void *data, size_t len);
/* Hashes the string and its terminating NUL, so ("ab","c") != ("a","bc"). */
uint64_t ma_hash_str(uint64_t h, const char *s);
uint64_t ma_hash_u64(uint64_t h, uint64_t v);
uint64_t ma_hash_final(uint64_t h);
/*
 * For in-memory hash tables only (never stored): a fast mix of up to three
 * words.  Not stable across versions, unlike the functions above.
 */
static inline uint64_t ma_mix3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t h = a * UINT64_C(0x9e3779b97f4a7c15) ^ b * UINT64_C(0xc2b2ae3d27d4eb4f) ^
		     c * UINT64_C(0x165667b19e3779f9);
	h ^= h >> 29;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	return h ^ (h >> 32);
}

/* 16 lowercase hex digits and a NUL into out[17]. */
void ma_hash_hex(uint64_t h, char out[17]);

#endif
