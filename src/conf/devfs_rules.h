/* FreeBSD's devfs rulesets (devfs.rules(5): `[name=number]` headers, then
 * devfs(8) rules, `add [N] [path PATTERN] [type T] hide|unhide|include
 * $name|...`): what a jail's devfs_ruleset leaves visible in its /dev,
 * mapped to the groups of nodes brig's /dev is made of.
 *
 * FreeBSD reads /etc/defaults/devfs.rules, then /etc/devfs.rules; brig
 * has the defaults built in (rulesets 1-5, so that `$devfsrules_jail`
 * and the others resolve), then reads /etc/devfs.rules (a FreeBSD
 * admin's file unchanged) and CONFDIR/devfs.rules, each if it exists.
 * Pure: reads files, acts on nothing. */
#ifndef BRIG_CONF_DEVFS_RULES_H
#define BRIG_CONF_DEVFS_RULES_H

#include <stddef.h>

#include "util/err.h"

/* The groups of brig's /dev (the DEVFS_* sets of sys/devices.h, same
 * values): a group is granted when every FreeBSD name of it stays
 * visible after the ruleset (least privilege: unhiding `null` alone does
 * not give `zero`). */
enum {
	DEVR_BASIC = 1u << 0,	/* null, zero, random, urandom */
	DEVR_LOGIN = 1u << 1,	/* ptmx, pts, pts/N */
	DEVR_FD = 1u << 2,	/* fd, fd/N, stdin, stdout, stderr */
};

struct devfs_rules;

/* FreeBSD's default rulesets alone (/etc/defaults/devfs.rules, built in). */
struct devfs_rules *devfs_rules_new(void);
void devfs_rules_free(struct devfs_rules *r);

/* Add the rulesets of text (the contents of file, for messages) to r;
 * -1 with "FILE:LINE:COL: why" on a syntax error. */
int devfs_rules_parse(struct devfs_rules *r, const char *file, const char *text, struct brig_err *e);

/* The defaults, then the host's files (/etc/devfs.rules,
 * CONFDIR/devfs.rules, those that exist); NULL with the error. */
struct devfs_rules *devfs_rules_load(struct brig_err *e);

/* The DEVR_* groups ruleset num leaves visible; -1 if num is not defined
 * or an include in it is not (or loops). */
int devfs_rules_eval(const struct devfs_rules *r, long long num, struct brig_err *e);

/* Each rule of ruleset num (or one it includes) read from a file that
 * unhides a path matching no device brig makes: the device has no
 * meaning in a Linux jail's /dev and is not made. fn gets where the rule
 * is and its pattern. */
void devfs_rules_unmapped(const struct devfs_rules *r, long long num,
			  void (*fn)(void *ctx, const char *file, int line, int col, const char *pattern),
			  void *ctx);

#endif
