/*
 * rusage: the measuring helper of bench/static-vs-parse.sh.  Plain C and
 * POSIX only, so the benchmark needs nothing beyond a C compiler.
 *
 *   rusage [-o FILE] -- COMMAND [ARG...]
 *       Run COMMAND and measure it.
 *
 *   rusage [-o FILE] [-j N] [--log FILE] [--per-tu FILE] --compdb DB -- CLANG [ARG...]
 *       Run `CLANG [ARG...] <the entry's options> -fsyntax-only <file>` for
 *       every C/C++ entry of the compile database DB, in the entry's
 *       directory, N at a time (largest file first, as memaudit does).
 *       The entry's compiler (and a ccache/distcc wrapper) is replaced by
 *       CLANG; -c, -o FILE and the dependency-file options are dropped so
 *       nothing is written.
 *
 * Output, one line (to FILE or stdout):
 *   wall=SECONDS user=SECONDS sys=SECONDS maxrss_kb=KB status=N failed=N units=N
 * user/sys/maxrss are RUSAGE_CHILDREN: the whole process tree (every
 * descendant that was waited for); maxrss is that of the largest one.
 * --per-tu FILE writes "wall user sys maxrss_kb status file" for each entry
 * (from wait4(), so per process even when they run in parallel).
 * status is COMMAND's exit status (128+signal if killed); in --compdb mode
 * failed counts the entries whose clang exited non-zero.  Without --compdb,
 * self=SECONDS follows: the CPU of COMMAND's own process (all its threads,
 * none of its children), read from /proc before it is reaped; -1 when
 * /proc cannot tell.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "rusage";

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("out of memory");
	return d;
}

/* ------------------------------------------------------------------ */
/* Growable vectors                                                    */

struct strs {
	char **v;
	size_t nr, alloc;
};

static void strs_push(struct strs *s, char *str)
{
	if (s->nr + 2 > s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 16;
		s->v = xrealloc(s->v, s->alloc * sizeof(*s->v));
	}
	s->v[s->nr++] = str;
	s->v[s->nr] = NULL;
}

struct buf {
	char *b;
	size_t len, alloc;
};

static void buf_addch(struct buf *b, char c)
{
	if (b->len + 2 > b->alloc) {
		b->alloc = b->alloc ? 2 * b->alloc : 64;
		b->b = xrealloc(b->b, b->alloc);
	}
	b->b[b->len++] = c;
	b->b[b->len] = '\0';
}

static char *buf_take(struct buf *b)
{
	char *s = b->b ? b->b : xstrdup("");

	b->b = NULL;
	b->len = b->alloc = 0;
	return s;
}

/* ------------------------------------------------------------------ */
/* A small JSON reader, just enough for compile_commands.json          */

struct json {
	const char *start, *p, *end, *path;
};

__attribute__((noreturn))
static void json_fail(struct json *j, const char *what)
{
	die("'%s' is not a valid compile database: %s at byte %ld", j->path, what,
	    (long)(j->p - j->start));
}

static void ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int peek(struct json *j)
{
	ws(j);
	return j->p < j->end ? (unsigned char)*j->p : -1;
}

static void expect(struct json *j, char c)
{
	if (peek(j) != c) {
		char msg[32];
		snprintf(msg, sizeof(msg), "expected '%c'", c);
		json_fail(j, msg);
	}
	j->p++;
}

