/* A group's counters from its cgroup files (sys/cgstat.h). */
#include "sys/cgstat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/io.h"

/* Big enough for io.stat or blkio's files with a few dozen devices; what
 * does not fit is not counted. */
#define CG_FILE_MAX 16384

/* The file name in directory dirfd, whole, NUL-ended, in buf; false if
 * it cannot be read (no such file: the controller is elsewhere). */
static bool slurp(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t r;

	if (fd < 0)
		return false;
	r = read_full(fd, buf, size - 1);
	close(fd);
	if (r < 0)
		return false;
	buf[r] = '\0';
	return true;
}

/* A file holding one number, or "max" (v2: no limit, -1). v1 reports no
 * limit as the largest page-aligned long (9223372036854771712): -1 too. */
static long long read_num(int dirfd, const char *name)
{
	char buf[64], *end;
	long long v;

	if (!slurp(dirfd, name, buf, sizeof(buf)))
		return -1;
	if (strncmp(buf, "max", 3) == 0)
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || end == buf || v < 0)
		return -1;
	return v >= LLONG_MAX - 65536 ? -1 : v;
}

/* The value of "key N" lines (cpu.stat's usage_usec), -1 if none. */
static long long keyed(const char *text, const char *key)
{
	size_t l = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, l) == 0 && p[l] == ' ')
			return strtoll(p + l + 1, NULL, 10);
	return -1;
}

/* io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N ..." per device. */
static void io_stat(const char *text, struct cgstat *s)
{
	static const char *const keys[] = { "rbytes=", "wbytes=", "rios=", "wios=" };
	long long *out[] = { &s->io_rbytes, &s->io_wbytes, &s->io_rios, &s->io_wios };

	for (size_t k = 0; k < 4; k++)
		*out[k] = 0;
	for (const char *p = text; *p;) {
		const char *eol = strchrnul(p, '\n');

		for (const char *w = p; w < eol; w++) {
			if (w != p && w[-1] != ' ')
				continue;
			for (size_t k = 0; k < 4; k++)
				if (strncmp(w, keys[k], strlen(keys[k])) == 0)
					*out[k] += strtoll(w + strlen(keys[k]), NULL, 10);
		}
		p = *eol ? eol + 1 : eol;
	}
}

/* blkio.throttle.io_service_bytes / io_serviced: "MAJ:MIN Read N" and
 * "MAJ:MIN Write N" per device (and Sync, Async, Discard, Total; a last
 * "Total N"): the reads into *rd, the writes into *wr. */
static void blkio_stat(const char *text, long long *rd, long long *wr)
{
	*rd = *wr = 0;
	for (const char *p = text; *p;) {
		const char *eol = strchrnul(p, '\n');
		char op[16];
		long long v;

		if (sscanf(p, "%*u:%*u %15s %lld", op, &v) == 2) {
			if (!strcmp(op, "Read"))
				*rd += v;
			else if (!strcmp(op, "Write"))
				*wr += v;
		}
		p = *eol ? eol + 1 : eol;
	}
}

