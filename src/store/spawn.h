/* Running the helpers a template source names (busybox, debootstrap). */
#ifndef BRIG_STORE_SPAWN_H
#define BRIG_STORE_SPAWN_H

#include <stdbool.h>

#include "util/err.h"

/* Run argv[0] (a path) with stdin from /dev/null; its stdout in *out. */
int spawn_capture(char *const argv[], char **out, struct brig_err *e);
/* Run argv (found on PATH). verbose: its output goes to our terminal;
 * otherwise to logfd, whose last lines end the error message on failure. */
int spawn_run(char *const argv[], bool verbose, int logfd, struct brig_err *e);

#endif
