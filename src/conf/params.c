/* The parameter tables: every parameter brig knows, one row each, sorted
 * by name. FreeBSD's kernel parameters (all of `jls -n` on FreeBSD 15),
 * jail(8)'s pseudo-parameters, brig's extensions; and the bridges of
 * networks.conf. */
#include "conf/cf.h"

#include <stdlib.h>
#include <string.h>

#include "util/strdist.h"

#define B CONF_BOOL
#define I CONF_INT
#define S CONF_STRING
#define L CONF_LIST
#define IGN CONF_PF_IGNORED
#define BRIG CONF_PF_BRIG
#define J8 (CONF_PF_JAIL8 | CONF_PF_NOVAR)
#define NOVAR CONF_PF_NOVAR
#define IMM CONF_PF_IMMUTABLE
#define SYS CONF_PF_JAILSYS
#define CMD CONF_PF_CMD
#define SPLIT CONF_PF_SPLIT
#define RO (CONF_PF_READONLY | CONF_PF_IGNORED)
/* May come from an archive (conf_load_untrusted): acts inside the jail
 * only. An allow-list: a new row is the host's to decide until marked. */
#define UT CONF_PF_UNTRUSTED

static const struct conf_pdef jail_params[] = {
	{ "allow.adjtime", B, 0, "may slew the clock (CAP_SYS_TIME)" },
	{ "allow.chflags", B, IGN | NOVAR, "may change file flags" },
	{ "allow.dying", B, J8 | IGN, "deprecated in FreeBSD; does nothing" },
	{ "allow.extattr", B, IGN, "may manage system extended attributes" },
	{ "allow.mlock", B, 0, "may lock memory (CAP_IPC_LOCK)" },
	{ "allow.mount", B, NOVAR, "may mount file systems" },
	{ "allow.mount.devfs", B, IGN, "may mount devfs" },
	{ "allow.mount.fdescfs", B, IGN, "may mount fdescfs" },
	{ "allow.mount.fusefs", B, IGN, "may mount FUSE file systems" },
	{ "allow.mount.lindebugfs", B, IGN, "may mount lindebugfs" },
	{ "allow.mount.linprocfs", B, IGN, "may mount linprocfs" },
	{ "allow.mount.linsysfs", B, IGN, "may mount linsysfs" },
	{ "allow.mount.nullfs", B, 0, "may make bind (nullfs) mounts" },
	{ "allow.mount.procfs", B, 0, "may mount procfs" },
	{ "allow.mount.tmpfs", B, 0, "may mount tmpfs" },
	{ "allow.mount.zfs", B, IGN, "may mount ZFS datasets" },
	{ "allow.nfsd", B, IGN, "may run an NFS server" },
	{ "allow.quotas", B, IGN, "may manage disk quotas" },
	{ "allow.raw_sockets", B, NOVAR, "may open raw sockets (CAP_NET_RAW)" },
	{ "allow.read_msgbuf", B, 0, "may read the kernel message buffer" },
	{ "allow.reserved_ports", B, 0, "may bind ports below 1024" },
	{ "allow.routing", B, 0, "may change the routing table" },
	{ "allow.set_hostname", B, NOVAR, "may change its host name" },
	{ "allow.setaudit", B, IGN, "may manage audit" },
	{ "allow.settime", B, 0, "may set the clock (CAP_SYS_TIME)" },
	{ "allow.socket_af", B, NOVAR, "may use socket families beyond IP, local and route" },
	{ "allow.suser", B, 0, "root in the jail keeps its privileges" },
	{ "allow.sysvipc", B, NOVAR, "may use System V IPC (old form of sysvmsg/sem/shm)" },
	{ "allow.unprivileged_parent_tampering", B, IGN, "unprivileged users may tamper with parent-jail processes" },
	{ "allow.unprivileged_proc_debug", B, IGN, "unprivileged users may debug their processes" },
	{ "allow.vmm", B, IGN, "may use bhyve(4)" },
	{ "boot", B, BRIG, "started by `brig start --boot` (the boot unit); noboot: only by name or --all" },
	{ "children.cur", I, RO, "number of child jails (read-only)" },
	{ "children.max", I, IGN, "how many child jails it may create" },
	{ "command", L, J8 | CMD | UT, "commands run in the jail after exec.start" },
	{ "cpuset.id", I, RO, "its CPU set (read-only)" },
	{ "depend", L, J8, "jails that must be started before this one" },
	{ "devfs_ruleset", I, NOVAR, "devfs ruleset of its /dev: FreeBSD's default rulesets 0-5" },
	{ "dying", B, RO, "the jail is being removed (read-only)" },
	{ "enforce_statfs", I, IGN, "which mount points it may see" },
	{ "env", S, IGN, "environment variables visible in the jail (FreeBSD 15)" },
	{ "exec.clean", B, J8 | UT, "run commands in the jail with a clean environment" },
	{ "exec.consolelog", S, J8, "file that receives the output of exec.* commands" },
	{ "exec.created", L, J8 | CMD, "host commands run right after the jail is created" },
	{ "exec.fib", I, J8 | IGN, "routing table (FIB) for commands" },
	{ "exec.jail_user", S, J8 | UT, "user that runs commands in the jail" },
	{ "exec.poststart", L, J8 | CMD, "host commands run after the jail has started" },
	{ "exec.poststop", L, J8 | CMD, "host commands run after the jail is removed" },
	{ "exec.prepare", L, J8 | CMD, "host commands run before anything else at start" },
	{ "exec.prestart", L, J8 | CMD, "host commands run before the jail is created" },
	{ "exec.prestop", L, J8 | CMD, "host commands run before the jail is stopped" },
	{ "exec.release", L, J8 | CMD, "host commands run after everything else at stop" },
	{ "exec.restart", S, BRIG | NOVAR, "start the jail again when it ends on its own: no, on-failure[:N], always[:N]" },
	{ "exec.start", L, J8 | CMD | UT, "commands run in the jail when it starts" },
	{ "exec.stop", L, J8 | CMD | UT, "commands run in the jail when it stops" },
	{ "exec.system_jail_user", B, J8, "take exec.jail_user from the host's password file" },
	{ "exec.system_user", S, J8, "user that runs the host commands" },
	{ "exec.timeout", I, J8 | UT, "seconds each command may run" },
	{ "host", S, SYS | UT, "own host name and domain (new) or the host's (inherit)" },
	{ "host.domainname", S, UT, "its NIS domain name" },
	{ "host.hostid", I, IGN, "its host ID" },
	{ "host.hostname", S, NOVAR | UT, "its host name" },
	{ "host.hostuuid", S, IGN, "its host UUID" },
	{ "interface", S, J8, "host interface the ip4.addr/ip6.addr addresses go on" },
	{ "ip4", S, SYS | UT, "IPv4: own addresses (new), the host's (inherit) or none (disable)" },
	{ "ip4.addr", L, NOVAR | SPLIT, "IPv4 addresses, [IFACE|]ADDR[/PREFIX]" },
	{ "ip4.defaultrouter", S, BRIG | UT, "IPv4 default route inside a vnet jail" },
	{ "ip4.saddrsel", B, IGN, "source address selection for unbound sockets" },
	{ "ip6", S, SYS | UT, "IPv6: own addresses (new), the host's (inherit) or none (disable)" },
	{ "ip6.addr", L, NOVAR | SPLIT, "IPv6 addresses, [IFACE|]ADDR[/PREFIX]" },
	{ "ip6.defaultrouter", S, BRIG | UT, "IPv6 default route inside a vnet jail" },
	{ "ip6.saddrsel", B, IGN, "source address selection for unbound sockets" },
	{ "ip_hostname", B, J8, "add the addresses host.hostname resolves to" },
	{ "jid", I, IMM | NOVAR, "jail ID (a purely numeric jail name sets it)" },
	{ "linux", S, IGN | SYS, "FreeBSD's Linux emulation settings" },
	{ "linux.osname", S, IGN, "FreeBSD's Linux emulation: OS name" },
	{ "linux.osrelease", S, IGN, "FreeBSD's Linux emulation: OS release" },
	{ "linux.oss_version", I, IGN, "FreeBSD's Linux emulation: OSS version" },
	{ "meta", S, IGN, "free-form metadata (FreeBSD 15)" },
	{ "mount", L, J8, "fstab(5) lines mounted before the jail starts" },
	{ "mount.devfs", B, J8 | UT, "give the jail a /dev" },
	{ "mount.fdescfs", B, J8 | UT, "mount /dev/fd" },
	{ "mount.fstab", S, J8, "fstab(5) file with mounts for the jail" },
	{ "mount.procfs", B, J8 | UT, "mount /proc" },
	{ "name", S, IMM | NOVAR, "jail name (the block's label)" },
	{ "osreldate", I, IGN, "FreeBSD version number it reports" },
	{ "osrelease", S, IGN, "FreeBSD release name it reports" },
	{ "parent", I, RO, "parent jail's ID (read-only)" },
	{ "path", S, NOVAR, "root directory of the jail" },
	{ "persist", B, NOVAR | UT, "keep the jail when its last process exits" },
	{ "rdr", L, BRIG, "port redirections from the host into the jail" },
	{ "securelevel", I, IGN | NOVAR, "its kern.securelevel" },
	{ "stop.timeout", I, J8 | UT, "seconds to wait for processes to exit at stop" },
	{ "sysvmsg", S, SYS | UT, "System V message queues: new, inherit or disable" },
	{ "sysvsem", S, SYS | UT, "System V semaphores: new, inherit or disable" },
	{ "sysvshm", S, SYS | UT, "System V shared memory: new, inherit or disable" },
	{ "userns", B, BRIG, "run in a user namespace: its root is an unprivileged host user" },
	{ "userns.map", S, BRIG, "ids of a userns jail: auto (from /etc/subuid, /etc/subgid) or HOSTID:COUNT" },
	{ "vnet", S, SYS | NOVAR | UT, "own network stack (new) or the host's (inherit)" },
	{ "vnet.bridge", S, BRIG, "bridge (from networks.conf) its epair joins" },
	{ "vnet.interface", L, J8, "host interfaces moved into a vnet jail" },
	{ "vnet.spoofcheck", B, BRIG, "its bridge ports drop frames with a MAC or address not its own" },
	{ "zfs", S, IGN | SYS, "ZFS access" },
	{ "zfs.dataset", L, J8 | IGN, "ZFS datasets attached to the jail (FreeBSD 15)" },
	{ "zfs.mount_snapshot", I, IGN, "may mount ZFS snapshots" },
};

