/* Opening a path inside a tree that someone else controls (a jail root, a
 * template), so that nothing in the tree can lead the open out of it. */
#ifndef BRIG_UTIL_BENEATH_H
#define BRIG_UTIL_BENEATH_H

#include "util/err.h"

/* Open rel (relative to rootfd, no "..") beneath rootfd, following no
 * symlink: openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS), or where the kernel has no openat2 (or
 * BRIG_NO_OPENAT2 is set, for tests) a walk of O_NOFOLLOW opens. ELOOP if
 * a component is a symlink, except the last with O_PATH | O_NOFOLLOW in
 * flags: then the symlink itself is opened (both ways alike). */
int beneath_open(int rootfd, const char *rel, int flags, struct brig_err *e);

#endif
