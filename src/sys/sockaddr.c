/* A shared-IP jail's socket address policy (see sockaddr.h for the why):
 * its value, the programs loaded once and pinned, attached per jail. */
#include "sys/sockaddr.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "sys/bpfprog.h"
#include "sys/cgroup.h"
#include "sys/sockprog.h"
#include "util/lock.h"
#include "util/mem.h"
#include "util/mkdirp.h"
#include "util/paths.h"

#define PROG_MAX 2048

/* The word i of the netmask of prefix length plen, as the kernel loads
 * it (network order in memory). */
static uint32_t mask_word(int plen, int i)
{
	uint8_t m[16] = { 0 };
	uint32_t w;

	for (int b = 0; b < plen && b < 128; b++)
		m[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	memcpy(&w, m + 4 * i, 4);
	return w;
}

static void value_family(const struct sock_family *f, bool v6, struct sock_value_family *v)
{
	v->mode = (uint32_t)f->mode;
	for (size_t i = 0; i < SOCK_ADDRS_MAX; i++) {
		size_t from = i < f->n ? i : 0;

		if (f->n)
			memcpy(v->addr[i], f->addr[from], v6 ? 16 : 4);
		if (i < f->n && f->plen[i]) {
			for (int w = 0; w < 4; w++) {
				v->mask[i][w] = mask_word(f->plen[i], w);
				v->net[i][w] = v->addr[i][w] & v->mask[i][w];
			}
		} else {
			v->net[i][0] = UINT32_MAX;	/* mask 0: no destination matches */
		}
	}
}

void sockaddr_value(const struct sock_policy *p, struct sock_value *v)
{
	memset(v, 0, sizeof(*v));
	v->magic = SOCK_VALUE_MAGIC;
	value_family(&p->v4, false, &v->v4);
	value_family(&p->v6, true, &v->v6);
}

/* The layout of the programs and of their value (FNV-1a of the programs
 * as written for map descriptor 0): the pins' name, so that a brig whose
 * programs differ never uses another's. */
static uint64_t layout(struct bpf_insn *buf)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t vsize = sizeof(struct sock_value);

#define MIX(ptr, len)                                                 \
	for (size_t k_ = 0; k_ < (len); k_++)                         \
		h = (h ^ ((const uint8_t *)(ptr))[k_]) * 0x100000001b3ull
	MIX(&vsize, sizeof(vsize));
	for (int i = 0; i < SP_N; i++) {
		size_t n = sock_prog((enum sock_prog)i, 0, buf, PROG_MAX);

		MIX(&sock_progs[i].ptype, sizeof(sock_progs[i].ptype));
		MIX(&sock_progs[i].type, sizeof(sock_progs[i].type));
		MIX(buf, n * sizeof(*buf));
	}
#undef MIX
	return h;
}

/* The map of the policies (BPF_MAP_TYPE_CGROUP_STORAGE: one value per
 * group, made when a program using it is first attached there, gone with
 * the group; keyed by the group's id alone, so all its programs share
 * it). By the bpf() syscall: libbpf's bpf_map_create would probe the
 * kernel first (sys/bpfprog.c). */
static int map_new(struct brig_err *e)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_CGROUP_STORAGE;
	a.key_size = sizeof(uint64_t);
	a.value_size = sizeof(struct sock_value);
	fd = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	if (fd < 0)
		return brig_err_set(e, errno, "making the policy map");
	return fd;
}

/* The pin of program i in the set at dir, or of the map (i SP_N). */
static char *pin_path(const char *dir, int i)
{
	return xasprintf("%s/%s", dir, i < SP_N ? sock_progs[i].name : "policy");
}

/* The set of this brig's programs in the bpffs at dir; caller frees. */
static char *set_path(const char *dir)
{
	cleanup_free struct bpf_insn *buf = xcalloc(PROG_MAX, sizeof(*buf));

	return xasprintf("%s/sockaddr-%016" PRIx64, dir, layout(buf));
}

