/*
 * Raw addresses to source frames with libdw (analyzers/dynamic/symbolize.c).
 * A small program is built at test time with clang -g (DWARF 5: libdw
 * reads it), with a function inlined into another (always_inline) and a
 * heap overflow inside the inlined one.  Run with ASan and symbolize=0,
 * its log has only binary+offset frames; symbolized, they must name the
 * inlined function at the write, the function it was inlined into at the
 * call, and main at its call.  The lines expected are found by markers in
 * the program's own text (clang puts a function's first instruction on
 * its opening brace).  Then the addresses nm gives, a binary without
 * debug information, paths that do not exist or are no ELF, and the DWARF
 * version of binaries built with -gdwarf-5, -gdwarf-4 and without -g.
 */
#include <criterion/criterion.h>

#include "../../analyzers/dynamic/sanitizer_log.h"
#include "../../analyzers/dynamic/symbolize.h"
#include "../../core/fs.h"
#include "../../core/spawn.h"
#include "../../core/strbuf.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static const char program[] =
	"#include <stdlib.h>\n"
	"\n"
	"static inline __attribute__((always_inline)) void put(int *p, int i)\n"
	"{\n"
	"\tp[i] = 1; /* WRITE */\n"
	"}\n"
	"\n"
	"__attribute__((noinline)) void fill(int *p, int n)\n"
	"{ /* FILL */\n"
	"\tput(p, n); /* INLINED-HERE */\n"
	"}\n"
	"\n"
	"int main(int argc, char **argv)\n"
	"{ /* MAIN */\n"
	"\tint *p = malloc(4 * sizeof(*p));\n"
	"\n"
	"\t(void)argv;\n"
	"\tfill(p, argc + 3); /* CALL */\n"
	"\tfree(p);\n"
	"\treturn 0;\n"
	"}\n";

/* For ThreadSanitizer, which names binaries by their base name in its frames. */
static const char race[] =
	"#include <pthread.h>\n"
	"\n"
	"static int counter;\n"
	"\n"
	"static void *bump(void *arg)\n"
	"{\n"
	"\tcounter++; /* RACE */\n"
	"\treturn arg;\n"
	"}\n"
	"\n"
	"int main(void)\n"
	"{\n"
	"\tpthread_t t;\n"
	"\n"
	"\tpthread_create(&t, NULL, bump, NULL);\n"
	"\tcounter++; /* MAIN-RACE */\n"
	"\tpthread_join(t, NULL);\n"
	"\treturn 0;\n"
	"}\n";

static struct strbuf dir = STRBUF_INIT;  /* the test's scratch directory */
static struct strbuf src = STRBUF_INIT;  /* dir/prog.c: the program above */

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_mkdtemp(&dir, "memaudit-sym", &err), 0, "%s", err.buf);
	strbuf_addf(&src, "%s/prog.c", dir.buf);
	cr_assert_eq(ma_write_file_atomic(src.buf, program, strlen(program), &err), 0, "%s", err.buf);
	strbuf_release(&err);
}

static void teardown(void)
{
	ma_remove_tree(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&src);
}

TestSuite(symbolize, .init = setup, .fini = teardown, .timeout = 120);

