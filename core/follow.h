#ifndef MA_FOLLOW_H
#define MA_FOLLOW_H
/*
 * Following the files a running command writes into a directory, while it
 * runs: a thread of its own looks at the directory every few milliseconds
 * and hands each file's new bytes to the caller, so that reading them
 * (Valgrind's XML: a parse and a finding per error) is done by the time
 * the command ends, on a core the command does not use.
 *
 *     static void *on_file(const char *name, void *data)   a new file: its state, NULL to skip it
 *     static int on_bytes(void *file, const char *buf, size_t len)
 *             ... non-zero: the file is whole for now (looked at again only by ma_follow_stop)
 *
 *     static void on_rewritten(void *file)   ... forget what it gave
 *
 *     static const struct ma_follow_ops ops = { on_file, on_bytes, on_rewritten };
 *     struct ma_follow *f = ma_follow_start(dir, &ops, data);
 *     ma_spawn_run(argv, ...);
 *     ma_follow_stop(f);
 *
 * Invariants:
 *  - the callbacks run on the follower's thread from ma_follow_start until
 *    ma_follow_stop, and on the caller's in ma_follow_stop: never two at
 *    once, and never after it returns.  Their data is the caller's, who
 *    must not touch it in between;
 *  - each file's bytes are handed over once, in order, and all of them:
 *    ma_follow_stop reads every file to its end (those resting too), with
 *    the command gone.  A file that shrank, or whose first bytes changed,
 *    was written again: `rewritten`, then its bytes from the first;
 *  - without a thread (pthread_create failed), ma_follow_stop does all of
 *    the reading: the same bytes, later.
 */
#include <stddef.h>

struct ma_follow_ops {
	void *(*file)(const char *name, void *data);
	int (*bytes)(void *file, const char *buf, size_t len);
	/* The file was written again from its start (a process that Valgrind
	 * traces exec'd: the new program's Valgrind truncates the same %p
	 * file): forget what it gave; its bytes come again from the first. */
	void (*rewritten)(void *file);
};

struct ma_follow;

struct ma_follow *ma_follow_start(const char *dir, const struct ma_follow_ops *ops, void *data);
/* Stop following: join the thread, then read what is left of every file. */
void ma_follow_stop(struct ma_follow *f);

#endif
