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
#include "net/net.h"
#include "sys/proc.h"
#include "util/mem.h"

/* The jail's init, pinned; the jail is "stopping" from here on. */
static int step_stopping(struct jctx *x, struct brig_err *e)
{
	x->pidfd = proc_pidfd(x->st.init_pid, x->st.init_start, e);
	if (x->pidfd < 0)
		return brig_err_wrap(e, "the jail's init");
	x->st.status = JSTATUS_STOPPING;
	if (jail_save(x, e) < 0)
		return -1;
	core_fault("stopping");
	return 0;
}

/* A vnet jail's interfaces go with its namespace: net/ is told first. */
static int step_vnet(struct jctx *x, struct brig_err *e)
{
	(void)e;
	for (size_t i = 0; i < x->st.nobjs; i++)
		if (x->st.objs[i].kind == JOBJ_VETH) {
			net_jail_stopping(x->st.init_pid);
			break;
		}
	return 0;
}

/* The host interfaces moved into a vnet jail go back to the host before
 * the jail's namespace goes (as FreeBSD returns them when it removes the
 * jail), so that exec.poststop finds them. */
static int step_return(struct jctx *x, struct brig_err *e)
{
	return jail_return_ifs(x, e) < 0 ? brig_err_wrap(e, "vnet.interface") : 0;
}

/* Ask init to stop the jail (it SIGTERMs everything, waits stop.timeout,
 * SIGKILLs the rest); if init itself does not finish in time, or brig is
 * asked to end meanwhile (proc_defer_begin), kill it, which kills the
 * whole PID namespace. */
static int step_remove(struct jctx *x, struct brig_err *e)
{
	long t = x->sp.stop_timeout;

	(void)e;
	core_fault("terminate");
	if (!(t > 0 && pidfd_send_signal(x->pidfd, SIGTERM, NULL, 0) == 0 &&
	      proc_wait_deferred(x->pidfd, (int)(t * 1000) + 2000) == 1))
		proc_kill_wait(x->pidfd);
	core_fault("removed");
	return 0;
}

/* jail(8)'s order. A step without run is the exec.* hook it names (on
 * the host, or in the jail), none with core_ops.no_hooks (jail -R). A
 * step with warn that fails is reported and the stop goes on (the jail
 * must go either way); any other failure ends it. */
static const struct stop_step {
	const char *name;
	int (*run)(struct jctx *x, struct brig_err *e);
	enum jparam hook;
	bool in_jail;
	bool warn;
} steps[] = {
	{ "stopping", step_stopping, 0, false, false },
	{ "exec.prestop", NULL, JP_EXEC_PRESTOP, false, true },
	{ "exec.stop", NULL, JP_EXEC_STOP, true, true },
	{ "vnet", step_vnet, 0, false, false },
	{ "vnet.interface", step_return, 0, false, true },
	{ "remove", step_remove, 0, false, false },
	{ "exec.poststop", NULL, JP_EXEC_POSTSTOP, false, true },
	{ "teardown", jail_teardown, 0, false, false },
	{ "exec.release", NULL, JP_EXEC_RELEASE, false, true },
};

/* One step of the table. */
static int run_step(struct jctx *x, const struct stop_step *s, struct brig_err *e)
{
	x->step = s->name;
	if (s->run)
		return s->run(x, e);
	if (x->sink->ops && x->sink->ops->no_hooks)
		return 0;
	return hook_run(x, s->hook, s->in_jail, e);
}

/* The stop itself, with the jail's lock held and x->st of a running jail
 * (x->def the model it recorded). */
static int run_plan(struct jctx *x, struct brig_err *e)
{
	spec_runtime(x->def, &x->sp);
	x->sp.path = xstrdup(x->st.path ? x->st.path : "");
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++) {
		struct brig_err se = { 0 };

		if (run_step(x, &steps[i], steps[i].warn ? &se : e) == 0)
			continue;
		if (!steps[i].warn)
			return -1;
		cleanup_free char *msg = xasprintf("%s: stop: %s (going on)", x->name, se.msg);

		sink_emit(x->sink, x->name, CORE_EV_WARNING, msg);
	}
	return 0;
}

enum core_event jail_stop_locked(struct jctx *x, int running, struct brig_err *e)
{
	const struct jail_def *def = x->def;
	struct jail_def *rec;
	enum core_event ev = CORE_EV_FAILED;

	if (running == 0 && !x->def && x->set)
		brig_err_set(e, 0, "%s: no such jail (not in the configuration, not running)", x->name);
	else if (running == 0)
		ev = CORE_EV_NOT_RUNNING;
	/* Never restarted after brig stop; a restart that waits is cancelled. */
	if (running >= 0)
		restart_cancel(x->name, running == 1);
	if (running != 1)
		return ev;
	/* As it started, whatever the configuration says now. (A copy:
	 * the steps save and may free x->st.) */
	x->def = rec = jail_def_copy(jail_recorded_def(&x->st));
	if (run_plan(x, e) < 0) {
		brig_err_wrap(e, "%s: stop", x->name);
	} else {
		cleanup_free char *line = xasprintf("%s: stopped by brig stop", x->name);

		ev = CORE_EV_STOPPED;
		last_record(x->name, "stopped", -1, NULL, NULL, NULL);
		jlog_event(x->name, line);
	}
	x->def = def;
	jail_def_free(rec);
	return ev;
}

static const struct jail_op stop_op = { "stop", jail_stop_locked, NULL };

int jail_stop(const struct jail_set *set, const char *name, const struct sink *s)
{
	struct jctx x = { .set = set, .def = set ? jail_set_find(set, name) : NULL, .name = name,
			  .sink = s, .verbose = s->ops && s->ops->verbose };
	struct brig_err e = { 0 };

	return jail_frame(&x, &stop_op, &e) == CORE_EV_FAILED ? -1 : 0;
}
