#ifndef MA_ALLOC_H
#define MA_ALLOC_H
/*
 * The one allocation hook of memaudit (after Lua's lua_Alloc and Valgrind's
 * VG_(malloc)): every heap allocation in memaudit's own code goes through
 * these functions, never through malloc() directly.
 *
 * Invariants:
 *  - ma_malloc/ma_calloc/ma_realloc never return NULL: when the allocator
 *    fails they print "memaudit: fatal: out of memory" and exit with
 *    MA_EXIT_INCOMPLETE (3).  Callers therefore need no NULL checks.
 *  - Sizes are overflow-checked (st_mult/st_add); an overflow is treated as
 *    an allocation failure.
 *  - Tests can swap the allocator (ma_alloc_set_hook) for a canary with a
 *    byte limit, to reach the out-of-memory path.
 *
 * Example:
 *     struct foo *f = ma_calloc(1, sizeof(*f));
 *     f->name = ma_strdup(name);
 *     ...
 *     free(f->name);   (memory from ma_* is released with plain free())
 *     free(f);
 */
#include <stddef.h>

typedef void *(*ma_alloc_hook)(void *old, size_t size);

void *ma_malloc(size_t size);
void *ma_calloc(size_t nmemb, size_t size);
void *ma_realloc(void *ptr, size_t size);
char *ma_strdup(const char *s);
char *ma_strndup(const char *s, size_t n);
void *ma_memdup(const void *p, size_t n);

/* Install an allocation hook (NULL restores realloc); returns the old one. */
ma_alloc_hook ma_alloc_set_hook(ma_alloc_hook hook);

/* Overflow-checked size arithmetic: die (out of memory) on overflow. */
size_t st_add(size_t a, size_t b);
size_t st_mult(size_t a, size_t b);

#endif
