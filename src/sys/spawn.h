/* Starting a child process, learning whether it started, and waiting for
 * it: the one way brig makes a process (hooks, brig exec and the console,
 * the reaper, a template's helper, the detached nftables commit; the
 * jail's first process, sys/jailproc.c, uses the report below).
 *
 * The report: an O_CLOEXEC pipe whose write end only the child holds. A
 * child that fails writes one record (the step that failed, its errno, and
 * a message when it has more to say) and exits 127; a child that executed
 * its program writes nothing, and the pipe closes with its old image: EOF
 * means it ran. A child that runs a function instead (.run) says it has
 * started with spawn_started().
 *
 * Two ways to make the child. By default it shares brig's memory until it
 * executes (clone(CLONE_VM | CLONE_VFORK), as posix_spawn and crun do;
 * sys/proc.h says why that is cheaper), brig held until then: its .setup
 * may make system calls and use memory of its own, but must leave alone
 * what the parent's state depends on (no stdio, no getpwnam: resolve
 * before). With .fork it gets a copy (fork), and .setup and .run may use
 * any of libc: for children that do real work before (or instead of)
 * executing. */
#ifndef BRIG_SYS_SPAWN_H
#define BRIG_SYS_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

/* What a child did last. SPAWN_READY is no failure: a phase done (the
 * jail's first process between its phases; spawn_started()). */
enum spawn_step {
	SPAWN_READY,
	SPAWN_STEP_SESSION,	/* setsid / setpgid */
	SPAWN_STEP_FDS,		/* its descriptors */
	SPAWN_STEP_DIR,		/* chdir to .dir */
	SPAWN_STEP_SETUP,	/* .setup */
	SPAWN_STEP_EXEC,	/* executing the program */
	SPAWN_STEP_RUN,		/* .run */
};

/* A descriptor of the child's 0..nfds-1 (spawn_opts.fds). */
#define SPAWN_FD_KEEP (-1)	/* the parent's own, as inherited */
#define SPAWN_FD_NULL (-2)	/* /dev/null, opened read-write */
#define SPAWN_MAXFD 12

/* What .setup may change before the exec (it starts as .argv, .envp). */
struct spawn_exec {
	char *const *argv;
	char *const *envp;	/* NULL: the parent's environ */
	const char *path;	/* NULL: argv[0], looked up on the PATH of envp
				 * unless it holds a '/' (as execvp) */
	int report;		/* the report's write end (read only: a setup
				 * that closes descriptors keeps it) */
	bool in_cgroup;		/* created in spawn_opts.cgroup */
};

/* The PATH of envp, "/bin:/usr/bin" without one. */
const char *spawn_envp_path(char *const *envp);

/* The next place execvp would try for file (no '/' in it) on the PATH
 * *p, into buf of n bytes: false once the PATH is used up (*p NULL).
 * Allocates nothing (a child on brig's memory calls it). */
bool spawn_path_next(const char **p, const char *file, char *buf, size_t n);

