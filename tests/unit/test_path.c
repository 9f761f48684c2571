/* Unit tests for core/path.c: lexical path normalisation and relation. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/path.h"
#include "../../core/strbuf.h"

static void check_norm(const char *in, const char *want)
{
	char *buf = strdup(in);

	ma_path_normalize(buf);
	cr_expect_str_eq(buf, want, "normalize(\"%s\")", in);
	free(buf);
}

Test(path, normalize_absolute)
{
	check_norm("/a/b/../c/./d", "/a/c/d");
	check_norm("/a/b/c", "/a/b/c");
	check_norm("//a///b//", "/a/b");
	check_norm("/a/b/", "/a/b");
	check_norm("/a/./b/.", "/a/b");
	check_norm("/a/b/..", "/a");
	check_norm("/a/b/../..", "/");
	check_norm("/", "/");
	check_norm("///", "/");
	check_norm("/.", "/");
	check_norm("/./", "/");
}

Test(path, normalize_dotdot_above_root)
{
	check_norm("/..", "/");
	check_norm("/../..", "/");
	check_norm("/../a", "/a");
	check_norm("/a/../../b", "/b");
}

Test(path, normalize_relative)
{
	check_norm("a/../../b", "../b");
	check_norm("./x", "x");
	check_norm("x/", "x");
	check_norm("x//y/./", "x/y");
	check_norm(".", ".");
	check_norm("./", ".");
	check_norm("a/..", ".");
	check_norm("a/b/../..", ".");
	check_norm("..", "..");
	check_norm("../..", "../..");
	check_norm("../a/..", "..");
	check_norm("../a/../..", "../..");
	check_norm("a/../b/../../c", "../c");
}

Test(path, normalize_names_with_dots)
{
	check_norm("/a/.hidden/b", "/a/.hidden/b");
	check_norm("/a/.../b", "/a/.../b");
	check_norm("/a/..b/c", "/a/..b/c");
	check_norm("/a/b../..", "/a");
	check_norm("x.c", "x.c");
}

Test(path, normalize_empty_stays_in_bounds)
{
	/* the buffer holds exactly the input: normalising must not write past it */
	char *buf = malloc(1);

	buf[0] = '\0';
	ma_path_normalize(buf);
	cr_assert(!strcmp(buf, "") || !strcmp(buf, "."), "got '%s'", buf);
	free(buf);
}

Test(path, absolute_joins_and_normalizes)
{
	struct strbuf sb = STRBUF_INIT;

	ma_path_absolute(&sb, "/proj/build", "../src/x.c");
	cr_assert_str_eq(sb.buf, "/proj/src/x.c");
	cr_assert_eq(sb.len, strlen(sb.buf));
	strbuf_reset(&sb);
	ma_path_absolute(&sb, "/proj/build/", "./y.c");
	cr_assert_str_eq(sb.buf, "/proj/build/y.c");
	strbuf_reset(&sb);
	ma_path_absolute(&sb, "/proj", "/usr/include/../lib/z.h");
	cr_assert_str_eq(sb.buf, "/usr/lib/z.h", "an absolute path ignores base");
	strbuf_reset(&sb);
	ma_path_absolute(&sb, NULL, "a/./b");
	cr_assert_str_eq(sb.buf, "a/b");
	strbuf_reset(&sb);
	ma_path_absolute(&sb, "", "a/../b");
	cr_assert_str_eq(sb.buf, "b");
	strbuf_reset(&sb);
	ma_path_absolute(&sb, "/proj", ".");
	cr_assert_str_eq(sb.buf, "/proj");
	strbuf_release(&sb);
}

Test(path, absolute_appends_after_existing_text)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "-I");
	ma_path_absolute(&sb, "/p/q", "../inc/./");
	cr_assert_str_eq(sb.buf, "-I/p/inc");
	cr_assert_eq(sb.len, 8);
	strbuf_release(&sb);
}

Test(path, absolute_at_exact_capacity)
{
	/* a strbuf filled to alloc - 1: the "." of an empty result must still fit */
	struct strbuf sb = STRBUF_INIT;

	strbuf_grow(&sb, 1);
	while (sb.len + 1 < sb.alloc)
		strbuf_addch(&sb, 'p');
	ma_path_absolute(&sb, NULL, "");
	cr_assert_eq(sb.len, strlen(sb.buf));
	cr_assert_lt(sb.len, sb.alloc);
	strbuf_release(&sb);
}

