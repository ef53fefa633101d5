/* The programs of a shared-IP jail (sys/sockaddr.h says what they
 * enforce), the same for every jail: each reads the policy of the group it
 * is attached to (struct sock_value) from a cgroup storage map. */
#ifndef BRIG_SYS_SOCKPROG_H
#define BRIG_SYS_SOCKPROG_H

#include <linux/bpf.h>
#include <stddef.h>

enum sock_prog {
	SP_BIND4,
	SP_CONNECT4,
	SP_SENDMSG4,
	SP_BIND6,
	SP_CONNECT6,
	SP_SENDMSG6,
	SP_SOCKET,	/* a family the jail may not use has no sockets */
	SP_EGRESS,	/* allow.raw_sockets: a packet's source */
	SP_N
};

struct sock_prog_info {
	const char *name;
	enum bpf_prog_type ptype;
	enum bpf_attach_type type;
};
extern const struct sock_prog_info sock_progs[SP_N];

/* Program which, reading the policy from the cgroup storage map map_fd,
 * into insns[0..max); its length (0: longer than max). */
size_t sock_prog(enum sock_prog which, int map_fd, struct bpf_insn *insns, size_t max);

#endif
