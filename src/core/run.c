/* Multi-jail operations: core_start() and core_stop() run the depend plan,
 * independent jails in parallel, in up to one worker process per CPU
 * (three for a stop; or -p), each running the jobs it is handed one after
 * the other (a process, not a thread: entering namespaces with setns()
 * needs a single-threaded caller). Workers send their events up their socket; only this process
 * calls the caller's report function. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf/model.h"
#include "core/depend.h"
#include "core/jail.h"
#include "net/net.h"
#include "sys/nft.h"
#include "sys/proc.h"
#include "util/io.h"
#include "util/mem.h"
#include "util/paths.h"

/* One event on a worker's pipe: this header, then name and message. */
struct ev_hdr {
	int32_t ev;
	uint32_t namelen;
	uint32_t msglen;
};

void sink_emit(const struct sink *s, const char *jail, enum core_event ev, const char *msg)
{
	if (s->fd < 0) {
		if (s->ops && s->ops->report)
			s->ops->report(s->ops->ctx, jail, ev, msg);
		return;
	}
	struct ev_hdr h = { .ev = (int32_t)ev, .namelen = (uint32_t)strlen(jail),
			    .msglen = msg ? (uint32_t)strlen(msg) : 0 };
	char *buf = xmalloc(sizeof(h) + h.namelen + h.msglen);
	size_t len = sizeof(h) + h.namelen + h.msglen;

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), jail, h.namelen);
	if (msg)
		memcpy(buf + sizeof(h) + h.namelen, msg, h.msglen);
	(void)write_all(s->fd, buf, len);	/* a worker cannot report its reporting failing */
	free(buf);
}

/* On the pipe only: core_ops.created, the JID as the message. */
#define EV_CREATED (-1)

void sink_created(const struct sink *s, const char *jail, int jid)
{
	char buf[16];

	if (s->fd < 0) {
		if (s->ops && s->ops->created)
			s->ops->created(s->ops->ctx, jail, jid);
		return;
	}
	snprintf(buf, sizeof(buf), "%d", jid);
	sink_emit(s, jail, (enum core_event)EV_CREATED, buf);
}

/* A worker: a process that runs the jobs it is handed, one after the
 * other, on its socket (the job's index in, the job's events out). */
struct worker {
	pid_t pid;		/* 0 once reaped */
	int fd;			/* this end of its socket, -1 once at EOF */
	long job;		/* the job it runs, -1 if idle */
};

struct runner {
	const struct jail_set *s;
	struct net_plan *net;	/* a start: the networks of its jails */
	const struct core_ops *ops;
	struct dep_plan plan;
	struct worker *w;	/* up to `limit` of them */
	size_t nw;
	bool *reported;		/* per job: its outcome was reported */
	size_t failed;
	size_t bad_seen;	/* plan.nbad when report_new_outcomes last looked */
};

/* Report an event to the caller; "already running" and "not running" only
 * for jails that were asked for, not those pulled in by depend. */
static void report(struct runner *r, size_t job, const char *jail, enum core_event ev, const char *msg)
{
	if ((ev == CORE_EV_ALREADY || ev == CORE_EV_NOT_RUNNING) && !r->plan.jobs[job].named)
		return;
	if (r->ops && r->ops->report)
		r->ops->report(r->ops->ctx, jail, ev, msg);
}

/* Report every job that failed in planning or was skipped, once: the
 * failures first, then what they made skip. */
static void report_new_outcomes(struct runner *r)
{
	/* Called after every event: look only when a job fell since. */
	if (r->plan.nbad == r->bad_seen)
		return;
	r->bad_seen = r->plan.nbad;
	for (size_t k = 0; k < 2 * r->plan.n; k++) {
		size_t i = k % r->plan.n;
		struct dep_job *j = &r->plan.jobs[i];
		cleanup_free char *msg = NULL;

		if (r->reported[i] || (k < r->plan.n && j->st != DEP_FAIL))
			continue;
		if (j->st == DEP_FAIL && j->error) {
			report(r, i, j->name, CORE_EV_FAILED, j->error);
		} else if (j->st == DEP_SKIP) {
			msg = xasprintf(r->plan.stop ? "%s: skipped: jail \"%s\", which depends on it, failed to stop"
						     : "%s: skipped: its dependency \"%s\" failed to start",
					j->name, r->plan.jobs[j->blame].name);
			report(r, i, j->name, CORE_EV_SKIPPED, msg);
		} else {
			continue;
		}
		r->reported[i] = true;
		r->failed++;
	}
}

