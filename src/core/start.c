/* Starting one jail: a plan of steps in jail(8)'s order, each recorded in
 * the jail's state before it acts, undone in reverse when one fails. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf/model.h"
#include "core/jail.h"
#include "core/jid.h"
#include "net/net.h"
#include "store/store.h"
#include "sys/cgroup.h"
#include "sys/devices.h"
#include "sys/initbin.h"
#include "sys/proc.h"
#include "sys/reaper.h"
#include "sys/sockaddr.h"
#include "util/mem.h"

/* JID, then the state file: from here on the jail is "starting". */
static int step_state(struct jctx *x, struct brig_err *e)
{
	const struct jspec *sp = &x->sp;
	struct jstate *st = &x->st;

	st->name = xstrdup(x->name);
	st->status = JSTATUS_STARTING;
	st->nsflags = sp->nsflags;
	st->caps = sp->caps;
	st->socket_af = sp->socket_af;
	if (sp->hostname) {
		st->hostname = xstrdup(sp->hostname);
	} else {
		char host[256] = "";

		gethostname(host, sizeof(host) - 1);
		st->hostname = xstrdup(host);
	}
	st->path = xstrdup(sp->path);
	for (size_t i = 0; i < sp->nip4; i++)
		state_add_addr(&st->ip4, &st->nip4, sp->ip4[i]);
	for (size_t i = 0; i < sp->nip6; i++)
		state_add_addr(&st->ip6, &st->nip6, sp->ip6[i]);
	/* The model as it is now, for jls and for stopping later. */
	jail_record(st, x->def);
	if (jid_assign(x, e) < 0)
		return -1;
	return jail_userns_assign(x, e);
}

/* A vnet jail whose root configures its own stack: its network
 * namespace, owned by a user namespace of its own, is brig's to make
 * (sys/userns.h); a thread makes it while the next steps run (the
 * kernel's setup of one takes ~1 ms), step_mount takes it for the first
 * process to join. Not in a worker of a batch (start --all, several
 * jails), whose workers keep every CPU busy: there a thread only costs
 * (a plain start --all of 50 and 500 jails took 4-7% more wall with one,
 * doc/lifecycle.md); the namespace is made when it is taken. Any other
 * jail's first process makes its own namespace in its unshare, in the
 * jail's cgroups, which its kernel memory (~300 KiB here) is charged to:
 * made by brig, it would be charged to the cgroup of whoever ran brig
 * (a session's, kept as a dying group while the jail runs). */
static int step_netns(struct jctx *x, struct brig_err *e)
{
	(void)e;
	if (x->sp.net_owned && x->sink->fd < 0)
		userns_netns_begin(&x->netns);
	return 0;
}

static void undo_netns(struct jctx *x)
{
	userns_netns_cancel(&x->netns);
}

/* Whether the jail gets a group of its own in a v1 hierarchy of cpuset
 * alone (dir: the one it would have); -1 if it needs one and cannot
 * have it. A cpuset group costs what no other does: the kernel walks its
 * siblings when it is made, and again when it is removed, then rebuilds
 * the scheduler's domains (every cpuset, every deadline task): O(jails)
 * at each start and stop (issue 14). A jail needs one for `cpuset`, to
 * hold its children's (children.max), or inside a parent that has one;
 * the others join brig's group there, whose CPUs (all, unless the admin
 * has set them) their own would have had. */
static int own_cpuset(const struct jctx *x, const char *dir, struct brig_err *e)
{
	const char *dot = strrchr(x->name, '.');
	bool wants = jd_nonempty(x->def, JP_CPUSET) || jd_int(x->def, JP_CHILDREN_MAX) > 0;
	bool parent_has = false;

	if (dot) {
		cleanup_free char *parent = xstrdup(dir);

		*strrchr(parent, '/') = '\0';
		parent_has = access(parent, F_OK) == 0;
		if (wants && !parent_has)
			return brig_err_set(e, 0, "cpuset: the parent jail %.*s has no group of its own in "
					    "the v1 cpuset hierarchy (it started with no cpuset and "
					    "children.max = 0): give it children.max in its "
					    "configuration and restart it (jail -rc %.*s)",
					    (int)(dot - x->name), x->name, (int)(dot - x->name), x->name);
	}
	return wants || parent_has;
}

