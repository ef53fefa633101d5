/* JIDs: the lowest free one, as FreeBSD assigns them, without reading
 * the state of every other jail.
 *
 * brig_rundir()/.jid/N (a symlink to the jail's name) marks JID N taken,
 * and .jid/uUID.GID.COUNT.NAME the host ids of a userns jail. Markers
 * change only under the global JID lock (brig_rundir()/.jid.lock), which
 * also holds the lowest JID that may be free (every one below is taken).
 * The state file stays the record: an operation that changes markers
 * first creates .jid/.pending (record before create), changes the
 * markers and the state, and removes .pending last. A brig killed at any
 * step leaves .pending behind; the next holder of the lock then rebuilds
 * every marker from the states (one read of each, only after a crash, or
 * once after an upgrade from a brig without markers: no .jid at all). So
 * the markers are always exactly the JIDs the states record. */
#include "core/jid.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/lock.h"
#include "util/mem.h"
#include "util/paths.h"

int jid_lowest_free(const int *used, size_t n)
{
	/* Among n used values, one of 1..n+1 is free. */
	bool *taken = xcalloc(n + 2, sizeof(bool));
	int jid = 1;

	for (size_t i = 0; i < n; i++)
		if (used[i] >= 1 && (size_t)used[i] <= n + 1)
			taken[used[i]] = true;
	while (taken[jid])
		jid++;
	free(taken);
	return jid;
}

struct jstate *jail_states_others(const char *self, size_t *n)
{
	DIR *d = opendir(brig_rundir());
	struct dirent *de;
	struct jstate *v = NULL;

	*n = 0;
	while (d && (de = readdir(d))) {
		cleanup_free char *dir = NULL;
		struct jstate st;

		if (de->d_name[0] == '.' || strcmp(de->d_name, self) == 0)
			continue;
		dir = jail_dir(de->d_name);
		if (state_read(dir, &st, NULL) == 1) {
			v = xrealloc(v, (*n + 1) * sizeof(*v));
			v[(*n)++] = st;
		}
	}
	if (d)
		closedir(d);
	return v;
}

void jail_states_free(struct jstate *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		state_free(&v[i]);
	free(v);
}

static char *marker_dir(void)
{
	return xasprintf("%s/.jid", brig_rundir());
}

static char *marker_path(int jid)
{
	return xasprintf("%s/.jid/%d", brig_rundir(), jid);
}

static char *pending_path(void)
{
	return xasprintf("%s/.jid/.pending", brig_rundir());
}

/* A marker's name as a JID; 0 if it is none. */
static int marker_jid(const char *s)
{
	char *end;
	long v;

	if (*s < '1' || *s > '9')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	return *end || errno || v > JID_MAX ? 0 : (int)v;
}

/* The JIDs the markers hold (a readdir, no file read). */
static int *markers(size_t *n, struct brig_err *e)
{
	cleanup_free char *dir = marker_dir();
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;
	int *v = NULL;

	*n = 0;
	if (!d) {
		brig_err_set(e, errno, "%s", dir);
		return NULL;
	}
	while ((de = readdir(d))) {
		int jid = marker_jid(de->d_name);

		if (jid) {
			v = xgrow(v, &cap, *n, sizeof(*v));
			v[(*n)++] = jid;
		}
	}
	closedir(d);
	if (!v)
		v = xcalloc(1, sizeof(*v));
	return v;
}

/* Mark jid taken by name; EEXIST if it is already. */
static int marker_make(int jid, const char *name, struct brig_err *e)
{
	cleanup_free char *path = marker_path(jid);

	if (symlink(name, path) < 0)
		return brig_err_set(e, errno, "jid %d: marker %s", jid, path);
	return 0;
}

