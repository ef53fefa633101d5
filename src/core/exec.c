/* core_exec: a command (or a login shell, or a console) in a running jail. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/jail.h"
#include "core/lock.h"
#include "sys/enter.h"
#include "sys/proc.h"
#include "sys/pty.h"
#include "util/mem.h"

/* Run the command and wait: through a pty relay for a console. The pty
 * comes from the jail's own devpts when it has one (mount.devfs), made by
 * the entering process inside the jail; otherwise from the host's. */
static int spawn_wait(struct enter_req *r, bool pty, bool jail_pty, struct brig_err *e)
{
	cleanup_close int master = -1, slave = -1;
	int sv[2] = { -1, -1 };
	struct enter_proc p;

	if (pty && jail_pty) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return brig_err_set(e, errno, "console: socketpair");
		r->pty_sock = sv[1];
	} else if (pty) {
		if (pty_open("/dev/ptmx", &master, &slave, e) < 0)
			return -1;
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
	if (pty && master >= 0) {
		cleanup_close int pfd = pidfd_open(p.pid, 0);

		if (pfd >= 0)
			pty_relay(master, pfd, e);
	}
	return enter_wait(&p, e);
}

int core_exec(const struct core_jail *j, const struct core_exec_opts *o, struct brig_err *e)
{
	cleanup_free char *dir = jail_dir(j->name);
	cleanup_free char **cg = NULL;
	struct jail_user as;
	struct enter_req r = { .fd_in = -1, .fd_out = -1, .fd_err = -1, .pty = -1, .pty_sock = -1 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	struct jstate st;
	const char *clean;
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
	cg = xcalloc(st.nobjs + 1, sizeof(*cg));
	for (size_t i = 0; i < st.nobjs; i++)
		if (strcmp(st.objs[i].kind, "cgroup") == 0)
			cg[ncg++] = st.objs[i].id;
	clean = state_param(&st, "exec.clean");
	env = env_jail(o->login || (clean && strcmp(clean, "true") == 0));
	r.pidfd = pidfd;
	r.nsflags = st.nsflags;
	r.cgroups = cg;
	r.ncgroups = ncg;
	r.user = o->user ? o->user : state_param(&st, "exec.jail_user");
	r.argv = o->argv;
	r.login = o->login || !o->argv;
	r.env = env;
	r.caps = st.caps;
	r.seccomp = spec_filter(&st);
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
		const char *devfs = state_param(&st, "mount.devfs");

		status = spawn_wait(&r, o->pty, devfs && strcmp(devfs, "true") == 0, e);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		/* Init counts the jail's processes again. */
		pidfd_send_signal(pidfd, SIGUSR2, NULL, 0);
	}
	if (r.as)
		passwd_free(&as);
	if (status < 0)
		brig_err_wrap(e, "%s: exec", j->name);
	env_free(env);
	close(pidfd);
	state_free(&st);
	return status;
}
