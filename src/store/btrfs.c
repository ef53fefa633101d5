/* Btrfs subvolumes through their ioctls (no btrfs binary). */
#include <errno.h>
#include <linux/btrfs.h>
#include <string.h>
#include <sys/ioctl.h>

#include "store/internal.h"

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
