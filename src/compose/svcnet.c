/* A service's networks: one veth pair per network it joins (vnet.bridge,
 * a list), its address on each (a fixed ipv4_address, checked against
 * the network's subnet, or the next free one), its aliases there; and
 * each jail's /etc/hosts: every service it shares a network with, by its
 * name, its jail's, its container_name and its aliases on that network,
 * at its address there (as Docker's DNS answers a name per network). */
#include <arpa/inet.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/internal.h"
#include "util/mem.h"

/* The most networks a service joins (vnet.bridge's bound). */
#define SVC_NETS_MAX 99

static void ip_text(char *buf, uint32_t a)
{
	struct in_addr in = { htonl(a) };

	inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* a in n's IPv6 subnet. */
static bool in6(const struct cx_net *n, const uint8_t *a)
{
	for (int i = 0; i < 16; i++) {
		int keep = n->prefix6 - 8 * i;
		uint8_t m = keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));

		if ((a[i] & m) != n->base6[i])
			return false;
	}
	return true;
}

static bool taken6(const struct cx *c, const struct cx_net *n, const uint8_t *a)
{
	for (size_t i = 0; i < c->nsvc; i++)
		for (size_t k = 0; k < c->svc[i].natt; k++)
			if (c->svc[i].att[k].net == n && c->svc[i].att[k].has6 &&
			    !memcmp(c->svc[i].att[k].addr6, a, 16))
				return true;
	return false;
}

/* n's subnet with host part h (below 2^64, within the prefix). */
static void host6(const struct cx_net *n, uint64_t h, uint8_t *out)
{
	memcpy(out, n->base6, 16);
	for (int i = 15; i >= 8; i--, h >>= 8)
		out[i] |= (uint8_t)(h & 0xff);
}

/* The service's attachment to network name: a new one, or one an
 * earlier layer (extends) made, at index < from, to merge into. */
static struct cx_att *att_add(struct cx *c, struct cx_svc *s, struct fy_node *at,
			      const char *where, const char *name, size_t from)
{
	struct cx_net *n = cx_net_get(c, name);

	if (!n) {
		cx_unsup(c, at, where, "network \"%s\" is not declared", name);
		return NULL;
	}
	for (size_t i = 0; i < s->natt; i++)
		if (s->att[i].net == n && i < from) {
			return &s->att[i];
		} else if (s->att[i].net == n) {
			cx_unsup(c, at, where, "network \"%s\" named twice", name);
			return NULL;
		}
	if (s->natt == SVC_NETS_MAX) {
		cx_unsup(c, at, where, "network \"%s\": a jail joins at most %d", name, SVC_NETS_MAX);
		return NULL;
	}
	s->att = xrealloc(s->att, (s->natt + 1) * sizeof(*s->att));
	memset(&s->att[s->natt], 0, sizeof(*s->att));
	s->att[s->natt].net = n;
	return &s->att[s->natt++];
}

static bool taken(const struct cx *c, const struct cx_net *n, uint32_t x)
{
	for (size_t i = 0; i < c->nsvc; i++)
		for (size_t k = 0; k < c->svc[i].natt; k++)
			if (c->svc[i].att[k].net == n && c->svc[i].att[k].addr == x)
				return true;
	return false;
}

/* ipv4_address: in the network's declared subnet, not its network,
 * gateway (.1) or broadcast address, no other service's. */
