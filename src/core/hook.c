/* exec.* hooks: host commands and commands inside the jail, as jail(8)
 * runs them (FreeBSD usr.sbin/jail/command.c). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "core/jail.h"
#include "core/spec.h"
#include "sys/enter.h"
#include "sys/proc.h"
#include "util/io.h"
#include "sys/spawn.h"
#include "util/mem.h"
#include "util/strbuf.h"


char **hook_argv(const char *cmd)
{
	char **v = NULL;
	size_t n = 0;

	if (strpbrk(cmd, CONF_SHELL_CHARS)) {
		v = xcalloc(4, sizeof(*v));
		v[0] = xstrdup("/bin/sh");
		v[1] = xstrdup("-c");
		v[2] = xstrdup(cmd);
		return v;
	}
	for (const char *p = cmd;;) {
		size_t len;

		p += strspn(p, " \t\f\v\r\n");
		if (!*p)
			break;
		len = strcspn(p, " \t\f\v\r\n");
		v = xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = xstrndup(p, len);
		v[n] = NULL;
		p += len;
	}
	return v ? v : xcalloc(1, sizeof(*v));
}

/* A copy of n values. */
static char **argv_copy(char *const *v, size_t n)
{
	char **r = xcalloc(n + 1, sizeof(*r));

	for (size_t i = 0; i < n; i++)
		r[i] = xstrdup(v[i]);
	return r;
}

void hook_argv_free(char **argv)
{
	for (char **a = argv; a && *a; a++)
		free(*a);
	free(argv);
}

/* "a b c" of an argv, for messages. */
static char *argv_line(char *const *argv)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; argv[i]; i++) {
		if (i)
			sb_addc(&sb, ' ');
		sb_adds(&sb, argv[i]);
	}
	return sb_steal(&sb);
}

/* An error for a command that did not succeed; 0 if it did. */
static int judge(const char *param, const char *line, int st, long timeout, struct brig_err *e)
{
	if (st == SPAWN_TIMEOUT)
		return brig_err_set(e, 0, "%s: %s: timed out after %ld s (exec.timeout)", param, line, timeout);
	if (st == SPAWN_INTERRUPTED)
		return brig_err_set(e, 0, "%s: %s: interrupted by SIG%s", param, line,
				    sigabbrev_np(proc_deferred()));
	if (st < 0)
		return brig_err_set(e, errno, "%s: %s", param, line);
	if (WIFSIGNALED(st))
		return brig_err_set(e, 0, "%s: %s: exited on signal %d", param, line, WTERMSIG(st));
	if (WEXITSTATUS(st) != 0)
		return brig_err_set(e, 0, "%s: %s: failed (exit status %d)", param, line, WEXITSTATUS(st));
	return 0;
}

/* exec.system_user, resolved on the host before the spawn (the child
 * shares brig's memory: it only makes the calls that switch). */
struct host_user {
	const char *name;	/* NULL: stay root */
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	int ngroups;
};