/* The jail that marker jid names (caller frees), or NULL. */
static char *marker_owner(int jid)
{
	cleanup_free char *path = marker_path(jid);
	char buf[256];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

/* Remove marker jid if it names name (else it is another jail's now). */
static void marker_drop(int jid, const char *name)
{
	cleanup_free char *owner = marker_owner(jid);
	cleanup_free char *path = marker_path(jid);

	if (owner && strcmp(owner, name) == 0)
		unlink(path);
}

/* A userns jail's ids: .jid/uUID.GID.COUNT.NAME (a file), so that a jail
 * choosing an automatic range reads no other jail's state. */
static char *ids_path(const struct jstate *st)
{
	return xasprintf("%s/.jid/u%" PRIu32 ".%" PRIu32 ".%" PRIu32 ".%s", brig_rundir(),
			 st->userns_uid, st->userns_gid, st->userns_count, st->name);
}

static int ids_make(const struct jstate *st, struct brig_err *e)
{
	cleanup_free char *path = ids_path(st);
	int fd;

	if (!st->userns_count)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return brig_err_set(e, errno, "userns: marker %s", path);
	close(fd);
	return 0;
}

static void ids_drop(const struct jstate *st)
{
	cleanup_free char *path = ids_path(st);

	if (st->userns_count)
		unlink(path);
}

static int pending_set(struct brig_err *e)
{
	cleanup_free char *path = pending_path();
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return brig_err_set(e, errno, "%s", path);
	close(fd);
	return 0;
}

static void pending_clear(void)
{
	cleanup_free char *path = pending_path();

	unlink(path);
}

/* The lowest JID that may be free: every JID below it is taken. Kept in
 * the JID lock file (fixed width), under the same .pending as the
 * markers, so that a start needs no readdir of .jid. 0: unknown. */
static int hint_read(int lock)
{
	char buf[16] = "";
	ssize_t n = pread(lock, buf, sizeof(buf) - 1, 0);
	long v;

	if (n <= 0)
		return 0;
	v = strtol(buf, NULL, 10);
	return v >= 1 && v <= JID_MAX ? (int)v : 0;
}

static void hint_write(int lock, int jid)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%10d\n", jid);

	/* Unknown if it fails: the next one reads .jid (and if even the
	 * truncation fails, the hint is only ever a place to start). */
	if (pwrite(lock, buf, (size_t)n, 0) != n && ftruncate(lock, 0) < 0)
		return;
}

/* The lowest free JID, from the markers themselves. */
static int lowest_marker_free(struct brig_err *e)
{
	size_t n;
	int *used = markers(&n, e), jid;

	if (!used)
		return -1;
	jid = jid_lowest_free(used, n);
	free(used);
	return jid;
}

/* Every marker anew from the states (the JID lock held). */
static int rebuild(int lock, struct brig_err *e)
{
	cleanup_free char *dir = marker_dir();
	struct jstate *st;
	struct dirent *de;
	size_t n;
	DIR *d;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return brig_err_set(e, errno, "%s", dir);
	if (pending_set(e) < 0)
		return -1;
	d = opendir(dir);
	if (!d)
		return brig_err_set(e, errno, "%s", dir);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	st = jail_states_others("", &n);
	for (size_t i = 0; i < n; i++) {
		if (ids_make(&st[i], e) < 0) {
			jail_states_free(st, n);
			return -1;
		}
		/* Two states with one JID (impossible with markers): the
		 * first keeps the marker, the JID stays taken either way. */
		if (st[i].jid > 0 && st[i].jid <= JID_MAX) {
			cleanup_free char *path = marker_path(st[i].jid);

			if (symlink(st[i].name, path) < 0 && errno != EEXIST) {
				int err = errno, jid = st[i].jid;

				jail_states_free(st, n);
				return brig_err_set(e, err, "jid %d: marker %s", jid, path);
			}
		}
	}
	jail_states_free(st, n);
	core_fault("jid-rebuilt");
	hint_write(lock, lowest_marker_free(e));
	pending_clear();
	return 0;
}

/* The JID lock, with markers that match the states. */
static int lock_markers(struct brig_err *e)
{
	cleanup_free char *dir = marker_dir();
	cleanup_free char *pending = pending_path();
	int lock = jid_lock(e);

	if (lock < 0)
		return -1;
	if ((access(dir, F_OK) < 0 || access(pending, F_OK) == 0) && rebuild(lock, e) < 0) {
		close(lock);
		return brig_err_wrap(e, "jid markers");
	}
	return lock;
}

