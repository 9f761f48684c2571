/*
 * SARIF 2.1.0, shaped for GitHub code scanning (validated in the tests with
 * `Sarif.Multitool validate --rule-kind "Gh;Sarif"`):
 *  - every catalogue rule in tool.driver.rules, with help, helpUri, tags
 *    (external/cwe/cwe-N), precision and security-severity;
 *  - results point into artifacts by uri relative to %SRCROOT% (the
 *    project root), carry partialFingerprints.primaryLocationLineHash and
 *    their event path as a codeFlow;
 *  - the invocation says whether the run was complete, and each unit that
 *    failed to parse is a toolExecutionNotification;
 *  - a suppressed finding stays a result, with its `suppressions`.
 */
#include "reporter.h"
#include "../core/alloc.h"
#include "../core/baseline.h"
#include "../core/compdb.h"
#include "../core/finding.h"
#include "../core/hash.h"
#include "../core/path.h"
#include "../core/report.h"
#include "../core/rules.h"
#include "../core/strbuf.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SRCROOT "%SRCROOT%"

/* RFC 3986: keep unreserved characters and '/', percent-encode the rest. */
static void add_uri_path(struct strbuf *sb, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p))
			strbuf_addch(sb, *p);
		else
			strbuf_addf(sb, "%%%02X", *p);
	}
}

/* Artifacts are listed once each, in first-seen order. */
struct artifacts {
	const char **files;
	size_t nr, alloc;
};

static int artifact_index(struct artifacts *a, const char *file)
{
	for (size_t i = 0; i < a->nr; i++)
		if (!strcmp(a->files[i], file))
			return (int)i;
	if (a->nr == a->alloc) {
		a->alloc = a->alloc ? 2 * a->alloc : 16;
		a->files = ma_realloc(a->files, st_mult(a->alloc, sizeof(*a->files)));
	}
	a->files[a->nr] = file;
	return (int)a->nr++;
}

static cJSON *artifact_location(const struct ma_report *rep, const char *file, int index)
{
	cJSON *al = cJSON_CreateObject();
	struct strbuf uri = STRBUF_INIT;
	int inside = rep->run.root && ma_path_is_under(rep->run.root, file);

	if (inside) {
		add_uri_path(&uri, ma_path_relative(rep->run.root, file));
	} else {
		strbuf_addstr(&uri, "file://");
		add_uri_path(&uri, file);
	}
	cJSON_AddStringToObject(al, "uri", uri.buf);
	if (inside)
		cJSON_AddStringToObject(al, "uriBaseId", SRCROOT);
	if (index >= 0)
		ma_json_add_int(al, "index", index);
	strbuf_release(&uri);
	return al;
}

static cJSON *physical_location(const struct ma_report *rep, struct artifacts *arts,
				const struct ma_location *loc)
{
	cJSON *pl = cJSON_CreateObject(), *region = cJSON_CreateObject();

	cJSON_AddItemToObject(pl, "artifactLocation",
			      artifact_location(rep, loc->file, artifact_index(arts, loc->file)));
	ma_json_add_int(region, "startLine", loc->line ? loc->line : 1);
	if (loc->column)
		ma_json_add_int(region, "startColumn", loc->column);
	cJSON_AddItemToObject(pl, "region", region);
	return pl;
}

static cJSON *location(const struct ma_report *rep, struct artifacts *arts,
		       const struct ma_location *loc, const char *message)
{
	cJSON *l = cJSON_CreateObject();

	if (loc->file) /* a finding about the whole program has no file */
		cJSON_AddItemToObject(l, "physicalLocation", physical_location(rep, arts, loc));
	if (loc->function) {
		cJSON *ll = cJSON_CreateArray(), *fn = cJSON_CreateObject();
		cJSON_AddStringToObject(fn, "name", loc->function);
		cJSON_AddStringToObject(fn, "kind", "function");
		cJSON_AddItemToArray(ll, fn);
		cJSON_AddItemToObject(l, "logicalLocations", ll);
	}
	if (message) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddStringToObject(m, "text", message);
		cJSON_AddItemToObject(l, "message", m);
	}
	return l;
}

static cJSON *text_object(const char *key, const char *text)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, key, text);
	return o;
}

static const char *sarif_level(enum ma_severity s)
{
	return s == MA_SEV_ERROR ? "error" : s == MA_SEV_WARNING ? "warning" : "note";
}

