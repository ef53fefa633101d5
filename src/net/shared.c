/* Shared-IP jails: their addresses as aliases on the host's interfaces,
 * as jail(8) adds them (ifconfig IFACE inet ADDR alias) before the jail
 * is created and removes them after it is gone. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"
#include "net/net.h"
#include "util/mem.h"

/* One address of ip4.addr/ip6.addr: its interface ("" if none: then it
 * is the host's to have) and the address, /32 or /128 unless given, as
 * jail(8) makes aliases. NULL if fine, else why not. */
static const char *alias_parse(const struct jail_def *d, const struct jaddr *j, int family,
			       char ifname[IFNAMSIZ], struct nl_addr *a)
{
	const char *iface = j->iface ? j->iface : jd_nonempty(d, JP_INTERFACE);
	const char *why = net_addr_parse(j->addr, family, strchr(j->addr, '/') != NULL, a);

	if (why)
		return why;
	ifname[0] = '\0';
	if (iface) {
		if ((why = net_ifname_invalid(iface)))
			return why;
		snprintf(ifname, IFNAMSIZ, "%s", iface);
	}
	return NULL;
}

bool net_shared_first(const struct jail_def *d, int family, struct net_ip *ip)
{
	const struct jaddr *j = family == AF_INET ? d->ip4 : d->ip6;
	char ifname[IFNAMSIZ];

	memset(ip, 0, sizeof(*ip));
	if (!(family == AF_INET ? d->nip4 : d->nip6) || alias_parse(d, j, family, ifname, &ip->a))
		return false;
	ip->text = j->text;
	return true;
}

/* Each address of a family: f(its parameter, the split entry, ...). */
static int each_addr(const struct jail_def *d,
		     int (*f)(enum jparam id, const struct jaddr *j, int family, void *data),
		     void *data)
{
	for (size_t i = 0; i < d->nip4; i++)
		if (f(JP_IP4_ADDR, &d->ip4[i], AF_INET, data) < 0)
			return -1;
	for (size_t i = 0; i < d->nip6; i++)
		if (f(JP_IP6_ADDR, &d->ip6[i], AF_INET6, data) < 0)
			return -1;
	return 0;
}

struct shared_ctx {
	const struct jail_def *d;
	struct brig_err *e;
	struct nl nl;
	struct nl_addr *host;	/* the host's addresses before the jail */
	size_t nhost;
	const struct rec *rec;
	struct net_networks *nw;	/* the plan's networks.conf */
	struct nl_link link;	/* the last alias's interface (index 0: none yet) */
};

static int check_one(enum jparam id, const struct jaddr *j, int family, void *data)
{
	struct shared_ctx *c = data;
	char ifname[IFNAMSIZ];
	struct nl_addr a;
	const char *why = alias_parse(c->d, j, family, ifname, &a);

	if (why)
		return brig_err_set(c->e, 0, "%s: \"%s\": %s", jd_name(id), j->text, why);
	return 0;
}

int net_shared_parse(const struct jail_def *d, struct brig_err *e)
{
	struct shared_ctx c = { .d = d, .e = e };

	return each_addr(d, check_one, &c);
}

/* The interface of an alias: 1 with link filled, 0 if there is none. A
 * bridge networks.conf declares is made (or brought in line) as for a
 * vnet jail, with its addresses and rules: its NAT applies to the jail's
 * addresses in its subnets as to a vnet jail's. */
static int interface(struct shared_ctx *c, const char *ifname, struct nl_link *link)
{
	const struct net_bridge *b = NULL;
	int r = nl_link_get(&c->nl, ifname, link, c->e), index, mtu;

	if (r < 0 || (r > 0 && strcmp(link->kind, "bridge") != 0))
		return r;
	if (r == 0 && net_networks_lookup(c->nw, ifname, &b, c->e) < 0)
		return -1;
	if (r == 0 && !b)
		return 0;
	if (net_bridge_ensure(&c->nl, ifname, c->nw, &index, &mtu, c->e) < 0)
		return -1;
	return nl_link_get(&c->nl, ifname, link, c->e);
}

/* Add one alias unless the host has the address already (it is used then,
 * and stays). Recorded before it is made. */
