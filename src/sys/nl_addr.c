/* rtnetlink: addresses and routes. */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "sys/netlink.h"
#include "util/mem.h"

/* Bytes of an address of this family. */
static size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* "10.0.0.1/24" (or "10.0.0.1" without the length) for messages. */
static const char *addr_str(const struct nl_addr *a, bool with_len, char *buf, size_t size)
{
	char ip[INET6_ADDRSTRLEN];

	inet_ntop(a->family, a->addr, ip, sizeof(ip));
	if (with_len)
		snprintf(buf, size, "%s/%d", ip, a->plen);
	else
		snprintf(buf, size, "%s", ip);
	return buf;
}

/* An RTM_NEWADDR or RTM_DELADDR request for a on ifindex, in buf. */
static struct nlmsghdr *addr_msg(char *buf, int type, int flags, int ifindex,
				 const struct nl_addr *a)
{
	struct nlmsghdr *m = nl_msg(buf, type, flags);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(m, sizeof(*ifa));
	uint32_t fl = a->family == AF_INET6 ? IFA_F_NODAD : 0;

	ifa->ifa_family = (uint8_t)a->family;
	ifa->ifa_prefixlen = (uint8_t)a->plen;
	ifa->ifa_flags = (uint8_t)fl;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(m, IFA_LOCAL, addr_len(a->family), a->addr);
	mnl_attr_put(m, IFA_ADDRESS, addr_len(a->family), a->addr);
	mnl_attr_put_u32(m, IFA_FLAGS, fl);
	return m;
}

int nl_addr_add(struct nl *nl, int ifindex, const struct nl_addr *a, struct brig_err *e)
{
	char buf[NL_BUF_SIZE], text[64];
	struct nlmsghdr *m = addr_msg(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex, a);
	struct brig_err sub;

	if (nl_request(nl, m, NULL, NULL, &sub, "adding address %s to interface #%d",
		       addr_str(a, true, text, sizeof(text)), ifindex) == 0)
		return 0;
	if (sub.errnum == EEXIST)
		return 0;
	if (e)
		*e = sub;
	return -1;
}

int nl_addr_del(struct nl *nl, int ifindex, const struct nl_addr *a, struct brig_err *e)
{
	char buf[NL_BUF_SIZE], text[64];
	struct nlmsghdr *m = addr_msg(buf, RTM_DELADDR, 0, ifindex, a);
	struct brig_err sub;

	if (nl_request(nl, m, NULL, NULL, &sub, "removing address %s from interface #%d",
		       addr_str(a, true, text, sizeof(text)), ifindex) == 0)
		return 0;
	/* Not there (any more), or its interface is gone. */
	if (sub.errnum == EADDRNOTAVAIL || sub.errnum == ENODEV || sub.errnum == ENOENT)
		return 0;
	if (e)
		*e = sub;
	return -1;
}

struct addr_list {
	int ifindex;
	struct nl_addr *v;
	int *idx;
	size_t n, cap, icap;
};

/* Store the attributes we know into tb, by type. */
static int keep_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= IFA_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* One address of a dump, kept if it is on the link asked for. */
static int on_addr(const struct nlmsghdr *m, void *data)
{
	struct addr_list *l = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(m);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct nlattr *a;
	struct nl_addr *out;

	if (m->nlmsg_type != RTM_NEWADDR)
		return 0;
	if (l->ifindex && (int)ifa->ifa_index != l->ifindex)
		return 0;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	mnl_attr_parse(m, sizeof(*ifa), keep_attr, tb);
	/* IFA_LOCAL is the interface's own address (IFA_ADDRESS is the peer's
	 * on point-to-point links); IPv6 sends only IFA_ADDRESS. */
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) != addr_len(ifa->ifa_family))
		return 0;
	l->v = xgrow(l->v, &l->cap, l->n, sizeof(*l->v));
	l->idx = xgrow(l->idx, &l->icap, l->n, sizeof(*l->idx));
	out = &l->v[l->n];
	memset(out, 0, sizeof(*out));
	out->family = ifa->ifa_family;
	out->plen = ifa->ifa_prefixlen;
	memcpy(out->addr, mnl_attr_get_payload(a), addr_len(ifa->ifa_family));
	l->idx[l->n++] = (int)ifa->ifa_index;
	return 0;
}

int nl_addr_list(struct nl *nl, int ifindex, struct nl_addr **out, int **ifindexes,
		 size_t *n, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(m, sizeof(*ifa));
	struct addr_list l = { .ifindex = ifindex };

	ifa->ifa_family = AF_UNSPEC;
	if (nl_request(nl, m, on_addr, &l, e, "listing addresses") < 0) {
		free(l.v);
		free(l.idx);
		return -1;
	}
	*out = l.v;
	if (ifindexes)
		*ifindexes = l.idx;
	else
		free(l.idx);
	*n = l.n;
	return 0;
}

int nl_route_add(struct nl *nl, const struct nl_addr *dst, const struct nl_addr *gw, int oif,
		 struct brig_err *e)
{
	char buf[NL_BUF_SIZE], dtext[64], gtext[64];
	struct nlmsghdr *m = nl_msg(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rt = mnl_nlmsg_put_extra_header(m, sizeof(*rt));
	int family = dst ? dst->family : gw->family;
	struct brig_err sub;

	rt->rtm_family = (uint8_t)family;
	rt->rtm_dst_len = (uint8_t)(dst ? dst->plen : 0);
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_STATIC;
	rt->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rt->rtm_type = RTN_UNICAST;
	if (dst && dst->plen > 0)
		mnl_attr_put(m, RTA_DST, addr_len(family), dst->addr);
	if (gw)
		mnl_attr_put(m, RTA_GATEWAY, addr_len(family), gw->addr);
	if (oif > 0)
		mnl_attr_put_u32(m, RTA_OIF, (uint32_t)oif);
	if (nl_request(nl, m, NULL, NULL, &sub, "adding route to %s via %s",
		       dst ? addr_str(dst, true, dtext, sizeof(dtext)) : "default",
		       gw ? addr_str(gw, false, gtext, sizeof(gtext)) : "link") == 0)
		return 0;
	if (sub.errnum == EEXIST)
		return 0;
	if (e)
		*e = sub;
	return -1;
}
