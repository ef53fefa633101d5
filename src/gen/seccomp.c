/* brig's seccomp policy, compiled at build time.
 *
 * libseccomp takes milliseconds to compile a filter: brig would pay that on
 * every start and every exec. So the build runs this program once, with
 * libseccomp, and embeds the classic BPF programs it writes into brig
 * (sys/seccomp.c); a jail's filter then costs nothing to make. The programs
 * are for the architecture brig is built for, as brig itself.
 *
 * The policy is an allow-list, as Docker's default profile (moby/profiles,
 * seccomp/default.json) is, and at least as strict:
 *   - every system call this libseccomp knows and the lists below do not
 *     allow fails with EPERM (Docker's answer);
 *   - a system call newer than this libseccomp (a number past the last one
 *     it knows) fails with ENOSYS, as runc does for calls newer than its
 *     profile: the jail sees an older kernel and libc falls back (a glibc
 *     that tries fchmodat2 or clone3 would not fall back from EPERM);
 *   - some calls are allowed by their arguments only (socket, personality,
 *     clone), each compared as the kernel reads it;
 *   - four things a jail may be given select among sixteen programs:
 *     CAP_SYS_TIME (allow.settime: the clock calls), CAP_SYS_ADMIN (never
 *     given to a jail of the host's user namespace; a jail of its own user
 *     namespace gets the mount and namespace calls with it, which the
 *     kernel then checks against that namespace), allow.socket_af
 *     (every socket family, as FreeBSD's parameter of that name) and
 *     CAP_NET_RAW (allow.raw_sockets: raw IP and packet sockets);
 *   - ioctl(FS_IOC_FSSETXATTR) fails with EPERM in every jail (prefix()):
 *     with it a jail of the host's user namespace (CAP_FOWNER, and the
 *     kernel lets the initial user namespace change fsx_projid) could move
 *     its files out of the project that holds its `quota` (store/
 *     projquota.c). A jail of its own user namespace cannot change the
 *     project anyway, but refusing the command in every jail keeps one
 *     rule for all: what else it sets (xflags, extent sizes) is xfs_io's
 *     chattr; e2fsprogs' chattr (and allow.chflags' +i/+a) use
 *     FS_IOC_SETFLAGS, still allowed, and FS_IOC_FSGETXATTR (lsattr -p,
 *     xfs_io stat) too.
 * No action kills: a refused call returns an error.
 *
 * Usage: seccomp-gen OUT.bin (the format is in sys/seccomp.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sys/seccomp.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "prefix() reads the low half of args[0] at its first byte: little-endian only"
#endif

/* Docker's unconditional allow-list (default.json, 2025), less what brig
 * refuses beyond it: name_to_handle_at (with open_by_handle_at, a way out
 * of a chroot), ptrace and process_vm_readv/writev (the jail must not
 * inspect its init or an entering brig: Docker allows them from kernel
 * 4.8), adjtimex and clock_adjtime (the clock's, with allow.settime), and
 * socket and personality, allowed below by their arguments. Names this
 * libseccomp does not know are left out (they meet ENOSYS). */
