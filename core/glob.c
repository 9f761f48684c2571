#include "glob.h"
#include "alloc.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static size_t component_len(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash ? (size_t)(slash - s) : strlen(s);
}

static int is_double_star(const char *p)
{
	return p[0] == '*' && p[1] == '*' && (p[2] == '/' || !p[2]);
}

/* fnmatch wants NUL-terminated strings: the two components copied. */
static int component_matches(const char *p, size_t plen, const char *s, size_t slen)
{
	char *pc = ma_strndup(p, plen), *sc = ma_strndup(s, slen);
	int ret = !fnmatch(pc, sc, 0);

	free(pc);
	free(sc);
	return ret;
}

/* p and s each at the start of a component. */
static int match_from(const char *p, const char *s, unsigned flags)
{
	size_t plen, slen;

	if (is_double_star(p)) {
		const char *rest = p[2] ? p + 3 : p + 2;
		if (!*rest)
			return 1;
		for (const char *t = s;; t++) {
			if (match_from(rest, t, flags))
				return 1;
			if (!(t = strchr(t, '/')))
				return 0;
		}
	}
	plen = component_len(p);
	slen = component_len(s);
	if (!component_matches(p, plen, s, slen))
		return 0;
	if (!p[plen]) /* the pattern is spent: the whole path, or a parent of it */
		return !s[slen] || (flags & MA_GLOB_PARENTS);
	if (!s[slen])
		return 0;
	return match_from(p + plen + 1, s + slen + 1, flags);
}

int ma_glob_match(const char *pattern, const char *path, unsigned flags)
{
	char *p = ma_strdup(pattern);
	size_t n = strlen(p);
	int ret;

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	ret = match_from(!strncmp(p, "./", 2) ? p + 2 : p, path, flags);
	free(p);
	return ret;
}
