/* A compose file's services as jail.conf.d blocks: one jail P_SERVICE
 * each. What each key becomes is in doc/compose.md. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose/internal.h"
#include "conf/conf.h"
#include "util/mem.h"
#include "util/utf8.h"

/* Keys with no brig meaning, and why. */
static const struct {
	const char *key, *why;
} unsupported[] = {
	{ "build", "images are not built: make the image elsewhere and give it with --images" },
	{ "healthcheck", "brig runs no health checks" },
	{ "secrets", "secrets are not mapped: bind the file with volumes" },
	{ "configs", "configs are not mapped: bind the file with volumes" },
	{ "logging", "brig keeps the jail's output in its own log (brig logs)" },
	{ "privileged", "a jail is never privileged by a compose file" },
	{ "devices", "devices are not passed by a compose file" },
	{ "network_mode", "network_mode is not mapped: jails get a bridge of the project" },
	{ "labels", "labels have no brig meaning" },
	{ "security_opt", "security options have no brig meaning" },
	{ "tty", "no terminal is kept for a jail's command" },
	{ "stdin_open", "no terminal is kept for a jail's command" },
	{ "init", "a jail always has brig's init as its PID 1" },
	{ "platform", "the image's platform is chosen when it is imported" },
	{ "pull_policy", "no registry is used" },
	{ "shm_size", "not mapped" },
	{ "tmpfs", "not mapped yet: use a tmpfs volume" },
};

/* A key as text; "?" for one that is not a scalar or not UTF-8 (see
 * cx_str: libfyaml's text is checked before it is used). */
static char *node_key(struct fy_node *k)
{
	size_t len = 0, bad;
	const char *s = k && fy_node_is_scalar(k) ? fy_node_get_scalar(k, &len) : NULL;

	return s && utf8_valid(s, len, &bad) ? xstrndup(s, len) : xstrdup("?");
}

/* A scalar or a sequence of scalars as words. */
static bool words(struct cx *c, struct fy_node *v, const char *where, char ***w, size_t *n)
{
	struct fy_node *e;
	void *it = NULL;

	if (v && fy_node_is_scalar(v)) {
		char *s = cx_str(c, v, where);

		if (!s)
			return false;
		cx_strv_push(w, n, s);
		return true;
	}
	if (!v || !fy_node_is_sequence(v)) {
		cx_unsup(c, v, where, "expected a value or a list");
		return false;
	}
	while ((e = fy_node_sequence_iterate(v, &it))) {
		char *s = cx_str(c, e, where);

		if (!s)
			return false;
		cx_strv_push(w, n, s);
	}
	return true;
}

/* The service's words of a command or entrypoint. A list: word for word.
 * A string, which Compose splits as a shell would without running one:
 * at blanks when it has no shell character, else /bin/sh -c STRING. */
static void service_words(char *const *v, size_t n, bool string, char ***w, size_t *nw)
{
	if (!string || n != 1) {
		for (size_t i = 0; i < n; i++)
			cx_strv_push(w, nw, xstrdup(v[i]));
		return;
	}
	if (strpbrk(v[0], CONF_SHELL_CHARS "#")) {
		cx_strv_push(w, nw, xstrdup("/bin/sh"));
		cx_strv_push(w, nw, xstrdup("-c"));
		cx_strv_push(w, nw, xstrdup(v[0]));
		return;
	}
	for (const char *p = v[0] + strspn(v[0], " \t\n\r\f\v"); *p;) {
		size_t k = strcspn(p, " \t\n\r\f\v");

		cx_strv_push(w, nw, xstrndup(p, k));
		p += k;
		p += strspn(p, " \t\n\r\f\v");
	}
}

static bool port_num(const char *s, long *lo, long *hi)
{
	char *end;

	errno = 0;
	*lo = strtol(s, &end, 10);
	*hi = *lo;
	if (end != s && *end == '-')
		*hi = strtol(end + 1, &end, 10);
	return end != s && !*end && !errno && *lo >= 1 && *hi <= 65535 && *lo <= *hi;
}

/* rdr entries for host port(s) hp to jail port(s) jp. */
static void add_rdr(struct cx *c, struct fy_node *at, const char *where, char ***rdr, size_t *n,
		    const char *proto, const char *ip, const char *hp, const char *jp)
{
	long hlo, hhi, jlo, jhi;
	struct in_addr a;

	if (strcmp(proto, "tcp") && strcmp(proto, "udp")) {
		cx_unsup(c, at, where, "protocol \"%s\": rdr takes tcp and udp", proto);
		return;
	}
	if (ip && *ip && inet_pton(AF_INET, ip, &a) != 1) {
		cx_unsup(c, at, where, "host address \"%s\": only IPv4 addresses are mapped", ip);
		return;
	}
	if (!hp || !*hp) {
		cx_unsup(c, at, where, "no host port: brig allocates none, publish one (HOST:JAIL)");
		return;
	}
	if (!port_num(hp, &hlo, &hhi) || !port_num(jp, &jlo, &jhi) ||
	    (hhi - hlo != jhi - jlo && jhi != jlo)) {
		cx_unsup(c, at, where, "ports \"%s:%s\": not a port or a range of the same length", hp,
			 jp);
		return;
	}
	if (hhi - hlo > 1000) {
		cx_unsup(c, at, where, "range \"%s\": more than 1000 ports", hp);
		return;
	}
	for (long h = hlo; h <= hhi; h++) {
		long j = jhi == jlo ? jlo : jlo + (h - hlo);

		if (ip && *ip && strcmp(ip, "0.0.0.0"))
			cx_strv_push(rdr, n, xasprintf("%s %s:%ld %ld", proto, ip, h, j));
		else
			cx_strv_push(rdr, n, xasprintf("%s %ld %ld", proto, h, j));
	}
}

