#include "cli_run.h"
#include "../../core/spawn.h"

#include <criterion/criterion.h>
#include <unistd.h>

void cli_slurp(const char *path, struct strbuf *sb)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(strbuf_read_file(sb, path, &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

void cli_run(struct cli_result *r, const char *const *argv, const char *cwd, const char *scratch, long timeout_ms)
{
	static const char *const env[] = { "MAKEFLAGS=", "MFLAGS=", NULL };
	struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, why = STRBUF_INIT;
	struct ma_spawn_opts o = { .cwd = cwd, .env = env, .stdin_path = "/dev/null", .timeout_ms = timeout_ms };
	struct ma_spawn_result res;

	strbuf_addf(&out, "%s.stdout", scratch);
	strbuf_addf(&err, "%s.stderr", scratch);
	o.stdout_path = out.buf;
	o.stderr_path = err.buf;
	cr_assert_eq(ma_spawn_run(argv, &o, &res, &why), 0, "%s", why.buf);
	cr_assert(!res.signal && !res.timed_out, "%s was killed (signal %d)", argv[0], res.signal);
	r->code = res.exit_code;
	strbuf_init(&r->out, 0);
	strbuf_init(&r->err, 0);
	cli_slurp(out.buf, &r->out);
	cli_slurp(err.buf, &r->err);
	unlink(out.buf);
	unlink(err.buf);
	strbuf_release(&out);
	strbuf_release(&err);
	strbuf_release(&why);
}

void cli_result_release(struct cli_result *r)
{
	strbuf_release(&r->out);
	strbuf_release(&r->err);
}
