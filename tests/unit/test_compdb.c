/* Unit tests for core/compdb.c: reading compile_commands.json. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/compdb.h"
#include "../../core/fs.h"
#include "../../core/path.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

#define DB "/proj/build/compile_commands.json"

static struct ma_compdb db = MA_COMPDB_INIT;
static struct strbuf err = STRBUF_INIT;

static void setup(void)
{
	ma_compdb_release(&db);
	strbuf_release(&err);
}

static void teardown(void)
{
	ma_compdb_release(&db);
	strbuf_release(&err);
}

TestSuite(compdb, .init = setup, .fini = teardown);

static int parse_json(const char *json)
{
	return ma_compdb_parse(&db, json, strlen(json), DB, &err);
}

/* Assert that sv holds exactly the NULL-terminated list of strings given. */
static void assert_args(const struct strvec *sv, const char *const *want)
{
	struct strvec w = STRVEC_INIT;
	char *got, *exp;

	strvec_pushv(&w, want);
	got = strvec_join(sv, " | ");
	exp = strvec_join(&w, " | ");
	cr_assert_str_eq(got, exp);
	cr_assert_null(sv->v[sv->nr]);
	free(got);
	free(exp);
	strvec_clear(&w);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_ARGS ((const char *const[]){ NULL })

static void split_ok(const char *cmd, const char *const *want)
{
	struct strvec out = STRVEC_INIT;
	struct strbuf e = STRBUF_INIT;

	cr_assert_eq(ma_shell_split(cmd, &out, &e), 0, "split(%s): %s", cmd, e.buf);
	cr_assert_eq(e.len, 0);
	assert_args(&out, want);
	strvec_clear(&out);
	strbuf_release(&e);
}

/* ------------------------------------------------------------------ shell splitting */

Test(compdb, split_plain_words)
{
	split_ok("gcc -c x.c", ARGS("gcc", "-c", "x.c"));
	split_ok("  gcc\t-c \n x.c  ", ARGS("gcc", "-c", "x.c"));
	split_ok("", NO_ARGS);
	split_ok("   ", NO_ARGS);
}

Test(compdb, split_quotes)
{
	split_ok("cc -DNAME=\"a b\" x.c", ARGS("cc", "-DNAME=a b", "x.c"));
	split_ok("cc 'a b' \"c d\"", ARGS("cc", "a b", "c d"));
	split_ok("cc 'it'\"'\"'s'", ARGS("cc", "it's"));
	split_ok("cc -DS='\"x y\"'", ARGS("cc", "-DS=\"x y\""));
	split_ok("cc '' \"\" x", ARGS("cc", "", "", "x"));
	split_ok("a''b", ARGS("ab"));
	split_ok("'a\\b'", ARGS("a\\b"));
	split_ok("'$HOME `x`'", ARGS("$HOME `x`"));
}

Test(compdb, split_backslashes)
{
	split_ok("cc -DSTR=\\\"hi\\\" x.c", ARGS("cc", "-DSTR=\"hi\"", "x.c"));
	split_ok("a\\ b c", ARGS("a b", "c"));
	split_ok("a\\\\b", ARGS("a\\b"));
	split_ok("\"a\\\"b\"", ARGS("a\"b"));
	split_ok("\"a\\\\b\"", ARGS("a\\b"));
	/* in double quotes a backslash escapes only " $ ` newline and itself */
	split_ok("\"a\\b\"", ARGS("a\\b"));
	split_ok("\"\\$x\"", ARGS("$x"));
}

Test(compdb, split_line_continuation)
{
	split_ok("gcc \\\n -c x.c", ARGS("gcc", "-c", "x.c"));
	split_ok("gcc\\\n-c", ARGS("gcc-c"));
	split_ok("\"a\\\nb\"", ARGS("ab"));
}

Test(compdb, split_unterminated_quote)
{
	static const char *const bad[] = { "gcc \"abc", "gcc 'abc", "gcc -D'x", "cc \"a\\\"" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct strvec out = STRVEC_INIT;
		struct strbuf e = STRBUF_INIT;

		cr_assert_eq(ma_shell_split(bad[i], &out, &e), -1, "accepted: %s", bad[i]);
		cr_assert(strstr(e.buf, "unterminated quote"), "%s", e.buf);
		strvec_clear(&out);
		strbuf_release(&e);
	}
}

/* ------------------------------------------------------------------ languages */

Test(compdb, lang_of_file)
{
	cr_assert_eq(ma_lang_of_file("/p/x.c"), MA_LANG_C);
	cr_assert_eq(ma_lang_of_file("x.h"), MA_LANG_C);
	cr_assert_eq(ma_lang_of_file("x.i"), MA_LANG_C);
	cr_assert_eq(ma_lang_of_file("x.cpp"), MA_LANG_CXX);
	cr_assert_eq(ma_lang_of_file("x.cc"), MA_LANG_CXX);
	cr_assert_eq(ma_lang_of_file("x.cxx"), MA_LANG_CXX);
	cr_assert_eq(ma_lang_of_file("x.C"), MA_LANG_CXX);
	cr_assert_eq(ma_lang_of_file("x.hpp"), MA_LANG_CXX);
	cr_assert_eq(ma_lang_of_file("x.S"), -1);
	cr_assert_eq(ma_lang_of_file("x.s"), -1);
	cr_assert_eq(ma_lang_of_file("x.f90"), -1);
	cr_assert_eq(ma_lang_of_file("x.cu"), -1);
	cr_assert_eq(ma_lang_of_file("Makefile"), -1);
	cr_assert_eq(ma_lang_of_file("/p/dir.c/file"), -1);
	cr_assert_eq(ma_lang_of_file("x.c.o"), -1);
}

/* ------------------------------------------------------------------ entries */

Test(compdb, arguments_form)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/proj\", \"file\": \"src/x.c\","
				" \"arguments\": [\"gcc\", \"-c\", \"-DX=1\", \"-O2\", \"src/x.c\","
				" \"-o\", \"x.o\"]}]"), 0, "%s", err.buf);
	cr_assert_eq(db.nr, 1);
	cr_assert_str_eq(db.path, DB);
	cr_assert_str_eq(db.units[0].file, "/proj/src/x.c");
	cr_assert_str_eq(db.units[0].directory, "/proj");
	cr_assert_eq(db.units[0].lang, MA_LANG_C);
	cr_assert_eq(db.units[0].size, -1, "no such file on disk");
	assert_args(&db.units[0].args, ARGS("-DX=1", "-O2"));
	cr_assert_eq(db.duplicates, 0);
	cr_assert_eq(db.skipped_other_lang, 0);
	cr_assert_eq(db.dropped_options.nr, 0);
}

