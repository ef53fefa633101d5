/* A bridge port's filter made and removed without libnftables, each as one
 * batch of raw nftables netlink messages. Loading libnftables and having
 * it fetch the ruleset and parse commands cost milliseconds, most of a
 * vnet start and stop. Made: the chain (added, then flushed), its rules
 * (sys/nft_expr.c), the map element jumping to it. Removed: the map
 * element, then the chain; `destroy` (Linux 6.3) ignores what is already
 * gone, so no lookup is needed first. */
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

#include "sys/nft_expr.h"
#include "util/io.h"
#include "util/mem.h"

/* Not in older headers; the kernel's numbers since 6.3. */
#define MSG_DESTROYCHAIN 27
#define MSG_DESTROYSETELEM 30

/* A rule's comment, as nft stores it: user data, one TLV (type 0, the
 * length, the string and its NUL). */
static void put_comment(struct nlmsghdr *m, const char *tag)
{
	size_t len = strlen(tag) + 1;
	uint8_t udata[2 + 256];

	if (len > 255)
		len = 255;
	udata[0] = 0; /* NFTNL_UDATA_RULE_COMMENT */
	udata[1] = (uint8_t)len;
	memcpy(udata + 2, tag, len - 1);
	udata[1 + len] = 0;
	mnl_attr_put(m, NFTA_RULE_USERDATA, 2 + len, udata);
}

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

/* Send batch b (its BEGIN and END included; only its last message,
 * numbered last, asks for an ack) on a new socket and wait for that ack.
 * The kernel answers a batch once it is committed or aborted: the errors
 * of its messages in their order, then the last one's ack; a batch it
 * refuses whole, with an error for its BEGIN (numbered first). The first
 * error is the one that counts (an error aborts the whole batch). The
 * errno, 0 on success. leave_open: the socket is left to close when the
 * process exits. */
static int send_batch(struct mnl_nlmsg_batch *b, uint32_t first, uint32_t last, bool leave_open)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	int one = 1, err = 0;
	bool done = false;

	if (!nl)
		return errno;
	/* An error's ack quotes the request's header only. */
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0)
		err = errno;
	while (!err && !done) {
		char rb[8192];
		ssize_t got = RETRY_EINTR(mnl_socket_recvfrom(nl, rb, sizeof(rb)));
		const struct nlmsghdr *r = (const struct nlmsghdr *)rb;
		int left = (int)got;

		if (got < 0) {
			err = errno;
			break;
		}
		for (; mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
			const struct nlmsgerr *ne = mnl_nlmsg_get_payload(r);

			if (r->nlmsg_type != NLMSG_ERROR)
				continue;
			if (ne->error && !err)
				err = -ne->error;
			if (r->nlmsg_seq == last || r->nlmsg_seq == first)
				done = true;
		}
	}
	if (!leave_open)
		mnl_socket_close(nl);
	return err;
}

/* The next message of b, of nftables type type (NFT_MSG_*), for table
 * brig's family. */
static struct nlmsghdr *next_msg(struct mnl_nlmsg_batch *b, int type, uint16_t flags,
				 uint32_t seq)
{
	struct nlmsghdr *m;

	mnl_nlmsg_batch_next(b);
	m = put_msg(mnl_nlmsg_batch_current(b), (NFNL_SUBSYS_NFTABLES << 8) | type, NFPROTO_BRIDGE,
		    seq, false);
	m->nlmsg_flags |= flags;
	return m;
}

/* The end of batch b, after its last message. */
static void end_batch(struct mnl_nlmsg_batch *b, uint32_t seq)
{
	mnl_nlmsg_batch_next(b);
	put_msg(mnl_nlmsg_batch_current(b), NFNL_MSG_BATCH_END, AF_UNSPEC, seq, false);
	mnl_nlmsg_batch_next(b);
}

/* The element of port in map `map`: NFTA_SET_ELEM_LIST_ELEMENTS with its
 * key, and with data (a jump to chain) if chain is set. */
