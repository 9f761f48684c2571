/*
 * callgrind's output file (see callgrind.h).  The format is Valgrind's
 * "Callgrind Format Specification", version 1 (docs/html/cl-format.html);
 * callgrind 3.19 writes, one item per line:
 *
 *   # callgrind format
 *   version: 1
 *   pid: 20971
 *   cmd:  ./hot                       (a blank, then the command line)
 *   desc: I1 cache: ...               (ignored, with creator:, part:, thread:, event:)
 *   positions: line                   the columns that start a cost line: "instr bb line", in that order, any of them
 *   events: Ir                        one cost per event on each cost line ("Ir Ge" with --collect-bus, nine with --cache-sim)
 *   summary: 3286039                  the whole run's cost
 *
 *   ob=(5) /tmp/hot                   the ELF object of the functions that follow
 *   fl=(146) /tmp/hot.c               their source file
 *   fn=(548) checksum                 the function the cost lines below belong to
 *   10 200                            a cost line: the positions, then the costs (missing ones are 0)
 *   +1 50                             a position relative to the last cost line's: +N, -N, or * (the same)
 *   fi=(167) ./libio/libioP.h         code inlined from another file, up to fe= (back): still the same function
 *   940 7
 *   cob=(3) /usr/lib/libc.so.6        a call: the callee's object, file (cfi= or cfl=) and name,
 *   cfi=(148) ./string/memset.S         object and file defaulting to the caller's
 *   cfn=(546) __memset_avx2_unaligned_erms
 *   calls=1 167                       times called, and where the callee starts;
 *   * 4112                            then where the call is, and its inclusive cost
 *   jump=3 +4, jcnd=2/5 +4            jumps (--collect-jumps), with jfi= and jfn=; then a position line
 *   totals: 3286039                   the sum of the cost lines: the file's last line
 *
 * Name compression: "(id) name" names id, "(id)" refers to it.  There is
 * one id space for objects (ob, cob), one for files (fl, fi, fe, cfi, cfl,
 * jfi) and one for functions (fn, cfn, jfn, frfn); a function's id stands
 * for the function it named, in the file and object it was named in.
 * "fact'2" is fact's second level of recursion (--separate-recs), "f'g"
 * f when called from g (--separate-callers): both are read as f.
 *
 * Costs: a function's self cost is the sum of its cost lines; its
 * inclusive cost adds the cost lines of its calls, except those of calls
 * to itself: a recursion's cost is already the function's own.  Recursion
 * through another function (f calls g calls f) is counted twice, as
 * callgrind_annotate does.  A call's position and a jump's are written
 * relative to the last cost line without becoming the last one themselves
 * (callgrind's dump.c), so they do not move the base of the next relative
 * position.  A function's line is its first cost line in its own file:
 * callgrind writes a function's code by address, so that is its entry.
 */
#include "callgrind.h"
#include "cost_profile.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/report.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ID (1L << 24)    /* a larger compressed id is a corrupt file, not a larger table */
#define MAX_POSITIONS 3      /* instr, bb, line */

struct names {               /* the names of compressed object or file ids */
	char **v;
	size_t nr, alloc;
};

struct reader {
	struct ma_cost_profile *p;
	struct cost_tables t;
	const char *name;        /* the file's, for messages */
	size_t lineno;
	const char *text;        /* the line being read */
	struct strbuf *err;
	struct names objects, files;
	long *fn_ids;            /* a compressed function id's index in p->functions; -1: none */
	size_t nr_fn_ids, alloc_fn_ids;
	struct strbuf object, file, subfile; /* ob=, fl=, and fi= or fe= */
	long fn;                 /* the function the cost lines go to; -1 before the first fn= */
	struct strbuf call_object, call_file, jump_file; /* cob=, cfi=, jfi=: for the next cfn= or jfn= */
	int has_call_object, has_call_file, has_jump_file;
	long callee;
	uint64_t calls;
	enum { NEXT_COST, NEXT_CALL, NEXT_JUMP } next; /* what the next cost line is */
	int nr_positions, line_at; /* columns of positions; the line's (-1: none) */
	uint64_t last[MAX_POSITIONS];
	uint64_t *cost;          /* the costs on the line being read */
	uint64_t *read;          /* the sum of the cost lines read */
	uint64_t *summary;
	int has_summary, has_totals;
	int part_open;           /* an events: line whose totals: line has not come yet */
	struct strbuf scratch;
};

