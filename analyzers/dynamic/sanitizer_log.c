/*
 * Sanitizer reports, read line by line (see sanitizer_log.h).
 *
 * The runtimes' formats (compiler-rt, LLVM 14):
 *   ==PID==ERROR: AddressSanitizer: heap-use-after-free on address 0x... at pc ...
 *   READ of size 4 at 0x602000000010 thread T0
 *       #0 0x55c02dcf42a8 in uaf /src/bug.c:4:82
 *       #1 0x7f0ec7a12249 in __libc_start_call_main (libc.so.6+0x271ca)
 *   freed by thread T0 here:
 *       #0 ...
 *   SUMMARY: AddressSanitizer: heap-use-after-free /src/bug.c:4:82 in uaf
 *
 *   Direct leak of 32 byte(s) in 1 object(s) allocated from:   (after LeakSanitizer's header)
 *   /src/ub.c:5:62: runtime error: signed integer overflow: ...
 *   WARNING: ThreadSanitizer: data race (pid=12)
 *     Write of size 4 at 0x... by thread T2:
 *       #0 bump /src/race.c:5:74 (race+0xd1e39)
 *
 * Without a symbolizer (none installed, or symbolize=0) a frame is only a
 * binary and an offset, "#0 0x55d0c8a1b2c3  (/src/prog+0x1b2c3)" (TSan:
 * "#0 <null> <null> (prog+0x1b2c3)", the path on its SUMMARY line): the
 * record's stacks then go through symbolize.c before they are handed on.
 */
#include "sanitizer_log.h"
#include "symbolize.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	int (*fn)(const struct vg_error *e, void *data);
	void *data;
	struct ma_symbolizer *sym; /* NULL: frames stay as printed */
	size_t records;
	struct vg_error e;
	int open;                 /* a record is being read */
	struct vg_stack *stack;   /* the stack frames go to */
	int in_leaks;             /* after LeakSanitizer's header */
	int stopped;
};

/* Stack i of the record: 0 its own, then its aux stacks; NULL past them. */
static struct vg_stack *stack_n(struct vg_error *e, size_t i)
{
	if (i > e->nr_aux)
		return NULL;
	return i ? &e->aux[i - 1].stack : &e->stack;
}

static void flush(struct reader *r)
{
	if (r->open && !r->stopped) {
		for (size_t i = 0; r->sym && stack_n(&r->e, i); i++)
			ma_symbolize_stack(r->sym, stack_n(&r->e, i));
		r->records++;
		if (r->fn(&r->e, r->data))
			r->stopped = 1;
	}
	vg_error_release(&r->e);
	r->open = 0;
	r->stack = NULL;
}

static void start(struct reader *r, const char *tool, const char *kind, size_t kind_len)
{
	struct strbuf k = STRBUF_INIT;

	flush(r);
	strbuf_addf(&k, "%s:", tool);
	strbuf_add(&k, kind, kind_len);
	r->e.kind = strbuf_detach(&k, NULL);
	r->open = 1;
	r->stack = &r->e.stack;
}

/* "0x1a2b" at s: its value, 1; else 0. */
static int hex_at(const char *s, uint64_t *v)
{
	char *end;

	if (strncmp(s, "0x", 2))
		return 0;
	*v = strtoull(s, &end, 16);
	return end > s + 2;
}

/*
 * "==PID==ERROR: AddressSanitizer: KIND on address 0x..." and the like;
 * MemorySanitizer's reports are "==PID==WARNING: MemorySanitizer: KIND"
 * (other runtimes' WARNINGs are notes about the run, not reports).
 */
