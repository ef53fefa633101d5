/* Progress of the store's long steps on a terminal (quiet in scripts), and
 * small helpers shared by the store's command files. */
#ifndef BRIG_CLI_STORE_PROGRESS_H
#define BRIG_CLI_STORE_PROGRESS_H

#include <stdbool.h>
#include <time.h>

#include "store/store.h"

struct cli_progress {
	struct store_progress sp;
	struct timespec last;
	bool shown;
};

/* Progress on stderr when it is a terminal; nothing otherwise. */
void cli_progress_init(struct cli_progress *c);
/* Clear the progress line. */
void cli_progress_done(struct cli_progress *c);
/* A time as "YYYY-MM-DD HH:MM:SS" (local time) in buf. */
const char *cli_time(long long t, char *buf, size_t size);

#endif
