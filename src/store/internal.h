/* The store's private interface: layout, safe file operations, tree walks,
 * metadata files and the backends. Not for use outside src/store/. */
#ifndef BRIG_STORE_INTERNAL_H
#define BRIG_STORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "store/store.h"
#include "util/err.h"

/* ---- layout.c: the store's directories, lock and work area ---- */

/* Open the store (creating it and its subdirectories); an O_DIRECTORY fd. */
int store_open(struct brig_err *e);
/* The store's absolute, symlink-free path; caller frees. */
char *store_abs(struct brig_err *e);
/* Take the store's lock (exclusive or shared); returns the fd to close. */
int store_lock(int storefd, bool exclusive, struct brig_err *e);

/* A directory under tmp/, renamed into place when complete. */
struct tmpdir {
	int fd;
	char *name;	/* entry name under tmp/ */
};

int tmp_make(int storefd, const char *kind, const char *name, struct tmpdir *t,
	     struct brig_err *e);
/* Rename tmp/NAME to dstdir/dstname, which must not exist. */
int tmp_commit(int storefd, struct tmpdir *t, int dstdirfd, const char *dstname,
	       struct brig_err *e);
/* Remove what is left of t (no-op once committed). */
void tmp_discard(int storefd, struct tmpdir *t);
/* Remove work areas of brig processes that died. */
void tmp_reap(int storefd);
/* Move dirfd/name into tmp/ (it disappears at once), then remove it. */
int store_remove_entry(int storefd, int dirfd, const char *name, const char *kind,
		       struct brig_err *e);

/* ---- fsutil.c: file operations that never follow a symlink ---- */

/* Remove dirfd/name and everything under it (btrfs subvolumes included),
 * never crossing into another mount. ENOENT is success. */
int fs_rm_tree(int dirfd, const char *name, struct brig_err *e);
/* The first mount point strictly below the absolute path dir but except
 * (may be NULL); NULL if none (e->msg empty) or on error (e set). */
char *fs_mount_below(const char *dir, const char *except, struct brig_err *e);
/* 1 if dirfd/name is the root of a mount, 0 if not, -1 on error. */
int fs_is_mount_root(int dirfd, const char *name, struct brig_err *e);
/* 1 if fd is on btrfs. */
bool fs_is_btrfs(int fd);
/* 1 if dirfd/name is a btrfs subvolume, 0 if not, -1 on error. */
int fs_is_subvolume(int dirfd, const char *name, struct brig_err *e);
/* 1 if dirfd/name exists (not following a symlink), 0 if not, -1 on error. */
int fs_exists(int dirfd, const char *name, struct brig_err *e);

/* ---- path.c: archive member paths (pure, unit-tested) ---- */

/* Normalise a member path ("./a//b/" -> "a/b"; "." and "./" -> ""); NULL with
 * *why set when it is absolute or has a ".." component. Caller frees. */
char *path_member_clean(const char *path, const char **why);
/* Check that no existing parent of rootfd/relpath is a symlink or a
 * non-directory: what is written there stays beneath rootfd. */
int path_check_beneath(int rootfd, const char *relpath, struct brig_err *e);

/* ---- walk.c: depth-first walk of a tree, never following symlinks ---- */

struct walk_ent {
	int dirfd;		/* the parent directory (the top: the top itself) */
	const char *name;	/* name in dirfd (the top: ".") */
	const char *path;	/* relative to the top ("" for the top) */
	struct stat st;
	bool mount_root;	/* a directory another filesystem is mounted on */
	int fd;			/* directories (in leave()): the directory itself */
	bool aborted;		/* leave(): the walk below failed; only clean up */
	void *parent;		/* data the parent directory's entry() set */
	void *data;		/* a directory's entry() may set it for its children */
};

struct walk_ops {
	/* Every entry, a directory before its children. Returns 0 to go on,
	 * 1 to skip a directory's children, -1 on error. */
	int (*entry)(void *ctx, struct walk_ent *w, struct brig_err *e);
	/* A directory after its children (may be NULL); also after a failure
	 * below it, with aborted set. */
	int (*leave)(void *ctx, struct walk_ent *w, struct brig_err *e);
};

/* Walk the tree whose top directory is topfd. Mount points are reported
 * (mount_root) and not descended into. */
int walk_tree(int topfd, const struct walk_ops *ops, void *ctx, struct brig_err *e);

/* ---- xattr.c: extended attributes of any kind of entry ---- */

struct xattrs {
	char **names;
	char **values;
	size_t *lens;
	size_t n;
};

int xattr_read(int dirfd, const char *name, struct xattrs *x, struct brig_err *e);
int xattr_write(int dirfd, const char *name, const struct xattrs *x, struct brig_err *e);
void xattr_free(struct xattrs *x);

/* ---- copy.c: exact copies ---- */

/* Copy the tree at topfd to dstdir/dstname (new, or an empty directory): owners,
 * modes, times, xattrs, hard links, symlinks, device nodes (unless dev says
 * to leave them out; NULL copies them); reflinks where the filesystem has them. */
