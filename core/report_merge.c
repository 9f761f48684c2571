#include "report_merge.h"
#include "alloc.h"
#include "array.h"
#include "finding.h"
#include "report.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Are these the shards of one run?                                    */

static const char *run_root(const struct ma_run *r) { return r->root ? r->root : ""; }
static const char *run_version(const struct ma_run *r) { return r->tool_version ? r->tool_version : ""; }
static const char *run_commit(const struct ma_run *r) { return r->commit ? r->commit : "none"; }

/* What every shard of one run has the same. */
static const struct {
	const char *name;
	const char *(*get)(const struct ma_run *);
} same_in_every_shard[] = {
	{ "root", run_root },
	{ "memaudit version", run_version },
	{ "commit", run_commit },
};

static int check_is_shard(const struct ma_run *run, const char *path, struct strbuf *err)
{
	if (run->shard_count)
		return 0;
	strbuf_addf(err, "'%s' is not a shard's report (no run.shard): write it with 'memaudit audit --shard K/N'",
		    path);
	return -1;
}

/* Shard `i` is of the same run as shard 0; -1 and why in err. */
static int check_same_run(const struct ma_report *shards, const char *const *paths, size_t i, struct strbuf *err)
{
	const struct ma_run *a = &shards[0].run, *b = &shards[i].run;

	if (b->shard_count != a->shard_count) {
		strbuf_addf(err, "'%s' is shard %u of %u, but '%s' is of %u: give the shards of one run",
			    paths[i], b->shard_index, b->shard_count, paths[0], a->shard_count);
		return -1;
	}
	for (size_t k = 0; k < ARRAY_SIZE(same_in_every_shard); k++) {
		const char *x = same_in_every_shard[k].get(a), *y = same_in_every_shard[k].get(b);
		if (strcmp(x, y)) {
			strbuf_addf(err, "'%s' and '%s' differ in %s ('%s', '%s'): give the shards of one run",
				    paths[0], paths[i], same_in_every_shard[k].name, x, y);
			return -1;
		}
	}
	return 0;
}

/* The shards none of the reports is, as "shard 3" or "shards 3, 4"; their count. */
static size_t describe_missing(const size_t *seen, unsigned count, struct strbuf *out)
{
	struct strbuf list = STRBUF_INIT;
	size_t n = 0;

	for (unsigned k = 0; k < count; k++)
		if (!seen[k])
			strbuf_addf(&list, "%s%u", n++ ? ", " : "", k + 1);
	if (n)
		strbuf_addf(out, "shard%s %s of %u", n > 1 ? "s" : "", list.buf, count);
	strbuf_release(&list);
	return n;
}

/*
 * Every shard 1..N once: at[k-1] is the index of shard k in shards[] (nr
 * when it is missing).  A missing shard is an error unless allowed; then
 * it is a failure of the merged report, which makes it partial.
 */
static int check_every_shard(struct ma_report *out, const struct ma_report *shards, const char *const *paths,
			     size_t nr, unsigned flags, size_t *at, struct strbuf *err)
{
	unsigned count = shards[0].run.shard_count;
	size_t *seen = ma_calloc(count, sizeof(*seen)); /* 1 + the index in shards[], 0: not given */
	struct strbuf missing = STRBUF_INIT;
	int ret = 0;

	for (size_t k = 0; k < count; k++)
		at[k] = nr;
	for (size_t i = 0; i < nr && !ret; i++) {
		unsigned k = shards[i].run.shard_index;
		if (seen[k - 1]) {
			strbuf_addf(err, "'%s' and '%s' are both shard %u of %u", paths[seen[k - 1] - 1], paths[i], k, count);
			ret = -1;
		}
		seen[k - 1] = i + 1;
		at[k - 1] = i;
	}
	if (!ret && describe_missing(seen, count, &missing)) {
		if (flags & MA_MERGE_ALLOW_MISSING) {
			strbuf_addstr(&missing, " not merged (--allow-missing): the report covers the other shards only");
			ma_report_add_failure(out, NULL, 0, 0, missing.buf);
		} else {
			strbuf_addf(err, "%s missing: give every shard's report.json, or --allow-missing", missing.buf);
			ret = -1;
		}
	}
	strbuf_release(&missing);
	free(seen);
	return ret;
}

static int check_shards(struct ma_report *out, const struct ma_report *shards, const char *const *paths,
			size_t nr, unsigned flags, size_t *at, struct strbuf *err)
{
	for (size_t i = 0; i < nr; i++)
		if (check_is_shard(&shards[i].run, paths[i], err) < 0 || check_same_run(shards, paths, i, err) < 0)
			return -1;
	return check_every_shard(out, shards, paths, nr, flags, at, err);
}

/* ------------------------------------------------------------------ */
/* One report from them                                                */

static char *dup_or_null(const char *s)
{
	return s ? ma_strdup(s) : NULL;
}

/* What one run has once: from the first shard merged. */
static void take_identity(struct ma_run *d, const struct ma_run *s)
{
	d->read_tool_version = ma_strdup(s->tool_version);
	d->tool_version = d->read_tool_version;
	d->root = dup_or_null(s->root);
	d->compile_db = dup_or_null(s->compile_db);
	d->commit = dup_or_null(s->commit);
	d->branch = dup_or_null(s->branch);
	d->started = s->started;
	d->tus_skipped = s->tus_skipped;
	d->tus_filtered = s->tus_filtered;
}

/* The shards ran side by side: the run started with the first and took as long as the longest. */
static void take_span(struct ma_run *d, const struct ma_run *s)
{
	if (s->started < d->started)
		d->started = s->started;
	if (s->wall_seconds > d->wall_seconds)
		d->wall_seconds = s->wall_seconds;
	if (s->jobs > d->jobs)
		d->jobs = s->jobs;
}

int ma_reports_merge(struct ma_report *out, struct ma_report *shards, const char *const *paths, size_t nr,
		     unsigned flags, struct strbuf *err)
{
	size_t *at;
	unsigned count;
	int ret = -1, have_identity = 0;

	if (!nr) {
		strbuf_addstr(err, "no shard reports to merge");
		return -1;
	}
	if (check_is_shard(&shards[0].run, paths[0], err) < 0)
		return -1;
	count = shards[0].run.shard_count; /* shards[0] is emptied below */
	at = ma_calloc(count, sizeof(*at));
	if (check_shards(out, shards, paths, nr, flags, at, err) < 0)
		goto out;
	for (unsigned k = 0; k < count; k++) {
		struct ma_report *s = at[k] < nr ? &shards[at[k]] : NULL;
		if (!s)
			continue;
		if (!have_identity++)
			take_identity(&out->run, &s->run);
		take_span(&out->run, &s->run);
		ma_report_append(out, s);
	}
	ma_findings_confirm(&out->findings);
	ma_findings_finalize(&out->findings, out->run.root);
	ret = 0;
out:
	free(at);
	return ret;
}
