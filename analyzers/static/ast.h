#ifndef MA_STATIC_AST_H
#define MA_STATIC_AST_H
/*
 * Small questions checkers ask of libclang cursors.  libclang 14 exposes no
 * operator kinds and shows implicit casts as CXCursor_UnexposedExpr, so
 * these helpers read tokens and peel wrappers in one place rather than in
 * every checker.
 *
 *     CXCursor arg = ma_ast_strip(clang_Cursor_getArgument(call, 0));
 *     if (ma_ast_is_string_literal(arg)) ...
 *     char op[4];
 *     if (ma_ast_unary_op(tu, expr, op, sizeof(op)) && !strcmp(op, "&")) ...
 */
#include <clang-c/Index.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The file range from a to b (their expansion locations), or a null range
 * when they are in different files, out of order, or more than max bytes
 * apart.  Tokenizing ranges made from macro locations makes libclang lex
 * from the macro's definition: always tokenize through this.
 */
CXSourceRange ma_ast_file_range(CXTranslationUnit tu, CXSourceLocation a, CXSourceLocation b,
				unsigned max);
/* The cursor's extent as such a range. */
CXSourceRange ma_ast_safe_extent(CXTranslationUnit tu, CXCursor c, unsigned max);

/* Peel parentheses and implicit conversions (UnexposedExpr with one child). */
CXCursor ma_ast_strip(CXCursor c);
/* ma_ast_strip, and explicit casts too. */
CXCursor ma_ast_strip_casts(CXCursor c);

unsigned ma_ast_num_children(CXCursor c);
/* The n-th child (0-based), or a null cursor. */
CXCursor ma_ast_child(CXCursor c, unsigned n);
/* The first `max` children into out[], in one visit that stops there; how many there were (at most max). */
unsigned ma_ast_children(CXCursor c, CXCursor *out, unsigned max);

int ma_ast_is_null(CXCursor c);
int ma_ast_is_string_literal(CXCursor c);
/* The callee's name of a direct call into buf ("" for indirect calls). */
void ma_ast_callee_name(CXCursor call, char *buf, size_t size);
int ma_ast_num_args(CXCursor call);
/* Argument i of a call, stripped of parentheses and implicit casts. */
CXCursor ma_ast_arg(CXCursor call, unsigned i);

