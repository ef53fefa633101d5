/* jail -m: what Linux can change in a running jail, changed live, in the
 * frame of every jail operation (its lock held, its state reconciled),
 * and recorded in its state: host.hostname, rctl (its limits, all
 * written again); and the parameters without effect on Linux, or whose
 * value changes nothing on Linux (allow.mount*, allow.set_hostname),
 * recorded alone, as jail(8) changes them. Everything else is fixed when
 * the jail starts: its namespaces, root, mounts, network, and the
 * capabilities and seccomp filter of its processes (allow.*: refused,
 * naming which). */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "core/jail.h"
#include "sys/proc.h"
#include "sys/uts.h"
#include "util/mem.h"

/* What core_modify is given (jctx.arg). */
struct modify {
	const struct jail_def *with;
	const enum jparam *ids;
	size_t n;
	bool new_reaper;	/* its rules of action log changed: a reaper
				 * with the new watches replaces the jail's */
};

/* Why an allow.* that gives the jail's processes capability cap cannot
 * change while they run. */
#define HELD_CAP(cap) cap ", held by the jail's processes since they started: Linux cannot change " \
	"a running process's capabilities (jail -rc restarts it with the new value)"

const char *core_fixed(enum jparam id)
{
	unsigned int f = conf_jparam(id)->flags;

	/* Without effect on Linux (config check says so): changed in the
	 * record alone, as FreeBSD's jail -m changes it (jls shows it). */
	if ((f & CONF_PF_IGNORED) && !(f & CONF_PF_READONLY))
		return NULL;
	switch (id) {
	case JP_HOST_HOSTNAME:
	case JP_RCTL:
	/* Read from the record by each child's start (core/hier.c). */
	case JP_CHILDREN_MAX:
	/* The same whatever their value on Linux (a userns jail may, in
	 * its own namespaces; another never: CAP_SYS_ADMIN would reach the
	 * host): recorded alone, as the ignored ones. */
	case JP_ALLOW_MOUNT:
	case JP_ALLOW_MOUNT_NULLFS:
	case JP_ALLOW_MOUNT_PROCFS:
	case JP_ALLOW_MOUNT_TMPFS:
	case JP_ALLOW_SET_HOSTNAME:
		return NULL;
	/* Capabilities and the seccomp filter of the jail's processes are
	 * given to each when it starts; Linux cannot change another
	 * process's, nor loosen a filter. */
	case JP_ALLOW_ADJTIME:
	case JP_ALLOW_SETTIME:
		return "CAP_SYS_TIME and the clock calls of the seccomp filter, held by the jail's "
		       "processes since they started: Linux cannot change a running process's "
		       "capabilities or loosen its filter (jail -rc restarts it with the new value)";
	case JP_ALLOW_CHFLAGS:
		return HELD_CAP("CAP_LINUX_IMMUTABLE");
	case JP_ALLOW_MLOCK:
		return HELD_CAP("CAP_IPC_LOCK");
	case JP_ALLOW_RAW_SOCKETS:
		return HELD_CAP("CAP_NET_RAW");
	case JP_ALLOW_RESERVED_PORTS:
		return HELD_CAP("CAP_NET_BIND_SERVICE");
	case JP_ALLOW_SUSER:
		return "the capabilities of root in the jail, held by its processes since they "
		       "started: Linux cannot change a running process's capabilities (jail -rc "
		       "restarts it with the new value)";
	case JP_ALLOW_SOCKET_AF:
		return "the socket families of the jail's seccomp filter, set when its processes "
		       "started: Linux cannot loosen or replace a running process's filter (jail -rc "
		       "restarts it with the new value)";
	case JP_ALLOW_SYSVIPC:
		return "the host's System V IPC or a namespace of the jail's own, chosen when it was "
		       "created: Linux moves no running process to another IPC namespace (jail -rc "
		       "restarts it with the new value)";
	/* FreeBSD's applies to later commands; here the rule is the
	 * JID's, its table could change, but the sockets open now would
	 * move with it, which FreeBSD's keep their FIB. */
	case JP_EXEC_FIB:
		return "the jail's sockets are routed by the table it started with (their mark, its "
		       "rule): Linux would move the open ones too, where FreeBSD applies it to later "
		       "commands only (jail -rc restarts it with the new value)";
	case JP_NAME:
	case JP_JID:
		return "it names the jail";
	default:
		return "Linux sets it when the jail starts (jail -rc restarts it with the new value)";
	}
}

