#ifndef MA_AUDIT_CHANGED_H
#define MA_AUDIT_CHANGED_H
/*
 * `memaudit audit --changed-since REF [--new-code-only]`: the units worth
 * auditing after a change, and the findings on the changed lines only.
 */
#include <stddef.h>

struct ma_changes;
struct ma_compile_unit;
struct ma_findings;
struct ma_run;

/*
 * Keep, in units[0..*nr), those whose own file changed or that include a
 * changed file (found with a light parse of the others, only when a file
 * that is no unit's own changed: a header); a note in run says how many.
 */
void ma_select_changed_units(struct ma_compile_unit **units, size_t *nr, const struct ma_changes *ch,
			     int jobs, struct ma_run *run);

/* Drop the findings whose line did not change; a note in run says how many. */
void ma_keep_findings_on_changed_lines(struct ma_findings *set, const struct ma_changes *ch, struct ma_run *run);

#endif
