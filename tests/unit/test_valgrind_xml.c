/*
 * The Valgrind XML reader (analyzers/dynamic/valgrind_xml.c): a real
 * memcheck file (tests/data/valgrind/memcheck-bugs.xml, from a program
 * with a use after free, a heap overflow, a double free, uninitialised
 * reads and a leak), the same file cut short, malformed files, a file
 * that is not Valgrind's, and a fatal signal.
 */
#include <criterion/criterion.h>

#include "../../analyzers/dynamic/valgrind_xml.h"
#include "../../core/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define SAMPLE "tests/data/valgrind/memcheck-bugs.xml"

struct seen {
	char kinds[16][32];
	size_t n;
	struct vg_error first;      /* a copy of the fields checked */
	char first_fn[32], first_file[32], aux0[96], aux0_fn[32], aux1[64];
	unsigned first_line, first_frames;
	uint64_t leaked;
	size_t counts;
	uint64_t count_sum;
	int fatal_signo;
	uint64_t fatal_addr;
	char fatal_fn[32];
};

static int on_error(const struct vg_error *e, void *data)
{
	struct seen *s = data;

	if (s->n < 16)
		snprintf(s->kinds[s->n], sizeof(s->kinds[0]), "%s", e->kind ? e->kind : "?");
	if (s->n == 0) {
		snprintf(s->first_fn, sizeof(s->first_fn), "%s", e->stack.v[0].fn);
		snprintf(s->first_file, sizeof(s->first_file), "%s", e->stack.v[0].file);
		s->first_line = e->stack.v[0].line;
		s->first_frames = (unsigned)e->stack.nr;
		if (e->nr_aux >= 2) {
			snprintf(s->aux0, sizeof(s->aux0), "%s", e->aux[0].what);
			snprintf(s->aux0_fn, sizeof(s->aux0_fn), "%s", e->aux[0].stack.v[0].fn);
			snprintf(s->aux1, sizeof(s->aux1), "%s", e->aux[1].what);
		}
	}
	if (e->leaked_bytes)
		s->leaked = e->leaked_bytes;
	if (e->fatal) {
		s->fatal_signo = e->signo;
		s->fatal_addr = e->siaddr;
		if (e->stack.nr)
			snprintf(s->fatal_fn, sizeof(s->fatal_fn), "%s", e->stack.v[0].fn);
	}
	s->n++;
	return 0;
}

static void on_count(uint64_t unique, uint64_t count, void *data)
{
	struct seen *s = data;

	(void)unique;
	s->counts++;
	s->count_sum += count;
}

static const struct vg_callbacks callbacks = { .error = on_error, .count = on_count };

static int parse_text(const char *text, struct seen *s, struct vg_file_info *info, struct strbuf *err)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int ret;

	cr_assert(in);
	ret = vg_parse_stream(in, "mem.xml", &callbacks, s, info, err);
	fclose(in);
	return ret;
}

static char *read_sample(size_t *len)
{
	FILE *in = fopen(SAMPLE, "rb");
	char *buf;

	cr_assert(in, "cannot open %s", SAMPLE);
	fseek(in, 0, SEEK_END);
	*len = (size_t)ftell(in);
	rewind(in);
	buf = malloc(*len + 1);
	cr_assert_eq(fread(buf, 1, *len, in), *len);
	buf[*len] = '\0';
	fclose(in);
	return buf;
}

Test(valgrind_xml, reads_every_error_of_a_memcheck_file)
{
	struct seen s = { 0 };
	struct vg_file_info info;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(vg_parse_file(SAMPLE, &callbacks, &s, &info, &err), 0, "%s", err.buf);
	cr_expect_eq(info.protocol, 4);
	cr_expect_str_eq(info.tool, "memcheck");
	cr_expect_eq(info.pid, 5392);
	cr_expect_str_eq(info.exe, "./bug");
	cr_expect(info.complete);
	cr_expect_eq(s.n, 8);
	cr_expect_eq(info.errors, 8);
	cr_expect_str_eq(s.kinds[0], "InvalidRead");
	cr_expect_str_eq(s.kinds[1], "InvalidWrite");
	cr_expect_str_eq(s.kinds[2], "InvalidFree");
	cr_expect_str_eq(s.kinds[7], "Leak_DefinitelyLost");
	/* the first error: where, and the free and allocation stacks after it */
	cr_expect_str_eq(s.first_fn, "uaf");
	cr_expect_str_eq(s.first_file, "bug.c");
	cr_expect_eq(s.first_line, 4);
	cr_expect_eq(s.first_frames, 2);
	cr_expect(strstr(s.aux0, "inside a block of size 16 free'd"), "aux: %s", s.aux0);
	cr_expect_str_eq(s.aux0_fn, "free");
	cr_expect_str_eq(s.aux1, "Block was alloc'd at");
	cr_expect_eq(s.leaked, 32);
	cr_expect_eq(s.counts, 7);
	cr_expect_eq(s.count_sum, 7);
	vg_file_info_release(&info);
	strbuf_release(&err);
}

