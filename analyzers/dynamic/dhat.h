#ifndef MA_DHAT_H
#define MA_DHAT_H
/*
 * DHAT's output (valgrind --tool=dhat --dhat-out-file=..., a JSON file):
 * each program point that allocated, with its bytes and blocks, the most
 * live at once, the blocks' average lifetime, and the bytes read and
 * written, placed on its first frame with source information.  Sites that
 * allocate the same place are added up; the largest are kept.
 *
 *     struct ma_alloc_profile p = { 0 };
 *     if (ma_dhat_parse(text, len, "dhat.12.json", &p, &err) < 0) ... err says why
 */
#include <stddef.h>

struct ma_alloc_profile;
struct strbuf;

#define MA_DHAT_MAX_SITES 20

int ma_dhat_parse(const char *text, size_t len, const char *name, struct ma_alloc_profile *out,
		  struct strbuf *err);

#endif
