/* The restart policy (exec.restart, a brig extension for people who come
 * from Docker's --restart), carried out by the jail's reaper: no daemon.
 *
 * When a jail's init ends, its reaper runs `brig reap NAME` (sys/reaper.h),
 * which cleans up and then, if the end was that of the run the reaper
 * watched and was the jail's own doing (not brig stop: its last record
 * says "ended"), decides here: the configuration as it is now must load
 * for the jail, its policy must ask for it (on-failure: a status other
 * than 0, or killed; always), and the limit (":MAX") must not be reached.
 * Then it waits (1 s, doubling up to 60 s; back to 1 s once a run stayed
 * up 60 s) and starts the jail, as brig start would. A restart that fails
 * or ends within its start counts, and the same brig reap tries again; a
 * restart that succeeds has a reaper of its own, which takes over.
 *
 * What it knows is in brig_rundir()/.restart/NAME (count, backoff, the
 * last start, the next attempt and who will make it), written while the
 * jail's lock is held. brig start resets it (a jail started by hand starts
 * counting again); brig stop removes it, which cancels a waiting restart:
 * the restart checks, under the lock, that it is still the one expected. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/jail.h"
#include "core/lock.h"
#include "util/io.h"
#include "util/mem.h"
#include "util/paths.h"
#include "util/writefile.h"
#include "util/strbuf.h"

#define BACKOFF_FIRST 1
#define BACKOFF_MAX 60
#define STAYED_UP 60	/* seconds up after which the backoff starts again */

/* The restart file. */
struct rrec {
	long count;		/* restarts since the jail was started by hand */
	long backoff;		/* the last wait, seconds (0: none yet) */
	long long started;	/* when the jail was last started (by hand or restart) */
	long long next;		/* when a waiting restart will start it (0: none waits) */
	long pending;		/* the brig reap that will (its pid) */
};

/* brig_rundir()/.restart[/name] (the directory made when make is set). */
static char *rpath(const char *name, bool make)
{
	cleanup_free char *dir = xasprintf("%s/.restart", brig_rundir());

	if (make)
		mkdir(dir, 0700);
	return name ? xasprintf("%s/%s", dir, name) : xstrdup(dir);
}

/* 1 and *r if the jail has a restart file, 0 if not. */
static int rrec_read(const char *name, struct rrec *r)
{
	cleanup_free char *path = rpath(name, false);
	char key[32];
	long long v;
	FILE *f;

	memset(r, 0, sizeof(*r));
	if (conf_name_invalid(name))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fscanf(f, "%31s %lld", key, &v) == 2) {
		if (!strcmp(key, "count"))
			r->count = (long)v;
		else if (!strcmp(key, "backoff"))
			r->backoff = (long)v;
		else if (!strcmp(key, "started"))
			r->started = v;
		else if (!strcmp(key, "next"))
			r->next = v;
		else if (!strcmp(key, "pending"))
			r->pending = (long)v;
	}
	fclose(f);
	return 1;
}

/* Replace the jail's restart file (atomically; best effort). */
static void rrec_write(const char *name, const struct rrec *r)
{
	cleanup_free char *path = rpath(name, true);
	struct strbuf sb = STRBUF_INIT;
	struct brig_err ignored;

	sb_addf(&sb, "count %ld\nbackoff %ld\nstarted %lld\nnext %lld\npending %ld\n", r->count,
		r->backoff, r->started, r->next, r->pending);
	(void)write_atomic(path, sb.s, sb.len, false, &ignored);
	sb_free(&sb);
}

/* Remove the jail's restart file; true if there was one. */
static bool rrec_remove(const char *name)
{
	cleanup_free char *path = rpath(name, false);

	return unlink(path) == 0;
}


long restart_claim(const char *name, long token)
{
	struct rrec r;

	if (rrec_read(name, &r) != 1 || r.pending != token)
		return 0;
	r.count++;
	r.pending = 0;
	r.next = 0;
	r.started = (long long)time(NULL);
	rrec_write(name, &r);
	return r.count;
}

bool restart_wanted(const struct jail_def *d)
{
	return d->restart != CONF_RESTART_NO;
}

void restart_started(const char *name, const struct jail_def *d, enum core_event ev)
{
	struct rrec r = { .started = (long long)time(NULL) };

	if (ev == CORE_EV_STARTED && restart_wanted(d))
		rrec_write(name, &r);
	else if (ev != CORE_EV_ALREADY)
		rrec_remove(name);
}

void restart_cancel(const char *name, bool running)
{
	struct core_last l;

	if (!rrec_remove(name) || running)
		return;
	/* Not running, restarts on: its end is brig stop's from now on. */
	if (core_last_read(name, &l) == 1) {
		cleanup_free char *line = xasprintf("%s: stopped by brig stop: no restart", name);

		last_record(name, "stopped", -1, NULL, NULL, NULL);
		jlog_event(name, line);
		core_last_free(&l);
	}
}

int core_restart_info(const char *name, struct core_restart *out)
{
	struct rrec r;

	memset(out, 0, sizeof(*out));
	if (rrec_read(name, &r) != 1)
		return 0;
	out->count = r.count;
	out->next = r.next;
	return 1;
}

