/* Checks of a jail's network against the other jails of its configuration,
 * networks.conf and the bridges that exist: all before anything is made. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"
#include "net/net.h"
#include "util/mem.h"

static const char *addr_param(int family)
{
	return family == AF_INET ? "ip4.addr" : "ip6.addr";
}

/* Conflicts with one other jail (net/clash.c): an address on the same
 * bridge, a host interface name, a host port; the first one refuses. */
static int check_pair(const struct net_jail *m, const struct net_jail *o, struct brig_err *e)
{
	struct net_clashes cl;
	int r = 0;

	cl = (struct net_clashes){ 0 };
	net_pair_clashes(m, o, &cl);
	if (cl.n)
		r = brig_err_set(e, 0, "%s \"%s\": %s", cl.v[0].param, cl.v[0].value, cl.v[0].why);
	net_clashes_free(&cl);
	return r;
}

/* Whether one of o's addresses (as written: [IFACE|]ADDR/LEN) is one of
 * m's. */
static bool shares_address(const struct net_jail *m, const struct conf_jail *o,
			   const char *param, int family)
{
	const struct conf_param *p = conf_param(o, param);

	for (size_t i = 0; p && i < p->nvalues; i++) {
		const char *bar = strchr(p->values[i], '|');
		const char *text = bar ? bar + 1 : p->values[i];
		char buf[INET6_ADDRSTRLEN + 8];
		struct nl_addr a;

		snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(text, "/"), text);
		if (net_addr_parse(buf, family, false, &a) != NULL)
			continue;
		for (size_t k = 0; k < m->nips; k++)
			if (net_addr_same(&m->ips[k].a, &a))
				return true;
	}
	return false;
}

/* A cheap look at o before parsing it: only a jail with vnet and with one
 * of m's addresses, or host interface names or ports where m has some, can
 * conflict. With hundreds of jails, each start looks at all the others. */
static bool may_conflict(const struct net_jail *m, const struct conf_jail *o)
{
	bool names = false;

	if (!conf_bool(o, "vnet", false))
		return false;
	for (size_t i = 0; i < m->nifs; i++)
		names = names || !m->ifs[i].default_name;
	return (names && conf_param(o, "vnet.interface")) ||
	       (m->nrdrs && conf_param(o, "rdr")) ||
	       shares_address(m, o, "ip4.addr", AF_INET) ||
	       shares_address(m, o, "ip6.addr", AF_INET6);
}

