/* Network sysctls of the caller's network namespace, written through
 * /proc/sys directly (never the sysctl program). Owned by net/. */
#ifndef BRIG_SYS_SYSCTL_NET_H
#define BRIG_SYS_SYSCTL_NET_H

#include <stddef.h>

#include "util/err.h"

/* Turn IPv4 (AF_INET: net.ipv4.ip_forward) or IPv6 (AF_INET6:
 * net.ipv6.conf.all.forwarding) forwarding on; nothing is written when it
 * is on already. */
int sysctl_net_forwarding(int family, struct brig_err *e);

/* net.ipv4.conf.IFNAME.route_localnet: 1 or 0, -1 on error (ifname is a
 * checked interface name). */
int sysctl_net_route_localnet_get(const char *ifname, struct brig_err *e);
/* Turn it on (nothing written when it is on already): packets from
 * 127.0.0.0/8 may leave through ifname, and packets for 127.0.0.0/8 that
 * arrive on it are routed as local (the caller drops those first). */
int sysctl_net_route_localnet_on(const char *ifname, struct brig_err *e);

/* Read /proc/sys/net/REL (a path below it, "ipv4/ip_forward"): its first
 * line, without the newline, in buf. 0, or -1 with errno (ENOENT: no such
 * setting here, e.g. br_netfilter not loaded). */
int sysctl_net_read(const char *rel, char *buf, size_t size);

#endif
