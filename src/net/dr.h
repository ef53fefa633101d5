/* brig doctor's network checks, private to net/dr_*.c (net/doctor.h). */
#ifndef BRIG_NET_DR_H
#define BRIG_NET_DR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/doctor.h"
#include "net/model.h"

/* What doctor found of one bridged interface. */
struct dr_if {
	bool jfound, hfound, bfound;
	struct nl_link jl, hl, bl;	/* jail end, host end, bridge */
	const struct net_bridge *decl;	/* networks.conf's, NULL: undeclared */
};

/* How long the jail's own probes (gateway, nameservers) wait. */
#define DR_PROBE_MS 300

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000	/* <linux/if.h>: the carrier is there */
#endif

struct dctx {
	const struct ndr_jail *j;
	const struct jail_def *d;
	const char *name;
	struct net_jail m;		/* its ifs named for the JID */
	struct dr_if *di;		/* one per m.ifs */
	struct net_networks nw;
	bool nw_ok;
	struct nl hn, jn;
	bool jn_ok;
	int nsfd;			/* the jail's network namespace, -1 */
	bool fwd_drop[2];		/* a foreign firewall drops forwarded v4/v6 */
};

/* Add a hop; fix is a format. */
void dr_hop(struct dctx *c, const char *section, const char *name, enum ndr st, const char *seen,
	    const char *expected, const char *fix, ...) __attribute__((format(printf, 7, 8)));
/* Where parameter id of the jail is set: "FILE:LINE", or where its block
 * is when it is not set ("the jail's block at FILE:LINE"); caller frees. */
char *dr_where(const struct jail_def *d, enum jparam id);
/* The same for a bridge's parameter in networks.conf. */
char *dr_nwhere(const struct dctx *c, const char *bridge, enum nparam id);
/* "10.0.0.1" or with its length "10.0.0.1/24": a static buffer per call
 * site is the caller's. */
const char *dr_fmt(const struct nl_addr *a, bool len, char *buf, size_t size);
/* "a, b" of the addresses of family on ifindex in list v (with lengths),
 * link-local IPv6 left out; NULL: none; caller frees. */
char *dr_addrs_text(const struct nl_addr *v, const int *idx, size_t n, int ifindex, int family);
/* The fix that remakes the jail's network, in buf. */
const char *dr_restart_fix(struct dctx *c, char *buf, size_t n);
/* The name of the jail's interface of index ifindex in ifn ("?": none
 * doctor knows). */
void dr_jname(const struct dctx *c, int ifindex, char ifn[IF_NAMESIZE]);

/* The hops of each part, in the order net_doctor_jail (dr_jail.c) takes
 * them: the host end of each veth pair and its bridge (dr_link.c); a
 * shared-IP jail's addresses on the host (dr_shared.c); /etc/resolv.conf
 * and its nameservers (dr_resolv.c); --to, parsed before any hop
 * (dr_to.c). */
void dr_link(struct dctx *c);
void dr_shared(struct dctx *c);
void dr_resolv(struct dctx *c);
int dr_to_parse(const char *to, struct nl_addr *a, int *port, int *proto, struct brig_err *e);
void dr_to(struct dctx *c, const struct nl_addr *a, int port, int proto);

/* The host side: forwarding, uplink and return routes, nftables (brig's
 * table and the jail's rules, other tables' drops, br_netfilter),
 * duplicate addresses on the bridge (dr_host.c, dr_fw.c). */
void dr_host(struct dctx *c);
void dr_firewall(struct dctx *c);
/* The jail's own nftables ruleset (read inside its namespace): a drop
 * of what it sends or of the replies it gets. */
void dr_firewall_jail(struct dctx *c);
void dr_duplicates(struct dctx *c);

/* ---- probes (dr_probe.c): from inside the network namespace nsfd (-1:
 * the caller's), each bounded by timeout_ms. 1: answered; 0: not, why
 * says so ("refused", "no answer in 300 ms"); -1: the probe could not
 * be made (why says why). ---- */
int dr_ping(int nsfd, const struct nl_addr *dst, int timeout_ms, char *why, size_t n);
int dr_dns(int nsfd, const struct nl_addr *dst, int timeout_ms, char *why, size_t n);
int dr_tcp(int nsfd, const struct nl_addr *dst, int port, int timeout_ms, char *why, size_t n);
int dr_udp(int nsfd, const struct nl_addr *dst, int port, int timeout_ms, char *why, size_t n);

/* Who answers for the addresses t[0..n) on the link ifindex (a bridge),
 * asked from its MAC mac by ARP (IPv4) and duplicate-address neighbour
 * solicitations (IPv6), once each, answers collected for timeout_ms:
 * for each address up to 4 MACs (found[i*4 + k], nfound[i]). -1 with
 * why if the probe could not be made. */
int dr_who_has(int ifindex, const uint8_t mac[6], const struct nl_addr *t, size_t n,
	       int timeout_ms, uint8_t (*found)[6], size_t *nfound, char *why, size_t wn);

#endif
