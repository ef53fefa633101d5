/* A bridge port's filter rules (net/spoof.c's text) as nftables
 * expressions, without libnftables: the few words those rules use, each
 * turned into the payload, meta, cmp and immediate expressions nft 1.0
 * makes of it, protocol dependencies included, so that `nft list` shows
 * the rules as it shows libnftables' (tests/unit/test_sys_nft_expr.c
 * holds the two to the same expressions). A word outside that list is
 * refused: this is no nft parser.
 *
 *   ether saddr|type, arp saddr ether|ip, ip saddr|daddr, ip6 saddr|length,
 *   udp sport|dport, icmpv6 type (a name, a number or N-M), @th,BITS,BITS
 *   (a raw transport header field: a number or 0xHEX); each optionally
 *   after != (or > for numbers); the last word drop or accept. */
#include "sys/nft_expr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

enum kind { K_MAC, K_ETHERTYPE, K_IP4, K_IP6, K_NUM, K_ICMP6, K_RAW };

/* A field: where it is, what it holds, what it needs first. */
struct field {
	const char *name;
	uint8_t base, off, len;
	enum kind kind;
	uint16_t net; /* the network protocol it needs, 0: none */
	uint8_t l4;   /* the transport protocol it needs, 0: none (udp: after ip saddr) */
};

static const struct field fields[] = {
	{ "ether saddr", NFT_PAYLOAD_LL_HEADER, 6, 6, K_MAC, 0, 0 },
	{ "ether type", NFT_PAYLOAD_LL_HEADER, 12, 2, K_ETHERTYPE, 0, 0 },
	{ "arp saddr ether", NFT_PAYLOAD_NETWORK_HEADER, 8, 6, K_MAC, ETH_P_ARP, 0 },
	{ "arp saddr ip", NFT_PAYLOAD_NETWORK_HEADER, 14, 4, K_IP4, ETH_P_ARP, 0 },
	{ "ip saddr", NFT_PAYLOAD_NETWORK_HEADER, 12, 4, K_IP4, ETH_P_IP, 0 },
	{ "ip daddr", NFT_PAYLOAD_NETWORK_HEADER, 16, 4, K_IP4, ETH_P_IP, 0 },
	{ "ip6 saddr", NFT_PAYLOAD_NETWORK_HEADER, 8, 16, K_IP6, ETH_P_IPV6, 0 },
	{ "ip6 length", NFT_PAYLOAD_NETWORK_HEADER, 4, 2, K_NUM, ETH_P_IPV6, 0 },
	{ "udp sport", NFT_PAYLOAD_TRANSPORT_HEADER, 0, 2, K_NUM, 0, IPPROTO_UDP },
	{ "udp dport", NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, K_NUM, 0, IPPROTO_UDP },
	{ "icmpv6 type", NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1, K_ICMP6, ETH_P_IPV6, IPPROTO_ICMPV6 },
};

static const struct {
	const char *name;
	uint8_t type;
} icmp6_types[] = {
	{ "mld-listener-report", 131 }, { "nd-router-advert", 134 },
	{ "nd-neighbor-solicit", 135 }, { "nd-neighbor-advert", 136 },
	{ "nd-redirect", 137 },		{ "mld2-listener-report", 143 },
};

/* The rule being built: its expressions' nest, what its matches so far
 * established, and an equality match held back in case the next one
 * continues it (nft loads "udp sport 68 udp dport 67" as one 4-byte
 * field). */
struct rule {
	struct nlmsghdr *m;
	uint16_t net;
	uint8_t l4;
	bool held;
	uint8_t hbase, hoff, hlen;
	uint8_t hdata[16];
};

static void put_u32(struct nlmsghdr *m, uint16_t type, uint32_t v)
{
	mnl_attr_put_u32(m, type, htonl(v));
}

static struct nlattr *expr_start(struct nlmsghdr *m, const char *name)
{
	struct nlattr *x = mnl_attr_nest_start(m, NFTA_LIST_ELEM);

	mnl_attr_put_strz(m, NFTA_EXPR_NAME, name);
	return x;
}

static void payload(struct nlmsghdr *m, uint8_t base, uint8_t off, uint8_t len)
{
	struct nlattr *x = expr_start(m, "payload"), *d = mnl_attr_nest_start(m, NFTA_EXPR_DATA);

	put_u32(m, NFTA_PAYLOAD_DREG, NFT_REG_1);
	put_u32(m, NFTA_PAYLOAD_BASE, base);
	put_u32(m, NFTA_PAYLOAD_OFFSET, off);
	put_u32(m, NFTA_PAYLOAD_LEN, len);
	mnl_attr_nest_end(m, d);
	mnl_attr_nest_end(m, x);
}

