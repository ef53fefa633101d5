/* Tarballs in (templates, imports) and out (exports), with libarchive. */
#ifndef BRIG_STORE_ARCHIVE_H
#define BRIG_STORE_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

struct archive;
struct archive_entry;

/* A jail's archive (brig export): these two members first, then its tree
 * under "root". */
#define EXPORT_FORMAT "1"
#define EXPORT_META "brig-export/meta"
#define EXPORT_CONF "brig-export/jail.conf"
#define EXPORT_ROOT "root"

/* ---- reading (archive.c) ---- */

/* Is this file name a tarball brig reads? */
bool archive_is_tarball(const char *path);
/* A reader for tar archives, compressed or not, on fd; what names it in errors. */
struct archive *archive_open_read(int fd, const char *what, struct brig_err *e);
/* The next member's header; 1 at the end, -1 when the archive is broken. */
int archive_next(struct archive *a, struct archive_entry **ent, const char *what,
		 struct brig_err *e);
/* How the members of an archive are extracted. */
struct extract {
	const char *prefix;		/* every member under it ("" for any) */
	const char *what;		/* names the archive in errors */
	struct store_devices *dev;	/* device nodes: NULL keeps them */
	const struct store_progress *p;
	/* Members to pass over (an image layer's whiteouts, which
	 * oci_layer.c applies itself): called with the cleaned path of a
	 * member that passed the checks above. NULL: none. */
	bool (*skip)(const char *path);
};

/* Extract the rest of a's members into the directory rootfd, refusing
 * members that would land outside it, and archives that would fill the
 * store's filesystem (data or inodes) or hold absurdly many members. */
int archive_extract_rest(struct archive *a, int rootfd, const struct extract *x,
			 struct brig_err *e);
/* Extract the tarball at fd into the directory rootfd. */
int archive_extract_file(int fd, int rootfd, const struct extract *x, struct brig_err *e);

/* ---- writing (archive_write.c) ---- */

/* A zstd-compressed pax archive written to fd. */
struct archive *archive_open_write(int fd, const char *what, struct brig_err *e);
/* Add a regular file (mode 0644, root's) holding data. */
int archive_add_data(struct archive *w, const char *path, const void *data, size_t len,
		     struct brig_err *e);
/* Add the tree at topfd as prefix and prefix/...: owners, modes, times,
 * xattrs (but those named in skip_xattrs), hard links, symlinks, device
 * nodes. Sockets, which tar cannot hold, are left out. */
int archive_add_tree(struct archive *w, int topfd, const char *prefix,
		     const char *const *skip_xattrs, const struct store_progress *p,
		     struct brig_err *e);
/* Finish the archive (the last error of a full disk shows here). */
int archive_close_write(struct archive *w, struct brig_err *e);

#endif
