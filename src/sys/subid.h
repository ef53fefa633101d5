/* Subordinate ids: the ranges /etc/subuid and /etc/subgid give a user
 * (subuid(5)), from which brig cuts the ranges of unprivileged jails. */
#ifndef BRIG_SYS_SUBID_H
#define BRIG_SYS_SUBID_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct subid_range {
	uint32_t start;
	uint32_t count;
};

/* The ranges of owner (a name; a line may also give its uid, uid) in
 * file, in file order. A missing file is no range. The file is the
 * host's: read with a size bound, regular files only. */
int subid_read(const char *file, const char *owner, uint32_t uid, struct subid_range **out,
	       size_t *n, struct brig_err *e);
/* $BRIG_SUBUID / $BRIG_SUBGID (for tests) or /etc/subuid, /etc/subgid. */
const char *subid_file(char kind);

#endif
