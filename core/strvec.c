#include "strvec.h"
#include "alloc.h"
#include "array.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *strvec_empty[] = { NULL };

void strvec_init(struct strvec *sv)
{
	sv->v = strvec_empty;
	sv->nr = sv->alloc = 0;
}

void strvec_push_nodup(struct strvec *sv, char *s)
{
	if (sv->v == strvec_empty) { /* the shared empty array: nothing of ours to grow */
		sv->v = NULL;
		sv->alloc = 0;
	}
	ALLOC_GROW(sv->v, sv->nr + 2, sv->alloc);
	sv->v[sv->nr++] = s;
	sv->v[sv->nr] = NULL;
}

void strvec_push(struct strvec *sv, const char *s)
{
	strvec_push_nodup(sv, ma_strdup(s));
}

void strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strvec_push_nodup(sv, strbuf_detach(&sb, NULL));
}

void strvec_pushl(struct strvec *sv, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, sv);
	while ((s = va_arg(ap, const char *)))
		strvec_push(sv, s);
	va_end(ap);
}

void strvec_pushv(struct strvec *sv, const char *const *items)
{
	for (; *items; items++)
		strvec_push(sv, *items);
}

void strvec_pop(struct strvec *sv)
{
	if (!sv->nr)
		return;
	free((char *)sv->v[--sv->nr]);
	sv->v[sv->nr] = NULL;
}

void strvec_clear(struct strvec *sv)
{
	if (sv->v != strvec_empty) {
		for (size_t i = 0; i < sv->nr; i++)
			free((char *)sv->v[i]);
		free(sv->v);
	}
	strvec_init(sv);
}

const char **strvec_detach(struct strvec *sv)
{
	const char **ret;

	if (sv->v == strvec_empty)
		return ma_calloc(1, sizeof(char *));
	ret = sv->v;
	strvec_init(sv);
	return ret;
}

int strvec_equal(const struct strvec *a, const struct strvec *b)
{
	if (a->nr != b->nr)
		return 0;
	for (size_t i = 0; i < a->nr; i++)
		if (strcmp(a->v[i], b->v[i]))
			return 0;
	return 1;
}

char *strvec_join(const struct strvec *sv, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < sv->nr; i++) {
		if (i)
			strbuf_addstr(&sb, sep);
		strbuf_addstr(&sb, sv->v[i]);
	}
	return strbuf_detach(&sb, NULL);
}

/* Append the word starting at s to w; returns where it ended, NULL on an unclosed quote. */
static const char *one_word(const char *s, struct strbuf *w)
{
	while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
		char q = *s;
		if (q == '\\' && s[1]) {
			strbuf_addch(w, s[1]);
			s += 2;
		} else if (q == '\'' || q == '"') {
			for (s++; *s && *s != q; s++) {
				if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				strbuf_addch(w, *s);
			}
			if (!*s)
				return NULL;
			s++;
		} else {
			strbuf_addch(w, *s++);
		}
	}
	return s;
}

int strvec_split_words(struct strvec *sv, const char *s, struct strbuf *err)
{
	struct strbuf w = STRBUF_INIT;
	size_t before = sv->nr;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		strbuf_reset(&w);
		if (!(s = one_word(s, &w))) {
			strbuf_addstr(err, "unclosed quote in the command");
			strbuf_release(&w);
			return -1;
		}
		strvec_push(sv, w.buf);
	}
	strbuf_release(&w);
	if (sv->nr == before) {
		strbuf_addstr(err, "the command is empty");
		return -1;
	}
	return 0;
}
