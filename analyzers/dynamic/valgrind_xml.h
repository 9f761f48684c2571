#ifndef MA_VALGRIND_XML_H
#define MA_VALGRIND_XML_H
/*
 * Valgrind's XML output (--xml=yes), protocol versions 4 to 6, as written
 * by memcheck, helgrind and drd: each <error> (its kind, what, stacks and
 * the "Address ... free'd" lines between them), <fatal_signal>, the final
 * <errorcounts> and <suppcounts>.
 *
 * The file is read in chunks by expat and each error is handed to a
 * callback as soon as its closing tag is read, then forgotten: a 50 MB
 * file needs the memory of one error, not of the file.
 *
 *     static int on_error(const struct vg_error *e, void *data) { ...; return 0; }
 *     struct vg_file_info info;
 *     if (vg_parse_file(path, &(struct vg_callbacks){ .error = on_error }, data,
 *                       &info, &err) < 0)
 *             ... err says why ("out.12.xml:40: not well-formed"); errors
 *                 handed over before that stay valid
 *     if (!info.complete) ... the process died before it finished writing
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct strbuf;

struct vg_frame {
	char *fn;       /* function, NULL when unknown */
	char *obj;      /* the binary or library */
	char *dir;      /* source directory and file, NULL without debug info */
	char *file;
	unsigned line;
	uint64_t ip;
	uint64_t offset; /* ip less obj's load address ("prog+0x1b2c3" in sanitizer logs), 0 when unknown */
};

struct vg_stack {
	struct vg_frame *v;
	size_t nr, alloc;
};

/* An <auxwhat> (or <xauxwhat>) line and the stack that follows it, if any. */
struct vg_aux {
	char *what;
	struct vg_stack stack;
};

/* Valgrind's errors have up to 3; a ThreadSanitizer report of a lock cycle
 * has two stacks per lock and one per thread. */
#define VG_MAX_AUX 12

struct vg_error {
	char *kind;              /* InvalidRead, Leak_DefinitelyLost, Race, ...; AnnounceThread for
				  * helgrind's <announcethread> (hthread and the stack that created it) */
	char *what;              /* <what>, or <xwhat><text> */
	struct vg_stack stack;   /* where it happened (the first stack) */
	struct vg_aux aux[VG_MAX_AUX];
	size_t nr_aux;
	uint64_t unique;         /* <unique>: the key of <errorcounts> */
	unsigned tid;
	unsigned hthread;        /* helgrind's thread number (<hthreadid>): the error's, or the one announced */
	uint64_t leaked_bytes, leaked_blocks;
	int fatal;               /* from <fatal_signal>: signo in `signo` */
	int signo;
	char *signame;           /* SIGSEGV */
	uint64_t siaddr;         /* the faulting address */
	int has_siaddr;
};

struct vg_file_info {
	int protocol;            /* <protocolversion> */
	char tool[16];           /* memcheck, helgrind, drd */
	long pid, ppid;
	char *exe;               /* the program this process ran (argv's <exe>) */
	size_t errors;           /* errors handed to the callback */
	uint64_t suppressed;     /* errors suppressed (<suppcounts>) */
	int complete;            /* </valgrindoutput> was read */
};

struct vg_callbacks {
	/* each error as it is read; non-zero stops the parse */
	int (*error)(const struct vg_error *e, void *data);
	/* each <errorcounts> pair: how many times error `unique` happened */
	void (*count)(uint64_t unique, uint64_t count, void *data);
};

/* 0 when the whole file was read (complete or not), -1 with err set when it
 * could not be opened or is not Valgrind XML, or is malformed. */
int vg_parse_file(const char *path, const struct vg_callbacks *cb, void *data,
		  struct vg_file_info *info, struct strbuf *err);
/* The same from a stream (path names it in messages). */
int vg_parse_stream(FILE *in, const char *path, const struct vg_callbacks *cb, void *data,
		    struct vg_file_info *info, struct strbuf *err);

/*
 * The same, fed piece by piece: a file read while Valgrind still writes
 * it.  Errors are handed to cb as their closing tags arrive; finish once
 * the writer is gone.
 *
 *     struct vg_reader *r = vg_reader_new(path, &cb, data, &info);
 *     while (... more bytes ...)
 *             if (vg_reader_feed(r, buf, n)) break;      (it wants no more)
 *     ret = vg_reader_finish(r, &err);                    (as vg_parse_stream's)
 *     vg_reader_free(r);
 */
struct vg_reader;
struct vg_reader *vg_reader_new(const char *path, const struct vg_callbacks *cb, void *data,
				struct vg_file_info *info);
/* Non-zero when the reader wants no more: the bytes so far are malformed
 * or not Valgrind's, or the callback stopped it. */
int vg_reader_feed(struct vg_reader *r, const char *buf, size_t len);
/* The end of the input: 0, or -1 with err set (see vg_parse_file). */
int vg_reader_finish(struct vg_reader *r, struct strbuf *err);
void vg_reader_free(struct vg_reader *r);
void vg_file_info_release(struct vg_file_info *info);
/* Free what an error owns and zero it (for readers that fill one, like sanitizer_log.c). */
void vg_error_release(struct vg_error *e);
/* A deep copy of s into out (released with vg_stack_release). */
void vg_stack_copy(struct vg_stack *out, const struct vg_stack *s);
void vg_stack_release(struct vg_stack *s);

#endif
