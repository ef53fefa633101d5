/* A group's counters, read from its cgroup files: what brig stats and
 * rctl -u show (core/usage.c). v2 files where the v2 tree has the
 * controller, else the v1 hierarchy's. */
#ifndef BRIG_SYS_CGSTAT_H
#define BRIG_SYS_CGSTAT_H

#include <stddef.h>

#include "sys/cgroup.h"

/* -1 in a field: no hierarchy gives it (limits: -1 too when unlimited). */
struct cgstat {
	long long cpu_usec;		/* v2 cpu.stat usage_usec; v1 cpuacct.usage */
	long long mem_current;		/* memory.current; memory.usage_in_bytes */
	long long mem_limit;		/* memory.max; memory.limit_in_bytes */
	long long mem_peak;		/* memory.peak; memory.max_usage_in_bytes */
	long long swap_current;		/* memory.swap.current; memsw.usage - usage */
	long long pids_current, pids_limit;	/* pids.current, pids.max (tasks) */
	long long procs;		/* processes: cgroup.procs's lines */
	/* io.stat rbytes wbytes rios wios; v1 blkio.throttle.io_service_bytes
	 * and io_serviced (Read, Write); every device summed */
	long long io_rbytes, io_wbytes, io_rios, io_wios;
};

/* Note in each v2 hierarchy of h which controllers its directory gives
 * its sub-groups (cgroup.subtree_control): the files cgstat_read then
 * looks for. Unreadable: all of them, looked for. */
void cgstat_probe(struct cgroup_hier *h, size_t n);
/* The counters of the group sub (NULL: the directories themselves) below
 * each of the hierarchies h[0..n) (cgroup_hiers()): v2 first, then the
 * v1 hierarchies that have a field still unknown. How many of its
 * directories were read: 0 when the group is gone (s is then all -1). */
size_t cgstat_read(const struct cgroup_hier *h, size_t n, const char *sub, struct cgstat *s);

#endif
