/* Locks under the run directory.
 *
 * Per jail: brig_rundir()/NAME/lock, flock()ed, held by the one brig that
 * starts, stops, cleans up or works on the storage of that jail (the frame
 * of every jail operation, core/frame.c). One that finds it held waits
 * for it, up to $BRIG_LOCK_WAIT seconds (30 by default; the holder is
 * named after a second, core_set_lock_notice), then says "busy"; a look
 * (brig ls, brig reap) never waits. The lock file goes away with the jail's state; a brig that
 * locked a file just unlinked by another notices (the inode at the path
 * changed) and tries again, so two can never both own a jail.
 * Global: brig_rundir()/.jid.lock, held briefly while a JID is chosen. */
#ifndef BRIG_CORE_LOCK_H
#define BRIG_CORE_LOCK_H

#include <stdbool.h>

#include "util/err.h"

/* The jail's state directory (caller frees). */
char *jail_dir(const char *name);
/* True if dir (a jail_dir()) holds a state file: then the jail's lock
 * directory must stay. */
bool jail_has_state(const char *dir);
/* Lock jail name, waiting for another brig's lock (bounded) if wait;
 * *busy is set (and -1 returned) if another brig still has it. */
int jail_lock(const char *name, bool wait, bool *busy, struct brig_err *e);
/* Release; with remove, the lock file and directory go too (no state left). */
void jail_unlock(const char *name, int fd, bool remove);
/* The global JID lock (blocking). */
int jid_lock(struct brig_err *e);

#endif
