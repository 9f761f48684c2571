#ifndef MA_JSON_READ_FIELDS_H
#define MA_JSON_READ_FIELDS_H
/*
 * Inside the JSON report's reader (json_read.c, json_read_profiles.c):
 * members of a cJSON tree read by type, or by tables of (key, type,
 * offset), with `where`, the name of the object being read, so that each
 * error is one line naming the file and the field:
 *
 *     'out/report.json': findings[3].location.line: not a number
 *
 * Every function returns 0, or -1 with that line in r->err.
 */
#include <stddef.h>
#include <stdint.h>

#include "../core/array.h"
#include "../core/strbuf.h"

#include <cjson/cJSON.h>

struct strvec;

struct jr_reader {
	const char *path;   /* the file, for messages */
	const char *root;   /* run.root: relative paths are below it */
	struct strbuf where; /* the object being read: "findings[3].location" */
	struct strbuf *err;
};

enum field_type { F_STRING, F_STRING_OR_NULL, F_OPTIONAL_STRING, F_PATH, F_INT, F_UNSIGNED,
		  F_SIZE, F_U64, F_SECONDS, F_BOOL };

struct field {
	const char *key;
	enum field_type type;
	size_t offset; /* in the struct read into */
};

#define JR_READ_FIELDS(r, obj, base, table) jr_read_fields((r), (obj), (base), (table), ARRAY_SIZE(table))

typedef int (*jr_read_one_fn)(struct jr_reader *r, const cJSON *obj, void *items);

/* Into member `key` of the current object; the old length of `where`, for jr_leave(). */
size_t jr_enter(struct jr_reader *r, const char *key);
void jr_leave(struct jr_reader *r, size_t mark);
/* "'FILE': WHERE.KEY: WHAT" (key NULL: the current object itself) into r->err; -1. */
int jr_bad(struct jr_reader *r, const char *key, const char *what);

const cJSON *jr_need_object(struct jr_reader *r, const cJSON *obj, const char *key);
int jr_read_size(struct jr_reader *r, const cJSON *obj, const char *key, size_t *out);
int jr_read_u64(struct jr_reader *r, const cJSON *obj, const char *key, uint64_t *out);
int jr_read_bool(struct jr_reader *r, const cJSON *obj, const char *key, int *out);
/* An array of strings, appended to out. */
int jr_read_strings(struct jr_reader *r, const cJSON *obj, const char *key, struct strvec *out);
int jr_read_fields(struct jr_reader *r, const cJSON *obj, void *base, const struct field *fields, size_t n);
/*
 * Each element of array `key` of obj, an object, read by `read_one` into
 * what it appends to `items` (counted before it is read, so that releasing
 * the report frees what was read of it).
 */
int jr_read_each(struct jr_reader *r, const cJSON *obj, const char *key, void *items, jr_read_one_fn read_one);

struct ma_report;
/* profiles.heap, .allocations and .costs (json_read_profiles.c). */
int jr_read_profiles(struct jr_reader *r, const cJSON *doc, struct ma_report *rep);

#endif
