/* Unit tests for core/spawn.c: running programs, timeouts, process groups. */
#include <criterion/criterion.h>

#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../core/fs.h"
#include "../../core/spawn.h"
#include "../../core/strbuf.h"

static char *tmp;

static void mk_tmp(void)
{
	tmp = strdup("/tmp/ma-test-spawn.XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
}

static void rm_tmp(void)
{
	ma_remove_tree(tmp);
	free(tmp);
}

TestSuite(spawn, .init = mk_tmp, .fini = rm_tmp);

#define ARGV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static char *tmp_path(const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", tmp, name);
	return strbuf_detach(&sb, NULL);
}

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;

	cr_assert_eq(strbuf_read_file(&sb, path, &err), 0, "%s", err.buf);
	strbuf_release(&err);
	return strbuf_detach(&sb, NULL);
}

/* Live (not zombie) processes whose process group is pgid, from /proc. */
static int live_in_group(pid_t pgid)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d))) {
		char path[300], buf[1024], *p, state;
		long pgrp;
		FILE *fp;
		size_t len;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if (!(fp = fopen(path, "r")))
			continue;
		len = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
		buf[len] = '\0';
		/* "pid (comm) state ppid pgrp ...": comm may hold spaces */
		if (!(p = strrchr(buf, ')')) || sscanf(p + 1, " %c %*d %ld", &state, &pgrp) != 2)
			continue;
		if (pgrp == pgid && state != 'Z' && state != 'X')
			n++;
	}
	closedir(d);
	return n;
}

/* Wait up to two seconds for the group to die (SIGKILL delivery is asynchronous). */
static int group_survivors(pid_t pgid)
{
	int n = 0;

	for (int i = 0; i < 200 && (n = live_in_group(pgid)); i++)
		usleep(10000);
	return n;
}

static pid_t read_pid(const char *path)
{
	char *text = slurp(path);
	pid_t pid = (pid_t)atol(text);

	free(text);
	cr_assert_gt(pid, 1, "no pid in %s", path);
	return pid;
}

Test(spawn, true_exits_zero)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_spawn_run(ARGV("/bin/true"), NULL, &r, &err), 0, "%s", err.buf);
	cr_assert_eq(r.exit_code, 0);
	cr_assert_eq(r.signal, 0);
	cr_assert_eq(r.timed_out, 0);
	cr_assert_eq(r.interrupted, 0);
	cr_assert_geq(r.seconds, 0.0);
	cr_assert_lt(r.seconds, 5.0);
	cr_assert_eq(err.len, 0);
	strbuf_release(&err);
}

Test(spawn, false_exit_code)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_spawn_run(ARGV("/bin/false"), NULL, &r, &err), 0, "%s", err.buf);
	cr_assert_eq(r.exit_code, 1);
	cr_assert_eq(r.signal, 0);
	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", "exit 42"), NULL, &r, &err), 0, "PATH lookup");
	cr_assert_eq(r.exit_code, 42);
	strbuf_release(&err);
}

Test(spawn, missing_program)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_spawn_run(ARGV("ma-no-such-program-4711", "x"), NULL, &r, &err), -1);
	cr_assert_str_eq(err.buf, "cannot run 'ma-no-such-program-4711': command not found");
	strbuf_reset(&err);
	cr_assert_eq(ma_spawn_run(ARGV("/nonexistent/bin/tool"), NULL, &r, &err), -1);
	cr_assert_str_eq(err.buf, "cannot run '/nonexistent/bin/tool': command not found");
	strbuf_release(&err);
}

Test(spawn, not_executable)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;
	char *path = tmp_path("script");
	FILE *fp = fopen(path, "w");

	fputs("#!/bin/sh\nexit 0\n", fp);
	fclose(fp);
	chmod(path, 0644);
	if (!geteuid()) /* root may run it anyway: only the outcome must be consistent */
		cr_log_info("running as root");
	if (ma_spawn_run(ARGV(path), NULL, &r, &err) < 0) {
		cr_assert(strstr(err.buf, path), "%s", err.buf);
		cr_assert(strstr(err.buf, "Permission denied"), "%s", err.buf);
	} else {
		cr_assert(!geteuid(), "a non-executable file was run");
	}
	free(path);
	strbuf_release(&err);
}

