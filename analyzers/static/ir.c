/*
 * IR containers: string and path interning, blocks and statements, and a
 * readable dump.  The lowering from libclang is in lower.c.
 */
#include "ir.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/hash.h"
#include "../../core/strbuf.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Strings                                                             */

static void str_rehash(struct ir_tu *t)
{
	uint32_t size = t->str_hash_size ? 2 * t->str_hash_size : 256;

	free(t->str_hash);
	t->str_hash = ma_calloc(size, sizeof(*t->str_hash));
	t->str_hash_size = size;
	for (uint32_t i = 1; i < t->nr_strings; i++) {
		uint32_t h = (uint32_t)ma_hash_str(MA_HASH_INIT, t->strings[i]) & (size - 1);
		while (t->str_hash[h])
			h = (h + 1) & (size - 1);
		t->str_hash[h] = i;
	}
}

ir_str ir_intern(struct ir_tu *t, const char *s)
{
	uint32_t h;

	if (!s || !*s)
		return 0;
	if (2 * (t->nr_strings + 1) > t->str_hash_size)
		str_rehash(t);
	h = (uint32_t)ma_hash_str(MA_HASH_INIT, s) & (t->str_hash_size - 1);
	while (t->str_hash[h]) {
		if (!strcmp(t->strings[t->str_hash[h]], s))
			return t->str_hash[h];
		h = (h + 1) & (t->str_hash_size - 1);
	}
	ALLOC_GROW(t->strings, t->nr_strings + 1, t->alloc_strings);
	t->strings[t->nr_strings] = ma_strdup(s);
	t->str_hash[h] = t->nr_strings;
	return t->nr_strings++;
}

struct ir_tu *ir_tu_new(void)
{
	struct ir_tu *t = ma_calloc(1, sizeof(*t));

	ALLOC_GROW(t->strings, 1, t->alloc_strings);
	t->strings[t->nr_strings++] = ma_strdup("");
	ALLOC_GROW(t->files, 1, t->alloc_files);
	t->files[t->nr_files++] = ma_strdup("");
	return t;
}

void ir_func_release(struct ir_func *f)
{
	for (uint32_t i = 0; i < f->nr_blocks; i++)
		free(f->blocks[i].stmts);
	free(f->blocks);
	free(f->vars);
	free(f->paths);
	free(f->path_hash);
	free(f->args);
	memset(f, 0, sizeof(*f));
}

void ir_tu_free(struct ir_tu *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nr_funcs; i++)
		ir_func_release(&t->funcs[i]);
	for (uint32_t i = 0; i < t->nr_strings; i++)
		free(t->strings[i]);
	for (uint32_t i = 0; i < t->nr_files; i++)
		free(t->files[i]);
	free(t->funcs);
	free(t->strings);
	free(t->str_hash);
	free(t->files);
	free(t);
}

/* ------------------------------------------------------------------ */
/* Paths                                                               */

static uint32_t path_key(uint8_t kind, ir_path base, uint32_t id)
{
	return (uint32_t)ma_mix3(kind, base, id);
}

static void path_rehash(struct ir_func *f)
{
	uint32_t size = f->path_hash_size ? 2 * f->path_hash_size : 64;

	free(f->path_hash);
	f->path_hash = ma_calloc(size, sizeof(*f->path_hash));
	f->path_hash_size = size;
	for (uint32_t i = 1; i < f->nr_paths; i++) {
		const struct ir_pathrec *r = &f->paths[i];
		uint32_t h = path_key(r->kind, r->base, r->id) & (size - 1);
		while (f->path_hash[h])
			h = (h + 1) & (size - 1);
		f->path_hash[h] = i;
	}
}

static ir_path path_intern(struct ir_func *f, uint8_t kind, ir_path base, uint32_t id,
			   unsigned type)
{
	uint32_t h;

	if (!f->nr_paths) {
		ALLOC_GROW(f->paths, 1, f->alloc_paths);
		memset(&f->paths[0], 0, sizeof(f->paths[0]));
		f->nr_paths = 1;
	}
	if (2 * (f->nr_paths + 1) > f->path_hash_size)
		path_rehash(f);
	h = path_key(kind, base, id) & (f->path_hash_size - 1);
	while (f->path_hash[h]) {
		const struct ir_pathrec *r = &f->paths[f->path_hash[h]];
		if (r->kind == kind && r->base == base && r->id == id)
			return f->path_hash[h];
		h = (h + 1) & (f->path_hash_size - 1);
	}
	ALLOC_GROW(f->paths, f->nr_paths + 1, f->alloc_paths);
	f->paths[f->nr_paths] = (struct ir_pathrec){ .kind = kind, .base = base, .id = id, .type = type };
	f->path_hash[h] = f->nr_paths;
	return f->nr_paths++;
}

