/* Btrfs subvolumes and their qgroups through their ioctls (no btrfs binary). */
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/readfile.h"

/* Copy a subvolume name into an ioctl argument, refusing long ones. */
static int set_name(char *dst, size_t size, const char *name, struct brig_err *e)
{
	if (strlen(name) >= size)
		return brig_err_set(e, ENAMETOOLONG, "btrfs subvolume `%s`", name);
	memcpy(dst, name, strlen(name) + 1);
	return 0;
}

/* Make dstdir/dstname a btrfs subvolume (a snapshot of srcfd when srcfd >= 0,
 * readonly if asked; an empty subvolume when srcfd < 0). */
int btrfs_subvol_make(int srcfd, int dstdirfd, const char *dstname, bool readonly,
		      struct brig_err *e)
{
	if (srcfd >= 0) {
		struct btrfs_ioctl_vol_args_v2 a;

		memset(&a, 0, sizeof(a));
		a.fd = srcfd;
		a.flags = readonly ? BTRFS_SUBVOL_RDONLY : 0;
		if (set_name(a.name, sizeof(a.name), dstname, e) < 0)
			return -1;
		if (ioctl(dstdirfd, BTRFS_IOC_SNAP_CREATE_V2, &a) < 0)
			return brig_err_set(e, errno, "btrfs snapshot `%s`", dstname);
		return 0;
	}
	struct btrfs_ioctl_vol_args a;

	memset(&a, 0, sizeof(a));
	if (set_name(a.name, sizeof(a.name), dstname, e) < 0)
		return -1;
	if (ioctl(dstdirfd, BTRFS_IOC_SUBVOL_CREATE, &a) < 0)
		return brig_err_set(e, errno, "creating btrfs subvolume `%s`", dstname);
	return 0;
}

/* Delete the subvolume dirfd/name, contents and all. */
int btrfs_subvol_delete(int dirfd, const char *name, struct brig_err *e)
{
	struct btrfs_ioctl_vol_args a;

	memset(&a, 0, sizeof(a));
	if (set_name(a.name, sizeof(a.name), name, e) < 0)
		return -1;
	if (ioctl(dirfd, BTRFS_IOC_SNAP_DESTROY, &a) < 0)
		return brig_err_set(e, errno, "deleting btrfs subvolume `%s`", name);
	return 0;
}

/* /sys/fs/btrfs/FSID of the btrfs filesystem of fd; caller frees. */
char *btrfs_sysfs(int fd, struct brig_err *e)
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
int btrfs_qgroup_limit(int dirfd, int fd, long long bytes, struct brig_err *e)
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

int btrfs_qgroup_usage(int fd, long long *excl, long long *max, struct brig_err *e)
{
	cleanup_free char *sys = btrfs_sysfs(fd, e), *u = NULL, *m = NULL;
	cleanup_free char *f1 = NULL, *f2 = NULL;
	unsigned long long id;

	if (!sys || btrfs_subvol_id(fd, &id, e) < 0)
		return -1;
	f1 = xasprintf("%s/qgroups/0_%llu/exclusive", sys, id);
	f2 = xasprintf("%s/qgroups/0_%llu/max_exclusive", sys, id);
	if (read_bounded(AT_FDCWD, f1, READ_PATH, 4096, &u, NULL, e) < 0 ||
	    read_bounded(AT_FDCWD, f2, READ_PATH, 4096, &m, NULL, e) < 0)
		return -1;
	*excl = strtoll(u, NULL, 10);
	*max = strtoll(m, NULL, 10);	/* 0: none (its flag cleared) */
	if (*max <= 0)
		*max = -1;
	return 0;
}
