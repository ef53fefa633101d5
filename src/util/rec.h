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

struct rec {
	/* Persist "kind id" durably; return -1 with e set on failure. */
	int (*add)(void *ctx, const char *kind, const char *id, struct brig_err *e);
	void *ctx;
};

static inline int rec_add(const struct rec *r, const char *kind, const char *id,
			  struct brig_err *e)
{
	return r && r->add ? r->add(r->ctx, kind, id, e) : 0;
}

#endif

/* Kinds in use (kind, id, who removes it):
 *   "mount"  absolute host path        none: an older brig recorded a
 *            thin jail's root; it stays mounted (store/root.c)
 *   "cgroup" cgroupfs directory         sys/cgroup
 *   "veth"   host-side interface name   net_obj_remove
 *   "nft"    the jail's rule tag        net_obj_remove
 *            ("jail:NAME"), or a bridge
 *            port's filter ("port:IFNAME") */