static void port_short(struct cx *c, struct fy_node *at, const char *where, char *s, char ***rdr,
		       size_t *n)
{
	char *proto = strrchr(s, '/');
	char *parts[3] = { 0 };
	size_t np = 0;

	if (proto)
		*proto++ = '\0';
	if (s[0] == '[') {
		cx_unsup(c, at, where, "IPv6 host addresses are not mapped");
		return;
	}
	for (char *p = s, *q; p && np < 3; p = q) {
		q = strchr(p, ':');
		if (q)
			*q++ = '\0';
		parts[np++] = p;
		if (q && np == 3) {
			cx_unsup(c, at, where, "not HOST_IP:HOST_PORT:JAIL_PORT");
			return;
		}
	}
	if (np == 1)
		add_rdr(c, at, where, rdr, n, proto ? proto : "tcp", NULL, NULL, parts[0]);
	else if (np == 2)
		add_rdr(c, at, where, rdr, n, proto ? proto : "tcp", NULL, parts[0], parts[1]);
	else
		add_rdr(c, at, where, rdr, n, proto ? proto : "tcp", parts[0], parts[1], parts[2]);
}

static void ports(struct cx *c, struct fy_node *v, const char *where, char ***rdr, size_t *n)
{
	struct fy_node *e;
	void *it = NULL;

	if (!v || !fy_node_is_sequence(v)) {
		cx_unsup(c, v, where, "expected a list");
		return;
	}
	while ((e = fy_node_sequence_iterate(v, &it))) {
		if (fy_node_is_scalar(e)) {
			cleanup_free char *s = cx_str(c, e, where);

			if (s)
				port_short(c, e, where, s, rdr, n);
			continue;
		}
		if (!fy_node_is_mapping(e)) {
			cx_unsup(c, e, where, "expected a port or a mapping");
			continue;
		}
		struct fy_node *t = fy_node_mapping_lookup_by_string(e, "target", FY_NT);
		struct fy_node *pu = fy_node_mapping_lookup_by_string(e, "published", FY_NT);
		struct fy_node *ip = fy_node_mapping_lookup_by_string(e, "host_ip", FY_NT);
		struct fy_node *pr = fy_node_mapping_lookup_by_string(e, "protocol", FY_NT);
		cleanup_free char *ts = t ? cx_str(c, t, where) : NULL;
		cleanup_free char *ps = pu ? cx_str(c, pu, where) : NULL;
		cleanup_free char *is = ip ? cx_str(c, ip, where) : NULL;
		cleanup_free char *rs = pr ? cx_str(c, pr, where) : NULL;

		if (!ts) {
			cx_unsup(c, e, where, "a port without its target");
			continue;
		}
		add_rdr(c, e, where, rdr, n, rs ? rs : "tcp", is, ps, ts);
	}
}

/* A size as compose writes one (1073741824, "512m", "1gb", "2G") in bytes. */
static bool size_bytes(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v, mul = 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno || *s == '-')
		return false;
	switch (tolower((unsigned char)*end)) {
	case 'k': mul = 1ULL << 10; end++; break;
	case 'm': mul = 1ULL << 20; end++; break;
	case 'g': mul = 1ULL << 30; end++; break;
	case 't': mul = 1ULL << 40; end++; break;
	default: break;
	}
	if (tolower((unsigned char)*end) == 'b')
		end++;
	if (*end || (v && mul > ~0ULL / v))
		return false;
	*out = v * mul;
	return true;
}

static void limit(struct cx *c, struct fy_node *at, const char *where, const char *what,
		  const char *s, char ***rctl, size_t *n)
{
	unsigned long long b;
	char *end;

	if (!strcmp(what, "memory")) {
		if (size_bytes(s, &b) && b)
			cx_strv_push(rctl, n, xasprintf("memoryuse:deny=%llu", b));
		else
			cx_unsup(c, at, where, "memory \"%s\": not a size", s);
	} else if (!strcmp(what, "cpus")) {
		double d = strtod(s, &end);

		/* rctl's pcpu: 1 to 100000 (1000 CPUs) percent. */
		if (end != s && !*end && d >= 0.005 && d <= 1000)
			cx_strv_push(rctl, n, xasprintf("pcpu:deny=%ld", (long)(d * 100 + 0.5)));
		else
			cx_unsup(c, at, where, "cpus \"%s\": not a number of CPUs from 0.01 to 1000", s);
	} else {
		if (size_bytes(s, &b) && b && b < 1ULL << 31)
			cx_strv_push(rctl, n, xasprintf("maxproc:deny=%llu", b));
		else
			cx_unsup(c, at, where, "pids \"%s\": not a positive number", s);
	}
}

/* container_name: the jail is PROJECT_SERVICE; the name resolves to the
 * service's address in every jail of the project, as Docker's DNS
 * answers it. */
static void container_name(struct cx *c, struct fy_node *k, struct fy_node *v, const char *where,
			   struct cx_svc *s)
{
	char *name = cx_str(c, v, where);

	if (!name)
		return;
	if (!cx_name_ok(name) || strlen(name) > 63) {
		cx_unsup(c, k, where, "not a host name: the jail is named PROJECT_SERVICE");
		free(name);
		return;
	}
	free(s->alias);
	s->alias = name;
}

/* One extra_hosts entry: NAME and ADDRESS (an IPv6 one may be in
 * brackets) as a line of the jail's /etc/hosts. */
static void extra_host(struct cx *c, struct fy_node *at, const char *where, struct cx_svc *s,
		       const char *name, const char *addr)
{
	cleanup_free char *a = NULL;
	unsigned char buf[16];
	size_t n = strlen(addr);

	if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']')
		a = xstrndup(addr + 1, n - 2);
	else
		a = xstrdup(addr);
	if (!*name || !cx_name_ok(name) || strlen(name) > 253) {
		cx_unsup(c, at, where, "\"%s\": not a host name", name);
		return;
	}
	if (inet_pton(AF_INET, a, buf) != 1 && inet_pton(AF_INET6, a, buf) != 1) {
		cx_unsup(c, at, where, "%s: \"%s\" is not an IP address", name, a);
		return;
	}
	sb_addf(&s->extra_hosts, "%s\t%s\n", a, name);
}

/* extra_hosts: ["NAME:ADDR", "NAME=ADDR"] or {NAME: ADDR}, lines of this
 * jail's /etc/hosts after the project's. */
static void extra_hosts_of(struct cx *c, struct fy_node *v, const char *where, struct cx_svc *s);

/* Whether text has a line "ADDR\tNAME\n" for name (len bytes). */
static bool names_host(const char *text, const char *name, size_t len)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *tab = strchr(l, '\t');

		if (tab && !strncmp(tab + 1, name, len) && tab[1 + len] == '\n')
			return true;
	}
	return false;
}

