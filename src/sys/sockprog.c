/* The shared-IP programs, written as BPF instructions (see sockprog.h). */
#include "sys/sockprog.h"

#include <linux/if_ether.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "sys/sockaddr.h"
#include "util/mem.h"

/* A program being written: instructions, and jumps to labels to patch. */
struct prog {
	struct bpf_insn *v;
	size_t n, max;
	struct {
		size_t at;
		int label;
	} fix[8 * SOCK_ADDRS_MAX + 32];
	size_t nfix;
	bool full;
};

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

static void emit(struct prog *p, struct bpf_insn i)
{
	if (p->n == p->max) {
		p->full = true;
		return;
	}
	p->v[p->n++] = i;
}

/* Emit the jump i, to label (its offset set when the label is placed). */
static void jump_to(struct prog *p, struct bpf_insn i, int label)
{
	if (p->nfix == ARRAY_SIZE(p->fix)) {
		p->full = true;
		return;
	}
	p->fix[p->nfix].at = p->n;
	p->fix[p->nfix++].label = label;
	emit(p, i);
}

/* A 32-bit comparison of reg with imm (JMP32: no sign extension) that
 * jumps to label. */
static void jump(struct prog *p, int op, int reg, uint32_t imm, int label)
{
	jump_to(p, INSN(BPF_JMP32 | op | BPF_K, reg, 0, 0, (int32_t)imm), label);
}

/* A 32-bit comparison of reg with src that jumps to label. */
static void jump_x(struct prog *p, int op, int reg, int src, int label)
{
	jump_to(p, INSN(BPF_JMP32 | op | BPF_X, reg, src, 0, 0), label);
}

/* Jump to label if reg (a pointer, compared as 64 bits) is NULL. */
static void jump_null(struct prog *p, int reg, int label)
{
	jump_to(p, INSN(BPF_JMP | BPF_JEQ | BPF_K, reg, 0, 0, 0), label);
}

static void jump_always(struct prog *p, int label)
{
	jump_to(p, INSN(BPF_JMP | BPF_JA, 0, 0, 0, 0), label);
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

enum { L_OK, L_FIRST, L_NEXT, L_V6, L_SRC, L_PUT, L_FAMILY, L_HDR, L_DGRAM, L_DENY, L_ALLOW };

static void ret(struct prog *p, int v)
{
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, v));
	emit(p, INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* Whether a jump to label waits for it. */
static bool pending(const struct prog *p, int label)
{
	for (size_t i = 0; i < p->nfix; i++)
		if (p->fix[i].label == label)
			return true;
	return false;
}

/* The number of instructions; 0 if too many (or a jump went nowhere). */
static size_t prog_end(const struct prog *p)
{
	return p->full || p->nfix ? 0 : p->n;
}

static uint32_t net32(uint32_t host)
{
	return htonl(host);
}

/* Where a word of the policy is in struct sock_value. */
static int16_t v_fam(bool v6, size_t field)
{
	return (int16_t)((v6 ? offsetof(struct sock_value, v6) : offsetof(struct sock_value, v4)) + field);
}
#define V_MODE(v6) v_fam(v6, offsetof(struct sock_value_family, mode))
#define V_ADDR(v6, i, w) v_fam(v6, offsetof(struct sock_value_family, addr) + 16 * (i) + 4 * (w))
#define V_MASK(v6, i, w) v_fam(v6, offsetof(struct sock_value_family, mask) + 16 * (i) + 4 * (w))
#define V_NET(v6, i, w) v_fam(v6, offsetof(struct sock_value_family, net) + 16 * (i) + 4 * (w))

/* reg = the policy's word at off (the value in r7). */
static void val(struct prog *p, int reg, int16_t off)
{
	emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, reg, BPF_REG_7, off, 0));
}

/* Jump to label if reg op the policy's word at off (r9 spoilt). */
static void jump_val(struct prog *p, int op, int reg, int16_t off, int label)
{
	val(p, BPF_REG_9, off);
	jump_x(p, op, reg, BPF_REG_9, label);
}

/* Jump to label if the family's mode is mode (r9 spoilt). */
static void if_mode(struct prog *p, bool v6, enum sock_mode mode, int label)
{
	val(p, BPF_REG_9, V_MODE(v6));
	jump(p, BPF_JEQ, BPF_REG_9, (uint32_t)mode, label);
}

