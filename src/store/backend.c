/* The three ways to make a jail's root: an overlay over the template
 * (thin, any filesystem), a btrfs snapshot of it (thin, btrfs stores), a
 * full copy (thick, reflinked where the filesystem can). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"

/* Open srcdir/srcname, a directory, without following a symlink. */
static int open_src(int srcdirfd, const char *srcname, struct brig_err *e)
{
	int fd = openat(srcdirfd, srcname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		brig_err_set(e, errno, "opening `%s`", srcname);
	return fd;
}

/* Clone by copying the tree (reflinks where possible). */
static int copy_clone(int srcdirfd, const char *srcname, int dstdirfd, const char *dstname,
		      bool readonly, const struct store_progress *p, struct brig_err *e)
{
	cleanup_close int fd = open_src(srcdirfd, srcname, e);

	(void)readonly;	/* a copy is frozen by nobody writing to it */
	if (fd < 0)
		return -1;
	return copy_tree(fd, dstdirfd, dstname, NULL, p, e);
}

/* Overlay: an empty mountpoint, the jail's own layer (upper) with the
 * template root's owner and mode, and overlayfs's work directory. Nothing
 * here depends on the template's size. */
static int overlay_make(int tmplrootfd, int jaildirfd, const struct store_progress *p,
			struct brig_err *e)
{
	struct stat st;

	(void)p;
	if (fstat(tmplrootfd, &st) < 0)
		return brig_err_set(e, errno, "examining the template's root");
	if (mkdirat(jaildirfd, "root", 0755) < 0 || mkdirat(jaildirfd, "upper", 0755) < 0 ||
	    mkdirat(jaildirfd, "work", 0700) < 0)
		return brig_err_set(e, errno, "creating the jail's directories");
	if (fchownat(jaildirfd, "upper", st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fchmodat(jaildirfd, "upper", st.st_mode & 07777, 0) < 0)
		return brig_err_set(e, errno, "setting up the jail's layer");
	return 0;
}

/* Btrfs: a writable snapshot of the template's subvolume. */
static int btrfs_make(int tmplrootfd, int jaildirfd, const struct store_progress *p,
		      struct brig_err *e)
{
	(void)p;
	return btrfs_subvol_make(tmplrootfd, jaildirfd, "root", false, e);
}

/* Btrfs: clone by snapshot. */
static int btrfs_clone(int srcdirfd, const char *srcname, int dstdirfd, const char *dstname,
		       bool readonly, const struct store_progress *p, struct brig_err *e)
{
	cleanup_close int fd = open_src(srcdirfd, srcname, e);

	(void)p;
	if (fd < 0)
		return -1;
	return btrfs_subvol_make(fd, dstdirfd, dstname, readonly, e);
}

/* Copy: a full, independent copy of the template. */
static int copy_make(int tmplrootfd, int jaildirfd, const struct store_progress *p,
		     struct brig_err *e)
{
	return copy_tree(tmplrootfd, jaildirfd, "root", NULL, p, e);
}

const struct backend backend_overlay = {
	.name = "overlay",
	.data = "upper",
	.make = overlay_make,
	.clone = copy_clone,
	.mounted = true,
};

const struct backend backend_btrfs = {
	.name = "btrfs",
	.data = "root",
	.make = btrfs_make,
	.clone = btrfs_clone,
	.mounted = false,
};

const struct backend backend_copy = {
	.name = "copy",
	.data = "root",
	.make = copy_make,
	.clone = copy_clone,
	.mounted = false,
};

const struct backend *backend_find(const char *name)
{
	static const struct backend *const all[] = { &backend_overlay, &backend_btrfs, &backend_copy };

	for (size_t i = 0; name && i < ARRAY_SIZE(all); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

/* The backend for a new jail of the template at tmplrootfd: thick jails are
 * copies; thin ones btrfs snapshots when the template is a subvolume,
 * overlays otherwise. */
const struct backend *backend_choose(int tmplrootfd, bool thick)
{
	struct stat st;

	if (thick)
		return &backend_copy;
	if (fstat(tmplrootfd, &st) == 0 && st.st_ino == 256 && fs_is_btrfs(tmplrootfd))
		return &backend_btrfs;
	return &backend_overlay;
}
