/* Templates and jail roots: what core/ calls. Owned by store/. */
#ifndef BRIG_STORE_STORE_H
#define BRIG_STORE_STORE_H

#include "conf/conf.h"
#include "util/err.h"
#include "util/rec.h"

/* Storage: $BRIG_STOREDIR or /var/lib/brig. */
const char *store_dir(void);

/* Before a jail starts: when its path is the root of a thin jail of the
 * store that is not mounted, mount it there (recording "mount PATH" first).
 * Jails not made by the store: no-op. */
int store_jail_prepare(const struct conf_jail *j, const struct rec *rec, struct brig_err *e);

#endif
