/* brig doctor: the host (core/doctor.h). What the kernel offers that brig
 * needs, the cgroup layout, the store's filesystem here; brig's run
 * directory, the leftovers of interrupted commands and the configuration
 * in core/doctor_stale.c. Every check reads; none changes anything. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/core.h"
#include "core/doctor.h"
#include "core/doctor_int.h"
#include "sys/cgroup.h"
#include "sys/nft_raw.h"
#include "util/mem.h"
#include "util/paths.h"
#include "util/readfile.h"
#include "util/strbuf.h"

#ifndef NFPROTO_INET
#define NFPROTO_INET 1
#endif

/* The namespaces a jail is made of, by their /proc/self/ns name. */
static void namespaces(struct dr_report *r)
{
	static const char *const ns[] = { "user", "mnt", "pid", "net", "uts", "ipc", "cgroup" };
	static const char *const config[] = { "USER", "MNT", "PID", "NET", "UTS", "IPC", "CGROUP" };
	char path[64], hop[64];

	for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
		bool ok;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns[i]);
		snprintf(hop, sizeof(hop), "%s namespaces", ns[i]);
		ok = access(path, F_OK) == 0;
		dr_add(r, "kernel", hop, ok ? DR_OK : DR_FAIL, ok ? path : "no such namespace",
		       path, "a kernel built with CONFIG_%s_NS", config[i]);
	}
	/* user namespaces may exist and be closed to brig's userns jails. */
	cleanup_free char *max = NULL;
	if (read_small_file("/proc/sys/user/max_user_namespaces", &max) == 0 && atol(max) == 0)
		dr_add(r, "kernel", "user namespaces allowed", DR_WARN, "max_user_namespaces 0",
		       "more than 0", "userns jails need user namespaces: sysctl "
		       "user.max_user_namespaces=15000");
}

/* A system call: present (it failed with anything but ENOSYS). */
static void syscall_hop(struct dr_report *r, const char *name, long rc, int err, enum dr_status missing,
			const char *why)
{
	bool ok = rc >= 0 || err != ENOSYS;

	dr_add(r, "kernel", name, ok ? DR_OK : missing, ok ? "present" : "ENOSYS", "present",
	       "%s", why);
}

/* pidfd_open, openat2, clone3: each asked with arguments that make it
 * return at once. */
static void syscalls(struct dr_report *r)
{
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH };
	long rc;

	rc = syscall(SYS_pidfd_open, getpid(), 0);
	syscall_hop(r, "pidfd_open", rc, errno, DR_FAIL, "Linux 5.3 or later: brig names "
		    "processes by pidfd (a recycled pid is never signalled)");
	if (rc >= 0)
		close((int)rc);
	rc = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));
	syscall_hop(r, "openat2", rc, errno, DR_FAIL, "Linux 5.6 or later: brig opens paths "
		    "inside a jail's tree with RESOLVE_BENEATH");
	if (rc >= 0)
		close((int)rc);
	/* No arguments: EINVAL where it exists, nothing is cloned. */
	rc = syscall(SYS_clone3, NULL, 0);
	syscall_hop(r, "clone3", rc, errno, DR_WARN, "Linux 5.7 or later (CLONE_INTO_CGROUP): "
		    "without it a jail's processes are moved into their cgroups, slower");
}

/* Whether /proc/kallsyms names sym (a built-in feature); one pass. */
static bool kallsyms_has(const char *sym)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	size_t l = strlen(sym);
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *name = strrchr(line, ' ');
		size_t n;

		if (!name)
			continue;
		name++;
		n = strcspn(name, "\t\n");
		found = n == l && memcmp(name, sym, l) == 0;
	}
	fclose(f);
	return found;
}

/* Whether file (in /lib/modules/RELEASE) lists module mod ("/veth.ko"). */
static bool modules_list(const char *file, const char *mod)
{
	struct utsname u;
	cleanup_free char *path = NULL, *text = NULL, *needle = NULL;

	if (uname(&u) < 0)
		return false;
	path = xasprintf("/lib/modules/%s/%s", u.release, file);
	needle = xasprintf("/%s.ko", mod);
	return read_bounded(AT_FDCWD, path, READ_PATH, 16 << 20, &text, NULL, NULL) == 0 &&
	       strstr(text, needle);
}