/* The line of text that holds marker. */
static unsigned line_in(const char *text, const char *marker)
{
	const char *at = strstr(text, marker);
	unsigned line = 1;

	cr_assert(at, "no marker %s", marker);
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

static unsigned line_of(const char *marker)
{
	return line_in(program, marker);
}

static int run(const char *const *argv, const char *const *env, const char *out)
{
	struct ma_spawn_opts o = { .env = env, .stdin_path = "/dev/null", .stdout_path = out ? out : "/dev/null",
				   .stderr_path = "/dev/null", .timeout_ms = 60000 };
	struct ma_spawn_result r;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(ma_spawn_run(argv, &o, &r, &err), 0, "cannot run %s: %s", argv[0], err.buf);
	strbuf_release(&err);
	return r.exit_code;
}

/* dir/name built from the program with clang and the given flags (up to 6, NULL-ended). */
static void build(struct strbuf *bin, const char *name, const char *const *flags)
{
	const char *argv[12] = { "clang", "-O0", "-w", "-fno-omit-frame-pointer" };
	size_t n = 4;

	strbuf_reset(bin);
	strbuf_addf(bin, "%s/%s", dir.buf, name);
	for (size_t i = 0; flags[i]; i++)
		argv[n++] = flags[i];
	argv[n++] = "-o";
	argv[n++] = bin->buf;
	argv[n++] = src.buf;
	argv[n] = NULL;
	cr_assert_eq(run(argv, NULL, NULL), 0, "clang failed on %s", src.buf);
}

/* The address nm gives for symbol in bin: its offset in the ELF layout. */
static uint64_t address_of(const char *bin, const char *symbol)
{
	const char *argv[] = { "nm", bin, NULL };
	struct strbuf out = STRBUF_INIT, text = STRBUF_INIT, err = STRBUF_INIT, tail = STRBUF_INIT;
	const char *at;
	uint64_t addr;

	strbuf_addf(&out, "%s/nm.out", dir.buf);
	cr_assert_eq(run(argv, NULL, out.buf), 0, "nm failed on %s", bin);
	cr_assert_eq(strbuf_read_file(&text, out.buf, &err), 0, "%s", err.buf);
	strbuf_addf(&tail, " T %s\n", symbol);
	at = strstr(text.buf, tail.buf);
	cr_assert(at, "nm does not list %s in %s", symbol, bin);
	while (at > text.buf && at[-1] != '\n')
		at--;
	addr = strtoull(at, NULL, 16);
	strbuf_release(&out);
	strbuf_release(&text);
	strbuf_release(&err);
	strbuf_release(&tail);
	return addr;
}

static int ends_with_name(const char *path, const char *name)
{
	size_t n = path ? strlen(path) : 0, k = strlen(name);

	return n >= k && !strcmp(path + n - k, name);
}

/* The first record of a sanitizer log: its stack kept. */
static int keep_first(const struct vg_error *e, void *data)
{
	struct vg_stack *st = data;

	if (!st->nr)
		vg_stack_copy(st, &e->stack);
	return 0;
}

/* dir/<runtime>.PID, written by bin run with the runtime's options (VAR=...) and symbolize=0. */
static void raw_log(const char *bin, const char *var, const char *runtime, struct strbuf *log)
{
	struct strbuf opts = STRBUF_INIT;
	const char *argv[] = { bin, NULL }, *env[] = { NULL, NULL };
	DIR *d;
	struct dirent *de;

	strbuf_addf(&opts, "%s=symbolize=0:detect_leaks=0:log_path=%s/%s", var, dir.buf, runtime);
	env[0] = opts.buf;
	cr_assert_neq(run(argv, env, NULL), 0, "the bug is reported");
	cr_assert((d = opendir(dir.buf)));
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, runtime, strlen(runtime)) && de->d_name[strlen(runtime)] == '.')
			strbuf_addf(log, "%s/%s", dir.buf, de->d_name);
	closedir(d);
	cr_assert(log->len, "no %s log in %s", runtime, dir.buf);
	strbuf_release(&opts);
}

/* dir/asan.PID, written by the program built with ASan and run with symbolize=0. */
static void raw_asan_log(struct strbuf *log)
{
	struct strbuf bin = STRBUF_INIT;
	const char *flags[] = { "-g", "-fsanitize=address", NULL };

	build(&bin, "prog", flags);
	raw_log(bin.buf, "ASAN_OPTIONS", "asan", log);
	strbuf_release(&bin);
}

Test(symbolize, a_raw_asan_stack_gets_functions_lines_and_the_inlined_frame)
{
	struct strbuf log = STRBUF_INIT, err = STRBUF_INIT;
	struct ma_symbolizer *sym = ma_symbolizer_new();
	struct vg_stack raw = { 0 }, st = { 0 };
	size_t n;

	raw_asan_log(&log);
	cr_assert_eq(sanitizer_parse_file(log.buf, NULL, keep_first, &raw, &n, &err), 0, "%s", err.buf);
	cr_assert_geq(raw.nr, 2);
	cr_expect_null(raw.v[0].file, "symbolize=0: no file in the log");
	cr_expect_null(raw.v[0].fn);
	cr_expect(ends_with_name(raw.v[0].obj, "/prog"), "the binary: %s", raw.v[0].obj);
	cr_expect_neq(raw.v[0].offset, 0);

	cr_assert_eq(sanitizer_parse_file(log.buf, sym, keep_first, &st, &n, &err), 0, "%s", err.buf);
	cr_assert_geq(st.nr, 3);
	cr_expect_str_eq(st.v[0].fn, "put", "innermost: the inlined function");
	cr_expect_str_eq(st.v[0].file, src.buf);
	cr_expect_eq(st.v[0].line, line_of("WRITE"));
	cr_expect_str_eq(st.v[1].fn, "fill", "then the function it was inlined into");
	cr_expect_str_eq(st.v[1].file, src.buf);
	cr_expect_eq(st.v[1].line, line_of("INLINED-HERE"));
	cr_expect_eq(st.v[1].ip, st.v[0].ip, "one address, two frames");
	cr_expect_str_eq(st.v[2].fn, "main");
	cr_expect_eq(st.v[2].line, line_of("CALL"));
	cr_expect_eq(st.nr, raw.nr + 1, "one frame more: the inlined call");
	vg_stack_release(&raw);
	vg_stack_release(&st);
	ma_symbolizer_free(sym);
	strbuf_release(&log);
	strbuf_release(&err);
}

