/* One jail's network parameters: parsed and checked on their own (the
 * checks against other jails and the kernel are in check.c). */
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "net/model.h"
#include "net/net.h"
#include "util/mem.h"

/* The host end's name: the jail end's final 'b' turned into 'a' (the
 * epair_NAMEa / epair_NAMEb convention), else the name with 'a' added. */
static int host_name(const struct net_jail *m, const char *jname, char *out, struct brig_err *e)
{
	size_t len = strlen(jname);

	if (len && jname[len - 1] == 'b') {
		memcpy(out, jname, len + 1);
		out[len - 1] = 'a';
		return 0;
	}
	if (len + 1 > NET_IFNAME_MAX)
		return brig_err_set(e, 0, "vnet.interface \"%s\": the host end \"%sa\" would be "
				    "longer than the kernel's 15-byte limit for interface names",
				    jname, jname);
	memcpy(out, jname, len);
	out[len] = 'a';
	out[len + 1] = '\0';
	return 0;
}

/* The most bridges a jail joins (its default interface names stay
 * within the kernel's 15 bytes). */
#define NET_BRIDGES_MAX 99

/* The default names of the i-th veth pair (a bridged interface that
 * vnet.interface does not name): e<JID>b in the jail, e<JID>a on the
 * host for the first (at most "e2147483647b", 12 bytes), e<JID>b<i> and
 * e<JID>a<i> for the next ones (vnet.bridge has at most 99: 14 bytes). */
static void default_names(struct net_if *f, int jid, size_t i)
{
	if (i == 0) {
		snprintf(f->jname, sizeof(f->jname), "e%db", jid);
		snprintf(f->hname, sizeof(f->hname), "e%da", jid);
	} else {
		unsigned k = (unsigned)(i % 100);	/* i < NET_BRIDGES_MAX */

		snprintf(f->jname, sizeof(f->jname), "e%db%u", jid, k);
		snprintf(f->hname, sizeof(f->hname), "e%da%u", jid, k);
	}
}

/* vnet.interface and vnet.bridge: the i-th interface is plugged into the
 * i-th bridge; the interfaces past the bridges are host interfaces moved
 * in. */
static int parse_ifs(struct net_jail *m, const struct jail_def *d, struct brig_err *e)
{
	size_t nn, nb;
	char *const *names = jd_list(d, JP_VNET_INTERFACE, &nn);
	char *const *bridges = jd_list(d, JP_VNET_BRIDGE, &nb);
	size_t n = nn > nb ? nn : nb;
	const char *why;

	if (nb > NET_BRIDGES_MAX)
		return brig_err_set(e, 0, "%s: %zu bridges, at most %d", jd_name(JP_VNET_BRIDGE), nb,
				    NET_BRIDGES_MAX);
	m->ifs = xcalloc(n ? n : 1, sizeof(*m->ifs));
	for (size_t i = 0; i < n; i++) {
		struct net_if *f = &m->ifs[m->nifs];
		char salt[32];

		f->bridge = i < nb ? bridges[i] : NULL;
		f->index = i;
		if (i < nn) {
			if ((why = net_ifname_invalid(names[i])))
				return brig_err_set(e, 0, "%s \"%s\": %s", jd_name(JP_VNET_INTERFACE),
						    names[i], why);
			snprintf(f->jname, sizeof(f->jname), "%s", names[i]);
		} else {
			f->default_name = true;
			default_names(f, 0, i);
		}
		for (size_t k = 0; k < m->nifs; k++) {
			if (!strcmp(m->ifs[k].jname, f->jname))
				return brig_err_set(e, 0, "%s \"%s\": named twice",
						    jd_name(JP_VNET_INTERFACE), f->jname);
			if (f->bridge && m->ifs[k].bridge && !strcmp(m->ifs[k].bridge, f->bridge))
				return brig_err_set(e, 0, "%s \"%s\": named twice (one interface "
						    "per bridge)", jd_name(JP_VNET_BRIDGE), f->bridge);
		}
		if (f->bridge && (why = net_ifname_invalid(f->bridge)))
			return brig_err_set(e, 0, "%s \"%s\": %s", jd_name(JP_VNET_BRIDGE), f->bridge,
					    why);
		if (f->bridge && !f->default_name && host_name(m, f->jname, f->hname, e) < 0)
			return -1;
		if (!f->bridge)
			memcpy(f->hname, f->jname, sizeof(f->hname));
		snprintf(salt, sizeof(salt), "jail %zu", i);
		net_mac(m->name, salt, f->jmac);
		snprintf(salt, sizeof(salt), "host %zu", i);
		net_mac(m->name, salt, f->hmac);
		m->nifs++;
	}
	return 0;
}

