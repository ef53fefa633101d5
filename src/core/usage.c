/* A running jail's usage (core/usage.h): its cgroups' counters
 * (sys/cgstat.c), its interfaces' (a namespace of its own only), the
 * age of its init. */
#include "core/usage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sys/cgstat.h"
#include "sys/netlink.h"
#include "sys/nsrun.h"
#include "sys/procsum.h"
#include "util/mem.h"

/* The hierarchies of brig's group, found once per process: brig stats
 * --watch and a listing of many jails read mountinfo once. */
static struct cgroup_hier *hiers;
static size_t nhiers;
static bool have_hiers;

/* Find them, the first time. */
static int brig_hiers(struct brig_err *e)
{
	cleanup_free char *group = NULL;

	if (have_hiers)
		return 0;
	group = core_cgroup_group(NULL);
	if (cgroup_hiers(group, &hiers, &nhiers, e) < 0)
		return -1;
	cgstat_probe(hiers, nhiers);
	have_hiers = true;
	return 0;
}

/* Milliseconds since start (clock ticks since boot, as recorded in the
 * jail's state); -1: unknown. */
static long long uptime_ms(unsigned long long start)
{
	struct timespec now;
	long hz = sysconf(_SC_CLK_TCK);
	long long ms;

	if (hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) < 0)
		return -1;
	ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000 -
	     (long long)(start * 1000 / (unsigned long long)hz);
	return ms < 0 ? 0 : ms;
}

/* The counters of the interfaces in pid's network namespace, when it is
 * not brig's own (a vnet jail, or one with no network: its stack alone);
 * a shared-IP jail's traffic is the host's interfaces' and is not told
 * apart: its fields stay -1. */
static int net_usage(const char *name, pid_t pid, struct jail_usage *u, struct brig_err *e)
{
	struct nl_link_stats ls;
	struct nl nl;
	cleanup_close int fd = -1;
	int r;

	r = ns_open_net(pid, &fd, e);
	if (r < 0)
		return brig_err_wrap(e, "%s: usage", name);
	if (r == 0)
		return 0;
	if (nl_open_netns(&nl, fd, e) < 0)
		return brig_err_wrap(e, "%s: usage", name);
	r = nl_link_stats(&nl, &ls, e);
	nl_close(&nl);
	if (r < 0)
		return brig_err_wrap(e, "%s: usage", name);
	u->net_rx_bytes = (long long)ls.rx_bytes;
	u->net_tx_bytes = (long long)ls.tx_bytes;
	u->net_rx_packets = (long long)ls.rx_packets;
	u->net_tx_packets = (long long)ls.tx_packets;
	return 0;
}

int core_usage(const struct core_jail *j, struct jail_usage *u, struct brig_err *e)
{
	struct cgstat cs;

	memset(u, 0xff, sizeof(*u));	/* every field -1: unknown */
	if (brig_hiers(e) < 0)
		return brig_err_wrap(e, "%s: usage", j->name);
	if (!cgstat_read(hiers, nhiers, j->name, &cs))
		return brig_err_set(e, ESRCH, "%s: usage: not running (no cgroup of it)", j->name);
	u->cpu_usec = cs.cpu_usec;
	u->mem_current = cs.mem_current;
	u->mem_limit = cs.mem_limit;
	u->mem_peak = cs.mem_peak;
	u->swap_current = cs.swap_current;
	u->pids_current = cs.pids_current;
	u->pids_limit = cs.pids_limit;
	u->procs = cs.procs;
	u->io_rbytes = cs.io_rbytes;
	u->io_wbytes = cs.io_wbytes;
	u->io_rios = cs.io_rios;
	u->io_wios = cs.io_wios;
	u->uptime_ms = uptime_ms(j->init_start);
	/* Disk use as the store accounts it under a quota (~0.2 ms a jail):
	 * only for a jail with one. */
	if (j->def && jd_nonempty(j->def, JP_QUOTA))
		core_usage_disk(j, u);
	return net_usage(j->name, j->init_pid, u, e);
}

int core_usage_procs(const struct core_jail *j, struct jail_proc_usage *p, struct brig_err *e)
{
	struct procsum ps;

	if (brig_hiers(e) < 0)
		return brig_err_wrap(e, "%s: usage", j->name);
	/* Every hierarchy lists the same processes: the first that can. */
	for (size_t i = 0; i < nhiers; i++) {
		cleanup_free char *dir = xasprintf("%s/%s", hiers[i].dir, j->name);

		if (procsum_read(dir, &ps) == 0) {
			*p = (struct jail_proc_usage){ .data = ps.data, .stack = ps.stack, .vmem = ps.vmem,
						       .locked = ps.locked, .openfiles = ps.files };
			return 0;
		}
	}
	return brig_err_set(e, ESRCH, "%s: usage: not running (no cgroup of it)", j->name);
}
