/* brig doctor: what brig relies on, checked hop by hop against what the
 * configuration says it should be (issue 17).
 *
 * A check reads the real state (brig's own netlink, nftables, /proc and
 * cgroup code) and never changes anything; a probe (a TCP connect, a UDP
 * probe, an ICMP echo) is bounded in count and time and goes only to an
 * address the configuration names or the user gave. Each check adds one
 * hop to a report, in the order a packet meets them; cli/cmd_doctor.c
 * prints the report (text or --json) and chooses the exit status. */
#ifndef BRIG_CORE_DOCTOR_H
#define BRIG_CORE_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/model.h"
#include "util/err.h"

enum dr_status {
	DR_OK,
	DR_WARN,
	DR_FAIL,
	DR_SKIP,	/* not checked: does not apply, or an earlier hop failed */
};

/* One hop. Strings are owned by the report. */
struct dr_hop {
	const char *section;	/* "host", "jail", "link", "nat", "rdr", "service"... (static) */
	char *name;		/* what was checked: "interface epair0b", "default route"... */
	enum dr_status status;
	char *seen;		/* the value found (NULL: none) */
	char *expected;		/* the value the configuration asks for (NULL: none) */
	char *fix;		/* for a FAIL or WARN: one concrete fix (a brig command,
				 * or the setting to change and where: FILE:LINE) */
};

struct dr_report {
	char *subject;		/* "host", or the jail's name */
	struct dr_hop *v;
	size_t n, cap;
};

/* Add a hop. seen, expected and fix may be NULL; fix is a printf format
 * for the remaining arguments. Never fails (aborts on no memory, as
 * util/mem does). */
void dr_add(struct dr_report *r, const char *section, const char *name, enum dr_status st,
	    const char *seen, const char *expected, const char *fix, ...)
	__attribute__((format(printf, 7, 8)));
void dr_report_free(struct dr_report *r);
/* The worst status of r (DR_SKIP counts as OK). */
enum dr_status dr_worst(const struct dr_report *r);

/* What to check for a jail. */
struct dr_opts {
	const char *to;		/* --to ADDR[:PORT][/tcp|udp], or NULL */
	bool rdr;		/* --rdr */
	long rdr_port;		/* --rdr PORT; 0: every rdr */
	bool verbose;		/* -v: OK hops carry their evidence too */
};

/* brig doctor: the host (core/doctor_host.c). -1 when doctor itself could
 * not run (e is set); else 0, the findings in r. */
int doctor_host(const struct jail_set *s, struct dr_report *r, struct brig_err *e);
/* brig doctor JAIL: its network hop by hop and its services
 * (core/doctor_jail.c; --rdr and services: core/doctor_svc.c). */
int doctor_jail(const struct jail_set *s, const char *name, const struct dr_opts *o,
		struct dr_report *r, struct brig_err *e);
/* brig doctor --all: the names of the running jails (their init alive),
 * by JID, read from their state without reconciling anything;
 * NULL-terminated, caller frees each and the vector. */
char **doctor_running(size_t *n);
/* The services part: every rdr's jail port listened on inside the jail,
 * and with o->rdr each rdr probed from outside, from the host and from
 * a jail (core/doctor_svc.c). Called by doctor_jail. */
int doctor_services(const struct jail_set *s, const struct jail_def *d, const struct dr_opts *o,
		    struct dr_report *r, struct brig_err *e);

#endif
