/* A jail's model as its state records it: written once at start, read
 * back by stop, exec, reload and reconciliation, which need the jail as
 * it started (its configuration may have changed since, or no longer
 * load). The state holds the model itself (core/state.h: "jail"). */
#include "core/jail.h"

void jail_record(struct jstate *st, const struct jail_def *d)
{
	jail_def_free(st->def);
	st->def = jail_def_copy(d);
}

const struct jail_def *jail_recorded_def(const struct jstate *st)
{
	return st->def;
}
