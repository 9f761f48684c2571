/*
 * memcheck's errors as findings (see memcheck.h).
 *
 * Messages leave out what differs between runs (addresses, loss record
 * numbers), so that the same bug seen by several processes of one test
 * suite merges into one finding with a count.
 */
#include "memcheck.h"
#include "../../core/alloc.h"
#include "../../core/finding.h"
#include "../../core/path.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CALLERS 8       /* project frames shown under the primary one */
#define NULL_PAGE 4096      /* an access this close to 0 went through a NULL pointer */

static int has(const char *s, const char *part)
{
	return s && strstr(s, part);
}

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
	return has(aux, "free'd") && !has(aux, NOBODYS);
}

/* InvalidRead, InvalidWrite, unaddressable syscall arguments: whose memory was it? */
static const char *access_rule(const struct vg_error *e)
{
	const char *aux = e->nr_aux ? e->aux[0].what : NULL;

	if (in_freed_block(aux))
		return "use-after-free";
	if (has(aux, "bytes after a block") || has(aux, "bytes before a block"))
		return "buffer-overflow";
	if (has(aux, NOBODYS) && aux_address(e) < NULL_PAGE)
		return "null-dereference";
	return "invalid-memory-access";
}

static const char *signal_rule(const struct vg_error *e)
{
	if ((e->signo == 11 || e->signo == 7) && e->has_siaddr && e->siaddr < NULL_PAGE)
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
	if (!strcmp(k, "InvalidFree"))
		return in_freed_block(e->nr_aux ? e->aux[0].what : NULL) ? "double-free" : "free-non-heap";
	if (!strcmp(k, "SyscallParam"))
		return has(e->what, "uninitialised") ? "uninitialized-read" : access_rule(e);
	if (!strcmp(k, "FatalSignal"))
		return signal_rule(e);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(k, plain[i].kind))
			return plain[i].rule;
	return NULL; /* Leak_StillReachable, ClientCheck, ... */
}

/* The frame's source file as an absolute path, or 0 when it has none. */
static int frame_path(const struct vg_frame *f, struct strbuf *out)
{
	strbuf_reset(out);
	if (!f->file || !f->line)
		return 0;
	if (f->file[0] == '/' || !f->dir)
		strbuf_addstr(out, f->file);
	else
		strbuf_addf(out, "%s/%s", f->dir, f->file);
	return out->buf[0] == '/';
}

static int in_project(const struct vg_frame *f, const char *root, struct strbuf *path)
{
	return frame_path(f, path) && ma_path_is_under(root, path->buf);
}

/* The innermost frame of s in the project, or -1. */
static long first_project_frame(const struct vg_stack *s, const char *root, struct strbuf *path)
{
	for (size_t i = 0; i < s->nr; i++)
		if (in_project(&s->v[i], root, path))
			return (long)i;
	return -1;
}

static void frame_location(const struct vg_frame *f, const char *path, struct ma_location *loc)
{
	ma_location_set(loc, path, f->line, 0, f->fn);
}

/* "Address 0x4a42040 is 0 bytes inside a block of size 16 free'd" -> "0 bytes inside ..." */
static const char *without_address(const char *aux)
{
	const char *is = aux && !strncmp(aux, "Address ", 8) ? strstr(aux, " is ") : NULL;

	return is ? is + 4 : aux;
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
	    !strncmp(e->aux[0].what, "Address ", 8))
		strbuf_addf(msg, ": %s", without_address(e->aux[0].what));
	if (msg->len && msg->buf[0] >= 'A' && msg->buf[0] <= 'Z')
		msg->buf[0] = (char)(msg->buf[0] - 'A' + 'a');
}

/* The calls above the primary frame, then each aux stack's first project frame. */
static void add_events(struct ma_finding *f, const struct vg_error *e, long primary, const char *root,
		       struct strbuf *path)
{
	struct ma_location loc = { 0 };
	int shown = 0;

	for (size_t i = (size_t)primary + 1; i < e->stack.nr && shown < MAX_CALLERS; i++) {
		if (!in_project(&e->stack.v[i], root, path))
			continue;
		frame_location(&e->stack.v[i], path->buf, &loc);
		ma_finding_add_event(f, &loc, "called from here");
		ma_location_release(&loc);
		shown++;
	}
	for (size_t a = 0; a < e->nr_aux; a++) {
		long k = first_project_frame(&e->aux[a].stack, root, path);
		const char *what = without_address(e->aux[a].what);
		if (k < 0)
			continue;
		frame_location(&e->aux[a].stack.v[k], path->buf, &loc);
		ma_finding_add_event(f, &loc, what ? what : "related stack");
		ma_location_release(&loc);
	}
}

enum ma_memcheck_verdict ma_memcheck_finding(const struct vg_error *e, const char *root,
					     struct ma_finding **out)
{
	const char *rule_id = rule_of(e);
	const struct ma_rule *rule = rule_id ? ma_rule_find(rule_id) : NULL;
	struct strbuf path = STRBUF_INIT, msg = STRBUF_INIT;
	struct ma_location loc = { 0 };
	long primary;

	*out = NULL;
	if (!rule)
		return MA_MC_IGNORED;
	primary = first_project_frame(&e->stack, root, &path);
	if (primary < 0) {
		strbuf_release(&path);
		return MA_MC_NOT_OURS;
	}
	describe(e, rule_id, &msg);
	frame_location(&e->stack.v[primary], path.buf, &loc);
	*out = ma_finding_new(rule, msg.buf, &loc, "memcheck");
	ma_finding_add_event(*out, &loc, e->fatal ? "the signal arrived here" : "here");
	add_events(*out, e, primary, root, &path);
	ma_location_release(&loc);
	strbuf_release(&path);
	strbuf_release(&msg);
	return MA_MC_FINDING;
}

const char *ma_memcheck_unplaced_binary(const struct vg_error *e, const char *root)
{
	for (size_t i = 0; i < e->stack.nr; i++) {
		const struct vg_frame *f = &e->stack.v[i];
		if (f->obj && !f->line && ma_path_is_under(root, f->obj))
			return f->obj;
	}
	return NULL;
}
