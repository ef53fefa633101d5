/* brig doctor JAIL's network part (issue 17): a jail's network checked
 * hop by hop against its model and networks.conf, reading the kernel
 * with brig's own netlink and nftables code, probing only from inside the
 * jail's network namespace (or the host's side of its bridge), bounded
 * in count and time, changing nothing. core/doctor_jail.c turns the hops
 * into its report. Owned by net/. */
#ifndef BRIG_NET_DOCTOR_H
#define BRIG_NET_DOCTOR_H

#include <sys/types.h>

#include "conf/model.h"
#include "util/err.h"

enum ndr {
	NDR_OK,
	NDR_WARN,
	NDR_FAIL,
	NDR_SKIP,
};

/* Called once per hop, in the order a packet meets them. */
typedef void (*ndr_hop_fn)(void *arg, const char *section, const char *name, enum ndr st,
			   const char *seen, const char *expected, const char *fix);

struct ndr_jail {
	const struct jail_def *d;	/* the model checked against */
	const struct jail_def *started;	/* the one it started with (its state's),
					 * which brig's rules in place were made
					 * from; NULL: d */
	int jid;			/* names its default interfaces */
	pid_t init_pid;			/* alive: the caller checked */
	const char *to;			/* --to ADDR[:PORT][/tcp|udp], or NULL */
	ndr_hop_fn hop;
	void *arg;
};

/* Every network hop of a running jail: vnet (its namespace, its pair,
 * the bridge, the host's forwarding, routes and firewalls) or shared-IP
 * (its aliases). 0, or -1 when the checks could not run (e set; a
 * malformed --to is one). */
int net_doctor_jail(const struct ndr_jail *j, struct brig_err *e);

#endif
