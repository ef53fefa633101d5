/* Unit tests for sys/cgstat.c (a group's counters from cgroup files, in
 * a fake tree of v2 and v1 directories) and cli/human.c (the amounts of
 * brig stats and rctl -h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/human.h"
#include "sys/cgstat.h"

static char base[] = "/tmp/brig-cgstat.XXXXXX";

/* base/rel/name holding text. */
static void put(const char *rel, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", base, rel, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *dir(const char *rel)
{
	char *p = malloc(512);

	snprintf(p, 512, "%s/%s", base, rel);
	mkdir(p, 0755);
	return p;
}

/* A v2 tree with every controller: its files alone; which controllers
 * it has, from its cgroup.subtree_control. */
static void test_v2(void **state)
{
	struct cgroup_hier h[1] = { { dir("v2"), CGROUP_V2 } };
	struct cgstat s;

	(void)state;
	put("v2", "cgroup.subtree_control", "cpu io memory pids\n");
	cgstat_probe(h, 1);
	assert_int_equal(h[0].kind, CGROUP_V2 | CGROUP_V2_MEMORY | CGROUP_V2_PIDS | CGROUP_V2_IO);
	put("v2/web", "cpu.stat", "usage_usec 1234567\nuser_usec 1000000\nsystem_usec 234567\n");
	put("v2/web", "memory.current", "4096000\n");
	put("v2/web", "memory.max", "max\n");
	put("v2/web", "memory.peak", "8192000\n");
	put("v2/web", "memory.swap.current", "0\n");
	put("v2/web", "pids.current", "7\n");
	put("v2/web", "pids.max", "200\n");
	put("v2/web", "cgroup.procs", "1\n5\n9\n");
	put("v2/web", "io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n"
				 "8:16 rbytes=100 wbytes=0 rios=3 wios=0 dbytes=0 dios=0\n");
	assert_int_equal(cgstat_read(h, 1, "web", &s), 1);
	assert_int_equal(s.cpu_usec, 1234567);
	assert_int_equal(s.mem_current, 4096000);
	assert_int_equal(s.mem_limit, -1);
	assert_int_equal(s.mem_peak, 8192000);
	assert_int_equal(s.swap_current, 0);
	assert_int_equal(s.pids_current, 7);
	assert_int_equal(s.pids_limit, 200);
	assert_int_equal(s.procs, 3);
	assert_int_equal(s.io_rbytes, 4196);
	assert_int_equal(s.io_wbytes, 8192);
	assert_int_equal(s.io_rios, 4);
	assert_int_equal(s.io_wios, 2);
	/* A group that is not there: nothing found, every field unknown. */
	assert_int_equal(cgstat_read(h, 1, "gone", &s), 0);
	assert_int_equal(s.cpu_usec, -1);
	assert_int_equal(s.mem_current, -1);
	/* Without the memory controller (a hybrid host's v2 tree), its
	 * files are not looked for. */
	put("v2", "cgroup.subtree_control", "cpuset iomem\n");
	h[0].kind = CGROUP_V2;
	cgstat_probe(h, 1);
	assert_int_equal(h[0].kind, CGROUP_V2);
	assert_int_equal(cgstat_read(h, 1, "web", &s), 1);
	assert_int_equal(s.cpu_usec, 1234567);
	assert_int_equal(s.mem_current, -1);
	assert_int_equal(s.pids_current, -1);
	assert_int_equal(s.io_rbytes, -1);
	free(h[0].dir);
}

/* A hybrid host: the v2 tree has cpu.stat alone, the v1 hierarchies the
 * rest (cpu and cpuacct co-mounted here); v2's CPU time wins. */
static void test_hybrid(void **state)
{
	struct cgroup_hier h[] = {
		{ dir("h-mem"), CGROUP_V1_MEMORY },
		{ dir("h-v2"), CGROUP_V2 },
		{ dir("h-pids"), CGROUP_V1_PIDS },
		{ dir("h-cpu"), CGROUP_V1_CPU | CGROUP_V1_CPUACCT },
		{ dir("h-blkio"), CGROUP_V1_BLKIO },
	};
	struct cgstat s;

	(void)state;
	put("h-v2/db", "cpu.stat", "usage_usec 500\n");
	put("h-v2/db", "cgroup.procs", "1\n2\n");
	put("h-mem/db", "memory.usage_in_bytes", "1048576\n");
	/* v1's "no limit": the largest page-aligned long. */
	put("h-mem/db", "memory.limit_in_bytes", "9223372036854771712\n");
	put("h-mem/db", "memory.max_usage_in_bytes", "2097152\n");
	put("h-mem/db", "memory.memsw.usage_in_bytes", "1150976\n");
	put("h-pids/db", "pids.current", "3\n");
	put("h-pids/db", "pids.max", "max\n");
	put("h-cpu/db", "cpuacct.usage", "999000\n");
	put("h-blkio/db", "blkio.throttle.io_service_bytes_recursive",
	    "8:0 Read 4096\n8:0 Write 512\n8:0 Sync 4608\n8:0 Async 0\n8:0 Discard 0\n8:0 Total 4608\n"
	    "253:1 Read 1000\n253:1 Write 0\nTotal 5608\n");
	put("h-blkio/db", "blkio.throttle.io_serviced_recursive",
	    "8:0 Read 2\n8:0 Write 1\n8:0 Total 3\nTotal 3\n");
	/* cpuacct's directory is not read: v2 gave the CPU time. */
	assert_int_equal(cgstat_read(h, 5, "db", &s), 4);
	assert_int_equal(s.cpu_usec, 500);
	assert_int_equal(s.mem_current, 1048576);
	assert_int_equal(s.mem_limit, -1);
	assert_int_equal(s.mem_peak, 2097152);
	assert_int_equal(s.swap_current, 102400);
	assert_int_equal(s.pids_current, 3);
	assert_int_equal(s.pids_limit, -1);
	assert_int_equal(s.procs, 2);
	assert_int_equal(s.io_rbytes, 5096);
	assert_int_equal(s.io_wbytes, 512);
	assert_int_equal(s.io_rios, 2);
	assert_int_equal(s.io_wios, 1);
	for (size_t i = 0; i < 5; i++)
		free(h[i].dir);
}

/* v1 alone (no v2 tree): cpuacct.usage, in nanoseconds. A limit is a
 * number; a missing controller leaves its fields unknown. */
static void test_v1(void **state)
{
	struct cgroup_hier h[] = {
		{ dir("o-cpu"), CGROUP_V1_CPUACCT },
		{ dir("o-mem"), CGROUP_V1_MEMORY },
	};
	struct cgstat s;

	(void)state;
	put("o-cpu/x", "cpuacct.usage", "2500000\n");
	put("o-mem/x", "memory.usage_in_bytes", "100\n");
	put("o-mem/x", "memory.limit_in_bytes", "67108864\n");
	assert_int_equal(cgstat_read(h, 2, "x", &s), 2);
	assert_int_equal(s.cpu_usec, 2500);
	assert_int_equal(s.mem_limit, 67108864);
	assert_int_equal(s.mem_peak, -1);
	assert_int_equal(s.swap_current, -1);
	assert_int_equal(s.pids_current, -1);
	assert_int_equal(s.io_rbytes, -1);
	for (size_t i = 0; i < 2; i++)
		free(h[i].dir);
}

/* FreeBSD's humanize_number with rctl -h's arguments. */
static void test_human_rctl(void **state)
{
	static const struct {
		long long v;
		const char *want;
	} cases[] = {
		{ 0, "0" }, { 999, "999" }, { 9999, "9999" }, { 10000, "9.8K" },
		{ 1048576, "1024K" }, { 10485760, "10M" }, { 67108864, "64M" },
		{ 1073741824, "1024M" }, { 5368709120LL, "5120M" },
		{ 10737418240LL, "10G" }, { 10500000000LL, "9.8G" },
	};
	char buf[24];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		human_rctl(buf, sizeof(buf), cases[i].v);
		assert_string_equal(buf, cases[i].want);
	}
}

/* brig stats' sizes and durations. */
static void test_human(void **state)
{
	char buf[32];

	(void)state;
	human_bytes(buf, sizeof(buf), -1);
	assert_string_equal(buf, "-");
	human_bytes(buf, sizeof(buf), 512);
	assert_string_equal(buf, "512B");
	human_bytes(buf, sizeof(buf), 34701312);
	assert_string_equal(buf, "33.1MiB");
	human_bytes(buf, sizeof(buf), 1536);
	assert_string_equal(buf, "1.50KiB");
	human_duration(buf, sizeof(buf), 45999);
	assert_string_equal(buf, "45s");
	human_duration(buf, sizeof(buf), 723000);
	assert_string_equal(buf, "12m03s");
	human_duration(buf, sizeof(buf), 11220000);
	assert_string_equal(buf, "3h07m");
	human_duration(buf, sizeof(buf), 187200000);
	assert_string_equal(buf, "2d04h");
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_hybrid),
		cmocka_unit_test(test_v1),
		cmocka_unit_test(test_human_rctl),
		cmocka_unit_test(test_human),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
