/* Making a jail's mounts beneath its root (see jmount.h for the why). */
#include "sys/jmount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sys/devices.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/readfile.h"

/* The file system context's own explanation of a failure, if it left one. */
static void fs_log(int fsfd, struct brig_err *e)
{
	char buf[256];
	ssize_t n = read(fsfd, buf, sizeof(buf) - 1);

	if (n > 2) {
		buf[n] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		brig_err_wrap(e, "%s", buf + 2);	/* "e message" */
	}
}

/* A new, detached mount of fstype with comma-separated options. */
static int new_fs(const char *fstype, const char *data, unsigned long attrs, struct brig_err *e)
{
	cleanup_close int fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	cleanup_free char *copy = data ? xstrdup(data) : NULL;
	char *save = NULL;
	int mfd;

	if (fsfd < 0)
		return brig_err_set(e, errno, "%s", fstype);
	for (char *o = copy ? strtok_r(copy, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');
		int r;

		if (eq) {
			*eq = '\0';
			r = fsconfig(fsfd, FSCONFIG_SET_STRING, o, eq + 1, 0);
		} else {
			r = fsconfig(fsfd, FSCONFIG_SET_FLAG, o, NULL, 0);
		}
		if (r < 0) {
			brig_err_set(e, errno, "%s: option \"%s\"", fstype, o);
			fs_log(fsfd, e);
			return -1;
		}
	}
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		brig_err_set(e, errno, "%s", fstype);
		fs_log(fsfd, e);
		return -1;
	}
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned int)attrs);
	if (mfd < 0)
		return brig_err_set(e, errno, "%s", fstype);
	return mfd;
}

/* A detached bind mount of src (beneath dirfd; "": the mount dirfd is
 * on); read-only/attributes applied. */
static int new_bind(int dirfd, const char *src, bool recursive, unsigned long attrs,
		    struct brig_err *e)
{
	unsigned int rec = recursive ? AT_RECURSIVE : 0;
	struct mount_attr a = { .attr_set = attrs };
	int fd = open_tree(dirfd, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec |
			   (src[0] ? 0 : AT_EMPTY_PATH));

	if (fd < 0)
		return brig_err_set(e, errno, "%s", src);
	if (attrs && mount_setattr(fd, "", AT_EMPTY_PATH | rec, &a, sizeof(a)) < 0) {
		brig_err_set(e, errno, "%s: setting mount attributes", src);
		close(fd);
		return -1;
	}
	return fd;
}

