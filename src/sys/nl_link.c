/* rtnetlink: links (veth pairs, bridges, moves, renames, deletion). */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "sys/netlink.h"
#include "util/mem.h"

void nl_link_attrs_init(struct nl_link_attrs *a)
{
	memset(a, 0, sizeof(*a));
	a->netns_fd = -1;
}

/* Store the attributes we know into tb, by type. */
static int keep_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= IFLA_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* IFLA_LINKINFO -> IFLA_INFO_SLAVE_DATA -> IFLA_BRPORT_STATE (a bridge
 * port's STP state). */
static void port_state(const struct nlattr *slave, int *state)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, slave)
		if (mnl_attr_get_type(attr) == IFLA_BRPORT_STATE &&
		    mnl_attr_validate(attr, MNL_TYPE_U8) == 0)
			*state = mnl_attr_get_u8(attr);
}

/* IFLA_LINKINFO -> IFLA_INFO_KIND (and a bridge port's state). */
static void link_kind(const struct nlattr *linkinfo, char *kind, size_t size, int *state)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, linkinfo) {
		if (mnl_attr_get_type(attr) == IFLA_INFO_SLAVE_DATA)
			port_state(attr, state);
		if (mnl_attr_get_type(attr) == IFLA_INFO_KIND &&
		    mnl_attr_validate(attr, MNL_TYPE_STRING) == 0) {
			size_t len = mnl_attr_get_payload_len(attr);
			const char *s = mnl_attr_get_str(attr);

			len = strnlen(s, len);
			if (len >= size)
				len = size - 1;
			memcpy(kind, s, len);
			kind[len] = '\0';
		}
	}
}

/* Copy a string attribute into a fixed buffer, truncating. */
static void copy_str(const struct nlattr *attr, char *dst, size_t size)
{
	size_t len;

	if (!attr)
		return;
	len = strnlen(mnl_attr_get_str(attr), mnl_attr_get_payload_len(attr));
	if (len >= size)
		len = size - 1;
	memcpy(dst, mnl_attr_get_str(attr), len);
	dst[len] = '\0';
}

/* Decode one RTM_NEWLINK message. */
static void parse_link(const struct nlmsghdr *m, struct nl_link *l)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(m);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };

	memset(l, 0, sizeof(*l));
	mnl_attr_parse(m, sizeof(*ifm), keep_attr, tb);
	l->index = ifm->ifi_index;
	l->flags = ifm->ifi_flags;
	copy_str(tb[IFLA_IFNAME], l->name, sizeof(l->name));
	copy_str(tb[IFLA_IFALIAS], l->alias, sizeof(l->alias));
	if (tb[IFLA_MTU] && mnl_attr_validate(tb[IFLA_MTU], MNL_TYPE_U32) == 0)
		l->mtu = (int)mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_MASTER] && mnl_attr_validate(tb[IFLA_MASTER], MNL_TYPE_U32) == 0)
		l->master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	l->port_state = -1;
	if (tb[IFLA_LINKINFO])
		link_kind(tb[IFLA_LINKINFO], l->kind, sizeof(l->kind), &l->port_state);
	l->linked = tb[IFLA_LINK] != NULL;
	l->link_nsid = -1;
	l->peer_dying = false;
	if (tb[IFLA_LINK_NETNSID] && mnl_attr_validate(tb[IFLA_LINK_NETNSID], MNL_TYPE_U32) == 0) {
		l->link_nsid = (int)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
		l->peer_dying = l->link_nsid < 0;
	}
}

/* Reply of a single-link lookup. */
static int on_link(const struct nlmsghdr *m, void *data)
{
	if (m->nlmsg_type == RTM_NEWLINK)
		parse_link(m, data);
	return 0;
}

