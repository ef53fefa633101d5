/* Relaying the caller's terminal to a pty of the jail (see pty.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <termios.h>
#include <unistd.h>

#include "sys/pty.h"
#include "util/io.h"
#include "util/mem.h"

/* After the command has exited, what it wrote is taken from the pty and
 * passed on (a read of the pty pushes the kernel's buffers first, so a
 * non-blocking read sees all of it), up to this much: a process it left
 * behind may write forever, and the caller is no longer listening to it. */
#define DRAIN_MAX (1 << 20)

static volatile sig_atomic_t got_winch, got_sig;

/* SIGWINCH, SIGTERM, SIGHUP: dealt with in the relay loop. */
static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		got_winch = 1;
	else
		got_sig = sig;
}

/* The caller's window size onto the pty. */
static void copy_size(int term, int master)
{
	struct winsize ws;

	if (term >= 0 && ioctl(term, TIOCGWINSZ, &ws) == 0)
		ioctl(master, TIOCSWINSZ, &ws);
}

/* The caller's input (a pipe or a file: its own end) has ended: type the
 * pty's end-of-file character, so that the command reads the end too:
 * twice after a partial line in canonical mode (the first only ends the
 * line); once in raw mode, where a line editor (a shell's) takes it as
 * the end on an empty line. */
static void type_eof(int master, bool mid_line)
{
	struct termios t;
	char eof[2];

	/* On a master, tcgetattr reads the terminal's (the slave's) modes. */
	if (tcgetattr(master, &t) < 0)
		return;
	eof[0] = eof[1] = (char)t.c_cc[VEOF];
	if (write(master, eof, mid_line && (t.c_lflag & ICANON) ? 2 : 1) < 0)
		return;	/* the command has gone: nothing to tell */
}

/* The relay proper: until the process behind pidfd has exited. */
static int relay(int master, int pidfd, const struct pty_ends *x, const sigset_t *waiting,
		 struct brig_err *e)
{
	bool in_open = x->in >= 0, master_open = true, out_open = true, mid_line = false;
	char ibuf[4096], buf[16384];
	size_t ilen = 0, ioff = 0;

	for (;;) {
		struct pollfd p[3] = {
			{ .fd = master_open ? master : -1, .events = POLLIN | (ilen ? POLLOUT : 0) },
			{ .fd = in_open && !ilen ? x->in : -1, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};
		int r = ppoll(p, 3, NULL, waiting);
		ssize_t n;

		if (got_winch) {
			got_winch = 0;
			copy_size(x->term, master);
		}
		if (got_sig) {
			/* To the entering process, which passes it on: the
			 * command decides (an interactive shell ignores
			 * SIGTERM), brig ends when it does. */
			pidfd_send_signal(pidfd, got_sig, NULL, 0);
			got_sig = 0;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return brig_err_set(e, errno, "pty: poll");
		if (p[2].revents)
			return 0;
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(master, buf, sizeof(buf));
			if (n > 0 && out_open && write_all(x->out, buf, (size_t)n) < 0)
				out_open = false;	/* the caller stopped reading: drop */
			/* EIO: no one holds the other side any more. */
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				master_open = false;
		}
		if (master_open && ilen && (p[0].revents & POLLOUT)) {
			n = write(master, ibuf + ioff, ilen - ioff);
			if (n > 0)
				ioff += (size_t)n;
			if ((n < 0 && errno != EAGAIN && errno != EINTR) || ioff == ilen)
				ilen = ioff = 0;
		}
		if (p[1].revents) {
			n = read(x->in, ibuf, sizeof(ibuf));
			if (n > 0) {
				ilen = (size_t)n;
				mid_line = ibuf[n - 1] != '\n';
			} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
				in_open = false;
				if (!isatty(x->in))
					type_eof(master, mid_line);
			}
		}
	}
}

int pty_relay(int master, int pidfd, const struct pty_ends *x, struct brig_err *e)
{
	static const int sigs[] = { SIGWINCH, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal }, old[ARRAY_SIZE(sigs)], old_pipe;
	struct termios saved;
	sigset_t block, mask, waiting;
	bool raw = false;
	size_t total = 0;
	char buf[16384];
	ssize_t n;
	int rc;

	/* The signals come only while the loop waits (ppoll): one that came
	 * between a check and the wait would otherwise wait for the next
	 * event. Handlers first, then raw mode: a SIGTERM can no longer leave
	 * the caller's terminal raw. */
	sigemptyset(&block);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &mask);
	waiting = mask;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		sigdelset(&waiting, sigs[i]);
		sigaction(sigs[i], &sa, &old[i]);
	}
	sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, &old_pipe);
	got_winch = got_sig = 0;
	if (x->in >= 0 && x->in == x->term && tcgetattr(x->in, &saved) == 0) {
		struct termios t = saved;

		cfmakeraw(&t);
		raw = tcsetattr(x->in, TCSANOW, &t) == 0;
	}
	fcntl(master, F_SETFL, O_RDWR | O_NONBLOCK);
	copy_size(x->term, master);
	rc = relay(master, pidfd, x, &waiting, e);
	while (rc == 0 && total < DRAIN_MAX && (n = read(master, buf, sizeof(buf))) > 0) {
		if (write_all(x->out, buf, (size_t)n) < 0)
			break;
		total += (size_t)n;
	}
	if (raw)
		tcsetattr(x->in, TCSANOW, &saved);
	sigaction(SIGPIPE, &old_pipe, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &old[i], NULL);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	return rc;
}
