/* The jail's reaper: a tiny process on the host per jail that runs
 * `brig reap NAME` once the jail's init has exited, so that a jail that
 * ends on its own (no persist, its last process gone) or whose init was
 * killed leaves nothing behind: no state, cgroups, rules or mounts
 * waiting for the next brig command. It is brig's init program under
 * another name (src/init/init.c), a few KiB of memory. */
#ifndef BRIG_SYS_REAPER_H
#define BRIG_SYS_REAPER_H

#include "util/err.h"

/* Start the reaper of jail name, whose init is (or becomes) pidfd; it runs
 * detached (a session of its own, stdio on /dev/null, cwd /) with brig's
 * BRIG_* variables. It acts only once armed: returns the descriptor for
 * reaper_arm() (close it instead when the start fails), or -1. */
int reaper_spawn(int pidfd, const char *name, struct brig_err *e);
/* The start succeeded: from now on the reaper watches the jail. Closes
 * armfd. */
void reaper_arm(int armfd);

#endif
