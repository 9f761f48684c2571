#ifndef MA_STRBUF_H
#define MA_STRBUF_H
/*
 * strbuf: a growable, always NUL-terminated byte buffer (after git's strbuf).
 *
 * Invariants:
 *  - buf is never NULL: an empty strbuf points at a shared "" (strbuf_slopbuf)
 *    until the first write, so `sb.buf` can always be printed or compared.
 *  - buf[len] == '\0'; the buffer may also hold NUL bytes before len.
 *  - strbuf_release() frees and re-initialises; strbuf_detach() hands the
 *    buffer to the caller, who then owns it and frees it with free().
 *
 * Example:
 *     struct strbuf sb = STRBUF_INIT;
 *     strbuf_addf(&sb, "%s:%u", file, line);
 *     puts(sb.buf);
 *     strbuf_release(&sb);
 *
 * Errors from the functions that do I/O are returned as -1 with one line
 * appended to a caller-owned `err` strbuf (cannot open 'x': reason).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { .alloc = 0, .len = 0, .buf = strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);
/* data as base64 (RFC 4648, with padding). */
void strbuf_add_base64(struct strbuf *sb, const void *data, size_t len);
__attribute__((format(printf, 2, 3)))
void strbuf_addf(struct strbuf *sb, const char *fmt, ...);
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

void strbuf_trim(struct strbuf *sb);
void strbuf_rtrim(struct strbuf *sb);
int strbuf_starts_with(const struct strbuf *sb, const char *prefix);

/* Read a whole file into sb (appending); -1 and a line in err on failure. */
int strbuf_read_file(struct strbuf *sb, const char *path, struct strbuf *err);
/* Read all of an open stream (appending); -1 on a read error. */
int strbuf_read_stream(struct strbuf *sb, FILE *fp);
/* The next line of fp into sb (replacing it), without its newline; EOF at
 * the end of the stream, when no character was read. */
int strbuf_getline(struct strbuf *sb, FILE *fp);

int starts_with(const char *s, const char *prefix);
int ends_with(const char *s, const char *suffix);
/* If s starts with prefix, set *out past it and return 1. */
int skip_prefix(const char *s, const char *prefix, const char **out);

#endif