/* A later layer's (extends) extra_hosts take the place of an earlier
 * one's of the same name (the specification's mapping merge). */
static void extra_hosts(struct cx *c, struct fy_node *v, const char *where, struct cx_svc *s)
{
	struct strbuf old = s->extra_hosts, keep = STRBUF_INIT;

	s->extra_hosts = (struct strbuf)STRBUF_INIT;
	extra_hosts_of(c, v, where, s);
	for (const char *l = old.s; l && *l;) {
		const char *tab = strchr(l, '\t'), *nl = strchr(l, '\n');

		if (!nl)
			break;
		if (!tab || tab > nl || !names_host(s->extra_hosts.s, tab + 1, (size_t)(nl - tab - 1)))
			sb_addn(&keep, l, (size_t)(nl - l + 1));
		l = nl + 1;
	}
	sb_adds(&keep, s->extra_hosts.s ? s->extra_hosts.s : "");
	sb_free(&old);
	sb_free(&s->extra_hosts);
	s->extra_hosts = keep;
}

static void extra_hosts_of(struct cx *c, struct fy_node *v, const char *where, struct cx_svc *s)
{
	struct fy_node_pair *p;
	struct fy_node *e;
	void *it = NULL;

	if (v && fy_node_is_mapping(v)) {
		while ((p = fy_node_mapping_iterate(v, &it))) {
			cleanup_free char *name = node_key(fy_node_pair_key(p));
			cleanup_free char *addr = cx_str(c, fy_node_pair_value(p), where);

			if (addr)
				extra_host(c, fy_node_pair_key(p), where, s, name, addr);
		}
		return;
	}
	if (!v || !fy_node_is_sequence(v)) {
		cx_unsup(c, v, where, "expected a list or a mapping");
		return;
	}
	while ((e = fy_node_sequence_iterate(v, &it))) {
		cleanup_free char *l = cx_str(c, e, where);
		char *sep;

		if (!l)
			continue;
		/* NAME=ADDR, else NAME:ADDR (the first ':'; an IPv6 address
		 * after it keeps its own). */
		sep = strchr(l, '=');
		if (!sep)
			sep = strchr(l, ':');
		if (!sep) {
			cx_unsup(c, e, where, "\"%s\": expected NAME:ADDRESS", l);
			continue;
		}
		*sep = '\0';
		extra_host(c, e, where, s, l, sep + 1);
	}
}

/* ulimits: each rlimit's hard limit as its rctl rule (rctl's deny is the
 * hard limit; rctl gives both soft and hard that value). */
static const struct {
	const char *name, *rctl;
} ulimit_rctl[] = {
	{ "as", "vmemoryuse" }, { "core", "coredumpsize" }, { "cpu", "cputime" },
	{ "data", "datasize" }, { "memlock", "memorylocked" }, { "nofile", "openfiles" },
	{ "stack", "stacksize" },
};