static int error_header(struct reader *r, const char *line)
{
	static const struct { const char *name, *tool; } tools[] = {
		{ "AddressSanitizer: ", "asan" }, { "LeakSanitizer: ", "lsan" },
		{ "ThreadSanitizer: ", "tsan" }, { "MemorySanitizer: ", "msan" },
	};
	const char *p, *kind = NULL, *tool = NULL, *end;

	if (line[0] != '=')
		return 0;
	if ((p = strstr(line, "==ERROR: ")))
		p += strlen("==ERROR: ");
	else if ((p = strstr(line, "==WARNING: MemorySanitizer: ")))
		p += strlen("==WARNING: ");
	else
		return 0;
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]) && !kind; i++)
		if (skip_prefix(p, tools[i].name, &kind))
			tool = tools[i].tool;
	if (!kind)
		return 0;
	if (!strncmp(kind, "detected memory leaks", 21)) {
		flush(r);
		r->in_leaks = 1;
		return 1;
	}
	/* "heap-use-after-free on address ...", "memcpy-param-overlap: memory ranges ..." */
	end = strstr(kind, " on ");
	if (!end || (strstr(kind, ": ") && strstr(kind, ": ") < end))
		end = strstr(kind, ": ");
	start(r, tool, kind, end ? (size_t)(end - kind) : strlen(kind));
	if (end && (p = strstr(end, "address ")) && hex_at(p + 8, &r->e.siaddr))
		r->e.has_siaddr = 1;
	return 1;
}

/* "WARNING: ThreadSanitizer: data race (pid=12)" */
static int tsan_header(struct reader *r, const char *line)
{
	const char *kind, *end;

	if (!skip_prefix(line, "WARNING: ThreadSanitizer: ", &kind))
		return 0;
	end = strstr(kind, " (pid=");
	start(r, "tsan", kind, end ? (size_t)(end - kind) : strlen(kind));
	return 1;
}

/* "Direct leak of 32 byte(s) in 1 object(s) allocated from:" */
static int leak_header(struct reader *r, const char *line)
{
	const char *of = strstr(line, " leak of ");

	if (!r->in_leaks || !of || !strstr(line, "allocated from:"))
		return 0;
	start(r, "lsan", line, (size_t)(of - line) + strlen(" leak"));
	r->e.what = ma_strndup(line, (size_t)(strstr(line, " allocated from:") - line));
	r->e.leaked_bytes = strtoull(of + strlen(" leak of "), NULL, 10);
	return 1;
}

static int file_line(const char *s, size_t n, struct vg_frame *f);

/* "FILE:LINE:COL: runtime error: MESSAGE"; the place is the first frame until a stack comes. */
static int ubsan_header(struct reader *r, const char *line)
{
	const char *msg = strstr(line, ": runtime error: ");
	struct vg_frame *f;

	if (!msg)
		return 0;
	start(r, "ubsan", "runtime error", strlen("runtime error"));
	r->e.what = ma_strdup(msg + strlen(": runtime error: "));
	ALLOC_GROW(r->e.stack.v, 1, r->e.stack.alloc);
	f = &r->e.stack.v[r->e.stack.nr++];
	memset(f, 0, sizeof(*f));
	file_line(line, (size_t)(msg - line), f);
	r->stack = &r->e.stack;
	return 1;
}

/* "FILE:LINE:COL" or "FILE:LINE" at the end of s (up to n bytes): the file and line, 1. */
static int file_line(const char *s, size_t n, struct vg_frame *f)
{
	const char *end = s + n, *p = end, *last_colon = NULL;
	int colons = 0;

	while (p > s && colons < 2) {
		const char *q = p;
		while (q > s && isdigit((unsigned char)q[-1]))
			q--;
		if (q == p || q == s || q[-1] != ':')
			break;
		last_colon = q - 1;
		colons++;
		p = q - 1;
	}
	if (!colons || last_colon <= s)
		return 0;
	f->file = ma_strndup(s, (size_t)(last_colon - s));
	f->line = (unsigned)strtoul(last_colon + 1, NULL, 10);
	return 1;
}