static const char *const allowed[] = {
	"accept", "accept4", "access", "alarm", "bind", "brk", "cachestat", "capget", "capset",
	"chdir", "chmod", "chown", "chown32", "clock_getres", "clock_getres_time64",
	"clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64",
	"close", "close_range", "connect", "copy_file_range", "creat", "dup", "dup2", "dup3",
	"epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
	"epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve",
	"execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64",
	"fadvise64_64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
	"fchmodat2", "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync",
	"fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat",
	"fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64",
	"futex", "futex_requeue", "futex_time64", "futex_wait", "futex_waitv", "futex_wake",
	"futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "getegid32",
	"geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getitimer",
	"getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority", "getrandom",
	"getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit", "get_robust_list",
	"getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid",
	"gettimeofday", "getuid", "getuid32", "getxattr", "getxattrat", "inotify_add_watch",
	"inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy",
	"io_getevents", "io_pgetevents", "io_pgetevents_time64", "ioprio_get", "ioprio_set",
	"io_setup", "io_submit", "ipc", "kill", "landlock_add_rule", "landlock_create_ruleset",
	"landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link", "linkat", "listen",
	"listmount", "listxattr", "listxattrat", "llistxattr", "_llseek", "lremovexattr",
	"lseek", "lsetxattr", "lstat", "lstat64", "madvise", "map_shadow_stack", "membarrier",
	"memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat",
	"mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr",
	"mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend",
	"mq_timedsend_time64", "mq_unlink", "mremap", "mseal", "msgctl", "msgget", "msgrcv",
	"msgsnd", "msync", "munlock", "munlockall", "munmap", "nanosleep", "newfstatat",
	"_newselect", "open", "openat", "openat2", "pause", "pidfd_open", "pidfd_send_signal",
	"pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll",
	"ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
	"process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2",
	"read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
	"recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "removexattrat",
	"rename", "renameat", "renameat2", "restart_syscall", "riscv_hwprobe", "rmdir", "rseq",
	"rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
	"rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo",
	"sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval",
	"sched_rr_get_interval_time64", "sched_setaffinity", "sched_setattr",
	"sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl",
	"semget", "semop", "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64",
	"sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32",
	"setgid", "setgid32", "setgroups", "setgroups32", "setitimer", "setpgid",
	"setpriority", "setregid", "setregid32", "setresgid", "setresgid32", "setresuid",
	"setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list", "setsid",
	"setsockopt", "set_thread_area", "set_tid_address", "setuid", "setuid32", "setxattr",
	"setxattrat", "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack",
	"signalfd", "signalfd4", "sigprocmask", "sigreturn", "socketcall", "socketpair",
	"splice", "stat", "stat64", "statfs", "statfs64", "statmount", "statx", "symlink",
	"symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time",
	"timer_create", "timer_delete", "timer_getoverrun", "timer_gettime",
	"timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create",
	"timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64",
	"times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname", "unlink",
	"unlinkat", "uretprobe", "utime", "utimensat", "utimensat_time64", "utimes", "vfork",
	"vmsplice", "wait4", "waitid", "waitpid", "write", "writev",
	/* Docker's per-architecture entries, for the architectures brig
	 * builds on (an unknown name is skipped) */
	"arch_prctl", "modify_ldt", "arm_fadvise64_64", "arm_sync_file_range",
	"sync_file_range2", "breakpoint", "cacheflush", "set_tls",
	/* Docker's for CAP_SYS_CHROOT, which every jail holds */
	"chroot",
};

/* Docker's for CAP_SYS_TIME, and the clock's slewing (allow.settime or
 * allow.adjtime; Docker allows adjtimex always, the kernel checking the
 * capability when it sets anything). */
static const char *const allowed_time[] = {
	"settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex", "clock_adjtime",
	"clock_adjtime64",
};

/* Docker's for CAP_SYS_ADMIN, less what still reaches the whole host from
 * a user namespace of its own (bpf, perf_event_open, syslog, quotactl,
 * lookup_dcookie, fanotify_init, lsm_set_self_attr): the mount API, new
 * namespaces, the host and domain names. pivot_root is not in Docker's
 * list either. (clone and clone3 without argument checks: below.) */
static const char *const allowed_admin[] = {
	"mount", "umount", "umount2", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
	"fspick", "mount_setattr", "unshare", "setns", "sethostname", "setdomainname",
};

/* personality(2): Linux's own personalities and the query, Docker's list:
 * PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32, 0xffffffff. Never
 * READ_IMPLIES_EXEC (every readable mapping executable) nor
 * ADDR_NO_RANDOMIZE. */
static const uint64_t personalities[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

#define BRIG_NETLINK_AUDIT 9

/* clone(2) flags that make namespaces (Docker's mask, 0x7e020000). */
#define NS_FLAGS 0x7e020000ULL

#define N(a) (sizeof(a) / sizeof((a)[0]))
/* A comparison of system call argument n (libseccomp's SCMP_A0() leaves
 * a field to the default initializer, which clang warns about). */
#define ARG(n, o, a, b) \
	((struct scmp_arg_cmp){ .arg = (n), .op = (o), .datum_a = (a), .datum_b = (b) })

/* Allow every call of names[] this architecture has. */
static int allow(scmp_filter_ctx ctx, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		int r;

		if (nr == __NR_SCMP_ERROR)
			continue;	/* not a system call here, or newer than libseccomp */
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (r < 0) {
			fprintf(stderr, "seccomp-gen: %s: %s\n", names[i], strerror(-r));
			return r;
		}
	}
	return 0;
}