/* inherit: allowed; disable: denied (at the end of every program). */
static void by_mode(struct prog *p, bool v6)
{
	if_mode(p, v6, SOCK_ANY, L_ALLOW);
	if_mode(p, v6, SOCK_NONE, L_DENY);
}

/* reg = the 32-bit word at ctx + off (ctx in r6). */
static void load(struct prog *p, int reg, size_t off)
{
	emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, reg, BPF_REG_6, (int16_t)off, 0));
}

/* The 32-bit word at ctx + off = the policy's word at voff (r9 spoilt). */
static void store_val(struct prog *p, size_t off, int16_t voff)
{
	val(p, BPF_REG_9, voff);
	emit(p, INSN(BPF_STX | BPF_W | BPF_MEM, BPF_REG_6, BPF_REG_9, (int16_t)off, 0));
}

/* Every program starts here: ctx in r6, the policy of the group it is
 * attached to in r7 (bpf_get_local_storage: never NULL for a program
 * attached to a group); a policy never written (zero) denies. */
static void start(struct prog *p, int map_fd)
{
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0));
	emit(p, INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_1, BPF_PSEUDO_MAP_FD, 0, map_fd));
	emit(p, INSN(0, 0, 0, 0, 0));
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 0));
	emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_local_storage));
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0));
	val(p, BPF_REG_2, offsetof(struct sock_value, magic));
	jump(p, BPF_JNE, BPF_REG_2, SOCK_VALUE_MAGIC, L_DENY);
}

/* Every program ends here: where L_DENY and L_ALLOW jump to. */
static void finish(struct prog *p)
{
	if (pending(p, L_DENY)) {
		here(p, L_DENY);
		ret(p, 0);
	}
	if (pending(p, L_ALLOW)) {
		here(p, L_ALLOW);
		ret(p, 1);
	}
}

enum hook { HOOK_BIND, HOOK_CONNECT, HOOK_SENDMSG };

#define A4 offsetof(struct bpf_sock_addr, user_ip4)
#define A6(i) (offsetof(struct bpf_sock_addr, user_ip6) + 4 * (i))
#define SRC4 offsetof(struct bpf_sock_addr, msg_src_ip4)
#define SRC6(i) (offsetof(struct bpf_sock_addr, msg_src_ip6) + 4 * (i))

/* Bind the socket (ctx in r6) to the policy's address at voff (IPv4: one
 * word; IPv6: four; mapped: ::ffff: and the IPv4 word at voff) before it
 * connects: port 0, the port is chosen at connect (bpf_bind). An error
 * (already bound) is ignored: the bind hook allowed only the jail's
 * addresses then. r9 spoilt. */
static void bind_source(struct prog *p, int family, int16_t voff, bool mapped)
{
	int len = family == AF_INET ? (int)sizeof(struct sockaddr_in) : (int)sizeof(struct sockaddr_in6);
	int base = -32;
	int16_t at = (int16_t)(base + (family == AF_INET ? offsetof(struct sockaddr_in, sin_addr)
						      : offsetof(struct sockaddr_in6, sin6_addr)));
	int words = family == AF_INET || mapped ? 1 : 4;

	for (int off = base; off < 0; off += 8)
		emit(p, INSN(BPF_ST | BPF_DW | BPF_MEM, BPF_REG_10, 0, (int16_t)off, 0));
	emit(p, INSN(BPF_ST | BPF_H | BPF_MEM, BPF_REG_10, 0, (int16_t)base, family));
	if (mapped) {
		emit(p, INSN(BPF_ST | BPF_W | BPF_MEM, BPF_REG_10, 0, (int16_t)(at + 8), (int32_t)net32(0xffff)));
		at = (int16_t)(at + 12);
	}
	for (int w = 0; w < words; w++) {
		val(p, BPF_REG_9, (int16_t)(voff + 4 * w));
		emit(p, INSN(BPF_STX | BPF_W | BPF_MEM, BPF_REG_10, BPF_REG_9, (int16_t)(at + 4 * w), 0));
	}
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0));
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0));
	emit(p, INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, base));
	emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, len));
	emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_bind));
}

/* Source address selection (ip4.saddrsel/ip6.saddrsel): for each address
 * slot, whether the destination in r2 (IPv4) or r2..r5 (IPv6) is in its
 * subnet (a slot without one matches nothing); if so, pick(p, v6, slot)
 * and return 1. Falls through when none is (the caller picks the
 * first). r8, r9 spoilt; L_NEXT used. */
