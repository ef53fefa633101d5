/* brig-oci (and `brig oci ...`): the OCI runtime command line, as runc has
 * it, over brig's own engine. A container is a brig jail named by its id,
 * whose model comes from the bundle's config.json (oci/spec.c): `create`
 * starts the jail (core_start: cgroups, mounts, limits, its PID 1) and
 * makes the container's process in it (core_exec, held: runc's), all set
 * up and waiting on exec.fifo; `start` lets it execute the user's
 * program. That process is the container's pid (state, --pid-file), a
 * child of the caller's subreaper (conmon, containerd's shim) as runc's
 * is; a holder process outside waits for it to end and then stops the
 * jail. The runtime's own record is oci/state.h's. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "cli/fe_oci.h"
#include "core/core.h"
#include "oci/seccomp.h"
#include "oci/spec.h"
#include "oci/state.h"
#include "sys/limits.h"
#include "sys/passwd.h"
#include "sys/proc.h"
#include "sys/pty.h"
#include "sys/spawn.h"
#include "util/io.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/readfile.h"
#include "util/strbuf.h"
#include "util/writefile.h"

/* ---- the global options, and messages ---- */

struct oci_opts oci_g = { .root = OCI_ROOT_DEFAULT };

/* A message as runc logs it: to --log (JSON lines with --log-format
 * json, else logfmt), and errors and warnings to stderr too. */
void oci_log(const char *level, const char *fmt, ...)
{
	char msg[2048], when[64];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	if (oci_g.log) {
		FILE *f = fopen(oci_g.log, "ae");
		struct strbuf sb = STRBUF_INIT;

		if (oci_g.log_json) {
			sb_adds(&sb, "{\"level\":");
			json_quote(&sb, level);
			sb_adds(&sb, ",\"msg\":");
			json_quote(&sb, msg);
			sb_addf(&sb, ",\"time\":\"%s.%09ldZ\"}\n", when, ts.tv_nsec);
		} else {
			sb_addf(&sb, "time=\"%s.%09ldZ\" level=%s msg=", when, ts.tv_nsec, level);
			json_quote(&sb, msg);
			sb_addc(&sb, '\n');
		}
		if (f) {
			fputs(sb.s, f);
			fclose(f);
		}
		sb_free(&sb);
	}
	/* Errors to stderr too (the caller's message); warnings only
	 * without --log and on a terminal: create's stderr is also the
	 * container's, whose log (podman logs) they must not join. */
	if (strcmp(level, "error") == 0 || (!oci_g.log && isatty(2) && strcmp(level, "warning") == 0))
		fprintf(stderr, "%s: %s%s\n", cli_prog, strcmp(level, "warning") == 0 ? "warning: " : "", msg);
}

int oci_fail(const struct brig_err *e)
{
	oci_log("error", "%s", e->msg);
	return 1;
}

/* ---- options of a command ---- */

int oci_args(int argc, char **argv, const struct oci_arg *spec, int *first, struct brig_err *e)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i], *eq;
		const struct oci_arg *s;
		size_t len;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		while (*a == '-')
			a++;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (s = spec; s->name; s++)
			if ((strlen(s->name) == len && strncmp(s->name, a, len) == 0) ||
			    (s->alias && strlen(s->alias) == len && strncmp(s->alias, a, len) == 0))
				break;
		if (!s->name)
			return brig_err_set(e, 0, "%s: unknown option %s", argv[0], argv[i]);
		if (s->str) {
			if (eq)
				*s->str = eq + 1;
			else if (i + 1 < argc)
				*s->str = argv[++i];
			else
				return brig_err_set(e, 0, "%s: option %s needs a value", argv[0], argv[i]);
		} else if (s->flag) {
			*s->flag = !eq || strcmp(eq + 1, "false") != 0;
		} else if (s->list) {
			const char *v = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;

			if (!v)
				return brig_err_set(e, 0, "%s: option %s needs a value", argv[0], argv[i]);
			*s->list = xrealloc(*s->list, (*s->nlist + 2) * sizeof(char *));
			(*s->list)[(*s->nlist)++] = (char *)v;
			(*s->list)[*s->nlist] = NULL;
		}
	}
	*first = i;
	return 0;
}

/* The container's id, the one operand of most commands. */
int oci_one_id(int argc, char **argv, int first, const char **id, struct brig_err *e)
{
	if (first >= argc)
		return brig_err_set(e, 0, "%s: a container id is needed", argv[0]);
	if (first + 1 < argc)
		return brig_err_set(e, 0, "%s: one container id only (%s...)", argv[0], argv[first + 1]);
	*id = argv[first];
	return 0;
}

