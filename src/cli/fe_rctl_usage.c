/* rctl -u FILTER: a jail's usage as FreeBSD's rctl(8) prints it
 * (RESOURCE=AMOUNT, one per line, in rctl's units, in the order of
 * FreeBSD's resource table), from core_usage().
 *
 * What Linux measures: cputime (s), memoryuse and swapuse (bytes),
 * maxproc (processes), nthr (tasks: pids.current), wallclock (s, since
 * the jail's init started), pcpu (% of one CPU) and the four io rates
 * (per second), those five between two reads 0.25 s apart; datasize,
 * stacksize, vmemoryuse, memorylocked (bytes) and openfiles summed over
 * the jail's processes. The rest is 0, as FreeBSD prints a resource
 * nothing has used (brig(8)). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/fe.h"
#include "cli/human.h"
#include "core/core.h"
#include "core/usage.h"

/* How long the rates are measured over. */
#define RATE_MS 250

/* A counter's rate per second between a and b, ms apart (0: unknown). */
static long long rate(long long a, long long b, long long ms)
{
	return a < 0 || b < a || ms <= 0 ? 0 : (b - a) * 1000 / ms;
}

/* -1 (unknown) as 0. */
static long long known(long long v)
{
	return v < 0 ? 0 : v;
}

int fe_rctl_usage(const char *filter, bool human)
{
	struct jail_usage a, b;
	struct jail_proc_usage p;
	struct core_jail j = { 0 };
	struct brig_err e = { 0 };
	const char *name;
	long long ms;

	if (strncmp(filter, "jail:", 5) != 0 || !filter[5] || strchr(filter + 5, ':') != NULL) {
		cli_error("-u %s: only a jail's usage is shown here (jail:NAME)", filter);
		return 1;
	}
	name = filter + 5;
	if (core_find(name, &j, &e) < 0 || core_usage(&j, &a, &e) < 0) {
		cli_error("failed to show resource consumption for '%s': %s", filter, e.msg);
		if (j.name)
			core_jail_free(&j);
		return 1;
	}
	nanosleep(&(struct timespec){ 0, RATE_MS * 1000000L }, NULL);
	if (core_usage(&j, &b, &e) < 0 || core_usage_procs(&j, &p, &e) < 0) {
		cli_error("failed to show resource consumption for '%s': %s", filter, e.msg);
		core_jail_free(&j);
		return 1;
	}
	core_jail_free(&j);
	ms = b.uptime_ms - a.uptime_ms;

	const struct {
		const char *name;
		long long v;
	} res[] = {
		{ "cputime", known(b.cpu_usec) / 1000000 },
		{ "datasize", p.data },
		{ "stacksize", p.stack },
		{ "coredumpsize", 0 },
		{ "memoryuse", known(b.mem_current) },
		{ "memorylocked", p.locked },
		{ "maxproc", known(b.procs) },
		{ "openfiles", p.openfiles },
		{ "vmemoryuse", p.vmem },
		{ "pseudoterminals", 0 },
		{ "swapuse", known(b.swap_current) },
		{ "nthr", known(b.pids_current) },
		{ "msgqqueued", 0 },
		{ "msgqsize", 0 },
		{ "nmsgq", 0 },
		{ "nsem", 0 },
		{ "nsemop", 0 },
		{ "nshm", 0 },
		{ "shmsize", 0 },
		{ "wallclock", known(b.uptime_ms) / 1000 },
		{ "pcpu", a.cpu_usec < 0 || ms <= 0 ? 0 : (b.cpu_usec - a.cpu_usec) / 10 / ms },
		{ "readbps", rate(a.io_rbytes, b.io_rbytes, ms) },
		{ "writebps", rate(a.io_wbytes, b.io_wbytes, ms) },
		{ "readiops", rate(a.io_rios, b.io_rios, ms) },
		{ "writeiops", rate(a.io_wios, b.io_wios, ms) },
	};
	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		char buf[24];

		if (human)
			human_rctl(buf, sizeof(buf), res[i].v);
		else
			snprintf(buf, sizeof(buf), "%lld", res[i].v);
		printf("%s=%s\n", res[i].name, buf);
	}
	return 0;
}
