/* Which jails run: core_list, core_find(_running), core_is_running. Every listing
 * cleans up after jails that died or whose brig was interrupted. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "core/jail.h"
#include "core/lock.h"
#include "sys/proc.h"
#include "sys/reaper.h"
#include "util/mem.h"
#include "util/paths.h"

/* A copy of a string vector. */
static char **dup_strv(char *const *v, size_t n)
{
	char **r = xcalloc(n + 1, sizeof(*r));

	for (size_t i = 0; i < n; i++)
		r[i] = xstrdup(v[i]);
	return r;
}

/* Fill out from a state (its model is taken over). */
static void from_state(struct core_jail *out, struct jstate *st)
{
	memset(out, 0, sizeof(*out));
	out->jid = st->jid;
	out->name = xstrdup(st->name);
	out->hostname = xstrdup(st->hostname ? st->hostname : "");
	out->path = xstrdup(st->path ? st->path : "");
	out->ip4 = dup_strv(st->ip4, st->nip4);
	out->nip4 = st->nip4;
	out->ip6 = dup_strv(st->ip6, st->nip6);
	out->nip6 = st->nip6;
	out->init_pid = st->init_pid;
	out->init_start = st->init_start;
	out->state = jstatus_names[st->status == JSTATUS_STARTING || st->status == JSTATUS_STOPPING ?
				   st->status : JSTATUS_RUNNING];
	out->def = st->def;
	st->def = NULL;
}

/* Look at one jail directory: 1 and *st if the jail is up (or being
 * started/stopped by another brig right now), 0 if not (cleaning up what it
 * left when nobody else is at it). */
static int look(const char *name, struct jstate *st, int exit_code)
{
	struct jctx x = { .name = name, .lockfd = -1, .pidfd = -1, .initfd = -1,
			  .exit_known = exit_code >= 0, .exit_status = exit_code };
	struct brig_err e = { 0 };
	bool busy, alive;
	int r;

	x.dir = jail_dir(name);
	r = state_read(x.dir, st, NULL);
	alive = r == 1 && proc_alive(st->init_pid, st->init_start);
	/* The common case needs no lock: a running jail. */
	if (alive && st->status == JSTATUS_RUNNING) {
		free(x.dir);
		return 1;
	}
	x.lockfd = jail_lock(name, false, &busy, &e);
	if (x.lockfd < 0) {
		free(x.dir);
		/* Another brig is at it: show it as it is if it has an init. */
		if (r == 1 && alive)
			return 1;
		if (r == 1)
			state_free(st);
		return 0;
	}
	if (r == 1)
		state_free(st);
	r = jail_reconcile(&x, &e);
	if (r == 1)
		*st = x.st;
	else
		state_free(&x.st);
	jail_unlock(name, x.lockfd, !jail_has_state(x.dir));
	free(x.dir);
	return r == 1;
}

/* qsort order of jails: by JID. */
static int by_jid(const void *a, const void *b)
{
	const struct core_jail *x = a, *y = b;

	return (x->jid > y->jid) - (x->jid < y->jid);
}

/* Each jail's parent (its JID) and running children, from the list v. */
static void family(struct core_jail *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t plen = conf_name_parent_len(v[i].name);

		for (size_t k = 0; k < n && plen; k++)
			if (strlen(v[k].name) == plen && conf_name_below(v[i].name, v[k].name)) {
				v[i].parent = v[k].jid;
				v[k].children++;
			}
	}
}

int core_list(struct core_jail **out, size_t *n, struct brig_err *e)
{
	struct dirent **de;
	struct core_jail *v = NULL;
	size_t len = 0, cap = 0;
	int nde = scandir(brig_rundir(), &de, NULL, alphasort);

	*out = NULL;
	*n = 0;
	if (nde < 0 && errno == ENOENT)
		return 0;
	if (nde < 0)
		return brig_err_set(e, errno, "%s", brig_rundir());
	/* In reverse order of names: a child (a.b) before its parent, so
	 * that a parent whose end took its children down finds their
	 * groups (below its own) gone when it is cleaned up. */
	while (nde-- > 0) {
		const char *name = de[nde]->d_name;
		struct jstate st;

		if (name[0] != '.' && !conf_name_invalid(name) && look(name, &st, -1)) {
			v = xgrow(v, &cap, len, sizeof(*v));
			from_state(&v[len++], &st);
			state_free(&st);
		}
		free(de[nde]);
	}
	free(de);
	family(v, len);
	if (len)
		qsort(v, len, sizeof(*v), by_jid);
	*out = v;
	*n = len;
	return 0;
}

