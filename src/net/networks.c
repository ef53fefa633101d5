/* networks.conf: the bridges brig manages, one block each. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"
#include "util/mem.h"
#include "util/paths.h"

int net_networks_load(struct net_networks *nw, struct brig_err *e)
{
	const char *dir = brig_confdir();
	struct conf_source src = { .schema = CONF_SCHEMA_NETWORKS, .confdir = dir };
	struct diag d = { 0 };
	struct conf *c = NULL;

	nw->nloads++;
	if (conf_load(&src, &c, &d) < 0) {
		const char *first = "unknown error";

		for (size_t i = 0; i < d.n; i++)
			if (d.msgs[i].level == DIAG_ERROR) {
				first = d.msgs[i].text;
				break;
			}
		brig_err_set(e, 0, "%s/networks.conf: %s", dir, first);
		diag_free(&d);
		return -1;
	}
	diag_free(&d);
	nw->conf = c;
	nw->defs = net_defs_build(c, &nw->ndefs);
	return net_networks_from_defs(nw, nw->defs, nw->ndefs, e);
}

int net_networks_lookup(struct net_networks *nw, const char *name,
			const struct net_bridge **out, struct brig_err *e)
{
	if (!nw->loaded) {
		nw->loaded = true;
		if (net_networks_load(nw, e) < 0)
			nw->err = xstrdup(e->msg);
	}
	*out = NULL;
	if (nw->err)
		return brig_err_set(e, 0, "%s", nw->err);
	*out = net_networks_find(nw, name);
	return 0;
}

bool net_bridge_ipv4(const struct net_bridge *b)
{
	for (size_t i = 0; i < b->naddrs; i++)
		if (b->addrs[i].family == AF_INET)
			return true;
	return false;
}

/* ip4.addr or ip6.addr of one bridge: the host's addresses, with length. */
static int bridge_addrs(struct net_bridge *b, const struct net_def *d, enum nparam id,
			int family, size_t *cap, struct brig_err *e)
{
	size_t n;
	char *const *v = nd_list(d, id, &n);
	const char *why;

	for (size_t i = 0; i < n; i++) {
		struct nl_addr a;

		if ((why = net_addr_parse(v[i], family, true, &a)))
			return brig_err_set(e, 0, "%s: bridge %s: %s \"%s\": %s",
					    d->at.file ? d->at.file : "networks.conf", b->name,
					    nd_name(id), v[i], why);
		b->addrs = xgrow(b->addrs, cap, b->naddrs, sizeof(*b->addrs));
		b->addrs[b->naddrs++] = a;
	}
	return 0;
}

/* One block of networks.conf. */
static int bridge_from(struct net_bridge *b, const struct net_def *d, struct brig_err *e)
{
	const char *file = d->at.file ? d->at.file : "networks.conf";
	size_t cap = 0;
	const char *why;
	long long mtu;

	b->name = d->name;
	if ((why = net_ifname_invalid(b->name)))
		return brig_err_set(e, 0, "%s: bridge \"%s\": %s", file, b->name, why);
	if (bridge_addrs(b, d, NP_IP4_ADDR, AF_INET, &cap, e) < 0 ||
	    bridge_addrs(b, d, NP_IP6_ADDR, AF_INET6, &cap, e) < 0)
		return -1;
	b->nat = nd_on(d, NP_NAT);
	b->isolate = nd_on(d, NP_ISOLATE);
	mtu = nd_int(d, NP_MTU);
	if (mtu != 0 && (mtu < 68 || mtu > 65535))
		return brig_err_set(e, 0, "%s: bridge %s: mtu %lld: out of range (68 to 65535)",
				    file, b->name, mtu);
	b->mtu = (int)mtu;
	return net_host_parse(b, d, e);
}

int net_networks_from_defs(struct net_networks *nw, const struct net_def *v, size_t n,
			   struct brig_err *e)
{
	nw->v = xcalloc(n + 1, sizeof(*nw->v));
	for (size_t i = 0; i < n; i++)
		if (bridge_from(&nw->v[nw->n++], &v[i], e) < 0)
			return -1;
	return 0;
}

void net_networks_free(struct net_networks *nw)
{
	for (size_t i = 0; i < nw->n; i++) {
		free(nw->v[i].addrs);
		free(nw->v[i].host);
	}
	free(nw->v);
	net_defs_free(nw->defs, nw->ndefs);
	if (nw->conf)
		conf_free(nw->conf);
	free(nw->err);
	memset(nw, 0, sizeof(*nw));
}

const struct net_bridge *net_networks_find(const struct net_networks *nw, const char *name)
{
	for (size_t i = 0; i < nw->n; i++)
		if (!strcmp(nw->v[i].name, name))
			return &nw->v[i];
	return NULL;
}
