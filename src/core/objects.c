/* Recorded kernel objects: recording, removal, and cleaning up after jails
 * that died or whose brig was interrupted. */
#include <string.h>

#include "core/jail.h"
#include "core/jid.h"
#include "core/lock.h"
#include "net/net.h"
#include "store/store.h"
#include "sys/cgroup.h"
#include "sys/proc.h"
#include "util/mem.h"

int jail_save(struct jctx *x, struct brig_err *e)
{
	return state_write(x->dir, &x->st, e);
}

/* rec.add of a jail: the object is in the state file before it exists. */
static int rec_jail_add(void *ctx, enum jobj_kind kind, const char *id, struct brig_err *e)
{
	struct jctx *x = ctx;

	state_add_obj(&x->st, kind, id);
	if (jail_save(x, e) < 0)
		return -1;
	core_fault(jobj_kind_names[kind]);
	return 0;
}

struct rec jail_rec(struct jctx *x)
{
	return (struct rec){ .add = rec_jail_add, .ctx = x };
}

/* Remove one recorded object; already gone counts as success. */
static int obj_remove(const struct jobj *o, struct brig_err *e)
{
	/* A thin jail's root, recorded by an older brig: it stays mounted
	 * (store/root.c); brig destroy unmounts it. */
	switch (o->kind) {
	case JOBJ_MOUNT:
		return 0;
	case JOBJ_IDROOT:	/* a userns jail's idmapped root: the plain one comes back */
		return store_root_plain(o->id, e);
	case JOBJ_CGROUP:
		return cgroup_remove(o->id, e);
	case JOBJ_CGJOIN:	/* brig's, shared: only left */
		return 0;
	default:
		return net_obj_remove(o->kind, o->id, e);
	}
}

int jail_teardown(struct jctx *x, struct brig_err *e)
{
	struct jstate *st = &x->st;
	size_t kept = 0;
	int r = 0;

	jail_limits_log(x);
	/* Reverse order; the survivors keep their relative order. */
	for (size_t i = st->nobjs; i-- > 0;) {
		struct brig_err oe = { 0 };

		core_fault("teardown");
		if (obj_remove(&st->objs[i], &oe) == 0) {
			free(st->objs[i].id);
			st->objs[i].id = NULL;
			continue;
		}
		if (r == 0) {
			*e = oe;
			r = -1;
		}
		kept++;
	}
	if (kept == 0) {
		st->nobjs = 0;
		return jid_state_remove(x->dir, st, e) < 0 ? -1 : r;
	}
	for (size_t i = 0, w = 0; i < st->nobjs; i++)
		if (st->objs[i].id)
			st->objs[w++] = st->objs[i];
	st->nobjs = kept;
	st->status = JSTATUS_DEAD;
	jail_save(x, NULL);
	return r;
}

int jail_return_ifs(struct jctx *x, struct brig_err *e)
{
	int r = 0;

	for (size_t i = 0; i < x->st.nobjs; i++) {
		struct brig_err oe = { 0 };

		if (x->st.objs[i].kind != JOBJ_IFMOVED ||
		    net_jail_return(x->st.init_pid, x->st.objs[i].id, &oe) == 0)
			continue;
		if (r == 0)
			*e = oe;
		r = -1;
	}
	return r;
}

bool jail_wants_reaper(const struct jail_def *d)
{
	return !jd_on(d, JP_PERSIST) || restart_wanted(d) || jail_limits_nlog(d);
}

/* Was a reaper started for the jail st records (sys/reaper.h)? (A live
 * change of its rules of action log replaces it: core/modify.c.) */
static bool has_reaper(const struct jstate *st)
{
	return jail_wants_reaper(jail_recorded_def(st));
}

int jail_reconcile(struct jctx *x, struct brig_err *e)
{
	int r = state_read(x->dir, &x->st, e);

	if (r <= 0)
		return r;
	/* A running jail whose init is gone ended on its own (or its init
	 * was killed): say so for brig ls -a. */
	if (x->st.status == JSTATUS_RUNNING && !proc_alive(x->st.init_pid, x->st.init_start)) {
		int status = x->exit_known ? x->exit_status : -1;
		cleanup_free char *run = jail_run_id(&x->st);

		last_record(x->name, "ended", status, NULL, NULL, run);
		/* Without the status, the jail's reaper (if it has one) will
		 * say it: it has the status (last_reaped). */
		if (status >= 0 || !has_reaper(&x->st))
			jlog_ended(x->name, status);
	}
	if (proc_alive(x->st.init_pid, x->st.init_start)) {
		struct brig_err ke = { 0 };
		int pidfd;

		if (x->st.status == JSTATUS_RUNNING)
			return 1;
		/* Interrupted while starting or stopping (we hold the lock, so
		 * nobody is at it any more): the jail goes, after the host has
		 * its interfaces back (best effort: the jail goes anyway). */
		pidfd = proc_pidfd(x->st.init_pid, x->st.init_start, &ke);
		if (pidfd >= 0) {
			jail_return_ifs(x, &ke);
			proc_kill_wait(pidfd);
			close(pidfd);
		}
	}
	return jail_teardown(x, e) < 0 ? -1 : 0;
}
