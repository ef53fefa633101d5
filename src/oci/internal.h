/* What oci/spec.c and oci/seccomp.c share. */
#ifndef BRIG_OCI_INTERNAL_H
#define BRIG_OCI_INTERNAL_H

#include <jansson.h>

#include "util/err.h"

/* Every member of object o (at where, for the message) is one of
 * known[] (NULL-ended): 0, or -1 with e set ("config.json: WHERE:
 * \"KEY\" is not supported by brig"). */
int oci_only_keys(const json_t *o, const char *where, const char *const *known, struct brig_err *e);

#endif