/* Protocols 5 and 6 (newer Valgrinds) keep every element protocol 4 has. */
Test(valgrind_xml, protocols_5_and_6_read_like_4)
{
	for (int version = 5; version <= 6; version++) {
		struct seen s = { 0 };
		struct vg_file_info info;
		struct strbuf err = STRBUF_INIT;
		size_t len;
		char *text = read_sample(&len), *v = strstr(text, "<protocolversion>4<");

		cr_assert(v, "the sample names protocol 4");
		v[strlen("<protocolversion>")] = (char)('0' + version);
		cr_assert_eq(parse_text(text, &s, &info, &err), 0, "%s", err.buf);
		cr_expect_eq(info.protocol, version);
		cr_expect_eq(s.n, 8, "protocol %d: every error", version);
		cr_expect_str_eq(s.kinds[2], "InvalidFree");
		cr_expect_eq(s.leaked, 32);
		vg_file_info_release(&info);
		strbuf_release(&err);
		free(text);
	}
}

Test(valgrind_xml, a_file_cut_short_keeps_the_errors_before_the_cut)
{
	size_t len;
	char *text = read_sample(&len);
	char *cut = strstr(strstr(strstr(text, "<error>") + 1, "<error>") + 1, "<error>");
	struct seen s = { 0 };
	struct vg_file_info info;
	struct strbuf err = STRBUF_INIT;

	cr_assert(cut);
	cut[40] = '\0'; /* inside the third error: the process was killed while writing */
	cr_expect_eq(parse_text(text, &s, &info, &err), 0, "%s", err.buf);
	cr_expect(!info.complete);
	cr_expect_eq(s.n, 2);
	cr_expect_eq(info.pid, 5392);
	vg_file_info_release(&info);
	strbuf_release(&err);
	free(text);
}

/* Read text through a vg_reader in pieces of `piece` bytes, as a file Valgrind is still writing. */
static int read_in_pieces(const char *text, size_t len, size_t piece, struct seen *s, struct vg_file_info *info,
			  struct strbuf *err)
{
	struct vg_reader *r = vg_reader_new("mem.xml", &callbacks, s, info);
	int ret;

	for (size_t at = 0; at < len; at += piece)
		if (vg_reader_feed(r, text + at, len - at < piece ? len - at : piece))
			break;
	ret = vg_reader_finish(r, err);
	vg_reader_free(r);
	return ret;
}

static void expect_same_errors(const struct seen *a, const struct seen *b, size_t piece)
{
	cr_expect_eq(a->n, b->n, "pieces of %zu", piece);
	for (size_t i = 0; i < a->n && i < 16; i++)
		cr_expect_str_eq(a->kinds[i], b->kinds[i], "pieces of %zu, error %zu", piece, i);
	cr_expect_str_eq(a->first_fn, b->first_fn, "pieces of %zu", piece);
	cr_expect_eq(a->first_line, b->first_line, "pieces of %zu", piece);
	cr_expect_eq(a->first_frames, b->first_frames, "pieces of %zu", piece);
	cr_expect_str_eq(a->aux0, b->aux0, "pieces of %zu", piece);
	cr_expect_str_eq(a->aux1, b->aux1, "pieces of %zu", piece);
	cr_expect_eq(a->leaked, b->leaked, "pieces of %zu", piece);
	cr_expect_eq(a->counts, b->counts, "pieces of %zu", piece);
	cr_expect_eq(a->count_sum, b->count_sum, "pieces of %zu", piece);
}

Test(valgrind_xml, a_file_read_in_pieces_gives_the_same_errors)
{
	static const size_t pieces[] = { 1, 2, 3, 7, 64, 1000, 1 << 20 };
	size_t len;
	char *text = read_sample(&len);
	struct seen whole = { 0 };
	struct vg_file_info info;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(parse_text(text, &whole, &info, &err), 0, "%s", err.buf);
	cr_assert_eq(whole.n, 8);
	vg_file_info_release(&info);
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		struct seen s = { 0 };
		cr_expect_eq(read_in_pieces(text, len, pieces[i], &s, &info, &err), 0, "%s", err.buf);
		cr_expect(info.complete);
		cr_expect_eq(info.pid, 5392);
		cr_expect_str_eq(info.exe, "./bug");
		expect_same_errors(&whole, &s, pieces[i]);
		vg_file_info_release(&info);
	}
	strbuf_release(&err);
	free(text);
}

