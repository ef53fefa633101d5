/* The jail's reaper: a tiny process on the host per jail without persist
 * (or with a restart policy, or rctl rules of action log) that runs `brig
 * reap NAME` once the jail's init has exited, so that a jail that ends on
 * its own (its last process gone, as jail(8) removes it) or whose init
 * was killed leaves nothing behind: no state, cgroups, rules or mounts
 * waiting for the next brig command. Meanwhile it reads the counters of
 * the rules of action log once a second, and has brig log a crossing when
 * it sees one. It is brig's init program under another name
 * (src/init/init.c), a few KiB of memory. */
#ifndef BRIG_SYS_REAPER_H
#define BRIG_SYS_REAPER_H

#include <sys/types.h>

#include "util/err.h"

/* Start the reaper of jail name, whose init is pidfd, once its start has
 * succeeded (and the jail's lock is released: if the jail has already
 * ended, the reaper must find it free). It runs detached: a session of its
 * own, stdio on /dev/null, cwd /, brig's BRIG_* variables only. -1 with
 * e set if it could not be started; a reaper that cannot start leaves the
 * cleaning to the next brig command. */
struct reaper_watch {
	int fd;			/* a cgroup file of one number (memory.current...) */
	unsigned long long amount;	/* a line each time it goes above */
	const char *rule;	/* the rctl rule, as `brig _rctl-crossed` logs it */
};
/* The most watches one reaper takes (init.c's MAX_WATCH): a jail's model
 * keeps one rule per resource and action, so six (memoryuse, maxproc and
 * nthr, each with log and devctl). */
#define REAPER_MAX_WATCH 6
int reaper_spawn(int pidfd, const char *name, const char *run, const struct reaper_watch *w,
		 size_t nw, struct brig_err *e);
/* Stop (SIGKILL, waited for up to 1 s) the reapers of the jail whose init
 * is init_pid (in brig's PID namespace): before another takes over with
 * other watches (a live change of the jail's rules of action log). */
void reaper_stop(pid_t init_pid);
/* The environment variable that tells `brig reap` which run of the jail
 * its reaper watched (run, as given to reaper_spawn): a restart policy
 * acts only on the end of that run. */
#define REAPER_RUN_VAR "BRIG_REAP_RUN"

#endif
