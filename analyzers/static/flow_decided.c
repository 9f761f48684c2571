/*
 * Tests the values decide and code no path reaches, read after a
 * function's analysis (flow_on_end).  The engine marks, per block, whether
 * some state reached it and which ways its branch went (flow.c's
 * block_seen).  A reached test that went one way only is decided.
 *
 * Being decided in the engine's model is not being decided in C: the
 * engine's integers are signed 64-bit numbers that do not wrap, and it
 * does not see conversions, volatile objects, other threads or other
 * functions writing globals.  So a test counts only when it is written in
 * the source (not in a macro's expansion, not a switch's dispatch or an
 * assert's), compares integers as signed, and reads only constants and
 * local variables whose every value the engine follows exactly
 * (var_exact).  Pointer tests never count: a redundant NULL check is
 * defensive code, not a defect, and free-null reports the one that is.
 */
#include "flow_internal.h"
#include "../../core/strbuf.h"

#include <limits.h>

static int fits(int64_t k, const struct ir_var *var)
{
	int64_t lo, hi;

	if (var->int_bits >= 64)
		return !var->int_unsigned || k >= 0;
	if (var->int_unsigned) {
		lo = 0;
		hi = (int64_t)((UINT64_C(1) << var->int_bits) - 1);
	} else {
		lo = -(INT64_C(1) << (var->int_bits - 1));
		hi = (INT64_C(1) << (var->int_bits - 1)) - 1;
	}
	return k >= lo && k <= hi;
}

/*
 * A call whose result the engine knows nothing of: not a function of this
 * unit (its summary gives results per argument range, and a function that
 * returns 0 in this build's configuration, as a stub does, is not a test
 * that "always" fails), nor a modelled one that gives its result a value
 * (a descriptor from open()).
 */
static int call_result_unknown(const struct flow_cx *cx, const struct ir_stmt *s)
{
	if (!s->callee)
		return 1;
	if (cx->func_of_str && cx->func_of_str[s->callee] >= 0)
		return 0;
	return !flow_model_result_known(ir_string(cx->t, s->callee));
}

static int var_exact(struct flow_cx *cx, uint32_t var);

/* A value stored from v: a constant that fits, or a local the engine follows exactly. */
static int source_exact(struct flow_cx *cx, const struct ir_val *v, const struct ir_var *to)
{
	const struct ir_pathrec *p;

	if (v->kind == IRV_INT)
		return !to->int_bits || fits(v->k, to);
	if (v->kind != IRV_PATH)
		return 0;
	p = &cx->f->paths[v->path];
	return p->kind == IRP_VAR && var_exact(cx, p->id);
}

/*
 * Does statement s store into variable var only what the engine gets
 * right?  A call's result it knows nothing of, a constant that fits, a
 * copy of or arithmetic on such locals (wrapping aside: only wide signed
 * variables take arithmetic).  Fields, memory and globals are out: a
 * callee's summary may have set them.
 */
static int store_is_exact(struct flow_cx *cx, const struct ir_stmt *s, uint32_t var)
{
	const struct ir_func *f = cx->f;
	const struct ir_var *v = &f->vars[var];
	int wide_signed = !v->int_bits || (v->int_bits >= 32 && !v->int_unsigned);

	if (s->op != IR_ASSIGN && s->op != IR_ARITH && s->op != IR_CALL)
		return 1;
	if (!s->dst || f->paths[s->dst].kind != IRP_VAR || f->paths[s->dst].id != var)
		return 1;
	switch (s->op) {
	case IR_CALL:
		return call_result_unknown(cx, s);
	case IR_ASSIGN:
		return source_exact(cx, &s->a, v) && (s->a.kind == IRV_INT || wide_signed);
	default:
		return wide_signed && s->aux != IRA_OTHER && s->aux != IRA_AND &&
		       source_exact(cx, &s->a, v) && source_exact(cx, &s->b, v);
	}
}

static int scan_exact(struct flow_cx *cx, uint32_t var)
{
	const struct ir_func *f = cx->f;
	const struct ir_var *v = &f->vars[var];

	if (v->flags & (IRV_GLOBAL | IRV_STATIC_LOCAL | IRV_ADDR_TAKEN))
		return 0;
	if (v->type & (IRT_VOLATILE | IRT_POINTER | IRT_FLOAT | IRT_RECORD | IRT_ARRAY))
		return 0;
	if (!v->int_bits && !(v->flags & IRV_TEMP)) /* temporaries: the lowering's, of int or wider */
		return 0;
	for (uint32_t b = 0; b < f->nr_blocks; b++)
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++)
			if (!store_is_exact(cx, &f->blocks[b].stmts[k], var))
				return 0;
	return 1;
}

/* A local integer whose every value the engine follows exactly.  While a
 * variable's stores are looked at it counts as exact, so that i = i + 1
 * does not chase itself. */
static int var_exact(struct flow_cx *cx, uint32_t var)
{
	uint8_t *fact = var < cx->nr_var_facts ? &cx->var_facts[var] : NULL;
	int exact;

	if (var >= cx->f->nr_vars || !fact)
		return 0;
	if (*fact & VF_EXACT_KNOWN)
		return (*fact & VF_EXACT) != 0;
	*fact |= VF_EXACT_KNOWN | VF_EXACT;
	exact = scan_exact(cx, var);
	if (!exact)
		*fact &= (uint8_t)~VF_EXACT;
	return exact;
}

