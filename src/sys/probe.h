/* Bounded reachability probes, from the calling thread's network
 * namespace: one TCP connect, or one UDP datagram and a wait for the
 * ICMP port-unreachable that says nothing is bound there. */
#ifndef BRIG_SYS_PROBE_H
#define BRIG_SYS_PROBE_H

#include <stddef.h>

/* Probe addr (numeric, IPv4 or IPv6) port port over proto (IPPROTO_TCP,
 * IPPROTO_UDP), waiting at most timeout_ms. 1: reached (TCP: connected,
 * and closed at once; UDP: no refusal came back in time, which is all a
 * datagram can say); 0: not, why says how ("connection refused", "no
 * answer in 1000 ms"); -1: addr does not parse or no socket (why says). */
int probe_port(int proto, const char *addr, int port, int timeout_ms, char *why, size_t whylen);

/* The address this host sends from to the outside in family (the
 * default route's source), into buf: a route lookup by connecting a UDP
 * socket to a documentation address (192.0.2.1, 2001:db8::1), which sends
 * nothing. 0, or -1 when there is no such route. */
int probe_uplink_addr(int family, char *buf, size_t size);

#endif
