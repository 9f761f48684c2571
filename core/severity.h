#ifndef MA_SEVERITY_H
#define MA_SEVERITY_H
/*
 * Severities, ordered so that a larger value is more severe:
 * `--fail-on warning` fails on every finding with severity >= MA_SEV_WARNING.
 */
enum ma_severity {
	MA_SEV_NOTE = 0,
	MA_SEV_WARNING = 1,
	MA_SEV_ERROR = 2,
};

#define MA_SEV_COUNT 3

const char *ma_severity_name(enum ma_severity s);
/* 0 and *out set on "note", "warning" or "error"; -1 otherwise. */
int ma_severity_parse(const char *name, enum ma_severity *out);

#endif
