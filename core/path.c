#include "path.h"
#include "strbuf.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

/*
 * Rebuild the path segment by segment into out (which trails p, so the copy
 * is safe in place).  ".." pops the last kept segment; on a relative path
 * that has none to pop it is kept, on an absolute one it is dropped ("/.."
 * is "/").
 */
void ma_path_normalize(char *path)
{
	int absolute = path[0] == '/';
	char *out = path + absolute, *start = out;
	const char *p = path;
	size_t kept_dotdot = 0; /* leading ".." segments of a relative path */
	size_t segs = 0;        /* segments in out, including kept ".." */

	if (!*path) /* no room to write "." in place */
		return;
	while (*p) {
		const char *seg;
		size_t n;

		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (segs > kept_dotdot) {
				/* drop the last segment and its separator */
				while (out > start && out[-1] != '/')
					out--;
				if (out > start)
					out--;
				segs--;
				continue;
			}
			if (absolute)
				continue;
			kept_dotdot++;
		}
		if (out > start)
			*out++ = '/';
		memmove(out, seg, n);
		out += n;
		segs++;
	}
	if (out == start && !absolute)
		*out++ = '.';
	*out = '\0';
}

void ma_path_absolute(struct strbuf *sb, const char *base, const char *path)
{
	size_t start = sb->len;

	if (path[0] != '/' && base && *base) {
		strbuf_addstr(sb, base);
		strbuf_addch(sb, '/');
	}
	strbuf_addstr(sb, path);
	ma_path_normalize(sb->buf + start);
	strbuf_setlen(sb, start + strlen(sb->buf + start));
}

int ma_path_is_under(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (n && root[n - 1] == '/')
		n--;
	return !strncmp(root, path, n) && (path[n] == '/' || path[n] == '\0');
}

void ma_path_move(struct strbuf *out, const char *path, const char *from, const char *to)
{
	const char *rel = ma_path_relative(from, path);

	strbuf_reset(out);
	if (rel == path)
		strbuf_addstr(out, path);
	else if (!strcmp(rel, "."))
		strbuf_addstr(out, to);
	else
		strbuf_addf(out, "%s/%s", to, rel);
}

const char *ma_path_relative(const char *root, const char *path)
{
	size_t n;

	if (!root || !*root || !path || !ma_path_is_under(root, path))
		return path;
	n = strlen(root);
	if (n && root[n - 1] == '/')
		n--;
	if (!n) /* root is "/" */
		return path[1] ? path + 1 : ".";
	return path[n] ? path + n + 1 : ".";
}

size_t ma_path_dirlen(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return 0;
	return slash == path ? 1 : (size_t)(slash - path);
}

int ma_getcwd(struct strbuf *sb, struct strbuf *err)
{
	char buf[PATH_MAX];

	if (!getcwd(buf, sizeof(buf))) {
		int saved = errno;
		strbuf_addf(err, "cannot get the current directory: %s", strerror(saved));
		return -1;
	}
	strbuf_addstr(sb, buf);
	return 0;
}
