/* The probe of the shared-IP tests (net_shared.sh, net_shared_saddrsel.sh,
 * net_rdr_shared.sh):
 * socket calls the busybox tools cannot make (a source address, UDP to any
 * port, a raw socket, a UDP server and its client: Debian's busybox nc has
 * no UDP). Exit 0 if the call succeeded. Built static, run in the jail
 * (and, the UDP client, on the host and the LAN peer). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* "ADDR" and a port into sa; its length. */
static socklen_t addr(const char *a, int port, struct sockaddr_storage *sa)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	}
	fprintf(stderr, "%s: not an address\n", a);
	exit(2);
}

/* The text of the address in sa. */
static const char *ntop(const struct sockaddr_storage *sa, char *buf, socklen_t len)
{
	const void *a = sa->ss_family == AF_INET ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
						 : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;

	return inet_ntop(sa->ss_family, a, buf, len) ? buf : "?";
}

/* udpecho ADDR PORT: a UDP server as a DNS server is one (unconnected,
 * replying by sendto to whoever asked): "ready" once bound, then answers
 * each datagram with "udp-ok from ADDR" (the asker as it sees it). */
static int udpecho(const char *a, int port)
{
	struct sockaddr_storage sa, peer;
	socklen_t sl = addr(a, port, &sa), pl;
	char buf[512], from[64];
	int fd = socket(sa.ss_family, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sl) < 0)
		return perror("udpecho: bind"), 1;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		pl = sizeof(peer);
		if (recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &pl) < 0)
			return perror("udpecho: recvfrom"), 1;
		snprintf(buf, sizeof(buf), "udp-ok from %s", ntop(&peer, from, sizeof(from)));
		if (sendto(fd, buf, strlen(buf), 0, (struct sockaddr *)&peer, pl) < 0)
			perror("udpecho: sendto");
	}
}

/* udpask DST PORT: one question to a udpecho, asked up to 3 times (2 s
 * each), on a connected socket as a resolver asks (an answer counts only
 * from DST PORT); prints the answer, exit 1 without one. */
static int udpask(const char *a, int port)
{
	struct sockaddr_storage sa;
	socklen_t sl = addr(a, port, &sa);
	struct timeval tv = { .tv_sec = 2 };
	char buf[512];
	int fd = socket(sa.ss_family, SOCK_DGRAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sl) < 0)
		return perror("udpask"), 1;
	for (int i = 0; i < 3; i++) {
		ssize_t n;

		if (send(fd, "?", 1, 0) < 0)
			return perror("udpask: send"), 1;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n >= 0) {
			buf[n] = 0;
			printf("%s\n", buf);
			return 0;
		}
	}
	fprintf(stderr, "udpask: no answer from %s port %d\n", a, port);
	return 1;
}

/* probe udp|tcp SRC|- DST PORT; probe bind ADDR PORT; probe raw;
 * probe udpecho ADDR PORT; probe udpask DST PORT */
int main(int argc, char **argv)
{
	struct sockaddr_storage src, dst;
	socklen_t sl, dl;
	int fd;

	if (argc == 4 && !strcmp(argv[1], "udpecho"))
		return udpecho(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "udpask"))
		return udpask(argv[2], atoi(argv[3]));

	/* raw SRC DST PORT: a UDP datagram with its IPv4 header written here */
	if (argc == 5 && !strcmp(argv[1], "raw")) {
		unsigned char pkt[29] = { 0x45, 0, 0, 29, 0, 0, 0, 0, 64, IPPROTO_UDP };
		struct sockaddr_storage d;

		addr(argv[2], 0, &src);
		dl = addr(argv[3], atoi(argv[4]), &d);
		memcpy(pkt + 12, &((struct sockaddr_in *)&src)->sin_addr, 4);
		memcpy(pkt + 16, &((struct sockaddr_in *)&d)->sin_addr, 4);
		pkt[20] = 0x30, pkt[21] = 0x39;	/* source port 12345 */
		memcpy(pkt + 22, &((struct sockaddr_in *)&d)->sin_port, 2);
		pkt[25] = 9;	/* UDP length; no checksum */
		pkt[28] = 'x';
		fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
		if (fd < 0 || sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&d, dl) < 0)
			return perror("raw"), 1;
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "raw")) {
		if (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) < 0)
			return perror("raw socket"), 1;
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "bind")) {
		sl = addr(argv[2], atoi(argv[3]), &src);
		fd = socket(src.ss_family, SOCK_STREAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&src, sl) < 0)
			return perror("bind"), 1;
		return 0;
	}
	if (argc != 5)
		return 2;
	dl = addr(argv[3], atoi(argv[4]), &dst);
	fd = socket(dst.ss_family, !strcmp(argv[1], "udp") ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		return perror("socket"), 1;
	if (strcmp(argv[2], "-") && (sl = addr(argv[2], 0, &src)) &&
	    bind(fd, (struct sockaddr *)&src, sl) < 0)
		return perror("bind"), 1;
	if (!strcmp(argv[1], "udp")) {
		if (sendto(fd, "x", 1, 0, (struct sockaddr *)&dst, dl) < 0)
			return perror("sendto"), 1;
	} else if (connect(fd, (struct sockaddr *)&dst, dl) < 0) {
		return perror("connect"), 1;
	}
	return 0;
}
