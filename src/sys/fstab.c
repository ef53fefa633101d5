/* fstab(5) lines of mount and mount.fstab: parsing only. */
#include "sys/jmount.h"

#include <ctype.h>
#include <errno.h>
#include <linux/mount.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"
#include "util/strbuf.h"

/* Split one field at *p (whitespace-separated, fstab's \040 escapes). */
static char *next_field(const char **p)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = *p;

	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '#') {
		*p = s;
		return NULL;
	}
	while (*s && !isspace((unsigned char)*s)) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			sb_addc(&sb, (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0')));
			s += 4;
		} else {
			sb_addc(&sb, *s++);
		}
	}
	*p = s;
	return sb_steal(&sb);
}

/* A target path as seen inside the jail. */
static char *jail_target(const char *t, const char *jail_path, struct brig_err *e)
{
	size_t l = jail_path ? strlen(jail_path) : 0;
	const char *rel = t;

	while (l > 1 && jail_path[l - 1] == '/')
		l--;
	if (l > 1 && strncmp(t, jail_path, l) == 0 && (t[l] == '/' || t[l] == '\0'))
		rel = t[l] ? t + l : "/";
	if (rel[0] != '/') {
		brig_err_set(e, 0, "%s: the mount point must be an absolute path", t);
		return NULL;
	}
	for (const char *c = rel; (c = strstr(c, "..")); c += 2)
		if (c[-1] == '/' && (c[2] == '/' || c[2] == '\0')) {
			brig_err_set(e, 0, "%s: \"..\" in a mount point is refused", t);
			return NULL;
		}
	/* The root itself: a nullfs of a base tree (the Handbook's thin
	 * jail), which becomes the jail's root (jmount_root). */
	if (strspn(rel, "/") == strlen(rel))
		return xstrdup("/");
	return xstrdup(rel);
}

static const struct {
	const char *name;
	unsigned long set;
	unsigned long clear;
} attr_opts[] = {
	{ "nosuid", MOUNT_ATTR_NOSUID, 0 },	{ "suid", 0, MOUNT_ATTR_NOSUID },
	{ "nodev", MOUNT_ATTR_NODEV, 0 },
	{ "noexec", MOUNT_ATTR_NOEXEC, 0 },	{ "exec", 0, MOUNT_ATTR_NOEXEC },
	{ "noatime", MOUNT_ATTR_NOATIME, 0 },	{ "nodiratime", MOUNT_ATTR_NODIRATIME, 0 },
	{ "relatime", MOUNT_ATTR_RELATIME, 0 }, { "strictatime", MOUNT_ATTR_STRICTATIME, 0 },
	/* Meaningless here (FreeBSD's or mount(8)'s own): accepted. */
	{ "defaults", 0, 0 },	{ "rw", 0, 0 },	{ "late", 0, 0 },	{ "auto", 0, 0 },
	{ "nofail", 0, 0 },	{ "bind", 0, 0 },	{ "rbind", 0, 0 },
};

/* Apply the options field to m; fs-specific ones collect in m->data. */
static int parse_opts(const char *opts, struct jmount *m, bool *noauto, struct brig_err *e)
{
	cleanup_free char *copy = xstrdup(opts);
	struct strbuf data = STRBUF_INIT;
	char *save = NULL;

	for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		bool known = false;

		if (strcmp(o, "ro") == 0) {
			m->ro = true;
			continue;
		}
		if (strcmp(o, "noauto") == 0) {
			*noauto = true;
			continue;
		}
		/* util-linux's fstab option (mount(8)); its mode is not
		 * taken: the directory is made 0755. */
		if (strcasecmp(o, "x-mount.mkdir") == 0) {
			m->mkdir = true;
			continue;
		}
		if (strcmp(o, "dev") == 0) {
			sb_free(&data);
			return brig_err_set(e, 0, "option \"dev\" is refused: device nodes work only in the "
					    "jail's own /dev (mount.devfs)");
		}
		for (size_t i = 0; i < ARRAY_SIZE(attr_opts) && !known; i++)
			if (strcmp(o, attr_opts[i].name) == 0) {
				m->attrs = (m->attrs | attr_opts[i].set) & ~attr_opts[i].clear;
				known = true;
			}
		if (known)
			continue;
		if (m->kind == JM_BIND) {
			sb_free(&data);
			return brig_err_set(e, 0, "option \"%s\" is not supported for a bind (nullfs) mount", o);
		}
		if (data.len)
			sb_addc(&data, ',');
		sb_adds(&data, o);
	}
	m->data = data.len ? sb_steal(&data) : NULL;
	sb_free(&data);
	return 0;
}

