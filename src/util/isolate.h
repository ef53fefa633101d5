/* A call into a library that may crash or never return on hostile input,
 * made first in a child process (compose/: libfyaml on a compose file).
 * The child only reads: what it allocates or changes dies with it. The
 * same call made again in this process on the same input behaves the
 * same, so once the child got through, the caller makes it for real. */
#ifndef BRIG_UTIL_ISOLATE_H
#define BRIG_UTIL_ISOLATE_H

#include "util/strbuf.h"

enum isolate_end {
	ISOLATE_DONE,	/* fn returned */
	ISOLATE_DIED,	/* the child ended before fn returned: a signal, a sanitizer */
	ISOLATE_LATE,	/* fn ran out of CPU or wall time; the child was killed */
};

/* Run fn(arg, fd) in a forked child, with at most cpu_s seconds of CPU and
 * wall_ms of wall time. What fn writes to fd (a pipe; say, a library's
 * diagnostics as they come, before a crash loses them) lands in *said,
 * up to 4 KiB, however the child ends. Returns an enum isolate_end, or -1
 * with errno when no child could be made. */
int isolate_call(void (*fn)(void *arg, int fd), void *arg, unsigned cpu_s, int wall_ms,
		 struct strbuf *said);

#endif