/* ---- hooks ---- */

/* Where a hook runs: here (NULL), or in the container's namespaces
 * (createContainer): those of pidfd's process that are not ours, with
 * the runtime's root (rootfd) as its root, so that its path and what it
 * writes resolve as the runtime's, like runc's before its pivot_root. */
struct hook_ns {
	int pidfd, nsflags, rootfd;
};

/* A hook's child: its program by path (a script runs: an execfd closed
 * on exec would leave its interpreter nothing to read), after entering
 * the container (w: not NULL). */
struct hook_child {
	const char *path;
	const struct hook_ns *w;
};

static int hook_enter(void *arg, struct spawn_exec *x, struct brig_err *e)
{
	const struct hook_child *hc = arg;
	const struct hook_ns *w = hc->w;

	x->path = hc->path;
	if (!w)
		return 0;
	/* Its descriptors 3 and 4 (spawn_opts.fds), not the hook's. */
	if (setns(3, w->nsflags) < 0)
		return brig_err_set(e, errno, "joining the container's namespaces");
	if (fchdir(4) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return brig_err_set(e, errno, "the runtime's root");
	close(3);
	close(4);
	return 0;
}

/* Run the hooks of kind k, each with js (the state) on its stdin, as
 * the spec has them: the first failure is returned. */
static int run_hooks(const struct oci_spec *s, enum oci_hook_kind k, const struct strbuf *js,
		     const struct hook_ns *w, struct brig_err *e)
{
	for (size_t i = 0; i < s->nhooks[k]; i++) {
		const struct oci_hook *h = &s->hooks[k][i];
		char *def_argv[] = { h->path, NULL };
		char *const *argv = h->args && h->args[0] ? h->args : def_argv;
		char *noenv[] = { NULL };
		struct spawn_opts o = SPAWN_OPTS_INIT;
		struct spawn_child c;
		struct hook_child hc;
		int p[2], st_raw;

		if (pipe2(p, O_CLOEXEC) < 0)
			return brig_err_set(e, errno, "hooks.%s: pipe", oci_hook_name(k));
		o.argv = argv;
		o.envp = h->env && h->env[0] ? h->env : noenv;
		o.fds[0] = p[0];
		o.fds[1] = SPAWN_FD_KEEP;
		o.fds[2] = SPAWN_FD_KEEP;
		o.nfds = 3;
		if (w) {
			o.fds[3] = w->pidfd;
			o.fds[4] = w->rootfd;
			o.nfds = 5;
		}
		o.close_others = true;
		o.reset_signals = true;
		o.name = h->path;
		/* path is the program, args its argv (args[0] its name). */
		hc.path = h->path;
		hc.w = w;
		o.setup = hook_enter;
		o.arg = &hc;
		if (spawn(&o, &c, e) < 0) {
			close(p[0]);
			close(p[1]);
			return brig_err_wrap(e, "hooks.%s[%zu]", oci_hook_name(k), i);
		}
		close(p[0]);
		if (write_all(p[1], js->s, js->len) < 0 && errno != EPIPE)
			oci_log("warning", "hooks.%s[%zu]: writing the state: %s", oci_hook_name(k), i,
				strerror(errno));
		close(p[1]);
		st_raw = spawn_wait(&c, h->timeout > 0 ? (int)(h->timeout * 1000) : -1, false);
		if (st_raw < 0 || proc_exit_code(st_raw) != 0)
			return brig_err_set(e, 0, "hooks.%s[%zu]: %s %s", oci_hook_name(k), i, h->path,
					    st_raw == SPAWN_TIMEOUT ? "timed out" :
					    st_raw < 0 ? "could not be waited for" : "failed");
	}
	return 0;
}

/* The namespaces of pid that are not ours (CLONE_NEW*). */
static int other_ns(pid_t pid)
{
	static const struct { const char *name; int flag; } ns[] = {
		{ "mnt", CLONE_NEWNS }, { "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC },
		{ "net", CLONE_NEWNET }, { "cgroup", CLONE_NEWCGROUP },
	};
	int flags = 0;

	for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
		char a[64], b[64];
		struct stat sa, sb;

		snprintf(a, sizeof(a), "/proc/self/ns/%s", ns[i].name);
		snprintf(b, sizeof(b), "/proc/%d/ns/%s", (int)pid, ns[i].name);
		if (stat(a, &sa) == 0 && stat(b, &sb) == 0 && (sa.st_ino != sb.st_ino || sa.st_dev != sb.st_dev))
			flags |= ns[i].flag;
	}
	return flags;
}

int oci_hooks(const struct oci_spec *s, enum oci_hook_kind k, const struct oci_state *st,
	      enum oci_status status, struct brig_err *e)
{
	struct strbuf js = STRBUF_INIT;
	struct hook_ns w = { .pidfd = -1, .rootfd = -1 };
	int rc = -1;

	if (!s->nhooks[k])
		return 0;
	oci_state_json(st, status, &js);
	if (k == OCI_HOOK_CREATE_CONTAINER) {
		w.nsflags = other_ns(st->pid);
		if ((w.pidfd = proc_pidfd(st->pid, st->pid_start, e)) < 0 ||
		    (w.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
			if (w.pidfd >= 0)
				brig_err_set(e, errno, "hooks.%s: /", oci_hook_name(k));
			goto out;
		}
	}
	rc = run_hooks(s, k, &js, k == OCI_HOOK_CREATE_CONTAINER ? &w : NULL, e);
out:
	if (w.pidfd >= 0)
		close(w.pidfd);
	if (w.rootfd >= 0)
		close(w.rootfd);
	sb_free(&js);
	return rc;
}

/* ---- reading a container ---- */

/* The bundle's config.json (dir: a bundle or the runtime's record). */
int oci_spec_load(const char *dir, const char *bundle, const char *id, struct oci_spec *s,
		  struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/config.json", dir);
	cleanup_free char *text = NULL;
	size_t len = 0;

	if (read_bounded(AT_FDCWD, path, READ_PATH, 4 << 20, &text, &len, e) < 0) {
		memset(s, 0, sizeof(*s));
		return brig_err_wrap(e, "%s", path);
	}
	return oci_spec_parse(text, len, bundle, id, s, e);
}

/* The container's record and status (the jail's cgroup frozen: paused). */
int oci_load(const char *id, struct oci_state *st, enum oci_status *status, struct brig_err *e)
{
	if (oci_state_read(oci_g.root, id, st, e) < 0)
		return -1;
	*status = oci_status(oci_g.root, st, oci_frozen(id));
	return 0;
}

/* ---- create ---- */

/* What the container's process holds on to until start (in its jail). */
struct held {
	int fifo;		/* exec.fifo, read-write */
	const struct oci_spec *spec;
};

/* The container's process, in the jail, all set up, before it executes
 * (sys/enter.h enter_req.hold): wait for start, which writes "0" and
 * the state, one line, on exec.fifo; then the startContainer hooks, here
 * (their path is the container's), the state on their stdin. */
static int process_hold(void *arg, struct brig_err *e)
{
	struct held *h = arg;
	struct strbuf js = STRBUF_INIT;
	bool go = false;
	char c = 0;
	ssize_t r;

	for (;;) {
		r = read(h->fifo, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 1 || c == '\n' || (!go && c != '0'))
			break;
		if (go)
			sb_addc(&js, c);
		go = true;
	}
	/* exec.fifo stays open until the exec (close-on-exec): start waits
	 * for it to have no reader left. */
	if (r != 1 || c != '\n') {
		sb_free(&js);
		return brig_err_set(e, 0, "exec.fifo: start did not come");
	}
	r = run_hooks(h->spec, OCI_HOOK_START_CONTAINER, &js, NULL, e);
	sb_free(&js);
	/* start, waiting for the fifo to have no reader, reads this byte
	 * there once the process has ended: its error (the spec's). */
	if (r < 0 && write(h->fifo, OCI_FIFO_HOOK_FAILED, 1) != 1)
		brig_err_wrap(e, "exec.fifo: start cannot be told");
	return r < 0 ? -1 : 0;
}

/* The holder: waits for the container's process to end (pidfd), then
 * takes the jail down, as the end of runc's process ends its PID
 * namespace. */
struct holder {
	const char *id;
	int pidfd;
};

static int holder_run(void *arg, struct brig_err *e)
{
	struct holder *h = arg;
	char *names[] = { (char *)h->id };
	int keep = h->pidfd;

	(void)e;
	spawn_started();
	/* Nothing of create's: its caller's pipes would stay open. */
	close_fds_except(&keep, 1);
	proc_wait_exit(h->pidfd, -1);
	core_stop(NULL, names, 1, &(struct core_ops){ .quiet = true });
	return 0;
}

/* The container's process, made in the jail and held before it executes
 * (runc's): its host pid in *pid. Its OOM score is set from here,
 * before it executes. */
static int make_process(const char *id, const struct oci_spec *s, int fifo, int console,
			const struct seccomp_prog *filter, pid_t *pid, struct brig_err *e)
{
	struct jail_user u = { .name = (char *)"oci", .uid = s->uid, .gid = s->gid,
			       .home = (char *)"/", .shell = (char *)"/bin/sh" };
	struct held h = { .fifo = fifo, .spec = s };
	struct core_exec_opts o = { .argv = s->args, .as = &u, .dir = s->cwd, .env = s->env,
				    .caps = s->caps, .no_new_privs = s->no_new_privs,
				    .console = console, .tty = CORE_TTY_AUTO, .filter = filter,
				    .hold = process_hold, .hold_ctx = &h, .hold_fd = fifo, .held = pid };
	struct core_jail j = { 0 };
	struct rlim_set rl = { 0 };
	int rc;

	/* Its rlimits, over the jail's, set before it executes. */
	for (size_t i = 0; i < s->nrlimits && i < ARRAY_SIZE(rl.v); i++) {
		rl.v[rl.n].res = s->rlimits[i].resource;
		rl.v[rl.n].cur = s->rlimits[i].soft;
		rl.v[rl.n++].max = s->rlimits[i].hard;
	}
	o.rlimits = &rl;
	/* Supplementary groups: the primary one, then additionalGids. */
	u.groups = xcalloc(s->ngids + 1, sizeof(gid_t));
	u.groups[0] = s->gid;
	if (s->ngids)
		memcpy(u.groups + 1, s->gids, s->ngids * sizeof(gid_t));
	u.ngroups = s->ngids + 1;
	rc = core_find(id, &j, e) < 0 ? -1 : core_exec(&j, &o, e);
	core_jail_free(&j);
	free(u.groups);
	if (rc < 0)
		return -1;
	if (s->has_oom) {
		char path[64], v[16];
		int n = snprintf(v, sizeof(v), "%d\n", s->oom_score_adj), fd;

		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)*pid);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, v, (size_t)n) != n)
			oci_log("warning", "%s: process.oomScoreAdj: %s", id, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

static void report(void *ctx, const char *jail, enum core_event ev, const char *msg)
{
	struct brig_err *e = ctx;

	if ((ev == CORE_EV_FAILED || ev == CORE_EV_SKIPPED || ev == CORE_EV_ENDED) && msg && !e->msg[0])
		brig_err_set(e, 0, "%s", msg);
	else if (ev == CORE_EV_WARNING && msg)
		oci_log("warning", "%s", msg);
}

/* A unix socket connected to path (the console socket). */
static int connect_unix(const char *path, struct brig_err *e)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(a.sun_path))
		return brig_err_set(e, ENAMETOOLONG, "--console-socket %s", path);
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		brig_err_set(e, errno, "--console-socket %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* Above stdio for certain (core_exec_opts.console). */
	if (fd <= 2) {
		int hi = fcntl(fd, F_DUPFD_CLOEXEC, 3);

		close(fd);
		fd = hi;
	}
	return fd;
}

