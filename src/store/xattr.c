/* Extended attributes of any kind of entry (symlinks and device nodes
 * included), reached through the parent's fd so no path is followed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

#include "store/internal.h"
#include "util/mem.h"

/* "/proc/self/fd/N/name": the l*xattr calls act on the entry itself. */
static char *entry_path(int dirfd, const char *name)
{
	return xasprintf("/proc/self/fd/%d/%s", dirfd, name);
}

/* The list of attribute names (NUL-separated) in *out; its length. */
static ssize_t list_names(const char *p, char **out)
{
	for (int tries = 0; tries < 8; tries++) {
		ssize_t n = llistxattr(p, NULL, 0);
		char *buf;

		if (n <= 0) {
			*out = NULL;
			return n < 0 && (errno == ENOTSUP || errno == EOPNOTSUPP) ? 0 : n;
		}
		buf = xmalloc((size_t)n);
		n = llistxattr(p, buf, (size_t)n);
		if (n >= 0) {
			*out = buf;
			return n;
		}
		free(buf);
		if (errno != ERANGE)
			return -1;
	}
	errno = ERANGE;
	return -1;
}

/* One attribute's value in *out; its length. */
static ssize_t get_value(const char *p, const char *name, char **out)
{
	for (int tries = 0; tries < 8; tries++) {
		ssize_t n = lgetxattr(p, name, NULL, 0);
		char *buf;

		if (n < 0)
			return -1;
		buf = xmalloc((size_t)n + 1);
		n = lgetxattr(p, name, buf, (size_t)n);
		if (n >= 0) {
			*out = buf;
			return n;
		}
		free(buf);
		if (errno != ERANGE)
			return -1;
	}
	errno = ERANGE;
	return -1;
}

/* Read every extended attribute of dirfd/name. */
int xattr_read(int dirfd, const char *name, struct xattrs *x, struct brig_err *e)
{
	cleanup_free char *p = entry_path(dirfd, name);
	cleanup_free char *list = NULL;
	ssize_t len = list_names(p, &list);

	*x = (struct xattrs){ 0 };
	if (len < 0)
		return brig_err_set(e, errno, "listing extended attributes of `%s`", name);
	for (ssize_t off = 0; off < len; off += (ssize_t)strlen(list + off) + 1) {
		char *val = NULL;
		ssize_t n = get_value(p, list + off, &val);

		if (n < 0) {
			if (errno == ENODATA)	/* removed meanwhile */
				continue;
			brig_err_set(e, errno, "reading extended attribute %s of `%s`", list + off, name);
			xattr_free(x);
			return -1;
		}
		x->names = xrealloc(x->names, (x->n + 1) * sizeof(*x->names));
		x->values = xrealloc(x->values, (x->n + 1) * sizeof(*x->values));
		x->lens = xrealloc(x->lens, (x->n + 1) * sizeof(*x->lens));
		x->names[x->n] = xstrdup(list + off);
		x->values[x->n] = val;
		x->lens[x->n] = (size_t)n;
		x->n++;
	}
	return 0;
}

/* Set every attribute of x on dirfd/name. */
int xattr_write(int dirfd, const char *name, const struct xattrs *x, struct brig_err *e)
{
	cleanup_free char *p = NULL;

	if (x->n == 0)
		return 0;
	p = entry_path(dirfd, name);
	for (size_t i = 0; i < x->n; i++)
		if (lsetxattr(p, x->names[i], x->values[i], x->lens[i], 0) < 0)
			return brig_err_set(e, errno, "setting extended attribute %s on `%s`",
					    x->names[i], name);
	return 0;
}

void xattr_free(struct xattrs *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->names[i]);
		free(x->values[i]);
	}
	free(x->names);
	free(x->values);
	free(x->lens);
	*x = (struct xattrs){ 0 };
}
