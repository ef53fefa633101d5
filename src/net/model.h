/* The network model, private to net/: a jail's network parameters parsed
 * and checked, the bridges of networks.conf, and the pieces net.c builds
 * the public functions from. */
#ifndef BRIG_NET_MODEL_H
#define BRIG_NET_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "conf/model.h"
#include "sys/netlink.h"
#include "util/strbuf.h"
#include "util/err.h"
#include "util/rec.h"

/* Kernel interface names: at most 15 bytes. */
#define NET_IFNAME_MAX (IFNAMSIZ - 1)

/* ---- addresses (addr.c) ---- */

/* Parse an IPv4/IPv6 address of `family` (AF_UNSPEC: either), with "/LEN"
 * when want_len (required), without it otherwise. NULL if fine, else why
 * not ("missing prefix length", ...). */
const char *net_addr_parse(const char *text, int family, bool want_len, struct nl_addr *out);
/* Whether a lies in the subnet s (s's prefix length). */
bool net_addr_in(const struct nl_addr *s, const struct nl_addr *a);
/* Same family and address (prefix lengths ignored). */
bool net_addr_same(const struct nl_addr *a, const struct nl_addr *b);
/* "10.0.0.1" or, with the length, "10.0.0.1/24"; also the subnet itself
 * ("10.0.0.0/24") when network is set. */
void net_addr_fmt(const struct nl_addr *a, bool with_len, bool network, char *buf, size_t size);
/* A port number, 1 to 65535: NULL if fine, else why not. (jail.c) */
const char *net_port_parse(const char *s, int *out);
/* The reason name is not usable as an interface name, or NULL. */
const char *net_ifname_invalid(const char *name);
/* A stable, locally administered unicast MAC address from a name and a
 * salt (which end, which interface). */
void net_mac(const char *name, const char *salt, uint8_t mac[6]);

/* ---- one jail's network (jail.c) ---- */

struct net_if {
	char jname[IFNAMSIZ];	/* inside the jail */
	char hname[IFNAMSIZ];	/* host end of the veth pair */
	const char *bridge;	/* NULL: an existing host interface moved in */
	bool default_name;	/* e<JID>b: named for JID 0 until net_jail_at() */
	size_t index;		/* its place in vnet.interface/vnet.bridge */
	uint8_t jmac[6], hmac[6];
};

struct net_ip {
	struct nl_addr a;
	size_t ifi;		/* index into net_jail.ifs */
	const char *text;	/* as written */
};

struct net_rdr {
	int proto;		/* IPPROTO_TCP, IPPROTO_UDP */
	bool has_host;
	struct nl_addr host;	/* HOSTADDR, plen = full */
	int hport, jport;
	const char *text;
};

struct net_gw {
	bool set;
	struct nl_addr a;
	size_t ifi;		/* the interface it is reached on */
	const char *text;
};

struct net_jail {
	const char *name;
	bool vnet;
	struct net_if *ifs;
	size_t nifs;
	struct net_ip *ips;
	size_t nips;
	struct net_gw gw4, gw6;
	struct net_rdr *rdrs;
	size_t nrdrs;
	/* A shared-IP jail (no vnet): its first address of each family
	 * (IPv4, IPv6; a.family 0: none), where its rdr forwards to. */
	struct net_ip first[2];
	bool spoofcheck;	/* filter what its bridge ports let in */
};

/* Parse and check one jail's network parameters (its default interface
 * names are those of JID 0: net_jail_at() names them for the jail's JID).
 * Errors name the parameter; the caller adds the jail. Strings point into
 * d, which must outlive m. */
int net_jail_parse(const struct jail_def *d, struct net_jail *m, struct brig_err *e);
/* The interfaces of m with the default names (e<JID>b) of JID jid: a
 * copy (caller frees), the rest of m as it is. */
