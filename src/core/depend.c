#include "core/depend.h"

#include <string.h>

#include "core/core.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The jail called name in c. A plain scan rather than conf_jail(): the
 * plan needs nothing but the jail array (and is tested on hand-built ones). */
static const struct conf_jail *find_jail(const struct conf *c, const char *name)
{
	for (size_t i = 0; c && i < c->njails; i++)
		if (strcmp(c->jails[i].name, name) == 0)
			return &c->jails[i];
	return NULL;
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
static size_t add_job(struct dep_plan *p, const struct conf *c, const char *name, bool named)
{
	long i = find_job(p, name);

	if (i >= 0) {
		p->jobs[i].named |= named;
		return (size_t)i;
	}
	p->jobs = xrealloc(p->jobs, (p->n + 1) * sizeof(*p->jobs));
	memset(&p->jobs[p->n], 0, sizeof(*p->jobs));
	p->jobs[p->n].name = name;
	p->jobs[p->n].cj = find_jail(c, name);
	p->jobs[p->n].named = named;
	return p->n++;
}

/* Make job j wait for job `on` (once). */
static void add_wait(struct dep_job *j, size_t on)
{
	for (size_t k = 0; k < j->nwaits; k++)
		if (j->waits[k] == on)
			return;
	j->waits = xrealloc(j->waits, (j->nwaits + 1) * sizeof(*j->waits));
	j->waits[j->nwaits++] = on;
}

/* The `depend` values of a jail. */
static size_t depends(const struct conf_jail *cj, char *const **v)
{
	const struct conf_param *p = cj ? conf_param(cj, "depend") : NULL;

	*v = p ? p->values : NULL;
	return p ? p->nvalues : 0;
}

/* Start: pull in dependencies transitively (the job array grows as we go). */
static void plan_start(struct dep_plan *p, const struct conf *c)
{
	for (size_t i = 0; i < p->n; i++) {
		char *const *deps;
		size_t nd;

		if (!p->jobs[i].cj) {
			p->jobs[i].error = xasprintf("%s: no such jail in the configuration", p->jobs[i].name);
			continue;
		}
		if (p->jobs[i].cj->error) {
			/* Its own configuration is broken (conf_source.isolate). */
			size_t more = p->jobs[i].cj->nerrors - 1;

			if (more)
				p->jobs[i].error = xasprintf("%s: not started: %s (and %zu more error%s: brig config check)",
							     p->jobs[i].name, p->jobs[i].cj->error, more, more > 1 ? "s" : "");
			else
				p->jobs[i].error = xasprintf("%s: not started: %s", p->jobs[i].name,
							     p->jobs[i].cj->error);
			continue;
		}
		nd = depends(p->jobs[i].cj, &deps);
		for (size_t k = 0; k < nd; k++) {
			size_t d;

			if (!find_jail(c, deps[k])) {
				free(p->jobs[i].error);
				p->jobs[i].error = xasprintf("%s: depends on undefined jail \"%s\"",
							     p->jobs[i].name, deps[k]);
				continue;
			}
			d = add_job(p, c, deps[k], false);
			add_wait(&p->jobs[i], d);
		}
	}
}

/* Stop: pull in running dependents transitively; a dependency waits for
 * its dependents. */
static void plan_stop(struct dep_plan *p, const struct conf *c, dep_running_fn running, void *ctx)
{
	for (size_t i = 0; i < p->n; i++) {
		for (size_t k = 0; c && k < c->njails; k++) {
			const struct conf_jail *cj = &c->jails[k];
			char *const *deps;
			size_t nd = depends(cj, &deps);

			for (size_t d = 0; d < nd; d++) {
				size_t dep;

				if (strcmp(deps[d], p->jobs[i].name) != 0)
					continue;
				if (find_job(p, cj->name) < 0 && !(running && running(cj->name, ctx)))
					continue;
				dep = add_job(p, c, cj->name, false);
				add_wait(&p->jobs[i], dep);
			}
		}
	}
}

void dep_plan_build(struct dep_plan *p, const struct conf *c, char *const *names, size_t n,
		    bool stop, char *const *extra, size_t nextra, dep_running_fn running, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->stop = stop;
	if (n) {
		for (size_t i = 0; i < n; i++)
			add_job(p, c, names[i], true);
	} else {
		for (size_t i = 0; c && i < c->njails; i++)
			add_job(p, c, c->jails[i].name, true);
		for (size_t i = 0; stop && i < nextra; i++)
			add_job(p, c, extra[i], true);
	}
	if (stop)
		plan_stop(p, c, running, ctx);
	else
		plan_start(p, c);
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
	for (size_t i = 0; i < p->n; i++) {
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
	if (!ok)
		skip_waiters(p, i, i);
}

size_t dep_fail_stuck(struct dep_plan *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].st == DEP_WAIT) {
			p->jobs[i].st = DEP_FAIL;
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

char *core_dependents(const struct conf *c, const char *jail)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; c && i < c->njails; i++) {
		const struct conf_param *p = conf_param(&c->jails[i], "depend");

		for (size_t k = 0; p && k < p->nvalues; k++)
			if (!strcmp(p->values[k], jail)) {
				sb_addf(&sb, "%s%s", sb.len ? ", " : "", c->jails[i].name);
				break;
			}
	}
	return sb.len ? sb_steal(&sb) : NULL;
}
