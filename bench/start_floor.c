/* The kernel's share of a jail start, without brig: what any
 * implementation of brig's jail model must at least do, timed as a peer
 * in bench/jail_start.sh.
 *
 *   start_floor ROOT PIDFILE
 *
 * clone() into a new PID namespace, sharing this process's memory until
 * it executes (CLONE_VM, as brig does: on a VM a fork-like copy costs more
 * than the rest together); the child makes mount, UTS, IPC and
 * network namespaces, binds ROOT onto itself, mounts /proc, pivot_root()s
 * into it and executes this program again (built static and small, like
 * brig's init) as its PID 1, which pauses. The parent returns
 * once the exec has happened (a close-on-exec pipe closes), leaving the
 * "jail" running and its PID in PIDFILE. No cgroups, no /sys, no /dev, no
 * capabilities or seccomp, no state, no configuration, no hooks: brig
 * does all of these, so this is a floor, not a competitor. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	_exit(1);
}

static int p[2], self;
static char *root;

/* The child: namespaces, root, /proc, pivot_root, exec. The parent only
 * waits meanwhile, so sharing its memory is safe. */
static int child(void *arg)
{
	char *av[] = { "init", "P", NULL }, *env[] = { NULL };

	(void)arg;
	close(p[0]);
	setsid();
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET) < 0)
		die("unshare");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0 || chdir(root) < 0 ||
	    mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount");
	if (syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		die("pivot_root");
	syscall(SYS_execveat, self, "", av, env, AT_EMPTY_PATH);
	die("exec");
	return 1;
}

int main(int argc, char **argv)
{
	static char stack[64 * 1024] __attribute__((aligned(64)));
	char c;
	pid_t pid;
	FILE *f;

	if (argc == 2 && argv[1][0] == 'P') {	/* PID 1 */
		pause();
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: start_floor ROOT PIDFILE\n");
		return 2;
	}
	root = argv[1];
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe");
	self = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	if (self < 0)
		die("/proc/self/exe");
	pid = clone(child, stack + sizeof(stack), CLONE_VM | CLONE_NEWPID | SIGCHLD, NULL);
	if (pid < 0)
		die("clone");
	close(p[1]);
	if (read(p[0], &c, 1) != 0)
		return 1;
	f = fopen(argv[2], "w");
	if (!f || fprintf(f, "%d\n", (int)pid) < 0 || fclose(f) != 0)
		return 1;
	return 0;
}
