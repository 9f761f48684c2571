/* Unit tests for core/strbuf.c: the growable, always NUL-terminated buffer. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "../../core/strbuf.h"

Test(strbuf, init_is_empty_and_printable)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_not_null(sb.buf);
	cr_assert_eq(sb.len, 0);
	cr_assert_eq(sb.alloc, 0);
	cr_assert_str_eq(sb.buf, "");
	strbuf_release(&sb);
	cr_assert_eq(sb.buf, strbuf_slopbuf);
}

Test(strbuf, init_with_hint_allocates)
{
	struct strbuf sb;

	strbuf_init(&sb, 100);
	cr_assert_geq(sb.alloc, 101);
	cr_assert_neq(sb.buf, strbuf_slopbuf);
	cr_assert_str_eq(sb.buf, "");
	strbuf_release(&sb);
	cr_assert_eq(sb.alloc, 0);
	cr_assert_eq(sb.len, 0);
}

Test(strbuf, addstr_and_addch)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "abc");
	strbuf_addch(&sb, '-');
	strbuf_addstr(&sb, "");
	strbuf_addstr(&sb, "def");
	cr_assert_str_eq(sb.buf, "abc-def");
	cr_assert_eq(sb.len, 7);
	cr_assert_eq(sb.buf[sb.len], '\0');
	strbuf_release(&sb);
}

Test(strbuf, add_keeps_embedded_nul)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add(&sb, "a\0b", 3);
	cr_assert_eq(sb.len, 3);
	cr_assert_eq(memcmp(sb.buf, "a\0b", 4), 0);
	strbuf_release(&sb);
}

Test(strbuf, addf_formats)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s:%u:%d", "x.c", 12u, -3);
	cr_assert_str_eq(sb.buf, "x.c:12:-3");
	strbuf_addf(&sb, "%s", "");
	cr_assert_str_eq(sb.buf, "x.c:12:-3");
	strbuf_release(&sb);
}

Test(strbuf, addf_grows)
{
	struct strbuf sb = STRBUF_INIT;
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_addstr(&sb, "<");
	strbuf_addf(&sb, "%s>%d", big, 42);
	cr_assert_eq(sb.len, 1 + 4999 + 1 + 2);
	cr_assert_eq(sb.buf[0], '<');
	cr_assert_eq(sb.buf[4999], 'x');
	cr_assert_str_eq(sb.buf + 5000, ">42");
	cr_assert_gt(sb.alloc, sb.len);
	strbuf_release(&sb);
}

Test(strbuf, addf_exactly_at_boundary)
{
	struct strbuf sb = STRBUF_INIT;

	/* fill so that the formatted text needs exactly the room left */
	for (int n = 0; n < 300; n++) {
		struct strbuf want = STRBUF_INIT;
		strbuf_reset(&sb);
		strbuf_addchars(&sb, 'a', (size_t)n);
		strbuf_addf(&sb, "%0*d", n, 7);
		strbuf_addchars(&want, 'a', (size_t)n);
		if (n)
			strbuf_addchars(&want, '0', (size_t)n - 1);
		strbuf_addch(&want, '7');
		cr_assert_str_eq(sb.buf, want.buf, "n=%d", n);
		cr_assert_eq(sb.len, want.len);
		strbuf_release(&want);
	}
	strbuf_release(&sb);
}

Test(strbuf, addf_encoding_error_keeps_buffer)
{
	struct strbuf sb = STRBUF_INIT;
	const wchar_t euro[] = { 0x20ac, 0 }; /* not representable in the "C" locale */

	strbuf_addstr(&sb, "x");
	strbuf_addf(&sb, "abc%ls", euro);
	cr_assert_eq(sb.len, 1);
	cr_assert_str_eq(sb.buf, "x", "a failed format must leave buf[len] == '\\0'");
	strbuf_release(&sb);
}

Test(strbuf, addchars_and_addbuf)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	strbuf_addchars(&a, '=', 4);
	strbuf_addchars(&a, '+', 0);
	cr_assert_str_eq(a.buf, "====");
	strbuf_addstr(&b, "x");
	strbuf_addbuf(&b, &a);
	strbuf_addbuf(&b, &b);
	cr_assert_str_eq(b.buf, "x====x====");
	strbuf_release(&a);
	strbuf_release(&b);
}

Test(strbuf, addbuf_self_while_growing)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "0123456789abcdefghij"); /* 20 bytes in a 32-byte buffer */
	strbuf_addbuf(&sb, &sb);                   /* needs 41: must reallocate */
	cr_assert_str_eq(sb.buf, "0123456789abcdefghij0123456789abcdefghij");
	strbuf_addbuf(&sb, &sb);
	cr_assert_eq(sb.len, 80);
	cr_assert_eq(memcmp(sb.buf + 60, "0123456789abcdefghij", 20), 0);
	strbuf_release(&sb);
}

Test(strbuf, setlen_and_reset)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb); /* on the shared empty buffer: must not write to it */
	cr_assert_eq(sb.buf, strbuf_slopbuf);
	strbuf_addstr(&sb, "hello world");
	strbuf_setlen(&sb, 5);
	cr_assert_str_eq(sb.buf, "hello");
	cr_assert_eq(sb.len, 5);
	strbuf_reset(&sb);
	cr_assert_str_eq(sb.buf, "");
	cr_assert_eq(sb.len, 0);
	cr_assert_gt(sb.alloc, 0, "reset keeps the allocation");
	strbuf_release(&sb);
	cr_assert_eq(strbuf_slopbuf[0], '\0');
}

