/* brig doctor JAIL: /etc/resolv.conf read beneath the jail's root, and
 * each nameserver asked from inside the jail. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/dr.h"
#include "net/net.h"
#include "util/beneath.h"
#include "util/mem.h"

/* A nameserver at one of the jail's bridges' own addresses, on a bridge
 * whose `host` list lets no DNS (53/udp) through: named, with where. */
static bool host_blocks_dns(struct dctx *c, const struct nl_addr *a, const char *hn)
{
	for (size_t i = 0; i < c->m.nifs; i++) {
		const struct net_bridge *b = c->di[i].decl;
		bool mine = false, open = false;

		for (size_t k = 0; b && k < b->naddrs; k++)
			mine = mine || net_addr_same(&b->addrs[k], a);
		if (!mine || !b->host_limited)
			continue;
		for (size_t k = 0; k < b->nhost; k++)
			open = open || (b->host[k].proto == IPPROTO_UDP && b->host[k].lo <= 53 &&
					b->host[k].hi >= 53);
		if (open)
			return false;
		cleanup_free char *w = dr_nwhere(c, b->name, NP_HOST);
		cleanup_free char *seen = xasprintf("bridge %s's `host` list keeps DNS out", b->name);
		dr_hop(c, "jail", hn, NDR_FAIL, seen, "answers DNS", "add \"53/udp\" (and \"53/tcp\") "
		       "to host at %s, then brig net up %s", w, b->name);
		return true;
	}
	return false;
}

/* /etc/resolv.conf in the jail, and each nameserver (up to 3) answering a
 * DNS query from inside the jail. */
void dr_resolv(struct dctx *c)
{
	char path[64], buf[4096], why[160];
	struct brig_err e = { 0 };
	int root, fd, count = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/root", (int)c->j->init_pid);
	root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	fd = root < 0 ? -1 : beneath_open(root, "etc/resolv.conf", O_RDONLY | O_CLOEXEC, &e);
	if (root >= 0)
		close(root);
	if (fd < 0) {
		dr_hop(c, "jail", "/etc/resolv.conf", NDR_FAIL, e.errnum == ELOOP ? "a symlink" : "missing",
		       "nameserver ADDR", "write /etc/resolv.conf in the jail (`brig exec %s sh -c "
		       "'echo nameserver %s > /etc/resolv.conf'`)", c->name,
		       c->m.gw4.set ? c->m.gw4.text : "ADDR");
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *line = strtok(buf, "\n"); line && count < 3; line = strtok(NULL, "\n")) {
		char addr[64];
		struct nl_addr a;
		struct nl_route rt;

		if (sscanf(line, " nameserver %63s", addr) != 1)
			continue;
		count++;
		cleanup_free char *hn = xasprintf("nameserver %s", addr);
		if (net_addr_parse(addr, AF_UNSPEC, false, &a)) {
			dr_hop(c, "jail", hn, NDR_WARN, "not an address", NULL, NULL);
			continue;
		}
		if (nl_route_get(&c->jn, &a, &rt, &e) <= 0) {
			dr_hop(c, "jail", hn, NDR_FAIL, "no route to it from the jail", "answers DNS",
			       "see the default route hops above");
			continue;
		}
		if (host_blocks_dns(c, &a, hn))
			continue;
		if (dr_dns(c->nsfd, &a, DR_PROBE_MS, why, sizeof(why)) == 1)
			dr_hop(c, "jail", hn, NDR_OK, "answers DNS", "answers DNS", NULL);
		else
			dr_hop(c, "jail", hn, NDR_FAIL, why, "answers DNS",
			       "point /etc/resolv.conf of the jail at a server that answers%s%s, or "
			       "start one there", c->m.gw4.set ? " (e.g. " : "",
			       c->m.gw4.set ? c->m.gw4.text : "");
	}
	if (!count)
		dr_hop(c, "jail", "/etc/resolv.conf", NDR_FAIL, "no nameserver line", "nameserver ADDR",
		       "add `nameserver ADDR` to /etc/resolv.conf in the jail");
}
