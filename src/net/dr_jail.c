/* brig doctor JAIL, the network (net/doctor.h): the hops inside the
 * jail's namespace (lo, its interfaces, addresses, MTU, routes, DNS), its
 * veth pairs and bridges, then the host (dr_host.c, dr_fw.c) and --to. */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/dr.h"
#include "net/net.h"
#include "sys/nsrun.h"
#include "util/beneath.h"
#include "util/mem.h"
#include "util/strbuf.h"

#define PROBE_MS 300

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000	/* <linux/if.h>: the carrier is there */
#endif

void dr_hop(struct dctx *c, const char *section, const char *name, enum ndr st, const char *seen,
	    const char *expected, const char *fix, ...)
{
	char *f = NULL;

	if (fix) {
		va_list ap;

		va_start(ap, fix);
		if (vasprintf(&f, fix, ap) < 0)
			abort();
		va_end(ap);
	}
	c->j->hop(c->j->arg, section, name, st, seen, expected, f);
	free(f);
}

char *dr_where(const struct jail_def *d, enum jparam id)
{
	const struct conf_pos *at = &d->p[id].at;

	if (at->file)
		return xasprintf("%s:%d", at->file, at->line);
	if (d->at.file)
		return xasprintf("the block of jail %s at %s:%d", d->name, d->at.file, d->at.line);
	return xasprintf("the configuration of jail %s", d->name);
}

char *dr_nwhere(const struct dctx *c, const char *bridge, enum nparam id)
{
	for (size_t i = 0; c->nw_ok && i < c->nw.ndefs; i++) {
		const struct net_def *nd = &c->nw.defs[i];

		if (strcmp(nd->name, bridge) != 0)
			continue;
		if (nd->p[id].at.file)
			return xasprintf("%s:%d", nd->p[id].at.file, nd->p[id].at.line);
		if (nd->at.file)
			return xasprintf("the block of %s at %s:%d", bridge, nd->at.file, nd->at.line);
	}
	return xstrdup("networks.conf");
}

const char *dr_fmt(const struct nl_addr *a, bool len, char *buf, size_t size)
{
	net_addr_fmt(a, len, false, buf, size);
	return buf;
}

/* The jail's network namespace, not the host's (-1: none of its own,
 * or its init is gone). */
static int open_netns(pid_t pid)
{
	struct brig_err ig = { 0 };
	int fd;

	return ns_open_net(pid, &fd, &ig) > 0 ? fd : -1;
}

/* "a, b" of the addresses of family on ifindex in list v (with lengths). */
static char *addrs_text(const struct nl_addr *v, const int *idx, size_t n, int ifindex, int family)
{
	struct strbuf sb = STRBUF_INIT;
	char t[64];

	for (size_t i = 0; i < n; i++) {
		if (idx[i] != ifindex || v[i].family != family)
			continue;
		if (family == AF_INET6 && v[i].addr[0] == 0xfe && (v[i].addr[1] & 0xc0) == 0x80)
			continue;	/* link-local: not configured */
		if (sb.len)
			sb_adds(&sb, ", ");
		sb_adds(&sb, dr_fmt(&v[i], true, t, sizeof(t)));
	}
	return sb.len ? sb_steal(&sb) : NULL;
}

static const char *restart_fix(struct dctx *c, char *buf, size_t n)
{
	snprintf(buf, n, "brig restart %s (brig makes the jail's network at start)", c->name);
	return buf;
}