/* One job, in this process. Returns 0 if it did what was asked. */
static int run_job(struct runner *r, size_t i, const struct sink *s)
{
	const struct dep_job *j = &r->plan.jobs[i];

	return r->plan.stop ? jail_stop(r->s, j->name, s) : jail_start(r->s, j->def, r->net, s);
}

/* On the socket only: a job ended, "0" if it did what was asked. */
#define EV_DONE (-2)

/* A worker's life: the jobs it is handed until its socket's end. One
 * process runs many jobs: a fork per jail copied the parent's page tables
 * and made every worker's allocations copy the parent's pages it reused
 * (its heap grows with the number of jails), quadratic in all (issue 14).
 * A job leaves nothing behind for the next but the zombies of the inits it
 * started, reaped when the worker ends. */
static __attribute__((noreturn)) void worker_main(struct runner *r, int fd)
{
	struct sink s = { .ops = r->ops, .fd = fd };
	uint32_t i;

	if (r->plan.stop)
		nft_keep_sockets();
	while (read(fd, &i, sizeof(i)) == (ssize_t)sizeof(i) && i < r->plan.n) {
		int rc = run_job(r, i, &s);

		net_job_done();
		sink_emit(&s, r->plan.jobs[i].name, (enum core_event)EV_DONE, rc < 0 ? "1" : "0");
	}
	_exit(0);
}

/* Fork a worker; NULL if it cannot. */
static struct worker *spawn(struct runner *r)
{
	struct worker *w = &r->w[r->nw];
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		/* Other workers' sockets: holding them would hide their EOF. */
		for (size_t k = 0; k < r->nw; k++)
			if (r->w[k].fd >= 0)
				close(r->w[k].fd);
		worker_main(r, sv[1]);
	}
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		return NULL;
	}
	*w = (struct worker){ .pid = pid, .fd = sv[0], .job = -1 };
	r->nw++;
	return w;
}

/* The job of worker w ended (ok: it did what was asked). */
static void job_ended(struct runner *r, struct worker *w, bool ok)
{
	size_t i = (size_t)w->job;

	w->job = -1;
	if (!ok) {
		if (!r->reported[i])
			report(r, i, r->plan.jobs[i].name, CORE_EV_FAILED, "worker died");
		r->reported[i] = true;
		r->failed++;
	}
	dep_done(&r->plan, i, ok);
}

/* Read one event of worker w; at EOF, reap it (its job, if any, failed). */
static void drain(struct runner *r, struct worker *w)
{
	struct ev_hdr h;
	ssize_t n = read(w->fd, &h, sizeof(h));

	if (n == (ssize_t)sizeof(h) && h.namelen < 4096 && h.msglen < 65536) {
		char *name = xcalloc(1, h.namelen + 1), *msg = xcalloc(1, h.msglen + 1);
		bool ok = read_full(w->fd, name, h.namelen) == (ssize_t)h.namelen &&
			  read_full(w->fd, msg, h.msglen) == (ssize_t)h.msglen;

		if (ok && h.ev == EV_DONE && w->job >= 0) {
			job_ended(r, w, strcmp(msg, "0") == 0);
		} else if (ok && h.ev == EV_CREATED) {
			if (r->ops && r->ops->created)
				r->ops->created(r->ops->ctx, name, atoi(msg));
		} else if (ok && w->job >= 0) {
			report(r, (size_t)w->job, name, (enum core_event)h.ev, h.msglen ? msg : NULL);
			if (h.ev == CORE_EV_FAILED)
				r->reported[w->job] = true;
		}
		free(name);
		free(msg);
		if (ok)
			return;
	}
	if (n < 0 && errno == EINTR)
		return;
	close(w->fd);
	w->fd = -1;
	(void)proc_waitpid(w->pid);
	w->pid = 0;
	if (w->job >= 0)
		job_ended(r, w, false);
}

/* An idle worker, a new one if all are busy and fewer than limit run;
 * NULL if none. */