int jid_take(const char *name, int want, int (*record)(void *ctx, int jid, struct brig_err *e),
	     void *ctx, struct brig_err *e)
{
	int lock = lock_markers(e);
	int jid = want, r = 0;

	if (lock < 0)
		return -1;
	if (want > 0) {
		cleanup_free char *owner = marker_owner(want);

		if (owner)
			r = brig_err_set(e, 0, "jid %d: in use by another jail (%s)", want, owner);
	}
	/* Record, then create: a brig killed from here on leaves .pending,
	 * and the next one rebuilds the markers from the states. */
	if (r == 0)
		r = pending_set(e);
	if (r == 0 && want > 0) {
		r = marker_make(jid, name, e);
	} else if (r == 0) {
		/* From the hint up: each marker found moves it for good. */
		jid = hint_read(lock);
		if (jid < 1)
			jid = lowest_marker_free(e);
		for (r = jid < 1 ? -1 : 1; r > 0; jid++) {
			cleanup_free char *path = marker_path(jid);

			if (jid >= JID_MAX)
				r = brig_err_set(e, 0, "no free jid below %d", JID_MAX);
			else if (symlink(name, path) == 0)
				break;
			else if (errno != EEXIST)
				r = brig_err_set(e, errno, "jid %d: marker %s", jid, path);
		}
		if (r > 0)
			r = 0;
	}
	if (r == 0) {
		core_fault("jid");
		r = record(ctx, jid, e);
		if (r < 0)
			marker_drop(jid, name);
		else if (want <= 0)
			hint_write(lock, jid + 1);
	}
	pending_clear();
	close(lock);
	return r < 0 ? -1 : jid;
}

int jid_state_remove(const char *dir, const struct jstate *st, struct brig_err *e)
{
	int lock, r;

	if (st->jid <= 0 && !st->userns_count)
		return state_remove(dir, e);
	lock = lock_markers(e);
	if (lock < 0)
		return -1;
	r = pending_set(e);
	if (r == 0)
		r = state_remove(dir, e);
	if (r == 0) {
		core_fault("jid-release");
		ids_drop(st);
		if (st->jid > 0) {
			marker_drop(st->jid, st->name);
			if (st->jid < hint_read(lock))
				hint_write(lock, st->jid);
		}
	}
	pending_clear();
	close(lock);
	return r;
}

struct idrange *jid_ranges_taken(size_t *n, struct brig_err *e)
{
	cleanup_free char *dir = marker_dir();
	DIR *d = opendir(dir);
	struct idrange *v = NULL;
	struct dirent *de;
	size_t cap = 0;

	*n = 0;
	if (!d) {
		brig_err_set(e, errno, "%s", dir);
		return NULL;
	}
	while ((de = readdir(d))) {
		struct idrange r;

		if (de->d_name[0] == 'u' &&
		    sscanf(de->d_name, "u%" SCNu32 ".%" SCNu32 ".%" SCNu32 ".", &r.uid, &r.gid, &r.count) == 3) {
			v = xgrow(v, &cap, *n, sizeof(*v));
			v[(*n)++] = r;
		}
	}
	closedir(d);
	if (!v)
		v = xcalloc(1, sizeof(*v));
	return v;
}

int jid_ids_take(struct jctx *x, int (*choose)(struct jctx *x, const struct idrange *taken, size_t n,
					       struct brig_err *e),
		 struct brig_err *e)
{
	int lock = lock_markers(e);
	struct idrange *taken = NULL;
	size_t n = 0;
	int r;

	if (lock < 0)
		return -1;
	r = pending_set(e);
	if (r == 0 && !(taken = jid_ranges_taken(&n, e)))
		r = -1;
	if (r == 0)
		r = choose(x, taken, n, e);
	free(taken);
	if (r == 0)
		r = ids_make(&x->st, e);
	if (r == 0) {
		core_fault("ids");
		r = jail_save(x, e);
		if (r < 0)
			ids_drop(&x->st);
	}
	pending_clear();
	close(lock);
	return r;
}

static int record_state(void *ctx, int jid, struct brig_err *e)
{
	struct jctx *x = ctx;

	x->st.jid = jid;
	return jail_save(x, e);
}

int jid_assign(struct jctx *x, struct brig_err *e)
{
	return jid_take(x->name, x->sp.jid, record_state, x, e) < 0 ? -1 : 0;
}