struct net_if *net_jail_at(const struct net_jail *m, int jid);
void net_jail_free(struct net_jail *m);
/* A shared-IP jail's first address of family into ip (text: as
 * written); false if it has none (shared.c). */
bool net_shared_first(const struct jail_def *d, int family, struct net_ip *ip);
/* Add to out every clash of m with o, another vnet jail or a shared-IP
 * jail with rdr (net/clash.c):
 * an address on the same bridge, a host interface name, a host port. */
struct net_clashes;
void net_pair_clashes(const struct net_jail *m, const struct net_jail *o, struct net_clashes *out);
/* The jail's first address of family on a bridged interface (a shared-IP
 * jail: its first address of family), or NULL. */
const struct net_ip *net_jail_ip(const struct net_jail *m, int family);
/* Whether two rdr rules want the same host port (same protocol, and the
 * same host address or either one on every address). */
bool net_rdr_clash(const struct net_rdr *a, const struct net_rdr *b);
/* The protocol name of an rdr ("tcp"). */
const char *net_proto_name(int proto);
/* Whether the jail uses IPv6 on interface ifi (an address or a router). */
bool net_if_ipv6(const struct net_jail *m, size_t ifi);

/* ---- networks.conf (networks.c) ---- */

/* One entry of a bridge's `host` list: what its jails may reach of the
 * host itself. */
struct net_hostport {
	int proto;		/* IPPROTO_TCP, IPPROTO_UDP; IPPROTO_ICMP: ping */
	int lo, hi;		/* ports (tcp, udp) */
};

struct net_bridge {
	const char *name;
	struct nl_addr *addrs;	/* the host's addresses on it (gateways) */
	size_t naddrs;
	bool nat, isolate;
	int mtu;		/* 0: the kernel's default */
	bool host_limited;	/* `host` given: only these reach the host */
	struct net_hostport *host;
	size_t nhost;
};

struct net_networks {
	struct net_bridge *v;
	size_t n;
	struct conf *conf;	/* owned when loaded from the file */
	struct net_def *defs;	/* its models (owned with conf) */
	size_t ndefs;
	bool loaded;		/* tried by net_networks_lookup() */
	char *err;		/* why it did not load, then */
	size_t nloads;		/* networks.conf reads (the tests count) */
};

/* Load networks.conf and networks.conf.d/\*.conf from brig_confdir()
 * into nw (zeroed); no file declares nothing. */
int net_networks_load(struct net_networks *nw, struct brig_err *e);
/* Build from bridge models, which must outlive nw (the strings point into
 * them). */
int net_networks_from_defs(struct net_networks *nw, const struct net_def *v, size_t n,
			   struct brig_err *e);
void net_networks_free(struct net_networks *nw);
const struct net_bridge *net_networks_find(const struct net_networks *nw, const char *name);
/* Whether bridge b has an IPv4 address of the host's (then it gets
 * route_localnet and the guard that goes with it: rdr from 127.0.0.1). */
bool net_bridge_ipv4(const struct net_bridge *b);
/* The declaration of bridge name (*out NULL if none), loading networks.conf
 * into nw (zeroed) on first use, once (a failure too): a jail's start reads
 * it only when one of its bridges is missing or down. */
int net_networks_lookup(struct net_networks *nw, const char *name,
			const struct net_bridge **out, struct brig_err *e);

/* The `host` list of bridge d into b; errors say FILE:LINE:COL.
 * (host.c) */
int net_host_parse(struct net_bridge *b, const struct net_def *d, struct brig_err *e);
/* The input rules that keep b's jails to what `host` allows of the host,
 * tagged tag; nothing without a `host` list. */
void net_host_rules(struct strbuf *sb, const struct net_bridge *b, const char *tag);

/* ---- the network of one command (plan.c) ---- */

/* One jail's network in a plan: parsed on first need, once. */
struct net_pj {
	const struct jail_def *def;
	int state;		/* 0: not parsed yet; 1: parsed (m); -1: does not
				 * parse (err) */
	struct net_jail m;
	char *err;
	struct net_pj *next;	/* models outside the plan's set */
};

