/* Multi-jail operations: core_start() and core_stop() run the depend plan,
 * independent jails in parallel, one worker process per jail (a process,
 * not a thread: entering namespaces with setns() needs a single-threaded
 * caller). Workers send their events up a pipe; only this process calls
 * the caller's report function. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf/model.h"
#include "core/depend.h"
#include "core/jail.h"
#include "net/net.h"
#include "sys/proc.h"
#include "util/io.h"
#include "util/mem.h"

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

struct runner {
	const struct jail_set *s;
	struct net_plan *net;	/* a start: the networks of its jails */
	const struct core_ops *ops;
	struct dep_plan plan;
	pid_t *pid;		/* per job: its worker, 0 if none */
	int *fd;		/* per job: the worker's pipe, -1 if none */
	bool *reported;		/* per job: its outcome was reported */
	size_t failed;
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

/* Fork a worker for job i. */
static int spawn(struct runner *r, size_t i)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct sink s = { .ops = r->ops, .fd = p[1] };

		close(p[0]);
		/* Other workers' pipes: holding them would hide their EOF. */
		for (size_t k = 0; k < r->plan.n; k++)
			if (r->fd[k] >= 0)
				close(r->fd[k]);
		_exit(run_job(r, i, &s) < 0 ? 1 : 0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	r->pid[i] = pid;
	r->fd[i] = p[0];
	return 0;
}

/* Read what worker i wrote; at EOF, reap it and record its outcome. */
static void drain(struct runner *r, size_t i)
{
	struct ev_hdr h;
	ssize_t n = read(r->fd[i], &h, sizeof(h));

	if (n == (ssize_t)sizeof(h) && h.namelen < 4096 && h.msglen < 65536) {
		char *name = xcalloc(1, h.namelen + 1), *msg = xcalloc(1, h.msglen + 1);
		bool ok = read(r->fd[i], name, h.namelen) == (ssize_t)h.namelen &&
			  read(r->fd[i], msg, h.msglen) == (ssize_t)h.msglen;

		if (ok && h.ev == EV_CREATED) {
			if (r->ops && r->ops->created)
				r->ops->created(r->ops->ctx, name, atoi(msg));
		} else if (ok) {
			report(r, i, name, (enum core_event)h.ev, h.msglen ? msg : NULL);
			if (h.ev == CORE_EV_FAILED)
				r->reported[i] = true;
		}
		free(name);
		free(msg);
		if (ok)
			return;
	}
	if (n < 0 && errno == EINTR)
		return;
	close(r->fd[i]);
	r->fd[i] = -1;
	n = proc_waitpid(r->pid[i]);
	r->pid[i] = 0;
	if (!(n >= 0 && WIFEXITED(n) && WEXITSTATUS(n) == 0)) {
		if (!r->reported[i])
			report(r, i, r->plan.jobs[i].name, CORE_EV_FAILED, "worker died");
		r->reported[i] = true;
		r->failed++;
		dep_done(&r->plan, i, false);
	} else {
		dep_done(&r->plan, i, true);
	}
}

/* Run the plan: up to `limit` workers at a time. */
static void run_parallel(struct runner *r, long limit)
{
	struct pollfd *pfd = xcalloc(r->plan.n + 1, sizeof(*pfd));
	size_t *idx = xcalloc(r->plan.n, sizeof(*idx));
	bool forwarded = false;

	for (;;) {
		size_t running = 0;
		long i;

		for (size_t k = 0; k < r->plan.n; k++)
			running += r->fd[k] >= 0;
		while ((long)running < limit && (i = dep_next(&r->plan)) >= 0) {
			if (proc_deferred()) {
				/* Asked to stop: begin nothing more. */
				cleanup_free char *msg = xasprintf("%s: %s: interrupted by SIG%s",
								   r->plan.jobs[i].name,
								   r->plan.stop ? "stop" : "start",
								   sigabbrev_np(proc_deferred()));

				report(r, (size_t)i, r->plan.jobs[i].name, CORE_EV_FAILED, msg);
				r->reported[i] = true;
				r->failed++;
				dep_done(&r->plan, (size_t)i, false);
				continue;
			}
			if (spawn(r, (size_t)i) < 0) {
				report(r, (size_t)i, r->plan.jobs[i].name, CORE_EV_FAILED, "cannot fork a worker");
				r->reported[i] = true;
				r->failed++;
				dep_done(&r->plan, (size_t)i, false);
				continue;
			}
			running++;
		}
		report_new_outcomes(r);
		if (running == 0)
			break;
		running = 0;
		for (size_t k = 0; k < r->plan.n; k++)
			if (r->fd[k] >= 0) {
				pfd[running] = (struct pollfd){ .fd = r->fd[k], .events = POLLIN };
				idx[running++] = k;
			}
		/* A deferred signal: pass it on to the workers, once. */
		pfd[running] = (struct pollfd){ .fd = forwarded ? -1 : proc_defer_fd(), .events = POLLIN };
		if (poll(pfd, running + 1, -1) < 0 && errno != EINTR)
			break;
		if (!forwarded && proc_deferred()) {
			for (size_t k = 0; k < r->plan.n; k++)
				if (r->fd[k] >= 0 && r->pid[k] > 0)
					kill(r->pid[k], proc_deferred());
			forwarded = true;
		}
		for (size_t k = 0; k < running; k++)
			if (pfd[k].revents)
				drain(r, idx[k]);
	}
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

/* Shared by core_start and core_stop. */
static int run(const struct jail_set *s, struct net_plan *net, char *const *names, size_t n,
	       bool stop, char *const *extra, size_t nextra, dep_running_fn running,
	       const struct core_ops *o)
{
	struct runner r = { .s = s, .net = net, .ops = o };
	long limit = o && o->parallel > 0 ? o->parallel : sysconf(_SC_NPROCESSORS_ONLN);

	/* Interrupted (^C, SIGTERM, SIGHUP), a start takes down what it made
	 * and a stop cuts its hooks short but finishes taking the jail down;
	 * jails not begun yet are left as they are; then brig ends by the
	 * signal. */
	proc_defer_begin();
	dep_plan_build(&r.plan, s, names, n, stop, extra, nextra, running, NULL);
	r.pid = xcalloc(r.plan.n + 1, sizeof(*r.pid));
	r.fd = xcalloc(r.plan.n + 1, sizeof(*r.fd));
	r.reported = xcalloc(r.plan.n + 1, sizeof(*r.reported));
	for (size_t i = 0; i < r.plan.n; i++)
		r.fd[i] = -1;
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
	free(r.pid);
	free(r.fd);
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
	r = run(s, NULL, names, n, true, extra, nextra, is_running, o);
	free(extra);
	core_list_free(v, nv);
	return r;
}
