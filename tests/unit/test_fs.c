/* Unit tests for core/fs.c: directories, atomic writes, temporary trees. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/fs.h"
#include "../../core/strbuf.h"

static char *tmp;

static void mk_tmp(void)
{
	tmp = strdup("/tmp/ma-test-fs.XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
}

static void rm_tmp(void)
{
	ma_remove_tree(tmp);
	free(tmp);
}

TestSuite(fs, .init = mk_tmp, .fini = rm_tmp);

static char *at(const char *rel)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", tmp, rel);
	return strbuf_detach(&sb, NULL);
}

static void touch(const char *rel, const char *text)
{
	char *p = at(rel);
	FILE *fp = fopen(p, "w");

	cr_assert_not_null(fp, "%s", p);
	fputs(text, fp);
	fclose(fp);
	free(p);
}

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;

	cr_assert_eq(strbuf_read_file(&sb, path, &err), 0, "%s", err.buf);
	strbuf_release(&err);
	return strbuf_detach(&sb, NULL);
}

/* Entries of dir other than "." and "..". */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d, "%s", dir);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

static int count_open_fds(void)
{
	return count_entries("/proc/self/fd");
}

Test(fs, mkdir_p_nested)
{
	struct strbuf err = STRBUF_INIT;
	char *deep = at("a/b/c/d"), *mid = at("a/b");

	cr_assert_eq(ma_mkdir_p(deep, &err), 0, "%s", err.buf);
	cr_assert(ma_is_dir(deep));
	cr_assert(ma_is_dir(mid));
	cr_assert_eq(ma_mkdir_p(deep, &err), 0, "existing directories are fine");
	cr_assert_eq(ma_mkdir_p(mid, &err), 0);
	cr_assert_eq(err.len, 0);
	free(deep);
	free(mid);
	strbuf_release(&err);
}

Test(fs, mkdir_p_odd_spellings)
{
	struct strbuf err = STRBUF_INIT;
	char *p = at("x//y/./z/"), *z = at("x/y/z");

	cr_assert_eq(ma_mkdir_p(p, &err), 0, "%s", err.buf);
	cr_assert(ma_is_dir(z));
	cr_assert_eq(ma_mkdir_p("/", &err), 0);
	free(p);
	free(z);
	strbuf_release(&err);
}

Test(fs, mkdir_p_relative)
{
	struct strbuf err = STRBUF_INIT;
	char *old = getcwd(NULL, 0), *p = at("rel/sub");

	cr_assert_eq(chdir(tmp), 0);
	cr_assert_eq(ma_mkdir_p("rel/sub", &err), 0, "%s", err.buf);
	cr_assert_eq(chdir(old), 0);
	cr_assert(ma_is_dir(p));
	free(old);
	free(p);
	strbuf_release(&err);
}

Test(fs, mkdir_p_through_a_file_fails)
{
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	char *p = at("plain/sub/dir");

	touch("plain", "x");
	cr_assert_eq(ma_mkdir_p(p, &err), -1);
	strbuf_addf(&want, "cannot create directory '%s/plain': a file of that name exists", tmp);
	cr_assert_str_eq(err.buf, want.buf);
	free(p);
	strbuf_release(&err);
	strbuf_release(&want);
}

Test(fs, mkdir_p_onto_a_file_fails)
{
	struct strbuf err = STRBUF_INIT;
	char *p = at("plain");

	touch("plain", "x");
	cr_assert_eq(ma_mkdir_p(p, &err), -1);
	cr_assert(strstr(err.buf, p), "%s", err.buf);
	cr_assert(ma_is_file(p), "the file is left alone");
	free(p);
	strbuf_release(&err);
}

Test(fs, is_dir_is_file_size)
{
	char *f = at("f.txt"), *missing = at("missing");

	touch("f.txt", "12345");
	cr_assert(ma_is_dir(tmp));
	cr_assert_not(ma_is_file(tmp));
	cr_assert(ma_is_file(f));
	cr_assert_not(ma_is_dir(f));
	cr_assert_not(ma_is_file(missing));
	cr_assert_not(ma_is_dir(missing));
	cr_assert_eq(ma_file_size(f), 5);
	cr_assert_eq(ma_file_size(missing), -1);
	free(f);
	free(missing);
}

