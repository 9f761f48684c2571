/*
 * memaudit version: memaudit's version and the libclang it parses with.
 */
#include "builtin.h"
#include "../core/parse-options.h"
#include "../core/strbuf.h"
#include "../core/version.h"

#include <clang-c/Index.h>
#include <stdio.h>

static const char *const version_usage[] = {
	"memaudit version",
	NULL,
};

int cmd_version(int argc, const char **argv, struct ma_ctx *ctx)
{
	struct option opts[] = { OPT_END() };
	struct strbuf err = STRBUF_INIT;
	CXString clang;
	int n;

	(void)ctx;
	n = parse_options(argc - 1, argv + 1, opts, version_usage, 0, &err);
	if (n == PARSE_OPT_HELP)
		return MA_EXIT_OK;
	if (n != 0) {
		if (n > 0)
			strbuf_addf(&err, "'memaudit version' takes no arguments, not '%s'", argv[1]);
		n = error_exit(MA_EXIT_USAGE, "%s", err.buf);
		strbuf_release(&err);
		return n;
	}
	clang = clang_getClangVersion();
	printf("memaudit %s (%s)\n", MA_VERSION, clang_getCString(clang));
	clang_disposeString(clang);
	return MA_EXIT_OK;
}
