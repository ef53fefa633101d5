/* Disk quotas of the store's jails (the quota parameter): a limit on the
 * jail's own data, enforced by the store's filesystem, through the
 * kernel's interfaces (no quota tools):
 *   ext4, xfs: a project quota. The jail's own directories (an overlay
 *     jail's upper and work, another's root) get a project id and
 *     FS_XFLAG_PROJINHERIT (FS_IOC_FSSETXATTR), every directory and
 *     regular file already there the id too; the project's hard block
 *     limit is set with quotactl_fd(2) Q_SETQUOTA. The id is the lowest
 *     free one from QUOTA_PROJID_BASE, chosen under the store's lock and
 *     kept in the jail's meta (quota_project=), so that no two jails share
 *     one and destroy clears the right limit.
 *   btrfs: the qgroup limit of the jail's subvolume on what it holds alone
 *     (max_excl: a thin jail's own changes, not what it shares with its
 *     template), BTRFS_IOC_QGROUP_LIMIT.
 * Anything else refuses a quota, saying why and what to do. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/dqblk_xfs.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/quota.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/paths.h"
#include "util/readfile.h"

#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif

/* brig's project ids: clear of the small ids of /etc/projid. */
#define QUOTA_PROJID_BASE 2000000000u
#define QUOTA_PROJID_SPAN 1000000u

enum qkind { QK_PROJECT, QK_BTRFS };

static long qctl(int fd, int cmd, unsigned id, void *addr)
{
	return syscall(SYS_quotactl_fd, (unsigned)fd, (unsigned)QCMD(cmd, PRJQUOTA), id, addr);
}

static const char *fs_name(unsigned long type)
{
	switch (type) {
	case EXT4_SUPER_MAGIC:
		return "ext4";
	case XFS_SUPER_MAGIC:
		return "xfs";
	case BTRFS_SUPER_MAGIC:
		return "btrfs";
	case TMPFS_MAGIC:
		return "tmpfs";
	case OVERLAYFS_SUPER_MAGIC:
		return "overlayfs";
	default:
		return NULL;
	}
}