/* One cgroup per hierarchy, all recorded (in one write) before any is
 * made; in the v1 cpuset hierarchy, brig's group instead where the jail
 * needs none of its own (recorded as joined, never removed). */
static int step_cgroup(struct jctx *x, struct brig_err *e)
{
	cleanup_free char *group = core_cgroup_group(x->name);
	struct cgroup_hier *h;
	size_t n, depth = 1;
	bool *shared;
	int r = 0;

	if (cgroup_hiers(group, &h, &n, e) < 0)
		return -1;
	shared = xcalloc(n + 1, sizeof(*shared));
	for (const char *p = x->name; *p; p++)
		depth += *p == '.';
	for (size_t i = 0; i < n && r == 0; i++) {
		int own = h[i].kind == CGROUP_V1_CPUSET ? own_cpuset(x, h[i].dir, e) : 1;

		if (own < 0)
			r = -1;
		/* Brig's group: `depth` levels up. */
		for (size_t k = 0; own == 0 && k < depth; k++)
			*strrchr(h[i].dir, '/') = '\0';
		shared[i] = own == 0;
	}
	for (size_t i = 0; i < n && r == 0; i++)
		state_add_obj(&x->st, shared[i] ? JOBJ_CGJOIN : JOBJ_CGROUP, h[i].dir);
	if (n && r == 0 && jail_save(x, e) < 0)
		r = -1;
	core_fault("cgroup");
	x->cg_fresh = true;
	for (size_t i = 0; i < n && r == 0; i++) {
		int made = shared[i] ? cgroup_create_shared(h[i].dir, e) : cgroup_create(h[i].dir, e);

		if (made < 0)
			r = -1;
		x->cg_fresh = x->cg_fresh && (made == 1 || shared[i]);
	}
	free(shared);
	cgroup_hiers_free(h, n);
	return r;
}

/* The device allow-list (devfs_ruleset), on the jail's cgroups before
 * its first process joins them (sys/devices.c). Nothing new to record:
 * it goes with the cgroups. */
static int step_devices(struct jctx *x, struct brig_err *e)
{
	size_t n;
	char **dirs = state_obj_ids(&x->st, JOBJ_CGROUP, &n);
	int r;

	r = devices_limit(dirs, n, x->sp.devsets, e);
	free(dirs);
	return r;
}

/* A shared-IP jail: the addresses its sockets may use, on its cgroup v2
 * group before its first process joins it (sys/sockaddr.c). Nothing to
 * record: the programs and the policy they read go with the group. */
static int step_sockaddr(struct jctx *x, struct brig_err *e)
{
	size_t n;
	char **dirs;
	int r;

	if (!x->sp.shared)
		return 0;
	/* saddrsel: the subnet of each address, for the source of a
	 * connection (sys/sockaddr.h); without it, always the first. */
	if (x->sp.sock.v4.n > 1 && jd_on(x->def, JP_IP4_SADDRSEL) &&
	    net_shared_subnets(x->def, AF_INET, x->sp.sock.v4.plen, x->sp.sock.v4.n, e) < 0)
		return -1;
	if (x->sp.sock.v6.n > 1 && jd_on(x->def, JP_IP6_SADDRSEL) &&
	    net_shared_subnets(x->def, AF_INET6, x->sp.sock.v6.plen, x->sp.sock.v6.n, e) < 0)
		return -1;
	dirs = state_obj_ids(&x->st, JOBJ_CGROUP, &n);
	r = sockaddr_limit(dirs, n, &x->sp.sock, e);
	free(dirs);
	return r < 0 ? brig_err_wrap(e, "sockaddr") : 0;
}

/* A shared-IP jail's addresses, as aliases on their interfaces (jail(8)'s
 * IP__IP4_IFADDR, IP__IP6_IFADDR), and its rdr rules; each recorded
 * first, removed at the end of its stop. */
