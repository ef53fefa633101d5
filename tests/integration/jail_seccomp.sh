# The jail's seccomp filter (src/gen/seccomp.c): at least Docker's default
# profile, plus brig's own refusals. A static probe, compiled here, makes
# each refused system call inside a jail and prints what the kernel said;
# the same probe on the host (this test's namespaces, no filter) shows the
# call is real here, so a refusal in the jail is the filter's doing.
. tests/integration/lib/common.sh
. tests/integration/lib/jail.sh

command -v cc >/dev/null 2>&1 || skip "no C compiler for the probe"
cat >"$T/probe.c" <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

/* The 32-bit ABI from a 64-bit program (int 0x80): nr, ebx, ecx, edx. */
static long sys32(long nr, long b, long c, long d)
{
#if defined(__x86_64__)
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(b), "c"(c), "d"(d) : "memory");
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
#else
	(void)nr, (void)b, (void)c, (void)d;
	errno = ENOEXEC;
	return -1;
#endif
}

static unsigned int sockargs[3];	/* in .bss: below 4 GiB, readable by int 0x80 */

static struct fsxattr fsx;	/* in .bss too, for the 32-bit ioctl */

/* FS_IOC_FSSETXATTR on the probe itself, setting back what
 * FS_IOC_FSGETXATTR read (a change of nothing: it works where the
 * filesystem has the command), the command's upper half set to high. */
static long fsx_set(unsigned long high, int abi32)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_NONBLOCK);

	if (fd < 0 || ioctl(fd, FS_IOC_FSGETXATTR, &fsx) < 0)
		return -1;
	if (abi32)	/* i386 ioctl(2) */
		return sys32(54, fd, FS_IOC_FSSETXATTR, (long)(unsigned long)&fsx);
	return syscall(SYS_ioctl, fd, high | FS_IOC_FSSETXATTR, &fsx);
}

static long run(const char *c)
{
	if (!strcmp(c, "fsgetxattr")) {
		int fd = open("/proc/self/exe", O_RDONLY | O_NONBLOCK);
		return fd < 0 ? -1 : ioctl(fd, FS_IOC_FSGETXATTR, &fsx);
	}
	if (!strcmp(c, "fssetxattr"))
		return fsx_set(0, 0);
	if (!strcmp(c, "fssetxattr_highbits"))
		return fsx_set(1UL << 32, 0);
	if (!strcmp(c, "fssetxattr32"))
		return fsx_set(0, 1);
	if (!strcmp(c, "projid0")) {	/* the probe to project 0 */
		int fd = open("/proc/self/exe", O_RDONLY | O_NONBLOCK);

		if (fd < 0 || ioctl(fd, FS_IOC_FSGETXATTR, &fsx) < 0)
			return -1;
		fsx.fsx_projid = 0;
		return ioctl(fd, FS_IOC_FSSETXATTR, &fsx);
	}
	if (!strcmp(c, "io_uring_setup")) {
		char params[120] = { 0 };
		return syscall(425, 1, params);
	}
	if (!strcmp(c, "io_uring_enter"))
		return syscall(426, -1, 0, 0, 0, NULL, 0);
	if (!strcmp(c, "io_uring_register"))
		return syscall(427, -1, 0, NULL, 0);
	if (!strcmp(c, "vsock"))
		return socket(AF_VSOCK, SOCK_STREAM, 0);
	/* AF_INET with garbage above bit 31: the kernel reads an int. */
	if (!strcmp(c, "inet_highbits"))
		return syscall(SYS_socket, (1L << 32) | AF_INET, SOCK_DGRAM, 0);
	if (!strcmp(c, "vsock_highbits"))
		return syscall(SYS_socket, (1L << 32) | AF_VSOCK, SOCK_STREAM, 0);
	if (!strcmp(c, "audit"))
		return socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
	if (!strcmp(c, "audit_highbits"))
		return syscall(SYS_socket, AF_NETLINK, SOCK_RAW, (1L << 32) | NETLINK_AUDIT);
	if (!strcmp(c, "netlink_route"))
		return socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (!strcmp(c, "inet"))
		return socket(AF_INET, SOCK_DGRAM, 0);
	if (!strcmp(c, "inet6"))
		return socket(AF_INET6, SOCK_DGRAM, 0);
	if (!strcmp(c, "unix"))
		return socket(AF_UNIX, SOCK_STREAM, 0);
	if (!strcmp(c, "socket32_vsock"))	/* i386 socket(2) */
		return sys32(359, AF_VSOCK, SOCK_STREAM, 0);
	if (!strcmp(c, "socket32_inet"))
		return sys32(359, AF_INET, SOCK_DGRAM, 0);
	if (!strcmp(c, "socketcall_vsock")) {	/* i386 socketcall(SYS_SOCKET) */
		sockargs[0] = AF_VSOCK, sockargs[1] = SOCK_STREAM, sockargs[2] = 0;
		return sys32(102, 1, (long)(unsigned long)sockargs, 0);
	}
	if (!strcmp(c, "personality_rie"))
		return personality(PER_LINUX | READ_IMPLIES_EXEC);
	if (!strcmp(c, "personality_linux"))
		return personality(PER_LINUX);
	if (!strcmp(c, "personality_query"))
		return personality(0xffffffff);
	if (!strcmp(c, "keyctl"))	/* KEYCTL_GET_KEYRING_ID, session keyring */
		return syscall(SYS_keyctl, 0, -3, 0);
	if (!strcmp(c, "add_key"))
		return syscall(SYS_add_key, "user", "brig", "x", 1, -3);
	if (!strcmp(c, "request_key"))
		return syscall(SYS_request_key, "user", "brig", NULL, 0);
	if (!strcmp(c, "bpf")) {	/* BPF_PROG_LOAD of nothing */
		char attr[128] = { 0 };
		return syscall(SYS_bpf, 5, attr, sizeof(attr));
	}
	if (!strcmp(c, "perf_event_open")) {
		char attr[128] = { 0 };
		attr[4] = sizeof(attr);	/* .size */
		return syscall(SYS_perf_event_open, attr, 0, -1, -1, 0);
	}
	if (!strcmp(c, "userfaultfd"))
		return syscall(SYS_userfaultfd, 0);
	if (!strcmp(c, "kexec_load"))
		return syscall(SYS_kexec_load, 0, 0, NULL, 0);
	if (!strcmp(c, "open_by_handle_at"))
		return syscall(SYS_open_by_handle_at, -1, NULL, 0);
	if (!strcmp(c, "get_mempolicy"))
		return syscall(SYS_get_mempolicy, NULL, NULL, 0, NULL, 0);
	if (!strcmp(c, "process_madvise"))
		return syscall(440, -1, NULL, 0, 0, 0);
	if (!strcmp(c, "ptrace"))
		return syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, 1, 0, 0);
	if (!strcmp(c, "clone_newuser"))
		return syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, NULL, NULL, 0);
	if (!strcmp(c, "unshare_net"))
		return unshare(CLONE_NEWNET);
	if (!strcmp(c, "clone3")) {
		unsigned long args[11] = { 0 };
		args[4] = SIGCHLD;	/* .exit_signal */
		long r = syscall(435, args, sizeof(args));
		if (r == 0)
			_exit(0);
		return r;
	}
	if (!strcmp(c, "fork")) {
		pid_t p = fork();
		int st;

		if (p == 0)
			_exit(7);
		if (p < 0 || waitpid(p, &st, 0) != p)
			return -1;
		return WIFEXITED(st) && WEXITSTATUS(st) == 7 ? 0 : -1;
	}
	fprintf(stderr, "probe: unknown case %s\n", c);
	exit(2);
}

