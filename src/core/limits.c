/* A jail's rctl rules (its model's rctl parameter, conf/rctl.h) turned
 * into the kernel's limits (sys/limits.h): at start, before the jail's
 * first process runs anything of the jail; live, by rctl -a / -r and
 * jail -m; and the log of the rules with action log when it stops. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "conf/rctl.h"
#include "core/jail.h"
#include "sys/cgroup.h"
#include "sys/nsrun.h"
#include "sys/proc.h"
#include "sys/reaper.h"
#include "util/mem.h"
#include "util/paths.h"

/* Without a maxproc or nthr rule: enough for any service, not for a
 * fork bomb (brig.conf(5), RESOURCE LIMITS). */
#define JAIL_PIDS_DEFAULT 4096ULL

/* Each rule of d, parsed (they were checked when the model was built). */
static size_t rules(const struct jail_def *d, struct rctl_rule **out)
{
	size_t n;
	char *const *v = jd_list(d, JP_RCTL, &n);

	return rctl_parse_list(v, n, out);
}

static unsigned long long min_ull(unsigned long long a, unsigned long long b)
{
	return a < b ? a : b;
}

/* The block device the jail's root is on (0: none found): its own, or,
 * for an overlay (an anonymous device), the store's. */
static dev_t root_dev(const char *path)
{
	struct stat st;

	if (path && stat(path, &st) == 0 && major(st.st_dev) != 0)
		return st.st_dev;
	if (stat(brig_storedir(), &st) == 0 && major(st.st_dev) != 0)
		return st.st_dev;
	return 0;
}

void jail_limits(const struct jail_def *d, struct jail_limits *l)
{
	struct rctl_rule *r;
	size_t n = rules(d, &r);
	bool rates = false;

	cg_limits_init(&l->cg);
	ipc_limits_init(&l->ipc);
	l->rl.n = 0;
	l->pty_max = LIMIT_NONE;
	l->cg.pids = JAIL_PIDS_DEFAULT;
	l->cg.pids_default = true;
	for (size_t i = 0; i < n; i++)
		if (r[i].action == RCTL_DENY && (r[i].res == RCTL_MAXPROC || r[i].res == RCTL_NTHR)) {
			l->cg.pids = LIMIT_NONE;
			l->cg.pids_default = false;
		}
	for (size_t i = 0; i < n; i++) {
		unsigned long long a = r[i].amount;
		int rl = -1;

		if (r[i].action == RCTL_LOG)
			continue;
		switch (r[i].res) {
		case RCTL_MEMORYUSE:
			l->cg.mem = a;
			break;
		case RCTL_SWAPUSE:
			l->cg.swap = a;
			break;
		case RCTL_MAXPROC:
		case RCTL_NTHR:
			l->cg.pids = min_ull(l->cg.pids, a);
			break;
		case RCTL_PCPU:
			l->cg.cpu = a;
			break;
		case RCTL_READBPS:
			l->cg.rbps = a, rates = true;
			break;
		case RCTL_WRITEBPS:
			l->cg.wbps = a, rates = true;
			break;
		case RCTL_READIOPS:
			l->cg.riops = a, rates = true;
			break;
		case RCTL_WRITEIOPS:
			l->cg.wiops = a, rates = true;
			break;
		case RCTL_MSGQSIZE:
			l->ipc.msgmnb = a;
			break;
		case RCTL_NMSGQ:
			l->ipc.msgmni = a;
			break;
		case RCTL_NSHM:
			l->ipc.shmmni = a;
			break;
		case RCTL_SHMSIZE:
			/* bytes, to pages */
			l->ipc.shmall = (a + (unsigned long long)sysconf(_SC_PAGESIZE) - 1) /
					(unsigned long long)sysconf(_SC_PAGESIZE);
			break;
		case RCTL_NSEM:
			l->ipc.semmns = a;
			break;
		case RCTL_NSEMOP:
			l->ipc.semopm = a;
			break;
		case RCTL_PSEUDOTERMINALS:
			l->pty_max = a;
			break;
		case RCTL_COREDUMPSIZE:
			rl = RLIMIT_CORE;
			break;
		case RCTL_CPUTIME:
			rl = RLIMIT_CPU;
			break;
		case RCTL_DATASIZE:
			rl = RLIMIT_DATA;
			break;
		case RCTL_MEMORYLOCKED:
			rl = RLIMIT_MEMLOCK;
			break;
		case RCTL_OPENFILES:
			rl = RLIMIT_NOFILE;
			break;
		case RCTL_STACKSIZE:
			rl = RLIMIT_STACK;
			break;
		case RCTL_VMEMORYUSE:
			rl = RLIMIT_AS;
			break;
		default:
			break;
		}
		if (rl >= 0 && l->rl.n < sizeof(l->rl.v) / sizeof(l->rl.v[0])) {
			size_t k = 0;

			while (k < l->rl.n && l->rl.v[k].res != rl)
				k++;
			if (k == l->rl.n) {
				l->rl.v[k].res = rl;
				l->rl.v[k].cur = l->rl.v[k].max = RLIM_INFINITY;
				l->rl.n++;
			}
			/* cputime: sigxcpu is the soft limit (SIGXCPU), deny the
			 * hard one (SIGKILL); the others: both. */
			if (r[i].action == RCTL_SIG) {
				l->rl.v[k].cur = a;
			} else {
				l->rl.v[k].max = a;
				l->rl.v[k].cur = min_ull(l->rl.v[k].cur, a);
			}
		}
	}
	if (jd_nonempty(d, JP_CPUSET))
		l->cg.cpus = jd_str(d, JP_CPUSET);
	if (rates)
		l->cg.iodev = root_dev(jd_str(d, JP_PATH));
	free(r);
}

