/* brig's log of each jail: $BRIG_LOGDIR/NAME.log (default /var/log/brig),
 * kept apart from the jail's state so that it outlives the jail's runs
 * (and reboots). brig appends one timestamped line per event (started,
 * stopped, ended, restarts); the output of the commands run in the jail
 * (exec.start, exec.stop: rc and the services it starts) goes there too
 * when the jail has no exec.consolelog of its own and the command is
 * brig's (brig start/stop/restart, a reaper's restart), not jail(8)'s.
 *
 * Size-rotated, as newsyslog would: when brig opens the file (an event,
 * a command's output) and it has grown past LOG_MAX, it becomes NAME.log.1
 * (replacing the previous one) and a new file starts. brig opens it only
 * while the jail does not run or is being started or stopped, so no
 * service of the jail holds the file that is moved. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/jail.h"
#include "util/io.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/paths.h"
#include "util/strbuf.h"

#define LOG_MAX (1024 * 1024)

char *core_log_path(const char *name)
{
	return xasprintf("%s/%s.log", brig_logdir(), name);
}


int jlog_open(const char *name, struct brig_err *e)
{
	cleanup_free char *path = NULL;
	struct stat sb;
	int fd;

	if (conf_name_invalid(name))
		return brig_err_set(e, 0, "\"%s\": not a jail name", name);
	if (mkdirp(brig_logdir(), 0755, e) < 0)
		return -1;
	path = core_log_path(name);
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= LOG_MAX) {
		cleanup_free char *old = xasprintf("%s.1", path);

		/* Best effort: a log that cannot be rotated still takes lines. */
		rename(path, old);
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0640);
	if (fd < 0)
		return brig_err_set(e, errno, "opening `%s`", path);
	return fd;
}

void jlog_event(const char *name, const char *msg)
{
	struct brig_err e = { 0 };
	struct strbuf sb = STRBUF_INIT;
	char when[64] = "";
	time_t now = time(NULL);
	struct tm tm;
	int fd;

	if (localtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
	sb_addf(&sb, "%s brig: %s", when, msg);
	/* One line: a message is a few words, never a file. */
	for (size_t i = 0; i < sb.len; i++)
		if (sb.s[i] == '\n')
			sb.s[i] = ' ';
	sb_addc(&sb, '\n');
	/* Best effort: the log says what happened, it decides nothing. */
	fd = jlog_open(name, &e);
	if (fd >= 0) {
		(void)write_all(fd, sb.s, sb.len);
		close(fd);
	}
	sb_free(&sb);
}
