/* core_exec: a command (or a login shell, or a console) in a running jail. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/jail.h"
#include "core/lock.h"
#include "core/spec.h"
#include "sys/devices.h"
#include "sys/enter.h"
#include "sys/proc.h"
#include "sys/pty.h"
#include "sys/spawn.h"
#include "util/mem.h"

/* Which of the command's stdin, stdout, stderr (bits 0-2) get a fresh
 * pty, and the caller's ends of its relay. A terminal of the caller is
 * never passed to the command: each one is replaced by the pty. */
static unsigned choose_pty(enum core_tty tty, struct pty_ends *x)
{
	unsigned mask = 0;

	for (int i = 0; i < 3; i++)
		if (isatty(i))
			mask |= 1U << i;
	x->term = mask & 1 ? 0 : mask & 2 ? 1 : mask & 4 ? 2 : -1;
	if (tty == CORE_TTY_ALWAYS) {
		x->in = 0;
		x->out = 1;
		return 7;
	}
	x->in = mask & 1 ? 0 : -1;
	/* Only stdin a terminal: the pty's echo goes back to it. */
	x->out = mask & 2 ? 1 : mask & 4 ? 2 : 0;
	return mask;
}

bool jail_has_devpts(const struct jail_def *d)
{
	struct brig_err e;
	int sets = jail_devsets(d, &e);

	return jail_own_dev(d) && sets >= 0 && (sets & DEVFS_LOGIN);
}

int jail_spawn_tty(struct enter_req *r, enum core_tty tty, bool jail_pty, struct brig_err *e)
{
	cleanup_close int master = -1, slave = -1;
	struct pty_ends x;
	int sv[2] = { -1, -1 };
	struct spawn_child p;
	int st;

	r->pty_stdio = choose_pty(tty, &x);
	r->pty_term = x.term;
	if (r->pty_stdio && jail_pty) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return brig_err_set(e, errno, "terminal: socketpair");
		r->pty_sock = sv[1];
	} else if (r->pty_stdio) {
		if (pty_open(AT_FDCWD, "/dev/ptmx", x.term, &master, &slave, e) < 0)
			return brig_err_wrap(e, "terminal");
		r->pty = slave;
	}
	if (enter_spawn(r, &p, e) < 0) {
		if (sv[0] >= 0) {
			close(sv[0]);
			close(sv[1]);
		}
		return -1;
	}
	if (sv[0] >= 0) {
		close(sv[1]);
		master = pty_recv_fd(sv[0]);
		close(sv[0]);
	}
	/* Ours goes: only the command's side may keep the pty open. */
	if (slave >= 0)
		close(TAKE_FD(slave));
	if (master >= 0) {
		cleanup_close int pfd = pidfd_open(p.pid, 0);
		struct brig_err ignored;

		/* A failed relay still ends with the command's status. */
		if (pfd >= 0)
			pty_relay(master, pfd, &x, &ignored);
	}
	st = proc_waitpid(p.pid);
	return st < 0 ? brig_err_set(e, errno, "waitpid") : proc_exit_code(st);
}

/* The command on a pty slave the caller made (the OCI runtime's console,
 * whose master it has passed on): nothing relayed; its status. */
static int spawn_console(struct enter_req *r, int slave, struct brig_err *e)
{
	struct spawn_child p;
	int st;

	r->pty = slave;
	r->pty_stdio = 7;
	if (enter_spawn(r, &p, e) < 0)
		return -1;
	st = proc_waitpid(p.pid);
	return st < 0 ? brig_err_set(e, errno, "waitpid") : proc_exit_code(st);
}

/* The command held (core_exec_opts.hold): 0 once it waits, *pid its pid. */
static int spawn_held(struct enter_req *r, int console, pid_t *pid, struct brig_err *e)
{
	struct spawn_child x;
	int p[2];
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		return brig_err_set(e, errno, "pipe");
	r->pid_fd = p[1];
	if (console > 2) {
		r->pty = console;
		r->pty_stdio = 7;
	}
	if (enter_spawn(r, &x, e) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	do
		n = read(p[0], pid, sizeof(*pid));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	proc_waitpid(x.pid);
	if (n != (ssize_t)sizeof(*pid))
		return brig_err_set(e, 0, "the held process's pid was not passed on");
	return 0;
}

int core_exec(const struct core_jail *j, const struct core_exec_opts *o, struct brig_err *e)
{
	cleanup_free char *dir = jail_dir(j->name);
	cleanup_free char **cg = NULL;
	struct jail_user as;
	struct enter_req r = { .fd_in = -1, .fd_out = -1, .fd_err = -1, .pty = -1, .pty_sock = -1 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	struct jstate st;
	const struct jail_def *d;
	char **env;
	int pidfd, status;
	size_t ncg = 0;

	if (state_read(dir, &st, e) <= 0 || st.init_pid != j->init_pid)
		return brig_err_set(e, 0, "%s: exec: not running", j->name);
	/* Pinned: from here on, this pidfd is the jail's init or nothing. */
	pidfd = proc_pidfd(st.init_pid, st.init_start, e);
	if (pidfd < 0) {
		state_free(&st);
		return brig_err_set(e, 0, "%s: exec: not running", j->name);
	}
	cg = state_cgroup_joins(&st, &ncg);
	d = jail_recorded_def(&st);
	env = o->env ? NULL : env_jail(o->login || jd_on(d, JP_EXEC_CLEAN), d);
	r.pidfd = pidfd;
	r.nsflags = st.nsflags;
	r.cgroups = cg;
	r.ncgroups = ncg;
	r.user = o->user ? o->user : jd_str(d, JP_EXEC_JAIL_USER);
	r.argv = o->argv;
	r.dir = o->dir ? o->dir : jd_str(d, JP_EXEC_WORKDIR);
	r.login = o->login || !o->argv;
	r.env = o->env ? o->env : env;
	r.caps = o->caps ? st.caps & o->caps : st.caps;
	r.no_new_privs = o->no_new_privs;
	r.seccomp2 = o->filter;
	r.as = o->as;
	r.seccomp = spec_filter(&st);
	r.hold = o->hold;
	r.hold_ctx = o->hold_ctx;
	r.hold_fd = o->hold_fd;
	jail_rlimits(d, &r.rlimits);
	for (size_t i = 0; o->rlimits && i < o->rlimits->n; i++) {
		size_t k = 0;

		while (k < r.rlimits.n && r.rlimits.v[k].res != o->rlimits->v[i].res)
			k++;
		if (k < ARRAY_SIZE(r.rlimits.v)) {
			r.rlimits.v[k] = o->rlimits->v[i];
			r.rlimits.n += k == r.rlimits.n;
		}
	}
	status = 0;
	if (o->host_user) {
		status = passwd_host(o->host_user, &as, e);
		r.as = &as;
	}
	if (status == 0) {
		/* Like system(3): the terminal's ^C is for the command (the
		 * entering process passes it on), not for us. */
		sigaction(SIGINT, &ign, &old_int);
		sigaction(SIGQUIT, &ign, &old_quit);
		status = o->hold ? spawn_held(&r, o->console, o->held, e)
			 : o->console > 2 ? spawn_console(&r, o->console, e)
					  : jail_spawn_tty(&r, o->tty, jail_has_devpts(d), e);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		/* Init counts the jail's processes again. */
		pidfd_send_signal(pidfd, SIGUSR2, NULL, 0);
	}
	if (o->host_user && r.as)
		passwd_free(&as);
	if (status < 0)
		brig_err_wrap(e, "%s: exec", j->name);
	env_free(env);
	close(pidfd);
	state_free(&st);
	return status;
}
