/*
 * What the C library's functions do to the abstract state, as data: who
 * allocates (and may return NULL), who releases, who only reads or writes
 * through its pointer arguments (and so keeps nothing), and who returns one
 * of its arguments.  A call that is not here (and has no summary) is
 * treated as unknown: its pointer arguments escape.
 */
#include "flow_internal.h"

#include <stdlib.h>
#include <string.h>

enum model_kind { M_ALLOC, M_DEALLOC, M_REALLOC, M_LOOKUP, M_PLAIN, M_LOCK, M_UNLOCK, M_TRYLOCK };

enum model_flags {
	MF_NEVER_NULL = 1 << 0,   /* allocation cannot fail (operator new) */
	MF_ZEROED = 1 << 1,       /* calloc */
	MF_VARARGS_WRITE = 1 << 2,/* scanf family: pointer arguments after the format are written */
	MF_VARARGS_READ = 1 << 3, /* printf family: pointers after the format are read (%s) */
	MF_FILLED = 1 << 4,       /* strdup: the new block's contents are written */
	MF_ADOPTS = 1 << 5,       /* fdopen: the new handle owns argument 0 once it is obtained */
	MF_RAW_COPY = 1 << 6,     /* memcpy: copies bytes as they are, set or not */
	MF_SIZED = 1 << 7,        /* argument 2 counts the bytes touched: none when it is 0 */
};

struct model {
	const char *name;
	uint8_t kind;
	uint8_t fam;
	uint8_t flags;
	int8_t ret_arg;       /* M_PLAIN: returns this argument, -1 none */
	uint16_t deref;       /* bit i: argument i is dereferenced (must be valid, non-null) */
	uint16_t write;       /* bit i: what argument i points to is written */
	uint8_t varargs_from; /* MF_VARARGS_WRITE: first written argument */
};

#define A(i) (1u << (i))