/* Remove dir and the pins in it (a set a killed brig left half-made). */
static void pins_remove(const char *dir)
{
	for (int i = 0; i <= SP_N; i++) {
		cleanup_free char *pin = pin_path(dir, i);

		unlink(pin);
	}
	rmdir(dir);
}

/* Load the programs and the map, pin them in tmp, then rename it set:
 * a set is whole or absent. */
static int pins_make(const char *tmp, const char *set, struct brig_err *e)
{
	cleanup_free struct bpf_insn *buf = xcalloc(PROG_MAX, sizeof(*buf));
	cleanup_close int map = -1;

	pins_remove(tmp);
	if (mkdir(tmp, 0700) < 0)
		return brig_err_set(e, errno, "%s", tmp);
	map = map_new(e);
	if (map < 0)
		return -1;
	for (int i = 0; i <= SP_N; i++) {
		cleanup_free char *pin = pin_path(tmp, i);
		cleanup_close int prog = -1;

		if (i < SP_N) {
			size_t n = sock_prog((enum sock_prog)i, map, buf, PROG_MAX);

			prog = bpf_prog_new(sock_progs[i].ptype, sock_progs[i].type, buf, n, sock_progs[i].name,
					    e);
			if (prog < 0)
				return -1;
		}
		if (bpf_obj_pin(i < SP_N ? prog : map, pin) < 0)
			return brig_err_set(e, errno, "pinning %s", pin);
	}
	if (rename(tmp, set) < 0)
		return brig_err_set(e, errno, "renaming %s to %s", tmp, set);
	return 0;
}

/* fds[i] for each program i needed, fds[SP_N]: the map, from the pins of this
 * brig's layout in RUNDIR/.bpf, a bpffs of brig's own (mounted there if it
 * is not yet: never the host's /sys/fs/bpf, which others use), loaded and
 * pinned first if they are not there. Under RUNDIR/.bpf.lock: brig
 * processes starting jails at once load them once. */
static int pins_get(const bool need[SP_N], int fds[SP_N + 1], struct brig_err *e)
{
	cleanup_free char *dir = xasprintf("%s/.bpf", brig_rundir());
	cleanup_free char *lock = xasprintf("%s/.bpf.lock", brig_rundir());
	cleanup_free char *set = set_path(dir);
	cleanup_free char *tmp = NULL;
	cleanup_close int lk = -1;
	struct statfs sf;

	if (mkdirp(brig_rundir(), 0700, e) < 0)
		return -1;
	lk = lock_open(AT_FDCWD, lock, LOCK_EX, NULL, NULL, e);
	if (lk < 0)
		return -1;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return brig_err_set(e, errno, "%s", dir);
	if (statfs(dir, &sf) < 0)
		return brig_err_set(e, errno, "%s", dir);
	if (sf.f_type != BPF_FS_MAGIC &&
	    mount("bpf", dir, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700") < 0)
		return brig_err_set(e, errno, "mounting a bpffs on %s", dir);
	if (access(set, F_OK) < 0) {
		/* made under another name, renamed whole (a bpffs name
		 * has no dot: no "set.new") */
		tmp = xasprintf("%s/new-%s", dir, strrchr(set, '/') + 1);
		if (pins_make(tmp, set, e) < 0) {
			pins_remove(tmp);
			return -1;
		}
	}
	for (int i = 0; i <= SP_N; i++) {
		cleanup_free char *pin = NULL;

		if (i < SP_N && !need[i])
			continue;
		pin = pin_path(set, i);
		fds[i] = bpf_obj_get(pin);
		if (fds[i] < 0)
			return brig_err_set(e, errno, "%s", pin);
	}
	return 0;
}

/* The id of the group open at cg (the key of its storage). */
static int group_id(int cg, const char *dir, uint64_t *id, struct brig_err *e)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + 64];
	} h = { .fh.handle_bytes = 64 };
	int mnt;

	if (name_to_handle_at(cg, "", &h.fh, &mnt, AT_EMPTY_PATH) < 0)
		return brig_err_set(e, errno, "%s: reading its id", dir);
	if (h.fh.handle_bytes != sizeof(*id))
		return brig_err_set(e, EINVAL, "%s: an id of %u bytes", dir, h.fh.handle_bytes);
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return 0;
}

