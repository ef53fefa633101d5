/* The bridges as `brig net` sees them: listed, brought up, taken down. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"
#include "net/net.h"
#include "sys/nft.h"
#include "util/mem.h"
#include "util/paths.h"
#include "util/strbuf.h"

/* The jail a host interface belongs to, from the alias brig gives it. */
static const char *member_jail(const struct nl_link *l)
{
	return strncmp(l->alias, "jail:", 5) == 0 ? l->alias + 5 : NULL;
}

/* The ports of bridge index among links. */
static void fill_members(struct net_bridge_info *bi, const struct nl_link *links, size_t n,
			 int index)
{
	size_t cap = 0;

	for (size_t i = 0; i < n; i++) {
		const char *jail = member_jail(&links[i]);

		if (links[i].master != index)
			continue;
		bi->members = xgrow(bi->members, &cap, bi->nmembers, sizeof(*bi->members));
		bi->members[bi->nmembers].interface = xstrdup(links[i].name);
		bi->members[bi->nmembers].jail = jail ? xstrdup(jail) : NULL;
		bi->nmembers++;
	}
}

/* Addresses as text: those of ifindex in the kernel, or the declared. */
static void fill_addrs(struct net_bridge_info *bi, const struct nl_addr *a, const int *idx,
		       size_t n, int index)
{
	char buf[64];
	size_t cap = 0;

	for (size_t i = 0; i < n; i++) {
		static const struct nl_addr link_local = { .family = AF_INET6,
							   .addr = { 0xfe, 0x80 }, .plen = 10 };

		/* The kernel's own fe80:: addresses are not configuration. */
		if ((index >= 0 && idx[i] != index) || net_addr_in(&link_local, &a[i]))
			continue;
		net_addr_fmt(&a[i], true, false, buf, sizeof(buf));
		bi->addrs = xgrow(bi->addrs, &cap, bi->naddrs, sizeof(*bi->addrs));
		bi->addrs[bi->naddrs++] = xstrdup(buf);
	}
}

struct kernel_view {
	struct nl_link *links;
	size_t nlinks;
	struct nl_addr *addrs;
	int *idx;
	size_t naddrs;
};

/* The bridge link named name, or NULL. */
static const struct nl_link *find_bridge(const struct kernel_view *k, const char *name)
{
	for (size_t i = 0; i < k->nlinks; i++)
		if (!strcmp(k->links[i].name, name) && !strcmp(k->links[i].kind, "bridge"))
			return &k->links[i];
	return NULL;
}

/* One entry of the list: declared (b) and/or existing (l). */
static void add_info(struct net_bridge_info **v, size_t *n, size_t *cap, const char *name,
		     const struct net_bridge *b, const struct nl_link *l,
		     const struct kernel_view *k)
{
	struct net_bridge_info *bi;

	*v = xgrow(*v, cap, *n, sizeof(**v));
	bi = &(*v)[(*n)++];
	memset(bi, 0, sizeof(*bi));
	bi->name = xstrdup(name);
	bi->declared = b != NULL;
	bi->nat = b && b->nat;
	bi->isolate = b && b->isolate;
	if (l) {
		bi->exists = true;
		bi->up = l->flags & IFF_UP;
		bi->mtu = l->mtu;
		fill_addrs(bi, k->addrs, k->idx, k->naddrs, l->index);
		fill_members(bi, k->links, k->nlinks, l->index);
	} else {
		bi->mtu = b->mtu;
		fill_addrs(bi, b->addrs, NULL, b->naddrs, -1);
	}
}

/* Whether a bridge has a port that belongs to a jail. */
static bool has_jail_port(const struct kernel_view *k, int index)
{
	for (size_t i = 0; i < k->nlinks; i++)
		if (k->links[i].master == index && member_jail(&k->links[i]))
			return true;
	return false;
}

int net_bridge_list(struct net_bridge_info **out, size_t *n, struct brig_err *e)
{
	struct net_networks nw = { 0 };
	struct kernel_view k = { 0 };
	struct nl nl;
	size_t cap = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (net_networks_load(&nw, e) < 0) {
		net_networks_free(&nw);
		return -1;
	}
	if (nl_open(&nl, e) == 0) {
		if (nl_link_list(&nl, &k.links, &k.nlinks, e) == 0 &&
		    nl_addr_list(&nl, 0, &k.addrs, &k.idx, &k.naddrs, e) == 0)
			rc = 0;
		nl_close(&nl);
	}
	for (size_t i = 0; rc == 0 && i < nw.n; i++)
		add_info(out, n, &cap, nw.v[i].name, &nw.v[i], find_bridge(&k, nw.v[i].name), &k);
	for (size_t i = 0; rc == 0 && i < k.nlinks; i++)
		if (!strcmp(k.links[i].kind, "bridge") && !net_networks_find(&nw, k.links[i].name) &&
		    has_jail_port(&k, k.links[i].index))
			add_info(out, n, &cap, k.links[i].name, NULL, &k.links[i], &k);
	free(k.links);
	free(k.addrs);
	free(k.idx);
	net_networks_free(&nw);
	return rc;
}

