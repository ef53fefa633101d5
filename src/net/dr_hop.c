/* brig doctor JAIL's hops, the helpers every net/dr_*.c shares: a hop
 * reported, where a parameter is set, addresses as text. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net/dr.h"
#include "net/net.h"
#include "util/mem.h"
#include "util/strbuf.h"

void dr_hop(struct dctx *c, const char *section, const char *name, enum ndr st, const char *seen,
	    const char *expected, const char *fix, ...)
{
	char *f = NULL;

	if (fix) {
		va_list ap;

		va_start(ap, fix);
		if (vasprintf(&f, fix, ap) < 0)
			abort();
		va_end(ap);
	}
	c->j->hop(c->j->arg, section, name, st, seen, expected, f);
	free(f);
}

char *dr_where(const struct jail_def *d, enum jparam id)
{
	const struct conf_pos *at = &jd_val(d, id)->at;

	if (at->file)
		return xasprintf("%s:%d", at->file, at->line);
	if (d->at.file)
		return xasprintf("the block of jail %s at %s:%d", d->name, d->at.file, d->at.line);
	return xasprintf("the configuration of jail %s", d->name);
}

char *dr_nwhere(const struct dctx *c, const char *bridge, enum nparam id)
{
	for (size_t i = 0; c->nw_ok && i < c->nw.ndefs; i++) {
		const struct net_def *nd = &c->nw.defs[i];

		if (strcmp(nd->name, bridge) != 0)
			continue;
		if (nd->p[id].at.file)
			return xasprintf("%s:%d", nd->p[id].at.file, nd->p[id].at.line);
		if (nd->at.file)
			return xasprintf("the block of %s at %s:%d", bridge, nd->at.file, nd->at.line);
	}
	return xstrdup("networks.conf");
}

const char *dr_fmt(const struct nl_addr *a, bool len, char *buf, size_t size)
{
	net_addr_fmt(a, len, false, buf, size);
	return buf;
}

char *dr_addrs_text(const struct nl_addr *v, const int *idx, size_t n, int ifindex, int family)
{
	struct strbuf sb = STRBUF_INIT;
	char t[64];

	for (size_t i = 0; i < n; i++) {
		if (idx[i] != ifindex || v[i].family != family)
			continue;
		if (family == AF_INET6 && v[i].addr[0] == 0xfe && (v[i].addr[1] & 0xc0) == 0x80)
			continue;	/* link-local: not configured */
		if (sb.len)
			sb_adds(&sb, ", ");
		sb_adds(&sb, dr_fmt(&v[i], true, t, sizeof(t)));
	}
	return sb.len ? sb_steal(&sb) : NULL;
}

const char *dr_restart_fix(struct dctx *c, char *buf, size_t n)
{
	snprintf(buf, n, "brig restart %s (brig makes the jail's network at start)", c->name);
	return buf;
}

void dr_jname(const struct dctx *c, int ifindex, char ifn[IF_NAMESIZE])
{
	snprintf(ifn, IF_NAMESIZE, "?");
	for (size_t i = 0; c->di && i < c->m.nifs; i++)	/* di: vnet jails only */
		if (c->di[i].jfound && c->di[i].jl.index == ifindex)
			snprintf(ifn, IF_NAMESIZE, "%s", c->m.ifs[i].jname);
}
