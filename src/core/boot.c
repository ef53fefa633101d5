/* The boot set (`boot` parameter) and reload: which jails the boot unit
 * starts, and which it restarts when the configuration changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jail.h"
#include "core/lock.h"
#include "util/mem.h"

char **core_boot_names(const struct jail_set *s, size_t *n)
{
	char **v = xcalloc(s->n + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (jd_on(s->v[i], JP_BOOT))
			v[(*n)++] = (char *)s->v[i]->name;
	return v;
}

/* The first parameter whose value differs between the model d of the
 * configuration and the one the running jail j was started with, or
 * NULL if none does (`boot` does not count). */
static const char *first_change(const struct jail_def *d, const struct core_jail *j)
{
	cleanup_free char *dir = jail_dir(j->name);
	struct jstate st;
	const struct jail_def *was;
	const char *what;

	if (state_read(dir, &st, NULL) <= 0)
		return NULL;	/* stopped meanwhile: started below */
	was = jail_recorded_def(&st);
	what = jail_def_differs(d, was);
	/* Only its limits changed: changed live, as rctl -a does. */
	if (!what && !jail_def_same_param(d, was, JP_RCTL)) {
		enum jparam id = JP_RCTL;
		struct brig_err e = { 0 };

		if (core_modify(d, &id, 1, &e) < 0)
			what = jd_name(JP_RCTL);
	}
	state_free(&st);
	return what;
}

int core_reload(const struct jail_set *s, const struct core_ops *o)
{
	size_t n = s->n, nstop = 0, nstart = 0, nrun = 0;
	bool *was_running = xcalloc(n + 1, sizeof(*was_running));
	char **stop = xcalloc(n + 1, sizeof(*stop)), **start = xcalloc(n + 1, sizeof(*start));
	struct core_jail *run = NULL;
	int failed = 0;

	if (core_list(&run, &nrun, NULL) < 0) {
		run = NULL;
		nrun = 0;
	}
	for (size_t i = 0; i < nrun; i++) {
		long k = jail_set_index(s, run[i].name);
		const char *what;
		cleanup_free char *msg = NULL;

		if (k < 0) {
			msg = xasprintf("%s: runs, but is no longer configured: left running "
					"(brig stop %s stops it)", run[i].name, run[i].name);
			if (o && o->report)
				o->report(o->ctx, run[i].name, CORE_EV_WARNING, msg);
			continue;
		}
		was_running[k] = true;
		what = first_change(s->v[k], &run[i]);
		if (!what)
			continue;
		stop[nstop++] = (char *)s->v[k]->name;
		if (o && o->report)
			o->report(o->ctx, s->v[k]->name, CORE_EV_CHANGED, what);
	}
	/* Stopping a changed jail also stops the running jails that depend on
	 * it; they start again below, after it. */
	if (nstop)
		failed += core_stop(s, stop, nstop, o);
	for (size_t i = 0; i < n; i++) {
		const struct jail_def *d = s->v[i];

		/* A changed jail that failed to stop still runs (reported). */
		if (core_is_running(d->name, NULL) == 1)
			continue;
		if (was_running[i] || jd_on(d, JP_BOOT))
			start[nstart++] = (char *)d->name;
	}
	if (nstart)
		failed += core_start(s, start, nstart, o);
	core_list_free(run, nrun);
	free(was_running);
	free(stop);
	free(start);
	return failed;
}
