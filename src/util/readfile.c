/* Bounded reads of files someone else controls (see readfile.h). */
#include "util/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/beneath.h"
#include "util/io.h"
#include "util/mem.h"

/* What a file that is not a regular one is, for messages. */
static const char *kind(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFDIR:
		return "a directory";
	case S_IFSOCK:
		return "a socket";
	case S_IFLNK:
		return "a symlink";
	default:
		return "not a file";
	}
}

/* Open name with flags, the last component not followed but for
 * READ_PATH. */
static int open_one(int dirfd, const char *name, enum read_where where, int flags,
		    struct brig_err *e)
{
	int fd;

	flags |= where == READ_PATH ? O_CLOEXEC : O_NOFOLLOW | O_CLOEXEC;
	if (where == READ_BENEATH)
		return beneath_open(dirfd, name, flags, e);	/* names it */
	fd = openat(dirfd, name, flags);
	if (fd < 0)
		return brig_err_set(e, errno, "%s", name);
	return fd;
}

/* The file behind fd: a regular file of at most max bytes. */
static int check(int fd, const char *name, size_t max, struct stat *st, struct brig_err *e)
{
	if (fstat(fd, st) < 0)
		return brig_err_set(e, errno, "%s", name);
	if (!S_ISREG(st->st_mode))
		return brig_err_set(e, 0, "%s: %s, not a regular file", name, kind(st->st_mode));
	if ((unsigned long long)st->st_size > max)
		return brig_err_set(e, 0, "%s: %lld bytes, more than the %zu allowed", name,
				    (long long)st->st_size, max);
	return 0;
}

int read_bounded(int dirfd, const char *name, enum read_where where, size_t max, char **out,
		 size_t *lenp, struct brig_err *e)
{
	cleanup_close int pfd = -1, fd = -1;
	cleanup_free char *shown = NULL;
	struct stat pst, st;
	size_t len = 0, cap;
	char *buf;

	/* Beneath a root, the file is named as the root's own users see it. */
	if (where == READ_BENEATH)
		name = shown = xasprintf("/%s", name + strspn(name, "/"));

	/* Looked at before it is opened for reading: opening a FIFO waits
	 * for a writer, opening a device may act (a watchdog starts). */
	pfd = open_one(dirfd, name, where, O_PATH, e);
	if (pfd < 0 || check(pfd, name, max, &pst, e) < 0)
		return -1;
	/* Non-blocking all the same: the tree may change between the two
	 * opens; what was opened must be what was checked. */
	fd = open_one(dirfd, name, where, O_RDONLY | O_NONBLOCK | O_NOCTTY, e);
	if (fd < 0 || check(fd, name, max, &st, e) < 0)
		return -1;
	if (st.st_dev != pst.st_dev || st.st_ino != pst.st_ino)
		return brig_err_set(e, 0, "%s: replaced while being opened", name);
	/* Read to the end (files of /proc say they are empty, a file may
	 * grow), at most one byte more than allowed, to see that it is. */
	cap = (size_t)st.st_size + 1;
	if (cap < 4096)
		cap = max + 1 < 4096 ? max + 1 : 4096;
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t n;

		if (len > max) {
			free(buf);
			return brig_err_set(e, 0, "%s: more than the %zu bytes allowed", name, max);
		}
		if (len == cap) {
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		n = RETRY_EINTR(read(fd, buf + len, cap - len));
		if (n < 0) {
			free(buf);
			return brig_err_set(e, errno, "%s", name);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	if (lenp)
		*lenp = len;
	return 0;
}
