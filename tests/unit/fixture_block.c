/* The check-output block of a dynamic fixture (see fixture_block.h). */
#include <criterion/criterion.h>

#include <string.h>

#include "fixture_block.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

void fixture_expected(const char *src, struct strvec *out)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const char *p, *end;

	cr_assert_eq(strbuf_read_file(&text, src, &err), 0, "%s", err.buf);
	p = strstr(text.buf, " * check-output-start\n");
	end = p ? strstr(p, " * check-output-end") : NULL;
	cr_assert(p && end, "%s: no check-output block", src);
	for (p = strchr(p, '\n') + 1; p < end; p = strchr(p, '\n') + 1)
		strvec_push_nodup(out, strndup(p + 3, (size_t)(strchr(p, '\n') - p - 3)));
	strbuf_release(&text);
	strbuf_release(&err);
}