static void select_source(struct prog *p, bool v6, void (*pick)(struct prog *p, bool v6, int i))
{
	for (int i = 0; i < SOCK_ADDRS_MAX; i++) {
		for (int w = 0; w < (v6 ? 4 : 1); w++) {
			emit(p, INSN(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_8, BPF_REG_2 + w, 0, 0));
			val(p, BPF_REG_9, V_MASK(v6, i, w));
			emit(p, INSN(BPF_ALU | BPF_AND | BPF_X, BPF_REG_8, BPF_REG_9, 0, 0));
			jump_val(p, BPF_JNE, BPF_REG_8, V_NET(v6, i, w), L_NEXT);
		}
		pick(p, v6, i);
		ret(p, 1);
		here(p, L_NEXT);
	}
}

/* Jump to L_ALLOW if the socket (ctx in r6) has a source address
 * already: the jail's bind program let only its addresses through, and a
 * child jail's connect program (which runs before its parent's) bound it
 * to one of the child's, which are the parent's too; bound again here, a
 * child's connection would leave from its parent's first address. IPv6
 * (v6): the four words, an IPv4-mapped one included. r8, r9 spoilt. */
static void if_bound(struct prog *p, bool v6)
{
	emit(p, INSN(BPF_LDX | BPF_DW | BPF_MEM, BPF_REG_8, BPF_REG_6,
		     (int16_t)offsetof(struct bpf_sock_addr, sk), 0));
	for (int w = 0; w < (v6 ? 4 : 1); w++) {
		emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_9, BPF_REG_8,
			     (int16_t)(v6 ? offsetof(struct bpf_sock, src_ip6) + 4 * (size_t)w
					  : offsetof(struct bpf_sock, src_ip4)), 0));
		jump(p, BPF_JNE, BPF_REG_9, 0, L_ALLOW);
	}
}

/* pick for connect: bind the socket to address i. */
static void pick_bind(struct prog *p, bool v6, int i)
{
	bind_source(p, v6 ? AF_INET6 : AF_INET, V_ADDR(v6, i, 0), false);
}

/* pick for sendmsg: address i as the datagram's source. */
static void pick_src(struct prog *p, bool v6, int i)
{
	if (!v6)
		store_val(p, SRC4, V_ADDR(false, i, 0));
	else
		for (int w = 0; w < 4; w++)
			store_val(p, SRC6(w), V_ADDR(true, i, w));
}

/* Jump to label if the IPv4 address in reg is in 127.0.0.0/8 (r8 spoilt). */
static void if_loopback4(struct prog *p, int reg, int label)
{
	emit(p, INSN(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_8, reg, 0, 0));
	emit(p, INSN(BPF_ALU | BPF_AND | BPF_K, BPF_REG_8, 0, 0, (int32_t)net32(0xff000000)));
	jump(p, BPF_JEQ, BPF_REG_8, net32(0x7f000000), label);
}

/* Jump to label if reg (an IPv4 address) is one of the jail's (r9 spoilt). */
static void if_listed4(struct prog *p, int reg, int label)
{
	for (int i = 0; i < SOCK_ADDRS_MAX; i++)
		jump_val(p, BPF_JEQ, reg, V_ADDR(false, i, 0), label);
}

/* The IPv4 program of hook. */
static void prog4(struct prog *p, enum hook h)
{
	by_mode(p, false);
	load(p, BPF_REG_2, A4);
	if (h == HOOK_BIND) {
		jump(p, BPF_JEQ, BPF_REG_2, 0, L_FIRST);
		if_listed4(p, BPF_REG_2, L_OK);
		if_loopback4(p, BPF_REG_2, L_FIRST);
		ret(p, 0);
		here(p, L_FIRST);
		store_val(p, A4, V_ADDR(false, 0, 0));
		here(p, L_OK);
		ret(p, 1);
		return;
	}
	if_loopback4(p, BPF_REG_2, L_FIRST);
	jump_always(p, L_SRC);
	here(p, L_FIRST);
	store_val(p, A4, V_ADDR(false, 0, 0));
	here(p, L_SRC);
	if (h == HOOK_CONNECT) {
		if_bound(p, false);
		load(p, BPF_REG_2, A4);
		select_source(p, false, pick_bind);
		pick_bind(p, false, 0);
		ret(p, 1);
		return;
	}
	load(p, BPF_REG_2, SRC4);
	jump(p, BPF_JEQ, BPF_REG_2, 0, L_PUT);
	if_listed4(p, BPF_REG_2, L_OK);
	ret(p, 0);
	here(p, L_PUT);
	load(p, BPF_REG_2, A4);
	select_source(p, false, pick_src);
	pick_src(p, false, 0);
	here(p, L_OK);
	ret(p, 1);
}