/* The counter a rule of action log is watched by (memoryuse: the
 * memory now; maxproc, nthr: the tasks now), from the first of the
 * jail's groups dirs that has one; -1 if none has. */
static int watch_open(char *const *dirs, size_t n, const struct rctl_rule *r)
{
	static const char *const mem[] = { "memory.current", "memory.usage_in_bytes", NULL };
	static const char *const pids[] = { "pids.current", NULL };
	const char *const *f = r->res == RCTL_MEMORYUSE ? mem : pids;
	int fd = -1;

	for (; *f && fd < 0; f++)
		fd = cgroup_open_file(dirs, n, *f);
	return fd;
}

size_t jail_limits_nlog(const struct jail_def *d)
{
	struct rctl_rule *r;
	size_t nr = rules(d, &r), k = 0;

	for (size_t i = 0; i < nr; i++)
		k += r[i].action == RCTL_LOG;
	free(r);
	return k;
}

/* A rule with action log is watched by the jail's reaper (sys/reaper.h),
 * which needs a counter to read: refused where the jail's groups have
 * none, and past what one reaper watches. */
static int limits_log_check(char *const *dirs, size_t n, const struct jail_def *d, struct brig_err *e)
{
	struct rctl_rule *r;
	size_t nr = rules(d, &r), k = 0;
	int rc = 0;

	for (size_t i = 0; i < nr && rc == 0; i++) {
		int fd;

		if (r[i].action != RCTL_LOG)
			continue;
		if (++k > REAPER_MAX_WATCH)
			rc = brig_err_set(e, 0, "%s:%s: more than %d rules of action log or devctl",
					  rctl_res(r[i].res)->name, r[i].actname, REAPER_MAX_WATCH);
		else if ((fd = watch_open(dirs, n, &r[i])) < 0)
			rc = brig_err_set(e, 0, "%s:%s: no counter to watch (cgroup v2 %s, v1 %s)",
					  rctl_res(r[i].res)->name, r[i].actname,
					  r[i].res == RCTL_MEMORYUSE ? "memory.current" : "pids.current",
					  r[i].res == RCTL_MEMORYUSE ? "memory.usage_in_bytes" : "pids.current");
		else
			close(fd);
	}
	free(r);
	return rc;
}

