/* Checks of a jail's network against the other jails of its configuration,
 * networks.conf and the bridges that exist: all before anything is made. */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"
#include "net/net.h"
#include "util/mem.h"

static const char *addr_param(int family)
{
	return jd_name(family == AF_INET ? JP_IP4_ADDR : JP_IP6_ADDR);
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
		r = brig_err_set(e, 0, "%s \"%s\": %s", jd_name(cl.v[0].param), cl.v[0].value, cl.v[0].why);
	net_clashes_free(&cl);
	return r;
}

/* What two jails may clash on (net_pair_clashes), as a key: an address
 * on a bridge ('A': the bridge's name, the family, the address), a host
 * interface name ('I'), a host port ('R': the protocol, the port, then
 * the host address if it has one). The plan's index, every key of its
 * jails sorted, finds the jails one clashes with without comparing it
 * with every other: each start of a batch, and `config check` for each
 * jail, did, O(jails^2) (config check of 4000 vnet jails: 2.2 s). */
#define KEY_RDR 4	/* an rdr's key without its host address */
struct net_key {
	uint8_t k[2 + IFNAMSIZ + 16];
	size_t jail;		/* its index in the plan's set */
};

static void key_addr(uint8_t *k, const struct nl_addr *a)
{
	k[0] = (uint8_t)a->family;
	memcpy(k + 1, a->addr, a->family == AF_INET6 ? 16 : 4);
}

/* The keys of m (jail: its index), appended to out (n of them; grown). */
static void jail_keys(const struct net_jail *m, size_t jail, struct net_key **out, size_t *n,
		      size_t *cap)
{
	if (*n + m->nips + m->nifs + m->nrdrs > *cap) {
		*cap = 2 * (*n + m->nips + m->nifs + m->nrdrs);
		*out = xrealloc(*out, *cap * sizeof(**out));
	}
	for (size_t i = 0; i < m->nips; i++) {
		const char *b = m->ifs[m->ips[i].ifi].bridge;
		struct net_key *x = &(*out)[*n];

		if (!b)
			continue;
		*x = (struct net_key){ .k = { 'A' }, .jail = jail };
		memcpy(x->k + 1, b, strnlen(b, IFNAMSIZ - 1));
		key_addr(x->k + 1 + IFNAMSIZ, &m->ips[i].a);
		(*n)++;
	}
	for (size_t i = 0; i < m->nifs; i++) {
		struct net_key *x = &(*out)[*n];

		if (m->ifs[i].default_name)
			continue;
		*x = (struct net_key){ .k = { 'I' }, .jail = jail };
		memcpy(x->k + 1, m->ifs[i].hname, strnlen(m->ifs[i].hname, IFNAMSIZ - 1));
		(*n)++;
	}
	for (size_t i = 0; i < m->nrdrs; i++) {
		const struct net_rdr *r = &m->rdrs[i];
		struct net_key *x = &(*out)[(*n)++];

		*x = (struct net_key){ .k = { 'R', (uint8_t)r->proto, (uint8_t)(r->hport >> 8),
					      (uint8_t)r->hport },
				       .jail = jail };
		if (r->has_host) {
			x->k[KEY_RDR] = 1;
			key_addr(x->k + KEY_RDR + 1, &r->host);
		}
	}
}

static int key_cmp(const void *a, const void *b)
{
	const struct net_key *x = a, *y = b;
	int c = memcmp(x->k, y->k, sizeof(x->k));

	return c ? c : (x->jail > y->jail) - (x->jail < y->jail);
}

void net_plan_index(struct net_plan *p)
{
	size_t cap = 0;

	if (p->indexed)
		return;
	p->indexed = true;
	for (size_t i = 0; p->set && i < p->set->n; i++) {
		const struct net_jail *o = net_plan_at(p, i);

		if (o)
			jail_keys(o, i, &p->keys, &p->nkeys, &cap);
	}
	if (p->nkeys)
		qsort(p->keys, p->nkeys, sizeof(*p->keys), key_cmp);
}

/* The first jail of the set, in its order, but d, with a key whose first
 * len bytes are x's; first if none comes before it. */
static size_t first_with(const struct net_plan *p, const struct jail_def *d, const uint8_t *x,
			 size_t len, size_t first)
{
	size_t lo = 0, hi = p->nkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(p->keys[mid].k, x, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < p->nkeys && !memcmp(p->keys[lo].k, x, len); lo++)
		if (p->keys[lo].jail < first && strcmp(p->set->v[p->keys[lo].jail]->name, d->name))
			first = p->keys[lo].jail;
	return first;
}

int net_check_others(struct net_plan *p, const struct jail_def *d, const struct net_jail *m,
		     struct brig_err *e)
{
	struct net_key *mine = NULL;
	size_t n = 0, cap = 0, first = SIZE_MAX;

	if (!p->set)
		return 0;
	net_plan_index(p);
	jail_keys(m, 0, &mine, &n, &cap);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *k = mine[i].k;

