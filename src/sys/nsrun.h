/* Doing one thing inside another process's namespace: enter it (this
 * thread only), act, come back. */
#ifndef BRIG_SYS_NSRUN_H
#define BRIG_SYS_NSRUN_H

#include <sys/types.h>

#include "util/err.h"

/* The network namespace of process pid (a jail's init) as *fd, refusing
 * this thread's own: 1 with *fd open; 0 with *fd = -1 when pid is in this
 * thread's network namespace (a jail without a network of its own must
 * not have its network acted on in the host's); -1 with e set when it
 * cannot be opened (ESRCH: pid is gone). */
int ns_open_net(pid_t pid, int *fd, struct brig_err *e);

/* Enter the namespace of type nstype (CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWIPC) that fd
 * names (a namespace file or a pidfd), run fn(arg, e), and come back to
 * this thread's own. what names the namespace in errors ("the jail's
 * network namespace"). fn's result, or -1 with e set. */
int ns_run(int fd, int nstype, const char *what, int (*fn)(void *arg, struct brig_err *e),
	   void *arg, struct brig_err *e);

#endif