size_t jail_limits_watches(struct jctx *x, const struct jail_def *d, struct jail_watches *out)
{
	struct rctl_rule *r;
	size_t nr = rules(d, &r), nd;
	char **dirs = state_obj_ids(&x->st, JOBJ_CGROUP, &nd);

	out->n = 0;
	for (size_t i = 0; i < nr && out->n < REAPER_MAX_WATCH; i++) {
		struct reaper_watch *w = &out->w[out->n];

		if (r[i].action != RCTL_LOG || (w->fd = watch_open(dirs, nd, &r[i])) < 0)
			continue;
		rctl_format(&r[i], out->rule[out->n], sizeof(out->rule[0]));
		w->amount = r[i].amount;
		w->rule = out->rule[out->n++];
	}
	free(dirs);
	free(r);
	return out->n;
}

/* The rules of action log of d, formatted, one per line (caller frees). */
static char *log_rules(const struct jail_def *d)
{
	struct rctl_rule *r = NULL;
	size_t nr = d ? rules(d, &r) : 0;
	char *out = xstrdup("");

	for (size_t i = 0; i < nr; i++) {
		char rule[96], *was = out;

		if (r[i].action != RCTL_LOG)
			continue;
		rctl_format(&r[i], rule, sizeof(rule));
		out = xasprintf("%s%s\n", was, rule);
		free(was);
	}
	free(r);
	return out;
}

bool jail_limits_same_watches(const struct jail_def *a, const struct jail_def *b)
{
	char *x = log_rules(a), *y = log_rules(b);
	bool same = strcmp(x, y) == 0;

	free(x);
	free(y);
	return same;
}

void jail_watches_close(struct jail_watches *w)
{
	for (size_t i = 0; i < w->n; i++)
		close(w->w[i].fd);
	w->n = 0;
}

void core_rctl_crossed(const char *name, const char *rule, const char *count)
{
	struct rctl_rule r;
	char msg[128], *line;

	if (conf_name_invalid(name) || rctl_parse(rule, false, &r, msg, sizeof(msg), NULL) < 0)
		return;
	line = xasprintf("%s: rctl: %s: crossed (%s %s)", name, rule, count,
			 rctl_res(r.res)->unit == RCTL_U_BYTES ? "bytes" : "tasks");
	jlog_event(name, line);
	free(line);
}

/* What ipc_apply is given. */
struct ipc_arg {
	const struct ipc_limits *l;
	uid_t root;	/* the jail's root on the host (a userns jail), or 0 */
	gid_t rootg;
};

/* The IPC limits, in the namespace of init (pidfd). The kernel lets only
 * the namespace's root write them (ipc_permissions: the euid of the
 * owning user namespace's uid 0): for a userns jail, brig takes that
 * euid for the writes, and its own back. */
static int ipc_apply(void *arg, struct brig_err *e)
{
	const struct ipc_arg *a = arg;
	int r;

	if (a->root && (setegid(a->rootg) < 0 || seteuid(a->root) < 0)) {
		r = brig_err_set(e, errno, "taking the jail's root (uid %u)", (unsigned)a->root);
		if (seteuid(0) < 0 || setegid(0) < 0)
			abort();
		return r;
	}
	r = limits_ipc_self(a->l, e);
	/* Back to root: cannot fail for a process whose real ids are 0; if
	 * it did, brig would go on as the jail's root. */
	if (a->root && (seteuid(0) < 0 || setegid(0) < 0))
		abort();
	return r;
}

