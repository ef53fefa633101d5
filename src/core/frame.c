/* The frame of every operation on one jail (start, stop, jail -m's
 * modify, and the store's destroy, rollback, export, snapshot): its name checked, its lock taken
 * (waiting for another brig's, bounded), its state reconciled, the
 * operation run with the lock held, the lock released, the outcome
 * reported. Whatever is decided by whether the jail runs is decided
 * under the lock, so no other brig can start or stop it in between. */
#include <unistd.h>

#include "core/jail.h"
#include "core/lock.h"
#include "util/mem.h"

enum core_event jail_frame(struct jctx *x, const struct jail_op *op, struct brig_err *e)
{
	const char *why = conf_name_invalid(x->name);
	enum core_event ev = CORE_EV_FAILED;
	bool busy;
	int r;

	x->lockfd = x->initfd = x->rootmnt = x->pidfd = -1;
	x->child.go = x->child.status = x->child.pidfd = -1;
	if (why) {
		brig_err_set(e, 0, "%s: %s: the name %s", x->name, op->verb, why);
		goto report;
	}
	x->dir = jail_dir(x->name);
	x->lockfd = jail_lock(x->name, true, &busy, e);
	if (x->lockfd >= 0) {
		r = jail_reconcile(x, e);
		if (r < 0)
			brig_err_wrap(e, "%s: cleaning up its last run", x->name);
		ev = op->locked(x, r, e);
		/* A failed teardown keeps the state (and so the lock directory). */
		jail_unlock(x->name, x->lockfd, !jail_has_state(x->dir));
		x->lockfd = -1;
	}
	if (op->after)
		op->after(x, ev, e);
report:
	if (x->pidfd >= 0)
		close(x->pidfd);
	x->pidfd = -1;
	sink_emit(x->sink, x->name, ev, ev == CORE_EV_FAILED || ev == CORE_EV_ENDED ? e->msg : NULL);
	spec_free(&x->sp);
	state_free(&x->st);
	free(x->dir);
	x->dir = NULL;
	return ev;
}
