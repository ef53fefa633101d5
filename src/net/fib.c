/* exec.fib: the policy routing rule that sends what a jail's sockets
 * send to its routing table (doc/net.md, "exec.fib").
 *
 * Every socket of the jail carries a mark of its JID (sys/sockmark.c);
 * one rule per jail and family, `fwmark MARK/MASK lookup N`, in the
 * network namespace its sockets live in. The mark is the jail's, not the
 * table's: two jails with the same table have a rule each, and nothing
 * is counted. Layout: NET_FIB_TAG in bits 28-31 and the JID in bits 0-13,
 * matched under NET_FIB_MASK, so that
 *   - a rule of another program that compares the whole mark (`fwmark 1`,
 *     wg-quick's 0xca6c) never equals a jail's (the tag is set);
 *   - kube-proxy's 0x4000 and 0x8000, Tailscale's 0xff0000 and the low
 *     bits Calico takes from 0xffff0000 are neither set by brig nor seen
 *     by its rules;
 *   - the mark is found again from the JID alone (a record, a stale rule).
 * brig's nftables rules use no marks. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"
#include "sys/netlink.h"
#include "sys/nsrun.h"
#include "util/mem.h"

uint32_t net_fib_mark(int jid)
{
	if (jid < 1 || jid > NET_FIB_JID_MAX)
		return 0;
	return NET_FIB_TAG | (uint32_t)jid;
}

char *net_fib_id(uint32_t mark, uint32_t table)
{
	return xasprintf("0x%x/0x%x lookup %u", mark, NET_FIB_MASK, table);
}

/* The rule of mark and table of family. */
static struct nl_rule fib_rule(int family, uint32_t mark, uint32_t table)
{
	return (struct nl_rule){ .family = family, .mark = mark, .mask = NET_FIB_MASK, .table = table,
				 .priority = NET_FIB_PRIORITY };
}

/* Add the rules of both families in the namespace of nl; a family the
 * namespace has not (IPv6 disabled) has none. */
static int add_rules(struct nl *nl, uint32_t mark, uint32_t table, struct brig_err *e)
{
	static const int fams[] = { AF_INET, AF_INET6 };

	for (size_t i = 0; i < ARRAY_SIZE(fams); i++) {
		struct nl_rule r = fib_rule(fams[i], mark, table);

		/* A stale rule of this mark to another table (the JID's
		 * jail before, whose record was lost) would come first. */
		if (nl_rule_del(nl, &r, e) < 0)
			return -1;
		if (nl_rule_add(nl, &r, e) < 0) {
			if (fams[i] == AF_INET6 && e->errnum == EAFNOSUPPORT) {
				brig_err_clear(e);
				continue;
			}
			return -1;
		}
	}
	return 0;
}

int net_fib_up(int jid, uint32_t table, pid_t init_pid, const struct rec *rec, struct brig_err *e)
{
	uint32_t mark = net_fib_mark(jid);
	struct nl nl = { 0 };
	int r;

	if (!mark)
		return brig_err_set(e, 0, "jid %d: above %d, the last a socket mark has room for", jid,
				    NET_FIB_JID_MAX);
	if (init_pid) {
		int fd;

		if ((r = ns_open_net(init_pid, &fd, e)) <= 0)
			return r < 0 ? -1 : brig_err_set(e, 0, "the jail's init (pid %d) has no network "
							 "namespace of its own", (int)init_pid);
		r = nl_open_netns(&nl, fd, e);
		close(fd);
		if (r < 0)
			return -1;
	} else {
		cleanup_free char *id = net_fib_id(mark, table);

		/* The host's: recorded first, removed with the jail. */
		if (rec_add(rec, JOBJ_FIB, id, e) < 0 || nl_open(&nl, e) < 0)
			return -1;
	}
	r = add_rules(&nl, mark, table, e);
	nl_close(&nl);
	return r;
}

int net_fib_remove(const char *id, struct brig_err *e)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	unsigned int mark, mask, table;
	struct nl nl;
	int r = 0;
	char end;

	if (sscanf(id, "0x%x/0x%x lookup %u%c", &mark, &mask, &table, &end) != 3 || mask != NET_FIB_MASK ||
	    (mark & ~NET_FIB_MASK) || (mark & 0xf0000000u) != NET_FIB_TAG)
		return brig_err_set(e, 0, "bad fib rule \"%s\"", id);
	if (nl_open(&nl, e) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(fams) && r == 0; i++) {
		struct nl_rule rule = fib_rule(fams[i], mark, table);

		r = nl_rule_del(&nl, &rule, e);
	}
	nl_close(&nl);
	return r;
}
