#include "util/writefile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <unistd.h>

#include "util/mem.h"

int write_atomic(const char *path, const void *data, size_t len, bool durable, struct brig_err *e)
{
	cleanup_free char *tmp = xasprintf("%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int err = 0;

	if (fd < 0)
		return brig_err_set(e, errno, "%s", tmp);
	errno = 0;
	if (write(fd, data, len) != (ssize_t)len || (durable && fsync(fd) < 0))
		err = errno ? errno : EIO;
	if (close(fd) < 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) < 0)
		err = errno;
	if (err) {
		unlink(tmp);
		return brig_err_set(e, err, "%s", path);
	}
	if (durable) {
		/* The rename itself must survive a crash too. */
		cleanup_free char *copy = xstrdup(path);
		int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	return 0;
}
