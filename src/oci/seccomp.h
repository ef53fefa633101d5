/* linux.seccomp: the bundle's profile, checked (oci/spec.c, through
 * oci_seccomp_check) and compiled with libseccomp into a classic BPF
 * program that a container's processes load after brig's own filter (both
 * apply: a call passes only if both let it). */
#ifndef BRIG_OCI_SECCOMP_H
#define BRIG_OCI_SECCOMP_H

#include <stddef.h>

#include "sys/seccomp.h"
#include "util/err.h"

struct json_t;

/* Every member of the profile o known and supported (refused by name,
 * "linux.seccomp.listenerPath: ..."); 0 or -1 with e set. */
int oci_seccomp_check(const struct json_t *o, struct brig_err *e);
/* The program of the profile (JSON text, as oci_spec.seccomp keeps it):
 * 0 and *p (free p->bpf); -1 with e set. */
int oci_seccomp_compile(const char *profile, struct seccomp_prog *p, struct brig_err *e);

#endif
