/* rtnetlink: the traffic counters of a namespace's interfaces. */
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "sys/netlink.h"

/* One link of the dump: its IFLA_STATS64 added to the sum, unless it is
 * a loopback (a jail talking to itself is no traffic in or out). */
static int on_link_stats(const struct nlmsghdr *m, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(m);
	struct nl_link_stats *sum = data;
	const struct nlattr *a;

	if (m->nlmsg_type != RTM_NEWLINK || (ifm->ifi_flags & IFF_LOOPBACK))
		return 0;
	mnl_attr_for_each(a, m, sizeof(*ifm)) {
		struct rtnl_link_stats64 st;

		if (mnl_attr_get_type(a) != IFLA_STATS64 ||
		    mnl_attr_get_payload_len(a) < sizeof(st))
			continue;
		/* Only 4-byte aligned in the message. */
		memcpy(&st, mnl_attr_get_payload(a), sizeof(st));
		sum->rx_bytes += st.rx_bytes;
		sum->tx_bytes += st.tx_bytes;
		sum->rx_packets += st.rx_packets;
		sum->tx_packets += st.tx_packets;
		sum->links++;
	}
	return 0;
}

int nl_link_stats(struct nl *nl, struct nl_link_stats *sum, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_GETLINK, NLM_F_DUMP);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(m, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	memset(sum, 0, sizeof(*sum));
	return nl_request(nl, m, on_link_stats, sum, e, "reading interface counters");
}
