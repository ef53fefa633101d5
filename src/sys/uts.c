#include "sys/uts.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "sys/nsrun.h"

static int set_hostname(void *arg, struct brig_err *e)
{
	const char *hostname = arg;

	if (sethostname(hostname, strlen(hostname)) < 0)
		return brig_err_set(e, errno, "sethostname \"%s\"", hostname);
	return 0;
}

int uts_sethostname(int pidfd, const char *hostname, struct brig_err *e)
{
	return ns_run(pidfd, CLONE_NEWUTS, "the jail's UTS namespace", set_hostname, (void *)hostname, e);
}