/* lo, each interface (present, up, MAC, MTU), its addresses. */
static void jail_links(struct dctx *c)
{
	struct nl_link lo;
	struct brig_err e = { 0 };
	struct nl_addr *av = NULL;
	int *ai = NULL;
	size_t an = 0;
	char rf[160];
	int r;

	restart_fix(c, rf, sizeof(rf));
	r = nl_link_get(&c->jn, "lo", &lo, &e);
	if (r < 0)
		dr_hop(c, "jail", "lo", NDR_FAIL, e.msg, "up", NULL);
	else if (r == 0 || !(lo.flags & IFF_UP))
		dr_hop(c, "jail", "lo", NDR_FAIL, r ? "down" : "missing", "up",
		       "%s; or `brig exec %s ip link set lo up`", rf, c->name);
	else
		dr_hop(c, "jail", "lo", NDR_OK, "up", "up", NULL);
	if (nl_addr_list(&c->jn, 0, &av, &ai, &an, &e) < 0) {
		dr_hop(c, "jail", "addresses", NDR_FAIL, e.msg, NULL, NULL);
		return;
	}
	for (size_t i = 0; i < c->m.nifs; i++) {
		const struct net_if *f = &c->m.ifs[i];
		struct dr_if *di = &c->di[i];
		cleanup_free char *name = xasprintf("interface %s", f->jname);

		r = nl_link_get(&c->jn, f->jname, &di->jl, &e);
		if (r <= 0) {
			dr_hop(c, "jail", name, NDR_FAIL, r < 0 ? e.msg : "missing", "present", "%s",
			       rf);
			continue;
		}
		di->jfound = true;
		if (!(di->jl.flags & IFF_UP)) {
			dr_hop(c, "jail", name, NDR_FAIL, "down", "up", "%s; or `brig exec %s ip link "
			       "set %s up`", rf, c->name, f->jname);
		} else if (f->bridge && !(di->jl.flags & IFF_LOWER_UP)) {
			cleanup_free char *seen = xasprintf("up, no carrier (its host end %s is down or "
							    "gone)", f->hname);

			dr_hop(c, "jail", name, NDR_FAIL, seen, "up, carrier", "see the link hops below; %s",
			       rf);
		} else if (f->bridge && c->m.spoofcheck && memcmp(di->jl.mac, f->jmac, 6) != 0) {
			char seen[64], exp[128];

			snprintf(seen, sizeof(seen), "MAC %02x:%02x:%02x:%02x:%02x:%02x", di->jl.mac[0],
				 di->jl.mac[1], di->jl.mac[2], di->jl.mac[3], di->jl.mac[4], di->jl.mac[5]);
			snprintf(exp, sizeof(exp), "MAC %02x:%02x:%02x:%02x:%02x:%02x (its port's filter "
				 "lets only that through)", f->jmac[0], f->jmac[1], f->jmac[2],
				 f->jmac[3], f->jmac[4], f->jmac[5]);
			dr_hop(c, "jail", name, NDR_FAIL, seen, exp, "%s", rf);
		} else {
			dr_hop(c, "jail", name, NDR_OK, "up", "up", NULL);
		}
		/* Its addresses, per family, against ip4.addr / ip6.addr. */
		for (int fam = AF_INET; fam <= AF_INET6; fam = fam == AF_INET ? AF_INET6 : AF_INET6 + 1) {
			enum jparam id = fam == AF_INET ? JP_IP4_ADDR : JP_IP6_ADDR;
			struct strbuf exp = STRBUF_INIT, miss = STRBUF_INIT;
			cleanup_free char *seen = addrs_text(av, ai, an, di->jl.index, fam);
			cleanup_free char *hn = xasprintf("%s %s address", f->jname,
							 fam == AF_INET ? "IPv4" : "IPv6");
			char t[64];
			bool any = false;

			for (size_t k = 0; k < c->m.nips; k++) {
				const struct net_ip *ip = &c->m.ips[k];
				bool have = false;

				if (ip->ifi != i || ip->a.family != fam)
					continue;
				any = true;
				for (size_t a = 0; a < an; a++)
					have = have || (ai[a] == di->jl.index && net_addr_same(&av[a], &ip->a) &&
							av[a].plen == ip->a.plen);
				if (exp.len)
					sb_adds(&exp, ", ");
				sb_adds(&exp, dr_fmt(&ip->a, true, t, sizeof(t)));
				if (!have)
					sb_addf(&miss, "%s%s", miss.len ? ", " : "", t);
			}
			if (!any && !seen) {
				sb_free(&exp);
				continue;
			}
			cleanup_free char *w = dr_where(c->d, id);
			if (miss.len)
				dr_hop(c, "jail", hn, NDR_FAIL, seen, exp.s, "%s is missing (%s at %s); %s",
				       miss.s, jd_name(id), w, rf);
			else if (!any)
				dr_hop(c, "jail", hn, NDR_WARN, seen, NULL, "not in %s (%s): added "
				       "in the jail?", jd_name(id), w);
			else
				dr_hop(c, "jail", hn, NDR_OK, seen, exp.s, NULL);
			sb_free(&exp);
			sb_free(&miss);
		}
	}
	free(av);
	free(ai);
}

/* The jail end's MTU against its bridge's. */
static void jail_mtu(struct dctx *c)
{
	for (size_t i = 0; i < c->m.nifs; i++) {
		struct dr_if *di = &c->di[i];
		cleanup_free char *name = xasprintf("%s MTU", c->m.ifs[i].jname);
		char seen[32], exp[64];

		if (!c->m.ifs[i].bridge || !di->jfound || !di->bfound)
			continue;
		snprintf(seen, sizeof(seen), "%d", di->jl.mtu);
		snprintf(exp, sizeof(exp), "%d (bridge %s's)", di->bl.mtu, c->m.ifs[i].bridge);
		if (di->jl.mtu != di->bl.mtu) {
			char rf[160];

			dr_hop(c, "jail", name, NDR_FAIL, seen, exp, "%s (it takes the bridge's MTU)",
			       restart_fix(c, rf, sizeof(rf)));
		} else {
			dr_hop(c, "jail", name, NDR_OK, seen, exp, NULL);
		}
	}
}

