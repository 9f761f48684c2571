#include "rules.h"

#include <string.h>

const struct ma_rule ma_rules[] = {
#define MA_RULE(id_, title_, cwe_, sev_, prec_, tags_, secsev_, desc_, fix_) \
	{ .id = id_, .title = title_, .cwe = cwe_, .severity = sev_, .precision = prec_, \
	  .tags = tags_, .security_severity = secsev_, .description = desc_, .fix = fix_ },
#include "rules.def"
#undef MA_RULE
};

const size_t ma_nr_rules = sizeof(ma_rules) / sizeof(ma_rules[0]);

const struct ma_rule *ma_rule_find(const char *id)
{
	size_t lo = 0, hi = ma_nr_rules;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, ma_rules[mid].id);
		if (!c)
			return &ma_rules[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t ma_rule_index(const struct ma_rule *rule)
{
	return (size_t)(rule - ma_rules);
}
