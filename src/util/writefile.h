/* Writing a whole file so that a reader sees the old content or the new,
 * never a part: a temporary file beside it, then rename(2). */
#ifndef BRIG_UTIL_WRITEFILE_H
#define BRIG_UTIL_WRITEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* Replace path (mode 0600, never through a symlink at path.tmp) with
 * len bytes of data. durable: the file and the rename are on disk before
 * it returns (fsync of the file and of its directory), for records that
 * must survive a crash. On error nothing is left but the old file; the
 * error names the path. */
int write_atomic(const char *path, const void *data, size_t len, bool durable, struct brig_err *e);

#endif
