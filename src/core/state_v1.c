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
 *   hooks                     (hook lines follow)
 *   hook NAME VALUE           (one per value of a list: with the param
 *                              lines, the model the jail started with)
 *   obj KIND ID
 * Values escaped: \\ and \n. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "util/mem.h"

/* The "param" and "hook" lines, made into the jail's model at the end. */
struct v1_params {
	char **pnames, **pvalues;	/* param NAME VALUE: a list joined by "," */
	size_t np;
	char **hnames, **hvalues;	/* hook NAME VALUE: one per value */
	size_t nh;
};

static void push(char ***v, size_t n, char *s)
{
	*v = xrealloc(*v, (n + 1) * sizeof(**v));
	(*v)[n] = s;
}

static void v1_params_free(struct v1_params *p)
{
	strv_free(p->pnames, p->np);
	strv_free(p->pvalues, p->np);
	strv_free(p->hnames, p->nh);
	strv_free(p->hvalues, p->nh);
}

/* "NAME VALUE" pairs for jail_def_from_params. */
struct pairs {
	char **names, **values;
	size_t n;
};

static void pair(struct pairs *p, char *name, char *value)
{
	push(&p->names, p->n, name);
	push(&p->values, p->n++, value);
}

/* A list's values: its hook lines (one per value, commas and all), or
 * (a brig that wrote them for the stop hooks only) its param line split
 * at ","; the strings made here are added to owned. */
static void list_pairs(struct pairs *p, struct pairs *owned, const struct v1_params *v, char *name,
		       const char *joined)
{
	bool lines = false;

	for (size_t i = 0; i < v->nh; i++)
		if (!strcmp(v->hnames[i], name)) {
			pair(p, name, v->hvalues[i]);
			lines = true;
		}
	if (lines)
		return;
	pair(p, name, NULL);	/* set, even when empty */
	for (const char *s = joined; *joined;) {
		size_t len = strcspn(s, ",");
		char *item = xstrndup(s, len);

		pair(p, name, item);
		pair(owned, NULL, item);
		if (!s[len])
			break;
		s += len + 1;
	}
}

/* The model the param and hook lines give (the first line of a name). */
static struct jail_def *v1_model(const char *jail, const struct v1_params *v)
{
	struct pairs p = { 0 }, owned = { 0 };
	struct jail_def *d;

	for (size_t i = 0; i < v->np; i++) {
		const struct conf_pdef *r = conf_pdef_find(CONF_SCHEMA_JAILS, v->pnames[i]);
		bool first = true;

		for (size_t k = 0; k < i && first; k++)
			first = strcmp(v->pnames[k], v->pnames[i]) != 0;
		if (!r || !first)
			continue;
		if (r->type == CONF_LIST)
			list_pairs(&p, &owned, v, v->pnames[i], v->pvalues[i]);
		else
			pair(&p, v->pnames[i], v->pvalues[i]);
	}
	/* Hook lines of a list that has no param line. */
	for (size_t i = 0; i < v->nh; i++) {
		const struct conf_pdef *r = conf_pdef_find(CONF_SCHEMA_JAILS, v->hnames[i]);
		bool first = true;

		for (size_t k = 0; k < v->np && first; k++)
			first = strcmp(v->pnames[k], v->hnames[i]) != 0;
		for (size_t k = 0; k < i && first; k++)
			first = strcmp(v->hnames[k], v->hnames[i]) != 0;
		if (r && r->type == CONF_LIST && first)
			list_pairs(&p, &owned, v, v->hnames[i], "");
	}
	d = jail_def_from_params(jail, p.names, p.values, p.n);
	for (size_t i = 0; i < owned.n; i++)
		free(owned.values[i]);
	free(owned.names);
	free(owned.values);
	free(p.names);
	free(p.values);
	return d;
}

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
static int parse_pair(const char *key, char *val, struct jstate *s, struct v1_params *p,
		      struct brig_err *e)
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
		push(&p->pnames, p->np, xstrdup(val));
		push(&p->pvalues, p->np++, xstrdup(sep + 1));
	} else if (strcmp(key, "hook") == 0) {
		push(&p->hnames, p->nh, xstrdup(val));
		push(&p->hvalues, p->nh++, xstrdup(sep + 1));
	} else {
		kind = jobj_kind_find(val);
		if (kind < 0)
			return brig_err_set(e, 0, "unknown object kind \"%s\"", val);
		state_add_obj(s, (enum jobj_kind)kind, sep + 1);
	}
	return 0;
}

/* One line: key, then the rest (escaped value). */
static int parse_line(const char *line, size_t len, struct jstate *s, struct v1_params *p,
		      bool *has_status, struct brig_err *e)
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
	} else if (!strcmp(key, "param") || !strcmp(key, "obj") || !strcmp(key, "hook")) {
		return parse_pair(key, val, s, p, e);
	}
	/* Unknown keys: written by a newer brig; ignored. */
	return 0;
}

int state_parse_v1(const char *text, struct jstate *s, struct brig_err *e)
{
	struct v1_params p = { 0 };
	bool has_status = false;

	memset(s, 0, sizeof(*s));
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		if (len && parse_line(text, len, s, &p, &has_status, e) < 0) {
			v1_params_free(&p);
			state_free(s);
			return -1;
		}
		text += len + (nl ? 1 : 0);
	}
	if (!s->name || !has_status) {
		v1_params_free(&p);
		state_free(s);
		return brig_err_set(e, 0, "incomplete state file");
	}
	if (p.np)
		s->def = v1_model(s->name, &p);
	v1_params_free(&p);
	return 0;
}