/* One rule on socket(2): action when the 64-bit argument 0, masked
 * with mask, equals val (and, with mask2, argument arg2 likewise). A
 * masked comparison over all 64 bits covers an aligned block of values
 * with one comparison, and only values whose upper half is zero. */
static int sock_rule(scmp_filter_ctx ctx, uint32_t action, uint64_t mask, uint64_t val,
		     unsigned arg2, uint64_t mask2, uint64_t val2)
{
	struct scmp_arg_cmp c[2] = {
		ARG(0, SCMP_CMP_MASKED_EQ, mask, val),
		ARG(arg2, SCMP_CMP_MASKED_EQ, mask2, val2),
	};

	return seccomp_rule_add_array(ctx, action, SCMP_SYS(socket), mask2 ? 2 : 1, c);
}

#define ALL ~0ULL
#define BLOCK(n) (~((uint64_t)(n) - 1))	/* an aligned block of n values */

/* Every type of the family but raw, which meets the filter's default
 * (EPERM): the kernel reads the type as its low 4 bits (the rest are
 * SOCK_NONBLOCK, SOCK_CLOEXEC or EINVAL), here 0-1, 2, (3: SOCK_RAW),
 * 4-7, 8-15. Without allow.raw_sockets a jail holds no CAP_NET_RAW, but the
 * root of a vnet jail of the host's user namespace holds it over its own
 * network namespace (sys/userns.h, userns_netns_fd()): this filter takes
 * it back, as FreeBSD's allow.raw_sockets = false does. */
static int inet_no_raw(scmp_filter_ctx ctx, uint64_t af)
{
	static const struct { uint64_t mask, val; } types[] = {
		{ 0xe, 0 }, { 0xf, 2 }, { 0xc, 4 }, { 0x8, 8 },
	};
	int r = 0;

	for (size_t i = 0; r == 0 && i < N(types); i++)
		r = sock_rule(ctx, SCMP_ACT_ALLOW, ALL, af, 1, types[i].mask, types[i].val);
	return r;
}

/* socket(2) by family and protocol. The kernel reads both as int, the
 * filter sees 64-bit registers: a family is allowed only by an exact
 * value (upper half zero); anything else is refused. (A comparison such
 * as "family > 40" would let 1 << 32 | AF_VSOCK through.) Without raw
 * (allow.raw_sockets), packet sockets and raw IP sockets are refused
 * with EPERM (the default), as the kernel refuses them without
 * CAP_NET_RAW. */
