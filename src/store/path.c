/* Archive member paths: what may be written where. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Normalise a member path ("./a//b/" -> "a/b"; "." and "./" -> ""); NULL with
 * *why set when it is absolute or has a ".." component. Caller frees. */
char *path_member_clean(const char *path, const char **why)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = path;

	if (path[0] == '/') {
		*why = "is an absolute path";
		return NULL;
	}
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			sb_free(&sb);
			*why = "has a \"..\" component";
			return NULL;
		}
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (sb.len)
				sb_addc(&sb, '/');
			sb_addn(&sb, p, n);
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return sb_steal(&sb);
}

/* Check that no existing parent of rootfd/relpath is a symlink or a
 * non-directory: what is written there stays beneath rootfd. relpath must
 * be clean (path_member_clean). */
int path_check_beneath(int rootfd, const char *relpath, struct brig_err *e)
{
	cleanup_free char *copy = xstrdup(relpath);
	char *last = strrchr(copy, '/');
	int fd;

	if (!last)
		return 0;	/* directly in the root */
	*last = '\0';
	fd = dup(rootfd);
	if (fd < 0)
		return brig_err_set(e, errno, "`%s`", relpath);
	for (char *c = copy; c;) {
		char *slash = strchr(c, '/');
		struct stat st;
		int next;

		if (slash)
			*slash = '\0';
		if (fstatat(fd, c, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			int err = errno;

			close(fd);
			/* Not there yet: whatever is made below it is new. */
			return err == ENOENT ? 0 : brig_err_set(e, err, "`%s`", relpath);
		}
		if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
			close(fd);
			return brig_err_set(e, 0, "`%s` goes through `%s`, which is %s", relpath,
					    copy, S_ISLNK(st.st_mode) ? "a symlink" : "not a directory");
		}
		next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (next < 0)
			return brig_err_set(e, errno, "`%s`", relpath);
		fd = next;
		if (slash)
			*slash = '/';
		c = slash ? slash + 1 : NULL;
	}
	close(fd);
	return 0;
}
