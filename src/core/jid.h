/* JIDs: small integers, the lowest free one, as FreeBSD assigns them. */
#ifndef BRIG_CORE_JID_H
#define BRIG_CORE_JID_H

#include <stddef.h>

#include "core/jail.h"

/* The states of every jail but self (read without their locks). */
struct jstate *jail_states_others(const char *self, size_t *n);
void jail_states_free(struct jstate *v, size_t n);
/* The lowest integer >= 1 not in used[0..n). */
int jid_lowest_free(const int *used, size_t n);
/* Under the global JID lock: give x its JID (x->sp.jid if requested and
 * free) and write its first state, so that no other brig takes the JID. */
int jid_assign(struct jctx *x, struct brig_err *e);

#endif
