/* A running jail's usage now: its cgroups' counters (v2, v1 or hybrid),
 * its interfaces' counters, its root's disk use (issue 16). What brig
 * stats, brig ls -v and rctl -u show. */
#ifndef BRIG_CORE_USAGE_H
#define BRIG_CORE_USAGE_H

#include "core/core.h"
#include "util/err.h"

/* -1 in a field: unknown on this host (no such controller, no quota). */
struct jail_usage {
	long long uptime_ms;		/* since its init started */
	long long cpu_usec;		/* CPU time used, every process, since start */
	long long mem_current, mem_limit, mem_peak;	/* bytes (limit -1: none) */
	long long swap_current;
	long long pids_current, pids_limit;	/* tasks: threads count */
	long long procs;		/* processes */
	long long io_rbytes, io_wbytes, io_rios, io_wios;
	long long net_rx_bytes, net_tx_bytes, net_rx_packets, net_tx_packets;
	long long disk_used, disk_limit;	/* its root's own layer; limit: quota */
};

/* j's usage now. -1 with e set when j is not running or its cgroups
 * cannot be read. */
int core_usage(const struct core_jail *j, struct jail_usage *u, struct brig_err *e);

/* Its disk_used and disk_limit (core/quota.c): the store's account of
 * the jail's own data under its quota (btrfs qgroup, project quota); -1
 * without a quota or outside the store. For core_usage(). */
void core_usage_disk(const struct core_jail *j, struct jail_usage *u);

/* What j's processes hold, summed over them (rctl -u's datasize,
 * stacksize, vmemoryuse, memorylocked, openfiles): bytes, and open
 * descriptors. A walk of each process's /proc files, not done by
 * core_usage. 0, or -1 with e set. */
struct jail_proc_usage {
	long long data, stack, vmem, locked, openfiles;
};
int core_usage_procs(const struct core_jail *j, struct jail_proc_usage *p, struct brig_err *e);

#endif