/* The default route of a family against ip4/ip6.defaultrouter, and the
 * router against the bridge's address in networks.conf. */
static void jail_route(struct dctx *c, int fam)
{
	const struct net_gw *gw = fam == AF_INET ? &c->m.gw4 : &c->m.gw6;
	enum jparam id = fam == AF_INET ? JP_IP4_DEFAULTROUTER : JP_IP6_DEFAULTROUTER;
	const char *hn = fam == AF_INET ? "default route IPv4" : "default route IPv6";
	const struct net_ip *ip = net_jail_ip(&c->m, fam);
	cleanup_free char *w = dr_where(c->d, id);
	struct nl_route *rv = NULL, *def = NULL;
	struct brig_err e = { 0 };
	char seen[160] = "none", exp[128], t[64], rf[160];
	size_t rn = 0;

	restart_fix(c, rf, sizeof(rf));
	if (nl_route_list(&c->jn, fam, &rv, &rn, &e) < 0) {
		dr_hop(c, "jail", hn, NDR_FAIL, e.msg, NULL, NULL);
		return;
	}
	for (size_t i = 0; i < rn && !def; i++)
		if (rv[i].dst.plen == 0 && rv[i].type == RTN_UNICAST)
			def = &rv[i];
	/* The route the kernel takes out (a lookup, nothing sent): another
	 * default route of a lower metric, or a more specific one, wins. */
	struct nl_route out;
	struct nl_addr far = { .family = fam, .plen = fam == AF_INET ? 32 : 128 };

	if (fam == AF_INET)
		memcpy(far.addr, (const uint8_t[]){ 198, 51, 100, 254 }, 4);
	else
		memcpy(far.addr, (const uint8_t[]){ 0x20, 0x01, 0x0d, 0xb8, [15] = 0xfe }, 16);
	if (def && nl_route_get(&c->jn, &far, &out, &e) > 0 && out.has_gw)
		def = &out;
	if (def) {
		char ifn[IF_NAMESIZE] = "?";

		for (size_t i = 0; i < c->m.nifs; i++)
			if (c->di[i].jfound && c->di[i].jl.index == def->oif)
				snprintf(ifn, sizeof(ifn), "%s", c->m.ifs[i].jname);
		snprintf(seen, sizeof(seen), "via %s dev %s",
			 def->has_gw ? dr_fmt(&def->gw, false, t, sizeof(t)) : "(on-link)", ifn);
	}
	if (!gw->set) {
		/* No router configured: fine without an address of the family
		 * on a bridge; with one, the jail reaches its subnet only. */
		if (!ip || def) {
			free(rv);
			return;
		}
		const struct net_bridge *b = c->di[ip->ifi].decl;
		const struct nl_addr *ba = NULL;

		for (size_t i = 0; b && i < b->naddrs && !ba; i++)
			if (b->addrs[i].family == fam)
				ba = &b->addrs[i];
		if (ba)
			dr_hop(c, "jail", hn, NDR_WARN, seen, NULL, "the jail reaches only its subnet: "
			       "set %s = \"%s\"; in %s and restart it", jd_name(id),
			       dr_fmt(ba, false, t, sizeof(t)), w);
		free(rv);
		return;
	}
	snprintf(exp, sizeof(exp), "via %s dev %s", dr_fmt(&gw->a, false, t, sizeof(t)),
		 c->m.ifs[gw->ifi].jname);
	if (!def)
		dr_hop(c, "jail", hn, NDR_FAIL, seen, exp, "%s (%s at %s)", rf, jd_name(id), w);
	else if (!def->has_gw || !net_addr_same(&def->gw, &gw->a) ||
		 !c->di[gw->ifi].jfound || def->oif != c->di[gw->ifi].jl.index)
		dr_hop(c, "jail", hn, NDR_FAIL, seen, exp, "%s (%s at %s)", rf, jd_name(id), w);
	else
		dr_hop(c, "jail", hn, NDR_OK, seen, exp, NULL);
	free(rv);

	/* The router against the bridge's address in networks.conf. */
	const struct net_bridge *b = c->m.ifs[gw->ifi].bridge ? c->di[gw->ifi].decl : NULL;
	struct strbuf ba = STRBUF_INIT;
	bool match = false;
	const char *gn = fam == AF_INET ? "gateway IPv4" : "gateway IPv6";

	if (!b) {
		sb_free(&ba);
		return;
	}
	for (size_t i = 0; i < b->naddrs; i++) {
		if (b->addrs[i].family != fam)
			continue;
		match = match || net_addr_same(&b->addrs[i], &gw->a);
		sb_addf(&ba, "%s%s", ba.len ? ", " : "", dr_fmt(&b->addrs[i], false, t, sizeof(t)));
	}
	dr_fmt(&gw->a, false, t, sizeof(t));
	if (!match) {
		cleanup_free char *nw = dr_nwhere(c, b->name, fam == AF_INET ? NP_IP4_ADDR : NP_IP6_ADDR);

		snprintf(exp, sizeof(exp), "bridge %s's address: %s", b->name,
			 ba.len ? ba.s : "(none declared)");
		dr_hop(c, "jail", gn, NDR_WARN, t, exp, "%s at %s names a router other than the "
		       "bridge (%s): fine if a router jail is there, else set it to the "
		       "bridge's address", jd_name(id), w, nw);
	} else {
		dr_hop(c, "jail", gn, NDR_OK, t, ba.s, NULL);
	}
	sb_free(&ba);
}

