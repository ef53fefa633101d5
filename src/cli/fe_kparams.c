/* The jail parameters jls(8) knows, and the value brig reports for each.
 *
 * FreeBSD's jls asks the kernel; a brig jail records every parameter it was
 * started with, and the kernel parameters it did not set get the defaults
 * below: FreeBSD 15's, except where Linux says otherwise (a brig jail
 * always has its own UTS and IPC namespaces, so host and sysv* are "new";
 * raw sockets need allow.raw_sockets). */
#include "cli/fe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "util/mem.h"

struct kparam {
	const char *name;
	enum kp_type type;
	bool ro;		/* read-only: not something jail(8) takes */
	const char *dflt;	/* NULL: computed (kp_value) */
};

/* jls "all" order: top-level parameters first, then dotted ones, each
 * group sorted by name (FreeBSD's sort_param). */
static const struct kparam kparams[] = {
	{ "devfs_ruleset", KP_INT, false, "0" },
	{ "dying", KP_BOOL, true, "false" },
	{ "enforce_statfs", KP_INT, false, "2" },
	{ "env", KP_STR, false, "" },
	{ "host", KP_SYS, false, "new" },
	{ "ip4", KP_SYS, false, NULL },
	{ "ip6", KP_SYS, false, NULL },
	{ "jid", KP_INT, false, NULL },
	{ "linux", KP_SYS, false, "new" },
	{ "meta", KP_STR, false, "" },
	{ "name", KP_STR, false, NULL },
	{ "osreldate", KP_INT, false, "0" },
	{ "osrelease", KP_STR, false, NULL },
	{ "parent", KP_INT, true, "0" },
	{ "path", KP_STR, false, NULL },
	{ "persist", KP_BOOL, false, "false" },
	{ "securelevel", KP_INT, false, "-1" },
	{ "sysvmsg", KP_SYS, false, "new" },
	{ "sysvsem", KP_SYS, false, "new" },
	{ "sysvshm", KP_SYS, false, "new" },
	{ "vnet", KP_SYS, false, NULL },
	{ "zfs", KP_SYS, false, "new" },
	{ "allow.adjtime", KP_BOOL, false, "false" },
	{ "allow.chflags", KP_BOOL, false, "false" },
	{ "allow.extattr", KP_BOOL, false, "false" },
	{ "allow.mlock", KP_BOOL, false, "false" },
	{ "allow.mount", KP_BOOL, false, "false" },
	{ "allow.mount.devfs", KP_BOOL, false, "false" },
	{ "allow.mount.fdescfs", KP_BOOL, false, "false" },
	{ "allow.mount.linprocfs", KP_BOOL, false, "false" },
	{ "allow.mount.linsysfs", KP_BOOL, false, "false" },
	{ "allow.mount.nullfs", KP_BOOL, false, "false" },
	{ "allow.mount.procfs", KP_BOOL, false, "false" },
	{ "allow.mount.tmpfs", KP_BOOL, false, "false" },
	{ "allow.mount.zfs", KP_BOOL, false, "false" },
	{ "allow.nfsd", KP_BOOL, false, "false" },
	{ "allow.quotas", KP_BOOL, false, "false" },
	{ "allow.raw_sockets", KP_BOOL, false, "false" },
	{ "allow.read_msgbuf", KP_BOOL, false, "false" },
	{ "allow.reserved_ports", KP_BOOL, false, "true" },
	{ "allow.routing", KP_BOOL, false, "false" },
	{ "allow.set_hostname", KP_BOOL, false, "true" },
	{ "allow.setaudit", KP_BOOL, false, "false" },
	{ "allow.settime", KP_BOOL, false, "false" },
	{ "allow.socket_af", KP_BOOL, false, "false" },
	{ "allow.suser", KP_BOOL, false, "true" },
	{ "allow.sysvipc", KP_BOOL, false, "false" },
	{ "allow.unprivileged_parent_tampering", KP_BOOL, false, "false" },
	{ "allow.unprivileged_proc_debug", KP_BOOL, false, "false" },
	{ "children.cur", KP_INT, true, "0" },
	{ "children.max", KP_INT, false, "0" },
	{ "cpuset.id", KP_INT, true, "0" },
	{ "host.domainname", KP_STR, false, "" },
	{ "host.hostid", KP_INT, false, "0" },
	{ "host.hostname", KP_STR, false, NULL },
	{ "host.hostuuid", KP_STR, false, "00000000-0000-0000-0000-000000000000" },
	{ "ip4.addr", KP_IPLIST, false, NULL },
	{ "ip4.saddrsel", KP_BOOL, false, "true" },
	{ "ip6.addr", KP_IPLIST, false, NULL },
	{ "ip6.saddrsel", KP_BOOL, false, "true" },
	{ "linux.osname", KP_STR, false, "Linux" },
	{ "linux.osrelease", KP_STR, false, NULL },
	{ "linux.oss_version", KP_INT, false, "198144" },
	{ "zfs.mount_snapshot", KP_INT, false, "0" },
};