/* "(MODULE+0xOFFSET)" or "(MODULE)" at p: the binary, and the offset into it. */
static void module_offset(const char *p, struct vg_frame *f)
{
	const char *close = strchr(p, ')'), *plus = close;

	if (*p != '(' || !close)
		return;
	while (plus > p && *plus != '+') /* the last '+': a path may hold one */
		plus--;
	if (plus == p || !hex_at(plus + 1, &f->offset))
		plus = close;
	f->obj = ma_strndup(p + 1, (size_t)(plus - p - 1));
}

/* What follows a frame's function: "(MODULE+0xOFF)", or "FILE:LINE:COL" and maybe "(MODULE+0xOFF)". */
static void frame_place(const char *loc, struct vg_frame *f)
{
	const char *end;

	while (*loc == ' ')
		loc++;
	if (*loc == '(') {
		module_offset(loc, f);
		return;
	}
	end = strchr(loc, ' ');
	file_line(loc, end ? (size_t)(end - loc) : strlen(loc), f);
	if (end && (end = strchr(end, '(')))
		module_offset(end, f);
}

/*
 * "    #1 0x55c02dcf4200 in uaf /src/bug.c:4:66"
 * "    #0 0x55c02dcb8ea2 in free (/src/bug_asan+0xa3ea2) (BuildId: ...)"
 * "    #0 bump /src/race.c:5:74 (race+0xd1e39) (BuildId: ...)"        (TSan)
 * "    #0 0x55d0c8a1b2c3  (/src/prog+0x1b2c3) (BuildId: ...)"          (symbolize=0)
 * "    #0 <null> <null> (prog+0x1b2c3) (BuildId: ...)"                  (TSan, symbolize=0)
 */
static int frame_line(struct reader *r, const char *line)
{
	const char *p = line, *fn, *loc;
	struct vg_frame f = { 0 };

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '#' || !isdigit((unsigned char)p[1]))
		return 0;
	if (!r->open)
		return 1; /* a stack of a report we do not read */
	if (p[1] == '0' && p[2] == ' ' && r->stack && r->stack->nr && r->stack == &r->e.stack &&
	    r->e.stack.v[0].file && !r->e.stack.v[0].fn) {
		/* UBSan's place from its message, then its real stack: the stack wins */
		vg_stack_release(&r->e.stack);
	}
	p = strchr(p, ' ');
	while (p && *p == ' ')
		p++;
	if (!p)
		return 1;
	if (hex_at(p, &f.ip)) {
		p = strchr(p, ' ');
		p = p ? p + strspn(p, " ") : "";
	}
	if (!skip_prefix(p, "in ", &fn))
		fn = p;
	loc = strchr(fn, ' ');
	if (*fn == '(') { /* no function: "(libc.so.6+0x271ca)" */
		loc = fn;
		fn = NULL;
	}
	if (fn && strncmp(fn, "<null> ", 7))
		f.fn = ma_strndup(fn, loc ? (size_t)(loc - fn) : strlen(fn));
	if (loc)
		frame_place(loc, &f);
	if (!r->stack) { /* a stack right after another: its own entry */
		if (r->e.nr_aux < VG_MAX_AUX) {
			r->stack = &r->e.aux[r->e.nr_aux++].stack;
		}
	}
	if (r->stack) {
		ALLOC_GROW(r->stack->v, r->stack->nr + 1, r->stack->alloc);
		r->stack->v[r->stack->nr++] = f;
	} else {
		free(f.fn);
		free(f.obj);
		free(f.file);
	}
	return 1;
}

/*
 * TSan names a binary by its base name in its frames ("(race+0xd1e39)")
 * and by its path on the SUMMARY line ("data race (/src/race+0xd1e39)"):
 * the frames of that binary get the path, for the symbolizer to open.
 */
static void module_paths(struct reader *r, const char *summary)
{
	const char *p = strstr(summary, " (/"), *base;
	struct vg_frame where = { 0 };
	struct vg_stack *st;

	if (!r->open || !p)
		return;
	module_offset(p + 1, &where);
	base = where.obj ? strrchr(where.obj, '/') + 1 : NULL;
	for (size_t i = 0; base && (st = stack_n(&r->e, i)); i++)
		for (size_t k = 0; k < st->nr; k++)
			if (st->v[k].obj && !strcmp(st->v[k].obj, base)) {
				free(st->v[k].obj);
				st->v[k].obj = ma_strdup(where.obj);
			}
	free(where.obj);
}

