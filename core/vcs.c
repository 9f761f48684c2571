#include "vcs.h"
#include "alloc.h"
#include "fs.h"
#include "path.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The first line of dir/name, trimmed; -1 when it cannot be read. */
static int read_line(const char *dir, const char *name, struct strbuf *out)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	int ret;

	strbuf_reset(out);
	strbuf_addf(&path, "%s/%s", dir, name);
	ret = strbuf_read_file(out, path.buf, &err);
	if (!ret) {
		strbuf_setlen(out, strcspn(out->buf, "\n"));
		strbuf_trim(out);
	}
	strbuf_release(&path);
	strbuf_release(&err);
	return ret;
}

static int is_object_name(const char *s)
{
	size_t n = 0;

	while (isxdigit((unsigned char)s[n]))
		n++;
	return (n == 40 || n == 64) && !s[n];
}

/* The git directory for the checkout holding dir: walk up to a .git
 * directory, or a .git file ("gitdir: PATH") of a worktree or submodule. */
static int find_git_dir(const char *dir, struct strbuf *git_dir)
{
	struct strbuf at = STRBUF_INIT, line = STRBUF_INIT;
	const char *gitdir;
	int ret = -1;

	strbuf_addstr(&at, dir);
	for (;;) {
		size_t len = at.len;
		strbuf_addstr(&at, "/.git");
		if (ma_is_dir(at.buf)) {
			strbuf_addbuf(git_dir, &at);
			ret = 0;
			break;
		}
		strbuf_setlen(&at, len);
		if (read_line(at.buf, ".git", &line) == 0 && skip_prefix(line.buf, "gitdir: ", &gitdir)) {
			ma_path_absolute(git_dir, at.buf, gitdir);
			ret = 0;
			break;
		}
		if (len <= 1) /* "/" or "" */
			break;
		strbuf_setlen(&at, ma_path_dirlen(at.buf));
	}
	strbuf_release(&at);
	strbuf_release(&line);
	return ret;
}

/* The object a ref names: its loose file, else its line in packed-refs. */
static int resolve_ref(const char *git_dir, const char *common, const char *ref, struct strbuf *out)
{
	struct strbuf packed = STRBUF_INIT, path = STRBUF_INIT, err = STRBUF_INIT;
	size_t ref_len = strlen(ref);
	int ret = -1;

	if ((read_line(git_dir, ref, out) == 0 || read_line(common, ref, out) == 0) && is_object_name(out->buf))
		return 0;
	strbuf_addf(&path, "%s/packed-refs", common);
	if (strbuf_read_file(&packed, path.buf, &err) == 0) {
		for (char *line = packed.buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
			size_t hex = strspn(line, "0123456789abcdef");
			if ((hex == 40 || hex == 64) && line[hex] == ' ' && !strncmp(line + hex + 1, ref, ref_len) &&
			    (line[hex + 1 + ref_len] == '\n' || !line[hex + 1 + ref_len])) {
				strbuf_reset(out);
				strbuf_add(out, line, hex);
				ret = 0;
				break;
			}
		}
	}
	strbuf_release(&packed);
	strbuf_release(&path);
	strbuf_release(&err);
	return ret;
}

int ma_vcs_head(const char *dir, char **commit, char **branch)
{
	struct strbuf git_dir = STRBUF_INIT, common = STRBUF_INIT, head = STRBUF_INIT, line = STRBUF_INIT,
		      object = STRBUF_INIT;
	const char *ref;
	int ret = -1;

	*commit = *branch = NULL;
	if (find_git_dir(dir, &git_dir) < 0 || read_line(git_dir.buf, "HEAD", &head) < 0)
		goto out;
	/* a worktree keeps its HEAD, the shared refs are in its commondir */
	if (read_line(git_dir.buf, "commondir", &line) == 0)
		ma_path_absolute(&common, git_dir.buf, line.buf);
	else
		strbuf_addbuf(&common, &git_dir);
	if (skip_prefix(head.buf, "ref: ", &ref)) {
		if (resolve_ref(git_dir.buf, common.buf, ref, &object) < 0)
			goto out; /* unborn branch: no commit yet */
		skip_prefix(ref, "refs/heads/", &ref);
		*branch = ma_strdup(ref);
	} else if (is_object_name(head.buf)) {
		strbuf_addbuf(&object, &head);
	} else {
		goto out;
	}
	*commit = strbuf_detach(&object, NULL);
	ret = 0;
out:
	strbuf_release(&git_dir);
	strbuf_release(&common);
	strbuf_release(&head);
	strbuf_release(&line);
	strbuf_release(&object);
	return ret;
}
