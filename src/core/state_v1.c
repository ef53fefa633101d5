/* Reading a state file of version 1: "KEY VALUE" lines, written by the
 * brig before the JSON one (state.h). A jail that brig started runs on
 * across an upgrade and must still stop; nothing writes this any more.
 *
 *   brig-jail-state 1         (checked by state_parse)
 *   name web
 *   jid 3
 *   status starting|running|stopping|dead
 *   init PID STARTTIME
 *   ns 0xFLAGS
 *   caps 0xMASK
 *   socket_af 1
 *   hostname web
 *   path /jails/web
 *   userns UID GID COUNT
 *   ip4 10.0.0.2              (repeated; ip6 likewise)
 *   param NAME VALUE          (lists joined by ",")
 *   hooks                     (the stop hooks are recorded, as:)
 *   hook NAME VALUE
 *   obj KIND ID
 * Values escaped: \\ and \n. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "util/mem.h"

/* Undo the writer's escapes. */
static char *unescape(const char *v, size_t len)
{
	char *r = xmalloc(len + 1), *w = r;

	for (size_t i = 0; i < len; i++) {
		if (v[i] == '\\' && i + 1 < len) {
			i++;
			*w++ = v[i] == 'n' ? '\n' : v[i];
		} else {
			*w++ = v[i];
		}
	}
	*w = '\0';
	return r;
}

/* "param", "hook" or "obj": NAME VALUE. */
static int parse_pair(const char *key, char *val, struct jstate *s, struct brig_err *e)
{
	char *sep = strchr(val, ' ');
	int kind;

	if (!sep)
		return brig_err_set(e, 0, "bad %s line", key);
	*sep = '\0';
	/* Names are parameter names: printable ASCII. (A name that is not
	 * would not stay one name in version 2: invalid UTF-8 is written
	 * as U+FFFD there, so two such names could become one key.) */
	for (const char *c = val; *c; c++)
		if (*c < 0x21 || *c > 0x7e)
			return brig_err_set(e, 0, "bad %s line", key);
	if (strcmp(key, "param") == 0) {
		state_add_param(s, val, sep + 1);
	} else if (strcmp(key, "hook") == 0) {
		state_add_hook(s, val, sep + 1);
	} else {
		kind = jobj_kind_find(val);
		if (kind < 0)
			return brig_err_set(e, 0, "unknown object kind \"%s\"", val);
		state_add_obj(s, (enum jobj_kind)kind, sep + 1);
	}
	return 0;
}

/* One line: key, then the rest (escaped value). */
static int parse_line(const char *line, size_t len, struct jstate *s, bool *has_status,
		      struct brig_err *e)
{
	const char *sp = memchr(line, ' ', len);
	size_t klen = sp ? (size_t)(sp - line) : len;
	cleanup_free char *key = xstrndup(line, klen);
	cleanup_free char *val = sp ? unescape(sp + 1, len - klen - 1) : xstrdup("");

	if (!strcmp(key, "name")) {
		free(s->name);
		s->name = TAKE_PTR(val);
	} else if (!strcmp(key, "jid")) {
		char *end;
		long jid = strtol(val, &end, 10);

		if (end == val || *end || jid < 0 || jid > INT_MAX)
			return brig_err_set(e, 0, "bad jid line");
		s->jid = (int)jid;
	} else if (!strcmp(key, "status")) {
		int st = jstatus_find(val);

		if (st < 0)
			return brig_err_set(e, 0, "unknown status \"%s\"", val);
		s->status = (enum jstatus)st;
		*has_status = true;
	} else if (!strcmp(key, "init")) {
		int pid = 0;

		if (sscanf(val, "%d %llu", &pid, &s->init_start) != 2 || pid < 0 ||
		    s->init_start > LLONG_MAX)
			return brig_err_set(e, 0, "bad init line");
		s->init_pid = pid;
	} else if (!strcmp(key, "ns")) {
		s->nsflags = (int)strtoul(val, NULL, 16);
	} else if (!strcmp(key, "caps")) {
		s->caps = strtoull(val, NULL, 16);
	} else if (!strcmp(key, "socket_af")) {
		s->socket_af = strcmp(val, "1") == 0;
	} else if (!strcmp(key, "hostname")) {
		free(s->hostname);
		s->hostname = TAKE_PTR(val);
	} else if (!strcmp(key, "path")) {
		free(s->path);
		s->path = TAKE_PTR(val);
	} else if (!strcmp(key, "userns")) {
		if (sscanf(val, "%" SCNu32 " %" SCNu32 " %" SCNu32, &s->userns_uid, &s->userns_gid,
			   &s->userns_count) != 3)
			return brig_err_set(e, 0, "bad userns line");
	} else if (!strcmp(key, "ip4")) {
		state_add_addr(&s->ip4, &s->nip4, val);
	} else if (!strcmp(key, "ip6")) {
		state_add_addr(&s->ip6, &s->nip6, val);
	} else if (!strcmp(key, "hooks")) {
		s->hooks = true;
	} else if (!strcmp(key, "param") || !strcmp(key, "obj") || !strcmp(key, "hook")) {
		return parse_pair(key, val, s, e);
	}
	/* Unknown keys: written by a newer brig; ignored. */
	return 0;
}

int state_parse_v1(const char *text, struct jstate *s, struct brig_err *e)
{
	bool has_status = false;

	memset(s, 0, sizeof(*s));
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		if (len && parse_line(text, len, s, &has_status, e) < 0) {
			state_free(s);
			return -1;
		}
		text += len + (nl ? 1 : 0);
	}
	if (!s->name || !has_status) {
		state_free(s);
		return brig_err_set(e, 0, "incomplete state file");
	}
	return 0;
}
