/* JIDs: small integers, the lowest free one, as FreeBSD assigns them. */
#ifndef BRIG_CORE_JID_H
#define BRIG_CORE_JID_H

#include <stddef.h>
#include <stdint.h>

#include "core/jail.h"

/* The states of every jail but self (read without their locks). */
struct jstate *jail_states_others(const char *self, size_t *n);
void jail_states_free(struct jstate *v, size_t n);
/* The lowest integer >= 1 not in used[0..n). */
int jid_lowest_free(const int *used, size_t n);
/* The largest JID brig gives (an explicit one may be as large). */
#define JID_MAX 2147483647
/* Under the global JID lock (core/jid.c says how the markers work): the
 * JID of jail name: want if > 0 and free (else an error naming its
 * holder), else the lowest free; record(ctx, jid) writes the state that
 * records it. The JID, or -1. */
int jid_take(const char *name, int want, int (*record)(void *ctx, int jid, struct brig_err *e),
	     void *ctx, struct brig_err *e);
/* Remove the state st in dir, and the markers of its JID and ids. */
int jid_state_remove(const char *dir, const struct jstate *st, struct brig_err *e);
/* A range of host ids a userns jail's state records. */
struct idrange {
	uint32_t uid, gid, count;
};
/* Under the JID lock: choose(x, the ranges of every running userns jail)
 * sets x->st's userns fields; they are marked taken and x's state saved. */
int jid_ids_take(struct jctx *x, int (*choose)(struct jctx *x, const struct idrange *taken, size_t n,
					       struct brig_err *e),
		 struct brig_err *e);
/* The ranges marked taken (caller frees; NULL with e set). */
struct idrange *jid_ranges_taken(size_t *n, struct brig_err *e);
/* Under the global JID lock: give x its JID (x->sp.jid if requested and
 * free) and write its first state, so that no other brig takes the JID. */
int jid_assign(struct jctx *x, struct brig_err *e);

#endif
