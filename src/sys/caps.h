/* The capabilities a jail's processes may ever hold. */
#ifndef BRIG_SYS_CAPS_H
#define BRIG_SYS_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

/* What a jail's allow.* parameters grant beyond the default. */
struct jail_allow {
	bool raw_sockets;	/* CAP_NET_RAW */
	bool mlock;		/* CAP_IPC_LOCK */
	bool settime;		/* CAP_SYS_TIME (and the clock system calls) */
	bool chflags;		/* CAP_LINUX_IMMUTABLE (allow.chflags) */
	bool no_low_ports;	/* without CAP_NET_BIND_SERVICE
				 * (allow.reserved_ports = false) */
	bool no_suser;		/* no capability at all (allow.suser = false) */
	bool userns;		/* CAP_SYS_ADMIN and CAP_NET_ADMIN, which in a
				 * user namespace reach only the jail's own
				 * namespaces (its mounts, hostname, network).
				 * Never CAP_NET_ADMIN otherwise: of the host's
				 * user namespace, it reaches every network
				 * namespace the jail can name, the host's
				 * included (the id a veth's peer gives it in
				 * the jail's: IFLA_TARGET_NETNSID) */
};

/* The jail's bounding set as a bit mask (bit N = capability N): Docker's
 * default set without CAP_MKNOD (FreeBSD jails cannot make device nodes;
 * and a node of a host disk would bypass every other wall) and without
 * CAP_NET_RAW, plus what a grants. */
uint64_t caps_jail_set(const struct jail_allow *a);
/* True if set holds capability cap. */
bool caps_has(uint64_t set, int cap);
/* Drop every capability outside keep from the bounding set; clear the
 * inheritable and ambient sets. */
int caps_limit(uint64_t keep, struct brig_err *e);

#endif
