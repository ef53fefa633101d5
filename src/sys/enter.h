/* Entering a running jail (brig exec, console, exec.start/command/stop).
 *
 * The steps of SECURITY.md "Entering a running jail", in order:
 *   the caller pins init with a pidfd; an intermediate process X opens the
 *   cgroup files it will need, makes itself non-dumpable, joins every
 *   namespace of init at once (setns on the pidfd), closes every other
 *   descriptor, and clones Y, the first process of the command inside the
 *   jail's PID namespace (Y shares X's memory until it executes, X held
 *   meanwhile: sys/spawn.h, which reports X's or Y's failure), in the
 *   jail's v2 cgroup where there is one (CLONE_INTO_CGROUP). Y joins the
 *   jail's v1 cgroups (sys/cgroup.h) before anything else,
 *   starts a new session (its own pty when asked), looks the user up in
 *   the jail's own files, changes to a directory inside the jail and
 *   checks it, builds a clean environment, drops to the jail's bounding
 *   set, loads the seccomp filter, sets groups, gid, uid, marks every
 *   descriptor above 2 close-on-exec, resets its signals (blocked until
 *   then) and executes the command.
 * X stays outside (it is not in the jail's PID namespace), forwards
 * terminal signals to Y and exits with Y's status.
 * The filter comes before the uid change, not last: without no_new_privs
 * (set-uid programs must work in a jail) loading it needs CAP_SYS_ADMIN,
 * which a non-root user no longer has; it refuses none of the calls that
 * follow it. */
#ifndef BRIG_SYS_ENTER_H
#define BRIG_SYS_ENTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sys/limits.h"
#include "sys/passwd.h"
#include "sys/seccomp.h"
#include "util/err.h"

struct enter_req {
	int pidfd;		/* the jail's init, pinned */
	int nsflags;		/* CLONE_NEW* of the namespaces to join */
	char *const *cgroups;	/* the jail's cgroup directories */
	size_t ncgroups;
	const char *user;	/* user in the jail; NULL: root */
	const char *dir;	/* working directory in the jail (exec.workdir);
				 * NULL: "/"; a login shell: the user's home */
	const struct jail_user *as;	/* instead of user: one resolved elsewhere
				 * (jexec -U: from the host's passwd) */
	char *const *argv;	/* NULL: the user's login shell */
	bool login;		/* login shell ("-sh") in the user's home */
	char *const *env;	/* the environment, without HOME, SHELL, USER,
				 * LOGNAME (Y adds those of the user) */
	struct rlim_set rlimits;	/* the jail's (n 0: none) */
	uint64_t caps;		/* bounding set */
	const struct seccomp_prog *seccomp;	/* the jail's filter, compiled */
	int fd_in, fd_out, fd_err;	/* stdio of the command; -1: the caller's */
	int pty;		/* >= 0: a pty slave, made the controlling tty */
	int pty_sock;		/* >= 0: make the pty inside the jail (its
				 * /dev/pts/ptmx) and send its master here */
	unsigned pty_stdio;	/* with a pty: which of the command's stdin,
				 * stdout, stderr (bits 0, 1, 2) are the pty;
				 * the others are fd_in... as without one */
	int pty_term;		/* with pty_sock: the caller's terminal, whose
				 * size the pty takes (-1: none) */
	bool detach;		/* a service, not waited for: X ends (status
				 * 0) once the command has executed, a child
				 * of the jail's init (sys/spawn.h daemon) */
	const struct seccomp_prog *seccomp2;	/* another filter, after the
				 * jail's (brig-oci: the bundle's), or NULL */
	bool no_new_privs;	/* PR_SET_NO_NEW_PRIVS (the OCI runtime's
				 * process.noNewPrivileges) */
	/* The OCI runtime's container process, made at create, executing at
	 * start (runc's): with hold set, Y is a copy (fork, not on X's
	 * memory); all set up (user, seccomp and all), it reports that it
	 * is ready and calls hold, and executes the command only if that
	 * returns 0 (else it ends, 127). X then writes Y's pid (a pid_t of
	 * the caller's PID namespace) to pid_fd and ends, status 0: Y goes
	 * on as a child of the nearest subreaper above X (conmon,
	 * containerd's shim), as runc's process does. hold_fd: a
	 * descriptor hold needs, kept open for Y (-1: none). */
	int (*hold)(void *ctx, struct brig_err *e);
	void *hold_ctx;
	int hold_fd;
	int pid_fd;
};

struct spawn_child;

/* Start the command: 0 once it has executed, c->pid being X, whose exit
 * status is the command's (128+signal if killed); -1 with e set if it
 * could not be started (unknown user, no such command), X waited for. */
int enter_spawn(const struct enter_req *r, struct spawn_child *c, struct brig_err *e);

#endif
