#ifndef MA_CALLGRIND_H
#define MA_CALLGRIND_H
/*
 * callgrind's output file (valgrind --tool=callgrind
 * --callgrind-out-file=...; the format is described in callgrind.c): per
 * function, its own cost and its cost with the calls it made, for each
 * event counted, and the calls between functions with their counts and
 * costs.  Read line by line: memory is that of the profile, not the file.
 *
 *     struct ma_cost_profile p;
 *     ma_cost_profile_init(&p);
 *     if (ma_callgrind_parse(in, "callgrind.12.out", &p, &err) < 0)
 *             ... err says why ("callgrind.12.out:40: ..."); p holds what was read before
 *     ma_cost_profile_release(&p);
 *
 * A file cut short (no "totals:" line: the process was killed while it
 * was written) or a line that is not callgrind's is an error naming the
 * file and the line; what was read before it is kept in out.
 */
#include <stdio.h>

struct ma_cost_profile;
struct strbuf;

int ma_callgrind_parse(FILE *in, const char *name, struct ma_cost_profile *out, struct strbuf *err);

#endif
