/* A jail's state in memory, and its file: read (either version), written
 * (version 2), removed. The formats are in state_v1.c and state_json.c. */
#include "core/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"
#include "util/readfile.h"
#include "util/writefile.h"

/* A state holds every resolved parameter of one jail: a few KiB. Anything
 * this large is not one. */
#define STATE_MAX (4u << 20)

const char *const jstatus_names[JSTATUS__COUNT] = {
	[JSTATUS_STARTING] = "starting",
	[JSTATUS_RUNNING] = "running",
	[JSTATUS_STOPPING] = "stopping",
	[JSTATUS_DEAD] = "dead",
};

int jstatus_find(const char *name)
{
	for (int i = 0; i < JSTATUS__COUNT; i++)
		if (strcmp(jstatus_names[i], name) == 0)
			return i;
	return -1;
}

/* Append s (taken over) to the vector v of n strings. */
static void push(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = s;
}

void state_add_obj(struct jstate *s, enum jobj_kind kind, const char *id)
{
	s->objs = xrealloc(s->objs, (s->nobjs + 1) * sizeof(*s->objs));
	s->objs[s->nobjs].kind = kind;
	s->objs[s->nobjs].id = xstrdup(id);
	s->nobjs++;
}

void state_add_addr(char ***v, size_t *n, const char *addr)
{
	push(v, n, xstrdup(addr));
}

/* The ids of the objects whose kind is in the mask (1 << kind each). */
static char **obj_ids(const struct jstate *s, unsigned kinds, size_t *n)
{
	char **v = xcalloc(s->nobjs + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < s->nobjs; i++)
		if (kinds & (1u << s->objs[i].kind))
			v[(*n)++] = s->objs[i].id;
	return v;
}

char **state_obj_ids(const struct jstate *s, enum jobj_kind kind, size_t *n)
{
	return obj_ids(s, 1u << kind, n);
}

char **state_cgroup_joins(const struct jstate *s, size_t *n)
{
	return obj_ids(s, 1u << JOBJ_CGROUP | 1u << JOBJ_CGJOIN, n);
}

int state_parse(const char *text, struct jstate *s, struct brig_err *e)
{
	static const char v1[] = "brig-jail-state 1\n";
	int r;

	if (strncmp(text, v1, sizeof(v1) - 1) == 0)
		r = state_parse_v1(text + sizeof(v1) - 1, s, e);
	else
		r = state_parse_json(text, s, e);
	/* A state that recorded no model (written before the jail's first
	 * step, or by hand): the jail at the table's defaults, so that every
	 * reader has one. */
	if (r == 0 && !s->def)
		s->def = jail_def_from_params(s->name, NULL, NULL, 0);
	return r;
}

void strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void state_free(struct jstate *s)
{
	free(s->name);
	free(s->hostname);
	free(s->path);
	strv_free(s->ip4, s->nip4);
	strv_free(s->ip6, s->nip6);
	jail_def_free(s->def);
	for (size_t i = 0; i < s->nobjs; i++)
		free(s->objs[i].id);
	free(s->objs);
	memset(s, 0, sizeof(*s));
}

int state_read(const char *dir, struct jstate *s, struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/state", dir);
	cleanup_free char *text = NULL;
	struct brig_err re = { 0 };

	memset(s, 0, sizeof(*s));
	/* The run directory is root's: bounded all the same, so that a
	 * damaged file is an error that names it, not all of our memory. */
	if (read_bounded(AT_FDCWD, path, READ_AT, STATE_MAX, &text, NULL, &re) < 0) {
		if (re.errnum == ENOENT)
			return 0;
		if (e)
			*e = re;
		return brig_err_wrap(e, "state");
	}
	if (state_parse(text, s, e) < 0)
		return brig_err_wrap(e, "state %s", path);
	return 1;
}

int state_write(const char *dir, const struct jstate *s, struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/state", dir);
	struct strbuf sb = STRBUF_INIT;
	int r;

	state_format(s, &sb);
	r = write_atomic(path, sb.s, sb.len, true, e);
	sb_free(&sb);
	return r < 0 ? brig_err_wrap(e, "state") : 0;
}

int state_remove(const char *dir, struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/state", dir);

	if (unlink(path) < 0 && errno != ENOENT)
		return brig_err_set(e, errno, "state %s", path);
	return 0;
}
