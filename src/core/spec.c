#include "core/spec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/state.h"
#include "sys/caps.h"
#include "sys/devices.h"
#include "sys/seccomp.h"
#include "util/mem.h"
#include "util/readfile.h"

/* An fstab of 1 MiB is ~10,000 mounts: far more than a jail has. */
#define FSTAB_MAX (1024 * 1024)

/* The values of a list parameter (NULL/0 if unset). */
static size_t spec_list(const struct conf_jail *j, const char *name, char *const **out)
{
	const struct conf_param *p = conf_param(j, name);

	*out = p ? p->values : NULL;
	return p ? p->nvalues : 0;
}

/* "1.2.3.4" of FreeBSD's "em0|1.2.3.4/24" (caller frees). */
static char *spec_bare_addr(const char *v)
{
	const char *bar = strchr(v, '|');

	if (bar)
		v = bar + 1;
	return xstrndup(v, strcspn(v, "/ "));
}

/* path: set, absolute, an existing directory, not a symlink. */
static int check_path(const char *path, struct brig_err *e)
{
	struct stat st;

	if (!path || !*path)
		return brig_err_set(e, 0, "path: not set");
	if (path[0] != '/')
		return brig_err_set(e, 0, "path: \"%s\": not an absolute path", path);
	if (lstat(path, &st) < 0)
		return brig_err_set(e, errno, "path: %s", path);
	if (S_ISLNK(st.st_mode))
		return brig_err_set(e, 0, "path: %s: is a symlink (refused: give the real directory)", path);
	if (!S_ISDIR(st.st_mode))
		return brig_err_set(e, 0, "path: %s: not a directory", path);
	return 0;
}

/* devfs_ruleset: one of FreeBSD's default rulesets, as DEVFS_* sets
 * (config check warns about others; a start refuses them). */
static int check_devfs_ruleset(const struct conf_jail *j, struct jspec *sp, struct brig_err *e)
{
	const struct conf_param *p = conf_param(j, "devfs_ruleset");
	long long r = conf_int(j, "devfs_ruleset", 0);
	int sets = devfs_ruleset_sets(r);

	if (sets < 0) {
		cleanup_free char *at = p && p->file ? xasprintf("%s:%d:%d: ", p->file, p->line, p->col)
						     : xstrdup("");

		return brig_err_set(e, 0, "%sdevfs_ruleset: %lld is not one of FreeBSD's default rulesets "
				    "0-5 (rulesets of devfs.rules(5) are not read)", at, r);
	}
	sp->devsets = (unsigned int)sets;
	return 0;
}

/* The network: own namespace, or the host's stack (ip4/ip6 = inherit). */
static int check_net(const struct conf_jail *j, struct jspec *sp, struct brig_err *e)
{
	const char *ip4 = conf_str(j, "ip4"), *ip6 = conf_str(j, "ip6");
	char *const *v;
	size_t n;

	sp->vnet = conf_bool(j, "vnet", false);
	n = spec_list(j, "ip4.addr", &v);
	for (size_t i = 0; i < n; i++) {
		sp->ip4 = xrealloc(sp->ip4, (sp->nip4 + 1) * sizeof(char *));
		sp->ip4[sp->nip4++] = spec_bare_addr(v[i]);
	}
	n = spec_list(j, "ip6.addr", &v);
	for (size_t i = 0; i < n; i++) {
		sp->ip6 = xrealloc(sp->ip6, (sp->nip6 + 1) * sizeof(char *));
		sp->ip6[sp->nip6++] = spec_bare_addr(v[i]);
	}
	if (sp->vnet) {
		sp->own_net = true;
	} else if (sp->nip4 || sp->nip6) {
		return brig_err_set(e, 0, "%s: a jail sharing the host's addresses (addresses without vnet) "
				    "is not supported yet: use vnet", sp->nip4 ? "ip4.addr" : "ip6.addr");
	} else {
		bool inherit = (ip4 && strcmp(ip4, "inherit") == 0) || (ip6 && strcmp(ip6, "inherit") == 0);

		sp->own_net = !inherit;
	}
	return 0;
}

