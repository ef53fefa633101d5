#include "sys/jailproc.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys/caps.h"
#include "sys/clone3.h"
#include "sys/lo.h"
#include "sys/proc.h"
#include "sys/seccomp.h"
#include "sys/spawn.h"
#include "sys/userns.h"
#include "util/beneath.h"
#include "util/io.h"
#include "util/mem.h"

/* C: block until the parent says go; exit if it is gone. */
static void child_wait_go(int fd)
{
	char c;

	if (read_full(fd, &c, 1) != 1)
		proc_child_exit(1);
}

/* C: a copy of the jail's root tree (detached) and the directory to
 * attach it on, both in C's new mount namespace. */
int jail_root_open(const char *path, const char *under, struct brig_err *e)
{
	size_t n = under ? strlen(under) : 0;
	const char *rel;
	int base, fd;

	if (!under) {
		fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		return fd >= 0 ? fd : brig_err_set(e, errno, "path %s", path);
	}
	while (n > 1 && under[n - 1] == '/')
		n--;
	rel = path + (n > 1 ? n : 0);
	rel += strspn(rel, "/");
	if ((base = open(under, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return brig_err_set(e, errno, "path %s: its parent jail's root %s", path, under);
	if (!*rel)
		return base;
	fd = beneath_open(base, rel, O_PATH | O_DIRECTORY, e);
	close(base);
	return fd >= 0 ? fd : brig_err_wrap(e, "path %s, inside its parent jail's root %s", path, under);
}

static int open_root(const struct jail_setup *s, int rootmnt, int *mfd, int *tfd, struct brig_err *e)
{
	/* The directory, looked up once: the tree attached is the one the
	 * root is pivoted into. */
	if ((*tfd = jail_root_open(s->path, s->under, e)) < 0)
		return -1;
	*mfd = rootmnt >= 0 ? rootmnt :
			      open_tree(*tfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE |
					AT_EMPTY_PATH);
	if (*mfd < 0)
		return brig_err_set(e, errno, "path %s", s->path);
	return 0;
}

/* C, phase 1: everything up to the mounts. rootfd receives the root. */
static int child_setup(const struct jail_setup *s, int *rootfd, struct brig_err *e)
{
	/* Only the PID (and user) namespace has to come with clone(); C makes
	 * the others itself, so that their failure is told as such. */
	int flags = CLONE_NEWNS | (s->host_ipc || s->ipcns >= 0 ? 0 : CLONE_NEWIPC) |
		    (s->hostname && s->utsns < 0 ? CLONE_NEWUTS : 0) |
		    (s->own_net && s->netns < 0 ? CLONE_NEWNET : 0);
	bool own_root = strcmp(s->path, "/") != 0;
	cleanup_close int tfd = -1;
	int mfd = -1;

	if (unshare(flags) < 0)
		return brig_err_set(e, errno, "creating the jail's namespaces");
	if (s->own_net && s->netns >= 0 && (setns(s->netns, CLONE_NEWNET) < 0 || close(s->netns) < 0))
		return brig_err_set(e, errno, "joining the jail's network namespace");
	if (s->ipcns >= 0 && (setns(s->ipcns, CLONE_NEWIPC) < 0 || close(s->ipcns) < 0))
		return brig_err_set(e, errno, "joining the jail's IPC namespace");
	if (s->utsns >= 0 && (setns(s->utsns, CLONE_NEWUTS) < 0 || close(s->utsns) < 0))
		return brig_err_set(e, errno, "joining the jail's UTS namespace");
	/* Nothing mounted from here on may propagate to the host; and the
	 * root's copy below must not join a shared peer group (pivot_root
	 * refuses a shared root: a systemd host's / is shared). */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return brig_err_set(e, errno, "making mounts private");
	/* The root is looked up while C still has the host's root's ids,
	 * which own the directories above it (in a user namespace C keeps
	 * no privilege over them, only their owner's rights). */
	/* A mount over the root (the first, core/spec.c): its source,
	 * bound now, is the root, in place of what path holds. */
	if (own_root && s->nmounts && jmount_is_root(&s->mounts[0]) &&
	    (mfd = jmount_root(&s->mounts[0], e)) < 0)
		return -1;
	if (own_root && open_root(s, mfd >= 0 ? mfd : s->rootmnt, &mfd, &tfd, e) < 0) {
		if (mfd >= 0)
			close(mfd);
		return -1;
	}
	*rootfd = mfd;
	if (s->userns && userns_become_root(e) < 0)
		return -1;
	if (s->hostname && !s->keep_name && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return brig_err_set(e, errno, "host.hostname \"%s\"", s->hostname);
	if (s->domainname && !s->keep_name && setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return brig_err_set(e, errno, "host.domainname \"%s\"", s->domainname);
	if (s->own_net && lo_up(e) < 0)
		return -1;
	if (!own_root) {
		/* The host tree itself, in namespaces of its own: no bind, no
		 * pivot_root (it would pivot onto itself). */
		*rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (*rootfd < 0)
			return brig_err_set(e, errno, "path %s", s->path);
	} else if (move_mount(mfd, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		/* pivot_root needs the root to be a mount point. */
		return brig_err_set(e, errno, "path %s: bind mount", s->path);
	}
	if (jmount_apply(*rootfd, s->mounts, s->nmounts, e) < 0)
		return -1;
	for (size_t i = 0; i < s->ndevmounts; i++) {
		struct mount_attr dev = { .attr_clr = MOUNT_ATTR_NODEV };
		int fd = beneath_open(*rootfd, s->devmounts[i], O_PATH, e);

		if (fd < 0 || mount_setattr(fd, "", AT_EMPTY_PATH, &dev, sizeof(dev)) < 0) {
			if (fd >= 0)
				brig_err_set(e, errno, "%s (mounted by exec.prestart)", s->devmounts[i]);
			else
				brig_err_wrap(e, "%s (mounted by exec.prestart)", s->devmounts[i]);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

/* C, phase 2: enter the root, confine, become init. Returns only on error. */
static int child_create(const struct jail_setup *s, int rootfd, int nullfd, struct brig_err *e)
{
	char persist[2] = { s->persist ? '1' : '0', '\0' };
	char timeout[24], sig[12];
	char *argv[] = { "init", persist, timeout, sig, NULL };
	char *envp[] = { NULL };
	sigset_t all;

	snprintf(timeout, sizeof(timeout), "%ld", s->stop_timeout);
	snprintf(sig, sizeof(sig), "%d", s->stop_signal > 0 ? s->stop_signal : SIGTERM);
	/* C is in the jail's cgroups: they become the root of what the
	 * jail sees. */
	if (unshare(CLONE_NEWCGROUP) < 0)
		return brig_err_set(e, errno, "cgroup namespace");
	if (strcmp(s->path, "/") != 0) {
		if (fchdir(rootfd) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
			return brig_err_set(e, errno, "pivot_root into %s", s->path);
		/* The old root is stacked under the new one: detach it. */
		if (umount2(".", MNT_DETACH) < 0)
			return brig_err_set(e, errno, "detaching the host's root");
	}
	if (chdir("/") < 0)
		return brig_err_set(e, errno, "chdir /");
	close(rootfd);
	if (dup2(nullfd, 0) < 0 || dup2(nullfd, 1) < 0 || dup2(nullfd, 2) < 0)
		return brig_err_set(e, errno, "stdio");
	close(nullfd);
	/* Blocked across exec: init takes them from a signalfd, with no
	 * window in which a default action could kill it. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (caps_limit(s->caps, e) < 0 || seccomp_prog_load(s->filter, e) < 0)
		return -1;
	/* From here on the jail lives on its own. */
	prctl(PR_SET_PDEATHSIG, 0);
	syscall(SYS_execveat, s->initfd, "", argv, envp, AT_EMPTY_PATH);
	return brig_err_set(e, errno, "executing init");
}

/* What C runs with, in a block of its own above its stack: the caller's
 * frames (and its struct jail_setup) are gone by the second phase. */
struct child_args {
	struct jail_setup s;
	int go, status;
	int null;	/* the host's /dev/null, opened by the caller: the
			 * jail's device allow-list (its cgroups) applies to C
			 * from the start and may not allow it */
	bool join_v2;	/* cloned without CLONE_INTO_CGROUP: C joins v2 too */
};

/* C: the whole life of the jail's first process before it becomes init. */
static int child_main(void *arg)
{
	const struct child_args *a = arg;
	const struct jail_setup *s = &a->s;
	struct brig_err e = { 0 };
	int keep[8], rootfd = -1, nullfd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* A session of its own: the caller's terminal and process group
	 * (^C, job control, a kill of the group) never reach the jail. */
	setsid();
	/* Not even the setup phase is open to the jail (no ptrace, no
	 * /proc/1/exe back to brig's binary) should anything of it appear
	 * before init. A property of the memory, so brig's too until it
	 * exits, which costs it nothing. */
	prctl(PR_SET_DUMPABLE, 0);
	nullfd = a->null;
	if (s->cgroups && cgroup_join_self(s->cgroups, !a->join_v2) < 0) {
		brig_err_set(&e, errno, "joining the jail's cgroups");
		spawn_report(a->status, SPAWN_STEP_SETUP, &e);
		proc_child_exit(1);
		return 1;
	}
	keep[0] = a->go;
	keep[1] = a->status;
	keep[2] = s->initfd;
	keep[3] = nullfd;
	keep[4] = s->rootmnt;
	keep[5] = s->own_net ? s->netns : -1;
	keep[6] = s->ipcns;
	keep[7] = s->utsns;
	/* Above all the caller's lock: it must die with the caller. */
	close_fds_except(keep, ARRAY_SIZE(keep));
	/* A userns jail: nothing until the caller has written our maps. */
	if (s->userns)
		child_wait_go(a->go);
	if (child_setup(s, &rootfd, &e) == 0) {
		spawn_report(a->status, SPAWN_READY, NULL);
		child_wait_go(a->go);
		child_create(s, rootfd, nullfd, &e);
	}
	spawn_report(a->status, SPAWN_STEP_SETUP, &e);
	proc_child_exit(1);
	return 1;
}

/* Clone C on stack, into the jail's v2 group if there is one (else it
 * joins it itself: a->join_v2). */
static pid_t clone_child(struct child_args *a, void *stack, int *pidfd, uint64_t extra)
{
	/* The stack grows down from just below the arguments (aligned). */
	char *top = (char *)((uintptr_t)a & ~(uintptr_t)63);
	char *low = (char *)proc_stack_top(stack) - PROC_STACK;
	uint64_t flags = CLONE_VM | CLONE_PIDFD | CLONE_NEWPID | (a->s.userns ? CLONE_NEWUSER : 0) | extra;
	const struct cgroup_join *j = a->s.cgroups;
	pid_t pid;

	if (j && j->v2 >= 0) {
		struct clone3_args ca = {
			.flags = flags | CLONE_INTO_CGROUP, .pidfd = (uintptr_t)pidfd,
			/* CLONE_PARENT: the caller's parent's signal */
			.exit_signal = extra & CLONE_PARENT ? 0 : SIGCHLD, .stack = (uintptr_t)low,
			.stack_size = (uint64_t)(top - low), .cgroup = (uint64_t)j->v2,
		};

		pid = clone3_vm(&ca, child_main, a);
		/* No clone3, or no CLONE_INTO_CGROUP (Linux < 5.7): as before. */
		if (pid >= 0 || (errno != ENOSYS && errno != EINVAL && errno != E2BIG))
			return pid;
		a->join_v2 = true;
	}
	return clone(child_main, top, (int)flags | SIGCHLD, a, pidfd);
}

/* The hop of clone_in_pidns: a process in the parent jail's PID
 * namespace that clones C as the caller's child, then ends. */
struct hop {
	struct child_args *a;
	void *stack;		/* C's */
	int *pidfd;
	pid_t pid;		/* C, as the hop sees it (-1: errno in err) */
	int err;
};

static int hop_main(void *arg)
{
	struct hop *h = arg;

	h->pid = clone_child(h->a, h->stack, h->pidfd, CLONE_PARENT);
	h->err = errno;
	proc_child_exit(0);
	return 0;
}

/* The pid of the process behind pidfd as we see it (its fdinfo's Pid:),
 * without allocating (C may run meanwhile: sys/jailproc.h). */
static pid_t pidfd_pid(int pidfd)
{
	char path[48], buf[1024];
	char *p;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nPid:");
	return p ? (pid_t)strtol(p + 5, NULL, 10) : -1;
}

/* Clone C with its PID namespace made inside pidns (a child jail's, in
 * its parent's: the parent sees its processes, and its end ends them).
 * A new PID namespace's parent is the active one of the process that
 * makes it, so a hop is cloned into pidns (our pid_for_children set to
 * it for that clone, then back to ours: an ancestor may always be set
 * again); the hop clones C with CLONE_PARENT, so that C is our child
 * (waited for, its pidfd in our table: the hop shares it), and ends. */
static pid_t clone_in_pidns(struct child_args *a, void *stack, int pidns, int *pidfd, struct brig_err *e)
{
	int self = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	struct hop h = { .a = a, .stack = stack, .pidfd = pidfd, .pid = -1 };
	void *hstack;
	pid_t hop = -1, pid = -1;

	if (self < 0)
		return brig_err_set(e, errno, "/proc/self/ns/pid");
	hstack = proc_stack_new(e);
	if (!hstack) {
		close(self);
		return -1;
	}
	if (setns(pidns, CLONE_NEWPID) < 0)
		brig_err_set(e, errno, "entering the parent jail's PID namespace");
	else if ((hop = clone(hop_main, proc_stack_top(hstack), CLONE_VM | CLONE_FILES | CLONE_VFORK | SIGCHLD,
			      &h)) < 0)
		brig_err_set(e, errno, "entering the parent jail's PID namespace");
	if (setns(self, CLONE_NEWPID) < 0) {
		/* Never left so: every later child would be the parent's. */
		brig_err_set(e, errno, "back to brig's own PID namespace");
		pid = -2;
	}
	close(self);
	if (hop > 0) {
		proc_waitpid(hop);
		if (h.pid < 0 && pid != -2)
			brig_err_set(e, h.err, "creating the jail's PID namespace");
		if (h.pid > 0 && pid != -2 && (pid = pidfd_pid(*pidfd)) < 0)
			brig_err_set(e, errno ? errno : ESRCH, "the jail's first process");
		if (h.pid > 0 && pid < 0) {
			syscall(SYS_pidfd_send_signal, *pidfd, SIGKILL, NULL, 0);
			proc_wait_exit(*pidfd, -1);
			close(*pidfd);
			pid = -1;
		}
	}
	proc_stack_free(hstack);
	return pid < 0 ? -1 : pid;
}

int jail_clone(const struct jail_setup *s, struct jail_child *c, struct brig_err *e)
{
	int go[2], st[2], pidfd = -1;
	struct child_args *a;
	void *stack;
	pid_t pid;

	c->pid = -1;
	c->pidfd = c->go = c->status = -1;
	c->stack = NULL;
	c->execd = false;
	stack = proc_stack_new(e);
	if (!stack)
		return brig_err_wrap(e, "the jail's first process");
	if (pipe2(go, O_CLOEXEC) < 0) {
		brig_err_set(e, errno, "pipe");
		proc_stack_free(stack);
		return -1;
	}
	if (pipe2(st, O_CLOEXEC) < 0) {
		brig_err_set(e, errno, "pipe");
		close(go[0]);
		close(go[1]);
		proc_stack_free(stack);
		return -1;
	}
	a = (struct child_args *)((char *)proc_stack_top(stack) - sizeof(*a));
	*a = (struct child_args){ .s = *s, .go = go[0], .status = st[1] };
	a->null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (a->null < 0)
		pid = brig_err_set(e, errno, "/dev/null");
	else if (s->pidns >= 0)
		pid = clone_in_pidns(a, stack, s->pidns, &pidfd, e);
	else if ((pid = clone_child(a, stack, &pidfd, 0)) < 0)
		brig_err_set(e, errno, "creating the jail's PID namespace");
	if (a->null >= 0)
		close(a->null);
	close(go[0]);
	close(st[1]);
	if (pid < 0) {
		close(go[1]);
		close(st[0]);
		proc_stack_free(stack);
		return -1;
	}
	c->pid = pid;
	c->pidfd = pidfd;
	c->go = go[1];
	c->status = st[0];
	c->stack = stack;
	return 0;
}

int jail_userns_map(struct jail_child *c, const struct idmap *m, struct brig_err *e)
{
	if (userns_write_maps(c->pid, m, e) < 0)
		return -1;
	return jail_go(c, e);
}

int jail_go(struct jail_child *c, struct brig_err *e)
{
	if (write(c->go, "g", 1) != 1)
		return brig_err_set(e, errno, "signalling the jail's first process");
	return 0;
}

int jail_wait(struct jail_child *c, bool exec_phase, struct brig_err *e)
{
	int r = spawn_read_report(c->status, e);

	/* After exec the pipe closes with the old image; init must live. */
	if (r == 0 && exec_phase && !proc_wait_exit(c->pidfd, 0)) {
		c->execd = true;
		return 0;
	}
	if (r == 1 || r == -1)
		return r == 1 ? 0 : -1;
	return brig_err_set(e, r == -2 ? errno : EPIPE, "the jail's first process died");
}

void jail_child_release(struct jail_child *c, bool dead)
{
	if (c->go >= 0)
		close(c->go);
	if (c->status >= 0)
		close(c->status);
	c->go = c->status = -1;
	if (dead || c->execd) {
		proc_stack_free(c->stack);
		c->stack = NULL;
	}
}
