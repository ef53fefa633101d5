/* The nft rules of a jail (rdr) and of a bridge (nat, isolate, host), as
 * commands on table inet brig, each tagged with its owner. */
#include <stdio.h>
#include <sys/socket.h>

#include "net/model.h"
#include "sys/nft.h"
#include "util/mem.h"
#include "util/strbuf.h"

char *net_tag_jail(const char *name)
{
	return xasprintf("jail:%s", name);
}

char *net_tag_bridge(const char *name)
{
	return xasprintf("bridge:%s", name);
}

/* nft's words for a family: "ipv4"/"ip", "ipv6"/"ip6". */
static const char *nfproto(int family)
{
	return family == AF_INET ? "ipv4" : "ipv6";
}

static const char *ipword(int family)
{
	return family == AF_INET ? "ip" : "ip6";
}

/* One rdr for one family: DNAT in prerouting (from outside and from other
 * jails: hairpin) and in output (from the host itself, 127.0.0.1 included:
 * the bridge's route_localnet lets a loopback source leave for the jail,
 * and the masquerade below replaces it). IPv6 has no route_localnet: a
 * packet from ::1 never leaves lo, so ::1 is left out and a service of
 * the host's own on [::1]:HOSTPORT keeps answering there. */
static void rdr_rules(struct strbuf *sb, const struct net_rdr *r, const struct net_ip *ip,
		      const char *tag)
{
	int f = ip->a.family;
	char host[64], jail[64], match[96];

	net_addr_fmt(&ip->a, false, false, jail, sizeof(jail));
	if (r->has_host) {
		net_addr_fmt(&r->host, false, false, host, sizeof(host));
		snprintf(match, sizeof(match), "%s daddr %s", ipword(f), host);
	} else {
		snprintf(match, sizeof(match), "fib daddr type local");
	}
	sb_addf(sb, "add rule " NFT_TABLE " prerouting meta nfproto %s %s %s dport %d "
		"dnat %s to %s%s%s:%d comment \"%s\"\n", nfproto(f), match,
		net_proto_name(r->proto), r->hport, ipword(f), f == AF_INET6 ? "[" : "", jail,
		f == AF_INET6 ? "]" : "", r->jport, tag);
	sb_addf(sb, "add rule " NFT_TABLE " output meta nfproto %s %s%s %s dport %d "
		"dnat %s to %s%s%s:%d comment \"%s\"\n", nfproto(f), match,
		f == AF_INET6 ? " ip6 daddr != ::1" : "", net_proto_name(r->proto), r->hport,
		ipword(f), f == AF_INET6 ? "[" : "", jail, f == AF_INET6 ? "]" : "", r->jport, tag);
}

/* Redirected connections from the jail's own subnet (hairpin: a jail
 * reaching itself or a neighbour through a host port) or from the host
 * itself (127.0.0.1 included: `fib saddr type local`) are masqueraded, so
 * that replies come back through the host and are un-NATed, whether the
 * bridge's traffic is routed or (with bridge netfilter) bridged. */
static void rdr_masquerade(struct strbuf *sb, const struct net_ip *ip, const char *tag)
{
	int f = ip->a.family;
	char jail[64], net[64];

	net_addr_fmt(&ip->a, false, false, jail, sizeof(jail));
	net_addr_fmt(&ip->a, true, true, net, sizeof(net));
	sb_addf(sb, "add rule " NFT_TABLE " postrouting meta nfproto %s %s saddr %s %s daddr %s "
		"ct status dnat masquerade comment \"%s\"\n", nfproto(f), ipword(f), net, ipword(f),
		jail, tag);
	sb_addf(sb, "add rule " NFT_TABLE " postrouting meta nfproto %s %s daddr %s ct status dnat "
		"fib saddr type local masquerade comment \"%s\"\n", nfproto(f), ipword(f), jail, tag);
}

