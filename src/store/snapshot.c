/* Snapshots of a jail's own data (jails/NAME/snapshots/SNAP/{meta,data}):
 * the overlay layer of a thin jail, a readonly btrfs snapshot, or a copy
 * of a thick jail's root; and rollback to one. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"

/* The store, locked, and the jail's record: what every operation needs. */
struct snapctx {
	int storefd;
	int lockfd;
	struct jailrec r;
	int snapsfd;	/* jails/NAME/snapshots */
};

static void snapctx_close(struct snapctx *c)
{
	if (c->snapsfd >= 0)
		close(c->snapsfd);
	jailrec_close(&c->r);
	if (c->lockfd >= 0)
		close(c->lockfd);
	if (c->storefd >= 0)
		close(c->storefd);
}

/* Open the store, lock it, open the jail and its snapshots directory. */
static int snapctx_open(struct snapctx *c, const char *jail, struct brig_err *e)
{
	*c = (struct snapctx){ .storefd = -1, .lockfd = -1, .snapsfd = -1, .r = { .dirfd = -1 } };
	c->storefd = store_open(e);
	if (c->storefd < 0)
		return -1;
	tmp_reap(c->storefd);
	c->lockfd = store_lock(c->storefd, true, e);
	if (c->lockfd < 0 || jailrec_open(c->storefd, jail, &c->r, e) < 0)
		goto fail;
	/* A thin root found missing is mounted again (store/root.c). */
	if (jailrec_mount(&c->r, jail, e) < 0)
		goto fail;
	if (mkdirat(c->r.dirfd, "snapshots", 0700) < 0 && errno != EEXIST) {
		brig_err_set(e, errno, "creating snapshots/");
		goto fail;
	}
	c->snapsfd = openat(c->r.dirfd, "snapshots", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c->snapsfd < 0) {
		brig_err_set(e, errno, "opening snapshots/");
		goto fail;
	}
	return 0;
fail:
	snapctx_close(c);
	return -1;
}

/* A free name after the time: YYYYMMDD-HHMMSS, then -2, -3... */
static char *time_name(int snapsfd, struct brig_err *e)
{
	time_t now = time(NULL);
	char base[32];
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(base, sizeof(base), "%Y%m%d-%H%M%S", &tm);
	for (int i = 1; i < 100; i++) {
		char *name = i == 1 ? xstrdup(base) : xasprintf("%s-%d", base, i);
		int rc = fs_exists(snapsfd, name, e);

		if (rc == 0)
			return name;
		free(name);
		if (rc < 0)
			return NULL;
	}
	brig_err_set(e, EEXIST, "naming the snapshot after the time");
	return NULL;
}

/* snap NULL: named after the time. *name_out (may be NULL): the name used. */
int store_snapshot_create(const char *jail, const char *snap, char **name_out,
			  const struct store_progress *p, struct brig_err *e)
{
	cleanup_free char *name = NULL;
	struct tmpdir t = { .fd = -1 };
	struct snapctx c;
	struct meta m = { 0 };
	int rc;

	if (snap && store_name_invalid(snap))
		return brig_err_set(e, 0, "%s: snapshot: invalid name `%s`: %s", jail, snap,
				    store_name_invalid(snap));
	if (snapctx_open(&c, jail, e) < 0)
		return brig_err_wrap(e, "%s: snapshot", jail);
	name = snap ? xstrdup(snap) : time_name(c.snapsfd, e);
	rc = name ? fs_exists(c.snapsfd, name, e) : -1;
	if (rc > 0)
		rc = brig_err_set(e, 0, "snapshot %s exists already", name);
	if (rc == 0)
		rc = tmp_make(c.storefd, "snapshot", jail, &t, e);
	if (rc == 0)
		rc = c.r.be->clone(c.r.dirfd, c.r.be->data, t.fd, "data", true, p, e);
	if (rc == 0) {
		meta_set_created(&m);
		meta_set(&m, "backend", c.r.be->name);
		meta_set(&m, "template", c.r.template);
		rc = meta_write(t.fd, "meta", &m, e);
		meta_free(&m);
	}
	if (rc == 0)
		rc = tmp_commit(c.storefd, &t, c.snapsfd, name, e);
	tmp_discard(c.storefd, &t);
	snapctx_close(&c);
	if (rc < 0)
		return brig_err_wrap(e, "%s: snapshot%s%s", jail, name ? " " : "", name ? name : "");
	if (name_out)
		*name_out = TAKE_PTR(name);
	return 0;
}

/* A snapshot and when it was taken, to the nanosecond. */
struct snap_entry {
	struct store_snapshot s;
	long long ns;
};

static int cmp_snapshot(const void *a, const void *b)
{
	const struct snap_entry *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	return strcmp(x->s.name, y->s.name);
}

/* Oldest first. */
int store_snapshot_list(const char *jail, struct store_snapshot **out, size_t *n,
			struct brig_err *e)
{
	struct snap_entry *v = NULL;
	struct snapctx c;
	struct dirent *de;
	size_t count = 0;
	int fd;
	DIR *d;

