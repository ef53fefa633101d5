/* The default system call filter of every process in a jail. */
#ifndef BRIG_SYS_SECCOMP_H
#define BRIG_SYS_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* A compiled filter: classic BPF instructions (struct sock_filter). */
struct seccomp_prog {
	const void *bpf;
	size_t len;		/* bytes */
};

/* The filter for a jail whose bounding set is caps: with CAP_SYS_TIME
 * (allow.settime) the clock calls, with CAP_SYS_ADMIN (a jail in a user
 * namespace of its own) the mount and namespace calls; socket_af
 * (allow.socket_af): every socket family; with CAP_NET_RAW
 * (allow.raw_sockets) raw IP and packet sockets, else they are refused
 * (EPERM) even where the kernel would allow them (the root of a vnet jail
 * holds CAP_NET_RAW over its own network namespace). Compiled when brig
 * was built (src/gen/seccomp.c holds the policy), so this costs nothing. */
const struct seccomp_prog *seccomp_jail_filter(uint64_t caps, bool socket_af);
/* Load p into the calling thread (inherited by children, kept across
 * execve). The caller must still have CAP_SYS_ADMIN: brig does not set
 * no_new_privs, so that set-uid programs in a jail (su, ping) keep
 * working as on a small host. */
int seccomp_prog_load(const struct seccomp_prog *p, struct brig_err *e);

/* What src/gen/seccomp.c writes and sys/seccomp.c embeds: a head, then
 * the programs, one per variant (the OR of SECCOMP_V_*). */
#define SECCOMP_V_SETTIME 1u
#define SECCOMP_V_ADMIN 2u
#define SECCOMP_V_SOCKET_AF 4u
#define SECCOMP_V_RAW 8u
#define SECCOMP_VARIANTS 16u
#define SECCOMP_BLOB_MAGIC 0x43534742u	/* "BGSC" */
struct seccomp_blob_head {
	uint32_t magic;
	uint32_t count;		/* SECCOMP_VARIANTS */
	struct {
		uint32_t offset;	/* bytes from the head's start */
		uint32_t count;		/* instructions */
	} prog[SECCOMP_VARIANTS];
};

#endif