Test(symbolize, an_address_from_nm_is_its_function_on_its_line)
{
	struct strbuf bin = STRBUF_INIT, err = STRBUF_INIT;
	const char *flags[] = { "-g", "-gdwarf-4", NULL };
	struct ma_symbolizer *sym = ma_symbolizer_new();
	struct vg_stack out = { 0 };

	build(&bin, "plain", flags);
	cr_assert_eq(ma_symbolize(sym, bin.buf, address_of(bin.buf, "fill"), &out, &err), 1, "%s", err.buf);
	cr_expect_str_eq(out.v[0].fn, "fill");
	cr_expect_str_eq(out.v[0].file, src.buf);
	cr_expect_eq(out.v[0].line, line_of("FILL"), "fill starts on line %u", out.v[0].line);
	cr_expect_str_eq(out.v[0].obj, bin.buf);
	/* a second binary in the same symbolizer: main, not fill */
	build(&bin, "plain5", (const char *[]){ "-g", NULL });
	cr_assert_eq(ma_symbolize(sym, bin.buf, address_of(bin.buf, "main"), &out, &err), 1, "%s", err.buf);
	cr_expect_str_eq(out.v[1].fn, "main");
	cr_expect_eq(out.v[1].line, line_of("MAIN"), "main starts on line %u", out.v[1].line);
	vg_stack_release(&out);
	ma_symbolizer_free(sym);
	strbuf_release(&bin);
	strbuf_release(&err);
}

Test(symbolize, a_binary_without_debug_information_stays_binary_and_offset)
{
	struct strbuf bin = STRBUF_INIT, err = STRBUF_INIT;
	const char *flags[] = { NULL };
	struct ma_symbolizer *sym = ma_symbolizer_new();
	struct vg_stack out = { 0 }, st = { 0 };
	uint64_t fill;

	build(&bin, "nodebug", flags);
	fill = address_of(bin.buf, "fill");
	cr_assert_eq(ma_symbolize(sym, bin.buf, fill, &out, &err), 1, "%s", err.buf);
	cr_expect_null(out.v[0].file);
	cr_expect_eq(out.v[0].line, 0);
	cr_expect_str_eq(out.v[0].fn, "fill", "the symbol table still names it");
	cr_expect_eq(out.v[0].offset, fill);
	vg_stack_copy(&st, &out);
	free(st.v[0].fn);
	st.v[0].fn = NULL;
	cr_expect_eq(ma_symbolize_stack(sym, &st), 0, "no frame gains a file");
	cr_assert_eq(st.nr, 1);
	cr_expect_null(st.v[0].file);
	cr_expect_str_eq(st.v[0].obj, bin.buf);
	vg_stack_release(&out);
	vg_stack_release(&st);
	ma_symbolizer_free(sym);
	strbuf_release(&bin);
	strbuf_release(&err);
}

Test(symbolize, a_path_that_is_missing_or_no_elf_is_an_error_and_the_frame_is_kept)
{
	struct strbuf err = STRBUF_INIT;
	struct ma_symbolizer *sym = ma_symbolizer_new();
	struct vg_stack out = { 0 }, st = { 0 };
	struct vg_frame f = { .obj = "/nonexistent/memaudit/prog", .offset = 0x1139, .ip = 0x55550001139 };

	cr_expect_eq(ma_symbolize(sym, "/nonexistent/memaudit/prog", 0x1139, &out, &err), -1);
	cr_expect(strstr(err.buf, "'/nonexistent/memaudit/prog'"), "the message names the path: %s", err.buf);
	cr_expect_eq(out.nr, 0);
	strbuf_reset(&err);
	cr_expect_eq(ma_symbolize(sym, "/nonexistent/memaudit/prog", 0x1139, &out, &err), -1, "again, from the cache");
	cr_expect(err.len);
	strbuf_reset(&err);
	cr_expect_eq(ma_symbolize(sym, src.buf, 0x10, &out, &err), -1, "a C source is no ELF file");
	cr_expect(err.len);

	vg_stack_copy(&st, &(struct vg_stack){ .v = &f, .nr = 1 });
	cr_expect_eq(ma_symbolize_stack(sym, &st), 0);
	cr_assert_eq(st.nr, 1);
	cr_expect_str_eq(st.v[0].obj, f.obj);
	cr_expect_eq(st.v[0].offset, f.offset);
	cr_expect_eq(st.v[0].ip, f.ip);
	cr_expect_null(st.v[0].file);
	vg_stack_release(&st);
	ma_symbolizer_free(sym);
	strbuf_release(&err);
}

