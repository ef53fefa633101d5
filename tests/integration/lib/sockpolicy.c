/* The test's view of the map of shared-IP policies (sys/sockaddr.c: a
 * cgroup storage map pinned in brig's bpffs, one value per group):
 *   sockpolicy MAP count        how many groups have a value
 *   sockpolicy MAP get DIR      the value's first word (the magic) of the
 *                               group at DIR, in hex; "none" if it has none
 *   sockpolicy MAP zero DIR     write zeros over the group's value (as if
 *                               it were never written)
 *   sockpolicy PROG attach DIR  attach the pinned bind4 program PROG to the
 *                               group at DIR (as an earlier start did)
 * By the bpf() syscall (no libbpf needed to build it). Exit 0 if done. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int sys(int cmd, union bpf_attr *a)
{
	return (int)syscall(SYS_bpf, cmd, a, sizeof(*a));
}

/* The id of the cgroup at dir. */
static uint64_t group(const char *dir)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + 64];
	} h = { .fh.handle_bytes = 64 };
	uint64_t id;
	int mnt;

	if (name_to_handle_at(AT_FDCWD, dir, &h.fh, &mnt, 0) < 0 || h.fh.handle_bytes != 8) {
		perror(dir);
		exit(1);
	}
	memcpy(&id, h.fh.f_handle, 8);
	return id;
}

int main(int argc, char **argv)
{
	static char value[65536];
	union bpf_attr a;
	struct bpf_map_info info;
	uint64_t key, next;
	int map, n = 0;

	if (argc < 3)
		return 2;
	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)argv[1];
	map = sys(BPF_OBJ_GET, &a);
	if (map < 0) {
		perror(argv[1]);
		return 1;
	}
	if (argc == 4 && !strcmp(argv[2], "attach")) {
		int cg = open(argv[3], O_RDONLY | O_DIRECTORY);

		memset(&a, 0, sizeof(a));
		a.target_fd = (uint32_t)cg;
		a.attach_bpf_fd = (uint32_t)map;
		a.attach_type = BPF_CGROUP_INET4_BIND;
		a.attach_flags = BPF_F_ALLOW_MULTI;
		if (cg < 0 || sys(BPF_PROG_ATTACH, &a) < 0) {
			perror(argv[3]);
			return 1;
		}
		return 0;
	}
	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)map;
	a.info.info_len = sizeof(info);
	a.info.info = (uintptr_t)&info;
	if (sys(BPF_OBJ_GET_INFO_BY_FD, &a) < 0 || info.value_size > sizeof(value)) {
		perror("map info");
		return 1;
	}
	if (!strcmp(argv[2], "count")) {
		memset(&a, 0, sizeof(a));
		a.map_fd = (uint32_t)map;
		a.key = 0;
		a.next_key = (uintptr_t)&next;
		while (sys(BPF_MAP_GET_NEXT_KEY, &a) == 0) {
			n++;
			key = next;
			a.key = (uintptr_t)&key;
		}
		printf("%d\n", n);
		return 0;
	}
	if (argc != 4)
		return 2;
	key = group(argv[3]);
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)map;
	a.key = (uintptr_t)&key;
	a.value = (uintptr_t)value;
	if (!strcmp(argv[2], "get")) {
		uint32_t magic;

		if (sys(BPF_MAP_LOOKUP_ELEM, &a) < 0) {
			puts("none");
			return 0;
		}
		memcpy(&magic, value, 4);
		printf("%08x\n", magic);
		return 0;
	}
	if (!strcmp(argv[2], "zero")) {
		memset(value, 0, info.value_size);
		a.flags = BPF_EXIST;
		if (sys(BPF_MAP_UPDATE_ELEM, &a) < 0) {
			perror("update");
			return 1;
		}
		return 0;
	}
	return 2;
}