static int step_ifaddr(struct jctx *x, struct brig_err *e)
{
	struct rec rec = jail_rec(x);

	if (!x->sp.shared)
		return 0;
	return net_shared_up(x->net, x->def, &rec, e) < 0 ? brig_err_wrap(e, "ifaddr") : 0;
}

/* A thin jail's root is on the host, at its path: the store mounts it if
 * it is missing; it stays when the jail stops. Its quota is set. A userns jail's is shown
 * with its ids while it runs: the store's overlay of idmapped layers
 * (recorded: its stop puts the plain one back), or else an idmapped copy
 * of path (jail_idmap_root()). */
static int step_prepare(struct jctx *x, struct brig_err *e)
{
	size_t n;
	struct rec rec = jail_rec(x);
	struct idmap map = jail_idmap(&x->st);
	/* Its quota as the configuration says now: a changed one takes
	 * effect here; refused where it cannot hold. */
	int r = store_jail_prepare(x->name, x->sp.path, &rec, map.count ? &map : NULL,
				   x->def ? core_quota_bytes(x->def) : 0, e);

	if (r < 0)
		return brig_err_wrap(e, "store");
	if (map.count && r == 0)
		return jail_idmap_root(x, &map, e);
	/* What is mounted below path now: what exec.prestart adds is told
	 * apart in step_mount. Without exec.prestart nothing is (a read of
	 * /proc/self/mountinfo each: 50 us here, more on a host of many
	 * mounts). */
	if (strcmp(x->sp.path, "/") != 0 && x->def && jd_list(x->def, JP_EXEC_PRESTART, &n) && n &&
	    !(x->premounts = jmount_host_below(x->sp.path, &n, e)))
		return brig_err_wrap(e, "reading the host's mounts");
	return 0;
}

static void free_premounts(struct jctx *x)
{
	size_t n = 0;

	while (x->premounts && x->premounts[n])
		n++;
	strv_free(TAKE_PTR(x->premounts), n);
}

/* The mounts below path that exec.prestart made (not in x->premounts),
 * as the jail sees them ("/dev"); NULL-ended, *n of them. One whose
 * mount point mountinfo escapes (a space...) is left as it is, nodev. */
static char **prestart_mounts(const struct jctx *x, size_t *n, struct brig_err *e)
{
	size_t nnow, plen = strlen(x->sp.path);
	char **now = jmount_host_below(x->sp.path, &nnow, e), **v;

	if (!now)
		return NULL;
	while (plen > 1 && x->sp.path[plen - 1] == '/')
		plen--;
	v = xcalloc(nnow + 1, sizeof(*v));
	*n = 0;
	for (size_t i = 0; i < nnow; i++) {
		bool old = false;

		for (char **p = x->premounts; p && *p && !old; p++)
			old = strcmp(*p, now[i]) == 0;
		/* "ID MOUNTPOINT": beneath path, as the jail sees it */
		if (!old && !strchr(now[i], '\\'))
			v[(*n)++] = xstrdup(strchr(now[i], ' ') + 1 + plen);
	}
	strv_free(now, nnow);
	return v;
}

/* What the jail's first process needs to start in the jail's cgroups. */
static int open_cgroups(struct jctx *x, struct cgroup_join *j, struct brig_err *e)
{
	size_t n;
	char **dirs = state_cgroup_joins(&x->st, &n);
	int r = cgroup_join_open(dirs, n, j, e);

	free(dirs);
	return r;
}

static int open_ns(enum jparam id, const char *path, struct brig_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? brig_err_set(e, errno, "%s %s", jd_name(id), path) : fd;
}

static void close_ns(struct jail_setup *s)
{
	int *fds[] = { &s->netns, &s->ipcns, &s->utsns, &s->pidns };

	for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
		if (*fds[i] >= 0)
			close(TAKE_FD(*fds[i]));
}

/* The jail's first process: in the jail's cgroups from the start (it
 * joins them itself, no move by us: sys/cgroup.h), its namespaces, then
 * every mount of the jail in its own mount namespace (it shares our
 * memory meanwhile, so we only wait). Then it is recorded as the init to
 * kill. If we die before recording it, it dies with us. */
