#include "sys/passwd.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"
#include "util/readfile.h"

/* The bound on a jail's passwd and group files: ~15,000 accounts of 70
 * bytes, far more than a jail keeps in files (sites with more use a
 * directory service, not /etc/passwd); a lookup then costs at most 1 MiB
 * of memory and a millisecond, whatever the jail plants there. */
#define ACCOUNTS_MAX (1024 * 1024)

/* Split s at ':' into at most n fields in place; returns the count. */
static size_t split_colon(char *s, char **f, size_t n)
{
	size_t i = 0;

	while (i < n) {
		f[i++] = s;
		s = strchr(s, ':');
		if (!s)
			break;
		*s++ = '\0';
	}
	return i;
}

/* The next line of the text at *p (NUL-ended, in place), or NULL. */
static char *next_line(char **p)
{
	char *line = *p, *nl;

	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
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

/* Supplementary groups of u from the group file (missing file: none). */
static int read_groups(int rootfd, const char *group, struct jail_user *u, struct brig_err *e)
{
	cleanup_free char *text = NULL;
	char *p, *line;

	u->groups = xmalloc(sizeof(gid_t));
	u->groups[0] = u->gid;
	u->ngroups = 1;
	if (read_bounded(rootfd, group, READ_BENEATH, ACCOUNTS_MAX, &text, NULL, e) < 0)
		return e->errnum == ENOENT ? 0 : -1;
	for (p = text; (line = next_line(&p));) {
		char *fl[4];
		long long gid;

		if (split_colon(line, fl, 4) < 4 || (gid = parse_id(fl[2])) < 0 ||
		    (gid_t)gid == u->gid || !in_list(fl[3], u->name))
			continue;
		u->groups = xrealloc(u->groups, (u->ngroups + 1) * sizeof(gid_t));
		u->groups[u->ngroups++] = (gid_t)gid;
	}
	return 0;
}

int passwd_lookup(int rootfd, const char *passwd, const char *group, const char *name,
		  struct jail_user *u, struct brig_err *e)
{
	long long want_uid = parse_id(name);
	cleanup_free char *text = NULL;
	char *p, *line;

	memset(u, 0, sizeof(*u));
	if (read_bounded(rootfd, passwd, READ_BENEATH, ACCOUNTS_MAX, &text, NULL, e) < 0)
		return brig_err_wrap(e, "user \"%s\"", name);
	for (p = text; (line = next_line(&p));) {
		char *fl[7];
		long long uid, gid;

		if (split_colon(line, fl, 7) < 7 || (uid = parse_id(fl[2])) < 0 ||
		    (gid = parse_id(fl[3])) < 0)
			continue;
		if (strcmp(fl[0], name) != 0 && uid != want_uid)
			continue;
		u->name = xstrdup(fl[0]);
		u->uid = (uid_t)uid;
		u->gid = (gid_t)gid;
		u->home = xstrdup(*fl[5] ? fl[5] : "/");
		u->shell = xstrdup(*fl[6] ? fl[6] : "/bin/sh");
		break;
	}
	if (!u->name)
		return brig_err_set(e, 0, "user \"%s\": not found in the jail's %s", name, passwd);
	if (read_groups(rootfd, group, u, e) < 0) {
		passwd_free(u);
		return brig_err_wrap(e, "user \"%s\"", name);
	}
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
