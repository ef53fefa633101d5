#include "sys/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys/clone3.h"
#include "sys/proc.h"
#include "util/mem.h"

extern char **environ;

/* One record of the report, written at once (smaller than PIPE_BUF, so
 * never split or mixed). */
struct record {
	int32_t step;
	int32_t errnum;
	char msg[BRIG_ERR_MAX];	/* "" for the steps spawn_read_report words */
};

void spawn_report(int fd, enum spawn_step step, const struct brig_err *e)
{
	struct record r = { .step = (int32_t)step };
	ssize_t n;

	if (e) {
		r.errnum = e->errnum;
		memcpy(r.msg, e->msg, sizeof(r.msg));
	}
	r.msg[sizeof(r.msg) - 1] = '\0';
	n = write(fd, &r, sizeof(r));
	(void)n;
}

int spawn_read_report(int fd, struct brig_err *e)
{
	struct record r;
	size_t got = 0;

	while (got < sizeof(r)) {
		ssize_t n = read(fd, (char *)&r + got, sizeof(r) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -2;
		if (n == 0) {
			errno = EPIPE;
			return got ? -2 : 0;
		}
		got += (size_t)n;
	}
	if (r.step == SPAWN_READY)
		return 1;
	r.msg[sizeof(r.msg) - 1] = '\0';
	e->errnum = r.errnum;
	memcpy(e->msg, r.msg, sizeof(e->msg));
	return -1;
}

/* The child: the message of a step that failed with errnum, unless the
 * step (.setup, .run) said more. */
static void child_error(enum spawn_step step, int errnum, const struct spawn_opts *o,
			const struct spawn_exec *x, struct brig_err *e)
{
	if (e->msg[0])
		return;
	switch (step) {
	case SPAWN_STEP_SESSION:
		brig_err_set(e, errnum, "setsid");
		break;
	case SPAWN_STEP_FDS:
		brig_err_set(e, errnum, "stdio");
		break;
	case SPAWN_STEP_DIR:
		brig_err_set(e, errnum, "chdir %s", o->dir);
		break;
	case SPAWN_STEP_EXEC:
		brig_err_set(e, errnum, "%s", x->path ? x->path : x->argv[0]);
		break;
	default:
		brig_err_set(e, errnum, "starting a process");
		break;
	}
}

/* What the child starts with. */
struct child_ctx {
	const struct spawn_opts *o;
	int report;		/* write end */
	int execfd;		/* the child's: o->execfd, moved above 0..nfds-1 */
	bool in_cgroup;		/* cloned into o->cgroup */
	sigset_t mask;		/* the parent's, before spawn() blocked all */
};

/* The report of a .run child, once it has started (spawn_started()). */
static int run_report = -1;

void spawn_started(void)
{
	if (run_report < 0)
		return;
	spawn_report(run_report, SPAWN_READY, NULL);
	close(run_report);
	run_report = -1;
}

/* The child: descriptors 0..nfds-1 as asked, through numbers above them
 * (so that a source among 0..nfds-1 is not overwritten first, and each
 * dup2 clears close-on-exec). */
static int child_fds(struct child_ctx *c)
{
	const struct spawn_opts *o = c->o;
	int tmp[SPAWN_MAXFD], keep[SPAWN_MAXFD + 2];
	size_t nkeep = 0;

	for (size_t i = 0; i < o->nfds; i++) {
		int src = o->fds[i];

		if (src == SPAWN_FD_KEEP) {
			tmp[i] = -1;
			continue;
		}
		tmp[i] = src == SPAWN_FD_NULL ? open("/dev/null", O_RDWR | O_CLOEXEC) : src;
		if (tmp[i] < 0)
			return -1;
		tmp[i] = fcntl(tmp[i], F_DUPFD_CLOEXEC, (int)o->nfds);
		if (tmp[i] < 0)
			return -1;
	}
	/* The report and the program too, if among those numbers. */
	if (c->report < (int)o->nfds) {
		int r = fcntl(c->report, F_DUPFD_CLOEXEC, (int)o->nfds);

		if (r < 0)
			return -1;
		c->report = r;
	}
	c->execfd = o->execfd;
	if (o->execfd >= 0 && (c->execfd = fcntl(o->execfd, F_DUPFD_CLOEXEC, (int)o->nfds)) < 0)
		return -1;
	for (size_t i = 0; i < o->nfds; i++)
		if (tmp[i] >= 0 && dup2(tmp[i], (int)i) < 0)
			return -1;
	for (size_t i = 0; i < o->nfds; i++)
		keep[nkeep++] = (int)i;
	keep[nkeep++] = c->report;
	keep[nkeep++] = c->execfd;
	if (o->close_others)
		close_fds_except(keep, nkeep);
	return 0;
}

/* The child: signals as the program should find them. Dispositions first
 * (while all are blocked: no handler of brig's ever runs in a child that
 * shares its memory), then the mask. */
static void child_signals(const struct child_ctx *c)
{
	const struct spawn_opts *o = c->o;
	sigset_t none;

	for (int s = 1; s < NSIG; s++) {
		struct sigaction sa;

		if (s == SIGKILL || s == SIGSTOP || sigaction(s, NULL, &sa) < 0)
			continue;
		if (sa.sa_handler == SIG_DFL || (sa.sa_handler == SIG_IGN && !o->reset_signals))
			continue;
		signal(s, SIG_DFL);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, o->reset_signals ? &none : &c->mask, NULL);
}

const char *spawn_envp_path(char *const *envp)
{
	const char *path = "/bin:/usr/bin";

	for (char *const *v = envp; v && *v; v++)
		if (strncmp(*v, "PATH=", 5) == 0)
			path = *v + 5;
	return path;
}

bool spawn_path_next(const char **p, const char *file, char *buf, size_t n)
{
	while (*p) {
		const char *s = *p;
		size_t len = strcspn(s, ":");

		*p = s[len] ? s + len + 1 : NULL;
		/* An empty entry is the working directory, as for execvp. */
		if ((size_t)snprintf(buf, n, "%.*s%s%s", (int)len, s, len ? "/" : "", file) < n)
			return true;
	}
	return false;
}

/* The child: execvp(), but with PATH taken from envp (glibc's execvpe
 * reads the caller's), as the program's own environment says where its
 * commands are. No memory of its own: the child may share brig's. */
static void exec_search(char *const *argv, char *const *envp)
{
	const char *p = spawn_envp_path(envp);
	char buf[4096];
	bool denied = false;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, envp);
		return;
	}
	while (spawn_path_next(&p, argv[0], buf, sizeof(buf))) {
		execve(buf, argv, envp);
		if (errno == ENOEXEC) {
			/* No #! line: a script of the shell's, as execvp runs it. */
			char *sh[64] = { "/bin/sh", buf };
			size_t n = 1;

			while (argv[n - 1] && n < ARRAY_SIZE(sh) - 1) {
				sh[n + 1] = argv[n];
				n++;
			}
			if (!argv[n - 1])
				execve(sh[0], sh, envp);
			errno = ENOEXEC;
			return;
		}
		if (errno == EACCES)
			denied = true;
		else if (errno != ENOENT && errno != ENOTDIR)
			return;
	}
	errno = denied ? EACCES : ENOENT;
}

