/* A pty for `brig console`: the caller's terminal relayed to a fresh pty
 * whose other side is the command's controlling terminal. */
#ifndef BRIG_SYS_PTY_H
#define BRIG_SYS_PTY_H

#include <sys/types.h>

#include "util/err.h"

/* A new pty pair, sized like the caller's terminal (stdin) if it is one. */
int pty_open(int *master, int *slave, struct brig_err *e);
/* Relay stdin -> master and master -> stdout, the caller's terminal in raw
 * mode and its window size followed (SIGWINCH), until the process behind
 * pidfd has exited and the master has nothing more to say. */
int pty_relay(int master, int pidfd, struct brig_err *e);

#endif