__attribute__((format(printf, 2, 3)))
static int bad(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	strbuf_addf(r->err, "%s:%zu: ", r->name, r->lineno);
	va_start(ap, fmt);
	strbuf_vaddf(r->err, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *skip_blanks(const char *s)
{
	return s + strspn(s, " \t");
}

/* A number at *s (decimal, or hexadecimal after "0x") and the blanks
 * after it; *s moves past them. */
static int read_number(const char **s, uint64_t *v)
{
	const char *p = *s;
	int hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
	char *end;

	p += hex ? 2 : 0;
	if (!(hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)))
		return -1;
	errno = 0;
	*v = strtoull(p, &end, hex ? 16 : 10);
	if (errno || (*end && *end != ' ' && *end != '\t'))
		return -1;
	*s = skip_blanks(end);
	return 0;
}

static void add_costs(uint64_t *to, const uint64_t *from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		to[i] += from[i];
}

/* ------------------------------------------------------------------ names */

/* "(12) name" names id 12, "(12)" refers to it, "name" is itself: *id
 * (-1 without one) and *name ("" in a reference). */
static int split_name(struct reader *r, const char *value, long *id, const char **name)
{
	char *end;
	long n;

	*id = -1;
	*name = value;
	if (value[0] != '(' || !isdigit((unsigned char)value[1]))
		return 0;
	n = strtol(value + 1, &end, 10);
	if (*end != ')' || n >= MAX_ID)
		return bad(r, "'%.60s' is not a compressed name", value);
	*id = n;
	*name = skip_blanks(end + 1);
	return 0;
}

static void define_name(struct names *ids, long id, const char *name)
{
	size_t need = (size_t)id + 1;

	if (need > ids->nr) {
		ALLOC_GROW(ids->v, need, ids->alloc);
		memset(ids->v + ids->nr, 0, (need - ids->nr) * sizeof(*ids->v));
		ids->nr = need;
	}
	free(ids->v[id]);
	ids->v[id] = ma_strdup(name);
}

/* An object's or a file's name, through its id, into out. */
static int read_name(struct reader *r, struct names *ids, const char *value, struct strbuf *out)
{
	const char *name;
	long id;

	if (split_name(r, value, &id, &name) < 0)
		return -1;
	if (id >= 0 && !*name) {
		if ((size_t)id >= ids->nr || !ids->v[id])
			return bad(r, "name (%ld) is used before it is defined", id);
		name = ids->v[id];
	} else if (id >= 0) {
		define_name(ids, id, name);
	}
	strbuf_reset(out);
	strbuf_addstr(out, name);
	return 0;
}

static void define_function(struct reader *r, long id, long fn)
{
	size_t need = (size_t)id + 1;

	if (need > r->nr_fn_ids) {
		ALLOC_GROW(r->fn_ids, need, r->alloc_fn_ids);
		for (size_t i = r->nr_fn_ids; i < need; i++)
			r->fn_ids[i] = -1;
		r->nr_fn_ids = need;
	}
	r->fn_ids[id] = fn;
}

/* "fact'2" (a recursion level) and "f'g" (f called from g) are f. */
static size_t unmangled_len(const char *name)
{
	size_t n = strcspn(name, "'");

	return n ? n : strlen(name);
}

/* The function a fn=, cfn= or jfn= value names; a new one is at (file, object). */
static int read_function(struct reader *r, const char *value, const char *file, const char *object, long *out)
{
	const char *name;
	long id;

	if (split_name(r, value, &id, &name) < 0)
		return -1;
	if (id >= 0 && !*name) {
		if ((size_t)id >= r->nr_fn_ids || r->fn_ids[id] < 0)
			return bad(r, "function (%ld) is used before it is defined", id);
		*out = r->fn_ids[id];
		return 0;
	}
	if (!*name)
		return bad(r, "a function without a name");
	if (!r->p->events.nr)
		return bad(r, "a function before the events: line");
	strbuf_reset(&r->scratch);
	strbuf_add(&r->scratch, name, unmangled_len(name));
	*out = (long)cost_function_get(r->p, &r->t, r->scratch.buf, file, object);
	if (id >= 0)
		define_function(r, id, *out);
	return 0;
}

/* ------------------------------------------------------------ cost lines */

/* The positions that start a cost line: absolute, or relative to the
 * last cost line's (+N, -N, *). */
static int read_positions(struct reader *r, const char **s, uint64_t *pos)
{
	for (int i = 0; i < r->nr_positions; i++) {
		const char *p = *s;
		char sign = *p == '+' || *p == '-' || *p == '*' ? *p++ : 0;
		uint64_t n = 0;

		if (sign == '*' && (!*p || *p == ' ' || *p == '\t'))
			p = skip_blanks(p);
		else if (sign == '*' || read_number(&p, &n) < 0)
			return bad(r, "'%.60s' is not a cost line", r->text);
		if (sign == '-' && n > r->last[i])
			return bad(r, "a relative position before 0 in '%.60s'", r->text);
		pos[i] = sign == '+' ? r->last[i] + n : sign == '-' ? r->last[i] - n : sign == '*' ? r->last[i] : n;
		*s = p;
	}
	return 0;
}

/* One cost per event (fewer: the others are 0) into r->cost. */
static int read_costs(struct reader *r, const char *s)
{
	size_t nev = r->p->events.nr;

	memset(r->cost, 0, nev * sizeof(*r->cost));
	for (size_t i = 0; *s; i++) {
		if (i == nev)
			return bad(r, "more costs than the %zu event%s in '%.60s'", nev, nev == 1 ? "" : "s", r->text);
		if (read_number(&s, &r->cost[i]) < 0)
			return bad(r, "'%.60s' is not a cost line", r->text);
	}
	return 0;
}

static void add_self(struct reader *r, const uint64_t *pos)
{
	struct ma_cost_function *f = &r->p->functions[r->fn];
	size_t nev = r->p->events.nr;

	memcpy(r->last, pos, sizeof(r->last));
	add_costs(f->self, r->cost, nev);
	add_costs(f->inclusive, r->cost, nev);
	add_costs(r->read, r->cost, nev);
	if (!f->line && r->line_at >= 0 && pos[r->line_at] && !strcmp(r->subfile.buf, f->file))
		f->line = pos[r->line_at] > UINT32_MAX ? 0 : (unsigned)pos[r->line_at];
}

static void add_call(struct reader *r)
{
	size_t nev = r->p->events.nr;
	size_t e = cost_edge_get(r->p, &r->t, (size_t)r->fn, (size_t)r->callee);

	r->p->edges[e].calls += r->calls;
	add_costs(r->p->edges[e].inclusive, r->cost, nev);
	r->p->functions[r->callee].calls += r->calls;
	if (r->callee != r->fn) /* a recursion's cost is the function's own already */
		add_costs(r->p->functions[r->fn].inclusive, r->cost, nev);
}

static int cost_line(struct reader *r, const char *s)
{
	uint64_t pos[MAX_POSITIONS] = { 0 };
	int next = r->next;

	if (!r->p->events.nr)
		return bad(r, "a cost line before the events: line");
	if (r->fn < 0)
		return bad(r, "a cost line outside any function (no fn= line before it)");
	if (read_positions(r, &s, pos) < 0 || read_costs(r, s) < 0)
		return -1;
	r->next = NEXT_COST;
	if (next == NEXT_CALL)
		add_call(r);
	else if (next == NEXT_COST)
		add_self(r, pos);
	return 0;
}

/* --------------------------------------------------------- specifications */

static int ignore(struct reader *r, const char *value)
{
	(void)r;
	(void)value;
	return 0;
}

static int read_ob(struct reader *r, const char *value)
{
	return read_name(r, &r->objects, value, &r->object);
}

static int read_fl(struct reader *r, const char *value)
{
	if (read_name(r, &r->files, value, &r->file) < 0)
		return -1;
	strbuf_reset(&r->subfile);
	strbuf_addbuf(&r->subfile, &r->file);
	return 0;
}

static int read_fi(struct reader *r, const char *value)
{
	return read_name(r, &r->files, value, &r->subfile);
}

static int read_fn(struct reader *r, const char *value)
{
	strbuf_reset(&r->subfile);
	strbuf_addbuf(&r->subfile, &r->file);
	return read_function(r, value, r->file.buf, r->object.buf, &r->fn);
}

static int read_cob(struct reader *r, const char *value)
{
	r->has_call_object = 1;
	return read_name(r, &r->objects, value, &r->call_object);
}

static int read_cfi(struct reader *r, const char *value)
{
	r->has_call_file = 1;
	return read_name(r, &r->files, value, &r->call_file);
}

/* The callee is in the caller's object and current file unless cob= and cfi= said otherwise just before. */
static int read_cfn(struct reader *r, const char *value)
{
	const char *file = r->has_call_file ? r->call_file.buf : r->subfile.buf;
	const char *object = r->has_call_object ? r->call_object.buf : r->object.buf;

	r->has_call_file = r->has_call_object = 0;
	return read_function(r, value, file, object, &r->callee);
}

static int read_calls(struct reader *r, const char *value)
{
	if (r->fn < 0 || r->callee < 0)
		return bad(r, "calls= without a fn= and a cfn= line before it");
	if (read_number(&value, &r->calls) < 0)
		return bad(r, "'%.60s' has no call count", r->text);
	r->next = NEXT_CALL; /* the callee's position that follows is not needed */
	return 0;
}

static int read_jump(struct reader *r, const char *value)
{
	(void)value;
	r->next = NEXT_JUMP;
	return 0;
}

static int read_jfi(struct reader *r, const char *value)
{
	r->has_jump_file = 1;
	return read_name(r, &r->files, value, &r->jump_file);
}

/* Jumps are not kept, but their names define ids later lines use. */
static int read_jfn(struct reader *r, const char *value)
{
	const char *file = r->has_jump_file ? r->jump_file.buf : r->subfile.buf;
	long target;

	r->has_jump_file = 0;
	return read_function(r, value, file, r->object.buf, &target);
}

static const struct spec {
	const char *key;
	int (*read)(struct reader *r, const char *value);
} specs[] = {
	{ "ob", read_ob }, { "fl", read_fl }, { "fi", read_fi }, { "fe", read_fi }, { "fn", read_fn },
	{ "cob", read_cob }, { "cfi", read_cfi }, { "cfl", read_cfi }, { "cfn", read_cfn }, { "calls", read_calls },
	{ "jump", read_jump }, { "jcnd", read_jump }, { "jfi", read_jfi }, { "jfn", read_jfn }, { "frfn", read_jfn },
	{ "rec", ignore }, { "ln", ignore }, { "bb", ignore },
};

/* --------------------------------------------------------------- headers */

static int read_version(struct reader *r, const char *value)
{
	const char *s = value;
	uint64_t v;

	if (read_number(&s, &v) < 0 || v > 1)
		return bad(r, "format version '%.20s': memaudit reads version 1", value);
	return 0;
}

static int read_pid(struct reader *r, const char *value)
{
	r->p->pid = strtol(value, NULL, 10);
	return 0;
}

static int read_cmd(struct reader *r, const char *value)
{
	if (*value && !r->p->commands.nr)
		strvec_push(&r->p->commands, value);
	return 0;
}

/* The blank-separated words of s. */
static void split_blanks(const char *s, struct strvec *out)
{
	for (s = skip_blanks(s); *s; s = skip_blanks(s)) {
		size_t n = strcspn(s, " \t");
		strvec_push_nodup(out, ma_strndup(s, n));
		s += n;
	}
}

static int read_positions_header(struct reader *r, const char *value)
{
	static const char *const kinds[MAX_POSITIONS] = { "instr", "bb", "line" };
	struct strvec words = STRVEC_INIT;
	size_t k = 0;
	int known = 1;

	split_blanks(value, &words);
	r->nr_positions = 0;
	r->line_at = -1;
	for (size_t i = 0; i < words.nr && known; i++) {
		while (k < MAX_POSITIONS && strcmp(words.v[i], kinds[k]))
			k++;
		known = k < MAX_POSITIONS;
		if (known && !strcmp(kinds[k], "line"))
			r->line_at = r->nr_positions;
		r->nr_positions += known;
		k++;
	}
	strvec_clear(&words);
	memset(r->last, 0, sizeof(r->last));
	if (!known || !r->nr_positions)
		return bad(r, "positions: '%.60s' is not some of instr, bb and line, in that order", value);
	return 0;
}

static int read_events(struct reader *r, const char *value)
{
	struct strvec events = STRVEC_INIT;
	int ret = 0;

	split_blanks(value, &events);
	if (!events.nr) {
		ret = bad(r, "events: names no event");
	} else if (r->p->events.nr && !strvec_equal(&r->p->events, &events)) {
		ret = bad(r, "events: '%.60s' differ from the file's first events: line", value);
	} else if (!r->p->events.nr) {
		cost_profile_set_events(r->p, &events);
		r->cost = ma_calloc(events.nr, sizeof(*r->cost));
		r->read = ma_calloc(events.nr, sizeof(*r->read));
		r->summary = ma_calloc(events.nr, sizeof(*r->summary));
	}
	r->part_open = !ret;
	strvec_clear(&events);
	return ret;
}

static int read_summary(struct reader *r, const char *value)
{
	if (!r->p->events.nr)
		return bad(r, "summary: before the events: line");
	if (read_costs(r, value) < 0)
		return -1;
	memcpy(r->summary, r->cost, r->p->events.nr * sizeof(*r->cost));
	r->has_summary = 1;
	return 0;
}

/* The end of a part (of the file, but for --combine-dumps). */
static int read_totals(struct reader *r, const char *value)
{
	if (!r->p->events.nr)
		return bad(r, "totals: before the events: line");
	if (read_costs(r, value) < 0)
		return -1;
	add_costs(r->p->totals, r->cost, r->p->events.nr);
	r->has_totals = 1;
	r->part_open = 0;
	return 0;
}

static const struct spec headers[] = {
	{ "version", read_version }, { "pid", read_pid }, { "cmd", read_cmd },
	{ "positions", read_positions_header }, { "events", read_events }, { "summary", read_summary },
	{ "totals", read_totals },
};

/* ----------------------------------------------------------------- lines */

static const struct spec *find(const struct spec *table, size_t n, const char *key, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(table[i].key) == len && !strncmp(table[i].key, key, len))
			return &table[i];
	return NULL;
}