/* Sleep s seconds (whatever signals interrupt it). */
static void sleep_s(long s)
{
	struct timespec ts = { s, 0 };

	RETRY_EINTR(nanosleep(&ts, &ts));
}

/* What a restart's start reported. */
struct outcome {
	enum core_event ev;
	bool seen;
};

static void note(void *ctx, const char *jail, enum core_event ev, const char *msg)
{
	struct outcome *o = ctx;

	(void)jail;
	(void)msg;
	if (ev == CORE_EV_STARTED || ev == CORE_EV_FAILED || ev == CORE_EV_ENDED ||
	    ev == CORE_EV_ALREADY || ev == CORE_EV_SKIPPED) {
		o->ev = ev;
		o->seen = true;
	}
}

/* Under the jail's lock: is the restart still wanted (the jail's last
 * record is its own end: of run, when given, else any; not brig stop's)?
 * Then the next attempt is recorded as this process's, after backoff
 * seconds, and its number returned; else 0. */
static long plan(const char *name, const char *run, long max, long *backoff)
{
	struct brig_err e = { 0 };
	struct core_last l;
	struct rrec r;
	bool busy, wanted;
	long long now = (long long)time(NULL);
	int fd = jail_lock(name, true, &busy, &e);

	if (fd < 0)
		return 0;
	wanted = core_last_read(name, &l) == 1 && strcmp(l.event, "stopped") != 0 &&
		 (!run || (!strcmp(l.event, "ended") && l.run && !strcmp(l.run, run)));
	if (wanted)
		core_last_free(&l);
	rrec_read(name, &r);
	if (wanted && max > 0 && r.count >= max) {
		cleanup_free char *line = xasprintf("%s: not restarted: %ld restart%s already (exec.restart "
						    "limit %ld)", name, r.count, r.count == 1 ? "" : "s", max);

		jlog_event(name, line);
		wanted = false;
	}
	if (wanted) {
		bool stayed = r.started > 0 && now - r.started >= STAYED_UP;

		r.backoff = r.backoff <= 0 || stayed ? BACKOFF_FIRST :
			    r.backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : r.backoff * 2;
		r.next = now + r.backoff;
		r.pending = (long)getpid();
		rrec_write(name, &r);
		*backoff = r.backoff;
	}
	jail_unlock(name, fd, false);
	return wanted ? r.count + 1 : 0;
}

/* The status the jail's last record gives (-1: unknown or none). */
static int last_status(const char *name)
{
	struct core_last l;
	int st = -1;

	if (core_last_read(name, &l) == 1) {
		st = l.status;
		core_last_free(&l);
	}
	return st;
}

void restart_after_end(const char *name, const char *run, struct conf *(*load)(void))
{
	char *names[] = { (char *)name };
	int status = last_status(name);

	for (;;) {
		struct conf *c = load();
		const struct jail_set *set = c ? conf_jail_set(c) : NULL;
		const struct jail_def *d = set ? jail_set_find(set, name) : NULL;
		struct outcome out = { CORE_EV_FAILED, false };
		struct core_ops ops = { .parallel = 1, .quiet = true, .own_log = true,
					.restart_token = (long)getpid(), .report = note, .ctx = &out };
		enum conf_restart mode;
		long max, n, backoff = 0;

		if (!d || d->error) {
			cleanup_free char *line =
				d ? xasprintf("%s: not restarted: its configuration does not load: %s", name,
					      d->error) :
				c ? xasprintf("%s: not restarted: not in the configuration of %s", name,
					      brig_confdir()) :
				    xasprintf("%s: not restarted: the configuration of %s does not load", name,
					      brig_confdir());

			/* Said only where a restart could have been asked for. */
			if (core_restart_info(name, &(struct core_restart){ 0 }))
				jlog_event(name, line);
			conf_free(c);
			return;
		}
		mode = d->restart;
		max = d->restart_max;
		if (mode == CONF_RESTART_NO ||
		    (mode == CONF_RESTART_ON_FAILURE && status == 0)) {
			conf_free(c);
			return;
		}
		conf_free(c);
		n = plan(name, run, max, &backoff);
		if (!n)
			return;
		{
			cleanup_free char *line = max ? xasprintf("%s: restarting in %ld s (restart %ld of %ld)",
								  name, backoff, n, max) :
							xasprintf("%s: restarting in %ld s (restart %ld)", name,
								  backoff, n);

			jlog_event(name, line);
		}
		sleep_s(backoff);
		c = load();
		if (!c) {
			cleanup_free char *line = xasprintf("%s: not restarted: the configuration of %s does "
							    "not load", name, brig_confdir());

			jlog_event(name, line);
			return;
		}
		core_start(conf_jail_set(c), names, 1, &ops);
		conf_free(c);
		/* Started: its own reaper takes over. Ended or failed within
		 * the start: another try, from its new end. */
		if (!out.seen || (out.ev != CORE_EV_FAILED && out.ev != CORE_EV_ENDED))
			return;
		status = out.ev == CORE_EV_ENDED ? last_status(name) : -1;
		run = NULL;
	}
}
