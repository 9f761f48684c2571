/*
 * Lowering of functions from libclang cursors into the IR (ir.h):
 * statements and control flow here, expressions in lower_expr.c.
 *
 * Control flow: if/else, while, do/while, for (libclang omits empty for
 * clauses, so their roles come from the header's tokens), switch with
 * fall-through (a chain of equality tests in case order, then default),
 * break/continue, goto and labels, return (to the exit block), and calls
 * to functions that do not return (the block ends there).
 * Adversarial input is bounded: past LOWER_MAX_STMTS statements or
 * LOWER_MAX_DEPTH nesting the function is marked truncated and the flow
 * engine skips it.
 */
#include "lower_internal.h"
#include "ast.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/path.h"
#include "../../core/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Helpers shared with lower_expr.c                                    */

static enum CXChildVisitResult collect_kid(CXCursor c, CXCursor parent, CXClientData data)
{
	struct kids *k = data;

	(void)parent;
	if (k->n == k->alloc) {
		CXCursor *v = ma_malloc(2 * k->alloc * sizeof(*v));
		memcpy(v, k->v, k->n * sizeof(*v));
		if (k->v != k->inl)
			free(k->v);
		k->v = v;
		k->alloc *= 2;
	}
	k->v[k->n++] = c;
	return CXChildVisit_Continue;
}

void kids_get(struct lower *L, CXCursor c, struct kids *k)
{
	struct kids_memo *m;

	k->n = 0;
	if (!k->v) {
		k->v = k->inl;
		k->alloc = KIDS_INLINE;
	}
	if (clang_Cursor_isNull(c))
		return;
	if (!L) {
		clang_visitChildren(c, collect_kid, k);
		return;
	}
	m = &L->kids_memo[(((uintptr_t)c.data[1] >> 4) ^ (uintptr_t)c.kind) % KIDS_MEMO];
	if (m->of.kind == c.kind && m->of.data[0] == c.data[0] && m->of.data[1] == c.data[1] &&
	    m->of.data[2] == c.data[2] && m->of.xdata == c.xdata) {
		memcpy(k->v, m->v, m->n * sizeof(*m->v)); /* alloc >= KIDS_INLINE >= n */
		k->n = m->n;
		return;
	}
	clang_visitChildren(c, collect_kid, k);
	if (k->n <= KIDS_MEMO_MAX) {
		m->of = c;
		m->n = k->n;
		memcpy(m->v, k->v, k->n * sizeof(*m->v));
	}
}

void kids_release(struct kids *k)
{
	if (k->v != k->inl)
		free(k->v);
	k->v = NULL;
	k->n = k->alloc = 0;
}

/* The slot of file (made on first sight); its id in the IR's file table. */
static struct file_slot *file_slot(struct lower *L, CXFile file)
{
	struct strbuf sb = STRBUF_INIT;
	CXString real, name;
	const char *s;
	uint32_t id;

	/* most statements are in the file of the one before */
	if (L->nr_files && L->files[L->last_file].file == file)
		return &L->files[L->last_file];
	for (size_t i = 0; i < L->nr_files; i++) {
		if (clang_File_isEqual(L->files[i].file, file)) {
			L->last_file = i;
			return &L->files[i];
		}
	}
	real = clang_File_tryGetRealPathName(file);
	name = clang_getFileName(file);
	s = clang_getCString(real);
	if (!s || !*s)
		s = clang_getCString(name);
	ma_path_absolute(&sb, L->workdir, s ? s : "");
	clang_disposeString(real);
	clang_disposeString(name);
	ALLOC_GROW(L->t->files, L->t->nr_files + 1, L->t->alloc_files);
	id = L->t->nr_files++;
	L->t->files[id] = strbuf_detach(&sb, NULL);
	ALLOC_GROW(L->files, L->nr_files + 1, L->alloc_files);
	L->last_file = L->nr_files;
	L->files[L->nr_files++] = (struct file_slot){ .file = file, .id = id };
	return &L->files[L->last_file];
}

/* Where each line of the slot's file starts: 0 when libclang has no text for it. */
static int index_lines(struct lower *L, struct file_slot *f)
{
	size_t size = 0;
	const char *text;

	if (f->line_start || f->no_text)
		return f->line_start != NULL;
	text = clang_getFileContents(L->tu, f->file, &size);
	if (!text || size >= UINT32_MAX) {
		f->no_text = 1;
		return 0;
	}
	f->line_start = ma_malloc(sizeof(*f->line_start));
	f->line_start[0] = 0;
	f->nr_lines = 1;
	for (size_t i = 0; i < size; i++) {
		if (text[i] != '\n')
			continue;
		if ((f->nr_lines & (f->nr_lines - 1)) == 0) /* a power of two: grow */
			f->line_start = ma_realloc(f->line_start, 2 * f->nr_lines * sizeof(*f->line_start));
		f->line_start[f->nr_lines++] = (uint32_t)(i + 1);
	}
	return 1;
}

/*
 * Line and column of a cursor, where its macro (if any) was used.  libclang
 * computes a column by scanning back to the line's start on every call;
 * a line table per file, searched by the offset, costs less (lowering asks
 * for a location per statement).
 */
static struct ir_loc source_loc(struct lower *L, CXSourceLocation at);

/* One translation unit's locations are its source manager's offsets
 * (int_data), so the raw value alone names the place. */
struct ir_loc lower_loc(struct lower *L, CXCursor c)
{
	CXSourceLocation at = clang_getCursorLocation(c);
	struct loc_memo *m = &L->loc_memo[at.int_data % LOC_MEMO];

	if (at.int_data && m->raw == at.int_data)
		return m->loc;
	m->raw = at.int_data;
	m->loc = source_loc(L, at);
	return m->loc;
}

static struct ir_loc source_loc(struct lower *L, CXSourceLocation at)
{
	struct ir_loc loc = { 0 };
	struct file_slot *f;
	CXFile file;
	unsigned offset;
	uint32_t lo = 0, hi;

