/* The devices a jail may open: brig's own /dev (mount.devfs) as its
 * devfs_ruleset says, enforced by the kernel on the jail's cgroup.
 *
 * The same table serves both ends: jmount.c makes the nodes of the
 * jail's /dev from it, and the allow-list of the jail's cgroup is made of
 * those nodes alone (plus the ptys of the jail's devpts). Every other
 * device, shipped in a template, made by the host in the jail's tree or
 * mknod'ed by the jail, is refused (EPERM) at open and mknod; every mount
 * of the jail but its /dev is also nodev (jmount.c). As runc and crun do:
 * on cgroup v1 the devices controller ("a" denied, then each node
 * allowed); on cgroup v2 a BPF_PROG_TYPE_CGROUP_DEVICE program attached
 * to the jail's group. On a hybrid host the v1 controller is used. */
#ifndef BRIG_SYS_DEVICES_H
#define BRIG_SYS_DEVICES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* Groups of nodes, after FreeBSD's default rulesets (devfs.rules(5)). */
enum {
	DEVFS_BASIC = 1u << 0,	/* devfsrules_unhide_basic: null, zero, full, random, urandom */
	DEVFS_LOGIN = 1u << 1,	/* devfsrules_unhide_login: tty, ptmx and pts/, fd links */
	DEVFS_FD = 1u << 2,	/* fdescfs (mount.fdescfs): the fd links alone */
};

/* One node of brig's /dev. */
struct devfs_node {
	const char *name;
	unsigned int major, minor;
	unsigned int set;	/* DEVFS_* */
};

extern const struct devfs_node devfs_nodes[];
extern const size_t devfs_nnodes;

/* FreeBSD's devfs_ruleset number -> DEVFS_* sets; -1 if it is not one of
 * the default rulesets (0: none given, the jail default, 4). */
int devfs_ruleset_sets(long long ruleset);

/* One entry of an allow-list: a character (or block) device, any minor
 * when minor is -1; read, write and mknod are allowed. */
struct dev_rule {
	char type;	/* 'c' or 'b' */
	unsigned int major;
	int minor;
};

/* The allow-list of sets into out (room for max); returns the count. */
size_t devices_rules(unsigned int sets, struct dev_rule *out, size_t max);

/* Up to max BPF instructions (struct bpf_insn) of a cgroup device program
 * that allows exactly rules; returns the count, 0 if max is too small. */
size_t devices_bpf_prog(const struct dev_rule *rules, size_t n, void *insns, size_t max);

/* Limit the jail's cgroups (the dirs of every hierarchy it has) to the
 * devices of sets, before any process joins them: the v1 devices group
 * among dirs if there is one, else a BPF program on the v2 group. An
 * error when neither is there: the jail would open any device. */
int devices_limit(char *const *dirs, size_t n, unsigned int sets, struct brig_err *e);

#endif
