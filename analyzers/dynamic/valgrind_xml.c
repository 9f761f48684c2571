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
#define CHUNK 65536
#define TEXT_BLOCK 4096
#define NAME_SLOTS 128 /* a power of two, over three times NR_ELEMS */

/* The elements the reader acts on; every other one is E_OTHER. */
enum elem {
	E_OTHER, E_VALGRINDOUTPUT, E_ERROR, E_FATAL_SIGNAL, E_ANNOUNCETHREAD, E_STACK, E_FRAME,
	E_FN, E_OBJ, E_DIR, E_FILE, E_LINE, E_IP,
	E_KIND, E_WHAT, E_XWHAT, E_TEXT, E_AUXWHAT, E_XAUXWHAT, E_UNIQUE, E_TID, E_HTHREADID,
	E_LEAKEDBYTES, E_LEAKEDBLOCKS, E_SIGNO, E_SIGNAME, E_SIADDR,
	E_PROTOCOLVERSION, E_TOOL, E_PROTOCOLTOOL, E_PID, E_PPID, E_ARGV, E_EXE,
	E_ERRORCOUNTS, E_SUPPCOUNTS, E_PAIR, E_COUNT,
	NR_ELEMS
};

/* Each element's name, and whether its text is read (a leaf): the text of
 * the others (the indentation between elements, mostly) is never collected. */
static const struct {
	const char *name;
	unsigned char leaf;
} elems[NR_ELEMS] = {
	[E_VALGRINDOUTPUT] = { "valgrindoutput", 0 }, [E_ERROR] = { "error", 0 },
	[E_FATAL_SIGNAL] = { "fatal_signal", 0 }, [E_ANNOUNCETHREAD] = { "announcethread", 0 },
	[E_STACK] = { "stack", 0 }, [E_FRAME] = { "frame", 0 },
	[E_FN] = { "fn", 1 }, [E_OBJ] = { "obj", 1 }, [E_DIR] = { "dir", 1 }, [E_FILE] = { "file", 1 },
	[E_LINE] = { "line", 1 }, [E_IP] = { "ip", 1 },
	[E_KIND] = { "kind", 1 }, [E_WHAT] = { "what", 1 }, [E_XWHAT] = { "xwhat", 0 }, [E_TEXT] = { "text", 1 },
	[E_AUXWHAT] = { "auxwhat", 1 }, [E_XAUXWHAT] = { "xauxwhat", 0 }, [E_UNIQUE] = { "unique", 1 },
	[E_TID] = { "tid", 1 }, [E_HTHREADID] = { "hthreadid", 1 }, [E_LEAKEDBYTES] = { "leakedbytes", 1 },
	[E_LEAKEDBLOCKS] = { "leakedblocks", 1 }, [E_SIGNO] = { "signo", 1 }, [E_SIGNAME] = { "signame", 1 },
	[E_SIADDR] = { "siaddr", 1 },
	[E_PROTOCOLVERSION] = { "protocolversion", 1 }, [E_TOOL] = { "tool", 1 },
	[E_PROTOCOLTOOL] = { "protocoltool", 1 }, [E_PID] = { "pid", 1 }, [E_PPID] = { "ppid", 1 },
	[E_ARGV] = { "argv", 0 }, [E_EXE] = { "exe", 1 },
	[E_ERRORCOUNTS] = { "errorcounts", 0 }, [E_SUPPCOUNTS] = { "suppcounts", 0 },
	[E_PAIR] = { "pair", 0 }, [E_COUNT] = { "count", 1 },
};

/* The strings of the error being read.  Its fields point into these
 * blocks, which never move, and are reused from one error to the next: a
 * large file has hundreds of thousands of frame fields. */
struct text_block {
	struct text_block *next;
	size_t used, size;
	char data[];
};

