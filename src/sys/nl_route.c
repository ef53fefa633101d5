/* rtnetlink: reading routes (brig doctor): the routes of a family in the
 * main table or another, and the route the kernel would take to one address. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sys/netlink.h"
#include "util/mem.h"

static size_t alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

struct route_list {
	struct nl_route *v;
	size_t n, cap;
	bool one;		/* nl_route_get: the first reply only */
	uint32_t table;		/* else: the routes of this table */
};

static int keep_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= RTA_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void put_addr(struct nl_addr *a, int family, const struct nlattr *at, int plen)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	a->plen = plen;
	if (at && mnl_attr_get_payload_len(at) == alen(family))
		memcpy(a->addr, mnl_attr_get_payload(at), alen(family));
}

static int on_route(const struct nlmsghdr *m, void *data)
{
	struct route_list *l = data;
	const struct rtmsg *rt = mnl_nlmsg_get_payload(m);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct nl_route *r;
	uint32_t table;

	if (m->nlmsg_type != RTM_NEWROUTE || (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6))
		return 0;
	mnl_attr_parse(m, sizeof(*rt), keep_attr, tb);
	table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rt->rtm_table;
	if (!l->one && table != l->table)
		return 0;
	if (l->one && l->n)
		return 0;
	l->v = xgrow(l->v, &l->cap, l->n, sizeof(*l->v));
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	put_addr(&r->dst, rt->rtm_family, tb[RTA_DST], rt->rtm_dst_len);
	r->has_gw = tb[RTA_GATEWAY] != NULL;
	put_addr(&r->gw, rt->rtm_family, tb[RTA_GATEWAY], alen(rt->rtm_family) * 8);
	r->has_src = tb[RTA_PREFSRC] != NULL;
	put_addr(&r->src, rt->rtm_family, tb[RTA_PREFSRC], alen(rt->rtm_family) * 8);
	r->oif = tb[RTA_OIF] ? (int)mnl_attr_get_u32(tb[RTA_OIF]) : 0;
	r->type = rt->rtm_type;
	r->table = (int)table;
	return 0;
}

int nl_route_list(struct nl *nl, int family, struct nl_route **out, size_t *n, struct brig_err *e)
{
	return nl_route_table(nl, family, RT_TABLE_MAIN, out, n, e);
}

int nl_route_table(struct nl *nl, int family, uint32_t table, struct nl_route **out, size_t *n,
		   struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rt = mnl_nlmsg_put_extra_header(m, sizeof(*rt));
	struct route_list l = { .table = table };

	rt->rtm_family = (uint8_t)family;
	if (nl_request(nl, m, on_route, &l, e, "listing the routes of table %u", table) < 0) {
		free(l.v);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

int nl_route_get(struct nl *nl, const struct nl_addr *dst, struct nl_route *out, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_GETROUTE, 0);
	struct rtmsg *rt = mnl_nlmsg_put_extra_header(m, sizeof(*rt));
	struct route_list l = { .one = true };
	struct brig_err sub = { 0 };

	rt->rtm_family = (uint8_t)dst->family;
	rt->rtm_dst_len = (uint8_t)(alen(dst->family) * 8);
	mnl_attr_put(m, RTA_DST, alen(dst->family), dst->addr);
	if (nl_request(nl, m, on_route, &l, &sub, "looking up the route") < 0) {
		free(l.v);
		if (sub.errnum == ENETUNREACH || sub.errnum == EHOSTUNREACH)
			return 0;
		if (e)
			*e = sub;
		return -1;
	}
	if (!l.n)
		return 0;
	*out = l.v[0];
	free(l.v);
	return out->type == RTN_UNICAST || out->type == RTN_LOCAL ? 1 : 0;
}