/* A kernel feature brig uses: loaded, built in, or a module that loads on
 * first use; what is asked changes nothing. */
static void feature(struct dr_report *r, const char *hop, const char *mod, const char *fs,
		    const char *sym, const char *config)
{
	cleanup_free char *sysmod = xasprintf("/sys/module/%s", mod);
	cleanup_free char *fstab = NULL;
	const char *seen = NULL;

	if (fs && read_small_file("/proc/filesystems", &fstab) == 0) {
		cleanup_free char *needle = xasprintf("\t%s\n", fs);

		if (strstr(fstab, needle))
			seen = "registered";
	}
	if (!seen && access(sysmod, F_OK) == 0)
		seen = "loaded";
	if (!seen && modules_list("modules.builtin", mod))
		seen = "built in";
	if (!seen && modules_list("modules.dep", mod))
		seen = "module, loads on first use";
	if (!seen && sym && kallsyms_has(sym))
		seen = "built in";
	dr_add(r, "kernel", hop, seen ? DR_OK : DR_FAIL, seen ? seen : "not found", "available",
	       "a kernel with %s (module %s)", config, mod);
}

/* Netlink to nf_tables answers (asking whether brig's table exists). */
static void nftables(struct dr_report *r)
{
	int rc = nft_raw_table_exists(NFPROTO_INET, "brig");

	dr_add(r, "kernel", "nf_tables", rc >= 0 ? DR_OK : DR_FAIL,
	       rc == 1 ? "answers; table inet brig present" :
	       rc == 0 ? "answers; no table inet brig yet" : "does not answer",
	       "answers", "a kernel with CONFIG_NF_TABLES and CONFIG_NFT_NAT (module nf_tables): "
	       "NAT, rdr and isolation are nftables rules");
}

/* The shared-IP jails' socket programs: cgroup v2 and BPF on it, only
 * when such a jail is configured. */
static void sockaddr_bpf(const struct jail_set *s, bool have_v2, struct dr_report *r)
{
	const char *jail = NULL;

	for (size_t i = 0; s && i < s->n && !jail; i++)
		if (!jd_on(s->v[i], JP_VNET) && (s->v[i]->nip4 || s->v[i]->nip6))
			jail = s->v[i]->name;
	if (!jail)
		return;
	cleanup_free char *hop = xasprintf("BPF cgroup sock_addr (shared-IP jail %s)", jail);
	bool ok = have_v2 && kallsyms_has("__cgroup_bpf_run_filter_sock_addr");

	dr_add(r, "kernel", hop, ok ? DR_OK : DR_FAIL,
	       ok ? "cgroup v2 and CGROUP_BPF" : have_v2 ? "no CGROUP_BPF" : "no cgroup v2",
	       "cgroup v2 and CGROUP_BPF", "a kernel with CONFIG_CGROUP_BPF and cgroup v2 "
	       "mounted: a shared-IP jail's sockets are held to its addresses by them");
}

/* The cgroup hierarchies (v1, v2, hybrid), their controllers, and the
 * ones brig uses for its jails. Returns whether v2 is mounted. */
