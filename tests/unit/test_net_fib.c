/* Unit tests for exec.fib: the mark of a jail's sockets (net/fib.c), the
 * rule's rtnetlink message and its reading back from a dump (brig
 * doctor; sys/nl_rule.c) and the program that sets the mark
 * (sys/sockmark.c), run here by a tiny interpreter and (as root)
 * through the kernel's verifier. At work: tests/integration/net_fib.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <libmnl/libmnl.h>
#include <linux/bpf.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"
#include "sys/netlink.h"
#include "sys/sockmark.h"
#include "util/mem.h"

static void test_mark(void **state)
{
	(void)state;
	assert_int_equal(net_fib_mark(1), 0xb0000001u);
	assert_int_equal(net_fib_mark(NET_FIB_JID_MAX), 0xb0003fffu);
	assert_int_equal(net_fib_mark(NET_FIB_JID_MAX + 1), 0);
	assert_int_equal(net_fib_mark(0), 0);
	assert_int_equal(net_fib_mark(-1), 0);
	/* Under the mask, whole; and none of kube-proxy's 0x4000/0x8000,
	 * Tailscale's 0xff0000 or wg-quick's 0xca6c as a whole value. */
	for (int jid = 1; jid <= NET_FIB_JID_MAX; jid++) {
		uint32_t m = net_fib_mark(jid);

		assert_int_equal(m & NET_FIB_MASK, m);
		assert_int_equal(m & 0x00ffc000u, 0);
		assert_true(m != 0xca6c);
	}
}

struct attrs {
	const struct nlattr *tb[FRA_MAX + 1];
};

