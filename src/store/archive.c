/* Tarballs in (templates, imports) and out (exports), with libarchive.
 *
 * Extraction happens in a fresh directory of the store's tmp/ and is
 * renamed into place only when complete. Nothing may land outside it: every
 * member path is cleaned and refused when absolute or holding "..", and no
 * existing parent may be a symlink (a member "a -> /etc" followed by
 * "a/passwd"); libarchive's ARCHIVE_EXTRACT_SECURE_* checks are on as well.
 *
 * An archive is hostile input: it may not fill the store's filesystem
 * (gigabytes of zeros are a few KiB of zstd; millions of empty members a
 * little more), declare files larger than the filesystem (sparse bombs),
 * or bring device nodes the user did not ask for. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "store/archive.h"
#include "store/internal.h"
#include "util/mem.h"

/* No archive brig reads has more members (a full Debian has ~100k). */
#define MEMBERS_MAX 10000000ULL

#define EXTRACT_FLAGS (ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | \
		       ARCHIVE_EXTRACT_XATTR | ARCHIVE_EXTRACT_ACL | ARCHIVE_EXTRACT_SECURE_SYMLINKS | \
		       ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS)

/* Is this file name a tarball brig reads? */
bool archive_is_tarball(const char *path)
{
	static const char *const sfx[] = { ".tar", ".tar.gz", ".tgz", ".txz", ".tar.xz",
					   ".tar.zst", ".tzst", ".tar.bz2", ".tbz2" };
	size_t n = strlen(path);

	for (size_t i = 0; i < ARRAY_SIZE(sfx); i++) {
		size_t m = strlen(sfx[i]);

		if (n > m && !strcmp(path + n - m, sfx[i]))
			return true;
	}
	return false;
}