/* Put the ifinfomsg header of a link request. */
static struct ifinfomsg *put_ifinfo(struct nlmsghdr *m, int index, bool up)
{
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(m, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = index;
	if (up) {
		ifm->ifi_flags = IFF_UP;
		ifm->ifi_change = IFF_UP;
	}
	return ifm;
}

/* Skip statistics in replies: they are most of a link's size. */
static void put_ext_mask(struct nlmsghdr *m)
{
	mnl_attr_put_u32(m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
}

int nl_link_get(struct nl *nl, const char *name, struct nl_link *out, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_GETLINK, 0);
	struct brig_err sub;

	put_ifinfo(m, 0, false);
	mnl_attr_put_strz(m, IFLA_IFNAME, name);
	put_ext_mask(m);
	memset(out, 0, sizeof(*out));
	if (nl_request(nl, m, on_link, out, &sub, "looking up interface %s", name) == 0)
		return out->index > 0;
	if (sub.errnum == ENODEV)
		return 0;
	if (e)
		*e = sub;
	return -1;
}

struct link_list {
	struct nl_link *v;
	size_t n, cap;
};

/* One link of a dump. */
static int on_link_dump(const struct nlmsghdr *m, void *data)
{
	struct link_list *l = data;

	if (m->nlmsg_type != RTM_NEWLINK)
		return 0;
	l->v = xgrow(l->v, &l->cap, l->n, sizeof(*l->v));
	parse_link(m, &l->v[l->n++]);
	return 0;
}

int nl_link_list(struct nl *nl, struct nl_link **out, size_t *n, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_GETLINK, NLM_F_DUMP);
	struct link_list l = { 0 };

