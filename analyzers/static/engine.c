/*
 * The static engine: hook tables, the walk over each function, and the
 * report functions checkers call.  See engine.h for the contract.
 */
#include "engine_internal.h"
#include "flow.h"
#include "flow_tu.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/finding.h"
#include "../../core/hash.h"
#include "../../core/path.h"
#include "../../core/rules.h"
#include "../../core/strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Deeper nesting than this is not walked (adversarial input); noted in stats. */
#define MAX_DEPTH 2000
/* libclang cursor kinds are below this bound (CXCursor_OverloadCandidate is 700). */
#define MAX_KIND 1024

struct hook {
	int id;
	ma_cursor_fn fn;
};

struct hook_list {
	struct hook *items;
	size_t nr, alloc;
};

struct call_slot {
	char *name;              /* NULL: empty slot */
	struct hook_list hooks;
};

struct check_slot {
	char *name;
	const struct ma_rule *rule;
};

struct ma_engine {
	struct hook_list by_kind[MAX_KIND];
	struct call_slot *calls;  /* open addressing, power-of-two size */
	size_t calls_size, calls_nr;
	struct hook_list fn_begin, fn_end;
	struct check_slot *checks;
	size_t nr_checks, alloc_checks;
	struct flow_engine *flow;   /* the data-flow engine's hooks (flow.h) */
};

struct frame {
	CXCursor cursor;
	unsigned child_index;   /* position among its parent's children */
	unsigned next_child;    /* children visited so far */
};

struct file_name {
	CXFile file;
	char *path;
	int in_system;
};

struct ma_visit {
	const struct ma_engine *e;
	CXTranslationUnit tu;
	const char *workdir;
	CXCursor fn;
	char *fn_name;
	struct frame *stack;
	size_t depth, alloc;
	unsigned cur_index;
	int depth_limited;
	struct ma_findings *sink;
	struct file_name *files;
	size_t nr_files, alloc_files;
	struct ma_walk_stats *stats;
	unsigned long serial;
	CXCursor ref_of, ref;   /* ma_visit_referenced's last answer */
};

/* ------------------------------------------------------------------ */
/* Registration                                                        */

struct ma_engine *ma_engine_new(void)
{
	struct ma_engine *e = ma_calloc(1, sizeof(*e));

	e->calls_size = 64;
	e->calls = ma_calloc(e->calls_size, sizeof(*e->calls));
	e->flow = flow_engine_create();
	return e;
}

void ma_engine_free(struct ma_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < MAX_KIND; i++)
		free(e->by_kind[i].items);
	for (size_t i = 0; i < e->calls_size; i++) {
		free(e->calls[i].name);
		free(e->calls[i].hooks.items);
	}
	for (size_t i = 0; i < e->nr_checks; i++)
		free(e->checks[i].name);
	free(e->calls);
	free(e->fn_begin.items);
	free(e->fn_end.items);
	free(e->checks);
	flow_engine_free(e->flow);
	free(e);
}

struct flow_engine *ma_engine_flow(struct ma_engine *e)
{
	return e->flow;
}

const struct flow_engine *ma_engine_flow_const(const struct ma_engine *e)
{
	return e->flow;
}

int ma_engine_add_check(struct ma_engine *e, const char *name, const struct ma_rule *rule)
{
	ALLOC_GROW(e->checks, e->nr_checks + 1, e->alloc_checks);
	e->checks[e->nr_checks].name = ma_strdup(name);
	e->checks[e->nr_checks].rule = rule;
	flow_engine_set_rule(e->flow, (int)e->nr_checks, rule);
	return (int)e->nr_checks++;
}

size_t ma_engine_nr_checks(const struct ma_engine *e)
{
	return e->nr_checks;
}

const char *ma_engine_check_name(const struct ma_engine *e, int id)
{
	return e->checks[id].name;
}

static void hook_add(struct hook_list *l, int id, ma_cursor_fn fn)
{
	ALLOC_GROW(l->items, l->nr + 1, l->alloc);
	l->items[l->nr].id = id;
	l->items[l->nr++].fn = fn;
}

void ma_engine_on_kind(struct ma_engine *e, int id, enum CXCursorKind kind, ma_cursor_fn fn)
{
	if ((unsigned)kind < MAX_KIND)
		hook_add(&e->by_kind[kind], id, fn);
}

static struct call_slot *call_lookup(const struct call_slot *calls, size_t size, const char *name)
{
	size_t mask = size - 1, i = (size_t)ma_hash_str(MA_HASH_INIT, name) & mask;

	while (calls[i].name && strcmp(calls[i].name, name))
		i = (i + 1) & mask;
	return (struct call_slot *)&calls[i];
}

static void calls_grow(struct ma_engine *e)
{
	struct call_slot *old = e->calls;
	size_t old_size = e->calls_size;

	e->calls_size *= 2;
	e->calls = ma_calloc(e->calls_size, sizeof(*e->calls));
	for (size_t i = 0; i < old_size; i++)
		if (old[i].name)
			*call_lookup(e->calls, e->calls_size, old[i].name) = old[i];
	free(old);
}

