/* rtnetlink: the socket, one request and its ack, errors. */
#include "sys/netlink.h"
#include "sys/nsrun.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

/* Dumps arrive in large multipart messages: read them whole. */
#define NL_RECV_SIZE 32768

int nl_open(struct nl *nl, struct brig_err *e)
{
	return nl_open_proto(nl, NETLINK_ROUTE, e);
}

int nl_open_proto(struct nl *nl, int proto, struct brig_err *e)
{
	int one = 1;

	nl->sock = mnl_socket_open2(proto, SOCK_CLOEXEC);
	if (!nl->sock)
		return brig_err_set(e, errno, "opening netlink socket (protocol %d)", proto);
	/* Extended acks carry the kernel's own explanation of an error;
	 * capped acks keep our request out of the reply. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return brig_err_set(e, err, "binding netlink socket (protocol %d)", proto);
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return 0;
}

/* A socket stays in the namespace it was made in. */
static int open_here(void *nl, struct brig_err *e)
{
	return nl_open(nl, e);
}

int nl_open_netns(struct nl *nl, int nsfd, struct brig_err *e)
{
	return ns_run(nsfd, CLONE_NEWNET, "the jail's network namespace", open_here, nl, e);
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *nl_msg(char *buf, int type, int flags)
{
	struct nlmsghdr *m = mnl_nlmsg_put_header(buf);

	m->nlmsg_type = (uint16_t)type;
	m->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	return m;
}

struct req_ctx {
	nl_reply_fn fn;
	void *data;
	char ext[256];		/* the kernel's extended ack message */
};

/* NLMSG_ERROR: an ack (error 0) ends the request; an error sets errno and
 * keeps the kernel's text, if it sent one. */
static int on_error(const struct nlmsghdr *m, void *data)
{
	struct req_ctx *c = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(m);
	const struct nlattr *attr;
	size_t off;

	if (m->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (err->error == 0)
		return MNL_CB_STOP;
	if (m->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*err);
		if (!(m->nlmsg_flags & NLM_F_CAPPED))
			off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_for_each(attr, m, off) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(c->ext, sizeof(c->ext), "%s", mnl_attr_get_str(attr));
		}
	}
	errno = -err->error;
	return MNL_CB_ERROR;
}

/* NLMSG_DONE: the end of a dump. */
static int on_done(const struct nlmsghdr *m, void *data)
{
	(void)m;
	(void)data;
	return MNL_CB_STOP;
}

/* NLMSG_OVERRUN: messages were lost. */
static int on_overrun(const struct nlmsghdr *m, void *data)
{
	(void)m;
	(void)data;
	errno = ENOSPC;
	return MNL_CB_ERROR;
}

/* A data message: hand it to the caller's function. */
static int on_data(const struct nlmsghdr *m, void *data)
{
	struct req_ctx *c = data;

	if (!c->fn)
		return MNL_CB_OK;
	return c->fn(m, c->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* Send m, read replies until the ack or NLMSG_DONE; errno on failure. */
static int talk(struct nl *nl, struct nlmsghdr *m, struct req_ctx *c)
{
	/* With a table, libmnl applies no defaults: every control type that
	 * matters is handled here (NLMSG_NOOP is skipped). */
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = on_error,
		[NLMSG_DONE] = on_done,
		[NLMSG_OVERRUN] = on_overrun,
	};
	char buf[NL_RECV_SIZE];
	unsigned int seq = ++nl->seq;
	ssize_t n;
	int rc;

	m->nlmsg_seq = seq;
	/* NLM_F_DUMP is two bits, one of them shared with NLM_F_EXCL. */
	if ((m->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		m->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, m, m->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -1;
		rc = mnl_cb_run2(buf, (size_t)n, seq, nl->portid, on_data, c, ctl,
				 NLMSG_MIN_TYPE);
	} while (rc == MNL_CB_OK);
	return rc == MNL_CB_STOP ? 0 : -1;
}

int nl_request(struct nl *nl, struct nlmsghdr *m, nl_reply_fn fn, void *data,
	       struct brig_err *e, const char *what_fmt, ...)
{
	struct req_ctx c = { .fn = fn, .data = data };
	char what[512];
	va_list ap;
	int err;

	if (talk(nl, m, &c) == 0)
		return 0;
	err = errno;
	va_start(ap, what_fmt);
	vsnprintf(what, sizeof(what), what_fmt, ap);
	va_end(ap);
	if (c.ext[0])
		brig_err_set(e, 0, "%s: %s (kernel: %s)", what, strerror(err), c.ext);
	else
		brig_err_set(e, 0, "%s: %s", what, strerror(err));
	if (e)
		e->errnum = err;
	return -1;
}
