/*
 * Unit tests for core/follow.c: files read while they are written, each
 * byte handed over once and in order, resting files read to their end at
 * the stop, files the caller skips never read.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../core/follow.h"
#include "../../core/fs.h"
#include "../../core/strbuf.h"

static char *tmp;

static void mk_tmp(void)
{
	tmp = strdup("/tmp/ma-test-follow.XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
}

static void rm_tmp(void)
{
	ma_remove_tree(tmp);
	free(tmp);
}

TestSuite(follow, .init = mk_tmp, .fini = rm_tmp);

#define MAX_FILES 4

/* What the callbacks saw, per file. */
struct seen;

struct seen_file {
	struct seen *s;
	char name[32];
	struct strbuf bytes;
	int calls;
	int rewrites;
	int rest_after;        /* answer "whole for now" after this many calls (0: never) */
};

struct seen {
	struct seen_file files[MAX_FILES];
	int nr;
	int opened;            /* calls of the file callback */
	atomic_size_t total;   /* bytes handed over: read by the test while the thread runs */
	int rest_after;
};

static void *on_file(const char *name, void *data)
{
	struct seen *s = data;
	struct seen_file *sf;

	s->opened++;
	if (strncmp(name, "keep", 4) || s->nr == MAX_FILES)
		return NULL;
	sf = &s->files[s->nr++];
	sf->s = s;
	snprintf(sf->name, sizeof(sf->name), "%s", name);
	strbuf_init(&sf->bytes, 0);
	sf->rest_after = s->rest_after;
	return sf;
}

static int on_bytes(void *file, const char *buf, size_t len)
{
	struct seen_file *sf = file;

	strbuf_add(&sf->bytes, buf, len);
	atomic_fetch_add(&sf->s->total, len);
	sf->calls++;
	return sf->rest_after && sf->calls >= sf->rest_after;
}

static void on_rewritten(void *file)
{
	struct seen_file *sf = file;

	strbuf_reset(&sf->bytes);
	sf->rewrites++;
}

static const struct ma_follow_ops ops = { on_file, on_bytes, on_rewritten };

static void append(const char *name, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	int fd;

	strbuf_addf(&path, "%s/%s", tmp, name);
	fd = open(path.buf, O_WRONLY | O_CREAT | O_APPEND, 0644);
	cr_assert(fd >= 0, "cannot open %s", path.buf);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	strbuf_release(&path);
}

