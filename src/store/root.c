/* A thin jail's root is always at its path, as a ZFS clone is always
 * mounted: brig create mounts it, a stop leaves it, destroy alone unmounts
 * it (rollback for the moment it replaces the layer). A root found missing
 * (after a reboot, an umount by hand) is mounted again by whatever brig
 * command needs the jail: start, start --all/--boot (every jail of the
 * store), snapshot, rollback, export. The mount is the host's, at path:
 * what the admin writes there while the jail is stopped lands in the
 * jail's own layer. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/paths.h"

/* 1 if the jail of r needs its root mounted and it is not, 0 if not,
 * -1 on error. A statx: cheap enough for every start. */
static int root_missing(const struct jailrec *r, struct brig_err *e)
{
	int m;

	if (!r->be->mounted)
		return 0;
	m = fs_is_mount_root(r->dirfd, "root", e);
	return m < 0 ? -1 : !m;
}

/* Mount the jail's root if it is missing. The check is made again under
 * the store's lock: two brig commands never mount one root twice, and
 * none mounts it while a rollback or a destroy works on the layer. */
int store_root_ensure(const char *name, struct brig_err *e)
{
	cleanup_close int storefd = store_open(e), lockfd = -1;
	struct jailrec r;
	int missing;

	if (storefd < 0 || jailrec_open(storefd, name, &r, e) < 0)
		return -1;
	missing = root_missing(&r, e);
	jailrec_close(&r);
	if (missing <= 0)
		return missing;
	lockfd = store_lock(storefd, true, e);
	if (lockfd < 0 || jailrec_open(storefd, name, &r, e) < 0)
		return -1;
	missing = jailrec_mount(&r, name, e);
	jailrec_close(&r);
	return missing;
}

/* Whether name is one of v[0..n). */
static bool listed(char *const *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return true;
	return false;
}

int store_roots_mount(char *const *skip, size_t nskip, struct diag *d)
{
	struct brig_err e;
	int failed = 0;
	cleanup_close int storefd = -1, lockfd = -1, fd = -1;
	struct dirent *de;
	DIR *dir;

	/* No store (jails of jail.conf alone): none is made. */
	if (access(brig_storedir(), F_OK) < 0 && errno == ENOENT)
		return 0;
	storefd = store_open(&e);
	if (storefd < 0) {
		diag_add(d, DIAG_WARNING, "%s", e.msg);
		return 1;
	}
	lockfd = store_lock(storefd, true, &e);
	fd = lockfd < 0 ? -1 : openat(storefd, "jails", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		diag_add(d, DIAG_WARNING, "%s", lockfd < 0 ? e.msg : "store: reading jails/");
		return 1;
	}
	fd = -1;	/* the DIR has it */
	while ((de = readdir(dir))) {
		struct jailrec r;

		if (de->d_name[0] == '.' || listed(skip, nskip, de->d_name) ||
		    jailrec_open(storefd, de->d_name, &r, &e) < 0)
			continue;
		if (jailrec_mount(&r, de->d_name, &e) < 0) {
			diag_add(d, DIAG_WARNING, "%s: its root is not mounted: %s", de->d_name, e.msg);
			failed++;
		}
		jailrec_close(&r);
	}
	closedir(dir);
	return failed;
}
