/* config.json as brig's jail model (oci/spec.h). */
#include "oci/spec.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "oci/internal.h"
#include "oci/seccomp.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The jail model's parameters as the producer takes them: by id. */
struct params {
	char **names, **values;
	size_t n, cap;
};

static void param(struct params *p, enum jparam id, const char *value)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->names = xrealloc(p->names, p->cap * sizeof(char *));
		p->values = xrealloc(p->values, p->cap * sizeof(char *));
	}
	p->names[p->n] = xstrdup(jd_name(id));
	p->values[p->n++] = value ? xstrdup(value) : NULL;
}

static void params_free(struct params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->names[i]);
		free(p->values[i]);
	}
	free(p->names);
	free(p->values);
}

static int fail(struct brig_err *e, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct brig_err *e, const char *where, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return brig_err_set(e, 0, "config.json: %s: %s", where, msg);
}

static void warn(struct oci_spec *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct oci_spec *s, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sb_adds(&sb, msg);
	s->warnings = xrealloc(s->warnings, (s->nwarnings + 1) * sizeof(char *));
	s->warnings[s->nwarnings++] = sb_steal(&sb);
}

/* Every member of object o (at where) is one of known[]; NULL-ended. */
int oci_only_keys(const json_t *o, const char *where, const char *const *known, struct brig_err *e)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o))
		return fail(e, where, "not an object");
	json_object_foreach((json_t *)o, k, v) {
		const char *const *p = known;

		while (*p && strcmp(*p, k) != 0)
			p++;
		if (!*p)
			return fail(e, where, "\"%s\" is not supported by brig", k);
	}
	return 0;
}

/* o's member k as a string (NULL: absent); -1 if of another type. */
static int get_str(const json_t *o, const char *k, const char *where, const char **out,
		   struct brig_err *e)
{
	json_t *v = json_object_get(o, k);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return fail(e, where, "\"%s\" is not a string", k);
	*out = json_string_value(v);
	if (strlen(*out) != json_string_length(v))
		return fail(e, where, "\"%s\" holds a NUL byte", k);
	return 0;
}

static int get_bool(const json_t *o, const char *k, const char *where, bool *out, struct brig_err *e)
{
	json_t *v = json_object_get(o, k);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return fail(e, where, "\"%s\" is not a boolean", k);
	*out = json_is_true(v);
	return 0;
}

/* A number in [lo, hi]; absent: *out unchanged, 0. */
static int get_int(const json_t *o, const char *k, const char *where, long long lo, long long hi,
		   long long *out, bool *given, struct brig_err *e)
{
	json_t *v = json_object_get(o, k);

	if (given)
		*given = false;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return fail(e, where, "\"%s\" is not an integer", k);
	if (json_integer_value(v) < lo || json_integer_value(v) > hi)
		return fail(e, where, "\"%s\" is out of range (%lld)", k, (long long)json_integer_value(v));
	*out = json_integer_value(v);
	if (given)
		*given = true;
	return 0;
}

/* An array of strings as a NULL-ended vector (absent: an empty one). */
static int get_strv(const json_t *o, const char *k, const char *where, char ***out, size_t *n,
		    struct brig_err *e)
{
	json_t *a = json_object_get(o, k), *v;
	size_t i;

	*out = xcalloc(1, sizeof(char *));
	if (n)
		*n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return fail(e, where, "\"%s\" is not an array", k);
	*out = xrealloc(*out, (json_array_size(a) + 1) * sizeof(char *));
	(*out)[0] = NULL;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
			return fail(e, where, "\"%s\"[%zu] is not a string", k, i);
		(*out)[i] = xstrdup(json_string_value(v));
		(*out)[i + 1] = NULL;
		if (n)
			*n = i + 1;
	}
	return 0;
}

