/*
 * Raw addresses to source frames with libdw (see symbolize.h).
 *
 * Each binary gets its own offline Dwfl session: two binaries of one run
 * may claim the same addresses (non-PIE programs all start at 0x400000),
 * which one session would refuse.  A session places a binary where it
 * likes and tells the difference (the bias), so an offset in the ELF
 * layout is looked up at offset + bias.
 */
#include "symbolize.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/hash.h"
#include "../../core/strbuf.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdlib.h>
#include <string.h>

/* The code of one function, in DWARF addresses (session addresses less the bias). */
struct func_range {
	Dwarf_Addr lo, hi;
	Dwarf_Die die;
};

/* The frames one offset resolved to (frames.nr is at least 1: 0 marks a free slot). */
struct resolved {
	uint64_t offset;
	struct vg_stack frames;
};

struct module {
	char *path;
	Dwfl *dwfl;
	Dwfl_Module *mod;    /* NULL when path could not be read: error says why */
	char *error;
	/* every function's ranges, by address, read on the first lookup in one
	 * walk of the DWARF: libdw's lookups by address (dwarf_getscopes) walk
	 * the whole unit each time, and libdw 0.188 finds no unit by address
	 * without .debug_aranges, which clang does not emit */
	struct func_range *funcs;
	size_t nr_funcs, alloc_funcs;
	int funcs_read;
	Dwarf_Addr dwarf_bias;
	/* the offsets already resolved: a log repeats the same frames (main,
	 * the allocator, libc's start) in every report */
	struct resolved *cache;
	size_t cache_nr, cache_cap;   /* cache_cap: 0 or a power of two */
};

struct ma_symbolizer {
	struct module *v;
	size_t nr, alloc;
};

/* Debug information in the binary itself, else where the system keeps it
 * (/usr/lib/debug by build id or .gnu_debuglink). */
static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* path alone in a new offline session, or NULL with err set. */
static Dwfl_Module *open_module(const char *path, Dwfl **dwfl, struct strbuf *err)
{
	Dwfl_Module *mod = NULL;

	*dwfl = dwfl_begin(&offline_callbacks);
	if (*dwfl) {
		dwfl_report_begin(*dwfl);
		mod = dwfl_report_offline(*dwfl, path, path, -1);
		if (mod && dwfl_report_end(*dwfl, NULL, NULL) != 0)
			mod = NULL;
	}
	if (!mod) {
		/* dwfl_errmsg before dwfl_end: the message is the last error's */
		strbuf_addf(err, "cannot read '%s': %s", path, dwfl_errmsg(-1));
		dwfl_end(*dwfl);
		*dwfl = NULL;
	}
	return mod;
}

static struct module *module_of(struct ma_symbolizer *s, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct module *m;

	for (size_t i = 0; i < s->nr; i++)
		if (!strcmp(s->v[i].path, path))
			return &s->v[i];
	ALLOC_GROW(s->v, s->nr + 1, s->alloc);
	m = &s->v[s->nr++];
	memset(m, 0, sizeof(*m));
	m->path = ma_strdup(path);
	m->mod = open_module(path, &m->dwfl, &err);
	if (!m->mod)
		m->error = strbuf_detach(&err, NULL);
	strbuf_release(&err);
	return m;
}

struct ma_symbolizer *ma_symbolizer_new(void)
{
	return ma_calloc(1, sizeof(struct ma_symbolizer));
}

void ma_symbolizer_free(struct ma_symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr; i++) {
		dwfl_end(s->v[i].dwfl);
		free(s->v[i].path);
		free(s->v[i].error);
		free(s->v[i].funcs);
		for (size_t k = 0; k < s->v[i].cache_cap; k++)
			vg_stack_release(&s->v[i].cache[k].frames);
		free(s->v[i].cache);
	}
	free(s->v);
	free(s);
}

static struct vg_frame *new_frame(struct vg_stack *out, const char *path, uint64_t offset)
{
	struct vg_frame *f;

	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	f = &out->v[out->nr++];
	memset(f, 0, sizeof(*f));
	f->obj = ma_strdup(path);
	f->offset = offset;
	return f;
}

/* A relative file name is relative to the compilation directory. */
static void set_place(struct vg_frame *f, const char *file, unsigned line, Dwarf_Die *cudie)
{
	Dwarf_Attribute a;
	const char *dir = file[0] == '/' ? NULL : dwarf_formstring(dwarf_attr(cudie, DW_AT_comp_dir, &a));

	f->file = ma_strdup(file);
	f->line = line;
	f->dir = dir ? ma_strdup(dir) : NULL;
}

static const char *name_of(Dwarf_Die *die)
{
	Dwarf_Attribute a;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));
}

static int by_lo(const void *a, const void *b)
{
	const struct func_range *x = a, *y = b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

static int add_function(Dwarf_Die *die, void *data)
{
	struct module *m = data;
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;

	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
		ALLOC_GROW(m->funcs, m->nr_funcs + 1, m->alloc_funcs);
		m->funcs[m->nr_funcs++] = (struct func_range){ .lo = lo, .hi = hi, .die = *die };
	}
	return DWARF_CB_OK;
}