/* The gateway answers an echo from inside the jail (unless the bridge's
 * `host` list keeps ICMP out). */
static void jail_gw_reach(struct dctx *c, int fam)
{
	const struct net_gw *gw = fam == AF_INET ? &c->m.gw4 : &c->m.gw6;
	const struct net_bridge *b;
	char t[64], why[160];
	int r;

	if (!gw->set)
		return;
	b = c->m.ifs[gw->ifi].bridge ? c->di[gw->ifi].decl : NULL;
	cleanup_free char *hn = xasprintf("gateway %s reachable", dr_fmt(&gw->a, false, t, sizeof(t)));
	if (b && b->host_limited) {
		bool icmp = false;

		for (size_t i = 0; i < b->nhost; i++)
			icmp = icmp || b->host[i].proto == IPPROTO_ICMP;
		if (!icmp) {
			dr_hop(c, "jail", hn, NDR_SKIP, "not probed: bridge's `host` list has no icmp",
			       NULL, NULL);
			return;
		}
	}
	r = dr_ping(c->nsfd, &gw->a, PROBE_MS, why, sizeof(why));
	if (r == 1)
		dr_hop(c, "jail", hn, NDR_OK, "echo reply", "echo reply", NULL);
	else
		dr_hop(c, "jail", hn, NDR_FAIL, why, "echo reply",
		       "see the first failing hop below (link, bridge, firewall)");
}

/* A nameserver at one of the jail's bridges' own addresses, on a bridge
 * whose `host` list lets no DNS (53/udp) through: named, with where. */
static bool host_blocks_dns(struct dctx *c, const struct nl_addr *a, const char *hn)
{
	for (size_t i = 0; i < c->m.nifs; i++) {
		const struct net_bridge *b = c->di[i].decl;
		bool mine = false, open = false;

		for (size_t k = 0; b && k < b->naddrs; k++)
			mine = mine || net_addr_same(&b->addrs[k], a);
		if (!mine || !b->host_limited)
			continue;
		for (size_t k = 0; k < b->nhost; k++)
			open = open || (b->host[k].proto == IPPROTO_UDP && b->host[k].lo <= 53 &&
					b->host[k].hi >= 53);
		if (open)
			return false;
		cleanup_free char *w = dr_nwhere(c, b->name, NP_HOST);
		cleanup_free char *seen = xasprintf("bridge %s's `host` list keeps DNS out", b->name);
		dr_hop(c, "jail", hn, NDR_FAIL, seen, "answers DNS", "add \"53/udp\" (and \"53/tcp\") "
		       "to host at %s, then brig net up %s", w, b->name);
		return true;
	}
	return false;
}

/* /etc/resolv.conf in the jail, and each nameserver (up to 3) answering a
 * DNS query from inside the jail. */
