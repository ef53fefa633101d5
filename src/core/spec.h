/* What a jail is to be, worked out from its resolved parameters and checked
 * before anything is created. */
#ifndef BRIG_CORE_SPEC_H
#define BRIG_CORE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/model.h"
#include "sys/jmount.h"
#include "sys/sockaddr.h"
#include "sys/userns.h"
#include "util/err.h"

struct jspec {
	char *path;
	char *hostname;		/* NULL with host = inherit: the host's */
	char *domainname;	/* host.domainname, with a hostname; NULL: none */
	bool host_ipc;		/* the host's System V IPC (no IPC namespace) */
	bool persist;
	bool vnet;
	bool own_net;		/* a network namespace of its own */
	bool net_owned;		/* vnet of the host's user namespace: that
				 * network namespace owned by a user namespace
				 * of its own, so that the jail's root may
				 * configure it (userns_netns_fd()) */
	bool shared;		/* the host's network, its sockets limited to
				 * the jail's addresses (shared IP) */
	struct sock_policy sock;	/* what those sockets may use */
	char *netns;		/* vnet.netns: the network namespace to join */
	char *ipcns;		/* sysv.ipcns: the IPC namespace to join */
	char *utsns;		/* host.utsns: the UTS namespace to join */
	int nsflags;		/* CLONE_NEW* of the jail */
	unsigned int devsets;	/* devfs_ruleset: DEVFS_* of sys/devices.h */
	struct jmount *mounts;	/* in mount order */
	size_t nmounts;
	uint64_t caps;
	bool socket_af;		/* allow.socket_af: every socket family */
	long stop_timeout;	/* seconds */
	int stop_signal;	/* exec.stop.signal, for init */
	const char *workdir;	/* exec.workdir: where commands run */
	long exec_timeout;	/* seconds, 0: none */
	bool clean;
	const char *jail_user;
	const char *system_user;
	const char *consolelog;
	char **ip4;		/* addresses without interface or prefix length */
	size_t nip4;
	char **ip6;
	size_t nip6;
	int jid;		/* requested JID, 0: lowest free */
	bool userns;		/* in a user namespace of its own */
	struct idmap usermap;	/* userns.map given as ids; count 0: auto */
};

/* Check the model d and fill sp; errors name the parameter ("path: ..."). */
int spec_build(const struct jail_def *d, struct jspec *sp, struct brig_err *e);
/* Only what running commands needs (timeouts, users, exec.clean,
 * exec.consolelog, persist), unchecked: for stopping a jail from the
 * model it was started with. */
void spec_runtime(const struct jail_def *d, struct jspec *sp);
/* exec.stop.signal's number (SIGTERM if it names none). */
int spec_signal(const char *s);

struct jstate;
struct seccomp_prog;
/* The seccomp filter of the jail st describes (its bounding set, its
 * allow.socket_af), for its init and everything entering it. */
const struct seccomp_prog *spec_filter(const struct jstate *st);

void spec_free(struct jspec *sp);

/* What a shared-IP jail may do with one family (sys JP_IP4 or JP_IP6,
 * n addresses of it): ip4/ip6 = inherit, the host's addresses
 * (SOCK_ANY); disable, or no address of the family, none (SOCK_NONE);
 * else the addresses listed (SOCK_LIST). */
enum sock_mode jail_sock_mode(const struct jail_def *d, enum jparam sys, size_t n);

/* The DEVFS_* sets (sys/devices.h) of d's /dev: its devfs_ruleset, one
 * of FreeBSD's defaults 0-5 or of devfs.rules(5) (conf/devfs_rules.h),
 * and mount.fdescfs; -1 if the ruleset is not defined or its file does
 * not parse. */
int jail_devsets(const struct jail_def *d, struct brig_err *e);

/* Whether d gets a /dev of brig's: mount.devfs, or a jail whose root is
 * the host's (path / or unset), whose view of the host's /dev would be
 * nodev (sys/jmount.h) and would hold every host device otherwise. */
bool jail_own_dev(const struct jail_def *d);

#endif
