/* Anti-spoofing: what a jail's bridge port lets in.
 *
 * With allow.raw_sockets (or allow.routing) root in a vnet jail can send
 * any frame through its veth: ARP or IPv6 neighbour advertisements that
 * claim a neighbour's address, packets with a neighbour's source address,
 * frames with another MAC. The bridge would believe them and hand the
 * neighbour's traffic to the jail. So each bridged interface of a jail
 * gets a chain in table bridge brig, entered from the ports base chain
 * (bridge prerouting: frames for the host and frames forwarded alike)
 * for frames coming in from the jail's end, that drops everything but the
 * jail's own MAC and the addresses brig gave it, as Incus does with
 * security.mac_filtering, ipv4_filtering and ipv6_filtering.
 *
 * Allowed from the port: its MAC as Ethernet source, and only ARP, IPv4
 * and IPv6 (no VLAN tags, no other protocol); ARP whose sender is its MAC
 * and one of its IPv4 addresses; IPv4 from its addresses; IPv6 from its
 * addresses and its link-local address (fe80:: from the MAC), or from ::
 * for duplicate address detection of its own addresses and for multicast
 * listener reports; neighbour solicitations and advertisements carrying
 * its MAC, advertisements only for its own addresses; no router
 * advertisements or redirects. A family the interface is not configured
 * for is dropped whole. brig configures no jail by DHCP, but a jail may
 * serve DHCP to its neighbours (udhcpd): a client's broadcast requests,
 * from 0.0.0.0, pass; whatever address it is then offered does not. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"
#include "sys/nft.h"
#include "util/strbuf.h"

/* The chain of host end hname: "port_NAME" when NAME is an nft identifier
 * as it stands, else its bytes in hex (interface names allow more). */
