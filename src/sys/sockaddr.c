/* A shared-IP jail's socket address policy (see sockaddr.h for the why). */
#include "sys/sockaddr.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/magic.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "sys/bpfprog.h"
#include "util/mem.h"

/* A program being written: instructions, and jumps to labels to patch. */
#define PROG_MAX 1024
struct prog {
	struct bpf_insn v[PROG_MAX];
	size_t n;
	struct {
		size_t at;
		int label;
	} fix[4 * SOCK_ADDRS_MAX + 32];
	size_t nfix;
	bool full;
};

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

static void emit(struct prog *p, struct bpf_insn i)
{
	if (p->n == PROG_MAX) {
		p->full = true;
		return;
	}
	p->v[p->n++] = i;
}

/* A 32-bit comparison of reg with imm (JMP32: no sign extension) that
 * jumps to label. */
static void jump(struct prog *p, int op, int reg, uint32_t imm, int label)
{
	if (p->nfix == ARRAY_SIZE(p->fix)) {
		p->full = true;
		return;
	}
	p->fix[p->nfix].at = p->n;
	p->fix[p->nfix++].label = label;
	emit(p, INSN(BPF_JMP32 | op | BPF_K, reg, 0, 0, (int32_t)imm));
}

/* Jump to label if reg (a pointer, compared as 64 bits) is NULL. */
static void jump_null(struct prog *p, int reg, int label)
{
	if (p->nfix == ARRAY_SIZE(p->fix)) {
		p->full = true;
		return;
	}
	p->fix[p->nfix].at = p->n;
	p->fix[p->nfix++].label = label;
	emit(p, INSN(BPF_JMP | BPF_JEQ | BPF_K, reg, 0, 0, 0));
}

static void jump_always(struct prog *p, int label)
{
	if (p->nfix == ARRAY_SIZE(p->fix)) {
		p->full = true;
		return;
	}
	p->fix[p->nfix].at = p->n;
	p->fix[p->nfix++].label = label;
	emit(p, INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0));
}

/* Place label here: the jumps to it so far land here (every jump is
 * forward, so a label can be placed again further on). */
static void here(struct prog *p, int label)
{
	size_t kept = 0;

	for (size_t i = 0; i < p->nfix; i++) {
		if (p->fix[i].label == label)
			p->v[p->fix[i].at].off = (int16_t)(p->n - p->fix[i].at - 1);
		else
			p->fix[kept++] = p->fix[i];
	}
	p->nfix = kept;
}

static void ret(struct prog *p, int v)
{
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, v));
	emit(p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* reg = the 32-bit word at ctx + off (ctx in r6). */
static void load(struct prog *p, int reg, size_t off)
{
	emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, reg, BPF_REG_6, (int16_t)off, 0));
}

/* The 32-bit word at ctx + off = imm (through r9). */
static void store(struct prog *p, size_t off, uint32_t imm)
{
	emit(p, INSN(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_9, 0, 0, (int32_t)imm));
	emit(p, INSN(BPF_STX | BPF_W | BPF_MEM, BPF_REG_6, BPF_REG_9, (int16_t)off, 0));
}

/* The 32-bit words of addresses as the kernel loads them (network order
 * in memory, read as host words). */
static uint32_t word(const uint8_t *a, int i)
{
	uint32_t w;

	memcpy(&w, a + 4 * i, 4);
	return w;
}

static uint32_t net32(uint32_t host)
{
	return htonl(host);
}

/* The number of instructions; 0 if too many (or a jump went nowhere). */
static size_t prog_end(const struct prog *p)
{
	return p->full || p->nfix ? 0 : p->n;
}

enum hook { HOOK_BIND, HOOK_CONNECT, HOOK_SENDMSG };
enum { L_OK, L_FIRST, L_NEXT, L_V6, L_SRC, L_PUT, L_FAMILY, L_HDR, L_DGRAM };

#define A4 offsetof(struct bpf_sock_addr, user_ip4)
#define A6(i) (offsetof(struct bpf_sock_addr, user_ip6) + 4 * (i))
#define SRC4 offsetof(struct bpf_sock_addr, msg_src_ip4)
#define SRC6(i) (offsetof(struct bpf_sock_addr, msg_src_ip6) + 4 * (i))