int copy_tree(int topfd, int dstdirfd, const char *dstname, struct store_devices *dev,
	      const struct store_progress *p, struct brig_err *e);
/* Remove the device nodes under topfd that dev does not keep (a tree a
 * helper made: debootstrap). */
int strip_devices(int topfd, struct store_devices *dev, struct brig_err *e);
/* Copy the data of one open file into another (reflink, else in-kernel copy). */
int copy_data(int in, int out, off_t size, struct brig_err *e);

/* ---- meta.c: small key=value files ---- */

struct meta {
	char **keys;
	char **vals;
	size_t n;
};

/* Parse "key=value" lines (blank and # lines ignored); -1 on a bad line. */
int meta_parse(const char *text, struct meta *m, struct brig_err *e);
/* Format as "key=value\n" lines; caller frees. */
char *meta_format(const struct meta *m);
const char *meta_get(const struct meta *m, const char *key);
void meta_set(struct meta *m, const char *key, const char *val);
/* Set "created" (seconds) and "created_ns" to now. */
void meta_set_created(struct meta *m);
int meta_read(int dirfd, const char *name, struct meta *m, struct brig_err *e);
int meta_write(int dirfd, const char *name, const struct meta *m, struct brig_err *e);
void meta_free(struct meta *m);

/* ---- backends: how a jail's root is made, cloned and mounted ---- */

struct backend {
	const char *name;	/* "overlay", "btrfs", "copy" */
	/* The directory of jails/NAME that holds the jail's own data, the one
	 * snapshots capture: "upper" (overlay) or "root". */
	const char *data;
	/* Make the jail's directories in jaildirfd from the template's root. */
	int (*make)(int tmplrootfd, int jaildirfd, const struct store_progress *p,
		    struct brig_err *e);
	/* Make dstdir/dstname a copy of srcdir/srcname (readonly: frozen). */
	int (*clone)(int srcdirfd, const char *srcname, int dstdirfd, const char *dstname,
		     bool readonly, const struct store_progress *p, struct brig_err *e);
	/* Thin overlay jails: the root must be mounted to be seen. */
	bool mounted;
};

extern const struct backend backend_overlay;
extern const struct backend backend_btrfs;
extern const struct backend backend_copy;

const struct backend *backend_find(const char *name);
/* The backend for a new jail of the template at tmplrootfd. */
const struct backend *backend_choose(int tmplrootfd, bool thick);
/* Make dstdir/dstname a btrfs subvolume (readonly snapshot of srcfd when
 * srcfd >= 0, an empty subvolume when srcfd < 0). */
int btrfs_subvol_make(int srcfd, int dstdirfd, const char *dstname, bool readonly,
		      struct brig_err *e);
/* Delete the subvolume dirfd/name. */
int btrfs_subvol_delete(int dirfd, const char *name, struct brig_err *e);
/* /sys/fs/btrfs/FSID of the filesystem of fd; caller frees. */
char *btrfs_sysfs(int fd, struct brig_err *e);
/* Limit what the subvolume fd holds alone (bytes 0: no limit), asked of
 * dirfd outside it. */
int btrfs_qgroup_limit(int dirfd, int fd, long long bytes, struct brig_err *e);
/* What the subvolume fd holds alone, and its limit (-1: none). */
int btrfs_qgroup_usage(int fd, long long *excl, long long *max, struct brig_err *e);

/* ---- overlay.c: mounting a thin jail ---- */

/* Mount jails/JAIL/root of the store at absolute path storeabs, from its
 * template's root and its upper/work layers. With map: each layer an
 * idmapped mount, so that the overlay shows the ids on disk as the
 * jail's host ids and stores what the jail writes with the ids it sees. */
int overlay_mount(const char *storeabs, const char *jail, const char *template,
		  const struct idmap *map, struct brig_err *e);
/* Mount jails/JAIL/root read-only from the jail's layer over its
 * template's root (no upper layer: nothing is written, the layers may be
 * in use by the jail's own overlay). */
int overlay_mount_ro(const char *storeabs, const char *jail, const char *template,
		     struct brig_err *e);
/* Escape a path for an overlayfs option value (',' ':' '\'). Caller frees. */
char *overlay_escape(const char *path);

/* ---- jailrec.c: a jail's directory and record ---- */

struct jailrec {
	int dirfd;		/* jails/NAME */
	struct meta meta;
	const struct backend *be;
	const char *template;
};

/* Open jails/NAME; -1 with "no jail NAME in the store" if missing. */
int jailrec_open(int storefd, const char *name, struct jailrec *r, struct brig_err *e);
void jailrec_close(struct jailrec *r);
/* Unmount the jail's root if something is mounted on it. */
int jailrec_unmount(struct jailrec *r, const char *name, struct brig_err *e);
/* Mount the jail's root when its backend needs it and it is not mounted. */
int jailrec_mount(struct jailrec *r, const char *name, struct brig_err *e);
/* The same; with map (not NULL), from idmapped layers (overlay_mount). */
int jailrec_mount_map(struct jailrec *r, const char *name, const struct idmap *map,
		      struct brig_err *e);

/* ---- prepare.c, quota.c ---- */