static int step_mount(struct jctx *x, struct brig_err *e)
{
	const struct jspec *sp = &x->sp;
	struct jail_setup s = {
		.hostname = sp->hostname, .domainname = sp->domainname, .host_ipc = sp->host_ipc,
		.path = sp->path, .own_net = sp->own_net, .netns = -1,
		.mounts = sp->mounts, .nmounts = sp->nmounts, .caps = sp->caps,
		.ipcns = -1, .utsns = -1, .pidns = -1, .keep_name = sp->utsns && !jd_nonempty(x->def, JP_HOST_HOSTNAME),
		.persist = sp->persist, .stop_timeout = sp->stop_timeout,
		.stop_signal = sp->stop_signal,
		.filter = spec_filter(&x->st),
		.userns = sp->userns, .rootmnt = x->rootmnt,
	};

	struct idmap map = jail_idmap(&x->st);
	struct cgroup_join cg;
	char **dev = NULL;
	int r;

	x->initfd = initbin_memfd(e);
	if (x->initfd < 0)
		return -1;
	s.initfd = x->initfd;
	if (x->premounts) {
		dev = prestart_mounts(x, &s.ndevmounts, e);
		free_premounts(x);
		if (!dev)
			return brig_err_wrap(e, "reading the host's mounts");
		s.devmounts = dev;
	}
	if (open_cgroups(x, &cg, e) < 0) {
		strv_free(dev, s.ndevmounts);
		return -1;
	}
	s.cgroups = &cg;
	if (sp->net_owned && (s.netns = userns_netns_take(&x->netns, e)) < 0) {
		/* No user namespace to be had (user.max_user_namespaces = 0,
		 * a kernel without them, a filter around brig): the jail
		 * starts as before, its network brig's alone to configure. */
		if (e->errnum != ENOSPC && e->errnum != EUSERS && e->errnum != EINVAL &&
		    e->errnum != EPERM) {
			cgroup_join_close(&cg);
			strv_free(dev, s.ndevmounts);
			return -1;
		}
		brig_err_clear(e);
	}
	/* The jail's network made meanwhile, where it may be: its network
	 * namespace is there already. vnet.netns, sysv.ipcns, host.utsns:
	 * namespaces someone else made, joined. */
	if ((s.netns >= 0 && sp->net_owned && jail_net_early(x, s.netns, e) < 0) ||
	    (sp->netns && (s.netns = open_ns(JP_VNET_NETNS, sp->netns, e)) < 0) ||
	    (sp->ipcns && (s.ipcns = open_ns(JP_SYSV_IPCNS, sp->ipcns, e)) < 0) ||
	    (sp->utsns && (s.utsns = open_ns(JP_HOST_UTSNS, sp->utsns, e)) < 0) ||
	    hier_setup(x, &s, e) < 0) {
		close_ns(&s);
		cgroup_join_close(&cg);
		strv_free(dev, s.ndevmounts);
		return -1;
	}
	/* cg stays open until C has joined (it reads it in our memory). */
	r = jail_clone(&s, &x->child, e);
	if (r == 0) {
		x->pidfd = x->child.pidfd;
		if (sp->userns)
			r = jail_userns_map(&x->child, &map, e);
		if (r == 0)
			r = jail_wait(&x->child, false, e);
	}
	cgroup_join_close(&cg);
	close_ns(&s);
	strv_free(dev, s.ndevmounts);
	if (r < 0)
		return -1;
	x->st.init_pid = x->child.pid;
	if (proc_stat(x->child.pid, &x->st.init_start, NULL) < 0 || jail_save(x, e) < 0)
		return brig_err_set(e, errno, "recording the jail's first process");
	core_fault("cloned");
	return 0;
}

/* The jail's limits (its rctl rules, and brig's defaults), with its first
 * process made and waiting: its cgroups, its rlimits (init's, which
 * every process it starts inherits), its IPC namespace; before anything
 * of the jail runs. Nothing to record: they go with the jail. */
