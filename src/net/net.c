/* A vnet jail's network: veth pairs into its bridges, addresses, routes,
 * port redirections; and the removal of what was recorded. */
#include "net/net.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/model.h"
#include "sys/nft.h"
#include "sys/nsrun.h"
#include "sys/sysctl_net.h"
#include "util/mem.h"

/* The jail's network namespace, refusing the host's own: a jail whose init
 * did not get a namespace of its own must not have its plumbing done in
 * the host's. */
static int open_jail_netns(pid_t pid, struct brig_err *e)
{
	int fd, r = ns_open_net(pid, &fd, e);

	if (r < 0)
		return brig_err_wrap(e, "the jail's init");
	if (r == 0)
		return brig_err_set(e, 0, "the jail's init (pid %d) has no network namespace of "
				    "its own", (int)pid);
	return fd;
}

/* The host end of another jail's pair that the kernel is removing with
 * that jail's dead namespace: tagged by brig, its peer in a namespace
 * whose last reference is gone (reported without an id, or its id names
 * no live namespace). A stop leaves such pairs to the kernel,
 * and the JID that named it may be taken by another jail meanwhile
 * (stop --all, then start --all: the workers hand JIDs out in any
 * order), so it is a leftover to delete like this jail's own. */
static bool other_jails_leftover(struct nl *nl, const struct nl_link *old)
{
	cleanup_free char *tag = net_tag_jail("");

	return strncmp(old->alias, tag, strlen(tag)) == 0 && nl_link_peer_dead(nl, old, NULL) == 1;
}

/* Get the host end l of a jail's veth pair out of the way. A pair whose
 * other end is in another namespace goes with that namespace (at once
 * when it is being torn down, else when whatever holds it lets go): it
 * is retired, cut off and renamed (nl_link_retire), where a delete would
 * wait ~20 ms for the kernel to drop every reference to it. A pair with
 * both ends here (made or moved by hand) would stay: deleted; so is one
 * whose retired name is taken (by an interface of the admin's). */
static int veth_away(struct nl *nl, const struct nl_link *l, struct brig_err *e)
{
	if (l->peer_dying || l->link_nsid >= 0) {
		if (nl_link_retire(nl, l->index, e) == 0)
			return 0;
		if (e->errnum != EEXIST)
			return -1;
	}
	return nl_link_del(nl, l->name, e);
}

/* Create the veth pair of interface f: the host end plugged into its
 * bridge and up, the jail end made directly inside the jail's namespace
 * with its final name. A leftover host end of this same jail (a crash, a
 * restart), or of another jail whose namespace is dead, is put out of
 * the way first (veth_away); any other interface of that name is
 * refused. */
static int make_veth(struct nl *nl, const struct net_jail *m, const struct net_if *f,
		     int bridge, int mtu, int nsfd, struct brig_err *e)
{
	cleanup_free char *alias = net_tag_jail(m->name);
	struct nl_link_attrs host, peer;
	struct nl_link old;
	int r;

	nl_link_attrs_init(&host);
	host.name = f->hname;
	host.mac = f->hmac;
	host.mtu = mtu;
	host.master = bridge;
	host.up = true;
	nl_link_attrs_init(&peer);
	peer.name = f->jname;
	peer.mac = f->jmac;
	peer.mtu = mtu;
	peer.netns_fd = nsfd;
	/* Not up here: the kernel opens the peer before the pair is linked
	 * (ENOTCONN); jail_side() brings it up. */
	/* The old host end of a restarted jail may still be there, on its
	 * way out with the last run's namespace (brig's stop leaves that to
	 * the kernel): gone by the time we look, or retired here (a delete
	 * would wait ~20 ms for the kernel's teardown). Bounded: a pair that
	 * keeps coming back is not ours to fight. */
	for (int attempt = 0;; attempt++) {
		if (nl_veth_add(nl, &host, &peer, e) == 0)
			break;
		if (e->errnum != EEXIST || attempt >= 4)
			return -1;
		if ((r = nl_link_get(nl, f->hname, &old, e)) < 0)
			return -1;
		if (r == 0)
			continue;
		if (strcmp(old.kind, "veth") != 0 ||
		    (strcmp(old.alias, alias) != 0 && !other_jails_leftover(nl, &old)))
			return brig_err_set(e, 0, "creating veth pair %s/%s: interface %s exists and "
					    "is not a leftover of this jail%s%s", f->hname, f->jname,
					    f->hname, old.alias[0] ? ": it belongs to " : "",
					    old.alias);
		if (veth_away(nl, &old, e) < 0)
			return -1;
	}
	/* The alias marks the host end as this jail's (leftovers, brig net
	 * ls); the kernel ignores it in a creation request. With rdr, the port
	 * is a hairpin: where bridge netfilter is on, a jail reaching itself
	 * through a host port gets its frames back through the same port. A
	 * bridge port needs no IPv6 address: without one it sends nothing
	 * (DAD, MLD, router solicitations) that the bridge would flood to
	 * every other port. Its carrier comes with the jail end, later. */
	nl_link_attrs_init(&host);
	host.name = f->hname;
	host.alias = alias;
	host.hairpin = m->nrdrs > 0;
	host.no_ipv6_ll = true;
	return nl_link_set(nl, 0, &host, e);
}