static cJSON *rule_tags(const struct ma_rule *r)
{
	cJSON *tags = cJSON_CreateArray();
	const char *p = r->tags;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char *t = ma_strndup(p, n);
		cJSON_AddItemToArray(tags, cJSON_CreateString(t));
		free(t);
		p += n + (comma ? 1 : 0);
	}
	if (r->cwe) {
		char buf[40];
		snprintf(buf, sizeof(buf), "external/cwe/cwe-%d", r->cwe);
		cJSON_AddItemToArray(tags, cJSON_CreateString(buf));
	}
	return tags;
}

/* "use-after-free" -> "UseAfterFree": SARIF's reportingDescriptor.name is an identifier. */
static void rule_name(const char *id, struct strbuf *out)
{
	int up = 1;

	for (; *id; id++) {
		if (*id == '-') {
			up = 1;
			continue;
		}
		strbuf_addch(out, up ? toupper((unsigned char)*id) : *id);
		up = 0;
	}
}

static cJSON *rule_json(const struct ma_rule *r)
{
	cJSON *o = cJSON_CreateObject(), *help = cJSON_CreateObject(), *props = cJSON_CreateObject();
	cJSON *conf = cJSON_CreateObject();
	struct strbuf name = STRBUF_INIT, text = STRBUF_INIT, md = STRBUF_INIT;

	rule_name(r->id, &name);
	cJSON_AddStringToObject(o, "id", r->id);
	cJSON_AddStringToObject(o, "name", name.buf);
	cJSON_AddItemToObject(o, "shortDescription", text_object("text", r->title));
	cJSON_AddItemToObject(o, "fullDescription", text_object("text", r->description));
	strbuf_addf(&text, "%s\n\nHow to fix: %s", r->description, r->fix);
	strbuf_addf(&md, "%s\n\n**How to fix:** %s\n\n[Rule documentation](%s%s.md)", r->description,
		    r->fix, MA_DOCS_BASE_URL, r->id);
	cJSON_AddStringToObject(help, "text", text.buf);
	cJSON_AddStringToObject(help, "markdown", md.buf);
	cJSON_AddItemToObject(o, "help", help);
	strbuf_reset(&text);
	strbuf_addf(&text, "%s%s.md", MA_DOCS_BASE_URL, r->id);
	cJSON_AddStringToObject(o, "helpUri", text.buf);
	cJSON_AddStringToObject(conf, "level", sarif_level(r->severity));
	cJSON_AddItemToObject(o, "defaultConfiguration", conf);
	cJSON_AddItemToObject(props, "tags", rule_tags(r));
	cJSON_AddStringToObject(props, "precision", r->precision);
	cJSON_AddStringToObject(props, "security-severity", r->security_severity);
	cJSON_AddItemToObject(o, "properties", props);
	strbuf_release(&name);
	strbuf_release(&text);
	strbuf_release(&md);
	return o;
}

static cJSON *code_flow(const struct ma_report *rep, struct artifacts *arts,
			const struct ma_finding *f)
{
	cJSON *flows = cJSON_CreateArray(), *flow = cJSON_CreateObject();
	cJSON *threads = cJSON_CreateArray(), *thread = cJSON_CreateObject();
	cJSON *locs = cJSON_CreateArray();

	for (size_t i = 0; i < f->nr_events; i++) {
		cJSON *tfl = cJSON_CreateObject();
		cJSON_AddItemToObject(tfl, "location",
				      location(rep, arts, &f->events[i].loc, f->events[i].message));
		ma_json_add_int(tfl, "nestingLevel", 0);
		ma_json_add_int(tfl, "executionOrder", i + 1);
		cJSON_AddItemToArray(locs, tfl);
	}
	cJSON_AddItemToObject(thread, "locations", locs);
	cJSON_AddItemToArray(threads, thread);
	cJSON_AddItemToObject(flow, "threadFlows", threads);
	cJSON_AddItemToArray(flows, flow);
	return flows;
}

/* [{kind, status, justification, location}]: GitHub code scanning shows a
 * result with an accepted suppression as a dismissed alert.  An inline one
 * is "inSource" and points at its comment; the configuration's is "external". */
static cJSON *suppressions_json(const struct ma_report *rep, struct artifacts *arts,
				const struct ma_finding *f)
{
	cJSON *a = cJSON_CreateArray(), *s = cJSON_CreateObject();
	int in_source = f->suppression.kind == MA_SUPPRESSION_INLINE;

	cJSON_AddStringToObject(s, "kind", in_source ? "inSource" : "external");
	cJSON_AddStringToObject(s, "status", "accepted");
	cJSON_AddStringToObject(s, "justification", f->suppression.reason ? f->suppression.reason : "");
	if (in_source && f->loc.file && f->suppression.line) {
		struct ma_location at = { .file = f->loc.file, .line = f->suppression.line };
		cJSON_AddItemToObject(s, "location", location(rep, arts, &at, NULL));
	}
	cJSON_AddItemToArray(a, s);
	return a;
}