struct spawn_opts {
	char *const *argv;
	char *const *envp;	/* NULL: environ */
	int execfd;		/* > 0: execveat(execfd, "", AT_EMPTY_PATH) instead
				 * of argv[0] (brig's init program, a memfd) */
	int fds[SPAWN_MAXFD];	/* the child's 0..nfds-1: a descriptor of the
				 * parent's, SPAWN_FD_KEEP or SPAWN_FD_NULL */
	size_t nfds;
	bool close_others;	/* every other descriptor closed */
	const char *dir;	/* working directory; NULL: the parent's */
	bool setsid;		/* a session of its own */
	bool setpgid;		/* a process group of its own (spawn_wait
				 * kills the group) */
	bool reset_signals;	/* every disposition default, none blocked;
				 * else the parent's mask and ignored signals
				 * (a .run child keeps brig's handlers) */
	bool fork;		/* a copy of brig's memory (see above) */
	int cgroup;		/* >= 0, without .fork: a cgroup v2 directory
				 * the child is created in (clone3's
				 * CLONE_INTO_CGROUP: no later move, which
				 * waits for an RCU grace period); where the
				 * kernel cannot, the child is made without
				 * it: see spawn_exec.in_cgroup */
	/* Run in the child before the exec (after the session, the signals
	 * and the descriptors; before .dir): entering namespaces, changing
	 * user. -1 with e set fails the spawn with e's message. */
	int (*setup)(void *arg, struct spawn_exec *x, struct brig_err *e);
	/* With .fork: run this instead of executing; its return value is the
	 * child's exit status, -1 (e set) a failure reported as one. */
	int (*run)(void *arg, struct brig_err *e);
	void *arg;
	const char *name;	/* for messages; NULL: argv[0] */
	bool pidfd;		/* a pidfd of the child in spawn_child.pidfd */
	bool no_reap;		/* a failed child is not waited for here (it
				 * is detached: the caller reaps it later) */
	bool daemon;		/* the command runs in a grandchild: the child
				 * forks it right before executing and ends
				 * (status 0) once it has executed, so that it
				 * goes on as a child of the reaper of the
				 * child's PID namespace (a service in a
				 * jail: the jail's init). A failure to
				 * execute is the child's, reported as ever. */
};

#define SPAWN_OPTS_INIT                                                                      \
	{ .execfd = -1, .cgroup = -1, .fds = { SPAWN_FD_KEEP, SPAWN_FD_KEEP, SPAWN_FD_KEEP, SPAWN_FD_KEEP, \
				 SPAWN_FD_KEEP, SPAWN_FD_KEEP, SPAWN_FD_KEEP, SPAWN_FD_KEEP } }

struct spawn_child {
	pid_t pid;
	int pidfd;		/* -1 unless asked for */
};

/* Start the child and wait for its report: 0 once it executed (or, with
 * .run, said it started), -1 with e set if it could not. Then c->pid is
 * -1 if no child was made or it has been waited for (unless .no_reap).
 * The message: .setup's or .run's own, or for the other steps
 * "ARGV0: strerror" (exec), "setsid", "stdio", "chdir DIR", each with its
 * errno; "NAME: ended without reporting (exit status N | killed by
 * SIGX)" for a .run child that ended without a word (how, unless
 * .no_reap). */
int spawn(const struct spawn_opts *o, struct spawn_child *c, struct brig_err *e);

/* spawn() in two halves, for a .run child that works beside its parent
 * before it reports (it calls spawn_started() when done): spawn_begin()
 * makes the child and returns the read end of its report, or -1 with e
 * set (no child); spawn_end() reads the report and closes it, returning
 * what spawn() would. Between them the caller may do anything but wait
 * for the child otherwise. */
int spawn_begin(const struct spawn_opts *o, struct spawn_child *c, struct brig_err *e);
int spawn_end(const struct spawn_opts *o, struct spawn_child *c, int report, struct brig_err *e);

/* In a .run child: report that it has started (the parent's spawn()
 * returns 0) and close the report. */
void spawn_started(void);

/* Waiting for a child (its pidfd, or opened here) up to timeout_ms (-1:
 * forever), ending early when a deferred signal comes (proc_defer_begin).
 * On a timeout or such a signal, SIGKILL goes to the child (and to its
 * process group too if group) and it is reaped. Returns the raw wait
 * status, SPAWN_TIMEOUT or SPAWN_INTERRUPTED, or -1 (errno) if it cannot
 * be waited for. */
#define SPAWN_TIMEOUT (-2)
#define SPAWN_INTERRUPTED (-3)
int spawn_wait(const struct spawn_child *c, int timeout_ms, bool group);

/* The report itself, for a child made otherwise (sys/jailproc.c):
 * spawn_report() writes a record (e: its message; NULL for SPAWN_READY),
 * spawn_read_report() reads one: 0 at EOF, 1 for SPAWN_READY, -1 with e
 * set (the child's message and errno) for a failure, -2 with errno if the
 * pipe broke mid-record. */
void spawn_report(int fd, enum spawn_step step, const struct brig_err *e);
int spawn_read_report(int fd, struct brig_err *e);

#endif
