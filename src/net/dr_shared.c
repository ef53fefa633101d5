/* brig doctor JAIL of a shared-IP jail: its addresses on the host. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "net/dr.h"
#include "net/net.h"
#include "util/mem.h"

/* A shared-IP jail: each address on its interface (or the host's). */
void dr_shared(struct dctx *c)
{
	struct nl_addr *av = NULL;
	int *ai = NULL;
	size_t an = 0;
	struct brig_err e = { 0 };

	if (nl_addr_list(&c->hn, 0, &av, &ai, &an, &e) < 0) {
		dr_hop(c, "host", "addresses", NDR_FAIL, e.msg, NULL, NULL);
		return;
	}
	for (int k = 0; k < 2; k++) {
		const struct jaddr *v = k ? c->d->ip6 : c->d->ip4;
		size_t n = k ? c->d->nip6 : c->d->nip4;
		enum jparam id = k ? JP_IP6_ADDR : JP_IP4_ADDR;

		for (size_t i = 0; i < n; i++) {
			const char *iface = v[i].iface ? v[i].iface : jd_nonempty(c->d, JP_INTERFACE);
			cleanup_free char *hn = xasprintf("address %s", v[i].bare);
			cleanup_free char *w = dr_where(c->d, id);
			struct nl_addr a;
			struct nl_link l;
			char seen[96];
			int on = 0, r;

			if (net_addr_parse(v[i].bare, k ? AF_INET6 : AF_INET, false, &a))
				continue;
			for (size_t x = 0; x < an; x++)
				if (net_addr_same(&av[x], &a))
					on = ai[x];
			if (!on) {
				dr_hop(c, "host", hn, NDR_FAIL, "on no interface of the host",
				       iface ? iface : "on an interface of the host",
				       iface ? "brig restart %s (brig adds it to %s at start; %s at %s)"
					     : "add it to an interface of the host (%s%s%s at %s has no "
					       "interface)", c->name, iface ? iface : "", jd_name(id), w);
				continue;
			}
			char ifn[IF_NAMESIZE] = "?";

			if_indextoname((unsigned)on, ifn);
			snprintf(seen, sizeof(seen), "on %s", ifn);
			r = iface ? nl_link_get(&c->hn, iface, &l, &e) : 0;
			if (iface && r > 0 && !(l.flags & IFF_UP))
				dr_hop(c, "host", hn, NDR_FAIL, "its interface is down", "on an up interface",
				       "bring %s up on the host", iface);
			else
				dr_hop(c, "host", hn, NDR_OK, seen, iface ? iface : "on the host", NULL);
		}
	}
	free(av);
	free(ai);
}
