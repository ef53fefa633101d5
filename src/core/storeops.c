/* The store's work on one jail (destroy, rollback, export, snapshot) in
 * the frame of every jail operation (core/frame.c): whether the jail
 * runs is asked under its lock, and the work is done before the lock is
 * let go, so that a brig start cannot come in between (a destroyed
 * jail running, an archive of a jail half started). */
#include <stdbool.h>

#include "core/jail.h"
#include "store/store.h"

/* What each operation is given (jctx.arg). */
struct storeop {
	bool force;			/* destroy -f */
	const char *snap;		/* rollback, snapshot */
	char **snap_out;		/* snapshot */
	const struct store_progress *progress;
	struct store_export *export;
};

/* The outcome of the store's work. */
static enum core_event done(int r)
{
	return r < 0 ? CORE_EV_FAILED : CORE_EV_DONE;
}

static enum core_event destroy_locked(struct jctx *x, int running, struct brig_err *e)
{
	const struct storeop *op = x->arg;

	if (running < 0)
		return CORE_EV_FAILED;
	if (running && !op->force) {
		brig_err_set(e, 0, "%s: destroy: the jail is running; stop it first (brig stop %s) or use -f",
			     x->name, x->name);
		return CORE_EV_FAILED;
	}
	if (running && jail_stop_locked(x, running, e) == CORE_EV_FAILED)
		return CORE_EV_FAILED;
	return done(store_jail_destroy(x->name, e));
}

static enum core_event rollback_locked(struct jctx *x, int running, struct brig_err *e)
{
	const struct storeop *op = x->arg;

	if (running < 0)
		return CORE_EV_FAILED;
	if (running) {
		brig_err_set(e, 0, "%s: rollback: the jail is running; stop it first (brig stop %s)",
			     x->name, x->name);
		return CORE_EV_FAILED;
	}
	return done(store_rollback(x->name, op->snap, op->progress, e));
}

static enum core_event export_locked(struct jctx *x, int running, struct brig_err *e)
{
	struct store_export *ex = ((const struct storeop *)x->arg)->export;

	if (running < 0)
		return CORE_EV_FAILED;
	if (running && !ex->live) {
		brig_err_set(e, 0, "%s: export: the jail is running; stop it first, or use --live "
			     "(its files are then read while it writes them)", x->name);
		return CORE_EV_FAILED;
	}
	ex->live = running;
	return done(store_export(ex, e));
}

/* A snapshot of a running jail is taken as it runs; never of one
 * starting or stopping. */
static enum core_event snapshot_locked(struct jctx *x, int running, struct brig_err *e)
{
	const struct storeop *op = x->arg;

	if (running < 0)
		return CORE_EV_FAILED;
	return done(store_snapshot_create(x->name, op->snap, op->snap_out, op->progress, e));
}

/* Run op on jail name: 0, or -1 with e set. */
static int run(const struct jail_set *set, const char *name, const struct jail_op *op,
	       struct storeop *arg, struct brig_err *e)
{
	const struct sink s = { .fd = -1 };
	struct jctx x = { .set = set, .def = set ? jail_set_find(set, name) : NULL, .name = name,
			  .sink = &s, .arg = arg };

	*e = (struct brig_err){ 0 };
	return jail_frame(&x, op, e) == CORE_EV_FAILED ? -1 : 0;
}

int core_destroy(const struct jail_set *c, const char *name, bool force, struct brig_err *e)
{
	static const struct jail_op op = { "destroy", destroy_locked, NULL };
	struct storeop arg = { .force = force };

	return run(c, name, &op, &arg, e);
}

int core_rollback(const char *name, const char *snap, const struct store_progress *p,
		  struct brig_err *e)
{
	static const struct jail_op op = { "rollback", rollback_locked, NULL };
	struct storeop arg = { .snap = snap, .progress = p };

	return run(NULL, name, &op, &arg, e);
}

int core_export(struct store_export *ex, struct brig_err *e)
{
	static const struct jail_op op = { "export", export_locked, NULL };
	struct storeop arg = { .export = ex };

	return run(NULL, ex->jail, &op, &arg, e);
}

int core_snapshot(const char *name, const char *snap, char **name_out, const struct store_progress *p,
		  struct brig_err *e)
{
	static const struct jail_op op = { "snapshot", snapshot_locked, NULL };
	struct storeop arg = { .snap = snap, .snap_out = name_out, .progress = p };

	return run(NULL, name, &op, &arg, e);
}
