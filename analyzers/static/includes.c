/*
 * Which files each translation unit includes (`--changed-since`: a changed
 * header selects the units that include it).  A parse with function
 * bodies skipped: the preprocessor and the declarations, none of the work
 * the checkers need, on `jobs` threads that each own a CXIndex.
 */
#include "static_pass.h"
#include "../../core/alloc.h"
#include "../../core/compdb.h"
#include "../../core/path.h"
#include "../../core/strvec.h"

#include <clang-c/Index.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct includes_job {
	struct ma_compile_unit *const *units;
	size_t nr;
	struct strvec *includes;
	size_t next;
	pthread_mutex_t lock;
};

static void add_inclusion(CXFile file, CXSourceLocation *stack, unsigned depth, CXClientData data)
{
	struct strvec *out = data;
	CXString name = clang_getFileName(file);
	const char *s = clang_getCString(name);
	char *path;

	(void)stack;
	(void)depth;
	if (s && *s) {
		path = ma_strdup(s);
		ma_path_normalize(path);
		strvec_push_nodup(out, path);
	}
	clang_disposeString(name);
}

static void unit_includes(CXIndex index, const struct ma_compile_unit *u, struct strvec *out)
{
	struct strvec argv = STRVEC_INIT;
	CXTranslationUnit tu = NULL;

	ma_static_clang_args(&argv, u->args.v);
	if (clang_parseTranslationUnit2(index, u->file, argv.v, (int)argv.nr, NULL, 0,
					CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_Incomplete,
					&tu) == CXError_Success && tu) {
		clang_getInclusions(tu, add_inclusion, out);
		clang_disposeTranslationUnit(tu);
	}
	if (!out->nr) /* not even the unit's own file: it names itself all the same */
		strvec_push(out, u->file);
	strvec_clear(&argv);
}

static void *includes_worker(void *arg)
{
	struct includes_job *job = arg;
	CXIndex index = clang_createIndex(0, 0);

	for (;;) {
		size_t i;
		pthread_mutex_lock(&job->lock);
		i = job->next++;
		pthread_mutex_unlock(&job->lock);
		if (i >= job->nr)
			break;
		unit_includes(index, job->units[i], &job->includes[i]);
	}
	clang_disposeIndex(index);
	return NULL;
}

void ma_static_includes(struct ma_compile_unit *const *units, size_t nr, int jobs, struct strvec *includes)
{
	struct includes_job job = { .units = units, .nr = nr, .includes = includes };

	ma_static_prepare();
	pthread_mutex_init(&job.lock, NULL);
	ma_static_run_threads(ma_static_jobs(jobs, nr), includes_worker, &job);
	pthread_mutex_destroy(&job.lock);
}
