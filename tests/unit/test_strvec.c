/* Unit tests for core/strvec.c: the NULL-terminated array of owned strings. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "../../core/strbuf.h"
#include "../../core/strvec.h"

Test(strvec, init_is_empty_and_terminated)
{
	struct strvec sv = STRVEC_INIT;

	cr_assert_not_null(sv.v);
	cr_assert_eq(sv.nr, 0);
	cr_assert_null(sv.v[0]);
	strvec_clear(&sv);
	cr_assert_eq(sv.v, strvec_empty);
	cr_assert_null(strvec_empty[0], "the shared empty array stays empty");
}

Test(strvec, push_copies)
{
	struct strvec sv = STRVEC_INIT;
	char buf[8] = "first";

	strvec_push(&sv, buf);
	strcpy(buf, "XXXX");
	strvec_push(&sv, "second");
	cr_assert_eq(sv.nr, 2);
	cr_assert_str_eq(sv.v[0], "first", "push must copy the string");
	cr_assert_str_eq(sv.v[1], "second");
	cr_assert_null(sv.v[2]);
	strvec_clear(&sv);
	cr_assert_eq(sv.nr, 0);
	cr_assert_null(sv.v[0]);
}

Test(strvec, push_many_stays_terminated)
{
	struct strvec sv = STRVEC_INIT;

	for (int i = 0; i < 1000; i++) {
		strvec_pushf(&sv, "arg%d", i);
		cr_assert_null(sv.v[sv.nr]);
	}
	cr_assert_eq(sv.nr, 1000);
	cr_assert_str_eq(sv.v[0], "arg0");
	cr_assert_str_eq(sv.v[999], "arg999");
	cr_assert_geq(sv.alloc, sv.nr + 1);
	strvec_clear(&sv);
}

Test(strvec, push_nodup_takes_ownership)
{
	struct strvec sv = STRVEC_INIT;
	char *s = strdup("mine");

	strvec_push_nodup(&sv, s);
	cr_assert_eq(sv.v[0], s);
	strvec_clear(&sv); /* frees s; LeakSanitizer checks */
}

Test(strvec, pushf_formats)
{
	struct strvec sv = STRVEC_INIT;

	strvec_pushf(&sv, "--xml-file=%s/%%p.xml", "/tmp/d");
	strvec_pushf(&sv, "%d", -7);
	cr_assert_str_eq(sv.v[0], "--xml-file=/tmp/d/%p.xml");
	cr_assert_str_eq(sv.v[1], "-7");
	strvec_clear(&sv);
}

Test(strvec, pushl_and_pushv)
{
	struct strvec sv = STRVEC_INIT;
	const char *more[] = { "c", "d", NULL };
	const char *none[] = { NULL };

	strvec_pushl(&sv, "a", "b", NULL);
	strvec_pushv(&sv, more);
	strvec_pushv(&sv, none);
	strvec_pushl(&sv, NULL);
	cr_assert_eq(sv.nr, 4);
	cr_assert_str_eq(sv.v[0], "a");
	cr_assert_str_eq(sv.v[3], "d");
	cr_assert_null(sv.v[4]);
	strvec_clear(&sv);
}

Test(strvec, pop)
{
	struct strvec sv = STRVEC_INIT;

	strvec_pop(&sv); /* empty: no-op, and must not write the shared array */
	cr_assert_eq(sv.nr, 0);
	cr_assert_null(strvec_empty[0]);
	strvec_pushl(&sv, "a", "b", NULL);
	strvec_pop(&sv);
	cr_assert_eq(sv.nr, 1);
	cr_assert_null(sv.v[1]);
	cr_assert_str_eq(sv.v[0], "a");
	strvec_pop(&sv);
	strvec_pop(&sv);
	cr_assert_eq(sv.nr, 0);
	cr_assert_null(sv.v[0]);
	strvec_push(&sv, "again");
	cr_assert_str_eq(sv.v[0], "again");
	strvec_clear(&sv);
}

Test(strvec, detach)
{
	struct strvec sv = STRVEC_INIT;
	const char **v;

	strvec_pushl(&sv, "x", "y", NULL);
	v = strvec_detach(&sv);
	cr_assert_eq(sv.nr, 0);
	cr_assert_eq(sv.v, strvec_empty);
	cr_assert_str_eq(v[0], "x");
	cr_assert_str_eq(v[1], "y");
	cr_assert_null(v[2]);
	free((char *)v[0]);
	free((char *)v[1]);
	free(v);
}