	clang_getExpansionLocation(at, &file, NULL, NULL, &offset);
	if (!file)
		return loc;
	f = file_slot(L, file);
	loc.file = f->id;
	if (!index_lines(L, f)) {
		clang_getExpansionLocation(at, NULL, &loc.line, &loc.col, NULL);
		return loc;
	}
	hi = f->nr_lines; /* the last line starting at or before offset */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (f->line_start[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	loc.line = lo + 1;
	loc.col = offset - f->line_start[lo] + 1;
	return loc;
}

/* A parameter declared as an array (int a[]) is a pointer, though libclang types it as the array. */
unsigned lower_decl_type_flags(CXCursor decl)
{
	unsigned flags = lower_type_flags(clang_getCursorType(decl));

	if (clang_getCursorKind(decl) == CXCursor_ParmDecl && (flags & IRT_ARRAY))
		flags = (flags & ~IRT_ARRAY) | IRT_POINTER;
	return flags;
}

unsigned lower_type_flags(CXType t)
{
	CXType c = clang_getCanonicalType(t);
	unsigned flags = (clang_isConstQualifiedType(t) ? IRT_CONST : 0) |
			 (clang_isVolatileQualifiedType(t) ? IRT_VOLATILE : 0);

	switch (c.kind) {
	case CXType_Pointer:
	case CXType_BlockPointer:
	case CXType_ObjCObjectPointer:
	case CXType_NullPtr: {
		enum CXTypeKind pk = clang_getCanonicalType(clang_getPointeeType(c)).kind;
		return flags | IRT_POINTER |
		       (pk == CXType_FunctionProto || pk == CXType_FunctionNoProto ? IRT_FUNCPTR : 0);
	}
	case CXType_ConstantArray:
	case CXType_IncompleteArray:
	case CXType_VariableArray:
	case CXType_DependentSizedArray:
		return flags | IRT_ARRAY;
	case CXType_Record:
		return flags | IRT_RECORD;
	case CXType_Float:
	case CXType_Double:
	case CXType_LongDouble:
	case CXType_Float128:
	case CXType_Half:
	case CXType_Float16:
		return flags | IRT_FLOAT;
	default:
		if ((c.kind >= CXType_Bool && c.kind <= CXType_Int128) || c.kind == CXType_Enum)
			return flags | IRT_INT;
		return flags;
	}
}

static void vars_grow(struct lower *L)
{
	struct var_slot *old = L->vars;
	size_t old_size = L->vars_size;

	L->vars_size = old_size ? 2 * old_size : 64;
	L->vars = ma_calloc(L->vars_size, sizeof(*L->vars));
	for (size_t i = 0; i < old_size; i++) {
		size_t h;
		if (!old[i].used)
			continue;
		h = old[i].hash & (L->vars_size - 1);
		while (L->vars[h].used)
			h = (h + 1) & (L->vars_size - 1);
		L->vars[h] = old[i];
	}
	free(old);
	/* where the slots in use are now */
	ALLOC_GROW(L->used_slots, L->vars_used + 1, L->alloc_used_slots);
	for (size_t i = 0, n = 0; i < L->vars_size; i++)
		if (L->vars[i].used)
			L->used_slots[n++] = (uint32_t)i;
}

/* A new function: forget the last one's variables (the table is sized for
 * the largest function seen; clearing it whole for each costs more). */
static void vars_reset(struct lower *L)
{
	for (size_t i = 0; i < L->vars_used; i++)
		memset(&L->vars[L->used_slots[i]], 0, sizeof(*L->vars));
	L->vars_used = 0;
}

static unsigned var_flags_of(CXCursor decl)
{
	enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);
	enum CXCursorKind pk = clang_getCursorKind(clang_getCursorSemanticParent(decl));

	if (clang_getCursorKind(decl) == CXCursor_ParmDecl)
		return IRV_PARAM;
	if (pk == CXCursor_TranslationUnit || pk == CXCursor_Namespace || sc == CX_SC_Extern ||
	    pk == CXCursor_ClassDecl || pk == CXCursor_StructDecl)
		return IRV_GLOBAL;
	if (sc == CX_SC_Static)
		return IRV_STATIC_LOCAL;
	return 0;
}

/*
 * A static integer with a constant initialiser (or none: zero) may keep
 * its value for the whole run: `static unsigned limit = N;` read as a
 * constant once ir_lower_tu has seen that nothing writes it.
 */
static void note_static_value(CXCursor decl, struct ir_var *var)
{
	CXType t = clang_getCursorType(decl);
	CXCursor init;
	int64_t k = 0;

	if (!(var->type == IRT_INT || var->type == (IRT_INT | IRT_CONST)) ||
	    clang_isVolatileQualifiedType(t) || clang_getCursorKind(decl) != CXCursor_VarDecl)
		return;
	if (!((var->flags & IRV_STATIC_LOCAL) ||
	      ((var->flags & IRV_GLOBAL) && clang_getCursorLinkage(decl) == CXLinkage_Internal)))
		return;
	init = clang_Cursor_getVarDeclInitializer(decl);
	if (!clang_Cursor_isNull(init) && !lower_eval_int(init, &k))
		return;
	var->has_const_init = 1;
	var->const_value = k;
}

static int is_unsigned_kind(enum CXTypeKind k)
{
	return k == CXType_Bool || k == CXType_Char_U || k == CXType_UChar || k == CXType_UShort ||
	       k == CXType_UInt || k == CXType_ULong || k == CXType_ULongLong || k == CXType_UInt128 ||
	       k == CXType_Char16 || k == CXType_Char32;
}

static void note_int_width(CXType t, struct ir_var *var)
{
	long long size;

	t = clang_getCanonicalType(t);
	if (t.kind == CXType_Enum)
		t = clang_getCanonicalType(clang_getEnumDeclIntegerType(clang_getTypeDeclaration(t)));
	if (!(t.kind >= CXType_Bool && t.kind <= CXType_Int128))
		return;
	size = clang_Type_getSizeOf(t);
	if (size <= 0 || size > 8)
		return;
	var->int_bits = (uint8_t)(size * 8);
	var->int_unsigned = is_unsigned_kind(t.kind);
}

uint32_t lower_var_of(struct lower *L, CXCursor decl)
{
	unsigned hash = clang_hashCursor(decl);
	size_t h;
	CXString name;
	uint32_t v;

	if (2 * (L->vars_used + 1) > L->vars_size)
		vars_grow(L);
	h = hash & (L->vars_size - 1);
	while (L->vars[h].used) {
		if (L->vars[h].hash == hash && clang_equalCursors(L->vars[h].decl, decl))
			return L->vars[h].var;
		h = (h + 1) & (L->vars_size - 1);
	}
	name = clang_getCursorSpelling(decl);
	v = ir_add_var(L->f, ir_intern(L->t, clang_getCString(name)), var_flags_of(decl),
		       lower_decl_type_flags(decl), lower_loc(L, decl));
	clang_disposeString(name);
	note_static_value(clang_getCanonicalCursor(decl), &L->f->vars[v]);
	note_int_width(clang_getCursorType(decl), &L->f->vars[v]);
	L->vars[h] = (struct var_slot){ .hash = hash, .decl = decl, .var = v, .used = 1 };
	ALLOC_GROW(L->used_slots, L->vars_used + 1, L->alloc_used_slots);
	L->used_slots[L->vars_used++] = (uint32_t)h;
	return v;
}

uint32_t lower_temp(struct lower *L, unsigned type, const char *what)
{
	char name[32];

	snprintf(name, sizeof(name), "$%s%u", what, ++L->temps);
	return ir_add_var(L->f, ir_intern(L->t, name), IRV_TEMP, type, (struct ir_loc){ 0 });
}

int lower_over_budget(struct lower *L)
{
	if (L->stmts < LOWER_MAX_STMTS)
		return 0;
	L->f->truncated = 1;
	return 1;
}

uint32_t lower_cur(struct lower *L)
{
	if (L->cur == LOWER_NO_BLOCK)
		L->cur = ir_new_block(L->f); /* code after a jump: reachable only by a label */
	return L->cur;
}

struct ir_stmt *lower_emit(struct lower *L, enum ir_op op, CXCursor at)
{
	struct ir_stmt *s;

