/* Replacing a file whole (see writefile.h). */
#include "util/writefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/io.h"
#include "util/mem.h"

int atomic_begin(struct atomic_file *f, int dirfd, const char *name, mode_t mode,
		 struct brig_err *e)
{
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;

	f->dirfd = dirfd;
	f->name = xstrdup(name);
	f->tmp = xasprintf("%s.brig-%d", name, (int)getpid());
	f->fd = openat(dirfd, f->tmp, flags, 0600);
	if (f->fd < 0 && errno == EEXIST && unlinkat(dirfd, f->tmp, 0) == 0)
		f->fd = openat(dirfd, f->tmp, flags, 0600);
	/* fchmod: the mode asked for, whatever the umask. */
	if (f->fd < 0 || fchmod(f->fd, mode) < 0) {
		brig_err_set(e, errno, "writing `%s`", name);
		atomic_abort(f);
		return -1;
	}
	return 0;
}

/* fsync the directory dirfd/name is in: the rename must survive a crash too. */
static void sync_dir(int dirfd, const char *name)
{
	cleanup_free char *dir = xstrdup(name);
	char *slash = strrchr(dir, '/');
	int fd;

	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	fd = openat(dirfd, slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int atomic_commit(struct atomic_file *f, bool durable, struct brig_err *e)
{
	int err = 0;

	if (durable && fsync(f->fd) < 0)
		err = errno;
	if (close(f->fd) < 0 && !err)
		err = errno;
	f->fd = -1;
	if (!err && renameat(f->dirfd, f->tmp, f->dirfd, f->name) < 0)
		err = errno;
	if (!err) {
		if (durable)
			sync_dir(f->dirfd, f->name);
		free(f->tmp);	/* renamed: nothing left to remove */
		f->tmp = NULL;
	} else {
		brig_err_set(e, err, "writing `%s`", f->name);
	}
	atomic_abort(f);
	return err ? -1 : 0;
}

void atomic_abort(struct atomic_file *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	if (f->tmp)
		unlinkat(f->dirfd, f->tmp, 0);
	free(f->tmp);
	free(f->name);
	f->tmp = f->name = NULL;
}

int write_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
		    bool durable, struct brig_err *e)
{
	struct atomic_file f;

	if (atomic_begin(&f, dirfd, name, mode, e) < 0)
		return -1;
	if (write_all(f.fd, data, len) < 0) {
		brig_err_set(e, errno, "writing `%s`", name);
		atomic_abort(&f);
		return -1;
	}
	return atomic_commit(&f, durable, e);
}

int write_atomic(const char *path, const void *data, size_t len, bool durable, struct brig_err *e)
{
	return write_atomic_at(AT_FDCWD, path, data, len, 0600, durable, e);
}

void atomic_sweep(const char *dir, const char *name)
{
	size_t len = strlen(name), tag = strlen(".brig-");
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		const char *n = de->d_name;

		if (strncmp(n, name, len) == 0 && strncmp(n + len, ".brig-", tag) == 0 && n[len + tag] &&
		    strspn(n + len + tag, "0123456789") == strlen(n + len + tag))
			unlinkat(dirfd(d), n, 0);
	}
	if (d)
		closedir(d);
}