struct net_if *net_jail_at(const struct net_jail *m, int jid)
{
	struct net_if *v = xcalloc(m->nifs + 1, sizeof(*v));

	memcpy(v, m->ifs, m->nifs * sizeof(*v));
	for (size_t i = 0; i < m->nifs; i++)
		if (v[i].default_name)
			default_names(&v[i], jid, v[i].index);
	return v;
}

/* ip4.addr / ip6.addr: "ADDR/LEN" on the first interface, or FreeBSD's
 * "IFACE|ADDR/LEN" on a named one (split by the model); IFACE may also
 * be one of vnet.bridge's, for the interface on that bridge (brig's own:
 * an interface with a default name has it only once the jail has a JID). */
static int parse_ips(struct net_jail *m, const struct jaddr *v, size_t n, enum jparam id,
		     int family, struct brig_err *e)
{
	const char *param = jd_name(id);
	size_t cap = m->nips;

	for (size_t i = 0; i < n; i++) {
		struct net_ip ip = { .ifi = 0, .text = v[i].text };
		const char *why;

		if (v[i].iface) {
			for (ip.ifi = 0; ip.ifi < m->nifs; ip.ifi++)
				if (!strcmp(m->ifs[ip.ifi].jname, v[i].iface))
					break;
			for (size_t k = 0; ip.ifi == m->nifs && k < m->nifs; k++)
				if (m->ifs[k].bridge && !strcmp(m->ifs[k].bridge, v[i].iface))
					ip.ifi = k;
			if (ip.ifi == m->nifs)
				return brig_err_set(e, 0, "%s \"%s\": the jail has no interface "
						    "\"%s\" nor one on a bridge of that name (see "
						    "vnet.interface, vnet.bridge)", param,
						    v[i].text, v[i].iface);
		} else if (m->nifs == 0) {
			return brig_err_set(e, 0, "%s \"%s\": the jail has no network interface "
					    "(set vnet.bridge to have brig make one)", param, v[i].text);
		}
		why = net_addr_parse(v[i].addr, family, true, &ip.a);
		if (why && !strcmp(why, "missing prefix length"))
			return brig_err_set(e, 0, "%s \"%s\": missing prefix length (write "
					    "ADDR/LEN, e.g. %s/%d)", param, v[i].text, v[i].addr,
					    family == AF_INET ? 24 : 64);
		if (why)
			return brig_err_set(e, 0, "%s \"%s\": %s", param, v[i].text, why);
		for (size_t k = 0; k < m->nips; k++)
			if (net_addr_same(&m->ips[k].a, &ip.a))
				return brig_err_set(e, 0, "%s \"%s\": address given twice",
						    param, v[i].text);
		m->ips = xgrow(m->ips, &cap, m->nips, sizeof(*m->ips));
		m->ips[m->nips++] = ip;
	}
	return 0;
}

/* ip4.defaultrouter / ip6.defaultrouter: must be reachable through one of
 * the jail's own subnets (or, for IPv6, be link-local). */
static int parse_gw(struct net_jail *m, const struct jail_def *d, enum jparam id,
		    int family, struct net_gw *gw, struct brig_err *e)
{
	const char *param = jd_name(id);
	const char *v = jd_str(d, id);
	static const struct nl_addr link_local = { .family = AF_INET6, .addr = { 0xfe, 0x80 },
						   .plen = 10 };
	const char *why;

	if (!v)
		return 0;
	gw->text = v;
	if ((why = net_addr_parse(v, family, false, &gw->a)))
		return brig_err_set(e, 0, "%s \"%s\": %s", param, v, why);
	for (size_t i = 0; i < m->nips; i++) {
		if (net_addr_same(&m->ips[i].a, &gw->a))
			return brig_err_set(e, 0, "%s \"%s\": that is the jail's own address",
					    param, v);
		if (!gw->set && net_addr_in(&m->ips[i].a, &gw->a)) {
			gw->set = true;
			gw->ifi = m->ips[i].ifi;
		}
	}
	if (!gw->set && m->nifs > 0 && net_addr_in(&link_local, &gw->a)) {
		gw->set = true;
		gw->ifi = 0;
	}
	if (!gw->set)
		return brig_err_set(e, 0, "%s \"%s\": not reachable: it is in none of the "
				    "subnets of the jail's %s", param, v,
				    jd_name(family == AF_INET ? JP_IP4_ADDR : JP_IP6_ADDR));
	return 0;
}