Test(valgrind_xml, pieces_cut_short_or_malformed_end_as_a_whole_file_does)
{
	size_t len;
	char *text = read_sample(&len);
	char *third = strstr(strstr(strstr(text, "<error>") + 1, "<error>") + 1, "<error>");
	struct seen s = { 0 };
	struct vg_file_info info;
	struct strbuf err = STRBUF_INIT;

	/* killed while writing the third error */
	cr_expect_eq(read_in_pieces(text, (size_t)(third + 40 - text), 5, &s, &info, &err), 0, "%s", err.buf);
	cr_expect(!info.complete);
	cr_expect_eq(s.n, 2);
	vg_file_info_release(&info);
	/* garbage in the middle: an error naming its line, the errors before it kept */
	memcpy(third, "<eror>", 6);
	memset(&s, 0, sizeof(s));
	cr_expect_eq(read_in_pieces(text, len, 5, &s, &info, &err), -1);
	cr_expect(strstr(err.buf, "mem.xml:") && strstr(err.buf, "mismatched tag"), "message: %s", err.buf);
	cr_expect_eq(s.n, 2);
	vg_file_info_release(&info);
	strbuf_release(&err);
	free(text);
}

/* Indented like Valgrind's files, with blank lines, CRLF, a comment, a
 * processing instruction, CDATA and an empty-element tag around the
 * elements: the white space the reader drops before expat must change no
 * line number and no text. */
#define INDENTED \
	"<?xml version=\"1.0\"?>\r\n\r\n<valgrindoutput>\n  <protocolversion>4</protocolversion>\n" \
	"  <!-- a comment -->\n  <?pi x?>\n  <empty/>\n  <pid>12</pid>\n\n" \
	"  <error>\n    <unique>0x1</unique>\n    <kind>InvalidRead</kind>\n" \
	"    <what>  Invalid read \t of size 4 </what>\n    <stack>\n      <frame>\n" \
	"        <fn>w\xc3\xa4lk\xe2\x82\xac&gt;&lt;</fn>\n        <file>w.c</file>\n        <line>3</line>\n" \
	"      </frame>\n" \
	"    </stack>\n    <auxwhat><![CDATA[ raw ]]>  Address 0x10 is not stack'd</auxwhat>\n  </error>\n"

struct texts {
	char what[64], aux[64], fn[16];
	unsigned line;
	size_t n;
};

static int keep_texts(const struct vg_error *e, void *data)
{
	struct texts *t = data;

	snprintf(t->what, sizeof(t->what), "%s", e->what ? e->what : "(none)");
	snprintf(t->aux, sizeof(t->aux), "%s", e->nr_aux ? e->aux[0].what : "(none)");
	snprintf(t->fn, sizeof(t->fn), "%s", e->stack.nr ? e->stack.v[0].fn : "(none)");
	t->line = e->stack.nr ? e->stack.v[0].line : 0;
	t->n++;
	return 0;
}

Test(valgrind_xml, white_space_between_elements_changes_no_line_and_no_text)
{
	static const size_t pieces[] = { 1, 2, 5, 1 << 20 };
	const struct vg_callbacks cb = { .error = keep_texts };
	const char *good = INDENTED "</valgrindoutput>\n";
	const char *bad = INDENTED "  <error>\n    <kind>X</kind>\n  </eror>\n</valgrindoutput>\n";

	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
		struct texts t = { 0 };
		struct vg_file_info info;
		struct strbuf err = STRBUF_INIT;
		struct vg_reader *r = vg_reader_new("ind.xml", &cb, &t, &info);
		for (size_t at = 0; at < strlen(good); at += pieces[i])
			vg_reader_feed(r, good + at, strlen(good + at) < pieces[i] ? strlen(good + at) : pieces[i]);
		cr_expect_eq(vg_reader_finish(r, &err), 0, "pieces of %zu: %s", pieces[i], err.buf);
		vg_reader_free(r);
		cr_expect(info.complete);
		cr_expect_eq(info.pid, 12);
		cr_expect_eq(t.n, 1);
		cr_expect_str_eq(t.what, "Invalid read \t of size 4 ", "pieces of %zu", pieces[i]);
		cr_expect_str_eq(t.aux, "raw   Address 0x10 is not stack'd", "pieces of %zu", pieces[i]);
		cr_expect_str_eq(t.fn, "w\xc3\xa4lk\xe2\x82\xac><");
		cr_expect_eq(t.line, 3);
		vg_file_info_release(&info);

		r = vg_reader_new("ind.xml", &cb, &t, &info);
		for (size_t at = 0; at < strlen(bad); at += pieces[i])
			vg_reader_feed(r, bad + at, strlen(bad + at) < pieces[i] ? strlen(bad + at) : pieces[i]);
		cr_expect_eq(vg_reader_finish(r, &err), -1);
		cr_expect(strstr(err.buf, "ind.xml:25: mismatched tag"), "pieces of %zu: %s", pieces[i], err.buf);
		vg_reader_free(r);
		vg_file_info_release(&info);
		strbuf_release(&err);
	}
}