/* What a new Valgrind does when its process execs: the same file, from its start. */
static void rewrite(const char *name, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	int fd;

	strbuf_addf(&path, "%s/%s", tmp, name);
	fd = open(path.buf, O_WRONLY | O_TRUNC);
	cr_assert(fd >= 0, "cannot open %s", path.buf);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	strbuf_release(&path);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait (5 s at most) until the follower has handed over `bytes` bytes. */
static int wait_for(struct seen *s, size_t bytes)
{
	for (int i = 0; i < 500; i++) {
		if (atomic_load(&s->total) >= bytes)
			return 1;
		sleep_ms(10);
	}
	return 0;
}

static struct seen_file *seen_file(struct seen *s, const char *name)
{
	for (int i = 0; i < s->nr; i++)
		if (!strcmp(s->files[i].name, name))
			return &s->files[i];
	return NULL;
}

static void release(struct seen *s)
{
	for (int i = 0; i < s->nr; i++)
		strbuf_release(&s->files[i].bytes);
}

Test(follow, files_are_read_while_they_grow)
{
	struct seen s = { 0 };
	struct ma_follow *f;

	f = ma_follow_start(tmp, &ops, &s);
	append("keep.1", "<first>");
	cr_expect(wait_for(&s, 7), "the first bytes were not read during the run");
	append("keep.1", "<second>");
	append("keep.2", "other file");
	cr_expect(wait_for(&s, 7 + 8 + 10), "the later bytes were not read during the run");
	append("keep.1", "<third>");
	ma_follow_stop(f);
	cr_assert_eq(s.nr, 2);
	cr_expect_str_eq(seen_file(&s, "keep.1")->bytes.buf, "<first><second><third>");
	cr_expect_str_eq(seen_file(&s, "keep.2")->bytes.buf, "other file");
	cr_expect_geq(seen_file(&s, "keep.1")->calls, 2, "read in one go: not followed");
	cr_expect_eq(s.opened, 2, "each file is announced once");
	release(&s);
}

Test(follow, files_the_caller_skips_are_not_read)
{
	struct seen s = { 0 };
	struct ma_follow *f;

	append("skip.1", "not for us");
	append("keep.1", "ours");
	f = ma_follow_start(tmp, &ops, &s);
	ma_follow_stop(f);
	cr_expect_eq(s.opened, 2);
	cr_assert_eq(s.nr, 1);
	cr_expect_str_eq(s.files[0].bytes.buf, "ours");
	cr_expect_eq(atomic_load(&s.total), 4, "the skipped file's bytes were handed over");
	release(&s);
}

Test(follow, resting_files_are_read_to_their_end_at_the_stop)
{
	struct seen s = { .rest_after = 1 };
	struct ma_follow *f;

	f = ma_follow_start(tmp, &ops, &s);
	append("keep.1", "whole");
	cr_expect(wait_for(&s, 5));
	append("keep.1", " and more");
	sleep_ms(150); /* looked at during the run: not read, it rests */
	cr_expect_eq(atomic_load(&s.total), 5, "a resting file was read during the run");
	ma_follow_stop(f);
	cr_expect_str_eq(s.files[0].bytes.buf, "whole and more");
	release(&s);
}

Test(follow, files_made_just_before_the_stop_are_read)
{
	struct seen s = { 0 };
	struct ma_follow *f;
	char big[200000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f = ma_follow_start(tmp, &ops, &s);
	append("keep.late", big);
	ma_follow_stop(f);
	cr_assert_eq(s.nr, 1);
	cr_expect_eq(s.files[0].bytes.len, sizeof(big) - 1);
	cr_expect_eq(strspn(s.files[0].bytes.buf, "x"), sizeof(big) - 1);
	release(&s);
}

Test(follow, a_file_written_again_from_its_start_is_read_again)
{
	static const char *const again[] = {
		"<short>",                         /* shorter than what was read */
		"<other header, as long>",         /* as long, different first bytes */
		"<other header, as long>and more", /* longer */
	};

	for (size_t i = 0; i < sizeof(again) / sizeof(again[0]); i++) {
		struct seen s = { 0 };
		struct ma_follow *f = ma_follow_start(tmp, &ops, &s);
		struct strbuf path = STRBUF_INIT;
		append("keep.1", "<first header, as long>");
		cr_expect(wait_for(&s, 23), "case %zu: not read during the run", i);
		rewrite("keep.1", again[i]);
		ma_follow_stop(f);
		cr_assert_eq(s.nr, 1);
		cr_expect_str_eq(s.files[0].bytes.buf, again[i], "case %zu", i);
		cr_expect_eq(s.files[0].rewrites, 1, "case %zu", i);
		release(&s);
		strbuf_addf(&path, "%s/keep.1", tmp);
		unlink(path.buf);
		strbuf_release(&path);
	}
}

Test(follow, a_file_that_only_grew_is_not_read_again)
{
	struct seen s = { 0 };
	struct ma_follow *f = ma_follow_start(tmp, &ops, &s);

	append("keep.1", "<header>");
	cr_expect(wait_for(&s, 8));
	append("keep.1", "<more>");
	cr_expect(wait_for(&s, 14));
	ma_follow_stop(f);
	cr_expect_str_eq(s.files[0].bytes.buf, "<header><more>");
	cr_expect_eq(s.files[0].rewrites, 0);
	release(&s);
}
