#include "sys/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "util/io.h"
#include "util/mem.h"
#include "util/mkdirp.h"

/* v1 controllers worth a group of their own: pids and memory track and
 * limit, cpu shares and quota, devices holds the jail's device allow-list
 * (sys/devices.c), cpuacct and blkio count CPU time and disk io (where
 * the v2 tree has no such controller: brig stats, sys/cgstat.c), blkio
 * also holds the rates of rctl, cpuset the jail's CPUs (its groups get
 * their parent's CPUs and memory nodes when made: a v1 cpuset group
 * starts empty, and no task may join an empty one). Others (freezer,
 * named hierarchies such as systemd's) are left alone. In the order of
 * enum cgroup_kind's v1 bits. */
static const char *const v1_wanted[] = { "pids", "memory", "cpu", "devices", "cpuacct", "blkio", "cpuset" };

/* The v2 controllers brig's groups may limit with (sys/limits.c). */
static const char *const v2_wanted[] = { "memory", "pids", "cpu", "io", "cpuset" };

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* True if the comma-separated opts hold exactly the option opt. */
static bool has_opt(const char *opts, const char *opt)
{
	size_t l = strlen(opt);

	for (const char *p = opts; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, opt, l) == 0 && (p[l] == ',' || p[l] == '\0'))
			return true;
	}
	return false;
}

/* True if the sep-separated list s holds the word w. */
static bool has_opt_sep(const char *s, const char *w, char sep)
{
	size_t l = strlen(w);

	for (const char *p = s; p; p = strchr(p, sep)) {
		if (*p == sep)
			p++;
		if (strncmp(p, w, l) == 0 && (p[l] == sep || p[l] == '\0'))
			return true;
	}
	return false;
}

int cgroup_hiers(const char *group, struct cgroup_hier **out, size_t *n, struct brig_err *e)
{
	bool seen[ARRAY_SIZE(v1_wanted)] = { false };
	bool seen_v2 = false;
	char *line = NULL;
	size_t cap = 0, len = 0;
	struct cgroup_hier *v = NULL;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return brig_err_set(e, errno, "cgroup: /proc/self/mountinfo");
	while (getline(&line, &cap, f) > 0) {
		char mnt[4096], fstype[64], superopts[1024];
		const char *dash = strstr(line, " - ");
		unsigned kind = 0;

		if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, superopts) != 2)
			continue;
		if (strcmp(fstype, "cgroup2") == 0 && !seen_v2) {
			seen_v2 = true;
			kind = CGROUP_V2;
		} else if (strcmp(fstype, "cgroup") == 0) {
			/* A controller mounted twice is used where first seen;
			 * co-mounted ones (cpu,cpuacct) share one group. */
			for (size_t i = 0; i < ARRAY_SIZE(v1_wanted); i++)
				if (!seen[i] && has_opt(superopts, v1_wanted[i])) {
					seen[i] = true;
					kind |= CGROUP_V1_PIDS << i;
				}
		}
		if (!kind)
			continue;
		unescape(mnt);
		v = xrealloc(v, (len + 1) * sizeof(*v));
		v[len++] = (struct cgroup_hier){ .dir = xasprintf("%s/%s", mnt, group), .kind = kind };
	}
	free(line);
	fclose(f);
	*out = v;
	*n = len;
	return 0;
}

void cgroup_hiers_free(struct cgroup_hier *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].dir);
	free(v);
}

int cgroup_dirs(const char *group, char ***out, size_t *n, struct brig_err *e)
{
	struct cgroup_hier *h;

	if (cgroup_hiers(group, &h, n, e) < 0)
		return -1;
	*out = xcalloc(*n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++)
		(*out)[i] = h[i].dir;
	free(h);
	return 0;
}

/* dir's file name, its first line (without the newline) in buf; -1 if
 * unreadable. */
static int read_line(const char *dir, const char *name, char *buf, size_t len)
{
	cleanup_free char *p = xasprintf("%s/%s", dir, name);

	buf[0] = '\0';
	if (read_small(p, buf, len) < 0)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Write text into dir/name (best effort: the caller checks the effect). */
static void write_str(const char *dir, const char *name, const char *text)
{
	cleanup_free char *p = xasprintf("%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0) {
			/* a controller the parent cannot give: its limit says so */
		}
		close(fd);
	}
}