/* Bind the socket (ctx in r6) to a before it connects: port 0, the port
 * is chosen at connect (bpf_bind). An error (already bound) is ignored:
 * the bind hook allowed only the jail's addresses then. */
static void bind_source(struct prog *p, int family, const uint8_t *a)
{
	int len = family == AF_INET ? (int)sizeof(struct sockaddr_in) : (int)sizeof(struct sockaddr_in6);
	int base = -32;

	for (int off = base; off < 0; off += 8)
		emit(p, INSN(BPF_ST | BPF_DW | BPF_MEM, BPF_REG_10, 0, (int16_t)off, 0));
	emit(p, INSN(BPF_ST | BPF_H | BPF_MEM, BPF_REG_10, 0, (int16_t)base, family));
	if (family == AF_INET) {
		emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, BPF_REG_10, 0,
			     (int16_t)(base + offsetof(struct sockaddr_in, sin_addr)), (int32_t)word(a, 0)));
	} else {
		for (int i = 0; i < 4; i++)
			emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, BPF_REG_10, 0,
				     (int16_t)(base + offsetof(struct sockaddr_in6, sin6_addr) + 4 * i),
				     (int32_t)word(a, i)));
	}
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0));
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0));
	emit(p, INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, base));
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, len));
	emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_bind));
}