static void read_functions(struct module *m)
{
	Dwarf_Die *cu = NULL;

	m->funcs_read = 1;
	while ((cu = dwfl_module_nextcu(m->mod, cu, &m->dwarf_bias)))
		dwarf_getfuncs(cu, add_function, m, 0);
	if (m->nr_funcs > 1)
		qsort(m->funcs, m->nr_funcs, sizeof(*m->funcs), by_lo);
}

/* The function whose code holds pc (a DWARF address), or NULL. */
static Dwarf_Die *function_at(struct module *m, Dwarf_Addr pc)
{
	size_t lo = 0, hi = m->nr_funcs;

	while (lo < hi) { /* the first function starting past pc */
		size_t mid = lo + (hi - lo) / 2;
		if (m->funcs[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && pc < m->funcs[lo - 1].hi ? &m->funcs[lo - 1].die : NULL;
}

#define MAX_INLINED 64

/*
 * The functions holding pc, innermost first, into chain: the inlined calls
 * under die (which holds pc), then die itself unless it is a block.
 * Lexical blocks are looked into, even one without addresses of its own.
 */
static void calls_at(Dwarf_Die *die, Dwarf_Addr pc, Dwarf_Die *chain, int *n)
{
	Dwarf_Die child;

	if (dwarf_child(die, &child) == 0) {
		do {
			int tag = dwarf_tag(&child), in = dwarf_haspc(&child, pc) > 0, before = *n;
			if (tag == DW_TAG_inlined_subroutine && in) {
				calls_at(&child, pc, chain, n);
				break;
			}
			if (tag != DW_TAG_lexical_block || !(in || !dwarf_hasattr(&child, DW_AT_low_pc)))
				continue;
			calls_at(&child, pc, chain, n);
			if (in || *n > before)
				break;
		} while (dwarf_siblingof(&child, &child) == 0);
	}
	if (*n < MAX_INLINED && dwarf_tag(die) != DW_TAG_lexical_block)
		chain[(*n)++] = *die;
}

/* Each inlined call in chain (innermost first) is a frame of the function
 * it sits in, at the call's line. */
static void add_inlined_callers(struct vg_stack *out, Dwarf_Die *cudie, Dwarf_Die *chain, int n,
				const char *path, uint64_t offset)
{
	Dwarf_Files *files = NULL;

	if (dwarf_getsrcfiles(cudie, &files, NULL) != 0)
		files = NULL;
	for (int i = 0; i + 1 < n; i++) {
		Dwarf_Attribute a;
		Dwarf_Word file = 0, line = 0;
		const char *name, *fn = name_of(&chain[i + 1]);
		struct vg_frame *f = new_frame(out, path, offset);

		f->fn = fn ? ma_strdup(fn) : NULL;
		dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_line, &a), &line);
		if (files && dwarf_formudata(dwarf_attr(&chain[i], DW_AT_call_file, &a), &file) == 0 &&
		    (name = dwarf_filesrc(files, file, NULL, NULL)))
			set_place(f, name, (unsigned)line, cudie);
	}
}

/* The frames the DWARF gives for addr (a session address), or none: the
 * line from the unit's line table, the functions from the index. */
static void add_source_frames(struct module *m, Dwarf_Addr addr, uint64_t offset, struct vg_stack *out)
{
	Dwarf_Addr bias = 0;
	Dwarf_Die *cudie = dwfl_module_addrdie(m->mod, addr, &bias), *fn, cu_mem, chain[MAX_INLINED];
	Dwarf_Line *line;
	const char *file, *name;
	struct vg_frame *f;
	int lineno = 0, n = 0;

	if (!m->funcs_read)
		read_functions(m); /* and learns the DWARF's bias */
	fn = function_at(m, addr - (cudie ? bias : m->dwarf_bias));
	if (!cudie) {
		bias = m->dwarf_bias;
		cudie = fn ? dwarf_diecu(fn, &cu_mem, NULL, NULL) : NULL;
	}
	line = cudie ? dwarf_getsrc_die(cudie, addr - bias) : NULL;
	if (!line || !(file = dwarf_linesrc(line, NULL, NULL)))
		return;
	dwarf_lineno(line, &lineno);
	if (fn)
		calls_at(fn, addr - bias, chain, &n);
	f = new_frame(out, m->path, offset);
	set_place(f, file, lineno > 0 ? (unsigned)lineno : 0, cudie);
	name = n ? name_of(&chain[0]) : NULL;
	f->fn = name ? ma_strdup(name) : NULL;
	add_inlined_callers(out, cudie, chain, n, m->path, offset);
}

/* The frames of offset in m, into out (empty): at least one. */
static void resolve(struct module *m, uint64_t offset, struct vg_stack *out)
{
	Dwarf_Addr bias = 0, addr;

	dwfl_module_getelf(m->mod, &bias);
	addr = offset + bias;
	add_source_frames(m, addr, offset, out);
	if (!out->nr) /* no DWARF here: binary+offset */
		new_frame(out, m->path, offset);
	if (!out->v[0].fn) { /* the symbol table's name, if any */
		const char *name = dwfl_module_addrname(m->mod, addr);
		out->v[0].fn = name ? ma_strdup(name) : NULL;
	}
}

static struct resolved *cache_slot(struct resolved *cache, size_t cap, uint64_t offset)
{
	size_t i = ma_mix3(offset, 0, 0) & (cap - 1);

	while (cache[i].frames.nr && cache[i].offset != offset)
		i = (i + 1) & (cap - 1);
	return &cache[i];
}

/* Room for one more offset, the table at most half full. */
static void cache_reserve(struct module *m)
{
	struct resolved *old = m->cache;
	size_t old_cap = m->cache_cap;

	if (2 * (m->cache_nr + 1) <= m->cache_cap)
		return;
	m->cache_cap = old_cap ? st_mult(old_cap, 2) : 64;
	m->cache = ma_calloc(m->cache_cap, sizeof(*m->cache));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].frames.nr)
			*cache_slot(m->cache, m->cache_cap, old[i].offset) = old[i];
	free(old);
}

