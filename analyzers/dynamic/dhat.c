/*
 * DHAT's JSON output (see dhat.h).  Its fields (DHAT's "dhatFileVersion" 2):
 *   cmd, tu (time unit), te (time at the end), tuth (short-lived below this),
 *   pps: [{ tb, tbk (total bytes, blocks), tl (total lifetime), mb (most
 *          bytes live at once), rb, wb (bytes read, written), fs: [frame
 *          indices into ftbl] }],
 *   ftbl: ["[root]", "0x48417B4: malloc (in ...)", "0x109170: grow (heap.c:3)", ...]
 */
#include "dhat.h"
#include "massif.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/report.h"
#include "../../core/strbuf.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static uint64_t num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) && v->valuedouble > 0 ? (uint64_t)v->valuedouble : 0;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The site of a program point: its first frame with source information. */
static int place(const cJSON *pp, const cJSON *ftbl, char **fn, char **file, unsigned *line)
{
	const cJSON *i;

	cJSON_ArrayForEach(i, cJSON_GetObjectItemCaseSensitive(pp, "fs")) {
		const cJSON *f = cJSON_IsNumber(i) ? cJSON_GetArrayItem(ftbl, i->valueint) : NULL;
		if (cJSON_IsString(f) && ma_valgrind_frame_text(f->valuestring, fn, file, line))
			return 1;
	}
	return 0;
}

/* The site already made for this place, or a new one. */
static struct ma_alloc_site *site_for(struct ma_alloc_profile *p, char *fn, char *file, unsigned line)
{
	for (size_t i = 0; i < p->nr_sites; i++)
		if (p->sites[i].line == line && !strcmp(p->sites[i].file, file) && !strcmp(p->sites[i].function, fn)) {
			free(fn);
			free(file);
			return &p->sites[i];
		}
	ALLOC_GROW(p->sites, p->nr_sites + 1, p->alloc_sites);
	p->sites[p->nr_sites] = (struct ma_alloc_site){ .function = fn, .file = file, .line = line };
	return &p->sites[p->nr_sites++];
}

static int cmp_bytes(const void *a, const void *b)
{
	const struct ma_alloc_site *x = a, *y = b;

	return (x->bytes < y->bytes) - (x->bytes > y->bytes);
}

int ma_dhat_parse(const char *text, size_t len, const char *name, struct ma_alloc_profile *out,
		  struct strbuf *err)
{
	cJSON *root = cJSON_ParseWithLength(text, len), *ftbl, *pp;

	if (!root || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "pps"))) {
		strbuf_addf(err, "%s: not DHAT output (JSON with \"pps\")", name);
		cJSON_Delete(root);
		return -1;
	}
	out->command = ma_strdup(str(root, "cmd") ? str(root, "cmd") : "");
	out->time_unit = ma_strdup(str(root, "tu") ? str(root, "tu") : "");
	out->total_time = num(root, "te");
	out->short_lived = num(root, "tuth");
	ftbl = cJSON_GetObjectItemCaseSensitive(root, "ftbl");
	cJSON_ArrayForEach(pp, cJSON_GetObjectItemCaseSensitive(root, "pps")) {
		char *fn, *file;
		unsigned line;
		struct ma_alloc_site *s;
		if (!place(pp, ftbl, &fn, &file, &line))
			continue;
		s = site_for(out, fn, file, line);
		s->bytes += num(pp, "tb");
		s->blocks += num(pp, "tbk");
		s->max_bytes += num(pp, "mb");
		s->reads += num(pp, "rb");
		s->writes += num(pp, "wb");
		s->total_lifetime += num(pp, "tl");
	}
	for (size_t i = 0; i < out->nr_sites; i++)
		out->sites[i].avg_lifetime = out->sites[i].blocks ? out->sites[i].total_lifetime / out->sites[i].blocks : 0;
	cJSON_Delete(root);
	if (out->nr_sites > 1)
		qsort(out->sites, out->nr_sites, sizeof(*out->sites), cmp_bytes);
	while (out->nr_sites > MA_DHAT_MAX_SITES) {
		struct ma_alloc_site *s = &out->sites[--out->nr_sites];
		free(s->function);
		free(s->file);
	}
	return 0;
}