/* The child, from the clone or fork to the exec (or .run). */
static void exec_now(const struct child_ctx *c, const struct spawn_exec *x)
{
	if (c->execfd >= 0)
		syscall(SYS_execveat, c->execfd, "", x->argv, x->envp, AT_EMPTY_PATH);
	else if (x->path)
		execve(x->path, x->argv, x->envp);
	else
		exec_search(x->argv, x->envp);
}

/* o->daemon: the command in a grandchild (a plain fork: the child may be
 * on its parent's memory, the grandchild never is); 0 once it has
 * executed, -1 with errno (the grandchild reaped) if it could not. */
static int exec_daemon(const struct child_ctx *c, const struct spawn_exec *x)
{
	int p[2], err = 0;
	ssize_t n;
	pid_t z;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	/* Raw: no atfork handler runs in a child sharing brig's memory. */
	z = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (z == 0) {
		close(p[0]);
		exec_now(c, x);
		err = errno;
		(void)!write(p[1], &err, sizeof(err));
		_exit(127);
	}
	err = errno;
	close(p[1]);
	if (z < 0) {
		close(p[0]);
		errno = err;
		return -1;
	}
	do
		n = read(p[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n != sizeof(err))
		return 0;	/* EOF: it executed */
	while (waitpid(z, NULL, 0) < 0 && errno == EINTR)
		;
	errno = err;
	return -1;
}

static int child_main(void *arg)
{
	struct child_ctx *c = arg;
	const struct spawn_opts *o = c->o;
	struct spawn_exec x = { .argv = o->argv, .envp = o->envp ? o->envp : environ, .report = c->report,
				.in_cgroup = c->in_cgroup };
	struct brig_err e = { 0 };
	enum spawn_step step = SPAWN_STEP_SESSION;

	if ((o->setsid && setsid() < 0) || (o->setpgid && setpgid(0, 0) < 0))
		goto fail;
	step = SPAWN_STEP_FDS;
	if (child_fds(c) < 0)
		goto fail;
	x.report = c->report;
	step = SPAWN_STEP_SETUP;
	if (o->setup && o->setup(o->arg, &x, &e) < 0)
		goto fail;
	step = SPAWN_STEP_DIR;
	if (o->dir && chdir(o->dir) < 0)
		goto fail;
	if (o->run) {
		int code;

		/* brig's own code goes on: its handlers, its mask. */
		sigprocmask(SIG_SETMASK, &c->mask, NULL);
		run_report = c->report;
		step = SPAWN_STEP_RUN;
		code = o->run(o->arg, &e);
		if (code < 0 && run_report >= 0)
			goto fail;
		proc_child_exit(code < 0 ? 127 : code);
	}
	child_signals(c);
	step = SPAWN_STEP_EXEC;
	if (!o->daemon)
		exec_now(c, &x);
	else if (exec_daemon(c, &x) == 0)
		proc_child_exit(0);
fail:
	child_error(step, errno, o, &x, &e);
	spawn_report(c->report, step, &e);
	proc_child_exit(127);
	return 127;
}

/* Make the child (c->pid, and c->pidfd if asked): 0, or -1 with errno. */
static int make_child(const struct spawn_opts *o, struct child_ctx *ctx, struct spawn_child *c)
{
	void *stack;
	int err;

	if (o->fork) {
		fflush(NULL);
		c->pid = fork();
		if (c->pid == 0)
			child_main(ctx);
		if (c->pid < 0)
			return -1;
		/* Not reaped yet: the pidfd is this very child's. */
		if (o->pidfd)
			c->pidfd = (int)pidfd_open(c->pid, 0);
		return 0;
	}
	/* Sharing our memory, we held until it has executed (sys/proc.h). */
	stack = proc_stack_new(NULL);
	if (!stack)
		return -1;
	c->pid = -1;
	if (o->cgroup >= 0) {
		struct clone3_args ca = {
			.flags = CLONE_VM | CLONE_VFORK | CLONE_INTO_CGROUP | (o->pidfd ? CLONE_PIDFD : 0),
			.pidfd = (uintptr_t)&c->pidfd, .exit_signal = SIGCHLD,
			.stack = (uintptr_t)proc_stack_top(stack) - PROC_STACK, .stack_size = PROC_STACK,
			.cgroup = (uint64_t)o->cgroup,
		};

		ctx->in_cgroup = true;
		c->pid = clone3_vm(&ca, child_main, ctx);
		/* No clone3, or no CLONE_INTO_CGROUP (Linux < 5.7). */
		if (c->pid < 0 && errno != ENOSYS && errno != EINVAL && errno != E2BIG) {
			err = errno;
			proc_stack_free(stack);
			errno = err;
			return -1;
		}
		ctx->in_cgroup = c->pid >= 0;
	}
	if (c->pid < 0)
		c->pid = clone(child_main, proc_stack_top(stack),
			       CLONE_VM | CLONE_VFORK | (o->pidfd ? CLONE_PIDFD : 0) | SIGCHLD, ctx,
			       &c->pidfd);
	err = errno;
	proc_stack_free(stack);
	errno = err;
	return c->pid < 0 ? -1 : 0;
}

static const char *spawn_name(const struct spawn_opts *o)
{
	return o->name ? o->name : o->argv && o->argv[0] ? o->argv[0] : "a child process";
}

int spawn_begin(const struct spawn_opts *o, struct spawn_child *c, struct brig_err *e)
{
	struct child_ctx ctx = { .o = o };
	int p[2], r, err;
	sigset_t all;

	c->pid = -1;
	c->pidfd = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return brig_err_set(e, errno, "%s: pipe", spawn_name(o));
	ctx.report = p[1];
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &ctx.mask);
	r = make_child(o, &ctx, c);
	err = errno;
	sigprocmask(SIG_SETMASK, &ctx.mask, NULL);
	close(p[1]);
	if (r < 0 && c->pid < 0) {
		close(p[0]);
		return brig_err_set(e, err, "%s: %s", spawn_name(o), o->fork ? "fork" : "clone");
	}
	return p[0];
}

