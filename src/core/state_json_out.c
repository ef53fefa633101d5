/* Writing the state file, version 2: JSON (the format is in state.h),
 * with util/json.h. state_json_in.c reads it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/state.h"
#include "util/json.h"

static void key_str(struct json *j, const char *key, const char *v)
{
	json_key(j, key);
	json_str(j, v ? v : "");
}

static void key_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

static void key_hex(struct json *j, const char *key, uint64_t v)
{
	char hex[32];

	snprintf(hex, sizeof(hex), "0x%" PRIx64, v);
	key_str(j, key, hex);
}

static void strv(struct json *j, char *const *v, size_t n)
{
	json_arr_begin(j);
	for (size_t i = 0; i < n; i++)
		json_str(j, v[i]);
	json_arr_end(j);
}

/* The model the jail was started with. */
static void write_model(struct json *j, const struct jstate *s)
{
	if (!s->def)
		return;
	json_key(j, "jail");
	jail_def_json(s->def, j);
}

void state_format(const struct jstate *s, struct strbuf *out)
{
	struct json j;

	json_init(&j, out, true);
	json_obj_begin(&j);
	key_int(&j, STATE_VERSION_KEY, STATE_VERSION);
	key_str(&j, "name", s->name);
	key_int(&j, "jid", s->jid);
	key_str(&j, "status", jstatus_names[s->status]);
	json_key(&j, "init");
	json_obj_begin(&j);
	key_int(&j, "pid", s->init_pid);
	key_int(&j, "start", (long long)s->init_start);
	json_obj_end(&j);
	key_hex(&j, "ns", (unsigned)s->nsflags);
	key_hex(&j, "caps", s->caps);
	json_key(&j, "socket_af");
	json_bool(&j, s->socket_af);
	key_str(&j, "hostname", s->hostname);
	key_str(&j, "path", s->path);
	if (s->userns_count) {
		json_key(&j, "userns");
		json_obj_begin(&j);
		key_int(&j, "uid", s->userns_uid);
		key_int(&j, "gid", s->userns_gid);
		key_int(&j, "count", s->userns_count);
		json_obj_end(&j);
	}
	json_key(&j, "ip4");
	strv(&j, s->ip4, s->nip4);
	json_key(&j, "ip6");
	strv(&j, s->ip6, s->nip6);
	write_model(&j, s);
	json_key(&j, "objects");
	json_arr_begin(&j);
	for (size_t i = 0; i < s->nobjs; i++) {
		json_obj_begin(&j);
		key_str(&j, "kind", jobj_kind_names[s->objs[i].kind]);
		key_str(&j, "id", s->objs[i].id);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	sb_addc(out, '\n');
}