static int host_user_get(const char *name, struct host_user *u, struct brig_err *e)
{
	struct passwd *pw;

	*u = (struct host_user){ .name = name };
	if (!name)
		return 0;
	pw = getpwnam(name);
	if (!pw)
		return brig_err_set(e, 0, "exec.system_user \"%s\": no such user on the host", name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->ngroups = 16;
	for (;;) {
		int n = u->ngroups;

		u->groups = xrealloc(u->groups, (size_t)n * sizeof(gid_t));
		if (getgrouplist(pw->pw_name, pw->pw_gid, u->groups, &n) >= 0) {
			u->ngroups = n;
			return 0;
		}
		if (n <= u->ngroups)
			n = u->ngroups * 2;
		u->ngroups = n;
	}
}

/* The host hook's child: become exec.system_user (initgroups, setgid,
 * setuid). */
static int host_setup(void *arg, struct spawn_exec *x, struct brig_err *e)
{
	const struct host_user *u = arg;

	if (u->name && (setgroups((size_t)u->ngroups, u->groups) < 0 || setgid(u->gid) < 0 ||
			setuid(u->uid) < 0))
		return brig_err_set(e, errno, "exec.system_user \"%s\"", u->name);
	return 0;
}

/* One command on the host: in a process group of its own (a timeout
 * kills the group), as a new process (brig may be deferring signals). */
static int run_host(struct jctx *x, const char *param, char **argv, const char *line,
		    struct brig_err *e)
{
	struct spawn_opts o = SPAWN_OPTS_INIT;
	struct spawn_child c;
	struct host_user u;
	int st;

	if (host_user_get(x->sp.system_user, &u, e) < 0)
		return brig_err_wrap(e, "%s", param);
	o.argv = argv;
	o.envp = env_host(x->sp.clean, x->st.jid, x->name, x->sp.path);
	o.setpgid = true;
	o.reset_signals = true;
	o.setup = host_setup;
	o.arg = &u;
	o.pidfd = true;
	st = spawn(&o, &c, e);
	env_free((char **)o.envp);
	free(u.groups);
	if (st < 0)
		return brig_err_wrap(e, "%s", param);
	st = spawn_wait(&c, x->sp.exec_timeout > 0 ? (int)(x->sp.exec_timeout * 1000) : -1, true);
	if (c.pidfd >= 0)
		close(c.pidfd);
	return judge(param, line, st, x->sp.exec_timeout, e);
}

/* The enter request for a command in x's jail (argv NULL: login shell). */
static void jail_req(const struct jctx *x, struct enter_req *r, char **argv, char **env,
		     char **cgroups, size_t ncg)
{
	memset(r, 0, sizeof(*r));
	r->pidfd = x->pidfd;
	r->nsflags = x->st.nsflags;
	r->cgroups = cgroups;
	r->ncgroups = ncg;
	r->user = x->sp.jail_user;
	r->dir = x->sp.workdir;
	r->argv = argv;
	r->env = env;
	r->caps = x->st.caps;
	r->seccomp = spec_filter(&x->st);
	if (x->def)
		jail_rlimits(x->def, &r->rlimits);
	r->fd_in = r->fd_out = r->fd_err = r->pty = r->pty_sock = -1;
}

/* A descriptor of the caller's terminal fd of its own, write-only: what
 * the jail may hold of it (it cannot read the host's keystrokes). */
static int tty_write_only(int fd, struct brig_err *e)
{
	cleanup_free char *self = xasprintf("/proc/self/fd/%d", fd);
	int w = open(self, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	return w < 0 ? brig_err_set(e, errno, "reopening the terminal write-only") : w;
}

/* jail(8)'s `command` at a terminal: through a fresh pty (core/exec.c),
 * waited for without exec.timeout (it is the user's shell). */
static int run_jail_tty(struct jctx *x, const char *param, struct enter_req *r,
			struct brig_err *e)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int st;

	/* Like system(3): the terminal's ^C is for the command. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	st = jail_spawn_tty(r, CORE_TTY_AUTO, jail_has_devpts(x->def), e);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	pidfd_send_signal(x->pidfd, SIGUSR2, NULL, 0);
	if (st < 0)
		return brig_err_wrap(e, "%s", param);
	if (st != 0)
		return brig_err_set(e, 0, "%s: failed (exit status %d)", param, st);
	return 0;
}

/* One command inside the jail. */
static int run_jail(struct jctx *x, enum jparam id, char **argv, const char *line,
		    struct brig_err *e)
{
	const char *param = jd_name(id);
	cleanup_close int log = -1, in = -1, out = -1, err = -1;
	cleanup_free char **cg = NULL;
	struct spawn_child p;
	struct enter_req r;
	struct jail_user as;
	char **env;
	size_t ncg;
	int st;

	/* Where the output goes: exec.consolelog; else, for brig's own
	 * commands, brig's log of the jail (so that the services rc starts
	 * never hold the caller's stdout: `brig start web | cat` ends); else
	 * (jail(8)) the caller's, as on FreeBSD. */
	bool service = id == JP_EXEC_SERVICE;

	if (x->sp.consolelog) {
		log = open(x->sp.consolelog, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (log < 0)
			return brig_err_set(e, errno, "exec.consolelog: %s", x->sp.consolelog);
	} else if (service || (x->sink && x->sink->ops && x->sink->ops->own_log)) {
		/* A service outlives the caller: never its stdout. */
		log = jlog_open(x->name, e);
		if (log < 0)
			return brig_err_wrap(e, "%s: brig's log of the jail", param);
	}
	cg = state_cgroup_joins(&x->st, &ncg);
	env = env_jail(x->sp.clean, x->def);
	jail_req(x, &r, argv, env, cg, ncg);
	r.fd_out = r.fd_err = log;
	r.detach = service;
	if (x->sp.jail_user && jd_on(x->def, JP_EXEC_SYSTEM_JAIL_USER)) {
		if (passwd_host(x->sp.jail_user, &as, e) < 0) {
			env_free(env);
			return brig_err_wrap(e, "%s: exec.system_jail_user", param);
		}
		r.as = &as;
	}
	/* The caller's terminal never enters the jail (a process the hook
	 * leaves behind could read what is typed at the host afterwards).
	 * jail(8)'s `command` (jail -c path=/ command=/bin/sh: a shell in
	 * the jail) gets a fresh pty, relayed, as brig exec does. The other
	 * hooks get no input from a terminal, and their output goes to the
	 * caller's terminal through a descriptor of their own opened
	 * write-only. Pipes and files pass as they are. */
	if (log < 0 && (isatty(0) || isatty(1) || isatty(2)) && id == JP_COMMAND) {
		st = run_jail_tty(x, param, &r, e);
		env_free(env);
		if (r.as)
			passwd_free(&as);
		return st;
	}
	if (isatty(0) || service) {
		in = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			st = brig_err_set(e, errno, "/dev/null");
			goto fail;
		}
		r.fd_in = in;
	}
	if (log < 0 && ((isatty(1) && (out = tty_write_only(1, e)) < 0) ||
			(isatty(2) && (err = tty_write_only(2, e)) < 0))) {
		st = -1;
		goto fail;
	}
	if (out >= 0)
		r.fd_out = out;
	if (err >= 0)
		r.fd_err = err;
	st = enter_spawn(&r, &p, e);
	env_free(env);
	if (r.as)
		passwd_free(&as);
	if (st < 0) {
		brig_err_wrap(e, "%s", param);
	} else {
		/* On a timeout the entering process goes; what it started in
		 * the jail goes with the jail, which a failed hook takes down
		 * anyway. */
		st = spawn_wait(&p, x->sp.exec_timeout > 0 ? (int)(x->sp.exec_timeout * 1000) : -1, false);
		st = judge(param, line, st, x->sp.exec_timeout, e);
	}
	/* Init counts the jail's processes again (entered ones are not its
	 * children). */
	pidfd_send_signal(x->pidfd, SIGUSR2, NULL, 0);
	return st;
fail:
	env_free(env);
	if (r.as)
		passwd_free(&as);
	return brig_err_wrap(e, "%s: %s", param, line);
}

/* The commands of param: each value of the list is one command, except
 * for `command` of a jail given on the command line (no file), whose
 * values are one argv, as jail(8) treats `jail -c ... command=ARGV...`,
 * and exec.service, always one argv (as an image's Entrypoint and Cmd:
 * no word split, no shell). */
int hook_run(struct jctx *x, enum jparam id, bool in_jail, struct brig_err *e)
{
	const char *param = jd_name(id);
	size_t n = 0;
	char *const *v = x->def ? jd_list(x->def, id, &n) : NULL;
	bool one_argv = n && ((id == JP_COMMAND && !x->def->at.file) || id == JP_EXEC_SERVICE);

	for (size_t i = 0; i < n; i++) {
		char **argv = one_argv ? argv_copy(v, n) : hook_argv(v[i]);
		cleanup_free char *line = NULL;
		const char *text;
		int r;

		if (!argv[0]) {
			hook_argv_free(argv);
			continue;
		}
		line = argv_line(argv);
		if (x->verbose) {
			const char *as = in_jail ? x->sp.jail_user : x->sp.system_user;
			cleanup_free char *note = xasprintf("run command%s%s%s: %s", in_jail ? " in jail" : "",
							    as ? " as " : "", as ? as : "", line);

			sink_emit(x->sink, x->name, CORE_EV_VERBOSE, note);
		}
		/* Messages quote the command as written; -v shows what runs. */
		text = one_argv ? line : v[i];
		r = in_jail ? run_jail(x, id, argv, text, e) : run_host(x, param, argv, text, e);
		hook_argv_free(argv);
		if (r < 0)
			return -1;
		if (one_argv)
			break;
	}
	return 0;
}
