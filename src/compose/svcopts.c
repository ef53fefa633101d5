/* A service's cap_add and cap_drop as the jail's allow.* parameters (the
 * capability set of a jail's root is brig's: sys/caps.c), its dns,
 * dns_search and dns_opt as its /etc/resolv.conf, and its sysctls,
 * which brig does not set, listed one by one. */
#include <arpa/inet.h>
#include <ctype.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compose/internal.h"
#include "util/mem.h"

/* What a capability is to brig: held by every jail's root already (the
 * base set, Docker's default less MKNOD and NET_RAW), given by an allow.*
 * parameter, or never given. */
static const struct {
	const char *cap, *allow;	/* allow: NULL for the base set */
} cap_allow[] = {
	{ "AUDIT_WRITE", NULL }, { "CHOWN", NULL }, { "DAC_OVERRIDE", NULL },
	{ "FOWNER", NULL }, { "FSETID", NULL }, { "KILL", NULL },
	{ "NET_BIND_SERVICE", NULL }, { "SETFCAP", NULL }, { "SETGID", NULL },
	{ "SETPCAP", NULL }, { "SETUID", NULL }, { "SYS_CHROOT", NULL },
	{ "IPC_LOCK", "allow.mlock" }, { "LINUX_IMMUTABLE", "allow.chflags" },
	{ "NET_RAW", "allow.raw_sockets" }, { "SYS_TIME", "allow.settime" },
};

static int cap_find(const char *name)
{
	for (size_t i = 0; i < sizeof(cap_allow) / sizeof(*cap_allow); i++)
		if (!strcasecmp(cap_allow[i].cap, name))
			return (int)i;
	return -1;
}

/* The names of a cap_add or cap_drop list, "CAP_" taken off. */
static void cap_names(struct cx *c, struct fy_node *v, const char *where, char ***out, size_t *n,
		      struct fy_node ***at)
{
	struct fy_node *e;
	void *it = NULL;

