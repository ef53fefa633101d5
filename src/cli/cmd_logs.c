/* brig logs [-f] [-n N] JAIL: brig's log of the jail (core_log_path: its
 * start, stop, end and restart events, and the output of the commands run
 * in it when it has no exec.consolelog), then the jail's exec.consolelog
 * file if it has one. -n N: the last N lines of each; -f: then follow them
 * as `tail -f` does (through a rotation too), until interrupted. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cmds.h"
#include "conf/model.h"
#include "core/core.h"
#include "util/mem.h"
#include "util/paths.h"

#define CHUNK 65536

/* One file shown. */
struct src {
	char *path;
	int fd;			/* -1: not there (yet) */
	off_t off;		/* what has been shown */
	ino_t ino;
};

/* The header of a file, when there are several (as tail has it). */
static void header(const struct src *s, size_t nsrc)
{
	static const struct src *last;

	if (nsrc < 2 || last == s)
		return;
	printf("%s==> %s <==\n", last ? "\n" : "", s->path);
	last = s;
}

/* Copy fd from off to its end to stdout; the new offset. */
static off_t copy_out(int fd, off_t off)
{
	char buf[CHUNK];
	ssize_t n;

	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		fwrite(buf, 1, (size_t)n, stdout);
		off += n;
	}
	fflush(stdout);
	return off;
}

/* Where the last n lines of fd (size bytes) start. */
static off_t last_lines(int fd, off_t size, long n)
{
	char buf[CHUNK];
	off_t end = size;
	long seen = 0;

	/* A final newline ends the last line; it does not start another. */
	if (size > 0 && pread(fd, buf, 1, size - 1) == 1 && buf[0] == '\n')
		end--;
	while (end > 0) {
		off_t from = end > CHUNK ? end - CHUNK : 0;
		ssize_t got = pread(fd, buf, (size_t)(end - from), from);

		if (got <= 0)
			return 0;
		for (ssize_t i = got; i-- > 0;)
			if (buf[i] == '\n' && ++seen == n)
				return from + i + 1;
		end = from;
	}
	return 0;
}

/* Open s->path if it is there (and is a new file): 1 if it was reopened. */
static int reopen(struct src *s)
{
	struct stat st;
	int fd;

	if (stat(s->path, &st) < 0 || (s->fd >= 0 && st.st_ino == s->ino))
		return 0;
	fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return 0;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	s->ino = st.st_ino;
	s->off = 0;
	return 1;
}

/* Show what is new in s (after a rotation: the rest of the old file, then
 * the new one from its start). */
static void show_new(struct src *s, size_t nsrc)
{
	struct stat st;

	for (int round = 0; round < 2; round++) {
		if (s->fd >= 0 && fstat(s->fd, &st) == 0) {
			if (st.st_size < s->off)
				s->off = 0;	/* truncated */
			if (st.st_size > s->off) {
				header(s, nsrc);
				s->off = copy_out(s->fd, s->off);
			}
		}
		if (!reopen(s))
			return;
	}
}

/* Follow the files until a signal ends us: the directories they are in
 * are watched (a rotation replaces the file), with a poll every second
 * besides, for file systems that do not report every change. */
static int follow(struct src *v, size_t n)
{
	int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	char buf[4096];

	for (size_t i = 0; in >= 0 && i < n; i++) {
		cleanup_free char *d = xstrdup(v[i].path);

		inotify_add_watch(in, dirname(d), IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE);
	}
	for (;;) {
		struct pollfd p = { .fd = in, .events = POLLIN };

		if (poll(&p, in >= 0 ? 1 : 0, 1000) < 0 && errno != EINTR) {
			cli_error("logs: poll: %s", strerror(errno));
			return 1;
		}
		while (in >= 0 && read(in, buf, sizeof(buf)) > 0)
			;
		for (size_t i = 0; i < n; i++)
			show_new(&v[i], n);
	}
}

/* The usage message; exit status 2. */
static int usage(void)
{
	cli_error("usage: brig logs [-f] [-n N] JAIL");
	return 2;
}

int cmd_logs(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct src v[2] = { { .fd = -1 }, { .fd = -1 } };
	bool follow_them = false, configured;
	long lines = -1;
	const char *name, *why, *console = NULL;
	const struct jail_def *def;
	struct conf *c;
	size_t n = 0;
	int ch, rc = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "fn:", longopts, NULL)) != -1) {
		char *end;

		switch (ch) {
		case 'f':
			follow_them = true;
			break;
		case 'n':
			lines = strtol(optarg, &end, 10);
			if (*end || end == optarg || lines < 0) {
				cli_error("logs: -n: expected a number of lines, not \"%s\"", optarg);
				return 2;
			}
			break;
		default:
			return usage();
		}
	}
	if (argc - optind != 1)
		return usage();
	name = argv[optind];
	why = conf_name_invalid(name);
	if (why) {
		cli_error("logs: \"%s\": not a jail name (%s)", name, why);
		return 2;
	}
	c = cli_load_conf_quiet(NULL, false);
	def = c ? jail_set_find(conf_jail_set(c), name) : NULL;
	configured = def != NULL;
	if (def && !def->error)
		console = jd_str(def, JP_EXEC_CONSOLELOG);
	v[n++].path = core_log_path(name);
	if (console && *console && strcmp(console, v[0].path) != 0)
		v[n++].path = xstrdup(console);
	conf_free(c);
	for (size_t i = 0; i < n; i++)
		reopen(&v[i]);
	if (!configured && v[0].fd < 0) {
		cli_error("%s: no such jail (not in the configuration, and no log in %s)", name, brig_logdir());
		rc = 1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (v[i].fd < 0 || fstat(v[i].fd, &st) < 0)
			continue;
		v[i].off = lines < 0 ? 0 : lines == 0 ? st.st_size : last_lines(v[i].fd, st.st_size, lines);
		show_new(&v[i], n);
	}
	if (follow_them)
		rc = follow(v, n);
out:
	for (size_t i = 0; i < n; i++) {
		if (v[i].fd >= 0)
			close(v[i].fd);
		free(v[i].path);
	}
	return rc;
}
