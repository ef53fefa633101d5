/* Creating a jail: its namespaces, root, mounts, and PID 1.
 *
 * jail_clone() makes the jail's first process C in a new PID namespace
 * (and, for a userns jail, a new user namespace that owns it and every
 * namespace C makes: C first waits until jail_userns_map() has written
 * its maps, then becomes the namespace's root);
 * C then goes through two phases, each finished by jail_wait():
 *   1. setup, at once: new mount, UTS, IPC (and network) namespaces,
 *      hostname, private propagation, lo, the jail's mounts;
 *   2. create, after jail_go(): cgroup namespace, pivot_root into the
 *      root, capability bounding set, the seccomp filter, then
 *      execveat() of brig's init, which becomes the jail's PID 1.
 * C is in the jail's cgroups before it runs anything else: created in the
 * v2 group (clone3 with CLONE_INTO_CGROUP), it first writes itself into
 * each v1 group (sys/cgroup.h says why not the caller). Where clone3 or
 * CLONE_INTO_CGROUP is missing (Linux < 5.7, an architecture without
 * clone3_vm), it is cloned as before and joins the v2 group itself too.
 * Between the phases the caller records C and runs exec.prestart (FreeBSD's order: mounts, exec.prestart, jail
 * created). If the caller dies, C dies with it (a parent-death signal,
 * EOF on its pipe); what C made until then lives in its own namespaces
 * and goes with it.
 *
 * C shares the caller's memory until it executes init (sys/proc.h says
 * why), on a stack of its own. The two take turns, never running at once:
 * from jail_clone() to jail_wait() only C runs, from there to jail_go()
 * only the caller (C blocks on its pipe), and from jail_go() C runs until
 * it has executed init or reported a failure while the caller waits in
 * jail_wait(). Only C's own stack and the memory of the caller's blocked
 * frames are touched meanwhile, so malloc, errno and the rest of libc's
 * state are never used by both at once. C tells how each phase ended with
 * sys/spawn.h's report: SPAWN_READY after the setup, a failure's record,
 * or nothing once it has executed init (EOF). */
#ifndef BRIG_SYS_JAILPROC_H
#define BRIG_SYS_JAILPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sys/cgroup.h"
#include "sys/jmount.h"
#include "sys/seccomp.h"
#include "sys/userns.h"
#include "util/err.h"

struct jail_setup {
	const char *hostname;	/* NULL: the host's (no UTS namespace) */
	const char *domainname;	/* with hostname; NULL: none */
	bool host_ipc;		/* the host's System V IPC (no IPC namespace) */
	const char *path;	/* the root, already checked; "/" allowed */
	const char *under;	/* NULL, or a root path lies inside (a child
				 * jail's parent's): what is below it is looked
				 * up in it following no symlink, so that what
				 * the parent jail makes of its tree (a symlink
				 * swapped in after the check) cannot lead the
				 * child's root out of it */
	bool own_net;		/* a network namespace of its own (lo up) */
	int netns;		/* >= 0, with own_net: that one (joined with
				 * setns, userns_netns_fd()) instead of a new
				 * one of the host's user namespace */
	int ipcns;		/* >= 0 (without host_ipc): that IPC namespace
				 * joined instead of a new one */
	int utsns;		/* >= 0 (with hostname): that UTS namespace
				 * joined instead of a new one */
	bool keep_name;		/* with utsns: its host name left as it is */
	int pidns;		/* >= 0: the PID namespace the jail's is made
				 * in (a child jail's parent's); else brig's */
	const struct jmount *mounts;
	size_t nmounts;
	uint64_t caps;		/* bounding set, caps_jail_set() */
	bool persist;
	long stop_timeout;	/* seconds, for init */
	int stop_signal;	/* what init sends first at stop (0: SIGTERM) */
	int initfd;		/* initbin_memfd() */
	const struct seccomp_prog *filter;	/* seccomp_jail_filter() */
	bool userns;		/* in a user namespace of its own */
	int rootmnt;		/* >= 0: the root to attach at path instead of
				 * a copy of what path holds (an idmapped copy
				 * made by the caller, idmap_clone()) */
	const struct cgroup_join *cgroups;	/* the jail's, or NULL; C reads
						 * it until its setup ends */
	char *const *devmounts;	/* beneath the root: mounts exec.prestart
				 * made under path, whose device nodes work
				 * (FreeBSD's devfs mounted by hand); the
				 * cgroup's allow-list still applies */
	size_t ndevmounts;
};

/* The jail's root directory (O_PATH), path; with under (jail_setup's),
 * looked up below it following no symlink. */
int jail_root_open(const char *path, const char *under, struct brig_err *e);

struct jail_child {
	pid_t pid;
	int pidfd;
	int go;		/* write end: "go on" to C */
	int status;	/* read end: C's reports */
	void *stack;	/* C's stack, while C may run on it */
	bool execd;	/* C has executed init */
};

/* Clone C; it starts its setup at once, and the caller must call
 * jail_wait() next, before anything else. */
int jail_clone(const struct jail_setup *s, struct jail_child *c, struct brig_err *e);
/* A userns jail, right after jail_clone(): write C's maps and let it
 * start its setup. */
int jail_userns_map(struct jail_child *c, const struct idmap *m, struct brig_err *e);
/* Let C create the jail (after its setup). */
int jail_go(struct jail_child *c, struct brig_err *e);
/* Wait for C to finish the current phase (exec_phase: the second one,
 * which ends with init running): 0 if it did, -1 with C's own error (or
 * why it died) otherwise. */
int jail_wait(struct jail_child *c, bool exec_phase, struct brig_err *e);
/* Close the pipes (not the pidfd), and free C's stack if C no longer
 * runs on it: it executed init, or it is dead (waited for). */
void jail_child_release(struct jail_child *c, bool dead);

#endif