/* The word i of the netmask of prefix length plen, as word() reads it. */
static uint32_t mask_word(int plen, int i)
{
	uint8_t m[16] = { 0 };

	for (int b = 0; b < plen && b < 128; b++)
		m[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	return word(m, i);
}

/* Source address selection (ip4.saddrsel/ip6.saddrsel): for each address
 * of f with a subnet, whether the destination in r2 (IPv4) or r2..r5
 * (IPv6) is in it; if so, pick(p, that address) and return 1. Falls
 * through when none is (the caller picks the first). r8 spoilt; L_NEXT
 * used. */
static void select_source(struct prog *p, const struct sock_family *f, int family,
			  void (*pick)(struct prog *p, int family, const uint8_t *a))
{
	int words = family == AF_INET ? 1 : 4;

	for (size_t i = 0; i < f->n; i++) {
		if (!f->plen[i])
			continue;
		for (int w = 0; w < words && 32 * w < f->plen[i]; w++) {
			uint32_t m = mask_word(f->plen[i], w);

			emit(p, INSN(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_8, BPF_REG_2 + w, 0, 0));
			emit(p, INSN(BPF_ALU | BPF_AND | BPF_K, BPF_REG_8, 0, 0, (int32_t)m));
			jump(p, BPF_JNE, BPF_REG_8, word(f->addr[i], w) & m, L_NEXT);
		}
		pick(p, family, f->addr[i]);
		ret(p, 1);
		here(p, L_NEXT);
	}
}

/* pick for connect: bind the socket to a. */
static void pick_bind(struct prog *p, int family, const uint8_t *a)
{
	bind_source(p, family, a);
}

/* pick for sendmsg: a as the datagram's source. */
static void pick_src(struct prog *p, int family, const uint8_t *a)
{
	if (family == AF_INET)
		store(p, SRC4, word(a, 0));
	else
		for (int i = 0; i < 4; i++)
			store(p, SRC6(i), word(a, i));
}

/* Jump to label if the IPv4 address in reg is in 127.0.0.0/8 (r8 spoilt). */
static void if_loopback4(struct prog *p, int reg, int label)
{
	emit(p, INSN(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_8, reg, 0, 0));
	emit(p, INSN(BPF_ALU | BPF_AND | BPF_K, BPF_REG_8, 0, 0, (int32_t)net32(0xff000000)));
	jump(p, BPF_JEQ, BPF_REG_8, net32(0x7f000000), label);
}

/* Jump to label if reg (an IPv4 address) is one of f's. */
static void if_listed4(struct prog *p, int reg, const struct sock_family *f, int label)
{
	for (size_t i = 0; i < f->n; i++)
		jump(p, BPF_JEQ, reg, word(f->addr[i], 0), label);
}

/* The IPv4 program of hook for f (LIST). */
static void prog4(struct prog *p, enum hook h, const struct sock_family *f)
{
	uint32_t first = word(f->addr[0], 0);

	load(p, BPF_REG_2, A4);
	if (h == HOOK_BIND) {
		jump(p, BPF_JEQ, BPF_REG_2, 0, L_FIRST);
		if_listed4(p, BPF_REG_2, f, L_OK);
		if_loopback4(p, BPF_REG_2, L_FIRST);
		ret(p, 0);
		here(p, L_FIRST);
		store(p, A4, first);
		here(p, L_OK);
		ret(p, 1);
		return;
	}
	if_loopback4(p, BPF_REG_2, L_FIRST);
	jump_always(p, L_SRC);
	here(p, L_FIRST);
	store(p, A4, first);
	here(p, L_SRC);
	if (h == HOOK_CONNECT) {
		load(p, BPF_REG_2, A4);
		select_source(p, f, AF_INET, pick_bind);
		bind_source(p, AF_INET, f->addr[0]);
		ret(p, 1);
		return;
	}
	load(p, BPF_REG_2, SRC4);
	jump(p, BPF_JEQ, BPF_REG_2, 0, L_PUT);
	if_listed4(p, BPF_REG_2, f, L_OK);
	ret(p, 0);
	here(p, L_PUT);
	load(p, BPF_REG_2, A4);
	select_source(p, f, AF_INET, pick_src);
	store(p, SRC4, first);
	here(p, L_OK);
	ret(p, 1);
}

/* Jump to label if r2..r5 hold a (an IPv6 address); L_NEXT is used. */
static void if_same6(struct prog *p, const uint8_t *a, int label)
{
	for (int i = 0; i < 3; i++)
		jump(p, BPF_JNE, BPF_REG_2 + i, word(a, i), L_NEXT);
	jump(p, BPF_JEQ, BPF_REG_5, word(a, 3), label);
	here(p, L_NEXT);
}

/* Load the IPv6 address at ctx + off(i) into r2..r5. */
static void load6(struct prog *p, bool src)
{
	for (int i = 0; i < 4; i++)
		load(p, BPF_REG_2 + i, src ? SRC6(i) : A6(i));
}

/* The four words at ctx + off(i) = a. */
static void store6(struct prog *p, bool src, const uint8_t *a)
{
	for (int i = 0; i < 4; i++)
		store(p, src ? SRC6(i) : A6(i), word(a, i));
}

/* The IPv6 program of hook (v6 LIST or ANY): v6 for IPv6 addresses, v4
 * for IPv4-mapped ones (::ffff:a.b.c.d, which reach the IPv4 stack). */
static void prog6(struct prog *p, enum hook h, const struct sock_family *v6,
		  const struct sock_family *v4)
{
	static const uint8_t any[16], loop[16] = { [15] = 1 };
	uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff };

	if (v4->mode == SOCK_LIST)
		memcpy(mapped + 12, v4->addr[0], 4);
	load6(p, false);
	if (h != HOOK_SENDMSG) {	/* a mapped send runs the IPv4 program */
		jump(p, BPF_JNE, BPF_REG_2, 0, L_V6);
		jump(p, BPF_JNE, BPF_REG_3, 0, L_V6);
		jump(p, BPF_JNE, BPF_REG_4, net32(0xffff), L_V6);
		if (v4->mode == SOCK_ANY)
			ret(p, 1);
		else if (v4->mode == SOCK_NONE)
			ret(p, 0);
		else if (h == HOOK_BIND) {
			if_listed4(p, BPF_REG_5, v4, L_OK);
			if_loopback4(p, BPF_REG_5, L_FIRST);
			ret(p, 0);
			here(p, L_FIRST);
			store(p, A6(3), word(v4->addr[0], 0));
			here(p, L_OK);
			ret(p, 1);
		} else {
			if_loopback4(p, BPF_REG_5, L_FIRST);
			jump_always(p, L_SRC);
			here(p, L_FIRST);
			store(p, A6(3), word(v4->addr[0], 0));
			here(p, L_SRC);
			bind_source(p, AF_INET6, mapped);
			ret(p, 1);
		}
		here(p, L_V6);
	}
	if (v6->mode == SOCK_ANY) {
		ret(p, 1);
		return;
	}
	if (h == HOOK_BIND) {
		if_same6(p, any, L_FIRST);
		for (size_t i = 0; i < v6->n; i++)
			if_same6(p, v6->addr[i], L_OK);
		if_same6(p, loop, L_FIRST);
		ret(p, 0);
		here(p, L_FIRST);
		store6(p, false, v6->addr[0]);
		here(p, L_OK);
		ret(p, 1);
		return;
	}
	if_same6(p, loop, L_FIRST);
	jump_always(p, L_SRC);
	here(p, L_FIRST);
	store6(p, false, v6->addr[0]);
	here(p, L_SRC);
	if (h == HOOK_CONNECT) {
		load6(p, false);
		select_source(p, v6, AF_INET6, pick_bind);
		bind_source(p, AF_INET6, v6->addr[0]);
		ret(p, 1);
		return;
	}
	load6(p, true);
	if_same6(p, any, L_PUT);
	for (size_t i = 0; i < v6->n; i++)
		if_same6(p, v6->addr[i], L_OK);
	ret(p, 0);
	here(p, L_PUT);
	load6(p, false);
	select_source(p, v6, AF_INET6, pick_src);
	store6(p, true, v6->addr[0]);
	here(p, L_OK);
	ret(p, 1);
}