static cJSON *result_json(const struct ma_report *rep, struct artifacts *arts,
			  const struct ma_finding *f)
{
	const struct ma_rule *rule = ma_rule_find(f->rule_id);
	cJSON *o = cJSON_CreateObject(), *locs = cJSON_CreateArray(), *fp = cJSON_CreateObject();
	cJSON *props = cJSON_CreateObject();
	char hex[17], buf[40];

	cJSON_AddStringToObject(o, "ruleId", f->rule_id);
	if (rule)
		ma_json_add_int(o, "ruleIndex", ma_rule_index(rule));
	cJSON_AddStringToObject(o, "level", sarif_level(f->severity));
	cJSON_AddItemToObject(o, "message", text_object("text", f->message));
	cJSON_AddItemToArray(locs, location(rep, arts, &f->loc, NULL));
	cJSON_AddItemToObject(o, "locations", locs);
	ma_hash_hex(f->line_hash, hex);
	snprintf(buf, sizeof(buf), "%s:%u", hex, f->occurrence);
	cJSON_AddStringToObject(fp, "primaryLocationLineHash", buf);
	cJSON_AddStringToObject(fp, "memaudit/v1", f->fingerprint);
	cJSON_AddItemToObject(o, "partialFingerprints", fp);
	if (f->nr_events)
		cJSON_AddItemToObject(o, "codeFlows", code_flow(rep, arts, f));
	cJSON_AddStringToObject(props, "pass", f->pass);
	if (f->also_by)
		cJSON_AddStringToObject(props, "alsoBy", f->also_by);
	ma_json_add_int(props, "count", f->count);
	if (f->confirmed_by) { /* a run proved it: ranked above the guesses */
		cJSON_AddBoolToObject(props, "confirmed", 1);
		cJSON_AddStringToObject(props, "confirmedBy", f->confirmed_by);
		cJSON_AddNumberToObject(o, "rank", 100.0);
	}
	if (f->cwe)
		ma_json_add_int(props, "cwe", f->cwe);
	cJSON_AddItemToObject(o, "properties", props);
	if (f->suppression.kind)
		cJSON_AddItemToObject(o, "suppressions", suppressions_json(rep, arts, f));
	if (f->baseline_state != MA_BASELINE_NONE)
		cJSON_AddStringToObject(o, "baselineState", f->baseline_state == MA_BASELINE_NEW ? "new" : "unchanged");
	return o;
}

/*
 * A baseline entry no finding matched, as SARIF's "absent" result: only
 * for `memaudit diff`.  An audit's SARIF is for code scanning, which would
 * open alerts for them; there the fixed ones are only in the JSON report.
 */
static cJSON *absent_result_json(const struct ma_report *rep, struct artifacts *arts,
				 const struct ma_baseline_entry *e)
{
	const struct ma_rule *rule = ma_rule_find(e->rule_id);
	cJSON *o = cJSON_CreateObject(), *locs = cJSON_CreateArray(), *fp = cJSON_CreateObject();
	struct ma_location loc = { .file = e->file, .line = e->line, .function = e->function };

	cJSON_AddStringToObject(o, "ruleId", e->rule_id);
	if (rule)
		ma_json_add_int(o, "ruleIndex", ma_rule_index(rule));
	cJSON_AddStringToObject(o, "level", sarif_level(e->severity));
	cJSON_AddItemToObject(o, "message", text_object("text", e->message ? e->message : rule ? rule->title : e->rule_id));
	cJSON_AddItemToArray(locs, location(rep, arts, &loc, NULL));
	cJSON_AddItemToObject(o, "locations", locs);
	cJSON_AddStringToObject(fp, "memaudit/v1", e->fingerprint);
	cJSON_AddItemToObject(o, "partialFingerprints", fp);
	cJSON_AddStringToObject(o, "baselineState", "absent");
	return o;
}

static cJSON *driver_json(const struct ma_report *rep)
{
	cJSON *d = cJSON_CreateObject(), *rules = cJSON_CreateArray();

	cJSON_AddStringToObject(d, "name", "memaudit");
	cJSON_AddStringToObject(d, "version", rep->run.tool_version);
	cJSON_AddStringToObject(d, "semanticVersion", rep->run.tool_version);
	cJSON_AddStringToObject(d, "informationUri", MA_HOME_URL);
	for (size_t i = 0; i < ma_nr_rules; i++)
		cJSON_AddItemToArray(rules, rule_json(&ma_rules[i]));
	cJSON_AddItemToObject(d, "rules", rules);
	return d;
}

