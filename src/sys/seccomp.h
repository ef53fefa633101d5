/* The default system call filter of every process in a jail. */
#ifndef BRIG_SYS_SECCOMP_H
#define BRIG_SYS_SECCOMP_H

#include <stdint.h>

#include "util/err.h"

/* A compiled filter: classic BPF instructions (struct sock_filter). */
struct seccomp_prog {
	void *bpf;
	size_t len;		/* bytes */
};

/* Compile the filter for a jail whose bounding set is caps (a jail granted
 * CAP_SYS_TIME by allow.settime may also use the clock system calls).
 * Compiling costs milliseconds (three architectures): brig does it while
 * the jail's first process is busy mounting, and once per operation. */
int seccomp_jail_build(uint64_t caps, struct seccomp_prog *p, struct brig_err *e);
/* Load p into the calling thread (inherited by children, kept across
 * execve). The caller must still have CAP_SYS_ADMIN: brig does not set
 * no_new_privs, so that set-uid programs in a jail (su, ping) keep
 * working as on a small host. */
int seccomp_prog_load(const struct seccomp_prog *p, struct brig_err *e);
void seccomp_prog_free(struct seccomp_prog *p);

#endif
