/* Writing a whole file so that a reader sees the old content or the new,
 * never a part: a temporary file beside it, then rename(2). The one way
 * brig replaces a file, host or jail tree alike. */
#ifndef BRIG_UTIL_WRITEFILE_H
#define BRIG_UTIL_WRITEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* A file being written beside its final name. */
struct atomic_file {
	int fd;			/* write the content here */
	int dirfd;
	char *name, *tmp;
};

/* Start replacing dirfd/name (AT_FDCWD: a path): the temporary file
 * NAME.brig-PID, created anew with exactly mode, never through a symlink
 * (one left there, or by a brig that died, is removed first), so that
 * nothing in a tree someone else controls can redirect the write. */
int atomic_begin(struct atomic_file *f, int dirfd, const char *name, mode_t mode,
		 struct brig_err *e);
/* Put it in place (rename over name; a symlink at name is replaced, never
 * followed). durable: the data and the rename are on disk before it
 * returns (fsync of the file and of its directory), for records that
 * must survive a crash. On error the temporary file is gone and name is
 * as it was; the error names name. Closes f->fd either way. */
int atomic_commit(struct atomic_file *f, bool durable, struct brig_err *e);
/* Give up: the temporary file is removed. */
void atomic_abort(struct atomic_file *f);

/* Remove what writers of dir/name killed between atomic_begin and
 * atomic_commit left (NAME.brig-PID files), for a caller that knows no
 * writer of it is at work (it holds the lock of every writer). */
void atomic_sweep(const char *dir, const char *name);

/* The three at once: replace dirfd/name with len bytes of data. */
int write_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
		    bool durable, struct brig_err *e);
/* write_atomic_at of a path, mode 0600 (brig's own records). */
int write_atomic(const char *path, const void *data, size_t len, bool durable, struct brig_err *e);

#endif
