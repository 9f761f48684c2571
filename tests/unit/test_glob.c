/* Unit tests for core/glob.c: path globs with '**' and parent directories. */
#include <criterion/criterion.h>

#include "../../core/glob.h"

static void expect_match(const char *pattern, const char *path, unsigned flags, int want)
{
	cr_expect_eq(ma_glob_match(pattern, path, flags), want, "ma_glob_match(\"%s\", \"%s\", %u): expected %d",
		     pattern, path, flags, want);
}

Test(glob, star_stays_in_one_component)
{
	expect_match("build/gen/*.c", "build/gen/x.c", 0, 1);
	expect_match("build/gen/*.c", "build/gen/sub/x.c", 0, 0);
	expect_match("*.c", "x.c", 0, 1);
	expect_match("*.c", "src/x.c", 0, 0);
	expect_match("src/?.c", "src/a.c", 0, 1);
	expect_match("src/?.c", "src/ab.c", 0, 0);
	expect_match("src/[ab].c", "src/b.c", 0, 1);
	expect_match("src/[ab].c", "src/c.c", 0, 0);
}

Test(glob, double_star_spans_components)
{
	expect_match("third_party/**", "third_party/zlib/inflate.c", 0, 1);
	expect_match("third_party/**", "third_party/x.h", 0, 1);
	expect_match("third_party/**", "src/third_party.c", 0, 0);
	expect_match("**/gen/*.c", "gen/x.c", 0, 1);
	expect_match("**/gen/*.c", "a/b/gen/x.c", 0, 1);
	expect_match("**/gen/*.c", "a/b/gen/sub/x.c", 0, 0);
	expect_match("src/**/test_*.c", "src/test_a.c", 0, 1);
	expect_match("src/**/test_*.c", "src/x/y/test_a.c", 0, 1);
	expect_match("src/**/test_*.c", "lib/x/test_a.c", 0, 0);
}

Test(glob, whole_path_unless_parents)
{
	expect_match("third_party", "third_party/zlib/inflate.c", 0, 0);
	expect_match("third_party", "third_party/zlib/inflate.c", MA_GLOB_PARENTS, 1);
	expect_match("third_party/", "third_party/zlib/inflate.c", MA_GLOB_PARENTS, 1);
	expect_match("third_*/zlib", "third_party/zlib/inflate.c", MA_GLOB_PARENTS, 1);
	expect_match("third_party", "src/third_party/x.c", MA_GLOB_PARENTS, 0);
	expect_match("src/x.c", "src/x.c/y", 0, 0);
	expect_match("src/x.c", "src", MA_GLOB_PARENTS, 0);
}

Test(glob, dot_slash_and_absolute)
{
	expect_match("./src/*.c", "src/x.c", 0, 1);
	expect_match("/opt/vendor/**", "/opt/vendor/lib/a.c", 0, 1);
	expect_match("/opt/vendor/**", "/opt/other/a.c", 0, 0);
}
