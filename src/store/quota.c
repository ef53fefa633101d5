/* Disk quotas of the store's jails (the quota parameter): a limit on the
 * jail's own data (an overlay jail's layer, another's root; not its
 * template), enforced by the store's filesystem through the kernel's
 * interfaces (no quota tools): ext4 and xfs project quotas
 * (store/projquota.c), btrfs qgroup limits on what the jail's subvolume
 * holds alone (store/btrfs.c). Anything else refuses a quota, saying why
 * and what to do. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/paths.h"

#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif

enum qkind { QK_PROJECT, QK_BTRFS };

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

/* Which kind of quota the filesystem of fd (in the store, at path) can
 * enforce; -1 with why not and what to do. */
static int quota_kind(int fd, const char *path, struct brig_err *e)
{
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
	if (projquota_enforced(fd, path, name, sf.f_type == XFS_SUPER_MAGIC, e) < 0)
		return -1;
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
int quota_apply(int storefd, struct jailrec *r, const char *name, long long bytes,
		struct brig_err *e)
{
	cleanup_close int fd = -1;
	const char *qg = meta_get(&r->meta, "quota_qgroup");
	bool proj = meta_get(&r->meta, "quota_project") != NULL;
	int kind;

	if (!bytes && !proj && (!qg || !strcmp(qg, "0")))
		return 0;	/* none now, none set before */
	fd = quota_open(r, name, &kind, e);
	if (fd < 0)
		return bytes ? -1 : 0;	/* none asked: nothing to clear there */
	if (kind == QK_BTRFS)
		return btrfs_qgroup_limit(r->dirfd, fd, bytes, e) < 0 ? -1 : qgroup_note(r, bytes, e);
	if (!bytes && !proj)
		return 0;
	return projquota_set(storefd, r, quota_dir(r), fd, bytes, e);
}

int quota_not_store(const char *jail, struct brig_err *e)
{
	return brig_err_set(e, 0, "%s: quota: its path is not the root of a jail of brig's "
				    "store (%s/jails/NAME/root): a quota is set only on the storage "
				    "`brig create` makes", jail, brig_storedir());
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
		return quota_not_store(jail, e);
	}
	if (jailrec_open(storefd, name, &r, e) < 0)
		return brig_err_wrap(e, "%s: quota", jail);
	rc = quota_apply(storefd, &r, name, bytes, e);
	jailrec_close(&r);
	return rc < 0 ? brig_err_wrap(e, "%s: quota", jail) : 0;
}

/* Destroy (under the store's lock): the jail's limit goes with it; its
 * project id is free again once its meta is gone. */
int quota_clear(int storefd, struct jailrec *r, const char *name, struct brig_err *e)
{
	if (quota_apply(storefd, r, name, 0, e) == 0)
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
	/* No quota possible there: no figure (not an error). */
	fd = quota_open(&r, name, &kind, e);
	if (fd < 0) {
		rc = 0;
		goto out;
	}
	rc = kind == QK_BTRFS ? btrfs_qgroup_usage(fd, used, limit, e)
			      : projquota_usage(&r, fd, used, limit, e);
out:
	jailrec_close(&r);
	return rc < 0 ? brig_err_wrap(e, "%s: disk usage", name) : 0;
}