static void jail_dns(struct dctx *c)
{
	char path[64], buf[4096], why[160];
	struct brig_err e = { 0 };
	int root, fd, count = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/root", (int)c->j->init_pid);
	root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	fd = root < 0 ? -1 : beneath_open(root, "etc/resolv.conf", O_RDONLY | O_CLOEXEC, &e);
	if (root >= 0)
		close(root);
	if (fd < 0) {
		dr_hop(c, "jail", "/etc/resolv.conf", NDR_FAIL, e.errnum == ELOOP ? "a symlink" : "missing",
		       "nameserver ADDR", "write /etc/resolv.conf in the jail (`brig exec %s sh -c "
		       "'echo nameserver %s > /etc/resolv.conf'`)", c->name,
		       c->m.gw4.set ? c->m.gw4.text : "ADDR");
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *line = strtok(buf, "\n"); line && count < 3; line = strtok(NULL, "\n")) {
		char addr[64];
		struct nl_addr a;
		struct nl_route rt;

		if (sscanf(line, " nameserver %63s", addr) != 1)
			continue;
		count++;
		cleanup_free char *hn = xasprintf("nameserver %s", addr);
		if (net_addr_parse(addr, AF_UNSPEC, false, &a)) {
			dr_hop(c, "jail", hn, NDR_WARN, "not an address", NULL, NULL);
			continue;
		}
		if (nl_route_get(&c->jn, &a, &rt, &e) <= 0) {
			dr_hop(c, "jail", hn, NDR_FAIL, "no route to it from the jail", "answers DNS",
			       "see the default route hops above");
			continue;
		}
		if (host_blocks_dns(c, &a, hn))
			continue;
		if (dr_dns(c->nsfd, &a, PROBE_MS, why, sizeof(why)) == 1)
			dr_hop(c, "jail", hn, NDR_OK, "answers DNS", "answers DNS", NULL);
		else
			dr_hop(c, "jail", hn, NDR_FAIL, why, "answers DNS",
			       "point /etc/resolv.conf of the jail at a server that answers%s%s, or "
			       "start one there", c->m.gw4.set ? " (e.g. " : "",
			       c->m.gw4.set ? c->m.gw4.text : "");
	}
	if (!count)
		dr_hop(c, "jail", "/etc/resolv.conf", NDR_FAIL, "no nameserver line", "nameserver ADDR",
		       "add `nameserver ADDR` to /etc/resolv.conf in the jail");
}