Test(compdb, command_form)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/proj\", \"file\": \"x.cpp\","
				" \"command\": \"/usr/bin/c++ -DNAME=\\\"a b\\\" -std=c++17 -c x.cpp\"}]"),
		     0, "%s", err.buf);
	cr_assert_eq(db.nr, 1);
	cr_assert_eq(db.units[0].lang, MA_LANG_CXX);
	assert_args(&db.units[0].args, ARGS("-DNAME=a b", "-std=c++17"));
}

Test(compdb, arguments_win_over_command)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p\", \"file\": \"x.c\","
				" \"arguments\": [\"cc\", \"-DFROM_ARGS\", \"x.c\"],"
				" \"command\": \"cc -DFROM_COMMAND x.c\"}]"), 0, "%s", err.buf);
	assert_args(&db.units[0].args, ARGS("-DFROM_ARGS"));
}

Test(compdb, command_with_open_quote_is_an_error)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p\", \"file\": \"x.c\","
				" \"command\": \"cc -DX=\\\"oops x.c\"}]"), -1);
	cr_assert(strstr(err.buf, "'" DB "'"), "%s", err.buf);
	cr_assert(strstr(err.buf, "entry 1"), "%s", err.buf);
	cr_assert(strstr(err.buf, "unterminated quote"), "%s", err.buf);
}