size_t kp_count(void)
{
	return ARRAY_SIZE(kparams);
}

const char *kp_name(size_t i)
{
	return kparams[i].name;
}

int kp_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(kparams); i++)
		if (strcmp(kparams[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool kp_readonly(const char *name)
{
	int i = kp_find(name);

	return i >= 0 && kparams[i].ro;
}

char *kp_noname(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot)
		return xasprintf("no%s", name);
	return xasprintf("%.*s.no%s", (int)(dot - name), name, dot + 1);
}

/* What j recorded for name at start, or NULL. */
static const char *recorded(const struct core_jail *j, const char *name)
{
	for (size_t i = 0; i < j->nparams; i++)
		if (strcmp(j->param_names[i], name) == 0)
			return j->param_values[i] ? j->param_values[i] : "";
	return NULL;
}

/* jail.conf writes booleans many ways; the kernel reports true or false. */
static bool truthy(const char *v)
{
	return strcmp(v, "true") == 0 || strcmp(v, "new") == 0 ||
	       (v[0] >= '1' && v[0] <= '9');
}

/* ip4 / ip6 when the jail did not say: FreeBSD implies "new" from an
 * address list; a vnet jail has a stack of its own ("inherit" inside it);
 * otherwise brig gives the jail a network namespace without addresses,
 * which is FreeBSD's "disable". */
static const char *ip_sys(const struct core_jail *j, size_t naddr)
{
	const char *vnet = recorded(j, "vnet");

	if (naddr > 0)
		return "new";
	if (vnet && truthy(vnet))
		return "inherit";
	return "disable";
}

/* The host's kernel release: a jail shares the host kernel. */
static const char *kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u) < 0)
		return "";
	return u.release;
}

/* Values that come from the jail's state rather than its parameters. */
static bool state_value(const struct core_jail *j, const char *name, struct kp_value *out)
{
	if (strcmp(name, "jid") == 0) {
		snprintf(out->buf, sizeof(out->buf), "%d", j->jid);
		out->str = out->buf;
	} else if (strcmp(name, "name") == 0) {
		out->str = j->name ? j->name : "";
	} else if (strcmp(name, "path") == 0) {
		out->str = j->path ? j->path : "";
	} else if (strcmp(name, "host.hostname") == 0) {
		out->str = j->hostname ? j->hostname : "";
	} else if (strcmp(name, "ip4.addr") == 0) {
		out->list = j->ip4;
		out->nlist = j->nip4;
	} else if (strcmp(name, "ip6.addr") == 0) {
		out->list = j->ip6;
		out->nlist = j->nip6;
	} else {
		return false;
	}
	return true;
}

bool kp_value(const struct core_jail *j, const char *name, struct kp_value *out)
{
	int k = kp_find(name);
	const char *rec = recorded(j, name);

	memset(out, 0, sizeof(*out));
	out->str = "";
	if (k < 0) {
		/* A jail.conf parameter the kernel does not know (exec.start,
		 * mount.devfs, ...): brig shows what the jail recorded. */
		if (!rec)
			return false;
		out->type = KP_STR;
		out->str = rec;
		return true;
	}
	out->type = kparams[k].type;
	if (state_value(j, name, out))
		return true;
	if (rec) {
		if (out->type == KP_BOOL)
			rec = truthy(rec) ? "true" : "false";
		else if (out->type == KP_SYS && !strcmp(rec, "true"))
			rec = "new";
		else if (out->type == KP_SYS && !strcmp(rec, "false"))
			rec = strcmp(name, "vnet") == 0 ? "inherit" : "disable";
		out->str = rec;
		return true;
	}
	if (kparams[k].dflt)
		out->str = kparams[k].dflt;
	else if (strcmp(name, "ip4") == 0)
		out->str = ip_sys(j, j->nip4);
	else if (strcmp(name, "ip6") == 0)
		out->str = ip_sys(j, j->nip6);
	else if (strcmp(name, "vnet") == 0)
		out->str = "inherit";
	else if (strcmp(name, "osrelease") == 0 || strcmp(name, "linux.osrelease") == 0)
		out->str = kernel_release();
	return true;
}
