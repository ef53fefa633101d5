/* brig doctor: the host (core/doctor.h). */
#include "core/doctor.h"

int doctor_host(const struct jail_set *s, struct dr_report *r, struct brig_err *e)
{
	(void)s;
	(void)r;
	return brig_err_set(e, 0, "doctor: host checks: not yet");
}