/* Sorted by name (bsearch). */
static const struct model models[] = {
	{ "accept", M_ALLOC, FAM_FD, 0, -1, 0, 0, 0 },
	{ "aligned_alloc", M_ALLOC, FAM_MALLOC, 0, -1, 0, 0, 0 },
	{ "atof", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "atoi", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "atol", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "bsearch", M_LOOKUP, 0, 0, -1, A(0), 0, 0 },
	{ "calloc", M_ALLOC, FAM_MALLOC, MF_ZEROED, -1, 0, 0, 0 },
	{ "close", M_DEALLOC, FAM_FD, 0, -1, 0, 0, 0 },
	{ "closedir", M_DEALLOC, FAM_DIR, 0, -1, A(0), 0, 0 },
	{ "creat", M_ALLOC, FAM_FD, 0, -1, A(0), 0, 0 },
	{ "delete", M_DEALLOC, FAM_NEW, 0, -1, 0, 0, 0 },
	{ "delete[]", M_DEALLOC, FAM_NEW_ARRAY, 0, -1, 0, 0, 0 },
	{ "dup", M_ALLOC, FAM_FD, 0, -1, 0, 0, 0 },
	{ "fclose", M_DEALLOC, FAM_FILE, 0, -1, A(0), 0, 0 },
	{ "fdopen", M_ALLOC, FAM_FILE, MF_ADOPTS, -1, 0, 0, 0 },
	{ "fdopendir", M_ALLOC, FAM_DIR, MF_ADOPTS, -1, 0, 0, 0 },
	{ "feof", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "ferror", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "fflush", M_PLAIN, 0, 0, -1, 0, 0, 0 },
	{ "fgetc", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "fgets", M_PLAIN, 0, 0, -1, A(0) | A(2), A(0), 0 },
	{ "fileno", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "fopen", M_ALLOC, FAM_FILE, 0, -1, A(0) | A(1), 0, 0 },
	{ "fprintf", M_PLAIN, 0, MF_VARARGS_READ, -1, A(0) | A(1), 0, 2 },
	{ "fputc", M_PLAIN, 0, 0, -1, A(1), 0, 0 },
	{ "fputs", M_PLAIN, 0, 0, -1, A(0) | A(1), 0, 0 },
	{ "fread", M_PLAIN, 0, 0, -1, A(0) | A(3), A(0), 0 },
	{ "free", M_DEALLOC, FAM_MALLOC, 0, -1, 0, 0, 0 },
	{ "fscanf", M_PLAIN, 0, MF_VARARGS_WRITE, -1, A(0) | A(1), 0, 2 },
	{ "fseek", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "ftell", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "fwrite", M_PLAIN, 0, 0, -1, A(0) | A(3), 0, 0 },
	{ "get_current_dir_name", M_ALLOC, FAM_MALLOC, MF_FILLED, -1, 0, 0, 0 },
	{ "getc", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "getenv", M_LOOKUP, 0, 0, -1, A(0), 0, 0 },
	{ "gmtime", M_LOOKUP, 0, 0, -1, A(0), 0, 0 },
	{ "localtime", M_LOOKUP, 0, 0, -1, A(0), 0, 0 },
	{ "malloc", M_ALLOC, FAM_MALLOC, 0, -1, 0, 0, 0 },
	{ "memalign", M_ALLOC, FAM_MALLOC, 0, -1, 0, 0, 0 },
	{ "memchr", M_LOOKUP, 0, 0, -1, A(0), 0, 0 },
	{ "memcmp", M_PLAIN, 0, MF_SIZED, -1, A(0) | A(1), 0, 0 },
	{ "memcpy", M_PLAIN, 0, MF_RAW_COPY | MF_SIZED, 0, A(0) | A(1), A(0), 0 },
	{ "memmove", M_PLAIN, 0, MF_RAW_COPY | MF_SIZED, 0, A(0) | A(1), A(0), 0 },
	{ "memset", M_PLAIN, 0, MF_SIZED, 0, A(0), A(0), 0 },
	{ "mtx_lock", M_LOCK, 0, 0, -1, A(0), 0, 0 },
	{ "mtx_trylock", M_TRYLOCK, 0, 0, -1, A(0), 0, 0 },
	{ "mtx_unlock", M_UNLOCK, 0, 0, -1, A(0), 0, 0 },
	{ "new", M_ALLOC, FAM_NEW, MF_NEVER_NULL, -1, 0, 0, 0 },
	{ "new[]", M_ALLOC, FAM_NEW_ARRAY, MF_NEVER_NULL, -1, 0, 0, 0 },
	{ "open", M_ALLOC, FAM_FD, 0, -1, A(0), 0, 0 },
	{ "openat", M_ALLOC, FAM_FD, 0, -1, A(1), 0, 0 },
	{ "opendir", M_ALLOC, FAM_DIR, 0, -1, A(0), 0, 0 },
	{ "pclose", M_DEALLOC, FAM_PIPE, 0, -1, A(0), 0, 0 },
	{ "popen", M_ALLOC, FAM_PIPE, 0, -1, A(0) | A(1), 0, 0 },
	{ "printf", M_PLAIN, 0, MF_VARARGS_READ, -1, A(0), 0, 1 },
	{ "pthread_mutex_lock", M_LOCK, 0, 0, -1, A(0), 0, 0 },
	{ "pthread_mutex_trylock", M_TRYLOCK, 0, 0, -1, A(0), 0, 0 },
	{ "pthread_mutex_unlock", M_UNLOCK, 0, 0, -1, A(0), 0, 0 },
	{ "pthread_spin_lock", M_LOCK, 0, 0, -1, A(0), 0, 0 },
	{ "pthread_spin_trylock", M_TRYLOCK, 0, 0, -1, A(0), 0, 0 },
	{ "pthread_spin_unlock", M_UNLOCK, 0, 0, -1, A(0), 0, 0 },
	{ "puts", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "qsort", M_PLAIN, 0, 0, -1, 0, A(0), 0 },
	{ "read", M_PLAIN, 0, 0, -1, A(1), A(1), 0 },
	{ "readdir", M_LOOKUP, 0, 0, -1, A(0), 0, 0 },
	{ "realloc", M_REALLOC, FAM_MALLOC, 0, -1, 0, 0, 0 },
	{ "recv", M_PLAIN, 0, 0, -1, A(1), A(1), 0 },
	{ "rewind", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "scanf", M_PLAIN, 0, MF_VARARGS_WRITE, -1, A(0), 0, 1 },
	{ "send", M_PLAIN, 0, 0, -1, A(1), 0, 0 },
	{ "snprintf", M_PLAIN, 0, MF_VARARGS_READ, -1, A(2), A(0), 3 },
	{ "socket", M_ALLOC, FAM_FD, 0, -1, 0, 0, 0 },
	{ "sprintf", M_PLAIN, 0, MF_VARARGS_READ, -1, A(0) | A(1), A(0), 2 },
	{ "sscanf", M_PLAIN, 0, MF_VARARGS_WRITE, -1, A(0) | A(1), 0, 2 },
	{ "strcasecmp", M_PLAIN, 0, 0, -1, A(0) | A(1), 0, 0 },
	{ "strcat", M_PLAIN, 0, 0, 0, A(0) | A(1), A(0), 0 },
	{ "strchr", M_LOOKUP, 0, 0, -1, A(0), 0, 0 },
	{ "strcmp", M_PLAIN, 0, 0, -1, A(0) | A(1), 0, 0 },
	{ "strcpy", M_PLAIN, 0, 0, 0, A(0) | A(1), A(0), 0 },
	{ "strdup", M_ALLOC, FAM_MALLOC, MF_FILLED, -1, A(0), 0, 0 },
	{ "strlen", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "strncasecmp", M_PLAIN, 0, 0, -1, A(0) | A(1), 0, 0 },
	{ "strncat", M_PLAIN, 0, 0, 0, A(0) | A(1), A(0), 0 },
	{ "strncmp", M_PLAIN, 0, MF_SIZED, -1, A(0) | A(1), 0, 0 },
	{ "strncpy", M_PLAIN, 0, MF_SIZED, 0, A(0) | A(1), A(0), 0 },
	{ "strndup", M_ALLOC, FAM_MALLOC, MF_FILLED, -1, A(0), 0, 0 },
	{ "strnlen", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "strpbrk", M_LOOKUP, 0, 0, -1, A(0) | A(1), 0, 0 },
	{ "strrchr", M_LOOKUP, 0, 0, -1, A(0), 0, 0 },
	{ "strstr", M_LOOKUP, 0, 0, -1, A(0) | A(1), 0, 0 },
	{ "strtod", M_PLAIN, 0, 0, -1, A(0), A(1), 0 },
	{ "strtol", M_PLAIN, 0, 0, -1, A(0), A(1), 0 },
	{ "strtoul", M_PLAIN, 0, 0, -1, A(0), A(1), 0 },
	{ "tmpfile", M_ALLOC, FAM_FILE, 0, -1, 0, 0, 0 },
	{ "valloc", M_ALLOC, FAM_MALLOC, 0, -1, 0, 0, 0 },
	{ "vfprintf", M_PLAIN, 0, 0, -1, A(0) | A(1), 0, 0 },
	{ "vprintf", M_PLAIN, 0, 0, -1, A(0), 0, 0 },
	{ "vsnprintf", M_PLAIN, 0, 0, -1, A(2), A(0), 0 },
	{ "vsprintf", M_PLAIN, 0, 0, -1, A(0) | A(1), A(0), 0 },
	{ "write", M_PLAIN, 0, 0, -1, A(1), 0, 0 },
};

