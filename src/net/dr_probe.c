/* brig doctor's probes: an ICMP echo, a DNS query, a TCP connect, a UDP
 * datagram, made from inside the jail's network namespace (the socket is
 * made there: it stays in it when the thread comes back); and who answers
 * for an address on a bridge (ARP, IPv6 duplicate address detection).
 * Each is one request, bounded by its timeout. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/dr.h"
#include "sys/probe.h"
#include "util/io.h"

/* Milliseconds left until deadline, at least 0. */
static int left(long long deadline)
{
	long long l = deadline - mono_ms();

	return l > 0 ? (int)l : 0;
}

static socklen_t to_sa(const struct nl_addr *a, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		memcpy(&s6->sin6_addr, a->addr, 16);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	memcpy(&s4->sin_addr, a->addr, 4);
	return sizeof(*s4);
}

/* Wait for fd to be readable (events) until deadline: 1, 0 on timeout. */
static int wait_fd(int fd, short events, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	do
		r = poll(&p, 1, left(deadline));
	while (r < 0 && errno == EINTR);
	return r > 0;
}

static uint16_t csum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)(p[len - 1] << 8);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static int ping_once(int nsfd, const struct nl_addr *dst, int timeout_ms, uint16_t seq, char *why,
		     size_t n)
{
	bool v6 = dst->family == AF_INET6;
	int proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	uint16_t id = (uint16_t)(getpid() ^ 0x6272);
	struct sockaddr_storage ss;
	socklen_t sl = to_sa(dst, 0, &ss);
	uint8_t pkt[64] = { 0 }, buf[1500];
	long long deadline = mono_ms() + timeout_ms;
	int fd, rc = 0;

	/* A raw socket: the namespace's ping_group_range need not admit us. */
	fd = probe_socket(nsfd, dst->family, SOCK_RAW, proto, why, n);
	if (fd < 0)
		return -1;
	pkt[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	pkt[4] = (uint8_t)(id >> 8);
	pkt[5] = (uint8_t)id;
	pkt[7] = (uint8_t)seq;
	memcpy(pkt + 8, "brig doctor", 11);
	if (!v6) {
		uint16_t c = csum(pkt, sizeof(pkt));

		pkt[2] = (uint8_t)(c >> 8);
		pkt[3] = (uint8_t)c;
	}
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl) < 0) {
		snprintf(why, n, "cannot send: %s", strerror(errno));
		close(fd);
		return 0;
	}
	snprintf(why, n, "no echo reply in %d ms", timeout_ms);
	while (wait_fd(fd, POLLIN, deadline)) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t got = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		size_t off = 0;

		if (got < 0)
			continue;
		if (!v6)	/* raw IPv4 sockets read the IP header too */
			off = (size_t)(buf[0] & 0xf) * 4;
		if ((size_t)got < off + 8)
			continue;
		if (buf[off] == (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY) &&
		    buf[off + 4] == (uint8_t)(id >> 8) && buf[off + 5] == (uint8_t)id) {
			rc = 1;
			why[0] = '\0';
			break;
		}
		if (buf[off] == (v6 ? ICMP6_DST_UNREACH : ICMP_DEST_UNREACH)) {
			snprintf(why, n, "destination unreachable (ICMP type %d code %d)", buf[off],
				 buf[off + 1]);
			break;
		}
	}
	close(fd);
	return rc;
}

/* What an error of a connected socket means, for messages. */
static void sock_why(int err, int port, char *why, size_t n)
{
	if (err == ECONNREFUSED)
		snprintf(why, n, "refused: nothing listens on port %d there", port);
	else
		snprintf(why, n, "%s", strerror(err));
}

