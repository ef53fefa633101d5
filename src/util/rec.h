/* Recording kernel objects before they are created.
 *
 * Every layer that makes a kernel object (veth, nft rule set, mount, cgroup)
 * first calls rec_add() with a kind and an identifier; core/ persists the
 * record in the jail's state before returning, so that a stop, a failure or
 * the next brig run after a crash can remove it. Removal is dispatched by
 * kind (see core/objects.c); "already gone" counts as success. */
#ifndef BRIG_UTIL_REC_H
#define BRIG_UTIL_REC_H

#include "util/err.h"

/* The kinds of recorded objects (the id each has, who removes it). */
enum jobj_kind {
	JOBJ_MOUNT,	/* absolute host path; none: an older brig recorded a
			 * thin jail's root; it stays mounted (store/root.c) */
	JOBJ_CGROUP,	/* cgroupfs directory; sys/cgroup */
	JOBJ_VETH,	/* host-side interface name; net_obj_remove */
	JOBJ_NFT,	/* the jail's rule tag ("jail:NAME"), or a bridge port's
			 * filter ("port:IFNAME"); net_obj_remove */
	JOBJ_IDROOT,	/* a userns jail's idmapped root (store name);
			 * store_root_plain */
	JOBJ_IFMOVED,	/* a host interface moved into a vnet jail (its
			 * name); net_jail_return gives it back while the
			 * jail's namespace exists, removal is a no-op */
	JOBJ_ALIAS,	/* a shared-IP jail's address on a host interface,
			 * "IFACE|ADDR/PREFIX"; net_obj_remove */
	JOBJ_FIB,	/* exec.fib: the host's policy routing rules of a
			 * jail, "MARK/MASK lookup TABLE"; net_fib_remove */
	JOBJ_CGJOIN,	/* a cgroupfs directory the jail's processes join
			 * that is not the jail's (brig's group in the v1
			 * cpuset hierarchy: core/start.c); never removed */
	JOBJ__COUNT
};

/* The one name of each kind: in the state file and in messages. */
extern const char *const jobj_kind_names[JOBJ__COUNT];
/* The kind named name; -1 if none is. */
int jobj_kind_find(const char *name);

struct rec {
	/* Persist "kind id" durably; return -1 with e set on failure. */
	int (*add)(void *ctx, enum jobj_kind kind, const char *id, struct brig_err *e);
	void *ctx;
};

static inline int rec_add(const struct rec *r, enum jobj_kind kind, const char *id,
			  struct brig_err *e)
{
	return r && r->add ? r->add(r->ctx, kind, id, e) : 0;
}

#endif