/* True if the space-separated words hold word. */
static bool has_word(const char *words, const char *word)
{
	size_t l = strlen(word);

	for (const char *p = words; (p = strstr(p, word)) != NULL; p += l)
		if ((p == words || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\n' || !p[l]))
			return true;
	return false;
}

void cgstat_probe(struct cgroup_hier *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char buf[512];
		int dfd;

		if (!(h[i].kind & CGROUP_V2))
			continue;
		dfd = open(h[i].dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0 && slurp(dfd, "cgroup.subtree_control", buf, sizeof(buf))) {
			h[i].kind |= (has_word(buf, "memory") ? CGROUP_V2_MEMORY : 0) |
				     (has_word(buf, "pids") ? CGROUP_V2_PIDS : 0) |
				     (has_word(buf, "io") ? CGROUP_V2_IO : 0);
		} else {
			h[i].kind |= CGROUP_V2_MEMORY | CGROUP_V2_PIDS | CGROUP_V2_IO;
		}
		if (dfd >= 0)
			close(dfd);
	}
}

/* The v2 group's counters (kind: the controllers it has; a hybrid
 * host's v2 tree has cpu.stat alone); what it lacks leaves its fields. */
static void read_v2(int dfd, unsigned kind, struct cgstat *s, char *buf)
{
	long long v;

	if (slurp(dfd, "cpu.stat", buf, CG_FILE_MAX) && (v = keyed(buf, "usage_usec")) >= 0)
		s->cpu_usec = v;
	if ((kind & CGROUP_V2_MEMORY) && (v = read_num(dfd, "memory.current")) >= 0) {
		s->mem_current = v;
		s->mem_limit = read_num(dfd, "memory.max");
		/* memory.peak: Linux 5.19 and later. */
		s->mem_peak = read_num(dfd, "memory.peak");
		s->swap_current = read_num(dfd, "memory.swap.current");
	}
	if ((kind & CGROUP_V2_PIDS) && (v = read_num(dfd, "pids.current")) >= 0) {
		s->pids_current = v;
		s->pids_limit = read_num(dfd, "pids.max");
	}
	if ((kind & CGROUP_V2_IO) && slurp(dfd, "io.stat", buf, CG_FILE_MAX))
		io_stat(buf, s);
}

/* One v1 hierarchy's counters (kind: the controllers it holds), for the
 * fields v2 left unknown. */
static void read_v1(int dfd, unsigned kind, struct cgstat *s, char *buf)
{
	if ((kind & CGROUP_V1_CPUACCT) && s->cpu_usec < 0) {
		long long ns = read_num(dfd, "cpuacct.usage");

		s->cpu_usec = ns < 0 ? -1 : ns / 1000;
	}
	if ((kind & CGROUP_V1_MEMORY) && s->mem_current < 0) {
		long long sw = read_num(dfd, "memory.memsw.usage_in_bytes");

		s->mem_current = read_num(dfd, "memory.usage_in_bytes");
		s->mem_limit = read_num(dfd, "memory.limit_in_bytes");
		s->mem_peak = read_num(dfd, "memory.max_usage_in_bytes");
		/* memsw counts memory and swap together (swapaccount=1). */
		if (sw >= 0 && s->mem_current >= 0)
			s->swap_current = sw > s->mem_current ? sw - s->mem_current : 0;
	}
	if ((kind & CGROUP_V1_PIDS) && s->pids_current < 0) {
		s->pids_current = read_num(dfd, "pids.current");
		s->pids_limit = read_num(dfd, "pids.max");
	}
	if ((kind & CGROUP_V1_BLKIO) && s->io_rbytes < 0) {
		/* _recursive: the jail's own sub-groups, if it made any. */
		if (slurp(dfd, "blkio.throttle.io_service_bytes_recursive", buf, CG_FILE_MAX) ||
		    slurp(dfd, "blkio.throttle.io_service_bytes", buf, CG_FILE_MAX))
			blkio_stat(buf, &s->io_rbytes, &s->io_wbytes);
		if (slurp(dfd, "blkio.throttle.io_serviced_recursive", buf, CG_FILE_MAX) ||
		    slurp(dfd, "blkio.throttle.io_serviced", buf, CG_FILE_MAX))
			blkio_stat(buf, &s->io_rios, &s->io_wios);
	}
}

/* The lines of cgroup.procs: the group's processes (-1: unreadable). */
static long long count_procs(int dirfd, char *buf)
{
	int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	long long n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while ((r = RETRY_EINTR(read(fd, buf, CG_FILE_MAX))) > 0)
		for (ssize_t i = 0; i < r; i++)
			n += buf[i] == '\n';
	close(fd);
	return r < 0 ? -1 : n;
}

/* Whether a v1 hierarchy of kind has a field s still lacks. */
static bool v1_useful(unsigned kind, const struct cgstat *s)
{
	return s->procs < 0 || ((kind & CGROUP_V1_CPUACCT) && s->cpu_usec < 0) ||
	       ((kind & CGROUP_V1_MEMORY) && s->mem_current < 0) ||
	       ((kind & CGROUP_V1_PIDS) && s->pids_current < 0) ||
	       ((kind & CGROUP_V1_BLKIO) && s->io_rbytes < 0);
}

size_t cgstat_read(const struct cgroup_hier *h, size_t n, const char *sub, struct cgstat *s)
{
	static char buf[CG_FILE_MAX];
	size_t found = 0;

	memset(s, 0xff, sizeof(*s));	/* every field -1 */
	/* v2 first: where it has a controller, its files win. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			char path[PATH_MAX];
			bool v2 = h[i].kind & CGROUP_V2;
			int dfd;

			if (v2 != (pass == 0) || (!v2 && !v1_useful(h[i].kind, s)))
				continue;
			if (snprintf(path, sizeof(path), "%s%s%s", h[i].dir, sub ? "/" : "", sub ? sub : "") >=
			    (int)sizeof(path))
				continue;
			dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
			if (dfd < 0)
				continue;
			found++;
			if (s->procs < 0)
				s->procs = count_procs(dfd, buf);
			if (v2)
				read_v2(dfd, h[i].kind, s, buf);
			else
				read_v1(dfd, h[i].kind, s, buf);
			close(dfd);
		}
	}
	return found;
}
