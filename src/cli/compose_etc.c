/* A jail's /etc files that `brig compose import` writes, and the jail's
 * own ones it puts back (see compose_etc.h). Everything is opened beneath
 * the jail's root or the store's jail directory: a link the jail made is
 * never followed. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/compose_etc.h"
#include "store/store.h"
#include "util/mem.h"
#include "util/paths.h"
#include "util/readfile.h"
#include "util/writefile.h"

#define KEEP "compose-etc"
#define MAXF (1 << 20)
#define MADE "# Made by `brig compose import`"

struct where {
	const char *jail, *name;
	int jdirfd, etcfd;
};

static int fail(const struct where *w, const char *what, int errnum)
{
	cli_error("compose import: jail %s: /etc/%s: %s: %s", w->jail, w->name, what,
		  strerror(errnum));
	return -1;
}

static bool kept(int keepfd, const char *name, const char *suffix)
{
	cleanup_free char *n = xasprintf("%s%s", name, suffix);
	struct stat st;

	return keepfd >= 0 && fstatat(keepfd, n, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Keep what /etc/NAME is now, before the import first replaces it. */
static int keep(const struct where *w)
{
	cleanup_free char *data = NULL;
	cleanup_free char *n = NULL;
	struct brig_err e = { 0 };
	struct stat st;
	size_t len = 0;
	int keepfd, rc = 0;

	if (mkdirat(w->jdirfd, KEEP, 0700) < 0 && errno != EEXIST)
		return fail(w, "keeping the jail's own", errno);
	keepfd = openat(w->jdirfd, KEEP, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (keepfd < 0)
		return fail(w, "keeping the jail's own", errno);
	if (kept(keepfd, w->name, "") || kept(keepfd, w->name, ".link") ||
	    kept(keepfd, w->name, ".none")) {
		close(keepfd);
		return 0;
	}
	if (fstatat(w->etcfd, w->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT) {
			rc = fail(w, "keeping the jail's own", errno);
		} else {
			n = xasprintf("%s.none", w->name);
			rc = write_atomic_at(keepfd, n, "", 0, 0600, false, &e);
		}
	} else if (S_ISLNK(st.st_mode)) {
		data = xmalloc(PATH_MAX);
		ssize_t l = readlinkat(w->etcfd, w->name, data, PATH_MAX - 1);

		if (l < 0) {
			rc = fail(w, "keeping the jail's own (a symlink)", errno);
		} else {
			n = xasprintf("%s.link", w->name);
			rc = write_atomic_at(keepfd, n, data, (size_t)l, 0600, false, &e);
		}
	} else if (read_bounded(w->etcfd, w->name, READ_BENEATH, MAXF, &data, &len, &e) == 0) {
		rc = write_atomic_at(keepfd, w->name, data, len, 0600, false, &e);
	} else {
		rc = -1;
	}
	if (rc < 0 && e.msg[0]) {
		cli_error("compose import: jail %s: keeping its own /etc/%s: %s", w->jail, w->name,
			  e.msg);
	}
	close(keepfd);
	return rc;
}

/* An import's file that no earlier import kept the jail's own for (one
 * made before brig kept them): said, and left. */
static void stale(const struct where *w)
{
	cleanup_free char *text = NULL;
	struct brig_err e = { 0 };

	if (read_bounded(w->etcfd, w->name, READ_BENEATH, MAXF, &text, NULL, &e) == 0 &&
	    !strncmp(text, MADE, strlen(MADE)))
		cli_warn("compose import: jail %s: /etc/%s is an earlier import's, which kept no "
			 "copy of the jail's own: left as it is (write the jail's own there)",
			 w->jail, w->name);
}

/* Put back what keep() kept, and forget it: 1 when something was kept,
 * 0 when nothing was, -1 after an error. */
static int restore(const struct where *w)
{
	int keepfd = openat(w->jdirfd, KEEP, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_free char *file = xstrdup(w->name);
	cleanup_free char *link = xasprintf("%s.link", w->name);
	cleanup_free char *none = xasprintf("%s.none", w->name);
	cleanup_free char *data = NULL;
	const char *done = NULL;
	struct brig_err e = { 0 };
	size_t len = 0;
	int rc = 1;

	if (keepfd < 0 && errno != ENOENT)
		return fail(w, "the jail's own", errno);
	if (keepfd < 0 || (!kept(keepfd, file, "") && !kept(keepfd, link, "") &&
			   !kept(keepfd, none, ""))) {
		stale(w);
		if (keepfd >= 0)
			close(keepfd);
		return 0;
	}
	if (kept(keepfd, file, "")) {
		done = file;
		if (read_bounded(keepfd, file, READ_AT, MAXF, &data, &len, &e) < 0 ||
		    write_atomic_at(w->etcfd, w->name, data, len, 0644, false, &e) < 0) {
			cli_print_err(&e);
			rc = -1;
		} else {
			printf("restored %s/etc/%s (the jail's own, from before the import wrote "
			       "it)\n", w->jail, w->name);
		}
	} else if (kept(keepfd, link, "")) {
		done = link;
		if (read_bounded(keepfd, link, READ_AT, PATH_MAX, &data, &len, &e) < 0) {
			cli_print_err(&e);
			rc = -1;
		} else if ((unlinkat(w->etcfd, w->name, 0) < 0 && errno != ENOENT) ||
			   symlinkat(data, w->etcfd, w->name) < 0) {
			rc = fail(w, "putting back the jail's own symlink", errno);
		} else {
			printf("restored %s/etc/%s (the jail's own symlink to %s, from before the "
			       "import wrote it)\n", w->jail, w->name, data);
		}
	} else if (kept(keepfd, none, "")) {
		done = none;
		if (unlinkat(w->etcfd, w->name, 0) < 0 && errno != ENOENT)
			rc = fail(w, "removing it", errno);
		else
			printf("restored %s/etc/%s: removed (the jail had none before the import "
			       "wrote it)\n", w->jail, w->name);
	} else {
		rc = 0;
	}
	if (rc > 0 && unlinkat(keepfd, done, 0) < 0)
		rc = fail(w, "forgetting the kept copy", errno);
	close(keepfd);
	return rc;
}

int compose_etc(const char *jail, const char *name, const char *text, bool *changed)
{
	cleanup_free char *jdir = xasprintf("%s/jails/%s", brig_storedir(), jail);
	cleanup_free char *old = NULL;
	struct brig_err e = { 0 };
	struct where w = { jail, name, -1, -1 };
	size_t len;
	int rootfd = -1, rc = 0;

	if (store_root_ensure(jail, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	w.jdirfd = open(jdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	rootfd = w.jdirfd < 0 ? -1 :
		 openat(w.jdirfd, "root", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	w.etcfd = rootfd < 0 ? -1 :
		  openat(rootfd, "etc", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (w.etcfd < 0) {
		cli_error("compose import: %s/root/etc: %s", jdir, strerror(errno));
		rc = -1;
	} else if (!text) {
		rc = restore(&w);
		if (rc > 0) {
			*changed = true;
			rc = 0;
		}
	} else if (read_bounded(w.etcfd, name, READ_BENEATH, MAXF, &old, &len, &e) == 0 &&
		   !strcmp(old, text)) {
		printf("unchanged %s/etc/%s\n", jail, name);
	} else if (keep(&w) < 0) {
		rc = -1;
	} else if (brig_err_clear(&e), write_atomic_at(w.etcfd, name, text, strlen(text), 0644,
						       false, &e) < 0) {
		cli_print_err(&e);
		rc = -1;
	} else {
		printf("updated %s/etc/%s\n", jail, name);
		*changed = true;
	}
	if (w.etcfd >= 0)
		close(w.etcfd);
	if (rootfd >= 0)
		close(rootfd);
	if (w.jdirfd >= 0)
		close(w.jdirfd);
	return rc;
}