Test(path, is_under)
{
	cr_assert(ma_path_is_under("/a", "/a"));
	cr_assert(ma_path_is_under("/a", "/a/b"));
	cr_assert(ma_path_is_under("/a/", "/a/b"));
	cr_assert(ma_path_is_under("/a/", "/a"));
	cr_assert(ma_path_is_under("/", "/a/b"));
	cr_assert(ma_path_is_under("/", "/"));
	cr_assert_not(ma_path_is_under("/a", "/ab"));
	cr_assert_not(ma_path_is_under("/a", "/ab/c"));
	cr_assert_not(ma_path_is_under("/a/b", "/a"));
	cr_assert_not(ma_path_is_under("/a", "/b/a"));
	cr_assert_not(ma_path_is_under("/proj", "/pro"));
}

Test(path, relative)
{
	cr_assert_str_eq(ma_path_relative("/proj", "/proj/src/x.c"), "src/x.c");
	cr_assert_str_eq(ma_path_relative("/proj/", "/proj/src/x.c"), "src/x.c");
	cr_assert_str_eq(ma_path_relative("/proj", "/proj"), ".");
	cr_assert_str_eq(ma_path_relative("/proj", "/projx/a.c"), "/projx/a.c");
	cr_assert_str_eq(ma_path_relative("/proj", "/usr/include/stdio.h"), "/usr/include/stdio.h");
	cr_assert_str_eq(ma_path_relative("/", "/etc/passwd"), "etc/passwd");
	cr_assert_str_eq(ma_path_relative("/", "/"), ".");
	cr_assert_str_eq(ma_path_relative(NULL, "/a/b"), "/a/b");
	cr_assert_str_eq(ma_path_relative("", "/a/b"), "/a/b");
	cr_assert_null(ma_path_relative("/a", NULL));
}

Test(path, relative_points_into_path)
{
	const char *p = "/proj/src/x.c";

	cr_assert_eq(ma_path_relative("/proj", p), p + 6, "no copy: a pointer into path");
}

Test(path, dirlen)
{
	cr_assert_eq(ma_path_dirlen("/a/b/c.json"), 4);
	cr_assert_eq(ma_path_dirlen("/c.json"), 1);
	cr_assert_eq(ma_path_dirlen("c.json"), 0);
	cr_assert_eq(ma_path_dirlen("a/c.json"), 1);
	cr_assert_eq(ma_path_dirlen(""), 0);
}

Test(path, getcwd)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
	char *dir = strdup("/tmp/ma-test-path.XXXXXX");
	char *old = getcwd(NULL, 0);

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chdir(dir), 0);
	strbuf_addstr(&sb, "pre:");
	cr_assert_eq(ma_getcwd(&sb, &err), 0);
	cr_assert(starts_with(sb.buf, "pre:/"));
	cr_assert(ends_with(sb.buf, strrchr(dir, '/')), "%s", sb.buf);
	cr_assert_eq(err.len, 0);
	cr_assert_eq(chdir(old), 0);
	rmdir(dir);
	free(dir);
	free(old);
	strbuf_release(&sb);
	strbuf_release(&err);
}

Test(path, getcwd_of_removed_directory_fails)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
	char *dir = strdup("/tmp/ma-test-path.XXXXXX");
	char *old = getcwd(NULL, 0);

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chdir(dir), 0);
	cr_assert_eq(rmdir(dir), 0);
	cr_assert_eq(ma_getcwd(&sb, &err), -1);
	cr_assert(starts_with(err.buf, "cannot get the current directory: "), "%s", err.buf);
	cr_assert_eq(sb.len, 0);
	cr_assert_eq(chdir(old), 0);
	free(dir);
	free(old);
	strbuf_release(&sb);
	strbuf_release(&err);
}

Test(path, move_from_one_tree_to_another)
{
	struct strbuf out = STRBUF_INIT;

	ma_path_move(&out, "/tmp/copy/src/a.c", "/tmp/copy", "/home/p");
	cr_expect_str_eq(out.buf, "/home/p/src/a.c");
	ma_path_move(&out, "/tmp/copy/src/a.c", "/tmp/copy/", "/home/p");
	cr_expect_str_eq(out.buf, "/home/p/src/a.c", "a trailing slash on from");
	ma_path_move(&out, "/tmp/copy", "/tmp/copy", "/home/p");
	cr_expect_str_eq(out.buf, "/home/p", "the tree itself");
	ma_path_move(&out, "/tmp/copyist/a.c", "/tmp/copy", "/home/p");
	cr_expect_str_eq(out.buf, "/tmp/copyist/a.c", "not under from: as it is");
	strbuf_release(&out);
}
