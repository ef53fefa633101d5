/* The IPv4 subnets in use on the host, for `brig compose import` to
 * allocate around: every address of every link (netlink), and every
 * bridge networks.conf and networks.conf.d declare, made or not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"
#include "net/net.h"
#include "util/mem.h"

static void add(struct net_used **v, size_t *n, const char *owner, const char *what,
		const struct nl_addr *a)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].owner = xstrdup(owner);
	(*v)[*n].what = xstrdup(what);
	(*v)[*n].addr = (uint32_t)a->addr[0] << 24 | (uint32_t)a->addr[1] << 16 |
			(uint32_t)a->addr[2] << 8 | a->addr[3];
	(*v)[*n].plen = a->plen;
	(*n)++;
}

int net_subnets_used(struct net_used **out, size_t *n, struct brig_err *e)
{
	struct net_networks nw = { 0 };
	struct nl_link *links = NULL;
	struct nl_addr *addrs = NULL;
	int *idx = NULL;
	size_t nlinks = 0, naddrs = 0;
	struct nl nl;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (nl_open(&nl, e) < 0)
		return -1;
	if (nl_link_list(&nl, &links, &nlinks, e) == 0 &&
	    nl_addr_list(&nl, 0, &addrs, &idx, &naddrs, e) == 0)
		rc = 0;
	nl_close(&nl);
	for (size_t i = 0; rc == 0 && i < naddrs; i++) {
		const char *name = "?";

		if (addrs[i].family != AF_INET)
			continue;
		for (size_t k = 0; k < nlinks; k++)
			if (links[k].index == idx[i])
				name = links[k].name;
		cleanup_free char *what = xasprintf("interface %s of the host", name);

		add(out, n, name, what, &addrs[i]);
	}
	free(links);
	free(addrs);
	free(idx);
	if (rc == 0 && net_networks_load(&nw, e) < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < nw.n; i++)
		for (size_t k = 0; k < nw.v[i].naddrs; k++)
			if (nw.v[i].addrs[k].family == AF_INET) {
				cleanup_free char *what = xasprintf("bridge %s of networks.conf",
								    nw.v[i].name);

				add(out, n, nw.v[i].name, what, &nw.v[i].addrs[k]);
			}
	net_networks_free(&nw);
	if (rc < 0) {
		net_used_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void net_used_free(struct net_used *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].owner);
		free(v[i].what);
	}
	free(v);
}