static int cmp_model(const void *key, const void *elem)
{
	return strcmp(key, ((const struct model *)elem)->name);
}

static const struct model *find_model(const char *name)
{
	return bsearch(name, models, sizeof(models) / sizeof(models[0]), sizeof(models[0]), cmp_model);
}

int flow_model_is_pure(const char *name)
{
	static const char *const pure[] = { "atof", "atoi", "atol", "memcmp", "strcasecmp", "strcmp",
					    "strlen", "strncasecmp", "strncmp", "strnlen", NULL };

	for (size_t i = 0; pure[i]; i++)
		if (!strcmp(pure[i], name))
			return 1;
	return 0;
}

int flow_model_result_known(const char *name)
{
	const struct model *m = find_model(name);

	return m && (m->kind == M_ALLOC || m->kind == M_REALLOC || m->kind == M_LOOKUP || m->ret_arg >= 0);
}

int flow_model_is_dealloc(const char *name)
{
	const struct model *m = find_model(name);
	return m && (m->kind == M_DEALLOC || m->kind == M_REALLOC);
}

int flow_model_is_unlock(const char *name)
{
	const struct model *m = find_model(name);
	return m && m->kind == M_UNLOCK;
}

/* The hooks see the call with b = the argument at hand (a call has no b of its own). */
static void deref_args(struct flow_cx *cx, const struct ir_stmt *s, uint16_t mask)
{
	for (unsigned i = 0; i < cx->nr_args && i < 16; i++) {
		struct ir_stmt at = *s;
		if (!(mask & A(i)) || (cx->args[i].kind != FV_PTR && cx->args[i].kind != FV_NULL))
			continue;
		at.b = cx->f->args[s->args + i];
		flow_run_deref_hooks(cx, &at, &cx->args[i]);
	}
}

