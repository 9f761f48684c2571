#define _GNU_SOURCE
#include "fs.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary file being written, for the signal handler to remove. */
static char pending_tmp[PATH_MAX];
static volatile sig_atomic_t have_pending_tmp;

static void cleanup_on_signal(int sig)
{
	if (have_pending_tmp)
		unlink(pending_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

void ma_fs_install_signal_cleanup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cleanup_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int ma_is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int ma_is_file(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

off_t ma_file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) ? -1 : st.st_size;
}

int ma_mkdir_p(const char *dir, struct strbuf *err)
{
	struct strbuf sb = STRBUF_INIT;
	int ret = 0;

	strbuf_addstr(&sb, dir);
	for (size_t i = 1; i <= sb.len && !ret; i++) {
		char saved = sb.buf[i];
		if (saved != '/' && saved != '\0')
			continue;
		sb.buf[i] = '\0';
		if (mkdir(sb.buf, 0777) < 0 && errno != EEXIST) {
			int saved_errno = errno;
			strbuf_addf(err, "cannot create directory '%s': %s", sb.buf, strerror(saved_errno));
			ret = -1;
		} else if (!ma_is_dir(sb.buf)) {
			strbuf_addf(err, "cannot create directory '%s': a file of that name exists", sb.buf);
			ret = -1;
		}
		sb.buf[i] = saved;
	}
	strbuf_release(&sb);
	return ret;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Close fd even when the write fails; errno is the first failure's. */
static int write_and_close(int fd, const char *p, size_t len)
{
	int ret = write_all(fd, p, len), saved_errno = errno;

	if (close(fd) < 0 && !ret)
		return -1;
	errno = saved_errno;
	return ret;
}

int ma_write_file_atomic(const char *path, const void *data, size_t len, struct strbuf *err)
{
	int fd, saved_errno;

	if (snprintf(pending_tmp, sizeof(pending_tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(pending_tmp)) {
		strbuf_addf(err, "cannot write '%s': path too long", path);
		return -1;
	}
	fd = open(pending_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		saved_errno = errno;
		strbuf_addf(err, "cannot write '%s': %s", path, strerror(saved_errno));
		return -1;
	}
	have_pending_tmp = 1;
	if (write_and_close(fd, data, len) < 0) {
		saved_errno = errno;
		unlink(pending_tmp);
		have_pending_tmp = 0;
		strbuf_addf(err, "cannot write '%s': %s", path, strerror(saved_errno));
		return -1;
	}
	if (rename(pending_tmp, path) < 0) {
		saved_errno = errno;
		unlink(pending_tmp);
		have_pending_tmp = 0;
		strbuf_addf(err, "cannot write '%s': %s", path, strerror(saved_errno));
		return -1;
	}
	have_pending_tmp = 0;
	return 0;
}

int ma_mkdtemp(struct strbuf *sb, const char *prefix, struct strbuf *err)
{
	const char *tmp = getenv("TMPDIR");
	size_t start = sb->len;

	strbuf_addf(sb, "%s/%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
	if (!mkdtemp(sb->buf + start)) {
		int saved_errno = errno;
		strbuf_addf(err, "cannot create a temporary directory: %s", strerror(saved_errno));
		strbuf_setlen(sb, start);
		return -1;
	}
	return 0;
}

void ma_remove_tree(const char *path)
{
	/* O_NOFOLLOW: a symlink is removed itself, never followed out of the tree */
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;

	if (!d) {
		if (fd >= 0)
			close(fd);
		unlink(path);
		return;
	}
	while ((de = readdir(d))) {
		struct strbuf sub = STRBUF_INIT;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		strbuf_addf(&sub, "%s/%s", path, de->d_name);
		ma_remove_tree(sub.buf); /* d_type may be DT_UNKNOWN: let open() tell */
		strbuf_release(&sub);
	}
	closedir(d);
	rmdir(path);
}

static void walk(struct strbuf *dir, void (*visit)(const char *path, void *data), void *data)
{
	DIR *d = opendir(dir->buf);
	size_t len = dir->len;

	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git") ||
		    !strcmp(e->d_name, ".svn") || !strcmp(e->d_name, ".hg"))
			continue;
		strbuf_setlen(dir, len);
		strbuf_addf(dir, "/%s", e->d_name);
		if (lstat(dir->buf, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(dir, visit, data);
		else if (S_ISREG(st.st_mode))
			visit(dir->buf, data);
	}
	strbuf_setlen(dir, len);
	closedir(d);
}

void ma_walk_files(const char *dir, void (*visit)(const char *path, void *data), void *data)
{
	struct strbuf path = STRBUF_INIT;

	strbuf_addstr(&path, dir);
	walk(&path, visit, data);
	strbuf_release(&path);
}
