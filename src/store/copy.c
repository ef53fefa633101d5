/* Exact copies of trees: owners, modes, times, xattrs, hard links, symlinks,
 * device nodes, holes; reflinks where the filesystem has them. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/io.h"
#include "util/mem.h"

/* ---- data ---- */

/* Copy [off, end) of in to out with read/write (filesystems without an
 * in-kernel copy). */
static int copy_rw(int in, int out, off_t off, off_t end)
{
	char buf[65536];

	while (off < end) {
		size_t want = (size_t)(end - off) < sizeof(buf) ? (size_t)(end - off) : sizeof(buf);
		ssize_t n = RETRY_EINTR(pread(in, buf, want, off));

		if (n <= 0)
			return n < 0 ? -1 : 0;
		if (pwrite_all(out, buf, (size_t)n, off) < 0)
			return -1;
		off += n;
	}
	return 0;
}

/* Copy [off, end) of in to out, in the kernel when it can. */
static int copy_range(int in, int out, off_t off, off_t end)
{
	loff_t oin = off, oout = off;

	while (oin < end) {
		ssize_t n = RETRY_EINTR(copy_file_range(in, &oin, out, &oout, (size_t)(end - oin), 0));

		if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
			      errno == EOPNOTSUPP || errno == ENOTSUP))
			return copy_rw(in, out, oin, end);
		if (n < 0)
			return -1;
		if (n == 0)	/* the file shrank meanwhile */
			break;
	}
	return 0;
}

/* Copy the data of one open file into another (reflink, else in-kernel
 * copy), keeping holes. */
int copy_data(int in, int out, off_t size, struct brig_err *e)
{
	off_t pos = 0;

	if (size > 0 && ioctl(out, FICLONE, in) == 0)
		return 0;
	while (pos < size) {
		off_t data = lseek(in, pos, SEEK_DATA);
		off_t hole;

		if (data < 0 && errno == ENXIO)
			break;	/* only a hole is left */
		if (data < 0) {
			data = pos;	/* no SEEK_DATA: copy everything */
			hole = size;
		} else {
			hole = lseek(in, data, SEEK_HOLE);
			if (hole < 0 || hole > size)
				hole = size;
		}
		if (copy_range(in, out, data, hole) < 0)
			return brig_err_set(e, errno, "copying data");
		pos = hole;
	}
	if (ftruncate(out, size) < 0)
		return brig_err_set(e, errno, "copying data");
	return 0;
}

/* ---- hard links: (dev, ino) -> path of the first copy ---- */

struct link {
	dev_t dev;
	ino_t ino;
	char *path;
};

struct linkmap {
	struct link *v;
	size_t cap, n;
};

/* The slot for (dev, ino): its entry or an empty one. */
static struct link *link_slot(struct linkmap *m, dev_t dev, ino_t ino)
{
	size_t h = ((size_t)ino * 0x9E3779B97F4A7C15ULL) ^ (size_t)dev;

	for (size_t i = 0;; i++) {
		struct link *l = &m->v[(h + i) & (m->cap - 1)];

		if (!l->path || (l->dev == dev && l->ino == ino))
			return l;
	}
}

/* Path of the earlier copy of (dev, ino), or NULL. */
static const char *link_find(struct linkmap *m, dev_t dev, ino_t ino)
{
	return m->cap ? link_slot(m, dev, ino)->path : NULL;
}

static void link_add(struct linkmap *m, dev_t dev, ino_t ino, const char *path)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct linkmap g = { .cap = m->cap ? m->cap * 2 : 64 };

		g.v = xcalloc(g.cap, sizeof(*g.v));
		for (size_t i = 0; i < m->cap; i++)
			if (m->v[i].path)
				*link_slot(&g, m->v[i].dev, m->v[i].ino) = m->v[i];
		free(m->v);
		m->v = g.v;
		m->cap = g.cap;
	}
	*link_slot(m, dev, ino) = (struct link){ dev, ino, xstrdup(path) };
	m->n++;
}