/* /sys/fs/btrfs/FSID of the btrfs filesystem of fd; caller frees. */
static char *btrfs_sysfs(int fd, struct brig_err *e)
{
	struct btrfs_ioctl_fs_info_args a;
	const unsigned char *u = a.fsid;

	memset(&a, 0, sizeof(a));
	if (ioctl(fd, BTRFS_IOC_FS_INFO, &a) < 0) {
		brig_err_set(e, errno, "reading the btrfs filesystem's id");
		return NULL;
	}
	return xasprintf("/sys/fs/btrfs/%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			 "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5], u[6],
			 u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

/* Which kind of quota the filesystem of fd (in the store, at path) can
 * enforce; -1 with why not and what to do. */
static int quota_kind(int fd, const char *path, struct brig_err *e)
{
	struct fs_quota_statv sv;
	struct statfs sf;
	const char *name;

	if (fstatfs(fd, &sf) < 0)
		return brig_err_set(e, errno, "examining the filesystem of %s", path);
	name = fs_name((unsigned long)sf.f_type);
	if (sf.f_type == BTRFS_SUPER_MAGIC) {
		cleanup_free char *sys = btrfs_sysfs(fd, e);
		cleanup_free char *qg = sys ? xasprintf("%s/qgroups", sys) : NULL;

		if (!sys)
			return -1;
		if (access(qg, F_OK) == 0)
			return QK_BTRFS;
		return brig_err_set(e, 0, "quotas are not enabled on the btrfs filesystem of %s: "
				    "enable them with `btrfs quota enable MOUNTPOINT` (qgroups), or "
				    "leave quota unset", path);
	}
	if (sf.f_type != EXT4_SUPER_MAGIC && sf.f_type != XFS_SUPER_MAGIC) {
		char hex[24];

		snprintf(hex, sizeof(hex), "0x%lx", (unsigned long)sf.f_type);
		return brig_err_set(e, 0, "%s is on %s, which has neither project quotas nor btrfs "
				    "qgroups: put the store (BRIG_STOREDIR) on ext4 or xfs with project "
				    "quotas, or on btrfs with quotas enabled, or leave quota unset",
				    path, name ? name : hex);
	}
	memset(&sv, 0, sizeof(sv));
	sv.qs_version = FS_QSTATV_VERSION1;
	if (qctl(fd, Q_XGETQSTATV, 0, &sv) < 0 && errno != ESRCH)
		return brig_err_set(e, errno, "%s (%s): reading its quota state (quotactl_fd(2), "
				    "Linux 5.14, and a kernel with CONFIG_QUOTA)", path, name);
	if (!(sv.qs_flags & FS_QUOTA_PDQ_ENFD) || !(sv.qs_flags & FS_QUOTA_PDQ_ACCT))
		return brig_err_set(e, 0, "%s (%s) is not mounted with project quotas enforced: %s",
				    path, name,
				    sf.f_type == XFS_SUPER_MAGIC ?
				    "mount it with -o prjquota (pquota)" :
				    "make it with the project feature (mkfs.ext4 -O quota,project, or "
				    "tune2fs -O quota,project while unmounted) and mount it with "
				    "-o prjquota");
	return QK_PROJECT;
}

int store_quota_check(struct brig_err *e)
{
	cleanup_close int storefd = store_open(e), jailsfd = -1;
	cleanup_free char *where = xasprintf("the store %s", brig_storedir());

	if (storefd < 0)
		return -1;
	jailsfd = store_sub(storefd, "jails", e);
	if (jailsfd < 0)
		return -1;
	return quota_kind(jailsfd, where, e) < 0 ? -1 : 0;
}

/* ---- project quotas ---- */

static int proj_get(int fd, unsigned id, struct if_dqblk *q, struct brig_err *e)
{
	memset(q, 0, sizeof(*q));
	/* xfs: ENOENT for a project it has no record of (nothing used). */
	if (qctl(fd, Q_GETQUOTA, id, q) < 0 && errno != ENOENT)
		return brig_err_set(e, errno, "reading the quota of project %u", id);
	return 0;
}

/* Set the hard block limit of project id (0 bytes: none). */
static int proj_limit(int fd, unsigned id, long long bytes, struct brig_err *e)
{
	struct if_dqblk q;

	memset(&q, 0, sizeof(q));
	q.dqb_bhardlimit = (unsigned long long)(bytes + QIF_DQBLKSIZE - 1) / QIF_DQBLKSIZE;
	q.dqb_valid = QIF_BLIMITS;
	if (qctl(fd, Q_SETQUOTA, id, &q) < 0)
		return brig_err_set(e, errno, "setting the limit of project %u", id);
	return 0;
}

/* The project ids the store's jails hold (their meta's quota_project). */
static int proj_used(int jailsfd, unsigned **ids, size_t *n, struct brig_err *e)
{
	int dfd = openat(jailsfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	*ids = NULL;
	*n = 0;
	if (dfd < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return brig_err_set(e, errno, "reading %s/jails", brig_storedir());
	}
	while ((de = readdir(d))) {
		struct meta m = { 0 };
		struct brig_err ignored;
		cleanup_free char *rel = xasprintf("%s/meta", de->d_name);
		const char *v;

		if (de->d_name[0] == '.' || meta_read(jailsfd, rel, &m, &ignored) < 0)
			continue;
		v = meta_get(&m, "quota_project");
		if (v) {
			*ids = xrealloc(*ids, (*n + 1) * sizeof(**ids));
			(*ids)[(*n)++] = (unsigned)strtoul(v, NULL, 10);
		}
		meta_free(&m);
	}
	closedir(d);
	return 0;
}

/* Is id free: no jail of the store holds it, and the filesystem has
 * nothing of it (blocks, inodes or limits of a project the admin made)? */
static int proj_free(int fd, unsigned id, const unsigned *used, size_t n, struct brig_err *e)
{
	struct if_dqblk q;

	for (size_t i = 0; i < n; i++)
		if (used[i] == id)
			return 0;
	if (proj_get(fd, id, &q, e) < 0)
		return -1;
	return !(q.dqb_curspace || q.dqb_curinodes || q.dqb_bhardlimit || q.dqb_bsoftlimit ||
		 q.dqb_ihardlimit || q.dqb_isoftlimit);
}

/* The jail's project id: the one in its meta, else the lowest free one,
 * chosen under the store's lock (taken only then: a start of a jail
 * without a new quota never waits for it) and recorded there. */
static int proj_id(int storefd, int jailsfd, struct jailrec *r, int fd, unsigned *id,
		   struct brig_err *e)
{
	const char *v = meta_get(&r->meta, "quota_project");
	cleanup_free unsigned *used = NULL;
	cleanup_close int lockfd = -1;
	size_t n;
	char buf[16];

	if (!v) {
		lockfd = store_lock(storefd, true, e);
		meta_free(&r->meta);
		if (lockfd < 0 || meta_read(r->dirfd, "meta", &r->meta, e) < 0)
			return -1;
		v = meta_get(&r->meta, "quota_project");
	}
	if (v) {
		char *end;
		unsigned long k = strtoul(v, &end, 10);

		if (*end || k < QUOTA_PROJID_BASE || k >= QUOTA_PROJID_BASE + QUOTA_PROJID_SPAN)
			return brig_err_set(e, 0, "meta: bad quota_project %s", v);
		*id = (unsigned)k;
		return 0;
	}
	if (proj_used(jailsfd, &used, &n, e) < 0)
		return -1;
	for (unsigned i = QUOTA_PROJID_BASE; i < QUOTA_PROJID_BASE + QUOTA_PROJID_SPAN; i++) {
		int f = proj_free(fd, i, used, n, e);

		if (f < 0)
			return -1;
		if (!f)
			continue;
		snprintf(buf, sizeof(buf), "%u", i);
		meta_set(&r->meta, "quota_project", buf);
		if (meta_write(r->dirfd, "meta", &r->meta, e) < 0)
			return -1;
		*id = i;
		return 0;
	}
	return brig_err_set(e, ENOSPC, "no free project id left");
}

/* Give the directory or regular file fd project id (and, a directory,
 * FS_XFLAG_PROJINHERIT: what is made in it gets the id too). */
static int proj_tag(int fd, unsigned id, bool dir, const char *what, struct brig_err *e)
{
	struct fsxattr fa;

	if (ioctl(fd, FS_IOC_FSGETXATTR, &fa) < 0)
		return brig_err_set(e, errno, "reading the attributes of `%s`", what);
	if (fa.fsx_projid == id && (!dir || (fa.fsx_xflags & FS_XFLAG_PROJINHERIT)))
		return 0;
	fa.fsx_projid = id;
	if (dir)
		fa.fsx_xflags |= FS_XFLAG_PROJINHERIT;
	if (ioctl(fd, FS_IOC_FSSETXATTR, &fa) < 0)
		return brig_err_set(e, errno, "setting project %u on `%s`", id, what);
	return 0;
}

/* Regular files in entry(), directories in leave() (they are open then);
 * symlinks, whiteouts, devices and fifos cannot be opened safely, and
 * hold no blocks (but a long symlink's). The top is left to the caller. */
static int tag_entry(void *ctx, struct walk_ent *w, struct brig_err *e)
{
	int fd, rc;

	if (w->mount_root)
		return 1;
	if (!S_ISREG(w->st.st_mode))
		return 0;
	fd = openat(w->dirfd, w->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return brig_err_set(e, errno, "opening `%s`", w->path);
	rc = proj_tag(fd, *(unsigned *)ctx, false, w->path, e);
	close(fd);
	return rc;
}

static int tag_leave(void *ctx, struct walk_ent *w, struct brig_err *e)
{
	if (w->aborted || !*w->path || w->mount_root)
		return 0;
	return proj_tag(w->fd, *(unsigned *)ctx, true, w->path, e);
}

/* Tag the jail's directory name and all in it; its top last, so that a
 * top with the id says the tree has it (the next start skips the walk). */
static int proj_tag_tree(int jaildirfd, const char *name, unsigned id, struct brig_err *e)
{
	static const struct walk_ops ops = { .entry = tag_entry, .leave = tag_leave };
	cleanup_close int fd = openat(jaildirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				      O_CLOEXEC);
	struct fsxattr fa;

	if (fd < 0)
		return brig_err_set(e, errno, "opening the jail's `%s`", name);
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fa) < 0)
		return brig_err_set(e, errno, "reading the attributes of the jail's `%s`", name);
	if (fa.fsx_projid == id && (fa.fsx_xflags & FS_XFLAG_PROJINHERIT))
		return 0;
	if (walk_tree(fd, &ops, &id, e) < 0)
		return brig_err_wrap(e, "the jail's `%s`", name);
	return proj_tag(fd, id, true, name, e);
}

/* ---- btrfs qgroups ---- */

/* The id of the subvolume fd (the root of one). */
static int btrfs_subvol_id(int fd, unsigned long long *id, struct brig_err *e)
{
	struct btrfs_ioctl_ino_lookup_args a;

	memset(&a, 0, sizeof(a));
	a.objectid = 256;	/* BTRFS_FIRST_FREE_OBJECTID: the subvolume's root */
	if (ioctl(fd, BTRFS_IOC_INO_LOOKUP, &a) < 0)
		return brig_err_set(e, errno, "looking up the jail's subvolume");
	*id = a.treeid;
	return 0;
}

/* Limit what the subvolume fd holds alone (bytes 0: no limit). Asked of
 * dirfd, outside it: the change is a transaction, and one in a subvolume
 * already past its limit fails with EDQUOT (a copy made bigger than its
 * quota could never have it cleared). */
static int btrfs_limit(int dirfd, int fd, long long bytes, struct brig_err *e)
{
	struct btrfs_ioctl_qgroup_limit_args a;
	unsigned long long id;

	if (btrfs_subvol_id(fd, &id, e) < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.qgroupid = id;	/* level 0: the subvolume's own qgroup */
	a.lim.flags = BTRFS_QGROUP_LIMIT_MAX_EXCL;
	a.lim.max_excl = bytes ? (__u64)bytes : (__u64)-1;	/* -1: clear */
	if (ioctl(dirfd, BTRFS_IOC_QGROUP_LIMIT, &a) < 0)
		return brig_err_set(e, errno, "setting the qgroup limit of the jail's subvolume");
	return 0;
}

/* ---- the jail's quota ---- */

/* The directory the quota covers: an overlay jail's layer, another's root. */
static const char *quota_dir(const struct jailrec *r)
{
	return r->be->data;
}

/* Open what the quota covers, and find its kind; a btrfs jail's must be
 * a subvolume (a thick jail copied on btrfs is a plain directory). */
static int quota_open(struct jailrec *r, const char *name, int *kind, struct brig_err *e)
{
	cleanup_free char *where = xasprintf("jail %s's storage (%s/jails/%s)", name,
					     brig_storedir(), name);
	int fd = openat(r->dirfd, quota_dir(r), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return brig_err_set(e, errno, "opening the jail's `%s`", quota_dir(r));
	*kind = quota_kind(fd, where, e);
	if (*kind == QK_BTRFS) {
		int sv = fs_is_subvolume(r->dirfd, quota_dir(r), e);

		if (sv <= 0) {
			if (sv == 0)
				brig_err_set(e, 0, "on btrfs a quota needs the jail's own data in a "
					     "subvolume of its own, and its %s is not one (a thin "
					     "jail of a template made on this btrfs store is)",
					     quota_dir(r));
			*kind = -1;
		}
	}
	if (*kind < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Record in the jail's meta the btrfs limit brig set (0: none), so that
 * only a limit of brig's is ever cleared (not one the admin set by hand). */
static int qgroup_note(struct jailrec *r, long long bytes, struct brig_err *e)
{
	const char *v = meta_get(&r->meta, "quota_qgroup");
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", bytes);
	if ((v && !strcmp(v, buf)) || (!v && !bytes))
		return 0;
	meta_set(&r->meta, "quota_qgroup", buf);
	return meta_write(r->dirfd, "meta", &r->meta, e);
}

/* Set the quota of the opened jail r (bytes 0: clear the one brig set). */
static int jail_quota(int storefd, struct jailrec *r, const char *name, long long bytes,
		      struct brig_err *e)
{
	cleanup_close int jailsfd = -1, fd = -1;
	const char *qg = meta_get(&r->meta, "quota_qgroup");
	bool proj = meta_get(&r->meta, "quota_project") != NULL;
	unsigned id = 0;
	int kind;

	if (!bytes && !proj && (!qg || !strcmp(qg, "0")))
		return 0;	/* none now, none set before */
	fd = quota_open(r, name, &kind, e);
	if (fd < 0)
		return bytes ? -1 : 0;	/* none asked: nothing to clear there */
	if (kind == QK_BTRFS)
		return btrfs_limit(r->dirfd, fd, bytes, e) < 0 ? -1 : qgroup_note(r, bytes, e);
	if (!bytes && !proj)
		return 0;
	jailsfd = store_sub(storefd, "jails", e);
	if (jailsfd < 0 || proj_id(storefd, jailsfd, r, fd, &id, e) < 0)
		return -1;
	/* The overlay's work directory too: overlayfs makes files there and
	 * renames them into the layer, which a project refuses (EXDEV)
	 * unless both have its id. */
	if (r->be->mounted && proj_tag_tree(r->dirfd, "work", id, e) < 0)
		return -1;
	if (proj_tag_tree(r->dirfd, quota_dir(r), id, e) < 0)
		return -1;
	return proj_limit(fd, id, bytes, e);
}

int store_jail_quota(const char *jail, const char *path, long long bytes, struct brig_err *e)
{
	cleanup_free char *name = NULL;
	cleanup_close int storefd = -1;
	struct jailrec r;
	int rc;

	name = store_jail_name(path, &storefd);
	if (!name) {
		if (!bytes)
			return 0;
		return brig_err_set(e, 0, "%s: quota: its path is not the root of a jail of brig's "
				    "store (%s/jails/NAME/root): a quota is set only on the storage "
				    "`brig create` makes", jail, brig_storedir());
	}
	if (jailrec_open(storefd, name, &r, e) < 0)
		return brig_err_wrap(e, "%s: quota", jail);
	rc = jail_quota(storefd, &r, name, bytes, e);
	jailrec_close(&r);
	return rc < 0 ? brig_err_wrap(e, "%s: quota", jail) : 0;
}

/* Destroy (under the store's lock): the jail's limit goes with it (its project id is free again
 * once its meta is gone). */
int quota_clear(int storefd, struct jailrec *r, const char *name, struct brig_err *e)
{
	if (jail_quota(storefd, r, name, 0, e) == 0)
		return 0;
	/* Quotas turned off since: no limit is left to clear. */
	return e->errnum == ENOTCONN || e->errnum == ESRCH ? 0 : -1;
}

int store_quota_usage(const char *path, long long *used, long long *limit, struct brig_err *e)
{
	cleanup_close int storefd = -1, fd = -1;
	cleanup_free char *name = store_jail_name(path, &storefd);
	struct jailrec r;
	int kind, rc = -1;

	*used = *limit = -1;
	if (!name)
		return 0;	/* not the store's: unknown */
	if (jailrec_open(storefd, name, &r, e) < 0)
		return -1;
	fd = quota_open(&r, name, &kind, e);
	if (fd < 0)
		goto out;
	if (kind == QK_BTRFS) {
		cleanup_free char *sys = btrfs_sysfs(fd, e), *excl = NULL, *max = NULL;
		cleanup_free char *f1 = NULL, *f2 = NULL;
		unsigned long long id;

		if (!sys || btrfs_subvol_id(fd, &id, e) < 0)
			goto out;
		f1 = xasprintf("%s/qgroups/0_%llu/exclusive", sys, id);
		f2 = xasprintf("%s/qgroups/0_%llu/max_exclusive", sys, id);
		if (read_bounded(AT_FDCWD, f1, READ_PATH, 4096, &excl, NULL, e) < 0 ||
		    read_bounded(AT_FDCWD, f2, READ_PATH, 4096, &max, NULL, e) < 0)
			goto out;
		*used = strtoll(excl, NULL, 10);
		*limit = strtoll(max, NULL, 10);	/* 0: none (its flag cleared) */
		if (*limit <= 0)
			*limit = -1;
		rc = 0;
	} else {
		const char *v = meta_get(&r.meta, "quota_project");
		struct if_dqblk q;

		rc = 0;
		if (v && proj_get(fd, (unsigned)strtoul(v, NULL, 10), &q, e) == 0) {
			*used = (long long)q.dqb_curspace;
			*limit = q.dqb_bhardlimit ? (long long)q.dqb_bhardlimit * QIF_DQBLKSIZE : -1;
		} else if (v) {
			rc = -1;
		}
	}
out:
	jailrec_close(&r);
	return rc < 0 ? brig_err_wrap(e, "%s: disk usage", name) : 0;
}
