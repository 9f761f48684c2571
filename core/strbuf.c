#include "strbuf.h"
#include "alloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	sb->alloc = sb->len = 0;
	sb->buf = strbuf_slopbuf;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, 0);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *res;

	strbuf_grow(sb, 0);
	res = sb->buf;
	if (len)
		*len = sb->len;
	strbuf_init(sb, 0);
	return res;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want = st_add(st_add(sb->len, extra), 1);
	int fresh = !sb->alloc;

	if (want <= sb->alloc)
		return;
	if (fresh)
		sb->buf = NULL;
	sb->alloc = want < 2 * sb->alloc ? 2 * sb->alloc : want;
	if (sb->alloc < 32)
		sb->alloc = 32;
	sb->buf = ma_realloc(sb->buf, sb->alloc);
	if (fresh)
		sb->buf[0] = '\0';
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (!sb->alloc) {
		if (len)
			strbuf_grow(sb, len);
		else
			return;
	}
	sb->len = len;
	sb->buf[len] = '\0';
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	strbuf_setlen(sb, sb->len + len);
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, int c)
{
	strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void strbuf_addchars(struct strbuf *sb, int c, size_t n)
{
	strbuf_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	strbuf_setlen(sb, sb->len + n);
}

void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other)
{
	size_t len = other->len;

	/* grow first: other may be sb itself, whose buf the growth moves */
	strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, other->buf, len);
	strbuf_setlen(sb, sb->len + len);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	strbuf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0) { /* vsnprintf may have written part of the output */
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= sb->alloc - sb->len) {
		strbuf_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	strbuf_setlen(sb, sb->len + (size_t)n);
}

void strbuf_add_base64(struct strbuf *sb, const void *data, size_t len)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	char *o;

	strbuf_grow(sb, (len + 2) / 3 * 4);
	o = sb->buf + sb->len;
	for (; len >= 3; p += 3, len -= 3) {
		*o++ = digits[p[0] >> 2];
		*o++ = digits[(p[0] & 3) << 4 | p[1] >> 4];
		*o++ = digits[(p[1] & 15) << 2 | p[2] >> 6];
		*o++ = digits[p[2] & 63];
	}
	if (len) {
		*o++ = digits[p[0] >> 2];
		*o++ = digits[(p[0] & 3) << 4 | (len > 1 ? p[1] >> 4 : 0)];
		*o++ = len > 1 ? digits[(p[1] & 15) << 2] : '=';
		*o++ = '=';
	}
	strbuf_setlen(sb, (size_t)(o - sb->buf));
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_rtrim(struct strbuf *sb)
{
	while (sb->len && isspace((unsigned char)sb->buf[sb->len - 1]))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}

void strbuf_trim(struct strbuf *sb)
{
	size_t skip = 0;

	strbuf_rtrim(sb);
	while (skip < sb->len && isspace((unsigned char)sb->buf[skip]))
		skip++;
	if (skip) {
		memmove(sb->buf, sb->buf + skip, sb->len - skip);
		strbuf_setlen(sb, sb->len - skip);
	}
}

int strbuf_starts_with(const struct strbuf *sb, const char *prefix)
{
	return starts_with(sb->buf, prefix);
}

int strbuf_read_stream(struct strbuf *sb, FILE *fp)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		strbuf_add(sb, chunk, n);
	return ferror(fp) ? -1 : 0;
}

int strbuf_read_file(struct strbuf *sb, const char *path, struct strbuf *err)
{
	FILE *fp = fopen(path, "rb");
	int saved_errno;

	if (!fp) {
		saved_errno = errno; /* strbuf_addf may clobber errno */
		strbuf_addf(err, "cannot open '%s': %s", path, strerror(saved_errno));
		return -1;
	}
	if (strbuf_read_stream(sb, fp) < 0) {
		saved_errno = errno;
		fclose(fp);
		strbuf_addf(err, "cannot read '%s': %s", path, strerror(saved_errno));
		return -1;
	}
	fclose(fp);
	return 0;
}

int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && !strcmp(s + ls - lx, suffix);
}

int skip_prefix(const char *s, const char *prefix, const char **out)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n))
		return 0;
	*out = s + n;
	return 1;
}

int strbuf_getline(struct strbuf *sb, FILE *fp)
{
	int c;

	strbuf_setlen(sb, 0);
	while ((c = getc(fp)) != EOF && c != '\n')
		strbuf_addch(sb, c);
	if (c == EOF && !sb->len)
		return EOF;
	if (sb->len && sb->buf[sb->len - 1] == '\r')
		strbuf_setlen(sb, sb->len - 1);
	return 0;
}