int oci_console(pid_t init, const char *socket_path, int *slave, struct brig_err *e)
{
	char root[64];
	cleanup_close int rootfd = -1, sock = -1;
	int master = -1;

	snprintf(root, sizeof(root), "/proc/%d/root", (int)init);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return brig_err_set(e, errno, "terminal: the jail's root");
	if ((sock = connect_unix(socket_path, e)) < 0 ||
	    pty_open(rootfd, "dev/pts/ptmx", -1, &master, slave, e) < 0)
		return -1;
	if (pty_send_fd(sock, master) < 0) {
		brig_err_set(e, errno, "--console-socket %s: sending the terminal", socket_path);
		close(master);
		close(*slave);
		return -1;
	}
	close(master);
	/* Above stdio for certain (core_exec_opts.console). */
	if (*slave <= 2) {
		int hi = fcntl(*slave, F_DUPFD_CLOEXEC, 3);

		close(*slave);
		*slave = hi;
	}
	return 0;
}

/* Remove the runtime's record of id. */
void oci_forget(const char *id)
{
	cleanup_free char *dir = oci_dir(oci_g.root, id);
	static const char *const files[] = { "exec.fifo", "state.json", "config.json" };

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		cleanup_free char *p = xasprintf("%s/%s", dir, files[i]);

		unlink(p);
	}
	/* Not empty: what a brig-oci killed while writing them left (its
	 * callers never act on a container being deleted). */
	if (rmdir(dir) < 0 && errno == ENOTEMPTY) {
		atomic_sweep(dir, "state.json");
		atomic_sweep(dir, "config.json");
		rmdir(dir);
	}
}

