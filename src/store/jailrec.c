/* A jail's directory in the store and what its meta file says. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/paths.h"

/* Open jails/NAME; -1 with "no jail NAME in the store" if missing. */
int jailrec_open(int storefd, const char *name, struct jailrec *r, struct brig_err *e)
{
	cleanup_free char *rel = xasprintf("jails/%s", name);
	const char *why = store_name_invalid(name);

	*r = (struct jailrec){ .dirfd = -1 };
	if (why)
		return brig_err_set(e, 0, "invalid jail name `%s`: %s", name, why);
	r->dirfd = openat(storefd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r->dirfd < 0) {
		if (errno == ENOENT)
			return brig_err_set(e, 0, "no jail `%s` in the store (%s/jails)", name, brig_storedir());
		return brig_err_set(e, errno, "opening %s", rel);
	}
	if (meta_read(r->dirfd, "meta", &r->meta, e) < 0) {
		jailrec_close(r);
		return brig_err_wrap(e, "%s", rel);
	}
	r->be = backend_find(meta_get(&r->meta, "backend"));
	r->template = meta_get(&r->meta, "template");
	if (!r->be || !r->template) {
		jailrec_close(r);
		return brig_err_set(e, 0, "%s/meta: no known backend or no template", rel);
	}
	/* The template names a directory of the store (overlay's lower layer). */
	why = store_name_invalid(r->template);
	if (why) {
		jailrec_close(r);
		return brig_err_set(e, 0, "%s/meta: template: invalid name: %s", rel, why);
	}
	return 0;
}

void jailrec_close(struct jailrec *r)
{
	if (r->dirfd >= 0)
		close(r->dirfd);
	meta_free(&r->meta);
	*r = (struct jailrec){ .dirfd = -1 };
}

/* Unmount the jail's root if something is mounted on it. */
int jailrec_unmount(struct jailrec *r, const char *name, struct brig_err *e)
{
	int m = fs_is_mount_root(r->dirfd, "root", e);
	cleanup_free char *abs = NULL, *target = NULL;

	if (m <= 0)
		return m;
	abs = store_abs(e);
	if (!abs)
		return -1;
	target = xasprintf("%s/jails/%s/root", abs, name);
	if (umount2(target, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL && errno != ENOENT)
		return brig_err_set(e, errno, "unmounting `%s`", target);
	return 0;
}

/* Is the directory dirfd/name empty? 1 yes, 0 no, -1 error. */
static int dir_empty(int dirfd, const char *name, struct brig_err *e)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	int empty = 1;
	DIR *d;

	if (fd < 0)
		return brig_err_set(e, errno, "opening `%s`", name);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return brig_err_set(e, errno, "reading `%s`", name);
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

int jailrec_mount(struct jailrec *r, const char *name, struct brig_err *e)
{
	return jailrec_mount_map(r, name, NULL, e);
}

int jailrec_mount_map(struct jailrec *r, const char *name, const struct idmap *map,
		      struct brig_err *e)
{
	cleanup_free char *abs = NULL;
	int m;

	if (!r->be->mounted)
		return 0;
	m = fs_is_mount_root(r->dirfd, "root", e);
	if (m != 0)
		return m < 0 ? -1 : 0;
	/* Whatever was written into the bare mountpoint would vanish under
	 * the overlay: refuse rather than hide it. */
	m = dir_empty(r->dirfd, "root", e);
	if (m <= 0)
		return m < 0 ? -1 : brig_err_set(e, 0, "%s/jails/%s/root has files of its own, "
						 "written while it was not mounted; move them out "
						 "of the way first", brig_storedir(), name);
	abs = store_abs(e);
	if (!abs)
		return -1;
	return overlay_mount(abs, name, r->template, map, e);
}
