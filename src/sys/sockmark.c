/* The mark of a jail's sockets, for exec.fib (see sockmark.h). */
#include "sys/sockmark.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stddef.h>
#include <unistd.h>

#include "sys/bpfprog.h"
#include "sys/cgroup.h"
#include "util/mem.h"

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

size_t sockmark_prog(uint32_t mark, void *out, size_t max)
{
	struct bpf_insn *p = out;
	const short at = offsetof(struct bpf_sock, mark);
	size_t k = 0;

	if (max < 6)
		return 0;
	/* if (ctx->mark == 0) ctx->mark = mark; return 1 (allow) */
	p[k++] = INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, at, 0);
	p[k++] = INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 2, 0);
	p[k++] = INSN(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, (int32_t)mark);
	p[k++] = INSN(BPF_STX | BPF_W | BPF_MEM, BPF_REG_1, BPF_REG_2, at, 0);
	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
	p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return k;
}

int sockmark_attach(char *const *dirs, size_t n, uint32_t mark, struct brig_err *e)
{
	struct bpf_insn insns[8];
	const char *dir = cgroup_v2_dir(dirs, n);
	cleanup_close int cg = -1;

	if (!dir)
		return brig_err_set(e, 0, "no cgroup v2 tree on this host: the mark of the jail's "
				    "sockets is set there");
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		return brig_err_set(e, errno, "%s", dir);
	return bpf_cg_attach(cg, dir, BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, insns,
			     sockmark_prog(mark, insns, ARRAY_SIZE(insns)), "socket mark", e);
}