int net_check_others(const struct conf *c, const struct conf_jail *j,
		     const struct net_jail *m, struct brig_err *e)
{
	for (size_t i = 0; c && i < c->njails; i++) {
		const struct conf_jail *oj = &c->jails[i];
		struct net_jail o;
		struct brig_err ignored;
		int rc;

		if (oj == j || !strcmp(oj->name, j->name) || !may_conflict(m, oj))
			continue;
		if (net_jail_parse(oj, 0, &o, &ignored) < 0)
			continue;
		rc = o.vnet ? check_pair(m, &o, e) : 0;
		net_jail_free(&o);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The subnets of bridge `name`: the declared addresses, or for an admin's
 * bridge those it has. *out is malloc'ed. */
static size_t bridge_subnets(struct nl *nl, const struct net_bridge *b, int index,
			     struct nl_addr **out)
{
	struct brig_err ignored;
	size_t n = 0;

	*out = NULL;
	if (b) {
		*out = xcalloc(b->naddrs, sizeof(**out));
		memcpy(*out, b->addrs, b->naddrs * sizeof(**out));
		return b->naddrs;
	}
	if (index > 0 && nl_addr_list(nl, index, out, NULL, &n, &ignored) < 0)
		return 0;
	return n;
}

/* An address of the jail outside every subnet its bridge has (of that
 * family): a warning, it may be meant. */
static void warn_subnets(struct nl *nl, const struct net_jail *m, size_t ifi,
			 const struct net_bridge *b, int index, struct diag *d)
{
	cleanup_free struct nl_addr *subs = NULL;
	size_t n = bridge_subnets(nl, b, index, &subs);

	for (size_t i = 0; i < m->nips; i++) {
		const struct net_ip *ip = &m->ips[i];
		bool has_family = false, inside = false;

		if (ip->ifi != ifi)
			continue;
		for (size_t k = 0; k < n; k++) {
			if (subs[k].family != ip->a.family)
				continue;
			has_family = true;
			inside = inside || net_addr_in(&subs[k], &ip->a);
		}
		if (has_family && !inside)
			diag_add(d, DIAG_WARNING, "%s: %s: warning: \"%s\" is outside every subnet "
				 "of bridge %s", m->name, addr_param(ip->a.family), ip->text,
				 m->ifs[ifi].bridge);
	}
}

/* The bridges the jail plugs into (declared, or existing and bridges) and
 * the host interfaces it takes. */
static int check_bridges(const struct net_jail *m, struct net_networks *nw,
			 struct diag *d, struct brig_err *e)
{
	struct nl nl;
	int rc = 0;

	if (nl_open(&nl, e) < 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < m->nifs; i++) {
		const char *name = m->ifs[i].bridge;
		const struct net_bridge *b;
		struct nl_link l;
		int r;

		if (!name) {
			r = nl_link_get(&nl, m->ifs[i].jname, &l, e);
			if (r == 0)
				rc = brig_err_set(e, 0, "vnet.interface \"%s\": no such interface on "
						  "the host to move into the jail (set vnet.bridge to "
						  "have brig create a veth pair)", m->ifs[i].jname);
			else if (r < 0)
				rc = -1;
			continue;
		}
		/* networks.conf is read only when it matters: a bridge that
		 * exists is usable whether declared or not. */
		b = NULL;
		r = nl_link_get(&nl, name, &l, e);
		if (r < 0 || ((r == 0 || d) && net_networks_lookup(nw, name, &b, e) < 0))
			rc = -1;
		else if (r > 0 && strcmp(l.kind, "bridge") != 0)
			rc = brig_err_set(e, 0, "vnet.bridge \"%s\": an interface of that name "
					  "exists and is not a bridge", name);
		else if (r == 0 && !b)
			rc = brig_err_set(e, 0, "vnet.bridge \"%s\": no such bridge, and "
					  "networks.conf does not declare it", name);
		else if (d)
			warn_subnets(&nl, m, i, b, r > 0 ? l.index : 0, d);
	}
	nl_close(&nl);
	return rc;
}

/* The whole check; warnings go to d when it is not NULL. */
static int check(const struct conf *c, const struct conf_jail *j, struct diag *d,
		 struct brig_err *e)
{
	struct net_networks nw;
	struct net_jail m;
	int rc;

	if (net_jail_parse(j, 0, &m, e) < 0)
		return -1;
	if (!m.vnet) {
		net_jail_free(&m);
		return 0;
	}
	rc = net_check_others(c, j, &m, e);
	if (rc == 0 && m.nifs > 0) {
		memset(&nw, 0, sizeof(nw));
		rc = check_bridges(&m, &nw, d, e);
		net_networks_free(&nw);
	}
	net_jail_free(&m);
	return rc;
}

int net_jail_check(const struct conf *c, const struct conf_jail *j, struct brig_err *e)
{
	return check(c, j, NULL, e);
}

int net_jail_lint(const struct conf *c, const struct conf_jail *j, struct diag *d)
{
	struct brig_err e;

	if (check(c, j, d, &e) == 0)
		return 0;
	diag_add(d, DIAG_ERROR, "%s: %s", j->name, e.msg);
	return -1;
}

int net_jail_clash(const struct conf *c, const struct conf_jail *j, struct brig_err *e)
{
	struct net_jail m;
	struct brig_err ignored;
	int rc;

	/* Incomplete (no bridge yet: the file is the admin's to finish):
	 * nothing to compare; brig start says what is missing. */
	if (net_jail_parse(j, 0, &m, &ignored) < 0)
		return 0;
	rc = m.vnet ? net_check_others(c, j, &m, e) : 0;
	net_jail_free(&m);
	return rc;
}