/* "key=value" and "key: value" lines.  An unknown header ("creator:",
 * "desc:", a newer callgrind's) describes the run and is skipped; an
 * unknown specification would put costs in the wrong place, so it stops
 * the reading. */
static int keyed_line(struct reader *r, const char *l, size_t len)
{
	const struct spec *s;
	int is_spec = l[len] == '=';

	if (r->next != NEXT_COST)
		return bad(r, "a calls= or jump= line is not followed by its cost line");
	if (is_spec)
		s = find(specs, sizeof(specs) / sizeof(specs[0]), l, len);
	else
		s = find(headers, sizeof(headers) / sizeof(headers[0]), l, len);
	if (!s && is_spec)
		return bad(r, "unknown specification '%.*s='", (int)len, l);
	return s ? s->read(r, skip_blanks(l + len + 1)) : 0;
}

static int read_line(struct reader *r, const char *l)
{
	size_t len;

	r->text = l;
	l = skip_blanks(l);
	len = strspn(l, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
	if (!*l || *l == '#')
		return 0;
	if (len && (l[len] == '=' || l[len] == ':'))
		return keyed_line(r, l, len);
	if (isdigit((unsigned char)*l) || *l == '+' || *l == '-' || *l == '*')
		return cost_line(r, l);
	if (len && strchr(l, ':')) /* a header with blanks in its key: "timeframe (BB): ..." */
		return keyed_line(r, l, strcspn(l, ":"));
	return bad(r, "'%.60s' is not a line of callgrind's format", l);
}

/* The file must end after its totals: line. */
static int check_end(struct reader *r)
{
	const char *event = r->p->events.nr ? r->p->events.v[0] : "";

	if (!r->p->events.nr) {
		strbuf_addf(r->err, "%s: no events: line: not a callgrind profile, or an empty one", r->name);
		return -1;
	}
	if (r->next != NEXT_COST)
		return bad(r, "cut short after a calls= or jump= line (the process was killed while callgrind wrote it)");
	if (!r->part_open)
		return 0;
	bad(r, "cut short: no totals: line (the process was killed while callgrind wrote it); %llu %s read",
	    (unsigned long long)r->read[0], event);
	if (r->has_summary)
		strbuf_addf(r->err, " of %llu", (unsigned long long)r->summary[0]);
	return -1;
}

static void release_names(struct names *ids)
{
	for (size_t i = 0; i < ids->nr; i++)
		free(ids->v[i]);
	free(ids->v);
}

static void reader_release(struct reader *r)
{
	cost_tables_release(&r->t);
	release_names(&r->objects);
	release_names(&r->files);
	free(r->fn_ids);
	strbuf_release(&r->object);
	strbuf_release(&r->file);
	strbuf_release(&r->subfile);
	strbuf_release(&r->call_object);
	strbuf_release(&r->call_file);
	strbuf_release(&r->jump_file);
	strbuf_release(&r->scratch);
	free(r->cost);
	free(r->read);
	free(r->summary);
}

int ma_callgrind_parse(FILE *in, const char *name, struct ma_cost_profile *out, struct strbuf *err)
{
	struct reader r = { .p = out, .name = name, .err = err, .fn = -1, .callee = -1, .nr_positions = 1,
			    .line_at = 0, .object = STRBUF_INIT, .file = STRBUF_INIT, .subfile = STRBUF_INIT,
			    .call_object = STRBUF_INIT, .call_file = STRBUF_INIT, .jump_file = STRBUF_INIT,
			    .scratch = STRBUF_INIT };
	struct strbuf line = STRBUF_INIT;
	int ret = 0;

	out->processes = 1;
	while (!ret && strbuf_getline(&line, in) != EOF) {
		r.lineno++;
		ret = read_line(&r, line.buf);
	}
	if (!ret && ferror(in))
		ret = bad(&r, "read error");
	if (!ret)
		ret = check_end(&r);
	/* cut short: the costs of the lines read, not the whole run's */
	if (out->events.nr && (ret < 0 || !r.has_totals))
		memcpy(out->totals, r.read, out->events.nr * sizeof(*r.read));
	reader_release(&r);
	strbuf_release(&line);
	return ret;
}