void ma_engine_on_call(struct ma_engine *e, int id, const char *callee, ma_cursor_fn fn)
{
	struct call_slot *slot;

	if (2 * (e->calls_nr + 1) > e->calls_size)
		calls_grow(e);
	slot = call_lookup(e->calls, e->calls_size, callee);
	if (!slot->name) {
		slot->name = ma_strdup(callee);
		e->calls_nr++;
	}
	hook_add(&slot->hooks, id, fn);
}

void ma_engine_on_function_begin(struct ma_engine *e, int id, ma_cursor_fn fn)
{
	hook_add(&e->fn_begin, id, fn);
}

void ma_engine_on_function_end(struct ma_engine *e, int id, ma_cursor_fn fn)
{
	hook_add(&e->fn_end, id, fn);
}

/* ------------------------------------------------------------------ */
/* Where the walk stands                                               */

static int same_cursor(const CXCursor *a, const CXCursor *b);

unsigned long ma_visit_serial(const struct ma_visit *v)
{
	return v->serial;
}

CXTranslationUnit ma_visit_tu(const struct ma_visit *v)
{
	return v->tu;
}

CXCursor ma_visit_function(const struct ma_visit *v)
{
	return v->fn;
}

const char *ma_visit_function_name(const struct ma_visit *v)
{
	return v->fn_name;
}

CXCursor ma_visit_parent(const struct ma_visit *v, unsigned n)
{
	if (n >= v->depth)
		return clang_getNullCursor();
	return v->stack[v->depth - 1 - n].cursor;
}

CXCursor ma_visit_referenced(struct ma_visit *v, CXCursor c)
{
	if (!same_cursor(&v->ref_of, &c)) {
		v->ref_of = c;
		v->ref = clang_getCursorReferenced(c);
	}
	return v->ref;
}

unsigned ma_visit_child_index(const struct ma_visit *v)
{
	return v->cur_index;
}

unsigned ma_visit_parent_child_index(const struct ma_visit *v, unsigned n)
{
	if (n >= v->depth)
		return 0;
	return v->stack[v->depth - 1 - n].child_index;
}

/* ------------------------------------------------------------------ */
/* Locations and reports                                               */

static struct file_name *file_info(struct ma_visit *v, CXFile file)
{
	struct strbuf sb = STRBUF_INIT;
	struct file_name *fn;
	CXString real, name;
	const char *s;

	for (size_t i = 0; i < v->nr_files; i++)
		if (clang_File_isEqual(v->files[i].file, file))
			return &v->files[i];
	real = clang_File_tryGetRealPathName(file);
	name = clang_getFileName(file);
	s = clang_getCString(real);
	if (!s || !*s)
		s = clang_getCString(name);
	ma_path_absolute(&sb, v->workdir, s ? s : "");
	clang_disposeString(real);
	clang_disposeString(name);
	ALLOC_GROW(v->files, v->nr_files + 1, v->alloc_files);
	fn = &v->files[v->nr_files++];
	fn->file = file;
	fn->path = strbuf_detach(&sb, NULL);
	fn->in_system = clang_Location_isInSystemHeader(
		clang_getLocationForOffset(v->tu, file, 0));
	return fn;
}