static void fixed_addr(struct cx *c, struct cx_att *a, struct fy_node *v, const char *where)
{
	cleanup_free char *s = cx_str(c, v, where);
	struct cx_net *n = a->net;
	struct in_addr in;
	char sub[INET_ADDRSTRLEN];
	uint32_t x, mask = ~0u << (32 - n->prefix);

	if (!s)
		return;
	ip_text(sub, n->base);
	x = inet_pton(AF_INET, s, &in) == 1 ? ntohl(in.s_addr) : 0;
	if (!x)
		cx_fail(c, v, where, "\"%s\" is not an IPv4 address", s);
	else if (!n->declared)
		cx_fail(c, v, where, "%s: network %s declares no subnet (ipam config subnet); a fixed "
		     "address needs one", s, n->name);
	else if ((x & mask) != n->base)
		cx_fail(c, v, where, "%s is not in network %s's subnet %s/%d", s, n->name, sub, n->prefix);
	else if (x == n->base || x == (n->base | ~mask) || x == n->base + 1)
		cx_fail(c, v, where, "%s is network %s's %s address", s, n->name,
		     x == n->base ? "network" : x == n->base + 1 ? "gateway" : "broadcast");
	else if (taken(c, n, x))
		cx_fail(c, v, where, "%s is another service's address on network %s", s, n->name);
	else
		a->addr = x;
}

/* ipv6_address: in the network's IPv6 subnet, not its first (the
 * subnet's own) or ::1 (the gateway), no other service's. */
static void fixed_addr6(struct cx *c, struct cx_att *a, struct fy_node *v, const char *where)
{
	cleanup_free char *s = cx_str(c, v, where);
	struct cx_net *n = a->net;
	uint8_t x[16], gw[16];

	if (!s)
		return;
	host6(n, 1, gw);
	if (inet_pton(AF_INET6, s, x) != 1)
		cx_fail(c, v, where, "\"%s\" is not an IPv6 address", s);
	else if (!n->prefix6)
		cx_fail(c, v, where, "%s: network %s declares no IPv6 subnet (ipam config subnet)",
			s, n->name);
	else if (!in6(n, x))
		cx_fail(c, v, where, "%s is not in network %s's IPv6 subnet", s, n->name);
	else if (!memcmp(x, n->base6, 16) || !memcmp(x, gw, 16))
		cx_fail(c, v, where, "%s is network %s's %s address", s, n->name,
			memcmp(x, gw, 16) ? "subnet" : "gateway");
	else if (taken6(c, n, x))
		cx_fail(c, v, where, "%s is another service's address on network %s", s, n->name);
	else
		memcpy(a->addr6, x, 16), a->has6 = true;
}

static bool has_alias(const struct cx_att *a, const char *name)
{
	for (size_t i = 0; i < a->naliases; i++)
		if (!strcmp(a->aliases[i], name))
			return true;
	return false;
}

static void aliases(struct cx *c, struct cx_att *a, struct fy_node *v, const char *where)
{
	struct fy_node *e;
	void *it = NULL;

	if (!v || !fy_node_is_sequence(v)) {
		cx_unsup(c, v, where, "expected a list of names");
		return;
	}
	while ((e = fy_node_sequence_iterate(v, &it))) {
		char *s = cx_str(c, e, where);

		if (s && a->naliases == CX_ALIASES_MAX) {
			cx_unsup(c, e, where, "\"%s\": more than %d aliases", s, CX_ALIASES_MAX);
			free(s);
		} else if (s && (!cx_name_ok(s) || strlen(s) > 63)) {
			cx_unsup(c, e, where, "\"%s\": not a host name", s);
			free(s);
		} else if (s && has_alias(a, s)) {
			free(s);	/* an extended service's, again */
		} else if (s) {
			cx_strv_push(&a->aliases, &a->naliases, s);
		}
	}
}

