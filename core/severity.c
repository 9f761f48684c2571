#include "severity.h"

#include <string.h>

static const char *const names[MA_SEV_COUNT] = { "note", "warning", "error" };

const char *ma_severity_name(enum ma_severity s)
{
	return (unsigned)s < MA_SEV_COUNT ? names[s] : "unknown";
}

int ma_severity_parse(const char *name, enum ma_severity *out)
{
	for (int i = 0; i < MA_SEV_COUNT; i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum ma_severity)i;
			return 0;
		}
	}
	return -1;
}