static uint64_t hash_line(CXTranslationUnit tu, CXFile file, unsigned line)
{
	size_t size = 0;
	const char *text = clang_getFileContents(tu, file, &size);
	const char *p, *end, *eol;

	if (!text)
		return 0;
	p = text;
	end = text + size;
	for (unsigned l = 1; l < line && p < end; l++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	eol = memchr(p, '\n', (size_t)(end - p));
	return ma_line_hash(p, (size_t)((eol ? eol : end) - p));
}

/* 0 when the cursor has no usable location or lies in a system header. */
static int cursor_location(struct ma_visit *v, CXCursor at, struct ma_location *loc,
			   uint64_t *line_hash)
{
	CXSourceLocation sl = clang_getCursorLocation(at);
	struct file_name *fi;
	CXFile file;
	unsigned line, col;

	clang_getExpansionLocation(sl, &file, &line, &col, NULL);
	if (!file)
		return 0;
	fi = file_info(v, file);
	if (fi->in_system)
		return 0;
	loc->file = fi->path;
	loc->line = line;
	loc->column = col;
	loc->function = v->fn_name;
	if (line_hash)
		*line_hash = hash_line(v->tu, file, line);
	return 1;
}

struct ma_finding *ma_report(struct ma_visit *v, int id, CXCursor at, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	struct ma_location loc;
	struct ma_finding *f;
	uint64_t line_hash = 0;
	va_list ap;

	if (!cursor_location(v, at, &loc, &line_hash))
		return NULL;
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	f = ma_finding_new(v->e->checks[id].rule, msg.buf, &loc, "static");
	f->line_hash = line_hash;
	ma_findings_add(v->sink, f);
	strbuf_release(&msg);
	return f;
}

void ma_report_event(struct ma_visit *v, struct ma_finding *f, CXCursor at, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	struct ma_location loc;
	va_list ap;

	if (!f || !cursor_location(v, at, &loc, NULL))
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ma_finding_add_event(f, &loc, msg.buf);
	strbuf_release(&msg);
}

/* ------------------------------------------------------------------ */
/* The walk                                                            */

static void run_hooks(struct ma_visit *v, const struct hook_list *l, CXCursor c)
{
	for (size_t i = 0; i < l->nr; i++)
		l->items[i].fn(v, c);
}

/* The callee of a direct call, by the declaration it refers to. */
static const struct hook_list *call_hooks(const struct ma_engine *e, CXCursor call)
{
	CXCursor callee;
	CXString name;
	const struct call_slot *slot;

	if (!e->calls_nr)
		return NULL;
	callee = clang_getCursorReferenced(call);
	if (clang_getCursorKind(callee) != CXCursor_FunctionDecl)
		return NULL;
	name = clang_getCursorSpelling(callee);
	slot = call_lookup(e->calls, e->calls_size, clang_getCString(name));
	clang_disposeString(name);
	return slot->name ? &slot->hooks : NULL;
}

static void push_frame(struct ma_visit *v, CXCursor c, unsigned index)
{
	ALLOC_GROW(v->stack, v->depth + 1, v->alloc);
	v->stack[v->depth].cursor = c;
	v->stack[v->depth].child_index = index;
	v->stack[v->depth].next_child = 0;
	v->depth++;
}

/* The cursor libclang hands back as a parent is the one it gave us: its
 * fields compare equal (clang_equalCursors is a call per node, and more). */
static int same_cursor(const CXCursor *a, const CXCursor *b)
{
	return a->kind == b->kind && a->data[0] == b->data[0] && a->data[1] == b->data[1] &&
	       a->data[2] == b->data[2] && a->xdata == b->xdata;
}

/*
 * One recursive libclang walk per function (a clang_visitChildren call per
 * node cost more than the hooks): the stack of parents is brought back to
 * the node's parent on each visit, since libclang says no "leaving".
 */
static enum CXChildVisitResult visit_node(CXCursor c, CXCursor parent, CXClientData data)
{
	struct ma_visit *v = data;
	enum CXCursorKind kind = clang_getCursorKind(c);
	unsigned index;

	while (v->depth > 1 && !same_cursor(&v->stack[v->depth - 1].cursor, &parent))
		v->depth--;
	index = v->stack[v->depth - 1].next_child++;
	v->stats->cursors++;
	v->cur_index = index;
	if ((unsigned)kind < MAX_KIND)
		run_hooks(v, &v->e->by_kind[kind], c);
	if (kind == CXCursor_CallExpr) {
		const struct hook_list *l = call_hooks(v->e, c);
		v->cur_index = index;
		if (l)
			run_hooks(v, l, c);
	}
	if (v->depth >= MAX_DEPTH) {
		v->depth_limited = 1;
		return CXChildVisit_Continue;
	}
	push_frame(v, c, index);
	return CXChildVisit_Recurse;
}

static void walk_function(struct ma_visit *v, CXCursor fn)
{
	CXString name = clang_getCursorSpelling(fn);

	v->fn = fn;
	v->fn_name = ma_strdup(clang_getCString(name));
	clang_disposeString(name);
	v->depth = 0;
	v->depth_limited = 0;
	v->stats->functions++;
	v->cur_index = 0;
	run_hooks(v, &v->e->fn_begin, fn);
	push_frame(v, fn, 0);
	clang_visitChildren(fn, visit_node, v);
	v->depth = 0;
	v->cur_index = 0;
	run_hooks(v, &v->e->fn_end, fn);
	if (v->depth_limited)
		v->stats->depth_limited++;
	free(v->fn_name);
	v->fn_name = NULL;
}

static int is_function_kind(enum CXCursorKind k)
{
	return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
	       k == CXCursor_Destructor || k == CXCursor_ConversionFunction ||
	       k == CXCursor_FunctionTemplate;
}

static int is_container_kind(enum CXCursorKind k)
{
	return k == CXCursor_Namespace || k == CXCursor_LinkageSpec || k == CXCursor_ClassDecl ||
	       k == CXCursor_StructDecl || k == CXCursor_ClassTemplate || k == CXCursor_UnexposedDecl;
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent, CXClientData data)
{
	struct ma_visit *v = data;
	enum CXCursorKind kind = clang_getCursorKind(c);

	(void)parent;
	if (clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
		return CXChildVisit_Continue;
	if (is_function_kind(kind) && clang_isCursorDefinition(c))
		walk_function(v, c);
	else if (is_container_kind(kind))
		clang_visitChildren(c, visit_top, v);
	return CXChildVisit_Continue;
}

void ma_engine_walk_tu(const struct ma_engine *e, CXTranslationUnit tu, const char *workdir,
		       struct ma_findings *sink, struct ma_walk_stats *stats)
{
	static _Atomic unsigned long walks;
	struct ma_visit v = { .e = e, .tu = tu, .workdir = workdir, .sink = sink, .stats = stats,
			      .serial = ++walks };

	if (!e->nr_checks) /* a parse-only run */
		return;
	clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_top, &v);
	for (size_t i = 0; i < v.nr_files; i++)
		free(v.files[i].path);
	free(v.files);
	free(v.stack);
}
