/* core/ internals: one jail being started or stopped, and the pieces the
 * lifecycle files share. */
#ifndef BRIG_CORE_JAIL_H
#define BRIG_CORE_JAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/model.h"
#include "core/core.h"
#include "core/spec.h"
#include "core/state.h"
#include "sys/enter.h"
#include "sys/jailproc.h"
#include "sys/limits.h"
#include "sys/reaper.h"
#include "sys/seccomp.h"
#include "sys/userns.h"
#include "util/err.h"
#include "util/rec.h"

/* Where a jail's events go: the caller's report callback, or (in a worker
 * process of a parallel run) a pipe to the parent, which reports them. */
struct sink {
	const struct core_ops *ops;
	int fd;			/* worker: pipe; -1: call ops->report */
};

void sink_emit(const struct sink *s, const char *jail, enum core_event ev, const char *msg);
/* The jail exists now (core_ops.created). */
void sink_created(const struct sink *s, const char *jail, int jid);

/* One jail during an operation. */
struct jctx {
	const struct jail_set *set;	/* the configuration's jails (NULL: none loaded) */
	const struct jail_def *def;	/* NULL: no longer in the configuration */
	const char *name;
	char *dir;		/* its state directory */
	int lockfd;
	struct jstate st;	/* as persisted */
	struct jspec sp;	/* start only */
	struct jail_child child;	/* start: the jail's first process */
	int initfd;		/* start: the init program */
	int rootmnt;		/* start: a userns jail's idmapped root, or -1 */
	bool cg_fresh;		/* start: every cgroup of the jail was made by it */
	char **premounts;	/* start: the host's mounts below path before
				 * exec.prestart (jmount_host_below) */
	int pidfd;		/* the jail's init, pinned */
	const struct sink *sink;
	struct net_plan *net;	/* start: the command's networks */
	bool verbose;
	const char *step;	/* start, stop: the step being run (a start's failure records it) */
	long nrestart;		/* start: a reaper's restart: its number */
	void *arg;		/* a store operation: what it was given (core/store.c) */
	pid_t parent_init;	/* start of a child jail (a.b): its parent's
				 * init (0: a jail of the host's), and */
	unsigned long long parent_start;	/* its start time */
	bool parent_net;	/* joins the parent's network namespace */
	char *parent_root;	/* the parent's path, the child's lies in */
	int parent_lockfd;	/* the parent's lock, held from the check to
				 * the end of the start (-1: none) */
	bool exit_known;	/* reap: the init's exit status is known: */
	int exit_status;	/* its exit code (128+signal) */
	enum {
		NET_EARLY_NONE,		/* start: the vnet step makes the network */
		NET_EARLY_RECORDED,	/* all of it recorded already */
		NET_EARLY_RUNNING,	/* and a helper making it: */
	} net_early;
	pid_t net_pid;		/* its pid, */
	int net_fd;		/* the read end of its report */
	struct netns_early netns;	/* start: a vnet jail's network
					 * namespace, being made (steps netns
					 * to mount) */
};

/* One operation on one jail, run by jail_frame. */
struct jail_op {
	const char *verb;	/* "start", "stop", "destroy"...: in its messages */
	/* With the jail's lock held and its state reconciled: running is 1
	 * if the jail runs (x->st filled), 0 if not, -1 if what its last run
	 * left could not be cleaned up (e says what: the operation does what
	 * it must even then, and fails). Returns the outcome; e is set for
	 * CORE_EV_FAILED and CORE_EV_ENDED. */
	enum core_event (*locked)(struct jctx *x, int running, struct brig_err *e);
	/* Once the lock is released, whatever the outcome (a start's reaper,
	 * its log line); not for a bad name. May be NULL. */
	void (*after)(struct jctx *x, enum core_event ev, struct brig_err *e);
};
/* core/hier.c: a child jail's start (a.b), checked against its running
 * parent once its spec is built (children.max, path, addresses; its
 * bounding set intersected with the parent's), under the parent's lock
 * (kept until hier_release: children start one at a time, and the parent
 * cannot stop meanwhile): 0, or -1 with e set; a jail of the host's
 * passes. hier_setup: the parent's PID (and, to share
 * it, network) namespace for the first process's clone. */
int hier_start_check(struct jctx *x, struct brig_err *e);
int hier_setup(const struct jctx *x, struct jail_setup *s, struct brig_err *e);
/* The end of a child's start: the parent's lock let go. */
void hier_release(struct jctx *x);

/* core/vnet_early.c: a vnet jail's network made by a helper process while
 * the jail's first process sets the jail up, where it may be: its network
 * namespace nsfd made already (sys/userns.h), every interface a veth
 * pair of brig's, no exec.created. Recorded first. 0 (also where it may
 * not be, or no helper could be had: jail_net_up does it), -1 if the
 * records could not be saved. After exec.prestart, before the jail's
 * first process is cloned. */