/* A reader for tar archives, compressed or not, on fd. */
struct archive *archive_open_read(int fd, const char *what, struct brig_err *e)
{
	struct archive *a = archive_read_new();

	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_bzip2(a);
	if (archive_read_open_fd(a, fd, 64 * 1024) != ARCHIVE_OK) {
		brig_err_set(e, 0, "%s: not a tar archive brig reads (%s)", what, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* The next member's header; 1 at the end, -1 when the archive is broken. */
int archive_next(struct archive *a, struct archive_entry **ent, const char *what,
		 struct brig_err *e)
{
	int r = archive_read_next_header(a, ent);

	if (r == ARCHIVE_EOF)
		return 1;
	if (r == ARCHIVE_OK || r == ARCHIVE_WARN)
		return 0;
	return brig_err_set(e, 0, "%s: corrupt or truncated archive: %s", what, archive_error_string(a));
}

/* Where a member goes: its path without prefix, cleaned; NULL when it must
 * be refused (e says why). "" is the top itself. */
static char *member_dest(const char *path, const char *prefix, const char *what,
			 const char *link_of, struct brig_err *e)
{
	const char *why = NULL;
	cleanup_free char *clean = path_member_clean(path, &why);
	size_t n = strlen(prefix);

	if (!clean && link_of) {
		brig_err_set(e, 0, "%s: member `%s` is a hard link to `%s`, which %s; refusing the archive",
			     what, link_of, path, why);
		return NULL;
	}
	if (!clean) {
		brig_err_set(e, 0, "%s: member `%s` %s; refusing the archive", what, path, why);
		return NULL;
	}
	if (n == 0)
		return TAKE_PTR(clean);
	if (strncmp(clean, prefix, n) != 0 || (clean[n] != '\0' && clean[n] != '/')) {
		brig_err_set(e, 0, "%s: unexpected member `%s` (not under %s/)", what, path, prefix);
		return NULL;
	}
	return xstrdup(clean[n] ? clean + n + 1 : "");
}

/* Check a member's paths (its own and a hard link's target) and rewrite
 * them relative to the extraction directory. */
static int member_prepare(struct archive_entry *ent, int rootfd, const char *prefix,
			  const char *what, struct brig_err *e)
{
	cleanup_free char *dst = member_dest(archive_entry_pathname(ent), prefix, what, NULL, e);
	const char *hl = archive_entry_hardlink(ent);

	if (!dst)
		return -1;
	if (path_check_beneath(rootfd, dst, e) < 0)
		return brig_err_wrap(e, "%s: refusing the archive", what);
	archive_entry_set_pathname(ent, *dst ? dst : ".");
	if (hl) {
		cleanup_free char *hdst = member_dest(hl, prefix, what, archive_entry_pathname(ent), e);

		if (!hdst)
			return -1;
		if (!*hdst)
			return brig_err_set(e, 0, "%s: member `%s` is a hard link to the top directory",
					    what, archive_entry_pathname(ent));
		if (path_check_beneath(rootfd, hdst, e) < 0)
			return brig_err_wrap(e, "%s: refusing the archive", what);
		archive_entry_set_hardlink(ent, hdst);
	}
	return 0;
}

/* What an extraction may still use of the store's filesystem: it stops
 * before the last 1/32 of the space (beyond what the filesystem reserves
 * for root) or of the inodes would be used, so that the host keeps room. */
struct budget {
	unsigned long long bytes;	/* data that may still be written */
	unsigned long long members;	/* members that may still be made */
	unsigned long long fs_size;	/* no file may claim more (sparse bombs) */
	unsigned long long free;	/* for messages: bytes free at the start */
};

static int budget_init(int rootfd, struct budget *b, const char *what, struct brig_err *e)
{
	struct statvfs st;
	unsigned long long keep;

	if (fstatvfs(rootfd, &st) < 0)
		return brig_err_set(e, errno, "%s: examining the store's filesystem", what);
	b->fs_size = (unsigned long long)st.f_blocks * st.f_frsize;
	b->free = (unsigned long long)st.f_bavail * st.f_frsize;
	keep = b->fs_size / 32;
	b->bytes = b->free > keep ? b->free - keep : 0;
	b->members = MEMBERS_MAX;
	/* Filesystems without an inode count (btrfs) report 0 files. */
	if (st.f_files > 0) {
		keep = st.f_files / 32;
		keep = st.f_favail > keep ? st.f_favail - keep : 0;
		if (keep < b->members)
			b->members = keep;
	}
	return 0;
}

/* One more member: within the budget, and not claiming a size beyond the
 * whole filesystem. */
static int budget_member(struct budget *b, struct archive_entry *ent, const char *what,
			 struct brig_err *e)
{
	la_int64_t size = archive_entry_size(ent);

	if (b->members == 0)
		return brig_err_set(e, 0, "%s: the archive has more members than the store can take "
				    "(its free inodes, less 1/32 of the filesystem's, and at most %llu); "
				    "refusing it", what, MEMBERS_MAX);
	b->members--;
	if (size > 0 && (unsigned long long)size > b->fs_size)
		return brig_err_set(e, 0, "%s: member `%s` claims %lld bytes, more than the store's "
				    "whole filesystem (%llu); refusing the archive", what,
				    archive_entry_pathname(ent), (long long)size, b->fs_size);
	return 0;
}

/* Paths of the device nodes left out, so that hard links to them go too. */
struct pathset {
	char **v;
	size_t cap, n;
};

static size_t pathset_slot(const struct pathset *s, const char *path)
{
	uint64_t h = 1469598103934665603ULL;

	for (const char *p = path; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (size_t i = (size_t)h & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
		if (!s->v[i] || !strcmp(s->v[i], path))
			return i;
}

static bool pathset_has(const struct pathset *s, const char *path)
{
	return s->cap && s->v[pathset_slot(s, path)];
}

static void pathset_add(struct pathset *s, const char *path)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct pathset g = { .cap = s->cap ? s->cap * 2 : 16 };

		g.v = xcalloc(g.cap, sizeof(*g.v));
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				g.v[pathset_slot(&g, s->v[i])] = s->v[i];
		free(s->v);
		s->v = g.v;
		s->cap = g.cap;
	}
	s->v[pathset_slot(s, path)] = xstrdup(path);
	s->n++;
}

static void pathset_free(struct pathset *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i]);
	free(s->v);
}

/* A device node (or a hard link to one left out) that the user did not
 * ask for: noted and left out. Overlay whiteouts (0,0) are kept. */
static bool member_unwanted_device(struct archive_entry *ent, struct store_devices *dev,
				   struct pathset *gone)
{
	const char *path = archive_entry_pathname(ent), *hl = archive_entry_hardlink(ent);
	mode_t type = archive_entry_filetype(ent);

	if (!dev || dev->keep)
		return false;
	if (hl ? !pathset_has(gone, hl)
	       : ((type != AE_IFCHR && type != AE_IFBLK) || archive_entry_rdev(ent) == makedev(0, 0)))
		return false;
	if (!hl)
		pathset_add(gone, path);
	if (!dev->first)
		dev->first = xstrdup(path);
	dev->dropped++;
	return true;
}

/* Copy the current member's data from a to w. */
static int member_data(struct archive *a, struct archive *w, struct budget *b,
		       unsigned long long *bytes, const char *what, struct brig_err *e)
{
	for (;;) {
		const void *buf;
		size_t len;
		la_int64_t off;
		int r = archive_read_data_block(a, &buf, &len, &off);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN)
			return brig_err_set(e, 0, "%s: corrupt or truncated archive: %s", what,
					    archive_error_string(a));
		if (len > b->bytes)
			return brig_err_set(e, 0, "%s: the archive holds more data than the store has room "
					    "for (%llu MiB free; 1/32 of its filesystem is kept free); "
					    "refusing it", what, b->free >> 20);
		b->bytes -= len;
		if (archive_write_data_block(w, buf, len, off) != ARCHIVE_OK)
			return brig_err_set(e, archive_errno(w) > 0 ? archive_errno(w) : 0,
					    "%s: writing: %s", what, archive_error_string(w));
		*bytes += len;
	}
}

/* Set the member's POSIX ACLs from its raw system.posix_acl_* xattrs (as
 * GNU tar and brig export store them): libarchive leaves those xattrs out
 * and may fail to convert a named entry of its text form. Returns 1 when
 * the member has such xattrs. */
