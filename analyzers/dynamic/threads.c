/*
 * helgrind's and DRD's errors as findings (see threads.h).
 *
 * Their texts name threads and addresses ("by thread #3 at 0x10C060"),
 * which change from run to run; messages are rebuilt from the parts that
 * do not (the access, its size, the variable), so that the same race seen
 * twice merges into one finding.
 */
#include "threads.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/finding.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

static int is(const char *kind, const char *name)
{
	return kind && !strcmp(kind, name);
}

/* The text of s between the first `from` and the next `to` (or its end), appended to out. */
static int copy_between(const char *s, const char *from, const char *to, struct strbuf *out)
{
	const char *a = s ? strstr(s, from) : NULL, *b;

	if (!a)
		return 0;
	a += strlen(from);
	b = to ? strstr(a, to) : NULL;
	strbuf_add(out, a, b ? (size_t)(b - a) : strlen(a));
	return 1;
}

/* The aux line that names the variable: ... data symbol "counter" */
static void add_variable(const struct vg_error *e, struct strbuf *msg)
{
	for (size_t i = 0; i < e->nr_aux; i++) {
		struct strbuf var = STRBUF_INIT;
		if (copy_between(e->aux[i].what, "data symbol \"", "\"", &var) && var.len)
			strbuf_addf(msg, " of '%s'", var.buf);
		strbuf_release(&var);
		if (msg->len && msg->buf[msg->len - 1] == '\'')
			return;
	}
}

/* helgrind: "Possible data race during read of size 4 at 0x... by thread #3",
 * "This conflicts with a previous write of size 4 by thread #2". */
static void race_message(const struct vg_error *e, struct strbuf *msg)
{
	strbuf_addstr(msg, "data race: ");
	if (!copy_between(e->what, "during ", " at 0x", msg))
		strbuf_addstr(msg, "an access");
	add_variable(e, msg);
	for (size_t i = 0; i < e->nr_aux; i++) {
		if (!vg_has(e->aux[i].what, "previous "))
			continue;
		strbuf_addstr(msg, " conflicts with a previous ");
		copy_between(e->aux[i].what, "previous ", " by thread", msg);
		strbuf_addstr(msg, " in another thread");
		break;
	}
}

static struct vg_stack *created_stack(struct vg_threads *th, unsigned hthread)
{
	return hthread && hthread < th->nr && th->created[hthread].nr ? &th->created[hthread] : NULL;
}

static void remember_thread(struct vg_threads *th, const struct vg_error *e)
{
	if (!e->hthread || e->hthread > 1u << 20)
		return;
	if (e->hthread >= th->nr) {
		ALLOC_GROW(th->created, e->hthread + 1, th->alloc);
		memset(th->created + th->nr, 0, (e->hthread + 1 - th->nr) * sizeof(*th->created));
		th->nr = e->hthread + 1;
	}
	vg_stack_release(&th->created[e->hthread]);
	vg_stack_copy(&th->created[e->hthread], &e->stack);
}

/* "Exiting thread still holds 1 lock": raised inside libc as the thread
 * ends; placed where the project created the thread. */
static struct ma_finding *exit_holding(const struct vg_error *e, const char *root, struct vg_threads *th)
{
	struct vg_stack *created = created_stack(th, e->hthread);
	const char *msg = "a thread exits holding a lock it took: other threads waiting for it block for ever";
	struct ma_finding *f = vg_finding_at(e, root, "lock-not-released", msg, "helgrind");

	if (!f && created && (f = vg_finding_on(e, created, root, "lock-not-released", msg, "helgrind"))) {
		free(f->events[0].message);
		f->events[0].message = ma_strdup("the thread was created here");
	}
	return f;
}

enum vg_verdict ma_helgrind_finding(const struct vg_error *e, const char *root, struct vg_threads *th,
				    struct ma_finding **out)
{
	struct strbuf msg = STRBUF_INIT;
	const char *rule = NULL;
	enum vg_verdict verdict;

	*out = NULL;
	if (is(e->kind, "AnnounceThread")) {
		remember_thread(th, e);
		return VG_IGNORED;
	}
	if (is(e->kind, "Race")) {
		rule = "data-race";
		race_message(e, &msg);
	} else if (is(e->kind, "LockOrder")) {
		rule = "lock-order-inversion";
		strbuf_addstr(&msg, "lock order violated: this thread takes two locks in the opposite order to "
			      "an earlier acquisition, which can deadlock");
	} else if (is(e->kind, "UnlockUnlocked") || is(e->kind, "UnlockBogus")) {
		rule = "unlock-without-lock";
		strbuf_addstr(&msg, "a lock that is not held is unlocked");
	} else if (is(e->kind, "UnlockForeign")) {
		rule = "unlock-without-lock";
		strbuf_addstr(&msg, "a lock held by another thread is unlocked");
	} else if (is(e->kind, "Misc") && vg_has(e->what, "still holds")) {
		*out = exit_holding(e, root, th);
		return *out ? VG_FINDING : VG_NOT_OURS;
	} else if (is(e->kind, "Misc") && vg_has(e->what, "re-lock")) {
		rule = "double-lock";
		strbuf_addstr(&msg, "a non-recursive lock is locked again by the thread that holds it");
	}
	verdict = vg_place(e, root, rule, msg.buf, "helgrind", out); /* no rule: PthAPIerror and the like */
	strbuf_release(&msg);
	return verdict;
}

/* Did the error happen in pthread_mutex_unlock (the stack's first frame)? */
static int in_unlock(const struct vg_error *e)
{
	return e->stack.nr && vg_has(e->stack.v[0].fn, "mutex_unlock");
}

enum vg_verdict ma_drd_finding(const struct vg_error *e, const char *root, struct ma_finding **out)
{
	struct strbuf msg = STRBUF_INIT;
	const char *rule = NULL;
	enum vg_verdict verdict;

	*out = NULL;
	if (is(e->kind, "ConflictingAccess")) {
		/* "Conflicting load by thread 3 at 0x0010c060 size 4" */
		rule = "data-race";
		strbuf_addstr(&msg, "data race: conflicting ");
		if (!copy_between(e->what, "Conflicting ", " by thread", &msg))
			strbuf_addstr(&msg, "access");
		strbuf_addstr(&msg, " of size ");
		if (!copy_between(e->what, " size ", NULL, &msg))
			strbuf_addstr(&msg, "?");
	} else if (is(e->kind, "MutexErr") && (vg_has(e->what, "not locked") ||
						 (vg_has(e->what, "is not a mutex") && in_unlock(e)))) {
		/* DRD knows a mutex once it was locked: unlocking one never locked is "not a mutex" */
		rule = "unlock-without-lock";
		strbuf_addstr(&msg, "a mutex is unlocked by a thread that does not hold it");
	} else if (is(e->kind, "MutexErr") && vg_has(e->what, "Recursive locking")) {
		rule = "double-lock";
		strbuf_addstr(&msg, "a non-recursive mutex is locked again by the thread that holds it");
	}
	verdict = vg_place(e, root, rule, msg.buf, "drd", out);
	strbuf_release(&msg);
	return verdict;
}

void vg_threads_release(struct vg_threads *th)
{
	for (size_t i = 0; i < th->nr; i++)
		vg_stack_release(&th->created[i]);
	free(th->created);
	memset(th, 0, sizeof(*th));
}
