/* Opening beneath a root (see beneath.h). */
#include "util/beneath.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/mem.h"

/* Walk rel one component at a time with O_NOFOLLOW: the fallback for
 * kernels without openat2. */
static int walk_open(int rootfd, const char *rel, int flags)
{
	cleanup_free char *copy = xstrdup(rel);
	char *save = NULL, *comp, *next;
	int cur = dup(rootfd);

	if (cur < 0)
		return -1;
	for (comp = strtok_r(copy, "/", &save); comp; comp = next) {
		struct stat st;
		int fd;

		next = strtok_r(NULL, "/", &save);
		fd = openat(cur, comp, (next ? O_PATH : flags) | O_NOFOLLOW | O_CLOEXEC);
		/* O_DIRECTORY | O_NOFOLLOW says ENOTDIR of a symlink: ELOOP,
		 * as openat2 says. */
		if (fd < 0 && errno == ENOTDIR && fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			errno = ELOOP;
		close(cur);
		if (fd < 0)
			return -1;
		/* O_PATH|O_NOFOLLOW opens a symlink itself instead of failing:
		 * what openat2 does too for a last component when the caller
		 * asked for O_NOFOLLOW; a symlink anywhere else is refused. */
		if (fstat(fd, &st) < 0 || (S_ISLNK(st.st_mode) && (next || !(flags & O_NOFOLLOW)))) {
			close(fd);
			errno = ELOOP;
			return -1;
		}
		cur = fd;
	}
	return cur;
}

int beneath_open(int rootfd, const char *rel, int flags, struct brig_err *e)
{
	static bool no_openat2;	/* the kernel said ENOSYS once */
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	while (*rel == '/')
		rel++;
	for (const char *c = rel; (c = strstr(c, "..")); c += 2)
		if ((c == rel || c[-1] == '/') && (c[2] == '/' || c[2] == '\0'))
			return brig_err_set(e, EINVAL, "/%s: \"..\" refused", rel);
	if (*rel == '\0')
		rel = ".";
	if (no_openat2 || getenv("BRIG_NO_OPENAT2")) {
		fd = walk_open(rootfd, rel, flags);
	} else {
		fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
		if (fd < 0 && errno == ENOSYS) {
			no_openat2 = true;
			fd = walk_open(rootfd, rel, flags);
		}
	}
	if (fd < 0 && errno == ELOOP)
		return brig_err_set(e, 0, "/%s: a symlink in the jail root (refused: it could lead out of the jail)",
				    rel);
	if (fd < 0)
		return brig_err_set(e, errno, "/%s", rel);
	return fd;
}
