#ifndef MA_STATIC_ENGINE_H
#define MA_STATIC_ENGINE_H
/*
 * The static engine: the narrow interface between the libclang front end
 * and the checkers (smatch's hooks).
 *
 * A checker is one file, analyzers/static/check_<rule>.c, exporting
 *     void check_<rule>(struct ma_engine *e, int id);
 * which only registers callbacks; it never walks the AST itself.  The
 * engine walks each function definition of the project's own files once,
 * depth first, and calls, for every cursor:
 *   - the hooks registered for its cursor kind (ma_engine_on_kind),
 *   - for a call, the hooks registered for the callee's name
 *     (ma_engine_on_call), looked up in a hash table,
 * plus function-begin/end hooks.  The engine knows no checker by name: the
 * list lives in check_list.h, and the rule a checker reports is the rule
 * whose id is its file name (check_free_non_heap.c -> "free-non-heap").
 *
 * Registration happens once, before any worker starts; afterwards the
 * engine is read-only and shared by all workers.  Callbacks get a
 * `struct ma_visit` that describes where the walk stands (translation unit,
 * function, chain of parents); it is per worker, so callbacks may run
 * concurrently in several workers but never concurrently on one visit.
 *
 *     static int my_id;
 *     static void match_gets(struct ma_visit *v, CXCursor call)
 *     {
 *             ma_report(v, my_id, call, "'gets' cannot limit its input");
 *     }
 *     void check_dangerous_function(struct ma_engine *e, int id)
 *     {
 *             my_id = id;
 *             ma_engine_on_call(e, id, "gets", match_gets);
 *     }
 */
#include <clang-c/Index.h>

struct ma_engine;
struct ma_visit;
struct ma_finding;

typedef void (*ma_cursor_fn)(struct ma_visit *v, CXCursor cursor);

/* Registration (before the walk). */
void ma_engine_on_kind(struct ma_engine *e, int id, enum CXCursorKind kind, ma_cursor_fn fn);
void ma_engine_on_call(struct ma_engine *e, int id, const char *callee, ma_cursor_fn fn);
void ma_engine_on_function_begin(struct ma_engine *e, int id, ma_cursor_fn fn);
void ma_engine_on_function_end(struct ma_engine *e, int id, ma_cursor_fn fn);

/* Where the walk stands. */
CXTranslationUnit ma_visit_tu(const struct ma_visit *v);
/* This walk's number, unique in the process: a checker's cache of cursors
 * keyed by it cannot outlive the unit (whose memory a later one reuses). */
unsigned long ma_visit_serial(const struct ma_visit *v);
CXCursor ma_visit_function(const struct ma_visit *v);
const char *ma_visit_function_name(const struct ma_visit *v);
/* The n-th ancestor of the current cursor (0: its parent); a null cursor past the function. */
CXCursor ma_visit_parent(const struct ma_visit *v, unsigned n);
/* clang_getCursorReferenced(c), remembered for the cursor being visited:
 * several checkers ask it of the same DeclRefExpr. */
CXCursor ma_visit_referenced(struct ma_visit *v, CXCursor c);
/* The current cursor's position among its parent's children (0-based). */
unsigned ma_visit_child_index(const struct ma_visit *v);
/* The n-th ancestor's position among its own parent's children. */
unsigned ma_visit_parent_child_index(const struct ma_visit *v, unsigned n);

/*
 * Report a finding of the checker's rule at cursor `at` (its expansion
 * location, so a bug inside a macro is placed where the macro is used).
 * Returns the finding so the caller can add events; it is owned by the
 * engine.  Findings outside the project's files (system headers) are
 * dropped and NULL is returned.
 */
__attribute__((format(printf, 4, 5)))
struct ma_finding *ma_report(struct ma_visit *v, int id, CXCursor at, const char *fmt, ...);
__attribute__((format(printf, 4, 5)))
void ma_report_event(struct ma_visit *v, struct ma_finding *f, CXCursor at, const char *fmt, ...);

#endif
