/* Users of a jail, read from the jail's own /etc/passwd and /etc/group.
 *
 * Parsed by hand on purpose: getpwnam() would consult NSS, which may load
 * modules named by the jail's /etc/nsswitch.conf from the jail's own
 * filesystem into a process that still holds host privileges. */
#ifndef BRIG_SYS_PASSWD_H
#define BRIG_SYS_PASSWD_H

#include <stddef.h>
#include <sys/types.h>

#include "util/err.h"

struct jail_user {
	char *name;
	uid_t uid;
	gid_t gid;
	gid_t *groups;		/* supplementary, primary included */
	size_t ngroups;
	char *home;
	char *shell;
};

/* Look name up (a name, or a numeric uid present in passwd) in the files
 * passwd and group of the tree rooted at rootfd (the jail's root), each
 * read with util/readfile.h's bounds: no symlink, a regular file of at
 * most 1 MiB. A missing group file means no supplementary groups. */
int passwd_lookup(int rootfd, const char *passwd, const char *group, const char *name,
		  struct jail_user *u, struct brig_err *e);
/* Look name up in the host's own user database (jexec -U,
 * exec.system_jail_user): NSS is fine there, it is the host's. */
int passwd_host(const char *name, struct jail_user *u, struct brig_err *e);
void passwd_free(struct jail_user *u);

#endif
