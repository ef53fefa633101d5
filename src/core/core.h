/* The lifecycle engine: the interface cli/ uses.
 *
 * Owned by core/. Signatures here are what the command files and the
 * front-ends (jail, jls, jexec) build on; extend, do not break. */
#ifndef BRIG_CORE_CORE_H
#define BRIG_CORE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf/model.h"
#include "util/err.h"

/* The cgroup group of jail name below each hierarchy's root ("brig/NAME";
 * with a BRIG_RUNDIR of its own, "brig.HASH/NAME", so that separate run
 * directories never collide); name NULL: the group of every jail of this
 * run directory ("brig", "brig.HASH"). Caller frees. */
char *core_cgroup_group(const char *name);
/* Remove the group of this run directory in every hierarchy: it stays,
 * empty, when the last jail stops (sys/cgroup.h), and goes with brig (the
 * package's removal, the demo's end). One still in use (a jail's group
 * below it) stays, the others go: -1, e naming the first. */
int core_cgroup_group_remove(struct brig_err *e);

/* brig's log of a jail: NAME.log in brig_logdir() (core/jlog.c): brig's
 * events for the jail (started, stopped, ended, restarts), and the output
 * of its exec.* commands in the jail when it has no exec.consolelog and
 * core_ops.own_log is set; rotated at 1 MiB to NAME.log.1. Caller frees. */
char *core_log_path(const char *name);

/* fn is called (once per wait) when a start, stop or store operation
 * (core_destroy...) has waited a second for a jail's lock, with the pid of the brig holding it (0: unknown).
 * The wait is bounded by $BRIG_LOCK_WAIT seconds (30 by default). */
void core_set_lock_notice(void (*fn)(const char *jail, pid_t holder));

/* How a multi-jail operation reports each jail as it goes. */
enum core_event {
	CORE_EV_STARTED,	/* jail(8): "NAME: created" */
	CORE_EV_STOPPED,	/* jail(8): "NAME: removed" */
	CORE_EV_FAILED,		/* msg holds the error */
	CORE_EV_SKIPPED,	/* a dependency failed; msg says which */
	CORE_EV_NOT_RUNNING,	/* stop of a jail that is not running */
	CORE_EV_ALREADY,	/* start of a jail that is already running */
	CORE_EV_VERBOSE,	/* with core_ops.verbose: "run command: ..." (jail -v) */
	CORE_EV_WARNING,	/* something went wrong but the operation went on
				 * (a failing exec.prestop/exec.stop/exec.poststop) */
	CORE_EV_CHANGED,	/* core_reload: its configuration changed; msg says
				 * which parameter first */
	CORE_EV_ENDED,		/* started, then ended within the start (no persist
				 * and no process left); msg says so */
	CORE_EV_DONE,		/* a store operation on the jail (core_destroy...) did its work */
};

struct core_ops {
	int parallel;		/* max jails acting at once (-p N); 0: number of CPUs */
	bool quiet;		/* jail -q */
	bool verbose;		/* jail -v: echo hooks as they run */
	bool no_hooks;		/* jail -R: stop without running any exec.* hook */
	/* A jail that ends within its start (no persist, no process left)
	 * counts as started, as jail(8) has it (CORE_EV_ENDED is reported
	 * either way; without this it is a failure, as brig start has it). */
	bool ended_ok;
	/* brig's own commands (brig start, stop, restart, reload, a reaper's
	 * restart): the output of the commands run in a jail without
	 * exec.consolelog goes to brig's log of it (core_log_path). Without
	 * it (jail(8)), to the caller's stdout and stderr, as on FreeBSD. */
	bool own_log;
	/* A restart by a jail's reaper (core/restart.c): its token; the jail
	 * is started only if that restart is still the one expected (brig
	 * stop or start since have cancelled it: CORE_EV_SKIPPED). 0: not. */
	long restart_token;
	/* Called for every jail's outcome; may be NULL. */
	void (*report)(void *ctx, const char *jail, enum core_event ev, const char *msg);
	/* Called the moment a jail exists, with its JID: where jail(8) prints
	 * "NAME: created" (and -i the JID), after exec.prestart and before
	 * exec.created. May be NULL. */
	void (*created)(void *ctx, const char *jail, int jid);
	void *ctx;
};

/* Start the named jails of s, the models of the jails (n == 0: every
 * jail of s), dependencies first, in `depend` order; independent jails in
 * parallel. jail.conf is one producer of s (conf_jail_set). Returns the
 * number of jails that failed or were skipped (0: all well); each is
 * reported. */
int core_start(const struct jail_set *s, char *const *names, size_t n, const struct core_ops *o);
/* Stop, in reverse dependency order. Jails that are not in s (or s NULL:
 * the configuration does not load) but still run (by name in names) are
 * stopped from their recorded state, as every jail is. */