static int keep(const struct nlattr *a, void *data)
{
	struct attrs *t = data;

	if (mnl_attr_get_type(a) <= FRA_MAX)
		t->tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static void test_rule_msg(void **state)
{
	struct nl_rule r = { .family = AF_INET6, .mark = 0xb0000007, .mask = NET_FIB_MASK, .table = 300,
			     .priority = NET_FIB_PRIORITY };
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_rule_msg(buf, RTM_NEWRULE, &r);
	const struct fib_rule_hdr *h = mnl_nlmsg_get_payload(m);
	struct attrs t = { 0 };

	(void)state;
	assert_int_equal(m->nlmsg_type, RTM_NEWRULE);
	assert_true(m->nlmsg_flags & NLM_F_CREATE);
	assert_true(m->nlmsg_flags & NLM_F_EXCL);
	assert_int_equal(h->family, AF_INET6);
	assert_int_equal(h->action, FR_ACT_TO_TBL);
	assert_int_equal(h->table, RT_TABLE_COMPAT);	/* 300 does not fit: FRA_TABLE says it */
	mnl_attr_parse(m, sizeof(*h), keep, &t);
	assert_int_equal(mnl_attr_get_u32(t.tb[FRA_TABLE]), 300);
	assert_int_equal(mnl_attr_get_u32(t.tb[FRA_FWMARK]), 0xb0000007);
	assert_int_equal(mnl_attr_get_u32(t.tb[FRA_FWMASK]), NET_FIB_MASK);
	assert_int_equal(mnl_attr_get_u32(t.tb[FRA_PRIORITY]), NET_FIB_PRIORITY);
	assert_int_equal(mnl_attr_get_u8(t.tb[FRA_PROTOCOL]), RTPROT_BRIG);

	/* A removal names no table and no action: any of brig's rules of
	 * that mark. */
	m = nl_rule_msg(buf, RTM_DELRULE, &r);
	h = mnl_nlmsg_get_payload(m);
	memset(&t, 0, sizeof(t));
	mnl_attr_parse(m, sizeof(*h), keep, &t);
	assert_false(m->nlmsg_flags & NLM_F_EXCL);
	assert_int_equal(h->action, FR_ACT_UNSPEC);
	assert_int_equal(h->table, 0);
	assert_null(t.tb[FRA_TABLE]);
	assert_int_equal(mnl_attr_get_u32(t.tb[FRA_FWMARK]), 0xb0000007);
	assert_int_equal(mnl_attr_get_u8(t.tb[FRA_PROTOCOL]), RTPROT_BRIG);
}

/* A rule of a dump (RTM_GETRULE) read back: brig's (its own message,
 * as the kernel reports it) whole; another program's, a rule without a
 * mark, another action and a short attribute are not brig's. */
static void test_rule_parse(void **state)
{
	struct nl_rule r = { .family = AF_INET, .mark = 0xb0000063, .mask = NET_FIB_MASK, .table = 300,
			     .priority = NET_FIB_PRIORITY };
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m;
	struct fib_rule_hdr *h;
	struct nlattr *a;
	struct nl_rule out;

	(void)state;
	m = nl_rule_msg(buf, RTM_NEWRULE, &r);
	assert_int_equal(nl_rule_parse(m, &out), 1);
	assert_int_equal(out.family, AF_INET);
	assert_int_equal(out.mark, 0xb0000063);
	assert_int_equal(out.mask, NET_FIB_MASK);
	assert_int_equal(out.table, 300);	/* FRA_TABLE, not the header's 252 */
	assert_int_equal(out.priority, NET_FIB_PRIORITY);

	/* Another protocol: not brig's. */
	m = nl_rule_msg(buf, RTM_NEWRULE, &r);
	mnl_attr_for_each(a, m, sizeof(struct fib_rule_hdr))
		if (mnl_attr_get_type(a) == FRA_PROTOCOL)
			*(uint8_t *)mnl_attr_get_payload(a) = RTPROT_BOOT;
	assert_int_equal(nl_rule_parse(m, &out), 0);

	/* Not "lookup TABLE" (a goto, a blackhole rule). */
	m = nl_rule_msg(buf, RTM_NEWRULE, &r);
	h = mnl_nlmsg_get_payload(m);
	h->action = FR_ACT_BLACKHOLE;
	assert_int_equal(nl_rule_parse(m, &out), 0);

	/* A rule without a mark (`ip rule add from ... proto 98`). */
	m = nl_msg(buf, RTM_NEWRULE, 0);
	h = mnl_nlmsg_put_extra_header(m, sizeof(*h));
	h->family = AF_INET6;
	h->action = FR_ACT_TO_TBL;
	h->table = 100;
	mnl_attr_put_u8(m, FRA_PROTOCOL, RTPROT_BRIG);
	assert_int_equal(nl_rule_parse(m, &out), 0);
	/* ... with a mark too short to be one: still none. */
	mnl_attr_put_u16(m, FRA_FWMARK, 0x63);
	assert_int_equal(nl_rule_parse(m, &out), 0);
	/* ... and a whole one: brig's, the header's table kept. */
	mnl_attr_put_u32(m, FRA_FWMARK, 0xb0000063);
	assert_int_equal(nl_rule_parse(m, &out), 1);
	assert_int_equal(out.family, AF_INET6);
	assert_int_equal(out.table, 100);
	assert_int_equal(out.mask, 0);

	/* Not a rule at all; a header cut short. */
	m = nl_msg(buf, RTM_NEWROUTE, 0);
	assert_int_equal(nl_rule_parse(m, &out), 0);
	m = nl_msg(buf, RTM_NEWRULE, 0);
	assert_int_equal(nl_rule_parse(m, &out), 0);
}

/* The program on a struct bpf_sock of mark: the mark it leaves, and
 * what it returns (1: the socket is made). Only the instructions the
 * program uses. */
static uint32_t run(const struct bpf_insn *p, size_t n, uint32_t mark, int *ret)
{
	struct bpf_sock sk = { .mark = mark };
	uint64_t r[11] = { 0 };

	r[1] = (uintptr_t)&sk;
	for (size_t pc = 0; pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];

		switch (i->code) {
		case BPF_LDX | BPF_W | BPF_MEM:
			memcpy(&r[i->dst_reg], (char *)(uintptr_t)r[i->src_reg] + i->off, 4);
			break;
		case BPF_STX | BPF_W | BPF_MEM:
			memcpy((char *)(uintptr_t)r[i->dst_reg] + i->off, &r[i->src_reg], 4);
			break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if ((uint32_t)r[i->dst_reg] != (uint32_t)i->imm)
				pc += (size_t)i->off;
			break;
		case BPF_ALU | BPF_MOV | BPF_K:
			r[i->dst_reg] = (uint32_t)i->imm;
			break;
		case BPF_ALU64 | BPF_MOV | BPF_K:
			r[i->dst_reg] = (uint64_t)(int64_t)i->imm;
			break;
		case BPF_JMP | BPF_EXIT:
			*ret = (int)r[0];
			return sk.mark;
		default:
			fail_msg("instruction 0x%x", i->code);
		}
	}
	fail_msg("no exit");
	return 0;
}

static void test_program(void **state)
{
	struct bpf_insn p[8];
	size_t n = sockmark_prog(0xb0000005, p, ARRAY_SIZE(p));
	int ret = -1;

	(void)state;
	assert_true(n > 0);
	assert_int_equal(sockmark_prog(1, p, 2), 0);
	/* A new socket gets the mark; one a child jail's program marked
	 * first (a group's own programs run before its parents') keeps it. */
	assert_int_equal(run(p, n, 0, &ret), 0xb0000005);
	assert_int_equal(ret, 1);
	ret = -1;
	assert_int_equal(run(p, n, 0xb0000009, &ret), 0xb0000009);
	assert_int_equal(ret, 1);
}

static void test_program_verifies(void **state)
{
	struct bpf_insn p[8];
	size_t n = sockmark_prog(0xb0000005, p, ARRAY_SIZE(p));
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_CGROUP_INET_SOCK_CREATE);
	int fd;

	(void)state;
	if (geteuid() != 0)
		skip();
	fd = bpf_prog_load(BPF_PROG_TYPE_CGROUP_SOCK, NULL, "GPL", p, n, &opts);
	assert_true(fd >= 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mark),
		cmocka_unit_test(test_rule_msg),
		cmocka_unit_test(test_rule_parse),
		cmocka_unit_test(test_program),
		cmocka_unit_test(test_program_verifies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
