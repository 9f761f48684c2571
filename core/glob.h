#ifndef MA_GLOB_H
#define MA_GLOB_H
/*
 * Path globs, as in .gitignore and CodeChecker's skip files: a pattern is
 * matched component by component against a '/'-separated path.
 *
 *   *, ?, [a-z]   within one component (fnmatch(3), so '*' never crosses '/')
 *   **            a whole component: any number of components, none too
 *
 * (the patterns below are split in two strings only to keep this comment one)
 *     ma_glob_match("third_party/" "**", "third_party/zlib/inflate.c", 0)  1
 *     ma_glob_match("build/gen/" "*.c", "build/gen/sub/x.c", 0)           0
 *     ma_glob_match("third_party", "third_party/zlib/inflate.c",
 *                   MA_GLOB_PARENTS)                                    1
 *
 * With MA_GLOB_PARENTS a path also matches when one of its parent
 * directories does, so naming a directory excludes all it holds.
 */

#define MA_GLOB_PARENTS 1

/* 1 when path matches pattern; "./" in front and a trailing '/' of the
 * pattern are ignored. */
int ma_glob_match(const char *pattern, const char *path, unsigned flags);

#endif
