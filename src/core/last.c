/* How each jail last ended, kept apart from its state (which goes with the
 * jail): brig_rundir()/.last/NAME, one small text file per jail, replaced
 * atomically. Written by a stop (stopped), a failed start (failed at a
 * step), and whoever finds a running jail's init gone, its reaper first
 * (ended, with the status when it is known). The run directory is a tmpfs:
 * after a boot every jail reads as never started, which it is. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/jail.h"
#include "util/mem.h"
#include "util/paths.h"
#include "util/writefile.h"
#include "util/strbuf.h"

/* brig_rundir()/.last (made with mkdir 0700 when make is set); caller frees. */
static char *last_dir(bool make)
{
	char *dir = xasprintf("%s/.last", brig_rundir());

	if (make)
		mkdir(dir, 0700);
	return dir;
}

void last_record(const char *name, const char *event, int status, const char *step, const char *msg,
		 const char *run)
{
	cleanup_free char *dir = last_dir(true);
	cleanup_free char *path = xasprintf("%s/%s", dir, name);
	struct strbuf sb = STRBUF_INIT;
	struct brig_err ignored;

	sb_addf(&sb, "event %s\ntime %lld\nstatus %d\n", event, (long long)time(NULL), status);
	if (step)
		sb_addf(&sb, "step %s\n", step);
	if (run)
		sb_addf(&sb, "run %s\n", run);
	if (msg) {
		/* One line: a message is a few words, never a file. */
		sb_adds(&sb, "message ");
		for (const char *m = msg; *m; m++)
			sb_addc(&sb, *m == '\n' ? ' ' : *m);
		sb_addc(&sb, '\n');
	}
	/* Best effort: the record says why a jail is down, it decides nothing. */
	(void)write_atomic(path, sb.s, sb.len, false, &ignored);
	sb_free(&sb);
}

int core_last_read(const char *name, struct core_last *out)
{
	cleanup_free char *dir = last_dir(false);
	cleanup_free char *path = xasprintf("%s/%s", dir, name);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	memset(out, 0, sizeof(*out));
	out->status = -1;
	if (conf_name_invalid(name))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *v = strchr(line, ' ');

		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(line, "event") && !out->event)
			out->event = xstrdup(v);
		else if (!strcmp(line, "time"))
			out->time = strtoll(v, NULL, 10);
		else if (!strcmp(line, "status"))
			out->status = atoi(v);
		else if (!strcmp(line, "step") && !out->step)
			out->step = xstrdup(v);
		else if (!strcmp(line, "message") && !out->message)
			out->message = xstrdup(v);
		else if (!strcmp(line, "run") && !out->run)
			out->run = xstrdup(v);
	}
	free(line);
	fclose(f);
	if (!out->event) {
		core_last_free(out);
		return 0;
	}
	return 1;
}

void core_last_free(struct core_last *l)
{
	free(l->event);
	free(l->step);
	free(l->message);
	free(l->run);
	memset(l, 0, sizeof(*l));
	l->status = -1;
}

void jlog_ended(const char *name, int status)
{
	cleanup_free char *line = status >= 0 ? xasprintf("%s: ended with status %d", name, status)
					      : xasprintf("%s: ended", name);

	jlog_event(name, line);
}

void last_reaped(const char *name, const char *run, int status)
{
	struct core_last l;

	if (core_last_read(name, &l) != 1)
		return;
	if (!strcmp(l.event, "ended") && l.status < 0 && l.run && !strcmp(l.run, run)) {
		if (status >= 0)
			last_record(name, "ended", status, l.step, l.message, l.run);
		jlog_ended(name, status);
	}
	core_last_free(&l);
}

char *jail_run_id(const struct jstate *st)
{
	return xasprintf("%d.%llu", (int)st->init_pid, st->init_start);
}