static const struct conf_pdef net_params[] = {
	{ "host", L, 0, "what its jails may reach of the host: none, or PORT/tcp, PORT/udp, icmp" },
	{ "ip4.addr", L, SPLIT, "IPv4 addresses of the bridge, ADDR/PREFIX" },
	{ "ip6.addr", L, SPLIT, "IPv6 addresses of the bridge, ADDR/PREFIX" },
	{ "isolate", B, 0, "no forwarding between this bridge and other brig bridges" },
	{ "mtu", I, 0, "MTU of the bridge" },
	{ "name", S, IMM | NOVAR, "bridge name (the block's label)" },
	{ "nat", B, 0, "masquerade traffic leaving through the host" },
};

/* A schema's table and its length. */
const struct conf_pdef *conf_pdefs(enum conf_schema s, size_t *n)
{
	switch (s) {
	case CONF_SCHEMA_NETWORKS:
		*n = sizeof(net_params) / sizeof(net_params[0]);
		return net_params;
	case CONF_SCHEMA_JAILS:
	default:
		*n = sizeof(jail_params) / sizeof(jail_params[0]);
		return jail_params;
	}
}

/* Binary search of the sorted table. */
const struct conf_pdef *cf_pdef_lookup(enum conf_schema s, const char *name, size_t len)
{
	size_t lo = 0, hi;
	const struct conf_pdef *t = conf_pdefs(s, &hi);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(t[mid].name, name, len);

		if (c == 0 && t[mid].name[len] != '\0')
			c = 1;
		if (c == 0)
			return &t[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The row for name, or NULL. */
const struct conf_pdef *conf_pdef_find(enum conf_schema s, const char *name)
{
	return cf_pdef_lookup(s, name, strlen(name));
}

/* The known name closest to an unknown one, if close enough. */
const char *cf_pdef_suggest(enum conf_schema s, const char *name)
{
	size_t n, len = strlen(name);
	const struct conf_pdef *t = conf_pdefs(s, &n);
	size_t max = str_hint_max(len);
	const char *best = NULL;
	size_t bestd = max + 1;

	for (size_t i = 0; i < n; i++) {
		size_t d = str_distance(name, t[i].name, max);

		if (d < bestd) {
			bestd = d;
			best = t[i].name;
		}
	}
	return best;
}
