/* Small pieces of core/ every other file uses. */
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/jail.h"
#include "util/mem.h"

#define DEFAULT_RUNDIR "/run/brig"

const char *core_rundir(void)
{
	const char *d = getenv("BRIG_RUNDIR");

	return d && *d ? d : DEFAULT_RUNDIR;
}

uint32_t core_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const char *p = s; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

char *core_cgroup_group(const char *name)
{
	const char *rd = core_rundir();
	char group[32] = "brig";

	if (strcmp(rd, DEFAULT_RUNDIR) != 0)
		snprintf(group, sizeof(group), "brig.%08x", core_hash(rd));
	return name ? xasprintf("%s/%s", group, name) : xstrdup(group);
}

void core_fault(const char *point)
{
	static long count;
	const char *f = getenv("BRIG_FAULT");
	char *end;
	long n;

	if (!f || !*f)
		return;
	n = strtol(f, &end, 10);
	count++;
	if ((*end == '\0' && n == count) || (*end != '\0' && strcmp(f, point) == 0))
		kill(getpid(), SIGKILL);
}
