/* Doing one thing inside another process's namespace: enter it (this
 * thread only), act, come back. */
#ifndef BRIG_SYS_NSRUN_H
#define BRIG_SYS_NSRUN_H

#include "util/err.h"

/* Enter the namespace of type nstype (CLONE_NEWNET, CLONE_NEWUTS, CLONE_NEWIPC) that fd
 * names (a namespace file or a pidfd), run fn(arg, e), and come back to
 * this thread's own. what names the namespace in errors ("the jail's
 * network namespace"). fn's result, or -1 with e set. */
int ns_run(int fd, int nstype, const char *what, int (*fn)(void *arg, struct brig_err *e),
	   void *arg, struct brig_err *e);

#endif
