#ifndef MA_REPORT_H
#define MA_REPORT_H
/*
 * What one audit produced: the run (how it went) and its findings.  This is
 * the one structure every reporter reads; the JSON report is its faithful
 * serialisation (docs/formats.md).
 *
 * Invariants: `partial` is set whenever something that should have been
 * analysed was not (a TU that failed to parse, a pass that failed); every
 * such event has an entry in `failures`, which reporters surface (SARIF
 * toolExecutionNotifications, the text report's summary).
 *
 *     struct ma_report rep;
 *     ma_report_init(&rep);
 *     ma_report_add_failure(&rep, file, "expected ';' after expression");
 *     ...
 *     ma_report_release(&rep);
 */
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "strvec.h"

struct ma_baseline_run;

struct ma_failure {
	char *file;     /* the translation unit or input file, NULL for run-wide */
	unsigned line, column;
	char *message;
};

struct ma_run {
	const char *tool_version;
	char *read_tool_version;  /* tool_version's storage in a report read back from JSON */
	struct strvec command;    /* memaudit's own argv */
	char *root;               /* project root: paths in reports are relative to it */
	char *compile_db;         /* path of the compile database used */
	char *commit;             /* the git commit the root is a checkout of, NULL when none */
	char *branch;             /* its branch, NULL when detached or none */
	long long started;        /* UNIX time */
	double wall_seconds;
	double cpu_seconds;
	double parse_seconds;     /* summed over workers */
	double check_seconds;     /* summed over workers */
	int jobs;
	size_t tus_total;         /* translation units selected for analysis */
	size_t tus_analysed;
	size_t tus_failed;
	size_t tus_skipped;       /* entries that are not C/C++ */
	size_t tus_filtered;      /* entries excluded by --files */
	struct strvec passes;     /* "static", ... */
	struct strvec notes;      /* things the user should know (dropped options, ...) */
	struct ma_failure *failures;
	size_t nr_failures, alloc_failures;
	int partial;
	unsigned shard_index, shard_count; /* --shard K/N (core/shard.h); count 0 when not sharded */
	char *config;             /* the .memaudit.yml read (absolute), NULL when none */
	struct ma_baseline_run *baseline; /* --baseline: the comparison (core/baseline.h); NULL without one */
};

/* One process's heap over time (massif): every snapshot, the peak, and
 * the allocation sites that held the peak's bytes, largest first. */
struct ma_heap_snapshot {
	uint64_t time;       /* in the profile's time unit */
	uint64_t heap;       /* bytes the program asked for */
	uint64_t extra;      /* the allocator's overhead */
	uint64_t stacks;
};

struct ma_heap_site {
	char *function;
	char *file;          /* as the profiler names it (massif: the file name alone) */
	unsigned line;
	uint64_t bytes;
};

struct ma_heap_profile {
	char *command;
	char *time_unit;     /* "i" (instructions), "ms" or "B" (bytes allocated) */
	struct ma_heap_snapshot *snapshots;
	size_t nr_snapshots, alloc_snapshots;
	size_t peak;         /* index into snapshots */
	struct ma_heap_site *sites;
	size_t nr_sites, alloc_sites;
};

/* One process's allocations by site (DHAT): how much, how long they lived,
 * how much of them was read and written. */
struct ma_alloc_site {
	char *function;
	char *file;
	unsigned line;
	uint64_t bytes, blocks;   /* allocated over the whole run */
	uint64_t max_bytes;       /* live at once, at most */
	uint64_t total_lifetime;  /* of all its blocks, in the profile's time unit */
	uint64_t avg_lifetime;    /* total_lifetime / blocks */
	uint64_t reads, writes;   /* bytes */
};

struct ma_alloc_profile {
	char *command;
	char *time_unit;          /* "instrs" */
	uint64_t total_time;
	uint64_t short_lived;     /* a lifetime below this is short */
	struct ma_alloc_site *sites; /* largest first */
	size_t nr_sites, alloc_sites;
};

/* Where the instructions of a run went (callgrind), for each event it
 * counted ("Ir", instructions executed; more with --cache-sim and the
 * like): per function, and per caller and callee.  Each cost array has
 * one number per event, in the order of `events`. */
struct ma_cost_function {
	char *name;
	char *file;          /* as callgrind names it: absolute for the project's sources; "???" unknown */
	char *object;        /* the ELF object: the program or a library */
	unsigned line;       /* its entry, the first line callgrind gives it (the opening brace); 0 unknown */
	int in_project;      /* file is under the run's root */
	uint64_t calls;      /* times it was called */
	uint64_t *self;      /* its own instructions; one allocation with inclusive */
	uint64_t *inclusive; /* self and the calls it made to other functions */
};

struct ma_cost_edge {
	size_t caller, callee;  /* indices into functions */
	uint64_t calls;
	uint64_t *inclusive;    /* the callee's cost on behalf of this caller, its calls included */
};

struct ma_cost_profile {
	struct strvec events;   /* "Ir", ... */
	uint64_t *totals;
	struct strvec commands; /* the programs profiled, each command line once */
	size_t processes;       /* profiles merged into this one (one per process) */
	long pid;               /* of a profile read from one file; 0 once merged */
	struct ma_cost_function *functions;
	size_t nr_functions, alloc_functions;
	struct ma_cost_edge *edges;
	size_t nr_edges, alloc_edges;
};

struct ma_report {
	struct ma_run run;
	struct ma_findings findings;
	struct ma_heap_profile *heap_profiles;
	size_t nr_heap_profiles, alloc_heap_profiles;
	struct ma_alloc_profile *alloc_profiles;
	size_t nr_alloc_profiles, alloc_alloc_profiles;
	struct ma_cost_profile *cost_profiles;
	size_t nr_cost_profiles, alloc_cost_profiles;
};

void ma_heap_profile_release(struct ma_heap_profile *p);
void ma_alloc_profile_release(struct ma_alloc_profile *p);
void ma_cost_profile_init(struct ma_cost_profile *p);
void ma_cost_profile_release(struct ma_cost_profile *p);

void ma_report_init(struct ma_report *rep);
void ma_report_release(struct ma_report *rep);
void ma_report_add_failure(struct ma_report *rep, const char *file, unsigned line,
			   unsigned column, const char *message);

/*
 * What `src` (a pass that ran alongside the others, into a report of its
 * own) found, moved into `dst` ahead of what `dst` already holds: findings,
 * failures and notes; its unit counts and timings are added, `partial` and
 * `jobs` carried.  `src` is left empty (initialised).
 */
void ma_report_take_first(struct ma_report *dst, struct ma_report *src);

/*
 * What `src` (another part of the same run: a shard) holds, moved into
 * `dst` after what `dst` holds: findings, the failures and notes `dst`
 * does not have yet (a run-wide one is in every part), the passes it
 * lacks, profiles; unit counts and CPU times are added, `partial`
 * carried.  `src` is left empty (initialised).
 */
void ma_report_append(struct ma_report *dst, struct ma_report *src);

/* Every path under `from` (the root, failures, findings and their events)
 * moved under `to`: findings of a build made in a scratch copy of the
 * tree are shown in the tree itself. */
void ma_report_move_paths(struct ma_report *rep, const char *from, const char *to);

#endif