struct parse {
	XML_Parser xp;
	const struct vg_callbacks *cb;
	void *data;
	struct vg_file_info *info;
	unsigned char slots[NAME_SLOTS];    /* enum elem by a hash of its name; E_OTHER: empty */
	unsigned hashes[NAME_SLOTS];        /* the hash of each slot's name */
	unsigned char open[MAX_DEPTH];      /* the open elements */
	int depth;                          /* may exceed MAX_DEPTH: those are not kept */
	int collecting;                     /* the innermost element is a leaf: its text is read */
	char *text;                         /* text of the innermost leaf (in `blocks`), NULL: none yet */
	size_t text_len;
	struct vg_error e;                  /* strings in `blocks`, stacks' arrays reused */
	struct text_block *blocks;
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

static unsigned name_hash(const char *name, size_t *len)
{
	unsigned h = 0;
	size_t n = 0;

	for (; name[n]; n++)
		h = h * 31 + (unsigned char)name[n];
	*len = n;
	return h;
}

static void index_names(struct parse *p)
{
	for (int id = 1; id < NR_ELEMS; id++) {
		size_t len;
		unsigned h = name_hash(elems[id].name, &len), k = h & (NAME_SLOTS - 1);
		while (p->slots[k])
			k = (k + 1) & (NAME_SLOTS - 1);
		p->slots[k] = (unsigned char)id;
		p->hashes[k] = h;
	}
}

/* Which element `name` is: a hash, and one comparison when it is known. */
static enum elem elem_of(const struct parse *p, const char *name)
{
	size_t len;
	unsigned h = name_hash(name, &len), k;

	for (k = h & (NAME_SLOTS - 1); p->slots[k]; k = (k + 1) & (NAME_SLOTS - 1)) {
		const char *known = elems[p->slots[k]].name;
		size_t i = 0;
		if (p->hashes[k] != h)
			continue;
		while (i < len && known[i] == name[i]) /* names are short: no memcmp call */
			i++;
		if (i == len && !known[len])
			return (enum elem)p->slots[k];
	}
	return E_OTHER;
}

/* The element `up` levels above the innermost one (E_OTHER if none or not kept). */
static enum elem parent(const struct parse *p, int up)
{
	int i = p->depth - 1 - up;

