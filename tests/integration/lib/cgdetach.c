/* The test's fault for brig doctor's "socket mark" hop: detach from the
 * cgroup v2 group at DIR the last program attached there for socket
 * creation (BPF_CGROUP_INET_SOCK_CREATE: exec.fib's mark is attached
 * after sys/sockaddr.c's socket() program):
 *   cgdetach DIR
 * By the bpf() syscall (no libbpf needed to build it). Exit 0 if done. */
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int sys(int cmd, union bpf_attr *a)
{
	return (int)syscall(SYS_bpf, cmd, a, sizeof(*a));
}

int main(int argc, char **argv)
{
	uint32_t ids[64];
	union bpf_attr a;
	int cg, prog;

	if (argc != 2) {
		fprintf(stderr, "usage: cgdetach DIR\n");
		return 2;
	}
	if ((cg = open(argv[1], O_RDONLY | O_DIRECTORY)) < 0) {
		perror(argv[1]);
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)cg;
	a.query.attach_type = BPF_CGROUP_INET_SOCK_CREATE;
	a.query.prog_ids = (uint64_t)(uintptr_t)ids;
	a.query.prog_cnt = 64;
	if (sys(BPF_PROG_QUERY, &a) < 0 || a.query.prog_cnt == 0) {
		fprintf(stderr, "%s: no socket creation program\n", argv[1]);
		return 1;
	}
	uint32_t id = ids[a.query.prog_cnt - 1];

	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	if ((prog = sys(BPF_PROG_GET_FD_BY_ID, &a)) < 0) {
		perror("BPF_PROG_GET_FD_BY_ID");
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cg;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_INET_SOCK_CREATE;
	if (sys(BPF_PROG_DETACH, &a) < 0) {
		perror("BPF_PROG_DETACH");
		return 1;
	}
	return 0;
}