void net_bridge_list_free(struct net_bridge_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < v[i].naddrs; k++)
			free(v[i].addrs[k]);
		for (size_t k = 0; k < v[i].nmembers; k++) {
			free(v[i].members[k].interface);
			free(v[i].members[k].jail);
		}
		free(v[i].addrs);
		free(v[i].members);
		free(v[i].name);
	}
	free(v);
}

/* The declaration of bridge name; an error if networks.conf has none. */
static const struct net_bridge *declared(const struct net_networks *nw, const char *name,
					 struct brig_err *e)
{
	const struct net_bridge *b = net_networks_find(nw, name);

	if (!b)
		brig_err_set(e, 0, "bridge %s: not declared in %s/networks.conf (brig manages only "
			     "the bridges declared there)", name, brig_confdir());
	return b;
}

int net_bridge_up(const char *name, struct brig_err *e)
{
	struct net_networks nw = { 0 };
	const struct net_bridge *b;
	struct nl nl;
	int rc = -1;

	if (net_networks_load(&nw, e) == 0 && (b = declared(&nw, name, e)) &&
	    nl_open(&nl, e) == 0) {
		rc = net_bridge_sync(&nl, b, e);
		nl_close(&nl);
	}
	net_networks_free(&nw);
	return rc;
}

/* The jails plugged into bridge index, as "a, b"; NULL if none. A pair
 * whose peer's namespace is dead is not one: the jail has stopped, and
 * the kernel removes the pair with its namespace in its own time (stop
 * does not wait for it: net.c's remove_veth), so `brig stop` then `brig
 * net down` would otherwise fail now and then. */
static char *jails_on(struct nl *nl, int index, struct brig_err *e, int *rc)
{
	struct nl_link *links = NULL;
	size_t n = 0;
	struct strbuf sb = STRBUF_INIT;

	*rc = nl_link_list(nl, &links, &n, e);
	for (size_t i = 0; *rc == 0 && i < n; i++) {
		int dead;

		if (links[i].master != index || !member_jail(&links[i]))
			continue;
		if ((dead = nl_link_peer_dead(nl, &links[i], e)) < 0)
			*rc = -1;
		else if (!dead)
			sb_addf(&sb, "%s%s", sb.len ? ", " : "", member_jail(&links[i]));
	}
	free(links);
	return sb.len ? sb_steal(&sb) : NULL;
}

/* Under the lock: refuse if in use, drop the rules and the set element,
 * delete the link. */
static int down_locked(struct nl *nl, const char *name, struct brig_err *e)
{
	cleanup_free char *tag = net_tag_bridge(name);
	cleanup_free char *users = NULL;
	cleanup_free char *unset = xasprintf("add element " NFT_TABLE " bridges { \"%s\" }\n"
					     "delete element " NFT_TABLE " bridges { \"%s\" }\n",
					     name, name);
	struct nl_link l;
	int r, rc;

	if ((r = nl_link_get(nl, name, &l, e)) < 0)
		return -1;
	if (r > 0 && strcmp(l.kind, "bridge") != 0)
		return brig_err_set(e, 0, "bridge %s: an interface of that name exists and is not a "
				    "bridge; left alone", name);
	if (r > 0) {
		users = jails_on(nl, l.index, e, &rc);
		if (rc < 0)
			return -1;
		if (users)
			return brig_err_set(e, 0, "bridge %s is in use by jail%s %s: stop %s first",
					    name, strchr(users, ',') ? "s" : "", users,
					    strchr(users, ',') ? "them" : "it");
	}
	/* Adding the element first makes its deletion succeed either way. */
	if (nft_replace_tag(tag, unset, e) < 0)
		return -1;
	return r > 0 ? nl_link_del(nl, name, e) : 0;
}

int net_bridge_down(const char *name, struct brig_err *e)
{
	struct net_networks nw = { 0 };
	struct nl nl;
	int fd, rc = -1;

	if (net_networks_load(&nw, e) == 0 && declared(&nw, name, e) && nl_open(&nl, e) == 0) {
		if ((fd = net_lock(e)) >= 0) {
			rc = down_locked(&nl, name, e);
			net_unlock(fd);
		}
		nl_close(&nl);
	}
	net_networks_free(&nw);
	return rc;
}