	put_ifinfo(m, 0, false);
	put_ext_mask(m);
	if (nl_request(nl, m, on_link_dump, &l, e, "listing interfaces") < 0) {
		free(l.v);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

/* The attributes of a link request, from a (zero: unchanged). */
static void put_link_attrs(struct nlmsghdr *m, const struct nl_link_attrs *a)
{
	if (a->name)
		mnl_attr_put_strz(m, IFLA_IFNAME, a->name);
	if (a->mac)
		mnl_attr_put(m, IFLA_ADDRESS, 6, a->mac);
	if (a->mtu > 0)
		mnl_attr_put_u32(m, IFLA_MTU, (uint32_t)a->mtu);
	if (a->master > 0)
		mnl_attr_put_u32(m, IFLA_MASTER, (uint32_t)a->master);
	if (a->netns_fd >= 0)
		mnl_attr_put_u32(m, IFLA_NET_NS_FD, (uint32_t)a->netns_fd);
	else if (a->netns_pid > 0)
		mnl_attr_put_u32(m, IFLA_NET_NS_PID, (uint32_t)a->netns_pid);
	if (a->alias)
		mnl_attr_put_strz(m, IFLA_IFALIAS, a->alias);
}

int nl_veth_add(struct nl *nl, const struct nl_link_attrs *host,
		const struct nl_link_attrs *peer, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nlattr *info, *data, *peer_nest;

	put_ifinfo(m, 0, host->up);
	put_link_attrs(m, host);
	info = mnl_attr_nest_start(m, IFLA_LINKINFO);
	mnl_attr_put_strz(m, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(m, IFLA_INFO_DATA);
	/* The peer is described by an ifinfomsg followed by its attributes. */
	peer_nest = mnl_attr_nest_start(m, VETH_INFO_PEER);
	put_ifinfo(m, 0, peer->up);
	put_link_attrs(m, peer);
	mnl_attr_nest_end(m, peer_nest);
	mnl_attr_nest_end(m, data);
	mnl_attr_nest_end(m, info);
	return nl_request(nl, m, NULL, NULL, e, "creating veth pair %s/%s", host->name,
			  peer->name);
}

int nl_bridge_add(struct nl *nl, const char *name, const uint8_t *mac, int mtu,
		  struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct nl_link_attrs a;
	struct nlattr *info;

	nl_link_attrs_init(&a);
	a.name = name;
	a.mac = mac;
	a.mtu = mtu;
	put_ifinfo(m, 0, false);
	put_link_attrs(m, &a);
	info = mnl_attr_nest_start(m, IFLA_LINKINFO);
	mnl_attr_put_strz(m, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(m, info);
	return nl_request(nl, m, NULL, NULL, e, "creating bridge %s", name);
}

int nl_link_set(struct nl *nl, int ifindex, const struct nl_link_attrs *a, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_NEWLINK, 0);

	put_ifinfo(m, ifindex, a->up);
	put_link_attrs(m, a);
	if (a->hairpin) {
		struct nlattr *info = mnl_attr_nest_start(m, IFLA_LINKINFO);
		struct nlattr *data;

		mnl_attr_put_strz(m, IFLA_INFO_SLAVE_KIND, "bridge");
		data = mnl_attr_nest_start(m, IFLA_INFO_SLAVE_DATA);
		mnl_attr_put_u8(m, IFLA_BRPORT_MODE, 1);
		mnl_attr_nest_end(m, data);
		mnl_attr_nest_end(m, info);
	}
	if (a->no_ipv6_ll || a->eui64_ll) {
		struct nlattr *spec = mnl_attr_nest_start(m, IFLA_AF_SPEC);
		struct nlattr *in6 = mnl_attr_nest_start(m, AF_INET6);

		mnl_attr_put_u8(m, IFLA_INET6_ADDR_GEN_MODE,
				a->no_ipv6_ll ? IN6_ADDR_GEN_MODE_NONE : IN6_ADDR_GEN_MODE_EUI64);
		mnl_attr_nest_end(m, in6);
		mnl_attr_nest_end(m, spec);
	}
	if (ifindex == 0)
		return nl_request(nl, m, NULL, NULL, e, "configuring interface %s", a->name);
	return nl_request(nl, m, NULL, NULL, e, "configuring interface #%d%s%s", ifindex,
			  a->name ? " as " : "", a->name ? a->name : "");
}

/* The name nl_link_retire gives link ifindex. */
static void retired_name(int ifindex, char name[IFNAMSIZ])
{
	snprintf(name, IFNAMSIZ, "brig-%d", ifindex);
}

int nl_link_retire(struct nl *nl, int ifindex, struct brig_err *e)
{
	char buf[NL_BUF_SIZE], name[IFNAMSIZ];
	struct nlmsghdr *m = nl_msg(buf, RTM_NEWLINK, 0);
	struct brig_err sub;

	/* Down and off its bridge first: the kernel renames no link that
	 * is up (EBUSY). */
	put_ifinfo(m, ifindex, false)->ifi_change = IFF_UP;
	mnl_attr_put_u32(m, IFLA_MASTER, 0);
	if (nl_request(nl, m, NULL, NULL, &sub, "taking interface #%d down", ifindex) == 0) {
		retired_name(ifindex, name);
		m = nl_msg(buf, RTM_NEWLINK, 0);
		put_ifinfo(m, ifindex, false);
		mnl_attr_put_strz(m, IFLA_IFNAME, name);
		if (nl_request(nl, m, NULL, NULL, &sub, "renaming interface #%d to %s", ifindex,
			       name) == 0)
			return 0;
	}
	if (sub.errnum == ENODEV)
		return 0;
	if (e)
		*e = sub;
	return -1;
}

bool nl_link_retired(const struct nl_link *l)
{
	char name[IFNAMSIZ];

	retired_name(l->index, name);
	return strcmp(l->name, name) == 0;
}

int nl_link_del(struct nl *nl, const char *name, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_DELLINK, 0);
	struct brig_err sub;

	put_ifinfo(m, 0, false);
	mnl_attr_put_strz(m, IFLA_IFNAME, name);
	if (nl_request(nl, m, NULL, NULL, &sub, "deleting interface %s", name) == 0)
		return 0;
	if (sub.errnum == ENODEV)
		return 0;
	if (e)
		*e = sub;
	return -1;
}