/* probe CASE...: one line each, "CASE ok" or "CASE ENAME". */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		long r;

		errno = 0;
		r = run(argv[i]);
		if (r >= 0)
			printf("%s ok\n", argv[i]);
		else
			printf("%s %s\n", argv[i], strerrorname_np(errno));
	}
	return 0;
}
EOF
cc -static -O1 -o "$ROOT/bin/probe" "$T/probe.c" || fail "the probe does not build"

# A root on a filesystem with project ids (xfs keeps them without quotas;
# on a sparse loop file, mounted in the test's namespace; the loop device
# is the machine's: detached whatever happens), its probe in project 7.
loopdev=
if command -v losetup >/dev/null && command -v mkfs.xfs >/dev/null && [ -e /dev/loop-control ] &&
	grep -qw xfs /proc/filesystems; then
	truncate -s 320M "$T/pq.img"
	mkfs.xfs -q "$T/pq.img" || fail "mkfs.xfs"
	loopdev=$(losetup -f --show "$T/pq.img")
	trap 'jail_safety_net; umount -l "$T/pq" 2>/dev/null; losetup -d "$loopdev"' EXIT
	mkdir -p "$T/pq"
	mount -t xfs "$loopdev" "$T/pq" || fail "mount xfs"
	mk_busybox_root "$T/pq"
	cp "$ROOT/bin/probe" "$T/pq/bin/probe"
	chattr -p 7 "$T/pq/bin/probe"
else
	echo "no loop device, xfs or mkfs.xfs (xfsprogs): the project id of a file is not tried" >&2
fi

