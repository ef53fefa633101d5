/* One lock for the host-wide network objects (bridges and their rules),
 * so that jails starting at once do not create or configure a bridge
 * twice. Per-jail objects need no lock: their names are the jail's own. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net/model.h"
#include "util/mem.h"

int net_lock(struct brig_err *e)
{
	/* The run directory core uses ($BRIG_RUNDIR or /run/brig). */
	const char *dir = getenv("BRIG_RUNDIR");
	cleanup_free char *path = NULL;
	int fd;

	if (!dir || !*dir)
		dir = "/run/brig";
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return brig_err_set(e, errno, "creating %s", dir);
	path = xasprintf("%s/.net.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return brig_err_set(e, errno, "opening %s", path);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			brig_err_set(e, errno, "locking %s", path);
			close(fd);
			return -1;
		}
	}
	return fd;
}

void net_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
