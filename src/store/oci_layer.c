/* One layer of an image applied to the template's tree: first its
 * whiteouts (".wh.NAME" removes NAME, ".wh..wh..opq" empties its
 * directory), which by the OCI image spec remove only what the layers
 * below made; then its members, through archive.c's extraction with every
 * defence of tarball templates (paths beneath the root, no parent that is
 * a symlink, device nodes as asked, the store's space and inodes bounded).
 * A member replaces what lower layers had at its path; hard links may
 * name files of lower layers (they are in the same tree). */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "store/archive.h"
#include "store/internal.h"
#include "store/oci.h"
#include "util/beneath.h"
#include "util/mem.h"

/* Open the directory rel of the tree (no symlink on the way): the fd,
 * -2 when it does not exist, -1 on error. */
static int open_dir(int rootfd, const char *rel, const char *what, struct brig_err *e)
{
	int fd = beneath_open(rootfd, rel, O_RDONLY | O_DIRECTORY, e);

	if (fd >= 0)
		return fd;
	if (e->errnum == ENOENT || e->errnum == ENOTDIR)
		return -2;
	return brig_err_wrap(e, "%s: whiteout under `%s`: refusing the layer", what, rel);
}

/* Remove rel (a whiteout's target) and what is under it. */
static int remove_path(int rootfd, const char *rel, const char *what, struct brig_err *e)
{
	const char *base = strrchr(rel, '/');
	cleanup_free char *dir = base ? xstrndup(rel, (size_t)(base - rel)) : xstrdup("");
	int fd, rc;

	base = base ? base + 1 : rel;
	fd = open_dir(rootfd, dir, what, e);
	if (fd == -2)
		return 0;
	if (fd < 0)
		return -1;
	rc = fs_exists(fd, base, e);
	if (rc > 0)
		rc = fs_rm_tree(fd, base, e);
	close(fd);
	return rc < 0 ? brig_err_wrap(e, "%s: whiteout of `%s`", what, rel) : 0;
}

/* Empty the directory rel (an opaque directory). */
static int empty_dir(int rootfd, const char *rel, const char *what, struct brig_err *e)
{
	int fd = open_dir(rootfd, rel, what, e), rc = 0;
	struct dirent *de;
	DIR *d;

	if (fd == -2)
		return 0;
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return brig_err_set(e, errno, "%s: opaque directory `%s`", what, rel);
	}
	while (rc == 0 && (errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		rc = fs_rm_tree(dirfd(d), de->d_name, e);
	}
	if (rc == 0 && errno)
		rc = brig_err_set(e, errno, "%s: reading `%s`", what, rel);
	closedir(d);
	return rc < 0 ? brig_err_wrap(e, "%s: opaque directory `%s`", what, rel) : 0;
}

/* Pass 1: the layer's whiteouts, applied to the tree the lower layers made. */
static int whiteouts(int fd, int rootfd, const char *what, struct brig_err *e)
{
	struct archive *a = archive_open_read(fd, what, e);
	int rc = 0;

	if (!a)
		return -1;
	while (rc == 0) {
		struct archive_entry *ent;
		const char *why = NULL;
		cleanup_free char *clean = NULL, *target = NULL;
		int r = archive_next(a, &ent, what, e), kind;

		if (r != 0) {
			rc = r < 0 ? -1 : 0;
			break;
		}
		clean = path_member_clean(archive_entry_pathname(ent), &why);
		if (!clean) {
			rc = brig_err_set(e, 0, "%s: member `%s` %s; refusing the archive", what,
					  archive_entry_pathname(ent), why);
			break;
		}
		kind = oci_whiteout(clean, &target);
		if (kind < 0)
			rc = brig_err_set(e, 0, "%s: whiteout `%s` names nothing; refusing the layer",
					  what, clean);
		else if (kind == OCI_WH_FILE)
			rc = remove_path(rootfd, target, what, e);
		else if (kind == OCI_WH_OPAQUE)
			rc = empty_dir(rootfd, target, what, e);
	}
	archive_read_free(a);
	return rc;
}

/* Pass 2 leaves the whiteout members out (pass 1 applied them). */
static bool is_whiteout(const char *path)
{
	const char *base = strrchr(path, '/');

	return !strncmp(base ? base + 1 : path, ".wh.", 4);
}

int oci_layer_apply(int fd, int rootfd, const char *what, struct store_devices *dev,
		    const struct store_progress *p, struct brig_err *e)
{
	const struct extract x = { .prefix = "", .what = what, .dev = dev, .p = p,
				   .skip = is_whiteout };

	if (lseek(fd, 0, SEEK_SET) < 0)
		return brig_err_set(e, errno, "%s: rewinding", what);
	if (whiteouts(fd, rootfd, what, e) < 0)
		return -1;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return brig_err_set(e, errno, "%s: rewinding", what);
	return archive_extract_file(fd, rootfd, &x, e);
}
