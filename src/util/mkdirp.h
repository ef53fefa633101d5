/* mkdir -p: a directory and its missing parents, on the host (brig's run,
 * log and store directories) or beneath a root someone else controls (a
 * jail's or a template's /etc). */
#ifndef BRIG_UTIL_MKDIRP_H
#define BRIG_UTIL_MKDIRP_H

#include <sys/types.h>

#include "util/err.h"

enum mkdirp_how {
	MKDIRP_FOLLOW,		/* a host path: symlinks are the admin's */
	MKDIRP_BENEATH,		/* inside dirfd's tree: no "..", no symlink */
};

/* Make path (relative to dirfd, or absolute) and each missing parent
 * (parents 0755, path itself mode; what is there stays as it is), and
 * open it (O_RDONLY | O_DIRECTORY). -1 with e set if a component cannot be
 * made, is not a directory, or (MKDIRP_BENEATH) is a symlink or "..": the
 * message names the component. */
int mkdirp_open(int dirfd, const char *path, mode_t mode, enum mkdirp_how how, struct brig_err *e);
/* mkdirp_open of a host path, without keeping it open. */
int mkdirp(const char *path, mode_t mode, struct brig_err *e);

#endif
