/* brig-init: PID 1 of every jail.
 *
 * A tiny freestanding program (no libc: raw system calls), embedded in brig
 * and executed from a sealed memfd (see sys/initbin.c). Why so small: brig
 * leaves one of these running per jail, and a fork of the big, dynamically
 * linked brig would keep private copies of every library's data pages
 * (hundreds of KiB per jail); this one costs a few pages. Why a memfd: the
 * jail must have no path back to a host binary (SECURITY.md); the memfd is
 * sealed against writes, and the process makes itself non-dumpable first
 * thing, so /proc/1/exe cannot be opened from inside the jail either.
 *
 *   brig-init PERSIST STOP_TIMEOUT [STOP_SIGNAL]
 *
 * It reaps orphans. It obeys only signals sent from outside the jail's PID
 * namespace (signalfd reports sender pid 0 for those), so the jail's own
 * root cannot stop or confuse it:
 *   SIGUSR1  the start is complete: from now on, without PERSIST, the jail
 *            ends when its last process exits (jail(8) keeps a jail alive
 *            while exec.start, command and exec.poststart run);
 *   SIGUSR2  "a process I entered into the jail exited": look again;
 *   SIGTERM  stop: STOP_SIGNAL (exec.stop.signal; SIGTERM) to every
 *            process of the jail, wait up to
 *            STOP_TIMEOUT seconds, SIGKILL the rest, exit.
 * Processes entered with setns() are not its children, so besides the pokes
 * it re-counts the jail's processes (its /proc) every second once ready.
 * A jail that ends on its own ends with the exit status of the last
 * process init reaped (128+signal if it was killed), for brig ls -a.
 *
 *   brig-reaper PIDFD BRIGFD NAME [FD:AMOUNT:RULE...]
 *
 * The same program, called by that name, is the jail's reaper on the host
 * (sys/reaper.c starts one per jail once its start has succeeded). It
 * waits until the jail's init has exited (PIDFD becomes readable),
 * however that happened (the jail ended on its own, init was killed, brig
 * stop), then executes brig (BRIGFD, an O_PATH descriptor of its binary)
 * as `brig reap NAME PIDFD`, which removes what the jail left on the host
 * unless another brig is already at it, and records how it ended (the
 * init's exit status, read from PIDFD, kept open for it).
 * Meanwhile, every second, it reads each FD (a cgroup file holding one
 * number: the jail's memory or tasks now) and, each time the number goes
 * above AMOUNT (again after it was back at or below it), runs
 * `brig _rctl-crossed NAME RULE NUMBER` (the rctl rule of action log:
 * a line in the jail's log). */
#include <asm/unistd.h>
#include <linux/fcntl.h>
#include <linux/prctl.h>
#include <linux/signalfd.h>
#include <linux/wait.h>

#define SIGKILL 9
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGTERM 15
#define SIGSTOP 19
#define SIGCHLD 17
#define SIG_SETMASK 2
#define POLLIN 1
#define CLOCK_MONOTONIC 1

struct kts {
	long sec;
	long nsec;
};

struct kpollfd {
	int fd;
	short events;
	short revents;
};