conf "j { path = \"$ROOT\"; persist; }
af { path = \"$ROOT\"; persist; allow.socket_af; }
pq { path = \"$T/pq\"; persist; }"
expect_rc 0 "$BRIG" start j
remember_cgroups j
expect_rc 0 "$BRIG" start af
remember_cgroups af

# host CASE: the probe's answer without brig's filter; jail [NAME] CASE: in
# jail NAME (j).
host() {
	"$ROOT/bin/probe" "$1" | sed 's/^[^ ]* //'
}
jail() {
	j=j
	[ $# = 2 ] && { j=$1; shift; }
	expect_rc 0 "$BRIG" exec "$j" /bin/probe "$1"
	printf '%s\n' "$OUT" | sed 's/^[^ ]* //'
}
# refused CASE ERRNO: in the jail, CASE fails with ERRNO.
refused() {
	expect_eq "$1 in the jail" "$2" "$(jail "$1")"
}
# works [NAME] CASE: CASE succeeds in the jail.
works() {
	expect_eq "$* in the jail" ok "$(jail "$@")"
}
# real CASE: the host can do CASE (else the jail's refusal proves nothing).
real() {
	h=$(host "$1")
	[ "$h" = ok ] || { echo "note: $1 on the host: $h; its check in the jail is left out"; return 1; }
}

# What a jail keeps.
works inet
works inet6
works unix
works netlink_route
works personality_linux
works personality_query
works fork

# io_uring: refused, as in Docker's profile (and EPERM, not "not built").
refused io_uring_setup EPERM
refused io_uring_enter EPERM
refused io_uring_register EPERM

# vsock reaches the hypervisor's services whatever the network namespace:
# refused as FreeBSD refuses a family without allow.socket_af.
if real vsock; then
	refused vsock EAFNOSUPPORT
	works af vsock
fi
# The filter reads the family as the kernel does (an int): garbage in the
# upper half of the register never passes as an allowed family.
real inet_highbits && refused inet_highbits EPERM
real vsock_highbits && refused vsock_highbits EPERM
# The audit netlink: refused as a kernel without audit refuses it (login
# and sshd carry on).
if real audit; then
	refused audit EPROTONOSUPPORT
	expect_eq "audit with allow.socket_af" EPROTONOSUPPORT "$(jail af audit)"
	refused audit_highbits EPERM
fi
# The 32-bit ABI meets the same filter: socket(2) by the family, and
# socketcall(2), whose arguments a filter cannot read, is refused.
if real socket32_inet; then
	works socket32_inet
	real socket32_vsock && refused socket32_vsock EAFNOSUPPORT
	real socketcall_vsock && refused socketcall_vsock EPERM
fi

# personality(2): only Linux's own personalities (Docker's list).
refused personality_rie EPERM

# ioctl(FS_IOC_FSSETXATTR) would let a jail of the host's user namespace
# move its files out of its quota's project (doc/store.md, "Quotas"):
# EPERM in every jail, whatever the upper half of the command (the kernel
# reads an unsigned int) and from the 32-bit ABI; reading works.
if real fsgetxattr; then
	works fsgetxattr
	real fssetxattr && refused fssetxattr EPERM
	real fssetxattr_highbits && refused fssetxattr_highbits EPERM
	real fssetxattr32 && refused fssetxattr32 EPERM
fi

# The way out of a quota itself: the jail's root moves a file of its
# project (7) to project 0, which the host can do.
if [ -n "$loopdev" ]; then
	expect_rc 0 "$BRIG" start pq
	remember_cgroups pq
	expect_eq "projid0 in jail pq" EPERM "$(jail pq projid0)"
	expect_eq "the probe's project" 7 "$(lsattr -p "$T/pq/bin/probe" | awk '{ print $1 }')"
	expect_eq "projid0 on the host" "projid0 ok" "$("$T/pq/bin/probe" projid0)"
	expect_eq "the probe's project, moved by the host" 0 "$(lsattr -p "$T/pq/bin/probe" | awk '{ print $1 }')"
fi

# Docker's refusals: keyrings, BPF, perf, userfaultfd, kexec, handles,
# NUMA policy, other processes' memory, new namespaces.
refused keyctl EPERM
refused add_key EPERM
refused request_key EPERM
refused bpf EPERM
refused perf_event_open EPERM
refused userfaultfd EPERM
refused kexec_load EPERM
refused open_by_handle_at EPERM
refused get_mempolicy EPERM
refused process_madvise EPERM
refused ptrace EPERM
if [ -n "${BRIG_TEST_USERNS:-}" ]; then
	# A userns jail holds CAP_SYS_ADMIN over namespaces of its own: its
	# filter lets it make more (jail_userns shows the host unaffected).
	# (the probe's child answers too: one "ok" each)
	expect_eq "clone_newuser in the jail" ok "$(jail clone_newuser | sort -u)"
	works unshare_net
else
	refused clone_newuser EPERM
	refused unshare_net EPERM
fi
# clone3 hides its flags from a filter: ENOSYS, so that libc falls back to
# clone(2), which works (fork above).
if [ -n "${BRIG_TEST_USERNS:-}" ]; then
	works clone3	# no argument check needed: its namespaces are the jail's
else
	refused clone3 ENOSYS
fi

# Every process of the jail is under the filter, init included, and an
# entered one; nothing is killed for a refused call (it returns).
expect_rc 0 "$BRIG" exec j sh -c 'grep Seccomp: /proc/1/status /proc/self/status'
expect_eq "filter mode" 2 "$(printf '%s\n' "$OUT" | awk '{ print $2 }' | sort -u)"

expect_rc 0 "$BRIG" stop --all
[ -z "$loopdev" ] || umount "$T/pq" || fail "the loop filesystem is busy"
assert_clean
