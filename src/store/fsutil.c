/* File operations that never follow a symlink and never leave their tree. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/readfile.h"

/* Btrfs gives every subvolume's top directory this inode number. */
#define BTRFS_SUBVOL_INO 256

static int rm_at(int dirfd, const char *name, const char *path, struct brig_err *e);

/* Remove everything in the directory fd (shown as path). */
static int rm_children(int fd, const char *path, struct brig_err *e)
{
	struct dirent *de;
	int dfd = dup(fd);
	DIR *d;
	int rc = 0;

	if (dfd < 0)
		return brig_err_set(e, errno, "removing `%s`", path);
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return brig_err_set(e, errno, "removing `%s`", path);
	}
	while (rc == 0) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				rc = brig_err_set(e, errno, "reading `%s`", path);
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		cleanup_free char *sub = xasprintf("%s/%s", path, de->d_name);
		rc = rm_at(fd, de->d_name, sub, e);
	}
	closedir(d);
	return rc;
}

/* Remove dirfd/name (shown as path) and what is under it. */
static int rm_at(int dirfd, const char *name, const char *path, struct brig_err *e)
{
	struct statx stx;
	int fd, rc;

	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_TYPE | STATX_INO,
		  &stx) < 0)
		return errno == ENOENT ? 0 : brig_err_set(e, errno, "removing `%s`", path);
	if (!S_ISDIR(stx.stx_mode)) {
		if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
			return brig_err_set(e, errno, "removing `%s`", path);
		return 0;
	}
	if (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)
		return brig_err_set(e, EBUSY, "removing `%s`: a filesystem is mounted on it", path);
	rc = stx.stx_ino == BTRFS_SUBVOL_INO ? fs_is_subvolume(dirfd, name, e) : 0;
	if (rc < 0)
		return brig_err_wrap(e, "removing `%s`", path);
	if (rc > 0)
		return btrfs_subvol_delete(dirfd, name, e) < 0 ? brig_err_wrap(e, "removing `%s`", path) : 0;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return brig_err_set(e, errno, "removing `%s`", path);
	/* Entries removed while the directory is read may make readdir skip
	 * others on some filesystems: go over it again, a bounded number of
	 * times, until it is empty. */
	for (int pass = 0; pass < 4; pass++) {
		rc = rm_children(fd, path, e);
		if (rc < 0)
			break;
		rc = unlinkat(dirfd, name, AT_REMOVEDIR);
		if (rc == 0 || errno == ENOENT) {
			rc = 0;
			break;
		}
		int err = errno;

		rc = brig_err_set(e, err, "removing `%s`", path);
		if (err != ENOTEMPTY)
			break;
	}
	close(fd);
	return rc;
}

/* Remove dirfd/name and everything under it (btrfs subvolumes included),
 * never crossing into another mount. ENOENT is success. */
int fs_rm_tree(int dirfd, const char *name, struct brig_err *e)
{
	return rm_at(dirfd, name, name, e);
}

/* 1 if dirfd/name is the root of a mount, 0 if not, -1 on error. */
int fs_is_mount_root(int dirfd, const char *name, struct brig_err *e)
{
	struct statx stx;

	if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_TYPE, &stx) < 0)
		return brig_err_set(e, errno, "examining `%s`", name);
	if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return brig_err_set(e, ENOTSUP, "examining `%s`: the kernel does not say whether it is a mount point", name);
	return (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) ? 1 : 0;
}

/* 1 if fd is on btrfs. */
bool fs_is_btrfs(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) == 0 && sf.f_type == BTRFS_SUPER_MAGIC;
}

/* 1 if dirfd/name is a btrfs subvolume, 0 if not, -1 on error. */
int fs_is_subvolume(int dirfd, const char *name, struct brig_err *e)
{
	cleanup_close int fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return errno == ENOTDIR || errno == ELOOP ? 0 : brig_err_set(e, errno, "opening `%s`", name);
	if (fstat(fd, &st) < 0)
		return brig_err_set(e, errno, "examining `%s`", name);
	return st.st_ino == BTRFS_SUBVOL_INO && fs_is_btrfs(fd) ? 1 : 0;
}

/* 1 if dirfd/name exists (not following a symlink), 0 if not, -1 on error. */
int fs_exists(int dirfd, const char *name, struct brig_err *e)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : brig_err_set(e, errno, "examining `%s`", name);
}

/* Decode mountinfo's octal escapes (\040 for a space) in place. */
static void unescape_mountinfo(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* The first mount point strictly below the absolute path dir, but except,
 * or NULL. */
char *fs_mount_below(const char *dir, const char *except, struct brig_err *e)
{
	cleanup_free char *text = NULL;
	size_t n = strlen(dir);
	char *save = NULL;

	if (read_bounded(AT_FDCWD, "/proc/self/mountinfo", READ_AT, 16 << 20, &text, NULL, e) < 0)
		return NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f = line, *mp;

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT ... */
		for (int i = 0; i < 4 && f; i++) {
			f = strchr(f, ' ');
			f = f ? f + 1 : NULL;
		}
		if (!f)
			continue;
		mp = f;
		f = strchr(mp, ' ');
		if (f)
			*f = '\0';
		unescape_mountinfo(mp);
		if (!strncmp(mp, dir, n) && mp[n] == '/' && (!except || strcmp(mp, except)))
			return xstrdup(mp);
	}
	brig_err_clear(e);
	return NULL;
}