Test(spawn, no_command)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;
	const char *const empty[] = { NULL };

	cr_assert_eq(ma_spawn_run(empty, NULL, &r, &err), -1);
	cr_assert_str_eq(err.buf, "no command to run");
	strbuf_reset(&err);
	cr_assert_eq(ma_spawn_run(NULL, NULL, &r, &err), -1);
	strbuf_release(&err);
}

Test(spawn, killed_by_signal)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT, desc = STRBUF_INIT;

	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", "kill -KILL $$"), NULL, &r, &err), 0);
	cr_assert_eq(r.signal, SIGKILL);
	cr_assert_eq(r.timed_out, 0);
	ma_spawn_describe(&r, &desc);
	cr_assert(starts_with(desc.buf, "was killed by signal 9"), "%s", desc.buf);
	strbuf_release(&err);
	strbuf_release(&desc);
}

Test(spawn, timeout_kills_child)
{
	struct ma_spawn_opts o = { .timeout_ms = 300 };
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT, desc = STRBUF_INIT;

	cr_assert_eq(ma_spawn_run(ARGV("sleep", "10"), &o, &r, &err), 0, "%s", err.buf);
	cr_assert_eq(r.timed_out, 1);
	cr_assert_eq(r.interrupted, 0);
	cr_assert_eq(r.signal, SIGTERM);
	cr_assert_geq(r.seconds, 0.29);
	cr_assert_lt(r.seconds, 2.0, "took %.2f s", r.seconds);
	ma_spawn_describe(&r, &desc);
	cr_assert(starts_with(desc.buf, "timed out after"), "%s", desc.buf);
	strbuf_release(&err);
	strbuf_release(&desc);
}

Test(spawn, no_timeout_when_fast_enough)
{
	struct ma_spawn_opts o = { .timeout_ms = 5000 };
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", "sleep 0.1; exit 3"), &o, &r, &err), 0);
	cr_assert_eq(r.timed_out, 0);
	cr_assert_eq(r.exit_code, 3);
	cr_assert_geq(r.seconds, 0.09);
	strbuf_release(&err);
}

Test(spawn, timeout_kills_whole_process_group)
{
	struct ma_spawn_opts o = { .timeout_ms = 300 };
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT, cmd = STRBUF_INIT;
	char *pidfile = tmp_path("pid");
	pid_t pgid;

	strbuf_addf(&cmd, "echo $$ > '%s'; sleep 10 & sleep 10", pidfile);
	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", cmd.buf), &o, &r, &err), 0, "%s", err.buf);
	cr_assert_eq(r.timed_out, 1);
	cr_assert_lt(r.seconds, 2.0, "took %.2f s", r.seconds);
	pgid = read_pid(pidfile);
	cr_assert_neq(pgid, getpgrp(), "the child must get its own process group");
	cr_assert_eq(group_survivors(pgid), 0, "a sleeper survived");
	free(pidfile);
	strbuf_release(&err);
	strbuf_release(&cmd);
}

Test(spawn, timeout_escalates_to_sigkill)
{
	/* every process of the group ignores SIGTERM: only SIGKILL ends them */
	struct ma_spawn_opts o = { .timeout_ms = 200 };
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT, cmd = STRBUF_INIT;
	char *pidfile = tmp_path("pid");

	strbuf_addf(&cmd, "trap '' TERM; echo $$ > '%s'; sleep 10 & sleep 10; sleep 10", pidfile);
	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", cmd.buf), &o, &r, &err), 0, "%s", err.buf);
	cr_assert_eq(r.timed_out, 1);
	cr_assert_eq(r.signal, SIGKILL);
	cr_assert_lt(r.seconds, 4.0, "took %.2f s", r.seconds);
	cr_assert_eq(group_survivors(read_pid(pidfile)), 0, "a sleeper survived");
	free(pidfile);
	strbuf_release(&err);
	strbuf_release(&cmd);
}

Test(spawn, stdout_to_file)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;
	char *out = tmp_path("out.txt"), *text;
	struct ma_spawn_opts o = { .stdout_path = out, .stderr_path = "/dev/null" };

	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", "echo first"), &o, &r, &err), 0, "%s", err.buf);
	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", "echo hello; echo oops >&2"), &o, &r, &err), 0);
	text = slurp(out);
	cr_assert_str_eq(text, "hello\n", "truncated, stderr not included");
	free(text);
	free(out);
	strbuf_release(&err);
}

