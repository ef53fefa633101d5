/* Cgroups: one group per jail, on cgroup v2, v1 or hybrid hosts.
 *
 * A jail gets a directory GROUP (e.g. "brig/web") in every hierarchy that
 * helps track or limit it: the v2 tree when mounted, and the v1 pids,
 * memory, cpu and devices hierarchies when present (on hybrid hosts the v2 tree may
 * hold no useful controller). Everything a jail runs is attached to all of
 * them. */
#ifndef BRIG_SYS_CGROUP_H
#define BRIG_SYS_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* The directories GROUP would have on this host, one per hierarchy used
 * (possibly none). Caller frees each and the array. */
int cgroup_dirs(const char *group, char ***out, size_t *n, struct brig_err *e);
/* Create dir (and its parent). EEXIST is fine. */
int cgroup_create(const char *dir, struct brig_err *e);
/* Remove dir, and its parent when that is brig's own ("brig*") and empty.
 * A group that is already gone counts as removed. */
int cgroup_remove(const char *dir, struct brig_err *e);
/* Move pid (0: the caller) into dir. */
int cgroup_attach(const char *dir, pid_t pid, struct brig_err *e);
/* Open dir/cgroup.procs for writing (to join it after leaving the host's
 * mount namespace). */
int cgroup_open_procs(const char *dir, struct brig_err *e);
/* How many processes dir holds (its cgroup.procs); -1 if unreadable. */
long cgroup_nprocs(const char *dir);

#endif
