/* clone3(2) for a child that shares its parent's memory and runs on a
 * stack of its own (CLONE_VM), as glibc's clone() does for clone(2):
 * the child cannot return from the system call into C on another stack,
 * so a few instructions start it in fn(arg) and end it with fn's value.
 * Only where those instructions exist (x86-64, AArch64); elsewhere it
 * fails with ENOSYS, as on a kernel without clone3. Built with
 * -DBRIG_NO_CLONE3 it always does, to test the callers' fallback
 * (`make BUILD=build/noc3 CPPFLAGS=-DBRIG_NO_CLONE3 asan`, then
 * `BUILD=build/noc3 sh tests/run.sh`). */
#ifndef BRIG_SYS_CLONE3_H
#define BRIG_SYS_CLONE3_H

#include <stdint.h>
#include <sys/types.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* The kernel's struct clone_args (linux/sched.h, version 2: cgroup). */
struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
		set_tid, set_tid_size, cgroup;
};

/* The child's pid, or -1 with errno. */
pid_t clone3_vm(struct clone3_args *a, int (*fn)(void *), void *arg);

#endif
