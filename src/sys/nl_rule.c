/* rtnetlink: brig's policy routing rules (exec.fib, net/fib.c): made,
 * removed, and listed (brig doctor). */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sys/netlink.h"
#include "util/mem.h"

struct nlmsghdr *nl_rule_msg(char *buf, int type, const struct nl_rule *r)
{
	struct nlmsghdr *m = nl_msg(buf, type, NLM_F_ACK | (type == RTM_NEWRULE ? NLM_F_CREATE | NLM_F_EXCL : 0));
	struct fib_rule_hdr *h = mnl_nlmsg_put_extra_header(m, sizeof(*h));

	h->family = (uint8_t)r->family;
	/* Delete: FR_ACT_UNSPEC and no table match any. */
	if (type == RTM_NEWRULE) {
		h->action = FR_ACT_TO_TBL;
		h->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_COMPAT;
		mnl_attr_put_u32(m, FRA_TABLE, r->table);
	}
	mnl_attr_put_u32(m, FRA_PRIORITY, r->priority);
	mnl_attr_put_u32(m, FRA_FWMARK, r->mark);
	mnl_attr_put_u32(m, FRA_FWMASK, r->mask);
	mnl_attr_put_u8(m, FRA_PROTOCOL, RTPROT_BRIG);
	return m;
}

static const char *fam(const struct nl_rule *r)
{
	return r->family == AF_INET6 ? "IPv6" : "IPv4";
}

int nl_rule_add(struct nl *nl, const struct nl_rule *r, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct brig_err re = { 0 };

	if (nl_request(nl, nl_rule_msg(buf, RTM_NEWRULE, r), NULL, NULL, &re,
		       "adding the %s rule fwmark 0x%x/0x%x lookup %u", fam(r), r->mark, r->mask,
		       r->table) == 0 || re.errnum == EEXIST)
		return 0;
	*e = re;
	return -1;
}

int nl_rule_del(struct nl *nl, const struct nl_rule *r, struct brig_err *e)
{
	/* One a request; more than a few means something else adds them. */
	for (int i = 0; i < 16; i++) {
		char buf[NL_BUF_SIZE];
		struct brig_err re = { 0 };

		if (nl_request(nl, nl_rule_msg(buf, RTM_DELRULE, r), NULL, NULL, &re,
			       "removing the %s rule fwmark 0x%x/0x%x", fam(r), r->mark, r->mask) == 0)
			continue;
		/* None left; EAFNOSUPPORT: a kernel without IPv6 has no such rule. */
		if (re.errnum == ENOENT || re.errnum == EAFNOSUPPORT)
			return 0;
		*e = re;
		return -1;
	}
	return brig_err_set(e, EBUSY, "removing the %s rule fwmark 0x%x/0x%x: still there after 16 "
			    "removals", fam(r), r->mark, r->mask);
}

int nl_rule_parse(const struct nlmsghdr *m, struct nl_rule *out)
{
	const struct fib_rule_hdr *h;
	const struct nlattr *a;
	bool brig = false, fwmark = false;

	if (m->nlmsg_type != RTM_NEWRULE || mnl_nlmsg_get_payload_len(m) < sizeof(*h))
		return 0;
	h = mnl_nlmsg_get_payload(m);
	if (h->action != FR_ACT_TO_TBL)
		return 0;
	*out = (struct nl_rule){ .family = h->family, .table = h->table };
	mnl_attr_for_each(a, m, sizeof(*h)) {
		int type = mnl_attr_get_type(a);

		/* Sizes checked: a short attribute is not read past. */
		if (type == FRA_PROTOCOL) {
			brig = mnl_attr_validate(a, MNL_TYPE_U8) == 0 &&
			       mnl_attr_get_u8(a) == RTPROT_BRIG;
			continue;
		}
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			continue;
		if (type == FRA_TABLE) {
			out->table = mnl_attr_get_u32(a);
		} else if (type == FRA_PRIORITY) {
			out->priority = mnl_attr_get_u32(a);
		} else if (type == FRA_FWMARK) {
			out->mark = mnl_attr_get_u32(a);
			fwmark = true;
		} else if (type == FRA_FWMASK) {
			out->mask = mnl_attr_get_u32(a);
		}
	}
	return brig && fwmark;
}

struct rule_list {
	struct nl_rule *v;
	size_t n, cap;
};

static int on_rule(const struct nlmsghdr *m, void *data)
{
	struct rule_list *l = data;
	struct nl_rule r;

	if (nl_rule_parse(m, &r) == 1) {
		l->v = xgrow(l->v, &l->cap, l->n, sizeof(*l->v));
		l->v[l->n++] = r;
	}
	return 0;
}

int nl_rule_list(struct nl *nl, int family, struct nl_rule **out, size_t *n, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nl_msg(buf, RTM_GETRULE, NLM_F_DUMP);
	struct fib_rule_hdr *h = mnl_nlmsg_put_extra_header(m, sizeof(*h));
	struct rule_list l = { 0 };

	h->family = (uint8_t)family;
	if (nl_request(nl, m, on_rule, &l, e, "listing the %s rules",
		       family == AF_INET6 ? "IPv6" : "IPv4") < 0) {
		free(l.v);
		return -1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}