struct kdirent {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

#if defined(__x86_64__)
static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

__asm__(".text\n.global _start\n_start:\n"
	"xor %rbp,%rbp\nmov %rsp,%rdi\nand $-16,%rsp\ncall start_c\nhlt\n");
#elif defined(__aarch64__)
static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

__asm__(".text\n.global _start\n_start:\n"
	"mov x29,#0\nmov x30,#0\nmov x0,sp\nand sp,x0,#-16\nbl start_c\n");
#else
#error "brig-init: add the system call convention of this architecture"
#endif

#define sys(n, a, b, c) sys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* The compiler may emit calls to these even in freestanding code. */
void *memset(void *d, int c, unsigned long n);
void *memset(void *d, int c, unsigned long n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

/* Exit (the whole process). */
static __attribute__((noreturn)) void die(int code)
{
	for (;;)
		sys(__NR_exit_group, code, 0, 0);
}

/* A decimal number (0 for anything else). */
static long parse_num(const char *s)
{
	long v = 0;

	while (s && *s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return v;
}

/* Monotonic milliseconds. */
static long now_ms(void)
{
	struct kts t = { 0, 0 };

	sys(__NR_clock_gettime, CLOCK_MONOTONIC, &t, 0);
	return t.sec * 1000 + t.nsec / 1000000;
}

/* The exit status of the last process reaped (128+signal if killed): a
 * jail that ends on its own ends with it, for brig ls -a to show. */
static int last_status;

/* Collect every exited child (orphans re-parented to us included). */
static void reap(void)
{
	int st = 0;

	while (sys6(__NR_wait4, -1, (long)&st, WNOHANG | __WALL, 0, 0, 0) > 0)
		last_status = (st & 0x7f) ? 128 + (st & 0x7f) : (st >> 8) & 0xff;
}

/* Processes in the jail besides this one: numeric entries of our /proc. */
static int count_others(int procfd)
{
	static char buf[4096];
	int n = 0;
	long len;

	sys(__NR_lseek, procfd, 0, 0);
	while ((len = sys(__NR_getdents64, procfd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < len;) {
			struct kdirent *d = (struct kdirent *)(buf + off);

			if (d->name[0] >= '1' && d->name[0] <= '9' &&
			    !(d->name[0] == '1' && d->name[1] == '\0'))
				n++;
			off += d->reclen;
		}
	}
	/* Cannot read /proc: assume someone is there rather than end the jail. */
	return len < 0 ? 1 : n;
}

/* Wait for signals up to timeout_ms (-1: forever); returns the mask of
 * signals that count (SIGCHLD always, the others only from the host). */
static unsigned long wait_signals(int sfd, long timeout_ms)
{
	struct kpollfd p = { sfd, POLLIN, 0 };
	struct kts ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000 };
	struct signalfd_siginfo si;
	unsigned long got = 0;

	if (sys6(__NR_ppoll, (long)&p, 1, timeout_ms < 0 ? 0 : (long)&ts, 0, 8, 0) <= 0)
		return 0;
	while (sys(__NR_read, sfd, &si, sizeof(si)) == (long)sizeof(si))
		if (si.ssi_signo == SIGCHLD || si.ssi_pid == 0)
			got |= 1UL << (si.ssi_signo - 1);
	return got;
}

/* Stop the jail: signal all, wait up to timeout_s, SIGKILL the rest.
 * kill(-1) makes the kernel walk every process of the host to find the
 * jail's (at each stop of each jail: quadratic in a stop --all of busy
 * jails), so it is sent only if the jail has a process besides this one,
 * and the SIGKILL is the kernel's: as PID 1 exits, it kills every process
 * left in its PID namespace (nested jails' included), by that namespace's
 * own list, and the exit completes when they are gone. */
static __attribute__((noreturn)) void shutdown(int sfd, int procfd, long timeout_s, long sig)
{
	long deadline = now_ms() + timeout_s * 1000;

	if (count_others(procfd) > 0)
		sys(__NR_kill, -1, sig, 0);
	for (;;) {
		long left = deadline - now_ms();

		reap();
		if (count_others(procfd) == 0 || left <= 0)
			break;
		/* Entered processes are not our children: poll for them too. */
		wait_signals(sfd, left < 100 ? left : 100);
	}
	die(0);
}

/* True if s equals t. */
static int streq(const char *s, const char *t)
{
	while (*s && *s == *t) {
		s++;
		t++;
	}
	return *s == *t;
}

/* The most watches a reaper takes (sys/reaper.h). */
#define MAX_WATCH 6

/* A number in a file of one (as the cgroup files keep them): read from
 * its start; -1 if unreadable. */
static long long read_count(int fd)
{
	char buf[32];
	long len = sys6(__NR_pread64, fd, (long)buf, sizeof(buf) - 1, 0, 0, 0);
	long long v = 0;

	if (len <= 0 || buf[0] < '0' || buf[0] > '9')
		return -1;
	for (long i = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++)
		v = v * 10 + (buf[i] - '0');
	return v;
}

/* v in decimal, into buf (21 bytes at least). */
static char *fmt_num(unsigned long long v, char *buf)
{
	char *p = buf + 20;

	*p = '\0';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	return p;
}

/* Run `brig _rctl-crossed NAME RULE COUNT` (BRIGFD), not waited for:
 * the caller's reap collects it. */
static void run_crossed(long brigfd, char *name, char *rule, long long count, char **envp)
{
	char num[24];
	char *args[] = { "brig", "_rctl-crossed", name, rule, fmt_num((unsigned long long)count, num), 0 };

	if (sys6(__NR_clone, SIGCHLD, 0, 0, 0, 0, 0) == 0) {
		sys6(__NR_execveat, brigfd, (long)"", (long)args, (long)envp, AT_EMPTY_PATH, 0);
		die(127);
	}
}

/* brig-reaper PIDFD BRIGFD NAME [FD:AMOUNT:RULE...]: wait for the jail's
 * init, watching its counters, then run `brig reap NAME` with our
 * environment. */
static __attribute__((noreturn)) void reaper(int argc, char **argv, char **envp)
{
	struct kpollfd p;
	char *args[] = { "brig", "reap", 0, 0, 0 };
	unsigned long dfl[4] = { 0 };	/* struct sigaction: SIG_DFL, no flags */
	struct kts tick;
	struct {
		int fd, above;
		long long amount;
		char *rule;
	} w[MAX_WATCH];
	int nw = 0, st;

	if (argc < 4)
		die(2);
	sys6(__NR_prctl, PR_SET_NAME, (long)"brig-reaper", 0, 0, 0, 0);
	/* Signals as new (exec reset the caught ones; what the starting brig
	 * ignored, as a script's background job ignores SIGINT, would stay
	 * ignored), here rather than before the exec, which brig waits for. */
	for (long sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sys6(__NR_rt_sigaction, sig, (long)dfl, 0, 8, 0, 0);
	for (int i = 4; i < argc && nw < MAX_WATCH; i++) {
		char *s = argv[i];

		w[nw].fd = (int)parse_num(s);
		while (*s && *s != ':')
			s++;
		w[nw].amount = parse_num(*s ? ++s : s);
		while (*s && *s != ':')
			s++;
		if (!*s)
			continue;
		w[nw].rule = s + 1;
		w[nw++].above = 0;
	}
	p.fd = (int)parse_num(argv[1]);
	p.events = POLLIN;
	args[2] = argv[3];
	args[3] = argv[1];
	for (;;) {
		long r;

		/* ppoll writes back what is left of the timeout. */
		tick.sec = 1;
		tick.nsec = 0;
		r = sys6(__NR_ppoll, (long)&p, 1, nw ? (long)&tick : 0, 0, 8, 0);

		if (r > 0)
			break;
		while (sys6(__NR_wait4, -1, (long)&st, WNOHANG | __WALL, 0, 0, 0) > 0)
			;
		for (int i = 0; r == 0 && i < nw; i++) {
			long long v = read_count(w[i].fd);

			if (v > w[i].amount && !w[i].above)
				run_crossed(parse_num(argv[2]), argv[3], w[i].rule, v, envp);
			if (v >= 0)
				w[i].above = v > w[i].amount;
		}
	}
	sys6(__NR_execveat, parse_num(argv[2]), (long)"", (long)args, (long)envp, AT_EMPTY_PATH, 0);
	die(1);
}

void start_c(long *sp);
void start_c(long *sp)
{
	char **argv = (char **)(sp + 1);
	int persist = sp[0] > 1 && argv[1][0] == '1';
	long stop_timeout = sp[0] > 2 ? parse_num(argv[2]) : 10;
	long stop_signal = sp[0] > 3 ? parse_num(argv[3]) : SIGTERM;
	unsigned long mask = ~0UL;
	int ready = 0, sfd, procfd;

	if (sp[0] > 0 && streq(argv[0], "brig-reaper"))
		reaper((int)sp[0], argv, argv + sp[0] + 1);
	/* Before anything else: no ptrace, no /proc/1/exe, no /proc/1/mem. */
	sys6(__NR_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0, 0);
	sys6(__NR_rt_sigprocmask, SIG_SETMASK, (long)&mask, 0, 8, 0, 0);
	sfd = (int)sys6(__NR_signalfd4, -1, (long)&mask, 8, SFD_NONBLOCK | SFD_CLOEXEC, 0, 0);
	procfd = (int)sys6(__NR_openat, AT_FDCWD, (long)"/proc",
			   O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
	if (sfd < 0 || procfd < 0)
		die(111);
	for (;;) {
		unsigned long got = wait_signals(sfd, ready && !persist ? 1000 : -1);

		reap();
		if (got & (1UL << (SIGTERM - 1)))
			shutdown(sfd, procfd, stop_timeout, stop_signal > 0 && stop_signal < 32 ? stop_signal : SIGTERM);
		if (got & (1UL << (SIGUSR1 - 1)))
			ready = 1;
		if (ready && !persist && count_others(procfd) == 0)
			die(last_status);
	}
}