static void link_free(struct linkmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].path);
	free(m->v);
}

/* ---- the tree ---- */

struct copy_ctx {
	int dstparent;		/* where the top is created */
	const char *dstname;
	int dsttop;		/* the copy's top, once made */
	struct stat top;	/* the identities of the copy and of its */
	struct stat parent;	/* parent: a source that holds them (--from /) must not copy them */
	struct linkmap links;
	struct store_devices *dev;	/* NULL: device nodes are copied */
	const struct store_progress *p;
	unsigned long long files, bytes;
};

/* A directory of the copy, open while its children are made. */
struct copy_dir {
	int fd;
};

/* Where w goes: its parent directory in the copy and its name there. */
static void dst_of(struct copy_ctx *c, const struct walk_ent *w, int *dfd, const char **name)
{
	if (!*w->path) {
		*dfd = c->dstparent;
		*name = c->dstname;
	} else {
		*dfd = ((struct copy_dir *)w->parent)->fd;
		*name = w->name;
	}
}

/* Owner, mode, xattrs, then times: chown clears set-id bits and file
 * capabilities, so it goes first. */
static int copy_meta(const struct walk_ent *w, int dfd, const char *dname, struct brig_err *e)
{
	struct timespec times[2] = { w->st.st_atim, w->st.st_mtim };
	struct xattrs x;
	int rc;

	if (fchownat(dfd, dname, w->st.st_uid, w->st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return brig_err_set(e, errno, "setting the owner of `%s`", w->path);
	if (!S_ISLNK(w->st.st_mode) && fchmodat(dfd, dname, w->st.st_mode & 07777, 0) < 0)
		return brig_err_set(e, errno, "setting the mode of `%s`", w->path);
	if (xattr_read(w->dirfd, w->name, &x, e) < 0)
		return -1;
	rc = xattr_write(dfd, dname, &x, e);
	xattr_free(&x);
	if (rc < 0)
		return -1;
	if (utimensat(dfd, dname, times, AT_SYMLINK_NOFOLLOW) < 0)
		return brig_err_set(e, errno, "setting the times of `%s`", w->path);
	return 0;
}

/* A regular file's contents. */
static int copy_file(struct copy_ctx *c, const struct walk_ent *w, int dfd, const char *dname,
		     struct brig_err *e)
{
	cleanup_close int in = openat(w->dirfd, w->name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	cleanup_close int out = -1;

	if (in < 0)
		return brig_err_set(e, errno, "opening `%s`", w->path);
	out = openat(dfd, dname, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0)
		return brig_err_set(e, errno, "creating `%s`", w->path);
	if (copy_data(in, out, w->st.st_size, e) < 0)
		return brig_err_wrap(e, "`%s`", w->path);
	c->bytes += (unsigned long long)w->st.st_size;
	return 0;
}

/* Make the copy of a non-directory entry. */
static int copy_node(struct copy_ctx *c, const struct walk_ent *w, int dfd, const char *dname,
		     struct brig_err *e)
{
	if (S_ISREG(w->st.st_mode))
		return copy_file(c, w, dfd, dname, e);
	if (S_ISLNK(w->st.st_mode)) {
		char target[PATH_MAX + 1];
		ssize_t n = readlinkat(w->dirfd, w->name, target, sizeof(target) - 1);

		if (n < 0)
			return brig_err_set(e, errno, "reading the symlink `%s`", w->path);
		target[n] = '\0';
		if (symlinkat(target, dfd, dname) < 0)
			return brig_err_set(e, errno, "creating the symlink `%s`", w->path);
		return 0;
	}
	if (mknodat(dfd, dname, w->st.st_mode, w->st.st_rdev) < 0)
		return brig_err_set(e, errno, "creating the special file `%s`", w->path);
	return 0;
}

static int copy_entry(void *ctx, struct walk_ent *w, struct brig_err *e)
{
	struct copy_ctx *c = ctx;
	const char *dname, *first;
	int dfd;

	dst_of(c, w, &dfd, &dname);
	if (c->p && c->p->fn && (++c->files & 63) == 0)
		c->p->fn(c->p->ctx, "copying", c->files, c->bytes);
	if (S_ISDIR(w->st.st_mode)) {
		struct copy_dir *d;

		if (c->dsttop >= 0 && ((w->st.st_dev == c->top.st_dev && w->st.st_ino == c->top.st_ino) ||
				       (w->st.st_dev == c->parent.st_dev && w->st.st_ino == c->parent.st_ino)))
			return 1;	/* the copy itself: left out */

		/* Private until its metadata is set in copy_leave(). The top
		 * may exist already, empty (a fresh btrfs subvolume). */
		if (mkdirat(dfd, dname, 0700) < 0 && (errno != EEXIST || *w->path))
			return brig_err_set(e, errno, "creating the directory `%s`", *w->path ? w->path : dname);
		d = xmalloc(sizeof(*d));
		d->fd = openat(dfd, dname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (d->fd < 0) {
			free(d);
			return brig_err_set(e, errno, "opening `%s`", *w->path ? w->path : dname);
		}
		if (!*w->path) {
			c->dsttop = d->fd;	/* closed by copy_tree() */
			if (fstat(d->fd, &c->top) < 0 || fstat(c->dstparent, &c->parent) < 0) {
				free(d);
				return brig_err_set(e, errno, "examining `%s`", dname);
			}
		}
		w->data = d;
		return w->mount_root ? 1 : 0;
	}
	if ((S_ISCHR(w->st.st_mode) || S_ISBLK(w->st.st_mode)) && w->st.st_rdev != makedev(0, 0) &&
	    c->dev && !c->dev->keep) {
		if (!c->dev->first)
			c->dev->first = xstrdup(w->path);
		c->dev->dropped++;
		return 0;
	}
	if (w->st.st_nlink > 1 && (first = link_find(&c->links, w->st.st_dev, w->st.st_ino))) {
		if (linkat(c->dsttop, first, dfd, dname, 0) < 0)
			return brig_err_set(e, errno, "linking `%s` to `%s`", w->path, first);
		return 0;
	}
	if (copy_node(c, w, dfd, dname, e) < 0 || copy_meta(w, dfd, dname, e) < 0)
		return -1;
	if (w->st.st_nlink > 1)
		link_add(&c->links, w->st.st_dev, w->st.st_ino, w->path);
	return 0;
}

static int copy_leave(void *ctx, struct walk_ent *w, struct brig_err *e)
{
	struct copy_ctx *c = ctx;
	struct copy_dir *d = w->data;
	const char *dname;
	int dfd, rc;

	if (!d)		/* a directory left out */
		return 0;
	dst_of(c, w, &dfd, &dname);
	rc = w->aborted ? -1 : copy_meta(w, dfd, dname, e);
	if (*w->path)	/* the top's fd is closed by copy_tree() */
		close(d->fd);
	free(d);
	w->data = NULL;
	return rc;
}

/* Copy the tree at topfd to dstdir/dstname (which must not exist); device
 * nodes as dev says (NULL: copied). */
int copy_tree(int topfd, int dstdirfd, const char *dstname, struct store_devices *dev,
	      const struct store_progress *p, struct brig_err *e)
{
	static const struct walk_ops ops = { copy_entry, copy_leave };
	struct copy_ctx c = { .dstparent = dstdirfd, .dstname = dstname, .dsttop = -1, .dev = dev,
			      .p = p };
	int rc = walk_tree(topfd, &ops, &c, e);

	if (c.dsttop >= 0)
		close(c.dsttop);
	link_free(&c.links);
	if (rc == 0 && p && p->fn)
		p->fn(p->ctx, "copying", c.files, c.bytes);
	return rc;
}
