/* rtnetlink: network namespace ids (RTM_GETNSID, RTM_NEWNSID). Neither
 * takes the RTNL lock, so neither waits behind the kernel's teardown of a
 * namespace, which holds it for milliseconds. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "sys/netlink.h"

/* The NETNSA_NSID of a reply. */
static int on_nsid(const struct nlmsghdr *m, void *data)
{
	const struct nlattr *attr;

	if (m->nlmsg_type != RTM_NEWNSID)
		return 0;
	mnl_attr_for_each(attr, m, sizeof(struct rtgenmsg))
		if (mnl_attr_get_type(attr) == NETNSA_NSID &&
		    mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			*(int *)data = (int)mnl_attr_get_u32(attr);
	return 0;
}

static struct nlmsghdr *nsid_msg(char *buf, int type)
{
	struct nlmsghdr *m = nl_msg(buf, type, 0);
	struct rtgenmsg *g = mnl_nlmsg_put_extra_header(m, sizeof(*g));

	g->rtgen_family = AF_UNSPEC;
	return m;
}

int nl_nsid_of_pid(struct nl *nl, pid_t pid, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m;
	int id = -1;

	for (int attempt = 0; attempt < 2; attempt++) {
		m = nsid_msg(buf, RTM_GETNSID);
		mnl_attr_put_u32(m, NETNSA_PID, (uint32_t)pid);
		if (nl_request(nl, m, on_nsid, &id, e, "looking up the id of the network "
			       "namespace of pid %d", (int)pid) < 0)
			return -1;
		if (id >= 0 || attempt > 0)
			break;
		/* None yet: have the kernel give it the first free one (an
		 * id holds no reference on the namespace). Someone else may
		 * have given it one meanwhile. */
		m = nsid_msg(buf, RTM_NEWNSID);
		mnl_attr_put_u32(m, NETNSA_PID, (uint32_t)pid);
		mnl_attr_put_u32(m, NETNSA_NSID, (uint32_t)-1);
		if (nl_request(nl, m, NULL, NULL, e, "numbering the network namespace of "
			       "pid %d", (int)pid) < 0 && e->errnum != EEXIST)
			return -1;
	}
	return id >= 0 ? id : brig_err_set(e, 0, "the network namespace of pid %d has no id",
					    (int)pid);
}

int nl_link_peer_dead(struct nl *nl, const struct nl_link *l, struct brig_err *e)
{
	int alive;

	if (l->peer_dying)
		return 1;
	if (l->link_nsid < 0)
		return 0;
	alive = nl_nsid_alive(nl, l->link_nsid, e);
	return alive < 0 ? -1 : !alive;
}

int nl_nsid_alive(struct nl *nl, int nsid, struct brig_err *e)
{
	char buf[NL_BUF_SIZE];
	struct nlmsghdr *m = nsid_msg(buf, RTM_GETNSID);
	struct brig_err sub;
	int id = -1;

	mnl_attr_put_u32(m, NETNSA_NSID, (uint32_t)nsid);
	if (nl_request(nl, m, on_nsid, &id, &sub, "looking up network namespace %d", nsid) == 0)
		return 1;
	if (sub.errnum == ENOENT)
		return 0;
	if (e)
		*e = sub;
	return -1;
}