/* A line of text inside a record: what happened, or the title of the next stack. */
static void text_line(struct reader *r, const char *line)
{
	const char *p = line;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	n = strlen(p);
	if (!n) {
		r->stack = NULL;
		return;
	}
	if (!r->e.what && !r->e.stack.nr) {
		r->e.what = ma_strndup(p, p[n - 1] == ':' ? n - 1 : n);
		r->stack = &r->e.stack;
		return;
	}
	if (r->e.nr_aux == VG_MAX_AUX) {
		r->stack = NULL;
		return;
	}
	r->e.aux[r->e.nr_aux].what = ma_strndup(p, p[n - 1] == ':' ? n - 1 : n);
	/*
	 * "freed by thread T0 here:", "Uninitialized value was created by a
	 * heap allocation": the stack right after the line is its own.  UBSan's
	 * "FILE:LINE: note: f defined here" comes between the runtime error and
	 * its stack, which stays the report's.
	 */
	if (!strstr(p, ": note: "))
		r->stack = &r->e.aux[r->e.nr_aux].stack;
	r->e.nr_aux++;
}

/*
 * "SUMMARY: AddressSanitizer: bad-free (...) in free": the report's kind by
 * its short name, which the header may spell in words ("attempting free on
 * address which was not malloc()-ed", "requested allocation size ...
 * exceeds maximum supported size", "allocator is out of memory ...").
 */
static void summary_kind(struct reader *r, const char *line)
{
	struct strbuf kind = STRBUF_INIT;
	const char *name;

	if (!r->open || strncmp(r->e.kind, "asan:", 5) ||
	    !skip_prefix(line, "SUMMARY: AddressSanitizer: ", &name) || !isalpha((unsigned char)*name))
		return; /* "SUMMARY: AddressSanitizer: 32 byte(s) leaked ..." */
	strbuf_addstr(&kind, "asan:");
	strbuf_add(&kind, name, strcspn(name, " "));
	free(r->e.kind);
	r->e.kind = strbuf_detach(&kind, NULL);
}

static void one_line(struct reader *r, const char *line)
{
	if (error_header(r, line) || tsan_header(r, line) || leak_header(r, line) || ubsan_header(r, line))
		return;
	if (!strncmp(line, "SUMMARY: ", 9)) {
		summary_kind(r, line);
		module_paths(r, line);
		flush(r);
		if (strstr(line, "leaked"))
			r->in_leaks = 0;
		return;
	}
	if (!strncmp(line, "==", 2) || !strncmp(line, "Shadow", 6) || !strncmp(line, "=>", 2))
		return;
	if (frame_line(r, line))
		return;
	if (r->open)
		text_line(r, line);
}

int sanitizer_parse_stream(FILE *in, struct ma_symbolizer *sym, int (*fn)(const struct vg_error *e, void *data),
			   void *data, size_t *records)
{
	struct reader r = { .fn = fn, .data = data, .sym = sym };
	struct strbuf line = STRBUF_INIT;

	while (!r.stopped && strbuf_getline(&line, in) != EOF)
		one_line(&r, line.buf);
	flush(&r);
	strbuf_release(&line);
	*records = r.records;
	return ferror(in) ? -1 : 0;
}

int sanitizer_parse_file(const char *path, struct ma_symbolizer *sym,
			 int (*fn)(const struct vg_error *e, void *data), void *data, size_t *records,
			 struct strbuf *err)
{
	FILE *in = fopen(path, "r");
	int ret;

	*records = 0;
	if (!in) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	ret = sanitizer_parse_stream(in, sym, fn, data, records);
	if (ret < 0)
		strbuf_addf(err, "%s: read error", path);
	fclose(in);
	return ret;
}
