/* Small pieces of core/ every other file uses. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/jail.h"
#include "sys/cgroup.h"
#include "util/mem.h"
#include "util/paths.h"

uint32_t core_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (const char *p = s; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* A jail's group below brig's: NAME; a child's (a.b) below its parent's
 * (a/b), so that the parent's limits bound its children too, as rctl's
 * hierarchical accounting does. Caller frees. */
static char *nested_name(const char *name)
{
	char *v = xstrdup(name);

	for (char *p = v; *p; p++)
		if (*p == '.')
			*p = '/';
	return v;
}

char *core_cgroup_group(const char *name)
{
	char group[32] = "brig";
	cleanup_free char *nested = name ? nested_name(name) : NULL;

	if (!brig_rundir_is_default())
		snprintf(group, sizeof(group), "brig.%08x", core_hash(brig_rundir()));
	return nested ? xasprintf("%s/%s", group, nested) : xstrdup(group);
}

int core_cgroup_group_remove(struct brig_err *e)
{
	cleanup_free char *group = core_cgroup_group(NULL);
	char **dirs = NULL;
	size_t n = 0;
	int r = cgroup_dirs(group, &dirs, &n, e);

	for (size_t i = 0; i < n; i++) {
		if (rmdir(dirs[i]) < 0 && errno != ENOENT && r == 0)
			r = brig_err_set(e, errno, "removing cgroup %s", dirs[i]);
		free(dirs[i]);
	}
	free(dirs);
	return r;
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
