/* Reading the state file, version 2: JSON (the format is in state.h),
 * with jansson. Every member's type and range is checked, so that a
 * damaged file is an error, never a wrong jail. */
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "util/mem.h"

/* Member key of o: NULL if absent (and not required), else it must be of
 * type want. */
static int member(const json_t *o, const char *key, json_type want, bool required, json_t **out,
		  struct brig_err *e)
{
	static const char *const what[] = {
		[JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array", [JSON_STRING] = "a string",
		[JSON_INTEGER] = "an integer", [JSON_TRUE] = "true or false",
	};

	*out = json_object_get(o, key);
	if (!*out && required)
		return brig_err_set(e, 0, "\"%s\": missing", key);
	if (!*out)
		return 0;
	if (json_typeof(*out) == want || (want == JSON_TRUE && json_is_boolean(*out)))
		return 0;
	return brig_err_set(e, 0, "\"%s\": not %s", key, what[want]);
}

static int get_str(const json_t *o, const char *key, bool required, char **dst, struct brig_err *e)
{
	json_t *v;

	if (member(o, key, JSON_STRING, required, &v, e) < 0)
		return -1;
	if (v) {
		free(*dst);
		*dst = xstrdup(json_string_value(v));
	}
	return 0;
}

/* An integer member in [min, max]; absent: *dst stays. */
static int get_int(const json_t *o, const char *key, long long min, long long max, long long *dst,
		   struct brig_err *e)
{
	json_t *v;

	if (member(o, key, JSON_INTEGER, false, &v, e) < 0)
		return -1;
	if (!v)
		return 0;
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return brig_err_set(e, 0, "\"%s\": %lld out of range", key, (long long)json_integer_value(v));
	*dst = json_integer_value(v);
	return 0;
}

/* A mask written as "0x..." (key_hex); absent: *dst stays. */
static int get_hex(const json_t *o, const char *key, uint64_t max, uint64_t *dst, struct brig_err *e)
{
	json_t *v;
	const char *s;
	char *end;
	unsigned long long x;

	if (member(o, key, JSON_STRING, false, &v, e) < 0)
		return -1;
	if (!v)
		return 0;
	s = json_string_value(v);
	x = strtoull(s, &end, 16);
	if (strncmp(s, "0x", 2) != 0 || !s[2] || *end || x > max)
		return brig_err_set(e, 0, "\"%s\": \"%s\" is not a mask", key, s);
	*dst = x;
	return 0;
}

/* An array of strings, each appended to *v (n of them). */
static int get_strv(const json_t *a, const char *key, char ***v, size_t *n, struct brig_err *e)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x) {
		if (!json_is_string(x))
			return brig_err_set(e, 0, "\"%s\": item %zu is not a string", key, i);
		state_add_addr(v, n, json_string_value(x));
	}
	return 0;
}

/* "jail": the model the jail was started with (absent: none). */
static int read_model(const json_t *root, struct jstate *s, struct brig_err *e)
{
	json_t *o;

	if (member(root, "jail", JSON_OBJECT, false, &o, e) < 0)
		return -1;
	if (o && jail_def_from_json(o, &s->def, e) < 0)
		return brig_err_wrap(e, "\"jail\"");
	return 0;
}

static int read_objects(const json_t *root, struct jstate *s, struct brig_err *e)
{
	json_t *a, *o;
	size_t i;

	if (member(root, "objects", JSON_ARRAY, false, &a, e) < 0)
		return -1;
	json_array_foreach(a, i, o) {
		cleanup_free char *kind = NULL, *id = NULL;
		int k;

		if (!json_is_object(o))
			return brig_err_set(e, 0, "\"objects\": item %zu is not an object", i);
		if (get_str(o, "kind", true, &kind, e) < 0 || get_str(o, "id", true, &id, e) < 0)
			return brig_err_wrap(e, "\"objects\": item %zu", i);
		k = jobj_kind_find(kind);
		if (k < 0)
			return brig_err_set(e, 0, "\"objects\": item %zu: unknown kind \"%s\"", i, kind);
		state_add_obj(s, (enum jobj_kind)k, id);
	}
	return 0;
}