static void strv_free0(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* ---- process ---- */

static const struct {
	const char *name;
	int res;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS }, { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS }, { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static int parse_rlimits(const json_t *a, struct oci_spec *s, struct brig_err *e)
{
	static const char *const keys[] = { "type", "soft", "hard", NULL };
	json_t *r;
	size_t i;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return fail(e, "process.rlimits", "not an array");
	s->rlimits = xcalloc(json_array_size(a) + 1, sizeof(*s->rlimits));
	json_array_foreach(a, i, r) {
		char where[64];
		const char *type;
		long long soft = 0, hard = 0;
		size_t k;

		snprintf(where, sizeof(where), "process.rlimits[%zu]", i);
		if (oci_only_keys(r, where, keys, e) < 0 || get_str(r, "type", where, &type, e) < 0 ||
		    get_int(r, "soft", where, 0, LLONG_MAX, &soft, NULL, e) < 0 ||
		    get_int(r, "hard", where, 0, LLONG_MAX, &hard, NULL, e) < 0)
			return -1;
		for (k = 0; type && k < ARRAY_SIZE(rlimit_names); k++)
			if (strcmp(rlimit_names[k].name, type) == 0)
				break;
		if (!type || k == ARRAY_SIZE(rlimit_names))
			return fail(e, where, "unknown type \"%s\"", type ? type : "");
		if (soft > hard)
			return fail(e, where, "soft limit above the hard one");
		for (size_t j = 0; j < s->nrlimits; j++)
			if (s->rlimits[j].resource == rlimit_names[k].res)
				return fail(e, where, "%s given twice", type);
		/* JSON has no number for RLIM_INFINITY: runc takes the
		 * largest uint64, which jansson cannot hold; LLONG_MAX and
		 * above mean unlimited. */
		s->rlimits[s->nrlimits++] = (struct oci_rlimit){
			rlimit_names[k].res,
			soft == LLONG_MAX ? RLIM_INFINITY : (unsigned long long)soft,
			hard == LLONG_MAX ? RLIM_INFINITY : (unsigned long long)hard };
	}
	return 0;
}

int oci_cap_number(const char *name)
{
	cap_value_t v;

	if (strncmp(name, "CAP_", 4) != 0 || cap_from_name(name, &v) < 0 || v < 0 || v > 63)
		return -1;
	return v;
}

/* The bounding set; the other sets must be within it (brig gives root
 * in the jail its bounding set, any other user none, as a jail does). */
static int parse_caps(const json_t *c, struct params *p, struct oci_spec *s, struct brig_err *e)
{
	static const char *const keys[] = { "bounding", "effective", "inheritable", "permitted", "ambient",
					    NULL };
	static const struct {
		int cap;
		enum jparam id;
	} grant[] = {
		{ CAP_NET_RAW, JP_ALLOW_RAW_SOCKETS }, { CAP_IPC_LOCK, JP_ALLOW_MLOCK },
		{ CAP_SYS_TIME, JP_ALLOW_SETTIME }, { CAP_LINUX_IMMUTABLE, JP_ALLOW_CHFLAGS },
	};
	/* caps_jail_set()'s base set, and what allow.* adds. */
	const uint64_t base = (1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | (1ULL << CAP_FSETID) |
			      (1ULL << CAP_FOWNER) | (1ULL << CAP_SETGID) | (1ULL << CAP_SETUID) |
			      (1ULL << CAP_SETFCAP) | (1ULL << CAP_SETPCAP) |
			      (1ULL << CAP_NET_BIND_SERVICE) | (1ULL << CAP_SYS_CHROOT) |
			      (1ULL << CAP_KILL) | (1ULL << CAP_AUDIT_WRITE);
	uint64_t sets[5] = { 0 };

	if (!c)
		return 0;
	if (oci_only_keys(c, "process.capabilities", keys, e) < 0)
		return -1;
	for (size_t k = 0; keys[k]; k++) {
		char where[64];
		char **v = NULL;
		int r = 0;

		snprintf(where, sizeof(where), "process.capabilities.%s", keys[k]);
		if (get_strv(c, keys[k], "process.capabilities", &v, NULL, e) < 0) {
			strv_free0(v);
			return -1;
		}
		for (size_t i = 0; v[i] && r == 0; i++) {
			int n = oci_cap_number(v[i]);

			if (n < 0)
				r = fail(e, where, "unknown capability \"%s\"", v[i]);
			else
				sets[k] |= 1ULL << n;
		}
		strv_free0(v);
		if (r < 0)
			return -1;
	}
	/* Docker's and containerd's default set holds CAP_MKNOD: left out
	 * (a jail cannot make device nodes; its /dev is brig's), said. */
	if (sets[0] & (1ULL << CAP_MKNOD)) {
		warn(s, "process.capabilities: CAP_MKNOD is not granted (a brig jail makes no device "
		     "nodes; its /dev holds those of devfs_ruleset 4)");
		for (size_t k = 0; k < 5; k++)
			sets[k] &= ~(1ULL << CAP_MKNOD);
	}
	for (size_t i = 0; i < ARRAY_SIZE(grant); i++)
		if (sets[0] & (1ULL << grant[i].cap))
			param(p, grant[i].id, "true");
	if (!(sets[0] & (1ULL << CAP_NET_BIND_SERVICE)))
		param(p, JP_ALLOW_RESERVED_PORTS, "false");
	for (int n = 0; n < 64; n++) {
		bool ok = (base | (1ULL << CAP_NET_RAW) | (1ULL << CAP_IPC_LOCK) | (1ULL << CAP_SYS_TIME) |
			   (1ULL << CAP_LINUX_IMMUTABLE)) & (1ULL << n);
		char *name;

		if (!(sets[0] & (1ULL << n)) || ok)
			continue;
		name = cap_to_name(n);
		for (char *q = name; q && *q; q++)
			*q = (char)toupper((unsigned char)*q);
		fail(e, "process.capabilities.bounding", "%s is never granted in a brig jail "
		     "(SECURITY.md: it reaches the host)", name);
		cap_free(name);
		return -1;
	}
	for (size_t k = 1; k < 5; k++)
		if (sets[k] & ~sets[0])
			return fail(e, "process.capabilities", "%s holds capabilities outside the bounding set",
				    keys[k]);
	if (sets[4])
		warn(s, "process.capabilities.ambient: not raised (a non-root user in a brig jail holds "
		     "no capability)");
	s->caps = sets[0];
	return 0;
}

static int parse_user(const json_t *u, struct oci_spec *s, struct brig_err *e)
{
	static const char *const keys[] = { "uid", "gid", "additionalGids", "umask", "username", NULL };
	long long uid = 0, gid = 0, umask = 022;
	bool has_umask;
	json_t *g, *v;
	size_t i;

	if (!u)
		return fail(e, "process.user", "missing");
	if (oci_only_keys(u, "process.user", keys, e) < 0 ||
	    get_int(u, "uid", "process.user", 0, 0xfffffffeLL, &uid, NULL, e) < 0 ||
	    get_int(u, "gid", "process.user", 0, 0xfffffffeLL, &gid, NULL, e) < 0 ||
	    get_int(u, "umask", "process.user", 0, 0777, &umask, &has_umask, e) < 0)
		return -1;
	if (json_object_get(u, "username"))
		return fail(e, "process.user", "\"username\" is for Windows");
	if (has_umask && umask != 022)
		return fail(e, "process.user", "umask %04llo: only 0022 is supported", umask);
	s->uid = (uid_t)uid;
	s->gid = (gid_t)gid;
	g = json_object_get(u, "additionalGids");
	if (!g || json_is_null(g))
		return 0;
	if (!json_is_array(g))
		return fail(e, "process.user.additionalGids", "not an array");
	s->gids = xcalloc(json_array_size(g) + 1, sizeof(gid_t));
	json_array_foreach(g, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 0xfffffffeLL)
			return fail(e, "process.user.additionalGids", "[%zu] is not a group id", i);
		s->gids[s->ngids++] = (gid_t)json_integer_value(v);
	}
	return 0;
}

static int parse_process(const json_t *pr, struct params *p, struct oci_spec *s, struct brig_err *e)
{
	static const char *const keys[] = { "terminal", "consoleSize", "user", "args", "commandLine", "env",
					    "cwd", "capabilities", "rlimits", "noNewPrivileges",
					    "apparmorProfile", "oomScoreAdj", "selinuxLabel", "ioPriority",
					    "scheduler", "execCPUAffinity", "personality", NULL };
	const char *cwd, *label;
	long long oom = 0;
	size_t nargs;

	if (!pr)
		return fail(e, "process", "missing (brig-oci runs a container's process)");
	if (oci_only_keys(pr, "process", keys, e) < 0)
		return -1;
	for (const char *const *k = (const char *const[]){ "commandLine", "ioPriority", "scheduler",
							   "execCPUAffinity", "personality", NULL };
	     *k; k++)
		if (json_object_get(pr, *k))
			return fail(e, "process", "\"%s\" is not supported by brig", *k);
	if (get_bool(pr, "terminal", "process", &s->terminal, e) < 0 ||
	    get_strv(pr, "args", "process", &s->args, &nargs, e) < 0 ||
	    get_strv(pr, "env", "process", &s->env, NULL, e) < 0 || get_str(pr, "cwd", "process", &cwd, e) < 0 ||
	    get_bool(pr, "noNewPrivileges", "process", &s->no_new_privs, e) < 0 ||
	    get_int(pr, "oomScoreAdj", "process", -1000, 1000, &oom, &s->has_oom, e) < 0 ||
	    parse_user(json_object_get(pr, "user"), s, e) < 0 ||
	    parse_caps(json_object_get(pr, "capabilities"), p, s, e) < 0 ||
	    parse_rlimits(json_object_get(pr, "rlimits"), s, e) < 0)
		return -1;
	s->oom_score_adj = (int)oom;
	if (nargs == 0 || !*s->args[0])
		return fail(e, "process.args", "empty (a container needs a program to run)");
	if (!cwd || cwd[0] != '/')
		return fail(e, "process.cwd", "must be an absolute path");
	s->cwd = xstrdup(cwd);
	for (size_t i = 0; s->env[i]; i++) {
		if (!strchr(s->env[i], '=') || s->env[i][0] == '=')
			return fail(e, "process.env", "\"%s\" is not NAME=VALUE", s->env[i]);
		param(p, JP_EXEC_ENV, s->env[i]);
	}
	param(p, JP_EXEC_CLEAN, "true");
	param(p, JP_EXEC_WORKDIR, cwd);
	if (get_str(pr, "apparmorProfile", "process", &label, e) < 0)
		return -1;
	if (label && *label)
		warn(s, "process.apparmorProfile \"%s\": ignored (brig confines with namespaces, "
		     "capabilities and seccomp)", label);
	if (get_str(pr, "selinuxLabel", "process", &label, e) < 0)
		return -1;
	if (label && *label)
		warn(s, "process.selinuxLabel \"%s\": ignored (brig confines with namespaces, "
		     "capabilities and seccomp)", label);
	return 0;
}

/* ---- mounts ---- */

static bool has_space(const char *s)
{
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\' || *s == '#')
			return true;
	return false;
}

/* What brig's own mounts of a jail already give (its /dev with devpts
 * and a tmpfs at /dev/shm, /proc, a read-only /sys). */
static int covered(const char *dst, const char *type, const char *where, struct oci_spec *s,
		   struct brig_err *e)
{
	static const struct {
		const char *dst, *type;
	} own[] = {
		{ "/proc", "proc" }, { "/dev", "tmpfs" }, { "/dev/pts", "devpts" }, { "/dev/shm", "tmpfs" },
		{ "/dev/shm", "bind" }, { "/sys", "sysfs" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(own); i++)
		if (strcmp(dst, own[i].dst) == 0 && type && strcmp(type, own[i].type) == 0)
			return 1;
	if (strcmp(dst, "/dev/mqueue") == 0 && type && strcmp(type, "mqueue") == 0) {
		warn(s, "%s: mqueue at /dev/mqueue: not mounted (POSIX message queues work without "
		     "it, in the jail's own IPC namespace)", where);
		return 1;
	}
	if (strcmp(dst, "/sys/fs/cgroup") == 0 && type && strcmp(type, "cgroup") == 0) {
		warn(s, "%s: cgroup at /sys/fs/cgroup: not mounted (a brig jail does not see its "
		     "cgroups)", where);
		return 1;
	}
	/* Beneath /dev, a mount would be hidden by brig's /dev, made after. */
	if (strncmp(dst, "/dev/", 5) == 0 || strcmp(dst, "/dev") == 0 || strcmp(dst, "/proc") == 0 ||
	    strcmp(dst, "/sys") == 0)
		return fail(e, where, "%s (%s): not supported (brig makes the jail's /dev, /proc "
			    "and /sys itself)", dst, type ? type : "no type");
	return 0;
}

static int parse_mount(const json_t *m, size_t i, const char *root, struct params *p,
		       struct oci_spec *s, struct brig_err *e)
{
	static const char *const keys[] = { "destination", "type", "source", "options", "uidMappings",
					    "gidMappings", NULL };
	/* Options of mount(8) that brig's mount lines take as they are. */
	static const char *const kept[] = { "ro", "rw", "nosuid", "suid", "nodev", "noexec", "exec",
					    "noatime", "nodiratime", "relatime", "strictatime", "rbind",
					    "bind", NULL };
	/* Propagation: a brig jail's mounts are private anyway; SELinux
	 * relabelling (podman's z, Z) has nothing to do. */
	static const char *const dropped[] = { "private", "rprivate", "slave", "rslave", "z", "Z",
					       "defaults", NULL };
	char where[48];
	const char *dst, *type, *src;
	char **opts = NULL;
	struct strbuf line = STRBUF_INIT, o = STRBUF_INIT;
	bool bind = false;
	int r;

	snprintf(where, sizeof(where), "mounts[%zu]", i);
	if (oci_only_keys(m, where, keys, e) < 0 || get_str(m, "destination", where, &dst, e) < 0 ||
	    get_str(m, "type", where, &type, e) < 0 || get_str(m, "source", where, &src, e) < 0)
		return -1;
	if (json_object_get(m, "uidMappings") || json_object_get(m, "gidMappings"))
		return fail(e, where, "idmapped mounts are not supported by brig");
	if (!dst || dst[0] != '/')
		return fail(e, where, "destination must be an absolute path");
	if (get_strv(m, "options", where, &opts, NULL, e) < 0)
		goto bad;
	for (size_t k = 0; opts[k]; k++)
		if (strcmp(opts[k], "bind") == 0 || strcmp(opts[k], "rbind") == 0)
			bind = true;
	if (type && strcmp(type, "bind") == 0)
		bind = true;
	r = covered(dst, bind ? "bind" : type, where, s, e);
	if (r != 0) {
		strv_free0(opts);
		return r < 0 ? -1 : 0;
	}
	if (has_space(dst) || (src && has_space(src))) {
		fail(e, where, "a source or destination with blanks, '#' or '\\' is not supported");
		goto bad;
	}
	if (!bind && (!type || strcmp(type, "tmpfs") != 0)) {
		fail(e, where, "type \"%s\" is not supported (bind and tmpfs are, and brig's own "
		     "/dev, /proc, /sys)", type ? type : "");
		goto bad;
	}
	if (bind && (!src || src[0] != '/')) {
		fail(e, where, "the source of a bind mount must be an absolute path");
		goto bad;
	}
	for (size_t k = 0; opts[k]; k++) {
		bool keep = false, drop = false;

		for (const char *const *q = kept; *q && !keep; q++)
			keep = strcmp(*q, opts[k]) == 0;
		for (const char *const *q = dropped; *q && !drop; q++)
			drop = strcmp(*q, opts[k]) == 0;
		if (drop)
			continue;
		if (!keep && (bind || (strncmp(opts[k], "size=", 5) != 0 && strncmp(opts[k], "mode=", 5) != 0 &&
				       strncmp(opts[k], "nr_inodes=", 10) != 0 &&
				       strncmp(opts[k], "uid=", 4) != 0 && strncmp(opts[k], "gid=", 4) != 0))) {
			fail(e, where, "option \"%s\" is not supported", opts[k]);
			goto bad;
		}
		if (has_space(opts[k]) || strchr(opts[k], ',')) {
			fail(e, where, "option \"%s\" is not supported", opts[k]);
			goto bad;
		}
		if (o.len)
			sb_addc(&o, ',');
		sb_adds(&o, opts[k]);
	}
	if (bind && !strstr(o.len ? o.s : "", "bind"))
		sb_adds(&o, o.len ? ",bind" : "bind");
	/* A mount point under an earlier entry (a tmpfs) is made when its
	 * turn comes (config.md: mounts in the listed order). */
	sb_adds(&o, o.len ? ",X-mount.mkdir" : "X-mount.mkdir");
	sb_addf(&line, "%s %s%s %s %s", bind ? src : "tmpfs", strcmp(root, "/") == 0 ? "" : root, dst,
		bind ? "nullfs" : "tmpfs", o.len ? o.s : "rw");
	param(p, JP_MOUNT, line.s);
	s->points = xrealloc(s->points, (s->npoints + 1) * sizeof(char *));
	s->point_srcs = xrealloc(s->point_srcs, (s->npoints + 1) * sizeof(char *));
	s->points[s->npoints] = xstrdup(dst + strspn(dst, "/"));
	s->point_srcs[s->npoints++] = bind ? xstrdup(src) : NULL;
	sb_free(&line);
	sb_free(&o);
	strv_free0(opts);
	return 0;
bad:
	sb_free(&line);
	sb_free(&o);
	strv_free0(opts);
	return -1;
}

/* ---- linux ---- */

static int parse_namespaces(const json_t *a, struct params *p, struct oci_spec *s, struct brig_err *e)
{
	static const char *const keys[] = { "type", "path", NULL };
	bool seen_net = false, seen_uts = false, seen_user = false;
	json_t *n;
	size_t i;

	if (!json_is_array(a))
		return fail(e, "linux.namespaces", "not an array");
	json_array_foreach(a, i, n) {
		char where[48];
		const char *type, *path;

		snprintf(where, sizeof(where), "linux.namespaces[%zu]", i);
		if (oci_only_keys(n, where, keys, e) < 0 || get_str(n, "type", where, &type, e) < 0 ||
		    get_str(n, "path", where, &path, e) < 0)
			return -1;
		if (!type)
			return fail(e, where, "no type");
		if (strcmp(type, "network") == 0) {
			seen_net = true;
			if (path) {
				if (path[0] != '/')
					return fail(e, where, "path must be absolute");
				s->netns = xstrdup(path);
			}
			continue;
		}
		if (path && path[0] != '/')
			return fail(e, where, "path must be absolute");
		if (path && strcmp(type, "ipc") == 0) {
			param(p, JP_SYSV_IPCNS, path);
			continue;
		}
		if (path && strcmp(type, "uts") == 0) {
			seen_uts = true;
			param(p, JP_HOST_UTSNS, path);
			continue;
		}
		if (path)
			return fail(e, where, "joining a %s namespace (path) is not supported by brig", type);
		if (strcmp(type, "uts") == 0)
			seen_uts = true;
		else if (strcmp(type, "user") == 0)
			seen_user = true;
		else if (strcmp(type, "pid") != 0 && strcmp(type, "mount") != 0 && strcmp(type, "ipc") != 0 &&
			 strcmp(type, "cgroup") != 0)
			return fail(e, where, "a %s namespace is not supported by brig", type);
	}
	if (s->netns)
		param(p, JP_VNET_NETNS, s->netns);
	param(p, JP_VNET, seen_net ? "new" : "inherit");
	/* No network namespace in the list: the runtime's (config-linux.md:
	 * "the container inherits the runtime's namespace"), the host's
	 * addresses as a jail with ip4 and ip6 = inherit has them. */
	if (!seen_net) {
		param(p, JP_IP4, "inherit");
		param(p, JP_IP6, "inherit");
	}
	param(p, JP_HOST, seen_uts ? "new" : "inherit");
	s->userns = seen_user;
	if (seen_user)
		param(p, JP_USERNS, "true");
	return 0;
}

/* uidMappings/gidMappings: brig's userns.map is one range, the same for
 * users and groups, from 0 in the jail. */
static int parse_idmaps(const json_t *lx, bool userns, struct params *p, struct brig_err *e)
{
	static const char *const keys[] = { "containerID", "hostID", "size", NULL };
	const char *names[2] = { "uidMappings", "gidMappings" };
	long long host[2] = { -1, -1 }, size[2] = { 0, 0 };
	char buf[64];

	for (int k = 0; k < 2; k++) {
		json_t *a = json_object_get(lx, names[k]), *m;
		char where[40];
		long long cid = 0;

		if (!a)
			continue;
		snprintf(where, sizeof(where), "linux.%s", names[k]);
		if (!userns)
			return fail(e, where, "without a user namespace");
		if (!json_is_array(a) || json_array_size(a) != 1)
			return fail(e, where, "brig takes exactly one range");
		m = json_array_get(a, 0);
		if (oci_only_keys(m, where, keys, e) < 0 ||
		    get_int(m, "containerID", where, 0, 0xffffffffLL, &cid, NULL, e) < 0 ||
		    get_int(m, "hostID", where, 0, 0xffffffffLL, &host[k], NULL, e) < 0 ||
		    get_int(m, "size", where, 1, 0xffffffffLL, &size[k], NULL, e) < 0)
			return -1;
		if (cid != 0)
			return fail(e, where, "the range must start at 0 in the container");
	}
	if (host[0] != host[1] || size[0] != size[1])
		return fail(e, "linux.uidMappings", "must equal linux.gidMappings (brig maps users and "
			    "groups alike)");
	if (host[0] >= 0) {
		snprintf(buf, sizeof(buf), "%lld:%lld", host[0], size[0]);
		param(p, JP_USERNS_MAP, buf);
	} else if (userns) {
		param(p, JP_USERNS_MAP, "auto");
	}
	return 0;
}

/* An rctl rule "RESOURCE:deny=V". */
static void rule(struct params *p, const char *resource, unsigned long long v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s:deny=%llu", resource, v);
	param(p, JP_RCTL, buf);
}

/* An allow rule of linux.resources.devices: the nodes of brig's /dev
 * (devfs_ruleset 4: mem's null, zero, full, random, urandom; tty, ptmx;
 * the pts) are there anyway; any other is not given, and said. */
static int allowed_dev(const json_t *x, const char *where, struct oci_spec *s, struct brig_err *e)
{
	const char *type = NULL, *access = NULL;
	long long major = -1, minor = -1;

	if (get_str(x, "type", where, &type, e) < 0 || get_str(x, "access", where, &access, e) < 0 ||
	    get_int(x, "major", where, -1, 0xffffffffLL, &major, NULL, e) < 0 ||
	    get_int(x, "minor", where, -1, 0xffffffffLL, &minor, NULL, e) < 0)
		return -1;
	if (type && strcmp(type, "a") != 0 && strcmp(type, "b") != 0 && strcmp(type, "c") != 0)
		return fail(e, where, "type \"%s\": a, b or c", type);
	/* mknod alone: nothing, a jail holds no CAP_MKNOD. */
	if (access && strcmp(access, "m") == 0)
		return 0;
	if (type && strcmp(type, "c") == 0 && (major == 1 || major == 5 || major == 136))
		return 0;
	warn(s, "%s: allow %s %lld:%lld: not given (brig's /dev holds the nodes of devfs_ruleset 4)",
	     where, type ? type : "a", major, minor);
	return 0;
}

static int parse_resources(const json_t *r, struct params *p, struct oci_spec *s, struct brig_err *e)
{
	static const char *const keys[] = { "memory", "pids", "cpu", "devices", NULL };
	static const char *const mkeys[] = { "limit", "reservation", "swap", "swappiness",
					     "disableOOMKiller", "kernel", "kernelTCP",
					     "useHierarchy", "checkBeforeUpdate", NULL };
	static const char *const ckeys[] = { "shares", "quota", "period", "cpus", "mems", "realtimeRuntime",
					     "realtimePeriod", "burst", "idle", NULL };
	json_t *m, *pd, *c, *d;

	if (!r)
		return 0;
	if (oci_only_keys(r, "linux.resources", keys, e) < 0)
		return -1;
	if ((m = json_object_get(r, "memory"))) {
		long long limit = -1, swap = -1, v = -1;
		bool given;

		if (oci_only_keys(m, "linux.resources.memory", mkeys, e) < 0 ||
		    get_int(m, "limit", "linux.resources.memory", -1, LLONG_MAX, &limit, NULL, e) < 0 ||
		    get_int(m, "swap", "linux.resources.memory", -1, LLONG_MAX, &swap, NULL, e) < 0)
			return -1;
		for (const char *const *k = mkeys + 3; *k; k++) {
			json_t *x = json_object_get(m, *k);

			if (x && !json_is_null(x) && !json_is_false(x))
				return fail(e, "linux.resources.memory", "\"%s\" is not supported by brig", *k);
		}
		if (get_int(m, "reservation", "linux.resources.memory", -1, LLONG_MAX, &v, &given, e) < 0)
			return -1;
		if (given && v > 0)
			warn(s, "linux.resources.memory.reservation: not set (brig sets hard limits only)");
		if (limit > 0)
			rule(p, "memoryuse", (unsigned long long)limit);
		/* The spec's swap is memory plus swap. */
		if (limit > 0 && swap > 0) {
			if (swap < limit)
				return fail(e, "linux.resources.memory", "swap below limit");
			rule(p, "swapuse", (unsigned long long)(swap - limit));
		}
	}
	if ((pd = json_object_get(r, "pids"))) {
		long long limit = 0;

		if (oci_only_keys(pd, "linux.resources.pids", (const char *const[]){ "limit", NULL }, e) < 0 ||
		    get_int(pd, "limit", "linux.resources.pids", LLONG_MIN, LLONG_MAX, &limit, NULL, e) < 0)
			return -1;
		if (limit > 0)
			rule(p, "maxproc", (unsigned long long)limit);
	}
	if ((c = json_object_get(r, "cpu"))) {
		long long quota = -1, period = 100000, shares = 0;
		const char *cpus, *mems;

		if (oci_only_keys(c, "linux.resources.cpu", ckeys, e) < 0 ||
		    get_int(c, "quota", "linux.resources.cpu", -1, LLONG_MAX, &quota, NULL, e) < 0 ||
		    get_int(c, "period", "linux.resources.cpu", 0, LLONG_MAX, &period, NULL, e) < 0 ||
		    get_int(c, "shares", "linux.resources.cpu", 0, LLONG_MAX, &shares, NULL, e) < 0 ||
		    get_str(c, "cpus", "linux.resources.cpu", &cpus, e) < 0 ||
		    get_str(c, "mems", "linux.resources.cpu", &mems, e) < 0)
			return -1;
		for (const char *const *k = ckeys + 5; *k; k++)
			if (json_object_get(c, *k) && !json_is_null(json_object_get(c, *k)))
				return fail(e, "linux.resources.cpu", "\"%s\" is not supported by brig", *k);
		if (mems && *mems)
			return fail(e, "linux.resources.cpu", "\"mems\" is not supported by brig");
		if (shares > 0 && shares != 1024)
			warn(s, "linux.resources.cpu.shares %lld: not set (brig sets a quota, pcpu)", shares);
		if (quota > 0) {
			if (period <= 0)
				return fail(e, "linux.resources.cpu", "quota without a period");
			/* rctl's pcpu is a percentage of one CPU. */
			rule(p, "pcpu",
			     (unsigned long long)((quota * 100 + period - 1) / period));
		}
		if (cpus && *cpus)
			param(p, JP_CPUSET, cpus);
	}
	if ((d = json_object_get(r, "devices"))) {
		json_t *x;
		size_t i;

		/* runc's default: deny all, then its list; brig's /dev is its
		 * own allow-list (devfs_ruleset), so a rule may only deny. */
		if (!json_is_array(d))
			return fail(e, "linux.resources.devices", "not an array");
		json_array_foreach(d, i, x) {
			bool allow = false;
			char where[48];

			snprintf(where, sizeof(where), "linux.resources.devices[%zu]", i);
			if (oci_only_keys(x, where, (const char *const[]){ "allow", "type", "major", "minor",
								       "access", NULL }, e) < 0 ||
			    get_bool(x, "allow", where, &allow, e) < 0)
				return -1;
			if (allow && allowed_dev(x, where, s, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* maskedPaths, readonlyPaths: what brig hides and keeps read-only in
 * every jail (sys/jmount.c) covers Docker's and podman's defaults; other
 * masked paths are the jail's mount.masked (hidden after every mount). */
static int parse_paths(const json_t *lx, struct params *p, struct oci_spec *s, struct brig_err *e)
{
	static const char *const masked[] = { "/proc/kcore", "/proc/keys", "/proc/latency_stats",
					      "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
					      "/proc/acpi", "/proc/scsi", "/proc/asound", "/sys/firmware",
					      "/sys/devices/virtual/powercap", NULL };
	static const char *const ro[] = { "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus",
					  "/proc/fs", "/proc/asound", NULL };
	const char *names[2] = { "maskedPaths", "readonlyPaths" };
	const char *const *lists[2] = { masked, ro };

	for (int k = 0; k < 2; k++) {
		char **v = NULL;
		char where[40];

		snprintf(where, sizeof(where), "linux.%s", names[k]);
		if (get_strv(lx, names[k], "linux", &v, NULL, e) < 0) {
			strv_free0(v);
			return -1;
		}
		for (size_t i = 0; v[i]; i++) {
			const char *const *q = lists[k];

			while (*q && strcmp(*q, v[i]) != 0)
				q++;
			if (*q)
				continue;
			if (k == 0 && v[i][0] == '/' && strcmp(v[i], "/") != 0 && !strstr(v[i], "/../") &&
			    !(strlen(v[i]) >= 3 && strcmp(v[i] + strlen(v[i]) - 3, "/..") == 0)) {
				param(p, JP_MOUNT_MASKED, v[i]);
				continue;
			}
			if (k == 1 && (strncmp(v[i], "/sys/", 5) == 0 || strncmp(v[i], "/proc/", 6) == 0)) {
				warn(s, "%s: %s: not made read-only (brig's /sys is read-only; its /proc "
				     "keeps what Docker's list keeps read-only)", where, v[i]);
				continue;
			}
			fail(e, where, k ? "%s: not supported (brig makes paths of /proc and /sys read-only only)"
					 : "%s: an absolute path, not / and without \"..\", is needed", v[i]);
			strv_free0(v);
			return -1;
		}
		strv_free0(v);
	}
	return 0;
}

static int parse_linux(const json_t *lx, struct params *p, struct oci_spec *s, struct brig_err *e)
{
	static const char *const keys[] = { "namespaces", "uidMappings", "gidMappings", "devices",
					    "cgroupsPath", "resources", "sysctl", "seccomp",
					    "maskedPaths", "readonlyPaths", "mountLabel", "rootfsPropagation",
					    "intelRdt", "personality", "timeOffsets", "memoryPolicy", NULL };
	const char *cg, *label, *prop;
	json_t *ns, *sc, *dev;

	if (!lx)
		return fail(e, "linux", "missing (brig runs Linux containers)");
	if (oci_only_keys(lx, "linux", keys, e) < 0)
		return -1;
	for (const char *const *k = (const char *const[]){ "intelRdt", "personality", "timeOffsets",
							   "memoryPolicy", NULL };
	     *k; k++)
		if (json_object_get(lx, *k))
			return fail(e, "linux", "\"%s\" is not supported by brig", *k);
	ns = json_object_get(lx, "namespaces");
	if (!ns)
		return fail(e, "linux.namespaces", "missing");
	if (parse_namespaces(ns, p, s, e) < 0)
		return -1;
	if (parse_idmaps(lx, s->userns, p, e) < 0 ||
	    parse_resources(json_object_get(lx, "resources"), p, s, e) < 0 || parse_paths(lx, p, s, e) < 0 ||
	    get_str(lx, "cgroupsPath", "linux", &cg, e) < 0 || get_str(lx, "mountLabel", "linux", &label, e) < 0 ||
	    get_str(lx, "rootfsPropagation", "linux", &prop, e) < 0)
		return -1;
	if (cg && *cg)
		warn(s, "linux.cgroupsPath \"%s\": brig puts the jail in its own group (brig/%s)", cg,
		     s->id);
	if (label && *label)
		warn(s, "linux.mountLabel \"%s\": ignored (brig confines with namespaces, capabilities "
		     "and seccomp)", label);
	if (prop && *prop && strcmp(prop, "private") != 0 && strcmp(prop, "rprivate") != 0 &&
	    strcmp(prop, "slave") != 0 && strcmp(prop, "rslave") != 0)
		return fail(e, "linux.rootfsPropagation", "\"%s\": a brig jail's mounts are private", prop);
	if ((dev = json_object_get(lx, "devices")) && !json_is_null(dev) &&
	    (!json_is_array(dev) || json_array_size(dev) > 0))
		return fail(e, "linux.devices", "not supported (brig's /dev holds the devices of "
			    "devfs_ruleset 4)");
	/* The bundle's profile, after brig's own filter: both apply. */
	if ((sc = json_object_get(lx, "seccomp")) && !json_is_null(sc)) {
		if (oci_seccomp_check(sc, e) < 0)
			return -1;
		s->seccomp = json_dumps(sc, JSON_COMPACT);
	}
	{
		json_t *sy = json_object_get(lx, "sysctl");
		const char *k;
		json_t *v;
		size_t n = 0;

		if (sy && !json_is_object(sy))
			return fail(e, "linux.sysctl", "not an object");
		s->sysctl = xcalloc(json_object_size(sy) + 1, sizeof(char *));
		json_object_foreach(sy, k, v) {
			if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
				return fail(e, "linux.sysctl", "\"%s\" is not a string", k);
			if (strncmp(k, "net.", 4) != 0 || strstr(k, "..") || strchr(k, '/'))
				return fail(e, "linux.sysctl", "\"%s\": only net.* is supported by brig", k);
			s->sysctl[n++] = xasprintf("%s=%s", k, json_string_value(v));
		}
	}
	return 0;
}

/* ---- hooks ---- */

static const char *const hook_names[OCI_HOOK__COUNT] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

const char *oci_hook_name(enum oci_hook_kind k)
{
	return k < OCI_HOOK__COUNT ? hook_names[k] : "?";
}

static int parse_hooks(const json_t *h, struct oci_spec *s, struct brig_err *e)
{
	static const char *const keys[] = { "path", "args", "env", "timeout", NULL };

	if (!h)
		return 0;
	static const char *const kinds[] = { "prestart", "createRuntime", "createContainer",
					     "startContainer", "poststart", "poststop", NULL };

	if (oci_only_keys(h, "hooks", kinds, e) < 0)
		return -1;
	for (int k = 0; k < OCI_HOOK__COUNT; k++) {
		json_t *a = json_object_get(h, hook_names[k]), *x;
		size_t i;

		if (!a)
			continue;
		if (!json_is_array(a))
			return fail(e, "hooks", "\"%s\" is not an array", hook_names[k]);
		s->hooks[k] = xcalloc(json_array_size(a) + 1, sizeof(struct oci_hook));
		json_array_foreach(a, i, x) {
			struct oci_hook *hk = &s->hooks[k][s->nhooks[k]++];
			char where[48];
			const char *path;
			long long timeout = 0;

			snprintf(where, sizeof(where), "hooks.%s[%zu]", hook_names[k], i);
			if (oci_only_keys(x, where, keys, e) < 0 || get_str(x, "path", where, &path, e) < 0 ||
			    get_strv(x, "args", where, &hk->args, NULL, e) < 0 ||
			    get_strv(x, "env", where, &hk->env, NULL, e) < 0 ||
			    get_int(x, "timeout", where, 1, 86400, &timeout, NULL, e) < 0)
				return -1;
			if (!path || path[0] != '/')
				return fail(e, where, "path must be absolute");
			hk->path = xstrdup(path);
			hk->timeout = (long)timeout;
		}
	}
	return 0;
}

/* ---- the file ---- */

static int parse_root(const json_t *r, const char *bundle, struct params *p, struct oci_spec *s,
		      char **root, struct brig_err *e)
{
	static const char *const keys[] = { "path", "readonly", NULL };
	const char *path;
	bool ro = false;

	if (!r)
		return fail(e, "root", "missing");
	if (oci_only_keys(r, "root", keys, e) < 0 || get_str(r, "path", "root", &path, e) < 0 ||
	    get_bool(r, "readonly", "root", &ro, e) < 0)
		return -1;
	if (!path || !*path)
		return fail(e, "root.path", "missing");
	if (has_space(path) || (path[0] != '/' && has_space(bundle)))
		return fail(e, "root.path", "a path with blanks, '#' or '\\' is not supported");
	*root = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", bundle, path);
	if (strcmp(*root, "/") == 0)
		return fail(e, "root.path", "the host's root is not a container's");
	param(p, JP_PATH, *root);
	s->readonly = ro;
	if (ro) {
		/* The Handbook's thin jail: a read-only nullfs of the tree
		 * over the jail's root. */
		char *line = xasprintf("%s %s nullfs ro", *root, *root);

		param(p, JP_MOUNT, line);
		free(line);
	}
	return 0;
}

int oci_spec_parse(const char *text, size_t len, const char *bundle, const char *id, struct oci_spec *s,
		   struct brig_err *e)
{
	static const char *const keys[] = { "ociVersion", "root", "mounts", "process", "hostname",
					    "domainname", "hooks", "annotations", "linux", "solaris",
					    "windows", "vm", "zos", "freebsd", NULL };
	struct params p = { 0 };
	cleanup_free char *root = NULL;
	const char *ver, *host, *domain, *why;
	json_error_t jerr;
	json_t *o, *m, *an;
	int r = -1;

	memset(s, 0, sizeof(*s));
	s->id = xstrdup(id);
	if ((why = conf_name_invalid(id)))
		return brig_err_set(e, 0, "container id \"%s\": %s", id, why);
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return brig_err_set(e, 0, "config.json:%d:%d: %s", jerr.line, jerr.column, jerr.text);
	if (oci_only_keys(o, "(top level)", keys, e) < 0)
		goto out;
	for (const char *const *k = (const char *const[]){ "solaris", "windows", "vm", "zos", "freebsd",
							   NULL };
	     *k; k++)
		if (json_object_get(o, *k)) {
			fail(e, *k, "brig runs Linux containers");
			goto out;
		}
	if (get_str(o, "ociVersion", "ociVersion", &ver, e) < 0)
		goto out;
	if (!ver || strncmp(ver, "1.", 2) != 0) {
		fail(e, "ociVersion", "\"%s\": brig reads version 1 of the specification", ver ? ver : "");
		goto out;
	}
	param(&p, JP_PERSIST, "true");
	/* What jls and brig ls -v show of it: a jail run by brig-oci. */
	param(&p, JP_META, "oci");
	param(&p, JP_MOUNT_DEVFS, "true");
	param(&p, JP_DEVFS_RULESET, "4");
	if (parse_root(json_object_get(o, "root"), bundle, &p, s, &root, e) < 0 ||
	    parse_process(json_object_get(o, "process"), &p, s, e) < 0 ||
	    parse_linux(json_object_get(o, "linux"), &p, s, e) < 0 ||
	    parse_hooks(json_object_get(o, "hooks"), s, e) < 0 ||
	    get_str(o, "hostname", "hostname", &host, e) < 0 ||
	    get_str(o, "domainname", "domainname", &domain, e) < 0)
		goto out;
	if (s->readonly && s->userns) {
		fail(e, "root.readonly", "with a user namespace: not supported by brig (its root is an "
		     "idmapped copy)");
		goto out;
	}
	if ((host && *host) || (domain && *domain)) {
		bool uts = false;

		for (size_t i = 0; i < p.n; i++)
			if (strcmp(p.names[i], jd_name(JP_HOST)) == 0)
				uts = strcmp(p.values[i], "new") == 0;
		if (!uts) {
			fail(e, "hostname", "without a uts namespace");
			goto out;
		}
		if (host && *host)
			param(&p, JP_HOST_HOSTNAME, host);
		if (domain && *domain)
			param(&p, JP_HOST_DOMAINNAME, domain);
	}
	if ((m = json_object_get(o, "mounts"))) {
		json_t *x;
		size_t i;

		if (!json_is_array(m)) {
			fail(e, "mounts", "not an array");
			goto out;
		}
		json_array_foreach(m, i, x)
			if (parse_mount(x, i, root, &p, s, e) < 0)
				goto out;
	}
	if ((an = json_object_get(o, "annotations"))) {
		const char *k;
		json_t *v;
		size_t n = 0;

		if (!json_is_object(an)) {
			fail(e, "annotations", "not an object");
			goto out;
		}
		s->annotations = xcalloc(2 * json_object_size(an) + 1, sizeof(char *));
		json_object_foreach(an, k, v) {
			if (!json_is_string(v)) {
				fail(e, "annotations", "\"%s\" is not a string", k);
				goto out;
			}
			s->annotations[n++] = xstrdup(k);
			s->annotations[n++] = xstrdup(json_string_value(v));
		}
	}
	s->def = jail_def_from_params(id, p.names, p.values, p.n);
	/* The producer leaves out a value that is not of its parameter's
	 * type: none may be. */
	for (size_t i = 0; i < p.n; i++) {
		const struct conf_pdef *d = conf_pdef_find(CONF_SCHEMA_JAILS, p.names[i]);

		if (!d || !jd_set(s->def, (enum jparam)(d - conf_jparam(0)))) {
			brig_err_set(e, 0, "config.json: %s = \"%s\": not a valid value", p.names[i],
				     p.values[i] ? p.values[i] : "");
			goto out;
		}
	}
	r = 0;
out:
	json_decref(o);
	params_free(&p);
	return r;
}

void oci_spec_free(struct oci_spec *s)
{
	if (s->def)
		jail_def_free(s->def);
	free(s->id);
	strv_free0(s->args);
	strv_free0(s->env);
	free(s->cwd);
	free(s->gids);
	free(s->rlimits);
	free(s->netns);
	strv_free0(s->sysctl);
	free(s->seccomp);
	for (size_t i = 0; i < s->npoints; i++) {
		free(s->points[i]);
		free(s->point_srcs[i]);
	}
	free(s->points);
	free(s->point_srcs);
	for (int k = 0; k < OCI_HOOK__COUNT; k++) {
		for (size_t i = 0; i < s->nhooks[k]; i++) {
			free(s->hooks[k][i].path);
			strv_free0(s->hooks[k][i].args);
			strv_free0(s->hooks[k][i].env);
		}
		free(s->hooks[k]);
	}
	strv_free0(s->annotations);
	for (size_t i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->warnings);
	memset(s, 0, sizeof(*s));
}

char *oci_spec_default(bool rootless)
{
	static const char *const caps = "\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"";

	return xasprintf(
		"{\n"
		"\t\"ociVersion\": \"1.0.2\",\n"
		"\t\"process\": {\n"
		"\t\t\"terminal\": true,\n"
		"\t\t\"user\": { \"uid\": 0, \"gid\": 0 },\n"
		"\t\t\"args\": [ \"sh\" ],\n"
		"\t\t\"env\": [ \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", "
		"\"TERM=xterm\" ],\n"
		"\t\t\"cwd\": \"/\",\n"
		"\t\t\"capabilities\": {\n"
		"\t\t\t\"bounding\": [ %s ],\n"
		"\t\t\t\"effective\": [ %s ],\n"
		"\t\t\t\"permitted\": [ %s ]\n"
		"\t\t},\n"
		"\t\t\"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024 } ],\n"
		"\t\t\"noNewPrivileges\": true\n"
		"\t},\n"
		"\t\"root\": { \"path\": \"rootfs\", \"readonly\": %s },\n"
		"\t\"hostname\": \"brig\",\n"
		"\t\"mounts\": [\n"
		"\t\t{ \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },\n"
		"\t\t{ \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", "
		"\"options\": [ \"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\" ] },\n"
		"\t\t{ \"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\", "
		"\"options\": [ \"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "
		"\"mode=0620\" ] },\n"
		"\t\t{ \"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\", "
		"\"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\" ] },\n"
		"\t\t{ \"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\", "
		"\"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"ro\" ] }\n"
		"\t],\n"
		"\t\"linux\": {\n"
		"%s"
		"\t\t\"namespaces\": [ { \"type\": \"pid\" }, { \"type\": \"network\" }, "
		"{ \"type\": \"ipc\" }, { \"type\": \"uts\" }, { \"type\": \"mount\" }, "
		"{ \"type\": \"cgroup\" }%s ],\n"
		"\t\t\"maskedPaths\": [ \"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", "
		"\"/proc/keys\", \"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\", "
		"\"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\" ],\n"
		"\t\t\"readonlyPaths\": [ \"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", "
		"\"/proc/sysrq-trigger\" ]\n"
		"\t}\n"
		"}\n",
		caps, caps, caps, rootless ? "false" : "true",
		rootless ? "\t\t\"uidMappings\": [ { \"containerID\": 0, \"hostID\": 100000, "
			   "\"size\": 65536 } ],\n"
			   "\t\t\"gidMappings\": [ { \"containerID\": 0, \"hostID\": 100000, "
			   "\"size\": 65536 } ],\n" : "",
		rootless ? ", { \"type\": \"user\" }" : "");
}

int oci_resources_rules(const char *text, size_t len, char ***rules, size_t *n, struct brig_err *e)
{
	struct params p = { 0 };
	struct oci_spec s = { 0 };
	json_error_t jerr;
	json_t *o;
	int r;

	*rules = NULL;
	*n = 0;
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return brig_err_set(e, 0, "resources:%d:%d: %s", jerr.line, jerr.column, jerr.text);
	r = parse_resources(o, &p, &s, e);
	json_decref(o);
	for (size_t i = 0; r == 0 && i < p.n; i++) {
		if (strcmp(p.names[i], jd_name(JP_RCTL)) != 0) {
			r = brig_err_set(e, 0, "linux.resources: %s cannot change while the container runs",
					 p.names[i]);
			break;
		}
		*rules = xrealloc(*rules, (*n + 2) * sizeof(char *));
		(*rules)[(*n)++] = xstrdup(p.values[i]);
		(*rules)[*n] = NULL;
	}
	params_free(&p);
	oci_spec_free(&s);
	return r;
}

int oci_process_parse(const char *text, size_t len, struct oci_spec *s, struct brig_err *e)
{
	struct params p = { 0 };
	json_error_t jerr;
	json_t *o;
	int r;

	memset(s, 0, sizeof(*s));
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!o)
		return brig_err_set(e, 0, "process.json:%d:%d: %s", jerr.line, jerr.column, jerr.text);
	r = parse_process(o, &p, s, e);
	json_decref(o);
	params_free(&p);
	return r;
}
