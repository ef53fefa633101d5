/* Loading a BPF program and attaching it to a cgroup v2 group: the one
 * way sys/devices.c and sys/sockaddr.c do it. */
#ifndef BRIG_SYS_BPFPROG_H
#define BRIG_SYS_BPFPROG_H

#include <linux/bpf.h>
#include <stddef.h>

#include "util/err.h"

/* Load insns[0..n) (n 0: too long a program) as ptype for attach type
 * and attach it to the group open at cg (dir: for messages), with
 * BPF_F_ALLOW_MULTI: a program of a parent group (a host's or a container
 * manager's) still applies too. The group holds it from then on and drops
 * it when it is removed. what names the program in errors. */
int bpf_cg_attach(int cg, const char *dir, enum bpf_prog_type ptype, enum bpf_attach_type type,
		  const struct bpf_insn *insns, size_t n, const char *what, struct brig_err *e);

/* Load insns[0..n) (n 0: too long a program) as ptype for attach type
 * type: its descriptor, or -1 with e set (what names it). */
int bpf_prog_new(enum bpf_prog_type ptype, enum bpf_attach_type type, const struct bpf_insn *insns,
		 size_t n, const char *what, struct brig_err *e);

/* Attach the loaded program prog to the group open at cg (dir: for
 * messages) for type, with BPF_F_ALLOW_MULTI (as bpf_cg_attach); done if
 * it is attached there already. */
int bpf_cg_attach_prog(int cg, const char *dir, int prog, enum bpf_attach_type type, const char *what,
		       struct brig_err *e);

/* How many programs of attach type type the group at dir has (its own,
 * not its parents'); -1 with e set. */
int bpf_cg_count(const char *dir, enum bpf_attach_type type, struct brig_err *e);

#endif
