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
#include <unistd.h>

#include "sys/caps.h"
#include "sys/cgroup.h"
#include "sys/passwd.h"
#include "sys/proc.h"
#include "sys/pty.h"
#include "sys/seccomp.h"
#include "sys/spawn.h"
#include "sys/userns.h"
#include "util/io.h"
#include "util/mem.h"

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

/* Y: change to dir inside the jail (falling back to / unless exact) and
 * check that the result is a real path of the jail, not a handle left
 * outside it. */
static int enter_dir(const char *dir, bool exact, struct brig_err *e)
{
	char cwd[4096];

	if (chdir(dir) < 0 && (exact || chdir("/") < 0))
		return brig_err_set(e, errno, "chdir %s", exact ? dir : "/");
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
		return brig_err_set(e, EPERM, "the working directory is outside the jail");
	return 0;
}

/* "UID" or "UID:GID" that the jail's passwd does not know (a container
 * image's User): those ids, group 0 unless given, home /, as container
 * runtimes do. -1 if name is not such numbers. */
static int numeric_user(const char *name, struct jail_user *u)
{
	unsigned long long uid, gid = 0;
	char *end;

	if (name[0] < '0' || name[0] > '9')
		return -1;
	uid = strtoull(name, &end, 10);
	if (*end == ':') {
		if (end[1] < '0' || end[1] > '9')
			return -1;
		gid = strtoull(end + 1, &end, 10);
	}
	if (*end || uid > 0xfffffffeULL || gid > 0xfffffffeULL)
		return -1;
	*u = (struct jail_user){ .name = xstrdup(name), .uid = (uid_t)uid, .gid = (gid_t)gid,
				 .groups = xcalloc(1, sizeof(gid_t)), .ngroups = 1,
				 .home = xstrdup("/"), .shell = xstrdup("/bin/sh") };
	u->groups[0] = (gid_t)gid;
	return 0;
}

/* Y: look name up in the jail's own files, read beneath its root (Y's,
 * since it joined the jail's mount namespace); numeric ids it does not
 * know are taken as they are. */
static int jail_user(const char *name, struct jail_user *u, struct brig_err *e)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root < 0)
		return brig_err_set(e, errno, "the jail's root");
	if (passwd_lookup(root, "/etc/passwd", "/etc/group", name, u, e) == 0)
		return 0;
	if (numeric_user(name, u) < 0)
		return -1;
	brig_err_clear(e);
	return 0;
}

/* Y, held: whether argv[0] is a program it can execute (as execvp looks
 * it up: spawn's search), checked before it waits, as runc checks it at
 * create: a missing program is create's error, not a later death. */
static int check_program(char *const *argv, char *const *envp, struct brig_err *e)
{
	const char *path = spawn_envp_path(envp), *p = path;
	char buf[4096];

	if (strchr(argv[0], '/'))
		return access(argv[0], X_OK) == 0 ? 0 : brig_err_set(e, errno, "%s", argv[0]);
	while (spawn_path_next(&p, argv[0], buf, sizeof(buf)))
		if (access(buf, X_OK) == 0)
			return 0;
	return brig_err_set(e, ENOENT, "%s: not found in PATH %s", argv[0], path);
}

/* What X and Y work with (X's copy: X is forked). */
struct x_args {
	const struct enter_req *r;
	struct cgroup_join cg;	/* the jail's cgroups, opened by X */
	int pty;		/* the slave Y gets as its terminal (-1: none) */
	char *shell_argv[2];	/* a login shell's argv */
};

/* Y, on X's memory until it executes (X held meanwhile): from the clone
 * to the exec, which spawn() makes of x. */
