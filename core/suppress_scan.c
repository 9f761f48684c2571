#define _GNU_SOURCE /* memmem */
/*
 * Finding the suppression directives of one file (suppress.h): a small
 * tokenizer that knows what is a comment in C and C++ and what only looks
 * like one (a string or character literal, a raw string), then a parser
 * for the directive that opens a comment.
 *
 * The tokenizer also notes, per line, whether it holds code and whether
 * it holds a comment: a directive alone on its line covers the next line
 * that holds code, skipping lines that hold only comments (a stack of
 * directives over one statement) but not blank lines (a directive
 * separated from the code by a blank line covers nothing).
 */
#include "suppress.h"
#include "alloc.h"
#include "array.h"
#include "rules.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define LINE_CODE 1
#define LINE_COMMENT 2

#define DIRECTIVE "memaudit-ignore"

struct comment {
	size_t body, end;    /* the text between the delimiters */
	unsigned line, column, end_line;
	int block;
	int code_before;     /* code precedes it on its first line */
};

struct scanner {
	const char *t;
	size_t len, i;
	size_t line_start;   /* offset of the current line */
	unsigned line;
	unsigned char *flags; /* per line, 1-based */
	size_t nr_lines;
	struct comment *comments;
	size_t nr_comments, alloc_comments;
};

static int is_ident(int c)
{
	return isalnum(c) || c == '_' || c == '$';
}

static void mark(struct scanner *s, int bit)
{
	s->flags[s->line] |= (unsigned char)bit;
}

/* Move to offset `to`, counting lines and marking each with `bit`. */
static void advance(struct scanner *s, size_t to, int bit)
{
	for (; s->i < to; s->i++) {
		if (bit)
			mark(s, bit);
		if (s->t[s->i] == '\n') {
			s->line++;
			s->line_start = s->i + 1;
		}
	}
}

/* "\\\n" (or "\\\r\n") at i: a line continuation, which ends no token. */
static size_t continuation(const struct scanner *s, size_t i)
{
	if (i + 1 < s->len && s->t[i] == '\\' && s->t[i + 1] == '\n')
		return 2;
	if (i + 2 < s->len && s->t[i] == '\\' && s->t[i + 1] == '\r' && s->t[i + 2] == '\n')
		return 3;
	return 0;
}

static void add_comment(struct scanner *s, size_t body, size_t end, int block)
{
	struct comment *c;

	ALLOC_GROW(s->comments, s->nr_comments + 1, s->alloc_comments);
	c = &s->comments[s->nr_comments++];
	c->body = body;
	c->end = end;
	c->line = s->line;
	c->column = (unsigned)(body - 2 - s->line_start + 1);
	c->block = block;
	c->code_before = s->flags[s->line] & LINE_CODE;
}

static void line_comment(struct scanner *s)
{
	size_t j = s->i + 2, n;

	while (j < s->len && s->t[j] != '\n')
		j += (n = continuation(s, j)) ? n : 1;
	add_comment(s, s->i + 2, j, 0);
	advance(s, j, LINE_COMMENT);
	s->comments[s->nr_comments - 1].end_line = s->line;
}

static void block_comment(struct scanner *s)
{
	size_t j = s->i + 2, end;

	while (j + 1 < s->len && !(s->t[j] == '*' && s->t[j + 1] == '/'))
		j++;
	end = j + 1 < s->len ? j : s->len; /* unterminated: to the end of the file */
	add_comment(s, s->i + 2, end, 1);
	advance(s, end + 1 < s->len ? end + 2 : s->len, LINE_COMMENT);
	s->comments[s->nr_comments - 1].end_line = s->line;
}

/* A quote at i opens a raw string when the identifier before it is R, u8R, uR, UR or LR. */
static int raw_prefix(const struct scanner *s)
{
	static const char *const prefixes[] = { "R", "u8R", "uR", "UR", "LR" };
	size_t b = s->i;

	while (b > 0 && is_ident((unsigned char)s->t[b - 1]))
		b--;
	for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++)
		if (strlen(prefixes[k]) == s->i - b && !memcmp(s->t + b, prefixes[k], s->i - b))
			return 1;
	return 0;
}

/* R"delim( ... )delim": no escapes, may span lines. */
static void raw_string(struct scanner *s)
{
	size_t open = s->i + 1, d = open;
	char close[20];
	const char *end;

	while (d < s->len && d - open < 16 && s->t[d] != '(' && !isspace((unsigned char)s->t[d]))
		d++;
	if (d >= s->len || s->t[d] != '(') { /* not a raw string after all */
		advance(s, s->i + 1, LINE_CODE);
		return;
	}
	close[0] = ')';
	memcpy(close + 1, s->t + open, d - open);
	close[d - open + 1] = '"';
	end = memmem(s->t + d, s->len - d, close, d - open + 2);
	advance(s, end ? (size_t)(end - s->t) + d - open + 2 : s->len, LINE_CODE);
}

