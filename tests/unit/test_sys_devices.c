/* Unit tests for sys/devices.c: FreeBSD's rulesets as allow-lists, and the
 * cgroup device program, run here by a small interpreter of the few
 * instructions it uses and (as root) through the kernel's verifier. The
 * program at work in a jail: tests/integration/jail_devices_v2.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <string.h>
#include <unistd.h>

#include "sys/devices.h"
#include "util/mem.h"

static void test_rulesets(void **state)
{
	(void)state;
	assert_int_equal(devfs_ruleset_sets(0), DEVFS_BASIC | DEVFS_LOGIN);
	assert_int_equal(devfs_ruleset_sets(1), 0);
	assert_int_equal(devfs_ruleset_sets(2), DEVFS_BASIC);
	assert_int_equal(devfs_ruleset_sets(3), DEVFS_LOGIN);
	assert_int_equal(devfs_ruleset_sets(4), DEVFS_BASIC | DEVFS_LOGIN);
	assert_int_equal(devfs_ruleset_sets(5), DEVFS_BASIC | DEVFS_LOGIN);
	assert_int_equal(devfs_ruleset_sets(6), -1);
	assert_int_equal(devfs_ruleset_sets(-1), -1);
	assert_int_equal(devfs_ruleset_sets(100), -1);
}

static void test_rules(void **state)
{
	struct dev_rule r[16];

	(void)state;
	assert_int_equal(devices_rules(0, r, ARRAY_SIZE(r)), 0);
	assert_int_equal(devices_rules(DEVFS_BASIC, r, ARRAY_SIZE(r)), 5);
	assert_int_equal(r[0].major, 1);
	assert_int_equal(r[0].minor, 3);
	assert_int_equal(devices_rules(DEVFS_LOGIN, r, ARRAY_SIZE(r)), 3);	/* tty, ptmx, pts */
	assert_int_equal(r[2].major, 136);
	assert_int_equal(r[2].minor, -1);
	assert_int_equal(devices_rules(DEVFS_BASIC | DEVFS_LOGIN, r, ARRAY_SIZE(r)), 8);
	assert_int_equal(devices_rules(DEVFS_BASIC | DEVFS_LOGIN, r, 2), 2);
}

/* Run prog on one access, as the kernel would; -1 if it does something
 * the interpreter does not know (or never exits). */
static int run(const struct bpf_insn *p, size_t n, int type, int access, unsigned major, unsigned minor)
{
	struct bpf_cgroup_dev_ctx ctx = { (unsigned)(access << 16 | type), major, minor };
	uint64_t reg[11] = { 0 };

	for (size_t pc = 0, steps = 0; pc < n && steps < 1000; pc++, steps++) {
		const struct bpf_insn *i = &p[pc];

		switch (i->code) {
		case BPF_LDX | BPF_W | BPF_MEM:
			if (i->src_reg != BPF_REG_1 || i->off < 0 || i->off > 8)
				return -1;
			reg[i->dst_reg] = *(const uint32_t *)((const char *)&ctx + i->off);
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			reg[i->dst_reg] = (uint32_t)reg[i->dst_reg] & (uint32_t)i->imm;
			break;
		case BPF_ALU64 | BPF_MOV | BPF_K:
			reg[i->dst_reg] = (uint64_t)(int64_t)i->imm;
			break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if (reg[i->dst_reg] != (uint64_t)(int64_t)i->imm)
				pc += (size_t)i->off;
			break;
		case BPF_JMP | BPF_EXIT:
			return (int)reg[0];
		default:
			return -1;
		}
	}
	return -1;
}

static void test_program(void **state)
{
	struct dev_rule r[16];
	struct bpf_insn p[128];
	size_t nr = devices_rules(DEVFS_BASIC | DEVFS_LOGIN, r, ARRAY_SIZE(r));
	size_t n = devices_bpf_prog(r, nr, p, ARRAY_SIZE(p));
	const int C = BPF_DEVCG_DEV_CHAR, B = BPF_DEVCG_DEV_BLOCK;
	const int RW = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE, M = BPF_DEVCG_ACC_MKNOD;

	(void)state;
	assert_true(n > 0);
	assert_int_equal(run(p, n, C, RW, 1, 3), 1);	/* null */
	assert_int_equal(run(p, n, C, RW, 1, 9), 1);	/* urandom */
	assert_int_equal(run(p, n, C, M, 1, 7), 1);	/* full */
	assert_int_equal(run(p, n, C, RW, 5, 0), 1);	/* tty */
	assert_int_equal(run(p, n, C, RW, 5, 2), 1);	/* ptmx */
	assert_int_equal(run(p, n, C, RW, 136, 0), 1);	/* pts/0 */
	assert_int_equal(run(p, n, C, RW, 136, 4095), 1);
	assert_int_equal(run(p, n, C, RW, 1, 11), 0);	/* kmsg */
	assert_int_equal(run(p, n, C, RW, 1, 1), 0);	/* mem */
	assert_int_equal(run(p, n, C, RW, 1, 2), 0);	/* kmem */
	assert_int_equal(run(p, n, C, RW, 10, 232), 0);	/* kvm */
	assert_int_equal(run(p, n, C, RW, 10, 237), 0);	/* loop-control */
	assert_int_equal(run(p, n, C, RW, 5, 1), 0);	/* console */
	assert_int_equal(run(p, n, C, RW, 4, 1), 0);	/* tty1 */
	assert_int_equal(run(p, n, C, RW, 137, 0), 0);
	assert_int_equal(run(p, n, B, RW, 1, 3), 0);	/* a block device 1:3 (ram3) */
	assert_int_equal(run(p, n, B, RW, 8, 0), 0);	/* sda */
	assert_int_equal(run(p, n, B, M, 7, 0), 0);	/* loop0 */

	/* devfsrules_hide_all: nothing at all. */
	n = devices_bpf_prog(r, 0, p, ARRAY_SIZE(p));
	assert_int_equal(run(p, n, C, RW, 1, 3), 0);
	assert_int_equal(run(p, n, C, RW, 136, 0), 0);
	/* Too small a buffer: nothing. */
	assert_int_equal(devices_bpf_prog(r, nr, p, 10), 0);
}

/* The kernel's verifier accepts the program (as root; the integration
 * tests attach and use it). */
static void test_program_verifies(void **state)
{
	struct dev_rule r[16];
	struct bpf_insn p[128];
	size_t nr = devices_rules(DEVFS_BASIC | DEVFS_LOGIN, r, ARRAY_SIZE(r));
	size_t n = devices_bpf_prog(r, nr, p, ARRAY_SIZE(p));
	int fd;

	(void)state;
	if (geteuid() != 0)
		skip();
	fd = bpf_prog_load(BPF_PROG_TYPE_CGROUP_DEVICE, "brig_devices", "GPL", p, n, NULL);
	assert_true(fd >= 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rulesets),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_program),
		cmocka_unit_test(test_program_verifies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