static int sockets(scmp_filter_ctx ctx, bool any_af, bool raw)
{
	const uint32_t no_af = SCMP_ACT_ERRNO(EAFNOSUPPORT);
	int r = 0;

	if (any_af) {
		/* Every family but AF_NETLINK (16): 0-15, 17, 18-19, 20-23,
		 * 24-31, 32-63 (beyond AF_MAX the kernel says EAFNOSUPPORT);
		 * without raw, 0-15 as 0-1, 2, 3, 4-7, 8-9, 10, 11, 12-15,
		 * and not 17 (AF_PACKET). */
		static const struct { uint64_t mask, val; } any[] = {
			{ BLOCK(2), 18 }, { BLOCK(4), 20 }, { BLOCK(8), 24 }, { BLOCK(32), 32 },
		};
		static const struct { uint64_t mask, val; } low[] = {
			{ BLOCK(2), 0 }, { ALL, 3 }, { BLOCK(4), 4 }, { BLOCK(2), 8 }, { ALL, 11 },
			{ BLOCK(4), 12 },
		};

		for (size_t i = 0; r == 0 && i < N(any); i++)
			r = sock_rule(ctx, SCMP_ACT_ALLOW, any[i].mask, any[i].val, 0, 0, 0);
		if (r == 0 && raw)
			r = sock_rule(ctx, SCMP_ACT_ALLOW, BLOCK(16), 0, 0, 0, 0);
		if (r == 0 && raw)
			r = sock_rule(ctx, SCMP_ACT_ALLOW, ALL, AF_PACKET, 0, 0, 0);
		for (size_t i = 0; r == 0 && !raw && i < N(low); i++)
			r = sock_rule(ctx, SCMP_ACT_ALLOW, low[i].mask, low[i].val, 0, 0, 0);
		if (r == 0 && !raw)
			r = inet_no_raw(ctx, AF_INET);
		if (r == 0 && !raw)
			r = inet_no_raw(ctx, AF_INET6);
	} else {
		/* FreeBSD's IP, local and route (AF_NETLINK is Linux's
		 * routing socket), and packet sockets, with
		 * allow.raw_sockets. */
		static const uint64_t allowed_af[] = { AF_UNIX, AF_INET, AF_INET6, AF_PACKET };
		/* The other families up to AF_MAX: EAFNOSUPPORT, as in a
		 * FreeBSD jail (vsock, a hypervisor's services whatever the
		 * network namespace, among them): 0, 3, 4-7, 8-9, 11, 12-15,
		 * 18-19, 20-23, 24-31, 32-63. */
		static const struct { uint64_t mask, val; } refused_af[] = {
			{ ALL, 0 }, { ALL, 3 }, { BLOCK(4), 4 }, { BLOCK(2), 8 }, { ALL, 11 },
			{ BLOCK(4), 12 }, { BLOCK(2), 18 }, { BLOCK(4), 20 }, { BLOCK(8), 24 },
			{ BLOCK(32), 32 },
		};

		for (size_t i = 0; r == 0 && i < N(allowed_af); i++) {
			if (raw || allowed_af[i] == AF_UNIX)
				r = sock_rule(ctx, SCMP_ACT_ALLOW, ALL, allowed_af[i], 0, 0, 0);
			else if (allowed_af[i] != AF_PACKET)	/* AF_PACKET: the default */
				r = inet_no_raw(ctx, allowed_af[i]);
		}
		for (size_t i = 0; r == 0 && i < N(refused_af); i++)
			r = sock_rule(ctx, no_af, refused_af[i].mask, refused_af[i].val, 0, 0, 0);
	}
	/* AF_NETLINK: every protocol but the audit one, 9, refused as by a
	 * kernel without audit (EPROTONOSUPPORT: login, sshd and PAM carry
	 * on), even with allow.socket_af: audit is not namespaced. Allowed:
	 * 0-7, 8, 10-11, 12-15, 16-31 (MAX_LINKS). */
	{
		static const struct { uint64_t mask, val; } nl[] = {
			{ BLOCK(8), 0 }, { ALL, 8 }, { BLOCK(2), 10 }, { BLOCK(4), 12 }, { BLOCK(16), 16 },
		};

		for (size_t i = 0; r == 0 && i < N(nl); i++)
			r = sock_rule(ctx, SCMP_ACT_ALLOW, ALL, AF_NETLINK, 2, nl[i].mask, nl[i].val);
		if (r == 0)
			r = sock_rule(ctx, SCMP_ACT_ERRNO(EPROTONOSUPPORT), ALL, AF_NETLINK, 2, ALL,
				      BRIG_NETLINK_AUDIT);
	}
	return r;
}

/* The compiled program of ctx, in a buffer of its own (libseccomp 2.5
 * exports to a file descriptor only). */
static struct sock_filter *export(scmp_filter_ctx ctx, size_t *n)
{
	FILE *f = tmpfile();
	struct sock_filter *p = NULL;
	long len;

	if (!f || seccomp_export_bpf(ctx, fileno(f)) < 0 || fseek(f, 0, SEEK_END) < 0 ||
	    (len = ftell(f)) <= 0 || len % (long)sizeof(*p) || fseek(f, 0, SEEK_SET) < 0 ||
	    !(p = malloc((size_t)len)) || fread(p, 1, (size_t)len, f) != (size_t)len) {
		free(p);
		p = NULL;
	} else {
		*n = (size_t)len / sizeof(*p);
	}
	if (f)
		fclose(f);
	return p;
}

/* The highest system call number libseccomp knows on arch. */
static uint32_t last_known(uint32_t arch)
{
	uint32_t last = 0;

	for (int nr = 0; nr < 4096; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(arch, nr);

		if (name)
			last = (uint32_t)nr;
		free(name);
	}
	return last;
}

#define STMT(c, k) ((struct sock_filter){ (uint16_t)(c), 0, 0, (uint32_t)(k) })
#define JUMP(c, k, t, f) ((struct sock_filter){ (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(k) })