static void utf8(struct buf *b, unsigned cp)
{
	if (cp < 0x80) {
		buf_addch(b, (char)cp);
	} else if (cp < 0x800) {
		buf_addch(b, (char)(0xc0 | cp >> 6));
		buf_addch(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addch(b, (char)(0xe0 | cp >> 12));
		buf_addch(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addch(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addch(b, (char)(0xf0 | cp >> 18));
		buf_addch(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		buf_addch(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_addch(b, (char)(0x80 | (cp & 0x3f)));
	}
}

static unsigned hex4(struct json *j)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++, j->p++) {
		char c = j->p < j->end ? *j->p : 0;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			json_fail(j, "bad \\u escape");
	}
	return v;
}

static char *json_string(struct json *j)
{
	struct buf b = { 0 };

	expect(j, '"');
	for (;;) {
		char c;
		if (j->p >= j->end)
			json_fail(j, "unterminated string");
		c = *j->p++;
		if (c == '"')
			break;
		if (c != '\\') {
			buf_addch(&b, c);
			continue;
		}
		if (j->p >= j->end)
			json_fail(j, "unterminated string");
		c = *j->p++;
		switch (c) {
		case 'b': buf_addch(&b, '\b'); break;
		case 'f': buf_addch(&b, '\f'); break;
		case 'n': buf_addch(&b, '\n'); break;
		case 'r': buf_addch(&b, '\r'); break;
		case 't': buf_addch(&b, '\t'); break;
		case 'u': {
			unsigned cp = hex4(j);
			if (cp >= 0xd800 && cp < 0xdc00 && j->p + 1 < j->end && j->p[0] == '\\' &&
			    j->p[1] == 'u') {
				unsigned lo;
				j->p += 2;
				lo = hex4(j);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			utf8(&b, cp);
			break;
		}
		default: buf_addch(&b, c); break; /* \" \\ \/ */
		}
	}
	return buf_take(&b);
}

/* Skip any value (numbers, literals, nested containers). */
static void json_skip(struct json *j)
{
	int c = peek(j);

	if (c == '"') {
		free(json_string(j));
	} else if (c == '[' || c == '{') {
		char close = c == '[' ? ']' : '}';
		j->p++;
		if (peek(j) == close) {
			j->p++;
			return;
		}
		for (;;) {
			if (close == '}') {
				free(json_string(j));
				expect(j, ':');
			}
			json_skip(j);
			if (peek(j) == ',') {
				j->p++;
				continue;
			}
			expect(j, close);
			return;
		}
	} else if (c == -1) {
		json_fail(j, "unexpected end");
	} else {
		while (j->p < j->end && !strchr(",]} \t\r\n", *j->p))
			j->p++;
	}
}

/* ------------------------------------------------------------------ */
/* Compile database entries                                            */

struct entry {
	char *directory, *file;
	struct strs args;   /* the raw command, compiler first */
	long long size;
	/* results */
	pid_t pid;
	double start, wall, user, sys;
	long maxrss;
	int status;
};

static int shell_split(const char *cmd, struct strs *out)
{
	struct buf w = { 0 };
	int in_word = 0;

	for (const char *p = cmd; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (in_word)
				strs_push(out, buf_take(&w));
			in_word = 0;
			continue;
		}
		in_word = 1;
		if (*p == '\\') {
			if (p[1] == '\n') {
				p++;
				continue;
			}
			if (p[1])
				p++;
			buf_addch(&w, *p);
		} else if (*p == '\'') {
			const char *e = strchr(p + 1, '\'');
			if (!e)
				return -1;
			for (p++; p < e; p++)
				buf_addch(&w, *p);
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1]))
					p++;
				buf_addch(&w, *p);
			}
			if (!*p)
				return -1;
		} else {
			buf_addch(&w, *p);
		}
	}
	if (in_word)
		strs_push(out, buf_take(&w));
	free(w.b);
	return 0;
}

static int is_c_family(const char *file)
{
	static const char *const ext[] = { ".c", ".i", ".h", ".cc", ".cpp", ".cxx", ".c++", ".C",
					   ".cp", ".CPP", ".ii", ".hh", ".hpp", ".hxx", NULL };
	const char *dot = strrchr(file, '.');

	if (!dot || strchr(dot, '/'))
		return 0;
	for (size_t i = 0; ext[i]; i++)
		if (!strcmp(dot, ext[i]))
			return 1;
	return 0;
}

static char *absolute(const char *dir, const char *path)
{
	char *r;

	if (path[0] == '/' || !dir)
		return xstrdup(path);
	r = xrealloc(NULL, strlen(dir) + strlen(path) + 2);
	sprintf(r, "%s/%s", dir, path);
	return r;
}

static struct entry *read_compdb(const char *path, size_t *nr_out)
{
	struct entry *v = NULL;
	size_t nr = 0, alloc = 0;
	struct json j = { .path = path };
	struct stat st;
	char *text, *dbdir, *slash;
	FILE *f = fopen(path, "rb");