/*
 * strcpy(dst, buf), strlen(buf), ... with buf a local array nothing was
 * ever stored in: its contents are read before they are set.  Raw copies
 * (memcpy) are left alone: copying a buffer whole, set or not, is common.
 */
static void read_args(struct flow_cx *cx, const struct ir_stmt *s, const struct model *m)
{
	uint16_t mask = (uint16_t)(m->deref & ~m->write);

	if (m->flags & MF_RAW_COPY)
		return;
	for (unsigned i = 0; i < cx->nr_args && i < 16; i++) {
		const struct ir_val *a = &cx->f->args[s->args + i];
		struct ir_stmt at = *s;
		struct fval v;
		if (!(mask & A(i)) || cx->args[i].kind != FV_PTR || a->kind != IRV_ADDR || !a->path)
			continue;
		v = state_get(cx, cx->st, cx->args[i].loc);
		if (v.kind != FV_UNINIT || state_has_below(cx, cx->st, cx->args[i].loc))
			continue;
		at.op = IR_READ;
		at.a = (struct ir_val){ .kind = IRV_PATH, .path = a->path };
		flow_run_read_hooks(cx, &at, &v);
		state_set(cx, cx->st, cx->args[i].loc, fval_top()); /* reported once */
	}
}

/* Is an argument a pointer to memory nothing was stored in? */
static int points_to_unset(struct flow_cx *cx, unsigned i)
{
	return i < cx->nr_args && cx->args[i].kind == FV_PTR && !(cx->args[i].flags & FVF_INTERIOR) &&
	       state_get(cx, cx->st, cx->args[i].loc).kind == FV_UNINIT &&
	       !state_has_below(cx, cx->st, cx->args[i].loc);
}

/* memcpy(dst, src, n) from never-written memory into never-written memory:
 * the bytes copied are as unset as before (dst stays unset). */
static int copies_unset_into_unset(struct flow_cx *cx)
{
	return points_to_unset(cx, 0) && points_to_unset(cx, 1);
}

static void write_through(struct flow_cx *cx, unsigned i)
{
	if (i < cx->nr_args && cx->args[i].kind == FV_PTR)
		flow_havoc_escape(cx, cx->args[i].loc);
}

/* memcpy(d, s, 0) and the like touch no memory: NULL or unset is fine there. */
static int touches_nothing(const struct flow_cx *cx, const struct model *m)
{
	return (m->flags & MF_SIZED) && cx->nr_args > 2 && cx->args[2].kind == FV_INT &&
	       cx->args[2].lo == 0 && cx->args[2].hi == 0;
}

static void plain(struct flow_cx *cx, const struct ir_stmt *s, const struct model *m)
{
	if (!touches_nothing(cx, m)) {
		deref_args(cx, s, m->deref);
		read_args(cx, s, m);
	}
	if (m->flags & MF_VARARGS_READ) /* a string printed with %s is read */
		for (unsigned i = m->varargs_from; i < cx->nr_args; i++)
			if (cx->args[i].kind == FV_PTR && cx->regions[cx->args[i].region].kind == RG_HEAP)
				flow_run_deref_hooks(cx, s, &cx->args[i]);
	for (unsigned i = 0; i < cx->nr_args; i++)
		if (((i < 16 && (m->write & A(i))) ||
		     ((m->flags & MF_VARARGS_WRITE) && i >= m->varargs_from)) &&
		    !((m->flags & MF_RAW_COPY) && i == 0 && copies_unset_into_unset(cx)))
			write_through(cx, i);
	if (m->ret_arg >= 0 && (unsigned)m->ret_arg < cx->nr_args)
		flow_set_dst(cx, s, cx->args[m->ret_arg]);
	else
		flow_set_dst(cx, s, fval_top());
}

