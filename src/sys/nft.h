/* nftables through libnftables, limited to brig's own table.
 *
 * brig keeps every rule it makes in one table, `inet brig` (NAT, port
 * redirection, isolation), each rule carrying a comment that names the jail
 * or bridge it belongs to ("jail:web", "bridge:bridge0"). Rules are added and
 * removed by that tag, in single transactions; nothing here flushes a
 * table, and commands that would touch another table are refused before
 * they reach the kernel. Owned by net/. */
#ifndef BRIG_SYS_NFT_H
#define BRIG_SYS_NFT_H

#include <stddef.h>

#include "util/err.h"

#define NFT_TABLE "inet brig"

/* In one transaction: create brig's table and base chains if missing,
 * delete every rule tagged `tag`, then run `add` (newline-separated nft
 * commands on table inet brig; NULL: only delete). */
int nft_replace_tag(const char *tag, const char *add, struct brig_err *e);
/* Run nft commands on table inet brig, creating it first if create is set
 * (one transaction). */
int nft_run(const char *cmds, int create, struct brig_err *e);
/* How many rules carry `tag` (tests, `brig net ls`); -1 on error. */
int nft_count_tag(const char *tag, struct brig_err *e);

#endif