/* What runs before libseccomp's program, hand-written because libseccomp
 * cannot say it: per architecture,
 *   - a number past the last system call libseccomp knows: ENOSYS (on
 *     x86-64 this includes every x32 call: brig's jails have no x32 ABI);
 *   - ioctl(FS_IOC_FSSETXATTR): EPERM, compared on the low half of
 *     args[1] only. The kernel takes the command as an unsigned int
 *     (fs/ioctl.c, and compat_sys_ioctl), so the upper half is noise a
 *     caller may set; libseccomp compares all 64 bits (a masked EQ
 *     matches only values whose upper half is what the datum says), so
 *     a rule of its own would miss 1 << 32 | FS_IOC_FSSETXATTR. Every
 *     other command goes on to libseccomp's program, which allows ioctl
 *     whole. (The 32-bit ABI's FS_IOC_FSSETXATTR is the same number:
 *     struct fsxattr has no pointer nor long.)
 *   - the 32-bit x86 socketcall(SYS_SOCKET): its arguments are in memory,
 *     where a filter cannot read the family (libseccomp would allow it
 *     whole, as Docker's profile does): EPERM unless every family and
 *     raw sockets are allowed. 32-bit programs use socket(2) (Linux 4.3), which is
 *     filtered as on x86-64.
 * Then on to libseccomp's program (which checks the architecture again). */
static size_t prefix(struct sock_filter *f, bool any_af)
{
	const uint32_t arches[] = { seccomp_arch_native(),
#if defined(__x86_64__)
				    SCMP_ARCH_X86,
#elif defined(__aarch64__)
				    SCMP_ARCH_ARM,
#endif
	};
	size_t n = 0, enosys_at[8], eperm_at[8], ne = 0, np = 0;

	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	for (size_t a = 0; a < N(arches); a++) {
		int sc = seccomp_syscall_resolve_name_arch(arches[a], "socketcall");
		int io = seccomp_syscall_resolve_name_arch(arches[a], "ioctl");
		bool split = sc >= 0 && !any_af;
		/* jeq arch; ld nr; jgt last; [jeq ioctl; ld a1; jeq FSSETXATTR];
		 * [jeq socketcall; ld a0; jeq 1]; ja */
		size_t len = 4 + (io >= 0 ? 3 : 0) + (split ? 3 : 0);

		f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, arches[a], 0, len - 1);
		f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		enosys_at[ne++] = n;
		f[n++] = JUMP(BPF_JMP | BPF_JGT | BPF_K, last_known(arches[a]), 0, 0);
		if (io >= 0) {
			f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)io, 0, 2);
			/* the low half of args[1]: the kernel's cmd is an
			 * unsigned int, whatever the upper half holds */
			f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS,
				      offsetof(struct seccomp_data, args) + sizeof(uint64_t));
			eperm_at[np++] = n;
			/* any other command: on past the socketcall check
			 * (which would compare the command) to the ja */
			f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, FS_IOC_FSSETXATTR, 0,
				      split ? 3 : 0);
		}
		if (split) {
			f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)sc, 0, 2);
			/* the low half of args[0] (x86 is little-endian) */
			f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args));
			eperm_at[np++] = n;
			f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1 /* SYS_SOCKET */, 0, 0);
		}
		f[n++] = STMT(BPF_JMP | BPF_JA, 0);	/* to the program, below */
	}
	f[n++] = STMT(BPF_JMP | BPF_JA, 2);	/* an architecture not above */
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	/* Resolve the forward jumps: jt to the returns, ja to the end. */
	for (size_t i = 0; i < ne; i++)
		f[enosys_at[i]].jt = (uint8_t)(n - 2 - enosys_at[i] - 1);
	for (size_t i = 0; i < np; i++)
		f[eperm_at[i]].jt = (uint8_t)(n - 1 - eperm_at[i] - 1);
	for (size_t i = 0; i + 3 < n; i++)
		if (f[i].code == (BPF_JMP | BPF_JA))
			f[i].k = (uint32_t)(n - i - 1);
	return n;
}

