/* A bridge port's filter removed without libnftables: two nftables
 * netlink messages (the map element, then the chain) in one batch. Loading
 * libnftables and having it parse commands costs milliseconds, most of a
 * stop; `destroy` (Linux 6.3) ignores what is already gone, so no lookup
 * is needed first. */
#include "sys/nft_raw.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <net/if.h>
#include <string.h>
#include <time.h>

#include "util/io.h"

/* Not in older headers; the kernel's numbers since 6.3. */
#define MSG_DESTROYCHAIN 27
#define MSG_DESTROYSETELEM 30

static struct nlmsghdr *put_msg(char *at, int type, int family, uint32_t seq, bool ack)
{
	struct nlmsghdr *m = mnl_nlmsg_put_header(at);
	struct nfgenmsg *g;

	m->nlmsg_type = (uint16_t)type;
	m->nlmsg_flags = NLM_F_REQUEST | (ack ? NLM_F_ACK : 0);
	m->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(m, sizeof(*g));
	g->nfgen_family = (uint8_t)family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(family == AF_UNSPEC ? NFNL_SUBSYS_NFTABLES : 0);
	return m;
}

int nft_raw_port_remove(const char *table, const char *map, const char *port, const char *chain,
			bool leave_open, struct brig_err *e)
{
	char buf[1024], key[IFNAMSIZ] = { 0 };
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	uint32_t seq = (uint32_t)time(NULL);
	struct nlattr *list, *elem, *k;
	struct nlmsghdr *m;
	int acks = 0, err = 0;

	if (!nl) {
		mnl_nlmsg_batch_stop(b);
		return brig_err_set(e, errno, "nftables: opening a netlink socket");
	}
	strncpy(key, port, sizeof(key) - 1);
	put_msg(mnl_nlmsg_batch_current(b), NFNL_MSG_BATCH_BEGIN, AF_UNSPEC, seq, false);
	mnl_nlmsg_batch_next(b);
	m = put_msg(mnl_nlmsg_batch_current(b), (NFNL_SUBSYS_NFTABLES << 8) | MSG_DESTROYSETELEM,
		    NFPROTO_BRIDGE, seq + 1, true);
	mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_TABLE, table);
	mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_SET, map);
	list = mnl_attr_nest_start(m, NFTA_SET_ELEM_LIST_ELEMENTS);
	elem = mnl_attr_nest_start(m, NFTA_LIST_ELEM);
	k = mnl_attr_nest_start(m, NFTA_SET_ELEM_KEY);
	mnl_attr_put(m, NFTA_DATA_VALUE, sizeof(key), key);
	mnl_attr_nest_end(m, k);
	mnl_attr_nest_end(m, elem);
	mnl_attr_nest_end(m, list);
	mnl_nlmsg_batch_next(b);
	m = put_msg(mnl_nlmsg_batch_current(b), (NFNL_SUBSYS_NFTABLES << 8) | MSG_DESTROYCHAIN,
		    NFPROTO_BRIDGE, seq + 2, true);
	mnl_attr_put_strz(m, NFTA_CHAIN_TABLE, table);
	mnl_attr_put_strz(m, NFTA_CHAIN_NAME, chain);
	mnl_nlmsg_batch_next(b);
	put_msg(mnl_nlmsg_batch_current(b), NFNL_MSG_BATCH_END, AF_UNSPEC, seq + 3, false);
	mnl_nlmsg_batch_next(b);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0)
		err = errno;
	/* One ack per message; the first error is the one that counts (an
	 * error aborts the whole batch). */
	while (!err && acks < 2) {
		char rb[8192];
		ssize_t n = RETRY_EINTR(mnl_socket_recvfrom(nl, rb, sizeof(rb)));
		const struct nlmsghdr *r = (const struct nlmsghdr *)rb;
		int left = (int)n;

		if (n < 0) {
			err = errno;
			break;
		}
		for (; mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
			const struct nlmsgerr *ne = mnl_nlmsg_get_payload(r);

			if (r->nlmsg_type != NLMSG_ERROR)
				continue;
			acks++;
			if (ne->error && !err)
				err = -ne->error;
		}
	}
	mnl_nlmsg_batch_stop(b);
	if (!leave_open)
		mnl_socket_close(nl);
	if (!err)
		return 0;
	/* A kernel without `destroy` does not know the message. */
	return brig_err_set(e, err, "nftables: removing the filter of bridge port %s", port);
}

int nft_raw_table_exists(int family, const char *table)
{
	char buf[256];
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	uint32_t seq = (uint32_t)time(NULL);
	struct nlmsghdr *m = put_msg(buf, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE, family,
				     seq, true);
	int r = -1;

	if (!nl)
		return -1;
	mnl_attr_put_strz(m, NFTA_TABLE_NAME, table);
	if (mnl_socket_sendto(nl, m, m->nlmsg_len) < 0)
		goto out;
	/* The table (NEWTABLE), then an ack; or an error alone. */
	while (r < 0) {
		char rb[8192];
		ssize_t n = RETRY_EINTR(mnl_socket_recvfrom(nl, rb, sizeof(rb)));
		const struct nlmsghdr *h = (const struct nlmsghdr *)rb;
		int left = (int)n;

		if (n <= 0)
			break;
		for (; r < 0 && mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			const struct nlmsgerr *ne = mnl_nlmsg_get_payload(h);

			if (h->nlmsg_type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE))
				r = 1;
			else if (h->nlmsg_type == NLMSG_ERROR && ne->error == -ENOENT)
				r = 0;
			else if (h->nlmsg_type == NLMSG_ERROR && ne->error)
				goto out;
		}
	}
out:
	mnl_socket_close(nl);
	return r;
}