/* Move the host interface f into the jail (recorded first, so that a
 * stop, a failed start or the next brig after a crash returns it). It
 * must exist now: exec.prestart and exec.created, which ran before, may
 * have made it. */
static int move_in(struct nl *nl, const struct net_if *f, int nsfd, const struct rec *rec,
		   struct brig_err *e)
{
	struct nl_link_attrs move;
	struct nl_link l;
	int r = nl_link_get(nl, f->jname, &l, e);

	if (r == 0)
		return brig_err_set(e, 0, "%s \"%s\": no such interface on the host after "
				    "exec.prestart and exec.created (make it there, or set "
				    "vnet.bridge to have brig create a veth pair)",
				    jd_name(JP_VNET_INTERFACE), f->jname);
	if (r < 0)
		return -1;
	/* NAME/IFINDEX ('/' is in no interface name): a namespace move
	 * keeps the index unless the jail's namespace has it taken, so the
	 * stop finds the interface whatever the jail renamed it. */
	cleanup_free char *id = xasprintf("%s/%d", f->jname, l.index);
	if (rec_add(rec, JOBJ_IFMOVED, id, e) < 0)
		return -1;
	nl_link_attrs_init(&move);
	move.netns_fd = nsfd;
	return nl_link_set(nl, l.index, &move, e);
}

/* Host side: the bridges, the veth pairs (recorded first), the host
 * interfaces moved in. */
static int host_side(struct nl *nl, const struct net_jail *m, struct net_networks *nw,
		     int nsfd, const struct rec *rec, struct brig_err *e)
{
	for (size_t i = 0; i < m->nifs; i++) {
		const struct net_if *f = &m->ifs[i];
		int bridge, mtu;

		if (f->bridge) {
			if (net_bridge_ensure(nl, f->bridge, nw, &bridge, &mtu, e) < 0 ||
			    rec_add(rec, JOBJ_VETH, f->hname, e) < 0 ||
			    make_veth(nl, m, f, bridge, mtu, nsfd, e) < 0)
				return -1;
			continue;
		}
		if (move_in(nl, f, nsfd, rec, e) < 0)
			return -1;
	}
	return 0;
}

/* Inside the jail: the interfaces up, addresses, default routes (lo is
 * up already: the jail's first process brought it up, sys/jailproc.c; one
 * request less taking the RTNL lock). An interface without IPv6 configuration gets no link-local address
 * either (as on FreeBSD), which keeps it quiet on the bridge; one with
 * gets the address derived from its MAC, the one its port's filter lets
 * through. */
