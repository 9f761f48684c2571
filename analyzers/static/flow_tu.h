#ifndef MA_STATIC_FLOW_TU_H
#define MA_STATIC_FLOW_TU_H
/*
 * The flow engine over a whole lowered translation unit (flow_tu.c): the
 * static pass calls this once per unit, after the AST is gone.
 *
 *     struct flow_stats st = { 0 };
 *     flow_analyze_tu(ma_engine_flow(engine), irtu, &findings, &st);
 */
#include <stddef.h>

struct flow_engine;
struct ir_tu;
struct ma_findings;
struct ma_rule;

struct flow_stats {
	size_t functions;   /* analysed */
	size_t skipped;     /* lowering gave up on them (too large or deep) */
	size_t abandoned;   /* analysis ran out of its step budget */
};

void flow_analyze_tu(const struct flow_engine *fe, struct ir_tu *t, struct ma_findings *sink,
		     struct flow_stats *stats);

struct flow_engine *flow_engine_create(void);
void flow_engine_free(struct flow_engine *fe);
void flow_engine_set_rule(struct flow_engine *fe, int id, const struct ma_rule *rule);

#endif
