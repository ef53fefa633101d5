/* One bounded probe of a port (sys/probe.h). */
#include "sys/probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* addr:port as a socket address; 0 if addr does not parse. */
static socklen_t sockaddr_of(const char *addr, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		return sizeof(*a4);
	}
	if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		return sizeof(*a6);
	}
	return 0;
}

int probe_port(int proto, const char *addr, int port, int timeout_ms, char *why, size_t whylen)
{
	bool tcp = proto == IPPROTO_TCP;
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	struct pollfd pfd;
	int fd, err = 0, rc;
	socklen_t elen = sizeof(err);

	if (!len) {
		snprintf(why, whylen, "\"%s\" is not an address", addr);
		return -1;
	}
	fd = socket(ss.ss_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(why, whylen, "socket: %s", strerror(errno));
		return -1;
	}
	/* UDP: a connected socket receives the ICMP error of its datagram as
	 * ECONNREFUSED on its next read. */
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
		err = errno;
		goto out;
	}
	if (!tcp && send(fd, "brig doctor\n", 12, 0) < 0) {
		err = errno;
		goto out;
	}
	pfd = (struct pollfd){ .fd = fd, .events = tcp ? POLLOUT : POLLIN };
	do
		rc = poll(&pfd, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc == 0) {
		err = tcp ? ETIMEDOUT : 0;
		goto out;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		err = errno;
out:
	close(fd);
	if (err == ETIMEDOUT)
		snprintf(why, whylen, "no answer in %d ms", timeout_ms);
	else if (err)
		snprintf(why, whylen, "%s", strerror(err));
	else if (tcp)
		snprintf(why, whylen, "connected");
	else
		snprintf(why, whylen, "sent; no refusal in %d ms", timeout_ms);
	return err ? 0 : 1;
}

int probe_uplink_addr(int family, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(family == AF_INET ? "192.0.2.1" : "2001:db8::1", 9, &ss);
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = -1;

	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ss, &(socklen_t){ sizeof(ss) }) == 0 &&
	    inet_ntop(family, family == AF_INET ? (void *)&((struct sockaddr_in *)&ss)->sin_addr :
			      (void *)&((struct sockaddr_in6 *)&ss)->sin6_addr, buf, (socklen_t)size))
		rc = 0;
	close(fd);
	return rc;
}
