/* User namespaces and idmapped mounts (see userns.h for the why). */
#include "sys/userns.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "sys/proc.h"
#include "util/mem.h"

/* Write text to /proc/PID/name (one write: the kernel takes a map whole). */
static int write_proc(pid_t pid, const char *name, const char *text, struct brig_err *e)
{
	char path[64];
	cleanup_close int fd = -1;
	size_t len = strlen(text);

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		return brig_err_set(e, errno, "writing %s \"%.*s\"", path, (int)strcspn(text, "\n"), text);
	return 0;
}

/* The uid_map/gid_map text of one side of m. */
static void map_text(char *buf, size_t len, uint32_t host, uint32_t count, bool creator)
{
	if (creator)
		snprintf(buf, len, "0 %u %u\n%u 0 1\n", host, count, count);
	else
		snprintf(buf, len, "0 %u %u\n", host, count);
}

/* Both maps of pid. */
static int write_maps(pid_t pid, const struct idmap *m, bool creator, struct brig_err *e)
{
	char uids[96], gids[96];

	map_text(uids, sizeof(uids), m->uid, m->count, creator);
	map_text(gids, sizeof(gids), m->gid, m->count, creator);
	if (write_proc(pid, "uid_map", uids, e) < 0 || write_proc(pid, "gid_map", gids, e) < 0)
		return brig_err_wrap(e, "user namespace");
	return 0;
}

int userns_write_maps(pid_t pid, const struct idmap *m, struct brig_err *e)
{
	return write_maps(pid, m, false, e);
}

/* The short-lived holder of a namespace: waits for its pipe to close. It
 * shares our memory and does nothing but block in read(2) (its copy of
 * the write end closed first, or it would wait for itself). */
static int holder_main(void *arg)
{
	const int *p = arg;
	char c;
	ssize_t n;

	close(p[1]);
	n = read(p[0], &c, 1);
	(void)n;
	proc_child_exit(0);
	return 0;
}

/* Namespace ns ("user", "net") of a short-lived process cloned with flags
 * (CLONE_NEWUSER and more), as an fd; with m, its maps written first. */
static int holder_ns(int flags, const struct idmap *m, bool creator, const char *ns,
		     struct brig_err *e)
{
	int p[2], fd = -1, r = 0;
	void *stack = proc_stack_new(e);
	char path[64];
	pid_t pid;

	if (!stack)
		return brig_err_wrap(e, "user namespace");
	if (pipe2(p, O_CLOEXEC) < 0) {
		proc_stack_free(stack);
		return brig_err_set(e, errno, "pipe");
	}
	pid = clone(holder_main, proc_stack_top(stack), flags | CLONE_VM | SIGCHLD, p);
	if (pid < 0) {
		r = brig_err_set(e, errno, "creating a user namespace");
	} else {
		if (m)
			r = write_maps(pid, m, creator, e);
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
		if (r == 0 && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			r = brig_err_set(e, errno, "%s", path);
	}
	close(p[1]);
	if (pid > 0)
		proc_waitpid(pid);
	close(p[0]);
	proc_stack_free(stack);
	return r < 0 ? -1 : fd;
}

int userns_fd(const struct idmap *m, bool creator, struct brig_err *e)
{
	return holder_ns(CLONE_NEWUSER, m, creator, "user", e);
}

int userns_netns_fd(struct brig_err *e)
{
	int fd = holder_ns(CLONE_NEWUSER | CLONE_NEWNET, NULL, false, "net", e);

	return fd < 0 ? brig_err_wrap(e, "the jail's network namespace") : fd;
}

static void *netns_thread(void *arg)
{
	struct netns_early *n = arg;

	n->fd = userns_netns_fd(&n->err);
	return NULL;
}

void userns_netns_begin(struct netns_early *n)
{
	sigset_t all, old;

	*n = (struct netns_early){ .fd = -1 };
	/* The thread takes no signal: they are the main thread's to handle. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	n->running = pthread_create(&n->thread, NULL, netns_thread, n) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

int userns_netns_take(struct netns_early *n, struct brig_err *e)
{
	if (!n->running)
		return userns_netns_fd(e);
	pthread_join(n->thread, NULL);
	n->running = false;
	if (n->fd < 0) {
		*e = n->err;
		return -1;
	}
	return TAKE_FD(n->fd);
}

void userns_netns_cancel(struct netns_early *n)
{
	if (!n->running)
		return;
	pthread_join(n->thread, NULL);
	n->running = false;
	if (n->fd >= 0)
		close(TAKE_FD(n->fd));
}

int userns_become_root(struct brig_err *e)
{
	if (setresgid(0, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(0, 0, 0) < 0)
		return brig_err_set(e, errno, "becoming root of the jail's user namespace");
	return 0;
}

int idmap_clone(int dirfd, const char *path, bool recursive, int nsfd, struct brig_err *e)
{
	/* Private: a copy of a shared mount joins its peer group, and
	 * pivot_root refuses a shared root (a systemd host's / is shared). */
	struct mount_attr a = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)nsfd,
				.propagation = MS_PRIVATE };
	unsigned int rec = recursive ? AT_RECURSIVE : 0;
	int fd = open_tree(dirfd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);

	if (fd < 0)
		return brig_err_set(e, errno, "`%s`", path);
	if (mount_setattr(fd, "", AT_EMPTY_PATH | rec, &a, sizeof(a)) < 0) {
		brig_err_set(e, errno, "`%s`: an idmapped mount (its file systems must support them)", path);
		close(fd);
		return -1;
	}
	return fd;
}