int jail_limits_apply(struct jctx *x, const struct jail_def *d, bool live, struct brig_err *e)
{
	struct jail_limits l;
	size_t n;
	char **dirs = state_obj_ids(&x->st, JOBJ_CGROUP, &n);
	int r = 0;

	jail_limits(d, &l);
	if (live && jail_recorded_def(&x->st)) {
		struct jail_limits was;

		jail_limits(jail_recorded_def(&x->st), &was);
		if (was.pty_max != l.pty_max)
			r = brig_err_set(e, 0, "pseudoterminals: the jail's devpts takes its max= when the "
					 "jail starts (restart it: jail -rc)");
	}
	if (r == 0)
		r = limits_log_check(dirs, n, d, e);
	if (r == 0 && limits_cgroup(dirs, n, &l.cg, !live && x->cg_fresh, e) < 0)
		r = -1;
	if (r == 0 && l.rl.n) {
		/* At start the init alone (its children inherit them; an
		 * entered process sets its own: core/exec.c, hook.c); live,
		 * every process of the jail. */
		if (!live) {
			r = limits_rlimits_pid(x->st.init_pid, &l.rl, e);
		} else {
			pid_t *pids;
			long np = n ? cgroup_pids(dirs[0], &pids) : -1;

			for (long i = 0; i < np && r == 0; i++)
				if (limits_rlimits_pid(pids[i], &l.rl, e) < 0 && errno != ESRCH)
					r = -1;
			if (np > 0)
				free(pids);
		}
	}
	if (r == 0 && ipc_limits_any(&l.ipc)) {
		if (!(x->st.nsflags & CLONE_NEWIPC)) {
			r = brig_err_set(e, 0, "IPC limits (rctl): the jail shares the host's System V IPC "
					 "(sysvmsg, sysvsem, sysvshm = inherit): give it its own (new)");
		} else {
			int pidfd = proc_pidfd(x->st.init_pid, x->st.init_start, e);

			struct ipc_arg a = { &l.ipc, x->st.userns_count ? x->st.userns_uid : 0,
					     x->st.userns_count ? x->st.userns_gid : 0 };

			r = pidfd < 0 ? -1 : ns_run(pidfd, CLONE_NEWIPC, "the jail's IPC namespace", ipc_apply,
						    &a, e);
			if (pidfd >= 0)
				close(pidfd);
		}
	}
	free(dirs);
	return r < 0 ? brig_err_wrap(e, "rctl") : 0;
}

void jail_rlimits(const struct jail_def *d, struct rlim_set *out)
{
	struct jail_limits l;

	jail_limits(d, &l);
	*out = l.rl;
}

void jail_limits_log(struct jctx *x)
{
	const struct jail_def *d = jail_recorded_def(&x->st);
	struct rctl_rule *r;
	struct cg_events ev;
	size_t n, nd;
	char **dirs;

	if (!d)
		return;
	if (!(n = rules(d, &r))) {
		free(r);
		return;
	}
	dirs = state_obj_ids(&x->st, JOBJ_CGROUP, &nd);
	limits_events(dirs, nd, &ev);
	free(dirs);
	for (size_t i = 0; i < n; i++) {
		char rule[96], *line = NULL;

		rctl_format(&r[i], rule, sizeof(rule));
		if (r[i].res == RCTL_MEMORYUSE && r[i].action == RCTL_LOG && ev.mem_peak >= 0 &&
		    (unsigned long long)ev.mem_peak > r[i].amount)
			line = xasprintf("%s: rctl: %s: crossed (peak %lld bytes)", x->name, rule, ev.mem_peak);
		else if (r[i].res == RCTL_MEMORYUSE && r[i].action == RCTL_DENY && ev.oom_kills > 0)
			line = xasprintf("%s: rctl: %s: %lld processes killed at the limit (OOM)", x->name, rule,
					 ev.oom_kills);
		else if ((r[i].res == RCTL_MAXPROC || r[i].res == RCTL_NTHR) && r[i].action == RCTL_LOG &&
			 ev.pids_peak >= 0 && (unsigned long long)ev.pids_peak > r[i].amount)
			line = xasprintf("%s: rctl: %s: crossed (peak %lld tasks)", x->name, rule, ev.pids_peak);
		else if ((r[i].res == RCTL_MAXPROC || r[i].res == RCTL_NTHR) && r[i].action == RCTL_DENY &&
			 ev.pids_refused > 0)
			line = xasprintf("%s: rctl: %s: %lld forks refused at the limit", x->name, rule,
					 ev.pids_refused);
		if (line)
			jlog_event(x->name, line);
		free(line);
	}
	free(r);
}