static int write_pid_file(const char *path, pid_t pid, struct brig_err *e)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	return write_atomic(path, buf, (size_t)n, false, e) < 0 ? brig_err_wrap(e, "--pid-file") : 0;
}

static char *now_rfc3339(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return xasprintf("%s.%09ldZ", buf, ts.tv_nsec);
}

/* The mount points of s's mounts, made in its root as runc makes them:
 * directories, or an empty file for a bind of a file; nothing followed
 * out of the root (util/mkdirp's MKDIRP_BENEATH). */
static int make_points(const struct oci_spec *s, struct brig_err *e)
{
	cleanup_close int rootfd = open(jd_str(s->def, JP_PATH), O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (rootfd < 0)
		return brig_err_set(e, errno, "root.path %s", jd_str(s->def, JP_PATH));
	for (size_t i = 0; i < s->npoints; i++) {
		struct stat sst;
		bool file = s->point_srcs[i] && stat(s->point_srcs[i], &sst) == 0 && !S_ISDIR(sst.st_mode);
		cleanup_free char *parent = xstrdup(s->points[i]);
		char *slash = strrchr(parent, '/');
		const char *base = slash ? slash + 1 : parent;
		cleanup_close int dfd = -1;
		int fd;

		if (!file) {
			dfd = mkdirp_open(rootfd, s->points[i], 0755, MKDIRP_BENEATH, e);
			if (dfd < 0)
				return brig_err_wrap(e, "mount point /%s", s->points[i]);
			continue;
		}
		if (slash)
			*slash = '\0';
		dfd = slash ? mkdirp_open(rootfd, parent, 0755, MKDIRP_BENEATH, e) : fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
		if (dfd < 0)
			return brig_err_wrap(e, "mount point /%s", s->points[i]);
		fd = openat(dfd, base, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EISDIR)
			return brig_err_set(e, errno, "mount point /%s", s->points[i]);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

int oci_create(const char *id, const char *bundle_arg, const char *pid_file, const char *console,
	       pid_t *pid, struct brig_err *e)
{
	char bundle[PATH_MAX];
	cleanup_free char *dir = oci_dir(oci_g.root, id);
	cleanup_free char *fifo = xasprintf("%s/exec.fifo", dir);
	cleanup_free char *copy = xasprintf("%s/config.json", dir);
	cleanup_free char *text = NULL;
	struct oci_spec s;
	struct oci_state st = { 0 };
	struct jail_set set;
	struct jail_def *defs[1];
	char *names[1] = { (char *)id };
	struct core_ops ops = { .quiet = true, .report = report };
	struct brig_err ce = { 0 };
	struct holder h = { .id = id, .pidfd = -1 };
	struct seccomp_prog h_filter = { 0 };
	int fifofd = -1, slave = -1;
	struct spawn_opts so = SPAWN_OPTS_INIT;
	struct spawn_child c = { .pid = -1, .pidfd = -1 };
	size_t len = 0;
	int rc = -1;

	if (!realpath(bundle_arg ? bundle_arg : ".", bundle))
		return brig_err_set(e, errno, "bundle %s", bundle_arg ? bundle_arg : ".");
	{
		cleanup_free char *path = xasprintf("%s/config.json", bundle);

		if (read_bounded(AT_FDCWD, path, READ_PATH, 4 << 20, &text, &len, e) < 0)
			return brig_err_wrap(e, "%s", path);
	}
	if (oci_spec_parse(text, len, bundle, id, &s, e) < 0) {
		oci_spec_free(&s);
		return -1;
	}
	for (size_t i = 0; i < s.nwarnings; i++)
		oci_log("warning", "%s: %s", id, s.warnings[i]);
	if (s.terminal && !console) {
		brig_err_set(e, 0, "process.terminal is true: --console-socket is needed");
		goto out_spec;
	}
	if (!s.terminal && console) {
		brig_err_set(e, 0, "--console-socket given, but process.terminal is false");
		goto out_spec;
	}
	if (make_points(&s, e) < 0 || (s.seccomp && oci_seccomp_compile(s.seccomp, &h_filter, e) < 0))
		goto out_spec;
	if (mkdirp(oci_g.root, 0711, e) < 0)
		goto out_spec;
	if (mkdir(dir, 0700) < 0) {
		brig_err_set(e, errno == EEXIST ? 0 : errno, errno == EEXIST ? "container \"%s\" exists already"
									    : "container \"%s\": %s",
			     id, dir);
		goto out_spec;
	}
	if (write_atomic(copy, text, len, false, e) < 0)
		goto out_dir;
	st.id = (char *)id;
	st.bundle = bundle;
	st.created = now_rfc3339();
	st.annotations = s.annotations ? s.annotations : (char *[]){ NULL };
	if (oci_state_write(oci_g.root, &st, e) < 0)
		goto out_dir;
	/* The jail, as brig starts any jail. */
	defs[0] = s.def;
	set = (struct jail_set){ .v = defs, .n = 1 };
	ops.ctx = &ce;
	if (core_start(&set, names, 1, &ops) != 0) {
		brig_err_set(e, 0, "%s", ce.msg[0] ? ce.msg : "starting the jail failed");
		goto out_dir;
	}
	if (s.sysctl[0]) {
		struct core_jail j = { 0 };
		int r = core_find(id, &j, e) < 0 ? -1 : oci_sysctl_apply(j.init_pid, s.sysctl, e);

		core_jail_free(&j);
		if (r < 0)
			goto out_jail;
	}
	if (mkfifo(fifo, 0600) < 0 || (fifofd = open(fifo, O_RDWR | O_CLOEXEC)) < 0) {
		brig_err_set(e, errno, "%s", fifo);
		goto out_jail;
	}
	if (console) {
		struct core_jail j = { 0 };
		int r = core_find(id, &j, e) < 0 ? -1 : oci_console(j.init_pid, console, &slave, e);

		core_jail_free(&j);
		if (r < 0)
			goto out_jail;
	}
	/* The container's process, waiting in the jail; then its holder. */
	if (make_process(id, &s, fifofd, slave, h_filter.len ? &h_filter : NULL, &st.pid, e) < 0)
		goto out_jail;
	close(TAKE_FD(fifofd));
	if (slave > 2)
		close(TAKE_FD(slave));
	if (proc_stat(st.pid, &st.pid_start, NULL) < 0 ||
	    (h.pidfd = proc_pidfd(st.pid, st.pid_start, e)) < 0) {
		brig_err_set(e, ESRCH, "the container's process (pid %d) ended", (int)st.pid);
		kill(st.pid, SIGKILL);
		goto out_jail;
	}
	so.fork = true;
	so.run = holder_run;
	so.arg = &h;
	so.name = "brig-oci holder";
	so.fds[0] = so.fds[1] = so.fds[2] = SPAWN_FD_NULL;
	so.nfds = 3;
	so.setsid = true;
	so.no_reap = true;
	if (spawn(&so, &c, e) < 0) {
		pidfd_send_signal(h.pidfd, SIGKILL, NULL, 0);
		goto out_jail;
	}
	st.holder = c.pid;
	if (proc_stat(c.pid, &st.holder_start, NULL) < 0)
		st.holder = 0;
	if (oci_state_write(oci_g.root, &st, e) < 0 || (pid_file && write_pid_file(pid_file, st.pid, e) < 0) ||
	    oci_hooks(&s, OCI_HOOK_PRESTART, &st, OCI_CREATED, e) < 0 ||
	    oci_hooks(&s, OCI_HOOK_CREATE_RUNTIME, &st, OCI_CREATED, e) < 0 ||
	    oci_hooks(&s, OCI_HOOK_CREATE_CONTAINER, &st, OCI_CREATED, e) < 0) {
		pidfd_send_signal(h.pidfd, SIGKILL, NULL, 0);
		goto out_jail;
	}
	*pid = st.pid;
	rc = 0;
	goto out;
out_jail:
	core_stop(NULL, names, 1, &(struct core_ops){ .quiet = true });
out_dir:
	oci_forget(id);
out:
	if (fifofd >= 0)
		close(fifofd);
	if (h.pidfd >= 0)
		close(h.pidfd);
	if (slave > 2)
		close(slave);
	free(st.created);
out_spec:
	free((void *)h_filter.bpf);
	oci_spec_free(&s);
	return rc;
}
