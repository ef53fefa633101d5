#include "sys/uts.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int uts_sethostname(int pidfd, const char *hostname, struct brig_err *e)
{
	int self = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (self < 0)
		return brig_err_set(e, errno, "opening this thread's UTS namespace");
	/* A pidfd names the very process: a recycled pid cannot send us into
	 * another namespace. */
	if (setns(pidfd, CLONE_NEWUTS) < 0) {
		rc = brig_err_set(e, errno, "entering the jail's UTS namespace");
		close(self);
		return rc;
	}
	if (sethostname(hostname, strlen(hostname)) < 0)
		rc = brig_err_set(e, errno, "sethostname \"%s\"", hostname);
	/* Going back cannot fail for a namespace we were in a moment ago; if
	 * it did, brig would go on with the jail's hostname as its own. */
	if (setns(self, CLONE_NEWUTS) < 0)
		abort();
	close(self);
	return rc;
}
