#include "hash.h"

#include <string.h>

uint64_t ma_hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

uint64_t ma_hash_str(uint64_t h, const char *s)
{
	return ma_hash_bytes(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

uint64_t ma_hash_u64(uint64_t h, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return ma_hash_bytes(h, b, sizeof(b));
}

uint64_t ma_hash_final(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void ma_hash_hex(uint64_t h, char out[17])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 15; i >= 0; i--, h >>= 4) /* "%016llx", without printf: one per finding */
		out[i] = hex[h & 15];
	out[16] = '\0';
}
