#include "sys/pty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "util/beneath.h"
#include "util/io.h"

int pty_open(int rootfd, const char *ptmx, int term, int *master, int *slave, struct brig_err *e)
{
	int flags = O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK;
	struct winsize ws;
	struct stat st;

	/* Non-blocking, beneath the root and checked: inside a jail, the
	 * jail decides what is at that path (a FIFO would hang a blocking
	 * open; a symlink could name a device or the caller's /dev/tty). */
	*master = rootfd == AT_FDCWD ? open(ptmx, flags) : beneath_open(rootfd, ptmx, flags, e);
	if (*master < 0)
		return rootfd == AT_FDCWD ? brig_err_set(e, errno, "pty: %s", ptmx)
					  : brig_err_wrap(e, "pty");
	/* The multiplexer of a devpts instance is c 5,2, whatever its path. */
	if (fstat(*master, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2) ||
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
	if (term >= 0 && ioctl(term, TIOCGWINSZ, &ws) == 0)
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

	n = RETRY_EINTR(recvmsg(sock, &m, MSG_CMSG_CLOEXEC));
	c = n == 1 ? CMSG_FIRSTHDR(&m) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}
