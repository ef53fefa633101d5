/* The network model: what core/ calls to give a vnet jail its network.
 * Owned by net/. */
#ifndef BRIG_NET_NET_H
#define BRIG_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf/conf.h"
#include "util/err.h"
#include "util/rec.h"

struct jail_def;
struct jail_set;

/* The network of one command: the networks of the jails of s (the models
 * every function below takes are s's), each parsed on first need and
 * once, and networks.conf, read on first need and once. Used by the
 * checks, the bring-up and brig config check alike. s (NULL: none) must
 * outlive the plan. */
struct net_plan;
struct net_plan *net_plan_new(const struct jail_set *s);
/* Parse every jail's network now, and read networks.conf if a bridge is
 * named: before forking workers, which then inherit it all. */
void net_plan_parse_all(struct net_plan *p);
void net_plan_free(struct net_plan *p);

/* Check the jail's network parameters before anything is created: interface
 * names, addresses, routers, rdr, duplicates against the other jails of
 * the plan, the bridges of networks.conf. 0 if fine. Errors name the
 * parameter (the caller adds the jail's name). */
int net_jail_check(struct net_plan *p, const struct jail_def *d, struct brig_err *e);

/* Only what involves the other jails of the plan (an address on the same
 * bridge, a host interface name, an rdr port): for a jail about to be
 * written (brig create), before its bridge need exist. A jail whose
 * network parameters do not parse yet (no bridge: the file is the
 * admin's to finish) clashes with nothing; brig start says what is
 * missing. */
int net_jail_clash(struct net_plan *p, const struct jail_def *d, struct brig_err *e);

/* One value of a jail that clashes with another jail (net_jail_clashes). */
struct net_clash {
	enum jparam param;	/* JP_IP4_ADDR, JP_IP6_ADDR, JP_VNET_INTERFACE, JP_RDR */
	char *value;		/* as written (vnet.interface: the jail-side name) */
	char *why;		/* "jail web has the same address on bridge bridge0" */
	char *fresh;		/* vnet.interface of a veth pair: a name to use
				 * instead; NULL: none (a host interface moved in) */
};

struct net_clashes {
	struct net_clash *v;
	size_t n;
};

/* Every value of d that clashes with another jail of the plan
 * (net_jail_clash stops at the first): for brig import --trust, which
 * renames and drops them. Returns how many (out filled; free it with
 * net_clashes_free). */
int net_jail_clashes(struct net_plan *p, const struct jail_def *d, struct net_clashes *out);
void net_clashes_free(struct net_clashes *cl);

/* The same checks for `brig config check`: errors and warnings (an address
 * outside its bridge's subnets) go to d as "JAIL: ..."; -1 if there is an
 * error. */
int net_jail_lint(struct net_plan *p, const struct jail_def *d, struct diag *dg);

/* Give a vnet jail its network: called once the jail's init (init_pid)
 * exists and before exec.start, with its JID (which names its default
 * interfaces). Every object is recorded through rec before it is made.
 * Non-vnet jails: no-op. */
int net_jail_up(struct net_plan *p, const struct jail_def *d, int jid, pid_t init_pid,
		const struct rec *rec, struct brig_err *e);
/* The same into the jail's network namespace nsfd, which may exist before
 * anything runs in it (a vnet jail's, made by userns_netns_fd()). */
int net_jail_up_ns(struct net_plan *p, const struct jail_def *d, int jid, int nsfd,
		   const struct rec *rec, struct brig_err *e);
/* What net_jail_up will make for the jail d with JID jid, recorded through
 * rec before any of it is made, where the jail's network is brig's alone:
 * every interface a veth pair into a bridge (its port's filter, its rdr
 * rules, the pair). 1 if so (the records are every object net_jail_up then
 * records, in its order: a rec that only checks them will do for it); 0,
 * with nothing recorded, for a jail without vnet or with a host interface
 * to move in (vnet.interface without vnet.bridge: made by exec.prestart
 * or exec.created, which must have run first). */
int net_jail_objects(struct net_plan *p, const struct jail_def *d, int jid, const struct rec *rec,
		     struct brig_err *e);

/* Before a vnet jail's init is killed: note its network namespace, so
 * that removing the jail's veth pairs afterwards can tell whether the
 * kernel is already doing it (the namespace died with the jail) and leave
 * them to it. Best effort: without it, the pairs are deleted. */
void net_jail_stopping(pid_t init_pid);
/* A job of a worker process (core/run.c) ended: forget what
 * net_jail_stopping noted, the next job is another jail's. */
void net_job_done(void);

/* Return the host interface of the ifmoved record id ("NAME/IFINDEX", or
 * "NAME" in a state of an older brig), moved into the jail by
 * net_jail_up, from the network namespace of the jail's init to the
 * host's, found by its index (the jail may have renamed it: it comes
 * back under its current name) or else its name, as FreeBSD returns a
 * vnet jail's interfaces when it is removed: before the init dies, which
 * would destroy a virtual interface (veth, macvlan, ...) and hand a
 * physical one back to the initial namespace. One in neither namespace
 * (back on the host already, or destroyed with its peer) is fine:
 * nothing to return; one the jail replaced by a link into a namespace
 * other than the host's is an error naming it (left to the jail). */
