/* sock_diag: a dump of the inet sockets of one family and protocol,
 * filtered here by local port (sys/sockdiag.h). */
#include "sys/sockdiag.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "sys/netlink.h"
#include "util/mem.h"

/* TCP_LISTEN in the kernel's numbering (include/net/tcp_states.h). */
#define SD_TCP_LISTEN 10

struct dump {
	int port;
	struct sd_sock *v;
	size_t n, cap;
};

/* One socket of the dump: kept when its local port is the one asked. */
static int on_sock(const struct nlmsghdr *m, void *data)
{
	struct dump *d = data;
	const struct inet_diag_msg *msg = mnl_nlmsg_get_payload(m);
	const struct nlattr *a;
	struct sd_sock *s;

	if (m->nlmsg_type != SOCK_DIAG_BY_FAMILY || m->nlmsg_len < mnl_nlmsg_size(sizeof(*msg)) ||
	    ntohs(msg->id.idiag_sport) != d->port)
		return 0;
	d->v = xgrow(d->v, &d->cap, d->n, sizeof(*d->v));
	s = &d->v[d->n++];
	memset(s, 0, sizeof(*s));
	s->family = msg->idiag_family;
	memcpy(s->addr, msg->id.idiag_src, s->family == AF_INET ? 4 : 16);
	mnl_attr_for_each(a, m, sizeof(*msg)) {
		if (mnl_attr_get_type(a) == INET_DIAG_SKV6ONLY &&
		    mnl_attr_get_payload_len(a) >= 1)
			s->v6only = *(const uint8_t *)mnl_attr_get_payload(a) != 0;
	}
	return 0;
}

int sockdiag_bound(int family, int proto, int port, struct sd_sock **out, size_t *n,
		   struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
	struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(m, sizeof(*req));
	struct dump d = { .port = port };
	struct nl nl;
	int rc;

	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = (uint8_t)proto;
	/* TCP: listening sockets only; UDP: every bound one, connected or not. */
	req->idiag_states = proto == IPPROTO_TCP ? 1u << SD_TCP_LISTEN : ~0u;
	if (nl_open_proto(&nl, NETLINK_SOCK_DIAG, e) < 0)
		return -1;
	rc = nl_request(&nl, m, on_sock, &d, e, "listing %s sockets of port %d",
			proto == IPPROTO_TCP ? "tcp" : "udp", port);
	nl_close(&nl);
	if (rc < 0) {
		free(d.v);
		return -1;
	}
	*out = d.v;
	*n = d.n;
	return 0;
}
