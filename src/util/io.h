/* Reading and writing descriptors whole, whatever signals and short
 * transfers (pipes, sockets, a disk that fills) get in the way. */
#ifndef BRIG_UTIL_IO_H
#define BRIG_UTIL_IO_H

#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/strbuf.h"

/* expr (a system call returning -1 with errno) again while a signal
 * handler installed without SA_RESTART interrupts it: glibc's
 * TEMP_FAILURE_RETRY, but of expr's own type. */
#define RETRY_EINTR(expr)                                                      \
	(__extension__({                                                       \
		__typeof__(expr) retry_r_;                                     \
		do                                                             \
			retry_r_ = (expr);                                     \
		while (retry_r_ == -1 && errno == EINTR);                      \
		retry_r_;                                                      \
	}))

/* Read up to len bytes, stopping early only at end of file: the count
 * read (len unless the file ended), or -1 with errno. */
ssize_t read_full(int fd, void *buf, size_t len);
/* A small file (/proc's) at path into buf, NUL-terminated: the bytes
 * read (at most len - 1; > 0), or -1 (with errno, or empty). No
 * allocation: safe while a child shares our memory. */
ssize_t read_small(const char *path, char *buf, size_t len);
/* Append what fd holds until its end (a pipe: until every writer closed
 * it) to sb: 0, or -1 with errno (sb keeps what was read). */
int read_to_end(int fd, struct strbuf *sb);
/* Write all len bytes: 0, or -1 with errno (EIO if the file took none). */
int write_all(int fd, const void *buf, size_t len);
/* write_all at offset off (pwrite: fd's own offset does not move). */
int pwrite_all(int fd, const void *buf, size_t len, off_t off);
/* Close the n descriptors fds (the caller's own, in increasing order):
 * one close_range(2) for each run of consecutive numbers, a close(2)
 * for each other one (many small files read one after the other: a
 * system call's entry and exit is ~0.7 us on a VM with the kernel's
 * mitigations). */
void close_fds(const int *fds, size_t n);
/* The monotonic clock in milliseconds, for deadlines. */
long long mono_ms(void);

#endif
