#include "core/spec.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "conf/devfs_rules.h"
#include "core/jail.h"
#include "core/state.h"
#include "sys/caps.h"
#include "sys/devices.h"
#include "sys/seccomp.h"
#include "util/mem.h"
#include "util/readfile.h"

/* An fstab of 1 MiB is ~10,000 mounts: far more than a jail has. */
#define FSTAB_MAX (1024 * 1024)

/* path: absolute, an existing directory, not a symlink. */
static int check_path(const char *path, struct brig_err *e)
{
	struct stat st;

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

_Static_assert((int)DEVR_BASIC == (int)DEVFS_BASIC && (int)DEVR_LOGIN == (int)DEVFS_LOGIN &&
		       (int)DEVR_FD == (int)DEVFS_FD,
	       "conf's devfs groups are sys/devices.h's sets");

int jail_devsets(const struct jail_def *d, struct brig_err *e)
{
	long long r = jd_int(d, JP_DEVFS_RULESET);
	int sets = devfs_ruleset_sets(r);
	struct devfs_rules *rules;

	if (sets < 0) {
		rules = devfs_rules_load(e);
		sets = rules ? devfs_rules_eval(rules, r, e) : -1;
		devfs_rules_free(rules);
	}
	if (sets < 0) {
		cleanup_free char *at = jd_where(d, JP_DEVFS_RULESET);

		return brig_err_wrap(e, "%s%s", at, jd_name(JP_DEVFS_RULESET));
	}
	return sets | (jd_on(d, JP_MOUNT_FDESCFS) ? DEVFS_FD : 0);
}

/* devfs_ruleset: the DEVFS_* sets of its /dev. */
static int check_devfs_ruleset(const struct jail_def *d, struct jspec *sp, struct brig_err *e)
{
	int sets = jail_devsets(d, e);

	if (sets < 0)
		return -1;
	sp->devsets = (unsigned int)sets;
	return 0;
}

/* A jailsys parameter set to inherit (unset is not). */
static bool inherits(const struct jail_def *d, enum jparam id)
{
	return jd_str(d, id) && jd_int(d, id) == JSYS_INHERIT;
}

enum sock_mode jail_sock_mode(const struct jail_def *d, enum jparam sys, size_t n)
{
	if (inherits(d, sys))
		return SOCK_ANY;
	return n && !(jd_str(d, sys) && jd_int(d, sys) == JSYS_DISABLE) ? SOCK_LIST : SOCK_NONE;
}

/* What a shared-IP jail may do with one family (jail_sock_mode), and
 * the addresses listed. */
static int sock_family(const struct jail_def *d, enum jparam sys, enum jparam list,
		       const struct jaddr *a, size_t n, int family, struct sock_family *f,
		       struct brig_err *e)
{
	memset(f, 0, sizeof(*f));
	f->mode = jail_sock_mode(d, sys, n);
	if (f->mode != SOCK_LIST)
		return 0;
	if (n > SOCK_ADDRS_MAX)
		return brig_err_set(e, 0, "%s: %zu addresses: at most %d without vnet", jd_name(list), n,
				    SOCK_ADDRS_MAX);
	for (size_t i = 0; i < n; i++)
		if (inet_pton(family, a[i].bare, f->addr[f->n++]) != 1)
			return brig_err_set(e, 0, "%s: \"%s\": not an %s address", jd_name(list),
					    a[i].text, family == AF_INET ? "IPv4" : "IPv6");
	return 0;
}

/* A namespace to join, parameter id (host.utsns, sysv.ipcns): an
 * absolute path, only where the jail has that namespace of its own
 * (own, else what says so: need). */
static int join_path(const struct jail_def *d, enum jparam id, bool own, const char *need, char **out,
		     struct brig_err *e)
{
	const char *p = jd_nonempty(d, id);

	if (!p)
		return 0;
	if (!own)
		return brig_err_set(e, 0, "%s: only with %s", jd_name(id), need);
	if (p[0] != '/')
		return brig_err_set(e, 0, "%s: \"%s\": not an absolute path", jd_name(id), p);
	*out = xstrdup(p);
	return 0;
}

/* The network: a stack of its own (vnet; or, without addresses, an empty
 * one), or the host's: shared IP (addresses, or ip4/ip6 = inherit). */
static int check_net(const struct jail_def *d, struct jspec *sp, struct brig_err *e)
{
	sp->vnet = jd_on(d, JP_VNET);
	sp->nip4 = d->nip4;
	sp->ip4 = xcalloc(d->nip4 + 1, sizeof(char *));
	for (size_t i = 0; i < d->nip4; i++)
		sp->ip4[i] = xstrdup(d->ip4[i].bare);
	sp->nip6 = d->nip6;
	sp->ip6 = xcalloc(d->nip6 + 1, sizeof(char *));
	for (size_t i = 0; i < d->nip6; i++)
		sp->ip6[i] = xstrdup(d->ip6[i].bare);
	sp->shared = !sp->vnet && (sp->nip4 || sp->nip6 || inherits(d, JP_IP4) || inherits(d, JP_IP6));
	sp->own_net = !sp->shared;
	if (jd_nonempty(d, JP_VNET_NETNS)) {
		const char *ns = jd_str(d, JP_VNET_NETNS);

		if (!sp->vnet || jd_val(d, JP_VNET_BRIDGE)->n || d->nip4 || d->nip6)
			return brig_err_set(e, 0, "%s: only with vnet = new, without vnet.bridge or addresses "
					    "(the namespace's network is its maker's)", jd_name(JP_VNET_NETNS));
		if (ns[0] != '/')
			return brig_err_set(e, 0, "%s: \"%s\": not an absolute path", jd_name(JP_VNET_NETNS), ns);
		sp->netns = xstrdup(ns);
	}
	if (!sp->shared)
		return 0;
	sp->sock.raw = jd_on(d, JP_ALLOW_RAW_SOCKETS);
	return sock_family(d, JP_IP4, JP_IP4_ADDR, d->ip4, d->nip4, AF_INET, &sp->sock.v4, e) < 0 ||
	       sock_family(d, JP_IP6, JP_IP6_ADDR, d->ip6, d->nip6, AF_INET6, &sp->sock.v6, e) < 0 ? -1 : 0;
}

/* System V IPC: the host's with allow.sysvipc (FreeBSD's older form) or
 * any of sysvmsg, sysvsem, sysvshm = inherit (Linux has one IPC namespace
 * for the three); else an IPC namespace of its own, empty (disable too:
 * nothing of the host's to see). */
static bool host_ipc(const struct jail_def *d)
{
	return jd_on(d, JP_ALLOW_SYSVIPC) || inherits(d, JP_SYSVMSG) || inherits(d, JP_SYSVSEM) ||
	       inherits(d, JP_SYSVSHM);
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
static int check_userns(const struct jail_def *d, struct jspec *sp, struct brig_err *e)
{
	const char *map = jd_nonempty(d, JP_USERNS_MAP);

	sp->userns = jd_on(d, JP_USERNS) || map;
	if (!sp->userns)
		return 0;
	if (map && strcmp(map, "auto") != 0) {
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
		return brig_err_set(e, 0, "userns: needs a network of its own, not the host's "
				    "(ip4/ip6 = inherit, or addresses without vnet)");
	return 0;
}

/* Append m (taken over) to the jail's mounts; an fdescfs entry only asks
 * brig's /dev for the fd links: /dev/fd (build_mounts gives each /dev its
 * sets), or DIR/fd of a devfs mounted at DIR before it. */
static int add_mount(struct jspec *sp, struct jmount *m, struct brig_err *e)
{
	if (m->kind == JM_FDESCFS) {
		size_t dl = strlen(m->target) - 3;	/* DIR of DIR/fd (jmount_parse) */
		bool found = strcmp(m->target, "/dev/fd") == 0;

		for (size_t i = 0; i < sp->nmounts && !found; i++)
			found = sp->mounts[i].kind == JM_DEVFS && strlen(sp->mounts[i].target) == dl &&
				strncmp(sp->mounts[i].target, m->target, dl) == 0;
		if (!found) {
			brig_err_set(e, 0, "%s: fdescfs at %s: no devfs mounted at %.*s before it (Linux "
				     "has no fdescfs: its fd links are those of a /dev of brig's)", m->origin,
				     m->target, (int)dl, m->target);
			jmount_free(m);
			return -1;
		}
		sp->devsets |= DEVFS_FD;
		jmount_free(m);
		return 0;
	}
	/* Over the root: the jail's root is its source, bound before the
	 * root is taken, so it must come before any mount beneath it. */
	if (jmount_is_root(m) && (sp->nmounts || strcmp(sp->path, "/") == 0 || sp->userns)) {
		brig_err_set(e, 0, "%s: a mount over the jail's root must be its first mount, "
			     "in a jail whose path is not / and without userns", m->origin);
		jmount_free(m);
		return -1;
	}
	sp->mounts = xrealloc(sp->mounts, (sp->nmounts + 1) * sizeof(*sp->mounts));
	sp->mounts[sp->nmounts++] = *m;
	return 0;
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
	return add_mount(sp, &m, e);
}

/* One file of mount.fstab: every line. */
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
		r = parse_entry(sp, line, xasprintf("mount.fstab %s: line %d", file, ++lineno), e);
	}
	return r;
}

bool jail_own_dev(const struct jail_def *d)
{
	const char *path = jd_nonempty(d, JP_PATH);

	return jd_on(d, JP_MOUNT_DEVFS) || !path || strcmp(path, "/") == 0;
}

/* The mounts, in FreeBSD's order: mount, mount.fstab, mount.devfs (or
 * the host's root's /dev, jail_own_dev),
 * mount.procfs (always: a PID namespace needs its own /proc), and a
 * read-only /sys. */
static int build_mounts(const struct jail_def *d, struct jspec *sp, struct brig_err *e)
{
	size_t n, nf;
	char *const *v = jd_list(d, JP_MOUNT, &n);
	char *const *fstabs = jd_list(d, JP_MOUNT_FSTAB, &nf);
	struct jmount m;

	for (size_t i = 0; i < n; i++)
		if (parse_entry(sp, v[i], xasprintf("mount: entry %zu", i + 1), e) < 0)
			return -1;
	/* Every file in turn, as jail(8) reads them; an empty one skipped. */
	for (size_t i = 0; i < nf; i++)
		if (*fstabs[i] && read_fstab(sp, fstabs[i], e) < 0)
			return -1;
	if (jail_own_dev(d)) {
		struct jail_limits l;

		/* rctl's pseudoterminals: its devpts instance's max=. */
		jail_limits(d, &l);
		m = (struct jmount){ .kind = JM_DEVFS, .target = xstrdup("/dev"),
				     .origin = xstrdup("mount.devfs"),
				     .data = l.pty_max != LIMIT_NONE ?
					     xasprintf("max=%llu", l.pty_max) : NULL };
		add_mount(sp, &m, e);
	}
	m = (struct jmount){ .kind = JM_PROC, .target = xstrdup("/proc"), .origin = xstrdup("mount.procfs") };
	add_mount(sp, &m, e);
	m = (struct jmount){ .kind = JM_SYSFS, .target = xstrdup("/sys"), .origin = xstrdup("sysfs") };
	add_mount(sp, &m, e);
	/* Last: what every mount before them shows, hidden. */
	v = jd_list(d, JP_MOUNT_MASKED, &n);
	for (size_t i = 0; i < n; i++) {
		if (v[i][0] != '/' || strcmp(v[i], "/") == 0 || strstr(v[i], "/../") ||
		    (strlen(v[i]) >= 3 && strcmp(v[i] + strlen(v[i]) - 3, "/..") == 0))
			return brig_err_set(e, 0, "%s: \"%s\": an absolute path in the jail, not / and "
					    "without \"..\", is needed", jd_name(JP_MOUNT_MASKED), v[i]);
		m = (struct jmount){ .kind = JM_MASK, .target = xstrdup(v[i]),
				     .origin = xasprintf("%s: %s", jd_name(JP_MOUNT_MASKED), v[i]) };
		add_mount(sp, &m, e);
	}
	/* After every entry: an fstab's fdescfs line follows its devfs. */
	for (size_t i = 0; i < sp->nmounts; i++)
		if (sp->mounts[i].kind == JM_DEVFS)
			sp->mounts[i].devsets = sp->devsets;
	return 0;
}

/* A signal by name (SIGTERM, TERM, any case) or number; 0 if none. */
static int signal_number(const char *s)
{
	char *end;
	long n;

	if (!s || !*s)
		return 0;
	n = strtol(s, &end, 10);
	if (!*end)
		return n > 0 && n < SIGRTMIN ? (int)n : 0;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (int i = 1; i < SIGRTMIN; i++) {
		const char *abbrev = sigabbrev_np(i);

		if (abbrev && !strcasecmp(s, abbrev))
			return i;
	}
	return 0;
}

int spec_signal(const char *s)
{
	int n = signal_number(s);

	return n ? n : SIGTERM;
}

void spec_runtime(const struct jail_def *d, struct jspec *sp)
{
	sp->persist = jd_on(d, JP_PERSIST);
	sp->stop_timeout = (long)jd_int(d, JP_STOP_TIMEOUT);
	sp->stop_signal = spec_signal(jd_str(d, JP_EXEC_STOP_SIGNAL));
	sp->workdir = jd_str(d, JP_EXEC_WORKDIR);
	sp->exec_timeout = (long)jd_int(d, JP_EXEC_TIMEOUT);
	sp->clean = jd_on(d, JP_EXEC_CLEAN);
	sp->jail_user = jd_str(d, JP_EXEC_JAIL_USER);
	sp->system_user = jd_str(d, JP_EXEC_SYSTEM_USER);
	sp->consolelog = jd_str(d, JP_EXEC_CONSOLELOG);
}

int spec_build(const struct jail_def *d, struct jspec *sp, struct brig_err *e)
{
	const char *hn = jd_str(d, JP_HOST_HOSTNAME);
	const char *why = conf_name_invalid(d->name);
	const char *dn = jd_nonempty(d, JP_HOST_DOMAINNAME);
	struct jail_allow allow;
	long long level;

	memset(sp, 0, sizeof(*sp));
	if (why)
		return brig_err_set(e, 0, "name \"%s\" %s", d->name, why);
	/* Without path, as jail(8): the jail's root is the host's. */
	sp->path = xstrdup(jd_nonempty(d, JP_PATH) ? jd_str(d, JP_PATH) : "/");
	if (check_path(sp->path, e) < 0)
		return -1;
	/* FreeBSD's host = inherit: the host's name (no UTS namespace);
	 * host.hostname implies host = new. */
	if (!hn && !jd_on(d, JP_HOST))
		sp->hostname = NULL;
	else
		sp->hostname = xstrdup(hn && *hn ? hn : d->name);
	if (sp->hostname && strlen(sp->hostname) > 64)
		return brig_err_set(e, 0, "%s: \"%s\": longer than 64 bytes", jd_name(JP_HOST_HOSTNAME),
				    sp->hostname);
	/* The domain name is set in the jail's own UTS namespace only. */
	if (sp->hostname && dn) {
		if (strlen(dn) > 64)
			return brig_err_set(e, 0, "%s: \"%s\": longer than 64 bytes",
					    jd_name(JP_HOST_DOMAINNAME), dn);
		sp->domainname = xstrdup(dn);
	}
	spec_runtime(d, sp);
	if (!sp->persist && !jd_set(d, JP_EXEC_START) && !jd_set(d, JP_COMMAND) && !jd_set(d, JP_EXEC_SERVICE))
		return brig_err_set(e, 0, "a jail needs persist, exec.start, command or exec.service (it would end at once)");
	if (sp->stop_timeout < 0 || sp->exec_timeout < 0)
		return brig_err_set(e, 0, "%s: must not be negative",
				    jd_name(sp->stop_timeout < 0 ? JP_STOP_TIMEOUT : JP_EXEC_TIMEOUT));
	if (!signal_number(jd_str(d, JP_EXEC_STOP_SIGNAL)) ||
	    signal_number(jd_str(d, JP_EXEC_STOP_SIGNAL)) == SIGKILL)
		return brig_err_set(e, 0, "%s: \"%s\": not a signal name (SIGTERM, SIGQUIT, ...) or number "
				    "other than SIGKILL", jd_name(JP_EXEC_STOP_SIGNAL),
				    jd_str(d, JP_EXEC_STOP_SIGNAL));
	if (sp->workdir[0] != '/')
		return brig_err_set(e, 0, "%s: \"%s\": not an absolute path in the jail",
				    jd_name(JP_EXEC_WORKDIR), sp->workdir);
	for (size_t i = 0, n = 0; i < (n ? n : 1); i++) {
		char *const *v = jd_list(d, JP_EXEC_ENV, &n);

		if (n && (!strchr(v[i], '=') || v[i][0] == '='))
			return brig_err_set(e, 0, "%s: \"%s\": not NAME=value", jd_name(JP_EXEC_ENV), v[i]);
	}
	if (check_net(d, sp, e) < 0 || check_userns(d, sp, e) < 0)
		return -1;
	sp->host_ipc = host_ipc(d);
	if (join_path(d, JP_SYSV_IPCNS, !sp->host_ipc, "sysvmsg, sysvsem, sysvshm = new", &sp->ipcns, e) < 0 ||
	    join_path(d, JP_HOST_UTSNS, sp->hostname != NULL, "host = new", &sp->utsns, e) < 0)
		return -1;
	sp->nsflags = CLONE_NEWNS | CLONE_NEWPID | (sp->host_ipc ? 0 : CLONE_NEWIPC) | CLONE_NEWCGROUP |
		      (sp->hostname ? CLONE_NEWUTS : 0) | (sp->own_net ? CLONE_NEWNET : 0) |
		      (sp->userns ? CLONE_NEWUSER : 0);
	level = jd_int(d, JP_SECURELEVEL);
	allow = (struct jail_allow){
		.raw_sockets = jd_on(d, JP_ALLOW_RAW_SOCKETS),
		.mlock = jd_on(d, JP_ALLOW_MLOCK),
		/* securelevel 2: FreeBSD lets no one turn the clock back;
		 * Linux cannot tell back from forth: no setting at all. */
		.settime = (jd_on(d, JP_ALLOW_SETTIME) || jd_on(d, JP_ALLOW_ADJTIME)) && level < 2,
		.userns = sp->userns,
		/* securelevel 1: immutable and append-only files stay so. */
		.chflags = jd_on(d, JP_ALLOW_CHFLAGS) && level < 1,
		.no_low_ports = !jd_on(d, JP_ALLOW_RESERVED_PORTS),
		.no_suser = !jd_on(d, JP_ALLOW_SUSER),
	};
	sp->caps = caps_jail_set(&allow);
	/* A vnet jail's root configures its own stack, as on FreeBSD; not
	 * a root without privilege (allow.suser = false), nor one that may
	 * not bind ports below 1024: over the network namespace it owns it
	 * would hold CAP_NET_BIND_SERVICE again. */
	sp->net_owned = sp->vnet && !sp->netns && !sp->userns && !allow.no_suser && !allow.no_low_ports;
	sp->socket_af = jd_on(d, JP_ALLOW_SOCKET_AF);
	sp->jid = (int)jd_int(d, JP_JID);
	if (check_devfs_ruleset(d, sp, e) < 0)
		return -1;
	return build_mounts(d, sp, e);
}

void spec_free(struct jspec *sp)
{
	free(sp->path);
	free(sp->hostname);
	free(sp->domainname);
	free(sp->netns);
	free(sp->ipcns);
	free(sp->utsns);
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