static cJSON *notification(const struct ma_report *rep, struct artifacts *arts,
			   const struct ma_failure *f)
{
	cJSON *n = cJSON_CreateObject();

	cJSON_AddStringToObject(n, "level", "error");
	cJSON_AddItemToObject(n, "message", text_object("text", f->message));
	if (f->file) {
		struct ma_location loc = { .file = f->file, .line = f->line, .column = f->column };
		cJSON *locs = cJSON_CreateArray();
		cJSON_AddItemToArray(locs, location(rep, arts, &loc, NULL));
		cJSON_AddItemToObject(n, "locations", locs);
	}
	return n;
}

static cJSON *invocation_json(const struct ma_report *rep, struct artifacts *arts)
{
	cJSON *inv = cJSON_CreateObject(), *notes = cJSON_CreateArray(), *args = cJSON_CreateArray();

	cJSON_AddBoolToObject(inv, "executionSuccessful", !rep->run.partial);
	for (size_t i = 0; i < rep->run.command.nr; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(rep->run.command.v[i]));
	cJSON_AddItemToObject(inv, "arguments", args);
	for (size_t i = 0; i < rep->run.nr_failures; i++)
		cJSON_AddItemToArray(notes, notification(rep, arts, &rep->run.failures[i]));
	cJSON_AddItemToObject(inv, "toolExecutionNotifications", notes);
	return inv;
}

static cJSON *artifacts_json(const struct ma_report *rep, const struct artifacts *arts)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < arts->nr; i++) {
		cJSON *o = cJSON_CreateObject(), *roles = cJSON_CreateArray();
		int lang = ma_lang_of_file(arts->files[i]);
		cJSON_AddItemToObject(o, "location", artifact_location(rep, arts->files[i], -1));
		cJSON_AddItemToArray(roles, cJSON_CreateString("resultFile"));
		cJSON_AddItemToObject(o, "roles", roles);
		if (lang >= 0)
			cJSON_AddStringToObject(o, "sourceLanguage", lang == MA_LANG_CXX ? "cplusplus" : "c");
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *base_ids(const struct ma_report *rep)
{
	cJSON *ids = cJSON_CreateObject(), *src = cJSON_CreateObject();
	struct strbuf uri = STRBUF_INIT;

	strbuf_addstr(&uri, "file://");
	add_uri_path(&uri, rep->run.root ? rep->run.root : "/");
	if (uri.buf[uri.len - 1] != '/')
		strbuf_addch(&uri, '/');
	cJSON_AddStringToObject(src, "uri", uri.buf);
	cJSON_AddItemToObject(ids, SRCROOT, src);
	strbuf_release(&uri);
	return ids;
}

void ma_render_sarif(const struct ma_report *rep, const struct ma_render_opts *o, struct strbuf *out)
{
	cJSON *root = cJSON_CreateObject(), *runs = cJSON_CreateArray(), *run = cJSON_CreateObject();
	cJSON *tool = cJSON_CreateObject(), *results = cJSON_CreateArray(), *invs = cJSON_CreateArray();
	struct artifacts arts = { 0 };
	char *text;

	(void)o;
	cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	cJSON_AddStringToObject(root, "version", "2.1.0");
	cJSON_AddItemToObject(tool, "driver", driver_json(rep));
	cJSON_AddItemToObject(run, "tool", tool);
	for (size_t i = 0; i < rep->findings.nr; i++)
		cJSON_AddItemToArray(results, result_json(rep, &arts, rep->findings.items[i]));
	for (size_t i = 0; rep->run.baseline && rep->run.baseline->list_absent && i < rep->run.baseline->fixed.nr; i++)
		cJSON_AddItemToArray(results, absent_result_json(rep, &arts, &rep->run.baseline->fixed.v[i]));
	cJSON_AddItemToArray(invs, invocation_json(rep, &arts));
	cJSON_AddItemToObject(run, "invocations", invs);
	cJSON_AddItemToObject(run, "originalUriBaseIds", base_ids(rep));
	cJSON_AddItemToObject(run, "artifacts", artifacts_json(rep, &arts));
	cJSON_AddItemToObject(run, "results", results);
	cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
	cJSON_AddItemToArray(runs, run);
	cJSON_AddItemToObject(root, "runs", runs);
	text = cJSON_Print(root);
	ma_add_utf8(out, text);
	strbuf_addch(out, '\n');
	free(text);
	free(arts.files);
	cJSON_Delete(root);
}
