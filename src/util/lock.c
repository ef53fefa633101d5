/* flock with a bounded, interruptible wait (see lock.h). */
#include "util/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/io.h"

pid_t lock_holder(int fd)
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

/* flock fd as w says: in short naps that cancel_fd cuts short (flock
 * itself cannot be given a deadline). 0, or -1 with errno. */
static int lock_wait(int fd, int op, const struct lock_wait *w, pid_t *holder)
{
	long long start = mono_ms();
	bool said = false;

	for (;;) {
		struct pollfd p = { .fd = w->cancel_fd, .events = POLLIN };
		long long waited;

		if (flock(fd, op | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK)
			return -1;
		waited = mono_ms() - start;
		if (waited >= w->max_ms) {
			if (holder)
				*holder = lock_holder(fd);
			errno = EWOULDBLOCK;
			return -1;
		}
		if (!said && waited >= 1000) {
			said = true;
			if (w->notice)
				w->notice(w->arg, lock_holder(fd));
		}
		if (poll(&p, 1, 50) > 0) {
			errno = EINTR;
			return -1;
		}
	}
}

int lock_open(int dirfd, const char *path, int op, const struct lock_wait *w, pid_t *holder,
	      struct brig_err *e)
{
	int fd = openat(dirfd, path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	int r;

	if (holder)
		*holder = 0;
	if (fd < 0)
		return brig_err_set(e, errno, "opening lock `%s`", path);
	r = w ? lock_wait(fd, op, w, holder) : RETRY_EINTR(flock(fd, op));
	if (r < 0) {
		brig_err_set(e, errno, "locking `%s`", path);
		close(fd);
		return -1;
	}
	return fd;
}