/* The socket() program: a family the jail may not use has no sockets
 * (EPERM; FreeBSD says EAFNOSUPPORT), so programs of that family are not
 * needed, and a dual-stack daemon falls back to the family it has. */
static int attach_create(int cg, const char *dir, const struct sock_policy *pol, struct brig_err *e)
{
	struct prog p = { .n = 0 };

	emit(&p, INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, offsetof(struct bpf_sock, family), 0));
	if (pol->v4.mode == SOCK_NONE)
		jump(&p, BPF_JEQ, BPF_REG_2, AF_INET, L_FIRST);
	if (pol->v6.mode == SOCK_NONE)
		jump(&p, BPF_JEQ, BPF_REG_2, AF_INET6, L_FIRST);
	ret(&p, 1);
	here(&p, L_FIRST);
	ret(&p, 0);
	return bpf_cg_attach(cg, dir, BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, p.v,
			   prog_end(&p), "socket", e);
}

/* The egress program: a packet whose source is not one of the jail's
 * addresses (of a family held to them) is dropped, unless it comes from a
 * TCP or UDP socket: their source is the socket's address, which the
 * bind, connect and sendmsg programs hold to the jail's, and the header
 * may differ from it only by NAT, done before this program runs (after
 * postrouting): an rdr's reply un-DNATed to the host's address, what a
 * nat bridge masquerades. Raw sockets (which write any header), ping
 * sockets and the rest are checked. */
static int attach_egress(int cg, const char *dir, const struct sock_policy *pol, struct brig_err *e)
{
	cleanup_free struct prog *p = xcalloc(1, sizeof(*p));
	const struct sock_family *fam[2] = { &pol->v4, &pol->v6 };
	static const int proto[2] = { ETH_P_IP, ETH_P_IPV6 };
	static const int off[2] = { 12, 8 };	/* the source in the IPv4, IPv6 header */

	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0));
	/* r0 = bpf_sk_fullsock(skb->sk); its type and protocol */
	emit(p, INSN(BPF_LDX | BPF_DW | BPF_MEM, BPF_REG_1, BPF_REG_6, offsetof(struct __sk_buff, sk), 0));
	jump_null(p, BPF_REG_1, L_HDR);
	emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_sk_fullsock));
	jump_null(p, BPF_REG_0, L_HDR);
	emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_0, offsetof(struct bpf_sock, type), 0));
	emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_3, BPF_REG_0, offsetof(struct bpf_sock, protocol), 0));
	jump(p, BPF_JNE, BPF_REG_2, SOCK_STREAM, L_DGRAM);
	jump(p, BPF_JNE, BPF_REG_3, IPPROTO_TCP, L_HDR);
	ret(p, 1);
	here(p, L_DGRAM);
	jump(p, BPF_JNE, BPF_REG_2, SOCK_DGRAM, L_HDR);
	jump(p, BPF_JNE, BPF_REG_3, IPPROTO_UDP, L_HDR);
	ret(p, 1);
	here(p, L_HDR);
	emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_7, BPF_REG_6, offsetof(struct __sk_buff, protocol), 0));
	for (int f = 0; f < 2; f++) {
		const struct sock_family *sf = fam[f];

		/* (not L_NEXT: if_same6 places that one) */
		jump(p, BPF_JNE, BPF_REG_7, htons((uint16_t)proto[f]), L_FAMILY);
		if (sf->mode != SOCK_LIST) {
			ret(p, sf->mode == SOCK_ANY);
			here(p, L_FAMILY);
			continue;
		}
		/* bpf_skb_load_bytes(skb, off, fp - 16, len) */
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0));
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, off[f]));
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0));
		emit(p, INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, -16));
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, f ? 16 : 4));
		emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_load_bytes));
		jump(p, BPF_JNE, BPF_REG_0, 0, L_FIRST);
		for (int w = 0; w < (f ? 4 : 1); w++)
			emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2 + w, BPF_REG_10, (int16_t)(-16 + 4 * w), 0));
		for (size_t i = 0; i < sf->n; i++) {
			if (f)
				if_same6(p, sf->addr[i], L_OK);
			else
				jump(p, BPF_JEQ, BPF_REG_2, word(sf->addr[i], 0), L_OK);
		}
		here(p, L_FIRST);
		ret(p, 0);
		here(p, L_OK);
		ret(p, 1);
		here(p, L_FAMILY);
	}
	ret(p, 1);
	return bpf_cg_attach(cg, dir, BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, p->v, prog_end(p),
			   "egress", e);
}

