/*
 * The sanitizers' reports as findings (see sanitizers.h).  A record's kind
 * is "<sanitizer>:<what it reported>" ("asan:heap-use-after-free").
 */
#include "sanitizers.h"
#include "../../core/finding.h"
#include "../../core/strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct kind_rule {
	const char *kind, *rule;
};

/* The rule of the first entry that kind starts with, or NULL. */
static const char *look_up(const struct kind_rule *table, size_t n, const char *kind)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(kind, table[i].kind, strlen(table[i].kind)))
			return table[i].rule;
	return NULL;
}

#define LOOK_UP(table, kind) look_up(table, sizeof(table) / sizeof(table[0]), kind)

/*
 * What every runtime reports alike, as "==ERROR: <Sanitizer>: KIND ...":
 * the signals it caught and the allocator's refusals.  A stack overflow
 * is the SIGSEGV of a stack that ran out (deep recursion, a huge local).
 */
static const char *crash_rule(const char *kind, const struct vg_error *e)
{
	static const struct kind_rule table[] = {
		{ "FPE", "division-by-zero" },
		{ "stack-overflow", "fatal-signal" },
		{ "ILL", "fatal-signal" },
		{ "allocation-size-too-big", "allocation-too-large" },
		{ "requested allocation size", "allocation-too-large" },
		{ "calloc-overflow", "allocation-too-large" },
		{ "calloc parameters overflow", "allocation-too-large" },
		{ "reallocarray-overflow", "allocation-too-large" },
		{ "out-of-memory", "allocation-too-large" },
		{ "allocator is out of memory", "allocation-too-large" },
	};

	if (!strcmp(kind, "SEGV") || !strcmp(kind, "BUS"))
		return e->has_siaddr && e->siaddr < VG_NULL_PAGE ? "null-dereference" : "fatal-signal";
	return LOOK_UP(table, kind);
}

/*
 * A record's kind is the short name of its SUMMARY line ("bad-free",
 * "allocation-size-too-big"), or the header's words when the log was cut
 * before it ("attempting free on address ...": the words before " on ").
 */
static const char *asan_rule(const char *kind, const struct vg_error *e)
{
	static const struct kind_rule table[] = {
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
		{ "negative-size-param", "buffer-overflow" },
		{ "unknown-crash", "invalid-memory-access" },
	};
	const char *rule = LOOK_UP(table, kind);

	return rule ? rule : crash_rule(kind, e);
}

/* "implicit conversion from type 'int' of value 300 (32-bit, signed) to type
 * 'unsigned char' changed the value to 44 (8-bit, unsigned)": fewer bits
 * after than before is a truncation, else only the sign changed. */
static const char *conversion_rule(const char *what)
{
	const char *from = strstr(what, "-bit, "), *to = from ? strstr(from + 1, "-bit, ") : NULL;
	unsigned long from_bits, to_bits;

	if (!to)
		return "integer-truncation";
	while (from > what && isdigit((unsigned char)from[-1]))
		from--;
	while (to > what && isdigit((unsigned char)to[-1]))
		to--;
	from_bits = strtoul(from, NULL, 10);
	to_bits = strtoul(to, NULL, 10);
	return to_bits < from_bits ? "integer-truncation" : "sign-conversion";
}

