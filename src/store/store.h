/* Templates, jail roots, snapshots and archives: the store's interface.
 *
 * Owned by store/. cli/ calls the template, jail, snapshot and archive
 * functions; core/ calls store_jail_prepare() before a jail's mounts. The
 * store never asks whether a jail runs: callers check that (core) first.
 *
 * Layout under brig_storedir():
 *   templates/NAME/root        the template's tree (a btrfs subvolume on btrfs)
 *   templates/NAME/meta        source=, created=
 *   jails/NAME/meta            template=, backend=overlay|btrfs|copy, created=
 *   jails/NAME/root            the jail's path (thin: an overlay, always mounted)
 *   jails/NAME/upper, work     overlay layers (thin overlay jails only)
 *   jails/NAME/snapshots/SNAP/{meta,data}
 *   tmp/                       work in progress, renamed into place when done
 *   lock                       serialises changes to the store */
#ifndef BRIG_STORE_STORE_H
#define BRIG_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "sys/userns.h"
#include "util/err.h"
#include "util/rec.h"

/* Before a jail starts: when its path is the root of a thin jail of the
store, make sure it is mounted there (store_root_ensure); jails not made
 * by the store: no-op. With map (a userns jail), the root is replaced by
 * an overlay of idmapped layers while the jail runs, so that the jail
 * sees the ids on disk as its own; recorded first ("idroot NAME", through
 * rec), so that the jail's stop puts the plain root back
 * (store_root_plain). Returns 1 when it did so, 0 when the caller must
 * show path idmapped itself (not an overlay of the store). Also its disk
 * quota (bytes, 0: none) as the configuration says now: set, changed or
 * cleared with the jail's record it reads anyway; a quota on a path that
 * is not a store jail's is refused. */
int store_jail_prepare(const char *jail, const char *path, const struct rec *rec,
		       const struct idmap *map, long long quota, struct brig_err *e);
/* A userns jail's stop: its idmapped root gives way to the plain one. */
int store_root_plain(const char *name, struct brig_err *e);

/* A thin jail's root is always at its path, as a ZFS clone is: mounted by
 * create, left by stop, unmounted by destroy alone. Mount the root of jail
 * name if it is missing (after a reboot, an umount by hand); cheap (one
 * statx) when it is there. Other backends: no-op. */
int store_root_ensure(const char *name, struct brig_err *e);
/* The same for every jail of the store but those in skip (start --all and
 * --boot: every root, a noboot jail's too). A root that cannot be mounted
 * is a warning in d; returns how many. */
int store_roots_mount(char *const *skip, size_t nskip, struct diag *d);

/* How long steps report progress (cli shows it on a terminal only). */
struct store_progress {
	/* what: "copying", "extracting", "archiving", ...; called often. */
	void (*fn)(void *ctx, const char *what, unsigned long long files,
		   unsigned long long bytes);
	/* Run long helpers (debootstrap) with their output on the terminal. */
	bool verbose;
	void *ctx;
};

/* A name for a template, jail or snapshot: NULL if fine, else the reason. */
const char *store_name_invalid(const char *name);

/* Device nodes met in a tree that comes from outside (a template's source,
 * an archive): left out unless keep (--devices), and counted. Overlay
 * whiteouts (character devices 0,0) are not devices and always kept. */
struct store_devices {
	bool keep;			/* in */
	unsigned long long dropped;	/* out: how many were left out */
	char *first;			/* out: the first one's path in the tree; free it */
};

/* ---- templates ---- */

/* SOURCE: "busybox", a directory, a tarball, or "debootstrap:SUITE[:PKG,...]". */
int store_template_create(const char *name, const char *source, struct store_devices *dev,
			  const struct store_progress *p, struct brig_err *e);

struct store_template {
	char *name;
	char *source;
	long long created;	/* seconds since the epoch */
	char **jails;		/* thin jails that use it */
	size_t njails;
	char **labels;		/* an image's Labels, "KEY=value" */
	size_t nlabels;
};

int store_template_list(struct store_template **out, size_t *n, struct brig_err *e);
struct image_config;
/* The image config kept with a template made from an image (store/oci.h):
 * 1 and *c (image_config_free), 0 when the template has none or does not
 * exist, -1 with e set. */
int store_template_image(const char *template, struct image_config *c, struct brig_err *e);
void store_template_list_free(struct store_template *v, size_t n);
/* Refused while thin jails use it (the message lists them). */
int store_template_remove(const char *name, struct brig_err *e);

/* ---- jails ---- */

