/* Bridges: a declared one is made to match networks.conf; an undeclared
 * one is the admin's and only looked at. */
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"
#include "sys/nft.h"
#include "sys/sysctl_net.h"
#include "util/mem.h"

/* Look bridge `name` up: 1 if it exists (and is a bridge), 0 if not. */
static int get_bridge(struct nl *nl, const char *name, struct nl_link *l, struct brig_err *e)
{
	int r = nl_link_get(nl, name, l, e);

	if (r > 0 && strcmp(l->kind, "bridge") != 0)
		return brig_err_set(e, 0, "bridge %s: an interface of that name exists and is not "
				    "a bridge (it is %s%s)", name, l->kind[0] ? "a " : "",
				    l->kind[0] ? l->kind : "a physical interface");
	return r;
}

/* The bridge's rules, the forwarding its NAT needs and, with an IPv4
 * address, route_localnet: the host's own connections to 127.0.0.1:PORT
 * that an rdr sends to a jail leave through the bridge with their loopback
 * source (masqueraded there), and their replies come back to 127.0.0.1.
 * It belongs to the bridge (it goes when the bridge is deleted) and is
 * turned on only after the rules, whose guard drops what else arrives on
 * the bridge for 127.0.0.0/8. */
static int sync_rules(const struct net_bridge *b, struct brig_err *e)
{
	cleanup_free char *tag = net_tag_bridge(b->name);
	cleanup_free char *rules = net_rules_bridge(b);

	if (nft_replace_tag(tag, rules, e) < 0)
		return -1;
	for (size_t i = 0; b->nat && i < b->naddrs; i++)
		if (sysctl_net_forwarding(b->addrs[i].family, e) < 0)
			return -1;
	if (net_bridge_ipv4(b) && sysctl_net_route_localnet_on(b->name, e) < 0)
		return -1;
	return 0;
}

/* Create (if missing), address, rule and bring up b; under the lock. */
static int sync_locked(struct nl *nl, const struct net_bridge *b, struct brig_err *e)
{
	struct nl_link l;
	struct nl_link_attrs a;
	uint8_t mac[6];
	int r;

	if ((r = get_bridge(nl, b->name, &l, e)) < 0)
		return -1;
	if (r == 0) {
		/* A fixed MAC: otherwise the bridge takes the lowest of its
		 * ports' and changes as jails come and go, and every jail's
		 * ARP entry for the gateway goes stale. */
		net_mac(b->name, "bridge", mac);
		if (nl_bridge_add(nl, b->name, mac, b->mtu, e) < 0)
			return -1;
		if ((r = get_bridge(nl, b->name, &l, e)) < 0)
			return -1;
		if (r == 0)
			return brig_err_set(e, 0, "gone right after its creation");
	}
	for (size_t i = 0; i < b->naddrs; i++)
		if (nl_addr_add(nl, l.index, &b->addrs[i], e) < 0)
			return -1;
	if (sync_rules(b, e) < 0)
		return -1;
	nl_link_attrs_init(&a);
	a.up = true;
	if (b->mtu && l.mtu != b->mtu)
		a.mtu = b->mtu;
	return nl_link_set(nl, l.index, &a, e);
}

int net_bridge_sync(struct nl *nl, const struct net_bridge *b, struct brig_err *e)
{
	int fd = net_lock(e);
	int rc;

	if (fd < 0)
		return -1;
	rc = sync_locked(nl, b, e);
	net_unlock(fd);
	if (rc < 0)
		return brig_err_wrap(e, "bridge %s", b->name);
	return 0;
}

/* Whether declared bridge name (which is up) lacks route_localnet. */
static bool stale(struct net_networks *nw, const char *name)
{
	const struct net_bridge *b;
	struct brig_err ignored = { 0 };

	if (sysctl_net_route_localnet_get(name, &ignored) != 0)
		return false;
	return net_networks_lookup(nw, name, &b, &ignored) == 0 && b && net_bridge_ipv4(b);
}

int net_bridge_ensure(struct nl *nl, const char *name, struct net_networks *nw,
		      int *index, int *mtu, struct brig_err *e)
{
	const struct net_bridge *b;
	struct nl_link l;
	int r = get_bridge(nl, name, &l, e);

	if (r < 0)
		return -1;
	/* A declared bridge that is up has been set up: the last step of a
	 * sync is bringing it up. One brought up by an older brig lacks
	 * route_localnet and its guard: a sync adds them. */
	if (r == 0 || !(l.flags & IFF_UP) || stale(nw, name)) {
		if (net_networks_lookup(nw, name, &b, e) < 0)
			return -1;
		if (!b && r == 0)
			return brig_err_set(e, 0, "bridge %s does not exist and networks.conf does "
					    "not declare it (declare it there, or create it)", name);
		if (b && (net_bridge_sync(nl, b, e) < 0 || get_bridge(nl, name, &l, e) < 0))
			return -1;
	}
	*index = l.index;
	*mtu = l.mtu;
	return 0;
}
