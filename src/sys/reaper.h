/* The jail's reaper: a tiny process on the host per jail without persist
 * that runs `brig reap NAME` once the jail's init has exited, so that a
 * jail that ends on its own (its last process gone, as jail(8) removes
 * it) or whose init was killed leaves nothing behind: no state, cgroups,
 * rules or mounts waiting for the next brig command. It is brig's init
 * program under another name (src/init/init.c), a few KiB of memory. */
#ifndef BRIG_SYS_REAPER_H
#define BRIG_SYS_REAPER_H

#include "util/err.h"

/* Start the reaper of jail name, whose init is pidfd, once its start has
 * succeeded (and the jail's lock is released: if the jail has already
 * ended, the reaper must find it free). It runs detached: a session of its
 * own, stdio on /dev/null, cwd /, brig's BRIG_* variables only. -1 with
 * e set if it could not be started; a reaper that cannot start leaves the
 * cleaning to the next brig command. */
int reaper_spawn(int pidfd, const char *name, const char *run, struct brig_err *e);
/* The environment variable that tells `brig reap` which run of the jail
 * its reaper watched (run, as given to reaper_spawn): a restart policy
 * acts only on the end of that run. */
#define REAPER_RUN_VAR "BRIG_REAP_RUN"

#endif
