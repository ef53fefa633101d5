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
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/jail.h"
#include "net/net.h"
#include "sys/nft.h"
#include "sys/proc.h"
#include "util/io.h"
#include "util/mem.h"

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

static __attribute__((noreturn)) void helper(struct jctx *x, int nsfd, int out, pid_t parent)
{
	struct brig_err e = { 0 };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	nft_sockets_at_exit();
	if (net_jail_up_ns(x->net, x->def, x->st.jid, nsfd,
			   &(struct rec){ .add = rec_check, .ctx = &x->st }, &e) == 0)
		e.msg[0] = '\0';
	/* Done with the jail: its lock (and its parent jail's), its
	 * namespace let go before the report, which the caller takes as our
	 * end. */
	close(x->lockfd);
	if (x->parent_lockfd >= 0)
		close(x->parent_lockfd);
	close(nsfd);
	(void)write_all(out, &e, offsetof(struct brig_err, msg) + strlen(e.msg) + 1);
	_exit(e.msg[0] != '\0');
}

/* Helpers that have reported and may not have ended yet: their nftables
 * sockets close as they exit, and a close may wait for the RCU grace
 * period of a stop's removal (sys/nft.h), which is not the start's to
 * wait for. Reaped when they have ended, at a later call, or waited for
 * when there is no room; else by whoever inherits them when we exit. */
static pid_t lingering[16];

static void linger(pid_t pid)
{
	if (waitpid(pid, NULL, WNOHANG) != 0)	/* ended already */
		return;
	for (size_t i = 0; i < ARRAY_SIZE(lingering); i++)
		if (lingering[i] > 0 && waitpid(lingering[i], NULL, WNOHANG) != 0)
			lingering[i] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(lingering); i++)
		if (lingering[i] == 0) {
			lingering[i] = pid;
			return;
		}
	proc_waitpid(pid);
}

int jail_net_early(struct jctx *x, int nsfd, struct brig_err *e)
{
	struct rec only = { .add = rec_only, .ctx = &x->st };
	size_t n;
	int p[2], r;
	pid_t parent = getpid();

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
	if (pipe2(p, O_CLOEXEC) < 0)
		return 0;
	x->net_pid = fork();
	if (x->net_pid == 0) {
		close(p[0]);
		helper(x, nsfd, p[1], parent);
	}
	close(p[1]);
	if (x->net_pid < 0) {
		close(p[0]);
		return 0;
	}
	x->net_fd = p[0];
	x->net_early = NET_EARLY_RUNNING;
	return 0;
}

/* The helper's outcome, as it reports it: 0, or -1 with its error; if it
 * died without a report, how. */
static int collect(struct jctx *x, struct brig_err *e)
{
	struct brig_err he = { 0 };
	ssize_t got = read_full(x->net_fd, &he, sizeof(he) - 1);
	pid_t pid = x->net_pid;
	int raw;

	close(x->net_fd);
	x->net_early = NET_EARLY_RECORDED;
	x->net_pid = 0;
	if (got > (ssize_t)offsetof(struct brig_err, msg)) {
		linger(pid);
		if (!he.msg[0])
			return 0;
		e->errnum = he.errnum;
		memcpy(e->msg, he.msg, sizeof(e->msg));
		return -1;
	}
	raw = proc_waitpid(pid);
	if (raw > 0 && WIFSIGNALED(raw))
		return brig_err_set(e, 0, "the helper making the network was killed by SIG%s",
				    sigabbrev_np(WTERMSIG(raw)));
	return brig_err_set(e, 0, "the helper making the network ended without a word (wait "
			    "status %d)", raw);
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
