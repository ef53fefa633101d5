/* Every clash of one jail with the others, value by value: check.c's
 * refusal names the first; brig import --trust renames a clashing
 * interface and leaves out a clashing address or rdr, saying so. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net/model.h"
#include "net/net.h"
#include "util/mem.h"

static void add(struct net_clashes *out, enum jparam param, const char *value, char *why,
		const char *fresh)
{
	struct net_clash *c;

	/* One entry per value: the first other jail it clashes with. */
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].param == param && !strcmp(out->v[i].value, value)) {
			free(why);
			return;
		}
	out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
	c = &out->v[out->n++];
	c->param = param;
	c->value = xstrdup(value);
	c->why = why;
	c->fresh = fresh ? xstrdup(fresh) : NULL;
}

/* A jail-side name for m's interface i that no other jail is likely to
 * use: epair_NAMEb (epair_NAME_Ib past the first) as the seed names them,
 * else (too long) e + 8 hex digits of a hash of the name + b. */
static void fresh_name(const struct net_jail *m, size_t i, char out[IFNAMSIZ])
{
	char buf[64];
	uint32_t h = 2166136261u;

	if (i == 0)
		snprintf(buf, sizeof(buf), "epair_%sb", m->name);
	else
		snprintf(buf, sizeof(buf), "epair_%s_%zub", m->name, i);
	if (strlen(buf) <= NET_IFNAME_MAX && !net_ifname_invalid(buf)) {
		memcpy(out, buf, strlen(buf) + 1);
		return;
	}
	for (const char *p = m->name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h ^= (uint32_t)i;
	snprintf(out, IFNAMSIZ, "e%08xb", (unsigned)h);
}

void net_pair_clashes(const struct net_jail *m, const struct net_jail *o, struct net_clashes *out)
{
	for (size_t i = 0; i < m->nips; i++) {
		const char *b = m->ifs[m->ips[i].ifi].bridge;

		for (size_t k = 0; b && k < o->nips; k++) {
			const char *ob = o->ifs[o->ips[k].ifi].bridge;

			if (ob && !strcmp(b, ob) && net_addr_same(&m->ips[i].a, &o->ips[k].a))
				add(out, m->ips[i].a.family == AF_INET ? JP_IP4_ADDR : JP_IP6_ADDR,
				    m->ips[i].text, xasprintf("jail %s has the same address on bridge %s",
							      o->name, b), NULL);
		}
	}
	for (size_t i = 0; i < m->nifs; i++) {
		char fresh[IFNAMSIZ];

		for (size_t k = 0; !m->ifs[i].default_name && k < o->nifs; k++) {
			if (o->ifs[k].default_name || strcmp(m->ifs[i].hname, o->ifs[k].hname))
				continue;
			/* A veth pair can be named anew; a host interface
			 * moved in is the one it is. */
			if (m->ifs[i].bridge)
				fresh_name(m, i, fresh);
			add(out, JP_VNET_INTERFACE, m->ifs[i].jname,
			    xasprintf("jail %s uses the same host interface %s", o->name, m->ifs[i].hname),
			    m->ifs[i].bridge ? fresh : NULL);
		}
	}
	for (size_t i = 0; i < m->nrdrs; i++)
		for (size_t k = 0; k < o->nrdrs; k++)
			if (net_rdr_clash(&m->rdrs[i], &o->rdrs[k]))
				add(out, JP_RDR, m->rdrs[i].text,
				    xasprintf("host port %s/%d is also forwarded by jail %s (rdr \"%s\")",
					      net_proto_name(m->rdrs[i].proto), m->rdrs[i].hport, o->name,
					      o->rdrs[k].text), NULL);
}

int net_jail_clashes(struct net_plan *p, const struct jail_def *d, struct net_clashes *out)
{
	struct brig_err ignored;
	const struct net_jail *m = net_plan_jail(p, d, &ignored), *o;

	*out = (struct net_clashes){ 0 };
	/* Incomplete: nothing to compare (as net_jail_clash). */
	for (size_t i = 0; m && (m->vnet || m->nrdrs) && p->set && i < p->set->n; i++)
		if ((o = net_plan_other(p, d, i)))
			net_pair_clashes(m, o, out);
	return (int)out->n;
}

void net_clashes_free(struct net_clashes *cl)
{
	for (size_t i = 0; i < cl->n; i++) {
		free(cl->v[i].value);
		free(cl->v[i].why);
		free(cl->v[i].fresh);
	}
	free(cl->v);
	*cl = (struct net_clashes){ 0 };
}