/* The host end of each veth pair and its bridge. */
static void link_hops(struct dctx *c)
{
	struct brig_err e = { 0 };
	char rf[160];

	restart_fix(c, rf, sizeof(rf));
	for (size_t i = 0; i < c->m.nifs; i++) {
		const struct net_if *f = &c->m.ifs[i];
		struct dr_if *di = &c->di[i];
		cleanup_free char *hn = NULL, *bn = NULL, *exp = NULL;
		int r;

		if (!f->bridge)
			continue;
		bn = xasprintf("bridge %s", f->bridge);
		r = nl_link_get(&c->hn, f->bridge, &di->bl, &e);
		di->bfound = r > 0 && !strcmp(di->bl.kind, "bridge");
		hn = xasprintf("host end %s", f->hname);
		exp = xasprintf("up, in bridge %s", f->bridge);
		r = nl_link_get(&c->hn, f->hname, &di->hl, &e);
		di->hfound = r > 0;
		if (r <= 0)
			dr_hop(c, "link", hn, NDR_FAIL, r < 0 ? e.msg : "missing", exp, "%s", rf);
		else if (!(di->hl.flags & IFF_UP))
			dr_hop(c, "link", hn, NDR_FAIL, "down", exp, "%s", rf);
		else if (!di->bfound || di->hl.master != di->bl.index) {
			char seen[64], ifn[IF_NAMESIZE];

			snprintf(seen, sizeof(seen), "up, %s%s", di->hl.master ? "in " : "in no bridge",
				 di->hl.master ? (if_indextoname((unsigned)di->hl.master, ifn)
							 ? ifn : "another bridge") : "");
			dr_hop(c, "link", hn, NDR_FAIL, seen, exp, "%s", rf);
		} else if (!(di->hl.flags & IFF_LOWER_UP)) {
			dr_hop(c, "link", hn, NDR_FAIL, "up, no carrier (the jail's end is down)", exp,
			       "%s", rf);
		} else if (di->hl.port_state >= 0 && di->hl.port_state != 3) {
			static const char *const states[] = { "disabled", "listening", "learning",
							      "forwarding", "blocking" };
			cleanup_free char *seen = xasprintf("up, in the bridge, port state %s",
							    di->hl.port_state < 5 ? states[di->hl.port_state]
										 : "unknown");

			dr_hop(c, "link", hn, NDR_FAIL, seen, "port state forwarding", "%s (STP on "
			       "bridge %s? brig makes its bridges without it)", rf, f->bridge);
		} else if (di->bfound && di->hl.mtu != di->bl.mtu) {
			char seen[64], want[64];

			snprintf(seen, sizeof(seen), "MTU %d", di->hl.mtu);
			snprintf(want, sizeof(want), "MTU %d (bridge %s's)", di->bl.mtu, f->bridge);
			dr_hop(c, "link", hn, NDR_FAIL, seen, want, "%s", rf);
		} else
			dr_hop(c, "link", hn, NDR_OK, "up, in the bridge", exp, NULL);

		/* The bridge: present, up, its declared addresses. */
		cleanup_free char *fix = di->decl ? xasprintf("brig net up %s", f->bridge)
						  : xasprintf("bridge %s is not declared in networks.conf: "
							      "bring it up yourself, or declare it",
							      f->bridge);
		if (!di->bfound) {
			dr_hop(c, "link", bn, NDR_FAIL, r < 0 ? e.msg : "missing", "present, up", "%s", fix);
			continue;
		}
		if (!(di->bl.flags & IFF_UP)) {
			dr_hop(c, "link", bn, NDR_FAIL, "down", "up", "%s", fix);
			continue;
		}
		dr_hop(c, "link", bn, NDR_OK, "up", "up", NULL);
		if (!di->decl || !di->decl->naddrs)
			continue;
		struct nl_addr *av = NULL;
		size_t an = 0;
		struct strbuf miss = STRBUF_INIT, want = STRBUF_INIT;
		cleanup_free char *an_name = xasprintf("bridge %s addresses", f->bridge);
		cleanup_free char *seen = NULL;
		cleanup_free int *ai = NULL;
		char t[64];

		if (nl_addr_list(&c->hn, di->bl.index, &av, &ai, &an, &e) < 0) {
			dr_hop(c, "link", an_name, NDR_FAIL, e.msg, NULL, NULL);
			continue;
		}
		for (size_t k = 0; k < di->decl->naddrs; k++) {
			const struct nl_addr *want_a = &di->decl->addrs[k];
			bool have = false;

			for (size_t a = 0; a < an; a++)
				have = have || (net_addr_same(&av[a], want_a) && av[a].plen == want_a->plen);
			dr_fmt(want_a, true, t, sizeof(t));
			sb_addf(&want, "%s%s", want.len ? ", " : "", t);
			if (!have)
				sb_addf(&miss, "%s%s", miss.len ? ", " : "", t);
		}
		{
			char *s4 = addrs_text(av, ai, an, di->bl.index, AF_INET);
			char *s6 = addrs_text(av, ai, an, di->bl.index, AF_INET6);

			seen = s4 && s6 ? xasprintf("%s, %s", s4, s6) : s4 ? xstrdup(s4) : s6 ? xstrdup(s6) : NULL;
			free(s4);
			free(s6);
		}
		if (miss.len) {
			cleanup_free char *nw = dr_nwhere(c, f->bridge, NP_IP4_ADDR);

			dr_hop(c, "link", an_name, NDR_FAIL, seen, want.s, "brig net up %s (adds %s, "
			       "declared at %s)", f->bridge, miss.s, nw);
		} else {
			dr_hop(c, "link", an_name, NDR_OK, seen, want.s, NULL);
		}
		sb_free(&miss);
		sb_free(&want);
		free(av);
	}
}

/* A shared-IP jail: each address on its interface (or the host's). */
static void shared_hops(struct dctx *c)
{
	struct nl_addr *av = NULL;
	int *ai = NULL;
	size_t an = 0;
	struct brig_err e = { 0 };

	if (nl_addr_list(&c->hn, 0, &av, &ai, &an, &e) < 0) {
		dr_hop(c, "host", "addresses", NDR_FAIL, e.msg, NULL, NULL);
		return;
	}
	for (int k = 0; k < 2; k++) {
		const struct jaddr *v = k ? c->d->ip6 : c->d->ip4;
		size_t n = k ? c->d->nip6 : c->d->nip4;
		enum jparam id = k ? JP_IP6_ADDR : JP_IP4_ADDR;

		for (size_t i = 0; i < n; i++) {
			const char *iface = v[i].iface ? v[i].iface : jd_nonempty(c->d, JP_INTERFACE);
			cleanup_free char *hn = xasprintf("address %s", v[i].bare);
			cleanup_free char *w = dr_where(c->d, id);
			struct nl_addr a;
			struct nl_link l;
			char seen[96];
			int on = 0, r;

			if (net_addr_parse(v[i].bare, k ? AF_INET6 : AF_INET, false, &a))
				continue;
			for (size_t x = 0; x < an; x++)
				if (net_addr_same(&av[x], &a))
					on = ai[x];
			if (!on) {
				dr_hop(c, "host", hn, NDR_FAIL, "on no interface of the host",
				       iface ? iface : "on an interface of the host",
				       iface ? "brig restart %s (brig adds it to %s at start; %s at %s)"
					     : "add it to an interface of the host (%s%s%s at %s has no "
					       "interface)", c->name, iface ? iface : "", jd_name(id), w);
				continue;
			}
			char ifn[IF_NAMESIZE] = "?";

			if_indextoname((unsigned)on, ifn);
			snprintf(seen, sizeof(seen), "on %s", ifn);
			r = iface ? nl_link_get(&c->hn, iface, &l, &e) : 0;
			if (iface && r > 0 && !(l.flags & IFF_UP))
				dr_hop(c, "host", hn, NDR_FAIL, "its interface is down", "on an up interface",
				       "bring %s up on the host", iface);
			else
				dr_hop(c, "host", hn, NDR_OK, seen, iface ? iface : "on the host", NULL);
		}
	}
	free(av);
	free(ai);
}

