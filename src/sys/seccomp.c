#include "sys/seccomp.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/caps.h"
#include "util/mem.h"

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
	/* the mount family: the jail's mounts are made for it, once */
	"mount", "umount", "umount2", "pivot_root",
	"move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
	/* new namespaces (clone with CLONE_NEW* is handled by argument below) */
	"unshare", "setns",
	/* NUMA placement is the host's business */
	"mbind", "set_mempolicy", "move_pages", "migrate_pages",
};

/* Time is the host's, unless the jail may set it. */
static const char *const refused_time[] = {
	"settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex", "clock_adjtime",
	"clock_adjtime64",
};

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

/* The compiled program of ctx, read back from a memfd. */
static int export(scmp_filter_ctx ctx, struct seccomp_prog *p)
{
	int fd = memfd_create("brig-seccomp", MFD_CLOEXEC);
	off_t len;
	int r;

	if (fd < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	len = r == 0 ? lseek(fd, 0, SEEK_CUR) : -1;
	if (r == 0 && (len <= 0 || len % (off_t)sizeof(struct sock_filter)))
		r = -EINVAL;
	if (r == 0) {
		p->bpf = xmalloc((size_t)len);
		p->len = (size_t)len;
		if (pread(fd, p->bpf, p->len, 0) != len) {
			seccomp_prog_free(p);
			r = -EIO;
		}
	}
	close(fd);
	return r;
}

int seccomp_jail_build(uint64_t caps, struct seccomp_prog *p, struct brig_err *e)
{
	static const unsigned long ns_flags[] = {
		CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
		CLONE_NEWNET, CLONE_NEWCGROUP, 0x00000080 /* CLONE_NEWTIME */,
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r = 0;

	if (!ctx)
		return brig_err_set(e, ENOMEM, "seccomp: init");
	/* 32-bit system calls of the same machine must meet the same filter
	 * (without these, int 0x80 would bypass it). */
#if defined(__x86_64__)
	seccomp_arch_add(ctx, SCMP_ARCH_X86);
	seccomp_arch_add(ctx, SCMP_ARCH_X32);
#elif defined(__aarch64__)
	seccomp_arch_add(ctx, SCMP_ARCH_ARM);
#endif
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r == 0)
		r = refuse(ctx, refused, sizeof(refused) / sizeof(refused[0]));
	if (r == 0 && !caps_has(caps, CAP_SYS_TIME))
		r = refuse(ctx, refused_time, sizeof(refused_time) / sizeof(refused_time[0]));
	/* clone(2) with namespace flags: refused like unshare. clone3 passes
	 * its flags in memory a filter cannot read: ENOSYS makes libc fall
	 * back to clone(2), as Docker does. */
	for (size_t i = 0; r == 0 && i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (r == 0)
		r = export(ctx, p);
	seccomp_release(ctx);
	if (r < 0)
		return brig_err_set(e, -r, "seccomp: compiling the jail's filter");
	return 0;
}

int seccomp_prog_load(const struct seccomp_prog *p, struct brig_err *e)
{
	struct sock_fprog fp = { .len = (unsigned short)(p->len / sizeof(struct sock_filter)),
				 .filter = p->bpf };

	if (!p->bpf || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
		return brig_err_set(e, p->bpf ? errno : EINVAL, "seccomp: loading the jail's filter");
	return 0;
}

void seccomp_prog_free(struct seccomp_prog *p)
{
	free(p->bpf);
	p->bpf = NULL;
	p->len = 0;
}