/* "..." or '...': escapes; an unescaped newline ends it (unterminated). */
static void quoted(struct scanner *s, char q)
{
	size_t j = s->i + 1, n;

	while (j < s->len && s->t[j] != q && s->t[j] != '\n') {
		if ((n = continuation(s, j)))
			j += n;
		else
			j += s->t[j] == '\\' && j + 1 < s->len && s->t[j + 1] != '\n' ? 2 : 1;
	}
	advance(s, j < s->len && s->t[j] == q ? j + 1 : j, LINE_CODE);
}

/* A preprocessing number: 0x1p-3, 1'000'000 (C++14 and C23 separators are not quotes). */
static void number(struct scanner *s)
{
	size_t j = s->i;

	while (j < s->len) {
		char c = s->t[j];
		if ((c == '+' || c == '-') && strchr("eEpP", s->t[j - 1]))
			j++;
		else if (c == '\'' && j + 1 < s->len && is_ident((unsigned char)s->t[j + 1]))
			j++;
		else if (is_ident((unsigned char)c) || c == '.')
			j++;
		else
			break;
	}
	advance(s, j, LINE_CODE);
}

static void scan_token(struct scanner *s)
{
	const char *t = s->t;
	size_t i = s->i, n;
	int prev = i ? (unsigned char)t[i - 1] : ' ';

	if ((n = continuation(s, i)))
		advance(s, i + n, 0);
	else if (isspace((unsigned char)t[i]))
		advance(s, i + 1, 0);
	else if (t[i] == '/' && i + 1 < s->len && t[i + 1] == '/')
		line_comment(s);
	else if (t[i] == '/' && i + 1 < s->len && t[i + 1] == '*')
		block_comment(s);
	else if (t[i] == '"' && raw_prefix(s))
		raw_string(s);
	else if (t[i] == '"' || t[i] == '\'')
		quoted(s, t[i]);
	else if (!is_ident(prev) && (isdigit((unsigned char)t[i]) ||
				     (t[i] == '.' && i + 1 < s->len && isdigit((unsigned char)t[i + 1]))))
		number(s);
	else
		advance(s, i + 1, LINE_CODE);
}

/* ------------------------------------------------------------------ */
/* The directive                                                       */

/* The next line after `line` that holds code, past lines of comments only; 0 at a blank line. */
static unsigned next_code_line(const struct scanner *s, unsigned line)
{
	for (size_t l = (size_t)line + 1; l < s->nr_lines; l++) {
		if (s->flags[l] & LINE_CODE)
			return (unsigned)l;
		if (!(s->flags[l] & LINE_COMMENT))
			return 0;
	}
	return 0;
}

static unsigned target_line(const struct scanner *s, const struct comment *c, enum ma_suppress_form form)
{
	if (form == MA_SUPPRESS_FILE)
		return 0;
	if (form == MA_SUPPRESS_LINE && c->code_before)
		return c->line;
	if (form == MA_SUPPRESS_LINE && (s->flags[c->end_line] & LINE_CODE))
		return c->end_line; /* code after the comment on its last line */
	return next_code_line(s, c->end_line);
}

/* The first error found is the one reported. */
__attribute__((format(printf, 2, 3)))
static void set_error(struct ma_suppress_directive *d, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (d->error)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	d->error = strbuf_detach(&sb, NULL);
}

