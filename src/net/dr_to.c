/* brig doctor JAIL --to ADDR[:PORT][/tcp|udp]: the route out of the
 * jail, then a probe from inside it. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/dr.h"
#include "net/net.h"
#include "util/mem.h"

int dr_to_parse(const char *to, struct nl_addr *a, int *port, int *proto, struct brig_err *e)
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

void dr_to(struct dctx *c, const struct nl_addr *a, int port, int proto)
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
		char ifn[IF_NAMESIZE];

		dr_jname(c, rt.oif, ifn);
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
