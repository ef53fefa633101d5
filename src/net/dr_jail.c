/* brig doctor JAIL, the network (net/doctor.h): the order of the hops,
 * and those inside the jail's namespace (lo, its interfaces, addresses,
 * MTU, default routes, the gateway); the link (dr_link.c), the host
 * (dr_host.c, dr_fw.c), DNS (dr_resolv.c), shared-IP jails (dr_shared.c)
 * and --to (dr_to.c) have their own files. */
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/dr.h"
#include "net/net.h"
#include "sys/nsrun.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The jail's network namespace, not the host's (-1: none of its own,
 * or its init is gone). */
static int open_netns(pid_t pid)
{
	struct brig_err ig = { 0 };
	int fd;

	return ns_open_net(pid, &fd, &ig) > 0 ? fd : -1;
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

	dr_restart_fix(c, rf, sizeof(rf));
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
			cleanup_free char *seen = dr_addrs_text(av, ai, an, di->jl.index, fam);
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
			       dr_restart_fix(c, rf, sizeof(rf)));
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

	dr_restart_fix(c, rf, sizeof(rf));
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
		char ifn[IF_NAMESIZE];

		dr_jname(c, def->oif, ifn);
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
	r = dr_ping(c->nsfd, &gw->a, DR_PROBE_MS, why, sizeof(why));
	if (r == 1)
		dr_hop(c, "jail", hn, NDR_OK, "echo reply", "echo reply", NULL);
	else
		dr_hop(c, "jail", hn, NDR_FAIL, why, "echo reply",
		       "see the first failing hop below (link, bridge, firewall)");
}

int net_doctor_jail(const struct ndr_jail *j, struct brig_err *e)
{
	struct dctx c = { .j = j, .d = j->d, .name = j->d->name, .nsfd = -1 };
	struct brig_err pe = { 0 };
	struct nl_addr to;
	int to_port = 0, to_proto = 0, rc = -1;
	const struct net_bridge *b;

	if (j->to && dr_to_parse(j->to, &to, &to_port, &to_proto, e) < 0)
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
			dr_shared(&c);
		if (j->to)
			dr_to(&c, &to, to_port, to_proto);
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
	dr_link(&c);
	dr_host(&c);
	dr_firewall(&c);
	dr_duplicates(&c);
	/* End to end, from inside the jail. */
	jail_gw_reach(&c, AF_INET);
	jail_gw_reach(&c, AF_INET6);
	dr_resolv(&c);
	if (j->to)
		dr_to(&c, &to, to_port, to_proto);
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
