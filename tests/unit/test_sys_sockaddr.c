/* Unit tests for sys/sockaddr.c and sys/sockprog.c: a jail's policy as
 * the programs read it, and the programs, the same for every jail, run
 * here by a small interpreter of the instructions they use over a policy
 * (fail-closed when it is not written; bind, connect and sendmsg held to
 * the jail's addresses; saddrsel), and (as root) through the kernel's
 * verifier. The programs at work: tests/integration/net_shared*.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/bpfprog.h"
#include "sys/sockaddr.h"
#include "sys/sockprog.h"
#include "util/mem.h"

#define MAXN 2048

static struct sock_value value;
static struct sockaddr_in6 bound;	/* what the program gave bpf_bind (a sockaddr_in fits) */
static int nbound;

/* Run the program over ctx, with value as the group's policy; its
 * return value. Only the instructions the programs use. */
static uint64_t run(const struct bpf_insn *p, size_t n, void *ctx)
{
	uint64_t r[11] = { 0 };
	uint8_t stack[512];
	size_t pc = 0;

	r[1] = (uintptr_t)ctx;
	r[10] = (uintptr_t)(stack + sizeof(stack));
	while (pc < n) {
		const struct bpf_insn *i = &p[pc++];
		uint8_t cls = BPF_CLASS(i->code), op = BPF_OP(i->code);
		uint64_t src = BPF_SRC(i->code) == BPF_X ? r[i->src_reg] : (uint64_t)(int64_t)i->imm;
		uint8_t *at = (uint8_t *)(uintptr_t)(r[cls == BPF_LDX ? i->src_reg : i->dst_reg] + (int64_t)i->off);
		bool take;

		switch (cls) {
		case BPF_ALU:
		case BPF_ALU64:
			if (op == BPF_MOV)
				r[i->dst_reg] = src;
			else if (op == BPF_AND)
				r[i->dst_reg] &= src;
			else if (op == BPF_ADD)
				r[i->dst_reg] += src;
			else
				fail_msg("alu op %#x at %zu", op, pc - 1);
			if (cls == BPF_ALU)
				r[i->dst_reg] = (uint32_t)r[i->dst_reg];
			break;
		case BPF_LD:	/* the map's address: one 16-byte instruction */
			pc++;
			r[i->dst_reg] = 0;
			break;
		case BPF_LDX:
			if (BPF_SIZE(i->code) == BPF_W) {
				uint32_t w;

				memcpy(&w, at, 4);
				r[i->dst_reg] = w;
			} else {
				memcpy(&r[i->dst_reg], at, 8);
			}
			break;
		case BPF_ST:
		case BPF_STX: {
			uint64_t v = cls == BPF_ST ? (uint64_t)(int64_t)i->imm : r[i->src_reg];
			size_t len = BPF_SIZE(i->code) == BPF_DW ? 8 : BPF_SIZE(i->code) == BPF_W ? 4 : 2;

			memcpy(at, &v, len);	/* little-endian host */
			break;
		}
		case BPF_JMP:
		case BPF_JMP32:
			if (op == BPF_EXIT)
				return r[0];
			if (op == BPF_CALL) {
				if (i->imm == BPF_FUNC_get_local_storage)
					r[0] = (uintptr_t)&value;
				else if (i->imm == BPF_FUNC_bind) {
					memcpy(&bound, (void *)(uintptr_t)r[2], (size_t)r[3]);
					nbound++;
					r[0] = 0;
				} else
					fail_msg("call %d at %zu", i->imm, pc - 1);
				break;
			}
			if (cls == BPF_JMP32) {
				src = (uint32_t)src;
				take = op == BPF_JEQ ? (uint32_t)r[i->dst_reg] == src
						     : (uint32_t)r[i->dst_reg] != src;
			} else {
				take = op == BPF_JA || (op == BPF_JEQ ? r[i->dst_reg] == src : r[i->dst_reg] != src);
			}
			if (op != BPF_JEQ && op != BPF_JNE && op != BPF_JA)
				fail_msg("jump op %#x at %zu", op, pc - 1);
			if (take)
				pc += (size_t)(int64_t)i->off;
			break;
		default:
			fail_msg("class %#x at %zu", cls, pc - 1);
		}
	}
	fail_msg("ran off the end");
	return 0;
}

