#include "sys/reaper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sys/initbin.h"
#include "util/mem.h"

extern char **environ;

/* The reaper's environment, passed on to `brig reap`: brig's own
 * variables (where its directories are) and a plain PATH; not the
 * caller's others, and not BRIG_FAULT (a test's fault injection is for
 * the command it was given to). Caller frees the array only. */
static char **reaper_env(void)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = xcalloc(n + 2, sizeof(*env));
	env[k++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (size_t i = 0; i < n; i++)
		if (!strncmp(environ[i], "BRIG_", 5) && strncmp(environ[i], "BRIG_FAULT=", 11))
			env[k++] = environ[i];
	return env;
}

/* The reaper's descriptors, where it expects them. */
enum { FD_PIDFD = 3, FD_BRIG = 4, FD_PROG = 5, FD_ARM = 6 };

int reaper_spawn(int pidfd, const char *name, struct brig_err *e)
{
	char fd_pidfd[16], fd_brig[16], fd_arm[16], prog[32];
	char *argv[] = { "brig-reaper", fd_pidfd, fd_brig, fd_arm, (char *)name, NULL };
	int fds[3] = { -1, -1, -1 }, arm[2] = { -1, -1 }, r = -1;
	cleanup_free char **env = reaper_env();
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	pid_t pid;

	/* Above the target numbers, so that every dup2 below really happens
	 * (and clears close-on-exec). */
	fds[0] = fcntl(pidfd, F_DUPFD_CLOEXEC, 10);
	fds[1] = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (fds[1] >= 0 && fds[1] < 10) {
		int hi = fcntl(fds[1], F_DUPFD_CLOEXEC, 10);

		close(fds[1]);
		fds[1] = hi;
	}
	fds[2] = initbin_memfd(e);
	if (fds[2] >= 0 && fds[2] < 10) {
		int hi = fcntl(fds[2], F_DUPFD_CLOEXEC, 10);

		close(fds[2]);
		fds[2] = hi;
	}
	if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0 || pipe2(arm, O_CLOEXEC) < 0) {
		if (!e->msg[0])
			brig_err_set(e, errno, "reaper: descriptors");
		goto out;
	}
	snprintf(fd_pidfd, sizeof(fd_pidfd), "%d", FD_PIDFD);
	snprintf(fd_brig, sizeof(fd_brig), "%d", FD_BRIG);
	snprintf(fd_arm, sizeof(fd_arm), "%d", FD_ARM);
	snprintf(prog, sizeof(prog), "/proc/self/fd/%d", FD_PROG);
	sigemptyset(&none);
	sigfillset(&dflt);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
	posix_spawn_file_actions_adddup2(&fa, 0, 1);
	posix_spawn_file_actions_adddup2(&fa, 0, 2);
	posix_spawn_file_actions_adddup2(&fa, fds[0], FD_PIDFD);
	posix_spawn_file_actions_adddup2(&fa, fds[1], FD_BRIG);
	posix_spawn_file_actions_adddup2(&fa, fds[2], FD_PROG);
	posix_spawn_file_actions_adddup2(&fa, arm[0], FD_ARM);
	posix_spawn_file_actions_addclosefrom_np(&fa, FD_ARM + 1);
	posix_spawn_file_actions_addchdir_np(&fa, "/");
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
				      POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	/* The program is the memfd itself, opened again by path in the child
	 * (its descriptor there is FD_PROG). */
	r = posix_spawn(&pid, prog, &fa, &at, argv, env);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0) {
		brig_err_set(e, r, "reaper: starting it");
		r = -1;
	} else {
		r = arm[1];
		arm[1] = -1;
	}
out:
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (arm[0] >= 0)
		close(arm[0]);
	if (arm[1] >= 0)
		close(arm[1]);
	return r;
}

void reaper_arm(int armfd)
{
	ssize_t n = write(armfd, "a", 1);

	(void)n;	/* a reaper that is gone: the next brig command cleans up */
	close(armfd);
}
