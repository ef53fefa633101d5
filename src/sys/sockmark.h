/* exec.fib: a mark on every inet socket a jail creates, from a
 * BPF_PROG_TYPE_CGROUP_SOCK program (BPF_CGROUP_INET_SOCK_CREATE) on its
 * cgroup v2 group. A policy routing rule (net/fib.c) sends what carries
 * the mark to the jail's routing table, as FreeBSD's setfib(2) gives a
 * jail's processes their FIB. The program writes the mark only where none
 * is set yet: a group's own programs run before its parents', so a child
 * jail's own exec.fib wins over its parent's and one without it inherits
 * its parent's. The program goes with the group: nothing to record. */
#ifndef BRIG_SYS_SOCKMARK_H
#define BRIG_SYS_SOCKMARK_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* The program that gives each new socket mark (if it has none), into
 * out (max instructions, struct bpf_insn); how many (0: max too small). */
size_t sockmark_prog(uint32_t mark, void *out, size_t max);

/* Attach the program of mark to the first cgroup v2 group of dirs. */
int sockmark_attach(char *const *dirs, size_t n, uint32_t mark, struct brig_err *e);

#endif
