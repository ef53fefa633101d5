/* Network sysctls of the caller's network namespace, written through
 * /proc/sys directly (never the sysctl program). Owned by net/. */
#ifndef BRIG_SYS_SYSCTL_NET_H
#define BRIG_SYS_SYSCTL_NET_H

#include "util/err.h"

/* Turn IPv4 (AF_INET: net.ipv4.ip_forward) or IPv6 (AF_INET6:
 * net.ipv6.conf.all.forwarding) forwarding on; nothing is written when it
 * is on already. */
int sysctl_net_forwarding(int family, struct brig_err *e);

#endif
