#ifndef MA_COMPDB_H
#define MA_COMPDB_H
/*
 * The compile database (compile_commands.json, as CMake, Bear and Meson
 * write it), turned into the list of translation units to parse.
 *
 * For each entry: the source file made absolute against "directory"; the
 * arguments from "arguments", or from "command" split like a POSIX shell
 * does (quotes, backslashes); then filtered for libclang: the compiler
 * itself, -c, -o FILE, the source file, dependency-file options (-MD, -MF
 * FILE, ...) and gcc-only options that clang rejects are dropped.  An entry
 * whose file is not C or C++ (assembly, Fortran, ...) is skipped and
 * counted; an entry whose file and filtered arguments equal an earlier
 * one's is dropped as a duplicate, while the same file built with
 * different flags stays twice.
 *
 *     struct ma_compdb db = MA_COMPDB_INIT;
 *     if (ma_compdb_load(&db, "build/compile_commands.json", &err) < 0)
 *             return error(err.buf);   ("'build/compile_commands.json': ...")
 *     for (size_t i = 0; i < db.nr; i++) parse(db.units[i].file, db.units[i].args.v);
 *     ma_compdb_release(&db);
 */
#include <stddef.h>

#include "strvec.h"

struct strbuf;

enum ma_lang { MA_LANG_C, MA_LANG_CXX };

struct ma_compile_unit {
	char *file;          /* absolute, normalised */
	char *directory;     /* absolute */
	struct strvec args;  /* for libclang: no compiler, no -c/-o, no source file */
	enum ma_lang lang;
	long long size;      /* bytes of the source file, -1 when unreadable */
};

struct ma_compdb {
	char *path;                     /* the file it was read from */
	struct ma_compile_unit *units;
	size_t nr, alloc;
	size_t skipped_other_lang;      /* entries that are not C or C++ */
	size_t duplicates;              /* identical entries dropped */
	struct strvec dropped_options;  /* distinct gcc-only options dropped */
};

#define MA_COMPDB_INIT { .dropped_options = STRVEC_INIT }

/* Read and parse a file; -1 with "'PATH': cause" in err. */
int ma_compdb_load(struct ma_compdb *db, const char *path, struct strbuf *err);
/* Parse JSON text; path only names the source in messages. */
int ma_compdb_parse(struct ma_compdb *db, const char *json, size_t len,
		    const char *path, struct strbuf *err);
void ma_compdb_release(struct ma_compdb *db);

/* Split a command line like /bin/sh would (no expansion); -1 on an open quote. */
int ma_shell_split(const char *cmd, struct strvec *out, struct strbuf *err);

/* The language of a source file by its extension; -1 when neither C nor C++. */
int ma_lang_of_file(const char *file);

#endif
