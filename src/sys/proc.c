#include "sys/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/io.h"
#include "util/mem.h"

int proc_stat(pid_t pid, unsigned long long *start, char *state)
{
	char path[64], buf[1024], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	/* The command name may hold spaces and parentheses: skip to the last ')'. */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -1;
	p += 2;
	if (state)
		*state = *p;
	/* p is at field 3 (state); the start time is field 22. */
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	if (start)
		*start = strtoull(p, NULL, 10);
	return 0;
}

bool proc_alive(pid_t pid, unsigned long long start)
{
	unsigned long long st;
	char state;

	if (pid <= 0 || proc_stat(pid, &st, &state) < 0)
		return false;
	return st == start && state != 'Z' && state != 'X';
}

int proc_pidfd(pid_t pid, unsigned long long start, struct brig_err *e)
{
	int fd;

	if (pid <= 0)
		return brig_err_set(e, ESRCH, "process %d", (int)pid);
	fd = pidfd_open(pid, 0);
	if (fd < 0)
		return brig_err_set(e, errno, "pidfd_open %d", (int)pid);
	/* Checked after opening: from now on the pidfd pins this very process. */
	if (!proc_alive(pid, start)) {
		close(fd);
		return brig_err_set(e, ESRCH, "process %d", (int)pid);
	}
	return fd;
}

int proc_wait_exit(int pidfd, int timeout_ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

void proc_kill_wait(int pidfd)
{
	pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
	proc_wait_exit(pidfd, -1);
}

int proc_waitpid(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, __WALL) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

void proc_reap_later(pid_t pid)
{
	static pid_t kept[16];

	for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
		if (kept[i] > 0 && waitpid(kept[i], NULL, WNOHANG) != 0)
			kept[i] = 0;
	if (waitpid(pid, NULL, WNOHANG) != 0)	/* ended already */
		return;
	for (size_t i = 0; i < ARRAY_SIZE(kept); i++)
		if (kept[i] == 0) {
			kept[i] = pid;
			return;
		}
	proc_waitpid(pid);
}

int proc_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* PIDFD_GET_INFO (linux/pidfd.h of Linux 6.15), for older headers. */
struct brig_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
	uint32_t coredump_mask;
	uint32_t spare0;
};
#define BRIG_PIDFD_INFO_EXIT (1ULL << 3)
#define BRIG_PIDFD_GET_INFO _IOWR(0xFF, 11, struct brig_pidfd_info)

int proc_exit_info(int pidfd, int timeout_ms, int *code)
{
	struct brig_pidfd_info info;

	for (int round = 0; round < 2; round++) {
		struct pollfd p = { .fd = pidfd, .events = 0 };

		memset(&info, 0, sizeof(info));
		info.mask = BRIG_PIDFD_INFO_EXIT;
		if (ioctl(pidfd, BRIG_PIDFD_GET_INFO, &info) < 0)
			return 0;
		if (info.mask & BRIG_PIDFD_INFO_EXIT) {
			*code = proc_exit_code(info.exit_code);
			return 1;
		}
		/* Exited, not yet reaped: a pidfd reports POLLHUP once it is. */
		if (round == 0 && poll(&p, 1, timeout_ms) < 0 && errno != EINTR)
			return 0;
	}
	return 0;
}

/* qsort order of ints. */
static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

void close_fds_except(int *keep, size_t n)
{
	unsigned int from = 3;

	qsort(keep, n, sizeof(*keep), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < 0 || (unsigned int)keep[i] < from)
			continue;
		if ((unsigned int)keep[i] > from)
			close_range(from, (unsigned int)keep[i] - 1, 0);
		from = (unsigned int)keep[i] + 1;
	}
	close_range(from, ~0U, 0);
}

/* Deferred signals: a signalfd over them while they are blocked. */
static struct {
	int fd;			/* -1: not deferring */
	int sig;		/* the first one that came */
	sigset_t old;
} defer = { .fd = -1 };

void proc_defer_begin(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	sigset_t set;

	/* Not those we ignore (a background job of a script ignores SIGINT:
	 * the terminal's ^C is not for it), else they would now count. */
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa;

		if (sigaction(sigs[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
			sigaddset(&set, sigs[i]);
	}
	if (defer.fd >= 0 || sigprocmask(SIG_BLOCK, &set, &defer.old) < 0)
		return;
	defer.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	defer.sig = 0;
}

int proc_defer_fd(void)
{
	return defer.fd;
}

int proc_deferred(void)
{
	struct signalfd_siginfo si;

	if (defer.fd >= 0 && !defer.sig && read(defer.fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		defer.sig = (int)si.ssi_signo;
	return defer.sig;
}

int proc_wait_deferred(int pidfd, int timeout_ms)
{
	struct pollfd p[2] = { { .fd = pidfd, .events = POLLIN }, { .fd = defer.fd, .events = POLLIN } };
	int r;

	if (proc_deferred())
		return -1;
	do
		r = poll(p, defer.fd >= 0 ? 2 : 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r > 0 && p[0].revents)
		return 1;
	if (r > 0 && proc_deferred())
		return -1;
	return 0;
}

void proc_defer_end(void)
{
	int sig = proc_deferred();

	if (defer.fd < 0)
		return;
	close(defer.fd);
	defer.fd = -1;
	sigprocmask(SIG_SETMASK, &defer.old, NULL);
	if (sig) {
		/* Taken from the queue by the signalfd: send it again. */
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

/* Under AddressSanitizer a child's frames leave their redzones poisoned on
 * its stack: clean before the memory is unmapped and reused. */
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#else
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

#define GUARD 4096u

void *proc_stack_new(struct brig_err *e)
{
	char *stack = mmap(NULL, GUARD + PROC_STACK, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);

	if (stack == MAP_FAILED) {
		brig_err_set(e, errno, "a stack for a child process");
		return NULL;
	}
	if (mprotect(stack, GUARD, PROT_NONE) < 0) {
		brig_err_set(e, errno, "a stack for a child process: its guard page");
		munmap(stack, GUARD + PROC_STACK);
		return NULL;
	}
	return stack;
}

void *proc_stack_top(void *stack)
{
	return (char *)stack + GUARD + PROC_STACK;
}

void proc_stack_free(void *stack)
{
	if (!stack)
		return;
	ASAN_UNPOISON_MEMORY_REGION((char *)stack + GUARD, PROC_STACK);
	munmap(stack, GUARD + PROC_STACK);
}

void proc_child_exit(int code)
{
	syscall(SYS_exit_group, code);
}