const char *net_port_parse(const char *s, int *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return "not a port number";
	v = strtol(s, &end, 10);
	if (*end)
		return "not a port number";
	if (v == 0)
		return "port 0 is not allowed";
	if (v > 65535)
		return "port over 65535";
	*out = (int)v;
	return NULL;
}

/* [HOSTADDR:]HOSTPORT, HOSTADDR an IPv4 address or a bracketed IPv6 one. */
static const char *parse_host(char *s, struct net_rdr *r)
{
	char *port = s, *colon;
	const char *why;

	if (*s == '[') {
		char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return "write an IPv6 host address as [ADDR]:PORT";
		*close = '\0';
		if ((why = net_addr_parse(s + 1, AF_INET6, false, &r->host)))
			return why;
		r->has_host = true;
		port = close + 2;
	} else if ((colon = strchr(s, ':'))) {
		*colon = '\0';
		if ((why = net_addr_parse(s, AF_INET, false, &r->host)))
			return why;
		r->has_host = true;
		port = colon + 1;
	}
	if (r->has_host && (r->host.family == AF_INET ? r->host.addr[0] == 127
			    : IN6_IS_ADDR_LOOPBACK((const struct in6_addr *)r->host.addr)))
		return "a loopback address cannot be redirected alone: without HOSTADDR the port "
		       "answers on 127.0.0.1 too (never on ::1)";
	if ((why = net_port_parse(port, &r->hport)))
		return why;
	return NULL;
}

bool net_rdr_clash(const struct net_rdr *a, const struct net_rdr *b)
{
	if (a->proto != b->proto || a->hport != b->hport)
		return false;
	/* No host address means every host address. */
	return !a->has_host || !b->has_host || net_addr_same(&a->host, &b->host);
}

/* One rdr value: "PROTO [HOSTADDR:]HOSTPORT JAILPORT". */
static int parse_rdr(struct net_jail *m, const char *text, struct net_rdr *r, struct brig_err *e)
{
	char buf[256], *tok[4], *save = NULL;
	size_t n = 0;
	const char *why;

	memset(r, 0, sizeof(*r));
	r->text = text;
	snprintf(buf, sizeof(buf), "%s", text);
	for (char *t = strtok_r(buf, " \t", &save); t && n < 4; t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n != 3)
		return brig_err_set(e, 0, "rdr \"%s\": write PROTO [HOSTADDR:]HOSTPORT JAILPORT, "
				    "e.g. \"tcp 8080 80\"", text);
	if (!strcasecmp(tok[0], "tcp"))
		r->proto = IPPROTO_TCP;
	else if (!strcasecmp(tok[0], "udp"))
		r->proto = IPPROTO_UDP;
	else
		return brig_err_set(e, 0, "rdr \"%s\": unknown protocol \"%s\" (tcp or udp)",
				    text, tok[0]);
	if ((why = parse_host(tok[1], r)))
		return brig_err_set(e, 0, "rdr \"%s\": host side \"%s\": %s", text,
				    tok[1], why);
	if ((why = net_port_parse(tok[2], &r->jport)))
		return brig_err_set(e, 0, "rdr \"%s\": jail port \"%s\": %s", text,
				    tok[2], why);
	if (r->has_host && !net_jail_ip(m, r->host.family))
		return brig_err_set(e, 0, "rdr \"%s\": the jail has no %s address%s to forward "
				    "to", text, r->host.family == AF_INET ? "ip4.addr" : "ip6.addr",
				    m->vnet ? " on a bridge" : "");
	if (!net_jail_ip(m, AF_INET) && !net_jail_ip(m, AF_INET6))
		return brig_err_set(e, 0, "rdr \"%s\": the jail has no address%s to forward to",
				    text, m->vnet ? " on a bridge" : "");
	return 0;
}