static int step_limits(struct jctx *x, struct brig_err *e)
{
	if (jail_limits_apply(x, x->def, false, e) < 0)
		return -1;
	core_fault("limited");
	return 0;
}

/* The jail is created: its first process enters the root and becomes
 * brig's init. */
static int step_create(struct jctx *x, struct brig_err *e)
{
	int r = jail_go(&x->child, e) < 0 ? -1 : jail_wait(&x->child, true, e);

	jail_child_release(&x->child, false);
	close(x->initfd);
	x->initfd = -1;
	if (x->rootmnt >= 0)
		close(TAKE_FD(x->rootmnt));
	if (r == 0)
		sink_created(x->sink, x->name, x->st.jid);
	return r;
}

/* Undo of the jail's first process / init: kill it, wait for it. */
static void undo_kill(struct jctx *x)
{
	if (x->pidfd >= 0) {
		proc_kill_wait(x->pidfd);
		proc_waitpid(x->child.pid);
		close(x->pidfd);
		x->pidfd = -1;
	}
	jail_child_release(&x->child, true);
}

/* The network of a vnet jail (net/ records what it makes), or what the
 * helper made of it meanwhile (core/vnet_early.c). */
static int step_vnet(struct jctx *x, struct brig_err *e)
{
	return jail_net_up(x, e) < 0 ? brig_err_wrap(e, "vnet") : 0;
}

/* Undo of the vnet step: the host interfaces moved in go back before the
 * jail's init is killed (the veth pairs go with the jail). */
static void undo_vnet(struct jctx *x)
{
	struct brig_err e = { 0 };

	if (jail_return_ifs(x, &e) < 0) {
		cleanup_free char *msg = xasprintf("%s: start: vnet: %s (going on)", x->name, e.msg);

		sink_emit(x->sink, x->name, CORE_EV_WARNING, msg);
	}
}

/* Started: tell init (without persist the jail may end from now on). */
static int step_ready(struct jctx *x, struct brig_err *e)
{
	x->st.status = JSTATUS_RUNNING;
	if (jail_save(x, e) < 0)
		return -1;
	if (pidfd_send_signal(x->pidfd, SIGUSR1, NULL, 0) < 0)
		return brig_err_set(e, errno, "the jail's init");
	return 0;
}

/* A step without run is the exec.* hook (or command) hook: on the host,
 * or in the jail. */
static const struct step {
	const char *name;
	int (*run)(struct jctx *x, struct brig_err *e);
	void (*undo)(struct jctx *x);
	enum jparam hook;
	bool in_jail;
} steps[] = {
	{ "netns", step_netns, undo_netns, 0, false },
	{ "state", step_state, NULL, 0, false },
	{ "cgroup", step_cgroup, NULL, 0, false },
	{ "devices", step_devices, NULL, 0, false },
	{ "ifaddr", step_ifaddr, NULL, 0, false },
	/* After ifaddr: saddrsel reads the subnets of the host's
	 * addresses, a bridge's that ifaddr may have made. */
	{ "sockaddr", step_sockaddr, NULL, 0, false },
	{ "prepare", step_prepare, NULL, 0, false },
	/* exec.prestart before the root is taken (FreeBSD runs it after
	 * the jail's mounts, which here live in the jail's own namespace,
	 * unseen by the host either way): what it mounts under path is in
	 * the jail's tree, as FreeBSD's global mounts are. */
	{ "exec.prestart", NULL, NULL, JP_EXEC_PRESTART, false },
	{ "mount", step_mount, undo_kill, 0, false },
	{ "limits", step_limits, NULL, 0, false },
	/* exec.fib (core/fib.c): once the jail's namespaces exist (a
	 * vnet jail's rule is in its own), before anything of it runs. */
	{ "fib", jail_fib_up, NULL, 0, false },
	{ "create", step_create, undo_kill, 0, false },
	{ "exec.created", NULL, NULL, JP_EXEC_CREATED, false },
	{ "vnet", step_vnet, undo_vnet, 0, false },
	{ "exec.start", NULL, NULL, JP_EXEC_START, true },
	{ "command", NULL, NULL, JP_COMMAND, true },
	{ "exec.service", NULL, NULL, JP_EXEC_SERVICE, true },
	{ "exec.poststart", NULL, NULL, JP_EXEC_POSTSTART, false },
	{ "ready", step_ready, NULL, 0, false },
};

