/* Stopping one jail, in jail(8)'s order: exec.prestop (host), exec.stop
 * (jail), SIGTERM to every process and SIGKILL after stop.timeout, the
 * jail removed, exec.poststop (host), every recorded object, exec.release
 * (host). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "core/jail.h"
#include "core/lock.h"
#include "net/net.h"
#include "sys/proc.h"
#include "util/mem.h"

/* A hook that fails during a stop is reported; the stop goes on (the jail
 * must go either way). */
static void hook_or_warn(struct jctx *x, enum jparam id, bool in_jail)
{
	struct brig_err e = { 0 };

	if (x->sink->ops && x->sink->ops->no_hooks)
		return;
	if (hook_run(x, id, in_jail, &e) < 0) {
		cleanup_free char *msg = xasprintf("%s: stop: %s (going on)", x->name, e.msg);

		sink_emit(x->sink, x->name, CORE_EV_WARNING, msg);
	}
}

/* Ask init to stop the jail (it SIGTERMs everything, waits stop.timeout,
 * SIGKILLs the rest); if init itself does not finish in time, or brig is
 * asked to end meanwhile (proc_defer_begin), kill it, which kills the
 * whole PID namespace. */
static void terminate(struct jctx *x)
{
	long t = x->sp.stop_timeout;

	core_fault("terminate");
	if (t > 0 && pidfd_send_signal(x->pidfd, SIGTERM, NULL, 0) == 0 &&
	    proc_wait_deferred(x->pidfd, (int)(t * 1000) + 2000) == 1)
		return;
	proc_kill_wait(x->pidfd);
}

/* The stop itself, with the jail's lock held and x->st of a running jail. */
static int stop_locked(struct jctx *x, struct brig_err *e)
{
	spec_runtime(x->def, &x->sp);
	x->sp.path = xstrdup(x->st.path ? x->st.path : "");
	x->pidfd = proc_pidfd(x->st.init_pid, x->st.init_start, e);
	if (x->pidfd < 0)
		return brig_err_wrap(e, "the jail's init");
	x->st.status = JSTATUS_STOPPING;
	if (jail_save(x, e) < 0)
		return -1;
	core_fault("stopping");
	hook_or_warn(x, JP_EXEC_PRESTOP, false);
	hook_or_warn(x, JP_EXEC_STOP, true);
	for (size_t i = 0; i < x->st.nobjs; i++)
		if (x->st.objs[i].kind == JOBJ_VETH) {
			net_jail_stopping(x->st.init_pid);
			break;
		}
	terminate(x);
	core_fault("removed");
	hook_or_warn(x, JP_EXEC_POSTSTOP, false);
	if (jail_teardown(x, e) < 0)
		return -1;
	hook_or_warn(x, JP_EXEC_RELEASE, false);
	return 0;
}

int jail_stop(const struct jail_set *set, const char *name, const struct sink *s)
{
	struct jctx x = { .def = set ? jail_set_find(set, name) : NULL, .name = name, .lockfd = -1,
			  .initfd = -1, .pidfd = -1, .sink = s, .verbose = s->ops && s->ops->verbose };
	struct brig_err e = { 0 };
	enum core_event ev = CORE_EV_FAILED;
	const char *why = conf_name_invalid(name);
	struct jail_def *rec = NULL;
	bool busy;
	int r;

	x.child.go = x.child.status = x.child.pidfd = -1;
	if (why) {
		brig_err_set(&e, 0, "%s: stop: the name %s", name, why);
		goto out;
	}
	x.dir = jail_dir(name);
	x.lockfd = jail_lock(name, true, &busy, &e);
	if (x.lockfd < 0)
		goto out;
	r = jail_reconcile(&x, &e);
	if (r < 0)
		brig_err_wrap(&e, "%s: cleaning up its last run", name);
	else if (r == 0 && !x.def && set)
		brig_err_set(&e, 0, "%s: no such jail (not in the configuration, not running)", name);
	else if (r == 0)
		ev = CORE_EV_NOT_RUNNING;
	/* Never restarted after brig stop; a restart that waits is cancelled. */
	if (r >= 0)
		restart_cancel(name, r == 1);
	if (r == 1) {
		/* As it started, whatever the configuration says now. */
		x.def = rec = jail_def_copy(jail_recorded_def(&x.st));
		if (stop_locked(&x, &e) < 0) {
			brig_err_wrap(&e, "%s: stop", name);
		} else {
			ev = CORE_EV_STOPPED;
			last_record(name, "stopped", -1, NULL, NULL, NULL);
			cleanup_free char *line = xasprintf("%s: stopped by brig stop", name);

			jlog_event(name, line);
		}
	}
	/* A failed teardown keeps the state (and so the lock directory). */
	jail_unlock(name, x.lockfd, !jail_has_state(x.dir));
out:
	if (x.pidfd >= 0)
		close(x.pidfd);
	sink_emit(s, name, ev, ev == CORE_EV_FAILED ? e.msg : NULL);
	spec_free(&x.sp);
	state_free(&x.st);
	jail_def_free(rec);
	free(x.dir);
	return ev == CORE_EV_FAILED ? -1 : 0;
}