Test(spawn, stderr_to_stdout)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;
	char *out = tmp_path("both.txt"), *text;
	struct ma_spawn_opts o = { .stdout_path = out, .stderr_to_stdout = 1 };

	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", "echo a; echo b >&2"), &o, &r, &err), 0);
	text = slurp(out);
	cr_assert_str_eq(text, "a\nb\n");
	free(text);
	free(out);
	strbuf_release(&err);
}

Test(spawn, stderr_and_stdin_files)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;
	char *in = tmp_path("in.txt"), *e = tmp_path("err.txt"), *text;
	struct ma_spawn_opts o = { .stdin_path = in, .stderr_path = e, .stdout_path = "/dev/null" };
	FILE *fp = fopen(in, "w");

	fputs("from stdin\n", fp);
	fclose(fp);
	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", "cat >&2; echo drop"), &o, &r, &err), 0);
	text = slurp(e);
	cr_assert_str_eq(text, "from stdin\n");
	free(text);
	free(in);
	free(e);
	strbuf_release(&err);
}

Test(spawn, unwritable_stdout_is_an_error)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;
	struct ma_spawn_opts o = { .stdout_path = "/nonexistent/dir/out.txt" };

	cr_assert_eq(ma_spawn_run(ARGV("/bin/true"), &o, &r, &err), -1);
	cr_assert_str_eq(err.buf, "cannot run '/bin/true': '/nonexistent/dir/out.txt': "
				  "No such file or directory");
	strbuf_release(&err);
}

Test(spawn, cwd_and_env)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT, want = STRBUF_INIT;
	char *out = tmp_path("out.txt"), *text, real[4096];
	const char *const env[] = { "MA_TEST_VAR=forty two", NULL };
	struct ma_spawn_opts o = { .cwd = tmp, .env = env, .stdout_path = out };

	cr_assert_eq(ma_spawn_run(ARGV("sh", "-c", "pwd -P; echo \"$MA_TEST_VAR\""), &o, &r, &err), 0,
		     "%s", err.buf);
	cr_assert_not_null(realpath(tmp, real));
	strbuf_addf(&want, "%s\nforty two\n", real);
	text = slurp(out);
	cr_assert_str_eq(text, want.buf);
	cr_assert_null(getenv("MA_TEST_VAR"), "the parent's environment is untouched");
	free(text);
	free(out);
	strbuf_release(&err);
	strbuf_release(&want);
}

Test(spawn, missing_cwd_is_an_error)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;
	struct ma_spawn_opts o = { .cwd = "/nonexistent/ma-dir" };

	cr_assert_eq(ma_spawn_run(ARGV("/bin/true"), &o, &r, &err), -1);
	cr_assert(strstr(err.buf, "'/nonexistent/ma-dir'"), "%s", err.buf);
	strbuf_release(&err);
}

static volatile sig_atomic_t got_sigint;

static void on_sigint(int sig)
{
	(void)sig;
	got_sigint++;
}

Test(spawn, interrupted_by_sigint)
{
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT, desc = STRBUF_INIT;
	pid_t self = getpid(), helper;

	signal(SIGINT, on_sigint);
	helper = fork();
	cr_assert_geq(helper, 0);
	if (!helper) {
		usleep(200000);
		kill(self, SIGINT);
		_exit(0);
	}
	cr_assert_eq(ma_spawn_run(ARGV("sleep", "10"), NULL, &r, &err), 0, "%s", err.buf);
	waitpid(helper, NULL, 0);
	cr_assert_eq(r.interrupted, 1);
	cr_assert_eq(r.timed_out, 0);
	cr_assert_lt(r.seconds, 3.0);
	cr_assert_geq(got_sigint, 1, "the caller's handler sees the interrupt");
	ma_spawn_describe(&r, &desc);
	cr_assert_str_eq(desc.buf, "was interrupted");
	strbuf_release(&err);
	strbuf_release(&desc);
}

Test(spawn, describe_exit)
{
	struct ma_spawn_result r = { .exit_code = 2 };
	struct strbuf sb = STRBUF_INIT;

	ma_spawn_describe(&r, &sb);
	cr_assert_str_eq(sb.buf, "exited with 2");
	strbuf_release(&sb);
}
