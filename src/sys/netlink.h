/* rtnetlink through libmnl: links, addresses, routes.
 *
 * A few small helpers (open, send a request and wait for the ack that matches
 * its sequence number, NLMSG_ERROR -> errno with the kernel's extended ack
 * text) and the operations brig's network model needs. Every function that
 * fails fills e with the object and the reason. Owned by net/. */
#ifndef BRIG_SYS_NETLINK_H
#define BRIG_SYS_NETLINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"

struct mnl_socket;

/* One rtnetlink socket, bound to the network namespace it was opened in. */
struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
};

/* Open a socket in the caller's network namespace. */
int nl_open(struct nl *nl, struct brig_err *e);
/* The same for another netlink protocol (NETLINK_SOCK_DIAG: sys/sockdiag). */
int nl_open_proto(struct nl *nl, int proto, struct brig_err *e);
/* Open a socket in the network namespace nsfd refers to: the calling thread
 * enters it for the socket() call and comes back. */
int nl_open_netns(struct nl *nl, int nsfd, struct brig_err *e);
void nl_close(struct nl *nl);

/* The small helpers every operation is built from. */
struct nlmsghdr;
/* Start a request of type/flags in buf (NL_BUF_SIZE bytes). */
#define NL_BUF_SIZE 8192
struct nlmsghdr *nl_msg(char *buf, int type, int flags);
/* Called for each reply message of a request; return 0 to go on, -1 with
 * errno set to stop with that error. */
typedef int (*nl_reply_fn)(const struct nlmsghdr *m, void *data);
/* Send m and read until its ack (or the end of a dump), passing replies to
 * fn. On failure e reads "WHAT: strerror (kernel's explanation)". */
int nl_request(struct nl *nl, struct nlmsghdr *m, nl_reply_fn fn, void *data,
	       struct brig_err *e, const char *what_fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* What brig needs to know about one link. */
struct nl_link {
	int index;
	char name[IFNAMSIZ];
	char kind[16];		/* IFLA_INFO_KIND: "veth", "bridge", "" */
	char alias[64];		/* IFLA_IFALIAS, "" if none */
	unsigned int flags;	/* IFF_* */
	int mtu;
	int master;		/* ifindex of the bridge it is plugged into, 0 */
	uint8_t mac[6];
	bool linked;		/* IFLA_LINK: it has a peer or lower link
				 * (veth, macvlan, vlan, tunnels) */
	int port_state;		/* a bridge port's BR_STATE_* (3: forwarding);
				 * -1: not a bridge port, or not told */
	int link_nsid;		/* IFLA_LINK_NETNSID: the id, in the asking
				 * namespace, of the namespace that link is
				 * in; -1: none reported (the same namespace) */
	bool peer_dying;	/* IFLA_LINK_NETNSID reported without an id:
				 * the kernel gives one to every live namespace
				 * it reports, so that link's namespace is being
				 * torn down (its last reference is gone) */
};

/* Look a link up by name: 1 and *out if found, 0 if there is none, -1. */
int nl_link_get(struct nl *nl, const char *name, struct nl_link *out, struct brig_err *e);
/* The id this namespace gives the network namespace of pid, given one
 * now if it has none (sys/nl_nsid.c). */
int nl_nsid_of_pid(struct nl *nl, pid_t pid, struct brig_err *e);
/* Whether the network namespace of id nsid is alive: 1 yes; 0 no (its last
 * reference is gone: the kernel is removing it, and its interfaces and the
 * veth pairs that reach into it with it; or it is gone); -1 error. */
int nl_nsid_alive(struct nl *nl, int nsid, struct brig_err *e);
/* Whether link l (from a lookup or a listing) reaches into a network
 * namespace the kernel is removing: 1 yes (reported without an id, or its
 * id names no live namespace); 0 no, or l reaches no other namespace; -1
 * error. */
int nl_link_peer_dead(struct nl *nl, const struct nl_link *l, struct brig_err *e);
/* Every link of the namespace; *out is malloc'ed. */
int nl_link_list(struct nl *nl, struct nl_link **out, size_t *n, struct brig_err *e);

/* Traffic of a namespace's interfaces, loopback left out: each one's
 * IFLA_STATS64 summed. */
struct nl_link_stats {
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	size_t links;		/* how many were counted */
};
int nl_link_stats(struct nl *nl, struct nl_link_stats *sum, struct brig_err *e);

/* Attributes of one end of a veth pair, or of a change to a link. Zero
 * values mean "leave as is" (netns_fd: -1 means stay here). */
struct nl_link_attrs {
	const char *name;	/* new name (rename) */
	const uint8_t *mac;	/* 6 bytes */
	int mtu;
	int master;		/* bridge ifindex to plug into */
	int netns_fd;		/* move into this namespace (-1: no) */
	pid_t netns_pid;	/* or the namespace of this process (0: no) */
	bool up;
	const char *alias;	/* IFLA_IFALIAS */
	bool hairpin;		/* bridge port: may send frames back where they
				 * came from (nl_link_set only) */
	bool no_ipv6_ll;	/* no IPv6 link-local address, hence no IPv6
				 * chatter (nl_link_set only, before the
				 * carrier comes up) */
	bool eui64_ll;		/* else: the link-local address derived from
				 * the MAC (EUI-64), whatever the namespace's
				 * default (same conditions) */
};

/* Fill a with "no change": netns_fd -1, everything else zero. */
void nl_link_attrs_init(struct nl_link_attrs *a);
/* Create a veth pair in one request; the peer may be created directly in
 * another namespace with its final name. */
int nl_veth_add(struct nl *nl, const struct nl_link_attrs *host,
		const struct nl_link_attrs *peer, struct brig_err *e);
/* Create a bridge (STP off: ports forward at once). */
int nl_bridge_add(struct nl *nl, const char *name, const uint8_t *mac, int mtu,
		  struct brig_err *e);
/* Change link ifindex: rename, MAC, MTU, master, namespace, up, alias,
 * hairpin, IPv6 link-local.
 * ifindex 0: the link named a->name (then not renamed). */
int nl_link_set(struct nl *nl, int ifindex, const struct nl_link_attrs *a, struct brig_err *e);
/* Cut link ifindex off and out of the way of a new link of its name: down,
 * off its bridge, renamed "brig-IFINDEX"; 0 if it was already gone. A
 * delete waits until the kernel has dropped every reference to the link
 * (~20 ms for a veth pair on the development VM); this returns at once,
 * and a veth pair goes with the namespace of its other end. */
int nl_link_retire(struct nl *nl, int ifindex, struct brig_err *e);
/* Whether l is a link nl_link_retire renamed (its name "brig-IFINDEX"). */
bool nl_link_retired(const struct nl_link *l);
/* Delete a link by name; 0 if it was already gone. */
int nl_link_del(struct nl *nl, const char *name, struct brig_err *e);

/* An IPv4 or IPv6 address with its prefix length. */
struct nl_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int plen;
};

