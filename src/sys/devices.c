/* The device allow-list of a jail's cgroups (see devices.h for the why). */
#include "sys/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "sys/bpfprog.h"
#include "util/mem.h"

const struct devfs_node devfs_nodes[] = {
	{ "null", 1, 3, DEVFS_BASIC },	{ "zero", 1, 5, DEVFS_BASIC },
	{ "full", 1, 7, DEVFS_BASIC },	{ "random", 1, 8, DEVFS_BASIC },
	{ "urandom", 1, 9, DEVFS_BASIC }, { "tty", 5, 0, DEVFS_LOGIN },
};
const size_t devfs_nnodes = ARRAY_SIZE(devfs_nodes);

/* The ptys of a jail's own devpts: its ptmx (pts/ptmx, /dev/ptmx links
 * to it) and the Unix98 pty peers. */
static const struct dev_rule login_ptys[] = { { 'c', 5, 2 }, { 'c', 136, -1 } };

int devfs_ruleset_sets(long long ruleset)
{
	switch (ruleset) {
	case 1:	/* devfsrules_hide_all */
		return 0;
	case 2:	/* devfsrules_unhide_basic (after hide_all) */
		return DEVFS_BASIC;
	case 3:	/* devfsrules_unhide_login (after hide_all) */
		return DEVFS_LOGIN;
	case 0:	/* none: jail(8)'s default for mount.devfs, 4 */
	case 4:	/* devfsrules_jail */
	case 5:	/* devfsrules_jail_vnet (4 and pf, which Linux has not) */
		return DEVFS_BASIC | DEVFS_LOGIN;
	default:
		return -1;
	}
}

size_t devices_rules(unsigned int sets, struct dev_rule *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < devfs_nnodes; i++)
		if ((devfs_nodes[i].set & sets) && n < max)
			out[n++] = (struct dev_rule){ 'c', devfs_nodes[i].major, (int)devfs_nodes[i].minor };
	if (sets & DEVFS_LOGIN)
		for (size_t i = 0; i < ARRAY_SIZE(login_ptys) && n < max; i++)
			out[n++] = login_ptys[i];
	return n;
}

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_W | BPF_MEM, d, s, o, 0)
#define AND32(d, i) INSN(BPF_ALU | BPF_AND | BPF_K, d, 0, 0, i)
#define JNE(d, i, o) INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define MOV64(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* The program, as runc's and crun's: load type, major and minor of the
 * access (struct bpf_cgroup_dev_ctx), then one block per rule that
 * returns 1 (allow) when type, major and minor match, or falls through to
 * the next; after the last, 0 (EPERM). */
size_t devices_bpf_prog(const struct dev_rule *rules, size_t n, void *out, size_t max)
{
	struct bpf_insn *p = out;
	size_t k = 0;

	if (max < 4 + n * 5 + 2)
		return 0;
	p[k++] = LDX_W(BPF_REG_2, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, access_type));
	p[k++] = AND32(BPF_REG_2, 0xffff);	/* BPF_DEVCG_DEV_*; access bits are above */
	p[k++] = LDX_W(BPF_REG_4, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, major));
	p[k++] = LDX_W(BPF_REG_5, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, minor));
	for (size_t i = 0; i < n; i++) {
		int type = rules[i].type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
		short left = rules[i].minor >= 0 ? 4 : 3;	/* instructions after the first jump */

		p[k++] = JNE(BPF_REG_2, type, left);
		p[k++] = JNE(BPF_REG_4, (int)rules[i].major, --left);
		if (rules[i].minor >= 0)
			p[k++] = JNE(BPF_REG_5, rules[i].minor, --left);
		p[k++] = MOV64(BPF_REG_0, 1);
		p[k++] = EXIT();
	}
	p[k++] = MOV64(BPF_REG_0, 0);
	p[k++] = EXIT();
	return k;
}

/* Write s to dir/file. */
static int write_file(const char *dir, const char *file, const char *s, struct brig_err *e)
{
	cleanup_free char *path = xasprintf("%s/%s", dir, file);
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t len = strlen(s);

	if (fd < 0 || write(fd, s, len) != (ssize_t)len)
		return brig_err_set(e, errno, "%s: writing \"%s\"", path, s);
	return 0;
}

/* cgroup v1: deny everything, then allow each rule. */
static int limit_v1(const char *dir, const struct dev_rule *rules, size_t n, struct brig_err *e)
{
	if (write_file(dir, "devices.deny", "a", e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char rule[48];

		if (rules[i].minor >= 0)
			snprintf(rule, sizeof(rule), "%c %u:%d rwm", rules[i].type, rules[i].major, rules[i].minor);
		else
			snprintf(rule, sizeof(rule), "%c %u:* rwm", rules[i].type, rules[i].major);
		if (write_file(dir, "devices.allow", rule, e) < 0)
			return -1;
	}
	return 0;
}

/* cgroup v2: the program, attached to dir (nothing to record: it goes
 * with the group). */
static int limit_v2(const char *dir, const struct dev_rule *rules, size_t n, struct brig_err *e)
{
	struct bpf_insn insns[8 + 5 * 16];
	size_t ni = devices_bpf_prog(rules, n, insns, ARRAY_SIZE(insns));
	cleanup_close int cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (cg < 0)
		return brig_err_set(e, errno, "%s", dir);
	return bpf_cg_attach(cg, dir, BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, insns, ni, "device", e);
}

/* What hierarchy dir is in: 1 a v1 devices group, 2 a v2 group, 0 other. */
static int kind(const char *dir)
{
	cleanup_free char *allow = xasprintf("%s/devices.allow", dir);
	struct statfs sf;

	if (statfs(dir, &sf) < 0)
		return 0;
	if (sf.f_type == CGROUP2_SUPER_MAGIC)
		return 2;
	return sf.f_type == CGROUP_SUPER_MAGIC && access(allow, F_OK) == 0 ? 1 : 0;
}

int devices_limit(char *const *dirs, size_t n, unsigned int sets, struct brig_err *e)
{
	struct dev_rule rules[16];
	size_t nr = devices_rules(sets, rules, ARRAY_SIZE(rules));
	const char *v2 = NULL;

	for (size_t i = 0; i < n; i++) {
		int k = kind(dirs[i]);

		if (k == 1)
			return limit_v1(dirs[i], rules, nr, e) < 0 ? brig_err_wrap(e, "devices") : 0;
		if (k == 2 && !v2)
			v2 = dirs[i];
	}
	if (v2)
		return limit_v2(v2, rules, nr, e) < 0 ? brig_err_wrap(e, "devices") : 0;
	return brig_err_set(e, 0, "devices: neither a v1 devices cgroup nor a cgroup v2 tree on this "
			    "host: the device allow-list cannot be enforced");
}
