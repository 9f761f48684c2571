#ifndef MA_COST_PROFILE_H
#define MA_COST_PROFILE_H
/*
 * Building, merging and trimming cost profiles (struct ma_cost_profile,
 * core/report.h): what callgrind.c reads one file into, and what the
 * callgrind pass makes of a whole run.
 *
 * A function is known by its name and its place: its source file, or its
 * ELF object when callgrind has no file for it ("???"), so that the
 * project's `parse` in src/parse.c is one function whichever program or
 * process ran it, while two libraries' anonymous "0x1f540" stay apart.
 * An edge is known by its caller and callee.  Lookups go through hash
 * tables (struct cost_tables) the caller keeps beside the profile while
 * it adds to it: a profile has thousands of functions, mostly libc's and
 * the dynamic loader's.
 *
 *     struct cost_tables t = { 0 };
 *     size_t f = cost_function_get(p, &t, "parse", "/src/parse.c", "/src/prog");
 *     p->functions[f].self[0] += 120;
 *     cost_tables_release(&t);
 *
 * Merging a run (dynamic_pass.c):
 *
 *     if (ma_cost_profile_mark_project(&one, root))   one process that ran the project's code
 *             ma_cost_profile_merge(&run, &one);
 *     ma_cost_profile_trim(&run, MA_COST_OTHER_FUNCTIONS);
 */
#include <stddef.h>
#include <stdint.h>

struct ma_cost_profile;
struct strvec;

struct cost_tables {
	size_t *fn_slot, fn_cap;     /* a function's index + 1; 0: empty */
	size_t *edge_slot, edge_cap; /* an edge's index + 1 */
};

void cost_tables_release(struct cost_tables *t);

/* Give an empty profile its events, with totals of zero. */
void cost_profile_set_events(struct ma_cost_profile *p, const struct strvec *events);
/* The function named name at (file, object), added with no cost when new.
 * The profile must have its events. */
size_t cost_function_get(struct ma_cost_profile *p, struct cost_tables *t, const char *name, const char *file,
			 const char *object);
/* The edge from caller to callee, added with no cost when new. */
size_t cost_edge_get(struct ma_cost_profile *p, struct cost_tables *t, size_t caller, size_t callee);

/* Set in_project on the functions whose file is under root (normalising
 * their path); how many are. */
size_t ma_cost_profile_mark_project(struct ma_cost_profile *p, const char *root);
/* Add from's functions, edges, totals, commands and processes into `into`
 * (an empty profile takes from's events).  -1 when the two count different
 * events (callgrind run with other options): nothing is added then. */
int ma_cost_profile_merge(struct ma_cost_profile *into, const struct ma_cost_profile *from);

/* Functions outside the project kept by ma_cost_profile_trim: the libc
 * calls that cost the most, not the hundreds the dynamic loader runs once. */
#define MA_COST_OTHER_FUNCTIONS 50

/* Keep every function of the project and the `others` costliest outside
 * it (by self cost of the first event), hottest first, and the edges
 * between the functions kept; commands sorted. */
void ma_cost_profile_trim(struct ma_cost_profile *p, size_t others);

#endif