/* Add an address to ifindex; an IPv6 address skips duplicate address
 * detection (brig assigns them, and DAD would hold them back for seconds).
 * Already present is success. */
int nl_addr_add(struct nl *nl, int ifindex, const struct nl_addr *a, struct brig_err *e);
/* Remove an address from ifindex; 0 if it was not there. */
int nl_addr_del(struct nl *nl, int ifindex, const struct nl_addr *a, struct brig_err *e);
/* The addresses of ifindex (0: of every link), global scope and link-local
 * alike; *out is malloc'ed. ifindexes (may be NULL) gets each one's link. */
int nl_addr_list(struct nl *nl, int ifindex, struct nl_addr **out, int **ifindexes,
		 size_t *n, struct brig_err *e);

/* Add a route to dst (NULL: the default route) through gw (NULL: on-link),
 * leaving by oif (0: the kernel picks). Already present is success. */
int nl_route_add(struct nl *nl, const struct nl_addr *dst, const struct nl_addr *gw, int oif,
		 struct brig_err *e);

/* A policy routing rule of brig's (sys/nl_rule.c): what carries mark
 * under mask looks up table, at priority; FRA_PROTOCOL RTPROT_BRIG names
 * it brig's (`ip rule` shows "proto 98"). */
#define RTPROT_BRIG 98
struct nl_rule {
	int family;		/* AF_INET or AF_INET6 */
	uint32_t mark, mask;
	uint32_t table;
	uint32_t priority;
};
/* The RTM_NEWRULE or RTM_DELRULE request of r in buf (NL_BUF_SIZE);
 * RTM_DELRULE without the table: any of brig's rules with r's mark, mask
 * and priority. */
struct nlmsghdr *nl_rule_msg(char *buf, int type, const struct nl_rule *r);
/* Add r; the same rule there already (left by a brig that died) is taken
 * over: success. */
int nl_rule_add(struct nl *nl, const struct nl_rule *r, struct brig_err *e);
/* Remove brig's rules with r's family, mark, mask and priority, whatever
 * their table (bounded); none left is success. */
int nl_rule_del(struct nl *nl, const struct nl_rule *r, struct brig_err *e);
/* One message of an RTM_GETRULE dump into *out: 1 when it is one of
 * brig's (FRA_PROTOCOL RTPROT_BRIG, a fwmark, action "lookup TABLE"),
 * 0 for any other (out then unspecified). Pure. */
int nl_rule_parse(const struct nlmsghdr *m, struct nl_rule *out);
/* brig's rules of family in the namespace of nl; *out is malloc'ed. A
 * family the namespace has not fails with EAFNOSUPPORT. */
int nl_rule_list(struct nl *nl, int family, struct nl_rule **out, size_t *n, struct brig_err *e);

/* One route of the kernel's (sys/nl_route.c, for brig doctor). */
struct nl_route {
	struct nl_addr dst;	/* plen 0: the default route */
	bool has_gw, has_src;
	struct nl_addr gw;	/* RTA_GATEWAY */
	struct nl_addr src;	/* RTA_PREFSRC: the source the kernel picks */
	int oif;		/* 0: none */
	int type;		/* RTN_UNICAST, RTN_UNREACHABLE, ... */
	int table;
};

/* The routes of family in the main table; *out is malloc'ed. */
int nl_route_list(struct nl *nl, int family, struct nl_route **out, size_t *n, struct brig_err *e);
/* The same of table (exec.fib's). */
int nl_route_table(struct nl *nl, int family, uint32_t table, struct nl_route **out, size_t *n,
		   struct brig_err *e);
/* The route the kernel takes to dst (RTM_GETROUTE): 1 and *out, 0 when
 * there is none (unreachable, prohibit, blackhole), -1 on error. */
int nl_route_get(struct nl *nl, const struct nl_addr *dst, struct nl_route *out, struct brig_err *e);

#endif
