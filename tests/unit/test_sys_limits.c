/* Unit tests for sys/limits: what a jail's limits write into the files of
 * a cgroup v2 group and of v1 groups (a fake tree of plain files: on a
 * hybrid host the v2 tree holds no controller to try them on), and the
 * counters read for the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sys/cgroup.h"
#include "sys/limits.h"

static char root[] = "/tmp/brig-limits.XXXXXX";

/* dir/name made empty. */
static void touch(const char *dir, const char *name)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

static const char *slurp(const char *dir, const char *name)
{
	static char buf[256];
	char p[512];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static char *mkgroup(const char *name, const char *const *files)
{
	char *d = malloc(512);

	snprintf(d, 512, "%s/%s", root, name);
	mkdir(d, 0755);
	for (; *files; files++)
		touch(d, *files);
	return d;
}

static void test_v2(void **state)
{
	static const char *const files[] = { "memory.max", "memory.swap.max", "pids.max", "cpu.max",
					     "io.max", "cpuset.cpus", NULL };
	char *d = mkgroup("v2", files);
	struct cg_limits l;
	struct brig_err e = { 0 };

	(void)state;
	cg_limits_init(&l);
	l.mem = 64 << 20;
	l.pids = 40;
	l.cpu = 25;
	l.rbps = 1048576;
	l.wiops = 100;
	l.iodev = makedev(8, 16);
	l.cpus = "0-1";
	assert_int_equal(limits_cgroup(&d, 1, &l, false, &e), 0);
	assert_string_equal(slurp(d, "memory.max"), "67108864");
	assert_string_equal(slurp(d, "memory.swap.max"), "max");
	assert_string_equal(slurp(d, "pids.max"), "40");
	assert_string_equal(slurp(d, "cpu.max"), "25000 100000");
	assert_string_equal(slurp(d, "io.max"), "8:16 rbps=1048576 wbps=max riops=max wiops=100");
	assert_string_equal(slurp(d, "cpuset.cpus"), "0-1");
	/* Two CPUs and a half; then none: "max" again (a rule removed live). */
	for (const char *const *f = files; *f; f++)
		touch(d, *f);
	l.cpu = 250;
	l.swap = 0;
	assert_int_equal(limits_cgroup(&d, 1, &l, false, &e), 0);
	assert_string_equal(slurp(d, "cpu.max"), "250000 100000");
	assert_string_equal(slurp(d, "memory.swap.max"), "0");
	for (const char *const *f = files; *f; f++)
		touch(d, *f);
	cg_limits_init(&l);
	assert_int_equal(limits_cgroup(&d, 1, &l, false, &e), 0);
	assert_string_equal(slurp(d, "memory.max"), "max");
	assert_string_equal(slurp(d, "pids.max"), "max");
	assert_string_equal(slurp(d, "cpu.max"), "max 100000");
	free(d);
}

static void test_v1(void **state)
{
	static const char *const mem_files[] = { "memory.limit_in_bytes", "memory.memsw.limit_in_bytes", NULL };
	static const char *const pids_files[] = { "pids.max", NULL };
	static const char *const cpu_files[] = { "cpu.cfs_quota_us", "cpu.cfs_period_us", NULL };
	static const char *const blk_files[] = { "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
						 "blkio.throttle.read_iops_device",
						 "blkio.throttle.write_iops_device", NULL };
	char *dirs[4] = { mkgroup("memory", mem_files), mkgroup("pids", pids_files), mkgroup("cpu", cpu_files),
			  mkgroup("blkio", blk_files) };
	struct cg_limits l;
	struct brig_err e = { 0 };

	(void)state;
	cg_limits_init(&l);
	l.mem = 1 << 20;
	l.swap = 1 << 20;
	l.pids = 7;
	l.cpu = 50;
	l.wbps = 4096;
	l.iodev = makedev(253, 1);
	assert_int_equal(limits_cgroup(dirs, 4, &l, false, &e), 0);
	assert_string_equal(slurp(dirs[0], "memory.limit_in_bytes"), "1048576");
	/* v1: memory and swap together. */
	assert_string_equal(slurp(dirs[0], "memory.memsw.limit_in_bytes"), "2097152");
	assert_string_equal(slurp(dirs[1], "pids.max"), "7");
	assert_string_equal(slurp(dirs[2], "cpu.cfs_period_us"), "100000");
	assert_string_equal(slurp(dirs[2], "cpu.cfs_quota_us"), "50000");
	assert_string_equal(slurp(dirs[3], "blkio.throttle.write_bps_device"), "253:1 4096");
	assert_string_equal(slurp(dirs[3], "blkio.throttle.read_bps_device"), "253:1 0");
	/* swapuse without memoryuse: v1 cannot say it. */
	cg_limits_init(&l);
	l.swap = 1 << 20;
	assert_int_equal(limits_cgroup(dirs, 1, &l, false, &e), -1);
	assert_non_null(strstr(e.msg, "swapuse: cgroup v1 limits memory and swap together"));
	/* A limit no hierarchy holds: said, never ignored. */
	cg_limits_init(&l);
	l.cpu = 10;
	assert_int_equal(limits_cgroup(dirs, 2, &l, false, &e), -1);
	assert_non_null(strstr(e.msg, "pcpu: no cpu controller"));
	cg_limits_init(&l);
	l.rbps = 10;
	assert_int_equal(limits_cgroup(dirs, 4, &l, false, &e), -1);
	assert_non_null(strstr(e.msg, "on no block device"));
	for (int i = 0; i < 4; i++)
		free(dirs[i]);
}

static void test_events(void **state)
{
	static const char *const none[] = { NULL };
	char *d = mkgroup("ev", none);
	struct cg_events ev;
	char p[512];
	FILE *f;

	(void)state;
	snprintf(p, sizeof(p), "%s/memory.events", d);
	f = fopen(p, "w");
	fputs("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/pids.events", d);
	f = fopen(p, "w");
	fputs("max 5\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/memory.peak", d);
	f = fopen(p, "w");
	fputs("123456\n", f);
	fclose(f);
	limits_events(&d, 1, &ev);
	assert_int_equal(ev.oom_kills, 2);
	assert_int_equal(ev.pids_refused, 5);
	assert_int_equal(ev.mem_peak, 123456);
	assert_int_equal(ev.pids_peak, -1);
	free(d);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}


/* A v1 cpuset group is made with its parent's CPUs and memory nodes,
 * each file on its own: another brig may have written brig's group's
 * mems and not yet its cpus (parallel starts got ENOSPC joining a group
 * whose cpus were empty). */
static void write_file(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Groups just made (a start): a memory or CPU limit of none is the
 * kernel's default there and is not written; what is set still is, and
 * brig's default pids limit too. */
static void test_fresh(void **state)
{
	static const char *const files[] = { "memory.max", "memory.swap.max", "pids.max", "cpu.max", NULL };
	char *d = mkgroup("fresh", files);
	struct cg_limits l;
	struct brig_err e = { 0 };

	(void)state;
	cg_limits_init(&l);
	l.pids = 4096;
	l.pids_default = true;
	assert_int_equal(limits_cgroup(&d, 1, &l, true, &e), 0);
	assert_string_equal(slurp(d, "memory.max"), "");
	assert_string_equal(slurp(d, "memory.swap.max"), "");
	assert_string_equal(slurp(d, "cpu.max"), "");
	assert_string_equal(slurp(d, "pids.max"), "4096");
	l.mem = 1 << 20;
	l.cpu = 50;
	assert_int_equal(limits_cgroup(&d, 1, &l, true, &e), 0);
	assert_string_equal(slurp(d, "memory.max"), "1048576");
	assert_string_equal(slurp(d, "cpu.max"), "50000 100000");
	free(d);
}

static void test_cpuset_half_made_parent(void **state)
{
	static const char *const files[] = { "cpuset.mems", "cpuset.cpus", NULL };
	char *grand = mkgroup("cs", files), *parent = mkgroup("cs/brig", files);
	char *jail = mkgroup("cs/brig/web", files);
	struct brig_err e = { 0 };

	(void)state;
	/* An empty cpuset file reads as a newline, as the kernel's do. */
	write_file(jail, "cpuset.mems", "\n");
	write_file(jail, "cpuset.cpus", "\n");
	write_file(parent, "cpuset.cpus", "\n");
	write_file(grand, "cpuset.mems", "0\n");
	write_file(grand, "cpuset.cpus", "0-1\n");
	write_file(parent, "cpuset.mems", "0\n");	/* cpus not yet */
	assert_int_equal(cgroup_create(jail, &e), 0);
	assert_string_equal(slurp(parent, "cpuset.cpus"), "0-1");
	assert_string_equal(slurp(jail, "cpuset.cpus"), "0-1");
	assert_string_equal(slurp(jail, "cpuset.mems"), "0");
	free(grand);
	free(parent);
	free(jail);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_fresh),
		cmocka_unit_test(test_cpuset_half_made_parent),
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