/* "HOSTID:COUNT" or "HOSTUID:HOSTGID:COUNT" into m; false if malformed. */
static bool parse_map(const char *v, struct idmap *m)
{
	unsigned long long f[3];
	size_t n = 0;

	for (const char *p = v;; p++) {
		char *end;

		if (n == 3 || *p < '0' || *p > '9')
			return false;
		errno = 0;
		f[n++] = strtoull(p, &end, 10);
		if (errno || f[n - 1] > UINT32_MAX || (*end != ':' && *end != '\0'))
			return false;
		if (*end == '\0')
			break;
		p = end;
	}
	if (n < 2)
		return false;
	m->uid = (uint32_t)f[0];
	m->gid = (uint32_t)f[n == 3 ? 1 : 0];
	m->count = (uint32_t)f[n - 1];
	return true;
}

/* userns and userns.map: a user namespace, its ids given or allocated at
 * start (count 0). Needs a network namespace of its own (sysfs can be
 * mounted in a user namespace only over a network namespace that
 * namespace owns). */
static int check_userns(const struct conf_jail *j, struct jspec *sp, struct brig_err *e)
{
	const char *map = conf_str(j, "userns.map");

	sp->userns = conf_bool(j, "userns", false) || (map && *map);
	if (!sp->userns)
		return 0;
	if (map && *map && strcmp(map, "auto") != 0) {
		struct idmap *m = &sp->usermap;

		if (!parse_map(map, m))
			return brig_err_set(e, 0, "userns.map: \"%s\": not auto, HOSTID:COUNT or "
					    "HOSTUID:HOSTGID:COUNT", map);
		if (m->count == 0 || m->count == UINT32_MAX)
			return brig_err_set(e, 0, "userns.map: \"%s\": the count must be 1 to %u", map,
					    UINT32_MAX - 1);
		if (m->uid == 0 || m->gid == 0)
			return brig_err_set(e, 0, "userns.map: \"%s\": host id 0 (root) would be root in "
					    "the jail; give a range of unprivileged ids", map);
		if ((uint64_t)m->uid + m->count > UINT32_MAX || (uint64_t)m->gid + m->count > UINT32_MAX)
			return brig_err_set(e, 0, "userns.map: \"%s\": past the last id", map);
	}
	if (!sp->own_net)
		return brig_err_set(e, 0, "userns: needs a network of its own (not ip4/ip6 = inherit)");
	return 0;
}

/* Append m (taken over) to the jail's mounts. */
static void add_mount(struct jspec *sp, struct jmount *m)
{
	if (m->kind == JM_DEVFS)
		m->devsets = sp->devsets;
	sp->mounts = xrealloc(sp->mounts, (sp->nmounts + 1) * sizeof(*sp->mounts));
	sp->mounts[sp->nmounts++] = *m;
}

/* Parse one fstab line into sp; origin names it in messages. */
static int parse_entry(struct jspec *sp, const char *line, char *origin, struct brig_err *e)
{
	struct jmount m;
	int r = jmount_parse(line, sp->path, &m, e);

	if (r < 0) {
		brig_err_wrap(e, "%s", origin);
		free(origin);
		return -1;
	}
	if (r == 0) {
		free(origin);
		return 0;
	}
	m.origin = origin;
	add_mount(sp, &m);
	return 0;
}

/* mount.fstab: every line of the file. */
static int read_fstab(struct jspec *sp, const char *file, struct brig_err *e)
{
	cleanup_free char *text = NULL;
	char *save = NULL;
	int lineno = 0, r = 0;

	/* A regular file of at most 1 MiB: a FIFO would hold the start in
	 * open(2), where no signal reaches it. */
	if (read_bounded(AT_FDCWD, file, READ_PATH, FSTAB_MAX, &text, NULL, e) < 0)
		return brig_err_wrap(e, "mount.fstab");
	for (char *p = text; r == 0 && *p; p = save) {
		char *line = p;

		save = p + strcspn(p, "\n");
		if (*save)
			*save++ = '\0';
		r = parse_entry(sp, line, xasprintf("mount.fstab: line %d", ++lineno), e);
	}
	return r;
}

/* The mounts, in FreeBSD's order: mount, mount.fstab, mount.devfs,
 * mount.procfs (always: a PID namespace needs its own /proc), and a
 * read-only /sys. */
