/*
 * Running a command under each dynamic pass and reading what its
 * processes wrote (see dynamic_pass.h).  The passes are a table: a
 * Valgrind tool and its options, or the sanitizers' runtimes, with the
 * kind of file each process leaves (Valgrind XML, a sanitizer log, a
 * massif, DHAT or callgrind profile) and how its reports become findings.
 */
#include "dynamic_pass.h"
#include "callgrind.h"
#include "cost_profile.h"
#include "dhat.h"
#include "massif.h"
#include "memcheck.h"
#include "sanitizer_log.h"
#include "sanitizers.h"
#include "symbolize.h"
#include "threads.h"
#include "vg_finding.h"
#include "valgrind_xml.h"
#include "../../core/alloc.h"
#include "../../core/array.h"
#include "../../core/compdb.h"
#include "../../core/finding.h"
#include "../../core/follow.h"
#include "../../core/fs.h"
#include "../../core/path.h"
#include "../../core/report.h"
#include "../../core/spawn.h"
#include "../../core/strbuf.h"
#include "../../core/strvec.h"

#include <dirent.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* What one XML file's errors became, to apply its <errorcounts> to. */
struct file_findings {
	struct ma_finding **f;
	uint64_t *unique;
	size_t nr, alloc, alloc_unique;
	int unsorted;              /* the unique numbers did not come in increasing order */
};

struct per_file;

/* A Valgrind tool (its options beyond the output ones), or the sanitizers'
 * runtimes (logs: the command's programs are already built with them);
 * what each process writes, and how its reports become findings (NULL for
 * the profilers, which make profiles, not findings). */
struct tool {
	const char *name;
	const char *const *args;
	enum vg_verdict (*map)(const struct vg_error *e, struct per_file *pf, struct ma_finding **out);
	enum { OUT_XML, OUT_LOGS, OUT_MASSIF, OUT_DHAT, OUT_CALLGRIND } output;
};

struct xml_file;

struct collect {
	const char *root;
	const char *dir;           /* where the processes write their files */
	const struct tool *tool;
	struct ma_report *rep;
	size_t findings, not_ours, processes;
	struct strvec unplaced;    /* project binaries Valgrind found no lines in */
	struct strvec sources;     /* the names of the C and C++ files under root, sorted */
	int sources_read;
	struct xml_file **xml;     /* the XML files read while the command ran */
	size_t nr_xml, alloc_xml;
	size_t nr_sorted;          /* xml[0..nr_sorted) are sorted by name */
	struct ma_symbolizer *sym; /* the sanitizers' raw frames, resolved (one for the run) */
};

/* What one process's file gave, kept until it goes to the report: the
 * files are read while the command runs, in whatever order they grow, and
 * go to the report in the order the directory lists them afterwards. */
struct per_file {
	struct collect *c;
	struct file_findings ff;
	struct vg_threads threads; /* helgrind's thread announcements: numbers are per process */
	struct strvec unplaced;
	size_t not_ours;
};

static void per_file_init(struct per_file *pf, struct collect *c)
{
	memset(pf, 0, sizeof(*pf));
	pf->c = c;
	strvec_init(&pf->unplaced);
}

static void per_file_release(struct per_file *pf)
{
	for (size_t i = 0; i < pf->ff.nr; i++)
		ma_finding_free(pf->ff.f[i]);
	free(pf->ff.f);
	free(pf->ff.unique);
	vg_threads_release(&pf->threads);
	strvec_clear(&pf->unplaced);
}

static void note_unplaced(struct strvec *unplaced, const char *obj)
{
	if (!obj)
		return;
	for (size_t i = 0; i < unplaced->nr; i++)
		if (!strcmp(unplaced->v[i], obj))
			return;
	strvec_push(unplaced, obj);
}

static int on_error(const struct vg_error *e, void *data)
{
	struct per_file *pf = data;
	struct ma_finding *f;

	switch (pf->c->tool->map(e, pf, &f)) {
	case VG_FINDING:
		ALLOC_GROW(pf->ff.f, pf->ff.nr + 1, pf->ff.alloc);
		ALLOC_GROW(pf->ff.unique, pf->ff.nr + 1, pf->ff.alloc_unique);
		pf->ff.unsorted |= pf->ff.nr && pf->ff.unique[pf->ff.nr - 1] >= e->unique;
		pf->ff.f[pf->ff.nr] = f;
		pf->ff.unique[pf->ff.nr++] = e->unique;
		break;
	case VG_NOT_OURS:
		pf->not_ours++;
		note_unplaced(&pf->unplaced, vg_unplaced_binary(e, pf->c->root));
		break;
	case VG_IGNORED:
		break;
	}
	return 0;
}

