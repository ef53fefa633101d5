/* A jail's own mounts, made inside its private mount namespace before
 * pivot_root: they vanish with the jail and can never leak onto the host.
 * Every target is resolved beneath the jail root without following a
 * symlink (the jail controls them); mounts use the fd-based mount API, so
 * what is mounted on is exactly what was checked. */
#ifndef BRIG_SYS_JMOUNT_H
#define BRIG_SYS_JMOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/beneath.h"
#include "util/err.h"

enum jm_kind {
	JM_BIND,	/* FreeBSD nullfs */
	JM_TMPFS,
	JM_PROC,	/* procfs, with Docker's read-only and masked paths */
	JM_SYSFS,	/* read-only sysfs */
	JM_DEVFS,	/* a minimal private /dev: the one mount not nodev */
	JM_FDESCFS,	/* fdescfs at DIR/fd: nothing mounted, the links
			 * of brig's /dev at DIR (DEVFS_FD) */
	JM_MASK,	/* target hidden (mount.masked): an empty read-only
			 * tmpfs over a directory, /dev/null over anything
			 * else; nothing if it is missing */
};

struct jmount {
	enum jm_kind kind;
	char *src;	/* JM_BIND: host path */
	char *target;	/* absolute, inside the jail */
	bool ro;
	bool recursive;	/* JM_BIND: rbind */
	bool mkdir;	/* X-mount.mkdir: a missing mount point is made (a
			 * directory, beneath the jail's root) just before
			 * the mount, so under an earlier entry's tmpfs too */
	unsigned long attrs;	/* MOUNT_ATTR_NOSUID, _NODEV, _NOEXEC, ... */
	char *data;	/* file system options, comma separated, or NULL
			 * (JM_DEVFS: more options of its devpts) */
	unsigned int devsets;	/* JM_DEVFS: the DEVFS_* sets of sys/devices.h */
	char *origin;	/* for messages: "mount.fstab: /etc/fstab.web: line 3" */
};

/* Parse one fstab(5) line ("SRC TARGET TYPE OPTIONS [DUMP [PASS]]").
 * Targets under jail_path (FreeBSD writes host paths) are made relative to
 * it. Returns 1 and *m for an entry, 0 for a blank line or a comment (and
 * for noauto entries), -1 with e set for a bad one. */
int jmount_parse(const char *line, const char *jail_path, struct jmount *m, struct brig_err *e);
void jmount_free(struct jmount *m);

/* Whether m is mounted over the jail's root itself (a nullfs of a base
 * tree onto path, the jail's first mount: core/spec.c sees to it). */
bool jmount_is_root(const struct jmount *m);
/* The root such an m makes: a detached bind of its source, with its
 * attributes (ro, nosuid...) and nodev; a mount fd, or -1. The caller
 * attaches it at path in place of path's own tree. */
int jmount_root(const struct jmount *m, struct brig_err *e);

/* The mounts strictly below the absolute path dir in this mount
 * namespace, each as "ID MOUNTPOINT" (mountinfo's; the id is never
 * reused while the mount lives): NULL-ended, *n of them; NULL on error. */
char **jmount_host_below(const char *dir, size_t *n, struct brig_err *e);

/* Mount every entry beneath rootfd, in order (an entry over the root
 * itself is skipped: jmount_root made the root). The caller is in its own
 * mount namespace with private propagation. The root and everything
 * under it, and every entry but devfs, are made nodev: a device node
 * works only in brig's own /dev. Errors name the entry. */
int jmount_apply(int rootfd, const struct jmount *m, size_t n, struct brig_err *e);

#endif
