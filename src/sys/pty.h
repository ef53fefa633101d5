/* A pty for `brig console`: the caller's terminal relayed to a fresh pty
 * whose other side is the command's controlling terminal. */
#ifndef BRIG_SYS_PTY_H
#define BRIG_SYS_PTY_H

#include <sys/types.h>

#include "util/err.h"

/* A new pty pair from the multiplexer at ptmx (the host's /dev/ptmx, or
 * a jail's, opened from inside it), sized like the caller's terminal
 * (stdin) if it is one. */
int pty_open(const char *ptmx, int *master, int *slave, struct brig_err *e);
/* Pass a descriptor over a unix socket (SCM_RIGHTS), and receive it (-1
 * if none came). */
int pty_send_fd(int sock, int fd);
int pty_recv_fd(int sock);
/* Relay stdin -> master and master -> stdout, the caller's terminal in raw
 * mode and its window size followed (SIGWINCH), until the process behind
 * pidfd has exited and the master has nothing more to say. */
int pty_relay(int master, int pidfd, struct brig_err *e);

#endif