/* Run the plan; on failure undo in reverse, then remove every recorded
 * object and the state. As jail(8) does, no stop hook runs on the way back.
 * Each step's errors name what failed (the parameter, the mount entry). */
static int run_plan(struct jctx *x, struct brig_err *e)
{
	size_t done = 0;

	for (; done < ARRAY_SIZE(steps); done++) {
		int sig = proc_deferred();

		/* Asked to stop (^C, SIGTERM, SIGHUP): take it all down. */
		if (sig) {
			brig_err_set(e, 0, "%s: interrupted by SIG%s", steps[done].name, sigabbrev_np(sig));
			break;
		}
		core_fault(steps[done].name);
		x->step = steps[done].name;
		if (steps[done].run ? steps[done].run(x, e) < 0
				    : hook_run(x, steps[done].hook, steps[done].in_jail, e) < 0)
			break;
	}
	if (done == ARRAY_SIZE(steps))
		return 0;
	jail_net_early_end(x);
	for (size_t i = done + 1; i-- > 0;)
		if (steps[i].undo)
			steps[i].undo(x);
	if (x->initfd >= 0)
		close(x->initfd);
	x->initfd = -1;
	if (x->rootmnt >= 0)
		close(TAKE_FD(x->rootmnt));
	free_premounts(x);
	if (x->st.name) {	/* step_state ran */
		struct brig_err te = { 0 };

		if (jail_teardown(x, &te) < 0)
			brig_err_wrap(e, "(and cleaning up failed: %s)", te.msg);
	}
	return -1;
}

/* exec.prepare (host; it may make the jail's root, so it comes before any
 * check), then every check that can be made before anything is created. */
static int prepare(struct jctx *x, struct brig_err *e)
{
	const char *path = jd_str(x->def, JP_PATH);

	spec_runtime(x->def, &x->sp);
	x->sp.path = xstrdup(path ? path : "");
	x->step = "exec.prepare";
	if (hook_run(x, JP_EXEC_PREPARE, false, e) < 0)
		return -1;
	spec_free(&x->sp);
	x->step = "check";
	if (spec_build(x->def, &x->sp, e) < 0 || net_jail_check(x->net, x->def, e) < 0 ||
	    hier_start_check(x, e) < 0 || jail_fib_check(x, e) < 0)
		return -1;
	return 0;
}

/* The processes in the jail's first cgroup (init included); -1 if it
 * cannot be read. */
static long jail_nprocs(const struct jctx *x)
{
	for (size_t i = 0; i < x->st.nobjs; i++)
		if (x->st.objs[i].kind == JOBJ_CGROUP)
			return cgroup_nprocs(x->st.objs[i].id);
	return -1;
}

/* A jail without persist whose start left no process but init ends at
 * once (init counts on the SIGUSR1 of step_ready): looked at once, at the
 * end of the start. Then it is waited for (its init is our child; bounded,
 * in case a brig exec came in meanwhile: then it lives on), taken down
 * here rather than by a reaper, recorded, and said. 1 if it ended. */
static int ended_in_start(struct jctx *x, struct brig_err *e)
{
	struct brig_err te = { 0 };
	long n = x->sp.persist ? -1 : jail_nprocs(x);
	int raw, code;

	/* 1: init alone; 0: init has already ended (a zombie is in no cgroup). */
	if (n < 0 || n > 1 || proc_wait_exit(x->pidfd, 10000) != 1)
		return 0;
	raw = proc_waitpid(x->child.pid);
	code = raw < 0 ? -1 : proc_exit_code(raw);
	if (jail_teardown(x, &te) < 0)
		brig_err_wrap(&te, "cleaning up");
	if (code > 0)
		brig_err_set(e, 0, "%s: started, then ended: no process left, the last one exited with "
			     "status %d (add persist, or enable a service)%s%s", x->name, code,
			     te.msg[0] ? "; " : "", te.msg);
	else
		brig_err_set(e, 0, "%s: started, then ended: no process left (add persist, or enable "
			     "a service)%s%s", x->name, te.msg[0] ? "; " : "", te.msg);
	last_record(x->name, "ended", code, NULL, e->msg, NULL);
	return 1;
}

