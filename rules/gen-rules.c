/*
 * gen-rules: turns the rule catalogue (rules/<id>.json, one rule per file)
 * into the X-macro list that core/rules.c compiles:
 *
 *     gen-rules rules/use-after-free.json ... > build/gen/rules.def
 *
 * It checks every record on the way (the build fails with the file and the
 * field at fault), so a malformed rule never reaches the binary.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rule {
	char *id, *title, *precision, *tags, *secsev, *description, *fix, *severity;
	int cwe;
};

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(fp);
	return buf;
}

static const char *get_str(const cJSON *obj, const char *key, const char *path, int required)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (cJSON_IsString(it) && it->valuestring[0])
		return it->valuestring;
	if (required) {
		fprintf(stderr, "gen-rules: '%s': missing or empty string field '%s'\n", path, key);
		exit(1);
	}
	return NULL;
}

static char *join_tags(const cJSON *obj, const char *path)
{
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(obj, "tags"), *t;
	size_t len = 1;
	char *out;

	if (!cJSON_IsArray(tags)) {
		fprintf(stderr, "gen-rules: '%s': 'tags' must be an array of strings\n", path);
		exit(1);
	}
	cJSON_ArrayForEach(t, tags)
		len += cJSON_IsString(t) ? strlen(t->valuestring) + 1 : 0;
	out = calloc(1, len);
	cJSON_ArrayForEach(t, tags) {
		if (!cJSON_IsString(t))
			continue;
		if (*out)
			strcat(out, ",");
		strcat(out, t->valuestring);
	}
	return out;
}

static int is_kebab(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return 0;
	return s[-1] != '-';
}

static const char *default_secsev(const char *severity)
{
	if (!strcmp(severity, "error"))
		return "7.5";
	if (!strcmp(severity, "warning"))
		return "5.0";
	return "2.0";
}

static void check_enum(const char *path, const char *key, const char *v, const char *const *ok)
{
	for (; *ok; ok++)
		if (!strcmp(v, *ok))
			return;
	fprintf(stderr, "gen-rules: '%s': bad value '%s' for '%s'\n", path, v, key);
	exit(1);
}

static void load_rule(struct rule *r, const char *path)
{
	static const char *const sevs[] = { "error", "warning", "note", NULL };
	static const char *const precs[] = { "very-high", "high", "medium", "low", NULL };
	char *text = read_file(path), *base;
	const char *slash = strrchr(path, '/');
	cJSON *j, *cwe;
	const char *sec;

	if (!text) {
		fprintf(stderr, "gen-rules: cannot read '%s': %s\n", path, strerror(errno));
		exit(1);
	}
	j = cJSON_Parse(text);
	if (!cJSON_IsObject(j)) {
		fprintf(stderr, "gen-rules: '%s': not a JSON object\n", path);
		exit(1);
	}
	r->id = strdup(get_str(j, "id", path, 1));
	base = strdup(slash ? slash + 1 : path);
	base[strcspn(base, ".")] = '\0';
	if (!is_kebab(r->id) || strcmp(base, r->id)) {
		fprintf(stderr, "gen-rules: '%s': id '%s' must be kebab-case and match the file name\n", path, r->id);
		exit(1);
	}
	free(base);
	r->title = strdup(get_str(j, "title", path, 1));
	r->severity = strdup(get_str(j, "severity", path, 1));
	check_enum(path, "severity", r->severity, sevs);
	r->precision = strdup(get_str(j, "precision", path, 1));
	check_enum(path, "precision", r->precision, precs);
	r->description = strdup(get_str(j, "description", path, 1));
	r->fix = strdup(get_str(j, "fix", path, 1));
	sec = get_str(j, "security_severity", path, 0);
	r->secsev = strdup(sec ? sec : default_secsev(r->severity));
	r->tags = join_tags(j, path);
	cwe = cJSON_GetObjectItemCaseSensitive(j, "cwe");
	if (!cJSON_IsNumber(cwe) || cwe->valueint < 0) {
		fprintf(stderr, "gen-rules: '%s': 'cwe' must be a number (0 for none)\n", path);
		exit(1);
	}
	r->cwe = cwe->valueint;
	cJSON_Delete(j);
	free(text);
}

static void put_c_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20)
			printf("\\%03o", c);
		else
			putchar(c);
	}
	putchar('"');
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct rule *)a)->id, ((const struct rule *)b)->id);
}

static const char *sev_macro(const char *severity)
{
	if (!strcmp(severity, "error"))
		return "MA_SEV_ERROR";
	if (!strcmp(severity, "warning"))
		return "MA_SEV_WARNING";
	return "MA_SEV_NOTE";
}

static void put_rule(const struct rule *r)
{
	fputs("MA_RULE(", stdout);
	put_c_string(r->id);
	fputs(", ", stdout);
	put_c_string(r->title);
	printf(", %d, %s, ", r->cwe, sev_macro(r->severity));
	put_c_string(r->precision);
	fputs(", ", stdout);
	put_c_string(r->tags);
	fputs(", ", stdout);
	put_c_string(r->secsev);
	fputs(",\n\t", stdout);
	put_c_string(r->description);
	fputs(",\n\t", stdout);
	put_c_string(r->fix);
	puts(")");
}

int main(int argc, char **argv)
{
	struct rule *rules = calloc((size_t)argc, sizeof(*rules));
	int n = argc - 1;

	for (int i = 0; i < n; i++)
		load_rule(&rules[i], argv[i + 1]);
	qsort(rules, (size_t)n, sizeof(*rules), by_id);
	puts("/* Generated by rules/gen-rules.c from rules/<id>.json: do not edit. */");
	for (int i = 0; i < n; i++) {
		if (i && !strcmp(rules[i].id, rules[i - 1].id)) {
			fprintf(stderr, "gen-rules: duplicate rule id '%s'\n", rules[i].id);
			free(rules);
			return 1;
		}
		put_rule(&rules[i]);
	}
	free(rules);
	return 0;
}