static bool cgroups(struct dr_report *r)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, v2[4096] = "";
	size_t cap = 0, nv1 = 0;
	struct strbuf v1 = STRBUF_INIT;
	cleanup_free char *group = core_cgroup_group(NULL);
	char **dirs = NULL;
	size_t ndirs = 0;
	struct brig_err e = { 0 };

	while (f && getline(&line, &cap, f) > 0) {
		char mnt[4096], fstype[64], opts[1024];
		const char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, opts) != 2)
			continue;
		if (strcmp(fstype, "cgroup2") == 0 && !v2[0])
			snprintf(v2, sizeof(v2), "%s", mnt);
		else if (strcmp(fstype, "cgroup") == 0) {
			/* The controllers are the options that are not mount flags. */
			for (char *o = strtok(opts, ","); o; o = strtok(NULL, ","))
				if (strcmp(o, "rw") && strcmp(o, "ro") && strncmp(o, "name=", 5) &&
				    strcmp(o, "nsdelegate") && strcmp(o, "clone_children") &&
				    strncmp(o, "release_agent", 13) && strcmp(o, "noprefix") &&
				    strcmp(o, "xattr"))
					sb_addf(&v1, "%s%s", v1.len ? " " : "", o);
			nv1++;
		}
	}
	free(line);
	if (f)
		fclose(f);
	const char *layout = v2[0] && nv1 ? "hybrid (v1 and v2)" : v2[0] ? "v2 (unified)" :
			     nv1 ? "v1" : "none";
	cleanup_free char *ctl = NULL;
	cleanup_free char *seen = NULL;

	if (v2[0]) {
		cleanup_free char *p = xasprintf("%s/cgroup.controllers", v2);

		if (read_small_file(p, &ctl) == 0)
			ctl[strcspn(ctl, "\n")] = '\0';
	}
	seen = xasprintf("%s%s%s%s%s%s%s", layout, v2[0] ? "; v2 at " : "", v2,
			 v2[0] ? ": " : "", v2[0] ? (ctl && ctl[0] ? ctl : "no controllers") : "",
			 nv1 ? "; v1: " : "", nv1 && v1.s ? v1.s : "");
	dr_add(r, "cgroup", "layout and controllers", v2[0] || nv1 ? DR_OK : DR_FAIL, seen,
	       "v2, or v1 with pids, memory, cpu, devices",
	       "mount cgroup2 on /sys/fs/cgroup (systemd does at boot)");
	if (cgroup_dirs(group, &dirs, &ndirs, &e) < 0) {
		dr_add(r, "cgroup", "brig's groups", DR_FAIL, e.msg, NULL, "see the error");
	} else {
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < ndirs; i++) {
			sb_addf(&sb, "%s%s", i ? ", " : "", dirs[i]);
			free(dirs[i]);
		}
		free(dirs);
		dr_add(r, "cgroup", "brig's groups", ndirs ? DR_OK : DR_FAIL, ndirs ? sb.s : "none",
		       "one per hierarchy it uses", "mount cgroup2, or the v1 pids and memory "
		       "hierarchies");
		sb_free(&sb);
	}
	/* Limits need memory and pids, in v2 or in a v1 hierarchy. */
	static const char *const need[] = { "memory", "pids" };
	for (size_t i = 0; i < ARRAY_SIZE(need); i++) {
		bool in_v2 = ctl && strstr(ctl, need[i]), in_v1 = v1.s && strstr(v1.s, need[i]);
		cleanup_free char *hop = xasprintf("controller %s", need[i]);

		if (v2[0] || nv1)
			dr_add(r, "cgroup", hop, in_v2 || in_v1 ? DR_OK : DR_WARN,
			       in_v2 ? "in v2" : in_v1 ? "in v1" : "in no hierarchy", "v2 or v1",
			       "enable it (v2: the root's cgroup.subtree_control; systemd: "
			       "DefaultMemoryAccounting, DefaultTasksAccounting): brig's limits "
			       "and usage need it");
	}
	sb_free(&v1);
	return v2[0] != '\0';
}

/* The super options of the mount dir is on (the longest mount point
 * that is a prefix of it), into opts; "" if none is found. */
static void mount_opts(const char *dir, char *opts, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0, best = 0;

	opts[0] = '\0';
	while (f && getline(&line, &cap, f) > 0) {
		char mnt[4096], so[1024];
		const char *dash = strstr(line, " - ");
		size_t l;

		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(dash + 3, "%*s %*s %1023s", so) != 1)
			continue;
		l = strlen(mnt);
		if (l == 1)
			l = 0;	/* "/" is a prefix of everything */
		if ((l == 0 || (strncmp(dir, mnt, l) == 0 && (dir[l] == '/' || !dir[l]))) &&
		    l + 1 > best) {
			best = l + 1;
			snprintf(opts, size, "%s", so);
		}
	}
	free(line);
	if (f)
		fclose(f);
}

/* Whether the store's filesystem has disk quotas a jail's size could be
 * held to: project quotas on ext4 and xfs (a mount option), qgroups on
 * btrfs (not told here). Informative: brig needs none. */
