#include "audit_changed.h"
#include "../analyzers/static/static_pass.h"
#include "../core/alloc.h"
#include "../core/compdb.h"
#include "../core/finding.h"
#include "../core/git_changes.h"
#include "../core/report.h"
#include "../core/strvec.h"

#include <stdlib.h>

static int includes_a_change(const struct strvec *files, const struct ma_changes *ch)
{
	for (size_t i = 0; i < files->nr; i++)
		if (ma_changes_find(ch, files->v[i]))
			return 1;
	return 0;
}

/* Is some changed file no unit's own (a header, or anything else)? */
static int changed_beyond_units(struct ma_compile_unit *const *units, size_t nr, const struct ma_changes *ch)
{
	size_t own = 0;

	for (size_t i = 0; i < nr; i++)
		own += ma_changes_find(ch, units[i]->file) != NULL;
	return own < ch->nr;
}

void ma_select_changed_units(struct ma_compile_unit **units, size_t *nr, const struct ma_changes *ch,
			     int jobs, struct ma_run *run)
{
	struct ma_compile_unit **rest = ma_calloc(*nr ? *nr : 1, sizeof(*rest));
	struct strvec *includes = NULL;
	size_t kept = 0, nr_rest = 0, total = *nr;

	for (size_t i = 0; i < total; i++) {
		if (ma_changes_find(ch, units[i]->file))
			units[kept++] = units[i];
		else
			rest[nr_rest++] = units[i];
	}
	if (nr_rest && changed_beyond_units(units, total, ch)) {
		includes = ma_calloc(nr_rest, sizeof(*includes));
		for (size_t i = 0; i < nr_rest; i++)
			strvec_init(&includes[i]);
		ma_static_includes(rest, nr_rest, jobs, includes);
		for (size_t i = 0; i < nr_rest; i++) {
			if (includes_a_change(&includes[i], ch))
				units[kept++] = rest[i];
			strvec_clear(&includes[i]);
		}
		free(includes);
	}
	strvec_pushf(&run->notes, "--changed-since: %zu of %zu translation units are or include a changed file "
		     "(%zu file%s changed)", kept, total, ch->nr, ch->nr == 1 ? "" : "s");
	run->tus_filtered += total - kept;
	run->tus_total = kept;
	*nr = kept;
	free(rest);
}

void ma_keep_findings_on_changed_lines(struct ma_findings *set, const struct ma_changes *ch, struct ma_run *run)
{
	size_t kept = 0, dropped;

	for (size_t i = 0; i < set->nr; i++) {
		struct ma_finding *f = set->items[i];
		const struct ma_changed_file *cf = ma_changes_find(ch, f->loc.file);
		if (cf && ma_changed_line(cf, f->loc.line))
			set->items[kept++] = f;
		else
			ma_finding_free(f);
	}
	dropped = set->nr - kept;
	set->nr = kept;
	strvec_pushf(&run->notes, "--new-code-only: %zu finding%s on lines that did not change left out",
		     dropped, dropped == 1 ? "" : "s");
}