static int jail_side(struct nl *jn, const struct net_jail *m, struct brig_err *e)
{
	cleanup_free int *idx = xcalloc(m->nifs, sizeof(*idx));
	struct nl_link_attrs up;
	const struct net_gw *gws[] = { &m->gw4, &m->gw6 };
	struct nl_link l;
	int r;

	nl_link_attrs_init(&up);
	up.up = true;
	for (size_t i = 0; i < m->nifs; i++) {
		if ((r = nl_link_get(jn, m->ifs[i].jname, &l, e)) <= 0)
			return r < 0 ? -1 : brig_err_set(e, 0, "interface %s is missing in the jail",
							   m->ifs[i].jname);
		idx[i] = l.index;
		up.no_ipv6_ll = m->ifs[i].bridge && !net_if_ipv6(m, i);
		up.eui64_ll = m->ifs[i].bridge && !up.no_ipv6_ll;
		if (!(l.flags & IFF_UP) && nl_link_set(jn, l.index, &up, e) < 0)
			return -1;
	}
	for (size_t i = 0; i < m->nips; i++)
		if (nl_addr_add(jn, idx[m->ips[i].ifi], &m->ips[i].a, e) < 0)
			return brig_err_wrap(e, "interface %s", m->ifs[m->ips[i].ifi].jname);
	for (size_t i = 0; i < 2; i++)
		if (gws[i]->set && nl_route_add(jn, NULL, &gws[i]->a, idx[gws[i]->ifi], e) < 0)
			return -1;
	return 0;
}

/* The filters of the jail's bridge ports and its rdr rules, each recorded
 * first, and the forwarding rdr needs. Made before its interfaces exist,
 * so that its first frame meets its port's filter. A shared-IP jail's rdr
 * goes to an address of the host's own: delivered, not forwarded. */
int net_jail_rules(const struct net_jail *m, const struct rec *rec, struct brig_err *e)
{
	cleanup_free char *tag = net_tag_jail(m->name);
	cleanup_free char *rules = net_rules_jail(m);

	for (size_t i = 0; i < m->nifs; i++) {
		cleanup_free char *filter = net_spoof_rules(m, i);
		cleanup_free char *id = NULL;

		if (!filter)
			continue;
		id = xasprintf("port:%s", m->ifs[i].hname);
		if (rec_add(rec, JOBJ_NFT, id, e) < 0 || nft_port_set(m->ifs[i].hname, tag, filter, e) < 0)
			return -1;
	}
	if (!rules)
		return 0;
	if (rec_add(rec, JOBJ_NFT, tag, e) < 0 || nft_replace_tag(tag, rules, e) < 0)
		return -1;
	if (!m->vnet)
		return 0;
	if (net_rdr_family(m, AF_INET) && sysctl_net_forwarding(AF_INET, e) < 0)
		return -1;
	if (net_rdr_family(m, AF_INET6) && sysctl_net_forwarding(AF_INET6, e) < 0)
		return -1;
	return 0;
}

/* The plan's parse of a vnet jail, with the interfaces named for its
 * JID (*ifs: to free); 0 for a jail without vnet. */
static int jail_at(struct net_plan *p, const struct jail_def *d, int jid, struct net_jail *m,
		   struct net_if **ifs, struct brig_err *e)
{
	const struct net_jail *parsed = net_plan_jail(p, d, e);

	if (!parsed)
		return -1;
	if (!parsed->vnet)
		return 0;
	*m = *parsed;
	m->ifs = *ifs = net_jail_at(parsed, jid);
	return 1;
}

int net_jail_objects(struct net_plan *p, const struct jail_def *d, int jid, const struct rec *rec,
		     struct brig_err *e)
{
	cleanup_free struct net_if *ifs = NULL;
	cleanup_free char *tag = NULL, *rules = NULL;
	struct net_jail m;
	int r = jail_at(p, d, jid, &m, &ifs, e);

	if (r <= 0)
		return r;
	for (size_t i = 0; i < m.nifs; i++)
		if (!m.ifs[i].bridge)
			return 0;
	/* net_jail_rules' order, then host_side's. */
	for (size_t i = 0; i < m.nifs; i++) {
		cleanup_free char *filter = net_spoof_rules(&m, i);
		cleanup_free char *id = filter ? xasprintf("port:%s", m.ifs[i].hname) : NULL;

		if (id && rec_add(rec, JOBJ_NFT, id, e) < 0)
			return -1;
	}
	tag = net_tag_jail(m.name);
	rules = net_rules_jail(&m);
	if (rules && rec_add(rec, JOBJ_NFT, tag, e) < 0)
		return -1;
	for (size_t i = 0; i < m.nifs; i++)
		if (rec_add(rec, JOBJ_VETH, m.ifs[i].hname, e) < 0)
			return -1;
	return 1;
}

