/* brig doctor JAIL, the host's part of the path: forwarding where NAT or
 * rdr needs it, the uplink route for NAT, the host's route back to the
 * jail, and duplicates of the jail's and the gateway's addresses on the
 * bridge. */
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/dr.h"
#include "sys/sysctl_net.h"
#include "util/mem.h"

static const char *fam_name(int fam)
{
	return fam == AF_INET ? "IPv4" : "IPv6";
}

/* Whether the jail's traffic of family is forwarded by the host: its
 * bridge NATs that family, or it has an rdr of that family. */
static const struct net_bridge *nat_bridge(struct dctx *c, int fam)
{
	for (size_t i = 0; i < c->m.nifs; i++) {
		const struct net_bridge *b = c->di[i].decl;

		for (size_t k = 0; b && b->nat && k < b->naddrs; k++)
			if (b->addrs[k].family == fam && net_jail_ip(&c->m, fam))
				return b;
	}
	return NULL;
}

static void forwarding(struct dctx *c, int fam)
{
	const struct net_bridge *b = nat_bridge(c, fam);
	bool rdr = net_rdr_family(&c->m, fam);
	cleanup_free char *hn = xasprintf("forwarding %s", fam_name(fam));
	const char *all = fam == AF_INET ? "ipv4/ip_forward" : "ipv6/conf/all/forwarding";
	char v[16], rel[96];

	if (!b && !rdr)
		return;
	if (sysctl_net_read(all, v, sizeof(v)) < 0) {
		dr_hop(c, "host", hn, NDR_FAIL, "unreadable", "1", NULL);
		return;
	}
	if (strcmp(v, "1") != 0) {
		if (b) {
			cleanup_free char *exp = xasprintf("1 (bridge %s has nat)", b->name);

			dr_hop(c, "host", hn, NDR_FAIL, "0", exp, "brig net up %s (turns it on)", b->name);
		}
		else
			dr_hop(c, "host", hn, NDR_FAIL, "0", "1 (the jail has rdr)", "brig restart %s "
			       "(turns it on)", c->name);
		return;
	}
	/* Per interface: the bridges of the jail. */
	for (size_t i = 0; i < c->m.nifs; i++) {
		const char *br = c->m.ifs[i].bridge;

		if (!br || !c->di[i].bfound)
			continue;
		snprintf(rel, sizeof(rel), "%s/conf/%s/forwarding", fam == AF_INET ? "ipv4" : "ipv6", br);
		if (sysctl_net_read(rel, v, sizeof(v)) == 0 && strcmp(v, "1") != 0) {
			dr_hop(c, "host", hn, NDR_FAIL, "on, but 0 on the bridge", "1 on the bridge",
			       "net.%s.conf.%s.forwarding = 1 (set to 0 by hand: brig net up "
			       "does not reset it)", fam == AF_INET ? "ipv4" : "ipv6", br);
			return;
		}
	}
	dr_hop(c, "host", hn, NDR_OK, "1", "1", NULL);
}

/* NAT: the host has a default route leaving by another interface. */
static void uplink(struct dctx *c, struct nl_route *rv, size_t rn, int fam)
{
	const struct net_bridge *b = nat_bridge(c, fam);
	cleanup_free char *hn = xasprintf("uplink route %s", fam_name(fam));
	char seen[96], t[64], ifn[IF_NAMESIZE];

	if (!b)
		return;
	for (size_t i = 0; i < rn; i++) {
		if (rv[i].dst.plen != 0 || rv[i].type != RTN_UNICAST)
			continue;
		if (!if_indextoname((unsigned)rv[i].oif, ifn))
			snprintf(ifn, sizeof(ifn), "#%d", rv[i].oif);
		snprintf(seen, sizeof(seen), "default %s%s dev %s", rv[i].has_gw ? "via " : "",
			 rv[i].has_gw ? dr_fmt(&rv[i].gw, false, t, sizeof(t)) : "", ifn);
		if (strcmp(ifn, b->name) != 0) {
			dr_hop(c, "host", hn, NDR_OK, seen, "a default route", NULL);
			return;
		}
	}
	cleanup_free char *exp = xasprintf("a default route out (bridge %s has nat)", b->name);
	dr_hop(c, "host", hn, NDR_FAIL, "no default route", exp,
	       "give the host a default %s route through its uplink: NAT has nowhere to send "
	       "the jails' traffic", fam_name(fam));
}

