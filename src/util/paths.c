/* brig's places on the host (see paths.h): the one place that reads the
 * variables. */
#include "util/paths.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_RUNDIR "/run/brig"

/* $var if set and not empty, else def. */
static const char *place(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && *v ? v : def;
}

const char *brig_rundir(void)
{
	return place("BRIG_RUNDIR", DEFAULT_RUNDIR);
}

bool brig_rundir_is_default(void)
{
	return strcmp(brig_rundir(), DEFAULT_RUNDIR) == 0;
}

const char *brig_confdir(void)
{
	return place("BRIG_CONFDIR", "/etc/brig");
}

const char *brig_storedir(void)
{
	return place("BRIG_STOREDIR", "/var/lib/brig");
}

const char *brig_logdir(void)
{
	return place("BRIG_LOGDIR", "/var/log/brig");
}
