#include "sys/enter.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/caps.h"
#include "sys/cgroup.h"
#include "sys/passwd.h"
#include "sys/proc.h"
#include "sys/pty.h"
#include "sys/seccomp.h"
#include "sys/userns.h"
#include "util/io.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Report e on fd (best effort). */
static void report(int errfd, const struct brig_err *e)
{
	size_t len = strnlen(e->msg, sizeof(e->msg));
	ssize_t n = write(errfd, e->msg, len);

	(void)n;
}

/* X: report e and leave. */
static __attribute__((noreturn)) void fail_exit(int errfd, const struct brig_err *e)
{
	report(errfd, e);
	_exit(127);
}

/* Y: the environment of the command, the user's own variables added. */
static char **build_env(char *const *base, const struct jail_user *u)
{
	size_t n = 0, i = 0;
	char **env;

	while (base && base[n])
		n++;
	env = xcalloc(n + 5, sizeof(*env));
	for (; i < n; i++)
		env[i] = base[i];
	env[i++] = xasprintf("HOME=%s", u->home);
	env[i++] = xasprintf("SHELL=%s", u->shell);
	env[i++] = xasprintf("USER=%s", u->name);
	env[i++] = xasprintf("LOGNAME=%s", u->name);
	return env;
}

/* Y: the pty (if >= 0) as the controlling terminal and as the stdio
 * r->pty_stdio names; the given descriptors (or the caller's) as the
 * others. */
static int setup_stdio(const struct enter_req *r, int pty, struct brig_err *e)
{
	const int fds[3] = { r->fd_in, r->fd_out, r->fd_err };

	/* A session of its own: TIOCSTI cannot reach the caller's terminal. */
	if (setsid() < 0)
		return brig_err_set(e, errno, "setsid");
	if (pty >= 0 && ioctl(pty, TIOCSCTTY, 0) < 0)
		return brig_err_set(e, errno, "pty: controlling terminal");
	for (int i = 0; i < 3; i++) {
		int fd = pty >= 0 && (r->pty_stdio & (1U << i)) ? pty : fds[i];

		if (fd >= 0 && dup2(fd, i) < 0)
			return brig_err_set(e, errno, "stdio");
	}
	return 0;
}

/* Y: change to dir inside the jail (falling back to /) and check that the
 * result is a real path of the jail, not a handle left outside it. */
static int enter_dir(const char *dir, struct brig_err *e)
{
	char cwd[4096];

	if (chdir(dir) < 0 && chdir("/") < 0)
		return brig_err_set(e, errno, "chdir");
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
		return brig_err_set(e, EPERM, "the working directory is outside the jail");
	return 0;
}

/* Y: look name up in the jail's own files, read beneath its root (Y's,
 * since it joined the jail's mount namespace). */
static int jail_user(const char *name, struct jail_user *u, struct brig_err *e)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root < 0)
		return brig_err_set(e, errno, "the jail's root");
	return passwd_lookup(root, "/etc/passwd", "/etc/group", name, u, e);
}

/* Y: from the clone to the exec. Returns only on error. */
static int child_exec(const struct enter_req *r, const int *cgfds, int pty, struct brig_err *e)
{
	char *shell_argv[] = { NULL, NULL };
	struct jail_user u;
	char *const *argv = r->argv;
	cleanup_free char *argv0 = NULL;
	sigset_t none;

	/* First of all: into the jail's cgroups. */
	for (size_t i = 0; i < r->ncgroups; i++)
		if (write(cgfds[i], "0", 1) != 1)
			return brig_err_set(e, errno, "joining cgroup %s", r->cgroups[i]);
	for (size_t i = 0; i < r->ncgroups; i++)
		close(cgfds[i]);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (setup_stdio(r, pty, e) < 0)
		return -1;
	if (r->as) {
		u = *r->as;
	} else if (jail_user(r->user ? r->user : "root", &u, e) < 0) {
		/* A root-only jail without /etc/passwd is still enterable as root. */
		if (r->user)
			return -1;
		u = (struct jail_user){ .name = xstrdup("root"), .home = xstrdup("/root"),
					.shell = xstrdup("/bin/sh") };
	}
	if (enter_dir(r->login ? u.home : "/", e) < 0)
		return -1;
	environ = build_env(r->env, &u);
	if (!argv) {
		const char *base = strrchr(u.shell, '/');

		argv0 = xasprintf("-%s", base ? base + 1 : u.shell);
		shell_argv[0] = argv0;
		argv = shell_argv;
	}
	if (caps_limit(r->caps, e) < 0 || seccomp_prog_load(r->seccomp, e) < 0)
		return -1;
	if (setgroups(u.ngroups, u.groups) < 0 || setresgid(u.gid, u.gid, u.gid) < 0 ||
	    setresuid(u.uid, u.uid, u.uid) < 0)
		return brig_err_set(e, errno, "user \"%s\": switching to uid %u", u.name, (unsigned)u.uid);
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (r->argv)
		execvp(argv[0], argv);
	else
		execv(u.shell, argv);
	return brig_err_set(e, errno, "%s", r->argv ? argv[0] : u.shell);
}

/* What Y starts with. */
struct y_args {
	const struct enter_req *r;
	const int *cgfds;
	int pty, errfd;
};

