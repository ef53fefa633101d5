/* ext4 and xfs project quotas of the store's jails (store/quota.c says
 * when): a project id per jail, on its own directories with
 * FS_XFLAG_PROJINHERIT (FS_IOC_FSSETXATTR), and the project's hard block
 * limit (quotactl_fd(2) Q_SETQUOTA). The id is the lowest free one from
 * QUOTA_PROJID_BASE, chosen under the store's lock and kept in the
 * jail's meta (quota_project=), so that no two jails share one and
 * destroy clears the right limit. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/dqblk_xfs.h>
#include <linux/fs.h>
#include <linux/quota.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/paths.h"

/* brig's project ids: clear of the small ids of /etc/projid. */
#define QUOTA_PROJID_BASE 2000000000u
#define QUOTA_PROJID_SPAN 1000000u

/* quotactl_fd(2) on a project quota (no glibc wrapper): the filesystem of
 * fd, no block device to name. */
static long qctl(int fd, int cmd, unsigned id, void *addr)
{
	return syscall(SYS_quotactl_fd, (unsigned)fd, (unsigned)QCMD(cmd, PRJQUOTA), id, addr);
}

int projquota_enforced(int fd, const char *path, const char *fsname, bool xfs,
		       struct brig_err *e)
{
	struct fs_quota_statv sv;

	memset(&sv, 0, sizeof(sv));
	sv.qs_version = FS_QSTATV_VERSION1;
	if (qctl(fd, Q_XGETQSTATV, 0, &sv) < 0 && errno != ESRCH)
		return brig_err_set(e, errno, "%s (%s): reading its quota state (quotactl_fd(2), "
				    "Linux 5.14, and a kernel with CONFIG_QUOTA)", path, fsname);
	if (!(sv.qs_flags & FS_QUOTA_PDQ_ENFD) || !(sv.qs_flags & FS_QUOTA_PDQ_ACCT))
		return brig_err_set(e, 0, "%s (%s) is not mounted with project quotas enforced: %s",
				    path, fsname,
				    xfs ? "mount it with -o prjquota (pquota)" :
				    "make it with the project feature (mkfs.ext4 -O quota,project, or "
				    "tune2fs -O quota,project while unmounted) and mount it with "
				    "-o prjquota");
	return 0;
}

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

int projquota_set(int storefd, struct jailrec *r, const char *dir, int fd, long long bytes,
		  struct brig_err *e)
{
	cleanup_close int jailsfd = store_sub(storefd, "jails", e);
	unsigned id = 0;

	if (jailsfd < 0 || proj_id(storefd, jailsfd, r, fd, &id, e) < 0)
		return -1;
	/* The overlay's work directory too: overlayfs makes files there and
	 * renames them into the layer, which a project refuses (EXDEV)
	 * unless both have its id. */
	if (r->be->mounted && proj_tag_tree(r->dirfd, "work", id, e) < 0)
		return -1;
	if (proj_tag_tree(r->dirfd, dir, id, e) < 0)
		return -1;
	return proj_limit(fd, id, bytes, e);
}

int projquota_usage(const struct jailrec *r, int fd, long long *used, long long *limit,
		    struct brig_err *e)
{
	const char *v = meta_get(&r->meta, "quota_project");
	struct if_dqblk q;

	if (!v)
		return 0;
	if (proj_get(fd, (unsigned)strtoul(v, NULL, 10), &q, e) < 0)
		return -1;
	*used = (long long)q.dqb_curspace;
	*limit = q.dqb_bhardlimit ? (long long)q.dqb_bhardlimit * QIF_DQBLKSIZE : -1;
	return 0;
}
