#ifndef MA_ARRAY_H
#define MA_ARRAY_H
/*
 * Growable arrays, git's ALLOC_GROW: keep (items, nr, alloc) side by side
 * and call ALLOC_GROW(items, nr + 1, alloc) before appending.
 *
 *     struct item *items = NULL; size_t nr = 0, alloc = 0;
 *     ALLOC_GROW(items, nr + 1, alloc);
 *     items[nr++] = x;
 *
 * The size computation is overflow-checked (st_mult, st_add).
 */
#include "alloc.h"

#define alloc_nr(x) st_add(st_add((x), 16), (x) / 2)

#define ALLOC_GROW(x, nr, alloc) \
	do { \
		if ((nr) > (alloc)) { \
			if (alloc_nr(alloc) < (nr)) \
				(alloc) = (nr); \
			else \
				(alloc) = alloc_nr(alloc); \
			(x) = ma_realloc((x), st_mult(sizeof(*(x)), (alloc))); \
		} \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
