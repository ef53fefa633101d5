/* brig's seccomp policy, compiled at build time.
 *
 * A jail's filter is the same for every jail but for one choice (the clock
 * system calls, for a jail granted CAP_SYS_TIME), and libseccomp takes
 * milliseconds to compile it: brig would pay that on every start and every
 * exec. So the build runs this program once, with libseccomp, and embeds
 * the two classic BPF programs it writes into brig (sys/seccomp.c); the
 * jail's filter then costs nothing to make. The programs are for the
 * architecture brig is built for, as brig itself.
 *
 * A userns jail (CAP_SYS_ADMIN in its own user namespace) gets a third
 * program that allows the mount family and new namespaces, as Docker's
 * profile does for a container granted CAP_SYS_ADMIN: the kernel checks
 * them against the jail's user namespace, so they reach only the jail's
 * own mounts and namespaces.
 *
 * Usage: seccomp-gen DEFAULT.bpf SETTIME.bpf USERNS.bpf */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* What a jail has no business doing; each fails with EPERM. The list
 * follows Docker's default profile for a container without CAP_SYS_ADMIN,
 * plus ptrace (the jail must not inspect its init or an entering brig). */
static const char *const refused[] = {
	/* the kernel itself */
	"init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load",
	"reboot", "swapon", "swapoff", "acct", "syslog", "iopl", "ioperm",
	"create_module", "get_kernel_syms", "query_module", "uselib", "nfsservctl",
	"_sysctl", "sysfs", "lookup_dcookie", "quotactl", "quotactl_fd", "vm86", "vm86old",
	/* kernel keyrings, BPF, perf, handles, userfaultfd */
	"keyctl", "add_key", "request_key", "bpf", "perf_event_open", "open_by_handle_at",
	"name_to_handle_at", "userfaultfd", "fanotify_init",
	/* other processes' memory */
	"ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
	/* NUMA placement is the host's business */
	"mbind", "set_mempolicy", "move_pages", "migrate_pages",
};

/* Refused but in a userns jail (CAP_SYS_ADMIN over its own namespaces). */
static const char *const refused_ns[] = {
	/* the mount family: the jail's mounts are made for it, once */
	"mount", "umount", "umount2", "pivot_root",
	"move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
	/* new namespaces (clone with CLONE_NEW* is handled by argument below) */
	"unshare", "setns",
};

/* Time is the host's, unless the jail may set it. */
static const char *const refused_time[] = {
	"settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex", "clock_adjtime",
	"clock_adjtime64",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Refuse (EPERM) every system call of names[] this architecture has. */
static int refuse(scmp_filter_ctx ctx, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		int r;

		if (nr == __NR_SCMP_ERROR)
			continue;	/* not a system call on this architecture */
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Compile the jail filter (settime: the clock calls allowed; userns: the
 * mount family and namespaces too) into path. */
static int build(const char *path, bool settime, bool userns)
{
	static const unsigned long ns_flags[] = {
		CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
		CLONE_NEWNET, CLONE_NEWCGROUP, 0x00000080 /* CLONE_NEWTIME */,
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int fd, r;

	if (!ctx) {
		fprintf(stderr, "seccomp-gen: seccomp_init failed\n");
		return -1;
	}
	/* 32-bit system calls of the same machine must meet the same filter
	 * (without these, int 0x80 would bypass it). */
#if defined(__x86_64__)
	seccomp_arch_add(ctx, SCMP_ARCH_X86);
	seccomp_arch_add(ctx, SCMP_ARCH_X32);
#elif defined(__aarch64__)
	seccomp_arch_add(ctx, SCMP_ARCH_ARM);
#endif
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* A binary tree over the system call numbers rather than a list: the
	 * kernel runs the program for every system call number when it loads
	 * it (to cache the ones always allowed): on a 2-core VM loading the
	 * tree took 0.15-0.2 ms where the list took 0.32-0.35 ms, on every
	 * jail start and exec. The calls it cannot cache (those with argument
	 * checks) walk a few comparisons instead of the whole list. */
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (r == 0)
		r = refuse(ctx, refused, N(refused));
	if (r == 0 && !userns)
		r = refuse(ctx, refused_ns, N(refused_ns));
	if (r == 0 && !settime)
		r = refuse(ctx, refused_time, N(refused_time));
	/* clone(2) with namespace flags: refused like unshare. clone3 passes
	 * its flags in memory a filter cannot read: ENOSYS makes libc fall
	 * back to clone(2), as Docker does. */
	for (size_t i = 0; r == 0 && !userns && i < N(ns_flags); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	fd = r == 0 ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
	if (r == 0 && fd < 0)
		r = -errno;
	if (r == 0)
		r = seccomp_export_bpf(ctx, fd);
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = -errno;
	seccomp_release(ctx);
	if (r < 0) {
		fprintf(stderr, "seccomp-gen: %s: %s\n", path, strerror(-r));
		unlink(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: seccomp-gen DEFAULT.bpf SETTIME.bpf USERNS.bpf\n");
		return 2;
	}
	return build(argv[1], false, false) < 0 || build(argv[2], true, false) < 0 ||
	       build(argv[3], false, true) < 0 ? 1 : 0;
}
