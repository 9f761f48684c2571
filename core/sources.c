#include "sources.h"
#include "alloc.h"
#include "fs.h"
#include "report.h"
#include "strbuf.h"
#include "strvec.h"

#include <stdlib.h>
#include <string.h>

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_source(const void *key, const void *item)
{
	return strcmp(key, ((const struct ma_source *)item)->path);
}

/* Every file a finding or one of its events names, sorted, each once. */
static void named_files(const struct ma_report *rep, struct strvec *out)
{
	size_t kept = 0;

	for (size_t i = 0; i < rep->findings.nr; i++) {
		const struct ma_finding *f = rep->findings.items[i];
		if (f->loc.file)
			strvec_push(out, f->loc.file);
		for (size_t k = 0; k < f->nr_events; k++)
			if (f->events[k].loc.file)
				strvec_push(out, f->events[k].loc.file);
	}
	if (!out->nr)
		return;
	qsort(out->v, out->nr, sizeof(*out->v), cmp_path);
	for (size_t i = 0; i < out->nr; i++) {
		if (kept && !strcmp(out->v[kept - 1], out->v[i])) {
			free((char *)out->v[i]);
			continue;
		}
		out->v[kept++] = out->v[i];
	}
	out->nr = kept;
	out->v[kept] = NULL;
}

int ma_source_read(const char *path, size_t max_file, struct ma_source *src)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	off_t size = ma_file_size(path);

	if (size < 0 || (size_t)size > max_file || strbuf_read_file(&text, path, &err) < 0) {
		strbuf_release(&text);
		strbuf_release(&err);
		return -1;
	}
	strbuf_release(&err);
	src->path = ma_strdup(path);
	src->text = strbuf_detach(&text, &src->len);
	return 0;
}

void ma_sources_load(struct ma_sources *s, const struct ma_report *rep, size_t max_file)
{
	struct strvec files = STRVEC_INIT;

	named_files(rep, &files);
	s->items = ma_calloc(files.nr ? files.nr : 1, sizeof(*s->items));
	s->alloc = files.nr;
	for (size_t i = 0; i < files.nr; i++) {
		if (ma_source_read(files.v[i], max_file, &s->items[s->nr]) == 0)
			s->nr++;
		else
			s->skipped++;
	}
	strvec_clear(&files);
}

const struct ma_source *ma_sources_find(const struct ma_sources *s, const char *path)
{
	if (!s || !s->nr || !path)
		return NULL;
	return bsearch(path, s->items, s->nr, sizeof(*s->items), cmp_source);
}

void ma_source_release(struct ma_source *src)
{
	free(src->path);
	free(src->text);
	memset(src, 0, sizeof(*src));
}

void ma_sources_release(struct ma_sources *s)
{
	for (size_t i = 0; i < s->nr; i++)
		ma_source_release(&s->items[i]);
	free(s->items);
	memset(s, 0, sizeof(*s));
}
