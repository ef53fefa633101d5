/* The sockets of the calling thread's network namespace, as the kernel's
 * sock_diag netlink reports them (what `ss -lntu` shows, without ss):
 * brig doctor asks, inside a jail's namespace (sys/nsrun), what listens
 * on the port an rdr sends to. Reads only. */
#ifndef BRIG_SYS_SOCKDIAG_H
#define BRIG_SYS_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* One socket: the local address it is bound to. */
struct sd_sock {
	int family;		/* AF_INET, AF_INET6 */
	uint8_t addr[16];	/* the address bound (all zero: any) */
	bool v6only;		/* AF_INET6: IPV6_V6ONLY (no IPv4 through it) */
};

/* Every socket of family listening (proto IPPROTO_TCP) or bound
 * (IPPROTO_UDP) on local port port; *out malloc'ed (NULL when none). */
int sockdiag_bound(int family, int proto, int port, struct sd_sock **out, size_t *n,
		   struct brig_err *e);

#endif
