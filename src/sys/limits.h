/* A jail's resource limits, as Linux holds them: its cgroups (v2, v1 or
 * both on a hybrid host), the rlimits of its processes, its IPC
 * namespace. What the limits are is core's to say (from the jail's rctl
 * rules, conf/rctl.h); this file only knows the kernel's files. */
#ifndef BRIG_SYS_LIMITS_H
#define BRIG_SYS_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

#define LIMIT_NONE (~0ULL)	/* no limit: the kernel's "max" */

/* The cgroup limits of a jail; LIMIT_NONE: unlimited. Set again in full
 * by each limits_cgroup() (a rule removed live goes back to "max"). */
struct cg_limits {
	unsigned long long mem;		/* bytes */
	unsigned long long swap;	/* bytes (v1: written as mem + swap) */
	unsigned long long pids;	/* tasks */
	unsigned long long cpu;		/* percent of one CPU */
	unsigned long long rbps, wbps, riops, wiops;	/* per second */
	dev_t iodev;			/* the block device the rates are for */
	const char *cpus;		/* cpuset, or NULL */
	bool pids_default;		/* pids is brig's default, not a rule: a
					 * host without a pids controller goes
					 * without */
};
void cg_limits_init(struct cg_limits *l);

/* Write l into each of the jail's groups dirs (the files each hierarchy
 * has: v2's memory.max, v1's memory.limit_in_bytes...). A limit set that
 * no hierarchy can hold is an error naming what is missing; so is one a
 * group refuses. fresh: the groups were just made, so a memory or CPU
 * limit of none is the kernel's default there and is not written (a
 * start: ~40 fewer system calls over a host's hierarchies). */
int limits_cgroup(char *const *dirs, size_t n, const struct cg_limits *l, bool fresh,
		  struct brig_err *e);

/* The rlimits of a jail's processes. */
struct rlim_set {
	size_t n;
	struct {
		int res;	/* RLIMIT_* */
		unsigned long long cur, max;
	} v[16];		/* RLIMIT_NLIMITS */
};
/* Set on the calling process (a process entering the jail, before it
 * executes): -1 with errno. */
int limits_rlimits_self(const struct rlim_set *s);
/* Set on process pid (the jail's init before it runs, and every process
 * of the jail when they change live). */
int limits_rlimits_pid(pid_t pid, const struct rlim_set *s, struct brig_err *e);

/* The System V IPC limits of a namespace: /proc/sys/kernel files, in
 * the IPC namespace of the caller (sys/nsrun.h takes it there). */
struct ipc_limits {
	unsigned long long msgmnb, msgmni, shmmni, shmall, semmns, semopm;	/* LIMIT_NONE: leave */
};
void ipc_limits_init(struct ipc_limits *l);
bool ipc_limits_any(const struct ipc_limits *l);
int limits_ipc_self(const struct ipc_limits *l, struct brig_err *e);

/* Counters read before a jail's groups go, for the log of the rules
 * with action log: peak memory (bytes), and how often the kernel refused
 * at a limit (memory: OOM kills; pids: forks refused). -1: not known. */
struct cg_events {
	long long mem_peak, oom_kills, pids_refused, pids_peak;
};
void limits_events(char *const *dirs, size_t n, struct cg_events *ev);

#endif
