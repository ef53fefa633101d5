/* A compose file's networks as bridges of networks.conf.d/P.conf, its
 * named volumes as directories of the store, and the .env and env_file
 * files (KEY=value lines). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/internal.h"
#include "util/mem.h"
#include "util/readfile.h"

static uint32_t fnv(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The bridge of network name: "P_NAME" when it fits an interface name,
 * else "cb" and a hash of both. */
static char *bridge_name(const char *project, const char *name)
{
	char *b = xasprintf("%s_%s", project, name);

	if (strlen(b) <= 15 && !strchr(b, '.'))
		return b;
	free(b);
	b = xasprintf("%s/%s", project, name);
	char *h = xasprintf("cb%08x", fnv(b));

	free(b);
	return h;
}

static bool overlaps(const struct cx *c, uint32_t base, int prefix)
{
	for (size_t i = 0; i < c->nnet; i++) {
		const struct cx_net *n = &c->net[i];
		int p = n->prefix < prefix ? n->prefix : prefix;
		uint32_t m = p ? ~0u << (32 - p) : 0;

		if (n->prefix && (n->base & m) == (base & m))
			return true;
	}
	return false;
}

static bool same_net(uint32_t a, int pa, uint32_t b, int pb)
{
	int p = pa < pb ? pa : pb;
	uint32_t m = p ? ~0u << (32 - p) : 0;

	return (a & m) == (b & m);
}

/* The host's subnet base/prefix overlaps, or NULL; the project's own
 * bridges (an earlier import's) do not count. */
static const struct compose_used *used_by(const struct cx *c, uint32_t base, int prefix)
{
	for (size_t i = 0; i < c->nused; i++) {
		const struct compose_used *u = &c->used[i];
		bool own = false;

		for (size_t k = 0; k < c->nnet && !own; k++)
			own = !strcmp(c->net[k].bridge, u->owner);
		if (!own && u->prefix >= 0 && u->prefix <= 32 &&
		    same_net(base, prefix, u->addr, u->prefix))
			return u;
	}
	return NULL;
}

static void subnet_text(char *buf, size_t size, uint32_t base, int prefix)
{
	struct in_addr in = { htonl(base) };
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &in, a, sizeof(a));
	snprintf(buf, size, "%s/%d", a, prefix);
}

static struct cx_net *add_net(struct cx *c, const char *name)
{
	struct cx_net *n;

	c->net = xrealloc(c->net, (c->nnet + 1) * sizeof(*c->net));
	n = &c->net[c->nnet++];
	memset(n, 0, sizeof(*n));
	n->name = xstrdup(name);
	n->bridge = bridge_name(c->project, name);
	n->next = 2;
	n->next6 = 2;
	return n;
}

/* subnet "ADDR/N" split: ADDR into addr (size bytes), N (lo to hi) into
 * *p; false when it is not one. */
static bool split_subnet(const char *s, char *addr, size_t size, long lo, long hi, long *p)
{
	const char *slash = strchr(s, '/');
	char *end;

	if (!slash || (size_t)(slash - s) >= size)
		return false;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	errno = 0;
	*p = strtol(slash + 1, &end, 10);
	return !*end && !errno && *p >= lo && *p <= hi;
}

/* subnet "A.B.C.D/N" (IPv4, /8 to /30) into n; false when it is not one. */
static bool parse_subnet(const char *s, struct cx_net *n)
{
	char addr[INET_ADDRSTRLEN];
	struct in_addr a;
	long p;

	if (!split_subnet(s, addr, sizeof(addr), 8, 30, &p) || inet_pton(AF_INET, addr, &a) != 1)
		return false;
	n->prefix = (int)p;
	n->base = ntohl(a.s_addr) & (~0u << (32 - p));
	return true;
}

/* subnet "ADDR/N" (IPv6, /48 to /120) into n's IPv6 subnet; false when
 * it is not one. */
