/* brig doctor JAIL: exec.fib (doc/net.md, "exec.fib"). The jail's
 * sockets are marked by a program on its cgroup v2 group, and a rule per
 * family sends what carries the mark to table N, in the namespace its
 * sockets live in (the host's for a jail on the host's stack, else its
 * own). On Linux a table without a default route sends what it does not
 * route on to the main table, silently (FreeBSD's empty FIB refuses):
 * that is the warning. Reads only. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/doctor_int.h"
#include "core/spec.h"
#include "core/state.h"
#include "net/net.h"
#include "sys/bpfprog.h"
#include "sys/cgroup.h"
#include "sys/netlink.h"
#include "sys/nsrun.h"
#include "util/mem.h"

/* Where the jail's rules are: nl open in that namespace. */
struct fib_ns {
	struct nl nl;
	bool own;		/* the jail's own namespace, not the host's */
	const char *where;	/* "the host's namespace", "the jail's namespace" */
};

static const char *fam_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* Whether a shared-IP jail may use a family (the host's addresses, or
 * its own): with none, its sockets of the family are refused by a
 * socket() program of sys/sockaddr.c. */
static bool shared_uses(const struct jail_def *d, enum jparam sys, size_t naddrs)
{
	return jail_sock_mode(d, sys, naddrs) != SOCK_NONE;
}

/* Whether the jail uses family: on the host's stack, by its parameters;
 * in its own namespace, by a global address there. */
static bool uses(const struct jail_def *d, struct fib_ns *ns, int family)
{
	struct nl_addr *a = NULL;
	size_t n = 0;
	bool found = false;

	if (!ns->own)
		return family == AF_INET ? shared_uses(d, JP_IP4, d->nip4) :
					   shared_uses(d, JP_IP6, d->nip6);
	if (nl_addr_list(&ns->nl, 0, &a, NULL, &n, NULL) < 0)
		return true;
	for (size_t i = 0; i < n && !found; i++) {
		const uint8_t *x = a[i].addr;

		if (a[i].family != family)
			continue;
		if (family == AF_INET)
			found = x[0] != 127;
		else
			found = !(x[0] == 0xfe && (x[1] & 0xc0) == 0x80) &&
				memcmp(x, in6addr_loopback.s6_addr, 16) != 0;
	}
	free(a);
	return found;
}

/* The program that marks the jail's sockets: one more socket() program
 * than a shared-IP jail with a family refused has (sys/sockaddr.c's). */
static void mark_program(const struct jail_def *d, const struct jstate *st, bool own,
			 struct dr_report *r)
{
	size_t n;
	char **dirs = state_obj_ids(st, JOBJ_CGROUP, &n);
	const char *dir = cgroup_v2_dir(dirs, n);
	struct brig_err e = { 0 };
	int want = 1, c;
	char seen[160], expected[64];

	if (!own && (!shared_uses(d, JP_IP4, d->nip4) || !shared_uses(d, JP_IP6, d->nip6)))
		want++;
	c = dir ? bpf_cg_count(dir, BPF_CGROUP_INET_SOCK_CREATE, &e) : -1;
	free(dirs);
	snprintf(expected, sizeof(expected), "%d socket() program%s, the mark's among them", want,
		 want == 1 ? "" : "s");
	if (c < 0) {
		dr_add(r, "jail", "socket mark", DR_FAIL, e.msg[0] ? e.msg : "no cgroup v2 group",
		       expected, "brig restart %s", d->name);
		return;
	}
	snprintf(seen, sizeof(seen), "%d socket() program%s on %s", c, c == 1 ? "" : "s", dir);
	if (c < want)
		dr_add(r, "jail", "socket mark", DR_FAIL, seen, expected,
		       "brig restart %s (its sockets carry no mark: they route by the main table)",
		       d->name);
	else
		dr_add(r, "jail", "socket mark", DR_OK, seen, expected, NULL);
}

/* The default route of table in rt (n routes): its text into out, or
 * false when it has none. A throw route sends on to the next rule: none. */
static bool default_of(const struct nl_route *rt, size_t n, bool own, char *out, size_t size)
{
	for (size_t i = 0; i < n; i++) {
		char gw[INET6_ADDRSTRLEN] = "", dev[IF_NAMESIZE + 5] = "";
		char name[IF_NAMESIZE];

		if (rt[i].dst.plen != 0 || rt[i].type == RTN_THROW)
			continue;
		if (rt[i].type == RTN_UNREACHABLE || rt[i].type == RTN_BLACKHOLE ||
		    rt[i].type == RTN_PROHIBIT) {
			snprintf(out, size, "%s default", rt[i].type == RTN_UNREACHABLE ? "unreachable" :
				 rt[i].type == RTN_BLACKHOLE ? "blackhole" : "prohibit");
			return true;
		}
		if (rt[i].has_gw)
			inet_ntop(rt[i].gw.family, rt[i].gw.addr, gw, sizeof(gw));
		/* An index names a link only in the namespace read here. */
		if (rt[i].oif && !own && if_indextoname((unsigned)rt[i].oif, name))
			snprintf(dev, sizeof(dev), " dev %s", name);
		snprintf(out, size, "default%s%s%s", gw[0] ? " via " : "", gw, dev);
		return true;
	}
	return false;
}

