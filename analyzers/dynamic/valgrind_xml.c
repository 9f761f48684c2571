/*
 * Valgrind's XML output, read with expat (see valgrind_xml.h).
 *
 * The format is a tree of small elements with text leaves and no mixed
 * content, so the parser keeps the names of the open elements, collects
 * the text of the innermost one, and acts when an element closes: a leaf
 * sets a field of the frame, error or file it belongs to, </error> hands
 * the error over and frees it.
 */
#include "valgrind_xml.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/strbuf.h"

#include <errno.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16
#define NAME_MAX_LEN 24
#define CHUNK 65536

struct parse {
	XML_Parser xp;
	const struct vg_callbacks *cb;
	void *data;
	struct vg_file_info *info;
	char open[MAX_DEPTH][NAME_MAX_LEN]; /* names of the open elements */
	int depth;                          /* may exceed MAX_DEPTH: those are not named */
	struct strbuf text;                 /* text of the innermost element */
	struct vg_error e;
	int in_error;
	struct vg_stack *stack;             /* the stack being read, or NULL */
	uint64_t pair_count, pair_unique;
	int stopped;                        /* the callback asked to stop */
	int saw_root;                       /* <valgrindoutput> was opened */
	int not_valgrind;
};

void vg_stack_release(struct vg_stack *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		free(s->v[i].fn);
		free(s->v[i].obj);
		free(s->v[i].dir);
		free(s->v[i].file);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

void vg_error_release(struct vg_error *e)
{
	free(e->kind);
	free(e->what);
	free(e->signame);
	vg_stack_release(&e->stack);
	for (size_t i = 0; i < e->nr_aux; i++) {
		free(e->aux[i].what);
		vg_stack_release(&e->aux[i].stack);
	}
	memset(e, 0, sizeof(*e));
}

/* The name of the element `up` levels above the innermost one ("" if none). */
static const char *parent(const struct parse *p, int up)
{
	int i = p->depth - 1 - up;

	return i >= 0 && i < MAX_DEPTH ? p->open[i] : "";
}

static int is(const char *a, const char *b)
{
	return !strcmp(a, b);
}

static uint64_t number(const char *s)
{
	return strtoull(s, NULL, 0); /* decimal, or 0x... for <unique> and <ip> */
}

static void set_text(char **field, const struct strbuf *text)
{
	free(*field);
	*field = ma_strdup(text->buf);
}

/* The aux entry a new <auxwhat> or a stack without one goes into, or NULL when full. */
static struct vg_aux *next_aux(struct vg_error *e)
{
	return e->nr_aux < VG_MAX_AUX ? &e->aux[e->nr_aux++] : NULL;
}

static void start_stack(struct parse *p)
{
	struct vg_error *e = &p->e;
	struct vg_aux *a;

	if (!e->stack.nr && !e->nr_aux) {
		p->stack = &e->stack;
		return;
	}
	/* a stack follows the auxwhat it belongs to; a second one in a row gets an entry of its own */
	if (e->nr_aux && !e->aux[e->nr_aux - 1].stack.nr)
		a = &e->aux[e->nr_aux - 1];
	else
		a = next_aux(e);
	p->stack = a ? &a->stack : NULL;
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	struct parse *p = data;

	(void)attrs;
	if (p->depth == 0 && !is(name, "valgrindoutput")) {
		p->not_valgrind = 1;
		XML_StopParser(p->xp, XML_FALSE);
		return;
	}
	p->saw_root = 1;
	if (p->depth < MAX_DEPTH) { /* a bounded copy: this runs for every element */
		size_t n = strnlen(name, NAME_MAX_LEN - 1);
		memcpy(p->open[p->depth], name, n);
		p->open[p->depth][n] = '\0';
	}
	p->depth++;
	strbuf_reset(&p->text);
	if (p->depth == 2 && (is(name, "error") || is(name, "fatal_signal") || is(name, "announcethread"))) {
		vg_error_release(&p->e);
		p->in_error = 1;
		p->e.fatal = is(name, "fatal_signal");
		if (is(name, "announcethread"))
			p->e.kind = ma_strdup("AnnounceThread");
	} else if (p->in_error && is(name, "stack")) {
		start_stack(p);
	} else if (p->stack && is(name, "frame")) {
		ALLOC_GROW(p->stack->v, p->stack->nr + 1, p->stack->alloc);
		memset(&p->stack->v[p->stack->nr++], 0, sizeof(*p->stack->v));
	}
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct parse *p = data;
	int i = 0;

	/* the indentation between elements: no leaf's text starts with blanks */
	if (!p->text.len)
		while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
			i++;
	if (i < len)
		strbuf_add(&p->text, s + i, (size_t)(len - i));
}

static void end_frame_field(struct parse *p, const char *name)
{
	struct vg_frame *f = &p->stack->v[p->stack->nr - 1];

	if (is(name, "fn"))
		set_text(&f->fn, &p->text);
	else if (is(name, "obj"))
		set_text(&f->obj, &p->text);
	else if (is(name, "dir"))
		set_text(&f->dir, &p->text);
	else if (is(name, "file"))
		set_text(&f->file, &p->text);
	else if (is(name, "line"))
		f->line = (unsigned)number(p->text.buf);
	else if (is(name, "ip"))
		f->ip = number(p->text.buf);
}

static void end_error_field(struct parse *p, const char *name)
{
	struct vg_error *e = &p->e;
	const char *up = parent(p, 1);
	struct vg_aux *a;

	if (is(name, "kind")) {
		set_text(&e->kind, &p->text);
	} else if (is(name, "what") && is(up, e->fatal ? "fatal_signal" : "error")) {
		set_text(&e->what, &p->text);
	} else if (is(name, "text") && is(up, "xwhat") && !e->what) {
		set_text(&e->what, &p->text);
	} else if (is(name, "auxwhat") || (is(name, "text") && is(up, "xauxwhat"))) {
		if ((a = next_aux(e)))
			set_text(&a->what, &p->text);
	} else if (is(name, "unique")) {
		e->unique = number(p->text.buf);
	} else if (is(name, "tid")) {
		e->tid = (unsigned)number(p->text.buf);
	} else if (is(name, "hthreadid") && !e->hthread && (is(up, "xwhat") || is(up, "announcethread"))) {
		e->hthread = (unsigned)number(p->text.buf);
	} else if (is(name, "leakedbytes")) {
		e->leaked_bytes = number(p->text.buf);
	} else if (is(name, "leakedblocks")) {
		e->leaked_blocks = number(p->text.buf);
	} else if (is(name, "signo")) {
		e->signo = (int)number(p->text.buf);
	} else if (is(name, "signame")) {
		set_text(&e->signame, &p->text);
	} else if (is(name, "siaddr")) {
		e->siaddr = number(p->text.buf);
		e->has_siaddr = 1;
	}
}

static void end_error(struct parse *p)
{
	p->in_error = 0;
	p->stack = NULL;
	if (p->e.fatal && !p->e.kind)
		p->e.kind = ma_strdup("FatalSignal");
	if (strcmp(p->e.kind ? p->e.kind : "", "AnnounceThread"))
		p->info->errors++;
	if (p->cb->error && p->cb->error(&p->e, p->data)) {
		p->stopped = 1;
		XML_StopParser(p->xp, XML_FALSE);
	}
	vg_error_release(&p->e);
}

/* Outside errors: the file's header, <errorcounts> and <suppcounts>. */
static void end_file_field(struct parse *p, const char *name)
{
	struct vg_file_info *info = p->info;
	const char *up = parent(p, 1);

	if (is(name, "protocolversion"))
		info->protocol = (int)number(p->text.buf);
	else if (is(name, "tool") || is(name, "protocoltool"))
		snprintf(info->tool, sizeof(info->tool), "%s", p->text.buf);
	else if (is(name, "pid") && p->depth == 2)
		info->pid = (long)number(p->text.buf);
	else if (is(name, "ppid") && p->depth == 2)
		info->ppid = (long)number(p->text.buf);
	else if (is(name, "exe") && is(up, "argv") && !info->exe)
		info->exe = ma_strdup(p->text.buf);
	else if (is(name, "count") && is(up, "pair"))
		p->pair_count = number(p->text.buf);
	else if (is(name, "unique") && is(up, "pair"))
		p->pair_unique = number(p->text.buf);
	else if (is(name, "pair") && is(up, "errorcounts") && p->cb->count)
		p->cb->count(p->pair_unique, p->pair_count, p->data);
	else if (is(name, "pair") && is(up, "suppcounts"))
		info->suppressed += p->pair_count;
	else if (is(name, "valgrindoutput"))
		info->complete = 1;
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
	struct parse *p = data;

	if (p->in_error && p->depth == 2)
		end_error(p);
	else if (p->stack && p->stack->nr && is(parent(p, 1), "frame"))
		end_frame_field(p, name);
	else if (p->in_error && is(name, "stack"))
		p->stack = NULL;
	else if (p->in_error)
		end_error_field(p, name);
	else
		end_file_field(p, name);
	p->depth--;
	strbuf_reset(&p->text);
}

/* Feed the file to expat; 0 at its end, 1 when stopped, -1 on a read error. */
static int feed(struct parse *p, FILE *in, int *xml_failed, int *at_end)
{
	char *buf = ma_malloc(CHUNK);
	int ret = 0;

	for (;;) {
		size_t n = fread(buf, 1, CHUNK, in);
		int last = n < CHUNK;
		if (n < CHUNK && ferror(in)) {
			ret = -1;
			break;
		}
		if (XML_Parse(p->xp, buf, (int)n, last) != XML_STATUS_OK) {
			*xml_failed = 1;
			*at_end = last;
			ret = p->stopped || p->not_valgrind ? 1 : 0;
			break;
		}
		if (last)
			break;
	}
	free(buf);
	return ret;
}

/* Did the input end inside an element or a tag (the writer was killed)?
 * Anything else is malformed. */
static int cut_short(XML_Parser xp, int at_end)
{
	enum XML_Error code = XML_GetErrorCode(xp);

	return at_end && (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
			  code == XML_ERROR_PARTIAL_CHAR);
}

int vg_parse_stream(FILE *in, const char *path, const struct vg_callbacks *cb, void *data,
		    struct vg_file_info *info, struct strbuf *err)
{
	struct parse p = { .cb = cb, .data = data, .info = info, .text = STRBUF_INIT };
	int xml_failed = 0, at_end = 0, ret = 0, fed;

	memset(info, 0, sizeof(*info));
	p.xp = XML_ParserCreate(NULL);
	if (!p.xp) {
		strbuf_addf(err, "%s: out of memory for the XML parser", path);
		return -1;
	}
	XML_SetUserData(p.xp, &p);
	XML_SetElementHandler(p.xp, on_start, on_end);
	XML_SetCharacterDataHandler(p.xp, on_text);
	fed = feed(&p, in, &xml_failed, &at_end);
	if (fed < 0) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		ret = -1;
	} else if (p.not_valgrind) {
		strbuf_addf(err, "%s: not Valgrind XML output (no <valgrindoutput>)", path);
		ret = -1;
	} else if (!p.saw_root) {
		strbuf_addf(err, "%s: empty, or not Valgrind XML output", path);
		ret = -1;
	} else if (xml_failed && !p.stopped && !cut_short(p.xp, at_end)) {
		/* garbage before the end; a file cut short (the process was
		 * killed while writing) is only incomplete */
		strbuf_addf(err, "%s:%lu: %s", path, (unsigned long)XML_GetCurrentLineNumber(p.xp),
			    XML_ErrorString(XML_GetErrorCode(p.xp)));
		ret = -1;
	}
	vg_error_release(&p.e);
	strbuf_release(&p.text);
	XML_ParserFree(p.xp);
	return ret;
}

int vg_parse_file(const char *path, const struct vg_callbacks *cb, void *data,
		  struct vg_file_info *info, struct strbuf *err)
{
	FILE *in = fopen(path, "rb");
	int ret;

	if (!in) {
		memset(info, 0, sizeof(*info));
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = vg_parse_stream(in, path, cb, data, info, err);
	fclose(in);
	return ret;
}

void vg_file_info_release(struct vg_file_info *info)
{
	free(info->exe);
	info->exe = NULL;
}

void vg_stack_copy(struct vg_stack *out, const struct vg_stack *s)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < s->nr; i++) {
		const struct vg_frame *f = &s->v[i];
		ALLOC_GROW(out->v, out->nr + 1, out->alloc);
		out->v[out->nr++] = (struct vg_frame){
			.fn = f->fn ? ma_strdup(f->fn) : NULL, .obj = f->obj ? ma_strdup(f->obj) : NULL,
			.dir = f->dir ? ma_strdup(f->dir) : NULL, .file = f->file ? ma_strdup(f->file) : NULL,
			.line = f->line, .ip = f->ip, .offset = f->offset };
	}
}