/* NETWORK: {aliases, ipv4_address, ...} of a service. */
static void att_opts(struct cx *c, struct cx_svc *s, struct cx_att *a, struct fy_node *v)
{
	struct fy_node_pair *p;
	void *it = NULL;

	if (!v || (fy_node_is_scalar(v) && !fy_node_get_scalar0(v)[0]))
		return;		/* "back:" alone (null) */
	if (!fy_node_is_mapping(v)) {
		if (!fy_node_is_scalar(v) || strcmp(fy_node_get_scalar0(v), "null"))
			cx_unsup(c, v, s->name, "network %s: expected a mapping", a->net->name);
		return;
	}
	while ((p = fy_node_mapping_iterate(v, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
		const char *key = k && fy_node_is_scalar(k) ? fy_node_get_scalar0(k) : "?";
		cleanup_free char *where = xasprintf("services.%s.networks.%s.%s", s->name,
						     a->net->name, key);

		if (!strncmp(key, "x-", 2))
			continue;
		if (!strcmp(key, "aliases"))
			aliases(c, a, val, where);
		else if (!strcmp(key, "ipv4_address"))
			a->fix4 = val, a->fix4_file = c->file;
		else if (!strcmp(key, "ipv6_address"))
			a->fix6 = val, a->fix6_file = c->file;
		else
			cx_unsup(c, k, where, "not mapped to a brig bridge");
	}
}

void cx_svc_networks(struct cx *c, struct cx_svc *s, struct fy_node *nets, bool has)
{
	cleanup_free char *where = xasprintf("services.%s.networks", s->name);
	struct fy_node_pair *p;
	struct fy_node *e;
	void *it = NULL;
	size_t from = s->natt;

	if (!has) {
		att_add(c, s, NULL, where, "default", from);
	} else if (nets && fy_node_is_sequence(nets)) {
		while ((e = fy_node_sequence_iterate(nets, &it))) {
			cleanup_free char *name = cx_str(c, e, where);

			if (name)
				att_add(c, s, e, where, name, from);
		}
	} else if (nets && fy_node_is_mapping(nets)) {
		while ((p = fy_node_mapping_iterate(nets, &it))) {
			struct fy_node *k = fy_node_pair_key(p);
			cleanup_free char *name = cx_str(c, k, where);
			struct cx_att *a = name ? att_add(c, s, k, where, name, from) : NULL;

			if (a)
				att_opts(c, s, a, fy_node_pair_value(p));
		}
	} else {
		cx_unsup(c, nets, where, "expected a list or a mapping");
	}
}

void cx_svc_fixed(struct cx *c, struct cx_svc *s)
{
	const char *file = c->file;

	for (size_t k = 0; k < s->natt && !c->err[0]; k++) {
		struct cx_att *a = &s->att[k];
		cleanup_free char *w4 = xasprintf("services.%s.networks.%s.ipv4_address", s->name,
						  a->net->name);
		cleanup_free char *w6 = xasprintf("services.%s.networks.%s.ipv6_address", s->name,
						  a->net->name);

		c->file = a->fix4_file;
		if (a->fix4)
			fixed_addr(c, a, a->fix4, w4);
		c->file = a->fix6_file;
		if (a->fix6 && !c->err[0])
			fixed_addr6(c, a, a->fix6, w6);
	}
	c->file = file;
}

void cx_svc_addresses(struct cx *c)
{
	for (size_t i = 0; i < c->nsvc; i++) {
		struct cx_svc *s = &c->svc[i];

		for (size_t k = 0; k < s->natt; k++) {
			struct cx_att *a = &s->att[k];
			struct cx_net *n = a->net;
			uint32_t hostmax;

			n->used = true;
			if (n->prefix6 && !a->has6) {
				uint8_t x[16];

				/* 2^16 tries at most: past them, none. */
				for (uint64_t t = 0; t < 65536 && !a->has6; t++, n->next6++) {
					host6(n, n->next6, x);
					if (in6(n, x) && !taken6(c, n, x))
						memcpy(a->addr6, x, 16), a->has6 = true;
				}
			}
			if (a->addr || !n->prefix)
				continue;
			hostmax = (1u << (32 - n->prefix)) - 2;
			while (n->next <= hostmax && taken(c, n, n->base + n->next))
				n->next++;
			if (n->next > hostmax) {
				cx_unsup(c, NULL, s->name, "network \"%s\" has no address left", n->name);
				continue;
			}
			a->addr = n->base + n->next++;
		}
	}
}

void cx_svc_network_conf(struct cx_svc *s, struct strbuf *out)
{
	char **br = NULL, **ip = NULL, **ip6 = NULL;
	size_t nbr = 0, nip = 0, nip6 = 0;
	const struct cx_net *router = NULL;

	for (size_t k = 0; k < s->natt; k++) {
		const struct cx_att *a = &s->att[k];
		char as[INET_ADDRSTRLEN];

		if (!a->addr)
			continue;
		ip_text(as, a->addr);
		cx_strv_push(&br, &nbr, xstrdup(a->net->bridge));
		cx_strv_push(&ip, &nip, nbr == 1 ? xasprintf("%s/%d", as, a->net->prefix) :
			     xasprintf("%s|%s/%d", a->net->bridge, as, a->net->prefix));
		if (a->has6) {
			char as6[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, a->addr6, as6, sizeof(as6));
			cx_strv_push(&ip6, &nip6, nbr == 1 ? xasprintf("%s/%d", as6, a->net->prefix6) :
				     xasprintf("%s|%s/%d", a->net->bridge, as6, a->net->prefix6));
		}
		if (!router && !a->net->internal)
			router = a->net;
	}
	if (nbr) {
		sb_adds(out, "\tvnet;\n");
		cx_param_list(out, "vnet.bridge", br, nbr);
		cx_param_list(out, "ip4.addr", ip, nip);
		cx_param_list(out, "ip6.addr", ip6, nip6);
	}
	if (router) {
		char gs[INET_ADDRSTRLEN];

		ip_text(gs, router->base + 1);
		cx_param(out, "ip4.defaultrouter", gs);
	}
	if (router && router->prefix6) {
		uint8_t g[16];
		char gs6[INET6_ADDRSTRLEN];

		host6(router, 1, g);
		inet_ntop(AF_INET6, g, gs6, sizeof(gs6));
		cx_param(out, "ip6.defaultrouter", gs6);
	}
	cx_strv_free(br, nbr);
	cx_strv_free(ip, nip);
	cx_strv_free(ip6, nip6);
}

/* s's attachment to n, or NULL. */
static const struct cx_att *att_on(const struct cx_svc *s, const struct cx_net *n)
{
	for (size_t k = 0; k < s->natt; k++)
		if (s->att[k].net == n && s->att[k].addr)
			return &s->att[k];
	return NULL;
}

/* NULL when it would be larger than CX_HOSTS_MAX. */
char *cx_hosts(const struct cx *c, const struct cx_svc *me)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "# Made by `brig compose import` (project %s).\n"
		     "127.0.0.1\tlocalhost\n::1\tlocalhost\n", c->project);
	for (size_t i = 0; i < c->nsvc && sb.len <= CX_HOSTS_MAX; i++) {
		const struct cx_svc *s = &c->svc[i];
		bool named = false;

		/* On each network both are on, in this jail's order: the
		 * first line has the service's names, each its aliases there. */
		for (size_t k = 0; k < me->natt; k++) {
			const struct cx_att *a = att_on(s, me->att[k].net);
			char as[INET_ADDRSTRLEN];

			if (!a || !me->att[k].addr || (named && !a->naliases))
				continue;
			struct strbuf names = STRBUF_INIT;
			char as6[INET6_ADDRSTRLEN];

			ip_text(as, a->addr);
			if (!named)
				sb_addf(&names, "%s %s_%s%s%s", s->name, c->project, s->name,
					s->alias ? " " : "", s->alias ? s->alias : "");
			for (size_t m = 0; m < a->naliases; m++)
				sb_addf(&names, "%s%s", named && !m ? "" : " ", a->aliases[m]);
			sb_addf(&sb, "%s\t%s\n", as, names.s);
			/* The IPv6 address too, when both are on IPv6 there. */
			if (a->has6 && me->att[k].has6 &&
			    inet_ntop(AF_INET6, a->addr6, as6, sizeof(as6)))
				sb_addf(&sb, "%s\t%s\n", as6, names.s);
			sb_free(&names);
			named = true;
		}
	}
	sb_adds(&sb, me->extra_hosts.s ? me->extra_hosts.s : "");
	if (sb.len > CX_HOSTS_MAX) {
		sb_free(&sb);
		return NULL;
	}
	return sb_steal(&sb);
}