static void meta(struct nlmsghdr *m, uint32_t key)
{
	struct nlattr *x = expr_start(m, "meta"), *d = mnl_attr_nest_start(m, NFTA_EXPR_DATA);

	put_u32(m, NFTA_META_DREG, NFT_REG_1);
	put_u32(m, NFTA_META_KEY, key);
	mnl_attr_nest_end(m, d);
	mnl_attr_nest_end(m, x);
}

static void cmp(struct nlmsghdr *m, uint32_t op, const void *data, size_t len)
{
	struct nlattr *x = expr_start(m, "cmp"), *d = mnl_attr_nest_start(m, NFTA_EXPR_DATA);
	struct nlattr *v;

	put_u32(m, NFTA_CMP_SREG, NFT_REG_1);
	put_u32(m, NFTA_CMP_OP, op);
	v = mnl_attr_nest_start(m, NFTA_CMP_DATA);
	mnl_attr_put(m, NFTA_DATA_VALUE, len, data);
	mnl_attr_nest_end(m, v);
	mnl_attr_nest_end(m, d);
	mnl_attr_nest_end(m, x);
}

static void verdict(struct nlmsghdr *m, int code)
{
	struct nlattr *x = expr_start(m, "immediate"), *d = mnl_attr_nest_start(m, NFTA_EXPR_DATA);
	struct nlattr *v, *vd;

	put_u32(m, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	v = mnl_attr_nest_start(m, NFTA_IMMEDIATE_DATA);
	vd = mnl_attr_nest_start(m, NFTA_DATA_VERDICT);
	put_u32(m, NFTA_VERDICT_CODE, (uint32_t)code);
	mnl_attr_nest_end(m, vd);
	mnl_attr_nest_end(m, v);
	mnl_attr_nest_end(m, d);
	mnl_attr_nest_end(m, x);
}

static void flush_held(struct rule *r)
{
	if (!r->held)
		return;
	payload(r->m, r->hbase, r->hoff, r->hlen);
	cmp(r->m, NFT_CMP_EQ, r->hdata, r->hlen);
	r->held = false;
}

/* A field's protocol dependencies, as nft adds them: the network protocol
 * by `meta protocol` for a network header field, by the Ethernet type for
 * ARP and ahead of a transport protocol; then `meta l4proto`. */
static void depend(struct rule *r, const struct field *f)
{
	uint8_t be[2];

	if (f->net && r->net != f->net) {
		flush_held(r);
		be[0] = (uint8_t)(f->net >> 8);
		be[1] = (uint8_t)f->net;
		if (f->net == ETH_P_ARP || f->l4) {
			payload(r->m, NFT_PAYLOAD_LL_HEADER, 12, 2);
		} else {
			meta(r->m, NFT_META_PROTOCOL);
		}
		cmp(r->m, NFT_CMP_EQ, be, 2);
		r->net = f->net;
	}
	if (f->l4 && r->l4 != f->l4) {
		flush_held(r);
		meta(r->m, NFT_META_L4PROTO);
		cmp(r->m, NFT_CMP_EQ, &f->l4, 1);
		r->l4 = f->l4;
	}
}

/* n as len big-endian bytes; false if it does not fit. */
static bool be_bytes(unsigned long long n, uint8_t *out, size_t len)
{
	for (size_t i = len; i-- > 0; n >>= 8)
		out[i] = (uint8_t)n;
	return n == 0;
}

static bool number(const char *s, unsigned long long *n)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*n = strtoull(s, &end, 0);
	return !errno && !*end;
}

/* The value s of field f into out (f->len bytes), or a range for an
 * ICMPv6 type (hi set). */
static bool value(const struct field *f, const char *s, uint8_t *out, int *hi)
{
	unsigned long long n, m;
	unsigned int b[6];
	char tail;

	*hi = -1;
	switch (f->kind) {
	case K_MAC:
		if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
			   &tail) != 6 || strlen(s) != 17)
			return false;
		for (int i = 0; i < 6; i++)
			out[i] = (uint8_t)b[i];
		return true;
	case K_ETHERTYPE:
		n = !strcmp(s, "arp") ? ETH_P_ARP : !strcmp(s, "ip") ? ETH_P_IP
			: !strcmp(s, "ip6") ? ETH_P_IPV6 : 0;
		return n && be_bytes(n, out, 2);
	case K_IP4:
		return inet_pton(AF_INET, s, out) == 1;
	case K_IP6:
		return inet_pton(AF_INET6, s, out) == 1;
	case K_ICMP6:
		for (size_t i = 0; i < sizeof(icmp6_types) / sizeof(icmp6_types[0]); i++)
			if (!strcmp(s, icmp6_types[i].name)) {
				out[0] = icmp6_types[i].type;
				return true;
			}
		if (sscanf(s, "%llu-%llu%c", &n, &m, &tail) == 2 && n < m && m < 256) {
			out[0] = (uint8_t)n;
			*hi = (int)m;
			return true;
		}
		return number(s, &n) && be_bytes(n, out, 1);
	default: /* K_NUM, K_RAW */
		if (f->kind == K_RAW && !strncmp(s, "0x", 2) && strlen(s) == 2 + 2u * f->len) {
			for (size_t i = 0; i < f->len; i++)
				if (sscanf(s + 2 + 2 * i, "%2x", &b[0]) != 1)
					return false;
				else
					out[i] = (uint8_t)b[0];
			return strspn(s + 2, "0123456789abcdefABCDEF") == 2u * f->len;
		}
		return number(s, &n) && be_bytes(n, out, f->len);
	}
}

