#ifndef MA_SANITIZER_LOG_H
#define MA_SANITIZER_LOG_H
/*
 * The reports the sanitizers' runtimes write (ASAN_OPTIONS=log_path=...
 * and the like): AddressSanitizer's errors, LeakSanitizer's leaks,
 * UndefinedBehaviorSanitizer's runtime errors, ThreadSanitizer's
 * warnings and MemorySanitizer's, read line by line into the same record
 * Valgrind's errors use (struct vg_error), so that one placement serves
 * both.
 *
 *   kind      "asan:heap-use-after-free" (ASan's kind is its SUMMARY line's
 *             name, "asan:bad-free"), "lsan:Direct leak",
 *             "ubsan:runtime error", "tsan:data race",
 *             "msan:use-of-uninitialized-value"
 *   what      "READ of size 4 at 0x... thread T0", the UBSan message, ...
 *   stack     the first stack (where it happened, or was allocated: leaks)
 *   aux       the lines after it ("freed by thread T0 here:", "Previous
 *             write of size 4 ...", "Location is global 'n' ...") and the
 *             stacks that follow them
 *
 * Each record is handed to the callback when the next one starts, at its
 * SUMMARY line, or at the end of the file: a log cut short keeps what it
 * holds.
 *
 * Frames printed without a symbolizer (a binary and an offset) are
 * resolved against the binaries' DWARF by sym (symbolize.h) when one is
 * given; with NULL they stay as printed.
 */
#include "valgrind_xml.h"

#include <stdio.h>

struct strbuf;
struct ma_symbolizer;

/* -1 with err set when the file cannot be read; else 0, *records counted. */
int sanitizer_parse_file(const char *path, struct ma_symbolizer *sym,
			 int (*fn)(const struct vg_error *e, void *data), void *data, size_t *records,
			 struct strbuf *err);
int sanitizer_parse_stream(FILE *in, struct ma_symbolizer *sym, int (*fn)(const struct vg_error *e, void *data),
			   void *data, size_t *records);

#endif