static void quota(struct dr_report *r, const char *dir, const char *type)
{
	char opts[1024], seen[1200];

	if (strcmp(type, "btrfs") == 0) {
		dr_add(r, "store", "quota support", DR_OK, "btrfs: qgroups, when enabled on it",
		       NULL, NULL);
		return;
	}
	mount_opts(dir, opts, sizeof(opts));
	bool prj = strstr(opts, "prjquota") || strstr(opts, "pquota");

	snprintf(seen, sizeof(seen), "%s: project quotas %s (mount options: %s)", type,
		 prj ? "on" : "off", opts[0] ? opts : "unknown");
	dr_add(r, "store", "quota support", DR_OK, seen, NULL, NULL);
}

/* The store: its filesystem, the backend that follows, and free space. */
static void store(struct dr_report *r)
{
	cleanup_free char *dir = xstrdup(brig_storedir());
	struct statfs sf;
	const char *type, *backend;
	enum dr_status st = DR_OK;
	char seen[256];
	unsigned long long avail;

	/* A store not made yet: the filesystem it will be made on. */
	while (statfs(dir, &sf) < 0) {
		char *slash = strrchr(dir, '/');

		if (!slash || slash == dir) {
			dr_add(r, "store", "filesystem", DR_FAIL, strerror(errno), NULL,
			       "check BRIG_STOREDIR (%s)", brig_storedir());
			return;
		}
		*slash = '\0';
	}
	switch ((unsigned long)sf.f_type) {
	case BTRFS_SUPER_MAGIC: type = "btrfs"; backend = "btrfs snapshots (thin), copies (thick)"; break;
	case OVERLAYFS_SUPER_MAGIC: type = "overlayfs"; backend = "copies only"; st = DR_WARN; break;
	case TMPFS_MAGIC: type = "tmpfs"; backend = "overlay (thin), copies (thick)"; break;
	case EXT4_SUPER_MAGIC: type = "ext4"; backend = "overlay (thin), copies (thick)"; break;
	case XFS_SUPER_MAGIC: type = "xfs"; backend = "overlay (thin), reflinked copies (thick)"; break;
	default: type = "other"; backend = "overlay (thin), copies (thick)"; break;
	}
	snprintf(seen, sizeof(seen), "%s at %s (type 0x%lx): %s", type, dir,
		 (unsigned long)sf.f_type, backend);
	dr_add(r, "store", "filesystem and backend", st, seen, "a filesystem overlayfs can "
	       "use as its upper layer (ext4, xfs, btrfs, tmpfs)", "put the store (BRIG_STOREDIR) "
	       "on ext4, xfs or btrfs: an overlay cannot have an overlayfs as its upper layer");
	quota(r, dir, type);
	avail = (unsigned long long)sf.f_bavail * (unsigned long long)sf.f_bsize;
	snprintf(seen, sizeof(seen), "%llu MiB free", avail >> 20);
	st = avail < (64ull << 20) ? DR_FAIL : avail < (1ull << 30) ? DR_WARN : DR_OK;
	dr_add(r, "store", "free space", st, seen, "1024 MiB or more", "free space on %s, or "
	       "remove what is unused (brig template ls, brig destroy)", dir);
}

int read_small_file(const char *path, char **out)
{
	return read_bounded(AT_FDCWD, path, READ_PATH, 1 << 20, out, NULL, NULL);
}

int doctor_host(const struct jail_set *s, struct dr_report *r, struct brig_err *e)
{
	bool v2;

	(void)e;
	namespaces(r);
	syscalls(r);
	feature(r, "overlayfs", "overlay", "overlay", "ovl_fill_super", "CONFIG_OVERLAY_FS");
	feature(r, "veth", "veth", NULL, "veth_newlink", "CONFIG_VETH");
	feature(r, "bridge", "bridge", NULL, "br_dev_xmit", "CONFIG_BRIDGE");
	nftables(r);
	v2 = cgroups(r);
	sockaddr_bpf(s, v2, r);
	store(r);
	doctor_stale(s, r);
	doctor_config(s, r);
	return 0;
}
