/* nftables through libnftables, limited to brig's own tables.
 *
 * brig keeps every rule it makes in two tables: `inet brig` (NAT, port
 * redirection, isolation, the host's exposure to its bridges) and
 * `bridge brig` (what each jail's bridge port lets in: anti-spoofing). Each
 * rule, and each chain made for one owner, carries a comment that names the
 * jail or bridge it belongs to ("jail:web", "bridge:bridge0"). Rules are
 * added and removed by that tag, in single transactions; nothing here
 * flushes a table, and commands that would touch another table are refused
 * before they reach the kernel. Owned by net/. */
#ifndef BRIG_SYS_NFT_H
#define BRIG_SYS_NFT_H

#include <stddef.h>

#include "util/err.h"

#define NFT_TABLE "inet brig"
#define NFT_BRIDGE_TABLE "bridge brig"

/* In one transaction: create brig's tables and base chains if missing,
 * delete every rule and chain
 * tagged `tag` in both, then run `add` (newline-separated nft commands on
 * brig's tables; NULL: only delete). */
int nft_replace_tag(const char *tag, const char *add, struct brig_err *e);
/* Run nft commands on table inet brig, creating it first if create is set
 * (one transaction). */
int nft_run(const char *cmds, int create, struct brig_err *e);
/* How many rules carry `tag`, in both tables (tests, `brig net ls`); -1 on
 * error. */
int nft_count_tag(const char *tag, struct brig_err *e);

#endif