static enum vg_verdict map_memcheck(const struct vg_error *e, struct per_file *pf, struct ma_finding **out)
{
	return ma_memcheck_finding(e, pf->c->root, out);
}

static enum vg_verdict map_helgrind(const struct vg_error *e, struct per_file *pf, struct ma_finding **out)
{
	return ma_helgrind_finding(e, pf->c->root, &pf->threads, out);
}

static enum vg_verdict map_drd(const struct vg_error *e, struct per_file *pf, struct ma_finding **out)
{
	return ma_drd_finding(e, pf->c->root, out);
}

static enum vg_verdict map_sanitizers(const struct vg_error *e, struct per_file *pf, struct ma_finding **out)
{
	return ma_sanitizer_finding(e, pf->c->root, out);
}

static const char *const memcheck_args[] = { "--leak-check=full", "--show-leak-kinds=definite,indirect,possible",
					     NULL };
static const char *const no_args[] = { NULL };

static const struct tool tools[] = {
	{ "memcheck", memcheck_args, map_memcheck, OUT_XML },
	{ "helgrind", no_args, map_helgrind, OUT_XML },
	{ "drd", no_args, map_drd, OUT_XML },
	{ "massif", no_args, NULL, OUT_MASSIF },
	{ "dhat", no_args, NULL, OUT_DHAT },
	{ "callgrind", no_args, NULL, OUT_CALLGRIND },
	{ "sanitizers", no_args, map_sanitizers, OUT_LOGS },
};

static const struct tool *tool_named(const char *name)
{
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (!strcmp(tools[i].name, name))
			return &tools[i];
	return NULL;
}

const char *ma_dynamic_pass_known(const char *name)
{
	const struct tool *t = tool_named(name);

	return t ? t->name : NULL;
}

/* The finding made of error `unique` in this file, or -1: errors come in
 * increasing order of their unique number, so a binary search (a scan in
 * a file that broke the order). */
static long finding_of(const struct file_findings *ff, uint64_t unique)
{
	size_t lo = 0, hi = ff->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ff->unique[mid] < unique)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ff->nr && ff->unique[lo] == unique)
		return (long)lo;
	for (size_t i = 0; ff->unsorted && i < ff->nr; i++)
		if (ff->unique[i] == unique)
			return (long)i;
	return -1;
}

/* Valgrind reports an error once per process and counts its repeats. */
static void on_count(uint64_t unique, uint64_t count, void *data)
{
	struct per_file *pf = data;
	long i;

	if (count > 1 && (i = finding_of(&pf->ff, unique)) >= 0)
		pf->ff.f[i]->count = (unsigned)count;
}

/* Hand one file's findings and notes to the report. */
static void merge_file(struct collect *c, struct per_file *pf)
{
	for (size_t i = 0; i < pf->ff.nr; i++)
		ma_findings_add(&c->rep->findings, pf->ff.f[i]);
	c->findings += pf->ff.nr;
	pf->ff.nr = 0;
	for (size_t i = 0; i < pf->unplaced.nr; i++)
		note_unplaced(&c->unplaced, pf->unplaced.v[i]);
	c->not_ours += pf->not_ours;
	c->processes++;
}

/* Protocols 4 to 6 (Valgrind 3.5 to today) share every element read here. */
static void note_protocol(struct collect *c, const struct vg_file_info *info)
{
	if (info->protocol >= 4 && info->protocol <= 6)
		return;
	for (size_t i = 0; i < c->rep->run.notes.nr; i++)
		if (strstr(c->rep->run.notes.v[i], "XML protocol"))
			return;
	strvec_pushf(&c->rep->run.notes, "Valgrind wrote XML protocol %d; memaudit reads 4 to 6, "
		     "so some of its reports may be misread", info->protocol);
}

static const struct vg_callbacks xml_callbacks = { .error = on_error, .count = on_count };

