#ifndef MA_VG_FINDING_H
#define MA_VG_FINDING_H
/*
 * Placing a Valgrind error in the project: what every tool's mapping
 * (memcheck.c, threads.c) shares.  The finding goes to the innermost frame
 * of the error's stack inside the project root (not libc, not the
 * allocator, not Valgrind's preload); its events are the project frames
 * that called it, then the first project frame of each auxiliary stack
 * with its line ("0 bytes inside a block of size 16 free'd", "This
 * conflicts with a previous write ...").
 *
 *     struct ma_finding *f = vg_finding_at(e, root, rule, "invalid read of size 4", "memcheck");
 *     if (!f) ... no frame of the project: a shell's or make's report
 */
#include "valgrind_xml.h"

#include <string.h>

struct ma_finding;

/* An access this close to address 0 went through a NULL pointer. */
#define VG_NULL_PAGE 4096

/* Does s (which may be NULL) contain part?  The mappings read the tools' messages with it. */
static inline int vg_has(const char *s, const char *part)
{
	return s && strstr(s, part);
}

/* What a tool's mapping made of an error. */
enum vg_verdict {
	VG_FINDING,      /* a new finding (the caller owns it) */
	VG_IGNORED,      /* a kind memaudit does not report (still-reachable memory, ...) */
	VG_NOT_OURS,     /* no frame in the project: a shell's, make's or a library's */
};

/* A new finding for rule_id at e's innermost project frame, or NULL when
 * e's stack never enters the project. */
struct ma_finding *vg_finding_at(const struct vg_error *e, const char *root, const char *rule_id,
				 const char *message, const char *pass);
/* Like vg_finding_at, placed on the first project frame of aux stack k
 * (a lock's acquisition, a thread's creation) when the main stack has none. */
struct ma_finding *vg_finding_at_aux(const struct vg_error *e, size_t k, const char *root,
				     const char *rule_id, const char *message, const char *pass);
/* A mapping's answer: rule_id NULL (a kind not reported) is VG_IGNORED;
 * else *out is placed as vg_finding_at does, VG_NOT_OURS when it cannot be. */
enum vg_verdict vg_place(const struct vg_error *e, const char *root, const char *rule_id, const char *message,
			 const char *pass, struct ma_finding **out);
/* Placed on aux stack k (a race's earlier write, a lock cycle's first
 * acquisition) rather than e's own stack, which becomes an event; NULL
 * when aux stack k never enters the project. */
struct ma_finding *vg_finding_on_aux(const struct vg_error *e, size_t k, const char *root, const char *rule_id,
				     const char *message, const char *pass);
/* Placed on stack s instead of e's own (a thread's creation, for an error
 * raised as the thread ended); e's auxiliary stacks are still its events. */
struct ma_finding *vg_finding_on(const struct vg_error *e, const struct vg_stack *s, const char *root,
				 const char *rule_id, const char *message, const char *pass);
/* A binary of the project on e's stack without line information (Valgrind
 * could not read its debug info), or NULL. */
const char *vg_unplaced_binary(const struct vg_error *e, const char *root);
/* "Address 0x4a42040 is 0 bytes inside ..." -> "0 bytes inside ...": what differs between runs, cut. */
const char *vg_without_address(const char *aux);

#endif