/* Attach the detached mount mfd on the object that tfd refers to. */
static int attach(int mfd, int tfd, struct brig_err *e)
{
	if (move_mount(mfd, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return brig_err_set(e, errno, "attaching the mount");
	return 0;
}

/* Mount mfd on rel beneath dirfd (a tree brig itself made, so plain
 * resolution is safe); a missing rel is skipped when optional. */
static int attach_at(int mfd, int dirfd, const char *rel, bool optional, struct brig_err *e)
{
	cleanup_close int tfd = openat(dirfd, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (tfd < 0 && optional && errno == ENOENT)
		return 0;
	if (tfd < 0)
		return brig_err_set(e, errno, "%s", rel);
	return attach(mfd, tfd, e);
}

/* Paths of /proc and /sys a jail may read but not write, or not see
 * (Docker's list): writing /proc/sys/kernel/core_pattern alone would run
 * a program of the jail's choosing on the host. */
static const char *const proc_ro[] = { "sys", "sysrq-trigger", "irq", "bus", "fs" };
static const char *const proc_masked[] = { "kcore", "keys", "latency_stats", "timer_list",
					   "timer_stats", "sched_debug", "acpi", "scsi", "asound" };
static const char *const sys_masked[] = { "firmware", "devices/virtual/powercap" };

/* Hide what tfd refers to: /dev/null over a file, an empty read-only
 * tmpfs over a directory. One such tmpfs a jail: made for the first
 * directory (*empty: that mount, once attached), cloned for the others.
 * A superblock each would cost the kernel a shrinker and lists of its own,
 * walked again at the removal of every memory cgroup of the host. */
static int hide(int tfd, int *empty, struct brig_err *e)
{
	const unsigned long ro = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
				 MOUNT_ATTR_NOEXEC;
	cleanup_close int mfd = -1;
	struct stat st;

	if (fstat(tfd, &st) < 0)
		return brig_err_set(e, errno, "hiding it");
	if (!S_ISDIR(st.st_mode))
		mfd = new_bind(AT_FDCWD, "/dev/null", false, MOUNT_ATTR_RDONLY, e);
	else if (*empty >= 0)
		mfd = new_bind(*empty, "", false, ro, e);
	else
		mfd = new_fs("tmpfs", "size=0,mode=0555", ro, e);
	if (mfd < 0 || attach(mfd, tfd, e) < 0)
		return -1;
	if (S_ISDIR(st.st_mode) && *empty < 0)
		*empty = TAKE_FD(mfd);
	return 0;
}

/* hide() rel beneath dirfd (a tree brig itself made); missing is fine. */
static int mask_path(int dirfd, const char *rel, int *empty, struct brig_err *e)
{
	cleanup_close int tfd = openat(dirfd, rel, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (tfd < 0)
		return errno == ENOENT ? 0 : brig_err_set(e, errno, "%s", rel);
	return hide(tfd, empty, e) < 0 ? brig_err_wrap(e, "%s", rel) : 0;
}

/* procfs on tfd, with read-only and masked paths. */
static int mount_proc(int tfd, int *empty, struct brig_err *e)
{
	const unsigned long attrs = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
	cleanup_close int mfd = new_fs("proc", NULL, attrs, e);

	if (mfd < 0 || attach(mfd, tfd, e) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(proc_ro); i++) {
		cleanup_close int ro = new_bind(mfd, proc_ro[i], false, attrs | MOUNT_ATTR_RDONLY, e);

		if (ro < 0 && e->errnum == ENOENT)
			continue;
		if (ro < 0 || attach_at(ro, mfd, proc_ro[i], true, e) < 0)
			return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(proc_masked); i++)
		if (mask_path(mfd, proc_masked[i], empty, e) < 0)
			return -1;
	return 0;
}

/* Read-only sysfs on tfd, firmware tables hidden. */
static int mount_sys(int tfd, int *empty, struct brig_err *e)
{
	cleanup_close int mfd = new_fs("sysfs", NULL, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
				       MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, e);

	if (mfd < 0 || attach(mfd, tfd, e) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(sys_masked); i++)
		if (mask_path(mfd, sys_masked[i], empty, e) < 0)
			return -1;
	return 0;
}

static const struct {
	const char *name, *target;
} dev_links[] = {
	{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" }, { "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" }, { "ptmx", "pts/ptmx" },
};

/* In a user namespace (a userns jail) no device node can be made, and a
 * tmpfs mounted there opens none: a node becomes a bind mount of the
 * host's (checked to be the device it must be), as LXC does. The host's
 * node, bound (detached) before the new /dev is attached: a jail whose
 * root is the host's would find its own /dev at /dev after. */
static int host_node(const char *name, unsigned int major, unsigned int minor, struct brig_err *e)
{
	cleanup_free char *host = xasprintf("/dev/%s", name);
	struct mount_attr dev = { .attr_clr = MOUNT_ATTR_NODEV };
	struct stat st;
	int fd;

	if (stat(host, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(major, minor))
		return brig_err_set(e, 0, "devfs: %s on the host is not the device %u,%u", host, major, minor);
	fd = new_bind(AT_FDCWD, host, false, 0, e);
	/* A root that is the host's was made nodev, its /dev with it. */
	if (fd >= 0 && mount_setattr(fd, "", AT_EMPTY_PATH, &dev, sizeof(dev)) < 0) {
		brig_err_set(e, errno, "devfs: %s: clearing nodev", host);
		close(TAKE_FD(fd));
	}
	return fd;
}

/* Attach the host's node mfd (host_node) at dfd/name. */
static int bind_node(int dfd, const char *name, int mfd, struct brig_err *e)
{
	cleanup_close int f = openat(dfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);

	if (f < 0)
		return brig_err_set(e, errno, "devfs: /dev/%s", name);
	if (attach_at(mfd, dfd, name, false, e) < 0)
		return brig_err_wrap(e, "devfs: /dev/%s", name);
	return 0;
}

/* The private /dev of mount.devfs, after FreeBSD's devfs rulesets
 * (sys/devices.h): a small tmpfs holding the harmless nodes of sets; with
 * the login set, links to /proc/self/fd and a devpts instance of its own
 * for ptys; and always a tmpfs for POSIX shm. The jail's cgroup lets it
 * open these nodes and no other (sys/devices.c). In a user namespace the
 * nodes are bind mounts of the host's (bind_node()). */
static int mount_dev(int tfd, unsigned int sets, const char *ptsopts, struct brig_err *e)
{
	cleanup_close int dfd = new_fs("tmpfs", "mode=0755,size=64k,nr_inodes=64",
				       MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, e);
	cleanup_close int pts = -1, shm = -1;
	bool login = sets & DEVFS_LOGIN, bind = false;
	int nodes[16], r = -1;

	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++)
		nodes[i] = -1;
	if (dfd < 0)
		return -1;
	if (devfs_nnodes > ARRAY_SIZE(nodes))
		return brig_err_set(e, 0, "devfs: more nodes than room for them");
	/* Filled while still detached: nothing in the jail can race us. */
	for (size_t i = 0; i < devfs_nnodes && !bind; i++) {
		if (!(devfs_nodes[i].set & sets))
			continue;
		if (mknodat(dfd, devfs_nodes[i].name, S_IFCHR | 0666,
			    makedev(devfs_nodes[i].major, devfs_nodes[i].minor)) < 0) {
			if (errno == EPERM) {
				bind = true;	/* a user namespace: binds, below */
				break;
			}
			return brig_err_set(e, errno, "devfs: /dev/%s", devfs_nodes[i].name);
		}
		if (fchmodat(dfd, devfs_nodes[i].name, 0666, 0) < 0)
			return brig_err_set(e, errno, "devfs: /dev/%s", devfs_nodes[i].name);
	}
	/* fdescfs's Linux form: /dev/fd (and stdin...) as links to
	 * /proc/self/fd, with the login set or alone. */
	for (size_t i = 0; (login || (sets & DEVFS_FD)) && i < ARRAY_SIZE(dev_links); i++)
		if ((login || strcmp(dev_links[i].name, "ptmx") != 0) &&
		    symlinkat(dev_links[i].target, dfd, dev_links[i].name) < 0)
			return brig_err_set(e, errno, "devfs: /dev/%s", dev_links[i].name);
	if ((login && mkdirat(dfd, "pts", 0755) < 0) || mkdirat(dfd, "shm", 01777) < 0)
		return brig_err_set(e, errno, "devfs: directories");
	if (login) {
		cleanup_free char *o = xasprintf("newinstance,ptmxmode=0666,mode=0620,gid=5%s%s",
						 ptsopts ? "," : "", ptsopts ? ptsopts : "");

		pts = new_fs("devpts", o, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, e);
	}
	shm = new_fs("tmpfs", "mode=1777,size=65536k",
		     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, e);
	for (size_t i = 0; bind && i < devfs_nnodes; i++)
		if ((devfs_nodes[i].set & sets) &&
		    (nodes[i] = host_node(devfs_nodes[i].name, devfs_nodes[i].major, devfs_nodes[i].minor, e)) < 0)
			goto out;
	if ((login && pts < 0) || shm < 0 || attach(dfd, tfd, e) < 0 ||
	    (login && attach_at(pts, dfd, "pts", false, e) < 0) || attach_at(shm, dfd, "shm", false, e) < 0) {
		brig_err_wrap(e, "devfs");
		goto out;
	}
	for (size_t i = 0; bind && i < devfs_nnodes; i++)
		if (nodes[i] >= 0 && bind_node(dfd, devfs_nodes[i].name, nodes[i], e) < 0)
			goto out;
	r = 0;
out:
	for (size_t i = 0; i < devfs_nnodes; i++)
		if (nodes[i] >= 0)
			close(nodes[i]);
	return r;
}

/* The target of m beneath rootfd; /dev, /proc and /sys are created when
 * missing (they are brig's to provide), other mount points must exist. */
static int open_target(int rootfd, const struct jmount *m, struct brig_err *e)
{
	bool own = m->kind == JM_DEVFS || m->kind == JM_PROC || m->kind == JM_SYSFS;
	int fd = beneath_open(rootfd, m->target, O_PATH, e);

	if (fd < 0 && own && e->errnum == ENOENT && strchr(m->target + 1, '/') == NULL) {
		if (mkdirat(rootfd, m->target + 1, 0555) < 0 && errno != EEXIST)
			return brig_err_set(e, errno, "%s", m->target);
		fd = beneath_open(rootfd, m->target, O_PATH, e);
	} else if (fd < 0 && m->mkdir && e->errnum == ENOENT) {
		/* Made now, after the entries before it: beneath the root,
		 * never through a link of the jail's tree. */
		int dfd = mkdirp_open(rootfd, m->target + 1, 0755, MKDIRP_BENEATH, e);

		if (dfd < 0)
			return brig_err_wrap(e, "%s (X-mount.mkdir)", m->target);
		close(dfd);
		fd = beneath_open(rootfd, m->target, O_PATH, e);
	}
	return fd;
}

/* Mount one entry (*empty: hide()'s). */
static int apply_one(int rootfd, const struct jmount *m, int *empty, struct brig_err *e)
{
	cleanup_close int tfd = open_target(rootfd, m, e);
	cleanup_close int mfd = -1;
	/* No device node works outside brig's /dev, whatever the entry says. */
	unsigned long attrs = m->attrs | MOUNT_ATTR_NODEV | (m->ro ? MOUNT_ATTR_RDONLY : 0);

	if (tfd < 0 && m->kind == JM_MASK && e->errnum == ENOENT) {
		brig_err_clear(e);
		return 0;
	}
	if (tfd < 0)
		return -1;
	switch (m->kind) {
	case JM_MASK:
		/* What was opened is what is hidden (no path walked again). */
		return hide(tfd, empty, e) < 0 ? brig_err_wrap(e, "%s", m->target) : 0;
	case JM_PROC:
		return mount_proc(tfd, empty, e);
	case JM_SYSFS:
		return mount_sys(tfd, empty, e);
	case JM_DEVFS:
		return mount_dev(tfd, m->devsets, m->data, e);
	case JM_TMPFS:
		mfd = new_fs("tmpfs", m->data, attrs, e);
		break;
	case JM_BIND:
		mfd = new_bind(AT_FDCWD, m->src, m->recursive, attrs, e);
		break;
	default:
		return brig_err_set(e, EINVAL, "unknown mount kind %d", (int)m->kind);
	}
	if (mfd < 0)
		return -1;
	return attach(mfd, tfd, e);
}

char **jmount_host_below(const char *dir, size_t *n, struct brig_err *e)
{
	cleanup_free char *text = NULL;
	size_t len = strlen(dir);
	char **v = xcalloc(1, sizeof(*v)), *save = NULL;

	*n = 0;
	if (read_bounded(AT_FDCWD, "/proc/self/mountinfo", READ_AT, 16 << 20, &text, NULL, e) < 0) {
		free(v);
		return NULL;
	}
	while (len > 1 && dir[len - 1] == '/')
		len--;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[24], mp[4096];

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... (octal escapes left:
		 * compared as they are, to one another) */
		if (sscanf(line, "%23s %*s %*s %*s %4095s", id, mp) != 2 || strncmp(mp, dir, len) != 0 ||
		    mp[len] != '/')
			continue;
		v = xrealloc(v, (*n + 2) * sizeof(*v));
		v[(*n)++] = xasprintf("%s %s", id, mp);
		v[*n] = NULL;
	}
	return v;
}

bool jmount_is_root(const struct jmount *m)
{
	return strcmp(m->target, "/") == 0;
}

int jmount_root(const struct jmount *m, struct brig_err *e)
{
	unsigned long attrs = m->attrs | MOUNT_ATTR_NODEV | (m->ro ? MOUNT_ATTR_RDONLY : 0);
	int fd = new_bind(AT_FDCWD, m->src, m->recursive, attrs, e);

	return fd < 0 && m->origin ? brig_err_wrap(e, "%s", m->origin) : fd;
}

int jmount_apply(int rootfd, const struct jmount *m, size_t n, struct brig_err *e)
{
	struct mount_attr nodev = { .attr_set = MOUNT_ATTR_NODEV };
	cleanup_close int empty = -1;

	/* The root and every mount beneath it (in this mount namespace
	 * only): a node shipped in a template or an archive, or made later
	 * in the jail's tree, opens nothing. */
	if (mount_setattr(rootfd, "", AT_EMPTY_PATH | AT_RECURSIVE, &nodev, sizeof(nodev)) < 0)
		return brig_err_set(e, errno, "making the jail's root nodev");
	for (size_t i = 0; i < n; i++)
		if (!jmount_is_root(&m[i]) && apply_one(rootfd, &m[i], &empty, e) < 0)
			return m[i].origin ? brig_err_wrap(e, "%s", m[i].origin) : -1;
	return 0;
}
