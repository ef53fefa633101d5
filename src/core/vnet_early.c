/* A vnet jail's network, made while the jail itself is being made.
 *
 * A vnet jail's network namespace exists before its first process does
 * (userns_netns_fd(): made for it, owned by a user namespace of its own),
 * so its network (its ports' filters, its veth pairs into their bridges,
 * addresses and routes: ~2 ms, most of it in the kernel) need not wait
 * until that process has set the jail's mounts up and become its init
 * (~3 ms): a helper process makes it meanwhile, on another CPU, and the
 * vnet step only collects its outcome. A process, not the caller: the
 * jail's first process shares the caller's memory until it executes init
 * (sys/jailproc.h), so the caller may only wait meanwhile.
 *
 * Only where the network is brig's alone and nothing of the jail's runs
 * before it in FreeBSD's order: every interface a veth pair of brig's
 * (net_jail_objects), and no exec.created (which FreeBSD runs before the
 * jail's interfaces are in: it may make a host interface, or expect
 * none yet). Everywhere else the vnet step makes it, as before.
 *
 * Records: everything the helper makes is recorded, in one save, before
 * it is forked (net_jail_objects); the helper only checks that what
 * net_jail_up_ns would record was (it saves nothing: the caller's saves
 * go on meanwhile). A start that fails kills and reaps it before its
 * teardown removes what was recorded. If brig dies, the helper dies with
 * it (a parent-death signal); it holds the jail's lock (inherited) until
 * it has reported or is gone, so the next brig's cleanup of the jail never
 * runs beside it. Its nftables sockets close when it exits, after its
 * report, which is all the start waits for (a close may wait for the RCU
 * grace period of a stop's removal: a restart's). */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "core/jail.h"
#include "net/net.h"
#include "sys/nft.h"
#include "sys/proc.h"
#include "sys/spawn.h"

/* The helper's rec: what it would record must be recorded already. */
static int rec_check(void *ctx, enum jobj_kind kind, const char *id, struct brig_err *e)
{
	const struct jstate *st = ctx;

	for (size_t i = 0; i < st->nobjs; i++)
		if (st->objs[i].kind == kind && strcmp(st->objs[i].id, id) == 0)
			return 0;
	return brig_err_set(e, 0, "%s %s was not recorded before it was made (net_jail_objects)",
			    jobj_kind_names[kind], id);
}

/* net_jail_objects' records, added to the state, saved once by the caller. */
static int rec_only(void *ctx, enum jobj_kind kind, const char *id, struct brig_err *e)
{
	(void)e;
	state_add_obj(ctx, kind, id);
	return 0;
}

struct helper_args {
	struct jctx *x;
	int nsfd;
	pid_t parent;
};

/* The helper (a .run child, sys/spawn.h): its report is its outcome. */
static int helper(void *arg, struct brig_err *e)
{
	const struct helper_args *a = arg;
	struct jctx *x = a->x;
	int rc;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != a->parent)
		return brig_err_set(e, 0, "the helper making the network: brig is gone");
	nft_sockets_at_exit();
	rc = net_jail_up_ns(x->net, x->def, x->st.jid, a->nsfd,
			    &(struct rec){ .add = rec_check, .ctx = &x->st }, e);
	/* Done with the jail: its lock (and its parent jail's), its
	 * namespace let go before the report, which the caller takes as our
	 * end. */
	close(x->lockfd);
	if (x->parent_lockfd >= 0)
		close(x->parent_lockfd);
	close(a->nsfd);
	if (rc == 0)
		spawn_started();
	return rc;
}

/* Its options, the same for spawn_begin and spawn_end. */
static struct spawn_opts helper_opts(struct helper_args *a)
{
	struct spawn_opts o = SPAWN_OPTS_INIT;

	o.fork = true;
	o.run = helper;
	o.arg = a;
	o.name = "the helper making the network";
	/* Not the caller's stdio: it may outlive brig by a moment (its
	 * sockets closing), which a caller reading brig's output to its end
	 * would wait for. It says everything through its report. */
	o.fds[0] = o.fds[1] = o.fds[2] = SPAWN_FD_NULL;
	o.nfds = 3;
	return o;
}

int jail_net_early(struct jctx *x, int nsfd, struct brig_err *e)
{
	struct rec only = { .add = rec_only, .ctx = &x->st };
	struct helper_args a = { x, nsfd, getpid() };
	struct spawn_opts o = helper_opts(&a);
	struct spawn_child c;
	struct brig_err ignored;
	size_t n;
	int r;

	if (jd_list(x->def, JP_EXEC_CREATED, &n) && n)
		return 0;
	if ((r = net_jail_objects(x->net, x->def, x->st.jid, &only, e)) <= 0)
		return r;
	if (jail_save(x, e) < 0)
		return -1;
	x->net_early = NET_EARLY_RECORDED;
	core_fault("vnet-recorded");
	/* Without a helper (no process or pipe to be had), the vnet step
	 * makes it all the same. */
	if ((x->net_fd = spawn_begin(&o, &c, &ignored)) < 0)
		return 0;
	x->net_pid = c.pid;
	x->net_early = NET_EARLY_RUNNING;
	return 0;
}

/* The helper's outcome, as it reports it; reaped once it has ended (its
 * sockets close as it exits, which may wait for the RCU grace period of a
 * stop's removal, sys/nft.h: not the start's to wait for). */
static int collect(struct jctx *x, struct brig_err *e)
{
	struct helper_args a = { 0 };
	struct spawn_opts o = helper_opts(&a);
	struct spawn_child c = { .pid = x->net_pid, .pidfd = -1 };
	int rc = spawn_end(&o, &c, x->net_fd, e);

	x->net_early = NET_EARLY_RECORDED;
	x->net_pid = 0;
	if (rc == 0)
		proc_reap_later(c.pid);
	return rc;
}

int jail_net_up(struct jctx *x, struct brig_err *e)
{
	struct rec rec = jail_rec(x), check = { .add = rec_check, .ctx = &x->st };

	switch (x->net_early) {
	case NET_EARLY_RUNNING:
		return collect(x, e);
	case NET_EARLY_RECORDED:
		return net_jail_up(x->net, x->def, x->st.jid, x->st.init_pid, &check, e);
	default:
		return net_jail_up(x->net, x->def, x->st.jid, x->st.init_pid, &rec, e);
	}
}

void jail_net_early_end(struct jctx *x)
{
	if (x->net_early != NET_EARLY_RUNNING)
		return;
	kill(x->net_pid, SIGKILL);
	proc_waitpid(x->net_pid);
	close(x->net_fd);
	x->net_early = NET_EARLY_RECORDED;
	x->net_pid = 0;
}
