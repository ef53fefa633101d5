#include "core/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "sys/proc.h"
#include "util/mem.h"

#define LOCK_WAIT_DEFAULT 30	/* seconds */

/* Who is told that a command waits for a jail's lock (cli prints it). */
static void (*lock_notice)(const char *jail, pid_t holder);

void core_set_lock_notice(void (*fn)(const char *jail, pid_t holder))
{
	lock_notice = fn;
}

char *jail_dir(const char *name)
{
	return xasprintf("%s/%s", core_rundir(), name);
}

bool jail_has_state(const char *dir)
{
	cleanup_free char *path = xasprintf("%s/state", dir);

	return access(path, F_OK) == 0;
}

/* mkdir -p: the run directory and its parents (BRIG_RUNDIR may point
 * anywhere; /run/brig does not exist on a fresh boot). */
static int ensure_dir(const char *path, struct brig_err *e)
{
	cleanup_free char *p = xstrdup(path);

	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return brig_err_set(e, errno, "creating run directory `%s`", p);
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return brig_err_set(e, errno, "creating run directory `%s`", p);
	return 0;
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

/* Monotonic milliseconds. */
static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The process holding a flock() on fd's file, from /proc/locks (as this
 * PID namespace sees it); 0 if it cannot be told. */
static pid_t lock_holder(int fd)
{
	struct stat st;
	char line[256];
	pid_t pid = 0;
	FILE *f;

	if (fstat(fd, &st) < 0 || !(f = fopen("/proc/locks", "re")))
		return 0;
	while (!pid && fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		unsigned long long ino;
		char kind[16];
		int p;

		/* "1: FLOCK  ADVISORY  WRITE 1234 08:02:5678 0 EOF"; waiters
		 * have "->" after the number. */
		if (!strstr(line, "->") &&
		    sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%llu", kind, &p, &maj, &min, &ino) == 5 &&
		    !strcmp(kind, "FLOCK") && maj == major(st.st_dev) && min == minor(st.st_dev) &&
		    ino == st.st_ino)
			pid = p;
	}
	fclose(f);
	return pid;
}

/* flock fd, waiting up to wait_s seconds for its holder (in short naps
 * that a deferred signal cuts short: flock itself cannot be given a
 * deadline), naming the holder once after a second. 0, or -1 with errno:
 * EWOULDBLOCK if still held (*holder: who), EINTR if a signal came. */
static int lock_wait(int fd, const char *name, long wait_s, pid_t *holder)
{
	long long start = now_ms();
	bool said = false;

	for (;;) {
		struct pollfd p = { .fd = proc_defer_fd(), .events = POLLIN };
		long long waited;

		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK)
			return -1;
		waited = now_ms() - start;
		if (waited >= wait_s * 1000) {
			*holder = lock_holder(fd);
			errno = EWOULDBLOCK;
			return -1;
		}
		if (!said && waited >= 1000) {
			said = true;
			if (lock_notice)
				lock_notice(name, lock_holder(fd));
		}
		poll(&p, 1, 50);
		if (proc_deferred()) {
			errno = EINTR;
			return -1;
		}
	}
}

int jail_lock(const char *name, bool wait, bool *busy, struct brig_err *e)
{
	cleanup_free char *dir = jail_dir(name);
	cleanup_free char *path = xasprintf("%s/lock", dir);
	long wait_s = wait ? lock_wait_s(e) : 0;

	*busy = false;
	if (wait_s < 0)
		return -1;
	/* Bounded: each round only repeats if another brig removed the jail's
	 * directory between our open and our lock. */
	for (int round = 0; round < 100; round++) {
		struct stat a, b;
		int fd;

		if (ensure_dir(core_rundir(), e) < 0 || ensure_dir(dir, e) < 0)
			return -1;
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 && errno == ENOENT)
			continue;
		if (fd < 0)
			return brig_err_set(e, errno, "%s", path);
		pid_t holder = 0;

		if (lock_wait(fd, name, wait_s, &holder) < 0) {
			int err = errno;

			close(fd);
			if (err == EWOULDBLOCK) {
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
			if (err == EINTR)
				return brig_err_set(e, 0, "%s: waiting for its lock: interrupted by SIG%s",
						    name, sigabbrev_np(proc_deferred()));
			return brig_err_set(e, err, "%s: lock", name);
		}
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
		rmdir(dir);
	}
	close(fd);
}

int jid_lock(struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/.jid.lock", core_rundir());
	int fd;

	if (ensure_dir(core_rundir(), e) < 0)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return brig_err_set(e, errno, "%s", path);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			close(fd);
			return brig_err_set(e, errno, "%s", path);
		}
	return fd;
}
