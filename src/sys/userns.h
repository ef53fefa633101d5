/* User namespaces for unprivileged jails (the `userns` parameter).
 *
 * A jail's ids 0..count-1 are host ids uid..uid+count-1 (gid likewise):
 * its root is an unprivileged host user, and every capability it holds
 * is checked against the jail's own user namespace (its hostname, its
 * network, its mounts), never against the host's.
 *
 * Files keep the ids the jail sees (0 for the jail's root) on disk: the
 * jail's root is shown to it through an idmapped mount (mount_setattr
 * MOUNT_ATTR_IDMAP), so templates are shared unchanged, archives need no
 * shifting, and a jail may get another range on its next start. */
#ifndef BRIG_SYS_USERNS_H
#define BRIG_SYS_USERNS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"

struct idmap {
	uint32_t uid;		/* host uid of the jail's uid 0 */
	uint32_t gid;		/* host gid of the jail's gid 0 */
	uint32_t count;		/* 0: no user namespace */
};

/* A user namespace holding m, as an fd (for MOUNT_ATTR_IDMAP): made by a
 * short-lived process. With creator, host uid/gid 0 also appear, as id
 * m->count: overlayfs does its own work (its work directory, copy-ups)
 * as the host root that mounted it, which an idmapped upper layer must be
 * able to store; the jail itself never runs in this namespace. */
int userns_fd(const struct idmap *m, bool creator, struct brig_err *e);
/* A new network namespace owned by a new user namespace with no maps, as
 * an fd, for a vnet jail of the host's user namespace (doc/net.md, "A
 * vnet jail's root configures its own stack"). The kernel gives the owner
 * of a user namespace, uid 0 of the host's whose euid made it, every
 * capability in it: the jail's root (uid 0, without CAP_NET_ADMIN in the
 * host's user namespace) holds CAP_NET_ADMIN and CAP_NET_RAW over this
 * network namespace only; a jail user of another uid holds nothing. The
 * user namespace itself has no ids: a process that entered it (setns,
 * which the jail's seccomp filter refuses) would own no file. */
int userns_netns_fd(struct brig_err *e);
/* The same, made by a thread while the caller goes on: the kernel's
 * setup of a network namespace (~1 ms here, in the process that asks for
 * it) runs beside the first steps of a start. userns_netns_begin starts
 * the thread; userns_netns_take joins it and returns the namespace's fd,
 * or -1 with why (without a thread, begun or not, it makes the namespace
 * then); userns_netns_cancel joins it and lets the namespace go. Between
 * begin and take or cancel the process has two threads: setns(2) into a
 * user or mount namespace and unshare(2) of a user namespace fail in it
 * (brig makes those calls only in the processes it clones). */
struct netns_early {
	pthread_t thread;
	bool running;		/* the thread runs (or has ended unjoined) */
	int fd;
	struct brig_err err;
};
void userns_netns_begin(struct netns_early *n);
int userns_netns_take(struct netns_early *n, struct brig_err *e);
void userns_netns_cancel(struct netns_early *n);
/* Write m as pid's uid_map and gid_map (pid is in a new user namespace,
 * waiting). setgroups stays allowed: the jail's root may set groups. */
int userns_write_maps(pid_t pid, const struct idmap *m, struct brig_err *e);
/* In a user namespace just made or joined: become its root (uid and gid
 * 0, no supplementary groups), whose host ids are the map's. */
int userns_become_root(struct brig_err *e);

/* A detached copy of the mount at dirfd/path (with recursive, its
 * submounts too) whose ids read through nsfd's map: the fd of the new
 * mount, which may be attached in another mount namespace. */
int idmap_clone(int dirfd, const char *path, bool recursive, int nsfd, struct brig_err *e);

#endif