Test(fs, write_atomic_creates_and_replaces)
{
	struct strbuf err = STRBUF_INIT;
	char *p = at("report.json"), *text;

	cr_assert_eq(ma_write_file_atomic(p, "first version, longer\n", 22, &err), 0, "%s", err.buf);
	text = slurp(p);
	cr_assert_str_eq(text, "first version, longer\n");
	free(text);
	cr_assert_eq(ma_write_file_atomic(p, "second\n", 7, &err), 0, "%s", err.buf);
	text = slurp(p);
	cr_assert_str_eq(text, "second\n", "replaced, not overwritten in place");
	free(text);
	cr_assert_eq(count_entries(tmp), 1, "no temporary file is left behind");
	cr_assert_eq(err.len, 0);
	free(p);
	strbuf_release(&err);
}

Test(fs, write_atomic_binary_and_empty)
{
	struct strbuf err = STRBUF_INIT;
	char *p = at("bin");

	cr_assert_eq(ma_write_file_atomic(p, "a\0b", 3, &err), 0);
	cr_assert_eq(ma_file_size(p), 3);
	cr_assert_eq(ma_write_file_atomic(p, "", 0, &err), 0);
	cr_assert_eq(ma_file_size(p), 0);
	cr_assert_eq(count_entries(tmp), 1);
	free(p);
	strbuf_release(&err);
}

Test(fs, write_atomic_into_missing_directory)
{
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	char *p = at("nodir/report.json");
	int fds = count_open_fds();

	cr_assert_eq(ma_write_file_atomic(p, "x", 1, &err), -1);
	strbuf_addf(&want, "cannot write '%s': No such file or directory", p);
	cr_assert_str_eq(err.buf, want.buf);
	cr_assert_eq(count_open_fds(), fds);
	free(p);
	strbuf_release(&err);
	strbuf_release(&want);
}

Test(fs, write_atomic_over_a_directory_fails_cleanly)
{
	struct strbuf err = STRBUF_INIT;
	char *p = at("adir"), *inside = at("adir/keep");

	cr_assert_eq(mkdir(p, 0777), 0);
	touch("adir/keep", "k");
	cr_assert_eq(ma_write_file_atomic(p, "data", 4, &err), -1);
	cr_assert(starts_with(err.buf, "cannot write '"), "%s", err.buf);
	cr_assert(strstr(err.buf, p), "%s", err.buf);
	cr_assert(ma_is_dir(p));
	cr_assert(ma_is_file(inside));
	cr_assert_eq(count_entries(tmp), 1, "the temporary file is removed");
	free(p);
	free(inside);
	strbuf_release(&err);
}

Test(fs, write_atomic_write_error_closes_and_cleans_up)
{
	struct strbuf err = STRBUF_INIT;
	struct rlimit rl, saved;
	char *p = at("big"), *data = calloc(1, 65536);
	int fds, ret;

	/* a file-size limit turns the write into EFBIG (SIGXFSZ ignored) */
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
	rl = saved;
	rl.rlim_cur = 4096;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	fds = count_open_fds();
	ret = ma_write_file_atomic(p, data, 65536, &err);
	setrlimit(RLIMIT_FSIZE, &saved);
	cr_assert_eq(ret, -1);
	cr_assert(strstr(err.buf, "File too large"), "%s", err.buf);
	cr_assert_eq(count_open_fds(), fds, "the temporary file's descriptor leaked");
	cr_assert_eq(count_entries(tmp), 0, "no temporary file and no target");
	free(p);
	free(data);
	strbuf_release(&err);
}