Test(compdb, relative_file_against_directory)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/proj/build\", \"file\": \"../src/./x.c\","
				" \"arguments\": [\"cc\", \"-c\", \"../src/./x.c\"]},"
				" {\"directory\": \"/proj/build\", \"file\": \"/abs/y.c\","
				" \"arguments\": [\"cc\", \"-c\", \"/abs/y.c\"]}]"), 0, "%s", err.buf);
	cr_assert_eq(db.nr, 2);
	cr_assert_str_eq(db.units[0].file, "/proj/src/x.c");
	cr_assert_eq(db.units[0].args.nr, 0, "the source file itself is dropped");
	cr_assert_str_eq(db.units[1].file, "/abs/y.c");
	cr_assert_eq(db.units[1].args.nr, 0);
}

Test(compdb, source_dropped_however_spelled)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p\", \"file\": \"src/x.c\","
				" \"arguments\": [\"cc\", \"./src/../src/x.c\", \"-Dy.c\", \"other.c\"]}]"),
		     0, "%s", err.buf);
	assert_args(&db.units[0].args, ARGS("-Dy.c", "other.c"));
}

Test(compdb, relative_directory_against_database_folder)
{
	cr_assert_eq(parse_json("[{\"directory\": \"../src\", \"file\": \"x.c\","
				" \"arguments\": [\"cc\", \"-Iinc\", \"x.c\"]},"
				" {\"directory\": \".\", \"file\": \"y.c\","
				" \"arguments\": [\"cc\", \"y.c\"]}]"), 0, "%s", err.buf);
	cr_assert_eq(db.nr, 2);
	cr_assert_str_eq(db.units[0].directory, "/proj/src");
	cr_assert_str_eq(db.units[0].file, "/proj/src/x.c");
	assert_args(&db.units[0].args, ARGS("-I/proj/src/inc"));
	cr_assert_str_eq(db.units[1].directory, "/proj/build");
	cr_assert_str_eq(db.units[1].file, "/proj/build/y.c");
}

Test(compdb, relative_database_path_uses_cwd)
{
	const char *json = "[{\"directory\": \"sub\", \"file\": \"x.c\", \"arguments\": [\"cc\"]}]";
	char *dir = strdup("/tmp/ma-test-compdb.XXXXXX"), *old = getcwd(NULL, 0);
	struct strbuf want = STRBUF_INIT, cwd = STRBUF_INIT;

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chdir(dir), 0);
	cr_assert_eq(ma_getcwd(&cwd, &err), 0);
	cr_assert_eq(ma_compdb_parse(&db, json, strlen(json), "b/cc.json", &err), 0, "%s", err.buf);
	strbuf_addf(&want, "%s/b/sub/x.c", cwd.buf);
	cr_assert_str_eq(db.units[0].file, want.buf);
	cr_assert_eq(chdir(old), 0);
	ma_remove_tree(dir);
	free(dir);
	free(old);
	strbuf_release(&want);
	strbuf_release(&cwd);
}

Test(compdb, same_file_same_flags_is_one_unit)
{
	cr_assert_eq(parse_json("["
		"{\"directory\": \"/p\", \"file\": \"x.c\", \"arguments\": [\"gcc\", \"-O2\", \"-c\", \"x.c\", \"-o\", \"a.o\"]},"
		"{\"directory\": \"/p\", \"file\": \"./x.c\", \"command\": \"cc -O2 -c ./x.c -o b.o\"},"
		"{\"directory\": \"/p/sub\", \"file\": \"../x.c\", \"arguments\": [\"ccache\", \"cc\", \"-O2\", \"../x.c\"]}"
		"]"), 0, "%s", err.buf);
	cr_assert_eq(db.nr, 1);
	cr_assert_eq(db.duplicates, 2);
	assert_args(&db.units[0].args, ARGS("-O2"));
}