static void chain_name(const char *hname, char *out, size_t size)
{
	bool plain = true;
	size_t n;

	for (const char *p = hname; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			plain = false;
	if (plain) {
		snprintf(out, size, "port_%s", hname);
		return;
	}
	n = (size_t)snprintf(out, size, "port_x");
	for (const unsigned char *p = (const unsigned char *)hname; *p && n + 3 <= size; p++)
		n += (size_t)snprintf(out + n, size - n, "%02x", *p);
}

/* The link-local address the kernel derives from mac (EUI-64). */
static void link_local(const uint8_t mac[6], struct nl_addr *ll)
{
	memset(ll, 0, sizeof(*ll));
	ll->family = AF_INET6;
	ll->plen = 128;
	ll->addr[0] = 0xfe;
	ll->addr[1] = 0x80;
	ll->addr[8] = mac[0] ^ 0x02;
	ll->addr[9] = mac[1];
	ll->addr[10] = mac[2];
	ll->addr[11] = 0xff;
	ll->addr[12] = 0xfe;
	ll->addr[13] = mac[3];
	ll->addr[14] = mac[4];
	ll->addr[15] = mac[5];
}

/* The addresses of family on interface ifi as "a, b" (nft set elements),
 * plus ll if given; empty if none. */
static void addr_list(const struct net_jail *m, size_t ifi, int family,
		      const struct nl_addr *ll, struct strbuf *out)
{
	char buf[64];

	for (size_t i = 0; i < m->nips; i++) {
		if (m->ips[i].ifi != ifi || m->ips[i].a.family != family)
			continue;
		net_addr_fmt(&m->ips[i].a, false, false, buf, sizeof(buf));
		sb_addf(out, "%s%s", out->len ? ", " : "", buf);
	}
	if (ll) {
		net_addr_fmt(ll, false, false, buf, sizeof(buf));
		sb_addf(out, "%s%s", out->len ? ", " : "", buf);
	}
}

/* "@th,64,128 != 0x... " for each IPv6 address of interface ifi and ll:
 * the target of a neighbour solicitation/advertisement is none of them.
 * Offsets from the ICMPv6 header, so extension headers cannot shift it. */
static void not_targets(const struct net_jail *m, size_t ifi, const struct nl_addr *ll,
			struct strbuf *out)
{
	for (size_t i = 0; i <= m->nips; i++) {
		const struct nl_addr *a = i < m->nips ? &m->ips[i].a : ll;

		if (i < m->nips && (m->ips[i].ifi != ifi || a->family != AF_INET6))
			continue;
		sb_adds(out, "@th,64,128 != 0x");
		for (int k = 0; k < 16; k++)
			sb_addf(out, "%02x", a->addr[k]);
		sb_addc(out, ' ');
	}
}

/* The filter of one bridged interface. */
static void port_rules(struct strbuf *sb, const struct net_jail *m, size_t ifi, const char *tag)
{
	const struct net_if *f = &m->ifs[ifi];
	const uint8_t *mac = f->jmac;
	struct strbuf v4 = STRBUF_INIT, v6 = STRBUF_INIT, targets = STRBUF_INIT;
	char chain[64], hexmac[16], pre[128];
	struct nl_addr ll;

	chain_name(f->hname, chain, sizeof(chain));
	snprintf(hexmac, sizeof(hexmac), "0x%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	snprintf(pre, sizeof(pre), "add rule " NFT_BRIDGE_TABLE " %s", chain);
	link_local(mac, &ll);
	addr_list(m, ifi, AF_INET, NULL, &v4);
	if (net_if_ipv6(m, ifi)) {
		addr_list(m, ifi, AF_INET6, &ll, &v6);
		not_targets(m, ifi, &ll, &targets);
	}

	sb_addf(sb, "add chain " NFT_BRIDGE_TABLE " %s { comment \"%s\"; }\n", chain, tag);
	sb_addf(sb, "add rule " NFT_BRIDGE_TABLE " ports iifname \"%s\" jump %s comment \"%s\"\n",
		f->hname, chain, tag);
	sb_addf(sb, "%s ether saddr != %02x:%02x:%02x:%02x:%02x:%02x drop comment \"%s\"\n", pre,
		mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], tag);
	sb_addf(sb, "%s ether type != { arp, ip, ip6 } drop comment \"%s\"\n", pre, tag);
	if (v4.len) {
		sb_addf(sb, "%s arp saddr ether != %02x:%02x:%02x:%02x:%02x:%02x drop comment \"%s\"\n",
			pre, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], tag);
		sb_addf(sb, "%s arp saddr ip != { %s } drop comment \"%s\"\n", pre, v4.s, tag);
		sb_addf(sb, "%s ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 "
			"accept comment \"%s\"\n", pre, tag);
		sb_addf(sb, "%s ip saddr != { %s } drop comment \"%s\"\n", pre, v4.s, tag);
	} else {
		sb_addf(sb, "%s ether type { arp, ip } drop comment \"%s\"\n", pre, tag);
	}
	if (v6.len) {
		/* A jail is no router; neighbour discovery messages with more
		 * than one option (or extension headers) are not the kernel's
		 * and could hide a second link-layer address behind the first. */
		sb_addf(sb, "%s icmpv6 type { nd-router-advert, nd-redirect } drop comment \"%s\"\n",
			pre, tag);
		sb_addf(sb, "%s icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } "
			"ip6 length > 32 drop comment \"%s\"\n", pre, tag);
		sb_addf(sb, "%s icmpv6 type nd-neighbor-solicit @th,192,8 1 @th,208,48 != %s drop "
			"comment \"%s\"\n", pre, hexmac, tag);
		sb_addf(sb, "%s icmpv6 type nd-neighbor-advert @th,192,8 2 @th,208,48 != %s drop "
			"comment \"%s\"\n", pre, hexmac, tag);
		sb_addf(sb, "%s icmpv6 type nd-neighbor-advert %sdrop comment \"%s\"\n", pre,
			targets.s, tag);
		sb_addf(sb, "%s ip6 saddr :: icmpv6 type nd-neighbor-solicit %sdrop comment \"%s\"\n",
			pre, targets.s, tag);
		sb_addf(sb, "%s ip6 saddr :: icmpv6 type { nd-neighbor-solicit, mld-listener-report, "
			"mld2-listener-report } accept comment \"%s\"\n", pre, tag);
		sb_addf(sb, "%s ip6 saddr != { %s } drop comment \"%s\"\n", pre, v6.s, tag);
	} else {
		sb_addf(sb, "%s ether type ip6 drop comment \"%s\"\n", pre, tag);
	}
	sb_free(&v4);
	sb_free(&v6);
	sb_free(&targets);
}

void net_spoof_rules(struct strbuf *sb, const struct net_jail *m, const char *tag)
{
	if (!m->spoofcheck)
		return;
	for (size_t i = 0; i < m->nifs; i++)
		if (m->ifs[i].bridge)
			port_rules(sb, m, i, tag);
}