static int y_setup(void *arg, struct spawn_exec *x, struct brig_err *e)
{
	struct x_args *a = arg;
	const struct enter_req *r = a->r;
	struct jail_user u;

	/* First of all: into the jail's cgroups (the v2 one by the clone
	 * where the kernel can: sys/cgroup.h). */
	if (cgroup_join_self(&a->cg, x->in_cgroup) < 0)
		return brig_err_set(e, errno, "joining the jail's cgroups");
	if (limits_rlimits_self(&r->rlimits) < 0)
		return brig_err_set(e, errno, "the jail's rlimits (rctl)");
	/* (Their descriptors close on exec: X closes its own.) */
	if (setup_stdio(r, a->pty, e) < 0)
		return -1;
	if (r->as) {
		u = *r->as;
	} else if (jail_user(r->user ? r->user : "root", &u, e) < 0) {
		/* A root-only jail without /etc/passwd is still enterable as root. */
		if (r->user)
			return -1;
		brig_err_clear(e);
		u = (struct jail_user){ .name = xstrdup("root"), .home = xstrdup("/root"),
					.shell = xstrdup("/bin/sh") };
	}
	if (enter_dir(r->login ? u.home : r->dir ? r->dir : "/", !r->login && r->dir, e) < 0)
		return -1;
	x->envp = build_env(r->env, &u);
	if (!r->argv) {
		const char *base = strrchr(u.shell, '/');

		a->shell_argv[0] = xasprintf("-%s", base ? base + 1 : u.shell);
		x->argv = a->shell_argv;
		x->path = u.shell;
	}
	if (caps_limit(r->caps, e) < 0)
		return -1;
	if (r->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return brig_err_set(e, errno, "no_new_privs");
	if (seccomp_prog_load(r->seccomp, e) < 0 || (r->seccomp2 && seccomp_prog_load(r->seccomp2, e) < 0))
		return -1;
	if (setgroups(u.ngroups, u.groups) < 0 || setresgid(u.gid, u.gid, u.gid) < 0 ||
	    setresuid(u.uid, u.uid, u.uid) < 0)
		return brig_err_set(e, errno, "user \"%s\": switching to uid %u", u.name, (unsigned)u.uid);
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (r->hold && r->argv && check_program(r->argv, x->envp, e) < 0)
		return -1;
	if (r->hold) {
		/* X goes on (spawn() returns on this); only a failure
		 * before it is reported (the report closes with X's end). */
		spawn_report(x->report, SPAWN_READY, NULL);
		if (r->hold(r->hold_ctx, e) < 0)
			proc_child_exit(127);
	}
	return 0;
}

/* X, in the jail's namespaces: a pty of the jail's own devpts (its
 * programs see a tty of theirs, /dev/pts/N), its master sent to the
 * caller; returns the slave. */
static int jail_pty(const struct enter_req *r, struct brig_err *e)
{
	cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int master, slave;

	if (root < 0)
		return brig_err_set(e, errno, "terminal: the jail's root");
	if (pty_open(root, "/dev/pts/ptmx", r->pty_term, &master, &slave, e) < 0)
		return brig_err_wrap(e, "terminal");
	if (pty_send_fd(r->pty_sock, master) < 0) {
		brig_err_set(e, errno, "terminal: pty: passing it on");
		close(master);
		close(slave);
		return -1;
	}
	close(master);
	close(r->pty_sock);
	return slave;
}

/* X, forked: join the jail. */
static int x_setup(void *arg, struct spawn_exec *x, struct brig_err *e)
{
	struct x_args *a = arg;
	const struct enter_req *r = a->r;
	int *keep = xcalloc(r->ncgroups + 11, sizeof(int));
	size_t nkeep = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (cgroup_join_open(r->cgroups, r->ncgroups, &a->cg, e) < 0)
		return -1;
	/* Nothing of the host stays reachable: no ptrace, no /proc/PID/fd,
	 * no descriptor but those the command needs. */
	prctl(PR_SET_DUMPABLE, 0);
	keep[nkeep++] = r->pidfd;
	keep[nkeep++] = x->report;
	keep[nkeep++] = r->fd_in;
	keep[nkeep++] = r->fd_out;
	keep[nkeep++] = r->fd_err;
	keep[nkeep++] = r->pty;
	keep[nkeep++] = r->pty_sock;
	keep[nkeep++] = r->hold ? r->hold_fd : -1;
	keep[nkeep++] = r->hold ? r->pid_fd : -1;
	for (size_t i = 0; i < a->cg.nv1; i++)
		keep[nkeep++] = a->cg.v1[i];
	keep[nkeep++] = a->cg.v2;
	keep[nkeep++] = a->cg.v2procs;
	close_fds_except(keep, nkeep);
	free(keep);
	/* The user namespace first (the kernel joins it before the others). */
	if (setns(r->pidfd, r->nsflags) < 0)
		return brig_err_set(e, errno, "joining the jail's namespaces");
	/* A userns jail: the host's root is nobody there; be the jail's. */
	if ((r->nsflags & CLONE_NEWUSER) && userns_become_root(e) < 0)
		return -1;
	close(r->pidfd);
	a->pty = r->pty;
	if (r->pty_sock >= 0 && (a->pty = jail_pty(r, e)) < 0)
		return -1;
	return 0;
}

static volatile pid_t forward_to;

/* X: pass a terminal signal on to the command. */
static void forward(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

/* X, in the jail: start Y (the command), stay outside, pass terminal
 * signals on to it and end with its status. */
static int x_run(void *arg, struct brig_err *e)
{
	static const int fwd[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
	struct x_args *a = arg;
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct spawn_child y;
	sigset_t all, old;

	/* Y shares our memory until it executes the command (sys/spawn.h). */
	o.argv = a->r->argv;
	/* Not from inside a user namespace: the kernel checks the right to
	 * create Y in the group with X's credentials there (Y then joins
	 * with the file X opened before). */
	if (!(a->r->nsflags & CLONE_NEWUSER))
		o.cgroup = a->cg.v2;
	o.reset_signals = true;
	/* A service: Y ends once it has executed it in a child of its own,
	 * which the jail's init (the reaper of Y's PID namespace, which X
	 * is not in) inherits, reaps, and counts among the jail's. */
	o.daemon = a->r->detach;
	o.setup = y_setup;
	o.arg = a;
	/* Held: Y waits in its setup, X goes on. */
	o.fork = a->r->hold != NULL;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if (spawn(&o, &y, e) < 0)
		return -1;
	if (a->r->hold) {
		pid_t pid = y.pid;

		if (write(a->r->pid_fd, &pid, sizeof(pid)) != (ssize_t)sizeof(pid)) {
			kill(y.pid, SIGKILL);
			return brig_err_set(e, errno, "passing the process's pid on");
		}
		spawn_started();
		return 0;
	}
	/* Y runs the command: only it may report now (EOF: it ran). */
	spawn_started();
	cgroup_join_close(&a->cg);
	/* Only the command may hold the pty: its end is the console's end. */
	if (a->pty >= 0)
		close(a->pty);
	forward_to = y.pid;
	for (size_t i = 0; i < ARRAY_SIZE(fwd); i++)
		sigaction(fwd[i], &(struct sigaction){ .sa_handler = forward, .sa_flags = SA_RESTART }, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return proc_exit_code(proc_waitpid(y.pid));
}

int enter_spawn(const struct enter_req *r, struct spawn_child *c, struct brig_err *e)
{
	struct x_args a = { .r = r, .cg = { .v2 = -1, .v2procs = -1 }, .pty = -1 };
	struct spawn_opts o = SPAWN_OPTS_INIT;

	o.fork = true;
	o.setup = x_setup;
	o.run = x_run;
	o.arg = &a;
	o.name = r->argv ? r->argv[0] : "a login shell";
	return spawn(&o, c, e);
}
