/* A running jail's usage (core/usage.h). */
#include "core/usage.h"

int core_usage(const struct core_jail *j, struct jail_usage *u, struct brig_err *e)
{
	(void)u;
	return brig_err_set(e, 0, "%s: usage: not yet", j->name);
}
