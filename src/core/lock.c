#include "core/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "sys/proc.h"
#include "util/lock.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/paths.h"
#include "util/writefile.h"

#define LOCK_WAIT_DEFAULT 30	/* seconds */

/* Who is told that a command waits for a jail's lock (cli prints it). */
static void (*lock_notice)(const char *jail, pid_t holder);

void core_set_lock_notice(void (*fn)(const char *jail, pid_t holder))
{
	lock_notice = fn;
}

char *jail_dir(const char *name)
{
	return xasprintf("%s/%s", brig_rundir(), name);
}

bool jail_has_state(const char *dir)
{
	cleanup_free char *path = xasprintf("%s/state", dir);

	return access(path, F_OK) == 0;
}

/* How long a start or stop waits for a jail's lock: $BRIG_LOCK_WAIT
 * seconds, or 30. -1 with e set if the variable holds no number. */
static long lock_wait_s(struct brig_err *e)
{
	const char *v = getenv("BRIG_LOCK_WAIT");
	char *end;
	long s;

	if (!v || !*v)
		return LOCK_WAIT_DEFAULT;
	errno = 0;
	s = strtol(v, &end, 10);
	if (*end || errno || s < 0 || s > 86400)
		return brig_err_set(e, 0, "BRIG_LOCK_WAIT=\"%s\": expected a number of seconds (0 to 86400)", v);
	return s;
}

/* lock_open's notice: the jail's name to core's listener. */
static void notice_jail(void *name, pid_t holder)
{
	if (lock_notice)
		lock_notice(name, holder);
}

/* The error of a wait for name's lock that a deferred signal ended. */
static int interrupted(const char *name, struct brig_err *e)
{
	return brig_err_set(e, 0, "%s: waiting for its lock: interrupted by SIG%s", name,
			    sigabbrev_np(proc_deferred()));
}

int jail_lock(const char *name, bool wait, bool *busy, struct brig_err *e)
{
	cleanup_free char *dir = jail_dir(name);
	cleanup_free char *path = xasprintf("%s/lock", dir);
	long wait_s = wait ? lock_wait_s(e) : 0;
	/* Waits in short naps that a deferred signal cuts short. */
	struct lock_wait w = { .max_ms = wait_s * 1000, .cancel_fd = proc_defer_fd(),
			       .notice = notice_jail, .arg = (void *)name };

	*busy = false;
	if (wait_s < 0)
		return -1;
	/* A signal came before: its descriptor is read, nothing would cut
	 * the wait short. One try then. */
	if (proc_deferred())
		w.max_ms = 0;
	/* Bounded: each round only repeats if another brig removed the jail's
	 * directory between our open and our lock. */
	for (int round = 0; round < 100; round++) {
		struct stat a, b;
		pid_t holder;
		int fd;

		/* Our mkdir, then another brig's rmdir of the jail's empty
		 * directory (jail_unlock), then our open: again. */
		if (mkdirp(brig_rundir(), 0700, e) < 0 || mkdirp(dir, 0700, e) < 0) {
			if (e->errnum == ENOENT)
				continue;
			return -1;
		}
		fd = lock_open(AT_FDCWD, path, LOCK_EX, &w, &holder, e);
		if (fd < 0 && e->errnum == ENOENT)
			continue;
		if (fd < 0 && ((e->errnum == EWOULDBLOCK && wait_s > 0 && proc_deferred()) ||
			       e->errnum == EINTR))
			return interrupted(name, e);
		if (fd < 0 && e->errnum == EWOULDBLOCK) {
			char who[32] = "";

			*busy = true;
			if (holder > 0)
				snprintf(who, sizeof(who), " (pid %d)", (int)holder);
			if (wait_s > 0)
				return brig_err_set(e, 0, "%s: busy: another brig%s is starting or "
						    "stopping it; gave up after %ld s (BRIG_LOCK_WAIT)",
						    name, who, wait_s);
			return brig_err_set(e, 0, "%s: busy: another brig%s is starting or stopping it",
					    name, who);
		}
		if (fd < 0)
			return brig_err_wrap(e, "%s", name);
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
		    a.st_dev == b.st_dev)
			return fd;
		close(fd);
	}
	return brig_err_set(e, EAGAIN, "%s: lock", name);
}

void jail_unlock(const char *name, int fd, bool remove)
{
	if (fd < 0)
		return;
	if (remove) {
		cleanup_free char *dir = jail_dir(name);
		cleanup_free char *path = xasprintf("%s/lock", dir);

		/* Unlinked while still held: a waiter sees the inode change. */
		unlink(path);
		/* Not empty: what a brig killed while writing the state left
		 * (we hold the lock every writer of it holds). */
		if (rmdir(dir) < 0 && errno == ENOTEMPTY) {
			atomic_sweep(dir, "state");
			rmdir(dir);
		}
	}
	close(fd);
}

int jid_lock(struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/.jid.lock", brig_rundir());

	if (mkdirp(brig_rundir(), 0700, e) < 0)
		return -1;
	return lock_open(AT_FDCWD, path, LOCK_EX, NULL, NULL, e);
}
