/* Where the store lives, its lock, and its work area for things being built. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf.h"
#include "store/internal.h"
#include "util/lock.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/paths.h"

/* Names of templates, jails and snapshots: what jail.conf accepts
 * (conf_name_invalid), and within that only [A-Za-z0-9_][A-Za-z0-9_.-]*: a
 * name is a directory of the store, a tmp/ entry, a jail.conf block written
 * unquoted and a word in rc scripts. */
const char *store_name_invalid(const char *name)
{
	const char *why = conf_name_invalid(name);

	if (why)
		return why;
	if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", name[0]))
		return "must start with a letter, a digit or '_'";
	for (const char *p = name; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *p))
			return "may only contain letters, digits, '_', '.' and '-'";
	return NULL;
}

/* mkdir that is happy when the directory is there already. */
static int mkdir_at(int dirfd, const char *name, mode_t mode, struct brig_err *e)
{
	if (mkdirat(dirfd, name, mode) < 0 && errno != EEXIST)
		return brig_err_set(e, errno, "creating directory `%s`", name);
	return 0;
}

/* Templates and jail roots hold what their sources brought: setuid files,
 * and device nodes when asked (--devices). Only root may reach them, even
 * when the directory was made beforehand with a wider mode. */
static int close_dir(int dirfd, const char *name, struct brig_err *e)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return brig_err_set(e, errno, "examining `%s`", name);
	if (!S_ISDIR(st.st_mode))
		return brig_err_set(e, 0, "`%s` is not a directory", name);
	if ((st.st_mode & 077) && fchmodat(dirfd, name, 0700, 0) < 0)
		return brig_err_set(e, errno, "making `%s` root's alone (mode 0700)", name);
	return 0;
}

/* Open the store (creating it and its subdirectories); an O_DIRECTORY fd. */
int store_open(struct brig_err *e)
{
	static const char *const subdirs[] = { "templates", "jails", "tmp" };
	const char *dir = brig_storedir();
	int fd;

	fd = mkdirp_open(AT_FDCWD, dir, 0700, MKDIRP_FOLLOW, e);
	if (fd < 0)
		return brig_err_wrap(e, "store");
	for (size_t i = 0; i < ARRAY_SIZE(subdirs); i++) {
		if (mkdir_at(fd, subdirs[i], 0700, e) < 0 || close_dir(fd, subdirs[i], e) < 0) {
			close(fd);
			return brig_err_wrap(e, "store `%s`", dir);
		}
	}
	return fd;
}

/* The store's absolute, symlink-free path; caller frees. */
char *store_abs(struct brig_err *e)
{
	char *p = realpath(brig_storedir(), NULL);

	if (!p)
		brig_err_set(e, errno, "store: resolving `%s`", brig_storedir());
	return p;
}

/* Take the store's lock (exclusive or shared); returns the fd to close. */
int store_lock(int storefd, bool exclusive, struct brig_err *e)
{
	int fd = lock_open(storefd, "lock", exclusive ? LOCK_EX : LOCK_SH, NULL, NULL, e);

	return fd < 0 ? brig_err_wrap(e, "store") : fd;
}

/* tmp/ entries are KIND-NAME.PID.RANDOM: the pid tells whether the brig
 * that made one still runs. */
int tmp_make(int storefd, const char *kind, const char *name, struct tmpdir *t,
	     struct brig_err *e)
{
	unsigned int rnd = 0;
	int dfd;

	t->fd = -1;
	t->name = NULL;
	if (getrandom(&rnd, sizeof(rnd), 0) < 0)
		rnd = (unsigned int)getpid() ^ (unsigned int)time(NULL);
	dfd = openat(storefd, "tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return brig_err_set(e, errno, "store: opening tmp/");
	t->name = xasprintf("%s-%s.%d.%08x", kind, name, (int)getpid(), rnd);
	if (mkdirat(dfd, t->name, 0700) < 0) {
		brig_err_set(e, errno, "store: creating tmp/%s", t->name);
		goto fail;
	}
	t->fd = openat(dfd, t->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (t->fd < 0) {
		brig_err_set(e, errno, "store: opening tmp/%s", t->name);
		unlinkat(dfd, t->name, AT_REMOVEDIR);
		goto fail;
	}
	close(dfd);
	return 0;
fail:
	close(dfd);
	free(t->name);
	t->name = NULL;
	return -1;
}

/* Rename tmp/NAME to dstdir/dstname, which must not exist. */
int tmp_commit(int storefd, struct tmpdir *t, int dstdirfd, const char *dstname,
	       struct brig_err *e)
{
	cleanup_close int dfd = openat(storefd, "tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (dfd < 0)
		return brig_err_set(e, errno, "store: opening tmp/");
	if (renameat2(dfd, t->name, dstdirfd, dstname, RENAME_NOREPLACE) < 0)
		return brig_err_set(e, errno, "moving the finished `%s` into place", dstname);
	close(t->fd);
	t->fd = -1;
	free(t->name);
	t->name = NULL;
	return 0;
}

/* Remove what is left of t (no-op once committed). */
void tmp_discard(int storefd, struct tmpdir *t)
{
	struct brig_err e;
	int dfd;

	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	if (!t->name)
		return;
	dfd = openat(storefd, "tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0) {
		fs_rm_tree(dfd, t->name, &e);
		close(dfd);
	}
	free(t->name);
	t->name = NULL;
}

/* The pid in a tmp/ entry's name, or 0. The name part may hold dots: the
 * pid is the second field from the end. */
static pid_t tmp_owner(const char *name)
{
	const char *last = strrchr(name, '.');
	const char *p;
	char *end;
	long pid;

	if (!last || last == name)
		return 0;
	for (p = last - 1; p > name && *p != '.'; p--)
		;
	if (*p != '.')
		return 0;
	pid = strtol(p + 1, &end, 10);
	if (end != last || pid <= 0 || pid > INT_MAX)
		return 0;
	return (pid_t)pid;
}

/* Remove work areas of brig processes that died. */
void tmp_reap(int storefd)
{
	struct brig_err e;
	struct dirent *de;
	int dfd = openat(storefd, "tmp", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;

	if (dfd < 0)
		return;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return;
	}
	while ((de = readdir(d))) {
		pid_t pid;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		pid = tmp_owner(de->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		if (kill(pid, 0) < 0 && errno == ESRCH)
			fs_rm_tree(dirfd(d), de->d_name, &e);
	}
	closedir(d);
}

/* Move dirfd/name into tmp/ (it disappears at once), then remove it. */
int store_remove_entry(int storefd, int dirfd, const char *name, const char *kind,
		       struct brig_err *e)
{
	struct tmpdir t;

	if (tmp_make(storefd, kind, name, &t, e) < 0)
		return -1;
	if (renameat(dirfd, name, t.fd, "gone") < 0) {
		brig_err_set(e, errno, "removing `%s`", name);
		tmp_discard(storefd, &t);
		return -1;
	}
	if (fs_rm_tree(t.fd, "gone", e) < 0) {
		/* Left in tmp/ under our pid: a later brig removes the rest. */
		close(t.fd);
		free(t.name);
		return -1;
	}
	tmp_discard(storefd, &t);
	return 0;
}