/* One family's rule and table. */
static void fib_family(const struct jail_def *d, int jid, uint32_t table, struct fib_ns *ns,
		       int family, struct dr_report *r)
{
	uint32_t mark = net_fib_mark(jid);
	cleanup_free char *hop = xasprintf("routing table %u %s", table, fam_name(family));
	cleanup_free char *id = net_fib_id(mark, table);
	cleanup_free char *rule = xasprintf("fwmark %s", id);
	const char *ip = family == AF_INET6 ? "ip -6" : "ip";
	struct nl_rule *v = NULL;
	struct nl_route *rt = NULL;
	struct brig_err e = { 0 };
	size_t n = 0, nrt = 0;
	long other = -1;
	bool found = false;
	char def[128];

	if (nl_rule_list(&ns->nl, family, &v, &n, &e) < 0) {
		dr_add(r, "jail", hop, DR_SKIP, e.errnum == EAFNOSUPPORT ? "no such family in the "
		       "namespace" : e.msg, rule, NULL);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].mark != mark || v[i].mask != NET_FIB_MASK)
			continue;
		if (v[i].table == table)
			found = true;
		else
			other = v[i].table;
	}
	free(v);
	if (!found) {
		cleanup_free char *seen = other >= 0 ?
			xasprintf("the jail's mark goes to table %ld in %s", other, ns->where) :
			xasprintf("no rule of the jail's mark in %s", ns->where);

		dr_add(r, "jail", hop, DR_FAIL, seen, rule, "brig restart %s (meanwhile its %s "
		       "traffic goes by %s)", d->name, fam_name(family),
		       other >= 0 ? "that table" : "the main table");
		return;
	}
	if (nl_route_table(&ns->nl, family, table, &rt, &nrt, &e) < 0) {
		dr_add(r, "jail", hop, DR_SKIP, e.msg, rule, NULL);
		return;
	}
	bool has = default_of(rt, nrt, ns->own, def, sizeof(def));

	free(rt);
	if (has || !uses(d, ns, family)) {
		cleanup_free char *seen = has ? xasprintf("%s; %s", rule, def) :
			xasprintf("%s; no default route, and the jail has no %s address", rule,
				  fam_name(family));

		dr_add(r, "jail", hop, DR_OK, seen, rule, NULL);
		return;
	}
	cleanup_free char *seen = xasprintf("%s; table %u has no default route: what it does not "
					    "route goes by the main table, silently", rule, table);
	cleanup_free char *in = ns->own ? xasprintf("in the jail's namespace (brig exec %s ...): ",
						    d->name) : xstrdup("");

	cleanup_free char *expected = xasprintf("a default route in table %u", table);

	dr_add(r, "jail", hop, DR_WARN, seen, expected,
	       "%s%s route add default via GATEWAY table %u; or, to refuse the rest as FreeBSD "
	       "does: %s route add unreachable default table %u", in, ip, table, ip, table);
}

void doctor_fib(const struct jail_def *d, const struct jstate *st, struct dr_report *r)
{
	const struct jail_def *made = st->def ? st->def : d;
	long long table = jd_int(made, JP_EXEC_FIB);
	struct fib_ns ns = { 0 };
	struct brig_err e = { 0 };
	int fd = -1, own;

	if (table <= 0)
		return;
	own = ns_open_net(st->init_pid, &fd, &e);
	ns.own = own == 1;
	mark_program(made, st, ns.own, r);
	ns.where = ns.own ? "the jail's namespace" : "the host's namespace";
	if (own < 0 || (ns.own ? nl_open_netns(&ns.nl, fd, &e) : nl_open(&ns.nl, &e)) < 0) {
		dr_add(r, "jail", "routing table", DR_SKIP, e.msg, NULL, NULL);
		if (fd >= 0)
			close(fd);
		return;
	}
	if (fd >= 0)
		close(fd);
	fib_family(made, st->jid, (uint32_t)table, &ns, AF_INET, r);
	fib_family(made, st->jid, (uint32_t)table, &ns, AF_INET6, r);
	nl_close(&ns.nl);
}
