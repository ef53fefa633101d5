/* brig doctor JAIL: the host end of each veth pair, and its bridge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/dr.h"
#include "net/net.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The host end of each veth pair and its bridge. */
void dr_link(struct dctx *c)
{
	struct brig_err e = { 0 };
	char rf[160];

	dr_restart_fix(c, rf, sizeof(rf));
	for (size_t i = 0; i < c->m.nifs; i++) {
		const struct net_if *f = &c->m.ifs[i];
		struct dr_if *di = &c->di[i];
		cleanup_free char *hn = NULL, *bn = NULL, *exp = NULL;
		int r;

		if (!f->bridge)
			continue;
		bn = xasprintf("bridge %s", f->bridge);
		r = nl_link_get(&c->hn, f->bridge, &di->bl, &e);
		di->bfound = r > 0 && !strcmp(di->bl.kind, "bridge");
		hn = xasprintf("host end %s", f->hname);
		exp = xasprintf("up, in bridge %s", f->bridge);
		r = nl_link_get(&c->hn, f->hname, &di->hl, &e);
		di->hfound = r > 0;
		if (r <= 0)
			dr_hop(c, "link", hn, NDR_FAIL, r < 0 ? e.msg : "missing", exp, "%s", rf);
		else if (!(di->hl.flags & IFF_UP))
			dr_hop(c, "link", hn, NDR_FAIL, "down", exp, "%s", rf);
		else if (!di->bfound || di->hl.master != di->bl.index) {
			char seen[64], ifn[IF_NAMESIZE];

			snprintf(seen, sizeof(seen), "up, %s%s", di->hl.master ? "in " : "in no bridge",
				 di->hl.master ? (if_indextoname((unsigned)di->hl.master, ifn)
							 ? ifn : "another bridge") : "");
			dr_hop(c, "link", hn, NDR_FAIL, seen, exp, "%s", rf);
		} else if (!(di->hl.flags & IFF_LOWER_UP)) {
			dr_hop(c, "link", hn, NDR_FAIL, "up, no carrier (the jail's end is down)", exp,
			       "%s", rf);
		} else if (di->hl.port_state >= 0 && di->hl.port_state != 3) {
			static const char *const states[] = { "disabled", "listening", "learning",
							      "forwarding", "blocking" };
			cleanup_free char *seen = xasprintf("up, in the bridge, port state %s",
							    di->hl.port_state < 5 ? states[di->hl.port_state]
										 : "unknown");

			dr_hop(c, "link", hn, NDR_FAIL, seen, "port state forwarding", "%s (STP on "
			       "bridge %s? brig makes its bridges without it)", rf, f->bridge);
		} else if (di->bfound && di->hl.mtu != di->bl.mtu) {
			char seen[64], want[64];

			snprintf(seen, sizeof(seen), "MTU %d", di->hl.mtu);
			snprintf(want, sizeof(want), "MTU %d (bridge %s's)", di->bl.mtu, f->bridge);
			dr_hop(c, "link", hn, NDR_FAIL, seen, want, "%s", rf);
		} else
			dr_hop(c, "link", hn, NDR_OK, "up, in the bridge", exp, NULL);

		/* The bridge: present, up, its declared addresses. */
		cleanup_free char *fix = di->decl ? xasprintf("brig net up %s", f->bridge)
						  : xasprintf("bridge %s is not declared in networks.conf: "
							      "bring it up yourself, or declare it",
							      f->bridge);
		if (!di->bfound) {
			dr_hop(c, "link", bn, NDR_FAIL, r < 0 ? e.msg : "missing", "present, up", "%s", fix);
			continue;
		}
		if (!(di->bl.flags & IFF_UP)) {
			dr_hop(c, "link", bn, NDR_FAIL, "down", "up", "%s", fix);
			continue;
		}
		dr_hop(c, "link", bn, NDR_OK, "up", "up", NULL);
		if (!di->decl || !di->decl->naddrs)
			continue;
		struct nl_addr *av = NULL;
		size_t an = 0;
		struct strbuf miss = STRBUF_INIT, want = STRBUF_INIT;
		cleanup_free char *an_name = xasprintf("bridge %s addresses", f->bridge);
		cleanup_free char *seen = NULL;
		cleanup_free int *ai = NULL;
		char t[64];

		if (nl_addr_list(&c->hn, di->bl.index, &av, &ai, &an, &e) < 0) {
			dr_hop(c, "link", an_name, NDR_FAIL, e.msg, NULL, NULL);
			continue;
		}
		for (size_t k = 0; k < di->decl->naddrs; k++) {
			const struct nl_addr *want_a = &di->decl->addrs[k];
			bool have = false;

			for (size_t a = 0; a < an; a++)
				have = have || (net_addr_same(&av[a], want_a) && av[a].plen == want_a->plen);
			dr_fmt(want_a, true, t, sizeof(t));
			sb_addf(&want, "%s%s", want.len ? ", " : "", t);
			if (!have)
				sb_addf(&miss, "%s%s", miss.len ? ", " : "", t);
		}
		{
			char *s4 = dr_addrs_text(av, ai, an, di->bl.index, AF_INET);
			char *s6 = dr_addrs_text(av, ai, an, di->bl.index, AF_INET6);

			seen = s4 && s6 ? xasprintf("%s, %s", s4, s6) : s4 ? xstrdup(s4) : s6 ? xstrdup(s6) : NULL;
			free(s4);
			free(s6);
		}
		if (miss.len) {
			cleanup_free char *nw = dr_nwhere(c, f->bridge, NP_IP4_ADDR);

			dr_hop(c, "link", an_name, NDR_FAIL, seen, want.s, "brig net up %s (adds %s, "
			       "declared at %s)", f->bridge, miss.s, nw);
		} else {
			dr_hop(c, "link", an_name, NDR_OK, seen, want.s, NULL);
		}
		sb_free(&miss);
		sb_free(&want);
		free(av);
	}
}