/* A process's XML file, read while Valgrind writes it. */
struct xml_file {
	char *name;
	struct per_file pf;
	struct vg_reader *r;       /* NULL once the file is whole: a test suite has thousands */
	struct vg_file_info info;
	int finished;              /* 0, or -1 with `err`: vg_reader_finish's answer once whole */
	struct strbuf err;
	int read_again;            /* bytes came after the end: read it all again after the run */
};

/* A fresh start for the file: no reports yet. */
static void xml_file_start(struct xml_file *x, struct collect *c)
{
	struct strbuf path = STRBUF_INIT;

	per_file_init(&x->pf, c);
	strbuf_addf(&path, "%s/%s", c->dir, x->name);
	x->r = vg_reader_new(path.buf, &xml_callbacks, &x->pf, &x->info);
	x->finished = 0;
	strbuf_init(&x->err, 0);
	x->read_again = 0;
	strbuf_release(&path);
}

static void xml_file_forget(struct xml_file *x)
{
	vg_reader_free(x->r);
	x->r = NULL;
	vg_file_info_release(&x->info);
	per_file_release(&x->pf);
	strbuf_release(&x->err);
}

/* The whole file, from the disk, into a fresh start. */
static void xml_file_read_again(struct xml_file *x, struct collect *c, const char *path)
{
	FILE *in = fopen(path, "rb");
	char buf[65536];
	size_t n;

	xml_file_forget(x);
	xml_file_start(x, c);
	while (in && (n = fread(buf, 1, sizeof(buf), in)) > 0 && !vg_reader_feed(x->r, buf, n))
		;
	if (in)
		fclose(in);
}

/* The follower's: a new file in the run's directory (a new process). */
static void *follow_file(const char *name, void *data)
{
	struct collect *c = data;
	struct xml_file *x;

	if (!ends_with(name, ".xml"))
		return NULL;
	x = ma_calloc(1, sizeof(*x));
	x->name = ma_strdup(name);
	xml_file_start(x, c);
	ALLOC_GROW(c->xml, c->nr_xml + 1, c->alloc_xml);
	c->xml[c->nr_xml++] = x;
	return x;
}

/* How many of buf[0..len) are in `set`, from the first. */
static size_t strspn_n(const char *buf, size_t len, const char *set)
{
	size_t n = 0;

	while (n < len && strchr(set, buf[n]) && buf[n])
		n++;
	return n;
}

/* The follower's: what the file gained.  A whole one is finished at once
 * (its parser is not kept: a test suite leaves thousands of files), and
 * not looked at again until the end. */
static int follow_bytes(void *file, const char *buf, size_t len)
{
	struct xml_file *x = file;

	if (!x->r) { /* Valgrind closed it: only white space may follow */
		x->read_again |= len > strspn_n(buf, len, " \t\r\n");
		return 1;
	}
	if (vg_reader_feed(x->r, buf, len))
		return 1;
	if (!x->info.complete)
		return 0;
	x->finished = vg_reader_finish(x->r, &x->err);
	vg_reader_free(x->r);
	x->r = NULL;
	return 1;
}

/* The follower's: the process exec'd, and the new program's Valgrind
 * started the file again; only its reports count, as when the file is
 * read after the run. */
static void follow_rewritten(void *file)
{
	struct xml_file *x = file;
	struct collect *c = x->pf.c;

	xml_file_forget(x);
	xml_file_start(x, c);
}

static const struct ma_follow_ops follow_ops = { follow_file, follow_bytes, follow_rewritten };

static void xml_file_free(struct xml_file *x)
{
	xml_file_forget(x);
	free(x->name);
	free(x);
}

static int cmp_xml_name(const void *a, const void *b)
{
	return strcmp((*(struct xml_file *const *)a)->name, (*(struct xml_file *const *)b)->name);
}

/* The file `name` as read during the run; one appeared since is read now. */
static struct xml_file *xml_file_named(struct collect *c, const char *name, const char *path)
{
	struct xml_file key = { .name = (char *)name }, *k = &key, **found, *x;

	found = c->nr_sorted ? bsearch(&k, c->xml, c->nr_sorted, sizeof(*c->xml), cmp_xml_name) : NULL;
	if (found && !(*found)->read_again)
		return *found;
	x = found ? *found : follow_file(name, c);
	xml_file_read_again(x, c, path);
	return x;
}