/* --to ADDR[:PORT][/tcp|udp]: the route out of the jail, then a probe. */
static int parse_to(const char *to, struct nl_addr *a, int *port, int *proto, struct brig_err *e)
{
	char buf[128], *slash, *host = buf, *colon = NULL;

	*port = 0;
	*proto = IPPROTO_TCP;
	snprintf(buf, sizeof(buf), "%s", to);
	if ((slash = strrchr(buf, '/'))) {
		if (!strcmp(slash, "/tcp"))
			*proto = IPPROTO_TCP;
		else if (!strcmp(slash, "/udp"))
			*proto = IPPROTO_UDP;
		else
			return brig_err_set(e, 0, "--to %s: the protocol is tcp or udp", to);
		*slash = '\0';
	}
	if (buf[0] == '[') {
		char *end = strchr(buf, ']');

		if (!end)
			return brig_err_set(e, 0, "--to %s: no closing ]", to);
		*end = '\0';
		host = buf + 1;
		if (end[1] == ':')
			colon = end + 1;
		else if (end[1])
			return brig_err_set(e, 0, "--to %s: write [ADDR]:PORT", to);
	} else if (strchr(buf, ':') == strrchr(buf, ':')) {
		colon = strchr(buf, ':');
	}
	if (colon) {
		*colon = '\0';
		if (net_port_parse(colon + 1, port))
			return brig_err_set(e, 0, "--to %s: \"%s\" is not a port", to, colon + 1);
	}
	if (net_addr_parse(host, AF_UNSPEC, false, a))
		return brig_err_set(e, 0, "--to %s: \"%s\" is not an address", to, host);
	if (slash && !*port)
		return brig_err_set(e, 0, "--to %s: a protocol needs a port", to);
	return 0;
}

static void to_hops(struct dctx *c, const struct nl_addr *a, int port, int proto)
{
	struct nl_route rt;
	struct brig_err e = { 0 };
	struct nl *nl = c->m.vnet ? &c->jn : &c->hn;
	char t[64], g[64], seen[200], why[160];
	cleanup_free char *hn = xasprintf("route to %s", dr_fmt(a, false, t, sizeof(t)));
	int r = nl_route_get(nl, a, &rt, &e);

	if (r <= 0) {
		dr_hop(c, "to", hn, NDR_FAIL, r < 0 ? e.msg : "none (unreachable)", "a route",
		       "set %s (the jail's default route)",
		       a->family == AF_INET ? "ip4.defaultrouter" : "ip6.defaultrouter");
		return;
	}
	{
		char ifn[IF_NAMESIZE] = "?";

		for (size_t i = 0; i < c->m.nifs; i++)
			if (c->di[i].jfound && c->di[i].jl.index == rt.oif)
				snprintf(ifn, sizeof(ifn), "%s", c->m.ifs[i].jname);
		if (!c->m.vnet)
			if_indextoname((unsigned)rt.oif, ifn);
		snprintf(seen, sizeof(seen), "%s%s dev %s%s%s", rt.has_gw ? "via " : "on-link",
			 rt.has_gw ? dr_fmt(&rt.gw, false, g, sizeof(g)) : "", ifn,
			 rt.has_src ? " src " : "", rt.has_src ? dr_fmt(&rt.src, false, t, sizeof(t)) : "");
	}
	dr_hop(c, "to", hn, NDR_OK, seen, NULL, NULL);
	dr_fmt(a, false, t, sizeof(t));
	cleanup_free char *pn = port ? xasprintf("%s %s%s%s:%d", net_proto_name(proto),
						 a->family == AF_INET6 ? "[" : "", t,
						 a->family == AF_INET6 ? "]" : "", port)
				     : xasprintf("ping %s", t);
	int ns = c->m.vnet ? c->nsfd : -1;

	if (!port)
		r = dr_ping(ns, a, 1000, why, sizeof(why));
	else if (proto == IPPROTO_TCP)
		r = dr_tcp(ns, a, port, 1000, why, sizeof(why));
	else
		r = dr_udp(ns, a, port, 1000, why, sizeof(why));
	if (r == 1)
		dr_hop(c, "to", pn, NDR_OK, port ? "answered" : "echo reply", NULL, NULL);
	else if (r == 0 && port && proto == IPPROTO_UDP && strstr(why, "no answer"))
		dr_hop(c, "to", pn, NDR_WARN, why, "an answer", "UDP gets no answer from a silent "
		       "service: check the service, or the firewall hops");
	else
		dr_hop(c, "to", pn, NDR_FAIL, why, port ? "connected" : "echo reply",
		       "see the first failing hop above; if every hop is OK, the far end or a "
		       "firewall beyond the host drops it");
}

