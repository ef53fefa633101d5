#include "sys/limits.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sys/cgroup.h"
#include "util/io.h"
#include "util/mem.h"

/* cfs period: 100 ms, as cpu.max's default. */
#define CPU_PERIOD 100000ULL

void cg_limits_init(struct cg_limits *l)
{
	*l = (struct cg_limits){ LIMIT_NONE, LIMIT_NONE, LIMIT_NONE, LIMIT_NONE,
				 LIMIT_NONE, LIMIT_NONE, LIMIT_NONE, LIMIT_NONE, 0, NULL, false };
}

/* Whether group dir has file name (its hierarchy has the controller). */
static bool has(const char *dir, const char *name)
{
	char *const one[] = { (char *)dir };

	return cgroup_has(one, 1, name);
}

/* Write text into dir/name. */
static int put(const char *dir, const char *name, const char *text, struct brig_err *e)
{
	cleanup_free char *p = xasprintf("%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t len = strlen(text);
	ssize_t w;

	if (fd < 0)
		return brig_err_set(e, errno, "%s", p);
	w = write(fd, text, len);
	if (w < 0 || (size_t)w != len) {
		int err = w < 0 ? errno : EIO;

		close(fd);
		return brig_err_set(e, err, "writing \"%s\" to %s", text, p);
	}
	close(fd);
	return 0;
}

/* A number, or v2's "max" / v1's -1 for none. */
static void num(char *buf, size_t len, unsigned long long v, bool v2)
{
	if (v == LIMIT_NONE)
		snprintf(buf, len, "%s", v2 ? "max" : "-1");
	else
		snprintf(buf, len, "%llu", v);
}

/* v1 blkio: one file per rate, "MAJ:MIN N" (0 removes the device's). */
static int v1_rate(const char *dir, const char *file, dev_t dev, unsigned long long v, struct brig_err *e)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%u:%u %llu", major(dev), minor(dev), v == LIMIT_NONE ? 0ULL : v);
	return put(dir, file, buf, e);
}

/* The memory limits of one group (v2 or v1). v1 wants memsw >= memory at
 * each step: lowered, memory first; raised, memsw first. */
static int set_memory(const char *dir, const struct cg_limits *l, bool *mem, bool *swap,
		      struct brig_err *e)
{
	char m[32], s[32];

	if (has(dir, "memory.max")) {
		num(m, sizeof(m), l->mem, true);
		*mem = true;
		if (put(dir, "memory.max", m, e) < 0)
			return -1;
		if (has(dir, "memory.swap.max")) {
			num(s, sizeof(s), l->swap, true);
			*swap = true;
			return put(dir, "memory.swap.max", s, e);
		}
		return 0;
	}
	if (!has(dir, "memory.limit_in_bytes"))
		return 0;
	*mem = true;
	num(m, sizeof(m), l->mem, false);
	if (!has(dir, "memory.memsw.limit_in_bytes"))
		return put(dir, "memory.limit_in_bytes", m, e);
	*swap = true;
	if (l->mem != LIMIT_NONE && l->swap != LIMIT_NONE && l->swap <= LIMIT_NONE - l->mem)
		num(s, sizeof(s), l->mem + l->swap, false);
	else
		num(s, sizeof(s), LIMIT_NONE, false);
	/* Either order may be refused by the one before: try both. */
	if (put(dir, "memory.limit_in_bytes", m, e) == 0 && put(dir, "memory.memsw.limit_in_bytes", s, e) == 0)
		return 0;
	brig_err_clear(e);
	if (put(dir, "memory.memsw.limit_in_bytes", s, e) < 0)
		return -1;
	return put(dir, "memory.limit_in_bytes", m, e);
}

/* The CPU share of one group. */
static int set_cpu(const char *dir, const struct cg_limits *l, bool *done, struct brig_err *e)
{
	char buf[64];

	if (has(dir, "cpu.max")) {
		*done = true;
		if (l->cpu == LIMIT_NONE)
			snprintf(buf, sizeof(buf), "max %llu", CPU_PERIOD);
		else
			snprintf(buf, sizeof(buf), "%llu %llu", l->cpu * CPU_PERIOD / 100, CPU_PERIOD);
		return put(dir, "cpu.max", buf, e);
	}
	if (!has(dir, "cpu.cfs_quota_us"))
		return 0;
	*done = true;
	snprintf(buf, sizeof(buf), "%llu", CPU_PERIOD);
	if (put(dir, "cpu.cfs_period_us", buf, e) < 0)
		return -1;
	if (l->cpu == LIMIT_NONE)
		snprintf(buf, sizeof(buf), "-1");
	else
		snprintf(buf, sizeof(buf), "%llu", l->cpu * CPU_PERIOD / 100);
	return put(dir, "cpu.cfs_quota_us", buf, e);
}

