/* Loading and attaching a cgroup BPF program (see bpfprog.h). */
#include "sys/bpfprog.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/mem.h"

/* One BPF_PROG_LOAD, tried again on EAGAIN (the verifier interrupted),
 * as libbpf does. */
static int sys_load(union bpf_attr *a)
{
	int tries = 0;
	int fd;

	do
		fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, a, sizeof(*a));
	while (fd < 0 && errno == EAGAIN && ++tries < 5);
	return fd;
}

/* BPF_PROG_LOAD by the bpf() syscall, not libbpf's bpf_prog_load: that
 * one first loads a program of its own, once per process, to learn
 * whether the kernel charges BPF memory to the cgroup or to
 * RLIMIT_MEMLOCK (to raise the rlimit on kernels before 5.11): a load
 * more in every start (32-87 us on the development VM). brig runs as
 * root, whose RLIMIT_MEMLOCK holds its few small programs either way.
 * The verifier's log only when the load failed (written for every load
 * if asked at once), as libbpf does. */
static int prog_load(enum bpf_prog_type ptype, enum bpf_attach_type type, const struct bpf_insn *insns,
		     size_t n, char *log, size_t logsz)
{
	union bpf_attr a;
	int fd, err;

	memset(&a, 0, sizeof(a));
	a.prog_type = ptype;
	a.expected_attach_type = type;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = (__u32)n;
	a.license = (uintptr_t)"GPL";
	fd = sys_load(&a);
	if (fd >= 0)
		return fd;
	err = errno;
	a.log_level = 1;
	a.log_buf = (uintptr_t)log;
	a.log_size = (__u32)logsz;
	fd = sys_load(&a);
	if (fd < 0)
		errno = err;
	return fd;
}

int bpf_prog_new(enum bpf_prog_type ptype, enum bpf_attach_type type, const struct bpf_insn *insns,
		 size_t n, const char *what, struct brig_err *e)
{
	char log[1024] = "";
	int prog;

	if (n == 0)
		return brig_err_set(e, E2BIG, "the %s program: too long", what);
	prog = prog_load(ptype, type, insns, n, log, sizeof(log));
	if (prog < 0) {
		int err = errno;

		log[strcspn(log, "\n")] = '\0';
		return brig_err_set(e, err, "loading the %s program%s%s%s", what, *log ? " (verifier: " : "",
				    log, *log ? ")" : "");
	}
	return prog;
}

/* Whether prog is among the programs attached to the group at cg for
 * type (its own). */
static bool attached(int cg, enum bpf_attach_type type, int prog)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info), ids[64], cnt = 64;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(prog, &info, &len) < 0 || bpf_prog_query(cg, type, 0, NULL, ids, &cnt) < 0)
		return false;
	for (__u32 i = 0; i < cnt; i++)
		if (ids[i] == info.id)
			return true;
	return false;
}

int bpf_cg_attach_prog(int cg, const char *dir, int prog, enum bpf_attach_type type, const char *what,
		       struct brig_err *e)
{
	int err;

	if (bpf_prog_attach(prog, cg, type, BPF_F_ALLOW_MULTI) == 0)
		return 0;
	err = errno;
	/* The kernel refuses a program attached to the group already
	 * (EINVAL): that one is there, as asked. */
	if (attached(cg, type, prog))
		return 0;
	return brig_err_set(e, err, "%s: attaching the %s program", dir, what);
}

int bpf_cg_attach(int cg, const char *dir, enum bpf_prog_type ptype, enum bpf_attach_type type,
		  const struct bpf_insn *insns, size_t n, const char *what, struct brig_err *e)
{
	cleanup_close int prog = bpf_prog_new(ptype, type, insns, n, what, e);

	if (prog < 0)
		return brig_err_wrap(e, "%s", dir);
	return bpf_cg_attach_prog(cg, dir, prog, type, what, e);
}

int bpf_cg_count(const char *dir, enum bpf_attach_type type, struct brig_err *e)
{
	cleanup_close int cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	__u32 cnt = 0;

	if (cg < 0)
		return brig_err_set(e, errno, "%s", dir);
	if (bpf_prog_query(cg, type, 0, NULL, NULL, &cnt) < 0)
		return brig_err_set(e, errno, "%s: asking which programs are attached", dir);
	return (int)cnt;
}