static const char *ubsan_rule(const struct vg_error *e)
{
	const char *w = e->what;

	if (vg_has(w, "implicit conversion from"))
		return conversion_rule(w);
	if (vg_has(w, "unsigned integer overflow"))
		return "unsigned-wraparound";
	if (vg_has(w, "during indirect function call") || vg_has(w, "through pointer to incorrect function type"))
		return "function-pointer-mismatch";
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

static const char *tsan_rule(const char *kind, const struct vg_error *e)
{
	static const struct kind_rule table[] = {
		{ "data race", "data-race" },
		{ "lock-order-inversion", "lock-order-inversion" },
		{ "unlock of an unlocked mutex", "unlock-without-lock" },
		{ "read unlock of a write locked mutex", "unlock-without-lock" },
		{ "double lock of a mutex", "double-lock" },
		{ "read lock of a write locked mutex", "double-lock" },
		{ "destroy of a locked mutex", "lock-not-released" },
		{ "heap-use-after-free", "use-after-free" },
		{ "thread leak", "thread-leak" },
	};
	const char *rule = LOOK_UP(table, kind);

	return rule ? rule : crash_rule(kind, e); /* signal-unsafe call, invalid mutex, ...: not reported */
}

static const char *msan_rule(const char *kind, const struct vg_error *e)
{
	if (!strncmp(kind, "use-of-uninitialized-value", 26))
		return "uninitialized-read";
	return crash_rule(kind, e);
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

/* One of TSan's accesses: "Write of size 4 at 0x... by thread T2", "Atomic read of ...". */
static int is_access(const char *what)
{
	static const char *const words[] = { "Read", "Write", "Atomic" };

	for (size_t i = 0; what && i < sizeof(words) / sizeof(words[0]); i++)
		if (!strncmp(what, words[i], strlen(words[i])))
			return 1;
	return 0;
}

/* MemorySanitizer's origin: "Uninitialized value was created by an allocation of 'x' in ...". */
static const char *msan_origin(const struct vg_error *e)
{
	for (size_t i = 0; i < e->nr_aux; i++)
		if (vg_has(e->aux[i].what, "was created by"))
			return e->aux[i].what;
	return NULL;
}

/* The first aux entry, from `from` on, whose text contains part, or e->nr_aux. */
static size_t aux_saying(const struct vg_error *e, size_t from, const char *part)
{
	for (size_t i = from; i < e->nr_aux; i++)
		if (vg_has(e->aux[i].what, part))
			return i;
	return e->nr_aux;
}

/* "data race: Read of size 4, and a previous write of size 4 in another
 * thread"; "thread leak: ..."; "lock-order-inversion (potential deadlock)"
 * (not "Cycle in lock order graph: M0 (0x...) => ..."). */
static void tsan_words(const char *kind, const struct vg_error *e, struct strbuf *msg)
{
	size_t prev = aux_saying(e, 0, "Previous ");

	if (!strcmp(kind, "thread leak")) {
		strbuf_addstr(msg, "thread leak: a thread ended, or the program exited, without pthread_join "
			      "or pthread_detach");
		return;
	}
	strbuf_addstr(msg, kind);
	if (!is_access(e->what))
		return;
	strbuf_addstr(msg, ": ");
	access_words(e->what, msg);
	if (prev < e->nr_aux) {
		strbuf_addstr(msg, ", and a previous ");
		access_words(e->aux[prev].what + strlen("Previous "), msg);
		strbuf_addstr(msg, " in another thread");
	}
}

static void describe(const char *tool, const char *kind, const struct vg_error *e, struct strbuf *msg)
{
	if (!strcmp(tool, "ubsan")) {
		strbuf_addf(msg, "%s", e->what ? e->what : "runtime error");
	} else if (!strcmp(tool, "lsan")) {
		strbuf_addf(msg, "%s, never freed", e->what ? e->what : kind);
	} else if (!strcmp(tool, "tsan")) {
		tsan_words(kind, e, msg);
	} else if (!strcmp(tool, "msan") && msan_origin(e)) {
		strbuf_addf(msg, "%s: %s", kind, msan_origin(e));
	} else {
		strbuf_addstr(msg, kind);
		if (e->what && strncmp(e->what, "Hint", 4)) {
			strbuf_addstr(msg, ": ");
			access_words(e->what, msg);
		}
	}
}

/*
 * Where a TSan report goes when not on its own stack, or e->nr_aux:
 *  - a lock cycle: the last edge is the acquisition that closed it, in the
 *    thread that took the locks in the other order; the finding goes where
 *    that thread took the lock it was holding (second_deadlock_stack=1:
 *    "Mutex M1 previously acquired by the same thread here"), the start of
 *    the section that inverts the order, else on that acquisition;
 *  - a race between a read and an earlier write: on the write, the store
 *    the reading thread was not ordered with.
 */
static size_t tsan_stack(const char *rule, const struct vg_error *e)
{
	size_t last = e->nr_aux, k;

	if (!strcmp(rule, "lock-order-inversion")) {
		for (k = aux_saying(e, 0, "acquired here while holding"); k < e->nr_aux;
		     k = aux_saying(e, k + 1, "acquired here while holding"))
			last = k;
		if (last + 1 < e->nr_aux && vg_has(e->aux[last + 1].what, "previously acquired by the same thread"))
			return last + 1;
		return last;
	}
	if (!strcmp(rule, "data-race") && e->what && (!strncmp(e->what, "Read", 4) ||
						      !strncmp(e->what, "Atomic read", 11))) {
		k = aux_saying(e, 0, "Previous ");
		if (k < e->nr_aux && (!strncmp(e->aux[k].what, "Previous write", 14) ||
				      !strncmp(e->aux[k].what, "Previous atomic write", 21)))
			return k;
	}
	return e->nr_aux;
}

/* TSan's lock-order-inversion has no stack of its own: the first aux stack places it. */
static size_t first_stack(const struct vg_error *e)
{
	for (size_t i = 0; i < e->nr_aux; i++)
		if (e->aux[i].stack.nr)
			return i;
	return e->nr_aux;
}

static struct ma_finding *place(const char *tool, const char *rule, const struct vg_error *e, const char *root,
				const char *msg)
{
	size_t k = !strcmp(tool, "tsan") ? tsan_stack(rule, e) : e->nr_aux;
	struct ma_finding *f = vg_finding_on_aux(e, k, root, rule, msg, tool);

	return f ? f : vg_finding_at_aux(e, first_stack(e), root, rule, msg, tool);
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
		rule = tsan_rule(kind, e);
	else if (!strcmp(tool, "msan"))
		rule = msan_rule(kind, e);
	if (!rule)
		return VG_IGNORED;
	describe(tool, kind, e, &msg);
	*out = place(tool, rule, e, root, msg.buf);
	strbuf_release(&msg);
	return *out ? VG_FINDING : VG_NOT_OURS;
}
