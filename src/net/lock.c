/* One lock for the host-wide network objects (bridges and their rules),
 * so that jails starting at once do not create or configure a bridge
 * twice. Per-jail objects need no lock: their names are the jail's own. */
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "net/model.h"
#include "util/lock.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/paths.h"

int net_lock(struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/.net.lock", brig_rundir());

	if (mkdirp(brig_rundir(), 0700, e) < 0)
		return -1;
	return lock_open(AT_FDCWD, path, LOCK_EX, NULL, NULL, e);
}

void net_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