static int build_mounts(const struct conf_jail *j, struct jspec *sp, struct brig_err *e)
{
	const char *fstab = conf_str(j, "mount.fstab");
	char *const *v;
	size_t n = spec_list(j, "mount", &v);
	struct jmount m;

	for (size_t i = 0; i < n; i++)
		if (parse_entry(sp, v[i], xasprintf("mount: entry %zu", i + 1), e) < 0)
			return -1;
	if (fstab && *fstab && read_fstab(sp, fstab, e) < 0)
		return -1;
	if (conf_bool(j, "mount.devfs", false)) {
		m = (struct jmount){ .kind = JM_DEVFS, .target = xstrdup("/dev"),
				     .origin = xstrdup("mount.devfs") };
		add_mount(sp, &m);
	}
	m = (struct jmount){ .kind = JM_PROC, .target = xstrdup("/proc"), .origin = xstrdup("mount.procfs") };
	add_mount(sp, &m);
	m = (struct jmount){ .kind = JM_SYSFS, .target = xstrdup("/sys"), .origin = xstrdup("sysfs") };
	add_mount(sp, &m);
	return 0;
}

void spec_runtime(const struct conf_jail *j, struct jspec *sp)
{
	sp->persist = conf_bool(j, "persist", false);
	sp->stop_timeout = conf_int(j, "stop.timeout", 10);
	sp->exec_timeout = conf_int(j, "exec.timeout", 0);
	sp->clean = conf_bool(j, "exec.clean", false);
	sp->jail_user = conf_str(j, "exec.jail_user");
	sp->system_user = conf_str(j, "exec.system_user");
	sp->consolelog = conf_str(j, "exec.consolelog");
}

int spec_build(const struct conf_jail *j, struct jspec *sp, struct brig_err *e)
{
	const char *hn = conf_str(j, "host.hostname");
	const char *why = conf_name_invalid(j->name);
	struct jail_allow allow;

	memset(sp, 0, sizeof(*sp));
	if (why)
		return brig_err_set(e, 0, "name \"%s\" %s", j->name, why);
	if (check_path(conf_str(j, "path"), e) < 0)
		return -1;
	sp->path = xstrdup(conf_str(j, "path"));
	/* FreeBSD's host = inherit: the host's name (no UTS namespace);
	 * host.hostname implies host = new. */
	if (!hn && !conf_bool(j, "host", true))
		sp->hostname = NULL;
	else
		sp->hostname = xstrdup(hn && *hn ? hn : j->name);
	if (sp->hostname && strlen(sp->hostname) > 64)
		return brig_err_set(e, 0, "host.hostname: \"%s\": longer than 64 bytes", sp->hostname);
	spec_runtime(j, sp);
	if (!sp->persist && !conf_param(j, "exec.start") && !conf_param(j, "command"))
		return brig_err_set(e, 0, "a jail needs persist, exec.start or command (it would end at once)");
	if (sp->stop_timeout < 0 || sp->exec_timeout < 0)
		return brig_err_set(e, 0, "%s: must not be negative",
				    sp->stop_timeout < 0 ? "stop.timeout" : "exec.timeout");
	if (check_net(j, sp, e) < 0 || check_userns(j, sp, e) < 0)
		return -1;
	sp->nsflags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWCGROUP |
		      (sp->hostname ? CLONE_NEWUTS : 0) | (sp->own_net ? CLONE_NEWNET : 0) |
		      (sp->userns ? CLONE_NEWUSER : 0);
	allow = (struct jail_allow){
		.raw_sockets = conf_bool(j, "allow.raw_sockets", false),
		.mlock = conf_bool(j, "allow.mlock", false),
		.settime = conf_bool(j, "allow.settime", false) || conf_bool(j, "allow.adjtime", false),
		/* Never over the host's own network stack. */
		.routing = sp->own_net && conf_bool(j, "allow.routing", false),
		.userns = sp->userns,
	};
	sp->caps = caps_jail_set(&allow);
	sp->socket_af = conf_bool(j, "allow.socket_af", false);
	sp->jid = (int)conf_int(j, "jid", 0);
	if (check_devfs_ruleset(j, sp, e) < 0)
		return -1;
	return build_mounts(j, sp, e);
}

void spec_free(struct jspec *sp)
{
	free(sp->path);
	free(sp->hostname);
	for (size_t i = 0; i < sp->nmounts; i++)
		jmount_free(&sp->mounts[i]);
	free(sp->mounts);
	for (size_t i = 0; i < sp->nip4; i++)
		free(sp->ip4[i]);
	free(sp->ip4);
	for (size_t i = 0; i < sp->nip6; i++)
		free(sp->ip6[i]);
	free(sp->ip6);
	memset(sp, 0, sizeof(*sp));
}

const struct seccomp_prog *spec_filter(const struct jstate *st)
{
	return seccomp_jail_filter(st->caps, st->socket_af);
}