int spawn_end(const struct spawn_opts *o, struct spawn_child *c, int report, struct brig_err *e)
{
	const char *name = spawn_name(o);
	int r = spawn_read_report(report, e);

	close(report);
	if (r == 0 && o->run) {
		/* How it ended, where it is ours to wait for. */
		int st = o->no_reap ? -1 : proc_waitpid(c->pid);

		if (st >= 0)
			c->pid = -1;
		if (st >= 0 && WIFSIGNALED(st))
			r = brig_err_set(e, 0, "%s: ended without reporting (killed by SIG%s)", name,
					 sigabbrev_np(WTERMSIG(st)));
		else if (st >= 0 && WIFEXITED(st))
			r = brig_err_set(e, 0, "%s: ended without reporting (exit status %d)", name,
					 WEXITSTATUS(st));
		else
			r = brig_err_set(e, 0, "%s: ended without reporting", name);
	} else if (r == -2) {
		r = brig_err_set(e, errno, "%s: reading its report", name);
	}
	if (r >= 0)
		return 0;
	if (!o->no_reap && c->pid >= 0) {
		proc_waitpid(c->pid);
		c->pid = -1;
	}
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->pidfd = -1;
	return -1;
}

int spawn(const struct spawn_opts *o, struct spawn_child *c, struct brig_err *e)
{
	int report = spawn_begin(o, c, e);

	return report < 0 ? -1 : spawn_end(o, c, report, e);
}

int spawn_wait(const struct spawn_child *c, int timeout_ms, bool group)
{
	cleanup_close int own = c->pidfd < 0 ? (int)pidfd_open(c->pid, 0) : -1;
	int pidfd = c->pidfd >= 0 ? c->pidfd : own;
	int r = pidfd < 0 ? 1 : proc_wait_deferred(pidfd, timeout_ms);

	if (r <= 0) {
		if (group)
			kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL);
		proc_waitpid(c->pid);
		return r == 0 ? SPAWN_TIMEOUT : SPAWN_INTERRUPTED;
	}
	return proc_waitpid(c->pid);
}
