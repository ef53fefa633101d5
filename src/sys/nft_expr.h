/* A bridge port filter's rule, text as net/spoof.c writes it, as nftables
 * expressions (sys/nft_expr.c says which words). Internal to sys/nft*.c
 * and its unit test. */
#ifndef BRIG_SYS_NFT_EXPR_H
#define BRIG_SYS_NFT_EXPR_H

#include <linux/netlink.h>
#include <stddef.h>

#include "util/err.h"

/* Append rule (len bytes, "ether saddr != 02:.. drop") to m, a NEWRULE
 * message, as its NFTA_RULE_EXPRESSIONS; EINVAL for a word it does not
 * know. m's buffer must hold NFT_EXPR_MAX(len) more bytes. */
int nft_expr_rule(struct nlmsghdr *m, const char *rule, size_t len, struct brig_err *e);

/* Bytes nft_expr_rule may add for a rule of len characters: a word of at
 * least 2 characters gives at most a payload, a cmp of 16 bytes and their
 * dependencies (4 expressions of under 80 bytes each). */
#define NFT_EXPR_MAX(len) (64 + ((len) / 2 + 1) * 320)

#endif
