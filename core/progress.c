#include "progress.h"
#include "alloc.h"
#include "strbuf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct progress {
	pthread_mutex_t lock;
	const char *title;
	size_t total;
	double start, last_draw;
	size_t width;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress *progress_start(const char *title, size_t total, int enabled)
{
	struct progress *p;
	const char *columns;

	if (!enabled || !isatty(2))
		return NULL;
	p = ma_calloc(1, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	p->title = title;
	p->total = total;
	p->start = now();
	p->width = 80;
	if ((columns = getenv("COLUMNS")))
		p->width = (size_t)atoi(columns);
	if (p->width < 40)
		p->width = 80;
	return p;
}

static void add_clock(struct strbuf *sb, double secs)
{
	long s = (long)(secs + 0.5);
	strbuf_addf(sb, "%ld:%02ld", s / 60, s % 60);
}

/* Keep the end of a long path: the file name is what tells the user most. */
static void add_tail(struct strbuf *sb, const char *s, size_t room)
{
	size_t n = 0;

	while (s[n])
		n++;
	if (n > room && room > 3) {
		strbuf_addstr(sb, "...");
		s += n - (room - 3);
	}
	strbuf_addstr(sb, s);
}

void progress_update(struct progress *p, size_t done, const char *current)
{
	struct strbuf line = STRBUF_INIT, times = STRBUF_INIT;
	double t, elapsed;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	t = now();
	if (done < p->total && t - p->last_draw < 0.1)
		goto out;
	p->last_draw = t;
	elapsed = t - p->start;
	strbuf_addf(&times, "  ");
	add_clock(&times, elapsed);
	strbuf_addstr(&times, " elapsed");
	if (done && done < p->total) {
		strbuf_addstr(&times, ", ~");
		add_clock(&times, elapsed / (double)done * (double)(p->total - done));
		strbuf_addstr(&times, " left");
	}
	strbuf_addf(&line, "\r%s [%zu/%zu] ", p->title, done, p->total);
	if (current && line.len + times.len + 8 < p->width)
		add_tail(&line, current, p->width - line.len - times.len - 2);
	strbuf_addbuf(&line, &times);
	strbuf_addstr(&line, "\033[K");
	fputs(line.buf, stderr);
	fflush(stderr);
out:
	pthread_mutex_unlock(&p->lock);
	strbuf_release(&line);
	strbuf_release(&times);
}

void progress_stop(struct progress *p)
{
	if (!p)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
