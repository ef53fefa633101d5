#include "core/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "util/mem.h"

char *jail_dir(const char *name)
{
	return xasprintf("%s/%s", core_rundir(), name);
}

bool jail_has_state(const char *dir)
{
	cleanup_free char *path = xasprintf("%s/state", dir);

	return access(path, F_OK) == 0;
}

/* mkdir that tolerates an existing directory. */
static int ensure_dir(const char *path, struct brig_err *e)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return brig_err_set(e, errno, "%s", path);
	return 0;
}

int jail_lock(const char *name, bool *busy, struct brig_err *e)
{
	cleanup_free char *dir = jail_dir(name);
	cleanup_free char *path = xasprintf("%s/lock", dir);

	*busy = false;
	/* Bounded: each round only repeats if another brig removed the jail's
	 * directory between our open and our lock. */
	for (int round = 0; round < 100; round++) {
		struct stat a, b;
		int fd;

		if (ensure_dir(core_rundir(), e) < 0 || ensure_dir(dir, e) < 0)
			return -1;
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0)
			return brig_err_set(e, errno, "%s", path);
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			int err = errno;

			close(fd);
			if (err == EWOULDBLOCK) {
				*busy = true;
				return brig_err_set(e, 0, "%s: busy: another brig is starting or stopping it",
						    name);
			}
			return brig_err_set(e, err, "%s: lock", name);
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
	return brig_err_set(e, EAGAIN, "%s: lock", name);
}

void jail_unlock(const char *name, int fd, bool remove)
{
	if (fd < 0)
		return;
	if (remove) {
		cleanup_free char *dir = jail_dir(name);
		cleanup_free char *path = xasprintf("%s/lock", dir);

		/* Unlinked while still held: a waiter sees the inode change. */
		unlink(path);
		rmdir(dir);
	}
	close(fd);
}

int jid_lock(struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/.jid.lock", core_rundir());
	int fd;

	if (ensure_dir(core_rundir(), e) < 0)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return brig_err_set(e, errno, "%s", path);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			close(fd);
			return brig_err_set(e, errno, "%s", path);
		}
	return fd;
}