static void read_xml(struct collect *c, const char *name, const char *path)
{
	struct xml_file *x = xml_file_named(c, name, path);

	if (x->r) {
		x->finished = vg_reader_finish(x->r, &x->err);
		vg_reader_free(x->r);
		x->r = NULL;
	}
	if (x->finished < 0) {
		ma_report_add_failure(c->rep, NULL, 0, 0, x->err.buf);
		c->rep->run.partial = 1;
	} else {
		note_protocol(c, &x->info);
		if (!x->info.complete) {
			strbuf_addf(&x->err, "%s: cut short (process %ld, %s, was killed while Valgrind wrote it); "
				    "its findings so far are kept", path, x->info.pid, x->info.exe ? x->info.exe : "?");
			ma_report_add_failure(c->rep, NULL, 0, 0, x->err.buf);
			c->rep->run.partial = 1;
		}
	}
	merge_file(c, &x->pf);
}

#define MAX_HEAP_PROFILES 20

static void add_source_name(const char *path, void *data)
{
	const char *slash = strrchr(path, '/');

	if (ma_lang_of_file(path) >= 0)
		strvec_push(data, slash ? slash + 1 : path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Is `file` (a profiler names a site's file alone: "heap.c") the name of
 * one of the project's sources?  Profiles of make, the shell and the other
 * programs a test script starts have sites in libc's files only. */
static int names_a_project_file(struct collect *c, const char *file)
{
	const char *slash = file ? strrchr(file, '/') : NULL;
	const char *name = slash ? slash + 1 : file;

	if (!c->sources_read) {
		ma_walk_files(c->root, add_source_name, &c->sources);
		qsort(c->sources.v, c->sources.nr, sizeof(*c->sources.v), cmp_str);
		c->sources_read = 1;
	}
	return name && bsearch(&name, c->sources.v, c->sources.nr, sizeof(*c->sources.v), cmp_str);
}

static int heap_profile_is_ours(struct collect *c, const struct ma_heap_profile *p)
{
	for (size_t i = 0; i < p->nr_sites; i++)
		if (names_a_project_file(c, p->sites[i].file))
			return 1;
	return 0;
}

static int alloc_profile_is_ours(struct collect *c, const struct ma_alloc_profile *p)
{
	for (size_t i = 0; i < p->nr_sites; i++)
		if (names_a_project_file(c, p->sites[i].file))
			return 1;
	return 0;
}

/* massif.1234.out: one process's heap.  Kept when a site is in one of
 * the project's files. */
static void read_massif(struct collect *c, const char *path)
{
	struct ma_heap_profile prof = { 0 };
	struct strbuf err = STRBUF_INIT;
	FILE *in = fopen(path, "r");

	c->processes++;
	if (!in || ma_massif_parse(in, path, &prof, &err) < 0) {
		if (!in)
			strbuf_addf(&err, "%s: cannot be read", path);
		ma_report_add_failure(c->rep, NULL, 0, 0, err.buf);
		c->rep->run.partial = 1;
	} else if (heap_profile_is_ours(c, &prof)) {
		struct ma_report *rep = c->rep;
		ALLOC_GROW(rep->heap_profiles, rep->nr_heap_profiles + 1, rep->alloc_heap_profiles);
		rep->heap_profiles[rep->nr_heap_profiles++] = prof;
		memset(&prof, 0, sizeof(prof));
		c->findings++;
	} else {
		c->not_ours++;
	}
	if (in)
		fclose(in);
	ma_heap_profile_release(&prof);
	strbuf_release(&err);
}

/* dhat.1234.json: one process's allocations by site.  Kept when a site
 * is in one of the project's files. */
static void read_dhat(struct collect *c, const char *path)
{
	struct ma_alloc_profile prof = { 0 };
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	struct ma_report *rep = c->rep;

	c->processes++;
	if (strbuf_read_file(&text, path, &err) < 0 || ma_dhat_parse(text.buf, text.len, path, &prof, &err) < 0) {
		ma_report_add_failure(rep, NULL, 0, 0, err.buf);
		rep->run.partial = 1;
	} else if (alloc_profile_is_ours(c, &prof) && rep->nr_alloc_profiles < MAX_HEAP_PROFILES) {
		ALLOC_GROW(rep->alloc_profiles, rep->nr_alloc_profiles + 1, rep->alloc_alloc_profiles);
		rep->alloc_profiles[rep->nr_alloc_profiles++] = prof;
		memset(&prof, 0, sizeof(prof));
		c->findings++;
	} else {
		c->not_ours++;
	}
	ma_alloc_profile_release(&prof);
	strbuf_release(&err);
	strbuf_release(&text);
}

static uint64_t peak_of(const struct ma_heap_profile *p)
{
	return p->nr_snapshots ? p->snapshots[p->peak].heap : 0;
}

static int cmp_peak(const void *a, const void *b)
{
	uint64_t x = peak_of(a), y = peak_of(b);

	return (x < y) - (x > y);
}

/* The largest peaks first, and no more than MAX_HEAP_PROFILES of them. */
static void keep_largest_profiles(struct ma_report *rep)
{
	if (rep->nr_heap_profiles > 1)
		qsort(rep->heap_profiles, rep->nr_heap_profiles, sizeof(*rep->heap_profiles), cmp_peak);
	while (rep->nr_heap_profiles > MAX_HEAP_PROFILES)
		ma_heap_profile_release(&rep->heap_profiles[--rep->nr_heap_profiles]);
}

/* Into the run's profile of the same events (there is one unless
 * callgrind counted different events in different processes). */
static void add_cost_profile(struct ma_report *rep, const struct ma_cost_profile *p)
{
	for (size_t i = 0; i < rep->nr_cost_profiles; i++)
		if (!ma_cost_profile_merge(&rep->cost_profiles[i], p))
			return;
	ALLOC_GROW(rep->cost_profiles, rep->nr_cost_profiles + 1, rep->alloc_cost_profiles);
	ma_cost_profile_init(&rep->cost_profiles[rep->nr_cost_profiles]);
	ma_cost_profile_merge(&rep->cost_profiles[rep->nr_cost_profiles++], p);
}

/* callgrind.1234.out: one process's costs, added to the run's when it ran
 * a function of the project.  Added up, not kept per process as massif's
 * heaps are: a test suite runs the project's code in many short
 * processes, and "which of my functions cost the most" is a question about
 * all of them.  The shells, make and timeout that start those processes
 * ran no function of the project and are left out, so their costs cannot
 * drown the project's.  Callgrind creates the file when the process starts
 * and writes it when it ends: an empty one belongs to a process that was
 * killed, or that became a program run without Valgrind (exec). */
/* Is obj the program one of the profile's commands ran ("./lua t.lua"
 * ran .../lua)? */
static int ran_program(const struct ma_cost_profile *prof, const char *obj)
{
	const char *base = strrchr(obj, '/') ? strrchr(obj, '/') + 1 : obj;
	size_t base_len = strlen(base);

	for (size_t i = 0; i < prof->commands.nr; i++) {
		const char *cmd = prof->commands.v[i], *end = cmd + strcspn(cmd, " ");
		if ((size_t)(end - cmd) >= base_len && !strncmp(end - base_len, base, base_len) &&
		    (end - base_len == cmd || end[-(ptrdiff_t)base_len - 1] == '/'))
			return 1;
	}
	return 0;
}

/* The project's binary (under the root, or the program run) whose
 * functions callgrind named but could not place (no debug information):
 * the run's notes say why its costs are missing. */
static void note_binaries_without_lines(struct collect *c, const struct ma_cost_profile *prof)
{
	for (size_t i = 0; i < prof->nr_functions; i++) {
		const struct ma_cost_function *f = &prof->functions[i];
		if (f->object && (!f->file || !strcmp(f->file, "???")) &&
		    (ma_path_is_under(c->root, f->object) || ran_program(prof, f->object)))
			note_unplaced(&c->unplaced, f->object);
	}
}

static void read_callgrind(struct collect *c, const char *path)
{
	struct ma_cost_profile prof;
	struct strbuf err = STRBUF_INIT;
	struct stat st;
	FILE *in = NULL;

	c->processes++;
	if (!stat(path, &st) && !st.st_size) {
		c->not_ours++;
		return;
	}
	ma_cost_profile_init(&prof);
	if (!(in = fopen(path, "r")) || ma_callgrind_parse(in, path, &prof, &err) < 0) {
		if (!in)
			strbuf_addf(&err, "%s: cannot be read", path);
		else
			strbuf_addstr(&err, "; its costs so far are kept");
		ma_report_add_failure(c->rep, NULL, 0, 0, err.buf);
		c->rep->run.partial = 1;
	}
	if (ma_cost_profile_mark_project(&prof, c->root)) {
		add_cost_profile(c->rep, &prof);
		c->findings++;
	} else {
		c->not_ours++;
		note_binaries_without_lines(c, &prof);
	}
	if (in)
		fclose(in);
	ma_cost_profile_release(&prof);
	strbuf_release(&err);
}

/* asan.1234, ubsan.1234, ...: one log per process and runtime. */
static void read_log(struct collect *c, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	struct per_file pf;
	size_t records;

	per_file_init(&pf, c);
	if (sanitizer_parse_file(path, c->sym, on_error, &pf, &records, &err) < 0) {
		ma_report_add_failure(c->rep, NULL, 0, 0, err.buf);
		c->rep->run.partial = 1;
	}
	merge_file(c, &pf);
	per_file_release(&pf);
	strbuf_release(&err);
}

static void read_all(struct collect *c, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct strvec names = STRVEC_INIT;
	struct strbuf path = STRBUF_INIT;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (c->tool->output == OUT_XML ? ends_with(de->d_name, ".xml") : de->d_name[0] != '.')
			strvec_push(&names, de->d_name);
	closedir(d);
	if (c->nr_xml)
		qsort(c->xml, c->nr_xml, sizeof(*c->xml), cmp_xml_name);
	c->nr_sorted = c->nr_xml;
	for (size_t i = 0; i < names.nr; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir, names.v[i]);
		if (c->tool->output == OUT_LOGS)
			read_log(c, path.buf);
		else if (c->tool->output == OUT_MASSIF)
			read_massif(c, path.buf);
		else if (c->tool->output == OUT_DHAT)
			read_dhat(c, path.buf);
		else if (c->tool->output == OUT_CALLGRIND)
			read_callgrind(c, path.buf);
		else
			read_xml(c, names.v[i], path.buf);
	}
	strvec_clear(&names);
	strbuf_release(&path);
}

static void valgrind_argv(const struct ma_dynamic_opts *o, const struct tool *t, const char *dir,
			  struct strvec *argv)
{
	strvec_push(argv, "valgrind");
	strvec_pushf(argv, "--tool=%s", t->name);
	if (t->output == OUT_MASSIF) {
		strvec_pushf(argv, "--massif-out-file=%s/massif.%%p.out", dir);
	} else if (t->output == OUT_DHAT) {
		strvec_pushf(argv, "--dhat-out-file=%s/dhat.%%p.json", dir);
	} else if (t->output == OUT_CALLGRIND) {
		strvec_pushf(argv, "--callgrind-out-file=%s/callgrind.%%p.out", dir);
	} else {
		strvec_push(argv, "--xml=yes");
		strvec_pushf(argv, "--xml-file=%s/%%p.xml", dir);
	}
	/* Valgrind's own messages (its banner, an internal error) go to a log
	 * per process, never into the program's output; dot-named: not read
	 * as a profile */
	strvec_pushf(argv, "--log-file=%s/.valgrind.%%p.log", dir);
	/* shells and make are traced through: Valgrind does not follow the
	 * children of a program it skips */
	strvec_pushl(argv, "--trace-children=yes", "--child-silent-after-fork=yes", "--num-callers=30", NULL);
	/* every error: by default Valgrind stops reporting after 1000 different ones */
	strvec_push(argv, "--error-limit=no");
	strvec_pushv(argv, t->args);
	/* a skipped program's children are not traced either: for whole
	 * subtrees only.  One option with every pattern: a second would replace the first. */
	if (o->skip && o->skip[0]) {
		struct strbuf list = STRBUF_INIT;
		for (size_t i = 0; o->skip[i]; i++)
			strbuf_addf(&list, "%s%s", i ? "," : "", o->skip[i]);
		strvec_pushf(argv, "--trace-children-skip=%s", list.buf);
		strbuf_release(&list);
	}
	strvec_pushv(argv, o->run);
}

/* How the command ended, for the run's notes and failures. */
static void note_outcome(const struct ma_dynamic_opts *o, const struct tool *t,
			 const struct ma_spawn_result *res, struct ma_report *rep)
{
	struct strbuf how = STRBUF_INIT;

	ma_spawn_describe(res, &how);
	if (res->timed_out || res->interrupted) {
		struct strbuf msg = STRBUF_INIT;
		strbuf_addf(&msg, "the command '%s' under %s %s; the findings of its processes so far are kept",
			    o->run[0], t->name, how.buf);
		ma_report_add_failure(rep, NULL, 0, 0, msg.buf);
		rep->run.partial = 1;
		strbuf_release(&msg);
	} else if (res->exit_code || res->signal) {
		strvec_pushf(&rep->run.notes, "the command '%s' under %s %s", o->run[0], t->name, how.buf);
	}
	strbuf_release(&how);
}

/* The sanitizers' options: the user's, then a log file per process in
 * dir, and keep going after an error (with -fsanitize-recover); TSan
 * prints both acquisitions of each lock of a cycle (where the thread that
 * closed it took the lock it held places the finding). */
static void sanitizer_env(const char *dir, struct strvec *env)
{
	static const struct { const char *var, *file, *extra; } runtimes[] = {
		{ "ASAN_OPTIONS", "asan", "halt_on_error=0:detect_leaks=1" },
		{ "UBSAN_OPTIONS", "ubsan", "halt_on_error=0:print_stacktrace=1" },
		{ "LSAN_OPTIONS", "lsan", "" },
		{ "TSAN_OPTIONS", "tsan", "halt_on_error=0:second_deadlock_stack=1" },
		{ "MSAN_OPTIONS", "msan", "halt_on_error=0" },
	};

	for (size_t i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		const char *user = getenv(runtimes[i].var);
		strvec_pushf(env, "%s=%s%s%s%slog_path=%s/%s", runtimes[i].var, user ? user : "", user ? ":" : "",
			     runtimes[i].extra, *runtimes[i].extra ? ":" : "", dir, runtimes[i].file);
	}
}

/* Why a project binary's reports could not be placed, one note each: what
 * its DWARF says (none, or DWARF 5 for Valgrind), else that Valgrind found no lines. */
static void note_unplaced_binaries(const struct collect *c)
{
	struct strbuf note = STRBUF_INIT;
	int valgrind = c->tool->output != OUT_LOGS;

	for (size_t i = 0; i < c->unplaced.nr; i++) {
		strbuf_reset(&note);
		if (ma_dwarf_explain(c->unplaced.v[i], valgrind, &note))
			strvec_push(&c->rep->run.notes, note.buf);
		else if (valgrind)
			strvec_pushf(&c->rep->run.notes, "Valgrind found no line information in %s, so what it "
				     "saw there could not be placed in the sources: build it with -g", c->unplaced.v[i]);
	}
	strbuf_release(&note);
}

/*
 * The first line of an internal error of Valgrind in its log text ("valgrind:
 * m_mallocfree.c:303 (...): Assertion ... failed."), or NULL: a program that
 * writes over the heap metadata of the tool's allocator stops the tool
 * (massif, DHAT, callgrind have no redzones), and that process's profile
 * ends there.
 */
static const char *valgrind_internal_error(const char *log, size_t *len)
{
	for (const char *p = log; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, "valgrind: ", 10) || strstr(p, "the 'impossible' happened") == p) {
			*len = strcspn(p, "\n");
			return p;
		}
	}
	return NULL;
}

