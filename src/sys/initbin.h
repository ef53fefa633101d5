/* The jail's PID 1 (src/init/init.c), embedded in brig. */
#ifndef BRIG_SYS_INITBIN_H
#define BRIG_SYS_INITBIN_H

#include "util/err.h"

/* A sealed, close-on-exec memfd holding the init program, ready for
 * execveat(fd, "", ..., AT_EMPTY_PATH). -1 with e set on failure. */
int initbin_memfd(struct brig_err *e);

#endif
