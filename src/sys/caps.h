/* The capabilities a jail's processes may ever hold. */
#ifndef BRIG_SYS_CAPS_H
#define BRIG_SYS_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

/* The jail's bounding set as a bit mask (bit N = capability N): Docker's
 * default set without CAP_MKNOD (FreeBSD jails cannot make device nodes;
 * and a node of a host disk would bypass every other wall) and without
 * CAP_NET_RAW unless allow.raw_sockets. */
uint64_t caps_jail_set(bool raw_sockets);
/* Drop every capability outside keep from the bounding set; clear the
 * inheritable and ambient sets. */
int caps_limit(uint64_t keep, struct brig_err *e);

#endif