struct net_plan {
	const struct jail_set *set;	/* NULL: none */
	struct net_pj *jails;		/* one per jail of set, same order */
	struct net_pj *extra;		/* models asked about that are not in set */
	struct net_networks nw;		/* networks.conf, read on first need */
	size_t nparsed;			/* jail networks parsed (the tests count) */
	struct net_key *keys;		/* what set's jails may clash on, sorted */
	size_t nkeys;			/* (check.c: net_plan_index) */
	bool indexed;
	struct net_seen *seen;		/* bridges the checks looked up (check.c) */
	size_t nseen;
};

/* The network of jail d, parsed once per plan: its parse, or NULL with e
 * set (the parameter named) if it does not parse. */
const struct net_jail *net_plan_jail(struct net_plan *p, const struct jail_def *d,
				     struct brig_err *e);

/* The i-th jail of the plan's set, when it is a vnet jail or a shared-IP
 * jail with rdr and its network parses: its network; else NULL. */
const struct net_jail *net_plan_at(struct net_plan *p, size_t i);
/* The same, when that jail is not d. */
const struct net_jail *net_plan_other(struct net_plan *p, const struct jail_def *d, size_t i);
/* Conflicts of m (jail model d) with every other vnet jail of the plan:
 * the same address on the same bridge, host interface name or host port;
 * the first jail of the set it conflicts with is named. A jail whose
 * network does not parse is skipped (its own check reports it). Through
 * the plan's index, made at the first call (check.c). */
int net_check_others(struct net_plan *p, const struct jail_def *d, const struct net_jail *m,
		     struct brig_err *e);
/* Make that index now (a batch, before its workers fork: they inherit it). */
void net_plan_index(struct net_plan *p);

/* ---- kernel side ---- */

/* Make sure bridge `name` is usable: one that is up is used as it is; else
 * a declared one (looked up in nw) is created, addressed, given its rules
 * and brought up; an undeclared one must exist. *index and *mtu describe it. */
int net_bridge_ensure(struct nl *nl, const char *name, struct net_networks *nw,
		      int *index, int *mtu, struct brig_err *e);
/* Bring a declared bridge fully in line with its declaration (addresses,
 * rules, up), whatever its state: `brig net up`. */
int net_bridge_sync(struct nl *nl, const struct net_bridge *b, struct brig_err *e);

/* Whether rdr r applies to family (for which the jail has an address). */
bool net_rdr_applies(const struct net_jail *m, const struct net_rdr *r, int family);
/* Whether one of the jail's rdr forwards to its address of family. */
bool net_rdr_family(const struct net_jail *m, int family);
/* Make the jail's rules (its ports' filters, its rdr), each recorded
 * first, and turn on the forwarding a vnet jail's rdr needs (net.c). */
int net_jail_rules(const struct net_jail *m, const struct rec *rec, struct brig_err *e);
/* nft rule sets of a jail (rdr) and of a bridge (nat, isolate, host)
 * (rules.c). NULL when the jail has none. */
char *net_rules_jail(const struct net_jail *m);
char *net_rules_bridge(const struct net_bridge *b);
/* The anti-spoofing filter of the jail's interface ifi, as rule bodies
 * for its bridge port's chain (nft_port_set); NULL if that interface is not
 * bridged or the jail has vnet.spoofcheck off (spoof.c). */
char *net_spoof_rules(const struct net_jail *m, size_t ifi);
/* The tags rules carry: "jail:NAME", "bridge:NAME". */
char *net_tag_jail(const char *name);
char *net_tag_bridge(const char *name);

/* Serialise bridge creation between brig processes ($BRIG_RUNDIR/.net.lock, beside core's .jid.lock). */
int net_lock(struct brig_err *e);
void net_unlock(int fd);

#endif
