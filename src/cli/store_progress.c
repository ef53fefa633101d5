/* Progress of the store's long steps, shown on a terminal only. */
#include "cli/store_progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Redraw the line at most ten times a second. */
static void show(void *ctx, const char *what, unsigned long long files, unsigned long long bytes)
{
	struct cli_progress *c = ctx;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (c->shown && (now.tv_sec - c->last.tv_sec) * 1000000000L +
				(now.tv_nsec - c->last.tv_nsec) < 100000000L)
		return;
	c->last = now;
	c->shown = true;
	if (files || bytes)
		fprintf(stderr, "\r\033[K%s: %llu files, %.1f MB", what, files, (double)bytes / 1e6);
	else
		fprintf(stderr, "\r\033[K%s...", what);
	fflush(stderr);
}

/* Progress on stderr when it is a terminal; nothing otherwise. */
void cli_progress_init(struct cli_progress *c)
{
	memset(c, 0, sizeof(*c));
	c->sp.ctx = c;
	if (isatty(STDERR_FILENO)) {
		c->sp.fn = show;
		c->sp.verbose = true;
	}
}

/* Clear the progress line. */
void cli_progress_done(struct cli_progress *c)
{
	if (c->shown)
		fprintf(stderr, "\r\033[K");
	c->shown = false;
}

/* A time as "YYYY-MM-DD HH:MM:SS" (local time) in buf. */
const char *cli_time(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, size, "%lld", t);
	return buf;
}
