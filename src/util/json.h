/* A small streaming JSON writer into a strbuf. Commas are handled for you. */
#ifndef BRIG_UTIL_JSON_H
#define BRIG_UTIL_JSON_H

#include <stdbool.h>

#include "util/strbuf.h"

struct json {
	struct strbuf *out;
	int depth;
	bool need_comma[64];
	bool pretty;
	bool after_key;	/* next value follows a key: no separator */
};

void json_init(struct json *j, struct strbuf *out, bool pretty);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
/* Inside an object: the key of the next value. */
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
/* A number with two decimals (a percentage). */
void json_percent(struct json *j, double v);
void json_null_value(struct json *j);
/* Inside an object: key, then v, or null when v is negative (unknown). */
void json_key_count(struct json *j, const char *key, long long v);
/* Append s as a quoted, escaped JSON string (invalid UTF-8 becomes U+FFFD). */
void json_quote(struct strbuf *sb, const char *s);

#endif