Test(compdb, same_file_different_flags_is_two_units)
{
	cr_assert_eq(parse_json("["
		"{\"directory\": \"/p\", \"file\": \"x.c\", \"arguments\": [\"cc\", \"-DSHARED\", \"x.c\"]},"
		"{\"directory\": \"/p\", \"file\": \"x.c\", \"arguments\": [\"cc\", \"-DSTATIC\", \"x.c\"]},"
		"{\"directory\": \"/p\", \"file\": \"x.c\", \"arguments\": [\"cc\", \"-DSHARED\", \"x.c\"]}"
		"]"), 0, "%s", err.buf);
	cr_assert_eq(db.nr, 2);
	cr_assert_eq(db.duplicates, 1);
	assert_args(&db.units[0].args, ARGS("-DSHARED"));
	assert_args(&db.units[1].args, ARGS("-DSTATIC"));
}

Test(compdb, non_c_entries_skipped_and_counted)
{
	cr_assert_eq(parse_json("["
		"{\"directory\": \"/p\", \"file\": \"entry.S\", \"arguments\": [\"cc\", \"-c\", \"entry.S\"]},"
		"{\"directory\": \"/p\", \"file\": \"x.c\", \"arguments\": [\"cc\", \"x.c\"]},"
		"{\"directory\": \"/p\", \"file\": \"solve.f90\", \"command\": \"gfortran -c solve.f90\"},"
		"{\"directory\": \"/p\", \"file\": \"y.cc\", \"arguments\": [\"c++\", \"y.cc\"]}"
		"]"), 0, "%s", err.buf);
	cr_assert_eq(db.nr, 2);
	cr_assert_eq(db.skipped_other_lang, 2);
	cr_assert_str_eq(db.units[0].file, "/p/x.c");
	cr_assert_str_eq(db.units[1].file, "/p/y.cc");
	cr_assert_eq(db.units[1].lang, MA_LANG_CXX);
}

Test(compdb, gcc_only_options_dropped_and_listed_once)
{
	cr_assert_eq(parse_json("["
		"{\"directory\": \"/p\", \"file\": \"a.c\", \"arguments\": [\"gcc\", \"-fconserve-stack\","
		" \"-O2\", \"-fno-tree-vrp\", \"-mindirect-branch=thunk-extern\", \"-Wa,--noexecstack\","
		" \"-fplugin=x.so\", \"a.c\"]},"
		"{\"directory\": \"/p\", \"file\": \"b.c\", \"arguments\": [\"gcc\", \"-fconserve-stack\","
		" \"--param=ssp-buffer-size=4\", \"-Wall\", \"b.c\"]}"
		"]"), 0, "%s", err.buf);
	cr_assert_eq(db.nr, 2);
	assert_args(&db.units[0].args, ARGS("-O2"));
	assert_args(&db.units[1].args, ARGS("-Wall"));
	assert_args(&db.dropped_options, ARGS("-fconserve-stack", "-fno-tree-vrp",
					      "-mindirect-branch=thunk-extern", "-Wa,--noexecstack",
					      "-fplugin=x.so", "--param=ssp-buffer-size=4"));
}

Test(compdb, separate_param_value_dropped_too)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p\", \"file\": \"a.c\", \"arguments\":"
				" [\"gcc\", \"--param\", \"ssp-buffer-size=4\", \"-Xassembler\", \"--gdwarf\","
				" \"-O1\", \"a.c\"]}]"), 0, "%s", err.buf);
	assert_args(&db.units[0].args, ARGS("-O1"));
}

Test(compdb, output_and_dependency_options_dropped_silently)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p\", \"file\": \"a.c\", \"arguments\":"
				" [\"cc\", \"-c\", \"-o\", \"out/a.o\", \"-MD\", \"-MF\", \"out/a.d\", \"-MT\", \"a.o\","
				" \"-MMD\", \"-MP\", \"-ofoo.o\", \"-MFdeps.d\", \"-g\", \"a.c\"]}]"), 0, "%s", err.buf);
	assert_args(&db.units[0].args, ARGS("-g"));
	cr_assert_eq(db.dropped_options.nr, 0, "not gcc-only: nothing to tell the user");
}