/* Handle r now owns region old: closing r closes old; if r is not
 * obtained, old is the caller's again (as with realloc). */
static void adopt(struct flow_cx *cx, const struct ir_stmt *s, uint32_t r, uint32_t old)
{
	struct region_st *rs = state_region(cx, cx->st, old);

	if (cx->regions[old].kind != RG_HEAP || rs->state != RGS_LIVE)
		return;
	rs->state = RGS_FREED;
	rs->freed_at = s->loc;
	rs->freed_by = s->callee;
	rs->freed_fam = cx->regions[old].family;
	state_region(cx, cx->st, r)->moved_from = old + 1;
}

static void alloc(struct flow_cx *cx, const struct ir_stmt *s, const struct model *m)
{
	uint32_t r;

	deref_args(cx, s, m->deref);
	if (!s->dst)
		return; /* the result is dropped: the resource leaks at once */
	r = flow_new_heap(cx, s, (enum alloc_family)m->fam,
			  (m->flags & MF_NEVER_NULL) ? NN_NONNULL : NN_MAYBE, (m->flags & MF_ZEROED) != 0);
	if (m->flags & MF_FILLED)
		state_set(cx, cx->st, loc_region(cx, r), fval_top());
	if ((m->flags & MF_ADOPTS) && cx->nr_args && cx->args[0].kind == FV_PTR)
		adopt(cx, s, r, cx->args[0].region);
	flow_set_dst(cx, s, fval_ptr(r, loc_region(cx, r)));
}

/* getenv, strchr, ...: a pointer that may be NULL, to memory we do not own. */
static void lookup(struct flow_cx *cx, const struct ir_stmt *s, const struct model *m)
{
	struct region_key key = { .kind = RG_EXTERNAL, .a = cx->block,
				  .b = (uint32_t)(s - cx->f->blocks[cx->block].stmts) };
	struct region_info info = { .kind = RG_EXTERNAL, .site = s->loc, .origin = s->callee };
	uint32_t r;
	struct region_st *rs;

	deref_args(cx, s, m->deref);
	r = region_intern(cx, &key, &info);
	rs = state_region(cx, cx->st, r);
	rs->state = RGS_LIVE;
	rs->null = NN_MAYBE;
	state_havoc(cx, cx->st, loc_region(cx, r));
	flow_set_dst(cx, s, fval_ptr(r, loc_region(cx, r)));
}

/* realloc(p, n): p is released if the new block is obtained, kept if not. */
static void do_realloc(struct flow_cx *cx, const struct ir_stmt *s)
{
	struct fval old = cx->nr_args ? cx->args[0] : fval_top();
	uint32_t r;

	if (old.kind == FV_PTR)
		flow_do_dealloc(cx, s, 0, FAM_MALLOC, "realloc");
	if (!s->dst)
		return;
	r = flow_new_heap(cx, s, FAM_MALLOC, NN_MAYBE, 0);
	state_set(cx, cx->st, loc_region(cx, r), fval_top());
	if (old.kind == FV_PTR)
		state_region(cx, cx->st, r)->moved_from = old.region + 1;
	flow_set_dst(cx, s, fval_ptr(r, loc_region(cx, r)));
}

int flow_model_call(struct flow_cx *cx, const struct ir_stmt *s)
{
	const struct model *m;

	if (!s->callee || !(m = find_model(ir_string(cx->t, s->callee))))
		return 0;
	switch (m->kind) {
	case M_ALLOC: alloc(cx, s, m); break;
	case M_DEALLOC:
		deref_args(cx, s, m->deref);
		flow_do_dealloc(cx, s, 0, (enum alloc_family)m->fam, m->name);
		flow_set_dst(cx, s, fval_top());
		break;
	case M_REALLOC: do_realloc(cx, s); break;
	case M_LOOKUP: lookup(cx, s, m); break;
	case M_LOCK:
	case M_UNLOCK:
	case M_TRYLOCK:
		deref_args(cx, s, m->deref);
		flow_do_lock(cx, s, m->kind != M_UNLOCK, m->kind == M_TRYLOCK);
		flow_set_dst(cx, s, fval_top());
		break;
	default: plain(cx, s, m); break;
	}
	return 1;
}
