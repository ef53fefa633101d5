/* Running the helpers a template source names (busybox, debootstrap). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/spawn.h"
#include "util/io.h"
#include "sys/proc.h"
#include "sys/spawn.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Start argv with stdin from /dev/null, stdout and stderr to out and err
 * (SPAWN_FD_KEEP: ours); c->pid once it has executed. */
static int start(char *const argv[], int out, int err, struct spawn_child *c, struct brig_err *e)
{
	struct spawn_opts o = SPAWN_OPTS_INIT;

	o.argv = argv;
	o.fds[0] = SPAWN_FD_NULL;
	o.fds[1] = out;
	o.fds[2] = err;
	o.nfds = 3;
	if (spawn(&o, c, e) < 0)
		return brig_err_set(e, e->errnum, "running %s", argv[0]);
	return 0;
}

/* Wait for c; its exit status, or 128 + signal. */
static int wait_child(const struct spawn_child *c)
{
	int st = spawn_wait(c, -1, false);

	return st < 0 ? -1 : proc_exit_code(st);
}

/* Run argv with stdin from /dev/null and stdout into *out. */
int spawn_capture(char *const argv[], char **out, struct brig_err *e)
{
	struct strbuf sb = STRBUF_INIT;
	struct spawn_child c;
	int pfd[2], rc;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return brig_err_set(e, errno, "running %s", argv[0]);
	rc = start(argv, pfd[1], SPAWN_FD_KEEP, &c, e);
	close(pfd[1]);
	if (rc < 0) {
		close(pfd[0]);
		return -1;
	}
	(void)read_to_end(pfd[0], &sb);	/* an error: the exit status tells */
	close(pfd[0]);
	rc = wait_child(&c);
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
	struct spawn_child c;
	int rc;

	if (start(argv, verbose ? SPAWN_FD_KEEP : logfd, verbose ? SPAWN_FD_KEEP : logfd, &c, e) < 0)
		return -1;
	rc = wait_child(&c);
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