int net_jail_up_ns(struct net_plan *p, const struct jail_def *d, int jid, int nsfd,
		   const struct rec *rec, struct brig_err *e)
{
	cleanup_free struct net_if *ifs = NULL;
	struct net_jail m;
	struct nl nl = { 0 }, jn = { 0 };
	int rc = jail_at(p, d, jid, &m, &ifs, e);

	/* core/ adds "vnet: " to every error of this step. */
	if (rc <= 0)
		return rc;
	rc = -1;
	if (net_jail_rules(&m, rec, e) == 0 && nl_open(&nl, e) == 0 &&
	    host_side(&nl, &m, &p->nw, nsfd, rec, e) == 0 && nl_open_netns(&jn, nsfd, e) == 0 &&
	    jail_side(&jn, &m, e) == 0)
		rc = 0;
	nl_close(&jn);
	nl_close(&nl);
	return rc;
}

int net_jail_up(struct net_plan *p, const struct jail_def *d, int jid, pid_t init_pid,
		const struct rec *rec, struct brig_err *e)
{
	const struct net_jail *parsed = net_plan_jail(p, d, e);
	int nsfd, rc;

	if (!parsed)
		return -1;
	if (!parsed->vnet)
		return 0;
	if ((nsfd = open_jail_netns(init_pid, e)) < 0)
		return -1;
	rc = net_jail_up_ns(p, d, jid, nsfd, rec, e);
	close(nsfd);
	return rc;
}

/* The id of the network namespace of the jail this process is stopping
 * (net_jail_stopping), -1 if none. */
static int stopping_nsid = -1;

void net_jail_stopping(pid_t init_pid)
{
	struct brig_err e = { 0 };
	struct nl nl;

	stopping_nsid = -1;
	if (nl_open(&nl, &e) < 0)
		return;
	stopping_nsid = nl_nsid_of_pid(&nl, init_pid, &e);
	nl_close(&nl);
}

void net_job_done(void)
{
	stopping_nsid = -1;
}

/* Whether l, found under the name of a jail's host end, is brig's: a veth
 * tagged as a jail's (its alias), or one not tagged yet whose other end is
 * in another namespace, alive or dying (made by a start that died before
 * it tagged it). Not what someone else made under that name, which the
 * start that recorded the name then refused (make_veth): a removal leaves
 * it alone, as nothing of the jail's. */
static bool brigs_veth(const struct nl_link *l)
{
	cleanup_free char *tag = net_tag_jail("");

	if (strcmp(l->kind, "veth") != 0)
		return false;
	if (l->alias[0])
		return strncmp(l->alias, tag, strlen(tag)) == 0;
	return l->peer_dying || l->link_nsid >= 0;
}

/* Remove the host end of a jail's veth pair (the jail end goes with it),
 * after the jail's processes are gone. Usually there is nothing to do:
 * the jail's network namespace died with its last process, and the
 * kernel removes the pair with it (batched, in its own time). So when
 * the namespace is known dead (by its id, a lookup that takes no lock)
 * nothing is asked of the kernel. Otherwise (the namespace still held:
 * for an RCU grace period by the sockets of its processes, or by
 * something else, a process that entered it, a bind mount; or unknown:
 * the init died earlier) the pair, if still there, is put out of the
 * way (veth_away): cut off its bridge, down, renamed out of the way of
 * the jail's next start, it goes with the namespace when that is let go.
 * A delete would wait for the kernel to drop every reference to the
 * pair: ~20 ms, against 2 ms for the rest of a stop (doc/net.md). An
 * interface of that name that is not brig's (brigs_veth) is left alone. */
static int remove_veth(const char *name, struct brig_err *e)
{
	struct nl nl;
	struct nl_link l;
	int r = 1;

	if (nl_open(&nl, e) < 0)
		return -1;
	if (stopping_nsid >= 0)
		r = nl_nsid_alive(&nl, stopping_nsid, e);
	if (r > 0)
		r = nl_link_get(&nl, name, &l, e);
	if (r > 0 && brigs_veth(&l))
		r = veth_away(&nl, &l, e);
	nl_close(&nl);
	return r < 0 ? -1 : 0;
}

/* Move link l, found by its recorded index or name in the jail's
 * namespace (jn), back to the host's (hostfd) under its current name. The jail's root may
 * have replaced the interface (a userns jail configures its own links):
 * one linked to a namespace other than the host's (a veth whose peer is
 * in the jail, a macvlan, vlan or tunnel over a jail interface) would
 * give the jail a way into the host's namespace, so it is refused. (A
 * link without a lower one, a dummy, would come out: down, without
 * addresses.) */