	L->stmts++;
	s = ir_emit(L->f, lower_cur(L), op, lower_loc(L, at));
	if (L->uncertain)
		s->flags |= IRS_UNCERTAIN;
	return s;
}

void lower_jump(struct lower *L, uint32_t target)
{
	struct ir_block *b;

	if (L->cur == LOWER_NO_BLOCK) /* dead code: no edge */
		return;
	b = &L->f->blocks[L->cur];

	b->nsucc = 1;
	b->succ[0] = target;
	lower_dead(L);
}

void lower_branch(struct lower *L, struct ir_cond cond, struct ir_loc loc, uint32_t t, uint32_t f)
{
	struct ir_block *b;

	if (L->cur == LOWER_NO_BLOCK)
		return;
	b = &L->f->blocks[L->cur];

	b->nsucc = 2;
	b->succ[0] = t;
	b->succ[1] = f;
	b->cond = cond;
	b->cond_loc = loc;
	b->flags |= L->branch_flags;
	lower_dead(L);
}

/* Blocks for dead code are made only if something is emitted there. */
void lower_dead(struct lower *L)
{
	L->cur = LOWER_NO_BLOCK;
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */

static void lower_stmt(struct lower *L, CXCursor s);

/* ({ ... }): the statements of a GNU statement expression (glibc's assert). */
void lower_stmt_expr(struct lower *L, CXCursor e)
{
	struct kids k = { 0 };

	kids_get(L, e, &k);
	for (unsigned i = 0; i < k.n; i++)
		lower_stmt(L, k.v[i]);
	kids_release(&k);
}

static void push_loop(struct lower *L, uint32_t brk, uint32_t cont)
{
	ALLOC_GROW(L->loops, L->nr_loops + 1, L->alloc_loops);
	L->loops[L->nr_loops].brk = brk;
	L->loops[L->nr_loops++].cont = cont;
}

/* ------------------------------------------------------------------ */
/* struct S s = { 1, .p = q };                                         */

struct field_names {
	struct lower *L;
	ir_str *v;
	unsigned *type;   /* enum ir_type_flags of each field */
	unsigned n, alloc, alloc_type;
};

static enum CXVisitorResult collect_field(CXCursor c, CXClientData data)
{
	struct field_names *fn = data;
	CXString n = clang_getCursorSpelling(c);

	ALLOC_GROW(fn->v, fn->n + 1, fn->alloc);
	ALLOC_GROW(fn->type, fn->n + 1, fn->alloc_type);
	fn->type[fn->n] = lower_type_flags(clang_getCursorType(c));
	fn->v[fn->n++] = ir_intern(fn->L->t, clang_getCString(n));
	clang_disposeString(n);
	return CXVisit_Continue;
}

/* .name = value: the field's name, and the value in *value; 0 if positional. */
static ir_str designated_field(struct lower *L, CXCursor c, CXCursor *value)
{
	struct kids k = { 0 };
	ir_str name = 0;

	if (clang_getCursorKind(c) != CXCursor_UnexposedExpr)
		return 0;
	kids_get(L, c, &k);
	if (k.n == 2 && clang_getCursorKind(k.v[0]) == CXCursor_MemberRef) {
		CXString n = clang_getCursorSpelling(k.v[0]);
		name = ir_intern(L->t, clang_getCString(n));
		clang_disposeString(n);
		*value = k.v[1];
	}
	kids_release(&k);
	return name;
}

static int field_index(const struct field_names *fn, ir_str name)
{
	for (unsigned i = 0; i < fn->n; i++)
		if (fn->v[i] == name)
			return (int)i;
	return -1;
}

/*
 * The fields a struct initialiser names, each assigned on its own, so
 * that `struct S s = { .p = NULL }` is known to hold NULL in s.p.  The
 * rest of the struct stays unknown (it is zero, but nothing is lost by
 * not claiming it).  Unions, arrays and nested designators are left
 * unknown as a whole.
 */
static void lower_record_init(struct lower *L, ir_path p, CXCursor init, CXType t)
{
	struct field_names fn = { .L = L };
	struct kids k = { 0 };
	unsigned next = 0;

	t = clang_getCanonicalType(t);
	if (clang_getCursorKind(clang_getTypeDeclaration(t)) != CXCursor_StructDecl)
		return;
	clang_Type_visitFields(t, collect_field, &fn);
	kids_get(L, init, &k);
	for (unsigned i = 0; i < k.n; i++) {
		CXCursor value = k.v[i];
		ir_str name = designated_field(L, k.v[i], &value);
		int at = name ? field_index(&fn, name) : (int)next;
		ir_path fp;
		struct ir_val val;
		struct ir_stmt *s;
		if (at < 0 || (unsigned)at >= fn.n)
			break;
		next = (unsigned)at + 1;
		fp = ir_path_sub(L->f, IRP_FIELD, p, fn.v[at], fn.type[at]);
		if (clang_getCursorKind(value) == CXCursor_InitListExpr) {
			if ((fn.type[at] & IRT_RECORD) && !(fn.type[at] & IRT_ARRAY))
				lower_record_init(L, fp, value, clang_getCursorType(value));
			continue;
		}
		if (fn.type[at] & (IRT_ARRAY | IRT_RECORD))
			continue;
		val = lower_expr(L, value);   /* may emit statements of its own: first */
		if (val.kind == IRV_INT && val.k == 0 && (fn.type[at] & IRT_POINTER))
			val = (struct ir_val){ .kind = IRV_NULL };
		s = lower_emit(L, IR_ASSIGN, value);
		s->dst = fp;
		s->a = val;
		s->flags |= IRS_DECL_INIT;
	}
	kids_release(&k);
	free(fn.v);
	free(fn.type);
}

/*
 * T *a[N] = { &x, &y }: each element assigned on its own (the missing
 * ones NULL), so that the engine keeps a[0] = &x apart from a[1] (a
 * pointer array walked by a loop).  Only small arrays of pointers, with
 * positional values; 0 when left to the generic path.
 */
#define MAX_POINTER_INIT 16

static int lower_pointer_array_init(struct lower *L, ir_path p, CXCursor init, CXType t)
{
	struct kids k = { 0 };
	CXType elem = clang_getArrayElementType(clang_getCanonicalType(t));
	long long n = clang_getArraySize(clang_getCanonicalType(t));
	unsigned flags = lower_type_flags(elem);
	int done = 0;

	if (clang_getCanonicalType(t).kind != CXType_ConstantArray || n <= 0 || n > MAX_POINTER_INIT ||
	    !(flags & IRT_POINTER) || (flags & (IRT_ARRAY | IRT_RECORD)))
		return 0;
	kids_get(L, init, &k);
	if (k.n > (unsigned)n)
		goto out;
	for (unsigned i = 0; i < k.n; i++)
		if (!clang_isExpression(clang_getCursorKind(k.v[i])) ||
		    clang_getCursorKind(k.v[i]) == CXCursor_InitListExpr)
			goto out; /* a designator or a nested list */
	for (long long i = 0; i < n; i++) {
		struct ir_val val = { .kind = IRV_NULL };
		struct ir_stmt *s;
		if (i < (long long)k.n) {
			val = lower_expr(L, k.v[i]); /* may emit statements of its own: first */
			if (val.kind == IRV_INT && val.k == 0)
				val = (struct ir_val){ .kind = IRV_NULL };
		}
		s = lower_emit(L, IR_ASSIGN, i < (long long)k.n ? k.v[i] : init);
		s->dst = ir_path_sub(L->f, IRP_ELEM, p, IR_ELEM_CONST | (uint32_t)i, flags);
		s->a = val;
		s->flags |= IRS_DECL_INIT;
	}
	done = 1;
out:
	kids_release(&k);
	return done;
}

static void lower_decl_var(struct lower *L, CXCursor d)
{
	uint32_t v = lower_var_of(L, d);
	unsigned type = L->f->vars[v].type;
	ir_path p = ir_path_var(L->f, v, type);
	CXCursor init = clang_Cursor_getVarDeclInitializer(d);
	struct ir_stmt *s;
	struct ir_val val;

	if (L->f->vars[v].flags & (IRV_STATIC_LOCAL | IRV_GLOBAL))
		return; /* initialised once, before the function runs */
	s = lower_emit(L, IR_DECL, d);
	s->dst = p;
	if (clang_Cursor_isNull(init))
		return;
	if (clang_getCursorKind(init) == CXCursor_InitListExpr && (type & IRT_RECORD) &&
	    !(type & IRT_ARRAY)) {
		s = lower_emit(L, IR_ASSIGN, d);
		s->dst = p;
		s->a = (struct ir_val){ .kind = IRV_UNKNOWN };
		s->flags |= IRS_DECL_INIT;
		lower_record_init(L, p, init, clang_getCursorType(d));
		return;
	}
	if (clang_getCursorKind(init) == CXCursor_InitListExpr && (type & IRT_ARRAY) &&
	    lower_pointer_array_init(L, p, init, clang_getCursorType(d)))
		return;
	val = lower_expr(L, init);
	if (clang_getCursorKind(init) == CXCursor_InitListExpr || (type & (IRT_ARRAY | IRT_RECORD)))
		val = (struct ir_val){ .kind = IRV_UNKNOWN };
	s = lower_emit(L, IR_ASSIGN, d);
	s->dst = p;
	s->a = val;
	s->flags |= IRS_DECL_INIT;
}

static void lower_decl_stmt(struct lower *L, CXCursor s)
{
	struct kids k = { 0 };

	kids_get(L, s, &k);
	for (unsigned i = 0; i < k.n; i++)
		if (clang_getCursorKind(k.v[i]) == CXCursor_VarDecl)
			lower_decl_var(L, k.v[i]);
	kids_release(&k);
}

static void lower_if(struct lower *L, struct kids *k)
{
	uint32_t then = ir_new_block(L->f), join = ir_new_block(L->f);
	uint32_t els = k->n > 2 ? ir_new_block(L->f) : join;

	if (k->n < 2)
		return;
	lower_cond(L, k->v[0], then, els);
	L->cur = then;
	lower_stmt(L, k->v[1]);
	lower_jump(L, join);
	if (k->n > 2) {
		L->cur = els;
		lower_stmt(L, k->v[2]);
		lower_jump(L, join);
	}
	L->cur = join;
}

static void lower_while(struct lower *L, struct kids *k)
{
	uint32_t head = ir_new_block(L->f), body = ir_new_block(L->f), after = ir_new_block(L->f);

	if (k->n < 2)
		return;
	lower_jump(L, head);
	L->cur = head;
	lower_cond(L, k->v[0], body, after);
	push_loop(L, after, head);
	L->cur = body;
	lower_stmt(L, k->v[k->n - 1]);
	lower_jump(L, head);
	L->nr_loops--;
	L->cur = after;
}

static void lower_do(struct lower *L, struct kids *k)
{
	uint32_t body = ir_new_block(L->f), test = ir_new_block(L->f), after = ir_new_block(L->f);

	if (k->n < 2)
		return;
	lower_jump(L, body);
	push_loop(L, after, test);
	L->cur = body;
	lower_stmt(L, k->v[0]);
	lower_jump(L, test);
	L->nr_loops--;
	L->cur = test;
	lower_cond(L, k->v[1], body, after);
	L->cur = after;
}

static unsigned offset_of(CXSourceLocation l)
{
	unsigned off = 0;

	clang_getSpellingLocation(l, NULL, NULL, NULL, &off);
	return off;
}

/*
 * for (init; cond; inc) body: libclang lists only the clauses present, so
 * place each child by where it starts relative to the ';' of the header.
 * roles[i]: 0 init, 1 cond, 2 inc, 3 body.
 */
static void for_roles(struct lower *L, CXCursor s, struct kids *k, int *roles)
{
	CXToken *toks = NULL;
	unsigned n = 0, semi[2] = { 0, 0 }, nsemi = 0, depth = 0;
	CXSourceRange hdr = ma_ast_file_range(L->tu, clang_getRangeStart(clang_getCursorExtent(s)),
					      clang_getRangeStart(clang_getCursorExtent(k->v[k->n - 1])), 4096);

	clang_tokenize(L->tu, hdr, &toks, &n);
	for (unsigned i = 0; i < n && nsemi < 2; i++) {
		CXString sp = clang_getTokenSpelling(L->tu, toks[i]);
		const char *t = clang_getCString(sp);
		if (!strcmp(t, "(") || !strcmp(t, "[") || !strcmp(t, "{"))
			depth++;
		else if (!strcmp(t, ")") || !strcmp(t, "]") || !strcmp(t, "}"))
			depth--;
		else if (!strcmp(t, ";") && depth == 1)
			semi[nsemi++] = offset_of(clang_getTokenLocation(L->tu, toks[i]));
		clang_disposeString(sp);
	}
	clang_disposeTokens(L->tu, toks, n);
	for (unsigned i = 0; i + 1 < k->n; i++) {
		unsigned off = offset_of(clang_getRangeStart(clang_getCursorExtent(k->v[i])));
		if (nsemi < 2) /* from a macro: guess the usual shapes */
			roles[i] = k->n == 4 ? (int)i : (k->n == 2 ? 1 : (int)i);
		else
			roles[i] = off < semi[0] ? 0 : off < semi[1] ? 1 : 2;
	}
	roles[k->n - 1] = 3;
}

static void lower_for(struct lower *L, CXCursor s, struct kids *k)
{
	int roles[8] = { 0 };
	CXCursor cond = clang_getNullCursor(), inc = clang_getNullCursor();
	uint32_t head, body, next, after;

	if (!k->n || k->n > 8)
		return;
	for_roles(L, s, k, roles);
	for (unsigned i = 0; i + 1 < k->n; i++) {
		if (roles[i] == 0)
			lower_stmt(L, k->v[i]);
		else if (roles[i] == 1)
			cond = k->v[i];
		else if (roles[i] == 2)
			inc = k->v[i];
	}
	head = ir_new_block(L->f);
	body = ir_new_block(L->f);
	next = ir_new_block(L->f);
	after = ir_new_block(L->f);
	lower_jump(L, head);
	L->cur = head;
	if (clang_Cursor_isNull(cond))
		lower_jump(L, body);
	else
		lower_cond(L, cond, body, after);
	push_loop(L, after, next);
	L->cur = body;
	lower_stmt(L, k->v[k->n - 1]);
	lower_jump(L, next);
	L->nr_loops--;
	L->cur = next;
	if (!clang_Cursor_isNull(inc))
		(void)lower_expr(L, inc);
	lower_jump(L, head);
	L->cur = after;
}

/* ------------------------------------------------------------------ */
/* switch                                                              */

struct case_scan {
	struct lower *L;
	struct switch_ctx *sw;
};

static void add_case(struct lower *L, struct switch_ctx *sw, CXCursor c, int is_default)
{
	struct case_block *cb;
	struct kids k = { 0 };

	ALLOC_GROW(sw->cases, sw->nr + 1, sw->alloc);
	cb = &sw->cases[sw->nr++];
	memset(cb, 0, sizeof(*cb));
	cb->hash = clang_hashCursor(c);
	cb->cursor = c;
	cb->block = ir_new_block(L->f);
	cb->is_default = is_default;
	if (!is_default) {
		kids_get(L, c, &k);
		/* case K: has two children; a GNU case range (K ... L) three */
		cb->has_value = k.n == 2 && lower_eval_int(k.v[0], &cb->value);
		kids_release(&k);
	}
}

/* Find the case labels of this switch (not of switches nested in it). */
static enum CXChildVisitResult scan_cases(CXCursor c, CXCursor parent, CXClientData data)
{
	struct case_scan *cs = data;
	enum CXCursorKind k = clang_getCursorKind(c);

	(void)parent;
	if (k == CXCursor_SwitchStmt || clang_isExpression(k))
		return CXChildVisit_Continue;
	if (k == CXCursor_CaseStmt || k == CXCursor_DefaultStmt)
		add_case(cs->L, cs->sw, c, k == CXCursor_DefaultStmt);
	return CXChildVisit_Recurse;
}

static uint32_t case_block_of(struct switch_ctx *sw, CXCursor c)
{
	unsigned hash = clang_hashCursor(c);

	for (; sw; sw = sw->outer)
		for (size_t i = 0; i < sw->nr; i++)
			if (sw->cases[i].hash == hash && clang_equalCursors(sw->cases[i].cursor, c))
				return sw->cases[i].block;
	return UINT32_MAX;
}

/* The dispatch: one equality test per case, in order, then default. */
static void lower_dispatch_chain(struct lower *L, struct switch_ctx *sw, struct ir_val v,
				 CXCursor at, uint32_t after)
{
	uint32_t dflt = after;
	struct ir_loc loc = lower_loc(L, at);
	uint8_t saved = L->branch_flags;

	for (size_t i = 0; i < sw->nr; i++)
		if (sw->cases[i].is_default)
			dflt = sw->cases[i].block;
	for (size_t i = 0; i < sw->nr; i++) {
		const struct case_block *cb = &sw->cases[i];
		struct ir_cond c = { .op = IRC_EQ, .l = v, .r = { .kind = IRV_INT, .k = cb->value } };
		uint32_t next;
		if (cb->is_default)
			continue;
		if (!cb->has_value) { /* a case range or an odd label: either way */
			c.op = IRC_NE;
			c.l = (struct ir_val){ .kind = IRV_UNKNOWN };
		}
		next = ir_new_block(L->f);
		L->branch_flags |= IRB_COND_IMPLICIT;
		lower_branch(L, c, loc, cb->block, next);
		L->branch_flags = saved;
		L->cur = next;
	}
	lower_jump(L, dflt);
}

static void lower_switch(struct lower *L, CXCursor s, struct kids *k)
{
	struct switch_ctx sw = { .outer = L->sw };
	struct case_scan cs = { .L = L, .sw = &sw };
	uint32_t after = ir_new_block(L->f);
	struct ir_val v;
	ir_path tmp;
	struct ir_stmt *st;

	if (k->n < 2)
		return;
	v = lower_expr(L, k->v[0]);
	if (v.kind != IRV_PATH) { /* tested once per case: a path is tested as itself, so it is refined */
		tmp = ir_path_var(L->f, lower_temp(L, IRT_INT, "switch"), IRT_INT);
		st = lower_emit(L, IR_ASSIGN, k->v[0]);
		st->dst = tmp;
		st->a = v;
		v = (struct ir_val){ .kind = IRV_PATH, .path = tmp };
	}
	clang_visitChildren(k->v[k->n - 1], scan_cases, &cs);
	lower_dispatch_chain(L, &sw, v, s, after);
	L->sw = &sw;
	push_loop(L, after, UINT32_MAX);
	lower_stmt(L, k->v[k->n - 1]);
	lower_jump(L, after);
	L->nr_loops--;
	L->sw = sw.outer;
	L->cur = after;
	free(sw.cases);
}

static void lower_case(struct lower *L, CXCursor s, struct kids *k)
{
	uint32_t b = case_block_of(L->sw, s);

	if (b != UINT32_MAX) {
		lower_jump(L, b);
		L->cur = b;
	}
	if (k->n)
		lower_stmt(L, k->v[k->n - 1]);
}

/* ------------------------------------------------------------------ */
/* Jumps                                                               */

static uint32_t label_block(struct lower *L, CXCursor label)
{
	CXString name = clang_getCursorSpelling(label);
	ir_str id = ir_intern(L->t, clang_getCString(name));

	clang_disposeString(name);
	for (size_t i = 0; i < L->nr_labels; i++)
		if (L->labels[i].name == id)
			return L->labels[i].block;
	ALLOC_GROW(L->labels, L->nr_labels + 1, L->alloc_labels);
	L->labels[L->nr_labels].name = id;
	L->labels[L->nr_labels].block = ir_new_block(L->f);
	return L->labels[L->nr_labels++].block;
}

static void lower_goto(struct lower *L, struct kids *k)
{
	for (unsigned i = 0; i < k->n; i++) {
		if (clang_getCursorKind(k->v[i]) == CXCursor_LabelRef) {
			lower_jump(L, label_block(L, clang_getCursorReferenced(k->v[i])));
			return;
		}
	}
	lower_jump(L, IR_EXIT); /* computed goto: leave the function conservatively */
}

static void lower_break(struct lower *L, int is_continue)
{
	for (size_t i = L->nr_loops; i-- > 0;) {
		if (!is_continue) {
			lower_jump(L, L->loops[i].brk);
			return;
		}
		if (L->loops[i].cont != UINT32_MAX) {
			lower_jump(L, L->loops[i].cont);
			return;
		}
	}
	lower_dead(L);
}

static void lower_return(struct lower *L, CXCursor s, struct kids *k)
{
	struct ir_val v = { .kind = IRV_UNKNOWN, .k = -1 };
	struct ir_stmt *st;

	if (k->n)
		v = lower_expr(L, k->v[0]);
	st = lower_emit(L, IR_RETURN, s);
	st->a = v;
	lower_jump(L, IR_EXIT);
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

static void lower_compound(struct lower *L, struct kids *k)
{
	for (unsigned i = 0; i < k->n && !lower_over_budget(L); i++)
		lower_stmt(L, k->v[i]);
}

struct asm_vars {
	struct lower *L;
	ir_path *paths;
	size_t nr, alloc;
};

static enum CXChildVisitResult collect_asm_var(CXCursor c, CXCursor parent, CXClientData data)
{
	struct asm_vars *av = data;
	CXCursor d;

	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_DeclRefExpr)
		return CXChildVisit_Recurse;
	d = clang_getCursorReferenced(c);
	if (clang_getCursorKind(d) == CXCursor_VarDecl || clang_getCursorKind(d) == CXCursor_ParmDecl) {
		uint32_t var = lower_var_of(av->L, d);
		av->L->f->vars[var].flags |= IRV_ADDR_TAKEN;
		ALLOC_GROW(av->paths, av->nr + 1, av->alloc);
		av->paths[av->nr++] = ir_path_var(av->L->f, var, lower_decl_type_flags(d));
	}
	return CXChildVisit_Continue;
}

/*
 * asm("cpuid" : "=a" (eax) : "a" (i)): the engine cannot read the
 * instructions, so the statement is a call to an unknown function given
 * the address of every variable it names: outputs are written (not left
 * unset), and blocks their pointers hold may be kept.
 */
static void lower_asm(struct lower *L, CXCursor s)
{
	struct asm_vars av = { .L = L };
	struct ir_stmt *st;
	uint32_t first;

	clang_visitChildren(s, collect_asm_var, &av);
	first = L->f->nr_args;
	for (size_t i = 0; i < av.nr; i++) {
		ALLOC_GROW(L->f->args, L->f->nr_args + 1, L->f->alloc_args);
		L->f->args[L->f->nr_args++] = (struct ir_val){ .kind = IRV_ADDR, .path = av.paths[i] };
	}
	st = lower_emit(L, IR_CALL, s);
	if (st) {
		st->callee = ir_intern(L->t, "asm");
		st->args = first;
		st->aux = (uint32_t)av.nr;
	}
	free(av.paths);
}

static void lower_stmt_kind(struct lower *L, CXCursor s, struct kids *k)
{
	switch (clang_getCursorKind(s)) {
	case CXCursor_GCCAsmStmt:
	case CXCursor_MSAsmStmt: lower_asm(L, s); break;
	case CXCursor_CompoundStmt: lower_compound(L, k); break;
	case CXCursor_DeclStmt: lower_decl_stmt(L, s); break;
	case CXCursor_IfStmt: lower_if(L, k); break;
	case CXCursor_WhileStmt: lower_while(L, k); break;
	case CXCursor_DoStmt: lower_do(L, k); break;
	case CXCursor_ForStmt: lower_for(L, s, k); break;
	case CXCursor_SwitchStmt: lower_switch(L, s, k); break;
	case CXCursor_CaseStmt:
	case CXCursor_DefaultStmt: lower_case(L, s, k); break;
	case CXCursor_BreakStmt: lower_break(L, 0); break;
	case CXCursor_ContinueStmt: lower_break(L, 1); break;
	case CXCursor_ReturnStmt: lower_return(L, s, k); break;
	case CXCursor_GotoStmt:
	case CXCursor_IndirectGotoStmt: lower_goto(L, k); break;
	case CXCursor_LabelStmt: {
		uint32_t b = label_block(L, s);
		lower_jump(L, b);
		L->cur = b;
		if (k->n)
			lower_stmt(L, k->v[k->n - 1]);
		break;
	}
	case CXCursor_NullStmt:
		break;
	default:
		if (clang_isExpression(clang_getCursorKind(s)))
			(void)lower_expr(L, s);
		else
			lower_compound(L, k); /* asm, attributed statements, ... */
		break;
	}
}

/* f(x); as a statement: its call drops the result (and (void)f(x) is a
 * cast, not a call, so it is not marked). */
static void note_discarded(struct lower *L, CXCursor s, struct ir_val v)
{
	struct ir_block *b;

	if (clang_getCursorKind(s) != CXCursor_CallExpr || v.kind != IRV_PATH || L->cur == LOWER_NO_BLOCK)
		return;
	b = &L->f->blocks[L->cur];
	for (uint32_t k = b->nr_stmts; k-- > 0;)
		if (b->stmts[k].op == IR_CALL && b->stmts[k].dst == v.path) {
			b->stmts[k].flags |= IRS_DISCARDED;
			return;
		}
}

static void lower_stmt(struct lower *L, CXCursor s)
{
	struct kids k = { 0 };

	if (lower_over_budget(L))
		return;
	if (L->depth >= LOWER_MAX_DEPTH) {
		L->f->truncated = 1;
		return;
	}
	L->depth++;
	if (clang_isExpression(clang_getCursorKind(s))) {
		if (!lower_disabled_assert(L, s))
			note_discarded(L, s, lower_expr(L, s));
	}
	else {
		kids_get(L, s, &k);
		lower_stmt_kind(L, s, &k);
		kids_release(&k);
	}
	L->depth--;
}

/* ------------------------------------------------------------------ */
/* Functions                                                           */

static void lower_params(struct lower *L, CXCursor fn)
{
	int n = clang_Cursor_getNumArguments(fn);

	for (int i = 0; i < n; i++) {
		uint32_t v = lower_var_of(L, clang_Cursor_getArgument(fn, (unsigned)i));
		L->f->vars[v].param_index = i;
	}
	L->f->nr_params = n > 0 ? (uint32_t)n : 0;
}

static CXCursor function_body(struct lower *L, CXCursor fn)
{
	struct kids k = { 0 };
	CXCursor body = clang_getNullCursor();

	kids_get(L, fn, &k);
	for (unsigned i = 0; i < k.n; i++)
		if (clang_getCursorKind(k.v[i]) == CXCursor_CompoundStmt)
			body = k.v[i];
	kids_release(&k);
	return body;
}

/*
 * Arrays grow by half again as they fill; a translation unit's functions
 * stay in memory together until its analysis ends, next to the AST they
 * were lowered from, so the slack is given back once a function is done.
 */
static void shrink_to_fit(struct ir_func *f)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		struct ir_block *blk = &f->blocks[b];
		if (blk->alloc_stmts > blk->nr_stmts && blk->nr_stmts) {
			blk->stmts = ma_realloc(blk->stmts, blk->nr_stmts * sizeof(*blk->stmts));
			blk->alloc_stmts = blk->nr_stmts;
		}
	}
	if (f->alloc_blocks > f->nr_blocks && f->nr_blocks) {
		f->blocks = ma_realloc(f->blocks, f->nr_blocks * sizeof(*f->blocks));
		f->alloc_blocks = f->nr_blocks;
	}
	if (f->alloc_args > f->nr_args && f->nr_args) {
		f->args = ma_realloc(f->args, f->nr_args * sizeof(*f->args));
		f->alloc_args = f->nr_args;
	}
	if (f->alloc_vars > f->nr_vars && f->nr_vars) { /* may grow again: ALLOC_GROW reallocates */
		f->vars = ma_realloc(f->vars, f->nr_vars * sizeof(*f->vars));
		f->alloc_vars = f->nr_vars;
	}
	if (f->alloc_paths > f->nr_paths && f->nr_paths) {
		f->paths = ma_realloc(f->paths, f->nr_paths * sizeof(*f->paths));
		f->alloc_paths = f->nr_paths;
	}
}