static int dns_once(int nsfd, const struct nl_addr *dst, int timeout_ms, char *why, size_t n)
{
	/* A query for the root's NS records: any answer (even REFUSED)
	 * shows a server there. */
	uint8_t q[17] = { 0x62, 0x64, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1 };
	uint8_t buf[512];
	struct sockaddr_storage ss;
	socklen_t sl = to_sa(dst, 53, &ss);
	long long deadline = mono_ms() + timeout_ms;
	int fd = probe_socket(nsfd, dst->family, SOCK_DGRAM, 0, why, n), rc = 0;

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 || send(fd, q, sizeof(q), 0) < 0) {
		sock_why(errno, 53, why, n);
		close(fd);
		return 0;
	}
	snprintf(why, n, "no answer in %d ms", timeout_ms);
	while (wait_fd(fd, POLLIN, deadline)) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);

		if (got < 0 && errno != EAGAIN) {
			sock_why(errno, 53, why, n);
			break;
		}
		if (got >= 12 && buf[0] == q[0] && buf[1] == q[1] && (buf[2] & 0x80)) {
			rc = 1;
			why[0] = '\0';
			break;
		}
	}
	close(fd);
	return rc;
}

/* A lost packet (a busy host, a neighbour being resolved) is not a
 * broken path: echo and DNS get a second try, each bounded. */
int dr_ping(int nsfd, const struct nl_addr *dst, int timeout_ms, char *why, size_t n)
{
	int r = ping_once(nsfd, dst, timeout_ms, 1, why, n);

	return r == 0 && strstr(why, "no echo reply") ? ping_once(nsfd, dst, timeout_ms, 2, why, n) : r;
}

int dr_dns(int nsfd, const struct nl_addr *dst, int timeout_ms, char *why, size_t n)
{
	int r = dns_once(nsfd, dst, timeout_ms, why, n);

	return r == 0 && strstr(why, "no answer") ? dns_once(nsfd, dst, timeout_ms, why, n) : r;
}

/* TCP and UDP: sys/probe's one mechanism, its outcome in doctor's words. */
static int port_probe(int nsfd, int proto, const struct nl_addr *dst, int port, int timeout_ms,
		      char *why, size_t n)
{
	struct sockaddr_storage ss;
	socklen_t sl = to_sa(dst, port, &ss);
	int err;
	enum probe_res r = probe_sock(nsfd, proto, (struct sockaddr *)&ss, sl, timeout_ms, &err,
				      why, n);

	if (r == PROBE_CANT)
		return -1;
	if (r == PROBE_ANSWERED) {
		why[0] = '\0';
		return 1;
	}
	if (r == PROBE_SILENT)
		snprintf(why, n, "no answer in %d ms (open and silent, or dropped)", timeout_ms);
	else if (err == ETIMEDOUT && proto == IPPROTO_TCP)
		snprintf(why, n, "no answer in %d ms (dropped on the way?)", timeout_ms);
	else
		sock_why(err, port, why, n);
	return 0;
}

int dr_tcp(int nsfd, const struct nl_addr *dst, int port, int timeout_ms, char *why, size_t n)
{
	return port_probe(nsfd, IPPROTO_TCP, dst, port, timeout_ms, why, n);
}

int dr_udp(int nsfd, const struct nl_addr *dst, int port, int timeout_ms, char *why, size_t n)
{
	return port_probe(nsfd, IPPROTO_UDP, dst, port, timeout_ms, why, n);
}

/* ---- who answers for an address on a bridge ---- */

static void arp_request(uint8_t *f, const uint8_t mac[6], const uint8_t *tip)
{
	static const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };

	memset(f, 0xff, 6);
	memcpy(f + 6, mac, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	memcpy(f + 14, hdr, 8);
	memcpy(f + 22, mac, 6);
	memset(f + 28, 0, 10);	/* sender 0.0.0.0 (a probe: no cache learns it) */
	memcpy(f + 38, tip, 4);
}

/* A duplicate address detection neighbour solicitation for target: from
 * ::, to its solicited-node group. Returns its length. */
