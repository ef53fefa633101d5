#include "sys/pty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

int pty_open(const char *ptmx, int *master, int *slave, struct brig_err *e)
{
	struct winsize ws;
	struct stat st;

	/* Non-blocking and checked: inside a jail, the jail decides what
	 * /dev/ptmx is (a FIFO would hang a blocking open). */
	*master = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (*master < 0)
		return brig_err_set(e, errno, "pty: %s", ptmx);
	if (fstat(*master, &st) < 0 || !S_ISCHR(st.st_mode) ||
	    fcntl(*master, F_SETFL, O_RDWR) < 0) {
		close(*master);
		return brig_err_set(e, ENOTTY, "pty: %s", ptmx);
	}
	if (unlockpt(*master) < 0) {
		close(*master);
		return brig_err_set(e, errno, "pty: unlockpt");
	}
	/* The peer by descriptor, not by a path under /dev/pts. */
	*slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0) {
		close(*master);
		return brig_err_set(e, errno, "pty: opening the peer");
	}
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(*master, TIOCSWINSZ, &ws);
	return 0;
}

int pty_send_fd(int sock, int fd)
{
	char data = 'f';
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;

	memset(ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &m, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int pty_recv_fd(int sock)
{
	char data;
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	int fd = -1;
	ssize_t n;

	do
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	c = n == 1 ? CMSG_FIRSTHDR(&m) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static volatile sig_atomic_t winch;

/* SIGWINCH: the caller's window changed (applied in the relay loop). */
static void on_winch(int sig)
{
	(void)sig;
	winch = 1;
}

/* Write all of buf. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int pty_relay(int master, int pidfd, struct brig_err *e)
{
	struct termios saved, raw;
	bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
	struct sigaction sa = { .sa_handler = on_winch }, old;
	bool in_open = true, exited = false;
	sigset_t winch_set, mask, waiting;
	char buf[8192];

	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	/* SIGWINCH comes only while the loop waits (ppoll): one that came
	 * between the check below and the wait would otherwise be noticed only
	 * at the next output. */
	sigemptyset(&winch_set);
	sigaddset(&winch_set, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch_set, &mask);
	waiting = mask;
	sigdelset(&waiting, SIGWINCH);
	sigaction(SIGWINCH, &sa, &old);
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = master, .events = POLLIN },
			{ .fd = in_open ? STDIN_FILENO : -1, .events = POLLIN },
			{ .fd = exited ? -1 : pidfd, .events = POLLIN },
		};
		int r = ppoll(p, 3, exited ? &(struct timespec){ .tv_nsec = 100000000 } : NULL, &waiting);

		if (winch) {
			struct winsize ws;

			winch = 0;
			if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
				ioctl(master, TIOCSWINSZ, &ws);
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			brig_err_set(e, errno, "pty: poll");
			break;
		}
		if (p[2].revents)
			exited = true;
		if (p[0].revents & POLLIN) {
			ssize_t n = read(master, buf, sizeof(buf));

			if (n > 0 && write_all(STDOUT_FILENO, buf, (size_t)n) == 0)
				continue;
			break;	/* EIO: every holder of the other side is gone */
		}
		if (p[0].revents & (POLLHUP | POLLERR))
			break;
		/* The command has exited and its terminal is quiet. */
		if (exited && r == 0)
			break;
		if (p[1].revents) {
			ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

			if (n <= 0 || write_all(master, buf, (size_t)n) < 0)
				in_open = false;
		}
	}
	sigaction(SIGWINCH, &old, NULL);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	return 0;
}