/* Where a statement ends: the line of a body's closing brace. */
static struct ir_loc end_loc(struct lower *L, CXCursor s)
{
	CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(s));
	struct ir_loc loc = { 0 };
	CXFile file;
	unsigned off = 0;

	clang_getExpansionLocation(end, &file, &loc.line, &loc.col, &off);
	if (file) {
		CXFile start_file;
		clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(s)), &start_file, NULL, NULL, NULL);
		if (!clang_File_isEqual(file, start_file))
			return (struct ir_loc){ 0 };
		loc.file = lower_loc(L, s).file;
		if (loc.col > 1)
			loc.col--; /* the range ends just past the brace */
	}
	return loc;
}

/* Is there a line starting with #if, #ifdef, #ifndef, #elif or #else in
 * text?  memchr finds the rare '#' fast; only those are looked at. */
static int has_conditional_directive(const char *text, size_t n)
{
	const char *end = text + n, *q = text;

	while ((q = memchr(q, '#', (size_t)(end - q))) != NULL) {
		const char *b = q, *a = q + 1;
		while (b > text && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		while (a < end && (*a == ' ' || *a == '\t'))
			a++;
		if ((b == text || b[-1] == '\n') && a + 2 <= end && (!strncmp(a, "if", 2) || !strncmp(a, "el", 2)))
			return 1;
		q++;
	}
	return 0;
}

/* Does the function's text hold a conditional preprocessor directive? */
static int is_configured(struct lower *L, CXCursor fn)
{
	CXSourceRange r = clang_getCursorExtent(fn);
	unsigned a = 0, b = 0;
	CXFile fa, fb;
	size_t size = 0;
	const char *text;

	clang_getExpansionLocation(clang_getRangeStart(r), &fa, NULL, NULL, &a);
	clang_getExpansionLocation(clang_getRangeEnd(r), &fb, NULL, NULL, &b);
	if (!fa || !clang_File_isEqual(fa, fb) || b < a)
		return 0;
	text = clang_getFileContents(L->tu, fa, &size);
	return text && b <= size && has_conditional_directive(text + a, b - a);
}

static void lower_function(struct lower *L, CXCursor fn)
{
	struct ir_func *f;
	CXString name = clang_getCursorSpelling(fn);
	CXCursor body = function_body(L, fn);

	ALLOC_GROW(L->t->funcs, L->t->nr_funcs + 1, L->t->alloc_funcs);
	f = &L->t->funcs[L->t->nr_funcs++];
	memset(f, 0, sizeof(*f));
	L->f = f;
	f->name = ir_intern(L->t, clang_getCString(name));
	clang_disposeString(name);
	f->loc = lower_loc(L, fn);
	f->returns = lower_type_flags(clang_getResultType(clang_getCursorType(fn)));
	f->returns_void = clang_getCanonicalType(clang_getResultType(clang_getCursorType(fn))).kind == CXType_Void;
	f->configured = is_configured(L, fn);
	if (!clang_Cursor_isNull(body))
		f->end_loc = end_loc(L, body);
	ir_new_block(f); /* IR_ENTRY */
	ir_new_block(f); /* IR_EXIT */
	L->cur = ir_new_block(f);
	f->blocks[IR_ENTRY].nsucc = 1;
	f->blocks[IR_ENTRY].succ[0] = L->cur;
	L->stmts = 0;
	L->depth = 0;
	L->temps = 0;
	L->uncertain = 0;
	L->nr_labels = 0;
	L->nr_loops = 0;
	L->sw = NULL;
	vars_reset(L);
	lower_params(L, fn);
	if (!clang_Cursor_isNull(body))
		lower_stmt(L, body);
	lower_jump(L, IR_EXIT); /* falling off the end */
	if (f->truncated)
		L->t->truncated_funcs++;
	shrink_to_fit(f);
}

static int is_function_kind(enum CXCursorKind k)
{
	return k == CXCursor_FunctionDecl || k == CXCursor_CXXMethod || k == CXCursor_Constructor ||
	       k == CXCursor_Destructor || k == CXCursor_ConversionFunction;
}

static int is_container_kind(enum CXCursorKind k)
{
	return k == CXCursor_Namespace || k == CXCursor_LinkageSpec || k == CXCursor_ClassDecl ||
	       k == CXCursor_StructDecl || k == CXCursor_UnexposedDecl;
}

static enum CXChildVisitResult visit_top(CXCursor c, CXCursor parent, CXClientData data)
{
	struct lower *L = data;
	enum CXCursorKind kind = clang_getCursorKind(c);

	(void)parent;
	if (clang_Location_isInSystemHeader(clang_getCursorLocation(c)))
		return CXChildVisit_Continue;
	if (is_function_kind(kind) && clang_isCursorDefinition(c))
		lower_function(L, c);
	else if (is_container_kind(kind))
		clang_visitChildren(c, visit_top, L);
	return CXChildVisit_Continue;
}

/* ------------------------------------------------------------------ */
/* Static variables that never change                                  */

static void mark_changed(struct lower *L, ir_str name)
{
	uint32_t old = L->alloc_changed;

	ALLOC_GROW(L->changed, name + 1, L->alloc_changed);
	if (L->alloc_changed > old) /* new names start unchanged */
		memset(L->changed + old, 0, L->alloc_changed - old);
	L->changed[name] = 1;
}

/* Only statics count: a local of the same name is another variable. */
static void mark_var(struct lower *L, const struct ir_func *f, ir_path p)
{
	const struct ir_var *var = &f->vars[ir_path_root(f, p)];

	if (var->flags & (IRV_GLOBAL | IRV_STATIC_LOCAL))
		mark_changed(L, var->name);
}

static void mark_val(struct lower *L, const struct ir_func *f, const struct ir_val *v)
{
	if (v->kind == IRV_ADDR && v->path)
		mark_var(L, f, v->path);
}

/* Names of variables a function writes or whose address it takes. */
static void mark_func_changes(struct lower *L, const struct ir_func *f)
{
	for (uint32_t b = 0; b < f->nr_blocks; b++) {
		const struct ir_block *blk = &f->blocks[b];
		for (uint32_t i = 0; i < blk->nr_stmts; i++) {
			const struct ir_stmt *s = &blk->stmts[i];
			if (s->dst)
				mark_var(L, f, s->dst);
			mark_val(L, f, &s->a);
			mark_val(L, f, &s->b);
		}
		if (blk->nsucc == 2) {
			mark_val(L, f, &blk->cond.l);
			mark_val(L, f, &blk->cond.r);
		}
	}
	for (uint32_t i = 0; i < f->nr_args; i++)
		mark_val(L, f, &f->args[i]);
}

/* File-scope initialisers (int *p = &counter;) may hand a variable's address out. */
static enum CXChildVisitResult mark_initialiser_refs(CXCursor c, CXCursor parent, CXClientData data)
{
	struct lower *L = data;
	CXCursor d;

	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_DeclRefExpr)
		return CXChildVisit_Recurse;
	d = clang_getCursorReferenced(c);
	if (clang_getCursorKind(d) == CXCursor_VarDecl) {
		CXString n = clang_getCursorSpelling(d);
		mark_changed(L, ir_intern(L->t, clang_getCString(n)));
		clang_disposeString(n);
	}
	return CXChildVisit_Continue;
}

