#include "sys/passwd.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

/* Split s at ':' into at most n fields in place; returns the count. */
static size_t split_colon(char *s, char **f, size_t n)
{
	size_t i = 0;

	s[strcspn(s, "\n")] = '\0';
	while (i < n) {
		f[i++] = s;
		s = strchr(s, ':');
		if (!s)
			break;
		*s++ = '\0';
	}
	return i;
}

/* A decimal id, or -1. */
static long long parse_id(const char *s)
{
	char *end;
	long long v;

	if (!*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	return *end || errno || v < 0 || v > 0xfffffffeLL ? -1 : v;
}

/* True if the comma-separated list has name. */
static bool in_list(const char *list, const char *name)
{
	size_t l = strlen(name);

	for (const char *p = list; *p; p += strcspn(p, ",")) {
		if (*p == ',')
			p++;
		if (strncmp(p, name, l) == 0 && (p[l] == ',' || p[l] == '\0'))
			return true;
	}
	return false;
}

/* Open a regular file for reading; the jail owns these files, and a FIFO
 * or a device in their place must not hang or confuse brig. */
static FILE *open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

/* Supplementary groups of u from the group file (missing file: none). */
static void read_groups(const char *group, struct jail_user *u)
{
	FILE *f = open_regular(group);
	char *line = NULL;
	size_t cap = 0;

	u->groups = xmalloc(sizeof(gid_t));
	u->groups[0] = u->gid;
	u->ngroups = 1;
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char *fl[4];
		long long gid;

		if (split_colon(line, fl, 4) < 4 || (gid = parse_id(fl[2])) < 0 ||
		    (gid_t)gid == u->gid || !in_list(fl[3], u->name))
			continue;
		u->groups = xrealloc(u->groups, (u->ngroups + 1) * sizeof(gid_t));
		u->groups[u->ngroups++] = (gid_t)gid;
	}
	free(line);
	fclose(f);
}

int passwd_lookup(const char *passwd, const char *group, const char *name,
		  struct jail_user *u, struct brig_err *e)
{
	long long want_uid = parse_id(name);
	FILE *f = open_regular(passwd);
	char *line = NULL;
	size_t cap = 0;
	bool found = false;

	memset(u, 0, sizeof(*u));
	if (!f)
		return brig_err_set(e, errno, "user \"%s\": %s", name, passwd);
	while (!found && getline(&line, &cap, f) > 0) {
		char *fl[7];
		long long uid, gid;

		if (split_colon(line, fl, 7) < 7 || (uid = parse_id(fl[2])) < 0 ||
		    (gid = parse_id(fl[3])) < 0)
			continue;
		if (strcmp(fl[0], name) != 0 && uid != want_uid)
			continue;
		found = true;
		u->name = xstrdup(fl[0]);
		u->uid = (uid_t)uid;
		u->gid = (gid_t)gid;
		u->home = xstrdup(*fl[5] ? fl[5] : "/");
		u->shell = xstrdup(*fl[6] ? fl[6] : "/bin/sh");
	}
	free(line);
	fclose(f);
	if (!found)
		return brig_err_set(e, 0, "user \"%s\": not found in the jail's %s", name, passwd);
	read_groups(group, u);
	return 0;
}

void passwd_free(struct jail_user *u)
{
	free(u->name);
	free(u->groups);
	free(u->home);
	free(u->shell);
	memset(u, 0, sizeof(*u));
}

int passwd_host(const char *name, struct jail_user *u, struct brig_err *e)
{
	struct passwd *pw = getpwnam(name);
	int ng = 64;

	memset(u, 0, sizeof(*u));
	if (!pw)
		return brig_err_set(e, 0, "user \"%s\": not found on the host", name);
	u->name = xstrdup(pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->home = xstrdup(pw->pw_dir);
	u->shell = xstrdup(*pw->pw_shell ? pw->pw_shell : "/bin/sh");
	u->groups = xcalloc((size_t)ng, sizeof(gid_t));
	if (getgrouplist(pw->pw_name, pw->pw_gid, u->groups, &ng) < 0) {
		u->groups = xrealloc(u->groups, (size_t)ng * sizeof(gid_t));
		getgrouplist(pw->pw_name, pw->pw_gid, u->groups, &ng);
	}
	u->ngroups = (size_t)ng;
	return 0;
}