/* host.hostname: set in the jail's own UTS namespace. */
static int set_hostname(struct jctx *x, const struct jail_def *with, struct brig_err *e)
{
	const char *hn = jd_nonempty(with, JP_HOST_HOSTNAME);
	int pidfd;
	int r;

	if (!hn)
		hn = x->name;
	if (strlen(hn) > 64)
		return brig_err_set(e, 0, "%s: \"%s\": longer than 64 bytes", jd_name(JP_HOST_HOSTNAME), hn);
	if (!(x->st.nsflags & CLONE_NEWUTS))
		return brig_err_set(e, 0, "%s: the jail shares the host's name (host = inherit): "
				    "jail -rc restarts it with a name of its own", jd_name(JP_HOST_HOSTNAME));
	pidfd = proc_pidfd(x->st.init_pid, x->st.init_start, e);
	if (pidfd < 0)
		return -1;
	r = uts_sethostname(pidfd, hn, e);
	close(pidfd);
	if (r < 0)
		return -1;
	free(x->st.hostname);
	x->st.hostname = xstrdup(hn);
	return 0;
}

static enum core_event modify_locked(struct jctx *x, int running, struct brig_err *e)
{
	struct modify *m = x->arg;
	struct jail_def *now;

	if (running < 0)
		return CORE_EV_FAILED;
	if (!running)
		return CORE_EV_NOT_RUNNING;
	/* Checked again here, whatever the caller checked. */
	for (size_t i = 0; i < m->n; i++)
		if (core_fixed(m->ids[i])) {
			brig_err_set(e, 0, "%s: %s cannot be changed after creation: %s", x->name,
				     jd_name(m->ids[i]), core_fixed(m->ids[i]));
			return CORE_EV_FAILED;
		}
	for (size_t i = 0; i < m->n; i++)
		if (m->ids[i] == JP_HOST_HOSTNAME && set_hostname(x, m->with, e) < 0) {
			brig_err_wrap(e, "%s: modify", x->name);
			return CORE_EV_FAILED;
		}
	if (jail_recorded_def(&x->st)) {
		now = jail_def_update(jail_recorded_def(&x->st), m->with, m->ids, m->n);
		/* rctl: the limits of the model as changed, all of them
		 * written again (a rule removed goes back to none). */
		for (size_t i = 0; i < m->n; i++)
			if (m->ids[i] == JP_RCTL && jail_limits_apply(x, now, true, e) < 0) {
				jail_def_free(now);
				brig_err_wrap(e, "%s: modify", x->name);
				return CORE_EV_FAILED;
			}
		m->new_reaper = !jail_limits_same_watches(jail_recorded_def(&x->st), now);
		jail_record(&x->st, now);
		jail_def_free(now);
	}
	return jail_save(x, e) < 0 ? CORE_EV_FAILED : CORE_EV_DONE;
}

/* Once the lock is released (a reaper must find the jail free if it has
 * ended meanwhile): the jail's reaper replaced when its rules of action
 * log changed, for it watches them (core/limits.c); none kept if the
 * jail no longer wants one. Best effort: a reaper that could not be
 * started leaves the watching to the peak read at the stop, and the
 * cleaning to the next brig command. */
static void modify_after(struct jctx *x, enum core_event ev, struct brig_err *e)
{
	struct modify *m = x->arg;
	const struct jail_def *d = jail_recorded_def(&x->st);
	struct brig_err re = { 0 };
	cleanup_free char *run = NULL;
	struct jail_watches w;

	(void)e;
	if (ev != CORE_EV_DONE || !m->new_reaper || !d)
		return;
	reaper_stop(x->st.init_pid);
	if (!jail_wants_reaper(d) || (x->pidfd = proc_pidfd(x->st.init_pid, x->st.init_start, &re)) < 0)
		return;
	run = jail_run_id(&x->st);
	jail_limits_watches(x, d, &w);
	(void)reaper_spawn(x->pidfd, x->name, run, w.w, w.n, &re);
	jail_watches_close(&w);
}

int core_modify(const struct jail_def *with, const enum jparam *ids, size_t n, struct brig_err *e)
{
	static const struct jail_op op = { "modify", modify_locked, modify_after };
	const struct sink s = { .fd = -1 };
	struct modify m = { with, ids, n, false };
	struct jctx x = { .def = with, .name = with->name, .sink = &s, .arg = &m };
	enum core_event ev;

	*e = (struct brig_err){ 0 };
	ev = jail_frame(&x, &op, e);
	if (ev == CORE_EV_NOT_RUNNING)
		return brig_err_set(e, 0, "\"%s\" not found", with->name);
	return ev == CORE_EV_FAILED ? -1 : 0;
}
