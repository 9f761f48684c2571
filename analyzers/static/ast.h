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

/* Peel parentheses and implicit conversions (UnexposedExpr with one child). */
CXCursor ma_ast_strip(CXCursor c);
/* ma_ast_strip, and explicit casts too. */
CXCursor ma_ast_strip_casts(CXCursor c);

unsigned ma_ast_num_children(CXCursor c);
/* The n-th child (0-based), or a null cursor. */
CXCursor ma_ast_child(CXCursor c, unsigned n);

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
/* Spelling of the token just before the cursor's extent; 0 if none. */
int ma_ast_token_before(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/* The operator of a UnaryOperator ("&", "*", "!", "++", ...); 0 if not one. */
int ma_ast_unary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/* The operator of a BinaryOperator or CompoundAssignOperator ("=", "+=", "==", ...). */
int ma_ast_binary_op(CXTranslationUnit tu, CXCursor c, char *buf, size_t size);
/* A sizeof expression (not a sizeof(type)); *arg set to its operand. */
int ma_ast_sizeof_expr(CXTranslationUnit tu, CXCursor c, CXCursor *arg);

/* The declaration a DeclRefExpr/MemberRefExpr names (after ma_ast_strip). */
CXCursor ma_ast_referenced(CXCursor expr);
/* A variable with automatic storage: a local or a parameter, not static/extern. */
int ma_ast_is_automatic_var(CXCursor decl);

int ma_type_is_pointer(CXType t);
int ma_type_is_array(CXType t);
/* A function-local static or a global/file-scope variable. */
int ma_ast_is_static_storage_var(CXCursor decl);

/* 1 when two expressions are spelled with the same tokens ("p->buf" and "p -> buf"). */
int ma_ast_same_tokens(CXTranslationUnit tu, CXCursor a, CXCursor b);

#endif
