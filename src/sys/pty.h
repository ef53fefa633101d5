/* Fresh ptys for commands entered into a jail (`brig exec`, `jexec`,
 * `brig console`): the caller's terminal is relayed to a new pty whose
 * other side is the command's controlling terminal. The caller's terminal
 * itself never enters the jail: a process left there could read what is
 * typed at the host afterwards, or change its modes. */
#ifndef BRIG_SYS_PTY_H
#define BRIG_SYS_PTY_H

#include <sys/types.h>

#include "util/err.h"

/* A new pty pair from the multiplexer ptmx, opened beneath rootfd (a jail
 * root: no symlink followed) or, with AT_FDCWD, as a host path; it must be
 * a pty multiplexer (c 5,2). Sized like term, the caller's terminal, when
 * term >= 0. */
int pty_open(int rootfd, const char *ptmx, int term, int *master, int *slave, struct brig_err *e);
/* Pass a descriptor over a unix socket (SCM_RIGHTS), and receive it (-1
 * if none came). */
int pty_send_fd(int sock, int fd);
int pty_recv_fd(int sock);

/* The caller's side of a relay. */
struct pty_ends {
	int in;		/* relayed to the pty; -1: none. Not a terminal: at its
			 * end, the pty's end-of-file character is typed */
	int out;	/* where the pty's output goes */
	int term;	/* the caller's terminal (-1: none): its size is
			 * followed (SIGWINCH); raw while relaying if it is in */
};

/* Relay x->in -> master and master -> x->out until the process behind
 * pidfd has exited, then pass on what the pty still holds (bounded) and
 * restore the caller's terminal. A SIGTERM or SIGHUP meanwhile goes on to
 * that process (which passes it to the command): the command decides
 * when the relay ends, and the terminal is restored then. */
int pty_relay(int master, int pidfd, const struct pty_ends *x, struct brig_err *e);

#endif
