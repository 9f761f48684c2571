#ifndef MA_SYMBOLIZE_H
#define MA_SYMBOLIZE_H
/*
 * Source frames for raw addresses, read from the binaries' DWARF with
 * elfutils' libdw.  The sanitizers print "#0 0x55d0c8a1b2c3  (/src/prog+0x1b2c3)"
 * when no llvm-symbolizer is installed or symbolize=0 is set: a binary and
 * the offset of the address from where it was loaded, which is the
 * address in the binary's own ELF layout.  Here that offset becomes the
 * function, file and line, one frame per inlined call (innermost first),
 * as llvm-symbolizer would have printed them.
 *
 * A symbolizer opens each binary once and keeps it (its DWARF is read on
 * first use), so one object should serve a whole run:
 *
 *     struct ma_symbolizer *sym = ma_symbolizer_new();
 *     ma_symbolize_stack(sym, &e->stack);        (frames with obj+offset and no file)
 *     ...
 *     ma_symbolizer_free(sym);
 *
 * A binary without debug information keeps its frames as binary+offset
 * (with the function's name when its symbol table has it): placement then
 * skips them, as it skips any frame without a file.
 */
#include "valgrind_xml.h"

#include <stdint.h>

struct strbuf;
struct ma_symbolizer;

struct ma_symbolizer *ma_symbolizer_new(void);
void ma_symbolizer_free(struct ma_symbolizer *s);

/*
 * The frames of offset `offset` in binary `path`, appended to out: the
 * innermost function first, then the function each inlined call was
 * inlined into, at the line of the call.  Each frame has obj = path and
 * the offset; file and line when the DWARF covers the address, fn when
 * the DWARF or the symbol table names it.  Returns how many frames were
 * appended (at least 1), or -1 with err set when path cannot be read as
 * an ELF file ("cannot read '/x': No such file or directory").
 */
int ma_symbolize(struct ma_symbolizer *s, const char *path, uint64_t offset, struct vg_stack *out,
		 struct strbuf *err);

/* Every frame of st that has a binary and an offset but no file is
 * replaced by its frames (ma_symbolize); a frame whose binary cannot be
 * read is kept as it was.  Returns how many frames gained a file. */
size_t ma_symbolize_stack(struct ma_symbolizer *s, struct vg_stack *st);

/* The highest DWARF version among path's units (or those of its separate
 * debug file), 0 when it has no debug information, -1 with err set when it
 * cannot be read. */
int ma_dwarf_version(const char *path, struct strbuf *err);

/*
 * Why no line was found in binary path, when its DWARF says: one line for
 * the report's notes appended to out, and 1.
 *     "<path>: no debug information: rebuild with -g"
 *     "<path>: built with DWARF 5, which Valgrind 3.19 cannot read: rebuild with -gdwarf-4 (or gcc)"
 * The second only for Valgrind (valgrind non-zero): libdw reads DWARF 5.
 * 0 when the DWARF does not explain it (or path cannot be read).
 */
int ma_dwarf_explain(const char *path, int valgrind, struct strbuf *out);

#endif
