/*
 * Placing a Valgrind error in the project's sources (see vg_finding.h).
 */
#include "vg_finding.h"
#include "../../core/finding.h"
#include "../../core/path.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"

#include <stdint.h>
#include <string.h>

#define MAX_CALLERS 8       /* project frames shown under the primary one */

/* The frame's source file as an absolute path, or 0 when it has none. */
static int frame_path(const struct vg_frame *f, struct strbuf *out)
{
	strbuf_reset(out);
	if (!f->file || !f->line)
		return 0;
	if (f->file[0] != '/' && f->dir) { /* for every frame of every report: no printf */
		strbuf_addstr(out, f->dir);
		strbuf_addch(out, '/');
	}
	strbuf_addstr(out, f->file);
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

/* The frame's place, borrowing its strings: ma_finding_new and
 * ma_finding_add_event copy what they keep. */
static struct ma_location place_of(const struct vg_frame *fr, const char *path)
{
	return (struct ma_location){ .file = (char *)path, .line = fr->line, .function = fr->fn };
}

static void add_event_at(struct ma_finding *f, const struct vg_frame *fr, const char *path, const char *msg)
{
	struct ma_location loc = place_of(fr, path);

	ma_finding_add_event(f, &loc, msg);
}

const char *vg_without_address(const char *aux)
{
	const char *is = aux && !strncmp(aux, "Address ", 8) ? strstr(aux, " is ") : NULL;

	return is ? is + 4 : aux;
}

/* The calls above frame `primary` of s, then e's own stack's first project
 * frame when s is another, then each aux stack's first project frame but `skip`. */
static void add_events(struct ma_finding *f, const struct vg_error *e, const struct vg_stack *s,
		       long primary, size_t skip, const char *root, struct strbuf *path)
{
	int shown = 0;
	long own;

	for (size_t i = (size_t)primary + 1; i < s->nr && shown < MAX_CALLERS; i++) {
		if (!in_project(&s->v[i], root, path))
			continue;
		add_event_at(f, &s->v[i], path->buf, "called from here");
		shown++;
	}
	if (s != &e->stack && (own = first_project_frame(&e->stack, root, path)) >= 0)
		add_event_at(f, &e->stack.v[own], path->buf, e->what ? e->what : "the report's first stack");
	for (size_t a = 0; a < e->nr_aux; a++) {
		long k = a == skip ? -1 : first_project_frame(&e->aux[a].stack, root, path);
		const char *what = vg_without_address(e->aux[a].what);
		if (k >= 0)
			add_event_at(f, &e->aux[a].stack.v[k], path->buf, what ? what : "another stack of the report");
	}
}

static struct ma_finding *finding_on(const struct vg_error *e, const struct vg_stack *s, size_t skip,
				     const char *root, const char *rule_id, const char *message,
				     const char *pass)
{
	const struct ma_rule *rule = ma_rule_find(rule_id);
	struct strbuf path = STRBUF_INIT;
	struct ma_location loc;
	struct ma_finding *f = NULL;
	long primary = rule ? first_project_frame(s, root, &path) : -1;

	if (primary >= 0) {
		loc = place_of(&s->v[primary], path.buf);
		f = ma_finding_new(rule, message, &loc, pass);
		ma_finding_add_event(f, &loc, e->fatal ? "the signal arrived here" : "here");
		add_events(f, e, s, primary, skip, root, &path);
	}
	strbuf_release(&path);
	return f;
}

struct ma_finding *vg_finding_at(const struct vg_error *e, const char *root, const char *rule_id,
				 const char *message, const char *pass)
{
	return finding_on(e, &e->stack, SIZE_MAX, root, rule_id, message, pass);
}

enum vg_verdict vg_place(const struct vg_error *e, const char *root, const char *rule_id, const char *message,
			 const char *pass, struct ma_finding **out)
{
	*out = rule_id ? vg_finding_at(e, root, rule_id, message, pass) : NULL;
	if (!rule_id)
		return VG_IGNORED;
	return *out ? VG_FINDING : VG_NOT_OURS;
}

struct ma_finding *vg_finding_at_aux(const struct vg_error *e, size_t k, const char *root,
				     const char *rule_id, const char *message, const char *pass)
{
	struct ma_finding *f = vg_finding_at(e, root, rule_id, message, pass);

	if (f || k >= e->nr_aux)
		return f;
	return finding_on(e, &e->aux[k].stack, k, root, rule_id, message, pass);
}

struct ma_finding *vg_finding_on_aux(const struct vg_error *e, size_t k, const char *root, const char *rule_id,
				     const char *message, const char *pass)
{
	return k < e->nr_aux ? finding_on(e, &e->aux[k].stack, k, root, rule_id, message, pass) : NULL;
}

struct ma_finding *vg_finding_on(const struct vg_error *e, const struct vg_stack *s, const char *root,
				 const char *rule_id, const char *message, const char *pass)
{
	return finding_on(e, s, SIZE_MAX, root, rule_id, message, pass);
}

const char *vg_unplaced_binary(const struct vg_error *e, const char *root)
{
	for (size_t i = 0; i < e->stack.nr; i++) {
		const struct vg_frame *f = &e->stack.v[i];
		if (f->obj && !f->line && ma_path_is_under(root, f->obj))
			return f->obj;
	}
	return NULL;
}
