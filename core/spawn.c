#define _GNU_SOURCE
#include "spawn.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got_stop_signal;

static void note_stop_signal(int sig)
{
	(void)sig;
	got_stop_signal = 1;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int redirect(int fd, const char *path, int flags)
{
	int f = open(path, flags, 0666), ret;

	if (f < 0)
		return -1;
	if (f == fd) /* opened right where it belongs (fd was closed): it stays open */
		return 0;
	ret = dup2(f, fd) < 0 ? -1 : 0;
	close(f);
	return ret;
}

/* In the child: report errno through the close-on-exec pipe and exit. */
static void child_fail(int pipe_fd, const char *what)
{
	int e = errno;
	ssize_t ignored;

	ignored = write(pipe_fd, &e, sizeof(e));
	ignored = write(pipe_fd, what, strlen(what));
	(void)ignored;
	_exit(127);
}

static void child_exec(const char *const *argv, const struct ma_spawn_opts *o, int pipe_fd)
{
	int out_flags = O_WRONLY | O_CREAT | (o->append ? O_APPEND : O_TRUNC);

	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (o->stdin_path && redirect(0, o->stdin_path, O_RDONLY) < 0)
		child_fail(pipe_fd, o->stdin_path);
	if (o->stdout_path && redirect(1, o->stdout_path, out_flags) < 0)
		child_fail(pipe_fd, o->stdout_path);
	if (o->stderr_path && redirect(2, o->stderr_path, out_flags) < 0)
		child_fail(pipe_fd, o->stderr_path);
	if (o->stderr_to_stdout && dup2(1, 2) < 0)
		child_fail(pipe_fd, "stderr");
	if (o->cwd && chdir(o->cwd) < 0)
		child_fail(pipe_fd, o->cwd);
	for (const char *const *e = o->env; e && *e; e++)
		putenv((char *)*e);
	execvp(argv[0], (char *const *)argv);
	child_fail(pipe_fd, argv[0]);
}

/* Parent: read what the child wrote before exec failed; 0 if exec worked. */
static int read_exec_error(int fd, struct strbuf *err, const char *prog)
{
	char buf[4096 + sizeof(int)];
	ssize_t n, got = 0;
	int e;

	while ((n = read(fd, buf + got, sizeof(buf) - 1 - (size_t)got)) > 0 ||
	       (n < 0 && errno == EINTR))
		got += n > 0 ? n : 0;
	if (got < (ssize_t)sizeof(int))
		return 0;
	memcpy(&e, buf, sizeof(int));
	buf[got] = '\0';
	if (!strcmp(buf + sizeof(int), prog))
		strbuf_addf(err, "cannot run '%s': %s", prog,
			    e == ENOENT ? "command not found" : strerror(e));
	else
		strbuf_addf(err, "cannot run '%s': '%s': %s", prog, buf + sizeof(int), strerror(e));
	return -1;
}

static void kill_group(pid_t pid, int *status)
{
	kill(-pid, SIGTERM);
	for (int i = 0; i < 200; i++) { /* 2 s of grace */
		if (waitpid(pid, status, WNOHANG) == pid)
			goto reap_rest;
		usleep(10000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, status, 0);
reap_rest:
	kill(-pid, SIGKILL); /* grandchildren that ignored SIGTERM */
}

/* A descriptor that becomes readable when the child ends, or -1 (a kernel
 * before 5.3, or no pidfd_open in this libc). */
static int child_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

/* Wait `us` microseconds at most, less when the child ends before: its
 * end is then seen at once, not up to a polling period late (an audit's
 * dynamic pass waits on each run of the project's tests). */
static void nap(int pidfd, unsigned us)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	if (pidfd >= 0)
		poll(&pfd, 1, (int)((us + 999) / 1000)); /* a signal cuts it short, as it does usleep */
	else
		usleep(us);
}

static void wait_child(pid_t pid, const struct ma_spawn_opts *o, struct ma_spawn_result *res,
		       double start)
{
	struct sigaction sa, old_int, old_term;
	int status = 0, pidfd = child_pidfd(pid);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_stop_signal;
	sigemptyset(&sa.sa_mask);
	got_stop_signal = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (unsigned delay = 1000;; delay = delay < 50000 ? delay * 2 : delay) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (got_stop_signal || (o->timeout_ms > 0 &&
					(now_seconds() - start) * 1000.0 >= (double)o->timeout_ms)) {
			res->interrupted = got_stop_signal;
			res->timed_out = !got_stop_signal;
			kill_group(pid, &status);
			break;
		}
		nap(pidfd, delay);
	}
	if (pidfd >= 0)
		close(pidfd);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (WIFEXITED(status))
		res->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		res->signal = WTERMSIG(status);
	if (res->interrupted)
		raise(SIGINT); /* let the caller's handler (report cleanup) see it */
}

int ma_spawn_run(const char *const *argv, const struct ma_spawn_opts *opts,
		 struct ma_spawn_result *res, struct strbuf *err)
{
	static const struct ma_spawn_opts defaults;
	const struct ma_spawn_opts *o = opts ? opts : &defaults;
	double start = now_seconds();
	int pfd[2];
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (!argv || !argv[0]) {
		strbuf_addstr(err, "no command to run");
		return -1;
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		int e = errno;
		strbuf_addf(err, "cannot run '%s': %s", argv[0], strerror(e));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(pfd[0]);
		close(pfd[1]);
		strbuf_addf(err, "cannot run '%s': %s", argv[0], strerror(e));
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		child_exec(argv, o, pfd[1]);
	}
	setpgid(pid, pid); /* also in the parent, so kill(-pid) works at once */
	close(pfd[1]);
	if (read_exec_error(pfd[0], err, argv[0]) < 0) {
		close(pfd[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(pfd[0]);
	wait_child(pid, o, res, start);
	res->seconds = now_seconds() - start;
	return 0;
}

void ma_spawn_describe(const struct ma_spawn_result *res, struct strbuf *out)
{
	if (res->timed_out)
		strbuf_addf(out, "timed out after %.0f s and was killed", res->seconds);
	else if (res->interrupted)
		strbuf_addstr(out, "was interrupted");
	else if (res->signal)
		strbuf_addf(out, "was killed by signal %d (%s)", res->signal, strsignal(res->signal));
	else
		strbuf_addf(out, "exited with %d", res->exit_code);
}
