/* util/isolate.h. The child writes fn's words, then one NUL byte when fn
 * has returned: the parent reads until the pipe's end, and fn got
 * through if and only if the last byte is that NUL (fn writes text):
 * a sanitizer's report ends the child by exit or abort, not always by a
 * fault, so only the byte tells. */
#include "util/isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/io.h"

#define SAID_MAX 4096

int isolate_call(void (*fn)(void *arg, int fd), void *arg, unsigned cpu_s, int wall_ms,
		 struct strbuf *said)
{
	long long deadline = mono_ms() + wall_ms;
	int p[2], status = 0, end = ISOLATE_DIED;
	char buf[512], last = 1;
	pid_t pid, parent = getpid();

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		int saved = errno;

		close(p[0]);
		close(p[1]);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		/* At the hard limit the kernel sends SIGKILL. */
		struct rlimit cpu = { cpu_s, cpu_s };
		/* A fault ends the child, whatever handler the caller has (a
		 * test framework's would go on running the caller's code). */
		static const int faults[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGTRAP };

		close(p[0]);
		for (size_t i = 0; i < sizeof(faults) / sizeof(*faults); i++)
			signal(faults[i], SIG_DFL);
		setrlimit(RLIMIT_CPU, &cpu);
		/* Not left behind (blocked on a FIFO, say) by a parent killed
		 * before its wall limit. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		fn(arg, p[1]);
		(void)write_all(p[1], "", 1);
		_exit(0);
	}
	close(p[1]);
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		long long left = deadline - mono_ms();
		ssize_t n;

		/* Out of time, or no way left to wait for it (poll failing). */
		if (left <= 0 || RETRY_EINTR(poll(&pfd, 1, (int)left)) <= 0) {
			kill(pid, SIGKILL);
			end = ISOLATE_LATE;
			break;
		}
		n = RETRY_EINTR(read(p[0], buf, sizeof(buf)));
		if (n <= 0)
			break;
		last = buf[n - 1];
		if (said->len < SAID_MAX)
			sb_addn(said, buf, (size_t)n < SAID_MAX - said->len ? (size_t)n
									   : SAID_MAX - said->len);
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (end == ISOLATE_LATE)
		return end;
	if (last != '\0' && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		return ISOLATE_LATE;	/* RLIMIT_CPU: we killed nothing */
	if (last != '\0')
		return ISOLATE_DIED;
	/* The NUL is the protocol's, not fn's. */
	if (said->len && said->s[said->len - 1] == '\0')
		said->s[--said->len] = '\0';
	return ISOLATE_DONE;
}