/* Spelling of the first / last token of the cursor's extent into buf; 0 if none. */
int ma_ast_first_token(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
int ma_ast_last_token(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/*
 * The expression as written, its tokens joined ("m->title", "(char*)buf"),
 * cut to fit with "..."; for messages.  0 if it has no tokens.
 */
int ma_ast_text(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/* Spelling of the token just before the cursor's extent; 0 if none. */
int ma_ast_token_before(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/* Spelling of the token just after the cursor's extent; 0 if none. */
int ma_ast_token_after(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/* The operator of a UnaryOperator ("&", "*", "!", "++", ...); 0 if not one. */
int ma_ast_unary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/* An integer literal's value read from the source (12, 0x1fu, 017L): 1 and
 * *out, or 0 when it is not written there (a macro's) or not plain. */
int ma_ast_int_literal(CXTranslationUnit tu, CXCursor lit, int64_t *out);
/*
 * Quick answers from the file's text, for hooks that run on every node:
 * may the expression's text hold `a` or `b` (b may be NULL)?  Read from
 * where it starts to the ')' that closes around it or the end of its
 * statement, so a little more than the expression: 1 when that holds one,
 * or when it cannot tell (a filter before ma_ast_binary_op, which costs
 * more).
 */
int ma_ast_may_contain(CXTranslationUnit tu, CXCursor c, const char *a, const char *b);
/* The first character of the cursor's text where it starts (an expression
 * starts at its first token), or 0 when that is inside a macro. */
int ma_ast_first_char(CXTranslationUnit tu, CXCursor c);
/* Is lhs, written in the file, followed by `=` (not `==`): x = ...? */
int ma_ast_assigned_after(CXTranslationUnit tu, CXCursor lhs);
/* The operator of a BinaryOperator or CompoundAssignOperator ("=", "+=", "==", ...). */
int ma_ast_binary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/* The same, given the operator's two operands (its children) already. */
int ma_ast_binary_op_of(CXTranslationUnit tu, CXCursor c, CXCursor lhs, CXCursor rhs, char *buf, size_t size);
/* The same for an operator inside a macro's argument, read where the
 * argument was spelled (ma_ast_binary_op reads none inside a macro). */
int ma_ast_macro_arg_binary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/* A sizeof expression (not a sizeof(type)); *arg set to its operand. */
int ma_ast_sizeof_expr(CXTranslationUnit tu, CXCursor c, CXCursor *arg);

/* The declaration a DeclRefExpr/MemberRefExpr names (after ma_ast_strip). */
CXCursor ma_ast_referenced(CXCursor expr);
/*
 * The variable whose own storage an lvalue designates: x, s.f, arr[i],
 * grid[i].f[j] lead to the VarDecl/ParmDecl; anything reached through a
 * pointer (p->f, p[i], *p, an array parameter) gives a null cursor, as
 * that storage may be anywhere.
 */
CXCursor ma_ast_storage_root(CXCursor expr);
/*
 * The variable whose own storage the pointer value expr points into: &x,
 * &s.f, arr (decayed), arr + n, &arr[i], either branch of c ? a : b, and
 * calls such as strcpy(buf, ...) that return their first argument.  Null
 * when that storage is reached through a pointer, or not known.
 */
CXCursor ma_ast_pointed_var(CXTranslationUnit tu, CXCursor expr);
/* A variable with automatic storage: a local or a parameter, not static/extern. */
int ma_ast_is_automatic_var(CXCursor decl);

/*
 * libclang shows a parameter declared `char buf[16]` with its written array
 * type, though C adjusts it to `char *`: the storage is the caller's.
 * These ask about the expression's real type.
 */
int ma_ast_is_array_param(CXCursor expr);
/* An array object (not an array parameter), after ma_ast_strip. */
int ma_ast_is_array_expr(CXCursor expr);
/* A pointer, array parameters included. */
int ma_ast_is_pointer_expr(CXCursor expr);

int ma_type_is_pointer(CXType t);
int ma_type_is_array(CXType t);
/* A function-local static or a global/file-scope variable. */
int ma_ast_is_static_storage_var(CXCursor decl);

/*
 * An attribute as written where it is used: "format_arg(1)", or for a
 * macro such as glibc's "__attribute_format_arg__ (1)" the macro call.
 * libclang 14 shows most attributes as CXCursor_UnexposedAttr with no
 * tokens, so this reads the file text at the attribute's expansion
 * location, up to the ')' that closes its first '('.  0 if unavailable.
 */
int ma_ast_attribute_text(CXTranslationUnit tu, CXCursor attr, char *buf, size_t size);
/*
 * Call fn with the text (ma_ast_attribute_text) of each attribute of decl
 * until it returns nonzero.  Attributes libclang synthesises for builtins
 * (printf's format) have no text of their own and are skipped.
 */
/* The integers in an attribute text's parentheses, in order; how many (at most max). */
unsigned ma_ast_attribute_numbers(const char *text, unsigned *nums, unsigned max);
typedef int (*ma_attr_fn)(const char *text, void *data);
void ma_ast_each_attribute(CXTranslationUnit tu, CXCursor decl, ma_attr_fn fn, void *data);

/*
 * A reference to a variable that always holds one string literal: const
 * chars in a const pointer or an array, initialised with a literal
 * (static const char m[] = "...", const char *const m = "...").
 */
int ma_ast_is_const_literal_var(CXCursor ref);

/* 1 when two expressions are spelled with the same tokens ("p->buf" and "p -> buf"). */
int ma_ast_same_tokens(CXTranslationUnit tu, CXCursor a, CXCursor b);

#endif
