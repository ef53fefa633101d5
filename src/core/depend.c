#include "core/depend.h"

#include <string.h>

#include "core/core.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The jail called name in s, or NULL. */
static const struct jail_def *find_jail(const struct jail_set *s, const char *name)
{
	return s ? jail_set_find(s, name) : NULL;
}

/* Index of the job for name, or -1. */
static long find_job(const struct dep_plan *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->jobs[i].name, name) == 0)
			return (long)i;
	return -1;
}

/* Add (or find) the job for name. */
static size_t add_job(struct dep_plan *p, const struct jail_set *s, const char *name, bool named)
{
	long i = find_job(p, name);

	if (i >= 0) {
		p->jobs[i].named |= named;
		return (size_t)i;
	}
	p->jobs = xrealloc(p->jobs, (p->n + 1) * sizeof(*p->jobs));
	memset(&p->jobs[p->n], 0, sizeof(*p->jobs));
	p->jobs[p->n].name = name;
	p->jobs[p->n].def = find_jail(s, name);
	p->jobs[p->n].named = named;
	return p->n++;
}

/* Make job j wait for job `on` (once). Its index, not a pointer: a
 * pointer taken before add_job() grows the array would dangle (and the
 * order in which a call's arguments are computed is the compiler's). */
static void add_wait(struct dep_plan *p, size_t j_index, size_t on)
{
	struct dep_job *j = &p->jobs[j_index];

	for (size_t k = 0; k < j->nwaits; k++)
		if (j->waits[k] == on)
			return;
	j->waits = xrealloc(j->waits, (j->nwaits + 1) * sizeof(*j->waits));
	j->waits[j->nwaits++] = on;
}

/* Make job i wait for the job of name (added if new). */
static void wait_job(struct dep_plan *p, size_t i, const struct jail_set *s, const char *name)
{
	size_t on = add_job(p, s, name, false);

	add_wait(p, i, on);
}

/* The `depend` values of a jail. */
static size_t depends(const struct jail_def *d, char *const **v)
{
	size_t n = 0;

	*v = d ? jd_list(d, JP_DEPEND, &n) : NULL;
	return n;
}

/* Start: pull in dependencies transitively (the job array grows as we go).
 * A dependency s does not define fails the jail that names it, unless it
 * runs (a jail of jail(8)'s command line names running jails). */
static void plan_start(struct dep_plan *p, const struct jail_set *s, dep_running_fn running, void *ctx)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct jail_def *d = p->jobs[i].def;
		char *const *deps;
		size_t nd;

		if (!d) {
			p->jobs[i].error = xasprintf("%s: no such jail in the configuration", p->jobs[i].name);
			continue;
		}
		if (d->error) {
			/* Its own configuration is broken (conf_source.isolate). */
			size_t more = d->nerrors - 1;

			if (more)
				p->jobs[i].error = xasprintf("%s: not started: %s (and %zu more error%s: brig config check)",
							     p->jobs[i].name, d->error, more, more > 1 ? "s" : "");
			else
				p->jobs[i].error = xasprintf("%s: not started: %s", p->jobs[i].name, d->error);
			continue;
		}
		/* A child waits for its parent, where s defines it (jail(8)'s
		 * implied dependency); one s does not define must run. */
		if (conf_name_parent_len(d->name)) {
			cleanup_free char *pn = xstrndup(d->name, conf_name_parent_len(d->name));
			const struct jail_def *pd = find_jail(s, pn);

			if (pd)
				wait_job(p, i, s, pd->name);
		}
		nd = depends(d, &deps);
		for (size_t k = 0; k < nd; k++) {
			if (!find_jail(s, deps[k]) && running && running(deps[k], ctx))
				continue;
			if (!find_jail(s, deps[k])) {
				free(p->jobs[i].error);
				p->jobs[i].error = xasprintf("%s: depends on undefined jail \"%s\"",
							     p->jobs[i].name, deps[k]);
				continue;
			}
			wait_job(p, i, s, deps[k]);
		}
	}
}

/* Stop: pull in running dependents transitively; a dependency waits for
 * its dependents, a parent for every jail below it that runs (defined in
 * s, or in extra: running, not defined), deepest first as jail -r does. */
