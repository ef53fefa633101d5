/* Ordering a multi-jail operation by `depend` (FreeBSD state.c).
 *
 * Start: the named jails and, transitively, what they depend on; a jail
 * waits until every dependency has fully started, a child (a.b) until its
 * parent has, where s defines it. Stop: the named jails and the running
 * jails that depend on them or are below them (children); a jail waits
 * until every jail depending on it, or below it, has stopped. A failed job skips (transitively) every job
 * waiting for it; independent jobs are unaffected. Pure logic: no system
 * calls, so it is unit-tested on hand-built models. */
#ifndef BRIG_CORE_DEPEND_H
#define BRIG_CORE_DEPEND_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/model.h"

enum dep_state {
	DEP_WAIT,
	DEP_RUN,
	DEP_OK,
	DEP_FAIL,
	DEP_SKIP,
};

struct dep_job {
	const char *name;
	const struct jail_def *def;	/* NULL: not in the configuration */
	bool named;		/* asked for, not pulled in */
	size_t *waits;		/* jobs that must end well first */
	size_t nwaits;
	enum dep_state st;
	size_t blame;		/* DEP_SKIP: the job whose failure skipped it */
	char *error;		/* a problem found while planning (DEP_FAIL) */
};

struct dep_plan {
	struct dep_job *jobs;
	size_t n;
	bool stop;
	size_t lo;		/* every job below it is past DEP_WAIT */
	size_t nbad;		/* jobs failed so far (each skips its waiters at once) */
};

/* Does a jail run? Stop plans pull in dependents only when they run; a
 * start plan takes a running jail that s does not define as a dependency
 * met. */
typedef bool (*dep_running_fn)(const char *name, void *ctx);

/* Build the plan for names (n == 0: every jail of s; for stop, plus the
 * running jails in extra that s does not define; with names, those of
 * extra below a named jail: its children, stopped first). Names that s does not
 * define: a start job fails ("no such jail"), a stop job runs without
 * configuration. s may be NULL (none loads). */
void dep_plan_build(struct dep_plan *p, const struct jail_set *s, char *const *names, size_t n,
		    bool stop, char *const *extra, size_t nextra, dep_running_fn running, void *ctx);
/* A job ready to run (marked DEP_RUN), or -1 if none is now. */
long dep_next(struct dep_plan *p);
/* A job ended; on failure every job waiting for it, directly or not, is
 * skipped. */
void dep_done(struct dep_plan *p, size_t i, bool ok);
/* Jobs still waiting when nothing runs are in a dependency loop: fail them. */
size_t dep_fail_stuck(struct dep_plan *p);
void dep_plan_free(struct dep_plan *p);

#endif
