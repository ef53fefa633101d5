/* nftables through libnftables (and raw netlink for the bridge ports'
 * filters), limited to brig's own tables.
 *
 * brig keeps the rules it makes for NAT, port redirection, isolation and
 * the host's exposure in one table, `inet brig`, each rule carrying a
 * comment that names the jail or bridge it belongs to ("jail:web",
 * "bridge:bridge0"). Rules are added and removed by that tag, in single
 * transactions. The filters of jails' bridge ports are in `bridge brig`:
 * one chain per port, entered through a verdict map keyed by the port's
 * name, made and removed by that name without listing anything (a start
 * costs the same with 1 or 500 jails). Nothing here flushes a table (only
 * a port's own chain, when it is replaced), and commands that would touch
 * another table are refused before they reach the kernel. Owned by net/. */
#ifndef BRIG_SYS_NFT_H
#define BRIG_SYS_NFT_H

#include <stddef.h>

#include "util/err.h"

#define NFT_TABLE "inet brig"
#define NFT_BRIDGE_TABLE "bridge brig"

/* In one transaction: create brig's table and base chains if missing,
 * delete every rule tagged `tag`, then run `add` (newline-separated nft
 * commands on table inet brig; NULL: only delete). */
int nft_replace_tag(const char *tag, const char *add, struct brig_err *e);
/* Run nft commands on table inet brig, creating it first if create is set
 * (one transaction). */
int nft_run(const char *cmds, int create, struct brig_err *e);
/* How many rules carry `tag` (tests, `brig net ls`); -1 on error. */
int nft_count_tag(const char *tag, struct brig_err *e);
/* The distinct tags that begin with prefix ("jail:") on rules of table
 * inet brig (brig doctor: rules no running jail owns); *out and each
 * string malloc'ed, none when the table does not exist. */
int nft_tags(const char *prefix, char ***out, size_t *n, struct brig_err *e);
/* The whole ruleset, every table of every family, as libnftables' JSON
 * (`list ruleset`, read only: brig doctor); caller frees. */
char *nft_ruleset_json(struct brig_err *e);

/* In one transaction: give bridge port `port` a filter chain holding
 * exactly rules (newline-separated rule bodies, e.g. "ether saddr != ...
 * drop", each commented `tag`, in the words sys/nft_expr.c knows: sent
 * as raw netlink, no libnftables), entered by every frame that comes in
 * through that port; with rules NULL, remove its chain (already gone
 * counts as success). Table bridge brig is made on first use. */
int nft_port_set(const char *port, const char *tag, const char *rules, struct brig_err *e);

/* The name of bridge port port's chain in table bridge brig. */
void nft_port_chain(const char *port, char *out, size_t size);
/* This process stops jail after jail (a worker of stop --all): the rules
 * of each stop are removed here, their sockets left open until it exits
 * (closing one after a removal waits for an RCU grace period: at the
 * exit, once), instead of in a child forked for each stop, which copied
 * the page tables of a process whose memory grows with the number of
 * jails. Within the limit on open files (~380 stops a worker at 1024);
 * past it, each removal forks again. */
void nft_keep_sockets(void);
/* This process ends right after its changes (the helper that makes a
 * vnet jail's network, core/vnet_early.c): its sockets close when it
 * exits, not after each change (a close may wait for an RCU grace period
 * that a stop's removal started). Removals run here, not in a child. */
void nft_sockets_at_exit(void);

#endif
