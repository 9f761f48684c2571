/*
 * allocation-too-large (CWE-789, CWE-190): an allocation whose size, as
 * the engine computes it (constants, enum values, const globals, values
 * returned by local functions), is at least 1 GiB, or negative before its
 * conversion to size_t (-1 becomes SIZE_MAX).  Such a size is almost
 * always an overflowed or confused computation; the allocation fails, and
 * code that does not test it dereferences NULL.
 *
 * Quiet on purpose: sizes the engine does not know (most of them), and
 * sizes below the threshold, however large they look.
 */
#include "engine.h"
#include "flow.h"

#include <string.h>

#define TOO_LARGE (INT64_C(1) << 30)

static int my_id;

/* The size argument (or the product of calloc's two) when it is a known constant. */
static int known_size(struct flow_cx *cx, const struct ir_stmt *s, const char *fn, int64_t *out)
{
	const struct fval *a, *b;

	if (!strcmp(fn, "calloc")) {
		a = flow_call_arg(cx, s, 0);
		b = flow_call_arg(cx, s, 1);
		if (a->kind != FV_INT || b->kind != FV_INT || a->lo != a->hi || b->lo != b->hi)
			return 0;
		if (a->lo < 0 || b->lo < 0) {
			*out = -1;
			return 1;
		}
		*out = (b->lo && a->lo > INT64_MAX / b->lo) ? INT64_MAX : a->lo * b->lo;
		return 1;
	}
	a = flow_call_arg(cx, s, !strcmp(fn, "realloc") || !strcmp(fn, "aligned_alloc") ? 1 : 0);
	if (a->kind != FV_INT || a->lo != a->hi)
		return 0;
	*out = a->lo;
	return 1;
}

static void match_alloc(struct flow_cx *cx, const struct ir_stmt *s)
{
	const char *fn = ir_string(flow_tu(cx), s->callee);
	int64_t n;

	if (!known_size(cx, s, fn, &n))
		return;
	if (n < 0)
		flow_report(cx, my_id, s->loc, "'%s' is asked for a negative size, which becomes a huge "
			    "unsigned one; the allocation fails", fn);
	else if (n >= TOO_LARGE)
		flow_report(cx, my_id, s->loc, "'%s' is asked for %lld bytes (%lld MiB); a size this large "
			    "is almost always a miscomputed one, and the allocation fails",
			    fn, (long long)n, (long long)(n >> 20));
}

void check_allocation_too_large(struct ma_engine *e, int id)
{
	static const char *const allocators[] = { "malloc", "calloc", "realloc", "aligned_alloc",
						  "valloc", "memalign" };

	my_id = id;
	for (size_t i = 0; i < sizeof(allocators) / sizeof(allocators[0]); i++)
		flow_on_call(ma_engine_flow(e), id, allocators[i], match_alloc);
}
