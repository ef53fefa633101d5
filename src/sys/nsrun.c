#include "sys/nsrun.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int ns_open_net(pid_t pid, int *fd, struct brig_err *e)
{
	char path[64];
	struct stat self, it;

	*fd = -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return brig_err_set(e, errno == ENOENT ? ESRCH : errno,
				    "opening the network namespace of pid %d", (int)pid);
	if (fstat(*fd, &it) < 0 || stat("/proc/thread-self/ns/net", &self) < 0) {
		int r = brig_err_set(e, errno, "checking the network namespace of pid %d", (int)pid);

		close(*fd);
		*fd = -1;
		return r;
	}
	if (it.st_ino == self.st_ino && it.st_dev == self.st_dev) {
		close(*fd);
		*fd = -1;
		return 0;
	}
	return 1;
}

int ns_run(int fd, int nstype, const char *what, int (*fn)(void *arg, struct brig_err *e),
	   void *arg, struct brig_err *e)
{
	const char *own = nstype == CLONE_NEWNET ? "/proc/thread-self/ns/net" :
			  nstype == CLONE_NEWIPC ? "/proc/thread-self/ns/ipc" : "/proc/thread-self/ns/uts";
	int self, rc;

	if (nstype != CLONE_NEWNET && nstype != CLONE_NEWUTS && nstype != CLONE_NEWIPC)
		abort();	/* another type: add its file above */
	self = open(own, O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return brig_err_set(e, errno, "opening %s", own);
	/* A pidfd names the very process: a recycled pid cannot send us into
	 * another namespace. */
	if (setns(fd, nstype) < 0) {
		rc = brig_err_set(e, errno, "entering %s", what);
		close(self);
		return rc;
	}
	rc = fn(arg, e);
	/* Going back cannot fail for a namespace we were in a moment ago; if
	 * it did, brig would go on acting inside the jail. */
	if (setns(self, nstype) < 0)
		abort();
	close(self);
	return rc;
}
