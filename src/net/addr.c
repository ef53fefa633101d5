/* Addresses, subnets, interface names and MAC addresses. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"

/* Parse the address part (no length) of text[0..len). */
static bool parse_ip(const char *text, size_t len, int family, struct nl_addr *out)
{
	char buf[INET6_ADDRSTRLEN + 1];

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if ((family == AF_UNSPEC || family == AF_INET) && inet_pton(AF_INET, buf, out->addr) == 1) {
		out->family = AF_INET;
		return true;
	}
	if ((family == AF_UNSPEC || family == AF_INET6) && inet_pton(AF_INET6, buf, out->addr) == 1) {
		out->family = AF_INET6;
		return true;
	}
	return false;
}

const char *net_addr_parse(const char *text, int family, bool want_len, struct nl_addr *out)
{
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	int max;
	char *end;
	long plen;

	memset(out, 0, sizeof(*out));
	if (!parse_ip(text, len, family, out))
		return family == AF_INET ? "not an IPv4 address"
		       : family == AF_INET6 ? "not an IPv6 address" : "not an IP address";
	max = out->family == AF_INET ? 32 : 128;
	if (!want_len) {
		if (slash)
			return "a prefix length is not allowed here";
		out->plen = max;
		return NULL;
	}
	if (!slash)
		return "missing prefix length";
	if (!isdigit((unsigned char)slash[1]))
		return "bad prefix length";
	plen = strtol(slash + 1, &end, 10);
	if (*end || plen < 0 || plen > max)
		return out->family == AF_INET ? "bad prefix length (0 to 32)"
					      : "bad prefix length (0 to 128)";
	out->plen = (int)plen;
	return NULL;
}

bool net_addr_in(const struct nl_addr *s, const struct nl_addr *a)
{
	int full, rest;

	if (s->family != a->family)
		return false;
	full = s->plen / 8;
	rest = s->plen % 8;
	if (memcmp(s->addr, a->addr, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((s->addr[full] ^ a->addr[full]) & (0xff << (8 - rest))) == 0;
}

bool net_addr_same(const struct nl_addr *a, const struct nl_addr *b)
{
	size_t len = a->family == AF_INET6 ? 16 : 4;

	return a->family == b->family && memcmp(a->addr, b->addr, len) == 0;
}

void net_addr_fmt(const struct nl_addr *a, bool with_len, bool network, char *buf, size_t size)
{
	struct nl_addr n = *a;
	char ip[INET6_ADDRSTRLEN];

	if (network) {
		int full = n.plen / 8, rest = n.plen % 8;

		if (rest)
			n.addr[full++] &= (uint8_t)(0xff << (8 - rest));
		memset(n.addr + full, 0, sizeof(n.addr) - (size_t)full);
	}
	inet_ntop(n.family, n.addr, ip, sizeof(ip));
	if (with_len)
		snprintf(buf, size, "%s/%d", ip, n.plen);
	else
		snprintf(buf, size, "%s", ip);
}

const char *net_ifname_invalid(const char *name)
{
	if (!*name)
		return "empty interface name";
	if (strlen(name) > NET_IFNAME_MAX)
		return "longer than the kernel's 15-byte limit for interface names";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "not a valid interface name";
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == ':' || *p == '"' || *p == '\\' || isspace((unsigned char)*p) ||
		    !isprint((unsigned char)*p))
			return "interface names may not contain '/', ':', quotes, spaces or control characters";
	return NULL;
}

void net_mac(const char *name, const char *salt, uint8_t mac[6])
{
	/* FNV-1a 64: stable across runs and machines, spreads short names. */
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[] = { name, "\n", salt };

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
			h ^= *p;
			h *= 0x100000001b3ULL;
		}
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
	/* Locally administered, unicast. */
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
}
