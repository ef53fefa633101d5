/* What a bridge's jails may reach of the host itself: networks.conf's
 * `host` list, enforced in the input chain of table inet brig.
 *
 * Without `host`, jails reach every service of the host that listens on
 * one of its addresses (the bridge's, or 0.0.0.0), as they always have.
 * With it, packets that arrive on the bridge for the host itself are
 * dropped unless they are: replies and errors of connections the host
 * made (established, related), IPv6 neighbour discovery and multicast
 * listener reports (without them the jails cannot find their gateway),
 * or one of the entries: PORT/tcp, PORT/udp, LOW-HIGH/tcp|udp, icmp
 * (ping). `host = none` keeps only the first two. Forwarded traffic (NAT
 * to the outside, rdr ports that lead to other jails, jail to jail) does
 * not go through input and is not affected. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/model.h"
#include "sys/nft.h"
#include "util/mem.h"

/* One entry: "none", "all" (returned as proto -1, -2), "icmp", or
 * [LOW-]PORT/PROTO. NULL if fine, else why not. */
static const char *parse_entry(const char *text, struct net_hostport *h)
{
	char buf[64], *slash, *dash;
	const char *why;

	memset(h, 0, sizeof(*h));
	if (!strcasecmp(text, "none") || !strcasecmp(text, "all")) {
		h->proto = strcasecmp(text, "none") == 0 ? -1 : -2;
		return NULL;
	}
	if (!strcasecmp(text, "icmp")) {
		h->proto = IPPROTO_ICMP;
		return NULL;
	}
	if (strlen(text) >= sizeof(buf) || !(slash = strchr(strcpy(buf, text), '/')))
		return "not PORT/PROTO";
	*slash = '\0';
	if (!strcasecmp(slash + 1, "tcp"))
		h->proto = IPPROTO_TCP;
	else if (!strcasecmp(slash + 1, "udp"))
		h->proto = IPPROTO_UDP;
	else
		return "unknown protocol";
	if ((dash = strchr(buf, '-')))
		*dash = '\0';
	if ((why = net_port_parse(buf, &h->lo)))
		return why;
	h->hi = h->lo;
	if (dash && (why = net_port_parse(dash + 1, &h->hi)))
		return why;
	if (h->hi < h->lo)
		return "the range ends before it starts";
	return NULL;
}

int net_host_parse(struct net_bridge *b, const struct net_def *d, struct brig_err *e)
{
	size_t n;
	char *const *v = nd_list(d, NP_HOST, &n);
	const struct conf_pos *at = &d->p[NP_HOST].at;

	b->host = xcalloc(n + 1, sizeof(*b->host));
	for (size_t i = 0; i < n; i++) {
		struct net_hostport h;
		const char *why = parse_entry(v[i], &h);

		if (!why && h.proto < 0 && n > 1)
			why = "none and all stand alone";
		if (why)
			return brig_err_set(e, 0, "%s:%d:%d: bridge %s: %s \"%s\": %s (write "
					    "\"53/udp\", \"8000-8080/tcp\", \"icmp\", none or all)",
					    at->file ? at->file : "networks.conf", at->line, at->col,
					    b->name, nd_name(NP_HOST), v[i], why);
		b->host_limited = h.proto != -2;
		if (h.proto > 0)
			b->host[b->nhost++] = h;
	}
	return 0;
}

void net_host_rules(struct strbuf *sb, const struct net_bridge *b, const char *tag)
{
	const char *pre = "add rule " NFT_TABLE " input iifname";

	if (!b->host_limited)
		return;
	sb_addf(sb, "%s \"%s\" ct state established,related accept comment \"%s\"\n", pre,
		b->name, tag);
	sb_addf(sb, "%s \"%s\" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, "
		"nd-router-solicit, mld-listener-report, mld2-listener-report } accept comment "
		"\"%s\"\n", pre, b->name, tag);
	for (size_t i = 0; i < b->nhost; i++) {
		const struct net_hostport *h = &b->host[i];

		if (h->proto == IPPROTO_ICMP) {
			sb_addf(sb, "%s \"%s\" icmp type echo-request accept comment \"%s\"\n", pre,
				b->name, tag);
			sb_addf(sb, "%s \"%s\" icmpv6 type echo-request accept comment \"%s\"\n",
				pre, b->name, tag);
		} else if (h->lo == h->hi) {
			sb_addf(sb, "%s \"%s\" %s dport %d accept comment \"%s\"\n", pre, b->name,
				net_proto_name(h->proto), h->lo, tag);
		} else {
			sb_addf(sb, "%s \"%s\" %s dport %d-%d accept comment \"%s\"\n", pre, b->name,
				net_proto_name(h->proto), h->lo, h->hi, tag);
		}
	}
	sb_addf(sb, "%s \"%s\" drop comment \"%s\"\n", pre, b->name, tag);
}