	return i >= 0 && i < MAX_DEPTH ? (enum elem)p->open[i] : E_OTHER;
}

static uint64_t digits_of(const char *s, unsigned base, size_t max, int *ok)
{
	uint64_t v = 0;
	size_t n = 0;

	for (;; s++, n++) {
		unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0')
			   : (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f' ? (unsigned)((*s | 0x20) - 'a' + 10) : 99;
		if (d >= base)
			break;
		v = v * base + d;
	}
	*ok = n && n <= max;
	return v;
}

/* Decimal, or 0x... for <unique> and <ip>: strtoull's answer, written out
 * for the plain forms Valgrind writes (hundreds of thousands of them). */
static uint64_t number(const char *s)
{
	uint64_t v = 0;
	int ok = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		v = digits_of(s + 2, 16, 16, &ok);
	else if (s[0] >= '1' && s[0] <= '9')
		v = digits_of(s, 10, 19, &ok);
	return ok ? v : strtoull(s, NULL, 0);
}

/* The newest block, with room for n bytes and a NUL after those it holds. */
static struct text_block *block_with_room(struct parse *p, size_t n)
{
	struct text_block *b = p->blocks;

	if (!b || b->size - b->used < n + 1) {
		size_t size = n + 1 > TEXT_BLOCK ? n + 1 : TEXT_BLOCK;
		b = ma_malloc(sizeof(*b) + size);
		b->next = p->blocks;
		b->used = 0;
		b->size = size;
		p->blocks = b;
	}
	return b;
}

/* A copy of s[0..len) that lives until the next error. */
static char *keep_text(struct parse *p, const char *s, size_t len)
{
	struct text_block *b = block_with_room(p, len);
	char *copy = b->data + b->used;

	memcpy(copy, s, len);
	copy[len] = '\0';
	b->used += len + 1;
	return copy;
}

/* Add s[0..len) to the innermost leaf's text: read straight into the
 * blocks, where the error's fields then point. */
static void add_text(struct parse *p, const char *s, size_t len)
{
	struct text_block *b = p->blocks;

	if (p->text && p->text + p->text_len + 1 == b->data + b->used && b->size - b->used >= len) {
		memcpy(p->text + p->text_len, s, len); /* the text is the newest: it grows in place */
		b->used += len;
	} else {
		char *old = p->text;
		b = block_with_room(p, p->text_len + len);
		p->text = b->data + b->used;
		if (old)
			memcpy(p->text, old, p->text_len);
		memcpy(p->text + p->text_len, s, len);
		b->used += p->text_len + len + 1;
	}
	p->text_len += len;
	p->text[p->text_len] = '\0';
}

/* The innermost leaf's text ("" when it has none). */
static const char *text_of(const struct parse *p)
{
	return p->text ? p->text : "";
}

static void set_text(struct parse *p, char **field)
{
	*field = p->text ? p->text : keep_text(p, "", 0);
}

/* Forget the last error's strings: one block is kept for the next. */
static void forget_texts(struct parse *p)
{
	while (p->blocks && p->blocks->next) {
		struct text_block *next = p->blocks->next;
		free(p->blocks);
		p->blocks = next;
	}
	if (p->blocks)
		p->blocks->used = 0;
}

/* Zero the error for the next one, keeping its stacks' arrays. */
static void reset_error(struct parse *p)
{
	struct vg_error *e = &p->e;
	struct vg_stack keep[1 + VG_MAX_AUX];

	keep[0] = e->stack;
	for (size_t i = 0; i < VG_MAX_AUX; i++)
		keep[1 + i] = e->aux[i].stack;
	memset(e, 0, sizeof(*e));
	e->stack = (struct vg_stack){ .v = keep[0].v, .alloc = keep[0].alloc };
	for (size_t i = 0; i < VG_MAX_AUX; i++)
		e->aux[i].stack = (struct vg_stack){ .v = keep[1 + i].v, .alloc = keep[1 + i].alloc };
	forget_texts(p);
}

static void free_error_storage(struct parse *p)
{
	free(p->e.stack.v);
	for (size_t i = 0; i < VG_MAX_AUX; i++)
		free(p->e.aux[i].stack.v);
	forget_texts(p);
	free(p->blocks);
	p->blocks = NULL;
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

static void begin_error(struct parse *p, enum elem id)
{
	reset_error(p);
	p->in_error = 1;
	p->e.fatal = id == E_FATAL_SIGNAL;
	if (id == E_ANNOUNCETHREAD)
		p->e.kind = keep_text(p, "AnnounceThread", strlen("AnnounceThread"));
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct parse *p = data;
	int i = 0;

	if (!p->collecting)
		return;
	/* no leaf's text starts with blanks */
	if (!p->text_len)
		while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
			i++;
	if (i < len)
		add_text(p, s + i, (size_t)(len - i));
}

/* Read the text of the innermost element when it is a leaf.  (The white
 * space between elements, the text of the others, never reaches expat.) */
static void collect_text(struct parse *p, enum elem id)
{
	p->text = NULL;
	p->text_len = 0;
	p->collecting = elems[id].leaf;
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	struct parse *p = data;
	enum elem id = elem_of(p, name);

	(void)attrs;
	if (p->depth == 0 && id != E_VALGRINDOUTPUT) {
		p->not_valgrind = 1;
		XML_StopParser(p->xp, XML_FALSE);
		return;
	}
	p->saw_root = 1;
	if (p->depth < MAX_DEPTH)
		p->open[p->depth] = (unsigned char)id;
	p->depth++;
	collect_text(p, id);
	if (p->depth == 2 && (id == E_ERROR || id == E_FATAL_SIGNAL || id == E_ANNOUNCETHREAD)) {
		begin_error(p, id);
	} else if (p->in_error && id == E_STACK) {
		start_stack(p);
	} else if (p->stack && id == E_FRAME) {
		ALLOC_GROW(p->stack->v, p->stack->nr + 1, p->stack->alloc);
		memset(&p->stack->v[p->stack->nr++], 0, sizeof(*p->stack->v));
	}
}

static void end_frame_field(struct parse *p, enum elem id)
{
	struct vg_frame *f = &p->stack->v[p->stack->nr - 1];

	switch (id) {
	case E_FN: set_text(p, &f->fn); break;
	case E_OBJ: set_text(p, &f->obj); break;
	case E_DIR: set_text(p, &f->dir); break;
	case E_FILE: set_text(p, &f->file); break;
	case E_LINE: f->line = (unsigned)number(text_of(p)); break;
	case E_IP: f->ip = number(text_of(p)); break;
	default: break;
	}
}

static void end_error_field(struct parse *p, enum elem id)
{
	struct vg_error *e = &p->e;
	enum elem up = parent(p, 1);
	struct vg_aux *a;

	if (id == E_KIND) {
		set_text(p, &e->kind);
	} else if (id == E_WHAT && up == (e->fatal ? E_FATAL_SIGNAL : E_ERROR)) {
		set_text(p, &e->what);
	} else if (id == E_TEXT && up == E_XWHAT && !e->what) {
		set_text(p, &e->what);
	} else if (id == E_AUXWHAT || (id == E_TEXT && up == E_XAUXWHAT)) {
		if ((a = next_aux(e)))
			set_text(p, &a->what);
	} else if (id == E_UNIQUE) {
		e->unique = number(text_of(p));
	} else if (id == E_TID) {
		e->tid = (unsigned)number(text_of(p));
	} else if (id == E_HTHREADID && !e->hthread && (up == E_XWHAT || up == E_ANNOUNCETHREAD)) {
		e->hthread = (unsigned)number(text_of(p));
	} else if (id == E_LEAKEDBYTES) {
		e->leaked_bytes = number(text_of(p));
	} else if (id == E_LEAKEDBLOCKS) {
		e->leaked_blocks = number(text_of(p));
	} else if (id == E_SIGNO) {
		e->signo = (int)number(text_of(p));
	} else if (id == E_SIGNAME) {
		set_text(p, &e->signame);
	} else if (id == E_SIADDR) {
		e->siaddr = number(text_of(p));
		e->has_siaddr = 1;
	}
}

static void end_error(struct parse *p)
{
	p->in_error = 0;
	p->stack = NULL;
	if (p->e.fatal && !p->e.kind)
		p->e.kind = keep_text(p, "FatalSignal", strlen("FatalSignal"));
	if (strcmp(p->e.kind ? p->e.kind : "", "AnnounceThread"))
		p->info->errors++;
	if (p->cb->error && p->cb->error(&p->e, p->data)) {
		p->stopped = 1;
		XML_StopParser(p->xp, XML_FALSE);
	}
}

/* Outside errors: the file's header, <errorcounts> and <suppcounts>. */
static void end_file_field(struct parse *p, enum elem id)
{
	struct vg_file_info *info = p->info;
	enum elem up = parent(p, 1);

	if (id == E_PROTOCOLVERSION)
		info->protocol = (int)number(text_of(p));
	else if (id == E_TOOL || id == E_PROTOCOLTOOL)
		snprintf(info->tool, sizeof(info->tool), "%s", text_of(p));
	else if (id == E_PID && p->depth == 2)
		info->pid = (long)number(text_of(p));
	else if (id == E_PPID && p->depth == 2)
		info->ppid = (long)number(text_of(p));
	else if (id == E_EXE && up == E_ARGV && !info->exe)
		info->exe = ma_strdup(text_of(p));
	else if (id == E_COUNT && up == E_PAIR)
		p->pair_count = number(text_of(p));
	else if (id == E_UNIQUE && up == E_PAIR)
		p->pair_unique = number(text_of(p));
	else if (id == E_PAIR && up == E_ERRORCOUNTS && p->cb->count)
		p->cb->count(p->pair_unique, p->pair_count, p->data);
	else if (id == E_PAIR && up == E_SUPPCOUNTS)
		info->suppressed += p->pair_count;
	else if (id == E_VALGRINDOUTPUT)
		info->complete = 1;
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
	struct parse *p = data;
	enum elem id = p->depth <= MAX_DEPTH ? (enum elem)p->open[p->depth - 1] : elem_of(p, name);

	if (p->in_error && p->depth == 2)
		end_error(p);
	else if (p->stack && p->stack->nr && parent(p, 1) == E_FRAME)
		end_frame_field(p, id);
	else if (p->in_error && id == E_STACK)
		p->stack = NULL;
	else if (p->in_error)
		end_error_field(p, id);
	else
		end_file_field(p, id);
	if (!p->in_error) /* the header's and the counts' texts are read at once */
		forget_texts(p);
	p->depth--;
	collect_text(p, parent(p, 0)); /* text after a child is the parent's again */
}

/*
 * The white space between elements, taken out before expat sees it:
 * Valgrind indents every line, and expat makes a token of each run of
 * blanks and of each newline (a third of the tokens of a large file, a
 * fifth of its bytes).  A run between '>' and '<' loses its blanks, and
 * its newlines move into the tag before it ("<frame>\n  <fn>" is read as
 * "<frame\n><fn>"), so that expat's line numbers stay the file's.  A '>'
 * that takes no white space before it ("<a/>", "?>", "-->", "]]>") keeps
 * the newlines after it, and so does a run that reaches the end of a piece
 * (nothing waits for the next: a whole file's end reaches expat at once).
 * Valgrind writes '>' in text as "&gt;", so a '>' always ends markup, and
 * text keeps all of its blanks.
 */
struct squeeze {
	char last;           /* the last byte of the last piece */
};

/* Does a '>' after c end a tag that may take white space before the '>'
 * (a name, or an attribute's value)? */
static inline int spaced_tag_end(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || c == ':' || c == '"' || c == '\'';
}

/*
 * '>' and the run of white space ws[0..n) after it, which a '<' follows
 * or not; o already holds the run's newlines, written while it was read
 * (nl is their end).
 */
static char *put_run(char *o, char *nl, const char *ws, size_t n, int tag_spaced, int before_lt)
{
	if (!before_lt) {
		*o++ = '>';
		memcpy(o, ws, n);
		return o + n;
	}
	if (tag_spaced) {
		*nl++ = '>';
		return nl;
	}
	memmove(o + 1, o, (size_t)(nl - o));
	*o = '>';
	return nl + 1;
}

#define LITTLE_ENDIAN_WORDS (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) /* the first byte is the lowest */

/* Copy in[i..) to *o up to the next '>' (or n); where it is.  Eight bytes
 * at a time: between two '>' there are a dozen, too few for memchr. */
static size_t copy_to_gt(const char *in, size_t i, size_t n, char **o)
{
	const uint64_t ones = 0x0101010101010101ULL, gts = 0x3e3e3e3e3e3e3e3eULL;
	char *out = *o;

	for (; LITTLE_ENDIAN_WORDS && i + 8 <= n; i += 8, out += 8) {
		uint64_t w, x, found;
		memcpy(&w, in + i, 8);
		memcpy(out, &w, 8); /* out never passes in: there is room */
		x = w ^ gts;
		found = (x - ones) & ~x & (ones << 7); /* its lowest bit marks the first '>' */
		if (found) {
			size_t k = (size_t)__builtin_ctzll(found) / 8;
			*o = out + k;
			return i + k;
		}
	}
	for (; i < n && in[i] != '>'; i++)
		*out++ = in[i];
	*o = out;
	return i;
}

/* in[0..n) squeezed into out, which has room for n bytes; the end of what was written. */
static char *squeeze(struct squeeze *sq, const char *in, size_t n, char *o)
{
	size_t i = 0, j;
	char *nl;

	while (i < n) {
		size_t at = copy_to_gt(in, i, n, &o);
		if (at == n)
			break;
		for (nl = o, j = at + 1; j < n; j++) { /* blanks most, then newlines */
			if (in[j] == ' ' || in[j] == '\t')
				continue;
			if (in[j] != '\n' && in[j] != '\r')
				break;
			*nl++ = in[j];
		}
		if (j == at + 1) { /* text, or a tag, right after the '>' */
			*o++ = '>';
			i = j;
			continue;
		}
		o = put_run(o, nl, in + at + 1, j - at - 1, spaced_tag_end(at ? in[at - 1] : sq->last),
			    j < n && in[j] == '<');
		i = j;
	}
	if (n)
		sq->last = in[n - 1];
	return o;
}

struct vg_reader {
	struct parse p;
	struct squeeze sq;
	char *path;
	int no_parser;   /* expat could not be created */
	int failed;      /* expat stopped: an error, or the callback or not_valgrind stopped it */
	int at_end;      /* ... at the end of the input */
};

struct vg_reader *vg_reader_new(const char *path, const struct vg_callbacks *cb, void *data,
				struct vg_file_info *info)
{
	struct vg_reader *r = ma_calloc(1, sizeof(*r));

	memset(info, 0, sizeof(*info));
	r->path = ma_strdup(path);
	r->p = (struct parse){ .cb = cb, .data = data, .info = info };
	r->p.xp = XML_ParserCreate(NULL);
	r->no_parser = !r->p.xp;
	if (r->no_parser)
		return r;
	index_names(&r->p);
	XML_SetUserData(r->p.xp, &r->p);
	XML_SetElementHandler(r->p.xp, on_start, on_end);
	XML_SetCharacterDataHandler(r->p.xp, on_text);
	return r;
}

/* Squeeze buf[0..len) into expat's buffer and parse it. */
static void parse_bytes(struct vg_reader *r, const char *buf, size_t len, int last)
{
	char *in, *end;

	if (r->no_parser || r->failed)
		return;
	if (!len) {
		if (XML_Parse(r->p.xp, "", 0, last) != XML_STATUS_OK) {
			r->failed = 1;
			r->at_end = last;
		}
		return;
	}
	if (!(in = XML_GetBuffer(r->p.xp, (int)len))) { /* out of memory */
		r->failed = 1;
		return;
	}
	end = squeeze(&r->sq, buf, len, in);
	if (XML_ParseBuffer(r->p.xp, (int)(end - in), last) != XML_STATUS_OK) {
		r->failed = 1;
		r->at_end = last;
	}
}

int vg_reader_feed(struct vg_reader *r, const char *buf, size_t len)
{
	while (len && !r->failed && !r->no_parser) { /* expat takes an int */
		size_t n = len < CHUNK ? len : CHUNK;
		parse_bytes(r, buf, n, 0);
		buf += n;
		len -= n;
	}
	return r->failed || r->no_parser;
}

/* Did the input end inside an element or a tag (the writer was killed)?
 * Anything else is malformed. */
static int cut_short(const struct vg_reader *r)
{
	enum XML_Error code = XML_GetErrorCode(r->p.xp);

	return r->at_end && (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
			     code == XML_ERROR_PARTIAL_CHAR);
}

int vg_reader_finish(struct vg_reader *r, struct strbuf *err)
{
	const struct parse *p = &r->p;

	parse_bytes(r, "", 0, 1);
	if (r->no_parser) {
		strbuf_addf(err, "%s: out of memory for the XML parser", r->path);
	} else if (p->not_valgrind) {
		strbuf_addf(err, "%s: not Valgrind XML output (no <valgrindoutput>)", r->path);
	} else if (!p->saw_root) {
		strbuf_addf(err, "%s: empty, or not Valgrind XML output", r->path);
	} else if (r->failed && !p->stopped && !cut_short(r)) {
		/* garbage before the end; a file cut short (the process was
		 * killed while writing) is only incomplete */
		strbuf_addf(err, "%s:%lu: %s", r->path, (unsigned long)XML_GetCurrentLineNumber(p->xp),
			    XML_ErrorString(XML_GetErrorCode(p->xp)));
	} else {
		return 0;
	}
	return -1;
}

void vg_reader_free(struct vg_reader *r)
{
	if (!r)
		return;
	free_error_storage(&r->p);
	if (r->p.xp)
		XML_ParserFree(r->p.xp);
	free(r->path);
	free(r);
}

int vg_parse_stream(FILE *in, const char *path, const struct vg_callbacks *cb, void *data,
		    struct vg_file_info *info, struct strbuf *err)
{
	struct vg_reader *r = vg_reader_new(path, cb, data, info);
	char *buf = ma_malloc(CHUNK);
	size_t n;
	int ret;

	while ((n = fread(buf, 1, CHUNK, in)) > 0 && !vg_reader_feed(r, buf, n))
		;
	if (ferror(in)) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		ret = -1;
	} else {
		ret = vg_reader_finish(r, err);
	}
	free(buf);
	vg_reader_free(r);
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
