/* What a group's processes hold, summed over them (sys/procsum.h). */
#include "sys/procsum.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/io.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* The kB of "Key:   N kB" in /proc/PID/status's text, in bytes (0: none,
 * a kernel thread or a zombie). */
static long long kb(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtoll(p + strlen(key), NULL, 10) * 1024 : 0;
}

/* Add process pid's figures to s. */
static void add_proc(long pid, struct procsum *s)
{
	char path[64], buf[4096];
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if (read_small(path, buf, sizeof(buf)) < 0)
		return;
	s->data += kb(buf, "\nVmData:");
	s->stack += kb(buf, "\nVmStk:");
	s->vmem += kb(buf, "\nVmSize:");
	s->locked += kb(buf, "\nVmLck:");
	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	d = opendir(path);
	if (!d)
		return;
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		s->files += de->d_name[0] != '.';
	closedir(d);
}

int procsum_read(const char *dir, struct procsum *s)
{
	cleanup_free char *path = xasprintf("%s/cgroup.procs", dir);
	struct strbuf sb = STRBUF_INIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	memset(s, 0, sizeof(*s));
	if (fd < 0)
		return -1;
	if (read_to_end(fd, &sb) < 0) {
		close(fd);
		sb_free(&sb);
		return -1;
	}
	close(fd);
	for (char *p = sb.s; p && *p;) {
		char *end;
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		add_proc(pid, s);
		p = end;
		while (*p == '\n')
			p++;
	}
	sb_free(&sb);
	return 0;
}
