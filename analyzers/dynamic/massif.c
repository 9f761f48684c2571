/*
 * massif's output file (see massif.h).  The format, one item per line:
 *
 *   cmd: ./prog args
 *   time_unit: i
 *   #-----------
 *   snapshot=21
 *   #-----------
 *   time=345332
 *   mem_heap_B=210000
 *   mem_heap_extra_B=240
 *   mem_stacks_B=0
 *   heap_tree=peak            (or empty, detailed)
 *   n1: 210000 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.
 *    n1: 210000 0x109170: grow (heap.c:3)
 *     n0: 210000 0x1091B9: main (heap.c:4)
 *
 * A tree line is indented by its depth; its children follow it, largest
 * first.  Frames without source information read "(in /usr/lib/libc.so.6)".
 */
#include "massif.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/report.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

struct tree_reader {
	int in_peak;             /* reading the peak's tree */
	unsigned site_depth;     /* depth of the current site's root (1), 0: none open */
	int site_placed;         /* the current site has its frame */
	uint64_t site_bytes;
};

static int value_of(const char *line, const char *key, uint64_t *v)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) || line[n] != '=')
		return 0;
	*v = strtoull(line + n + 1, NULL, 10);
	return 1;
}

/* "0x109170: grow (heap.c:3)": function, file and line, 1; 0 without source. */
int ma_valgrind_frame_text(const char *text, char **fn, char **file, unsigned *line)
{
	const char *colon = strstr(text, ": "), *open, *close, *sep;

	if (!colon)
		return 0;
	text = colon + 2;
	open = strrchr(text, '(');
	close = open ? strchr(open, ')') : NULL;
	if (!open || !close || !strncmp(open, "(in ", 4))
		return 0;
	sep = close;
	while (sep > open && sep[-1] != ':')
		sep--;
	if (sep <= open + 1)
		return 0;
	*fn = ma_strndup(text, (size_t)(open - text - (open > text && open[-1] == ' ')));
	*file = ma_strndup(open + 1, (size_t)(sep - 1 - open - 1));
	*line = (unsigned)strtoul(sep, NULL, 10);
	return 1;
}

static void add_site(struct ma_heap_profile *p, char *fn, char *file, unsigned line, uint64_t bytes)
{
	ALLOC_GROW(p->sites, p->nr_sites + 1, p->alloc_sites);
	p->sites[p->nr_sites++] = (struct ma_heap_site){ .function = fn, .file = file, .line = line,
							  .bytes = bytes };
}

/* A line of the peak's tree: depth 1 opens a site, whose first frame with
 * source information (at any depth below) places it. */
static void tree_line(struct tree_reader *t, struct ma_heap_profile *p, const char *line)
{
	unsigned depth = 0;
	uint64_t bytes;
	char *fn, *file, *end;
	unsigned src_line;

	while (line[depth] == ' ')
		depth++;
	if (line[depth] != 'n' || !(end = strstr(line + depth, ": ")))
		return;
	bytes = strtoull(end + 2, &end, 10);
	if (depth == 1) {
		t->site_depth = 1;
		t->site_placed = 0;
		t->site_bytes = bytes;
	}
	if (!t->site_depth || t->site_placed || depth < 1 || p->nr_sites >= MA_MASSIF_MAX_SITES)
		return;
	if (strstr(end, "all below massif's threshold"))
		return;
	if (ma_valgrind_frame_text(end, &fn, &file, &src_line)) {
		add_site(p, fn, file, src_line, t->site_bytes);
		t->site_placed = 1;
	}
}

static void header_line(struct ma_heap_profile *p, const char *line)
{
	if (!strncmp(line, "cmd: ", 5) && !p->command)
		p->command = ma_strdup(line + 5);
	else if (!strncmp(line, "time_unit: ", 11) && !p->time_unit)
		p->time_unit = ma_strdup(line + 11);
}

int ma_massif_parse(FILE *in, const char *name, struct ma_heap_profile *out, struct strbuf *err)
{
	struct strbuf line = STRBUF_INIT;
	struct tree_reader t = { 0 };
	struct ma_heap_snapshot *s = NULL;
	uint64_t v, peak_heap = 0;
	int snapshots_seen = 0, peak_seen = 0;

	while (strbuf_getline(&line, in) != EOF) {
		const char *l = line.buf;
		if (value_of(l, "snapshot", &v)) {
			ALLOC_GROW(out->snapshots, out->nr_snapshots + 1, out->alloc_snapshots);
			s = &out->snapshots[out->nr_snapshots++];
			memset(s, 0, sizeof(*s));
			t.in_peak = 0;
			snapshots_seen = 1;
		} else if (s && value_of(l, "time", &v)) {
			s->time = v;
		} else if (s && value_of(l, "mem_heap_B", &v)) {
			s->heap = v;
		} else if (s && value_of(l, "mem_heap_extra_B", &v)) {
			s->extra = v;
		} else if (s && value_of(l, "mem_stacks_B", &v)) {
			s->stacks = v;
		} else if (s && !strcmp(l, "heap_tree=peak")) {
			t.in_peak = 1;
			t.site_depth = 0;
			out->peak = out->nr_snapshots - 1;
			peak_seen = 1;
		} else if (t.in_peak) {
			tree_line(&t, out, l);
		} else if (!snapshots_seen) {
			header_line(out, l);
		}
	}
	strbuf_release(&line);
	if (!snapshots_seen) {
		strbuf_addf(err, "%s: no snapshot: not a massif output file, or an empty one", name);
		return -1;
	}
	/* without a "peak" tree (a run cut short), the largest snapshot */
	for (size_t i = 0; !peak_seen && i < out->nr_snapshots; i++)
		if (out->snapshots[i].heap > peak_heap) {
			peak_heap = out->snapshots[i].heap;
			out->peak = i;
		}
	return 0;
}
