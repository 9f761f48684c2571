/*
 * Liveness of integer locals, so that states which differ only in a
 * variable nobody reads again become one.
 *
 * A loop counter or a status code keeps a different value on every path
 * long after its last test; the engine tells states apart by all they
 * hold, so such a variable multiplies the states of every block below
 * it.  A block's incoming states drop the integer locals that are dead
 * there (no path from the block reads them before writing them), and
 * equal states meet again.  Only integers are dropped: pointers carry the
 * heap facts (leaks, frees) that outlive their last read.
 *
 * Classic backward data flow over the IR: live_in(b) = use(b) ∪
 * (live_out(b) − def(b)), live_out(b) = ∪ live_in(successors).
 */
#include "flow_internal.h"
#include "../../core/alloc.h"

#include <stdlib.h>
#include <string.h>

static int candidate(const struct ir_var *v)
{
	return !(v->flags & (IRV_PARAM | IRV_GLOBAL | IRV_STATIC_LOCAL | IRV_ADDR_TAKEN)) &&
	       (v->type & ~IRT_CONST) == IRT_INT;
}

static void set_bit(uint64_t *set, uint32_t i) { set[i / 64] |= UINT64_C(1) << (i % 64); }
static int has_bit(const uint64_t *set, uint32_t i) { return (set[i / 64] >> (i % 64)) & 1; }

struct block_sets {
	uint64_t *use, *def;   /* per block, words each */
};

/* A read of the variable at the root of path p (its value, or through it). */
static void note_use(const struct ir_func *f, uint64_t *use, const uint64_t *def, ir_path p)
{
	uint32_t v;

	if (!p)
		return;
	v = ir_path_root(f, p);
	if (v < f->nr_vars && candidate(&f->vars[v]) && !has_bit(def, v))
		set_bit(use, v);
	for (; p && f->paths[p].kind != IRP_VAR; p = f->paths[p].base) { /* a[i] reads i */
		v = ir_elem_index_var(&f->paths[p]);
		if (v < f->nr_vars && candidate(&f->vars[v]) && !has_bit(def, v))
			set_bit(use, v);
	}
}

static void note_val(const struct ir_func *f, uint64_t *use, const uint64_t *def, const struct ir_val *val)
{
	if (val->kind == IRV_PATH || val->kind == IRV_ADDR)
		note_use(f, use, def, val->path);
}

/* use: read before any write in the block; def: written in the block. */
static void block_use_def(const struct ir_func *f, uint32_t b, uint64_t *use, uint64_t *def)
{
	const struct ir_block *blk = &f->blocks[b];

	for (uint32_t k = 0; k < blk->nr_stmts; k++) {
		const struct ir_stmt *s = &blk->stmts[k];
		note_val(f, use, def, &s->a);
		note_val(f, use, def, &s->b);
		if (s->op == IR_CALL)
			for (uint32_t i = 0; i < s->aux; i++)
				note_val(f, use, def, &f->args[s->args + i]);
		if (s->dst) {
			if (f->paths[s->dst].kind == IRP_VAR) {
				uint32_t v = f->paths[s->dst].id;
				if (candidate(&f->vars[v]))
					set_bit(def, v);
			} else { /* x.f = ...: the rest of x is still needed */
				note_use(f, use, def, s->dst);
			}
		}
	}
	if (blk->nsucc == 2) {
		note_val(f, use, def, &blk->cond.l);
		note_val(f, use, def, &blk->cond.r);
	}
}

void flow_live_compute(struct flow_cx *cx)
{
	const struct ir_func *f = cx->f;
	uint32_t words = (f->nr_vars + 63) / 64, n = f->nr_blocks;
	uint64_t *use, *def, *out;
	int changed = 1, any = 0;

	cx->live_in = NULL;
	cx->live_join = NULL;
	cx->live_words = 0;
	for (uint32_t v = 0; v < f->nr_vars && !any; v++)
		any = candidate(&f->vars[v]);
	if (!any || !n)
		return;
	use = ma_calloc((size_t)n * words, sizeof(*use));
	def = ma_calloc((size_t)n * words, sizeof(*def));
	out = ma_calloc(words, sizeof(*out));
	cx->live_in = ma_calloc((size_t)n * words, sizeof(*cx->live_in));
	cx->live_words = words;
	/* states only meet where paths join: the filter runs there alone */
	cx->live_join = ma_calloc(n, 1);
	for (uint32_t b = 0; b < n; b++)
		for (uint8_t i = 0; i < f->blocks[b].nsucc; i++)
			if (cx->live_join[f->blocks[b].succ[i]] < 2)
				cx->live_join[f->blocks[b].succ[i]]++;
	for (uint32_t b = 0; b < n; b++)
		block_use_def(f, b, &use[(size_t)b * words], &def[(size_t)b * words]);
	while (changed) { /* blocks are mostly numbered in program order: walk them backwards */
		changed = 0;
		for (uint32_t b = n; b-- > 0;) {
			const struct ir_block *blk = &f->blocks[b];
			uint64_t *in = &cx->live_in[(size_t)b * words];
			memset(out, 0, words * sizeof(*out));
			for (uint8_t i = 0; i < blk->nsucc; i++)
				for (uint32_t w = 0; w < words; w++)
					out[w] |= cx->live_in[(size_t)blk->succ[i] * words + w];
			for (uint32_t w = 0; w < words; w++) {
				uint64_t x = use[(size_t)b * words + w] | (out[w] & ~def[(size_t)b * words + w]);
				if (x != in[w]) {
					in[w] = x;
					changed = 1;
				}
			}
		}
	}
	free(use);
	free(def);
	free(out);
}

/* The result of a pure call, kept for the next call with the same
 * arguments (summary.c): f(x) > 0 ... f(x) > 0 must agree. */
static int remembered(const struct state *s, uint32_t loc)
{
	for (uint32_t i = 0; i < s->nr_ks; i++)
		if ((s->ks[i].key >> 32) == KS_MEMO_ID && (uint32_t)s->ks[i].value == loc)
			return 1;
	return 0;
}

void flow_live_drop_dead(struct flow_cx *cx, struct state *s, uint32_t block)
{
	const uint64_t *in;
	uint32_t out = 0;

	if (!cx->live_in || block >= cx->f->nr_blocks || cx->live_join[block] < 2)
		return;
	in = &cx->live_in[(size_t)block * cx->live_words];
	for (uint32_t i = 0; i < s->nr_cells; i++) {
		const struct locrec *r = &cx->locs[s->cells[i].loc];
		/* live_in has no bit for a non-candidate: test the bit first */
		if (r->kind == LOC_VAR && !has_bit(in, r->id) && candidate(&cx->f->vars[r->id]) &&
		    !remembered(s, s->cells[i].loc))
			continue;
		s->cells[out++] = s->cells[i];
	}
	s->nr_cells = out;
}

void flow_live_free(struct flow_cx *cx)
{
	free(cx->live_in);
	free(cx->live_join);
	cx->live_in = NULL;
	cx->live_join = NULL;
	cx->live_words = 0;
}