	if (!v || !fy_node_is_sequence(v)) {
		cx_unsup(c, v, where, "expected a list of capabilities");
		return;
	}
	while ((e = fy_node_sequence_iterate(v, &it)) && *n < 64) {
		char *s = cx_str(c, e, where);
		bool again = false;

		if (!s)
			continue;
		if (!strncasecmp(s, "CAP_", 4))
			memmove(s, s + 4, strlen(s + 4) + 1);
		for (char *p = s; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		/* Once each (extends appends, without duplicates). */
		for (size_t i = 0; i < *n && !again; i++)
			again = !strcmp((*out)[i], s);
		if (again) {
			free(s);
			continue;
		}
		cx_strv_push(out, n, s);
		*at = xrealloc(*at, *n * sizeof(**at));
		(*at)[*n - 1] = e;
	}
}

void cx_caps(struct cx *c, struct cx_svc *s, struct strbuf *out)
{
	cleanup_free char *wa = xasprintf("services.%s.cap_add", s->name);
	cleanup_free char *wd = xasprintf("services.%s.cap_drop", s->name);
	char **add = NULL, **drop = NULL;
	struct fy_node **aat = NULL, **dat = NULL;
	size_t nadd = 0, ndrop = 0;
	bool on[sizeof(cap_allow) / sizeof(*cap_allow)] = { 0 };
	bool all = false, low_ports = true, net_admin = false;

	for (size_t i = 0; i < s->ncap_add; i++)
		cap_names(c, s->cap_add[i], wa, &add, &nadd, &aat);
	for (size_t i = 0; i < s->ncap_drop; i++)
		cap_names(c, s->cap_drop[i], wd, &drop, &ndrop, &dat);
	for (size_t i = 0; i < ndrop; i++) {
		int k = cap_find(drop[i]);

		if (!strcmp(drop[i], "ALL"))
			all = true;
		else if (k >= 0 && !strcmp(drop[i], "NET_BIND_SERVICE"))
			low_ports = false;
		else if (k >= 0 && !cap_allow[k].allow)
			cx_unsup(c, dat[i], wd, "%s: brig has no parameter to drop it alone (it is in "
				 "every jail's set; cap_drop ALL is allow.suser = false)", drop[i]);
		/* The others a jail does not hold unless an allow.* says so. */
	}
	for (size_t i = 0; i < nadd; i++) {
		int k = cap_find(add[i]);

		if (k >= 0 && cap_allow[k].allow)
			on[k] = true;
		else if (k >= 0 && !strcmp(add[i], "NET_BIND_SERVICE"))
			low_ports = true;
		else if (!strcmp(add[i], "NET_ADMIN"))
			net_admin = true;
		else if (k < 0)
			cx_unsup(c, aat[i], wa, "%s: brig never gives it to a jail%s", add[i],
				 !strcmp(add[i], "ALL") ? "'s root all at once" :
				 !strcmp(add[i], "MKNOD") ? " (its /dev is brig's: mount.devfs)" :
				 " (it reaches the host's kernel or devices)");
		/* The base set's are held already. */
	}
	if (all && nadd) {
		cx_unsup(c, dat[0], wd, "ALL with cap_add: brig has no per-capability set; the "
			 "jail's root keeps brig's base set (doc/compose.md) and cap_add's");
		all = false;
	}
	if (all)
		sb_adds(out, "\t# cap_drop ALL: root in the jail holds no capability\n"
			     "\tallow.suser = false;\n");
	for (size_t k = 0; k < sizeof(cap_allow) / sizeof(*cap_allow); k++)
		if (on[k] && !all)
			sb_addf(out, "\t%s;\t# cap_add %s\n", cap_allow[k].allow, cap_allow[k].cap);
	if (!low_ports && !all)
		sb_adds(out, "\tallow.reserved_ports = false;\t# cap_drop NET_BIND_SERVICE\n");
	if (net_admin && !all)
		sb_adds(out, "\t# cap_add NET_ADMIN: a vnet jail's root manages its own network "
			     "(with allow.suser and allow.reserved_ports)\n");
	cx_strv_free(add, nadd);
	cx_strv_free(drop, ndrop);
	free(aat);
	free(dat);
}

/* dns (one address or a list) as nameserver lines; dns_search as the
 * search line; dns_opt as the options line. */
void cx_dns(struct cx *c, struct cx_svc *s, struct fy_node *v, const char *key, const char *where)
{
	struct fy_node *e;
	void *it = NULL;
	bool list = v && fy_node_is_sequence(v);

	if (!strcmp(key, "dns_search"))
		sb_adds(&s->resolv_search, s->resolv_search.len ? "" : "search");
	else if (!strcmp(key, "dns_opt"))
		sb_adds(&s->resolv_opts, s->resolv_opts.len ? "" : "options");
	for (e = list ? fy_node_sequence_iterate(v, &it) : v; e;
	     e = list ? fy_node_sequence_iterate(v, &it) : NULL) {
		cleanup_free char *x = cx_str(c, e, where);
		unsigned char buf[16];

		if (!x)
			continue;
		if (!strcmp(key, "dns")) {
			if (inet_pton(AF_INET, x, buf) != 1 && inet_pton(AF_INET6, x, buf) != 1)
				cx_unsup(c, e, where, "\"%s\" is not an IP address", x);
			else if (s->nns++ >= 3)
				cx_unsup(c, e, where, "%s: resolv.conf takes three nameservers", x);
			else
				sb_addf(&s->resolv, "nameserver %s\n", x);
			continue;
		}
		if (!*x || strlen(x) > 253 || strspn(x, "abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:") != strlen(x)) {
			cx_unsup(c, e, where, "\"%s\": not a %s", x,
				 key[4] == 's' ? "domain name" : "resolver option");
			continue;
		}
		sb_addf(key[4] == 's' ? &s->resolv_search : &s->resolv_opts, " %s", x);
	}
}

char *cx_resolv(struct cx *c, struct cx_svc *s)
{
	struct strbuf sb = STRBUF_INIT;

	if (!s->resolv.len && s->resolv_search.len <= 6 && s->resolv_opts.len <= 7)
		return NULL;
	sb_addf(&sb, "# Made by `brig compose import` (project %s, service %s).\n", c->project,
		s->name);
	if (s->resolv.len)
		sb_adds(&sb, s->resolv.s);
	if (s->resolv_search.len > 6)
		sb_addf(&sb, "%s\n", s->resolv_search.s);
	if (s->resolv_opts.len > 7)
		sb_addf(&sb, "%s\n", s->resolv_opts.s);
	return sb_steal(&sb);
}

/* sysctls (a map or a list of NAME=VALUE): each listed. */
void cx_sysctls(struct cx *c, struct fy_node *v, const char *where)
{
	static const char why[] = "brig sets no sysctl in a jail (no parameter for a network "
				  "namespace's net.* or IPC's kernel.* sysctls yet)";
	struct fy_node_pair *p;
	struct fy_node *e;
	void *it = NULL;

	if (v && fy_node_is_mapping(v)) {
		while ((p = fy_node_mapping_iterate(v, &it))) {
			struct fy_node *k = fy_node_pair_key(p);
			cleanup_free char *name = cx_str(c, k, where);

			if (name)
				cx_unsup(c, k, where, "%s: %s", name, why);
		}
	} else if (v && fy_node_is_sequence(v)) {
		while ((e = fy_node_sequence_iterate(v, &it))) {
			cleanup_free char *s = cx_str(c, e, where);

			if (s)
				cx_unsup(c, e, where, "%.*s: %s", (int)strcspn(s, "="), s, why);
		}
	} else {
		cx_unsup(c, v, where, "%s", why);
	}
}
