/* brig export: a jail's data and configuration in one zstd-compressed pax
 * archive. Thin overlay jails give their own layer (whiteouts as they are)
 * and the template's name; --full (and btrfs or thick jails) the whole root
 * (a thin jail's merged view, as a private read-only overlay). */
#include <archive.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "store/archive.h"
#include "store/internal.h"
#include "util/mem.h"
#include "util/readfile.h"
#include "util/writefile.h"

/* Overlayfs's file handles of the lower layer mean nothing on another
 * machine: they are left out of an exported layer. */
static const char *const layer_skip_xattrs[] = {
	"trusted.overlay.origin", "trusted.overlay.impure", NULL,
};

#define CONSISTENCY_FILES "file by file: each file is as it was when read, but files changed " \
	"while the export ran may not match each other; stop the jail, or export a stopped " \
	"copy, for a consistent archive"
#define CONSISTENCY_ATOMIC "crash-consistent: every file as it was at one instant (a btrfs " \
	"snapshot), as after a power cut"

/* What is archived: the directory, and how it is described. */
struct source {
	int fd;
	const char *kind;		/* "layer" or "full" */
	const char *const *skip;	/* xattrs left out */
	struct tmpdir snap;		/* a btrfs snapshot made for a live export */
};

/* The merged view of a thin jail, mounted in a mount namespace of our
 * own, so that it goes away with this process. When the root is mounted
 * (the jail runs, or brig create left it), the view is a read-only
 * overlay of the jail's layer over the template in its place: the
 * mounted one may show other ids (a userns jail's, sys/userns.h), and a
 * second writable overlay must never share the running one's layers. */
static int mount_privately(struct jailrec *r, const char *name, bool mounted, struct brig_err *e)
{
	cleanup_free char *abs = NULL, *root = NULL;

	if (unshare(CLONE_NEWNS) < 0)
		return brig_err_set(e, errno, "entering a private mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return brig_err_set(e, errno, "making mounts private");
	if (!mounted)
		return jailrec_mount(r, name, e);
	abs = store_abs(e);
	if (!abs)
		return -1;
	root = xasprintf("%s/jails/%s/root", abs, name);
	if (umount2(root, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
		return brig_err_set(e, errno, "unmounting `%s` privately", root);
	return overlay_mount_ro(abs, name, r->template, e);
}

/* Pick and open what to archive. */
static int open_source(int storefd, struct jailrec *r, struct store_export *x, struct source *s,
		       struct brig_err *e)
{
	const char *dir = r->be->data;

	*s = (struct source){ .fd = -1, .kind = "full", .snap = { .fd = -1 } };
	if (r->be == &backend_overlay && !x->full) {
		s->kind = "layer";
		s->skip = layer_skip_xattrs;
	} else if (r->be == &backend_overlay) {
		int m = fs_is_mount_root(r->dirfd, "root", e);
		cleanup_free char *abs = NULL, *path = NULL;

		if (m < 0 || mount_privately(r, x->jail, m == 1, e) < 0)
			return -1;
		if (x->live)
			x->consistency = CONSISTENCY_FILES;
		/* Descriptors opened before unshare() still see the mounts of
		 * the old namespace: open the new mount by path. */
		abs = store_abs(e);
		path = abs ? xasprintf("%s/jails/%s/root", abs, x->jail) : NULL;
		if (!path)
			return -1;
		s->fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s->fd < 0)
			return brig_err_set(e, errno, "opening `%s`", path);
		return 0;
	}
	if (x->live)
		x->consistency = r->be == &backend_btrfs ? CONSISTENCY_ATOMIC : CONSISTENCY_FILES;
	if (x->live && r->be == &backend_btrfs) {
		if (tmp_make(storefd, "export", x->jail, &s->snap, e) < 0 ||
		    backend_btrfs.clone(r->dirfd, "root", s->snap.fd, "root", true, NULL, e) < 0)
			return -1;
		s->fd = openat(s->snap.fd, "root", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	} else {
		s->fd = openat(r->dirfd, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (s->fd < 0)
		return brig_err_set(e, errno, "opening the jail's %s", dir);
	return 0;
}

/* The archive's meta member. */
static char *export_meta(const char *name, const struct jailrec *r, const struct source *s,
			 bool live)
{
	struct meta m = { 0 };
	char *text;

	meta_set(&m, "format", EXPORT_FORMAT);
	meta_set(&m, "name", name);
	meta_set(&m, "kind", s->kind);
	meta_set(&m, "template", r->template);
	meta_set(&m, "backend", r->be->name);
	meta_set_created(&m);
	meta_set(&m, "live", live ? "yes" : "no");
	text = meta_format(&m);
	meta_free(&m);
	return text;
}

/* Write the archive to fd. */
static int write_archive(int fd, const char *conf, const char *meta, const struct source *s,
			 const struct store_export *x, struct brig_err *e)
{
	struct archive *w = archive_open_write(fd, x->file, e);

	if (!w)
		return -1;
	if (archive_add_data(w, EXPORT_META, meta, strlen(meta), e) < 0 ||
	    archive_add_data(w, EXPORT_CONF, conf, strlen(conf), e) < 0 ||
	    archive_add_tree(w, s->fd, EXPORT_ROOT, s->skip, x->progress, e) < 0) {
		archive_write_free(w);
		return -1;
	}
	return archive_close_write(w, e);
}

int store_export(struct store_export *x, struct brig_err *e)
{
	cleanup_free char *confpath = jailconf_path(x->jail), *conf = NULL, *meta = NULL;
	cleanup_close int storefd = -1, lockfd = -1;
	struct atomic_file out = { .fd = -1 };
	struct source s = { .fd = -1, .snap = { .fd = -1 } };
	struct jailrec r = { .dirfd = -1 };
	int rc = -1;

	storefd = store_open(e);
	/* A thin root found missing is mounted again (store/root.c) before
	 * the shared lock is taken: mounting takes it exclusively. */
	if (storefd < 0 || store_root_ensure(x->jail, e) < 0)
		goto done;
	lockfd = store_lock(storefd, false, e);
	if (lockfd < 0 || jailrec_open(storefd, x->jail, &r, e) < 0)
		goto done;
	if (read_bounded(AT_FDCWD, confpath, READ_AT, 1 << 20, &conf, NULL, e) < 0 ||
	    open_source(storefd, &r, x, &s, e) < 0)
		goto done;
	meta = export_meta(x->jail, &r, &s, x->live);
	/* Written beside the file and renamed: never a partial archive. */
	if (atomic_begin(&out, AT_FDCWD, x->file, 0600, e) < 0)
		goto done;
	rc = write_archive(out.fd, conf, meta, &s, x, e);
	if (rc == 0)
		rc = atomic_commit(&out, true, e);
done:
	atomic_abort(&out);
	if (s.fd >= 0)
		close(s.fd);
	tmp_discard(storefd, &s.snap);
	jailrec_close(&r);
	return rc < 0 ? brig_err_wrap(e, "%s: export", x->jail) : 0;
}