static uint32_t ip4(const char *s)
{
	uint32_t a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void ip6(const char *s, uint32_t w[4])
{
	assert_int_equal(inet_pton(AF_INET6, s, w), 1);
}

/* The jail of these tests: 192.0.2.11 (192.0.2.0/24), 198.51.100.11
 * (198.51.100.0/24) and 2001:db8::11 (/64), 2001:db8:1::11 (no subnet). */
static void policy(struct sock_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->v4.mode = SOCK_LIST;
	p->v4.n = 2;
	inet_pton(AF_INET, "192.0.2.11", p->v4.addr[0]);
	inet_pton(AF_INET, "198.51.100.11", p->v4.addr[1]);
	p->v4.plen[0] = 24;
	p->v4.plen[1] = 24;
	p->v6.mode = SOCK_LIST;
	p->v6.n = 2;
	inet_pton(AF_INET6, "2001:db8::11", p->v6.addr[0]);
	inet_pton(AF_INET6, "2001:db8:1::11", p->v6.addr[1]);
	p->v6.plen[0] = 64;
}

static size_t prog(enum sock_prog which, struct bpf_insn *p)
{
	size_t n = sock_prog(which, 0, p, MAXN);

	assert_true(n > 0);
	return n;
}

static void test_value(void **state)
{
	struct sock_policy p;
	struct sock_value v;

	(void)state;
	policy(&p);
	sockaddr_value(&p, &v);
	assert_int_equal(v.magic, SOCK_VALUE_MAGIC);
	assert_int_equal(v.v4.mode, SOCK_LIST);
	assert_int_equal(v.v4.addr[0][0], ip4("192.0.2.11"));
	assert_int_equal(v.v4.addr[1][0], ip4("198.51.100.11"));
	/* the slots after the last: the first again */
	assert_int_equal(v.v4.addr[2][0], ip4("192.0.2.11"));
	assert_int_equal(v.v4.addr[SOCK_ADDRS_MAX - 1][0], ip4("192.0.2.11"));
	assert_int_equal(v.v4.mask[0][0], ip4("255.255.255.0"));
	assert_int_equal(v.v4.net[1][0], ip4("198.51.100.0"));
	/* no subnet: a mask of 0 and a subnet no address is in */
	assert_int_equal(v.v4.mask[2][0], 0);
	assert_int_equal(v.v4.net[2][0], UINT32_MAX);
	assert_int_equal(v.v6.mask[0][1], UINT32_MAX);
	assert_int_equal(v.v6.mask[0][2], 0);
	assert_int_equal(v.v6.mask[1][0], 0);
	assert_int_equal(v.v6.net[1][0], UINT32_MAX);
}

/* A policy never written (zero) denies: every program returns 0. */
static void test_fail_closed(void **state)
{
	static struct bpf_insn p[MAXN];
	struct bpf_sock_addr ctx;
	struct bpf_sock sk;

	(void)state;
	memset(&value, 0, sizeof(value));
	for (int i = SP_BIND4; i <= SP_SENDMSG6; i++) {
		size_t n = prog((enum sock_prog)i, p);

		memset(&ctx, 0, sizeof(ctx));
		ctx.user_ip4 = ip4("192.0.2.11");
		assert_int_equal(run(p, n, &ctx), 0);
	}
	memset(&sk, 0, sizeof(sk));
	sk.family = AF_INET;
	assert_int_equal(run(p, prog(SP_SOCKET, p), &sk), 0);
}

static void test_bind4(void **state)
{
	static struct bpf_insn p[MAXN];
	size_t n = prog(SP_BIND4, p);
	struct bpf_sock_addr c;
	struct sock_policy pol;

	(void)state;
	policy(&pol);
	sockaddr_value(&pol, &value);
	memset(&c, 0, sizeof(c));
	c.user_ip4 = ip4("198.51.100.11");	/* its own: as asked */
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(c.user_ip4, ip4("198.51.100.11"));
	c.user_ip4 = 0;				/* the wildcard: its first */
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(c.user_ip4, ip4("192.0.2.11"));
	c.user_ip4 = ip4("127.0.0.1");		/* loopback: its first */
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(c.user_ip4, ip4("192.0.2.11"));
	c.user_ip4 = ip4("192.0.2.12");		/* another's: EPERM */
	assert_int_equal(run(p, n, &c), 0);
	pol.v4.mode = SOCK_NONE;
	sockaddr_value(&pol, &value);
	c.user_ip4 = ip4("192.0.2.11");
	assert_int_equal(run(p, n, &c), 0);
	pol.v4.mode = SOCK_ANY;
	sockaddr_value(&pol, &value);
	c.user_ip4 = ip4("192.0.2.12");
	assert_int_equal(run(p, n, &c), 1);
}

static void test_connect4(void **state)
{
	static struct bpf_insn p[MAXN];
	size_t n = prog(SP_CONNECT4, p);
	struct sockaddr_in *b = (struct sockaddr_in *)&bound;
	struct bpf_sock_addr c;
	struct bpf_sock sk;
	struct sock_policy pol;

	(void)state;
	policy(&pol);
	sockaddr_value(&pol, &value);
	memset(&c, 0, sizeof(c));
	memset(&sk, 0, sizeof(sk));
	c.sk = &sk;				/* not bound yet */
	c.user_ip4 = ip4("198.51.100.7");	/* saddrsel: from its address there */
	nbound = 0;
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(nbound, 1);
	assert_int_equal(b->sin_family, AF_INET);
	assert_int_equal(b->sin_addr.s_addr, ip4("198.51.100.11"));
	c.user_ip4 = ip4("203.0.113.1");	/* elsewhere: from its first */
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(b->sin_addr.s_addr, ip4("192.0.2.11"));
	c.user_ip4 = ip4("127.0.0.1");		/* loopback: its own first address */
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(c.user_ip4, ip4("192.0.2.11"));
	assert_int_equal(b->sin_addr.s_addr, ip4("192.0.2.11"));
	pol.v4.plen[1] = 0;			/* saddrsel = 0: always its first */
	sockaddr_value(&pol, &value);
	c.user_ip4 = ip4("198.51.100.7");
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(b->sin_addr.s_addr, ip4("192.0.2.11"));
	/* Bound already (by its bind, or by a child jail's connect program,
	 * which runs first): left as it is, not bound to the first again. */
	sk.src_ip4 = ip4("198.51.100.11");
	nbound = 0;
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(nbound, 0);
}

static void test_sendmsg4(void **state)
{
	static struct bpf_insn p[MAXN];
	size_t n = prog(SP_SENDMSG4, p);
	struct bpf_sock_addr c;
	struct sock_policy pol;

	(void)state;
	policy(&pol);
	sockaddr_value(&pol, &value);
	memset(&c, 0, sizeof(c));
	c.user_ip4 = ip4("198.51.100.7");	/* no source: by subnet */
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(c.msg_src_ip4, ip4("198.51.100.11"));
	c.msg_src_ip4 = 0;
	c.user_ip4 = ip4("203.0.113.1");	/* else its first */
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(c.msg_src_ip4, ip4("192.0.2.11"));
	c.msg_src_ip4 = ip4("198.51.100.11");	/* a source of its own */
	assert_int_equal(run(p, n, &c), 1);
	c.msg_src_ip4 = ip4("192.0.2.1");	/* the host's */
	assert_int_equal(run(p, n, &c), 0);
}

static void test_bind6(void **state)
{
	static struct bpf_insn p[MAXN];
	size_t n = prog(SP_BIND6, p);
	struct bpf_sock_addr c;
	struct sock_policy pol;
	uint32_t a[4];

	(void)state;
	policy(&pol);
	sockaddr_value(&pol, &value);
	memset(&c, 0, sizeof(c));
	ip6("2001:db8:1::11", c.user_ip6);	/* its own */
	assert_int_equal(run(p, n, &c), 1);
	ip6("::", c.user_ip6);			/* the wildcard: its first */
	assert_int_equal(run(p, n, &c), 1);
	ip6("2001:db8::11", a);
	assert_memory_equal(c.user_ip6, a, 16);
	ip6("::1", c.user_ip6);
	assert_int_equal(run(p, n, &c), 1);
	assert_memory_equal(c.user_ip6, a, 16);
	ip6("2001:db8::12", c.user_ip6);	/* another's */
	assert_int_equal(run(p, n, &c), 0);
	ip6("::ffff:192.0.2.11", c.user_ip6);	/* mapped: the IPv4 rules */
	assert_int_equal(run(p, n, &c), 1);
	ip6("::ffff:192.0.2.12", c.user_ip6);
	assert_int_equal(run(p, n, &c), 0);
	pol.v4.mode = SOCK_NONE;
	sockaddr_value(&pol, &value);
	ip6("::ffff:192.0.2.11", c.user_ip6);
	assert_int_equal(run(p, n, &c), 0);
}

static void test_connect6(void **state)
{
	static struct bpf_insn p[MAXN];
	size_t n = prog(SP_CONNECT6, p);
	struct bpf_sock_addr c;
	struct bpf_sock sk;
	struct sock_policy pol;
	uint32_t a[4];

	(void)state;
	policy(&pol);
	sockaddr_value(&pol, &value);
	memset(&c, 0, sizeof(c));
	memset(&sk, 0, sizeof(sk));
	c.sk = &sk;				/* not bound yet */
	ip6("2001:db8:1::7", c.user_ip6);	/* no subnet there: its first */
	assert_int_equal(run(p, n, &c), 1);
	ip6("2001:db8::11", a);
	assert_int_equal(bound.sin6_family, AF_INET6);
	assert_memory_equal(&bound.sin6_addr, a, 16);
	ip6("::ffff:198.51.100.7", c.user_ip6);	/* mapped: bound to ::ffff:its first */
	assert_int_equal(run(p, n, &c), 1);
	ip6("::ffff:192.0.2.11", a);
	assert_memory_equal(&bound.sin6_addr, a, 16);
	/* Bound already: left as it is, in both kinds. */
	ip6("2001:db8:1::11", sk.src_ip6);
	nbound = 0;
	ip6("2001:db8:1::7", c.user_ip6);
	assert_int_equal(run(p, n, &c), 1);
	ip6("::ffff:198.51.100.7", c.user_ip6);
	assert_int_equal(run(p, n, &c), 1);
	assert_int_equal(nbound, 0);
}

/* Each program as the kernel sees it: loaded through the verifier over a
 * cgroup storage map (root only). */
static void test_verifies(void **state)
{
	static struct bpf_insn p[MAXN];
	union bpf_attr a;
	int map;

	(void)state;
	if (geteuid() != 0)
		skip();
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_CGROUP_STORAGE;
	a.key_size = sizeof(uint64_t);
	a.value_size = sizeof(struct sock_value);
	map = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	if (map < 0 && (errno == EPERM || errno == ENOSYS))
		skip();
	assert_true(map >= 0);
	for (int i = 0; i < SP_N; i++) {
		struct brig_err e = { 0 };
		size_t n = sock_prog((enum sock_prog)i, map, p, MAXN);
		int fd = bpf_prog_new(sock_progs[i].ptype, sock_progs[i].type, p, n, sock_progs[i].name, &e);

		if (fd < 0)
			fail_msg("%s", e.msg);
		close(fd);
	}
	close(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_fail_closed),
		cmocka_unit_test(test_bind4),
		cmocka_unit_test(test_connect4),
		cmocka_unit_test(test_sendmsg4),
		cmocka_unit_test(test_bind6),
		cmocka_unit_test(test_connect6),
		cmocka_unit_test(test_verifies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
