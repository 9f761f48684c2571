#ifndef MA_TEST_FIXTURE_BLOCK_H
#define MA_TEST_FIXTURE_BLOCK_H
/*
 * The expected findings a dynamic fixture states in its check-output
 * block, one "file.c:LINE: rule" per line:
 *
 *     * check-output-start
 *     * bad.c:20: use-after-free
 *     * check-output-end
 *
 * (test_checkers.c reads the static fixtures' blocks with a stricter
 * parser of its own, which also rejects malformed blocks.)
 */
struct strvec;

/* The block's lines of the fixture src into out; the test fails without a block. */
void fixture_expected(const char *src, struct strvec *out);

#endif