Test(fs, mkdtemp_and_remove_tree)
{
	struct strbuf sb = STRBUF_INIT, other = STRBUF_INIT, err = STRBUF_INIT;
	const char *base;

	setenv("TMPDIR", tmp, 1);
	strbuf_addstr(&sb, "");
	cr_assert_eq(ma_mkdtemp(&sb, "memaudit-bear", &err), 0, "%s", err.buf);
	cr_assert(starts_with(sb.buf, tmp), "%s", sb.buf);
	base = strrchr(sb.buf, '/') + 1;
	cr_assert(starts_with(base, "memaudit-bear."), "%s", base);
	cr_assert_eq(strlen(base), strlen("memaudit-bear.XXXXXX"));
	cr_assert(ma_is_dir(sb.buf));
	cr_assert_eq(ma_mkdtemp(&other, "memaudit-bear", &err), 0);
	cr_assert_str_neq(sb.buf, other.buf, "fresh every time");

	strbuf_addstr(&sb, "/d1/d2");
	cr_assert_eq(ma_mkdir_p(sb.buf, &err), 0);
	strbuf_addstr(&sb, "/f");
	cr_assert_eq(ma_write_file_atomic(sb.buf, "x", 1, &err), 0);
	strbuf_setlen(&sb, sb.len - strlen("/d1/d2/f"));

	ma_remove_tree(sb.buf);
	cr_assert_not(ma_is_dir(sb.buf));
	cr_assert(ma_is_dir(other.buf), "only the named tree goes");
	ma_remove_tree(other.buf);
	cr_assert_eq(count_entries(tmp), 0);
	unsetenv("TMPDIR");
	strbuf_release(&sb);
	strbuf_release(&other);
	strbuf_release(&err);
}

Test(fs, mkdtemp_appends_to_sb)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;

	setenv("TMPDIR", tmp, 1);
	strbuf_addstr(&sb, "dir=");
	cr_assert_eq(ma_mkdtemp(&sb, "p", &err), 0, "%s", err.buf);
	cr_assert(starts_with(sb.buf, "dir="));
	cr_assert(ma_is_dir(sb.buf + 4));
	unsetenv("TMPDIR");
	strbuf_release(&sb);
	strbuf_release(&err);
}

Test(fs, mkdtemp_failure_leaves_sb)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;

	setenv("TMPDIR", "/nonexistent/ma-tmp", 1);
	strbuf_addstr(&sb, "keep");
	cr_assert_eq(ma_mkdtemp(&sb, "p", &err), -1);
	cr_assert_str_eq(sb.buf, "keep");
	cr_assert_str_eq(err.buf, "cannot create a temporary directory: No such file or directory");
	unsetenv("TMPDIR");
	strbuf_release(&sb);
	strbuf_release(&err);
}

Test(fs, remove_tree_does_not_follow_symlinks)
{
	struct strbuf err = STRBUF_INIT;
	char *outside = at("outside"), *precious = at("outside/precious"), *tree = at("tree"),
	     *link_in = at("tree/link"), *link_top = at("toplink");

	cr_assert_eq(ma_mkdir_p(outside, &err), 0);
	touch("outside/precious", "keep me");
	cr_assert_eq(ma_mkdir_p(tree, &err), 0);
	touch("tree/file", "x");
	cr_assert_eq(symlink(outside, link_in), 0);
	cr_assert_eq(symlink(outside, link_top), 0);
	ma_remove_tree(tree);
	cr_assert_not(ma_is_dir(tree));
	cr_assert(ma_is_file(precious), "followed a symlink inside the tree");
	ma_remove_tree(link_top);
	cr_assert(ma_is_file(precious), "followed the symlink it was given");
	cr_assert_eq(access(link_top, F_OK), -1, "the link itself is removed");
	free(outside);
	free(precious);
	free(tree);
	free(link_in);
	free(link_top);
	strbuf_release(&err);
}

Test(fs, remove_tree_on_file_and_missing)
{
	char *f = at("lonely"), *missing = at("missing/x");

	touch("lonely", "x");
	ma_remove_tree(f);
	cr_assert_not(ma_is_file(f));
	ma_remove_tree(missing); /* best effort: no crash, nothing to do */
	cr_assert_eq(count_entries(tmp), 0);
	free(f);
	free(missing);
}
