#include "shard.h"
#include "alloc.h"
#include "compdb.h"
#include "strbuf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A decimal number from 1 to 65535 at *p, which is moved past it. */
static int parse_count(const char **p, unsigned *out)
{
	char *end;
	unsigned long v;

	if (**p < '0' || **p > '9')
		return -1;
	errno = 0;
	v = strtoul(*p, &end, 10);
	if (errno || v < 1 || v > 65535)
		return -1;
	*out = (unsigned)v;
	*p = end;
	return 0;
}

int ma_shard_parse(const char *spec, struct ma_shard *out, struct strbuf *err)
{
	const char *p = spec;
	struct ma_shard s;

	if (parse_count(&p, &s.index) < 0 || *p++ != '/' || parse_count(&p, &s.count) < 0 || *p) {
		strbuf_addf(err, "--shard takes K/N, shard K of N counted from 1 (e.g. 2/4), not '%s'", spec);
		return -1;
	}
	if (s.index > s.count) {
		strbuf_addf(err, "--shard %s: there is no shard %u of %u (K goes from 1 to N)", spec, s.index, s.count);
		return -1;
	}
	*out = s;
	return 0;
}

struct sized {
	const struct ma_compile_unit *u;
	size_t at; /* index in the database order */
};

/* Largest first; ties by path, then by database order (one file built twice). */
static int by_size_then_path(const void *pa, const void *pb)
{
	const struct sized *a = pa, *b = pb;
	int c;

	if (a->u->size != b->u->size)
		return a->u->size < b->u->size ? 1 : -1;
	if ((c = strcmp(a->u->file, b->u->file)))
		return c;
	return (a->at > b->at) - (a->at < b->at);
}

/* The shard with the fewest bytes, the lowest number among equals. */
static unsigned lightest(const uint64_t *load, unsigned count)
{
	unsigned best = 0;

	for (unsigned k = 1; k < count; k++)
		if (load[k] < load[best])
			best = k;
	return best;
}

size_t ma_shard_select(struct ma_compile_unit **units, size_t nr, const struct ma_shard *s)
{
	struct sized *order = ma_calloc(nr ? nr : 1, sizeof(*order));
	uint64_t *load = ma_calloc(s->count, sizeof(*load));
	unsigned char *mine = ma_calloc(nr ? nr : 1, 1);
	size_t out = 0;

	for (size_t i = 0; i < nr; i++)
		order[i] = (struct sized){ .u = units[i], .at = i };
	if (nr)
		qsort(order, nr, sizeof(*order), by_size_then_path);
	for (size_t i = 0; i < nr; i++) {
		unsigned k = lightest(load, s->count);
		/* an unreadable file (-1) still costs a parse attempt: count it as 1 byte */
		load[k] += order[i].u->size > 0 ? (uint64_t)order[i].u->size : 1;
		mine[order[i].at] = k + 1 == s->index;
	}
	for (size_t i = 0; i < nr; i++)
		if (mine[i])
			units[out++] = units[i];
	free(mine);
	free(load);
	free(order);
	return out;
}
