/*
 * The table of static checkers, built from check_list.h, and the engine
 * with them registered.
 */
#include "engine_internal.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

#include <string.h>

#define CK(name) void name(struct ma_engine *e, int id);
#include "check_list.h"
#undef CK

struct check_def {
	const char *name;
	void (*init)(struct ma_engine *e, int id);
};

static const struct check_def check_defs[] = {
#define CK(name) { #name, name },
#include "check_list.h"
#undef CK
};

/* check_free_non_heap -> free-non-heap */
static void rule_id_of(const char *check, struct strbuf *out)
{
	const char *p;

	if (!skip_prefix(check, "check_", &p))
		p = check;
	for (; *p; p++)
		strbuf_addch(out, *p == '_' ? '-' : *p);
}

static int wanted(const struct strvec *only, const char *rule_id)
{
	if (!only || !only->nr)
		return 1;
	for (size_t i = 0; i < only->nr; i++)
		if (!strcmp(only->v[i], rule_id))
			return 1;
	return 0;
}

static int check_only_list(const struct strvec *only, struct strbuf *err)
{
	for (size_t i = 0; only && i < only->nr; i++) {
		if (!strcmp(only->v[i], "none"))
			continue;
		if (!ma_rule_find(only->v[i])) {
			strbuf_addf(err, "unknown rule '%s' (see 'memaudit rules')", only->v[i]);
			return -1;
		}
	}
	return 0;
}

struct ma_engine *ma_checks_engine(const struct strvec *only, struct strbuf *err)
{
	struct ma_engine *e;

	if (check_only_list(only, err) < 0)
		return NULL;
	e = ma_engine_new();
	for (size_t i = 0; i < sizeof(check_defs) / sizeof(check_defs[0]); i++) {
		struct strbuf id = STRBUF_INIT;
		const struct ma_rule *rule;

		rule_id_of(check_defs[i].name, &id);
		rule = ma_rule_find(id.buf);
		if (!rule) {
			/* a checker without its catalogue record is a build mistake */
			strbuf_addf(err, "internal error: checker '%s' has no rule '%s' in rules/",
				    check_defs[i].name, id.buf);
			strbuf_release(&id);
			ma_engine_free(e);
			return NULL;
		}
		if (wanted(only, id.buf))
			check_defs[i].init(e, ma_engine_add_check(e, check_defs[i].name, rule));
		strbuf_release(&id);
	}
	return e;
}