Test(compdb, objc_options_are_not_output_options)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p\", \"file\": \"a.c\", \"arguments\":"
				" [\"cc\", \"-objcmt-migrate-literals\", \"a.c\"]}]"), 0, "%s", err.buf);
	assert_args(&db.units[0].args, ARGS("-objcmt-migrate-literals"));
}

Test(compdb, compiler_wrappers_dropped)
{
	cr_assert_eq(parse_json("["
		"{\"directory\": \"/p\", \"file\": \"a.c\", \"arguments\": [\"ccache\", \"gcc\", \"-O2\", \"a.c\"]},"
		"{\"directory\": \"/p\", \"file\": \"b.c\", \"command\": \"/usr/bin/ccache /usr/bin/cc -O1 -c b.c\"},"
		"{\"directory\": \"/p\", \"file\": \"c.c\", \"command\": \"sccache distcc cc -O3 c.c\"},"
		"{\"directory\": \"/p\", \"file\": \"d.c\", \"command\": \"cc -Os d.c\"}"
		"]"), 0, "%s", err.buf);
	cr_assert_eq(db.nr, 4);
	assert_args(&db.units[0].args, ARGS("-O2"));
	assert_args(&db.units[1].args, ARGS("-O1"));
	assert_args(&db.units[2].args, ARGS("-O3"));
	assert_args(&db.units[3].args, ARGS("-Os"));
}

Test(compdb, relative_include_paths_made_absolute)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p/build\", \"file\": \"../a.c\", \"arguments\": [\"cc\","
		" \"-Iinc\", \"-I\", \"../inc2\", \"-I/abs/inc\", \"-isystem\", \"sys\", \"-isystemsys2\","
		" \"-include\", \"cfg.h\", \"-includecfg2.h\", \"-iquote\", \"./q\", \"-DI=inc\","
		" \"--sysroot=root\", \"-isysroot\", \"sdk\", \"../a.c\"]}]"), 0, "%s", err.buf);
	assert_args(&db.units[0].args, ARGS("-I/p/build/inc", "-I", "/p/inc2", "-I/abs/inc",
					    "-isystem", "/p/build/sys", "-isystem/p/build/sys2",
					    "-include", "/p/build/cfg.h", "-include/p/build/cfg2.h",
					    "-iquote", "/p/build/q", "-DI=inc",
					    "--sysroot=/p/build/root", "-isysroot", "/p/build/sdk"));
}

/* ------------------------------------------------------------------ errors */

Test(compdb, broken_json_names_file_and_line)
{
	cr_assert_eq(parse_json("[\n"
				"  {\"directory\": \"/p\",\n"
				"   \"file\": \"x.c\"\n"
				"   \"arguments\": [\"cc\"]}\n"
				"]\n"), -1);
	cr_assert(strstr(err.buf, "'" DB "'"), "%s", err.buf);
	cr_assert(strstr(err.buf, "line 4"), "%s", err.buf);
	cr_assert_eq(db.nr, 0);
}

Test(compdb, broken_json_on_first_line)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p\",}]"), -1);
	cr_assert(strstr(err.buf, "'" DB "'"), "%s", err.buf);
	cr_assert(strstr(err.buf, "line 1"), "%s", err.buf);
}

Test(compdb, empty_text_is_malformed)
{
	cr_assert_eq(ma_compdb_parse(&db, "", 0, DB, &err), -1);
	cr_assert(strstr(err.buf, DB), "%s", err.buf);
}

Test(compdb, top_level_must_be_an_array)
{
	cr_assert_eq(parse_json("{\"directory\": \"/p\", \"file\": \"x.c\", \"command\": \"cc x.c\"}"), -1);
	cr_assert_str_eq(err.buf, "'" DB "': expected a JSON array of compile commands");
	strbuf_reset(&err);
	cr_assert_eq(parse_json("\"x\""), -1);
	cr_assert(strstr(err.buf, "expected a JSON array"), "%s", err.buf);
}