int jail_net_early(struct jctx *x, int nsfd, struct brig_err *e);
/* The vnet step: the helper's outcome, or the network made now. */
int jail_net_up(struct jctx *x, struct brig_err *e);
/* A start that fails: the helper, if it still runs, killed and reaped
 * (before the teardown removes what it made). */
void jail_net_early_end(struct jctx *x);

/* core/fib.c: exec.fib. The check, before anything is made (a jail in a
 * namespace it joins, a host without cgroup v2); then, once its init
 * and namespaces exist, its rule (the host's recorded first) and the
 * program that marks its sockets. Nothing to do for exec.fib 0. */
int jail_fib_check(struct jctx *x, struct brig_err *e);
int jail_fib_up(struct jctx *x, struct brig_err *e);

/* core/frame.c: one operation on jail x->name (x: its conf, cj, name and
 * sink set, the rest zero): the name checked, the jail's lock taken
 * (waiting for another brig's, bounded: core_set_lock_notice), its state
 * reconciled, op->locked, the lock released, op->after, the outcome
 * reported on x->sink (and returned). x's resources are freed. */
enum core_event jail_frame(struct jctx *x, const struct jail_op *op, struct brig_err *e);

/* Record how jail name ended (core/last.c): event "ended" (status: the
 * exit code of its last process, -1 unknown; run: which run, see
 * jail_run_id), "failed" (at step, msg), or "stopped". */
void last_record(const char *name, const char *event, int status, const char *step, const char *msg,
		 const char *run);
/* The end of run was recorded without its status (by a brig other than
 * its reaper, or by the reaper without it): the reaper adds the status
 * (-1: unknown still) and says it in the jail's log. */
void last_reaped(const char *name, const char *run, int status);
/* "NAME: ended [with status N]" in the jail's log. */
void jlog_ended(const char *name, int status);
/* The run of the jail st records, "PID.START" of its init (its reaper
 * knows it by this); caller frees. */
char *jail_run_id(const struct jstate *st);

/* core/limits.c: a jail's rctl rules as the kernel's limits. */
struct jail_limits {
	struct cg_limits cg;
	struct rlim_set rl;
	struct ipc_limits ipc;
	unsigned long long pty_max;	/* its devpts's max= (LIMIT_NONE: the kernel's) */
};
void jail_limits(const struct jail_def *d, struct jail_limits *l);
/* Apply d's limits to the running (or starting: init made, nothing of
 * the jail run yet) jail x: its cgroups, rlimits (at start init's; live,
 * every process's), IPC namespace. */
int jail_limits_apply(struct jctx *x, const struct jail_def *d, bool live, struct brig_err *e);
/* The rlimits a process entering the jail sets on itself. */
void jail_rlimits(const struct jail_def *d, struct rlim_set *out);
/* Before the jail's cgroups go: a line in its log for each rule with
 * action log that was crossed, and each deny the kernel enforced. */
void jail_limits_log(struct jctx *x);
/* The rules of action log (log, devctl) of d: how many. Each is watched
 * while the jail runs by its reaper (sys/reaper.h), which has brig log
 * a line when the jail's memory or tasks go above the amount:
 * core_rctl_crossed(). */
size_t jail_limits_nlog(const struct jail_def *d);
struct jail_watches {
	struct reaper_watch w[REAPER_MAX_WATCH];
	char rule[REAPER_MAX_WATCH][96];
	size_t n;
};
/* The watches of d's rules of action log in the running (or started)
 * jail x, their counters opened: their number. jail_watches_close() closes them. */
size_t jail_limits_watches(struct jctx *x, const struct jail_def *d, struct jail_watches *out);
/* Whether a and b have the same rules of action log. */
bool jail_limits_same_watches(const struct jail_def *a, const struct jail_def *b);
/* Whether a jail of model d has a reaper (sys/reaper.h): without
 * persist, with a restart policy, or with rules of action log. */
bool jail_wants_reaper(const struct jail_def *d);
void jail_watches_close(struct jail_watches *w);


/* brig's log of jail name (core/jlog.c): open it for appending, rotated
 * first if it has grown past its bound; append one timestamped line
 * (best effort: a log decides nothing). */
int jlog_open(const char *name, struct brig_err *e);
void jlog_event(const char *name, const char *msg);

/* core/restart.c, under the jail's lock. restart_claim: a reaper's
 * restart (token) is still expected: it is counted and its number
 * returned; 0 if it was cancelled. restart_started: a start by hand
 * ended with ev: its restart count starts again (or goes, without a
 * policy). restart_cancel: brig stop; a jail that was not running
 * (running false) and waited for a restart is recorded as stopped.
 * restart_wanted: the jail has a policy (its reaper is needed even with
 * persist). restart_after_end: brig reap's part, after the cleanup. */
long restart_claim(const char *name, long token);
void restart_started(const char *name, const struct jail_def *d, enum core_event ev);
void restart_cancel(const char *name, bool running);
bool restart_wanted(const struct jail_def *d);
void restart_after_end(const char *name, const char *run, struct conf *(*load)(void));

