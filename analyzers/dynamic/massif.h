#ifndef MA_MASSIF_H
#define MA_MASSIF_H
/*
 * massif's output file (valgrind --tool=massif --massif-out-file=...):
 * the header (cmd, time_unit), every snapshot's heap, extra and stack
 * bytes, and the peak snapshot's allocation tree, of which memaudit keeps
 * the sites: for each allocation path under the root, the first frame with
 * source information (past malloc and the C library), with its bytes.
 *
 *     struct ma_heap_profile p = { 0 };
 *     if (ma_massif_parse(in, "massif.12.out", &p, &err) < 0) ... err says why
 */
#include <stdio.h>

struct ma_heap_profile;
struct strbuf;

#define MA_MASSIF_MAX_SITES 10

int ma_massif_parse(FILE *in, const char *name, struct ma_heap_profile *out, struct strbuf *err);
/* A frame as massif and DHAT print it, "0x109170: grow (heap.c:3)": its
 * function, file and line (the caller frees them), 1; 0 when it has no
 * source information ("0x4F: strdup (in /usr/lib/libc.so.6)"). */
int ma_valgrind_frame_text(const char *text, char **fn, char **file, unsigned *line);

#endif