Test(compdb, empty_array_is_an_error)
{
	cr_assert_eq(parse_json("[]"), -1);
	cr_assert(strstr(err.buf, "empty compile database"), "%s", err.buf);
	cr_assert(strstr(err.buf, DB), "%s", err.buf);
	strbuf_reset(&err);
	cr_assert_eq(parse_json(" [ \n ] "), -1);
	cr_assert(strstr(err.buf, "empty compile database"), "%s", err.buf);
}

Test(compdb, entry_without_file_is_an_error)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p\", \"file\": \"x.c\", \"command\": \"cc x.c\"},"
				" {\"directory\": \"/p\", \"command\": \"cc y.c\"}]"), -1);
	cr_assert(strstr(err.buf, "entry 2"), "%s", err.buf);
	cr_assert(strstr(err.buf, "'file'"), "%s", err.buf);
	cr_assert(strstr(err.buf, DB), "%s", err.buf);
}

Test(compdb, entry_with_bad_fields_is_an_error)
{
	static const char *const bad[] = {
		"[{\"directory\": \"/p\", \"file\": \"\", \"command\": \"cc\"}]",
		"[{\"directory\": \"/p\", \"file\": 3, \"command\": \"cc\"}]",
		"[{\"file\": \"x.c\", \"command\": \"cc\"}]",
		"[\"cc x.c\"]",
		"[{\"directory\": \"/p\", \"file\": \"x.c\"}]",
		"[{\"directory\": \"/p\", \"file\": \"x.c\", \"arguments\": [\"cc\", 1]}]",
		"[{\"directory\": \"/p\", \"file\": \"x.c\", \"arguments\": []}]",
		"[{\"directory\": \"/p\", \"file\": \"x.c\", \"command\": \"  \"}]",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup();
		cr_assert_eq(parse_json(bad[i]), -1, "accepted: %s", bad[i]);
		cr_assert(strstr(err.buf, "entry 1"), "%s -> %s", bad[i], err.buf);
	}
}

/* ------------------------------------------------------------------ files */

static char *tmpdir(void)
{
	char *d = strdup("/tmp/ma-test-compdb.XXXXXX");
	cr_assert_not_null(mkdtemp(d));
	return d;
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	cr_assert_not_null(fp, "%s", path);
	fputs(text, fp);
	cr_assert_eq(fclose(fp), 0);
}

Test(compdb, load_reads_file_and_sizes)
{
	char *dir = tmpdir();
	struct strbuf p = STRBUF_INIT, src = STRBUF_INIT;

	strbuf_addf(&src, "%s/x.c", dir);
	write_text(src.buf, "int x;\n");
	strbuf_addf(&p, "%s/compile_commands.json", dir);
	write_text(p.buf, "[{\"directory\": \".\", \"file\": \"x.c\", \"command\": \"cc -c x.c\"}]");
	cr_assert_eq(ma_compdb_load(&db, p.buf, &err), 0, "%s", err.buf);
	cr_assert_eq(db.nr, 1);
	cr_assert_str_eq(db.units[0].file, src.buf);
	cr_assert_eq(db.units[0].size, 7);
	cr_assert_str_eq(db.path, p.buf);
	ma_remove_tree(dir);
	free(dir);
	strbuf_release(&p);
	strbuf_release(&src);
}

Test(compdb, load_missing_file)
{
	cr_assert_eq(ma_compdb_load(&db, "/nonexistent/compile_commands.json", &err), -1);
	cr_assert(strstr(err.buf, "'/nonexistent/compile_commands.json'"), "%s", err.buf);
	cr_assert(strstr(err.buf, "No such file or directory"), "%s", err.buf);
}

Test(compdb, release_resets)
{
	cr_assert_eq(parse_json("[{\"directory\": \"/p\", \"file\": \"x.c\", \"arguments\":"
				" [\"cc\", \"-fconserve-stack\", \"x.c\"]}]"), 0);
	ma_compdb_release(&db);
	cr_assert_eq(db.nr, 0);
	cr_assert_null(db.units);
	cr_assert_null(db.path);
	cr_assert_eq(db.dropped_options.nr, 0);
	cr_assert_not_null(db.dropped_options.v);
	cr_assert_null(db.dropped_options.v[0]);
}