Test(valgrind_xml, malformed_xml_is_an_error_naming_the_line)
{
	struct seen s = { 0 };
	struct vg_file_info info;
	struct strbuf err = STRBUF_INIT;
	const char *bad = "<?xml version=\"1.0\"?>\n<valgrindoutput>\n<protocolversion>4</protocolversion>\n"
			  "<pid>7</pid>\n<error><kind>InvalidRead</kind></eror>\n<error></error>\n"
			  "</valgrindoutput>\n";

	cr_expect_eq(parse_text(bad, &s, &info, &err), -1);
	cr_expect(strstr(err.buf, "mem.xml:5:") != NULL, "message: %s", err.buf);
	cr_expect_eq(s.n, 0);
	vg_file_info_release(&info);
	strbuf_release(&err);
}

Test(valgrind_xml, other_xml_is_not_valgrind_output)
{
	struct seen s = { 0 };
	struct vg_file_info info;
	struct strbuf err = STRBUF_INIT;

	cr_expect_eq(parse_text("<?xml version=\"1.0\"?>\n<html><body/></html>\n", &s, &info, &err), -1);
	cr_expect(strstr(err.buf, "not Valgrind XML") != NULL, "message: %s", err.buf);
	strbuf_reset(&err);
	cr_expect_eq(parse_text("", &s, &info, &err), -1, "an empty file is not a report");
	vg_file_info_release(&info);
	strbuf_release(&err);
}

Test(valgrind_xml, a_fatal_signal_is_an_error_with_its_address)
{
	struct seen s = { 0 };
	struct vg_file_info info;
	struct strbuf err = STRBUF_INIT;
	const char *xml = "<?xml version=\"1.0\"?>\n<valgrindoutput>\n<protocolversion>4</protocolversion>\n"
			  "<pid>9</pid>\n<fatal_signal>\n<tid>1</tid>\n<signo>11</signo>\n"
			  "<signame>SIGSEGV</signame>\n<siaddr>0x10</siaddr>\n<stack>\n<frame><ip>0x1</ip>"
			  "<fn>walk</fn><dir>/s</dir><file>w.c</file><line>3</line></frame>\n</stack>\n"
			  "</fatal_signal>\n</valgrindoutput>\n";

	cr_assert_eq(parse_text(xml, &s, &info, &err), 0, "%s", err.buf);
	cr_expect_eq(s.n, 1);
	cr_expect_str_eq(s.kinds[0], "FatalSignal");
	cr_expect_eq(s.fatal_signo, 11);
	cr_expect_eq(s.fatal_addr, 0x10);
	cr_expect_str_eq(s.fatal_fn, "walk");
	cr_expect(info.complete);
	vg_file_info_release(&info);
	strbuf_release(&err);
}

struct announced {
	unsigned announce_thread, error_thread;
	char error_kind[16];
	size_t frames;
};

static int on_thread_record(const struct vg_error *e, void *data)
{
	struct announced *a = data;

	if (!strcmp(e->kind, "AnnounceThread")) {
		a->announce_thread = e->hthread;
		a->frames = e->stack.nr;
	} else {
		a->error_thread = e->hthread;
		snprintf(a->error_kind, sizeof(a->error_kind), "%s", e->kind);
	}
	return 0;
}

Test(valgrind_xml, helgrind_thread_announcements_are_records_with_their_thread)
{
	const char *xml = "<?xml version=\"1.0\"?>\n<valgrindoutput>\n<protocolversion>4</protocolversion>\n"
			  "<pid>9</pid>\n<announcethread>\n<hthreadid>2</hthreadid>\n<stack>\n<frame><ip>0x1</ip>"
			  "<fn>spawn</fn></frame>\n</stack>\n</announcethread>\n<error>\n<kind>Misc</kind>\n"
			  "<xwhat><text>Thread #2: Exiting thread still holds 1 lock</text><hthreadid>2</hthreadid>"
			  "</xwhat>\n</error>\n</valgrindoutput>\n";
	FILE *in = fmemopen((void *)xml, strlen(xml), "r");
	const struct vg_callbacks cb = { .error = on_thread_record };
	struct announced a = { 0 };
	struct vg_file_info info;
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(vg_parse_stream(in, "hg.xml", &cb, &a, &info, &err), 0, "%s", err.buf);
	fclose(in);
	cr_expect_eq(a.announce_thread, 2);
	cr_expect_eq(a.frames, 1);
	cr_expect_eq(a.error_thread, 2);
	cr_expect_str_eq(a.error_kind, "Misc");
	cr_expect_eq(info.errors, 1, "an announcement is not an error");
	vg_file_info_release(&info);
	strbuf_release(&err);
}