int net_doctor_jail(const struct ndr_jail *j, struct brig_err *e)
{
	struct dctx c = { .j = j, .d = j->d, .name = j->d->name, .nsfd = -1 };
	struct brig_err pe = { 0 };
	struct nl_addr to;
	int to_port = 0, to_proto = 0, rc = -1;
	const struct net_bridge *b;

	if (j->to && parse_to(j->to, &to, &to_port, &to_proto, e) < 0)
		return -1;
	if (net_jail_parse(j->d, &c.m, &pe) < 0) {
		cleanup_free char *w = dr_where(j->d, JP_VNET);

		dr_hop(&c, "jail", "network parameters", NDR_FAIL, pe.msg, NULL,
		       "correct the jail's configuration (%s)", w);
		return 0;
	}
	if (nl_open(&c.hn, e) < 0) {
		net_jail_free(&c.m);
		return -1;
	}
	c.nw_ok = net_networks_lookup(&c.nw, "", &b, &pe) == 0;
	if (!c.m.vnet) {
		if (!j->d->nip4 && !j->d->nip6)
			dr_hop(&c, "jail", "network", NDR_SKIP, "no vnet, no address: no network", NULL,
			       NULL);
		else
			shared_hops(&c);
		if (j->to)
			to_hops(&c, &to, to_port, to_proto);
		rc = 0;
		goto out;
	}
	{
		struct net_if *ifs = net_jail_at(&c.m, j->jid);

		free(c.m.ifs);
		c.m.ifs = ifs;
	}
	c.di = xcalloc(c.m.nifs + 1, sizeof(*c.di));
	for (size_t i = 0; i < c.m.nifs; i++)
		if (c.m.ifs[i].bridge && c.nw_ok)
			c.di[i].decl = net_networks_find(&c.nw, c.m.ifs[i].bridge);
	if (c.m.nifs && !c.nw_ok)
		dr_hop(&c, "link", "networks.conf", NDR_FAIL, pe.msg, NULL, "correct networks.conf");
	c.nsfd = open_netns(j->init_pid);
	if (c.nsfd < 0) {
		dr_hop(&c, "jail", "network namespace", NDR_FAIL, "the jail's init has none of its own",
		       "its own", "brig restart %s", c.name);
		rc = 0;
		goto out;
	}
	if (nl_open_netns(&c.jn, c.nsfd, e) < 0)
		goto out;
	c.jn_ok = true;
	/* The link's state is read first: the jail's hops compare with it. */
	for (size_t i = 0; i < c.m.nifs; i++) {
		struct brig_err ig = { 0 };

		if (c.m.ifs[i].bridge && nl_link_get(&c.hn, c.m.ifs[i].bridge, &c.di[i].bl, &ig) > 0)
			c.di[i].bfound = !strcmp(c.di[i].bl.kind, "bridge");
	}
	jail_links(&c);
	jail_mtu(&c);
	jail_route(&c, AF_INET);
	jail_route(&c, AF_INET6);
	dr_firewall_jail(&c);
	link_hops(&c);
	dr_host(&c);
	dr_firewall(&c);
	dr_duplicates(&c);
	/* End to end, from inside the jail. */
	jail_gw_reach(&c, AF_INET);
	jail_gw_reach(&c, AF_INET6);
	jail_dns(&c);
	if (j->to)
		to_hops(&c, &to, to_port, to_proto);
	rc = 0;
out:
	if (c.jn_ok)
		nl_close(&c.jn);
	nl_close(&c.hn);
	if (c.nsfd >= 0)
		close(c.nsfd);
	free(c.di);
	net_networks_free(&c.nw);
	net_jail_free(&c.m);
	return rc;
}
