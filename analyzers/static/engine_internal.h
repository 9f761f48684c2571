#ifndef MA_STATIC_ENGINE_INTERNAL_H
#define MA_STATIC_ENGINE_INTERNAL_H
/*
 * The engine's side that the front end uses (checkers include engine.h
 * only): creating the engine with its checkers, and walking one parsed
 * translation unit into a set of findings.
 */
#include "engine.h"

struct ma_findings;
struct ma_rule;
struct strbuf;
struct strvec;

struct ma_engine *ma_engine_new(void);
void ma_engine_free(struct ma_engine *e);
/* Adds a check slot reporting `rule`; returns its id. */
int ma_engine_add_check(struct ma_engine *e, const char *name, const struct ma_rule *rule);
size_t ma_engine_nr_checks(const struct ma_engine *e);
const char *ma_engine_check_name(const struct ma_engine *e, int id);

/*
 * The engine with the checkers of check_list.h registered; `only` (may be
 * NULL or empty) restricts them to the named rule ids; "none" registers
 * none (a parse-only run, for benchmarks).  NULL and a line in err when
 * `only` names an unknown rule.
 */
struct ma_engine *ma_checks_engine(const struct strvec *only, struct strbuf *err);

const struct flow_engine *ma_engine_flow_const(const struct ma_engine *e);

struct ma_walk_stats {
	size_t functions;
	size_t cursors;
	size_t depth_limited;   /* functions whose deepest nodes were skipped */
};

/* Walk every function definition of tu outside system headers. */
void ma_engine_walk_tu(const struct ma_engine *e, CXTranslationUnit tu, const char *workdir,
		       struct ma_findings *sink, struct ma_walk_stats *stats);

#endif
