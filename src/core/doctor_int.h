/* brig doctor's host checks, the parts in files of their own. */
#ifndef BRIG_CORE_DOCTOR_INT_H
#define BRIG_CORE_DOCTOR_INT_H

#include "core/doctor.h"

/* brig's run directory: states left by interrupted commands, locks, and
 * the objects no jail owns (core/doctor_stale.c). */
void doctor_stale(const struct jail_set *s, struct dr_report *r);
/* Every jail's configuration, its network's included (core/doctor_stale.c). */
void doctor_config(const struct jail_set *s, struct dr_report *r);
/* brig doctor JAIL's exec.fib: the program that marks the jail's
 * sockets, its rule of each family in the namespace they live in, and
 * its table's default route (core/doctor_fib.c). Nothing without
 * exec.fib. */
struct jstate;
void doctor_fib(const struct jail_def *d, const struct jstate *st, struct dr_report *r);
/* A small file of the kernel's (/proc, /sys) whole into *out; 0 or -1. */
int read_small_file(const char *path, char **out);

#endif