/* A new group's setup, given its parent: on v2, the controllers the
 * parent has, for its children (limits need them); on v1 cpuset, the
 * parent's CPUs and memory nodes, and for brig's own group (brigs) the
 * kernel's copy of them into every group made in it. */
static void group_setup(const char *dir, const char *parent, bool brigs)
{
	struct statfs sf;
	char buf[4096];

	if (statfs(dir, &sf) < 0)
		return;
	if (sf.f_type == CGROUP2_SUPER_MAGIC) {
		char on[4096];

		/* Only what is not on yet: every start comes here. */
		if (read_line(parent, "cgroup.controllers", buf, sizeof(buf)) < 0)
			return;
		if (read_line(parent, "cgroup.subtree_control", on, sizeof(on)) < 0)
			on[0] = '\0';
		for (size_t i = 0; i < ARRAY_SIZE(v2_wanted); i++)
			if (has_opt_sep(buf, v2_wanted[i], ' ') && !has_opt_sep(on, v2_wanted[i], ' ')) {
				char plus[32];

				snprintf(plus, sizeof(plus), "+%s", v2_wanted[i]);
				write_str(parent, "cgroup.subtree_control", plus);
			}
		return;
	}
	/* Each file on its own: another brig making a sibling group may have
	 * written brig's group's mems and not yet its cpus (parallel starts:
	 * a jail joining a group whose cpus are empty got ENOSPC). The caller
	 * sets the parent up first, so what is copied is never empty. */
	for (size_t i = 0; i < 2; i++) {
		const char *f = i ? "cpuset.cpus" : "cpuset.mems";

		if (read_line(dir, f, buf, sizeof(buf)) < 0)
			return;	/* not the cpuset hierarchy */
		if (!buf[0] && read_line(parent, f, buf, sizeof(buf)) == 0)
			write_str(dir, f, buf);
	}
	/* The jails' groups then start with brig's group's CPUs and nodes
	 * (cgroup.clone_children, cpuset's only use of it): writing a group's
	 * cpuset.cpus makes the kernel check it against every sibling and
	 * rebuild the scheduler's domains, O(jails) a start (issue 14). The
	 * copy above stays for a group made before this was set. */
	if (brigs && read_line(dir, "cgroup.clone_children", buf, sizeof(buf)) == 0 && strcmp(buf, "1") != 0)
		write_str(dir, "cgroup.clone_children", "1");
}

int cgroup_create(const char *dir, struct brig_err *e)
{
	cleanup_free char *parent = xstrdup(dir);
	char *slash = strrchr(parent, '/');
	int made = mkdir(dir, 0755) == 0;

	/* Usually brig's group is there, or its hierarchy's root is. */
	if (!made && errno == ENOENT && slash) {
		*slash = '\0';
		made = (mkdir(parent, 0755) == 0 || errno == EEXIST) && mkdir(dir, 0755) == 0;
		*slash = '/';
		if (!made && errno == ENOENT) {
			if (mkdirp(dir, 0755, e) < 0)
				return brig_err_wrap(e, "cgroup");
			made = 1;
		}
	}
	if (!made && errno != EEXIST)
		return brig_err_set(e, errno, "cgroup: creating %s", dir);
	/* brig's own group (from its parent, the hierarchy's root), then the
	 * jail's (from brig's). */
	if (slash) {
		cleanup_free char *grand = NULL;
		char *up;

		*slash = '\0';
		grand = xstrdup(parent);
		up = strrchr(grand, '/');
		if (up) {
			*up = '\0';
			group_setup(parent, grand, true);
		}
		group_setup(dir, parent, false);
	}
	return made;
}

int cgroup_create_shared(const char *dir, struct brig_err *e)
{
	cleanup_free char *parent = xstrdup(dir);
	char *slash = strrchr(parent, '/');

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return brig_err_set(e, errno, "cgroup: creating %s", dir);
	if (slash) {
		*slash = '\0';
		group_setup(dir, parent, true);
	}
	return 0;
}