static void plan_stop(struct dep_plan *p, const struct jail_set *s, char *const *extra, size_t nextra,
		      dep_running_fn running, void *ctx)
{
	for (size_t i = 0; i < p->n; i++) {
		for (size_t k = 0; k < (s ? s->n : 0) + nextra; k++) {
			const char *c = s && k < s->n ? s->v[k]->name : extra[k - (s ? s->n : 0)];

			if (!conf_name_below(c, p->jobs[i].name))
				continue;
			if (find_job(p, c) < 0 && !(running && running(c, ctx)))
				continue;
			wait_job(p, i, s, c);
		}
		for (size_t k = 0; s && k < s->n; k++) {
			const struct jail_def *dj = s->v[k];
			char *const *deps;
			size_t nd = depends(dj, &deps);

			for (size_t d = 0; d < nd; d++) {
				if (strcmp(deps[d], p->jobs[i].name) != 0)
					continue;
				if (find_job(p, dj->name) < 0 && !(running && running(dj->name, ctx)))
					continue;
				wait_job(p, i, s, dj->name);
			}
		}
	}
}

void dep_plan_build(struct dep_plan *p, const struct jail_set *s, char *const *names, size_t n,
		    bool stop, char *const *extra, size_t nextra, dep_running_fn running, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->stop = stop;
	if (n) {
		for (size_t i = 0; i < n; i++)
			add_job(p, s, names[i], true);
	} else {
		for (size_t i = 0; s && i < s->n; i++)
			add_job(p, s, s->v[i]->name, true);
		for (size_t i = 0; stop && i < nextra; i++)
			add_job(p, s, extra[i], true);
	}
	if (stop)
		plan_stop(p, s, extra, nextra, running, ctx);
	else
		plan_start(p, s, running, ctx);
	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].error)
			p->jobs[i].st = DEP_FAIL;
	/* Failures found while planning skip their waiters like any other. */
	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].st == DEP_FAIL)
			dep_done(p, i, false);
}

long dep_next(struct dep_plan *p)
{
	/* A job never goes back to waiting: what is below lo is done with
	 * (a batch of n jails is n calls, each would walk the started). */
	while (p->lo < p->n && p->jobs[p->lo].st != DEP_WAIT)
		p->lo++;
	for (size_t i = p->lo; i < p->n; i++) {
		struct dep_job *j = &p->jobs[i];
		bool ready = j->st == DEP_WAIT;

		for (size_t k = 0; ready && k < j->nwaits; k++)
			ready = p->jobs[j->waits[k]].st == DEP_OK;
		if (ready) {
			j->st = DEP_RUN;
			return (long)i;
		}
	}
	return -1;
}

/* Skip every waiting job that waits (directly) for job `failed`, blaming
 * root, and recurse. */
static void skip_waiters(struct dep_plan *p, size_t failed, size_t root)
{
	for (size_t i = 0; i < p->n; i++) {
		struct dep_job *j = &p->jobs[i];

		if (j->st != DEP_WAIT)
			continue;
		for (size_t k = 0; k < j->nwaits; k++)
			if (j->waits[k] == failed) {
				j->st = DEP_SKIP;
				j->blame = root;
				skip_waiters(p, i, root);
				break;
			}
	}
}

void dep_done(struct dep_plan *p, size_t i, bool ok)
{
	p->jobs[i].st = ok ? DEP_OK : DEP_FAIL;
	if (!ok) {
		p->nbad++;
		skip_waiters(p, i, i);
	}
}

size_t dep_fail_stuck(struct dep_plan *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].st == DEP_WAIT) {
			p->jobs[i].st = DEP_FAIL;
			p->nbad++;
			p->jobs[i].error = xasprintf("%s: dependency loop", p->jobs[i].name);
			n++;
		}
	return n;
}

void dep_plan_free(struct dep_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->jobs[i].waits);
		free(p->jobs[i].error);
	}
	free(p->jobs);
	memset(p, 0, sizeof(*p));
}

char *core_dependents(const struct jail_set *s, const char *jail)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; s && i < s->n; i++) {
		char *const *deps;
		size_t nd = depends(s->v[i], &deps);

		for (size_t k = 0; k < nd; k++)
			if (!strcmp(deps[k], jail)) {
				sb_addf(&sb, "%s%s", sb.len ? ", " : "", s->v[i]->name);
				break;
			}
	}
	return sb.len ? sb_steal(&sb) : NULL;
}