static int move_back(struct nl *jn, const struct nl_link *l, int hostfd, struct brig_err *e)
{
	struct nl_link_attrs back;
	int host_nsid;

	if (l->linked || l->link_nsid >= 0) {
		host_nsid = nl_nsid_of_pid(jn, getpid(), e);
		if (host_nsid < 0)
			return -1;
		if (l->link_nsid != host_nsid)
			return brig_err_set(e, 0, "refused: %s in the jail is linked to another "
					    "namespace than the host's (%s, made in the jail?); left to "
					    "the jail", l->name, l->kind[0] ? l->kind : "a link");
	}
	/* The kernel takes its addresses and routes away and leaves it down. */
	nl_link_attrs_init(&back);
	back.netns_fd = hostfd;
	back.name = l->name;
	return nl_link_set(jn, l->index, &back, e);
}

/* The link of index in the namespace of nl: 1 and *out, 0 if none, -1. */
static int link_by_index(struct nl *nl, int index, struct nl_link *out, struct brig_err *e)
{
	struct nl_link *v = NULL;
	size_t n = 0;
	int r = 0;

	if (nl_link_list(nl, &v, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n && !r; i++)
		if (v[i].index == index) {
			*out = v[i];
			r = 1;
		}
	free(v);
	return r;
}

int net_jail_return(pid_t init_pid, const char *id, struct brig_err *e)
{
	struct nl jn = { 0 };
	struct nl_link l;
	const char *slash = strchr(id, '/');
	cleanup_free char *name = slash ? xstrndup(id, (size_t)(slash - id)) : xstrdup(id);
	int index = slash ? atoi(slash + 1) : 0;
	int nsfd, hostfd = -1, r = -1;

	if ((nsfd = open_jail_netns(init_pid, e)) < 0)
		return brig_err_wrap(e, "returning %s to the host", name);
	hostfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (hostfd < 0) {
		brig_err_set(e, errno, "opening the host's network namespace");
	} else if (nl_open_netns(&jn, nsfd, e) == 0) {
		/* By its index first (renamed in the jail: back under its
		 * current name, as FreeBSD returns it), then by its name. */
		r = index > 0 ? link_by_index(&jn, index, &l, e) : 0;
		if (r == 0)
			r = nl_link_get(&jn, name, &l, e);
		if (r > 0)
			r = move_back(&jn, &l, hostfd, e);
		/* Neither: back on the host already, or destroyed (with its
		 * peer, by a hook): nothing to return, as the kernel returns
		 * only what exists when FreeBSD removes a jail. */
	}
	nl_close(&jn);
	if (hostfd >= 0)
		close(hostfd);
	close(nsfd);
	return r < 0 ? brig_err_wrap(e, "returning %s to the host", name) : 0;
}

int net_obj_remove(enum jobj_kind kind, const char *id, struct brig_err *e)
{
	/* Returned before the jail's namespace went (net_jail_return); past
	 * that the kernel has done it (doc/net.md). */
	if (kind == JOBJ_IFMOVED)
		return 0;
	if (kind == JOBJ_VETH)
		return remove_veth(id, e) < 0 ? brig_err_wrap(e, "vnet") : 0;
	if (kind == JOBJ_NFT) {
		if (!strncmp(id, "port:", 5))
			return nft_port_set(id + 5, NULL, NULL, e) < 0 ? brig_err_wrap(e, "vnet") : 0;
		if (strncmp(id, "jail:", 5) != 0)
			return brig_err_set(e, 0, "vnet: bad rule tag \"%s\"", id);
		return nft_replace_tag(id, NULL, e) < 0 ? brig_err_wrap(e, "vnet") : 0;
	}
	if (kind == JOBJ_ALIAS)
		return net_alias_remove(id, e) < 0 ? brig_err_wrap(e, "ifaddr") : 0;
	if (kind == JOBJ_FIB)
		return net_fib_remove(id, e) < 0 ? brig_err_wrap(e, "fib") : 0;
	return brig_err_set(e, 0, "unknown network object kind \"%s\"", jobj_kind_names[kind]);
}