int core_stop(const struct jail_set *s, char *const *names, size_t n, const struct core_ops *o);

/* jail -m: change the running jail with->name's parameters ids[0..n) to
 * with's values, live, and record them in its state. 0; -1 with e set
 * (the jail does not run: "\"NAME\" not found"; a parameter that cannot
 * change live: core_fixed says why). */
int core_modify(const struct jail_def *with, const enum jparam *ids, size_t n, struct brig_err *e);
/* Why parameter id of a running jail cannot be changed (jail -m), or
 * NULL: it can (host.hostname, in the jail's own UTS namespace). */
const char *core_fixed(enum jparam id);

/* The boot set: the jails of s whose `boot` is not off, in definition
 * order (pointers into s; free the array only). */
char **core_boot_names(const struct jail_set *s, size_t *n);
/* What `brig reload` (the unit's ExecReload) does: every running jail whose
 * model differs from the one it was started with (jail_def_differs) is
 * restarted (with the running jails that depend on it), every boot jail
 * that does not run is started; jails that run but are no longer
 * configured are left alone (a warning). Returns the number of jails that
 * failed or were skipped. */
int core_reload(const struct jail_set *s, const struct core_ops *o);

/* brig create: check the file about to be written at confpath (text)
 * against the whole configuration (store_create.check): the new jail
 * NAME has no error of its own and no address, host interface or rdr
 * port of another jail; other jails' broken files do not matter. */
int core_check_new(const char *name, const char *confpath, const char *text, struct brig_err *e);

/* brig import (store_import.check): the same check of text, the file
 * about to be written (the archive's configuration, archive, with the
 * command line's parameters). With fix (--trust), what of the archive's
 * configuration clashes with another jail is changed instead of refused:
 * a veth's interface gets a fresh name, a clashing address or rdr is left
 * out; *fixed is then the file to write (resolved, with a header naming
 * each change) and changed has a note per change. A clash that a
 * command-line parameter made is refused. */
int core_check_import(const char *name, const char *confpath, const char *archive,
		      const char *text, bool fix, char **fixed, struct diag *changed,
		      struct brig_err *e);

struct store_export;
struct store_progress;
/* The store's work on one jail, in the frame of start and stop: the
 * jail's lock taken (waiting as they do, BRIG_LOCK_WAIT), its state
 * reconciled, and whether it runs asked under the lock, so that no brig
 * start comes between that and the work (core/storeops.c). 0, or -1 with
 * e set. core_destroy: refused while the jail runs, or with force
 * stopped first (s: the configuration, may be NULL).
 * core_rollback: refused while it runs. core_export: refused while it
 * runs unless x->live, which is then set to whether it runs.
 * core_snapshot: a running jail's as it runs, never one half started or
 * stopped. */
/* The quota parameter (core/quota.c): its bytes (0: none); the limit
 * set on the jail d's storage at path (create, import: the start sets it
 * too); a new jail with a quota refused when the store cannot enforce it
 * (core_check_new); config check's errors, one per jail whose quota
 * cannot hold (-1 if any). */
long long core_quota_bytes(const struct jail_def *d);
int core_quota_set(const struct jail_def *d, const char *path, struct brig_err *e);
int core_quota_new(const struct jail_def *d, struct brig_err *e);
int core_quota_lint(const struct jail_set *s, struct diag *dg);

int core_destroy(const struct jail_set *s, const char *name, bool force, struct brig_err *e);
int core_rollback(const char *name, const char *snap, const struct store_progress *p,
		  struct brig_err *e);
int core_export(struct store_export *x, struct brig_err *e);
int core_snapshot(const char *name, const char *snap, char **name_out, const struct store_progress *p,
		  struct brig_err *e);

/* The jails of s whose depend names jail ("a, b", in definition order;
 * NULL if none): brig destroy refuses those without -f. */
char *core_dependents(const struct jail_set *s, const char *jail);

/* A running jail as recorded in its state. */
struct core_jail {
	int jid;
	char *name;
	char *hostname;
	char *path;
	char **ip4;		/* addresses without prefix length */
	size_t nip4;
	char **ip6;
	size_t nip6;
	int parent;		/* a child jail's (a.b) parent's JID, 0: none */
	int children;		/* its children that run (children.cur) */
	pid_t init_pid;
	unsigned long long init_start;	/* its start time, clock ticks since boot */
	const char *state;	/* "running", "starting", "stopping" */
	/* The model it was started with (owned; NULL only in a core_jail
	 * made by hand), for jls -n / jls PARAM. */
	struct jail_def *def;
};