/* Jump to label if r2..r5 hold a (an IPv6 address); L_NEXT is used. */
static void if_same6(struct prog *p, const uint8_t *a, int label)
{
	uint32_t w[4];

	memcpy(w, a, sizeof(w));
	for (int i = 0; i < 3; i++)
		jump(p, BPF_JNE, BPF_REG_2 + i, w[i], L_NEXT);
	jump(p, BPF_JEQ, BPF_REG_5, w[3], label);
	here(p, L_NEXT);
}

/* Jump to label if r2..r5 hold the jail's IPv6 address in slot i; L_NEXT
 * is used, r9 spoilt. */
static void if_slot6(struct prog *p, int i, int label)
{
	for (int w = 0; w < 3; w++)
		jump_val(p, BPF_JNE, BPF_REG_2 + w, V_ADDR(true, i, w), L_NEXT);
	jump_val(p, BPF_JEQ, BPF_REG_5, V_ADDR(true, i, 3), label);
	here(p, L_NEXT);
}

/* Load the IPv6 address at ctx + off(i) into r2..r5. */
static void load6(struct prog *p, bool src)
{
	for (int i = 0; i < 4; i++)
		load(p, BPF_REG_2 + i, src ? SRC6(i) : A6(i));
}

/* The four words at ctx + off(i) = the jail's first IPv6 address. */
static void store6(struct prog *p, bool src)
{
	for (int i = 0; i < 4; i++)
		store_val(p, src ? SRC6(i) : A6(i), V_ADDR(true, 0, i));
}

/* The IPv6 program of hook: the IPv6 policy for IPv6 addresses, the IPv4
 * one for IPv4-mapped ones (::ffff:a.b.c.d, which reach the IPv4 stack). */
static void prog6(struct prog *p, enum hook h)
{
	static const uint8_t any[16], loop[16] = { [15] = 1 };

	load6(p, false);
	if (h != HOOK_SENDMSG) {	/* a mapped send runs the IPv4 program */
		jump(p, BPF_JNE, BPF_REG_2, 0, L_V6);
		jump(p, BPF_JNE, BPF_REG_3, 0, L_V6);
		jump(p, BPF_JNE, BPF_REG_4, net32(0xffff), L_V6);
		by_mode(p, false);
		if (h == HOOK_BIND) {
			if_listed4(p, BPF_REG_5, L_OK);
			if_loopback4(p, BPF_REG_5, L_FIRST);
			ret(p, 0);
			here(p, L_FIRST);
			store_val(p, A6(3), V_ADDR(false, 0, 0));
			here(p, L_OK);
			ret(p, 1);
		} else {
			if_loopback4(p, BPF_REG_5, L_FIRST);
			jump_always(p, L_SRC);
			here(p, L_FIRST);
			store_val(p, A6(3), V_ADDR(false, 0, 0));
			here(p, L_SRC);
			if_bound(p, true);
			bind_source(p, AF_INET6, V_ADDR(false, 0, 0), true);
			ret(p, 1);
		}
		here(p, L_V6);
	}
	by_mode(p, true);
	if (h == HOOK_BIND) {
		if_same6(p, any, L_FIRST);
		for (int i = 0; i < SOCK_ADDRS_MAX; i++)
			if_slot6(p, i, L_OK);
		if_same6(p, loop, L_FIRST);
		ret(p, 0);
		here(p, L_FIRST);
		store6(p, false);
		here(p, L_OK);
		ret(p, 1);
		return;
	}
	if_same6(p, loop, L_FIRST);
	jump_always(p, L_SRC);
	here(p, L_FIRST);
	store6(p, false);
	here(p, L_SRC);
	if (h == HOOK_CONNECT) {
		if_bound(p, true);
		load6(p, false);
		select_source(p, true, pick_bind);
		pick_bind(p, true, 0);
		ret(p, 1);
		return;
	}
	load6(p, true);
	if_same6(p, any, L_PUT);
	for (int i = 0; i < SOCK_ADDRS_MAX; i++)
		if_slot6(p, i, L_OK);
	ret(p, 0);
	here(p, L_PUT);
	load6(p, false);
	select_source(p, true, pick_src);
	store6(p, true);
	here(p, L_OK);
	ret(p, 1);
}