Test(strbuf, detach_hands_over_buffer)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *s;

	strbuf_addstr(&sb, "owned");
	s = strbuf_detach(&sb, &len);
	cr_assert_str_eq(s, "owned");
	cr_assert_eq(len, 5);
	cr_assert_eq(sb.len, 0);
	cr_assert_eq(sb.buf, strbuf_slopbuf);
	free(s);
}

Test(strbuf, detach_empty_is_freeable)
{
	struct strbuf sb = STRBUF_INIT;
	char *s = strbuf_detach(&sb, NULL);

	cr_assert_not_null(s);
	cr_assert_neq(s, strbuf_slopbuf, "detach must not hand out the shared buffer");
	cr_assert_str_eq(s, "");
	free(s);
}

Test(strbuf, grow_keeps_content)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "keep");
	strbuf_grow(&sb, 10000);
	cr_assert_geq(sb.alloc, 10005);
	cr_assert_str_eq(sb.buf, "keep");
	cr_assert_eq(sb.len, 4);
	strbuf_release(&sb);
}

Test(strbuf, trim)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, " \t a b \n\r ");
	strbuf_trim(&sb);
	cr_assert_str_eq(sb.buf, "a b");
	cr_assert_eq(sb.len, 3);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "   ");
	strbuf_trim(&sb);
	cr_assert_str_eq(sb.buf, "");
	cr_assert_eq(sb.len, 0);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "x  ");
	strbuf_rtrim(&sb);
	cr_assert_str_eq(sb.buf, "x");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "  x");
	strbuf_rtrim(&sb);
	cr_assert_str_eq(sb.buf, "  x", "rtrim leaves leading space");
	strbuf_release(&sb);
}

Test(strbuf, trim_empty_does_not_write_shared_buffer)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_trim(&sb);
	strbuf_rtrim(&sb);
	cr_assert_eq(sb.buf, strbuf_slopbuf);
	cr_assert_eq(sb.len, 0);
}

Test(strbuf, starts_with_helpers)
{
	struct strbuf sb = STRBUF_INIT;
	const char *rest = NULL;

	strbuf_addstr(&sb, "--output=dir");
	cr_assert(strbuf_starts_with(&sb, "--out"));
	cr_assert(strbuf_starts_with(&sb, ""));
	cr_assert_not(strbuf_starts_with(&sb, "--output=dir/"));
	cr_assert(starts_with("abc", "ab"));
	cr_assert_not(starts_with("ab", "abc"));
	cr_assert(ends_with("file.json", ".json"));
	cr_assert(ends_with("x", ""));
	cr_assert_not(ends_with("json", ".json"));
	cr_assert_not(ends_with("file.json", ".jso"));
	cr_assert(skip_prefix(sb.buf, "--output=", &rest));
	cr_assert_str_eq(rest, "dir");
	rest = NULL;
	cr_assert_not(skip_prefix(sb.buf, "--input=", &rest));
	cr_assert_null(rest, "out untouched on a miss");
	strbuf_release(&sb);
}

static char *make_tmpdir(void)
{
	char *d = strdup("/tmp/ma-test-strbuf.XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

Test(strbuf, read_file_appends)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT, path = STRBUF_INIT;
	char *dir = make_tmpdir();
	FILE *fp;

	strbuf_addf(&path, "%s/in.txt", dir);
	fp = fopen(path.buf, "wb");
	cr_assert_not_null(fp);
	fwrite("line1\nli\0ne2\n", 1, 13, fp);
	fclose(fp);
	strbuf_addstr(&sb, "pre:");
	cr_assert_eq(strbuf_read_file(&sb, path.buf, &err), 0);
	cr_assert_eq(sb.len, 4 + 13);
	cr_assert_eq(memcmp(sb.buf, "pre:line1\nli\0ne2\n", 17), 0);
	cr_assert_eq(err.len, 0);
	unlink(path.buf);
	rmdir(dir);
	free(dir);
	strbuf_release(&sb);
	strbuf_release(&err);
	strbuf_release(&path);
}

Test(strbuf, read_file_missing)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;

	strbuf_addstr(&err, "earlier\n");
	cr_assert_eq(strbuf_read_file(&sb, "/nonexistent/ma-test/x.json", &err), -1);
	cr_assert_str_eq(err.buf, "earlier\ncannot open '/nonexistent/ma-test/x.json': "
				  "No such file or directory");
	cr_assert_eq(sb.len, 0);
	strbuf_release(&sb);
	strbuf_release(&err);
}

Test(strbuf, read_file_directory_is_an_error)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
	char *dir = make_tmpdir();

	cr_assert_eq(strbuf_read_file(&sb, dir, &err), -1);
	cr_assert(strstr(err.buf, dir), "message names the path: %s", err.buf);
	cr_assert(starts_with(err.buf, "cannot "), "%s", err.buf);
	rmdir(dir);
	free(dir);
	strbuf_release(&sb);
	strbuf_release(&err);
}

Test(strbuf, read_stream)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *fp = tmpfile();

	cr_assert_not_null(fp);
	for (int i = 0; i < 3000; i++)
		fprintf(fp, "%04d\n", i);
	rewind(fp);
	cr_assert_eq(strbuf_read_stream(&sb, fp), 0);
	cr_assert_eq(sb.len, 3000 * 5);
	cr_assert(starts_with(sb.buf, "0000\n0001\n"));
	cr_assert(ends_with(sb.buf, "2999\n"));
	fclose(fp);
	strbuf_release(&sb);
}
