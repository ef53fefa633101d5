/* The default system call filter of every process in a jail. */
#ifndef BRIG_SYS_SECCOMP_H
#define BRIG_SYS_SECCOMP_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* A compiled filter: classic BPF instructions (struct sock_filter). */
struct seccomp_prog {
	const void *bpf;
	size_t len;		/* bytes */
};

/* The filter for a jail whose bounding set is caps (a jail granted
 * CAP_SYS_TIME by allow.settime may also use the clock system calls; a
 * userns jail, the only kind with CAP_SYS_ADMIN, the mount family and
 * new namespaces, which its user namespace confines).
 * Compiled when brig was built (src/gen/seccomp.c holds the policy), so
 * this costs nothing. */
const struct seccomp_prog *seccomp_jail_filter(uint64_t caps);
/* Load p into the calling thread (inherited by children, kept across
 * execve). The caller must still have CAP_SYS_ADMIN: brig does not set
 * no_new_privs, so that set-uid programs in a jail (su, ping) keep
 * working as on a small host. */
int seccomp_prog_load(const struct seccomp_prog *p, struct brig_err *e);

#endif