static void put_port_elem(struct nlmsghdr *m, const char *table, const char *map,
			  const char *port, const char *chain)
{
	char key[IFNAMSIZ] = { 0 };
	struct nlattr *list, *elem, *k, *d, *v;

	strncpy(key, port, sizeof(key) - 1);
	mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_TABLE, table);
	mnl_attr_put_strz(m, NFTA_SET_ELEM_LIST_SET, map);
	list = mnl_attr_nest_start(m, NFTA_SET_ELEM_LIST_ELEMENTS);
	elem = mnl_attr_nest_start(m, NFTA_LIST_ELEM);
	k = mnl_attr_nest_start(m, NFTA_SET_ELEM_KEY);
	mnl_attr_put(m, NFTA_DATA_VALUE, sizeof(key), key);
	mnl_attr_nest_end(m, k);
	if (chain) {
		d = mnl_attr_nest_start(m, NFTA_SET_ELEM_DATA);
		v = mnl_attr_nest_start(m, NFTA_DATA_VERDICT);
		mnl_attr_put_u32(m, NFTA_VERDICT_CODE, htonl((uint32_t)NFT_JUMP));
		mnl_attr_put_strz(m, NFTA_VERDICT_CHAIN, chain);
		mnl_attr_nest_end(m, v);
		mnl_attr_nest_end(m, d);
	}
	mnl_attr_nest_end(m, elem);
	mnl_attr_nest_end(m, list);
}

int nft_raw_port_remove(const char *table, const char *map, const char *port, const char *chain,
			bool leave_open, struct brig_err *e)
{
	char buf[1024];
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	uint32_t seq = (uint32_t)time(NULL);
	struct nlmsghdr *m;
	int err;

	put_msg(mnl_nlmsg_batch_current(b), NFNL_MSG_BATCH_BEGIN, AF_UNSPEC, seq, false);
	m = next_msg(b, MSG_DESTROYSETELEM, 0, seq + 1);
	put_port_elem(m, table, map, port, NULL);
	m = next_msg(b, MSG_DESTROYCHAIN, NLM_F_ACK, seq + 2);
	mnl_attr_put_strz(m, NFTA_CHAIN_TABLE, table);
	mnl_attr_put_strz(m, NFTA_CHAIN_NAME, chain);
	end_batch(b, seq + 3);
	err = send_batch(b, seq, seq + 2, leave_open);
	mnl_nlmsg_batch_stop(b);
	if (!err)
		return 0;
	/* A kernel without `destroy` does not know the message. */
	return brig_err_set(e, err, "nftables: removing the filter of bridge port %s", port);
}

/* The rules, one a line, and how long the longest is. */
static size_t count_lines(const char *rules, size_t *longest)
{
	size_t n = 0;

	*longest = 0;
	for (const char *p = rules; *p;) {
		size_t len = strcspn(p, "\n");

		if (len > *longest)
			*longest = len;
		n += len > 0;
		p += len + (p[len] == '\n');
	}
	return n;
}

int nft_raw_port_set(const char *table, const char *map, const char *port, const char *chain,
		     const char *tag, const char *rules, bool leave_open, struct brig_err *e)
{
	size_t longest, nrules = count_lines(rules, &longest);
	size_t size = 1024 + nrules * (256 + strlen(chain) + strlen(tag) + NFT_EXPR_MAX(longest));
	cleanup_free char *buf = xmalloc(size);
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, size);
	uint32_t seq = (uint32_t)time(NULL);
	struct nlmsghdr *m;
	int err, n = 0;

	put_msg(mnl_nlmsg_batch_current(b), NFNL_MSG_BATCH_BEGIN, AF_UNSPEC, seq, false);
	/* `add chain` then `flush chain`: a leftover chain of that port (a
	 * crash) is emptied, not deleted (deleting an object makes the kernel
	 * wait a grace period before this process may close its socket). */
	m = next_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, seq + (uint32_t)++n);
	mnl_attr_put_strz(m, NFTA_CHAIN_TABLE, table);
	mnl_attr_put_strz(m, NFTA_CHAIN_NAME, chain);
	m = next_msg(b, NFT_MSG_DELRULE, 0, seq + (uint32_t)++n);
	mnl_attr_put_strz(m, NFTA_RULE_TABLE, table);
	mnl_attr_put_strz(m, NFTA_RULE_CHAIN, chain);
	for (const char *p = rules; *p;) {
		size_t len = strcspn(p, "\n");

		if (len) {
			m = next_msg(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND,
				     seq + (uint32_t)++n);
			mnl_attr_put_strz(m, NFTA_RULE_TABLE, table);
			mnl_attr_put_strz(m, NFTA_RULE_CHAIN, chain);
			if (nft_expr_rule(m, p, len, e) < 0) {
				mnl_nlmsg_batch_stop(b);
				return -1;
			}
			put_comment(m, tag);
		}
		p += len + (p[len] == '\n');
	}
	/* The element as it is, or already there. */
	m = next_msg(b, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_ACK, seq + (uint32_t)++n);
	put_port_elem(m, table, map, port, chain);
	end_batch(b, seq + (uint32_t)n + 1);
	err = send_batch(b, seq, seq + (uint32_t)n, leave_open);
	mnl_nlmsg_batch_stop(b);
	if (!err)
		return 0;
	return brig_err_set(e, err, "nftables: making the filter of bridge port %s", port);
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