	if (snapctx_open(&c, jail, e) < 0)
		return brig_err_wrap(e, "%s: snapshots", jail);
	fd = dup(c.snapsfd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		brig_err_set(e, errno, "%s: snapshots: reading snapshots/", jail);
		snapctx_close(&c);
		return -1;
	}
	while ((de = readdir(d))) {
		cleanup_free char *metapath = xasprintf("%s/meta", de->d_name);
		struct brig_err ignored;
		struct meta m;

		if (de->d_name[0] == '.' || meta_read(c.snapsfd, metapath, &m, &ignored) < 0)
			continue;
		v = xrealloc(v, (count + 1) * sizeof(*v));
		v[count].s.name = xstrdup(de->d_name);
		v[count].s.created = meta_get(&m, "created") ? atoll(meta_get(&m, "created")) : 0;
		v[count].ns = meta_get(&m, "created_ns") ? atoll(meta_get(&m, "created_ns"))
							 : v[count].s.created * 1000000000LL;
		count++;
		meta_free(&m);
	}
	closedir(d);
	snapctx_close(&c);
	if (count)
		qsort(v, count, sizeof(*v), cmp_snapshot);
	*out = xcalloc(count, sizeof(**out));
	for (size_t i = 0; i < count; i++)
		(*out)[i] = v[i].s;
	free(v);
	*n = count;
	return 0;
}

void store_snapshot_list_free(struct store_snapshot *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* Check that snapshot snap of the jail exists. */
static int snapshot_exists(struct snapctx *c, const char *snap, struct brig_err *e)
{
	const char *why = store_name_invalid(snap);
	int rc;

	if (why)
		return brig_err_set(e, 0, "invalid snapshot name `%s`: %s", snap, why);
	rc = fs_exists(c->snapsfd, snap, e);
	if (rc == 0)
		return brig_err_set(e, 0, "no snapshot `%s` (see brig snapshots)", snap);
	return rc < 0 ? -1 : 0;
}

int store_snapshot_remove(const char *jail, const char *snap, struct brig_err *e)
{
	struct snapctx c;
	int rc;

	if (snapctx_open(&c, jail, e) < 0)
		return brig_err_wrap(e, "%s: snapshot rm", jail);
	rc = snapshot_exists(&c, snap, e);
	if (rc == 0)
		rc = store_remove_entry(c.storefd, c.snapsfd, snap, "rm-snapshot", e);
	snapctx_close(&c);
	return rc < 0 ? brig_err_wrap(e, "%s: snapshot rm %s", jail, snap) : 0;
}

/* Exchange dir1/name1 and dir2/name2, atomically where the filesystem can;
 * else (btrfs subvolumes on some kernels) in two renames, undone on failure. */
static int swap(int dir1, const char *name1, int dir2, const char *name2, struct brig_err *e)
{
	if (renameat2(dir1, name1, dir2, name2, RENAME_EXCHANGE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != EXDEV)
		return brig_err_set(e, errno, "putting the snapshot's data in place");
	if (renameat(dir2, name2, dir1, "old") < 0)
		return brig_err_set(e, errno, "moving the jail's data away");
	if (renameat(dir1, name1, dir2, name2) < 0) {
		int err = errno;

		renameat(dir1, "old", dir2, name2);
		return brig_err_set(e, err, "putting the snapshot's data in place");
	}
	return 0;
}

/* Replace the jail's data with a fresh clone of the snapshot's: build it in
 * tmp/, then swap the two (the old data goes to tmp/ and is removed). */
static int replace_data(struct snapctx *c, const char *snap, const struct store_progress *p,
			struct brig_err *e)
{
	const struct backend *be = c->r.be;
	cleanup_close int snapfd = -1;
	struct tmpdir t;
	int rc;

	snapfd = openat(c->snapsfd, snap, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (snapfd < 0)
		return brig_err_set(e, errno, "opening snapshot %s", snap);
	if (tmp_make(c->storefd, "rollback", snap, &t, e) < 0)
		return -1;
	rc = be->clone(snapfd, "data", t.fd, "new", false, p, e);
	if (rc == 0)
		rc = swap(t.fd, "new", c->r.dirfd, be->data, e);
	/* Overlayfs's work directory belongs with the layer it served. */
	if (rc == 0 && be == &backend_overlay) {
		rc = fs_rm_tree(c->r.dirfd, "work", e);
		if (rc == 0 && mkdirat(c->r.dirfd, "work", 0700) < 0)
			rc = brig_err_set(e, errno, "creating work/");
	}
	tmp_discard(c->storefd, &t);
	return rc;
}

/* The jail must be stopped. A thin root is unmounted while its layer is
 * replaced, then mounted again (after a failure too, on the old layer). */
int store_rollback(const char *jail, const char *snap, const struct store_progress *p,
		   struct brig_err *e)
{
	struct brig_err me;
	struct snapctx c;
	int rc;

	if (snapctx_open(&c, jail, e) < 0)
		return brig_err_wrap(e, "%s: rollback", jail);
	rc = snapshot_exists(&c, snap, e);
	if (rc == 0)
		rc = jailrec_unmount(&c.r, jail, e);
	if (rc == 0)
		rc = replace_data(&c, snap, p, e);
	if (jailrec_mount(&c.r, jail, &me) < 0 && rc == 0) {
		*e = me;
		rc = -1;
	}
	snapctx_close(&c);
	return rc < 0 ? brig_err_wrap(e, "%s: rollback to %s", jail, snap) : 0;
}