/* Compile the filter of variant v (SECCOMP_V_* bits) into *prog. */
static int build(unsigned v, struct sock_filter **prog, size_t *len)
{
	bool settime = v & SECCOMP_V_SETTIME, admin = v & SECCOMP_V_ADMIN,
	     any_af = v & SECCOMP_V_SOCKET_AF, raw = v & SECCOMP_V_RAW;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	struct sock_filter pre[32], *body = NULL;
	size_t npre, nbody = 0;
	int r;

	if (!ctx) {
		fprintf(stderr, "seccomp-gen: seccomp_init failed\n");
		return -1;
	}
	/* 32-bit system calls of the same machine meet the same filter
	 * (without it, int 0x80 would bypass it). */
#if defined(__x86_64__)
	r = seccomp_arch_add(ctx, SCMP_ARCH_X86);
#elif defined(__aarch64__)
	r = seccomp_arch_add(ctx, SCMP_ARCH_ARM);
#else
	r = 0;
#endif
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* Never kill, not even for an architecture the filter does not know
	 * (which this machine cannot run anyway). */
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(ENOSYS));
	/* A binary tree over the system call numbers rather than a list: the
	 * kernel runs the program for every system call number when it loads
	 * it (to cache the ones always allowed), on every jail start and exec;
	 * the calls it cannot cache (those with argument checks) walk a few
	 * comparisons instead of the whole list. */
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (r == 0)
		r = allow(ctx, allowed, N(allowed));
	if (r == 0 && settime)
		r = allow(ctx, allowed_time, N(allowed_time));
	if (r == 0 && admin)
		r = allow(ctx, allowed_admin, N(allowed_admin));
	for (size_t i = 0; r == 0 && i < N(personalities); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(personality), 1,
				     ARG(0, SCMP_CMP_EQ, personalities[i], 0));
	if (r == 0)
		r = sockets(ctx, any_af, raw);
	/* clone(2) with namespace flags: refused (EPERM) as unshare is.
	 * clone3 passes its flags in memory a filter cannot read: ENOSYS
	 * makes libc fall back to clone(2), as with Docker. With
	 * CAP_SYS_ADMIN, both whole. */
	if (r == 0 && admin)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 0);
	else if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				     ARG(0, SCMP_CMP_MASKED_EQ, NS_FLAGS, 0));
	if (r == 0)
		r = seccomp_rule_add(ctx, admin ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(ENOSYS),
				     SCMP_SYS(clone3), 0);
	if (r == 0 && !(body = export(ctx, &nbody)))
		r = -EIO;
	seccomp_release(ctx);
	if (r < 0) {
		fprintf(stderr, "seccomp-gen: variant %u: %s\n", v, strerror(-r));
		return -1;
	}
	npre = prefix(pre, any_af && raw);
	if (npre + nbody > BPF_MAXINSNS) {
		fprintf(stderr, "seccomp-gen: variant %u: %zu instructions\n", v, npre + nbody);
		free(body);
		return -1;
	}
	*prog = malloc((npre + nbody) * sizeof(**prog));
	if (!*prog) {
		free(body);
		return -1;
	}
	memcpy(*prog, pre, npre * sizeof(*pre));
	memcpy(*prog + npre, body, nbody * sizeof(*body));
	*len = npre + nbody;
	free(body);
	return 0;
}

int main(int argc, char **argv)
{
	struct seccomp_blob_head head = { .magic = SECCOMP_BLOB_MAGIC, .count = SECCOMP_VARIANTS };
	struct sock_filter *prog[SECCOMP_VARIANTS] = { 0 };
	size_t len[SECCOMP_VARIANTS];
	uint32_t off = sizeof(head);
	FILE *f;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: seccomp-gen OUT.bin\n");
		return 2;
	}
	for (unsigned v = 0; v < SECCOMP_VARIANTS; v++) {
		if (build(v, &prog[v], &len[v]) < 0)
			return 1;
		head.prog[v].offset = off;
		head.prog[v].count = (uint32_t)len[v];
		off += (uint32_t)(len[v] * sizeof(struct sock_filter));
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(&head, sizeof(head), 1, f) != 1)
		rc = 1;
	for (unsigned v = 0; rc == 0 && v < SECCOMP_VARIANTS; v++)
		if (fwrite(prog[v], sizeof(struct sock_filter), len[v], f) != len[v])
			rc = 1;
	if (f && fclose(f) != 0)
		rc = 1;
	if (rc) {
		fprintf(stderr, "seccomp-gen: %s: %s\n", argv[1], strerror(errno));
		unlink(argv[1]);
	}
	for (unsigned v = 0; v < SECCOMP_VARIANTS; v++)
		free(prog[v]);
	return rc;
}
