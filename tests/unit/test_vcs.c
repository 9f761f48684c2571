/* Tests for core/vcs.c: the commit and branch of a checkout, read from .git. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "../../core/fs.h"
#include "../../core/strbuf.h"
#include "../../core/vcs.h"

#define SHA_A "0123456789abcdef0123456789abcdef01234567"
#define SHA_B "89abcdef0123456789abcdef0123456789abcdef"

static struct strbuf dir = STRBUF_INIT;

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_mkdtemp(&dir, "memaudit-vcs", &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	ma_remove_tree(dir.buf);
	strbuf_release(&dir);
}

TestSuite(vcs, .init = setup, .fini = teardown);

/* dir/rel with text, its directories made. */
static void put(const char *rel, const char *text)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addf(&path, "%s/%s", dir.buf, rel);
	strbuf_setlen(&path, (size_t)(strrchr(path.buf, '/') - path.buf));
	cr_assert_eq(ma_mkdir_p(path.buf, &err), 0, "%s", err.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s", dir.buf, rel);
	cr_assert_eq(ma_write_file_atomic(path.buf, text, strlen(text), &err), 0, "%s", err.buf);
	strbuf_release(&path);
	strbuf_release(&err);
}

/* ma_vcs_head on dir/rel; its commit and branch ("" for NULL) into the buffers. */
static int head_of(const char *rel, char commit[80], char branch[80])
{
	struct strbuf at = STRBUF_INIT;
	char *c, *b;
	int ret;

	strbuf_addf(&at, "%s/%s", dir.buf, rel);
	ret = ma_vcs_head(at.buf, &c, &b);
	snprintf(commit, 80, "%s", c ? c : "");
	snprintf(branch, 80, "%s", b ? b : "");
	free(c);
	free(b);
	strbuf_release(&at);
	return ret;
}

Test(vcs, loose_ref_from_a_subdirectory)
{
	char c[80], b[80];

	put("proj/.git/HEAD", "ref: refs/heads/topic/x\n");
	put("proj/.git/refs/heads/topic/x", SHA_A "\n");
	put("proj/src/deep/a.c", "");
	cr_assert_eq(head_of("proj/src/deep", c, b), 0);
	cr_expect_str_eq(c, SHA_A);
	cr_expect_str_eq(b, "topic/x");
}

Test(vcs, packed_ref)
{
	char c[80], b[80];

	put("proj/.git/HEAD", "ref: refs/heads/main\n");
	put("proj/.git/packed-refs", "# pack-refs with: peeled fully-peeled sorted\n" SHA_B " refs/heads/mainline\n"
				      SHA_A " refs/heads/main\n^" SHA_B "\n");
	cr_assert_eq(head_of("proj", c, b), 0);
	cr_expect_str_eq(c, SHA_A, "refs/heads/main, not refs/heads/mainline");
	cr_expect_str_eq(b, "main");
}

Test(vcs, detached_head_has_no_branch)
{
	char c[80], b[80];

	put("proj/.git/HEAD", SHA_B "\n");
	cr_assert_eq(head_of("proj", c, b), 0);
	cr_expect_str_eq(c, SHA_B);
	cr_expect_str_eq(b, "");
}

Test(vcs, worktree_reads_its_head_and_the_shared_refs)
{
	char c[80], b[80];

	put("main/.git/HEAD", "ref: refs/heads/main\n");
	put("main/.git/refs/heads/main", SHA_A "\n");
	put("main/.git/refs/heads/feature", SHA_B "\n");
	put("main/.git/worktrees/wt/HEAD", "ref: refs/heads/feature\n");
	put("main/.git/worktrees/wt/commondir", "../..\n");
	put("wt/.git", "gitdir: ../main/.git/worktrees/wt\n");
	cr_assert_eq(head_of("wt", c, b), 0);
	cr_expect_str_eq(c, SHA_B);
	cr_expect_str_eq(b, "feature");
}

Test(vcs, unborn_branch_and_no_checkout_are_none)
{
	char c[80], b[80];

	put("proj/.git/HEAD", "ref: refs/heads/main\n");
	put("other/a.c", "");
	cr_expect_eq(head_of("proj", c, b), -1, "no commit yet");
	cr_expect_str_eq(c, "");
	put("proj/.git/refs/heads/main", "not a sha\n");
	cr_expect_eq(head_of("proj", c, b), -1, "a ref that names no object");
	/* dir itself is in /tmp, in no checkout (unless /tmp is one) */
	if (head_of("other", c, b) == 0)
		cr_skip_test("the temporary directory is inside a git checkout");
	cr_expect_str_eq(c, "");
}
