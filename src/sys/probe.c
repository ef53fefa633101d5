/* One bounded probe of a port, from a network namespace (sys/probe.h). */
#include "sys/probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sys/nsrun.h"

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

struct mk {
	int domain, type, proto;
	int fd;
};

static int mk_here(void *arg, struct brig_err *e)
{
	struct mk *k = arg;

	k->fd = socket(k->domain, k->type | SOCK_CLOEXEC | SOCK_NONBLOCK, k->proto);
	return k->fd < 0 ? brig_err_set(e, errno, "socket") : 0;
}

int probe_socket(int nsfd, int domain, int type, int proto, char *why, size_t whylen)
{
	struct mk k = { domain, type, proto, -1 };
	struct brig_err e = { 0 };

	if ((nsfd < 0 ? mk_here(&k, &e)
		      : ns_run(nsfd, CLONE_NEWNET, "the jail's network namespace", mk_here, &k, &e)) < 0) {
		snprintf(why, whylen, "%s", e.msg);
		return -1;
	}
	return k.fd;
}

enum probe_res probe_sock(int nsfd, int proto, const struct sockaddr *sa, socklen_t len,
			  int timeout_ms, int *err, char *why, size_t whylen)
{
	bool tcp = proto == IPPROTO_TCP;
	int fd = probe_socket(nsfd, sa->sa_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0, why, whylen);
	struct pollfd pfd;
	enum probe_res res = PROBE_NO;
	int rc;
	socklen_t elen = sizeof(*err);
	char buf[512];

	*err = 0;
	if (fd < 0)
		return PROBE_CANT;
	/* UDP: a connected socket receives the ICMP error of its datagram as
	 * ECONNREFUSED on its next read. */
	if (connect(fd, sa, len) < 0 && errno != EINPROGRESS) {
		*err = errno;
		goto out;
	}
	if (!tcp && send(fd, "", 0, 0) < 0) {
		*err = errno;
		goto out;
	}
	pfd = (struct pollfd){ .fd = fd, .events = tcp ? POLLOUT : POLLIN };
	do
		rc = poll(&pfd, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	if (rc == 0) {
		if (tcp)
			*err = ETIMEDOUT;
		else
			res = PROBE_SILENT;
	} else if (rc < 0) {
		*err = errno;
	} else if (tcp) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, err, &elen) < 0)
			*err = errno;
		if (!*err)
			res = PROBE_ANSWERED;
	} else if (recv(fd, buf, sizeof(buf), 0) < 0) {
		*err = errno;
	} else {
		res = PROBE_ANSWERED;
	}
out:
	close(fd);
	return res;
}

int probe_port(int proto, const char *addr, int port, int timeout_ms, char *why, size_t whylen)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	enum probe_res r;
	int err;

	if (!len) {
		snprintf(why, whylen, "\"%s\" is not an address", addr);
		return -1;
	}
	r = probe_sock(-1, proto, (struct sockaddr *)&ss, len, timeout_ms, &err, why, whylen);
	if (r == PROBE_CANT)
		return -1;
	if (err == ETIMEDOUT)
		snprintf(why, whylen, "no answer in %d ms", timeout_ms);
	else if (err)
		snprintf(why, whylen, "%s", strerror(err));
	else if (r == PROBE_SILENT)
		snprintf(why, whylen, "sent; no refusal in %d ms", timeout_ms);
	else
		snprintf(why, whylen, proto == IPPROTO_TCP ? "connected" : "answered");
	return r == PROBE_NO ? 0 : 1;
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
