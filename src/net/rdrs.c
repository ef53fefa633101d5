/* A jail's rdr rules as paths to check (net_jail_rdrs, net/net.h). */
#include <stdlib.h>
#include <sys/socket.h>

#include "net/model.h"
#include "net/net.h"
#include "util/mem.h"

int net_jail_rdrs(const struct jail_def *d, struct net_rdr_path **out, size_t *n,
		  struct brig_err *e)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct net_rdr_path *v = NULL;
	size_t len = 0, cap = 0;
	struct net_jail m;

	if (net_jail_parse(d, &m, e) < 0)
		return -1;
	for (size_t i = 0; i < m.nrdrs; i++) {
		const struct net_rdr *r = &m.rdrs[i];

		for (size_t k = 0; k < 2; k++) {
			int f = families[k];
			const struct net_gw *gw = f == AF_INET ? &m.gw4 : &m.gw6;
			struct net_rdr_path *p;

			if (!net_rdr_applies(&m, r, f))
				continue;
			v = xgrow(v, &cap, len, sizeof(*v));
			p = &v[len++];
			*p = (struct net_rdr_path){ .proto = r->proto, .family = f, .hport = r->hport,
						    .jport = r->jport, .text = r->text };
			if (r->has_host)
				net_addr_fmt(&r->host, false, false, p->host, sizeof(p->host));
			net_addr_fmt(&net_jail_ip(&m, f)->a, false, false, p->jail, sizeof(p->jail));
			if (gw->set)
				net_addr_fmt(&gw->a, false, false, p->router, sizeof(p->router));
		}
	}
	net_jail_free(&m);
	*out = v;
	*n = len;
	return 0;
}