ir_path ir_path_var(struct ir_func *f, uint32_t var, unsigned type)
{
	return path_intern(f, IRP_VAR, 0, var, type);
}

ir_path ir_path_sub(struct ir_func *f, enum ir_path_kind kind, ir_path base, uint32_t id,
		    unsigned type)
{
	if (!base)
		return 0;
	return path_intern(f, (uint8_t)kind, base, kind == IRP_FIELD || kind == IRP_ELEM ? id : 0, type);
}

uint32_t ir_path_root(const struct ir_func *f, ir_path p)
{
	while (p && f->paths[p].kind != IRP_VAR)
		p = f->paths[p].base;
	return p ? f->paths[p].id : UINT32_MAX;
}

int ir_path_within(const struct ir_func *f, ir_path p, ir_path q)
{
	for (; p; p = f->paths[p].kind == IRP_VAR ? 0 : f->paths[p].base)
		if (p == q)
			return 1;
	return 0;
}

void ir_path_name(const struct ir_tu *t, const struct ir_func *f, ir_path p, struct strbuf *out)
{
	const struct ir_pathrec *r;

	if (!p) {
		strbuf_addstr(out, "?");
		return;
	}
	r = &f->paths[p];
	switch (r->kind) {
	case IRP_VAR:
		strbuf_addstr(out, ir_string(t, f->vars[r->id].name));
		break;
	case IRP_DEREF:
		if (f->paths[r->base].kind == IRP_FIELD || f->paths[r->base].kind == IRP_VAR) {
			strbuf_addch(out, '*');
			ir_path_name(t, f, r->base, out);
		} else {
			strbuf_addstr(out, "*(");
			ir_path_name(t, f, r->base, out);
			strbuf_addch(out, ')');
		}
		break;
	case IRP_FIELD:
		if (f->paths[r->base].kind == IRP_DEREF) {
			ir_path_name(t, f, f->paths[r->base].base, out);
			strbuf_addstr(out, "->");
		} else {
			ir_path_name(t, f, r->base, out);
			strbuf_addch(out, '.');
		}
		strbuf_addstr(out, ir_string(t, r->id));
		break;
	case IRP_ELEM:
		if (f->paths[r->base].kind == IRP_DEREF)
			ir_path_name(t, f, f->paths[r->base].base, out);
		else
			ir_path_name(t, f, r->base, out);
		strbuf_addch(out, '[');
		if (r->id & IR_ELEM_CONST)
			strbuf_addf(out, "%u", r->id & ~IR_ELEM_CONST);
		else if (r->id && !(f->vars[r->id - 1].flags & IRV_TEMP))
			strbuf_addstr(out, ir_string(t, f->vars[r->id - 1].name));
		strbuf_addch(out, ']');
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Variables, blocks, statements                                       */

uint32_t ir_add_var(struct ir_func *f, ir_str name, unsigned flags, unsigned type, struct ir_loc loc)
{
	ALLOC_GROW(f->vars, f->nr_vars + 1, f->alloc_vars);
	f->vars[f->nr_vars] = (struct ir_var){ .name = name, .flags = flags, .type = type,
					       .param_index = -1, .loc = loc };
	return f->nr_vars++;
}

uint32_t ir_new_block(struct ir_func *f)
{
	ALLOC_GROW(f->blocks, f->nr_blocks + 1, f->alloc_blocks);
	memset(&f->blocks[f->nr_blocks], 0, sizeof(f->blocks[0]));
	return f->nr_blocks++;
}

struct ir_stmt *ir_emit(struct ir_func *f, uint32_t block, enum ir_op op, struct ir_loc loc)
{
	struct ir_block *b = &f->blocks[block];
	struct ir_stmt *s;

	/* most blocks hold a few statements: start small, then double */
	if (b->nr_stmts == b->alloc_stmts) {
		b->alloc_stmts = b->alloc_stmts ? 2 * b->alloc_stmts : 4;
		b->stmts = ma_realloc(b->stmts, st_mult(b->alloc_stmts, sizeof(*b->stmts)));
	}
	s = &b->stmts[b->nr_stmts++];
	memset(s, 0, sizeof(*s));
	s->op = (uint8_t)op;
	s->loc = loc;
	return s;
}

/* ------------------------------------------------------------------ */
/* Dump                                                                */

static void dump_val(const struct ir_tu *t, const struct ir_func *f, const struct ir_val *v,
		     struct strbuf *out)
{
	switch (v->kind) {
	case IRV_INT: strbuf_addf(out, "%" PRId64, v->k); break;
	case IRV_NULL: strbuf_addstr(out, "NULL"); break;
	case IRV_PATH: ir_path_name(t, f, v->path, out); break;
	case IRV_ADDR: strbuf_addch(out, '&'); ir_path_name(t, f, v->path, out); break;
	case IRV_STR: strbuf_addstr(out, "\"...\""); break;
	case IRV_FUNC: strbuf_addf(out, "%s()", ir_string(t, (ir_str)v->k)); break;
	default: strbuf_addch(out, '?'); break;
	}
}

static const char *const cmp_names[] = { "==", "!=", "<", "<=", ">", ">=" };
static const char *const arith_names[] = { "+", "-", "*", "/", "%", "op" };

static void dump_call(const struct ir_tu *t, const struct ir_func *f, const struct ir_stmt *s,
		      struct strbuf *out)
{
	if (s->dst) {
		ir_path_name(t, f, s->dst, out);
		strbuf_addstr(out, " = ");
	}
	strbuf_addf(out, "%s(", s->callee ? ir_string(t, s->callee) : "<indirect>");
	for (uint32_t i = 0; i < s->aux; i++) {
		if (i)
			strbuf_addstr(out, ", ");
		dump_val(t, f, &f->args[s->args + i], out);
	}
	strbuf_addch(out, ')');
	if (s->flags & IRS_NORETURN)
		strbuf_addstr(out, " noreturn");
}

static void dump_stmt(const struct ir_tu *t, const struct ir_func *f, const struct ir_stmt *s,
		      struct strbuf *out)
{
	strbuf_addf(out, "    %u: ", s->loc.line);
	switch (s->op) {
	case IR_DECL: strbuf_addstr(out, "decl "); ir_path_name(t, f, s->dst, out); break;
	case IR_ASSIGN:
		ir_path_name(t, f, s->dst, out);
		strbuf_addstr(out, " = ");
		dump_val(t, f, &s->a, out);
		break;
	case IR_ARITH:
		ir_path_name(t, f, s->dst, out);
		strbuf_addstr(out, " = ");
		dump_val(t, f, &s->a, out);
		strbuf_addf(out, " %s ", arith_names[s->aux < 6 ? s->aux : 5]);
		dump_val(t, f, &s->b, out);
		break;
	case IR_CALL: dump_call(t, f, s, out); break;
	case IR_DEREF:
		strbuf_addstr(out, s->flags & IRS_WRITE ? "store *" : "load *");
		dump_val(t, f, &s->a, out);
		break;
	case IR_READ: strbuf_addstr(out, "read "); dump_val(t, f, &s->a, out); break;
	case IR_RETURN: strbuf_addstr(out, "return "); dump_val(t, f, &s->a, out); break;
	case IR_ESCAPE: strbuf_addstr(out, "escape "); dump_val(t, f, &s->a, out); break;
	case IR_FORGET: strbuf_addstr(out, "forget "); dump_val(t, f, &s->a, out); break;
	}
	strbuf_addch(out, '\n');
}

void ir_dump_func(const struct ir_tu *t, const struct ir_func *f, struct strbuf *out)
{
	strbuf_addf(out, "function %s%s\n", ir_string(t, f->name), f->truncated ? " (truncated)" : "");
	for (uint32_t i = 0; i < f->nr_blocks; i++) {
		const struct ir_block *b = &f->blocks[i];
		strbuf_addf(out, "  bb%u:\n", i);
		for (uint32_t k = 0; k < b->nr_stmts; k++)
			dump_stmt(t, f, &b->stmts[k], out);
		if (b->nsucc == 1) {
			strbuf_addf(out, "    goto bb%u\n", b->succ[0]);
		} else if (b->nsucc == 2) {
			strbuf_addstr(out, "    if ");
			dump_val(t, f, &b->cond.l, out);
			strbuf_addf(out, " %s ", cmp_names[b->cond.op]);
			dump_val(t, f, &b->cond.r, out);
			strbuf_addf(out, " then bb%u else bb%u\n", b->succ[0], b->succ[1]);
		}
	}
}