static bool parse_subnet6(const char *s, struct cx_net *n)
{
	char addr[INET6_ADDRSTRLEN];
	long p;

	if (!split_subnet(s, addr, sizeof(addr), 48, 120, &p) ||
	    inet_pton(AF_INET6, addr, n->base6) != 1)
		return false;
	n->prefix6 = (int)p;
	for (int i = 0; i < 16; i++) {
		int keep = (int)p - 8 * i;

		n->base6[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
	}
	return true;
}

/* ipam.config: the first IPv4 subnet and the first IPv6 one. */
static void ipam(struct cx *c, struct cx_net *n, struct fy_node *v, const char *where)
{
	struct fy_node *cfg = fy_node_is_mapping(v) ?
		fy_node_mapping_lookup_by_string(v, "config", FY_NT) : NULL;
	struct fy_node *e;
	void *it = NULL;

	while (cfg && fy_node_is_sequence(cfg) && (e = fy_node_sequence_iterate(cfg, &it))) {
		struct fy_node *sn = fy_node_is_mapping(e) ?
			fy_node_mapping_lookup_by_string(e, "subnet", FY_NT) : NULL;
		cleanup_free char *s = sn ? cx_str(c, sn, where) : NULL;
		struct cx_net t = { 0 };

		if (!s)
			continue;
		if (strchr(s, ':')) {
			if (n->prefix6)
				cx_unsup(c, sn, where, "subnet \"%s\": only the first IPv6 subnet is mapped", s);
			else if (!parse_subnet6(s, &t))
				cx_unsup(c, sn, where, "subnet \"%s\": an IPv6 subnet /48 to /120 is mapped; "
					 "the network is IPv4 only", s);
			else
				memcpy(n->base6, t.base6, 16), n->prefix6 = t.prefix6, n->subnet6 = sn;
		} else if (n->prefix) {
			cx_unsup(c, sn, where, "subnet \"%s\": only the first IPv4 subnet is mapped", s);
		} else if (!parse_subnet(s, &t)) {
			cx_unsup(c, sn, where, "subnet \"%s\": only IPv4 subnets /8 to /30 are mapped; "
				 "one is allocated instead", s);
		} else if (c->nnet--, overlaps(c, t.base, t.prefix)) {
			c->nnet++;
			cx_unsup(c, sn, where, "subnet \"%s\" overlaps another network of the file; one "
				 "is allocated instead", s);
		} else {
			c->nnet++;
			n->base = t.base, n->prefix = t.prefix, n->declared = true, n->subnet = sn;
		}
	}
}

static void one_network(struct cx *c, struct fy_node *k, struct fy_node *v, const char *name)
{
	struct cx_net *n = add_net(c, name);
	struct fy_node_pair *p;
	struct fy_node *enable6_at = NULL;
	bool enable6 = false;
	void *it = NULL;

	if (!v || !fy_node_is_mapping(v))
		return;
	while ((p = fy_node_mapping_iterate(v, &it))) {
		struct fy_node *pk = fy_node_pair_key(p), *pv = fy_node_pair_value(p);
		const char *key = pk && fy_node_is_scalar(pk) ? fy_node_get_scalar0(pk) : "";
		cleanup_free char *where = xasprintf("networks.%s.%s", name, key);

		if (!strncmp(key, "x-", 2) || !strcmp(key, "name"))
			continue;
		if (!strcmp(key, "internal")) {
			cleanup_free char *s = cx_str(c, pv, where);

			n->internal = s && !strcmp(s, "true");
		} else if (!strcmp(key, "driver")) {
			cleanup_free char *s = cx_str(c, pv, where);

			if (s && strcmp(s, "bridge"))
				cx_unsup(c, pk, where, "driver \"%s\": brig's networks are bridges", s);
		} else if (!strcmp(key, "enable_ipv6")) {
			cleanup_free char *s = cx_str(c, pv, where);

			enable6 = s && !strcmp(s, "true");
			enable6_at = pk;
		} else if (!strcmp(key, "ipam")) {
			ipam(c, n, pv, where);
		} else {
			cx_unsup(c, pk, where, "not mapped to a brig bridge");
		}
	}
	/* IPv6 with a declared subnet (enable_ipv6, as compose v2 has it, or
	 * not); enable_ipv6 without one is IPv4 only. */
	if (enable6 && !n->prefix6)
		cx_unsup(c, enable6_at, name, "no IPv6 subnet declared (ipam config): the network is "
			 "IPv4 only");
	(void)k;
}

void cx_networks(struct cx *c, struct fy_node *networks)
{
	struct fy_node_pair *p;
	void *it = NULL;

	if (networks && !fy_node_is_mapping(networks))
		cx_unsup(c, networks, "networks", "expected a mapping");
	while (networks && fy_node_is_mapping(networks) &&
	       (p = fy_node_mapping_iterate(networks, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *name = k && fy_node_is_scalar(k) ? fy_node_get_scalar0(k) : NULL;

		if (!name || !cx_name_ok(name)) {
			cx_unsup(c, k, "networks", "network name \"%s\": letters, digits, '_', '-', '.' only",
				 name ? name : "?");
			continue;
		}
		if (cx_net_get(c, name)) {
			cx_unsup(c, k, "networks", "network \"%s\" declared twice", name);
			continue;
		}
		one_network(c, k, fy_node_pair_value(p), name);
	}
	if (!cx_net_get(c, "default"))
		add_net(c, "default");
	/* A declared subnet the host uses already: refused, as Docker does
	 * (the bridge's routes would take the host's). */
	for (size_t i = 0; i < c->nnet; i++) {
		struct cx_net *n = &c->net[i];
		const struct compose_used *u = n->declared ? used_by(c, n->base, n->prefix) : NULL;
		char a[32], b[32];

		if (!u)
			continue;
		subnet_text(a, sizeof(a), n->base, n->prefix);
		subnet_text(b, sizeof(b), u->addr, u->prefix);
		cleanup_free char *where = xasprintf("networks.%s.ipam.config.subnet", n->name);

		cx_fail(c, n->subnet, where, "%s overlaps %s of %s", a, b, u->what);
		return;
	}
	/* Subnets for the networks that declared none: 10.89.X.0/24, X from
	 * the project's name, the next free one: apart from the file's other
	 * networks and the host's subnets (its links', networks.conf's). */
	uint32_t x = fnv(c->project) % 200;

	for (size_t i = 0; i < c->nnet; i++) {
		struct cx_net *n = &c->net[i];

		if (n->prefix)
			continue;
		for (int tries = 0; tries < 256; tries++, x = (x + 1) % 256) {
			uint32_t base = (10u << 24) | (89u << 16) | (x << 8);
			const struct compose_used *u;
			char a[32], b[32];

			if (overlaps(c, base, 24))
				continue;
			if ((u = used_by(c, base, 24))) {
				if (!n->skipped) {
					subnet_text(a, sizeof(a), base, 24);
					subnet_text(b, sizeof(b), u->addr, u->prefix);
					n->skipped = xasprintf("%s overlaps %s of %s", a, b, u->what);
				}
				continue;
			}
			n->base = base;
			n->prefix = 24;
			break;
		}
		if (!n->prefix) {
			cleanup_free char *where = xasprintf("networks.%s", n->name);

			cx_fail(c, NULL, where, "no free /24 left in 10.89.0.0/16 for it");
			return;
		}
	}
}

char *cx_networks_notes(struct cx *c)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < c->nnet; i++) {
		struct cx_net *n = &c->net[i];
		char a[32];

		if (!n->used || n->declared)
			continue;
		subnet_text(a, sizeof(a), n->base, n->prefix);
		sb_addf(&sb, "network %s: bridge %s, subnet %s allocated%s%s%s\n", n->name, n->bridge, a,
			n->skipped ? " (" : "", n->skipped ? n->skipped : "", n->skipped ? ")" : "");
	}
	return sb.len ? sb_steal(&sb) : (sb_free(&sb), NULL);
}

struct cx_net *cx_net_get(struct cx *c, const char *name)
{
	for (size_t i = 0; i < c->nnet; i++)
		if (!strcmp(c->net[i].name, name))
			return &c->net[i];
	return NULL;
}

static void addr(char *buf, uint32_t a)
{
	struct in_addr in = { htonl(a) };

	inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

char *cx_networks_conf(struct cx *c)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addf(&sb, "# Made by `brig compose import` from %s (project %s):\n"
		     "# the project's networks. Edit the compose file and import it again.\n",
		c->file, c->project);
	for (size_t i = 0; i < c->nnet; i++) {
		struct cx_net *n = &c->net[i];
		char gw[INET_ADDRSTRLEN];

		if (!n->used)
			continue;
		addr(gw, n->base + 1);
		sb_addf(&sb, "\n# network %s\n%s {\n\tip4.addr = \"%s/%d\";\n", n->name, n->bridge, gw,
			n->prefix);
		if (n->prefix6) {
			uint8_t g6[16];
			char gs6[INET6_ADDRSTRLEN];

			memcpy(g6, n->base6, 16);
			g6[15] |= 1;
			inet_ntop(AF_INET6, g6, gs6, sizeof(gs6));
			sb_addf(&sb, "\tip6.addr = \"%s/%d\";\n", gs6, n->prefix6);
		}
		if (n->internal)
			sb_adds(&sb, "\t# internal: no NAT, nothing of the host but the jails' own traffic\n"
				     "\tisolate;\n\thost = \"none\";\n");
		else
			sb_adds(&sb, "\tnat;\n\tisolate;\n");
		sb_adds(&sb, "}\n");
	}
	return sb_steal(&sb);
}

void cx_volumes(struct cx *c, struct fy_node *volumes)
{
	struct fy_node_pair *p;
	void *it = NULL;

	while (volumes && fy_node_is_mapping(volumes) && (p = fy_node_mapping_iterate(volumes, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		const char *name = k && fy_node_is_scalar(k) ? fy_node_get_scalar0(k) : NULL;
		struct fy_node_pair *q;
		void *it2 = NULL;

		if (!name || !cx_name_ok(name)) {
			cx_unsup(c, k, "volumes", "volume name \"%s\": letters, digits, '_', '-', '.' only",
				 name ? name : "?");
			continue;
		}
		while (v && fy_node_is_mapping(v) && (q = fy_node_mapping_iterate(v, &it2))) {
			struct fy_node *qk = fy_node_pair_key(q);
			const char *key = qk && fy_node_is_scalar(qk) ? fy_node_get_scalar0(qk) : "";

			if (strncmp(key, "x-", 2) && strcmp(key, "name"))
				cx_unsup(c, qk, "volumes", "volume %s: %s: brig's named volumes are "
					 "directories of the store, no driver or options", name, key);
		}
		c->vol = xrealloc(c->vol, (c->nvol + 1) * sizeof(*c->vol));
		c->vol[c->nvol].name = xstrdup(name);
		c->vol[c->nvol].dir = xasprintf("%s/volumes/%s_%s", c->storedir, c->project, name);
		c->nvol++;
	}
}

int cx_env_file(const char *dir, const char *name, char ***kv, size_t *n, char *err,
		size_t errlen, bool optional)
{
	cleanup_free char *path = name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", dir, name);
	cleanup_free char *text = NULL;
	size_t len;
	struct brig_err e = { 0 };

	if (read_bounded(AT_FDCWD, path, READ_PATH, 1 << 20, &text, &len, &e) < 0) {
		if (optional && e.errnum == ENOENT)
			return 0;
		snprintf(err, errlen, "%s", e.msg);
		return -1;
	}
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (isspace((unsigned char)*line))
			line++;
		if (!strncmp(line, "export ", 7))
			line += 7;
		char *eq = strchr(line, '=');

		if (*line == '#' || !eq || eq == line)
			continue;
		size_t l = strlen(eq + 1);
		char *v = eq + 1;

		while (l && isspace((unsigned char)v[l - 1]))
			v[--l] = '\0';
		if (l >= 2 && (v[0] == '"' || v[0] == '\'') && v[l - 1] == v[0]) {
			v[l - 1] = '\0';
			memmove(v, v + 1, l - 1);
		}
		cx_strv_push(kv, n, xstrdup(line));
	}
	return 0;
}
