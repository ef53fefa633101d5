/* Bounded reachability probes: one TCP connect, or one UDP datagram and
 * a wait for what comes back (an answer, or the ICMP port-unreachable
 * that says nothing is bound there). The one mechanism of brig doctor's
 * port probes (core/doctor_svc.c's rdr probes, net/dr_probe.c's --to). */
#ifndef BRIG_SYS_PROBE_H
#define BRIG_SYS_PROBE_H

#include <stddef.h>
#include <sys/socket.h>

enum probe_res {
	PROBE_CANT = -1,  /* no socket (why says) */
	PROBE_NO = 0,	  /* not reached: *err says why (ETIMEDOUT: no answer in time) */
	PROBE_ANSWERED,	  /* TCP: connected (and closed at once); UDP: a datagram came back */
	PROBE_SILENT,	  /* UDP only: sent, and neither answer nor refusal in time */
};

/* A socket (SOCK_CLOEXEC | SOCK_NONBLOCK) made in the network namespace
 * nsfd names (a namespace file or a pidfd; -1: the calling thread's): it
 * stays in that namespace. The fd, or -1 with why set. */
int probe_socket(int nsfd, int domain, int type, int proto, char *why, size_t whylen);

/* Probe sa over proto (IPPROTO_TCP, IPPROTO_UDP) from the network
 * namespace nsfd names (as probe_socket), waiting at most
 * timeout_ms. UDP sends an empty datagram. *err: the errno of a
 * PROBE_NO, else 0; why: set for PROBE_CANT only. */
enum probe_res probe_sock(int nsfd, int proto, const struct sockaddr *sa, socklen_t len,
			  int timeout_ms, int *err, char *why, size_t whylen);

/* Probe addr (numeric, IPv4 or IPv6) port port over proto from here,
 * waiting at most timeout_ms. 1: reached (TCP: connected; UDP: no refusal
 * came back in time, which is all a datagram can say); 0: not, why says
 * how ("Connection refused", "no answer in 1000 ms"); -1: addr does not
 * parse or no socket (why says). */
int probe_port(int proto, const char *addr, int port, int timeout_ms, char *why, size_t whylen);

/* The address this host sends from to the outside in family (the
 * default route's source), into buf: a route lookup by connecting a UDP
 * socket to a documentation address (192.0.2.1, 2001:db8::1), which sends
 * nothing. 0, or -1 when there is no such route. */
int probe_uplink_addr(int family, char *buf, size_t size);

#endif