/* The reason: the rest of the comment, its lines joined ("\n * " is one space). */
static char *reason_text(const char *p, const char *end, int block)
{
	struct strbuf sb = STRBUF_INIT;
	int space = 0, line_start = 0;

	for (; p < end; p++) {
		if (*p == '\n' || *p == '\r') {
			space = line_start = 1;
			continue;
		}
		if (isspace((unsigned char)*p) || (line_start && block && *p == '*')) {
			space = 1;
			continue;
		}
		if (space && sb.len)
			strbuf_addch(&sb, ' ');
		space = line_start = 0;
		strbuf_addch(&sb, *p);
	}
	if (!sb.len) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static void check_rule(struct ma_suppress_directive *d, const char *id)
{
	if (!strcmp(id, "*"))
		return;
	if (!strcmp(id, "invalid-suppression") || !strcmp(id, "unused-suppression"))
		set_error(d, "'%s' cannot be suppressed inline: fix the suppression it reports", id);
	else if (!ma_rule_find(id))
		set_error(d, "suppression names unknown rule '%s' (see 'memaudit rules')", id);
}

/* "a, b" (between the brackets) into d->rules. */
static void parse_rules(struct ma_suppress_directive *d, const char *p, const char *end)
{
	while (p <= end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		char *id;

		while (p < e && isspace((unsigned char)*p))
			p++;
		while (e > p && isspace((unsigned char)e[-1]))
			e--;
		id = ma_strndup(p, (size_t)(e - p));
		if (!*id)
			set_error(d, "suppression has an empty rule id in its list");
		else
			check_rule(d, id);
		strvec_push_nodup(&d->rules, id);
		if (!comma)
			break;
		p = comma + 1;
	}
	for (size_t k = 0; k < d->rules.nr; k++)
		if (!strcmp(d->rules.v[k], "*") && d->rules.nr > 1)
			set_error(d, "'*' must be alone in a suppression's rule list");
}

static const char *form_name(enum ma_suppress_form form)
{
	return form == MA_SUPPRESS_NEXT_LINE ? DIRECTIVE "-next-line" : form == MA_SUPPRESS_FILE ? DIRECTIVE "-file" : DIRECTIVE;
}

/* After the directive's name: "[rules]: reason". */
static void parse_arguments(struct ma_suppress_directive *d, const char *p, const char *end, int block)
{
	const char *close;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p != '[') {
		set_error(d, "'%s' names no rule: write it as NAME[RULE-ID]: REASON", form_name(d->form));
		return;
	}
	close = p + 1;
	while (close < end && *close != ']' && *close != '\n')
		close++;
	if (close == end || *close != ']') {
		set_error(d, "'%s' has a '[' without its ']'", form_name(d->form));
		return;
	}
	parse_rules(d, p + 1, close);
	for (p = close + 1; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p < end && *p == ':')
		d->reason = reason_text(p + 1, end, block);
	if (!d->reason)
		set_error(d, "suppression without a reason: write '%s[RULE-ID]: REASON'", form_name(d->form));
}

/* The directive that opens comment c, if any, into d; 0 when c holds none. */
static int parse_directive(const struct scanner *s, const struct comment *c, struct ma_suppress_directive *d)
{
	const char *p = s->t + c->body, *end = s->t + c->end, *q;

	/* documentation comments (///, //!, slash-star-star) open with more */
	while (p < end && (*p == '!' || *p == (c->block ? '*' : '/')))
		p++;
	while (p < end && (*p == ' ' || *p == '\t' || (c->block && isspace((unsigned char)*p))))
		p++;
	if ((size_t)(end - p) < strlen(DIRECTIVE) || memcmp(p, DIRECTIVE, strlen(DIRECTIVE)))
		return 0;
	memset(d, 0, sizeof(*d));
	strvec_init(&d->rules);
	d->line = c->line;
	d->column = c->column;
	q = p + strlen(DIRECTIVE);
	if (end - q >= 10 && !memcmp(q, "-next-line", 10) && (end - q == 10 || !is_ident((unsigned char)q[10]))) {
		d->form = MA_SUPPRESS_NEXT_LINE;
		q += 10;
	} else if (end - q >= 5 && !memcmp(q, "-file", 5) && (end - q == 5 || !is_ident((unsigned char)q[5]))) {
		d->form = MA_SUPPRESS_FILE;
		q += 5;
	}
	if (q < end && (is_ident((unsigned char)*q) || *q == '-')) {
		const char *e = q;
		char *name;
		while (e < end && (is_ident((unsigned char)*e) || *e == '-'))
			e++;
		name = ma_strndup(p, (size_t)(e - p));
		set_error(d, "unknown suppression '%s' (memaudit-ignore, memaudit-ignore-next-line or memaudit-ignore-file)", name);
		free(name);
	} else {
		parse_arguments(d, q, end, c->block);
	}
	d->target = target_line(s, c, d->form);
	if (!d->error)
		d->used = ma_calloc(d->rules.nr, sizeof(*d->used));
	return 1;
}

void ma_suppress_scan(const char *text, size_t len, struct ma_suppress_list *out)
{
	struct scanner s = { .t = text, .len = len, .line = 1 };

	s.nr_lines = 2;
	for (size_t i = 0; i < len; i++)
		s.nr_lines += text[i] == '\n';
	s.flags = ma_calloc(s.nr_lines, 1);
	while (s.i < len)
		scan_token(&s);
	for (size_t k = 0; k < s.nr_comments; k++) {
		struct ma_suppress_directive d;
		if (!parse_directive(&s, &s.comments[k], &d))
			continue;
		ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		out->items[out->nr++] = d;
	}
	free(s.comments);
	free(s.flags);
}

int ma_suppress_match(const struct ma_suppress_directive *d, const char *rule_id, unsigned line)
{
	if (d->error || (d->form != MA_SUPPRESS_FILE && (!d->target || d->target != line)))
		return -1;
	for (size_t k = 0; k < d->rules.nr; k++)
		if (!strcmp(d->rules.v[k], "*") || !strcmp(d->rules.v[k], rule_id))
			return (int)k;
	return -1;
}

void ma_suppress_list_release(struct ma_suppress_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		strvec_clear(&l->items[i].rules);
		free(l->items[i].used);
		free(l->items[i].reason);
		free(l->items[i].error);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}
