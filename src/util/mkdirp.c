/* mkdir -p (see mkdirp.h). */
#include "util/mkdirp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

int mkdirp_open(int dirfd, const char *path, mode_t mode, enum mkdirp_how how, struct brig_err *e)
{
	const int nofollow = how == MKDIRP_BENEATH ? O_NOFOLLOW : 0;
	cleanup_free char *copy = xstrdup(path);
	char *save = NULL, *next;
	bool made = false;	/* the last component opened for reading */
	int fd = openat(*path == '/' && how == MKDIRP_FOLLOW ? AT_FDCWD : dirfd,
			*path == '/' && how == MKDIRP_FOLLOW ? "/" : ".",
			O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return brig_err_set(e, errno, "opening the directory `%s` is in", path);
	for (char *c = strtok_r(copy, "/", &save); c; c = next) {
		bool last;
		int sub;

		next = strtok_r(NULL, "/", &save);
		last = !next;
		if (!strcmp(c, ".") && !last)
			continue;
		if (how == MKDIRP_BENEATH && !strcmp(c, "..")) {
			close(fd);
			return brig_err_set(e, 0, "`%s`: \"..\" is not allowed", path);
		}
		/* Intermediate ones O_PATH: a directory we may not read can
		 * still be passed through, as mkdir(2) would. */
		const int flags = (last ? O_RDONLY : O_PATH) | O_DIRECTORY | O_CLOEXEC | nofollow;

		sub = openat(fd, c, flags);
		if (sub < 0 && errno == ENOENT) {
			if (mkdirat(fd, c, last ? mode : 0755) < 0 && errno != EEXIST) {
				brig_err_set(e, errno, "creating `%s` of `%s`", c, path);
				close(fd);
				return -1;
			}
			sub = openat(fd, c, flags);
		}
		if (sub < 0) {
			if (how == MKDIRP_BENEATH && (errno == ELOOP || errno == ENOTDIR))
				brig_err_set(e, 0, "`%s` of `%s` is a symlink or not a directory; refusing to follow it",
					     c, path);
			else
				brig_err_set(e, errno, "opening `%s` of `%s`", c, path);
			close(fd);
			return -1;
		}
		close(fd);
		fd = sub;
		made = last;
	}
	if (!made) {	/* "" or "/": the start itself, opened for reading */
		int sub = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		close(fd);
		if (sub < 0)
			return brig_err_set(e, errno, "opening `%s`", path);
		fd = sub;
	}
	return fd;
}

/* The usual cases in a system call or three: the parent exists, or its
 * parent does (a jail's cgroup: brig's group exists, or its hierarchy's
 * root does; a walk opening each component cost a start ~100 system
 * calls over its hierarchies, issue 14), or it is there already. Anything
 * else (not a directory, deeper) takes the walk, which also says what is
 * wrong. */
static bool mkdir_near(const char *path, mode_t mode)
{
	cleanup_free char *parent = NULL;
	struct stat st;
	char *slash;

	if (mkdir(path, mode) == 0)
		return true;
	if (errno == EEXIST)
		return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	if (errno != ENOENT)
		return false;
	parent = xstrdup(path);
	slash = strrchr(parent, '/');
	if (!slash || slash == parent || slash[1] == '\0')
		return false;
	*slash = '\0';
	return (mkdir(parent, 0755) == 0 || errno == EEXIST) && mkdir(path, mode) == 0;
}

int mkdirp(const char *path, mode_t mode, struct brig_err *e)
{
	if (mkdir_near(path, mode))
		return 0;
	int fd = mkdirp_open(AT_FDCWD, path, mode, MKDIRP_FOLLOW, e);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}
