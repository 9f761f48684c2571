/*
 * DHAT's output (analyzers/dynamic/dhat.c): a real file
 * (tests/data/dhat/heap.json: twenty blocks from one function, one large
 * block from main, none read), program points merged by site, points
 * without source information, and files that are not DHAT's.
 */
#include <criterion/criterion.h>

#include "../../analyzers/dynamic/dhat.h"
#include "../../core/report.h"
#include "../../core/strbuf.h"

#include <string.h>

Test(dhat, reads_each_site_with_its_bytes_lifetimes_and_accesses)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	struct ma_alloc_profile p = { 0 };

	cr_assert_eq(strbuf_read_file(&text, "tests/data/dhat/heap.json", &err), 0, "%s", err.buf);
	cr_assert_eq(ma_dhat_parse(text.buf, text.len, "heap.json", &p, &err), 0, "%s", err.buf);
	cr_expect_str_eq(p.command, "./heap");
	cr_expect_str_eq(p.time_unit, "instrs");
	cr_expect_eq(p.short_lived, 500);
	cr_assert_eq(p.nr_sites, 2);
	cr_expect_str_eq(p.sites[0].function, "grow");
	cr_expect_str_eq(p.sites[0].file, "heap.c");
	cr_expect_eq(p.sites[0].line, 3);
	cr_expect_eq(p.sites[0].bytes, 210000);
	cr_expect_eq(p.sites[0].blocks, 20);
	cr_expect_eq(p.sites[0].reads, 0);
	cr_expect_eq(p.sites[0].writes, 210000);
	cr_expect_eq(p.sites[0].avg_lifetime, p.sites[0].total_lifetime / 20);
	cr_expect_eq(p.sites[1].bytes, 50000);
	ma_alloc_profile_release(&p);
	strbuf_release(&text);
	strbuf_release(&err);
}

Test(dhat, points_of_one_site_add_up_and_points_without_source_are_skipped)
{
	const char *json = "{\"dhatFileVersion\":2,\"cmd\":\"./t\",\"tu\":\"instrs\",\"te\":100,\"tuth\":500,"
			   "\"pps\":[{\"tb\":10,\"tbk\":1,\"tl\":40,\"mb\":10,\"rb\":5,\"wb\":10,\"fs\":[1,2]},"
			   "{\"tb\":30,\"tbk\":3,\"tl\":60,\"mb\":20,\"rb\":0,\"wb\":30,\"fs\":[1,2,3]},"
			   "{\"tb\":99,\"tbk\":1,\"tl\":1,\"mb\":99,\"rb\":0,\"wb\":0,\"fs\":[1,4]}],"
			   "\"ftbl\":[\"[root]\",\"0x1: malloc (in /usr/lib/vgpreload_dhat.so)\","
			   "\"0x2: make (m.c:7)\",\"0x3: main (m.c:20)\",\"0x4: strdup (in /usr/lib/libc.so.6)\"]}";
	struct strbuf err = STRBUF_INIT;
	struct ma_alloc_profile p = { 0 };

	cr_assert_eq(ma_dhat_parse(json, strlen(json), "t.json", &p, &err), 0, "%s", err.buf);
	cr_assert_eq(p.nr_sites, 1, "two points of m.c:7 are one site; strdup's has no source");
	cr_expect_eq(p.sites[0].bytes, 40);
	cr_expect_eq(p.sites[0].blocks, 4);
	cr_expect_eq(p.sites[0].reads, 5);
	cr_expect_eq(p.sites[0].avg_lifetime, 25);
	ma_alloc_profile_release(&p);
	strbuf_release(&err);
}

Test(dhat, other_files_are_refused)
{
	struct strbuf err = STRBUF_INIT;
	struct ma_alloc_profile p = { 0 };

	cr_expect_eq(ma_dhat_parse("{\"x\":1}", 7, "x.json", &p, &err), -1);
	cr_expect(strstr(err.buf, "x.json: not DHAT output") != NULL, "%s", err.buf);
	strbuf_reset(&err);
	cr_expect_eq(ma_dhat_parse("{\"pps\":[", 8, "cut.json", &p, &err), -1, "a file cut short is refused");
	ma_alloc_profile_release(&p);
	strbuf_release(&err);
}
