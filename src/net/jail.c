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
#include "util/mem.h"

/* The values of parameter `name` (none if unset). */
static size_t values(const struct conf_jail *j, const char *name, char *const **out)
{
	const struct conf_param *p = conf_param(j, name);

	*out = p ? p->values : NULL;
	return p ? p->nvalues : 0;
}

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

/* vnet.interface and vnet.bridge: the i-th interface is plugged into the
 * i-th bridge; interfaces beyond the bridges are host interfaces moved in. */
static int parse_ifs(struct net_jail *m, const struct conf_jail *j, int jid, struct brig_err *e)
{
	char *const *names, *const *bridges;
	size_t nn = values(j, "vnet.interface", &names);
	size_t nb = values(j, "vnet.bridge", &bridges);
	size_t n = nn > nb ? nn : nb;
	const char *why;

	m->ifs = xcalloc(n, sizeof(*m->ifs));
	for (size_t i = 0; i < n; i++) {
		struct net_if *f = &m->ifs[m->nifs];
		char salt[32];

		if (i < nn) {
			if ((why = net_ifname_invalid(names[i])))
				return brig_err_set(e, 0, "vnet.interface \"%s\": %s", names[i], why);
			snprintf(f->jname, sizeof(f->jname), "%s", names[i]);
		} else {
			/* At most "e2147483647_99b": 14 bytes. */
			char name[32];

			f->default_name = true;
			if (i == 0)
				snprintf(name, sizeof(name), "e%db", jid);
			else
				snprintf(name, sizeof(name), "e%d_%db", jid, (int)(i % 100));
			memcpy(f->jname, name, sizeof(f->jname) - 1);
		}
		for (size_t k = 0; k < m->nifs; k++)
			if (!strcmp(m->ifs[k].jname, f->jname))
				return brig_err_set(e, 0, "vnet.interface \"%s\": named twice",
						    f->jname);
		if (i < nb) {
			if ((why = net_ifname_invalid(bridges[i])))
				return brig_err_set(e, 0, "vnet.bridge \"%s\": %s", bridges[i], why);
			f->bridge = bridges[i];
			if (host_name(m, f->jname, f->hname, e) < 0)
				return -1;
		} else {
			memcpy(f->hname, f->jname, sizeof(f->hname));
		}
		snprintf(salt, sizeof(salt), "jail %zu", i);
		net_mac(m->name, salt, f->jmac);
		snprintf(salt, sizeof(salt), "host %zu", i);
		net_mac(m->name, salt, f->hmac);
		m->nifs++;
	}
	return 0;
}

/* ip4.addr / ip6.addr: "ADDR/LEN" on the first interface, or FreeBSD's
 * "IFACE|ADDR/LEN" on a named one. */
static int parse_ips(struct net_jail *m, const struct conf_jail *j, const char *param,
		     int family, struct brig_err *e)
{
	char *const *v;
	size_t n = values(j, param, &v);
	size_t cap = m->nips;

	for (size_t i = 0; i < n; i++) {
		const char *bar = strchr(v[i], '|');
		const char *addr = bar ? bar + 1 : v[i];
		struct net_ip ip = { .ifi = 0, .text = v[i] };
		const char *why;

		if (bar) {
			size_t len = (size_t)(bar - v[i]);

			for (ip.ifi = 0; ip.ifi < m->nifs; ip.ifi++)
				if (strlen(m->ifs[ip.ifi].jname) == len &&
				    !strncmp(m->ifs[ip.ifi].jname, v[i], len))
					break;
			if (ip.ifi == m->nifs)
				return brig_err_set(e, 0, "%s \"%s\": the jail has no interface "
						    "\"%.*s\" (see vnet.interface)", param,
						    v[i], (int)len, v[i]);
		} else if (m->nifs == 0) {
			return brig_err_set(e, 0, "%s \"%s\": the jail has no network interface "
					    "(set vnet.bridge to have brig make one)", param, v[i]);
		}
		why = net_addr_parse(addr, family, true, &ip.a);
		if (why && !strcmp(why, "missing prefix length"))
			return brig_err_set(e, 0, "%s \"%s\": missing prefix length (write "
					    "ADDR/LEN, e.g. %s/%d)", param, v[i], addr,
					    family == AF_INET ? 24 : 64);
		if (why)
			return brig_err_set(e, 0, "%s \"%s\": %s", param, v[i], why);
		for (size_t k = 0; k < m->nips; k++)
			if (net_addr_same(&m->ips[k].a, &ip.a))
				return brig_err_set(e, 0, "%s \"%s\": address given twice",
						    param, v[i]);
		m->ips = xgrow(m->ips, &cap, m->nips, sizeof(*m->ips));
		m->ips[m->nips++] = ip;
	}
	return 0;
}

/* ip4.defaultrouter / ip6.defaultrouter: must be reachable through one of
 * the jail's own subnets (or, for IPv6, be link-local). */
static int parse_gw(struct net_jail *m, const struct conf_jail *j, const char *param,
		    int family, struct net_gw *gw, struct brig_err *e)
{
	const char *v = conf_str(j, param);
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
				    family == AF_INET ? "ip4.addr" : "ip6.addr");
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
		return brig_err_set(e, 0, "rdr \"%s\": the jail has no %s address on a bridge "
				    "to forward to", text,
				    r->host.family == AF_INET ? "ip4.addr" : "ip6.addr");
	if (!net_jail_ip(m, AF_INET) && !net_jail_ip(m, AF_INET6))
		return brig_err_set(e, 0, "rdr \"%s\": the jail has no address on a bridge to "
				    "forward to", text);
	return 0;
}

static int parse_rdrs(struct net_jail *m, const struct conf_jail *j, struct brig_err *e)
{
	char *const *v;
	size_t n = values(j, "rdr", &v);

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
static int check_needs_vnet(const struct net_jail *m, const struct conf_jail *j,
			    struct brig_err *e)
{
	static const char *const need[] = { "vnet.interface", "vnet.bridge",
					    "ip4.defaultrouter", "ip6.defaultrouter", "rdr" };

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		const struct conf_param *p = conf_param(j, need[i]);

		if (p && p->nvalues > 0)
			return brig_err_set(e, 0, "%s: needs vnet (without it the jail shares "
					    "the host's network)", need[i]);
	}
	return 0;
}

int net_jail_parse(const struct conf_jail *j, int jid, struct net_jail *m, struct brig_err *e)
{
	memset(m, 0, sizeof(*m));
	m->name = j->name;
	/* vnet is "new" (its own stack) or "inherit"/"disable". */
	m->vnet = conf_bool(j, "vnet", false);
	if (!m->vnet)
		return check_needs_vnet(m, j, e);
	if (parse_ifs(m, j, jid, e) < 0 ||
	    parse_ips(m, j, "ip4.addr", AF_INET, e) < 0 ||
	    parse_ips(m, j, "ip6.addr", AF_INET6, e) < 0 ||
	    parse_gw(m, j, "ip4.defaultrouter", AF_INET, &m->gw4, e) < 0 ||
	    parse_gw(m, j, "ip6.defaultrouter", AF_INET6, &m->gw6, e) < 0 ||
	    parse_rdrs(m, j, e) < 0) {
		net_jail_free(m);
		return -1;
	}
	m->spoofcheck = conf_bool(j, "vnet.spoofcheck", true);
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
