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
	int rc;

	memset(nw, 0, sizeof(*nw));
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
	rc = net_networks_from_conf(nw, c, e);
	if (rc < 0)
		conf_free(c);
	else
		nw->conf = c;
	nw->loaded = rc == 0;
	return rc;
}

int net_networks_lookup(struct net_networks *nw, const char *name,
			const struct net_bridge **out, struct brig_err *e)
{
	if (!nw->loaded && net_networks_load(nw, e) < 0)
		return -1;
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
static int bridge_addrs(struct net_bridge *b, const struct conf_jail *j, const char *param,
			int family, size_t *cap, struct brig_err *e)
{
	const struct conf_param *p = conf_param(j, param);
	const char *why;

	for (size_t i = 0; p && i < p->nvalues; i++) {
		struct nl_addr a;

		if ((why = net_addr_parse(p->values[i], family, true, &a)))
			return brig_err_set(e, 0, "%s: bridge %s: %s \"%s\": %s",
					    j->file ? j->file : "networks.conf", b->name, param,
					    p->values[i], why);
		b->addrs = xgrow(b->addrs, cap, b->naddrs, sizeof(*b->addrs));
		b->addrs[b->naddrs++] = a;
	}
	return 0;
}

/* One block of networks.conf. */
static int bridge_from(struct net_bridge *b, const struct conf_jail *j, struct brig_err *e)
{
	const char *file = j->file ? j->file : "networks.conf";
	size_t cap = 0;
	const char *why;
	long long mtu;

	b->name = j->name;
	if ((why = net_ifname_invalid(b->name)))
		return brig_err_set(e, 0, "%s: bridge \"%s\": %s", file, b->name, why);
	if (bridge_addrs(b, j, "ip4.addr", AF_INET, &cap, e) < 0 ||
	    bridge_addrs(b, j, "ip6.addr", AF_INET6, &cap, e) < 0)
		return -1;
	b->nat = conf_bool(j, "nat", false);
	b->isolate = conf_bool(j, "isolate", false);
	mtu = conf_int(j, "mtu", 0);
	if (mtu != 0 && (mtu < 68 || mtu > 65535))
		return brig_err_set(e, 0, "%s: bridge %s: mtu %lld: out of range (68 to 65535)",
				    file, b->name, mtu);
	b->mtu = (int)mtu;
	return net_host_parse(b, j, e);
}

int net_networks_from_conf(struct net_networks *nw, const struct conf *c, struct brig_err *e)
{
	memset(nw, 0, sizeof(*nw));
	nw->v = xcalloc(c->njails, sizeof(*nw->v));
	for (size_t i = 0; i < c->njails; i++) {
		if (bridge_from(&nw->v[nw->n++], &c->jails[i], e) < 0) {
			net_networks_free(nw);
			return -1;
		}
	}
	return 0;
}

void net_networks_free(struct net_networks *nw)
{
	for (size_t i = 0; i < nw->n; i++) {
		free(nw->v[i].addrs);
		free(nw->v[i].host);
	}
	free(nw->v);
	if (nw->conf)
		conf_free(nw->conf);
	memset(nw, 0, sizeof(*nw));
}

const struct net_bridge *net_networks_find(const struct net_networks *nw, const char *name)
{
	for (size_t i = 0; i < nw->n; i++)
		if (!strcmp(nw->v[i].name, name))
			return &nw->v[i];
	return NULL;
}
