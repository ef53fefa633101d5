/* The boot set (`boot` parameter) and reload: which jails the boot unit
 * starts, and which it restarts when the configuration changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jail.h"
#include "util/mem.h"
#include "util/strbuf.h"

char *jail_param_text(const struct conf_param *p)
{
	struct strbuf v = STRBUF_INIT;

	for (size_t k = 0; k < p->nvalues; k++) {
		if (k)
			sb_addc(&v, ',');
		sb_adds(&v, p->values[k]);
	}
	return v.s ? sb_steal(&v) : xstrdup("");
}

char **core_boot_names(const struct conf *c, size_t *n)
{
	char **v = xcalloc(c->njails + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < c->njails; i++)
		if (conf_bool(&c->jails[i], "boot", true))
			v[(*n)++] = c->jails[i].name;
	return v;
}

/* Whether `boot` counts: it says when to start a jail, not how it runs. */
static bool compared(const char *param)
{
	return strcmp(param, "boot") != 0;
}

/* The first parameter (in cj's order, then the recorded one) whose value
 * differs between cj and the running jail j, or NULL if none does. The
 * state records every resolved parameter at start (core/start.c), so the
 * comparison is exact up to a list item holding a ",". */
static const char *first_change(const struct conf_jail *cj, const struct core_jail *j)
{
	size_t ncompared = 0, nrecorded = 0;

	for (size_t i = 0; i < cj->nparams; i++) {
		const struct conf_param *p = &cj->params[i];
		const char *was = NULL;

		if (!compared(p->name))
			continue;
		ncompared++;
		for (size_t k = 0; k < j->nparams && !was; k++)
			if (strcmp(j->param_names[k], p->name) == 0)
				was = j->param_values[k];
		cleanup_free char *now = jail_param_text(p);
		if (!was || strcmp(was, now) != 0)
			return p->name;
	}
	for (size_t k = 0; k < j->nparams; k++)
		if (compared(j->param_names[k]) && ++nrecorded > ncompared)
			return j->param_names[k];
	return NULL;
}

int core_reload(const struct conf *c, const struct core_ops *o)
{
	size_t n = c->njails, nstop = 0, nstart = 0, nrun = 0;
	bool *was_running = xcalloc(n + 1, sizeof(*was_running));
	char **stop = xcalloc(n + 1, sizeof(*stop)), **start = xcalloc(n + 1, sizeof(*start));
	struct core_jail *run = NULL;
	int failed = 0;

	if (core_list(&run, &nrun, NULL) < 0) {
		run = NULL;
		nrun = 0;
	}
	for (size_t i = 0; i < nrun; i++) {
		const struct conf_jail *cj = conf_jail(c, run[i].name);
		const char *what;
		cleanup_free char *msg = NULL;

		if (!cj) {
			msg = xasprintf("%s: runs, but is no longer configured: left running "
					"(brig stop %s stops it)", run[i].name, run[i].name);
			if (o && o->report)
				o->report(o->ctx, run[i].name, CORE_EV_WARNING, msg);
			continue;
		}
		was_running[cj - c->jails] = true;
		what = first_change(cj, &run[i]);
		if (!what)
			continue;
		stop[nstop++] = cj->name;
		if (o && o->report)
			o->report(o->ctx, cj->name, CORE_EV_CHANGED, what);
	}
	/* Stopping a changed jail also stops the running jails that depend on
	 * it; they start again below, after it. */
	if (nstop)
		failed += core_stop(c, stop, nstop, o);
	for (size_t i = 0; i < n; i++) {
		const struct conf_jail *cj = &c->jails[i];

		/* A changed jail that failed to stop still runs (reported). */
		if (core_is_running(cj->name, NULL) == 1)
			continue;
		if (was_running[i] || conf_bool(cj, "boot", true))
			start[nstart++] = cj->name;
	}
	if (nstart)
		failed += core_start(c, start, nstart, o);
	core_list_free(run, nrun);
	free(was_running);
	free(stop);
	free(start);
	return failed;
}