/* The program a Valgrind log is about, from its banner's "==PID== Command: ...". */
static void log_command(const char *log, struct strbuf *out)
{
	const char *p = strstr(log, "== Command: ");

	strbuf_reset(out);
	if (p) {
		p += strlen("== Command: ");
		strbuf_add(out, p, strcspn(p, "\n"));
	} else {
		strbuf_addstr(out, "a process");
	}
}

static void note_valgrind_failures(struct collect *c)
{
	DIR *d = opendir(c->dir);
	struct dirent *de;
	struct strbuf path = STRBUF_INIT, log = STRBUF_INIT, err = STRBUF_INIT, command = STRBUF_INIT;

	while (d && (de = readdir(d))) {
		const char *line;
		size_t len;

		if (strncmp(de->d_name, ".valgrind.", 10))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", c->dir, de->d_name);
		strbuf_reset(&log);
		strbuf_reset(&err);
		if (strbuf_read_file(&log, path.buf, &err) < 0 || !(line = valgrind_internal_error(log.buf, &len)))
			continue;
		log_command(log.buf, &command);
		strvec_pushf(&c->rep->run.notes, "%s: Valgrind stopped while running %s, whose results end "
			     "there (a program that corrupts the heap can break the tool; memcheck shows "
			     "where): %.*s", c->tool->name, command.buf, (int)len, line);
	}
	if (d)
		closedir(d);
	strbuf_release(&path);
	strbuf_release(&log);
	strbuf_release(&err);
	strbuf_release(&command);
}

