/* The addresses a shared-IP jail's sockets may use, enforced by the kernel
 * on the jail's cgroup v2 group, as FreeBSD's prison_check_ip4/6 do.
 *
 * A shared-IP jail runs on the host's network stack (as on FreeBSD, one
 * stack). BPF_PROG_TYPE_CGROUP_SOCK_ADDR programs attached to its group
 * see every bind, connect and unconnected send of its processes:
 *   bind     to one of its addresses: as asked; to the wildcard or to
 *            loopback: to its first address of the family; else EPERM
 *   connect  to loopback: to its first address instead; and the socket
 *            is bound to one of its addresses first (bpf_bind), so what
 *            leaves never carries the host's address: the one whose
 *            subnet holds the destination (saddrsel), else its first
 *   sendmsg  (UDP without connect) the same for the destination; a
 *            source given must be one of its addresses, none: as connect
 * A family the jail may not use (ip4/ip6 = disable, or no address of it)
 * has no sockets (EPERM); one it inherits (ip4/ip6 = inherit) is left
 * alone. With raw sockets (allow.raw_sockets), which no hook above sees,
 * a BPF_CGROUP_INET_EGRESS program drops every packet of the jail whose
 * source is not one of its addresses.
 *
 * The programs are the same for every jail: each reads the jail's policy
 * (struct sock_value) from the cgroup storage of the group it is attached
 * to (BPF_MAP_TYPE_CGROUP_STORAGE, keyed by the group's id: one value per
 * group, shared by its programs). They are loaded once, by the first
 * start, and pinned in a bpffs that brig mounts at RUNDIR/.bpf; a start
 * attaches them to the jail's group, which makes the group's storage
 * (zeroed), and writes the jail's policy into it. A storage without the
 * policy (zero) denies every call and drops every packet: fail-closed.
 * The storage goes with the group, as the attachments do: nothing to
 * record or remove. A child jail's group, below its parent's, runs its
 * parent's programs with its parent's storage, and its own with its own,
 * as FreeBSD holds a child to its parent's addresses too. */
#ifndef BRIG_SYS_SOCKADDR_H
#define BRIG_SYS_SOCKADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define SOCK_ADDRS_MAX 16

/* What a jail may do with one address family. */
enum sock_mode {
	SOCK_ANY,	/* inherit: the host's addresses, unrestricted */
	SOCK_NONE,	/* disable: no socket of the family may bind, connect or send */
	SOCK_LIST,	/* new: only the addresses listed, the first the default */
};

struct sock_family {
	enum sock_mode mode;
	size_t n;
	uint8_t addr[SOCK_ADDRS_MAX][16];	/* network order; IPv4: 4 bytes */
	/* ip4.saddrsel/ip6.saddrsel: the subnet of each address (its prefix
	 * length; 0: none). A connect or send to a destination in the subnet
	 * of address i leaves from address i; to any other, from the first.
	 * All 0 (saddrsel = 0): always from the first. */
	uint8_t plen[SOCK_ADDRS_MAX];
};

struct sock_policy {
	struct sock_family v4, v6;
	bool raw;		/* raw sockets allowed: check every packet's source */
};

/* The policy as the programs read it: 32-bit words, addresses as the
 * kernel loads them from a struct bpf_sock_addr (network order in
 * memory). */
#define SOCK_VALUE_MAGIC 0x67697262u	/* "brig": written; 0: deny */
struct sock_value_family {
	uint32_t mode;				/* enum sock_mode */
	/* The addresses (IPv4: word 0); the slots after the last hold the
	 * first again, so a program compares all of them. */
	uint32_t addr[SOCK_ADDRS_MAX][4];
	/* saddrsel: the netmask of each address's subnet and the subnet
	 * (addr & mask); a slot without one: mask 0, net word 0 all ones,
	 * which no destination matches. */
	uint32_t mask[SOCK_ADDRS_MAX][4];
	uint32_t net[SOCK_ADDRS_MAX][4];
};
struct sock_value {
	uint32_t magic;				/* SOCK_VALUE_MAGIC */
	uint32_t raw;
	struct sock_value_family v4, v6;
};

/* p as the programs read it. */
void sockaddr_value(const struct sock_policy *p, struct sock_value *v);

/* Attach the programs p needs to the first cgroup v2 directory of dirs
 * (loading and pinning them first if this is the first start since the
 * host booted, or since this brig's programs changed), and write p into
 * the group's storage. Nothing to do when both families are SOCK_ANY. */
int sockaddr_limit(char *const *dirs, size_t n, const struct sock_policy *p, struct brig_err *e);

/* Whether the group at dir has its policy written (1), or none, or a
 * zero one, which denies every call (0), in the map of this brig's
 * programs; -1 with e set if that cannot be told (no such map pinned: a
 * brig with other programs started the jail). Changes nothing. */
int sockaddr_written(const char *dir, struct brig_err *e);

#endif
