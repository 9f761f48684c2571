#ifndef MA_SANITIZE_BUILD_H
#define MA_SANITIZE_BUILD_H
/*
 * The sanitizer build of --build CMD --sanitize LIST: the project's own
 * build command, run the way scan-build runs it.  Makefiles hard-code CC
 * and CFLAGS or take them from the command line, so both are covered:
 * compiler wrappers come first on PATH (cc, gcc, clang, c++, g++, clang++
 * and the versioned names found on PATH), each calling clang with the
 * sanitizer flags added, and CC, CXX, CFLAGS, CXXFLAGS and LDFLAGS are set
 * in the environment.
 *
 * Objects already up to date would be silently reused without the
 * sanitizers, so a tree that holds objects before the build, or whose
 * build calls no compiler, is copied to a scratch directory whose sources
 * are made newer than everything, and built there; ma_sanitize_build_to_copy()
 * names a path of the tree in the copy (ma_report_move_paths() moves findings back).
 *
 *     struct ma_sanitize_build b = { .build = argv, .sanitize = "address,undefined",
 *                                    .base = root, .cwd = cwd };
 *     if (ma_sanitize_build_run(&b, &err) < 0) ... err says why
 *     ... run the tests in b.run_cwd ...
 *     ma_sanitize_build_release(&b);      (removes the wrappers and the copy)
 */
#include "../../core/spawn.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

struct ma_sanitize_build {
	/* in */
	const char *const *build;  /* the build command, argv */
	const char *sanitize;      /* checked list for -fsanitize= ("address,undefined") */
	const char *base;          /* the tree the build works in: copied when it holds objects */
	const char *cwd;           /* where the build runs: base or under it */
	const char *capture_db;    /* non-NULL: the build runs under bear, writing this database */
	const char *log_path;      /* non-NULL: the build's output goes here */
	int always_copy;           /* build in a copy even when the tree has no objects */
	long timeout_ms;
	/* out */
	struct strbuf tmp;         /* wrappers and scratch copy, removed by release */
	struct strbuf copy;        /* the copy of base; empty when built in place */
	struct strbuf run_cwd;     /* cwd, in the tree that was built */
	size_t objects_before;     /* object files base held before the build */
	size_t compiler_calls;     /* calls through the wrappers */
	struct ma_spawn_result res;
};

/* NULL when every name in the comma-separated list is a clang sanitizer
 * this build knows, else the first unknown name (a pointer into list). */
const char *ma_sanitizer_unknown(const char *list, size_t *len);

/* 0 when the list can be one build; -1 with err set (thread with address). */
int ma_sanitizers_compatible(const char *list, struct strbuf *err);

/* Build; -1 with err set when the build could not be started or compiled
 * nothing.  A failing build is not an error here: b->res says how it ended. */
int ma_sanitize_build_run(struct ma_sanitize_build *b, struct strbuf *err);

/* path, moved from base into the copy when there is one (else as is). */
void ma_sanitize_build_to_copy(const struct ma_sanitize_build *b, const char *path, struct strbuf *out);

void ma_sanitize_build_release(struct ma_sanitize_build *b);

#endif