int jmount_parse(const char *line, const char *jail_path, struct jmount *m, struct brig_err *e)
{
	char *f[7] = { NULL };	/* six fields at most; a seventh is an error */
	const char *p = line;
	bool noauto = false;
	size_t nf = 0;
	int ret = -1;

	memset(m, 0, sizeof(*m));
	while (nf < ARRAY_SIZE(f) && (f[nf] = next_field(&p)))
		nf++;
	if (nf == 0) {
		ret = 0;
		goto out;
	}
	if (nf < 3) {
		brig_err_set(e, 0, "expected \"SOURCE MOUNTPOINT TYPE [OPTIONS]\"");
		goto out;
	}
	if (nf == ARRAY_SIZE(f)) {
		brig_err_set(e, 0, "too many fields");
		goto out;
	}
	if (strcmp(f[2], "nullfs") == 0 || (nf > 3 && (strstr(f[3], "bind") != NULL))) {
		m->kind = JM_BIND;
		m->recursive = nf > 3 && strstr(f[3], "rbind") != NULL;
		if (f[0][0] != '/') {
			brig_err_set(e, 0, "%s: the source of a nullfs mount must be an absolute path", f[0]);
			goto out;
		}
	} else if (strcmp(f[2], "tmpfs") == 0) {
		m->kind = JM_TMPFS;
	} else if (strcmp(f[2], "procfs") == 0 || strcmp(f[2], "proc") == 0 ||
		   strcmp(f[2], "linprocfs") == 0) {
		m->kind = JM_PROC;	/* linprocfs: FreeBSD's copy of Linux's */
	} else if (strcmp(f[2], "linsysfs") == 0 || strcmp(f[2], "sysfs") == 0) {
		m->kind = JM_SYSFS;
	} else if (strcmp(f[2], "fdescfs") == 0) {
		m->kind = JM_FDESCFS;
	} else if (strcmp(f[2], "devfs") == 0) {
		m->kind = JM_DEVFS;
	} else {
		brig_err_set(e, 0, "file system type \"%s\" is not supported (nullfs, tmpfs, procfs, "
			     "linprocfs, linsysfs, fdescfs, devfs are)", f[2]);
		goto out;
	}
	m->target = jail_target(f[1], jail_path, e);
	if (!m->target || (nf > 3 && parse_opts(f[3], m, &noauto, e) < 0))
		goto out;
	if (strcmp(m->target, "/") == 0 && m->kind != JM_BIND) {
		brig_err_set(e, 0, "%s: only a nullfs can be mounted over the jail's root", f[1]);
		goto out;
	}
	/* Linux has no fdescfs: /proc/self/fd is its form, which only a link
	 * in a /dev of brig's reaches (a mount would show the mounting
	 * process's): the fd directory of a devfs (core/spec.c checks that
	 * a devfs is mounted there). */
	if (m->kind == JM_FDESCFS &&
	    (strlen(m->target) < 4 || strcmp(m->target + strlen(m->target) - 3, "/fd") != 0)) {
		brig_err_set(e, 0, "%s: fdescfs only in the fd directory of a devfs (/dev/fd, "
			     "DIR/fd: links to /proc/self/fd in that /dev of brig's)", f[1]);
		goto out;
	}
	m->src = TAKE_PTR(f[0]);
	ret = noauto ? 0 : 1;
out:
	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		free(f[i]);
	if (ret != 1)
		jmount_free(m);
	return ret;
}

void jmount_free(struct jmount *m)
{
	free(m->src);
	free(m->target);
	free(m->data);
	free(m->origin);
	memset(m, 0, sizeof(*m));
}