static struct worker *idle_worker(struct runner *r, long limit)
{
	for (size_t k = 0; k < r->nw; k++)
		if (r->w[k].fd >= 0 && r->w[k].job < 0)
			return &r->w[k];
	return (long)r->nw < limit ? spawn(r) : NULL;
}

/* Begin every job that is ready while a worker is free. */
static void dispatch(struct runner *r, long limit)
{
	struct worker *w;
	long i;

	while ((w = idle_worker(r, limit)) && (i = dep_next(&r->plan)) >= 0) {
		uint32_t job = (uint32_t)i;
		const char *why = NULL;

		if (proc_deferred())
			why = sigabbrev_np(proc_deferred());
		else if (send(w->fd, &job, sizeof(job), MSG_NOSIGNAL) == (ssize_t)sizeof(job))
			w->job = i;
		else
			why = "";
		if (w->job == i)
			continue;
		/* Asked to stop: begin nothing more. */
		cleanup_free char *msg = *why ? xasprintf("%s: %s: interrupted by SIG%s", r->plan.jobs[i].name,
							  r->plan.stop ? "stop" : "start", why)
					      : xasprintf("%s: cannot hand the job to a worker", r->plan.jobs[i].name);

		report(r, (size_t)i, r->plan.jobs[i].name, CORE_EV_FAILED, msg);
		r->reported[i] = true;
		r->failed++;
		dep_done(&r->plan, (size_t)i, false);
	}
	/* Every worker busy, none may be added, or none could be made: what is
	 * ready waits for one; if none runs at all, it fails. */
	if (!w && r->nw == 0)
		while ((i = dep_next(&r->plan)) >= 0) {
			report(r, (size_t)i, r->plan.jobs[i].name, CORE_EV_FAILED, "cannot fork a worker");
			r->reported[i] = true;
			r->failed++;
			dep_done(&r->plan, (size_t)i, false);
		}
}

/* Run the plan: up to `limit` workers at a time. */
static void run_parallel(struct runner *r, long limit)
{
	size_t max = (size_t)limit < r->plan.n ? (size_t)limit : r->plan.n;
	struct pollfd *pfd = xcalloc(max + 1, sizeof(*pfd));
	size_t *idx = xcalloc(max + 1, sizeof(*idx));
	bool forwarded = false;

	r->w = xcalloc(max + 1, sizeof(*r->w));
	for (;;) {
		size_t busy = 0, npoll = 0;

		dispatch(r, (long)max);
		report_new_outcomes(r);
		for (size_t k = 0; k < r->nw; k++)
			busy += r->w[k].job >= 0;
		if (busy == 0)
			break;
		for (size_t k = 0; k < r->nw; k++)
			if (r->w[k].fd >= 0) {
				pfd[npoll] = (struct pollfd){ .fd = r->w[k].fd, .events = POLLIN };
				idx[npoll++] = k;
			}
		/* A deferred signal: pass it on to the workers, once. */
		pfd[npoll] = (struct pollfd){ .fd = forwarded ? -1 : proc_defer_fd(), .events = POLLIN };
		if (poll(pfd, npoll + 1, -1) < 0 && errno != EINTR)
			break;
		if (!forwarded && proc_deferred()) {
			for (size_t k = 0; k < r->nw; k++)
				if (r->w[k].job >= 0 && r->w[k].pid > 0)
					kill(r->w[k].pid, proc_deferred());
			forwarded = true;
		}
		for (size_t k = 0; k < npoll; k++)
			if (pfd[k].revents)
				drain(r, &r->w[idx[k]]);
	}
	/* Nothing left to hand out: each worker ends at its socket's end. */
	for (size_t k = 0; k < r->nw; k++)
		if (r->w[k].fd >= 0)
			shutdown(r->w[k].fd, SHUT_WR);
	for (size_t k = 0; k < r->nw; k++)
		while (r->w[k].fd >= 0)
			drain(r, &r->w[k]);
	free(r->w);
	free(pfd);
	free(idx);
}

/* Run a plan with a single job here, without a worker: the common case
 * of `brig start web`, and the fastest. */
static void run_inline(struct runner *r)
{
	struct sink s = { .ops = r->ops, .fd = -1 };
	long i = dep_next(&r->plan);

	if (i >= 0) {
		bool ok = run_job(r, (size_t)i, &s) == 0;

		if (!ok)
			r->failed++;
		r->reported[i] = true;
		dep_done(&r->plan, (size_t)i, ok);
	}
	report_new_outcomes(r);
}

