/* The loopback interface of a fresh network namespace. */
#ifndef BRIG_SYS_LO_H
#define BRIG_SYS_LO_H

#include "util/err.h"

/* Bring `lo` of the caller's network namespace up. */
int lo_up(struct brig_err *e);

#endif