static size_t ns_request(uint8_t *f, const uint8_t mac[6], const uint8_t *target)
{
	uint8_t *ip = f + 14, *icmp = ip + 40, pseudo[40 + 24];

	memset(f, 0, 14 + 40 + 24);
	f[0] = 0x33;
	f[1] = 0x33;
	f[2] = 0xff;
	memcpy(f + 3, target + 13, 3);
	memcpy(f + 6, mac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	ip[0] = 0x60;
	ip[5] = 24;		/* payload length */
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = 255;
	/* source :: (ip + 8, zero); destination ff02::1:ffXX:XXXX */
	ip[24] = 0xff;
	ip[25] = 0x02;
	ip[35] = 0x01;
	ip[36] = 0xff;
	memcpy(ip + 37, target + 13, 3);
	icmp[0] = ND_NEIGHBOR_SOLICIT;
	memcpy(icmp + 8, target, 16);
	/* The checksum over the pseudo-header: addresses, length, next header. */
	memset(pseudo, 0, sizeof(pseudo));
	memcpy(pseudo, ip + 8, 32);
	pseudo[35] = 24;
	pseudo[39] = IPPROTO_ICMPV6;
	memcpy(pseudo + 40, icmp, 24);
	uint16_t c = csum(pseudo, sizeof(pseudo));

	icmp[2] = (uint8_t)(c >> 8);
	icmp[3] = (uint8_t)c;
	return 14 + 40 + 24;
}

/* Note that mac answered for address i. */
static void seen_mac(uint8_t (*found)[6], size_t *nfound, size_t i, const uint8_t *mac)
{
	for (size_t k = 0; k < nfound[i]; k++)
		if (!memcmp(found[i * 4 + k], mac, 6))
			return;
	if (nfound[i] < 4)
		memcpy(found[i * 4 + nfound[i]++], mac, 6);
}

/* A frame f of len bytes: an ARP reply or a neighbour advertisement for
 * one of t: who answered. */
static void on_frame(const uint8_t *f, size_t len, const struct nl_addr *t, size_t n,
		     uint8_t (*found)[6], size_t *nfound)
{
	if (len >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2) {
		for (size_t i = 0; i < n; i++)
			if (t[i].family == AF_INET && !memcmp(f + 28, t[i].addr, 4))
				seen_mac(found, nfound, i, f + 22);
		return;
	}
	if (len >= 14 + 40 + 24 && f[12] == 0x86 && f[13] == 0xdd && f[14 + 6] == IPPROTO_ICMPV6 &&
	    f[54] == ND_NEIGHBOR_ADVERT) {
		for (size_t i = 0; i < n; i++)
			if (t[i].family == AF_INET6 && !memcmp(f + 54 + 8, t[i].addr, 16))
				seen_mac(found, nfound, i, f + 6);
	}
}

int dr_who_has(int ifindex, const uint8_t mac[6], const struct nl_addr *t, size_t n,
	       int timeout_ms, uint8_t (*found)[6], size_t *nfound, char *why, size_t wn)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	long long deadline;
	uint8_t f[1600];
	int fd;

	for (size_t i = 0; i < n; i++)
		nfound[i] = 0;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		snprintf(why, wn, "packet socket on interface #%d: %s", ifindex, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = 42;

		if (t[i].family == AF_INET)
			arp_request(f, mac, t[i].addr);
		else
			len = ns_request(f, mac, t[i].addr);
		if (send(fd, f, len, 0) < 0) {
			snprintf(why, wn, "sending on interface #%d: %s", ifindex, strerror(errno));
			close(fd);
			return -1;
		}
	}
	deadline = mono_ms() + timeout_ms;
	while (wait_fd(fd, POLLIN, deadline)) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t got = recvfrom(fd, f, sizeof(f), 0, (struct sockaddr *)&from, &fl);

		/* Our own frames come back as PACKET_OUTGOING. */
		if (got > 0 && from.sll_pkttype != PACKET_OUTGOING)
			on_frame(f, (size_t)got, t, n, found, nfound);
	}
	close(fd);
	return 0;
}
