/* Loading and attaching a cgroup BPF program (see bpfprog.h). */
#include "sys/bpfprog.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"

int bpf_cg_attach(int cg, const char *dir, enum bpf_prog_type ptype, enum bpf_attach_type type,
		  const struct bpf_insn *insns, size_t n, const char *what, struct brig_err *e)
{
	char log[1024] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = sizeof(log),
		    .expected_attach_type = type);
	cleanup_close int prog = -1;

	if (n == 0)
		return brig_err_set(e, E2BIG, "%s: the %s program: too long", dir, what);
	/* No name: libbpf would probe the kernel for program names first, a
	 * load more in every start. */
	prog = bpf_prog_load(ptype, NULL, "GPL", insns, n, &opts);
	if (prog < 0) {
		int err = errno;

		log[strcspn(log, "\n")] = '\0';
		return brig_err_set(e, err, "%s: loading the %s program%s%s%s", dir, what,
				    *log ? " (verifier: " : "", log, *log ? ")" : "");
	}
	if (bpf_prog_attach(prog, cg, type, BPF_F_ALLOW_MULTI) < 0)
		return brig_err_set(e, errno, "%s: attaching the %s program", dir, what);
	return 0;
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
