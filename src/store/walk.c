/* Depth-first walk of a tree through directory fds, never following a
 * symlink and never descending into another mount. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"

/* Deeper trees are refused rather than running out of descriptors. */
#define WALK_MAX_DEPTH 256

static int walk_dir(int fd, struct walk_ent *w, const struct walk_ops *ops, void *ctx,
		    int depth, struct brig_err *e);

/* A statx timestamp as a timespec. */
static struct timespec ts(struct statx_timestamp t)
{
	return (struct timespec){ .tv_sec = t.tv_sec, .tv_nsec = t.tv_nsec };
}

/* Stat dirfd/name; for directories also whether a mount sits on it. */
static int walk_stat(struct walk_ent *w, struct brig_err *e)
{
	struct statx stx;

	if (statx(w->dirfd, w->name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT,
		  STATX_BASIC_STATS, &stx) < 0)
		return brig_err_set(e, errno, "examining `%s`", *w->path ? w->path : ".");
	w->st = (struct stat){
		.st_dev = makedev(stx.stx_dev_major, stx.stx_dev_minor),
		.st_ino = stx.stx_ino,
		.st_mode = stx.stx_mode,
		.st_nlink = stx.stx_nlink,
		.st_uid = stx.stx_uid,
		.st_gid = stx.stx_gid,
		.st_rdev = makedev(stx.stx_rdev_major, stx.stx_rdev_minor),
		.st_size = (off_t)stx.stx_size,
		.st_blocks = (blkcnt_t)stx.stx_blocks,
		.st_atim = ts(stx.stx_atime),
		.st_mtim = ts(stx.stx_mtime),
		.st_ctim = ts(stx.stx_ctime),
	};
	w->mount_root = S_ISDIR(w->st.st_mode) && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
	return 0;
}

/* Visit one entry, and below it when it is a directory. */
static int walk_one(struct walk_ent *w, const struct walk_ops *ops, void *ctx, int depth,
		    struct brig_err *e)
{
	int rc, fd;

	if (walk_stat(w, e) < 0)
		return -1;
	/* The top is walked even when it is a mount (an overlay root). */
	if (depth == 0)
		w->mount_root = false;
	w->fd = -1;
	w->data = NULL;
	rc = ops->entry(ctx, w, e);
	if (rc < 0)
		return -1;
	if (!S_ISDIR(w->st.st_mode))
		return 0;
	fd = openat(w->dirfd, w->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return brig_err_set(e, errno, "opening `%s`", *w->path ? w->path : ".");
	if (rc == 0 && !w->mount_root)
		rc = walk_dir(fd, w, ops, ctx, depth + 1, e);
	else
		rc = 0;
	w->fd = fd;
	if (rc == 0 && ops->leave) {
		rc = ops->leave(ctx, w, e);
	} else if (ops->leave) {
		struct brig_err ignored;

		/* Let it release what entry() took; the first error stands. */
		w->aborted = true;
		ops->leave(ctx, w, &ignored);
	}
	close(fd);
	return rc < 0 ? -1 : 0;
}

/* Visit the entries of the directory fd (the entry w). */
static int walk_dir(int fd, struct walk_ent *w, const struct walk_ops *ops, void *ctx,
		    int depth, struct brig_err *e)
{
	struct dirent *de;
	int dfd, rc = 0;
	DIR *d;

	if (depth > WALK_MAX_DEPTH)
		return brig_err_set(e, ELOOP, "`%s`: more than %d levels deep", w->path, WALK_MAX_DEPTH);
	dfd = dup(fd);
	if (dfd < 0)
		return brig_err_set(e, errno, "reading `%s`", *w->path ? w->path : ".");
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return brig_err_set(e, errno, "reading `%s`", *w->path ? w->path : ".");
	}
	while (rc == 0) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				rc = brig_err_set(e, errno, "reading `%s`", *w->path ? w->path : ".");
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		cleanup_free char *path = *w->path ? xasprintf("%s/%s", w->path, de->d_name)
						   : xstrdup(de->d_name);
		struct walk_ent child = {
			.dirfd = fd,
			.name = de->d_name,
			.path = path,
			.parent = w->data,
		};
		rc = walk_one(&child, ops, ctx, depth, e);
	}
	closedir(d);
	return rc;
}

/* Walk the tree whose top directory is topfd. Mount points are reported
 * (mount_root) and not descended into. */
int walk_tree(int topfd, const struct walk_ops *ops, void *ctx, struct brig_err *e)
{
	struct walk_ent top = { .dirfd = topfd, .name = ".", .path = "" };

	return walk_one(&top, ops, ctx, 0, e);
}