/* One match: field f, comparison op, value s. */
static bool match(struct rule *r, const struct field *f, uint32_t op, const char *s)
{
	uint8_t data[16];
	int hi;

	if (!value(f, s, data, &hi) || (op == NFT_CMP_GT && f->kind != K_NUM) ||
	    (hi >= 0 && op != NFT_CMP_EQ))
		return false;
	depend(r, f);
	if (op == NFT_CMP_EQ && hi < 0 && f->base != NFT_PAYLOAD_LL_HEADER) {
		if (r->held && r->hbase == f->base && r->hoff + r->hlen == f->off &&
		    r->hlen + f->len <= 4) {
			memcpy(r->hdata + r->hlen, data, f->len);
			r->hlen = (uint8_t)(r->hlen + f->len);
			flush_held(r);
			return true;
		}
		flush_held(r);
		r->held = true;
		r->hbase = f->base;
		r->hoff = f->off;
		r->hlen = f->len;
		memcpy(r->hdata, data, f->len);
		return true;
	}
	flush_held(r);
	payload(r->m, f->base, f->off, f->len);
	if (hi < 0) {
		cmp(r->m, op, data, f->len);
	} else {
		uint8_t top = (uint8_t)hi;

		cmp(r->m, NFT_CMP_GTE, data, 1);
		cmp(r->m, NFT_CMP_LTE, &top, 1);
	}
	if (op == NFT_CMP_EQ && f->kind == K_ETHERTYPE)
		r->net = (uint16_t)(data[0] << 8 | data[1]);
	return true;
}

/* "@th,OFF,LEN": a raw transport header field, whole bytes of at most 16. */
static bool raw_field(const char *w, struct field *f)
{
	unsigned int off, len;
	char tail;

	if (sscanf(w, "@th,%u,%u%c", &off, &len, &tail) != 2 || off % 8 || len % 8 || !len ||
	    len > 128 || off / 8 > 255)
		return false;
	*f = (struct field){ "@th", NFT_PAYLOAD_TRANSPORT_HEADER, (uint8_t)(off / 8),
			     (uint8_t)(len / 8), K_RAW, 0, 0 };
	return true;
}

int nft_expr_rule(struct nlmsghdr *m, const char *rule, size_t len, struct brig_err *e)
{
	cleanup_free char *buf = xstrndup(rule, len);
	cleanup_free char **words = xcalloc(len / 2 + 1, sizeof(*words));
	char *save = NULL;
	size_t n = 0, i = 0;
	struct rule r = { .m = m };
	uint32_t before = m->nlmsg_len;
	struct nlattr *list;

	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	if (!n || (strcmp(words[n - 1], "drop") && strcmp(words[n - 1], "accept")))
		goto bad;
	list = mnl_attr_nest_start(m, NFTA_RULE_EXPRESSIONS);
	while (i < n - 1) {
		struct field raw;
		const struct field *f = NULL;
		uint32_t op = NFT_CMP_EQ;

		if (raw_field(words[i], &raw)) {
			f = &raw;
			i++;
		}
		for (size_t k = 0; !f && k < sizeof(fields) / sizeof(fields[0]); k++) {
			const char *p = fields[k].name;
			size_t w = i;

			/* The field's words, one by one. */
			while (w < n - 1 && !strncmp(p, words[w], strlen(words[w])) &&
			       (p[strlen(words[w])] == ' ' || !p[strlen(words[w])])) {
				p += strlen(words[w]);
				w++;
				if (!*p)
					break;
				p++;
			}
			if (!*p) {
				f = &fields[k];
				i = w;
			}
		}
		if (!f || i >= n - 1)
			goto bad;
		if (!strcmp(words[i], "!=") || !strcmp(words[i], ">")) {
			op = words[i][0] == '!' ? NFT_CMP_NEQ : NFT_CMP_GT;
			i++;
		}
		if (i >= n - 1 || !match(&r, f, op, words[i]))
			goto bad;
		i++;
	}
	flush_held(&r);
	verdict(m, strcmp(words[n - 1], "drop") ? NF_ACCEPT : NF_DROP);
	mnl_attr_nest_end(m, list);
	return 0;
bad:
	m->nlmsg_len = before;
	return brig_err_set(e, EINVAL, "nftables: a port filter rule brig cannot encode: \"%.*s\"",
			    (int)len, rule);
}
