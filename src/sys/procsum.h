/* What a group's processes hold, summed over them from /proc: what
 * rctl -u shows as datasize, stacksize, vmemoryuse, memorylocked and
 * openfiles (core/usage.h). */
#ifndef BRIG_SYS_PROCSUM_H
#define BRIG_SYS_PROCSUM_H

struct procsum {
	long long data;		/* VmData: bytes */
	long long stack;	/* VmStk */
	long long vmem;		/* VmSize */
	long long locked;	/* VmLck */
	long long files;	/* open descriptors */
};

/* The sums over the processes that cgroup directory dir lists in its
 * cgroup.procs (a process gone meanwhile is left out). 0, or -1 with
 * errno when dir's list cannot be read. */
int procsum_read(const char *dir, struct procsum *s);

#endif