/* How a jail last ended (core/last.c), for brig ls -a. */
struct core_last {
	char *event;		/* "ended", "failed" or "stopped" */
	long long time;		/* seconds since the epoch */
	int status;		/* ended: its last process's exit status (128+signal), -1 unknown */
	char *step;		/* failed: the start step that failed */
	char *message;		/* failed: the error; ended during a start: what start said */
	char *run;		/* ended: which run of the jail (its init, "PID.START") */
};

/* 1 and *out if the jail has a record (since the run directory was made,
 * i.e. since boot), 0 if it has never ended. */
int core_last_read(const char *name, struct core_last *out);
void core_last_free(struct core_last *l);

/* Running jails, ordered by JID. Reconciles (cleans up) dead ones first. */
int core_list(struct core_jail **out, size_t *n, struct brig_err *e);
/* One running jail by name or JID; -1 with a "not running" error if none. */
int core_find(const char *name_or_jid, struct core_jail *out, struct brig_err *e);
/* The same for a command that needs the jail running (brig exec, console):
 * when it is not, the error says "no such jail" if the configuration does
 * not define it (a lazy load of the configuration: only then). */
int core_find_running(const char *name_or_jid, struct core_jail *out, struct brig_err *e);
/* 1 if the jail runs, 0 if not, -1 on error. */
int core_is_running(const char *name, struct brig_err *e);
/* How many direct children of jail parent (parent.NAME) run, skip (or
 * NULL) left out. */
long core_children(const char *parent, const char *skip);
/* What a jail's reaper runs once its init has ended: clean up after the
 * jail (unless it runs again, or another brig is at it) and record how it
 * ended, with the init's exit status read from pidfd (-1: none). Then
 * its restart policy (exec.restart): load() is the configuration as it is
 * now (NULL: it does not load), read before each attempt; this may wait
 * and start the jail again (core/restart.c). */
int core_reap(const char *name, int pidfd, struct conf *(*load)(void), struct brig_err *e);

/* A jail's restarts (exec.restart), for brig ls -a. */
struct core_restart {
	long count;		/* restarts since it was last started by hand */
	long long next;		/* when a waiting restart will start it; 0: none waits */
};
/* 1 and *out if the jail was started with a restart policy, else 0. */
int core_restart_info(const char *name, struct core_restart *out);
void core_jail_free(struct core_jail *j);
void core_list_free(struct core_jail *v, size_t n);

/* When an entered command gets a fresh pty (relayed; the caller's own
 * terminal never enters the jail). */
enum core_tty {
	CORE_TTY_AUTO,		/* for those of stdin, stdout, stderr that are
				 * a terminal; the others pass as they are */
	CORE_TTY_ALWAYS,	/* for all three (console, exec -t) */
};

struct jail_user;
struct seccomp_prog;
struct rlim_set;

struct core_exec_opts {
	const char *user;	/* jail user (NULL: root, or exec.jail_user) */
	const char *host_user;	/* jexec -U: user from the host's passwd */
	bool login;		/* jexec -l: clean environment, login shell */
	enum core_tty tty;
	char *const *argv;	/* NULL: the user's login shell */
	/* The OCI runtime's process (brig-oci; zero: as for brig exec). */
	const struct jail_user *as;	/* the user, resolved by the caller
					 * (uid, gid, groups given as numbers) */
	const char *dir;	/* working directory (NULL: exec.workdir) */
	char *const *env;	/* the whole environment (NULL: env_jail's) */
	uint64_t caps;		/* bounding set within the jail's (0: the jail's) */
	bool no_new_privs;	/* PR_SET_NO_NEW_PRIVS before the exec */
	const struct seccomp_prog *filter;	/* a filter after the jail's (NULL: none) */
	const struct rlim_set *rlimits;	/* over the jail's (NULL: none) */
	int console;		/* > 2: a pty slave (of the jail's devpts:
				 * oci_console) as stdin, stdout, stderr and
				 * controlling terminal, nothing relayed (its
				 * master is runc's --console-socket's); 0: none */
	/* brig-oci's create: the command made now and held before it
	 * executes (sys/enter.h, enter_req.hold; hold_fd kept open for
	 * hold, -1: none): core_exec returns 0 as soon as it waits, its
	 * pid in *held, and it goes on without brig (no pty relayed:
	 * console or the caller's stdio). */
	int (*hold)(void *ctx, struct brig_err *e);
	void *hold_ctx;
	int hold_fd;
	pid_t *held;
};

/* Run a command in a running jail; returns its exit status (128+sig if
 * killed), or -1 with e set when it could not be started. */
int core_exec(const struct core_jail *j, const struct core_exec_opts *o, struct brig_err *e);

/* A line in jail name's log: its rule of action log (rctl) crossed,
 * count the jail's counter then. Run by the jail's reaper (sys/reaper.h)
 * as `brig _rctl-crossed NAME RULE COUNT`; bad arguments log nothing. */
void core_rctl_crossed(const char *name, const char *rule, const char *count);

#endif
