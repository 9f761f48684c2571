/*
 * memcheck's errors as findings (see memcheck.h).
 *
 * Messages leave out what differs between runs (addresses, loss record
 * numbers), so that the same bug seen by several processes of one test
 * suite merges into one finding with a count.
 */
#include "memcheck.h"
#include "vg_finding.h"
#include "../../core/alloc.h"
#include "../../core/finding.h"
#include "../../core/path.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* The address an "Address 0x... is ..." line names; UINT64_MAX when none. */
static uint64_t aux_address(const struct vg_error *e)
{
	const char *s = e->nr_aux ? e->aux[0].what : NULL;

	if (!s || strncmp(s, "Address ", 8))
		return UINT64_MAX;
	return strtoull(s + 8, NULL, 0);
}

#define NOBODYS "not stack'd, malloc'd or (recently) free'd"

/* "... is N bytes inside a block of size M free'd": a freed block (the
 * phrase for memory nobody owns ends in "free'd" too). */
static int in_freed_block(const char *aux)
{
	return vg_has(aux, "free'd") && !vg_has(aux, NOBODYS);
}

/* InvalidRead, InvalidWrite, unaddressable syscall arguments: whose memory was it? */
static const char *access_rule(const struct vg_error *e)
{
	const char *aux = e->nr_aux ? e->aux[0].what : NULL;

	if (in_freed_block(aux))
		return "use-after-free";
	if (vg_has(aux, "bytes after a block") || vg_has(aux, "bytes before a block"))
		return "buffer-overflow";
	if (vg_has(aux, NOBODYS) && aux_address(e) < VG_NULL_PAGE)
		return "null-dereference";
	return "invalid-memory-access";
}

static const char *signal_rule(const struct vg_error *e)
{
	if ((e->signo == 11 || e->signo == 7) && e->has_siaddr && e->siaddr < VG_NULL_PAGE)
		return "null-dereference"; /* SIGSEGV, SIGBUS */
	return "fatal-signal";
}

/* The rule of an error, NULL for kinds that are not reported. */
static const char *rule_of(const struct vg_error *e)
{
	static const struct { const char *kind, *rule; } plain[] = {
		{ "MismatchedFree", "mismatched-deallocation" },
		{ "UninitValue", "uninitialized-read" },
		{ "UninitCondition", "uninitialized-read" },
		{ "Overlap", "overlapping-copy" },
		{ "FishyValue", "allocation-too-large" },
		{ "InvalidJump", "invalid-memory-access" },
		{ "Leak_DefinitelyLost", "memory-leak" },
		{ "Leak_IndirectlyLost", "memory-leak" },
		{ "Leak_PossiblyLost", "memory-leak" },
	};
	const char *k = e->kind ? e->kind : "";

	if (!strcmp(k, "InvalidRead") || !strcmp(k, "InvalidWrite"))
		return access_rule(e);
	if (!strcmp(k, "InvalidFree")) /* the start of a freed block again; anything else was never malloc's */
		return in_freed_block(e->nr_aux ? e->aux[0].what : NULL) &&
		       vg_has(e->aux[0].what, " is 0 bytes inside") ? "double-free" : "free-non-heap";
	if (!strcmp(k, "SyscallParam"))
		return vg_has(e->what, "uninitialised") ? "uninitialized-read" : access_rule(e);
	if (!strcmp(k, "FatalSignal"))
		return signal_rule(e);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(k, plain[i].kind))
			return plain[i].rule;
	return NULL; /* Leak_StillReachable, ClientCheck, ... */
}

static void describe(const struct vg_error *e, const char *rule, struct strbuf *msg)
{
	const char *what = e->what ? e->what : e->kind;
	const char *cut;

	if (e->fatal) {
		strbuf_addf(msg, "the program was killed by %s", e->signame ? e->signame : "a signal");
		if (e->has_siaddr)
			strbuf_addf(msg, " accessing address 0x%llx", (unsigned long long)e->siaddr);
		return;
	}
	/* "32 bytes in 1 blocks are definitely lost in loss record 1 of 3" */
	cut = strstr(what, " in loss record ");
	strbuf_add(msg, what, cut ? (size_t)(cut - what) : strlen(what));
	if (e->nr_aux && e->aux[0].what && strcmp(rule, "memory-leak") &&
	    !strncmp(e->aux[0].what, "Address ", 8)) {
		strbuf_addstr(msg, ": "); /* once per error: no printf */
		strbuf_addstr(msg, vg_without_address(e->aux[0].what));
	}
	if (msg->len && msg->buf[0] >= 'A' && msg->buf[0] <= 'Z')
		msg->buf[0] = (char)(msg->buf[0] - 'A' + 'a');
}

enum vg_verdict ma_memcheck_finding(const struct vg_error *e, const char *root, struct ma_finding **out)
{
	const char *rule_id = rule_of(e);
	struct strbuf msg = STRBUF_INIT;
	enum vg_verdict verdict;

	if (rule_id)
		describe(e, rule_id, &msg);
	verdict = vg_place(e, root, rule_id, msg.buf, "memcheck", out);
	strbuf_release(&msg);
	return verdict;
}