		if (k[0] != 'R') {
			first = first_with(p, d, k, sizeof(mine[i].k), first);
		} else if (k[KEY_RDR]) {
			/* A host address: the same one, or none (every one). */
			uint8_t none[sizeof(mine[i].k)] = { 0 };

			memcpy(none, k, KEY_RDR);
			first = first_with(p, d, k, sizeof(none), first);
			first = first_with(p, d, none, sizeof(none), first);
		} else {
			first = first_with(p, d, k, KEY_RDR, first);
		}
	}
	free(mine);
	/* That jail's clashes, the first of them named, as before. */
	return first == SIZE_MAX ? 0 : check_pair(m, net_plan_other(p, d, first), e);
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

/* A bridge as the host had it when a check first asked (netlink's
 * answer: 1 and l, 0 if missing), kept for config check (keep), which
 * asks about the same few bridges for every jail, a socket and a request
 * each (~10 us); a start asks each time: in a batch, an earlier jail's
 * hook may have made the bridge since. */
struct net_seen {
	char name[IFNAMSIZ];
	int r;
	struct nl_link l;
};

static int bridge_seen(struct net_plan *p, struct nl *nl, const char *name, struct nl_link *l,
		       bool keep, struct brig_err *e)
{
	struct net_seen *s;
	int r;

	for (size_t i = 0; keep && i < p->nseen; i++)
		if (!strcmp(p->seen[i].name, name)) {
			*l = p->seen[i].l;
			return p->seen[i].r;
		}
	if ((!nl->sock && nl_open(nl, e) < 0) || (r = nl_link_get(nl, name, l, e)) < 0)
		return -1;
	if (!keep)
		return r;
	p->seen = xrealloc(p->seen, (p->nseen + 1) * sizeof(*p->seen));
	s = &p->seen[p->nseen++];
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->r = r;
	s->l = *l;
	return r;
}

/* The bridges the jail plugs into (declared, or existing and bridges). */
static int check_bridges(struct net_plan *p, const struct net_jail *m, struct diag *d,
			 struct brig_err *e)
{
	struct nl nl = { 0 };	/* opened when netlink must be asked */
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < m->nifs; i++) {
		const char *name = m->ifs[i].bridge;
		const struct net_bridge *b;
		struct nl_link l;
		int r;

		/* A host interface to move in may not exist yet: exec.prestart
		 * may make it (jail(8) looks for it only then); the start's
		 * vnet step says when it is still missing. */
		if (!name)
			continue;
		/* networks.conf is read only when it matters: a bridge that
		 * exists is usable whether declared or not. */
		b = NULL;
		r = bridge_seen(p, &nl, name, &l, d != NULL, e);
		if (r < 0 || ((r == 0 || d) && net_networks_lookup(&p->nw, name, &b, e) < 0))
			rc = -1;
		else if (r > 0 && strcmp(l.kind, "bridge") != 0)
			rc = brig_err_set(e, 0, "vnet.bridge \"%s\": an interface of that name "
					  "exists and is not a bridge", name);
		else if (r == 0 && !b)
			rc = brig_err_set(e, 0, "vnet.bridge \"%s\": no such bridge, and "
					  "networks.conf does not declare it", name);
		else if (d && (b || r == 0 || nl.sock || nl_open(&nl, e) == 0))
			warn_subnets(&nl, m, i, b, r > 0 ? l.index : 0, d);
		else if (d)
			rc = -1;
	}
	nl_close(&nl);
	return rc;
}

/* The whole check; warnings go to dg when it is not NULL. */
static int check(struct net_plan *p, const struct jail_def *d, struct diag *dg,
		 struct brig_err *e)
{
	const struct net_jail *m = net_plan_jail(p, d, e);

	if (!m)
		return -1;
	if (!m->vnet && !m->nrdrs)
		return 0;
	if (net_check_others(p, d, m, e) < 0)
		return -1;
	return m->nifs > 0 ? check_bridges(p, m, dg, e) : 0;
}

int net_jail_check(struct net_plan *p, const struct jail_def *d, struct brig_err *e)
{
	return check(p, d, NULL, e);
}

int net_jail_lint(struct net_plan *p, const struct jail_def *d, struct diag *dg)
{
	struct brig_err e;

	if (check(p, d, dg, &e) == 0)
		return 0;
	diag_add(dg, DIAG_ERROR, "%s: %s", d->name, e.msg);
	return -1;
}

int net_jail_clash(struct net_plan *p, const struct jail_def *d, struct brig_err *e)
{
	struct brig_err ignored;
	const struct net_jail *m = net_plan_jail(p, d, &ignored);

	/* Incomplete (no bridge yet: the file is the admin's to finish):
	 * nothing to compare; brig start says what is missing. */
	if (!m)
		return 0;
	return m->vnet || m->nrdrs ? net_check_others(p, d, m, e) : 0;
}