static void ulimits(struct cx *c, struct fy_node *v, const char *where, char ***rctl, size_t *n)
{
	struct fy_node_pair *p;
	void *it = NULL;

	if (!v || !fy_node_is_mapping(v)) {
		cx_unsup(c, v, where, "expected a mapping");
		return;
	}
	while ((p = fy_node_mapping_iterate(v, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
		cleanup_free char *name = node_key(k), *hard = NULL, *soft = NULL;
		const char *res = NULL;

		for (size_t i = 0; i < sizeof(ulimit_rctl) / sizeof(*ulimit_rctl); i++)
			if (!strcmp(name, ulimit_rctl[i].name))
				res = ulimit_rctl[i].rctl;
		if (!res) {
			cx_unsup(c, k, where, "%s: no jail-wide limit of that rlimit (nproc counts a "
				 "user's processes on the whole host; pids_limit is the jail's)",
				 name);
			continue;
		}
		if (val && fy_node_is_mapping(val)) {
			hard = cx_str(c, fy_node_mapping_lookup_by_string(val, "hard", FY_NT), where);
			soft = cx_str(c, fy_node_mapping_lookup_by_string(val, "soft", FY_NT), where);
			if (soft && hard && strcmp(soft, hard))
				cx_unsup(c, k, where, "%s: soft limit %s not kept: the jail's is the "
					 "hard one, %s", name, soft, hard);
		} else {
			hard = cx_str(c, val, where);
		}
		if (!hard)
			continue;
		if (!strcmp(hard, "-1") || !strcmp(hard, "unlimited"))
			continue;	/* no limit: the default */
		if (!*hard || strspn(hard, "0123456789") != strlen(hard) || strlen(hard) > 19) {
			cx_unsup(c, k, where, "%s: \"%s\" is not a number", name, hard);
			continue;
		}
		cx_strv_push(rctl, n, xasprintf("%s:deny=%s", res, hard));
	}
}

static void deploy(struct cx *c, struct fy_node *v, const char *where, char ***rctl, size_t *n)
{
	struct fy_node_pair *p;
	void *it = NULL;

	while (v && fy_node_is_mapping(v) && (p = fy_node_mapping_iterate(v, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
		cleanup_free char *key = node_key(k);
		struct fy_node *lim;
		struct fy_node_pair *q;
		void *it2 = NULL;

		if (strcmp(key, "resources") || !fy_node_is_mapping(val)) {
			cx_unsup(c, k, where, "deploy.%s: only deploy.resources.limits is mapped", key);
			continue;
		}
		while ((q = fy_node_mapping_iterate(val, &it2))) {
			cleanup_free char *rk = node_key(fy_node_pair_key(q));

			if (strcmp(rk, "limits"))
				cx_unsup(c, fy_node_pair_key(q), where,
					 "deploy.resources.%s: only limits are mapped (rctl rules)", rk);
		}
		lim = fy_node_mapping_lookup_by_string(val, "limits", FY_NT);
		it2 = NULL;
		while (lim && fy_node_is_mapping(lim) && (q = fy_node_mapping_iterate(lim, &it2))) {
			struct fy_node *lk = fy_node_pair_key(q);
			cleanup_free char *lkey = node_key(lk);
			cleanup_free char *s = NULL;

			if (strcmp(lkey, "memory") && strcmp(lkey, "cpus") && strcmp(lkey, "pids")) {
				cx_unsup(c, lk, where, "deploy.resources.limits.%s: not mapped", lkey);
				continue;
			}
			s = cx_str(c, fy_node_pair_value(q), where);
			if (s)
				limit(c, lk, where, lkey, s, rctl, n);
		}
	}
}

static void environment(struct cx *c, struct fy_node *v, const char *where, char ***env, size_t *n)
{
	if (v && fy_node_is_mapping(v)) {
		struct fy_node_pair *p;
		void *it = NULL;

		while ((p = fy_node_mapping_iterate(v, &it))) {
			cleanup_free char *k = node_key(fy_node_pair_key(p));
			struct fy_node *val = fy_node_pair_value(p);
			cleanup_free char *s = NULL;

			if (!val || (fy_node_is_scalar(val) && !fy_node_get_scalar0(val)[0] &&
				     fy_node_get_scalar_token(val) &&
				     fy_node_get_style(val) == FYNS_PLAIN)) {
				const char *e = c->lookup(c->ctx, k);

				if (e)
					cx_strv_push(env, n, xasprintf("%s=%s", k, e));
				continue;
			}
			s = cx_str(c, val, where);
			if (s)
				cx_strv_push(env, n, xasprintf("%s=%s", k, s));
		}
		return;
	}
	cleanup_free char **w = NULL;
	size_t nw = 0;

	if (!words(c, v, where, &w, &nw)) {
		for (size_t i = 0; i < nw; i++)
			free(w[i]);
		return;
	}
	for (size_t i = 0; i < nw; i++) {
		if (!strchr(w[i], '=')) {
			const char *e = c->lookup(c->ctx, w[i]);

			if (e)
				cx_strv_push(env, n, xasprintf("%s=%s", w[i], e));
			free(w[i]);
		} else {
			cx_strv_push(env, n, w[i]);
		}
	}
}

static void env_files(struct cx *c, struct fy_node *v, const char *where, char ***env, size_t *n)
{
	struct fy_node *e;
	void *it = NULL;

	if (v && fy_node_is_scalar(v)) {
		cleanup_free char *s = cx_str(c, v, where);
		char err[512];

		if (s && cx_env_file(c->dir, s, env, n, err, sizeof(err), false) < 0)
			cx_unsup(c, v, where, "%s", err);
		return;
	}
	while (v && fy_node_is_sequence(v) && (e = fy_node_sequence_iterate(v, &it))) {
		struct fy_node *pn = fy_node_is_mapping(e) ?
			fy_node_mapping_lookup_by_string(e, "path", FY_NT) : e;
		struct fy_node *rq = fy_node_is_mapping(e) ?
			fy_node_mapping_lookup_by_string(e, "required", FY_NT) : NULL;
		bool optional = rq && fy_node_is_scalar(rq) && !strcmp(fy_node_get_scalar0(rq), "false");
		cleanup_free char *s = pn ? cx_str(c, pn, where) : NULL;
		char err[512];

		if (s && cx_env_file(c->dir, s, env, n, err, sizeof(err), optional) < 0)
			cx_unsup(c, e, where, "%s", err);
	}
}

/* A path that can be a field of an fstab line: no blank, no backslash. */
static bool fstab_ok(const char *s)
{
	return *s && !strpbrk(s, " \t\n\r\f\v\\#");
}

static bool jail_path_ok(const char *s)
{
	if (s[0] != '/' || !fstab_ok(s))
		return false;
	for (const char *p = s; (p = strstr(p, "..")); p += 2)
		if ((p == s || p[-1] == '/') && (!p[2] || p[2] == '/'))
			return false;
	return true;
}

static void add_mount(struct cx *c, char ***mnt, size_t *n, const char *src, const char *dst,
		      const char *type, bool ro)
{
	struct strbuf sb = STRBUF_INIT;

	(void)c;
	sb_adds(&sb, src);
	sb_adds(&sb, " ${path}");
	sb_adds(&sb, dst);
	sb_addf(&sb, " %s %s 0 0", type, ro ? "ro" : "rw");
	cx_strv_push(mnt, n, sb_steal(&sb));
}

static void one_volume(struct cx *c, struct fy_node *at, const char *where, const char *type,
		       const char *src, const char *dst, bool ro, char ***mnt, size_t *n)
{
	if (!dst || !jail_path_ok(dst)) {
		cx_unsup(c, at, where, "target \"%s\": an absolute path without blanks or \"..\"",
			 dst ? dst : "");
		return;
	}
	if (!strcmp(type, "tmpfs")) {
		add_mount(c, mnt, n, "tmpfs", dst, "tmpfs", ro);
		return;
	}
	if (!src || !*src) {
		cx_unsup(c, at, where, "an anonymous volume: name it (NAME:%s) to keep its data", dst);
		return;
	}
	if (!strcmp(type, "volume")) {
		for (size_t i = 0; i < c->nvol; i++)
			if (!strcmp(c->vol[i].name, src)) {
				add_mount(c, mnt, n, c->vol[i].dir, dst, "nullfs", ro);
				return;
			}
		cx_unsup(c, at, where, "volume \"%s\" is not declared under the top-level volumes",
			 src);
		return;
	}
	if (!strcmp(type, "bind")) {
		cleanup_free char *abs = src[0] == '/' ? xstrdup(src) :
			!strncmp(src, "./", 2) ? xasprintf("%s/%s", c->dir, src + 2) :
			src[0] == '.' ? xasprintf("%s/%s", c->dir, src) : NULL;

		if (!abs || !fstab_ok(abs)) {
			cx_unsup(c, at, where, "bind source \"%s\": an absolute or ./relative path "
				 "without blanks", src);
			return;
		}
		add_mount(c, mnt, n, abs, dst, "nullfs", ro);
		return;
	}
	cx_unsup(c, at, where, "volume type \"%s\" is not mapped", type);
}

static void volumes(struct cx *c, struct fy_node *v, const char *where, char ***mnt, size_t *n)
{
	struct fy_node *e;
	void *it = NULL;

	if (!v || !fy_node_is_sequence(v)) {
		cx_unsup(c, v, where, "expected a list");
		return;
	}
	while ((e = fy_node_sequence_iterate(v, &it))) {
		if (fy_node_is_scalar(e)) {
			cleanup_free char *s = cx_str(c, e, where);
			char *f[3] = { 0 };
			size_t nf = 0;

			if (!s)
				continue;
			for (char *p = s, *q; p && nf < 3; p = q) {
				q = strchr(p, ':');
				if (q)
					*q++ = '\0';
				f[nf++] = p;
			}
			if (nf == 1) {
				one_volume(c, e, where, "volume", NULL, f[0], false, mnt, n);
				continue;
			}
			bool ro = false;
			bool bind = f[0][0] == '/' || f[0][0] == '.' || f[0][0] == '~';

			/* ro, rw; SELinux labels and macOS consistency modes mean
			 * nothing here. */
			for (char *m = nf == 3 ? f[2] : NULL, *next; m; m = next) {
				next = strchr(m, ',');
				if (next)
					*next++ = '\0';
				if (!strcmp(m, "ro"))
					ro = true;
				else if (strcmp(m, "rw") && strcmp(m, "z") && strcmp(m, "Z") &&
					 strcmp(m, "cached") && strcmp(m, "delegated") &&
					 strcmp(m, "consistent"))
					cx_unsup(c, e, where, "mode \"%s\": not mapped", m);
			}
			one_volume(c, e, where, bind ? "bind" : "volume", f[0], f[1], ro, mnt, n);
			continue;
		}
		if (!fy_node_is_mapping(e)) {
			cx_unsup(c, e, where, "expected a volume or a mapping");
			continue;
		}
		struct fy_node *tn = fy_node_mapping_lookup_by_string(e, "type", FY_NT);
		struct fy_node *sn = fy_node_mapping_lookup_by_string(e, "source", FY_NT);
		struct fy_node *dn = fy_node_mapping_lookup_by_string(e, "target", FY_NT);
		struct fy_node *rn = fy_node_mapping_lookup_by_string(e, "read_only", FY_NT);
		cleanup_free char *t = tn ? cx_str(c, tn, where) : xstrdup("volume");
		cleanup_free char *s = sn ? cx_str(c, sn, where) : NULL;
		cleanup_free char *d = dn ? cx_str(c, dn, where) : NULL;
		cleanup_free char *r = rn ? cx_str(c, rn, where) : NULL;

		if (t)
			one_volume(c, e, where, t, s, d, r && !strcmp(r, "true"), mnt, n);
	}
}

static struct cx_svc *svc_get(struct cx *c, const char *name)
{
	for (size_t i = 0; i < c->nsvc; i++)
		if (!strcmp(c->svc[i].name, name))
			return &c->svc[i];
	return NULL;
}

/* Whether d is a service of the file that its profiles leave out: true,
 * with those profiles in *profs ("a, b"). */
static bool left_out(struct cx *c, const char *d, struct strbuf *profs)
{
	struct fy_node *n = c->services && fy_node_is_mapping(c->services) ?
		fy_node_mapping_lookup_by_string(c->services, d, FY_NT) : NULL;
	struct fy_node *pr = n && fy_node_is_mapping(n) ?
		fy_node_mapping_lookup_by_string(n, "profiles", FY_NT) : NULL;
	struct fy_node *e;
	void *it = NULL;

	if (!pr || !fy_node_is_sequence(pr))
		return false;
	while ((e = fy_node_sequence_iterate(pr, &it)) && profs->len < 200) {
		const char *p = fy_node_is_scalar(e) ? fy_node_get_scalar0(e) : NULL;

		sb_addf(profs, "%s%s", profs->len ? ", " : "", p && cx_name_ok(p) ? p : "?");
	}
	return true;
}

/* A dependency the profiles leave out: the model is invalid (the Compose
 * Specification's profiles: a reference does not take a service in), at
 * its FILE:LINE:COL; with `required: false`, noted and let be. false when
 * d is not such a one. */
static bool dep_left_out(struct cx *c, struct fy_node *at, const char *where,
			 const struct cx_svc *s, const char *d, bool required)
{
	struct strbuf profs = STRBUF_INIT;

	if (svc_get(c, d) || !left_out(c, d, &profs))
		return false;
	if (required) {
		size_t first = strcspn(profs.s ? profs.s : "", ",");

		cx_fail(c, at, where, "service %s is left out by its profiles (%s): --profile %.*s "
			"takes it in", d, profs.s ? profs.s : "", (int)first, profs.s ? profs.s : "");
	} else {
		sb_addf(&c->notes, "%s: service %s is left out by its profiles (%s); not required: "
			"%s does not wait for it\n", where, d, profs.s ? profs.s : "", s->name);
	}
	sb_free(&profs);
	return true;
}

static void depends(struct cx *c, struct fy_node *v, const char *where, struct cx_svc *s)
{
	struct fy_node *e;
	struct fy_node_pair *p;
	void *it = NULL;

	if (v && fy_node_is_sequence(v)) {
		while ((e = fy_node_sequence_iterate(v, &it))) {
			char *d = cx_str(c, e, where);

			if (d && dep_left_out(c, e, where, s, d, true)) {
				free(d);
			} else if (d && (!svc_get(c, d) || !strcmp(d, s->name))) {
				cx_unsup(c, e, where, "no service \"%s\" (or itself)", d);
				free(d);
			} else if (d) {
				cx_strv_push(&s->deps, &s->ndeps, d);
			}
		}
		return;
	}
	while (v && fy_node_is_mapping(v) && (p = fy_node_mapping_iterate(v, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *val = fy_node_pair_value(p);
		char *d = node_key(k);
		struct fy_node *cond = fy_node_is_mapping(val) ?
			fy_node_mapping_lookup_by_string(val, "condition", FY_NT) : NULL;
		const char *cs = cond && fy_node_is_scalar(cond) ? fy_node_get_scalar0(cond) : NULL;
		struct fy_node *req = fy_node_is_mapping(val) ?
			fy_node_mapping_lookup_by_string(val, "required", FY_NT) : NULL;
		bool required = !req || !fy_node_is_scalar(req) ||
				strcmp(fy_node_get_scalar0(req), "false");

		if (dep_left_out(c, k, where, s, d, required)) {
			free(d);
			continue;
		}
		if (!svc_get(c, d) || !strcmp(d, s->name)) {
			cx_unsup(c, k, where, "no service \"%s\" (or itself)", d);
			free(d);
			continue;
		}
		if (cs && strcmp(cs, "service_started"))
			cx_unsup(c, cond, where, "condition %s: depend waits only for %s's start",
				 cs, d);
		cx_strv_push(&s->deps, &s->ndeps, d);
	}
}

/* The image's template name: the reference with every character a
 * template name cannot have turned into '_'. */
static char *template_name(const char *image)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *s = image; *s && sb.len < 60; s++)
		sb_addc(&sb, isalnum((unsigned char)*s) || *s == '-' || *s == '.' ? *s : '_');
	return sb_steal(&sb);
}

struct jail {
	char *image, *hostname, *workdir, *user, *stopsig, *restart;
	char **cmd, **ep, **env, **rdr, **mnt, **rctl;
	size_t ncmd, nep, nenv, nrdr, nmnt, nrctl;
	bool cmd_shell, ep_shell;
};

static void jail_free(struct jail *j)
{
	free(j->image);
	free(j->hostname);
	free(j->workdir);
	free(j->user);
	free(j->stopsig);
	free(j->restart);
	cx_strv_free(j->cmd, j->ncmd);
	cx_strv_free(j->ep, j->nep);
	cx_strv_free(j->env, j->nenv);
	cx_strv_free(j->rdr, j->nrdr);
	cx_strv_free(j->mnt, j->nmnt);
	cx_strv_free(j->rctl, j->nrctl);
}

static void restart(struct cx *c, struct fy_node *v, const char *where, struct jail *j)
{
	cleanup_free char *s = cx_str(c, v, where);

	if (!s || !*s || !strcmp(s, "no"))
		return;
	if (!strcmp(s, "always") || !strcmp(s, "unless-stopped"))
		j->restart = xstrdup("always");
	else if (!strncmp(s, "on-failure", 10) && (!s[10] || s[10] == ':'))
		j->restart = xstrdup(s);
	else
		cx_unsup(c, v, where, "restart \"%s\": always, unless-stopped, on-failure[:N] or no", s);
}

static void one_key(struct cx *c, struct cx_svc *s, struct jail *j, struct fy_node *k,
		    struct fy_node *v, const char *key)
{
	cleanup_free char *where = xasprintf("services.%s.%s", s->name, key);
	char **dst = NULL;

	if (!strncmp(key, "x-", 2) || !strcmp(key, "expose"))
		return;
	if (!strcmp(key, "image"))
		dst = &j->image;
	else if (!strcmp(key, "hostname"))
		dst = &j->hostname;
	else if (!strcmp(key, "working_dir"))
		dst = &j->workdir;
	else if (!strcmp(key, "user"))
		dst = &j->user;
	else if (!strcmp(key, "stop_signal"))
		dst = &j->stopsig;
	if (dst) {
		free(*dst);
		*dst = cx_str(c, v, where);
	} else if (!strcmp(key, "command")) {
		/* An extended service's is replaced, not added to. */
		cx_strv_free(j->cmd, j->ncmd);
		j->cmd = NULL;
		j->ncmd = 0;
		j->cmd_shell = v && fy_node_is_scalar(v);
		words(c, v, where, &j->cmd, &j->ncmd);
	} else if (!strcmp(key, "entrypoint")) {
		cx_strv_free(j->ep, j->nep);
		j->ep = NULL;
		j->nep = 0;
		j->ep_shell = v && fy_node_is_scalar(v);
		words(c, v, where, &j->ep, &j->nep);
	} else if (!strcmp(key, "environment")) {
		environment(c, v, where, &j->env, &j->nenv);
	} else if (!strcmp(key, "extra_hosts")) {
		extra_hosts(c, v, where, s);
	} else if (!strcmp(key, "container_name")) {
		container_name(c, k, v, where, s);
	} else if (!strcmp(key, "ulimits")) {
		ulimits(c, v, where, &j->rctl, &j->nrctl);
	} else if (!strcmp(key, "env_file")) {
		env_files(c, v, where, &j->env, &j->nenv);
	} else if (!strcmp(key, "ports")) {
		ports(c, v, where, &j->rdr, &j->nrdr);
	} else if (!strcmp(key, "volumes")) {
		volumes(c, v, where, &j->mnt, &j->nmnt);
	} else if (!strcmp(key, "depends_on")) {
		depends(c, v, where, s);
	} else if (!strcmp(key, "networks")) {
		/* cx_svc_networks, before any service's address is given */
	} else if (!strcmp(key, "cap_add") || !strcmp(key, "cap_drop")) {
		/* Every layer's (extends), appended: svcopts.c */
		bool add = !strcmp(key, "cap_add");
		struct fy_node ***at = add ? &s->cap_add : &s->cap_drop;
		size_t *nat = add ? &s->ncap_add : &s->ncap_drop;

		*at = xrealloc(*at, (*nat + 1) * sizeof(**at));
		(*at)[(*nat)++] = v;
	} else if (!strcmp(key, "dns") || !strcmp(key, "dns_search") || !strcmp(key, "dns_opt")) {
		cx_dns(c, s, v, key, where);
	} else if (!strcmp(key, "sysctls")) {
		cx_sysctls(c, v, where);
	} else if (!strcmp(key, "restart")) {
		restart(c, v, where, j);
	} else if (!strcmp(key, "deploy")) {
		deploy(c, v, where, &j->rctl, &j->nrctl);
	} else if (!strcmp(key, "mem_limit") || !strcmp(key, "cpus") || !strcmp(key, "pids_limit")) {
		cleanup_free char *val = cx_str(c, v, where);

		if (val)
			limit(c, k, where, key[0] == 'm' ? "memory" : key[0] == 'c' ? "cpus" : "pids",
			      val, &j->rctl, &j->nrctl);
	} else {
		for (size_t i = 0; i < sizeof(unsupported) / sizeof(*unsupported); i++)
			if (!strcmp(key, unsupported[i].key)) {
				cx_unsup(c, k, where, "%s", unsupported[i].why);
				return;
			}
		cx_unsup(c, k, where, "not mapped by brig compose import");
	}
}

/* A NAME=value entry whose name is one of v's. */
static bool env_named(const char *var, char *const *v, size_t n)
{
	size_t k = strcspn(var, "=");

	for (size_t i = 0; i < n; i++)
		if (!strncmp(v[i], var, k) && v[i][k] == '=')
			return true;
	return false;
}

/* How the service runs: its own entrypoint, command, environment,
 * working directory, user and stop signal, and its image's (im, when
 * known) for what it leaves out, as Docker merges them. */
static void service_run(struct strbuf *o, const struct jail *j, const struct compose_image *im)
{
	char **w = NULL, **env = NULL;
	size_t nw = 0, nenv = 0;
	const char *workdir = j->workdir, *user = j->user, *stopsig = j->stopsig;

	if (im) {
		for (size_t i = 0; i < im->nenv; i++)
			if (!env_named(im->env[i], j->env, j->nenv))
				cx_strv_push(&env, &nenv, xstrdup(im->env[i]));
		workdir = workdir ? workdir : im->workdir;
		user = user ? user : im->user;
		stopsig = stopsig ? stopsig : im->stop_signal;
	}
	/* A name given twice (env_file and environment, an extended
	 * service's and its own): the last one. */
	for (size_t i = 0; i < j->nenv; i++)
		if (!env_named(j->env[i], j->env + i + 1, j->nenv - i - 1))
			cx_strv_push(&env, &nenv, xstrdup(j->env[i]));
	cx_param_list(o, "exec.env", env, nenv);
	cx_strv_free(env, nenv);

	if (j->nep)
		service_words(j->ep, j->nep, j->ep_shell, &w, &nw);
	else if (im)
		service_words(im->entrypoint, im->nentrypoint, false, &w, &nw);
	if (j->ncmd)
		service_words(j->cmd, j->ncmd, j->cmd_shell, &w, &nw);
	else if (im && !j->nep)
		service_words(im->cmd, im->ncmd, false, &w, &nw);
	cx_param_list(o, "exec.service", w, nw);
	cx_strv_free(w, nw);
	if (workdir)
		cx_param(o, "exec.workdir", workdir);
	if (user)
		cx_param(o, "exec.jail_user", user);
	if (stopsig)
		cx_param(o, "exec.stop.signal", stopsig);
}

static void emit(struct cx *c, struct cx_svc *s, struct jail *j)
{
	struct strbuf *o = &s->conf;
	const struct compose_image *im = NULL;

	sb_addf(o, "# Made by `brig compose import` from %s: service %s of project %s.\n"
		   "# Edit the compose file and import it again: this file is rewritten.\n"
		   "%s_%s {\n", c->file, s->name, c->project, c->project, s->name);
	cx_param(o, "host.hostname", j->hostname ? j->hostname : s->name);
	{
		cleanup_free char *root = xasprintf("%s/jails/%s_%s/root", c->storedir, c->project,
						    s->name);

		cx_param(o, "path", root);
	}
	if (j->image) {
		cleanup_free char *t = template_name(j->image);

		im = c->image ? c->image(c->image_ctx, t) : NULL;
		sb_addf(o, "\t# image ");
		for (const char *p = j->image; *p; p++)
			sb_addc(o, (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
		sb_addf(o, ": template %s\n", t);
		free(s->tmpl);
		s->tmpl = xstrdup(t);
	}
	cx_svc_network_conf(s, o);
	cx_param_list(o, "rdr", j->rdr, j->nrdr);
	if (s->ndeps) {
		cleanup_free char **d = xcalloc(s->ndeps, sizeof(*d));

		for (size_t i = 0; i < s->ndeps; i++)
			d[i] = xasprintf("%s_%s", c->project, s->deps[i]);
		cx_param_list(o, "depend", d, s->ndeps);
		for (size_t i = 0; i < s->ndeps; i++)
			free(d[i]);
	}
	service_run(o, j, im);
	if (j->restart)
		cx_param(o, "exec.restart", j->restart);
	if (j->nmnt) {
		/* ${path} is the jail's own root: written unquoted-$ on purpose. */
		sb_adds(o, "\tmount = ");
		for (size_t i = 0; i < j->nmnt; i++) {
			struct strbuf l = STRBUF_INIT;
			char *dollar = strstr(j->mnt[i], " ${path}");

			if (i)
				sb_adds(o, ",\n\t    ");
			*dollar = '\0';
			conf_quote(&l, j->mnt[i]);
			l.s[--l.len] = '\0';
			sb_adds(o, l.s);
			sb_adds(o, " ${path}");
			sb_free(&l);
			conf_quote(&l, dollar + 8);
			sb_adds(o, l.s + 1);
			sb_free(&l);
		}
		sb_adds(o, ";\n");
	}
	cx_param_list(o, "rctl", j->rctl, j->nrctl);
	cx_caps(c, s, o);
	sb_adds(o, "}\n");
}

/* Whether service v is in the profiles asked for (one without profiles
 * always is); a service left out is named in the notes. */
static bool profiled(struct cx *c, struct fy_node *v, const char *name)
{
	struct fy_node *pr = v && fy_node_is_mapping(v) ?
		fy_node_mapping_lookup_by_string(v, "profiles", FY_NT) : NULL;
	cleanup_free char *where = xasprintf("services.%s.profiles", name);
	struct strbuf list = STRBUF_INIT;
	struct fy_node *e;
	void *it = NULL;
	bool on = false;

	if (!pr)
		return true;
	if (!fy_node_is_sequence(pr)) {
		cx_unsup(c, pr, where, "expected a list of profile names: the service is imported");
		return true;
	}
	while ((e = fy_node_sequence_iterate(pr, &it))) {
		cleanup_free char *s = cx_str(c, e, where);

		for (size_t i = 0; s && i < c->nprofiles; i++)
			on = on || !strcmp(s, c->profiles[i]) || !strcmp(c->profiles[i], "*");
		if (s && list.len < 200)
			sb_addf(&list, "%s%s", list.len ? ", " : "", cx_name_ok(s) ? s : "?");
	}
	if (!on)
		sb_addf(&c->notes, "service %s left out: its profiles are %s (--profile NAME takes "
			"it in)\n", name, list.len ? list.s : "none");
	sb_free(&list);
	return on;
}

/* The keys by which extends merges lists (the Compose Specification): a
 * mount's target, an rctl rule's resource, a whole rdr rule. */
static const char *key_target(const char *s, size_t *len)
{
	const char *p = strstr(s, " ${path}");

	p = p ? p : s;
	*len = strcspn(p + 1, " ") + 1;
	return p;
}

static const char *key_resource(const char *s, size_t *len)
{
	*len = strcspn(s, ":");
	return s;
}

static const char *key_all(const char *s, size_t *len)
{
	*len = strlen(s);
	return s;
}

/* Entries of v with the same key become one: the place of the first, the
 * value of the last (a later layer's). */
static void last_by(char **v, size_t *n, const char *(*key)(const char *, size_t *))
{
	for (size_t i = 0; i < *n; i++) {
		size_t li, lj;
		const char *ki = key(v[i], &li);

		for (size_t j = i + 1; j < *n; j++) {
			const char *kj = key(v[j], &lj);

			if (li != lj || memcmp(ki, kj, li))
				continue;
			free(v[i]);
			v[i] = v[j];
			memmove(&v[j], &v[j + 1], (*n - j - 1) * sizeof(*v));
			(*n)--;
			j--;
			ki = key(v[i], &li);
		}
	}
}

int cx_services(struct cx *c, struct fy_node *services)
{
	struct fy_node_pair *p;
	struct fy_node **nodes = NULL;
	void *it = NULL;
	int rc = -1;

	c->services = services;
	while ((p = fy_node_mapping_iterate(services, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *name = k && fy_node_is_scalar(k) ? fy_node_get_scalar0(k) : NULL;
		cleanup_free char *jail = NULL;

		if (!name || !cx_name_ok(name)) {
			snprintf(c->err, sizeof(c->err),
				 "%s:%d: service name \"%s\": letters, digits, '_', '-', '.' only",
				 c->file, cx_line(k), name ? name : "?");
			goto out;
		}
		if (svc_get(c, name)) {
			snprintf(c->err, sizeof(c->err), "%s:%d: service %s: defined twice", c->file,
				 cx_line(k), name);
			goto out;
		}
		jail = xasprintf("%s_%s", c->project, name);
		if (strlen(jail) > 60) {
			snprintf(c->err, sizeof(c->err), "%s:%d: jail name %s: too long", c->file,
				 cx_line(k), jail);
			goto out;
		}
		if (!fy_node_pair_value(p) || !fy_node_is_mapping(fy_node_pair_value(p))) {
			snprintf(c->err, sizeof(c->err), "%s:%d: service %s: not a mapping", c->file,
				 cx_line(k), name);
			goto out;
		}
		if (!profiled(c, fy_node_pair_value(p), name))
			continue;
		if (c->nsvc == CX_SERVICES_MAX) {
			snprintf(c->err, sizeof(c->err), "%s:%d: service %s: more than %d services",
				 c->file, cx_line(k), name, CX_SERVICES_MAX);
			goto out;
		}
		c->svc = xrealloc(c->svc, (c->nsvc + 1) * sizeof(*c->svc));
		memset(&c->svc[c->nsvc], 0, sizeof(*c->svc));
		nodes = xrealloc(nodes, (c->nsvc + 1) * sizeof(*nodes));
		nodes[c->nsvc] = fy_node_pair_value(p);
		c->svc[c->nsvc++].name = xstrdup(name);
	}
	if (!c->nsvc) {
		snprintf(c->err, sizeof(c->err), "%s: no service in the profiles given", c->file);
		goto out;
	}
	/* Each one's layers (extends), then networks first: fixed
	 * addresses are every service's before the others are given. */
	struct cx_layer **lay = xcalloc(c->nsvc, sizeof(*lay));
	size_t *nlay = xcalloc(c->nsvc, sizeof(*nlay));
	const char *file = c->file, *dir = c->dir;

	for (size_t i = 0; i < c->nsvc && !c->err[0]; i++) {
		bool has = false;

		if (cx_extends(c, services, nodes[i], c->svc[i].name, &lay[i], &nlay[i]) < 0)
			break;
		/* Each layer's networks merged into the earlier's, key by key. */
		for (size_t l = 0; l < nlay[i]; l++) {
			struct fy_node *n = fy_node_mapping_lookup_by_string(lay[i][l].svc, "networks",
									     FY_NT);
			if (n) {
				c->file = lay[i][l].file;
				cx_svc_networks(c, &c->svc[i], n, true);
				has = true;
			}
		}
		c->file = file;
		if (!has)
			cx_svc_networks(c, &c->svc[i], NULL, false);
		cx_svc_fixed(c, &c->svc[i]);
	}
	if (!c->err[0])
		cx_svc_addresses(c);
	for (size_t i = 0; i < c->nsvc && !c->err[0]; i++) {
		struct cx_svc *s = &c->svc[i];
		struct jail j = { 0 };

		for (size_t l = 0; l < nlay[i]; l++) {
			struct fy_node_pair *q;
			void *it2 = NULL;

			c->file = lay[i][l].file;
			c->dir = lay[i][l].dir;
			while ((q = fy_node_mapping_iterate(lay[i][l].svc, &it2))) {
				struct fy_node *k = fy_node_pair_key(q);
				cleanup_free char *key = node_key(k);

				if (strcmp(key, "extends") && strcmp(key, "profiles"))
					one_key(c, s, &j, k, fy_node_pair_value(q), key);
			}
		}
		c->file = file;
		c->dir = dir;
		/* Merged as extends merges them: by target, by resource, once. */
		last_by(j.mnt, &j.nmnt, key_target);
		last_by(j.rctl, &j.nrctl, key_resource);
		last_by(j.rdr, &j.nrdr, key_all);
		if (!j.image)
			cx_unsup(c, nodes[i], s->name, "no image: the jail's template is to be given "
				 "by hand");
		emit(c, s, &j);
		jail_free(&j);
	}
	c->file = file;
	c->dir = dir;
	for (size_t i = 0; i < c->nsvc; i++)
		free(lay[i]);
	free(lay);
	free(nlay);
	rc = c->err[0] ? -1 : 0;
out:
	free(nodes);
	return rc;
}
