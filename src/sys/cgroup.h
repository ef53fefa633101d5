/* Cgroups: one group per jail, on cgroup v2, v1 or hybrid hosts.
 *
 * A jail gets a directory GROUP (e.g. "brig/web") in every hierarchy that
 * helps track or limit it: the v2 tree when mounted, and the v1 pids,
 * memory, cpu, devices, cpuacct and blkio hierarchies when present (on hybrid hosts the v2 tree may
 * hold no useful controller). Everything a jail runs is attached to all of
 * them. */
#ifndef BRIG_SYS_CGROUP_H
#define BRIG_SYS_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* What a hierarchy holds: the v2 tree, or v1 controllers (bits). */
enum cgroup_kind {
	CGROUP_V2 = 1,
	CGROUP_V1_PIDS = 2,
	CGROUP_V1_MEMORY = 4,
	CGROUP_V1_CPU = 8,
	CGROUP_V1_DEVICES = 16,
	CGROUP_V1_CPUACCT = 32,
	CGROUP_V1_BLKIO = 64,
	CGROUP_V1_CPUSET = 128,
	/* The controllers of a v2 tree's sub-groups (sys/cgstat.h's
	 * cgstat_probe): which files they have. */
	CGROUP_V2_MEMORY = 256,
	CGROUP_V2_PIDS = 512,
	CGROUP_V2_IO = 1024,
};
/* The directory GROUP has (would have) in one hierarchy, and its kind
 * (enum cgroup_kind bits). */
struct cgroup_hier {
	char *dir;
	unsigned kind;
};
/* Every hierarchy used, in /proc/self/mountinfo's order (possibly none). */
int cgroup_hiers(const char *group, struct cgroup_hier **out, size_t *n, struct brig_err *e);
void cgroup_hiers_free(struct cgroup_hier *v, size_t n);
/* The directories GROUP would have on this host, one per hierarchy used
 * (possibly none). Caller frees each and the array. */
int cgroup_dirs(const char *group, char ***out, size_t *n, struct brig_err *e);
/* Create dir (and its parent): 1, or 0 if dir was there already
 * (EEXIST is fine), or -1. */
int cgroup_create(const char *dir, struct brig_err *e);
/* Brig's own group dir, for jails that join it without a group of their
 * own there: made if missing and set up as cgroup_create sets up a jail
 * group's parent. */
int cgroup_create_shared(const char *dir, struct brig_err *e);
/* Remove dir. A group that is already gone counts as removed. Brig's own
 * group, its parent, stays when its last jail goes (as Docker's does): the
 * next start then makes one group per hierarchy instead of two, and the
 * stop removes one (8 hierarchies here: ~0.4 ms of a start, ~0.3 ms of a
 * stop, issue 14). */
int cgroup_remove(const char *dir, struct brig_err *e);
/* Joining a jail's groups without a move by the parent (a move of
 * another process, or of a whole process, waits for an RCU grace
 * period: 7-17 ms after an idle gap): a new process is created in the
 * v2 group (clone3's CLONE_INTO_CGROUP, on v2's directory fd) and writes
 * 0 into each v1 group's `tasks` itself (moving only the calling thread
 * skips the global lock that waits). */
struct cgroup_join {
	int v2;		/* the v2 group's directory (-1: none) */
	int v2procs;	/* its cgroup.procs, for writing: where the new
			 * process could not be created in it */
	int *v1;	/* each v1 group's tasks file, opened for writing */
	size_t nv1;
};
/* Open what joining dirs takes (cgroup_dirs()' directories, made). */
int cgroup_join_open(char *const *dirs, size_t n, struct cgroup_join *j, struct brig_err *e);
void cgroup_join_close(struct cgroup_join *j);
/* In the new process, first of all: into each v1 group, and into the v2
 * one unless it was created there (async-signal safe: no allocation).
 * The files were opened with the caller's rights, so this works after
 * joining a user namespace too. -1 with errno on failure. */
int cgroup_join_self(const struct cgroup_join *j, bool in_v2);
/* The first of the groups dirs that is a cgroup v2 group (where BPF
 * programs attach); NULL if none is. */
const char *cgroup_v2_dir(char *const *dirs, size_t n);
/* Whether one of the groups dirs has file name (its controller is there). */
bool cgroup_has(char *const *dirs, size_t n, const char *name);
/* File name of the first of the groups dirs that has it, opened read-only
 * (O_CLOEXEC); -1 if none has it. */
int cgroup_open_file(char *const *dirs, size_t n, const char *name);
/* The processes dir holds (its cgroup.procs): their number and *out
 * (caller frees); -1 if unreadable. */
long cgroup_pids(const char *dir, pid_t **out);
/* How many processes dir holds (its cgroup.procs); -1 if unreadable. */
long cgroup_nprocs(const char *dir);

#endif
