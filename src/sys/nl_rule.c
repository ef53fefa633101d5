/* rtnetlink: brig's policy routing rules (exec.fib, net/fib.c). */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "sys/netlink.h"

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