static enum CXChildVisitResult scan_top_initialisers(CXCursor c, CXCursor parent, CXClientData data)
{
	enum CXCursorKind kind = clang_getCursorKind(c);

	(void)parent;
	if (kind == CXCursor_VarDecl)
		clang_visitChildren(c, mark_initialiser_refs, data);
	else if (is_container_kind(kind))
		clang_visitChildren(c, scan_top_initialisers, data);
	return CXChildVisit_Continue;
}

/*
 * Keep has_const_init only on static variables nothing in the TU writes
 * or takes the address of (by name: two statics of one name count
 * together, which only loses a constant).  A truncated
 * function may hide a write, so then no variable keeps its value.
 */
static void pin_static_constants(struct lower *L, CXTranslationUnit tu)
{
	struct ir_tu *t = L->t;

	clang_visitChildren(clang_getTranslationUnitCursor(tu), scan_top_initialisers, L);
	for (size_t i = 0; i < t->nr_funcs; i++)
		mark_func_changes(L, &t->funcs[i]);
	for (size_t i = 0; i < t->nr_funcs; i++) {
		struct ir_func *f = &t->funcs[i];
		for (uint32_t v = 0; v < f->nr_vars; v++) {
			struct ir_var *var = &f->vars[v];
			if (var->has_const_init && (t->truncated_funcs ||
						    (var->name < L->alloc_changed && L->changed[var->name])))
				var->has_const_init = 0;
		}
	}
}

struct ir_tu *ir_lower_tu(CXTranslationUnit tu, const char *workdir)
{
	struct lower L = { .tu = tu, .workdir = workdir };

	L.t = ir_tu_new();
	clang_visitChildren(clang_getTranslationUnitCursor(tu), visit_top, &L);
	pin_static_constants(&L, tu);
	free(L.changed);
	free(L.loops);
	free(L.noreturn);
	free(L.labels);
	free(L.vars);
	free(L.used_slots);
	for (size_t i = 0; i < L.nr_files; i++)
		free(L.files[i].line_start);
	free(L.files);
	return L.t;
}
