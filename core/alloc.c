#include "alloc.h"
#include "exitcode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *default_alloc(void *old, size_t size)
{
	return realloc(old, size ? size : 1);
}

static ma_alloc_hook alloc_fn = default_alloc;

ma_alloc_hook ma_alloc_set_hook(ma_alloc_hook hook)
{
	ma_alloc_hook old = alloc_fn;
	alloc_fn = hook ? hook : default_alloc;
	return old;
}

/* Out of memory leaves nothing sensible to do in a CLI tool: say so once and stop. */
static void die_oom(void)
{
	fputs("memaudit: fatal: out of memory\n", stderr);
	exit(MA_EXIT_INCOMPLETE);
}

size_t st_add(size_t a, size_t b)
{
	if (a > (size_t)-1 - b)
		die_oom();
	return a + b;
}

size_t st_mult(size_t a, size_t b)
{
	if (a && b > (size_t)-1 / a)
		die_oom();
	return a * b;
}

void *ma_realloc(void *ptr, size_t size)
{
	void *p = alloc_fn(ptr, size);
	if (!p)
		die_oom();
	return p;
}

void *ma_malloc(size_t size)
{
	return ma_realloc(NULL, size);
}

void *ma_calloc(size_t nmemb, size_t size)
{
	size_t n = st_mult(nmemb, size);
	void *p = ma_malloc(n);
	memset(p, 0, n);
	return p;
}

void *ma_memdup(const void *src, size_t n)
{
	void *p = ma_malloc(n);
	if (n)
		memcpy(p, src, n);
	return p;
}

char *ma_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = ma_malloc(st_add(len, 1));
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *ma_strdup(const char *s)
{
	return ma_strndup(s, strlen(s));
}
