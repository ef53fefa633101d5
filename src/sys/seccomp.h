/* The default system call filter of every process in a jail. */
#ifndef BRIG_SYS_SECCOMP_H
#define BRIG_SYS_SECCOMP_H

#include <stdint.h>

#include "util/err.h"

/* Load the filter for a jail whose bounding set is caps (a jail granted
 * CAP_SYS_TIME by allow.settime may also use the clock system calls) into the calling thread (inherited by its children and
 * kept across execve). Must run while the caller still has CAP_SYS_ADMIN:
 * brig does not set no_new_privs, so that set-uid programs in a jail (su,
 * ping) keep working as on a small host. */
int seccomp_jail_load(uint64_t caps, struct brig_err *e);

#endif