	if (!f)
		die("cannot open compile database '%s': %s", path, strerror(errno));
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode))
		die("'%s' is not a regular file", path);
	text = xrealloc(NULL, (size_t)st.st_size + 1);
	if (fread(text, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		die("cannot read '%s'", path);
	fclose(f);
	text[st.st_size] = '\0';
	j.start = j.p = text;
	j.end = text + st.st_size;

	dbdir = xstrdup(path);
	slash = strrchr(dbdir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dbdir, ".");

	expect(&j, '[');
	if (peek(&j) == ']')
		j.p++;
	else
		for (;;) {
			struct entry e = { 0 };
			char *command = NULL;
			int has_args = 0;

			expect(&j, '{');
			if (peek(&j) != '}')
				for (;;) {
					char *key = json_string(&j);
					expect(&j, ':');
					if (!strcmp(key, "directory") && peek(&j) == '"') {
						free(e.directory);
						e.directory = json_string(&j);
					} else if (!strcmp(key, "file") && peek(&j) == '"') {
						free(e.file);
						e.file = json_string(&j);
					} else if (!strcmp(key, "command") && peek(&j) == '"') {
						free(command);
						command = json_string(&j);
					} else if (!strcmp(key, "arguments") && peek(&j) == '[') {
						has_args = 1;
						j.p++;
						if (peek(&j) == ']')
							j.p++;
						else
							for (;;) {
								strs_push(&e.args, json_string(&j));
								if (peek(&j) == ',') {
									j.p++;
									continue;
								}
								expect(&j, ']');
								break;
							}
					} else {
						json_skip(&j);
					}
					free(key);
					if (peek(&j) == ',') {
						j.p++;
						continue;
					}
					break;
				}
			expect(&j, '}');
			if (!e.file || !e.directory)
				die("'%s': entry %zu needs 'directory' and 'file'", path, nr + 1);
			if (!has_args && command && shell_split(command, &e.args) < 0)
				die("'%s': entry %zu: unterminated quote in 'command'", path, nr + 1);
			free(command);
			if (!e.args.nr)
				die("'%s': entry %zu has neither 'arguments' nor 'command'", path, nr + 1);
			if (e.directory[0] != '/') {
				char *d = absolute(dbdir, e.directory);
				free(e.directory);
				e.directory = d;
			}
			if (is_c_family(e.file)) {
				char *abs = absolute(e.directory, e.file);
				e.size = stat(abs, &st) == 0 ? (long long)st.st_size : 0;
				free(abs);
				if (nr + 1 > alloc) {
					alloc = alloc ? 2 * alloc : 64;
					v = xrealloc(v, alloc * sizeof(*v));
				}
				v[nr++] = e;
			}
			if (peek(&j) == ',') {
				j.p++;
				continue;
			}
			expect(&j, ']');
			break;
		}
	free(dbdir);
	free(text);
	*nr_out = nr;
	return v;
}

static int is_wrapper(const char *prog_path)
{
	const char *b = strrchr(prog_path, '/');

	b = b ? b + 1 : prog_path;
	return !strcmp(b, "ccache") || !strcmp(b, "distcc") || !strcmp(b, "sccache");
}

/* CLANG [ARG...] + the entry's options, less what writes files, + -fsyntax-only */
static char **clang_argv(char **clang, const struct entry *e)
{
	static const char *const drop_value[] = { "-o", "-MF", "-MT", "-MQ", NULL };
	static const char *const drop[] = { "-c", "-M", "-MM", "-MD", "-MMD", "-MP", "-MG",
					    "-save-temps", "-pipe", NULL };
	struct strs out = { 0 };
	size_t i = 0;

	for (char **c = clang; *c; c++)
		strs_push(&out, *c);
	while (i < e->args.nr && is_wrapper(e->args.v[i]))
		i++;
	for (i++; i < e->args.nr; i++) {
		const char *a = e->args.v[i];
		int skip = 0;
		for (size_t k = 0; drop_value[k]; k++)
			if (!strcmp(a, drop_value[k]))
				skip = 2;
		for (size_t k = 0; !skip && drop[k]; k++)
			if (!strcmp(a, drop[k]))
				skip = 1;
		if (!skip && (!strncmp(a, "-o", 2) || !strncmp(a, "-MF", 3) || !strncmp(a, "-MT", 3) ||
			      !strncmp(a, "-MQ", 3)) && strncmp(a, "-objc", 5))
			skip = 1;
		if (skip == 2)
			i++;
		if (!skip)
			strs_push(&out, e->args.v[i]);
	}
	strs_push(&out, "-fsyntax-only");
	return out.v;
}

/* ------------------------------------------------------------------ */
/* Measuring                                                           */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

static int exit_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 255;
}

/* The CPU seconds of the exited, not yet reaped, process pid itself:
 * /proc/PID/stat's utime and stime (fields 14 and 15), after the command
 * name, which may hold spaces and parentheses.  -1 when unknown. */