static int up_one(enum jparam id, const struct jaddr *j, int family, void *data)
{
	struct shared_ctx *c = data;
	char ifname[IFNAMSIZ], text[INET6_ADDRSTRLEN + 4];
	cleanup_free char *rid = NULL;
	struct nl_addr a;
	int r;

	(void)id;
	if (alias_parse(c->d, j, family, ifname, &a) || !ifname[0])
		return 0;
	for (size_t i = 0; i < c->nhost; i++)
		if (net_addr_same(&c->host[i], &a))
			return 0;
	/* The addresses of a jail are mostly on one interface: looked up
	 * (and a bridge of networks.conf made) once. */
	if ((!c->link.index || strcmp(c->link.name, ifname) != 0) &&
	    (r = interface(c, ifname, &c->link)) <= 0)
		return r < 0 ? -1 : brig_err_set(c->e, ENODEV, "interface %s (for %s)", ifname, j->text);
	net_addr_fmt(&a, true, false, text, sizeof(text));
	rid = xasprintf("%s|%s", ifname, text);
	if (rec_add(c->rec, JOBJ_ALIAS, rid, c->e) < 0)
		return -1;
	return nl_addr_add(&c->nl, c->link.index, &a, c->e);
}

int net_shared_up(struct net_plan *p, const struct jail_def *d, const struct rec *rec,
		  struct brig_err *e)
{
	struct shared_ctx c = { .d = d, .e = e, .rec = rec, .nw = &p->nw };
	const struct net_jail *m;
	int r;

	if (!d->nip4 && !d->nip6)
		return 0;
	if (nl_open(&c.nl, e) < 0)
		return -1;
	r = nl_addr_list(&c.nl, 0, &c.host, NULL, &c.nhost, e) < 0 ? -1 : each_addr(d, up_one, &c);
	free(c.host);
	nl_close(&c.nl);
	if (r < 0)
		return -1;
	/* Its rdr, as a vnet jail's: the same tagged rules, to its alias. */
	if (!(m = net_plan_jail(p, d, e)))
		return -1;
	return net_jail_rules(m, rec, e);
}

int net_shared_subnets(const struct jail_def *d, int family, uint8_t *plen, size_t n,
		       struct brig_err *e)
{
	const struct jaddr *v = family == AF_INET ? d->ip4 : d->ip6;
	size_t nv = family == AF_INET ? d->nip4 : d->nip6;
	int full = family == AF_INET ? 32 : 128;
	cleanup_free struct nl_addr *host = NULL;
	size_t nhost = 0;
	bool listed = false;

	for (size_t i = 0; i < n && i < nv; i++) {
		char ifname[IFNAMSIZ];
		struct nl_addr a;

		plen[i] = 0;
		if (alias_parse(d, &v[i], family, ifname, &a))
			continue;
		if (a.plen < full) {
			plen[i] = (uint8_t)a.plen;
			continue;
		}
		if (!listed) {
			struct nl nl;
			int r;

			if (nl_open(&nl, e) < 0)
				return -1;
			r = nl_addr_list(&nl, 0, &host, NULL, &nhost, e);
			nl_close(&nl);
			if (r < 0)
				return -1;
			listed = true;
		}
		/* The host's narrowest subnet that holds it (an alias /32 on
		 * lan0 192.0.2.1/24: 192.0.2.0/24). */
		for (size_t k = 0; k < nhost; k++)
			if (host[k].family == family && host[k].plen < full && host[k].plen > plen[i] &&
			    net_addr_in(&host[k], &a))
				plen[i] = (uint8_t)host[k].plen;
	}
	return 0;
}

int net_alias_remove(const char *id, struct brig_err *e)
{
	const char *bar = strchr(id, '|');
	char ifname[IFNAMSIZ];
	struct nl_link link;
	struct nl_addr a;
	struct nl nl;
	int r;

	if (!bar || (size_t)(bar - id) >= sizeof(ifname) || net_addr_parse(bar + 1, AF_UNSPEC, true, &a))
		return brig_err_set(e, 0, "bad alias \"%s\"", id);
	snprintf(ifname, sizeof(ifname), "%.*s", (int)(bar - id), id);
	if (nl_open(&nl, e) < 0)
		return -1;
	/* Its interface gone: so is the address. */
	r = nl_link_get(&nl, ifname, &link, e);
	if (r > 0)
		r = nl_addr_del(&nl, link.index, &a, e);
	nl_close(&nl);
	return r < 0 ? -1 : 0;
}