/* Load and attach one sock_addr program to the group cg. */
static int attach(int cg, const char *dir, enum bpf_attach_type type, enum hook h,
		  const struct sock_policy *pol, bool v6, struct brig_err *e)
{
	static const char *const names[2][3] = { { "bind4", "connect4", "sendmsg4" },
						 { "bind6", "connect6", "sendmsg6" } };
	cleanup_free struct prog *p = xcalloc(1, sizeof(*p));

	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0));
	if (v6)
		prog6(p, h, &pol->v6, &pol->v4);
	else
		prog4(p, h, &pol->v4);
	return bpf_cg_attach(cg, dir, BPF_PROG_TYPE_CGROUP_SOCK_ADDR, type, p->v, prog_end(p),
			   names[v6][h], e);
}

int sockaddr_limit(char *const *dirs, size_t n, const struct sock_policy *p, struct brig_err *e)
{
	static const struct {
		enum bpf_attach_type type;
		enum hook hook;
		bool v6;
	} hooks[] = {
		{ BPF_CGROUP_INET4_BIND, HOOK_BIND, false },
		{ BPF_CGROUP_INET4_CONNECT, HOOK_CONNECT, false },
		{ BPF_CGROUP_UDP4_SENDMSG, HOOK_SENDMSG, false },
		{ BPF_CGROUP_INET6_BIND, HOOK_BIND, true },
		{ BPF_CGROUP_INET6_CONNECT, HOOK_CONNECT, true },
		{ BPF_CGROUP_UDP6_SENDMSG, HOOK_SENDMSG, true },
	};
	/* IPv4 programs for its own IPv4 addresses; IPv6 ones for its
	 * IPv6 addresses, or for IPv4-mapped ones when IPv6 is the host's
	 * and IPv4 is not. A family it may not use has no sockets. */
	bool need4 = p->v4.mode == SOCK_LIST;
	bool need6 = p->v6.mode == SOCK_LIST || (p->v6.mode == SOCK_ANY && p->v4.mode != SOCK_ANY);
	const char *dir = NULL;
	cleanup_close int cg = -1;

	if (p->v4.mode == SOCK_ANY && p->v6.mode == SOCK_ANY)
		return 0;
	for (size_t i = 0; i < n && !dir; i++) {
		struct statfs sf;

		if (statfs(dirs[i], &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
			dir = dirs[i];
	}
	if (!dir)
		return brig_err_set(e, 0, "no cgroup v2 tree on this host: a jail sharing the host's "
				    "network needs one (its addresses are enforced there)");
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		return brig_err_set(e, errno, "%s", dir);
	if ((p->v4.mode == SOCK_NONE || p->v6.mode == SOCK_NONE) && attach_create(cg, dir, p, e) < 0)
		return -1;
	if (p->raw && attach_egress(cg, dir, p, e) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(hooks); i++)
		if ((hooks[i].v6 ? need6 : need4) &&
		    /* a mapped send runs the IPv4 program */
		    !(hooks[i].v6 && hooks[i].hook == HOOK_SENDMSG && p->v6.mode == SOCK_ANY) &&
		    attach(cg, dir, hooks[i].type, hooks[i].hook, p, hooks[i].v6, e) < 0)
			return -1;
	return 0;
}