static int parse_rdrs(struct net_jail *m, const struct jail_def *d, struct brig_err *e)
{
	size_t n;
	char *const *v = jd_list(d, JP_RDR, &n);

	m->rdrs = xcalloc(n, sizeof(*m->rdrs));
	for (size_t i = 0; i < n; i++) {
		struct net_rdr *r = &m->rdrs[m->nrdrs];

		if (parse_rdr(m, v[i], r, e) < 0)
			return -1;
		for (size_t k = 0; k < m->nrdrs; k++)
			if (net_rdr_clash(&m->rdrs[k], r))
				return brig_err_set(e, 0, "rdr \"%s\": host port %s/%d is already "
						    "forwarded by rdr \"%s\"", r->text,
						    net_proto_name(r->proto), r->hport,
						    m->rdrs[k].text);
		m->nrdrs++;
	}
	return 0;
}

/* Parameters that make sense only with a network stack of the jail's own. */
static int check_needs_vnet(const struct jail_def *d, struct brig_err *e)
{
	static const enum jparam need[] = { JP_VNET_INTERFACE, JP_VNET_BRIDGE,
					    JP_IP4_DEFAULTROUTER, JP_IP6_DEFAULTROUTER };

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (jd_set(d, need[i]) && (jd_val(d, need[i])->n || jd_nonempty(d, need[i])))
			return brig_err_set(e, 0, "%s: needs vnet (without it the jail shares "
					    "the host's network)", jd_name(need[i]));
	return 0;
}

int net_jail_parse(const struct jail_def *d, struct net_jail *m, struct brig_err *e)
{
	memset(m, 0, sizeof(*m));
	m->name = d->name;
	/* vnet is "new" (its own stack) or "inherit"/"disable". */
	m->vnet = jd_on(d, JP_VNET);
	if (!m->vnet) {
		/* Shared IP: its rdr forwards to its first address. */
		if (check_needs_vnet(d, e) < 0 || net_shared_parse(d, e) < 0)
			return -1;
		net_shared_first(d, AF_INET, &m->first[0]);
		net_shared_first(d, AF_INET6, &m->first[1]);
		if (parse_rdrs(m, d, e) < 0) {
			net_jail_free(m);
			return -1;
		}
		return 0;
	}
	if (parse_ifs(m, d, e) < 0 ||
	    parse_ips(m, d->ip4, d->nip4, JP_IP4_ADDR, AF_INET, e) < 0 ||
	    parse_ips(m, d->ip6, d->nip6, JP_IP6_ADDR, AF_INET6, e) < 0 ||
	    parse_gw(m, d, JP_IP4_DEFAULTROUTER, AF_INET, &m->gw4, e) < 0 ||
	    parse_gw(m, d, JP_IP6_DEFAULTROUTER, AF_INET6, &m->gw6, e) < 0 ||
	    parse_rdrs(m, d, e) < 0) {
		net_jail_free(m);
		return -1;
	}
	m->spoofcheck = jd_on(d, JP_VNET_SPOOFCHECK);
	return 0;
}

void net_jail_free(struct net_jail *m)
{
	free(m->ifs);
	free(m->ips);
	free(m->rdrs);
	memset(m, 0, sizeof(*m));
}

const struct net_ip *net_jail_ip(const struct net_jail *m, int family)
{
	if (!m->vnet) {
		const struct net_ip *ip = &m->first[family == AF_INET ? 0 : 1];

		return ip->a.family == family ? ip : NULL;
	}
	for (size_t i = 0; i < m->nips; i++)
		if (m->ips[i].a.family == family && m->ifs[m->ips[i].ifi].bridge)
			return &m->ips[i];
	return NULL;
}

bool net_if_ipv6(const struct net_jail *m, size_t ifi)
{
	for (size_t i = 0; i < m->nips; i++)
		if (m->ips[i].ifi == ifi && m->ips[i].a.family == AF_INET6)
			return true;
	return m->gw6.set && m->gw6.ifi == ifi;
}

const char *net_proto_name(int proto)
{
	return proto == IPPROTO_UDP ? "udp" : "tcp";
}