/* Workers of a stop per CPU, without -p: a stop mostly waits, off the
 * CPU, for its jail's init to be gone (the kernel's teardown of the
 * jail's mount namespace waits for an RCU grace period) and then for its
 * next job; with one worker per CPU those waits were the stop --all's
 * wall time, and more of them overlap with more workers (issue 14:
 * 500 jails 0.90 -> 0.74 s, 50 jails unchanged, doc/lifecycle.md). */
#define STOP_WORKERS_PER_CPU 3

/* Shared by core_start and core_stop. */
static int run(const struct jail_set *s, struct net_plan *net, char *const *names, size_t n,
	       bool stop, char *const *extra, size_t nextra, dep_running_fn running,
	       const struct core_ops *o)
{
	struct runner r = { .s = s, .net = net, .ops = o };
	long limit = o && o->parallel > 0 ? o->parallel
					  : sysconf(_SC_NPROCESSORS_ONLN) * (stop ? STOP_WORKERS_PER_CPU : 1);

	/* Interrupted (^C, SIGTERM, SIGHUP), a start takes down what it made
	 * and a stop cuts its hooks short but finishes taking the jail down;
	 * jails not begun yet are left as they are; then brig ends by the
	 * signal. */
	proc_defer_begin();
	dep_plan_build(&r.plan, s, names, n, stop, extra, nextra, running, NULL);
	r.reported = xcalloc(r.plan.n + 1, sizeof(*r.reported));
	if (r.plan.n == 1) {
		run_inline(&r);
	} else {
		/* Each jail's network parsed here, once, not by every worker. */
		if (net)
			net_plan_parse_all(net);
		run_parallel(&r, limit < 1 ? 1 : limit);
	}
	dep_fail_stuck(&r.plan);
	report_new_outcomes(&r);
	dep_plan_free(&r.plan);
	free(r.reported);
	proc_defer_end();
	return (int)r.failed;
}

/* dep_running_fn over core_is_running. */
static bool is_running(const char *name, void *ctx)
{
	(void)ctx;
	return core_is_running(name, NULL) == 1;
}

int core_start(const struct jail_set *s, char *const *names, size_t n, const struct core_ops *o)
{
	struct net_plan *net = net_plan_new(s);
	int r = run(s, net, names, n, false, NULL, 0, is_running, o);

	net_plan_free(net);
	return r;
}

/* The jails of the run directory below one of names (a.b below a) that
 * s does not define: a stop takes them down first, running or not (the
 * plan asks). */
static char **children_undefined(const struct jail_set *s, char *const *names, size_t n, size_t *nout)
{
	DIR *d = opendir(brig_rundir());
	char **v = xcalloc(1, sizeof(*v));
	struct dirent *de;

	*nout = 0;
	while (d && (de = readdir(d))) {
		bool below = false;

		for (size_t i = 0; i < n && !below; i++)
			below = conf_name_below(de->d_name, names[i]);
		if (!below || conf_name_invalid(de->d_name) || (s && jail_set_find(s, de->d_name)))
			continue;
		v = xrealloc(v, (*nout + 2) * sizeof(*v));
		v[(*nout)++] = xstrdup(de->d_name);
		v[*nout] = NULL;
	}
	if (d)
		closedir(d);
	return v;
}

int core_stop(const struct jail_set *s, char *const *names, size_t n, const struct core_ops *o)
{
	struct core_jail *v = NULL;
	size_t nv = 0;
	char **extra = NULL;
	size_t nextra = 0;
	int r;

	/* --all: also the jails that run but are no longer defined. */
	if (n == 0 && core_list(&v, &nv, NULL) == 0) {
		extra = xcalloc(nv + 1, sizeof(*extra));
		for (size_t i = 0; i < nv; i++)
			if (!s || !jail_set_find(s, v[i].name))
				extra[nextra++] = v[i].name;
	}
	if (n)
		extra = children_undefined(s, names, n, &nextra);
	r = run(s, NULL, names, n, true, extra, nextra, is_running, o);
	if (n)
		strv_free(extra, nextra);
	else
		free(extra);
	core_list_free(v, nv);
	return r;
}