/* True if s is a decimal number. */
static bool numeric(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/* Whether the configuration defines name; true when it cannot tell (it
 * does not load). Only when the jail is not running: its cost is that of
 * a lazy load. */
static bool configured(const char *name)
{
	struct conf_source src = { .schema = CONF_SCHEMA_JAILS, .confdir = brig_confdir(),
				   .isolate = true, .lazy = true };
	struct diag d = { 0 };
	struct conf *c = NULL;
	bool found = true;

	if (conf_load(&src, &c, &d) == 0)
		found = conf_jail(c, name) != NULL;
	conf_free(c);
	diag_free(&d);
	return found;
}

long core_children(const char *parent, const char *skip)
{
	size_t plen = strlen(parent);
	DIR *d = opendir(brig_rundir());
	struct dirent *de;
	struct jstate st;
	long n = 0;

	/* Names only: a state is read for a child alone. */
	while (d && (de = readdir(d))) {
		const char *c = de->d_name;

		if (conf_name_parent_len(c) == plen && conf_name_below(c, parent) &&
		    (!skip || strcmp(c, skip) != 0) && !conf_name_invalid(c) && look(c, &st, -1)) {
			n++;
			state_free(&st);
		}
	}
	if (d)
		closedir(d);
	return n;
}

/* j's parent (its JID) and running children, as family() finds them,
 * looking only at those jails. Always 0. */
static int find_family(struct core_jail *j)
{
	size_t plen = conf_name_parent_len(j->name);
	struct jstate st;

	if (plen) {
		cleanup_free char *parent = xstrndup(j->name, plen);

		if (look(parent, &st, -1)) {
			j->parent = st.jid;
			state_free(&st);
		}
	}
	j->children = (int)core_children(j->name, NULL);
	return 0;
}

int core_find(const char *name_or_jid, struct core_jail *out, struct brig_err *e)
{
	struct jstate st;

	memset(out, 0, sizeof(*out));
	if (!conf_name_invalid(name_or_jid) && look(name_or_jid, &st, -1)) {
		from_state(out, &st);
		state_free(&st);
		return find_family(out);
	}
	if (numeric(name_or_jid)) {
		struct core_jail *v;
		size_t n;

		if (core_list(&v, &n, e) < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if (v[i].jid == atoi(name_or_jid)) {
				*out = v[i];
				memset(&v[i], 0, sizeof(v[i]));
				core_list_free(v, n);
				return 0;
			}
		core_list_free(v, n);
	}
	return brig_err_set(e, 0, "%s: not running", name_or_jid);
}

int core_find_running(const char *name_or_jid, struct core_jail *out, struct brig_err *e)
{
	if (core_find(name_or_jid, out, e) == 0)
		return 0;
	if (!configured(name_or_jid))
		return brig_err_set(e, 0, "%s: no such jail (not in the configuration, not running)",
				    name_or_jid);
	return -1;
}

int core_is_running(const char *name, struct brig_err *e)
{
	struct jstate st;

	if (conf_name_invalid(name))
		return brig_err_set(e, 0, "\"%s\": not a jail name (%s)", name, conf_name_invalid(name));
	if (!look(name, &st, -1))
		return 0;
	state_free(&st);
	return 1;
}

int core_reap(const char *name, int pidfd, struct conf *(*load)(void), struct brig_err *e)
{
	const char *run = getenv(REAPER_RUN_VAR);
	cleanup_free char *dir = NULL;
	struct jstate st;
	int code = -1;

	if (conf_name_invalid(name))
		return brig_err_set(e, 0, "\"%s\": not a jail name (%s)", name, conf_name_invalid(name));
	/* The status only matters for a jail that has state left (one that
	 * was stopped has none), or whose end another brig has just recorded
	 * (brig ls cleans up too) without it: only then wait for it. */
	dir = jail_dir(name);
	if (pidfd >= 0 && (jail_has_state(dir) || (run && *run)) && proc_exit_info(pidfd, 2000, &code) != 1)
		code = -1;
	if (look(name, &st, code)) {
		state_free(&st);
		return 0;
	}
	if (run && *run) {
		last_reaped(name, run, code);
		/* Still the jail's reaper while a restart waits (ps, tests). */
		prctl(PR_SET_NAME, "brig-reaper", 0, 0, 0);
		restart_after_end(name, run, load);
	}
	return 0;
}

void core_jail_free(struct core_jail *j)
{
	free(j->name);
	free(j->hostname);
	free(j->path);
	strv_free(j->ip4, j->nip4);
	strv_free(j->ip6, j->nip6);
	jail_def_free(j->def);
	memset(j, 0, sizeof(*j));
}

void core_list_free(struct core_jail *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		core_jail_free(&v[i]);
	free(v);
}