int net_jail_return(pid_t init_pid, const char *id, struct brig_err *e);
/* A shared-IP jail (addresses without vnet, net/shared.c): whether each
 * address and its interface (`interface` or IFACE|) parse. */
int net_shared_parse(const struct jail_def *d, struct brig_err *e);
/* Add its addresses as aliases on their interfaces, each recorded first
 * (JOBJ_ALIAS); an address the host already has is used and stays. Then
 * its rdr rules (tag jail:NAME, recorded first, as a vnet jail's),
 * forwarding host ports to its first address of each family. */
int net_shared_up(struct net_plan *p, const struct jail_def *d, const struct rec *rec,
		  struct brig_err *e);
/* ip4.saddrsel/ip6.saddrsel: the subnet (prefix length, 0: none) of
 * each of the jail's first n addresses of family, into plen: the length
 * written (ADDR/LEN), else that of the narrowest subnet of the host's
 * that holds the address. */
int net_shared_subnets(const struct jail_def *d, int family, uint8_t *plen, size_t n,
		       struct brig_err *e);
/* Remove a recorded alias ("IFACE|ADDR/LEN"); gone counts as removed. */
int net_alias_remove(const char *id, struct brig_err *e);

/* One rdr of a jail for one family, as brig doctor checks it: what the
 * host forwards, to which address and port of the jail. */
struct net_rdr_path {
	int proto;		/* IPPROTO_TCP, IPPROTO_UDP */
	int family;		/* AF_INET, AF_INET6 */
	int hport, jport;
	char host[64];		/* the host address it applies to; "": every one */
	char jail[64];		/* the jail's address it is sent to */
	char router[64];	/* the jail's router of that family (the host's
				 * address on its bridge), "": none */
	const char *text;	/* as written (points into the model) */
};
/* Every rdr of the jail d, once per family it applies to, in order;
 * *out malloc'ed. -1 with e set when the jail's network does not parse. */
int net_jail_rdrs(const struct jail_def *d, struct net_rdr_path **out, size_t *n,
		  struct brig_err *e);

/* exec.fib (net/fib.c): the mark of jail jid's sockets (0: jid above
 * NET_FIB_JID_MAX), and its rules. */
#define NET_FIB_TAG 0xb0000000u
#define NET_FIB_MASK 0xf0003fffu
#define NET_FIB_JID_MAX 0x3fff
/* After the local table's rule (0), before main's (32766) and the
 * kernel's default place for a rule added without one. */
#define NET_FIB_PRIORITY 1000
uint32_t net_fib_mark(int jid);
/* The id of the host's rules of mark and table: their JOBJ_FIB record,
 * "MARK/MASK lookup TABLE" (caller frees); doctor matches it. */
char *net_fib_id(uint32_t mark, uint32_t table);
/* The rules `fwmark MARK/MASK lookup table` (IPv4, IPv6) of jail jid:
 * in the network namespace of init_pid (a vnet jail's own: they go with
 * it), or with init_pid 0 in the host's, recorded first (JOBJ_FIB). A
 * rule of the same mark left by a brig that died is replaced. */
int net_fib_up(int jid, uint32_t table, pid_t init_pid, const struct rec *rec, struct brig_err *e);
/* Remove the host's rules of a JOBJ_FIB record; gone counts as removed. */
int net_fib_remove(const char *id, struct brig_err *e);

/* Remove one recorded network object (the kinds net_jail_up records).
 * Already gone counts as success. */
int net_obj_remove(enum jobj_kind kind, const char *id, struct brig_err *e);

/* ---- bridges, for `brig net` ---- */

/* A jail's veth plugged into a bridge (or another port). */
struct net_member {
	char *interface;	/* host end */
	char *jail;		/* the jail it belongs to, NULL if not brig's */
};

/* One bridge as `brig net ls` shows it. */
struct net_bridge_info {
	char *name;
	bool declared;		/* in networks.conf */
	bool exists, up;
	bool nat, isolate;	/* as declared */
	int mtu;		/* the kernel's, or the declared one if absent */
	char **addrs;		/* "10.10.0.1/24": the kernel's, or the declared */
	size_t naddrs;
	struct net_member *members;
	size_t nmembers;
};

/* The declared bridges and the other bridges brig's jails are plugged
 * into, in that order. */
int net_bridge_list(struct net_bridge_info **out, size_t *n, struct brig_err *e);
void net_bridge_list_free(struct net_bridge_info *v, size_t n);
/* An IPv4 subnet in use on the host (net/used.c): an address of a link
 * or of a bridge networks.conf declares. */
struct net_used {
	char *owner;		/* the interface or bridge */
	char *what;		/* "interface eth0 of the host", "bridge x of networks.conf" */
	uint32_t addr;		/* its address, host order */
	int plen;		/* its prefix length */
};
/* Every IPv4 address of the host's links and of the declared bridges. */
int net_subnets_used(struct net_used **out, size_t *n, struct brig_err *e);
void net_used_free(struct net_used *v, size_t n);
/* Create or bring a declared bridge in line with networks.conf (addresses,
 * rules, forwarding, up). */
int net_bridge_up(const char *name, struct brig_err *e);
/* Remove a declared bridge and its rules; refused while jails use it.
 * Already gone counts as success. */
int net_bridge_down(const char *name, struct brig_err *e);

#endif
