/* nftables by hand, for the changes on a start's and a stop's path, where
 * libnftables costs most of the time (sys/nft_raw.c). Internal to
 * sys/nft.c. */
#ifndef BRIG_SYS_NFT_RAW_H
#define BRIG_SYS_NFT_RAW_H

#include <stdbool.h>

#include "util/err.h"

/* Remove port's element from map `map` of bridge table `table` and its
 * chain, in one transaction; already gone counts as success. EINVAL or
 * EOPNOTSUPP in e->errnum: the kernel has no `destroy` (before 6.3).
 * leave_open: the socket is left to close when the process exits. */
int nft_raw_port_remove(const char *table, const char *map, const char *port, const char *chain,
			bool leave_open, struct brig_err *e);

/* In one transaction: chain `chain` of bridge table `table` (made if
 * missing) holds exactly rules (newline-separated rule bodies in the
 * words sys/nft_expr.c knows, each commented tag), and port's element of
 * map `map` jumps to it. leave_open: its socket is left to close when the
 * process exits. */
int nft_raw_port_set(const char *table, const char *map, const char *port, const char *chain,
		     const char *tag, const char *rules, bool leave_open, struct brig_err *e);

/* Whether the nftables table `table` of family (NFPROTO_*) exists: 1 or
 * 0, -1 if the kernel could not be asked (a plain lookup: no dump of the
 * ruleset, as libnftables' `list tables` makes). */
int nft_raw_table_exists(int family, const char *table);

#endif