int ma_symbolize(struct ma_symbolizer *s, const char *path, uint64_t offset, struct vg_stack *out,
		 struct strbuf *err)
{
	struct module *m = module_of(s, path);
	struct resolved *r;

	if (!m->mod) {
		strbuf_addstr(err, m->error);
		return -1;
	}
	cache_reserve(m);
	r = cache_slot(m->cache, m->cache_cap, offset);
	if (!r->frames.nr) {
		r->offset = offset;
		resolve(m, offset, &r->frames);
		m->cache_nr++;
	}
	for (size_t i = 0; i < r->frames.nr; i++) {
		const struct vg_frame *from = &r->frames.v[i];
		struct vg_frame *f = new_frame(out, path, offset);
		f->fn = from->fn ? ma_strdup(from->fn) : NULL;
		f->dir = from->dir ? ma_strdup(from->dir) : NULL;
		f->file = from->file ? ma_strdup(from->file) : NULL;
		f->line = from->line;
	}
	return (int)r->frames.nr;
}

static int needs_symbols(const struct vg_frame *f)
{
	return f->obj && f->offset && !f->file;
}

static void frame_release(struct vg_frame *f)
{
	free(f->fn);
	free(f->obj);
	free(f->dir);
	free(f->file);
}

/* Frame f's place taken by the frames out->v[first..]: they keep its
 * address, and its function name when they found none. */
static void replace_frame(struct vg_stack *out, size_t first, struct vg_frame *f)
{
	for (size_t j = first; j < out->nr; j++)
		out->v[j].ip = f->ip;
	if (!out->v[first].fn) {
		out->v[first].fn = f->fn;
		f->fn = NULL;
	}
	frame_release(f);
}

size_t ma_symbolize_stack(struct ma_symbolizer *s, struct vg_stack *st)
{
	struct vg_stack out = { 0 };
	struct strbuf err = STRBUF_INIT;
	size_t placed = 0, i;

	for (i = 0; i < st->nr && !needs_symbols(&st->v[i]); i++)
		;
	if (i == st->nr)
		return 0;
	for (i = 0; i < st->nr; i++) {
		struct vg_frame *f = &st->v[i];
		size_t first = out.nr;
		if (!needs_symbols(f) || ma_symbolize(s, f->obj, f->offset, &out, &err) < 0) {
			ALLOC_GROW(out.v, out.nr + 1, out.alloc);
			out.v[out.nr++] = *f; /* moved: its strings now belong to out */
			continue;
		}
		placed += out.v[first].file != NULL;
		replace_frame(&out, first, f);
	}
	free(st->v);
	*st = out;
	strbuf_release(&err);
	return placed;
}

int ma_dwarf_version(const char *path, struct strbuf *err)
{
	Dwfl *dwfl;
	Dwfl_Module *mod = open_module(path, &dwfl, err);
	Dwarf_Addr bias;
	Dwarf *dw = mod ? dwfl_module_getdwarf(mod, &bias) : NULL;
	Dwarf_Off off = 0, next;
	Dwarf_Half version;
	size_t header;
	int highest = 0;

	if (!mod)
		return -1;
	while (dw && dwarf_next_unit(dw, off, &next, &header, &version, NULL, NULL, NULL, NULL, NULL) == 0) {
		if (version > highest)
			highest = version;
		off = next;
	}
	dwfl_end(dwfl);
	return highest;
}

int ma_dwarf_explain(const char *path, int valgrind, struct strbuf *out)
{
	struct strbuf err = STRBUF_INIT;
	int version = ma_dwarf_version(path, &err);

	strbuf_release(&err);
	if (version == 0)
		strbuf_addf(out, "%s: no debug information: rebuild with -g", path);
	else if (version == 5 && valgrind)
		strbuf_addf(out, "%s: built with DWARF 5, which Valgrind 3.19 cannot read: rebuild with -gdwarf-4 "
			    "(or gcc)", path);
	else
		return 0;
	return 1;
}
