/* A running jail's UTS namespace: its hostname, changed from the host. */
#ifndef BRIG_SYS_UTS_H
#define BRIG_SYS_UTS_H

#include "util/err.h"

/* Set the hostname of the UTS namespace of the process behind pidfd (a
 * jail's init), entering it and coming back. 0, or -1 with e set. */
int uts_sethostname(int pidfd, const char *hostname, struct brig_err *e);

#endif
