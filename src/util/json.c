#include "util/json.h"
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

#include "util/mem.h"

/* Inlined: the tail is a literal at each call, so its length and copy
 * are a constant's (no strlen, no memcpy call per string). */
static inline __attribute__((always_inline)) void quote(struct strbuf *sb, char pre,
							const char *str, const char *tail);

void json_init(struct json *j, struct strbuf *out, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
}

static void indent(struct json *j)
{
	if (!j->pretty)
		return;
	sb_addc(j->out, '\n');
	for (int i = 0; i < j->depth; i++)
		sb_adds(j->out, "  ");
}

/* Before any value or key: comma and indentation as needed. */
static void sep(struct json *j)
{
	if (j->depth > 0 && j->need_comma[j->depth])
		sb_addc(j->out, ',');
	if (j->depth > 0)
		indent(j);
	if (j->depth < 64)
		j->need_comma[j->depth] = true;
}

/* A value: separated unless it directly follows a key. */
static void value_sep(struct json *j)
{
	if (j->after_key)
		j->after_key = false;
	else
		sep(j);
}

static void open(struct json *j, char c)
{
	value_sep(j);
	sb_addc(j->out, c);
	if (j->depth < 63)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(struct json *j, char c)
{
	bool had = j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had)
		indent(j);
	sb_addc(j->out, c);
}

void json_obj_begin(struct json *j) { open(j, '{'); }
void json_obj_end(struct json *j) { close_(j, '}'); }
void json_arr_begin(struct json *j) { open(j, '['); }
void json_arr_end(struct json *j) { close_(j, ']'); }

/* The separator before a key or value, when it is one comma (not
 * pretty): written with the string by quote(). */
static char comma(struct json *j)
{
	bool c = j->depth > 0 && j->need_comma[j->depth];

	if (j->depth < 64)
		j->need_comma[j->depth] = true;
	return c ? ',' : 0;
}

void json_key(struct json *j, const char *key)
{
	if (j->pretty) {
		sep(j);
		quote(j->out, 0, key, ": ");
	} else {
		quote(j->out, comma(j), key, ":");
	}
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	if (j->pretty || j->after_key) {
		value_sep(j);
		quote(j->out, 0, s, "");
	} else {
		quote(j->out, comma(j), s, "");
	}
}

void json_int(struct json *j, long long v)
{
	value_sep(j);
	sb_addf(j->out, "%lld", v);
}

void json_percent(struct json *j, double v)
{
	value_sep(j);
	sb_addf(j->out, "%.2f", v);
}

void json_bool(struct json *j, bool v)
{
	value_sep(j);
	sb_adds(j->out, v ? "true" : "false");
}

void json_null_value(struct json *j)
{
	value_sep(j);
	sb_adds(j->out, "null");
}

/* Length of a valid UTF-8 sequence at s, or 0 (s NUL-terminated: a NUL
 * ends a sequence before utf8_seq reads past it). */
static size_t utf8_len(const unsigned char *s)
{
	return s[0] < 0x80 ? 1 : utf8_seq(s, 4);
}

/* Quote what needs escaping, byte by byte. */
static void quote_slow(struct strbuf *sb, const unsigned char *s)
{
	sb_addc(sb, '"');
	while (*s) {
		const unsigned char *run = s;
		size_t n;

		/* Printable ASCII needs no escape: copy it in one go. */
		while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			s++;
		if (s > run)
			sb_addn(sb, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		switch (*s) {
		case '"': sb_adds(sb, "\\\""); s++; continue;
		case '\\': sb_adds(sb, "\\\\"); s++; continue;
		case '\n': sb_adds(sb, "\\n"); s++; continue;
		case '\t': sb_adds(sb, "\\t"); s++; continue;
		case '\r': sb_adds(sb, "\\r"); s++; continue;
		default:
			break;
		}
		if (*s < 0x20 || *s == 0x7f) {
			sb_addf(sb, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_len(s);
		if (n == 0) {
			sb_adds(sb, "\\ufffd");
			s++;
			continue;
		}
		sb_addn(sb, (const char *)s, n);
		s += n;
	}
	sb_addc(sb, '"');
}

/* Printable ASCII but '"' and '\\': copied as it is (a table: one
 * load per byte instead of four tests). */
static const bool plain[256] = {
	[0x20 ... 0x21] = true, [0x23 ... 0x5b] = true, [0x5d ... 0x7e] = true,
};

/* pre (0 or 1 byte), str quoted, then tail (a key's ':'), into sb. A
 * string that needs no escape (most) is measured once and copied in
 * one go: a JSON document of 10,000 jails is mostly such strings. */
static inline void quote(struct strbuf *sb, char pre, const char *str, const char *tail)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0, nt = strlen(tail);
	char *p;

	while (plain[s[n]] && plain[s[n + 1]] && plain[s[n + 2]] && plain[s[n + 3]])
		n += 4;	/* a NUL stops each step before the next byte is read */
	while (plain[s[n]])
		n++;
	if (s[n]) {
		if (pre)
			sb_addc(sb, pre);
		quote_slow(sb, s);
		sb_addn(sb, tail, nt);
		return;
	}
	if (sb->len + n + nt + 4 > sb->cap)
		sb->s = xgrow(sb->s, &sb->cap, sb->len + n + nt + 4, 1);
	p = sb->s + sb->len;
	if (pre)
		*p++ = pre;
	*p++ = '"';
	memcpy(p, str, n);
	p += n;
	*p++ = '"';
	memcpy(p, tail, nt + 1);
	sb->len = (size_t)(p - sb->s) + nt;
}

void json_quote(struct strbuf *sb, const char *str)
{
	quote(sb, 0, str, "");
}

void json_key_count(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	if (v < 0)
		json_null_value(j);
	else
		json_int(j, v);
}
