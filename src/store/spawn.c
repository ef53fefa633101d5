/* Running the helpers a template source names (busybox, debootstrap). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/spawn.h"
#include "util/io.h"
#include "util/mem.h"
#include "util/strbuf.h"

extern char **environ;

/* Wait for pid; its exit status, or 128 + signal. */
static int wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run argv with stdin from /dev/null and stdout into *out. */
int spawn_capture(char *const argv[], char **out, struct brig_err *e)
{
	struct strbuf sb = STRBUF_INIT;
	posix_spawn_file_actions_t fa;
	int pfd[2], rc;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return brig_err_set(e, errno, "running %s", argv[0]);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		return brig_err_set(e, rc, "running %s", argv[0]);
	}
	(void)read_to_end(pfd[0], &sb);	/* an error: the exit status tells */
	close(pfd[0]);
	rc = wait_child(pid);
	if (rc != 0) {
		sb_free(&sb);
		return brig_err_set(e, 0, "%s exited with status %d", argv[0], rc);
	}
	*out = sb_steal(&sb);
	return 0;
}

/* The last lines of text (at most n), for an error message. */
static char *tail_lines(const char *text, int n)
{
	const char *p = text + strlen(text);

	while (p > text && (p[-1] == '\n' || p[-1] == ' '))
		p--;
	for (const char *q = p; q > text; q--) {
		if (q[-1] == '\n' && --n == 0)
			return xstrndup(q, (size_t)(p - q));
	}
	return xstrndup(text, (size_t)(p - text));
}

/* Run argv (found on PATH). verbose: its output goes to our terminal;
 * otherwise to logfd, whose last lines end the error message on failure. */
int spawn_run(char *const argv[], bool verbose, int logfd, struct brig_err *e)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!verbose) {
		posix_spawn_file_actions_adddup2(&fa, logfd, 1);
		posix_spawn_file_actions_adddup2(&fa, logfd, 2);
	}
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return brig_err_set(e, rc, "running %s", argv[0]);
	rc = wait_child(pid);
	if (rc == 0)
		return 0;
	if (!verbose) {
		char buf[8192];
		off_t end = lseek(logfd, 0, SEEK_END);
		off_t start = end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
		ssize_t n = pread(logfd, buf, sizeof(buf) - 1, start);

		buf[n > 0 ? n : 0] = '\0';
		cleanup_free char *tail = tail_lines(buf, 4);
		return brig_err_set(e, 0, "%s exited with status %d; its last lines:\n%s", argv[0], rc, tail);
	}
	return brig_err_set(e, 0, "%s exited with status %d", argv[0], rc);
}