/* The socket() program: a family the jail may not use has no sockets
 * (EPERM; FreeBSD says EAFNOSUPPORT), so programs of that family are not
 * needed, and a dual-stack daemon falls back to the family it has. */
static void prog_create(struct prog *p)
{
	load(p, BPF_REG_2, offsetof(struct bpf_sock, family));
	jump(p, BPF_JNE, BPF_REG_2, AF_INET, L_NEXT);
	if_mode(p, false, SOCK_NONE, L_DENY);
	here(p, L_NEXT);
	jump(p, BPF_JNE, BPF_REG_2, AF_INET6, L_NEXT);
	if_mode(p, true, SOCK_NONE, L_DENY);
	here(p, L_NEXT);
	ret(p, 1);
}

/* The egress program: a packet whose source is not one of the jail's
 * addresses (of a family held to them) is dropped, unless it comes from a
 * TCP or UDP socket: their source is the socket's address, which the
 * bind, connect and sendmsg programs hold to the jail's, and the header
 * may differ from it only by NAT, done before this program runs (after
 * postrouting): an rdr's reply un-DNATed to the host's address, what a
 * nat bridge masquerades. Raw sockets (which write any header), ping
 * sockets and the rest are checked. */
static void prog_egress(struct prog *p)
{
	static const int proto[2] = { ETH_P_IP, ETH_P_IPV6 };
	static const int off[2] = { 12, 8 };	/* the source in the IPv4, IPv6 header */

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
	emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_8, BPF_REG_6, offsetof(struct __sk_buff, protocol), 0));
	for (int f = 0; f < 2; f++) {
		/* (not L_NEXT: if_slot6 places that one) */
		jump(p, BPF_JNE, BPF_REG_8, htons((uint16_t)proto[f]), L_FAMILY);
		by_mode(p, f);
		/* bpf_skb_load_bytes(skb, off, fp - 16, len) */
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0));
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, off[f]));
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_10, 0, 0));
		emit(p, INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, -16));
		emit(p, INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, f ? 16 : 4));
		emit(p, INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_skb_load_bytes));
		jump(p, BPF_JNE, BPF_REG_0, 0, L_DENY);
		for (int w = 0; w < (f ? 4 : 1); w++)
			emit(p, INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2 + w, BPF_REG_10, (int16_t)(-16 + 4 * w), 0));
		for (int i = 0; i < SOCK_ADDRS_MAX; i++) {
			if (f)
				if_slot6(p, i, L_OK);
			else
				jump_val(p, BPF_JEQ, BPF_REG_2, V_ADDR(false, i, 0), L_OK);
		}
		ret(p, 0);
		here(p, L_OK);
		ret(p, 1);
		here(p, L_FAMILY);
	}
	ret(p, 1);
}

const struct sock_prog_info sock_progs[SP_N] = {
	[SP_BIND4] = { "bind4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND },
	[SP_CONNECT4] = { "connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT },
	[SP_SENDMSG4] = { "sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG },
	[SP_BIND6] = { "bind6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND },
	[SP_CONNECT6] = { "connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT },
	[SP_SENDMSG6] = { "sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG },
	[SP_SOCKET] = { "socket", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE },
	[SP_EGRESS] = { "egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS },
};

size_t sock_prog(enum sock_prog which, int map_fd, struct bpf_insn *insns, size_t max)
{
	struct prog p = { .v = insns, .max = max };

	start(&p, map_fd);
	switch (which) {
	case SP_BIND4:
	case SP_CONNECT4:
	case SP_SENDMSG4:
		prog4(&p, (enum hook)(which - SP_BIND4));
		break;
	case SP_BIND6:
	case SP_CONNECT6:
	case SP_SENDMSG6:
		prog6(&p, (enum hook)(which - SP_BIND6));
		break;
	case SP_SOCKET:
		prog_create(&p);
		break;
	case SP_EGRESS:
		prog_egress(&p);
		break;
	case SP_N:
	default:
		return 0;
	}
	finish(&p);
	return prog_end(&p);
}