/* The store jail whose root is path, or NULL; *storefd: the store. */
char *store_jail_name(const char *path, int *storefd);
/* Destroy: clear the limit of the jail r (under the store's lock). */
int quota_clear(int storefd, struct jailrec *r, const char *name, struct brig_err *e);
/* Set (bytes > 0) or clear (0) the jail's quota, r open (quota.c). */
int quota_not_store(const char *jail, struct brig_err *e);	/* the refusal, -1 */
int quota_apply(int storefd, struct jailrec *r, const char *name, long long bytes,
		struct brig_err *e);

/* ---- projquota.c: ext4 and xfs project quotas ---- */

/* 0 if the filesystem of fd (path, of kind fsname) enforces project
 * quotas; else -1 with what the admin must do. */
int projquota_enforced(int fd, const char *path, const char *fsname, bool xfs,
		       struct brig_err *e);
/* Give the jail r's directory dir (open: fd) and its overlay work
 * directory its project id (chosen and recorded the first time), and
 * the project the limit bytes (0: none). */
int projquota_set(int storefd, struct jailrec *r, const char *dir, int fd, long long bytes,
		  struct brig_err *e);
/* The project's use and limit (-1: none); untouched without a project. */
int projquota_usage(const struct jailrec *r, int fd, long long *used, long long *limit,
		    struct brig_err *e);

/* ---- jail.c: jails in the store ---- */

/* Open the store's directory sub (templates, jails). */
int store_sub(int storefd, const char *sub, struct brig_err *e);
/* Is the name free: no jail in the store, no jail.conf.d file? */
int jail_name_free(int jailsfd, const char *name, struct brig_err *e);
/* Write a jail's meta (origin: the archive it came from, or NULL). */
int jail_write_meta(int dirfd, const char *template, const struct backend *be,
		    const char *origin, struct brig_err *e);
/* The jail's root, as jail.conf's path names it; caller frees. */
char *jail_root_path(const char *name, struct brig_err *e);
/* Take a finished jail directory t into jails/NAME, write its jail.conf.d
 * file and mount its root; undo all of it on failure. */
int jail_install(int storefd, struct tmpdir *t, const char *name, const char *conftext,
		 struct brig_err *e);

/* ---- jailconf.c: the jail.conf.d file brig create writes ---- */

/* Path of jail.conf.d/NAME.conf; caller frees. */
char *jailconf_path(const char *name);
struct image_config;
struct strbuf;
/* The text of a new jail's file; img: the template's image config, or NULL. */
char *jailconf_render(const char *name, const char *path, const char *template,
		      const char *backend, const struct image_config *img, char *const *params,
		      size_t nparams, struct brig_err *e);
/* image_conf.c: the lines an image's config gives a new jail's block. */
void image_conf_lines(struct strbuf *out, const struct image_config *c, const char *template);
/* The image config of the template (templates/NAME/image.json): 1 and *c
 * when it has one, 0 when not, -1 on error. */
int template_image_config(int storefd, const char *template, struct image_config *c,
			  struct brig_err *e);
/* An existing file moved to a new name and path (import): the block's name
 * and its path line rewritten. */
char *jailconf_rebase(const char *text, const char *oldname, const char *name,
		      const char *path, struct brig_err *e);
/* An archive's file taken as untrusted input: its jail's block, reduced to
 * what acts inside the jail, written anew as name with path; member names
 * the text in messages; what is left out goes to dropped (warnings). */
char *jailconf_untrusted(const char *text, const char *member, const char *oldname,
			 const char *name, const char *path, const char *template,
			 const char *backend, struct diag *dropped, struct brig_err *e);
/* Create jail.conf.d/NAME.conf with text; fails if it exists. */
int jailconf_write(const char *name, const char *text, struct brig_err *e);
/* brig import's command-line parameters ("param=value", as brig create
 * takes them) added to the block `name` of text: .include lines first,
 * the others last. Caller frees. */
char *jailconf_add_params(const char *text, const char *name, char *const *params,
			  size_t nparams, struct brig_err *e);
/* The configuration directory and its jail.conf.d, made if missing (0755):
 * a new jail's file is checked where it will be, and its relative
 * .include (../base.conf) resolves only through an existing jail.conf.d. */
int jailconf_dir_make(struct brig_err *e);

/* ---- etcfiles.c: what every template gets in /etc ---- */

/* resolv.conf and localtime from the host; rc and rc.shutdown if missing. */
int etc_install(int rootfd, struct brig_err *e);
/* The busybox root's rc.subr, rc.conf and init.d scripts. */
int etc_install_busybox(int rootfd, struct brig_err *e);

/* ---- sources: how a template's tree is made in rootfd ---- */

int source_busybox(int rootfd, const struct store_progress *p, struct brig_err *e);
int source_debootstrap(int rootfd, const char *spec, const struct store_progress *p,
		       struct brig_err *e);
/* The first Debian mirror in apt's sources (text of a sources.list or a
 * deb822 .sources file); caller frees; NULL if none. */
char *debootstrap_mirror_from(const char *text, bool deb822);

#endif
