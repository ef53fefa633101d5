/* Reading a whole file that someone else may control (a jail's
 * /etc/passwd, a template's meta, a host file named in a configuration):
 * bounded in size and in type, so that a FIFO, a device, a directory or a
 * huge (sparse) file in its place gets a clear refusal instead of a hang,
 * an effect of opening a device, or all of brig's memory. */
#ifndef BRIG_UTIL_READFILE_H
#define BRIG_UTIL_READFILE_H

#include <stddef.h>

#include "util/err.h"

enum read_where {
	READ_AT,	/* name as openat(dirfd, name) finds it, the last
			 * component not followed (trusted directories) */
	READ_BENEATH,	/* name inside the tree rooted at dirfd (a jail root,
			 * a template): no symlink, no "..", no magic link */
	READ_PATH,	/* a host path the configuration names (mount.fstab):
			 * symlinks followed, they are the admin's */
};

/* Read the regular file name (see where) whole, at most max bytes, into
 * *out (NUL-ended; its length in *lenp if lenp is not NULL). Errors name
 * the file as given and say why ("/etc/passwd: a FIFO, not a regular
 * file"); the caller adds whose file it is. */
int read_bounded(int dirfd, const char *name, enum read_where where, size_t max, char **out,
		 size_t *lenp, struct brig_err *e);

#endif