static int member_raw_acls(struct archive_entry *ent, const char *what, struct brig_err *e)
{
	const char *name;
	const void *value;
	size_t size;
	int found = 0;

	if (archive_entry_hardlink(ent) || archive_entry_filetype(ent) == AE_IFLNK)
		return 0;
	archive_entry_xattr_reset(ent);
	while (archive_entry_xattr_next(ent, &name, &value, &size) == ARCHIVE_OK) {
		if (strncmp(name, "system.posix_acl_", 17))
			continue;
		/* The working directory is the extraction root; no parent of
		 * the path is a symlink (member_prepare checked). */
		if (lsetxattr(archive_entry_pathname(ent), name, value, size, 0) < 0)
			return brig_err_set(e, errno, "%s: setting %s on `%s`", what, name,
					    archive_entry_pathname(ent));
		found = 1;
	}
	return found;
}

/* Finish a member: its data is flushed and its metadata applied. Any
 * warning is an error (a member restored inexactly), but a failed ACL
 * conversion that the raw ACL xattrs repair. */
static int member_finish(struct archive *w, struct archive_entry *ent, const char *what,
			 struct brig_err *e)
{
	int r = archive_write_finish_entry(w);
	int raw;

	if (r < ARCHIVE_WARN || (r == ARCHIVE_WARN && !strstr(archive_error_string(w), "acl")))
		return brig_err_set(e, archive_errno(w) > 0 ? archive_errno(w) : 0,
				    "%s: extracting `%s`: %s", what, archive_entry_pathname(ent),
				    archive_error_string(w));
	raw = member_raw_acls(ent, what, e);
	if (raw < 0)
		return -1;
	if (r == ARCHIVE_WARN && !raw)
		return brig_err_set(e, archive_errno(w) > 0 ? archive_errno(w) : 0,
				    "%s: extracting `%s`: %s", what, archive_entry_pathname(ent),
				    archive_error_string(w));
	return 0;
}

/* Extract the rest of a's members into the directory rootfd. */
int archive_extract_rest(struct archive *a, int rootfd, const struct extract *x,
			 struct brig_err *e)
{
	struct archive *w = archive_write_disk_new();
	unsigned long long files = 0, bytes = 0;
	const struct store_progress *p = x->p;
	struct pathset gone = { 0 };
	struct budget b = { 0 };
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	/* libarchive writes relative to the working directory. No user or
	 * group name lookup: the archive's numeric ids are kept. */
	archive_write_disk_set_options(w, EXTRACT_FLAGS);
	if (budget_init(rootfd, &b, x->what, e) < 0) {
		rc = -1;
		goto out;
	}
	if (cwd < 0 || fchdir(rootfd) < 0) {
		rc = brig_err_set(e, errno, "%s: entering the extraction directory", x->what);
		goto out;
	}
	for (;;) {
		struct archive_entry *ent;
		int r = archive_next(a, &ent, x->what, e);

		if (r != 0) {
			rc = r < 0 ? -1 : 0;
			break;
		}
		if (member_prepare(ent, rootfd, x->prefix, x->what, e) < 0) {
			rc = -1;
			break;
		}
		if ((x->skip && x->skip(archive_entry_pathname(ent))) ||
		    member_unwanted_device(ent, x->dev, &gone))
			continue;
		if (budget_member(&b, ent, x->what, e) < 0) {
			rc = -1;
			break;
		}
		if (archive_write_header(w, ent) != ARCHIVE_OK) {
			rc = brig_err_set(e, archive_errno(w) > 0 ? archive_errno(w) : 0,
					  "%s: extracting `%s`: %s", x->what, archive_entry_pathname(ent),
					  archive_error_string(w));
			break;
		}
		if (archive_entry_size(ent) > 0 && member_data(a, w, &b, &bytes, x->what, e) < 0) {
			rc = -1;
			break;
		}
		if (member_finish(w, ent, x->what, e) < 0) {
			rc = -1;
			break;
		}
		if (p && p->fn && (++files & 63) == 0)
			p->fn(p->ctx, "extracting", files, bytes);
	}
	/* Directory modes and times are applied here, still relative to rootfd. */
	if (archive_write_close(w) < ARCHIVE_WARN && rc == 0)
		rc = brig_err_set(e, archive_errno(w) > 0 ? archive_errno(w) : 0, "%s: finishing: %s",
				  x->what, archive_error_string(w));
	if (rc == 0 && p && p->fn)
		p->fn(p->ctx, "extracting", files, bytes);
out:
	if (cwd >= 0) {
		if (fchdir(cwd) < 0 && rc == 0)
			rc = brig_err_set(e, errno, "returning to the working directory");
		close(cwd);
	}
	pathset_free(&gone);
	archive_write_free(w);
	return rc;
}

/* Extract the tarball at fd into the directory rootfd. */
int archive_extract_file(int fd, int rootfd, const struct extract *x, struct brig_err *e)
{
	struct archive *a = archive_open_read(fd, x->what, e);
	int rc;

	if (!a)
		return -1;
	rc = archive_extract_rest(a, rootfd, x, e);
	archive_read_free(a);
	return rc;
}
