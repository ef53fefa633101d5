/* Anti-spoofing: what a jail's bridge port lets in.
 *
 * With allow.raw_sockets (or in a userns jail) root in a vnet jail can send
 * any frame through its veth: ARP or IPv6 neighbour advertisements that
 * claim a neighbour's address, packets with a neighbour's source address,
 * frames with another MAC. The bridge would believe them and hand the
 * neighbour's traffic to the jail. So each bridged interface of a jail
 * gets a chain in table bridge brig (sys/nft.c: nft_port_set), entered by
 * the frames coming in from the jail's end (bridge prerouting: for the
 * host and forwarded alike), that drops everything but the jail's own MAC
 * and the addresses brig gave it, as Incus does with
 * security.mac_filtering, ipv4_filtering and ipv6_filtering. No
 * anonymous sets (a list of addresses is a run of !=). The rules are
 * written as nft text but sent as raw expressions: sys/nft_expr.c knows
 * exactly the words used here, and refuses any other.
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
#include "util/strbuf.h"

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

/* "WHAT != a WHAT != b " for the addresses of family on interface ifi
 * (and ll): none of them. hex: as 128-bit raw payload (neighbour
 * discovery targets). Empty if there are none. */
static void none_of(const struct net_jail *m, size_t ifi, int family, const struct nl_addr *ll,
		    const char *what, bool hex, struct strbuf *out)
{
	for (size_t i = 0; i <= m->nips; i++) {
		const struct nl_addr *a = i < m->nips ? &m->ips[i].a : ll;
		char buf[64];

		if (!a || (i < m->nips && (m->ips[i].ifi != ifi || a->family != family)))
			continue;
		sb_addf(out, "%s != ", what);
		if (hex) {
			sb_adds(out, "0x");
			for (int k = 0; k < 16; k++)
				sb_addf(out, "%02x", a->addr[k]);
		} else {
			net_addr_fmt(a, false, false, buf, sizeof(buf));
			sb_adds(out, buf);
		}
		sb_addc(out, ' ');
	}
}

char *net_spoof_rules(const struct net_jail *m, size_t ifi)
{
	const uint8_t *mac = m->ifs[ifi].jmac;
	struct strbuf sb = STRBUF_INIT, v4 = STRBUF_INIT, arp = STRBUF_INIT;
	struct strbuf v6 = STRBUF_INIT, targets = STRBUF_INIT;
	char ether[24], hexmac[16];
	struct nl_addr ll;

	if (!m->spoofcheck || !m->ifs[ifi].bridge)
		return NULL;
	snprintf(ether, sizeof(ether), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	snprintf(hexmac, sizeof(hexmac), "0x%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	link_local(mac, &ll);
	none_of(m, ifi, AF_INET, NULL, "ip saddr", false, &v4);
	none_of(m, ifi, AF_INET, NULL, "arp saddr ip", false, &arp);
	if (net_if_ipv6(m, ifi)) {
		none_of(m, ifi, AF_INET6, &ll, "ip6 saddr", false, &v6);
		none_of(m, ifi, AF_INET6, &ll, "@th,64,128", true, &targets);
	}

	sb_addf(&sb, "ether saddr != %s drop\n", ether);
	sb_adds(&sb, "ether type != arp ether type != ip ether type != ip6 drop\n");
	if (v4.len) {
		sb_addf(&sb, "arp saddr ether != %s drop\n", ether);
		sb_addf(&sb, "%sdrop\n", arp.s);
		/* DHCP requests to a neighbour's server come from 0.0.0.0. */
		sb_adds(&sb, "ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 "
			"accept\n");
		sb_addf(&sb, "%sdrop\n", v4.s);
	} else {
		sb_adds(&sb, "ether type arp drop\nether type ip drop\n");
	}
	if (v6.len) {
		/* A jail is no router. Neighbour discovery with more than one
		 * option (or extension headers) is not the kernel's and could
		 * hide a second link-layer address behind the first. Offsets
		 * count from the ICMPv6 header. */
		sb_adds(&sb, "icmpv6 type nd-router-advert drop\nicmpv6 type nd-redirect drop\n");
		sb_adds(&sb, "icmpv6 type 135-136 ip6 length > 32 "
			"drop\n");
		sb_addf(&sb, "icmpv6 type nd-neighbor-solicit @th,192,8 1 @th,208,48 != %s drop\n",
			hexmac);
		sb_addf(&sb, "icmpv6 type nd-neighbor-advert @th,192,8 2 @th,208,48 != %s drop\n",
			hexmac);
		sb_addf(&sb, "icmpv6 type nd-neighbor-advert %sdrop\n", targets.s);
		sb_addf(&sb, "ip6 saddr :: icmpv6 type nd-neighbor-solicit %sdrop\n", targets.s);
		sb_adds(&sb, "ip6 saddr :: icmpv6 type nd-neighbor-solicit accept\n"
			"ip6 saddr :: icmpv6 type mld-listener-report accept\n"
			"ip6 saddr :: icmpv6 type mld2-listener-report accept\n");
		sb_addf(&sb, "%sdrop\n", v6.s);
	} else {
		sb_adds(&sb, "ether type ip6 drop\n");
	}
	sb_free(&v4);
	sb_free(&arp);
	sb_free(&v6);
	sb_free(&targets);
	return sb_steal(&sb);
}
