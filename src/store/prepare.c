/* What core calls before a jail's mounts: a thin overlay jail's root must
 * be mounted before the jail can pivot into it. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/paths.h"

/* The store jail whose root is path (a resolved absolute path), or NULL. */
static char *store_jail_of(const char *path, const char *storeabs)
{
	size_t n = strlen(storeabs);
	const char *rest, *slash;

	if (strncmp(path, storeabs, n) != 0 || strncmp(path + n, "/jails/", 7) != 0)
		return NULL;
	rest = path + n + 7;
	slash = strchr(rest, '/');
	if (!slash || slash == rest || strcmp(slash, "/root") != 0)
		return NULL;
	return xstrndup(rest, (size_t)(slash - rest));
}

/* The store jail whose root is path (the name; *storefd: the store,
 * open), or NULL (not the store's, or a directory that only looks like
 * a store jail's). */
char *store_jail_name(const char *path, int *storefd)
{
	cleanup_free char *real = NULL, *storeabs = NULL;
	char *name;

	*storefd = -1;
	if (!path)
		return NULL;
	real = realpath(path, NULL);
	storeabs = realpath(brig_storedir(), NULL);
	if (!real || !storeabs)
		return NULL;
	name = store_jail_of(real, storeabs);
	if (!name)
		return NULL;
	*storefd = open(storeabs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*storefd < 0) {
		free(name);
		return NULL;
	}
	return name;
}

/* Before a jail starts: when its path is the root of a thin jail of the
store, make sure it is mounted there (store_root_ensure). A userns
 * jail's is replaced, while it runs, by an overlay of idmapped layers
 * (store.h). Jails not made by the store: no-op. */
int store_jail_prepare(const char *jail, const char *path, const struct rec *rec,
		       const struct idmap *map, long long quota, struct brig_err *e)
{
	cleanup_free char *name = NULL;
	cleanup_close int storefd = -1, lockfd = -1;
	struct jailrec r;
	bool thin;
	int rc;

	name = store_jail_name(path, &storefd);
	if (!name || jailrec_open(storefd, name, &r, e) < 0) {
		/* Not the store's (core reports a missing path), or a
		 * directory that only looks like a store jail. */
		if (!quota)
			return 0;
		return quota_not_store(jail, e);
	}
	thin = r.be->mounted;
	rc = quota_apply(storefd, &r, name, quota, e);
	jailrec_close(&r);
	if (rc < 0)
		return brig_err_wrap(e, "%s: quota", jail);
	if (!thin || !map) {
		if (thin && store_root_ensure(name, e) < 0)
			return brig_err_wrap(e, "%s: mounting its root", jail);
		return 0;
	}
	/* Under the store's lock, as store_root_ensure mounts. */
	lockfd = store_lock(storefd, true, e);
	if (lockfd < 0 || jailrec_open(storefd, name, &r, e) < 0)
		return brig_err_wrap(e, "%s: mounting its root", jail);
	rc = rec_add(rec, JOBJ_IDROOT, name, e);
	/* The plain overlay at path would hide the idmapped one. */
	if (rc == 0)
		rc = jailrec_unmount(&r, name, e);
	if (rc == 0)
		rc = jailrec_mount_map(&r, name, map, e);
	jailrec_close(&r);
	if (rc < 0)
		return brig_err_wrap(e, "%s: mounting its root", jail);
	return 1;
}

int store_root_plain(const char *name, struct brig_err *e)
{
	cleanup_close int storefd = store_open(e), lockfd = -1;
	struct jailrec r;
	int rc;

	if (storefd < 0)
		return -1;
	lockfd = store_lock(storefd, true, e);
	if (lockfd < 0)
		return -1;
	if (jailrec_open(storefd, name, &r, e) < 0)
		return e->errnum == ENOENT ? 0 : -1;	/* destroyed meanwhile */
	rc = jailrec_unmount(&r, name, e);
	if (rc == 0)
		rc = jailrec_mount(&r, name, e);
	jailrec_close(&r);
	return rc < 0 ? brig_err_wrap(e, "%s: its root, back to the plain one", name) : 0;
}
