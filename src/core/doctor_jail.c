/* brig doctor JAIL: its network, hop by hop (core/doctor.h). */
#include "core/doctor.h"

int doctor_jail(const struct jail_set *s, const char *name, const struct dr_opts *o,
		struct dr_report *r, struct brig_err *e)
{
	const struct jail_def *d = jail_set_find(s, name);

	if (!d)
		return brig_err_set(e, 0, "%s: no such jail", name);
	return doctor_services(s, d, o, r, e);
}