/* "init" and "userns". */
static int read_ids(const json_t *root, struct jstate *s, struct brig_err *e)
{
	json_t *o;
	long long pid = 0, start = 0, uid = 0, gid = 0, count = 0;

	if (member(root, "init", JSON_OBJECT, false, &o, e) < 0)
		return -1;
	if (o && (get_int(o, "pid", 0, INT_MAX, &pid, e) < 0 ||
		  get_int(o, "start", 0, LLONG_MAX, &start, e) < 0))
		return brig_err_wrap(e, "\"init\"");
	s->init_pid = (pid_t)pid;
	s->init_start = (unsigned long long)start;
	if (member(root, "userns", JSON_OBJECT, false, &o, e) < 0)
		return -1;
	if (o && (get_int(o, "uid", 0, UINT32_MAX, &uid, e) < 0 ||
		  get_int(o, "gid", 0, UINT32_MAX, &gid, e) < 0 ||
		  get_int(o, "count", 0, UINT32_MAX, &count, e) < 0))
		return brig_err_wrap(e, "\"userns\"");
	s->userns_uid = (uint32_t)uid;
	s->userns_gid = (uint32_t)gid;
	s->userns_count = (uint32_t)count;
	return 0;
}

static int read_root(const json_t *root, struct jstate *s, struct brig_err *e)
{
	cleanup_free char *status = NULL;
	long long jid = 0;
	uint64_t ns = 0;
	json_t *v;
	int st;

	if (!json_is_object(root) || member(root, STATE_VERSION_KEY, JSON_INTEGER, true, &v, e) < 0)
		return brig_err_set(e, 0, "not a brig state file");
	if (json_integer_value(v) != STATE_VERSION)
		return brig_err_set(e, 0, "state file version %lld: this brig reads versions 1 and %d",
				    (long long)json_integer_value(v), STATE_VERSION);
	if (get_str(root, "name", true, &s->name, e) < 0 || get_str(root, "status", true, &status, e) < 0)
		return brig_err_wrap(e, "incomplete state file");
	st = jstatus_find(status);
	if (st < 0)
		return brig_err_set(e, 0, "\"status\": unknown status \"%s\"", status);
	s->status = (enum jstatus)st;
	if (get_int(root, "jid", 0, INT_MAX, &jid, e) < 0 || get_hex(root, "ns", UINT_MAX, &ns, e) < 0 ||
	    get_hex(root, "caps", UINT64_MAX, &s->caps, e) < 0 || read_ids(root, s, e) < 0 ||
	    get_str(root, "hostname", false, &s->hostname, e) < 0 ||
	    get_str(root, "path", false, &s->path, e) < 0)
		return -1;
	s->jid = (int)jid;
	s->nsflags = (int)ns;
	if (member(root, "socket_af", JSON_TRUE, false, &v, e) < 0)
		return -1;
	s->socket_af = v && json_is_true(v);
	if (member(root, "ip4", JSON_ARRAY, false, &v, e) < 0 || (v && get_strv(v, "ip4", &s->ip4, &s->nip4, e) < 0))
		return -1;
	if (member(root, "ip6", JSON_ARRAY, false, &v, e) < 0 || (v && get_strv(v, "ip6", &s->ip6, &s->nip6, e) < 0))
		return -1;
	return read_model(root, s, e) < 0 || read_objects(root, s, e) < 0 ? -1 : 0;
}

int state_parse_json(const char *text, struct jstate *s, struct brig_err *e)
{
	json_error_t je;
	json_t *root;
	int r;

	memset(s, 0, sizeof(*s));
	/* Duplicate keys: not something brig writes; refused, not guessed. */
	root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return brig_err_set(e, 0, "line %d, column %d: %s", je.line, je.column, je.text);
	r = read_root(root, s, e);
	json_decref(root);
	if (r < 0)
		state_free(s);
	return r;
}
