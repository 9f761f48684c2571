/*
 * The sanitizers' reports as findings (see sanitizers.h).  A record's kind
 * is "<sanitizer>:<what it reported>" ("asan:heap-use-after-free").
 */
#include "sanitizers.h"
#include "../../core/finding.h"
#include "../../core/strbuf.h"

#include <string.h>

/*
 * A record's kind is the short name of its SUMMARY line ("bad-free",
 * "allocation-size-too-big"), or the header's words when the log was cut
 * before it ("attempting free on address ...": the words before " on ").
 */
static const char *asan_rule(const char *kind, const struct vg_error *e)
{
	static const struct { const char *kind, *rule; } table[] = {
		{ "heap-use-after-free", "use-after-free" },
		{ "heap-buffer-overflow", "buffer-overflow" },
		{ "stack-buffer-overflow", "buffer-overflow" },
		{ "global-buffer-overflow", "buffer-overflow" },
		{ "dynamic-stack-buffer-overflow", "buffer-overflow" },
		{ "stack-buffer-underflow", "buffer-overflow" },
		{ "container-overflow", "buffer-overflow" },
		{ "stack-use-after-return", "return-stack-address" },
		{ "stack-use-after-scope", "invalid-memory-access" },
		{ "attempting double-free", "double-free" },
		{ "double-free", "double-free" },
		{ "attempting free", "free-non-heap" },
		{ "bad-free", "free-non-heap" },
		{ "alloc-dealloc-mismatch", "mismatched-deallocation" },
		{ "new-delete-type-mismatch", "mismatched-deallocation" },
		{ "memcpy-param-overlap", "overlapping-copy" },
		{ "strcpy-param-overlap", "overlapping-copy" },
		{ "strncpy-param-overlap", "overlapping-copy" },
		{ "strcat-param-overlap", "overlapping-copy" },
		{ "allocation-size-too-big", "allocation-too-large" },
		{ "requested allocation size", "allocation-too-large" },
		{ "calloc-overflow", "allocation-too-large" },
		{ "calloc parameters overflow", "allocation-too-large" },
		{ "reallocarray-overflow", "allocation-too-large" },
		{ "out-of-memory", "allocation-too-large" },
		{ "allocator is out of memory", "allocation-too-large" },
		{ "negative-size-param", "buffer-overflow" },
		{ "FPE", "division-by-zero" },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strncmp(kind, table[i].kind, strlen(table[i].kind)))
			return table[i].rule;
	if (!strcmp(kind, "SEGV") || !strcmp(kind, "BUS"))
		return e->has_siaddr && e->siaddr < VG_NULL_PAGE ? "null-dereference" : "fatal-signal";
	return !strcmp(kind, "unknown-crash") ? "invalid-memory-access" : NULL;
}

static const char *ubsan_rule(const struct vg_error *e)
{
	const char *w = e->what;

	if (vg_has(w, "division by zero"))
		return "division-by-zero";
	if (vg_has(w, "signed integer overflow") || vg_has(w, "negation of") ||
	    (vg_has(w, "cannot be represented in type") && !vg_has(w, "shift")))
		return "integer-overflow";
	if (vg_has(w, "null pointer"))
		return "null-dereference";
	if (vg_has(w, "out of bounds for type"))
		return "buffer-overflow";
	return "undefined-behavior";
}

static const char *tsan_rule(const char *kind)
{
	if (!strncmp(kind, "data race", 9))
		return "data-race";
	if (!strncmp(kind, "lock-order-inversion", 20))
		return "lock-order-inversion";
	if (vg_has(kind, "unlock of an unlocked mutex"))
		return "unlock-without-lock";
	if (vg_has(kind, "double lock"))
		return "double-lock";
	if (vg_has(kind, "heap-use-after-free"))
		return "use-after-free";
	return NULL; /* thread leak, signal-unsafe call, ... */
}

/* "READ of size 4 at 0x602000000010 thread T0": "read of size 4". */
static void access_words(const char *what, struct strbuf *msg)
{
	const char *at = strstr(what, " at 0x");

	if (!strncmp(what, "READ", 4) || !strncmp(what, "WRITE", 5)) {
		strbuf_addstr(msg, what[0] == 'R' ? "read" : "write");
		what += what[0] == 'R' ? 4 : 5;
	}
	strbuf_add(msg, what, at ? (size_t)(at - what) : strlen(what));
}

static void describe(const char *tool, const char *kind, const struct vg_error *e, struct strbuf *msg)
{
	if (!strcmp(tool, "ubsan")) {
		strbuf_addf(msg, "%s", e->what ? e->what : "runtime error");
	} else if (!strcmp(tool, "lsan")) {
		strbuf_addf(msg, "%s, never freed", e->what ? e->what : kind);
	} else {
		strbuf_addstr(msg, kind);
		if (e->what && strncmp(e->what, "Hint", 4)) {
			strbuf_addstr(msg, ": ");
			access_words(e->what, msg);
		}
	}
}

/* TSan's lock-order-inversion has no stack of its own: the first aux stack places it. */
static size_t first_stack(const struct vg_error *e)
{
	for (size_t i = 0; i < e->nr_aux; i++)
		if (e->aux[i].stack.nr)
			return i;
	return e->nr_aux;
}

enum vg_verdict ma_sanitizer_finding(const struct vg_error *e, const char *root, struct ma_finding **out)
{
	const char *colon = e->kind ? strchr(e->kind, ':') : NULL;
	char tool[8];
	const char *kind, *rule = NULL;
	struct strbuf msg = STRBUF_INIT;

	*out = NULL;
	if (!colon || (size_t)(colon - e->kind) >= sizeof(tool))
		return VG_IGNORED;
	memcpy(tool, e->kind, (size_t)(colon - e->kind));
	tool[colon - e->kind] = '\0';
	kind = colon + 1;
	if (!strcmp(tool, "asan"))
		rule = asan_rule(kind, e);
	else if (!strcmp(tool, "lsan"))
		rule = "memory-leak";
	else if (!strcmp(tool, "ubsan"))
		rule = ubsan_rule(e);
	else if (!strcmp(tool, "tsan"))
		rule = tsan_rule(kind);
	if (!rule)
		return VG_IGNORED;
	describe(tool, kind, e, &msg);
	*out = vg_finding_at_aux(e, first_stack(e), root, rule, msg.buf, tool);
	strbuf_release(&msg);
	return *out ? VG_FINDING : VG_NOT_OURS;
}