struct store_create {
	const char *name;
	const char *template;
	bool thick;
	/* "param=value", "param+=value", "param" (true), "$var=value",
	 * ".include=FILE": written to the jail's file as given. */
	char *const *params;
	size_t nparams;
	const struct store_progress *progress;
	/* Checks the new file's text (to be written at confpath) against the
	 * configuration before anything is made (core_check_new); NULL: none. */
	int (*check)(const char *name, const char *confpath, const char *text, struct brig_err *e);
	/* The jail.conf.d file's whole text, written as it is instead of the
	 * one made from the template and params (brig compose import). */
	const char *conf_text;
};

/* Make the root and write jail.conf.d/NAME.conf; *conf_out: that file. */
int store_jail_create(const struct store_create *c, char **conf_out, struct brig_err *e);

struct store_jail {
	char *name;
	char *template;
	char *backend;		/* "overlay", "btrfs", "copy" */
	char *path;		/* the jail's root */
	char *conf;		/* its jail.conf.d file */
};

/* The store's record of a jail; -1 with "no jail" when it has none. */
int store_jail_get(const char *name, struct store_jail *out, struct brig_err *e);
void store_jail_free(struct store_jail *j);
/* Remove the jail's storage and jail.conf.d file (the jail must be stopped). */
int store_jail_destroy(const char *name, struct brig_err *e);

/* ---- disk quotas (the quota parameter; store/quota.c) ---- */

/* Can the store's filesystem enforce a quota (ext4 or xfs with project
 * quotas on, btrfs with qgroups)? 0, or -1 with why not and what to do. */
int store_quota_check(struct brig_err *e);
/* Set the quota of the jail whose root is path to bytes (0: none; a limit
 * it had is cleared), at create and at each start: a changed quota takes
 * effect at the next start. A quota on a path not of the store, or on a
 * filesystem that cannot enforce it, is an error (never ignored). */
int store_jail_quota(const char *jail, const char *path, long long bytes, struct brig_err *e);
/* The own data in bytes of the jail whose root is path, and its limit
 * (-1: unknown, none). A jail without a quota, or not of the store: both
 * -1 (the store does not walk its tree). About 50 system calls. */
int store_quota_usage(const char *path, long long *used, long long *limit, struct brig_err *e);

/* ---- snapshots ---- */

struct store_snapshot {
	char *name;
	long long created;
};

/* snap NULL: named after the time. *name_out (may be NULL): the name used. */
int store_snapshot_create(const char *jail, const char *snap, char **name_out,
			  const struct store_progress *p, struct brig_err *e);
/* Oldest first. */
int store_snapshot_list(const char *jail, struct store_snapshot **out, size_t *n,
			struct brig_err *e);
void store_snapshot_list_free(struct store_snapshot *v, size_t n);
int store_snapshot_remove(const char *jail, const char *snap, struct brig_err *e);
/* The jail must be stopped. */
int store_rollback(const char *jail, const char *snap, const struct store_progress *p,
		   struct brig_err *e);

/* ---- archives ---- */

struct store_export {
	const char *jail;
	const char *file;
	bool full;		/* fold the template in */
	bool live;		/* the jail runs: say what consistency is given */
	const struct store_progress *progress;
	/* Out: for a live export, what consistency the archive has. */
	const char *consistency;
};

int store_export(struct store_export *x, struct brig_err *e);
/* brig import: an archive is untrusted. Its jail.conf gives only what acts
 * inside the jail (conf_load_untrusted) unless trust; its meta is checked
 * field by field; device nodes are left out unless devices.keep. */
struct store_import {
	const char *file;
	const char *name;		/* NULL: the name in the archive */
	bool trust;			/* keep the archive's jail.conf as it is */
	/* As brig create's: added to the jail's block, trusted (.include
	 * first, the others last: they win over the archive's). */
	char *const *params;
	size_t nparams;
	struct store_devices devices;
	const struct store_progress *progress;
	/* Checks the new file's text (to be written at confpath; archive:
	 * the same without params) before anything is made; with fix
	 * (trust), may give a replacement in *fixed, each change a note in
	 * changed (core_check_import). NULL: none. */
	int (*check)(const char *name, const char *confpath, const char *archive,
		     const char *text, bool fix, char **fixed, struct diag *changed,
		     struct brig_err *e);
	/* Out: */
	char *made;			/* the jail made */
	struct diag dropped;		/* what of the jail.conf was left out (warnings) */
	struct diag changed;		/* what check changed (notes) */
};

int store_import(struct store_import *im, struct brig_err *e);
/* Free the out fields. */
void store_import_free(struct store_import *im);

#endif