int cgroup_remove(const char *dir, struct brig_err *e)
{
	int tries = 0;

	/* The last processes of a jail may still be on their way out (their
	 * exit is asynchronous to their parent's): retry briefly on EBUSY. */
	while (rmdir(dir) < 0) {
		if (errno == ENOENT)
			break;
		if (errno != EBUSY || ++tries > 200)
			return brig_err_set(e, errno, "removing cgroup %s", dir);
		nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
	}
	return 0;
}

const char *cgroup_v2_dir(char *const *dirs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct statfs sf;

		if (statfs(dirs[i], &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
			return dirs[i];
	}
	return NULL;
}

int cgroup_join_open(char *const *dirs, size_t n, struct cgroup_join *j, struct brig_err *e)
{
	*j = (struct cgroup_join){ .v2 = -1, .v2procs = -1, .v1 = xcalloc(n + 1, sizeof(int)) };
	for (size_t i = 0; i < n; i++) {
		struct statfs sf;
		int fd = open(dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

		if (fd < 0 || fstatfs(fd, &sf) < 0) {
			brig_err_set(e, errno, "cgroup %s", dirs[i]);
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		if (sf.f_type == CGROUP2_SUPER_MAGIC && j->v2 < 0) {
			j->v2 = fd;
			j->v2procs = openat(fd, "cgroup.procs", O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
			if (j->v2procs < 0) {
				brig_err_set(e, errno, "cgroup %s/cgroup.procs", dirs[i]);
				goto fail;
			}
			continue;
		}
		j->v1[j->nv1] = openat(fd, "tasks", O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		close(fd);
		if (j->v1[j->nv1] < 0) {
			brig_err_set(e, errno, "cgroup %s/tasks", dirs[i]);
			goto fail;
		}
		j->nv1++;
	}
	return 0;
fail:
	cgroup_join_close(j);
	return -1;
}

void cgroup_join_close(struct cgroup_join *j)
{
	for (size_t i = 0; i < j->nv1; i++)
		close(j->v1[i]);
	if (j->v2 >= 0)
		close(j->v2);
	if (j->v2procs >= 0)
		close(j->v2procs);
	free(j->v1);
	*j = (struct cgroup_join){ .v2 = -1, .v2procs = -1 };
}

int cgroup_join_self(const struct cgroup_join *j, bool in_v2)
{
	/* One write of 0 to cgroup.procs moves the whole process, which
	 * takes the lock that waits; to tasks, the calling thread alone
	 * (C and Y have no other). */
	if (!in_v2 && j->v2procs >= 0 && write(j->v2procs, "0", 1) != 1)
		return -1;
	for (size_t i = 0; i < j->nv1; i++)
		if (write(j->v1[i], "0", 1) != 1)
			return -1;
	return 0;
}

long cgroup_nprocs(const char *dir)
{
	cleanup_free char *path = xasprintf("%s/cgroup.procs", dir);
	char buf[4096];
	long n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < r; i++)
			n += buf[i] == '\n';
	close(fd);
	return r < 0 ? -1 : n;
}

long cgroup_pids(const char *dir, pid_t **out)
{
	cleanup_free char *path = xasprintf("%s/cgroup.procs", dir);
	FILE *f = fopen(path, "re");
	pid_t *v = NULL;
	size_t n = 0, cap = 0;
	long pid;

	if (!f)
		return -1;
	while (fscanf(f, "%ld", &pid) == 1) {
		v = xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = (pid_t)pid;
	}
	fclose(f);
	*out = v;
	return (long)n;
}

int cgroup_open_file(char *const *dirs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *p = xasprintf("%s/%s", dirs[i], name);
		int fd = open(p, O_RDONLY | O_CLOEXEC);

		if (fd >= 0)
			return fd;
	}
	return -1;
}

bool cgroup_has(char *const *dirs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *p = xasprintf("%s/%s", dirs[i], name);

		if (access(p, F_OK) == 0)
			return true;
	}
	return false;
}