/* One run of the command under tool t. */
static int run_tool(const struct ma_dynamic_opts *o, const struct tool *t, struct ma_report *rep,
		    struct strbuf *err)
{
	struct strbuf dir = STRBUF_INIT;
	struct strvec argv = STRVEC_INIT, env = STRVEC_INIT;
	struct ma_spawn_opts so = { .cwd = o->cwd, .timeout_ms = o->timeout_ms };
	struct ma_spawn_result res;
	struct collect c = { .root = o->root, .tool = t, .rep = rep, .unplaced = STRVEC_INIT,
			     .sources = STRVEC_INIT };
	struct ma_follow *follow;
	int ret = -1, spawned;

	if (o->quiet && o->log_path) {
		so.stdout_path = o->log_path;
		so.stderr_to_stdout = 1;
	}
	if (ma_mkdtemp(&dir, t->output == OUT_LOGS ? "memaudit-sanitizers" : "memaudit-valgrind", err) < 0)
		goto out;
	c.dir = dir.buf;
	if (t->output == OUT_LOGS) {
		c.sym = ma_symbolizer_new();
		sanitizer_env(dir.buf, &env);
		so.env = env.v;
		strvec_pushv(&argv, o->run);
	} else {
		valgrind_argv(o, t, dir.buf, &argv);
	}
	/* each process's XML is read while Valgrind writes it */
	follow = t->output == OUT_XML ? ma_follow_start(dir.buf, &follow_ops, &c) : NULL;
	spawned = ma_spawn_run(argv.v, &so, &res, err);
	if (follow)
		ma_follow_stop(follow);
	if (spawned < 0)
		goto out; /* "valgrind: not found" */
	strvec_push(&rep->run.passes, t->name);
	note_outcome(o, t, &res, rep);
	read_all(&c, dir.buf);
	if (t->output == OUT_CALLGRIND) {
		for (size_t i = 0; i < rep->nr_cost_profiles; i++)
			ma_cost_profile_trim(&rep->cost_profiles[i], MA_COST_OTHER_FUNCTIONS);
		strvec_pushf(&rep->run.notes, "callgrind: costs of %zu of %zu processes (the others ran no function "
			     "of the project: shells, make)", c.findings, c.processes);
	} else if (t->output == OUT_MASSIF || t->output == OUT_DHAT) {
		if (t->output == OUT_MASSIF)
			keep_largest_profiles(rep);
		strvec_pushf(&rep->run.notes, "%s: profiles of %zu of %zu processes (the others allocate "
			     "nothing in the project's sources)", t->name, c.findings, c.processes);
	} else {
		strvec_pushf(&rep->run.notes, "%s: %zu finding%s from %zu process%s; %zu report%s outside the "
			     "project's sources dropped", t->name, c.findings, c.findings == 1 ? "" : "s",
			     c.processes, c.processes == 1 ? "" : "es", c.not_ours, c.not_ours == 1 ? "" : "s");
	}
	note_unplaced_binaries(&c);
	if (t->output != OUT_LOGS)
		note_valgrind_failures(&c);
	ret = 0;
out:
	ma_symbolizer_free(c.sym);
	strvec_clear(&c.unplaced);
	strvec_clear(&c.sources);
	for (size_t i = 0; i < c.nr_xml; i++)
		xml_file_free(c.xml[i]);
	free(c.xml);
	if (dir.len)
		ma_remove_tree(dir.buf);
	strvec_clear(&argv);
	strvec_clear(&env);
	strbuf_release(&dir);
	return ret;
}

int ma_dynamic_run(const struct ma_dynamic_opts *o, struct ma_report *rep, struct strbuf *err)
{
	static const char *const memcheck_only[] = { "memcheck", NULL };
	const char *const *passes = o->passes && o->passes[0] ? o->passes : memcheck_only;

	for (size_t i = 0; passes[i]; i++) {
		const struct tool *t = tool_named(passes[i]);
		if (!t) {
			strbuf_addf(err, "unknown dynamic pass '%s'", passes[i]);
			return -1;
		}
		if (run_tool(o, t, rep, err) < 0)
			return -1;
	}
	return 0;
}
