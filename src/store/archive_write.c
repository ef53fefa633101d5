/* Writing archives: zstd-compressed pax, which holds owners, nanosecond
 * times, xattrs, hard links and device nodes exactly. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/archive.h"
#include "store/internal.h"
#include "util/io.h"
#include "util/mem.h"

/* Fail with the writer's error, saying what was being written. */
static int werr(struct archive *w, const char *what, struct brig_err *e)
{
	const char *msg = archive_error_string(w);

	brig_err_set(e, 0, "%s: %s", what, msg ? msg : "archive error");
	e->errnum = archive_errno(w) > 0 ? archive_errno(w) : 0;
	return -1;
}

/* Fail with the writer's error while writing the member path. */
static int werr_member(struct archive *w, const char *path, struct brig_err *e)
{
	cleanup_free char *what = xasprintf("writing `%s`", path);

	return werr(w, what, e);
}

/* A zstd-compressed pax archive written to fd. */
struct archive *archive_open_write(int fd, const char *what, struct brig_err *e)
{
	struct archive *w = archive_write_new();

	if (archive_write_set_format_pax(w) != ARCHIVE_OK ||
	    archive_write_add_filter_zstd(w) != ARCHIVE_OK ||
	    archive_write_open_fd(w, fd) != ARCHIVE_OK) {
		brig_err_set(e, archive_errno(w) > 0 ? archive_errno(w) : 0, "%s: %s", what,
			     archive_error_string(w));
		archive_write_free(w);
		return NULL;
	}
	return w;
}

/* Add a regular file (mode 0644, root's) holding data. */
int archive_add_data(struct archive *w, const char *path, const void *data, size_t len,
		     struct brig_err *e)
{
	struct archive_entry *ent = archive_entry_new();
	int rc = 0;

	archive_entry_set_pathname(ent, path);
	archive_entry_set_filetype(ent, AE_IFREG);
	archive_entry_set_perm(ent, 0644);
	archive_entry_set_size(ent, (la_int64_t)len);
	archive_entry_set_mtime(ent, time(NULL), 0);
	if (archive_write_header(w, ent) < ARCHIVE_WARN ||
	    archive_write_data(w, data, len) != (la_ssize_t)len)
		rc = werr_member(w, path, e);
	archive_entry_free(ent);
	return rc;
}

struct add_ctx {
	struct archive *w;
	struct archive_entry_linkresolver *links;
	const char *prefix;
	const char *const *skip;
	const struct store_progress *p;
	unsigned long long files, bytes;
};

/* Should xattr name be left out? */
static bool skipped(const struct add_ctx *c, const char *name)
{
	for (const char *const *s = c->skip; s && *s; s++)
		if (!strcmp(*s, name))
			return true;
	return false;
}

/* The entry's symlink target and xattrs. */
static int add_extras(struct add_ctx *c, const struct walk_ent *wk, struct archive_entry *ent,
		      struct brig_err *e)
{
	struct xattrs x;

	if (S_ISLNK(wk->st.st_mode)) {
		char target[PATH_MAX + 1];
		ssize_t n = readlinkat(wk->dirfd, wk->name, target, sizeof(target) - 1);

		if (n < 0)
			return brig_err_set(e, errno, "reading the symlink `%s`", wk->path);
		target[n] = '\0';
		archive_entry_copy_symlink(ent, target);
	}
	if (xattr_read(wk->dirfd, wk->name, &x, e) < 0)
		return -1;
	for (size_t i = 0; i < x.n; i++)
		if (!skipped(c, x.names[i]))
			archive_entry_xattr_add_entry(ent, x.names[i], x.values[i], x.lens[i]);
	xattr_free(&x);
	return 0;
}

/* Write a regular file's contents. */
static int add_contents(struct add_ctx *c, const struct walk_ent *wk, la_int64_t size,
			struct brig_err *e)
{
	cleanup_close int fd = openat(wk->dirfd, wk->name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	char buf[65536];
	la_int64_t left = size;

	if (fd < 0)
		return brig_err_set(e, errno, "opening `%s`", wk->path);
	while (left > 0) {
		ssize_t n = RETRY_EINTR(read(fd, buf, (size_t)left < sizeof(buf) ? (size_t)left : sizeof(buf)));

		if (n < 0)
			return brig_err_set(e, errno, "reading `%s`", wk->path);
		/* A file that shrank while read is padded: the header said size. */
		if (n == 0) {
			memset(buf, 0, sizeof(buf));
			n = left < (la_int64_t)sizeof(buf) ? (ssize_t)left : (ssize_t)sizeof(buf);
		}
		if (archive_write_data(c->w, buf, (size_t)n) != n)
			return werr_member(c->w, wk->path, e);
		left -= n;
		c->bytes += (unsigned long long)n;
	}
	return 0;
}

/* Write one (linkified) entry: header, and data unless it is a hard link. */
static int add_one(struct add_ctx *c, const struct walk_ent *wk, struct archive_entry *ent,
		   struct brig_err *e)
{
	if (archive_write_header(c->w, ent) < ARCHIVE_WARN)
		return werr_member(c->w, archive_entry_pathname(ent), e);
	if (archive_entry_filetype(ent) == AE_IFREG && !archive_entry_hardlink(ent) &&
	    archive_entry_size(ent) > 0)
		return add_contents(c, wk, archive_entry_size(ent), e);
	return 0;
}

static int add_entry(void *ctx, struct walk_ent *wk, struct brig_err *e)
{
	struct add_ctx *c = ctx;
	struct archive_entry *ent, *spare = NULL;
	cleanup_free char *path = NULL;
	int rc = 0;

	if (S_ISSOCK(wk->st.st_mode))
		return 0;
	path = *wk->path ? xasprintf("%s/%s", c->prefix, wk->path) : xstrdup(c->prefix);
	ent = archive_entry_new();
	archive_entry_copy_pathname(ent, path);
	archive_entry_copy_stat(ent, &wk->st);
	if (add_extras(c, wk, ent, e) < 0) {
		archive_entry_free(ent);
		return -1;
	}
	/* Tar strategy: the first link carries the data, later ones name it. */
	archive_entry_linkify(c->links, &ent, &spare);
	if (ent)
		rc = add_one(c, wk, ent, e);
	archive_entry_free(ent);
	archive_entry_free(spare);
	if (c->p && c->p->fn && (++c->files & 63) == 0)
		c->p->fn(c->p->ctx, "archiving", c->files, c->bytes);
	return rc;
}

/* Add the tree at topfd as prefix and prefix/... */
int archive_add_tree(struct archive *w, int topfd, const char *prefix,
		     const char *const *skip_xattrs, const struct store_progress *p,
		     struct brig_err *e)
{
	static const struct walk_ops ops = { add_entry, NULL };
	struct add_ctx c = { .w = w, .prefix = prefix, .skip = skip_xattrs, .p = p };
	int rc;

	c.links = archive_entry_linkresolver_new();
	archive_entry_linkresolver_set_strategy(c.links, archive_format(w));
	rc = walk_tree(topfd, &ops, &c, e);
	archive_entry_linkresolver_free(c.links);
	if (rc == 0 && p && p->fn)
		p->fn(p->ctx, "archiving", c.files, c.bytes);
	return rc;
}

/* Finish the archive (the last error of a full disk shows here). */
int archive_close_write(struct archive *w, struct brig_err *e)
{
	int rc = 0;

	if (archive_write_close(w) != ARCHIVE_OK)
		rc = werr(w, "finishing the archive", e);
	archive_write_free(w);
	return rc;
}