/* The record callback of x: persist an object before it is made. */
struct rec jail_rec(struct jctx *x);
/* Persist x->st. */
int jail_save(struct jctx *x, struct brig_err *e);

/* Run every command of the exec.* parameter id (of the jail's model) on
 * the host or inside the jail. */
int hook_run(struct jctx *x, enum jparam id, bool in_jail, struct brig_err *e);
/* Split a hook command: with shell metacharacters /bin/sh -c CMD, else the
 * words. NULL-terminated; free with hook_argv_free(). */
char **hook_argv(const char *cmd);
void hook_argv_free(char **argv);

/* Environments: for commands run inside a jail (PATH and an allow-list of
 * the caller's variables; with clean only TERM), and for host hooks (the
 * caller's, or with clean PATH, TERM and brig's BRIG_RUNDIR, BRIG_CONFDIR,
 * BRIG_STOREDIR, BRIG_LOGDIR, plus JID, JNAME, JPATH); d's exec.env is
 * added to a jail's (d NULL: none). */
char **env_jail(bool clean, const struct jail_def *d);
char **env_host(bool clean, int jid, const char *name, const char *path);
void env_free(char **env);

/* Remove every recorded object of x->st in reverse order, then the state.
 * Objects that cannot be removed stay recorded (status "dead") for the
 * next brig to retry; -1 then. */
int jail_teardown(struct jctx *x, struct brig_err *e);
/* Give the host back every interface of x->st moved into the jail
 * (vnet.interface naming a host interface), while its init, and with it
 * its network namespace, still lives. Each is tried; the first failure
 * is returned. */
int jail_return_ifs(struct jctx *x, struct brig_err *e);
/* Under the jail's lock: 1 if it runs (x->st filled), 0 if not (anything
 * stale it left has been cleaned up), -1 on error. */
int jail_reconcile(struct jctx *x, struct brig_err *e);

/* Fault injection for tests: with BRIG_FAULT=N, the Nth call in this
 * process SIGKILLs brig; with BRIG_FAULT=NAME, the call at point NAME. */
void core_fault(const char *point);

/* One jail: start / stop. Each reports its outcome on the sink and
 * returns 0 when it did what was asked (or there was nothing to do). A
 * start reads the networks of the command's plan (net/net.h). */
struct net_plan;
int jail_start(const struct jail_set *set, const struct jail_def *d, struct net_plan *net,
	       const struct sink *s);
int jail_stop(const struct jail_set *set, const char *name, const struct sink *s);
/* brig stop's part under the jail's lock (a struct jail_op's locked; also
 * brig destroy -f's): the stop table (core/stop.c) if it runs, as it
 * started. */
enum core_event jail_stop_locked(struct jctx *x, int running, struct brig_err *e);

/* core/recorded.c, the one place that records a jail's model in its
 * state and reads it back: stop, exec, reload and reconciliation read
 * the jail as it was started, whatever the configuration says now.
 * jail_record: a copy of d into st (step_state); jail_recorded_def: the
 * model st records (st's; NULL: it recorded none). */
void jail_record(struct jstate *st, const struct jail_def *d);
const struct jail_def *jail_recorded_def(const struct jstate *st);
/* FNV-1a of s: stable across runs and machines. */
uint32_t core_hash(const char *s);
/* Under the global JID lock: give a userns jail its ids (userns.map, or a
 * free range of 65536 from /etc/subuid and /etc/subgid) and record them
 * in its state. No-op for other jails. */
int jail_userns_assign(struct jctx *x, struct brig_err *e);
/* The ids recorded in st (count 0: not a userns jail). */
struct idmap jail_idmap(const struct jstate *st);
/* x->rootmnt: a detached, idmapped copy of x's path (and the mounts
 * below it), for the jail's first process to attach as its root: a
 * userns jail's root that the store did not mount. Never attached on the
 * host, so jails may share a path. With path "/", none: the host's tree
 * as it is (its files are nobody's to the jail). */
int jail_idmap_root(struct jctx *x, const struct idmap *map, struct brig_err *e);

/* core/exec.c: run the entered command r and wait for it, through a
 * fresh pty relayed by brig for those of the caller's stdin, stdout and
 * stderr that are a terminal (all three with CORE_TTY_ALWAYS): the
 * caller's terminal never enters the jail. The pty is the jail's own
 * (its devpts, jail_pty) or else the host's. Returns the command's exit
 * status (128+sig if killed), or -1 with e set. */
int jail_spawn_tty(struct enter_req *r, enum core_tty tty, bool jail_pty, struct brig_err *e);
/* Whether the jail d has a devpts of its own for ptys: its /dev
 * (mount.devfs) with the login set of its devfs_ruleset. */
bool jail_has_devpts(const struct jail_def *d);

#endif