static double own_cpu(pid_t pid)
{
	char path[64], text[1024];
	unsigned long long utime = 0, stime = 0;
	const char *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	if (!(p = strrchr(text, ')')) ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
		return -1;
	return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static pid_t spawn(char **argv, const char *dir, int log_fd)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (log_fd >= 0) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null >= 0 ? null : log_fd, 1);
			dup2(log_fd, 2);
		}
		if (dir && chdir(dir) < 0) {
			fprintf(stderr, "%s: cannot chdir to '%s': %s\n", prog, dir, strerror(errno));
			_exit(127);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run '%s': %s\n", prog, argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static struct entry *sort_base;

static int by_size_desc(const void *a, const void *b)
{
	const struct entry *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];

	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

__attribute__((noreturn))
static void usage(void)
{
	fprintf(stderr,
		"usage: %s [-o FILE] -- COMMAND [ARG...]\n"
		"   or: %s [-o FILE] [-j N] [--log FILE] [--per-tu FILE] --compdb DB -- CLANG [ARG...]\n",
		prog, prog);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out_path = NULL, *compdb = NULL, *log_path = NULL, *per_tu_path = NULL;
	int jobs = 1, i, status = 0, failed = 0, log_fd = -1;
	size_t units = 0;
	double t0, wall, self = -1;
	struct rusage ru;
	FILE *out = stdout;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			out_path = argv[++i];
		} else if (!strcmp(argv[i], "-j") && i + 1 < argc) {
			jobs = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--compdb") && i + 1 < argc) {
			compdb = argv[++i];
		} else if (!strcmp(argv[i], "--log") && i + 1 < argc) {
			log_path = argv[++i];
		} else if (!strcmp(argv[i], "--per-tu") && i + 1 < argc) {
			per_tu_path = argv[++i];
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();
	if (jobs < 1)
		die("-j takes a positive number");
	if (log_path && (log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0)
		die("cannot open '%s': %s", log_path, strerror(errno));

	if (!compdb) {
		siginfo_t si;
		pid_t pid;
		int st;
		t0 = now();
		pid = spawn(argv + i, NULL, -1);
		while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0) /* its /proc entry stays */
			if (errno != EINTR)
				die("waitid: %s", strerror(errno));
		wall = now() - t0;
		self = own_cpu(pid);
		if (waitpid(pid, &st, 0) < 0)
			die("waitpid: %s", strerror(errno));
		status = exit_status(st);
	} else {
		struct entry *e = read_compdb(compdb, &units);
		size_t *order = xrealloc(NULL, (units ? units : 1) * sizeof(*order));
		size_t next = 0, running = 0;
		FILE *per_tu = NULL;

		if (!units)
			die("'%s' has no C or C++ entries", compdb);
		for (size_t k = 0; k < units; k++)
			order[k] = k;
		sort_base = e;
		qsort(order, units, sizeof(*order), by_size_desc);
		t0 = now();
		while (next < units || running) {
			struct rusage one;
			int st;
			pid_t pid;

			while (running < (size_t)jobs && next < units) {
				struct entry *u = &e[order[next++]];
				char **av = clang_argv(argv + i, u);
				u->start = now();
				u->pid = spawn(av, u->directory, log_fd);
				free(av);
				running++;
			}
			pid = wait4(-1, &st, 0, &one);
			if (pid < 0) {
				if (errno == EINTR)
					continue;
				die("wait4: %s", strerror(errno));
			}
			for (size_t k = 0; k < units; k++) {
				if (e[k].pid != pid)
					continue;
				e[k].wall = now() - e[k].start;
				e[k].user = tv(one.ru_utime);
				e[k].sys = tv(one.ru_stime);
				e[k].maxrss = one.ru_maxrss;
				e[k].status = exit_status(st);
				e[k].pid = 0;
				if (e[k].status)
					failed++;
				running--;
				break;
			}
		}
		wall = now() - t0;
		if (per_tu_path) {
			if (!(per_tu = fopen(per_tu_path, "w")))
				die("cannot write '%s': %s", per_tu_path, strerror(errno));
			for (size_t k = 0; k < units; k++) {
				const struct entry *u = &e[order[k]];
				fprintf(per_tu, "%.3f %.3f %.3f %ld %d %s%s%s\n", u->wall, u->user, u->sys,
					u->maxrss, u->status, u->file[0] == '/' ? "" : u->directory,
					u->file[0] == '/' ? "" : "/", u->file);
			}
			fclose(per_tu);
		}
		status = failed ? 1 : 0;
	}
	getrusage(RUSAGE_CHILDREN, &ru);
	if (out_path && !(out = fopen(out_path, "w")))
		die("cannot write '%s': %s", out_path, strerror(errno));
	fprintf(out, "wall=%.3f user=%.3f sys=%.3f maxrss_kb=%ld status=%d failed=%d units=%zu", wall,
		tv(ru.ru_utime), tv(ru.ru_stime), ru.ru_maxrss, status, failed, units);
	if (!compdb)
		fprintf(out, " self=%.3f", self);
	fputc('\n', out);
	if (out != stdout)
		fclose(out);
	return 0;
}