/* The rates of one group, on l->iodev. */
static int set_io(const char *dir, const struct cg_limits *l, bool *done, struct brig_err *e)
{
	char r[4][32], buf[192];

	if (has(dir, "io.max")) {
		*done = true;
		num(r[0], sizeof(r[0]), l->rbps, true);
		num(r[1], sizeof(r[1]), l->wbps, true);
		num(r[2], sizeof(r[2]), l->riops, true);
		num(r[3], sizeof(r[3]), l->wiops, true);
		snprintf(buf, sizeof(buf), "%u:%u rbps=%s wbps=%s riops=%s wiops=%s", major(l->iodev),
			 minor(l->iodev), r[0], r[1], r[2], r[3]);
		return put(dir, "io.max", buf, e);
	}
	if (!has(dir, "blkio.throttle.read_bps_device"))
		return 0;
	*done = true;
	if (v1_rate(dir, "blkio.throttle.read_bps_device", l->iodev, l->rbps, e) < 0 ||
	    v1_rate(dir, "blkio.throttle.write_bps_device", l->iodev, l->wbps, e) < 0 ||
	    v1_rate(dir, "blkio.throttle.read_iops_device", l->iodev, l->riops, e) < 0 ||
	    v1_rate(dir, "blkio.throttle.write_iops_device", l->iodev, l->wiops, e) < 0)
		return -1;
	return 0;
}

int limits_cgroup(char *const *dirs, size_t n, const struct cg_limits *l, bool fresh,
		  struct brig_err *e)
{
	bool mem = false, swap = false, pids = false, cpu = false, io = false, cpus = false;
	bool rates = l->rbps != LIMIT_NONE || l->wbps != LIMIT_NONE || l->riops != LIMIT_NONE ||
		     l->wiops != LIMIT_NONE;
	bool memory = !fresh || l->mem != LIMIT_NONE || l->swap != LIMIT_NONE;
	bool share = !fresh || l->cpu != LIMIT_NONE;

	for (size_t i = 0; i < n; i++) {
		const char *d = dirs[i];
		char buf[32];

		if ((memory && set_memory(d, l, &mem, &swap, e) < 0) || (share && set_cpu(d, l, &cpu, e) < 0))
			return -1;
		if (has(d, "pids.max")) {
			pids = true;
			num(buf, sizeof(buf), l->pids, true);
			if (put(d, "pids.max", buf, e) < 0)
				return -1;
		}
		if (l->iodev && set_io(d, l, &io, e) < 0)
			return -1;
		if (l->cpus && has(d, "cpuset.cpus")) {
			cpus = true;
			if (put(d, "cpuset.cpus", l->cpus, e) < 0)
				return -1;
		}
	}
	if (l->mem != LIMIT_NONE && !mem)
		return brig_err_set(e, 0, "memoryuse: no memory controller (cgroup v2 memory.max, or the "
				    "v1 memory hierarchy)");
	if (l->swap != LIMIT_NONE && !swap)
		return brig_err_set(e, 0, "swapuse: no swap accounting (cgroup v2 memory.swap.max, or v1 "
				    "memory.memsw.limit_in_bytes: boot with swapaccount=1)");
	if (l->swap != LIMIT_NONE && l->mem == LIMIT_NONE && !has(dirs[0], "memory.swap.max"))
		return brig_err_set(e, 0, "swapuse: cgroup v1 limits memory and swap together: add a "
				    "memoryuse rule");
	if (l->pids != LIMIT_NONE && !pids && !l->pids_default)
		return brig_err_set(e, 0, "maxproc: no pids controller (cgroup v2 or v1 pids.max)");
	if (l->cpu != LIMIT_NONE && !cpu)
		return brig_err_set(e, 0, "pcpu: no cpu controller (cgroup v2 cpu.max, or v1 "
				    "cpu.cfs_quota_us: a kernel with CONFIG_CFS_BANDWIDTH)");
	if (rates && !l->iodev)
		return brig_err_set(e, 0, "readbps/writebps/readiops/writeiops: the jail's root is on "
				    "no block device");
	if (rates && !io)
		return brig_err_set(e, 0, "readbps/writebps/readiops/writeiops: no io controller "
				    "(cgroup v2 io.max, or the v1 blkio hierarchy)");
	if (l->cpus && !cpus)
		return brig_err_set(e, 0, "cpuset: no cpuset controller (cgroup v2 cpuset.cpus, or the "
				    "v1 cpuset hierarchy)");
	return 0;
}

