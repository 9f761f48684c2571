#ifndef MA_STRVEC_H
#define MA_STRVEC_H
/*
 * strvec: a growable, always NULL-terminated array of owned strings (git's
 * strvec).  Because v[nr] == NULL, v can go straight to execvp/posix_spawn.
 *
 * Invariants:
 *  - v is never NULL: an empty strvec points at a shared { NULL } array.
 *  - every element is owned by the strvec and freed by strvec_clear().
 *
 * Example:
 *     struct strvec argv = STRVEC_INIT;
 *     strvec_pushl(&argv, "valgrind", "--xml=yes", NULL);
 *     strvec_pushf(&argv, "--xml-file=%s/%%p.xml", dir);
 *     spawn(argv.v, ...);
 *     strvec_clear(&argv);
 */
#include <stddef.h>

struct strvec {
	const char **v;
	size_t nr;
	size_t alloc;
};

struct strbuf;

extern const char *strvec_empty[];
#define STRVEC_INIT { .v = strvec_empty, .nr = 0, .alloc = 0 }

void strvec_init(struct strvec *sv);
void strvec_push(struct strvec *sv, const char *s);
void strvec_push_nodup(struct strvec *sv, char *s);
__attribute__((format(printf, 2, 3)))
void strvec_pushf(struct strvec *sv, const char *fmt, ...);
__attribute__((sentinel))
void strvec_pushl(struct strvec *sv, ...);
void strvec_pushv(struct strvec *sv, const char *const *items);
void strvec_pop(struct strvec *sv);
void strvec_clear(struct strvec *sv);
const char **strvec_detach(struct strvec *sv);
/* 1 when both hold the same strings in the same order. */
int strvec_equal(const struct strvec *a, const struct strvec *b);
/* Join with sep into a new string the caller frees. */
char *strvec_join(const struct strvec *sv, const char *sep);
/*
 * Split a command line into words as a shell would quote them, without
 * running one: blanks separate words, '...' is literal, "..." keeps
 * blanks and takes \" and \\, a backslash outside quotes escapes the next
 * character.  No expansion of any kind.  -1 with err set on an unclosed
 * quote or an empty command.
 */
int strvec_split_words(struct strvec *sv, const char *s, struct strbuf *err);

#endif
