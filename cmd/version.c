#include "builtin.h"
#include "../core/version.h"

#include <clang-c/Index.h>
#include <stdio.h>

int cmd_version(int argc, const char **argv, struct ma_ctx *ctx)
{
	CXString clang = clang_getClangVersion();

	(void)argc;
	(void)argv;
	(void)ctx;
	printf("memaudit %s (%s)\n", MA_VERSION, clang_getCString(clang));
	clang_disposeString(clang);
	return MA_EXIT_OK;
}