/* A shared-IP jail's rdr from the host's loopback: the output DNAT keeps
 * the source, 127.0.0.1, and to the jail 127.0.0.0/8 is its own address
 * (sys/sockaddr.c rewrites a send or connect there to its first address),
 * so a UDP server answering by sendto to whoever asked answered itself,
 * never the client. The source is made the jail's address instead (the
 * address it answers to goes back through the NAT, and the jail sees its
 * host's loopback as its own, as 127.0.0.1 means inside); TCP alike, for
 * one view of the same client. IPv4 only: ::1 is no rdr source. */
static void rdr_loopback_snat(struct strbuf *sb, const struct net_ip *ip, const char *tag)
{
	char jail[64];

	net_addr_fmt(&ip->a, false, false, jail, sizeof(jail));
	sb_addf(sb, "add rule " NFT_TABLE " postrouting meta nfproto ipv4 ip saddr 127.0.0.0/8 "
		"ip daddr %s ct status dnat snat ip to %s comment \"%s\"\n", jail, jail, tag);
}

bool net_rdr_applies(const struct net_jail *m, const struct net_rdr *r, int family)
{
	return net_jail_ip(m, family) && (!r->has_host || r->host.family == family);
}

bool net_rdr_family(const struct net_jail *m, int family)
{
	for (size_t i = 0; i < m->nrdrs; i++)
		if (net_rdr_applies(m, &m->rdrs[i], family))
			return true;
	return false;
}

char *net_rules_jail(const struct net_jail *m)
{
	static const int families[] = { AF_INET, AF_INET6 };
	cleanup_free char *tag = net_tag_jail(m->name);
	struct strbuf sb = STRBUF_INIT;

	for (size_t k = 0; k < 2; k++) {
		const struct net_ip *ip = net_jail_ip(m, families[k]);

		if (!net_rdr_family(m, families[k]))
			continue;
		for (size_t i = 0; i < m->nrdrs; i++)
			if (net_rdr_applies(m, &m->rdrs[i], families[k]))
				rdr_rules(&sb, &m->rdrs[i], ip, tag);
		/* A shared-IP jail's address is the host's: replies go
		 * back through the host's stack, nothing to masquerade but
		 * the host's loopback. */
		if (m->vnet)
			rdr_masquerade(&sb, ip, tag);
		else if (families[k] == AF_INET)
			rdr_loopback_snat(&sb, ip, tag);
	}
	return sb.len ? sb_steal(&sb) : NULL;
}

char *net_rules_bridge(const struct net_bridge *b)
{
	cleanup_free char *tag = net_tag_bridge(b->name);
	struct strbuf sb = STRBUF_INIT;
	char net[64];

	for (size_t i = 0; b->nat && i < b->naddrs; i++) {
		net_addr_fmt(&b->addrs[i], true, true, net, sizeof(net));
		sb_addf(&sb, "add rule " NFT_TABLE " postrouting meta nfproto %s %s saddr %s "
			"oifname != \"%s\" masquerade comment \"%s\"\n", nfproto(b->addrs[i].family),
			ipword(b->addrs[i].family), net, b->name, tag);
	}
	if (b->isolate) {
		sb_addf(&sb, "add rule " NFT_TABLE " forward iifname \"%s\" oifname != \"%s\" "
			"oifname @bridges drop comment \"%s\"\n", b->name, b->name, tag);
		sb_addf(&sb, "add rule " NFT_TABLE " forward oifname \"%s\" iifname != \"%s\" "
			"iifname @bridges drop comment \"%s\"\n", b->name, b->name, tag);
	}
	/* The bridge's route_localnet (bridge.c) would route packets for
	 * 127.0.0.0/8 that arrive on it to the host's loopback services: a
	 * jail with raw sockets could reach what listens on 127.0.0.1 only.
	 * They are dropped before conntrack (priority raw), where replies to
	 * the host's own redirected connections still carry the bridge's
	 * address, not 127.0.0.1. */
	if (net_bridge_ipv4(b))
		sb_addf(&sb, "add rule " NFT_TABLE " guard iifname \"%s\" ip daddr 127.0.0.0/8 "
			"drop comment \"%s\"\n", b->name, tag);
	net_host_rules(&sb, b, tag);
	sb_addf(&sb, "add element " NFT_TABLE " bridges { \"%s\" }\n", b->name);
	return sb_steal(&sb);
}