Test(strvec, detach_empty_is_freeable)
{
	struct strvec sv = STRVEC_INIT;
	const char **v = strvec_detach(&sv);

	cr_assert_not_null(v);
	cr_assert_neq(v, strvec_empty);
	cr_assert_null(v[0]);
	free(v);
}

Test(strvec, equal)
{
	struct strvec a = STRVEC_INIT, b = STRVEC_INIT;

	cr_assert(strvec_equal(&a, &b), "two empty vectors are equal");
	strvec_pushl(&a, "-I", "inc", NULL);
	cr_assert_not(strvec_equal(&a, &b));
	strvec_pushl(&b, "-I", "inc", NULL);
	cr_assert(strvec_equal(&a, &b));
	strvec_pop(&b);
	strvec_push(&b, "INC");
	cr_assert_not(strvec_equal(&a, &b), "same length, different text");
	strvec_pop(&b);
	strvec_pushl(&b, "inc", "-O2", NULL);
	cr_assert_not(strvec_equal(&a, &b), "prefix is not equal");
	cr_assert_not(strvec_equal(&b, &a));
	strvec_clear(&a);
	strvec_clear(&b);
}

Test(strvec, join)
{
	struct strvec sv = STRVEC_INIT;
	char *s;

	s = strvec_join(&sv, ", ");
	cr_assert_str_eq(s, "");
	free(s);
	strvec_push(&sv, "one");
	s = strvec_join(&sv, ", ");
	cr_assert_str_eq(s, "one");
	free(s);
	strvec_pushl(&sv, "two", "", "four", NULL);
	s = strvec_join(&sv, ",");
	cr_assert_str_eq(s, "one,two,,four");
	free(s);
	strvec_clear(&sv);
}

Test(strvec, clear_then_reuse)
{
	struct strvec sv = STRVEC_INIT;

	strvec_push(&sv, "a");
	strvec_clear(&sv);
	strvec_clear(&sv);
	strvec_push(&sv, "b");
	cr_assert_eq(sv.nr, 1);
	cr_assert_str_eq(sv.v[0], "b");
	strvec_clear(&sv);
}

static void expect_words(const char *line, const char *const *want)
{
	struct strvec sv = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;
	size_t n = 0;

	cr_assert_eq(strvec_split_words(&sv, line, &err), 0, "%s: %s", line, err.buf);
	while (want[n])
		n++;
	cr_expect_eq(sv.nr, n, "%s: %zu words", line, sv.nr);
	for (size_t i = 0; i < n && i < sv.nr; i++)
		cr_expect_str_eq(sv.v[i], want[i], "%s: word %zu", line, i);
	strvec_clear(&sv);
	strbuf_release(&err);
}

Test(strvec, split_words_quotes_like_a_shell_without_one)
{
	expect_words("make test", (const char *const[]){ "make", "test", NULL });
	expect_words("  ./run\t--fast  ", (const char *const[]){ "./run", "--fast", NULL });
	expect_words("sh -c 'cd t && ./all'", (const char *const[]){ "sh", "-c", "cd t && ./all", NULL });
	expect_words("echo \"a \\\"b\\\" c\"", (const char *const[]){ "echo", "a \"b\" c", NULL });
	expect_words("a\\ b 'c'\"d\"", (const char *const[]){ "a b", "cd", NULL });
	/* no expansion of any kind */
	expect_words("ls $HOME *.c", (const char *const[]){ "ls", "$HOME", "*.c", NULL });
}

Test(strvec, split_words_refuses_an_open_quote_and_an_empty_command)
{
	struct strvec sv = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;

	cr_expect_eq(strvec_split_words(&sv, "run 'tests", &err), -1);
	cr_expect(strstr(err.buf, "unclosed quote") != NULL, "%s", err.buf);
	strbuf_reset(&err);
	cr_expect_eq(strvec_split_words(&sv, "   ", &err), -1);
	cr_expect(strstr(err.buf, "empty") != NULL, "%s", err.buf);
	strvec_clear(&sv);
	strbuf_release(&err);
}
