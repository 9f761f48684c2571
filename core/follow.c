/*
 * Following the files of a directory as they grow (see follow.h).
 *
 * The thread wakes every LOOK_EVERY_MS, reads what each file it follows
 * gained and hands it over.  The directory itself is listed again only
 * when its modification time changed (a file was created) or every
 * LIST_EVERY_MS (the time stamp is coarse: two files made in one tick
 * look like one change): a test suite leaves thousands of files there.
 */
#include "follow.h"
#include "alloc.h"
#include "array.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Each look wakes the thread and finds expat's tables cold again: fewer
 * looks with larger pieces cost a quarter less than one every 10 ms, and
 * what Valgrind writes in 50 ms is read in a few ms once it is gone. */
#define LOOK_EVERY_MS 50
#define LIST_EVERY_MS 100
#define READ_SIZE 65536
#define HEAD_SIZE 4096     /* Valgrind's header, the status line and more */

struct followed {
	char *name;
	void *state;      /* the caller's; NULL: not followed */
	off_t at;         /* bytes handed over so far */
	int resting;      /* whole for now: read again only at the end */
	char *head;       /* the first bytes handed over (HEAD_SIZE at most) */
	size_t head_len;
};

struct ma_follow {
	char *dir;
	const struct ma_follow_ops *ops;
	void *data;
	struct followed *files; /* sorted by name */
	size_t nr, alloc;
	struct timespec listed_mtime;
	double listed_at;
	struct strbuf path;
	char *buf;
	pthread_t thread;
	int threaded;
	pthread_mutex_t lock;   /* guards stop */
	pthread_cond_t wake;
	int stop;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_followed(const void *key, const void *elem)
{
	return strcmp(key, ((const struct followed *)elem)->name);
}

/* Start following `name` if it is new (the caller says whether to). */
static void note_file(struct ma_follow *f, const char *name)
{
	size_t lo = 0, hi = f->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_followed(name, &f->files[mid]);
		if (!c)
			return;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	ALLOC_GROW(f->files, f->nr + 1, f->alloc);
	memmove(&f->files[lo + 1], &f->files[lo], (f->nr - lo) * sizeof(*f->files));
	f->nr++;
	f->files[lo] = (struct followed){ .name = ma_strdup(name), .state = f->ops->file(name, f->data) };
}

/* List the directory if it may have new files (always at the end). */
static void list_dir(struct ma_follow *f, int final)
{
	struct stat st;
	double now = now_ms();
	DIR *d;
	struct dirent *de;

	if (stat(f->dir, &st) < 0)
		return;
	if (!final && st.st_mtim.tv_sec == f->listed_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == f->listed_mtime.tv_nsec && now - f->listed_at < LIST_EVERY_MS)
		return;
	f->listed_mtime = st.st_mtim;
	f->listed_at = now;
	if (!(d = opendir(f->dir)))
		return;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			note_file(f, de->d_name);
	closedir(d);
}

static ssize_t pread_all(int fd, char *buf, size_t len, off_t at)
{
	ssize_t n;

	while ((n = pread(fd, buf, len, at)) < 0 && errno == EINTR)
		;
	return n;
}

/*
 * Was the file written again from its start since the last look?  When a
 * traced process execs, the new program's Valgrind truncates the file and
 * starts over: the file is shorter than what was read, or its first bytes
 * differ (the command line is in the header).
 */
static int rewritten(int fd, struct followed *fl, char *buf)
{
	struct stat st;

	if (!fl->at)
		return 0;
	if (fstat(fd, &st) < 0 || st.st_size < fl->at)
		return 1;
	return pread_all(fd, buf, fl->head_len, 0) != (ssize_t)fl->head_len ||
	       memcmp(buf, fl->head, fl->head_len);
}

static void keep_head(struct followed *fl, const char *buf, size_t n)
{
	size_t take = HEAD_SIZE - fl->head_len < n ? HEAD_SIZE - fl->head_len : n;

	if (!take)
		return;
	if (!fl->head)
		fl->head = ma_malloc(HEAD_SIZE);
	memcpy(fl->head + fl->head_len, buf, take);
	fl->head_len += take;
}

/* Hand over what the file gained; at the end, all of it, even when it rests. */
static void read_new(struct ma_follow *f, struct followed *fl, int final)
{
	ssize_t n;
	int fd;

	strbuf_reset(&f->path);
	strbuf_addf(&f->path, "%s/%s", f->dir, fl->name);
	if ((fd = open(f->path.buf, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (rewritten(fd, fl, f->buf)) {
		f->ops->rewritten(fl->state);
		fl->at = 0;
		fl->head_len = 0;
		fl->resting = 0;
	}
	while ((n = pread_all(fd, f->buf, READ_SIZE, fl->at)) > 0) {
		keep_head(fl, f->buf, (size_t)n);
		fl->at += n;
		if (f->ops->bytes(fl->state, f->buf, (size_t)n) && !final) {
			fl->resting = 1;
			break;
		}
	}
	close(fd);
}

static void look(struct ma_follow *f, int final)
{
	list_dir(f, final);
	for (size_t i = 0; i < f->nr; i++)
		if (f->files[i].state && (final || !f->files[i].resting))
			read_new(f, &f->files[i], final);
}

static void *follow_main(void *arg)
{
	struct ma_follow *f = arg;

	pthread_mutex_lock(&f->lock);
	while (!f->stop) {
		struct timespec until;
		pthread_mutex_unlock(&f->lock);
		look(f, 0);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += LOOK_EVERY_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&f->lock);
		while (!f->stop && pthread_cond_timedwait(&f->wake, &f->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

struct ma_follow *ma_follow_start(const char *dir, const struct ma_follow_ops *ops, void *data)
{
	struct ma_follow *f = ma_calloc(1, sizeof(*f));
	pthread_condattr_t attr;
	sigset_t all, old;

	f->dir = ma_strdup(dir);
	f->ops = ops;
	f->data = data;
	f->buf = ma_malloc(READ_SIZE);
	f->listed_at = -LIST_EVERY_MS;
	strbuf_init(&f->path, 0);
	pthread_mutex_init(&f->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&f->wake, &attr);
	pthread_condattr_destroy(&attr);
	/* Ctrl-C and the command's end are the calling thread's to see */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	f->threaded = !pthread_create(&f->thread, NULL, follow_main, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return f;
}

void ma_follow_stop(struct ma_follow *f)
{
	if (f->threaded) {
		pthread_mutex_lock(&f->lock);
		f->stop = 1;
		pthread_cond_signal(&f->wake);
		pthread_mutex_unlock(&f->lock);
		pthread_join(f->thread, NULL);
	}
	look(f, 1);
	for (size_t i = 0; i < f->nr; i++) {
		free(f->files[i].name);
		free(f->files[i].head);
	}
	free(f->files);
	pthread_cond_destroy(&f->wake);
	pthread_mutex_destroy(&f->lock);
	strbuf_release(&f->path);
	free(f->buf);
	free(f->dir);
	free(f);
}
