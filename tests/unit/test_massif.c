/*
 * massif's output (analyzers/dynamic/massif.c): a real file
 * (tests/data/massif/heap.out: twenty blocks grown by one function, half
 * freed, then a large one), a peak tree whose sites are under libc
 * frames, a file cut short before its peak tree, and a file that is not
 * massif's.
 */
#include <criterion/criterion.h>

#include "../../analyzers/dynamic/massif.h"
#include "../../core/report.h"
#include "../../core/strbuf.h"

#include <string.h>

static int parse_text(const char *text, struct ma_heap_profile *p, struct strbuf *err)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int ret = ma_massif_parse(in, "massif.1.out", p, err);

	fclose(in);
	return ret;
}

Test(massif, reads_every_snapshot_the_peak_and_its_sites)
{
	FILE *in = fopen("tests/data/massif/heap.out", "r");
	struct ma_heap_profile p = { 0 };
	struct strbuf err = STRBUF_INIT;

	cr_assert(in);
	cr_assert_eq(ma_massif_parse(in, "heap.out", &p, &err), 0, "%s", err.buf);
	fclose(in);
	cr_expect_str_eq(p.command, "./heap");
	cr_expect_str_eq(p.time_unit, "i");
	cr_expect_eq(p.nr_snapshots, 44);
	cr_expect_eq(p.peak, 21);
	cr_expect_eq(p.snapshots[p.peak].heap, 210000);
	cr_expect_eq(p.snapshots[p.peak].extra, 240);
	cr_expect_eq(p.snapshots[1].heap, 1000);
	cr_assert_eq(p.nr_sites, 1);
	cr_expect_str_eq(p.sites[0].function, "grow");
	cr_expect_str_eq(p.sites[0].file, "heap.c");
	cr_expect_eq(p.sites[0].line, 3);
	cr_expect_eq(p.sites[0].bytes, 210000);
	ma_heap_profile_release(&p);
	strbuf_release(&err);
}

Test(massif, a_site_under_library_frames_is_placed_on_its_first_source_frame)
{
	const char *text = "cmd: ./tool\ntime_unit: B\n#-----------\nsnapshot=0\n#-----------\ntime=10\n"
			   "mem_heap_B=300\nmem_heap_extra_B=8\nmem_stacks_B=0\nheap_tree=peak\n"
			   "n2: 300 (heap allocation functions) malloc/new/new[], --alloc-fns, etc.\n"
			   " n1: 200 0x4F: strdup (in /usr/lib/x86_64-linux-gnu/libc.so.6)\n"
			   "  n0: 200 0x10: copy_name (names.c:12)\n"
			   " n0: 100 0x20: load (load.c:40)\n";
	struct ma_heap_profile p = { 0 };
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(parse_text(text, &p, &err), 0, "%s", err.buf);
	cr_assert_eq(p.nr_sites, 2);
	cr_expect_str_eq(p.sites[0].function, "copy_name");
	cr_expect_str_eq(p.sites[0].file, "names.c");
	cr_expect_eq(p.sites[0].bytes, 200, "the bytes of the whole path under the root");
	cr_expect_str_eq(p.sites[1].function, "load");
	cr_expect_eq(p.sites[1].line, 40);
	ma_heap_profile_release(&p);
	strbuf_release(&err);
}

Test(massif, a_file_cut_before_its_peak_tree_takes_the_largest_snapshot)
{
	const char *text = "cmd: ./a\ntime_unit: i\n#-----------\nsnapshot=0\n#-----------\ntime=1\nmem_heap_B=10\n"
			   "#-----------\nsnapshot=1\n#-----------\ntime=2\nmem_heap_B=70\n"
			   "#-----------\nsnapshot=2\n#-----------\ntime=3\nmem_he";
	struct ma_heap_profile p = { 0 };
	struct strbuf err = STRBUF_INIT;

	cr_assert_eq(parse_text(text, &p, &err), 0, "%s", err.buf);
	cr_expect_eq(p.nr_snapshots, 3);
	cr_expect_eq(p.peak, 1);
	cr_expect_eq(p.nr_sites, 0);
	ma_heap_profile_release(&p);
	strbuf_release(&err);
}

Test(massif, other_files_are_refused)
{
	struct ma_heap_profile p = { 0 };
	struct strbuf err = STRBUF_INIT;

	cr_expect_eq(parse_text("<?xml version=\"1.0\"?>\n<valgrindoutput>\n", &p, &err), -1);
	cr_expect(strstr(err.buf, "massif.1.out: no snapshot") != NULL, "%s", err.buf);
	ma_heap_profile_release(&p);
	strbuf_release(&err);
}
