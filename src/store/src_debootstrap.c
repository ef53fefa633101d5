/* The `debootstrap:SUITE[:PKG,...]` template source: a minimal Debian root
 * built by debootstrap (a helper the user names) from the Debian mirror
 * this machine's apt is configured with. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/internal.h"
#include "store/spawn.h"
#include "util/io.h"
#include "util/mem.h"
#include "util/paths.h"
#include "util/readfile.h"
#include "util/strbuf.h"

#define APT_SOURCES_LIST "/etc/apt/sources.list"
#define APT_SOURCES_DIR "/etc/apt/sources.list.d"

/* Is every character of s (length n) in set? */
static bool only(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return false;
	return n > 0;
}

/* A release suite (bookworm, stable), not bookworm-security, -updates or a
 * path-like suite. */
static bool main_suite(const char *s, size_t n)
{
	return only(s, n, "abcdefghijklmnopqrstuvwxyz0123456789");
}

/* Next whitespace-separated word of *p (length in *n); NULL at the end. */
static const char *word(const char **p, size_t *n)
{
	const char *s = *p + strspn(*p, " \t");

	*n = strcspn(s, " \t\n");
	*p = s + *n;
	return *n ? s : NULL;
}

/* One-line format: "deb [options] URI SUITE COMPONENT...". */
static char *mirror_from_list(const char *text)
{
	for (const char *line = text; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] == '\n')) {
		const char *p = line, *w, *uri;
		size_t n, urin;

		w = word(&p, &n);
		if (!w || n != 3 || strncmp(w, "deb", 3))
			continue;
		uri = word(&p, &urin);
		if (uri && uri[0] == '[') {	/* options run to the closing bracket */
			const char *close = memchr(uri, ']', (size_t)(strchrnul(uri, '\n') - uri));

			if (!close)
				continue;
			p = close + 1;
			uri = word(&p, &urin);
		}
		w = word(&p, &n);
		if (uri && w && main_suite(w, n))
			return xstrndup(uri, urin);
	}
	return NULL;
}

/* The value of "Field:" in a deb822 stanza [s, end), or NULL. */
static const char *field(const char *s, const char *end, const char *name, size_t *n)
{
	size_t len = strlen(name);

	for (const char *l = s; l < end; l += strcspn(l, "\n") + 1) {
		if (!strncasecmp(l, name, len) && l[len] == ':') {
			const char *v = l + len + 1;

			v += strspn(v, " \t");
			*n = strcspn(v, "\n");
			return v;
		}
	}
	return NULL;
}

/* deb822 format: stanzas of Types, URIs, Suites (blank-line separated). */
static char *mirror_from_sources(const char *text)
{
	for (const char *s = text; *s;) {
		const char *end = strstr(s, "\n\n");
		const char *types, *uris, *suites;
		size_t tn, un, sn;

		end = end ? end + 1 : s + strlen(s);
		types = field(s, end, "Types", &tn);
		uris = field(s, end, "URIs", &un);
		suites = field(s, end, "Suites", &sn);
		if (types && uris && suites && memmem(types, tn, "deb", 3)) {
			const char *p;
			size_t n;
			cleanup_free char *sl = xstrndup(suites, sn);
			cleanup_free char *ul = xstrndup(uris, un);

			p = sl;
			for (const char *w = word(&p, &n); w; w = word(&p, &n)) {
				if (main_suite(w, n)) {
					const char *q = ul;
					const char *uri = word(&q, &n);

					if (uri)
						return xstrndup(uri, n);
				}
			}
		}
		s = end + strspn(end, "\n");
	}
	return NULL;
}

/* The first Debian mirror in apt's sources (text of a sources.list or a
 * deb822 .sources file); caller frees; NULL if none. */
char *debootstrap_mirror_from(const char *text, bool deb822)
{
	return deb822 ? mirror_from_sources(text) : mirror_from_list(text);
}

/* The mirror of this machine's apt sources: sources.list, then the
 * files of sources.list.d in name order. */
static char *find_mirror(void)
{
	struct dirent **names = NULL;
	struct brig_err ignored;
	char *text = NULL, *m = NULL;
	int n;

	if (read_bounded(AT_FDCWD, APT_SOURCES_LIST, READ_AT, 1 << 20, &text, NULL, &ignored) == 0) {
		m = debootstrap_mirror_from(text, false);
		free(text);
		if (m)
			return m;
	}
	n = scandir(APT_SOURCES_DIR, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		bool list = len > 5 && !strcmp(name + len - 5, ".list");
		bool deb822 = len > 8 && !strcmp(name + len - 8, ".sources");
		cleanup_free char *path = xasprintf("%s/%s", APT_SOURCES_DIR, name);

		if (!m && (list || deb822) &&
		    read_bounded(AT_FDCWD, path, READ_AT, 1 << 20, &text, NULL, &ignored) == 0) {
			m = debootstrap_mirror_from(text, deb822);
			free(text);
		}
		free(names[i]);
	}
	free(names);
	return m;
}

/* Append what fd holds (from offset 0, its last max bytes) to out. */
static void copy_tail(int out, int fd, off_t max)
{
	char buf[8192];
	off_t end = lseek(fd, 0, SEEK_END);
	off_t off = end > max ? end - max : 0;
	ssize_t n;

	while (end > 0 && (n = RETRY_EINTR(pread(fd, buf, sizeof(buf), off))) > 0) {
		if (write_all(out, buf, (size_t)n) < 0)
			return;
		off += n;
	}
}

