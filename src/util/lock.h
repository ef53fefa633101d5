/* Advisory whole-file locks (flock(2)) on the files brig keeps to
 * serialise its processes: a jail's lock, the JID allocator's, the
 * network objects', the store's. */
#ifndef BRIG_UTIL_LOCK_H
#define BRIG_UTIL_LOCK_H

#include <sys/types.h>

#include "util/err.h"

/* How long to wait for a lock another process holds. */
struct lock_wait {
	long max_ms;		/* then give up: EWOULDBLOCK (0: do not wait) */
	int cancel_fd;		/* readable: give up at once, EINTR (-1: none) */
	/* Told once, after a second of waiting, who holds it (0: unknown). */
	void (*notice)(void *arg, pid_t holder);
	void *arg;
};

/* Open dirfd/path (AT_FDCWD: a path; created 0600, never through a
 * symlink) and flock it: op LOCK_EX or LOCK_SH. w NULL: as long as it
 * takes. Returns the descriptor (closing it unlocks), or -1 with e set:
 * errnum EWOULDBLOCK when w's time ran out (*holder, if holder is not
 * NULL: who holds it, 0 if unknown), EINTR when w->cancel_fd became
 * readable, else the errno of the open or the lock; the message names
 * path. */
int lock_open(int dirfd, const char *path, int op, const struct lock_wait *w, pid_t *holder,
	      struct brig_err *e);
/* The process holding a flock on fd's file, from /proc/locks (as this
 * PID namespace sees it); 0 if it cannot be told. */
pid_t lock_holder(int fd);

#endif
