/* Where brig keeps things on the host. Each is a default that an
 * environment variable overrides (the tests give every run its own). */
#ifndef BRIG_UTIL_PATHS_H
#define BRIG_UTIL_PATHS_H

#include <stdbool.h>

/* Runtime state, locks: $BRIG_RUNDIR or /run/brig. */
const char *brig_rundir(void);
/* True when the run directory is the default one: brig's only instance on
 * the host (a test instance names its cgroups apart). */
bool brig_rundir_is_default(void);
/* Configuration: $BRIG_CONFDIR or /etc/brig. */
const char *brig_confdir(void);
/* Templates and jail roots: $BRIG_STOREDIR or /var/lib/brig. */
const char *brig_storedir(void);
/* brig's logs of the jails: $BRIG_LOGDIR or /var/log/brig. */
const char *brig_logdir(void);

#endif