/* debootstrap's own log inside the target (TARGET/debootstrap/
 * debootstrap.log: where its "See ... for details" points), opened as a
 * regular file beneath rootfd without following links; -1 if none. */
static int open_own_log(int rootfd)
{
	cleanup_close int dfd = openat(rootfd, "debootstrap", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				       O_CLOEXEC);
	struct stat st;
	int fd;

	if (dfd < 0)
		return -1;
	fd = openat(dfd, "debootstrap.log", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The last lines of debootstrap's own log, for the message ("" if none). */
static char *own_log_tail(int fd)
{
	char buf[2048];
	off_t end = lseek(fd, 0, SEEK_END);
	off_t start = end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0;
	ssize_t n = end > 0 ? pread(fd, buf, sizeof(buf) - 1, start) : 0;
	char *p, *q;
	int lines = 0;

	buf[n > 0 ? n : 0] = '\0';
	for (p = buf + strlen(buf); p > buf && (p[-1] == '\n' || p[-1] == ' '); p--)
		*(p - 1) = '\0';
	for (q = p; q > buf; q--)
		if (q[-1] == '\n' && ++lines == 6)
			break;
	return xstrdup(q);
}

/* A failed run: its output (logfd) and debootstrap's own log, which goes
 * with the discarded target, are kept in STORE/debootstrap-SUITE.log
 * (replaced by the next failure of that suite); e says where, after the
 * last lines of both. */
static void keep_log(int rootfd, int logfd, const char *suite, char *const argv[],
		     struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/debootstrap-%s.log", brig_storedir(), suite);
	cleanup_free char *tail = NULL;
	cleanup_close int own = open_own_log(rootfd);
	cleanup_close int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
				     0600);
	int open_err = errno;
	struct strbuf sb = STRBUF_INIT;
	char msg[sizeof(e->msg)];

	sb_adds(&sb, "#");
	for (size_t i = 0; argv[i]; i++)
		sb_addf(&sb, " %s", argv[i]);
	sb_adds(&sb, "\n");
	if (out >= 0 && write_all(out, sb.s, sb.len) == 0) {
		copy_tail(out, logfd, 1 << 20);
		if (own >= 0) {
			static const char head[] = "\n# debootstrap/debootstrap.log of the target:\n";

			if (write_all(out, head, sizeof(head) - 1) == 0)
				copy_tail(out, own, 4 << 20);
		}
	}
	sb_free(&sb);
	snprintf(msg, sizeof(msg), "%s", e->msg);
	if (own >= 0 && *(tail = own_log_tail(own)))
		brig_err_set(e, 0, "%s\n  its debootstrap.log ends:\n%s", msg, tail);
	snprintf(msg, sizeof(msg), "%s", e->msg);
	if (out >= 0)
		brig_err_set(e, 0, "%s\n  the whole log is kept in %s", msg, path);
	else
		brig_err_set(e, 0, "%s\n  (its log could not be kept in %s: %s)", msg, path,
			     strerror(open_err));
}

/* Run debootstrap into rootfd: "SUITE" or "SUITE:PKG,PKG". */
int source_debootstrap(int rootfd, const char *spec, const struct store_progress *p,
		       struct brig_err *e)
{
	const char *colon = strchr(spec, ':');
	cleanup_free char *suite = xstrndup(spec, colon ? (size_t)(colon - spec) : strlen(spec));
	cleanup_free char *include = NULL, *mirror = NULL, *target = NULL;
	cleanup_close int logfd = -1;
	char proc[64];
	char *argv[8];
	int argc = 0;

	if (!only(suite, strlen(suite), "abcdefghijklmnopqrstuvwxyz0123456789.-"))
		return brig_err_set(e, 0, "debootstrap: bad suite `%s` (e.g. debootstrap:bookworm)", suite);
	if (colon && !only(colon + 1, strlen(colon + 1), "abcdefghijklmnopqrstuvwxyz0123456789.+-,"))
		return brig_err_set(e, 0, "debootstrap: bad package list `%s` (PKG,PKG,...)", colon + 1);
	mirror = find_mirror();
	if (!mirror)
		return brig_err_set(e, 0, "debootstrap: no Debian mirror in %s or %s/", APT_SOURCES_LIST,
				    APT_SOURCES_DIR);
	/* debootstrap chroots into the target: give it the real path. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", rootfd);
	target = realpath(proc, NULL);
	if (!target)
		return brig_err_set(e, errno, "debootstrap: resolving the target");
	logfd = memfd_create("debootstrap-log", MFD_CLOEXEC);
	if (logfd < 0)
		return brig_err_set(e, errno, "debootstrap: log");
	argv[argc++] = "debootstrap";
	argv[argc++] = "--variant=minbase";
	if (colon && colon[1]) {
		include = xasprintf("--include=%s", colon + 1);
		argv[argc++] = include;
	}
	argv[argc++] = suite;
	argv[argc++] = target;
	argv[argc++] = mirror;
	argv[argc] = NULL;
	if (p && p->fn)
		p->fn(p->ctx, "debootstrap (minutes)", 0, 0);
	if (spawn_run(argv, p && p->verbose, logfd, e) < 0) {
		if (e->errnum == 0)	/* it ran, and failed */
			keep_log(rootfd, logfd, suite, argv, e);
		return brig_err_wrap(e, "debootstrap %s from %s", suite, mirror);
	}
	return 0;
}