Test(symbolize, the_dwarf_version_of_a_binary)
{
	struct strbuf bin = STRBUF_INIT, err = STRBUF_INIT;

	build(&bin, "dwarf5", (const char *[]){ "-g", "-gdwarf-5", NULL });
	cr_expect_eq(ma_dwarf_version(bin.buf, &err), 5, "%s", err.buf);
	build(&bin, "dwarf4", (const char *[]){ "-g", "-gdwarf-4", NULL });
	cr_expect_eq(ma_dwarf_version(bin.buf, &err), 4, "%s", err.buf);
	build(&bin, "nodebug", (const char *[]){ NULL });
	cr_expect_eq(ma_dwarf_version(bin.buf, &err), 0, "no debug information: %s", err.buf);
	cr_expect_eq(err.len, 0);
	cr_expect_eq(ma_dwarf_version("/nonexistent/memaudit/prog", &err), -1);
	cr_expect(strstr(err.buf, "/nonexistent/memaudit/prog"), "%s", err.buf);
	strbuf_release(&bin);
	strbuf_release(&err);
}

Test(symbolize, a_raw_tsan_stack_is_resolved_through_its_summary_path)
{
	struct strbuf bin = STRBUF_INIT, log = STRBUF_INIT, err = STRBUF_INIT;
	const char *flags[] = { "-g", "-fsanitize=thread", NULL };
	struct ma_symbolizer *sym = ma_symbolizer_new();
	struct vg_stack st = { 0 };
	size_t n;

	cr_assert_eq(ma_write_file_atomic(src.buf, race, strlen(race), &err), 0, "%s", err.buf);
	build(&bin, "race", flags);
	raw_log(bin.buf, "TSAN_OPTIONS", "tsan", &log);
	cr_assert_eq(sanitizer_parse_file(log.buf, sym, keep_first, &st, &n, &err), 0, "%s", err.buf);
	cr_assert_geq(st.nr, 1);
	cr_expect_str_eq(st.v[0].obj, bin.buf, "the base name in the frame, the path from the summary");
	cr_expect_str_eq(st.v[0].file, src.buf);
	/* the thread or main: whichever came second reports first */
	cr_assert(st.v[0].fn);
	if (!strcmp(st.v[0].fn, "main"))
		cr_expect_eq(st.v[0].line, line_in(race, "MAIN-RACE"));
	else
		cr_expect(!strcmp(st.v[0].fn, "bump") && st.v[0].line == line_in(race, "RACE"),
			  "%s:%u", st.v[0].fn, st.v[0].line);
	vg_stack_release(&st);
	ma_symbolizer_free(sym);
	strbuf_release(&bin);
	strbuf_release(&log);
	strbuf_release(&err);
}

Test(symbolize, the_note_for_a_binary_names_dwarf_5_for_valgrind_and_missing_debug_information)
{
	struct strbuf bin = STRBUF_INIT, note = STRBUF_INIT, want = STRBUF_INIT;

	build(&bin, "dwarf5", (const char *[]){ "-g", "-gdwarf-5", NULL });
	cr_assert_eq(ma_dwarf_explain(bin.buf, 1, &note), 1);
	strbuf_addf(&want, "%s: built with DWARF 5, which Valgrind 3.19 cannot read: rebuild with -gdwarf-4 (or gcc)",
		    bin.buf);
	cr_expect_str_eq(note.buf, want.buf);
	strbuf_reset(&note);
	cr_expect_eq(ma_dwarf_explain(bin.buf, 0, &note), 0, "the sanitizers' frames: libdw reads DWARF 5");
	cr_expect_eq(note.len, 0);

	build(&bin, "dwarf4", (const char *[]){ "-g", "-gdwarf-4", NULL });
	cr_expect_eq(ma_dwarf_explain(bin.buf, 1, &note), 0, "DWARF 4 explains nothing");
	cr_expect_eq(note.len, 0);

	build(&bin, "nodebug", (const char *[]){ NULL });
	for (int valgrind = 0; valgrind < 2; valgrind++) {
		strbuf_reset(&note);
		strbuf_reset(&want);
		cr_expect_eq(ma_dwarf_explain(bin.buf, valgrind, &note), 1);
		strbuf_addf(&want, "%s: no debug information: rebuild with -g", bin.buf);
		cr_expect_str_eq(note.buf, want.buf);
	}
	strbuf_reset(&note);
	cr_expect_eq(ma_dwarf_explain("/nonexistent/memaudit/prog", 1, &note), 0);
	cr_expect_eq(note.len, 0);
	strbuf_release(&bin);
	strbuf_release(&note);
	strbuf_release(&want);
}