/* The host's route back to each jail address leaves by its bridge. */
static void route_back(struct dctx *c)
{
	for (size_t i = 0; i < c->m.nips; i++) {
		const struct net_ip *ip = &c->m.ips[i];
		const struct dr_if *di = &c->di[ip->ifi];
		const char *br = c->m.ifs[ip->ifi].bridge;
		struct brig_err e = { 0 };
		struct nl_route rt;
		char t[64], seen[2200], ifn[IF_NAMESIZE] = "?";
		int r;

		if (!br || !di->bfound)
			continue;
		cleanup_free char *hn = xasprintf("route to %s", dr_fmt(&ip->a, false, t, sizeof(t)));
		cleanup_free char *exp = xasprintf("dev %s", br);
		r = nl_route_get(&c->hn, &ip->a, &rt, &e);
		if (r > 0 && !if_indextoname((unsigned)rt.oif, ifn))
			snprintf(ifn, sizeof(ifn), "#%d", rt.oif);
		if (r < 0)
			snprintf(seen, sizeof(seen), "%s", e.msg);
		else if (r == 0)
			snprintf(seen, sizeof(seen), "none");
		else if (rt.type == RTN_LOCAL)
			snprintf(seen, sizeof(seen), "local (the host has the jail's address)");
		else
			snprintf(seen, sizeof(seen), "dev %s", ifn);
		if (r > 0 && rt.type != RTN_LOCAL && rt.oif == di->bl.index)
			dr_hop(c, "host", hn, NDR_OK, seen, exp, NULL);
		else
			dr_hop(c, "host", hn, NDR_FAIL, seen, exp, "the host must reach %s through %s: "
			       "brig net up %s (its subnet route comes with its address); remove "
			       "whatever else claims %s", t, br, br, t);
	}
}

void dr_host(struct dctx *c)
{
	static const int fams[] = { AF_INET, AF_INET6 };

	route_back(c);
	for (size_t k = 0; k < 2; k++) {
		struct nl_route *rv = NULL;
		size_t rn = 0;
		struct brig_err e = { 0 };

		forwarding(c, fams[k]);
		if (nl_route_list(&c->hn, fams[k], &rv, &rn, &e) < 0) {
			dr_hop(c, "host", "routes", NDR_FAIL, e.msg, NULL, NULL);
			continue;
		}
		uplink(c, rv, rn, fams[k]);
		free(rv);
	}
}

static void mac_text(const uint8_t *m, char *buf, size_t n)
{
	snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* Who answers, on each of the jail's bridges, for the jail's addresses
 * (only the jail's MAC should) and the bridge's (nobody should: the
 * probe leaves the host, which does not answer itself). */
void dr_duplicates(struct dctx *c)
{
	for (size_t i = 0; i < c->m.nifs; i++) {
		const struct dr_if *di = &c->di[i];
		struct nl_addr t[16];
		const uint8_t *own[16];
		uint8_t found[16 * 4][6];
		size_t nfound[16], n = 0;
		char why[160];

		if (!c->m.ifs[i].bridge || !di->bfound || !(di->bl.flags & IFF_UP))
			continue;
		for (size_t k = 0; k < c->m.nips && n < 16; k++)
			if (c->m.ips[k].ifi == i) {
				t[n] = c->m.ips[k].a;
				own[n++] = c->m.ifs[i].jmac;
			}
		for (size_t k = 0; di->decl && k < di->decl->naddrs && n < 16; k++) {
			t[n] = di->decl->addrs[k];
			own[n++] = NULL;
		}
		if (!n)
			continue;
		cleanup_free char *hn = xasprintf("duplicates on %s", c->m.ifs[i].bridge);
		if (dr_who_has(di->bl.index, di->bl.mac, t, n, 100, found, nfound, why, sizeof(why)) < 0) {
			dr_hop(c, "host", hn, NDR_WARN, why, NULL, "not probed");
			continue;
		}
		bool dup = false;

		for (size_t k = 0; k < n; k++) {
			char a[64], m[32], o[32];

			for (size_t x = 0; x < nfound[k]; x++) {
				if (own[k] && !memcmp(found[k * 4 + x], own[k], 6))
					continue;
				dr_fmt(&t[k], false, a, sizeof(a));
				mac_text(found[k * 4 + x], m, sizeof(m));
				cleanup_free char *seen = xasprintf("%s also answered by %s", a, m);
				if (own[k]) {
					mac_text(own[k], o, sizeof(o));
					cleanup_free char *exp = xasprintf("only the jail (%s)", o);
					dr_hop(c, "host", hn, NDR_FAIL, seen, exp, "find the machine or jail "
					       "with MAC %s on bridge %s and take %s off it (or give "
					       "this jail another address)", m, c->m.ifs[i].bridge, a);
				} else {
					dr_hop(c, "host", hn, NDR_FAIL, seen, "only the host (bridge "
					       "address)", "find the machine with MAC %s on bridge %s "
					       "and take the gateway's address %s off it", m,
					       c->m.ifs[i].bridge, a);
				}
				dup = true;
			}
		}
		if (!dup)
			dr_hop(c, "host", hn, NDR_OK, "none", "none", NULL);
	}
}