int sockaddr_written(const char *dir, struct brig_err *e)
{
	cleanup_free char *dir_bpf = xasprintf("%s/.bpf", brig_rundir());
	cleanup_free char *set = set_path(dir_bpf);
	cleanup_free char *pin = pin_path(set, SP_N);
	cleanup_close int cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int map = -1;
	struct sock_value v;
	uint64_t id;

	if (cg < 0)
		return brig_err_set(e, errno, "%s", dir);
	if (group_id(cg, dir, &id, e) < 0)
		return -1;
	map = bpf_obj_get(pin);
	if (map < 0)
		return brig_err_set(e, errno, "%s", pin);
	if (bpf_map_lookup_elem(map, &id, &v) < 0) {
		if (errno == ENOENT)
			return 0;
		return brig_err_set(e, errno, "%s: reading the policy of %s", pin, dir);
	}
	return v.magic == SOCK_VALUE_MAGIC;
}

int sockaddr_limit(char *const *dirs, size_t n, const struct sock_policy *p, struct brig_err *e)
{
	/* IPv4 programs for its own IPv4 addresses; IPv6 ones for its
	 * IPv6 addresses, or for IPv4-mapped ones when IPv6 is the host's
	 * and IPv4 is not (a mapped send runs the IPv4 program). A family
	 * it may not use has no sockets. */
	bool need4 = p->v4.mode == SOCK_LIST;
	bool need6 = p->v6.mode == SOCK_LIST || (p->v6.mode == SOCK_ANY && p->v4.mode != SOCK_ANY);
	bool need[SP_N] = {
		[SP_BIND4] = need4, [SP_CONNECT4] = need4, [SP_SENDMSG4] = need4,
		[SP_BIND6] = need6, [SP_CONNECT6] = need6, [SP_SENDMSG6] = need6 && p->v6.mode != SOCK_ANY,
		[SP_SOCKET] = p->v4.mode == SOCK_NONE || p->v6.mode == SOCK_NONE,
		[SP_EGRESS] = p->raw,
	};
	int fds[SP_N + 1];
	const char *dir = NULL;
	cleanup_close int cg = -1;
	struct sock_value v;
	uint64_t id;
	int r = -1;

	if (p->v4.mode == SOCK_ANY && p->v6.mode == SOCK_ANY)
		return 0;
	if (!(dir = cgroup_v2_dir(dirs, n)))
		return brig_err_set(e, 0, "no cgroup v2 tree on this host: a jail sharing the host's "
				    "network needs one (its addresses are enforced there)");
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		return brig_err_set(e, errno, "%s", dir);
	if (group_id(cg, dir, &id, e) < 0)
		return -1;
	for (int i = 0; i <= SP_N; i++)
		fds[i] = -1;
	if (pins_get(need, fds, e) < 0)
		goto out;
	/* Attached first: that makes the group's storage, zero (every call
	 * denied) until the policy is written into it. (A group of an
	 * earlier start that could not be removed, used again, may have
	 * them already, and its policy: replaced below.) */
	for (int i = 0; i < SP_N; i++)
		if (need[i] && bpf_cg_attach_prog(cg, dir, fds[i], sock_progs[i].type, sock_progs[i].name, e) < 0)
			goto out;
	sockaddr_value(p, &v);
	if (bpf_map_update_elem(fds[SP_N], &id, &v, BPF_EXIST) < 0) {
		brig_err_set(e, errno, "%s: writing its policy into the map %s/.bpf/sockaddr-*/policy", dir,
			     brig_rundir());
		goto out;
	}
	r = 0;
out:
	for (int i = 0; i <= SP_N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return r;
}