/* Y, on X's memory (X waits until Y has executed the command or ended). */
static int y_main(void *arg)
{
	const struct y_args *a = arg;
	struct brig_err e = { 0 };

	child_exec(a->r, a->cgfds, a->pty, &e);
	report(a->errfd, &e);
	proc_child_exit(127);
	return 127;
}

static volatile pid_t forward_to;

/* X: pass a terminal signal on to the command. */
static void forward(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

/* X, in the jail's namespaces: a pty of the jail's own devpts (its
 * programs see a tty of theirs, /dev/pts/N), its master sent to the
 * caller; returns the slave. */
static int jail_pty(const struct enter_req *r, int errfd)
{
	struct brig_err e = { 0 };
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), master, slave;

	if (root < 0)
		brig_err_set(&e, errno, "the jail's root");
	else if (pty_open(root, "/dev/pts/ptmx", r->pty_term, &master, &slave, &e) == 0 &&
		 pty_send_fd(r->pty_sock, master) < 0)
		brig_err_set(&e, errno, "pty: passing it on");
	if (e.msg[0]) {
		brig_err_wrap(&e, "terminal");
		fail_exit(errfd, &e);
	}
	close(root);
	close(master);
	close(r->pty_sock);
	return slave;
}

/* X: join the jail, clone Y, wait for it. Never returns. */
static __attribute__((noreturn)) void intermediate(const struct enter_req *r, int errfd)
{
	static const int fwd[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
	struct brig_err e = { 0 };
	int *cgfds = xcalloc(r->ncgroups + 1, sizeof(int));
	int *keep = xcalloc(r->ncgroups + 8, sizeof(int));
	size_t nkeep = 0;
	int pty = r->pty;
	sigset_t all, old;
	void *ystack;
	pid_t y;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (size_t i = 0; i < r->ncgroups; i++)
		if ((cgfds[i] = cgroup_open_procs(r->cgroups[i], &e)) < 0)
			fail_exit(errfd, &e);
	/* Nothing of the host stays reachable: no ptrace, no /proc/PID/fd,
	 * no descriptor but those the command needs. */
	prctl(PR_SET_DUMPABLE, 0);
	keep[nkeep++] = r->pidfd;
	keep[nkeep++] = errfd;
	keep[nkeep++] = r->fd_in;
	keep[nkeep++] = r->fd_out;
	keep[nkeep++] = r->fd_err;
	keep[nkeep++] = r->pty;
	keep[nkeep++] = r->pty_sock;
	for (size_t i = 0; i < r->ncgroups; i++)
		keep[nkeep++] = cgfds[i];
	close_fds_except(keep, nkeep);
	free(keep);
	/* The user namespace first (the kernel joins it before the others). */
	if (setns(r->pidfd, r->nsflags) < 0) {
		brig_err_set(&e, errno, "joining the jail's namespaces");
		fail_exit(errfd, &e);
	}
	/* A userns jail: the host's root is nobody there; be the jail's. */
	if ((r->nsflags & CLONE_NEWUSER) && userns_become_root(&e) < 0)
		fail_exit(errfd, &e);
	close(r->pidfd);
	if (r->pty_sock >= 0)
		pty = jail_pty(r, errfd);
	ystack = proc_stack_new(&e);
	if (!ystack)
		fail_exit(errfd, &e);
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	/* Y shares our memory until it executes the command (sys/proc.h);
	 * CLONE_VFORK holds us until then. Its stack goes with us. */
	y = clone(y_main, proc_stack_top(ystack), CLONE_VM | CLONE_VFORK | SIGCHLD,
		  &(struct y_args){ .r = r, .cgfds = cgfds, .pty = pty, .errfd = errfd });
	if (y < 0) {
		brig_err_set(&e, errno, "clone");
		fail_exit(errfd, &e);
	}
	/* Only Y (until it executes) may report now: EOF means it ran. */
	close(errfd);
	for (size_t i = 0; i < r->ncgroups; i++)
		close(cgfds[i]);
	/* Only the command may hold the pty: its end is the console's end. */
	if (pty >= 0)
		close(pty);
	forward_to = y;
	for (size_t i = 0; i < ARRAY_SIZE(fwd); i++)
		sigaction(fwd[i], &(struct sigaction){ .sa_handler = forward, .sa_flags = SA_RESTART }, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	_exit(proc_exit_code(proc_waitpid(y)));
}

int enter_spawn(const struct enter_req *r, struct enter_proc *p, struct brig_err *e)
{
	int ep[2];

	if (pipe2(ep, O_CLOEXEC) < 0)
		return brig_err_set(e, errno, "pipe");
	fflush(NULL);
	p->pid = fork();
	if (p->pid == 0) {
		close(ep[0]);
		intermediate(r, ep[1]);
	}
	close(ep[1]);
	if (p->pid < 0) {
		close(ep[0]);
		return brig_err_set(e, errno, "fork");
	}
	p->errfd = ep[0];
	return 0;
}

int enter_wait(struct enter_proc *p, struct brig_err *e)
{
	struct strbuf msg = STRBUF_INIT;
	int st;

	(void)read_to_end(p->errfd, &msg);	/* what it said before an error */
	close(p->errfd);
	p->errfd = -1;
	st = proc_waitpid(p->pid);
	if (msg.len) {
		brig_err_set(e, 0, "%s", msg.s);
		sb_free(&msg);
		return -1;
	}
	sb_free(&msg);
	if (st < 0)
		return brig_err_set(e, errno, "waitpid");
	return proc_exit_code(st);
}