static int operand_exact(struct flow_cx *cx, const struct ir_val *v)
{
	const struct ir_pathrec *p;

	if (v->kind == IRV_INT)
		return 1;
	if (v->kind != IRV_PATH)
		return 0;
	p = &cx->f->paths[v->path];
	return p->kind == IRP_VAR && var_exact(cx, p->id);
}

/* A constant compared with a variable must be a value of its type
 * (x == (int)0x80000000 is read as 2147483648: the cast is not seen). */
static int constant_fits(const struct ir_func *f, const struct ir_val *k, const struct ir_val *other)
{
	static const struct ir_var int32 = { .int_bits = 32 };
	const struct ir_var *v = &int32;

	if (k->kind != IRV_INT)
		return 1;
	if (other->kind == IRV_PATH && f->paths[other->path].kind == IRP_VAR &&
	    f->vars[f->paths[other->path].id].int_bits)
		v = &f->vars[f->paths[other->path].id];
	return fits(k->k, v);
}

/*
 * A path the engine cut at a test it does not model exactly (a callee's
 * summary that says "returns 0", a pointer it thinks cannot be NULL) may
 * have been a real one: then whatever it decided after that is suspect.
 * A function where some state was sent one way only by such a test gets
 * no decided tests at all; nor does one whose body holds #if or #ifdef.
 */
static int decisions_trusted(struct flow_cx *cx)
{
	const struct ir_func *f = cx->f;

	if (cx->decisions_trusted >= 0)
		return cx->decisions_trusted;
	/* #ifdef'd code may set what this build's code never does */
	cx->decisions_trusted = !f->configured;
	for (uint32_t b = 0; b < f->nr_blocks && cx->decisions_trusted; b++)
		if ((flow_block_seen(cx, b) & FLOW_TEST_PRUNED) &&
		    (!operand_exact(cx, &f->blocks[b].cond.l) || !operand_exact(cx, &f->blocks[b].cond.r)))
			cx->decisions_trusted = 0;
	return cx->decisions_trusted;
}

int flow_branch_decided(struct flow_cx *cx, uint32_t b, int *truth)
{
	const struct ir_block *blk = &cx->f->blocks[b];
	unsigned seen = flow_block_seen(cx, b), ways;

	if (blk->nsucc != 2 || !(seen & FLOW_BLOCK_REACHED) ||
	    (blk->flags & (IRB_COND_MACRO | IRB_COND_IMPLICIT | IRB_COND_UNSIGNED)))
		return 0;
	ways = seen & (FLOW_BRANCH_TRUE | FLOW_BRANCH_FALSE);
	if (ways != FLOW_BRANCH_TRUE && ways != FLOW_BRANCH_FALSE)
		return 0;
	if (!operand_exact(cx, &blk->cond.l) || !operand_exact(cx, &blk->cond.r) ||
	    !constant_fits(cx->f, &blk->cond.l, &blk->cond.r) || !constant_fits(cx->f, &blk->cond.r, &blk->cond.l) ||
	    !decisions_trusted(cx))
		return 0;
	*truth = ways == FLOW_BRANCH_TRUE;
	return 1;
}

int flow_branch_source_truth(const struct flow_cx *cx, uint32_t b, int truth)
{
	return (cx->f->blocks[b].flags & IRB_COND_NEGATED) ? !truth : truth;
}

static const char *const cmp_text[] = { "==", "!=", "<", "<=", ">", ">=" };

/* What a temporary stands for: the call that produced it, else "" (unknown). */
static void temp_text(struct flow_cx *cx, uint32_t var, struct strbuf *out)
{
	const struct ir_func *f = cx->f;

	for (uint32_t b = 0; b < f->nr_blocks; b++)
		for (uint32_t k = 0; k < f->blocks[b].nr_stmts; k++) {
			const struct ir_stmt *s = &f->blocks[b].stmts[k];
			if (s->op == IR_CALL && s->callee && s->dst && f->paths[s->dst].kind == IRP_VAR &&
			    f->paths[s->dst].id == var) {
				strbuf_addf(out, "%s()", ir_string(cx->t, s->callee));
				return;
			}
		}
}

static int operand_text(struct flow_cx *cx, const struct ir_val *v, struct strbuf *out)
{
	size_t len = out->len;

	if (v->kind == IRV_INT) {
		strbuf_addf(out, "%lld", (long long)v->k);
	} else if (v->kind == IRV_PATH && cx->f->paths[v->path].kind == IRP_VAR &&
		   (cx->f->vars[cx->f->paths[v->path].id].flags & IRV_TEMP)) {
		temp_text(cx, cx->f->paths[v->path].id, out);
	} else if (v->kind == IRV_PATH) {
		flow_path_name(cx, v->path, out);
	}
	return out->len > len;
}

int flow_cond_text(struct flow_cx *cx, uint32_t b, struct strbuf *out)
{
	static const uint8_t negation[] = { 1, 0, 5, 4, 3, 2 }; /* == != < <= > >= */
	const struct ir_cond *c = &cx->f->blocks[b].cond;
	uint8_t op = c->op;
	size_t len = out->len;

	if (op < sizeof(negation) && (cx->f->blocks[b].flags & IRB_COND_NEGATED))
		op = negation[op];
	if (op < sizeof(cmp_text) / sizeof(cmp_text[0]) && operand_text(cx, &c->l, out)) {
		strbuf_addf(out, " %s ", cmp_text[op]);
		if (operand_text(cx, &c->r, out))
			return 1;
	}
	strbuf_setlen(out, len);
	return 0;
}