int limits_rlimits_self(const struct rlim_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		struct rlimit rl = { (rlim_t)s->v[i].cur, (rlim_t)s->v[i].max };

		if (setrlimit(s->v[i].res, &rl) < 0)
			return -1;
	}
	return 0;
}

int limits_rlimits_pid(pid_t pid, const struct rlim_set *s, struct brig_err *e)
{
	for (size_t i = 0; i < s->n; i++) {
		struct rlimit rl = { (rlim_t)s->v[i].cur, (rlim_t)s->v[i].max };

		if (prlimit(pid, s->v[i].res, &rl, NULL) < 0)
			return brig_err_set(e, errno, "setting rlimit %d of process %d", s->v[i].res, (int)pid);
	}
	return 0;
}

void ipc_limits_init(struct ipc_limits *l)
{
	*l = (struct ipc_limits){ LIMIT_NONE, LIMIT_NONE, LIMIT_NONE, LIMIT_NONE, LIMIT_NONE, LIMIT_NONE };
}

bool ipc_limits_any(const struct ipc_limits *l)
{
	return l->msgmnb != LIMIT_NONE || l->msgmni != LIMIT_NONE || l->shmmni != LIMIT_NONE ||
	       l->shmall != LIMIT_NONE || l->semmns != LIMIT_NONE || l->semopm != LIMIT_NONE;
}

/* One /proc/sys/kernel value. */
static int sysctl_put(const char *name, unsigned long long v, struct brig_err *e)
{
	char buf[32];

	if (v == LIMIT_NONE)
		return 0;
	snprintf(buf, sizeof(buf), "%llu", v);
	return put("/proc/sys/kernel", name, buf, e);
}

int limits_ipc_self(const struct ipc_limits *l, struct brig_err *e)
{
	if (sysctl_put("msgmnb", l->msgmnb, e) < 0 || sysctl_put("msgmni", l->msgmni, e) < 0 ||
	    sysctl_put("shmmni", l->shmmni, e) < 0 || sysctl_put("shmall", l->shmall, e) < 0)
		return -1;
	if (l->semmns != LIMIT_NONE || l->semopm != LIMIT_NONE) {
		/* kernel.sem: SEMMSL SEMMNS SEMOPM SEMMNI, changed in place. */
		unsigned long long v[4];
		char buf[128];
		FILE *f = fopen("/proc/sys/kernel/sem", "re");
		int ok = f && fscanf(f, "%llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3]) == 4;

		if (f)
			fclose(f);
		if (!ok)
			return brig_err_set(e, errno, "/proc/sys/kernel/sem");
		if (l->semmns != LIMIT_NONE)
			v[1] = l->semmns;
		if (l->semopm != LIMIT_NONE)
			v[2] = l->semopm;
		snprintf(buf, sizeof(buf), "%llu %llu %llu %llu", v[0], v[1], v[2], v[3]);
		return put("/proc/sys/kernel", "sem", buf, e);
	}
	return 0;
}

/* A number from the line "key N" of dir/file, or from its first line when
 * key is NULL; -1 if none. */
static long long read_num(const char *dir, const char *file, const char *key)
{
	cleanup_free char *p = xasprintf("%s/%s", dir, file);
	char line[256];
	long long v = -1;
	size_t kl = key ? strlen(key) : 0;
	FILE *f = fopen(p, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!key) {
			v = strtoll(line, NULL, 10);
			break;
		}
		if (strncmp(line, key, kl) == 0 && line[kl] == ' ') {
			v = strtoll(line + kl + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* The larger of two counters (-1: unknown). */
static long long either(long long a, long long b)
{
	return a > b ? a : b;
}

void limits_events(char *const *dirs, size_t n, struct cg_events *ev)
{
	*ev = (struct cg_events){ -1, -1, -1, -1 };
	for (size_t i = 0; i < n; i++) {
		const char *d = dirs[i];

		ev->mem_peak = either(ev->mem_peak, read_num(d, "memory.peak", NULL));
		ev->mem_peak = either(ev->mem_peak, read_num(d, "memory.max_usage_in_bytes", NULL));
		ev->oom_kills = either(ev->oom_kills, read_num(d, "memory.events", "oom_kill"));
		ev->oom_kills = either(ev->oom_kills, read_num(d, "memory.oom_control", "oom_kill"));
		ev->pids_refused = either(ev->pids_refused, read_num(d, "pids.events", "max"));
		ev->pids_peak = either(ev->pids_peak, read_num(d, "pids.peak", NULL));
	}
}