/* Under the jail's lock: the start itself, unless it runs already (or
 * it is a reaper's restart that brig stop or start has cancelled). */
static enum core_event start_locked(struct jctx *x, int running, struct brig_err *e)
{
	long token = x->sink->ops ? x->sink->ops->restart_token : 0;
	enum core_event ev = CORE_EV_FAILED;

	/* A reaper's restart: only if brig stop or start has not cancelled it. */
	if (token && !(x->nrestart = restart_claim(x->name, token))) {
		brig_err_set(e, 0, "%s: restart cancelled", x->name);
		return CORE_EV_SKIPPED;
	}
	if (running == 1) {
		ev = CORE_EV_ALREADY;
	} else if (running == 0) {
		int r;

		state_free(&x->st);
		r = prepare(x, e) < 0 || run_plan(x, e) < 0 ? -1 : 0;
		hier_release(x);
		if (r < 0) {
			last_record(x->name, "failed", -1, x->step, e->msg, NULL);
			brig_err_wrap(e, "%s: start", x->name);
		} else if (ended_in_start(x, e)) {
			ev = CORE_EV_ENDED;
		} else {
			ev = CORE_EV_STARTED;
		}
	}
	if (!token)
		restart_started(x->name, x->def, ev);
	return ev;
}

/* After the lock: the jail's reaper, and the outcome in its log.
 * A jail without persist ends by itself, as on FreeBSD: its reaper
 * cleans up after it then. (A persist jail ends only by brig stop,
 * unless its init is killed: that is left to the next brig command,
 * like a brig that was killed; a fork here costs a few milliseconds
 * of start on a VM.) After the unlock: if the jail has already ended,
 * its reaper must find the jail free. A restart policy needs one for
 * a persist jail too: its init may be killed (the OOM killer); so do
 * rules of action log, which it watches. */
static void start_after(struct jctx *x, enum core_event ev, struct brig_err *e)
{
	cleanup_free char *line = NULL;

	if (ev == CORE_EV_STARTED && jail_wants_reaper(x->def)) {
		struct brig_err re = { 0 };
		cleanup_free char *run = jail_run_id(&x->st);
		struct jail_watches w;
		int rr;

		jail_limits_watches(x, x->def, &w);
		rr = reaper_spawn(x->pidfd, x->name, run, w.w, w.n, &re);
		jail_watches_close(&w);
		if (rr < 0) {
			cleanup_free char *msg = xasprintf("%s: start: %s (what the jail leaves when it "
							   "ends waits for the next brig command)",
							   x->name, re.msg);

			sink_emit(x->sink, x->name, CORE_EV_WARNING, msg);
		}
	}
	if (ev == CORE_EV_ALREADY || ev == CORE_EV_SKIPPED)
		return;
	if (ev == CORE_EV_STARTED)
		line = x->nrestart ? xasprintf("%s: restarted (jid %d, restart %ld)", x->name, x->st.jid,
					       x->nrestart)
				   : xasprintf("%s: started (jid %d)", x->name, x->st.jid);
	jlog_event(x->name, line ? line : e->msg);
}

static const struct jail_op start_op = { "start", start_locked, start_after };

int jail_start(const struct jail_set *set, const struct jail_def *d, struct net_plan *net,
	       const struct sink *s)
{
	struct jctx x = { .def = d, .name = d->name, .sink = s, .net = net,
			  .verbose = s->ops && s->ops->verbose, .parent_lockfd = -1 };
	struct brig_err e = { 0 };
	enum core_event ev = jail_frame(&x, &start_op, &e);

	if (ev == CORE_EV_ENDED)
		return s->ops && s->ops->ended_ok ? 0 : -1;
	return ev == CORE_EV_FAILED ? -1 : 0;
}
