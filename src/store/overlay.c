/* Mounting a thin jail: the template's root below, the jail's own layer above. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"
#include "util/strbuf.h"

/* Escape a path for an overlayfs option value (',' ':' '\'). Caller frees. */
char *overlay_escape(const char *path)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = path; *p; p++) {
		if (*p == ',' || *p == ':' || *p == '\\')
			sb_addc(&sb, '\\');
		sb_addc(&sb, *p);
	}
	return sb_steal(&sb);
}

/* Idmapped, detached copies of the template's root (lower, read through
 * the jail's map) and of the jail's directory (upper and work, through
 * the map with the mounting root added: overlayfs makes its work files
 * and copies up as the root that mounted it). */
static int idmapped_layers(const char *lower, const char *jaildir, const struct idmap *map,
			   int *lfd, int *jfd, struct brig_err *e)
{
	cleanup_close int ns = userns_fd(map, false, e);
	cleanup_close int creator = ns < 0 ? -1 : userns_fd(map, true, e);

	*lfd = *jfd = -1;
	if (creator < 0)
		return -1;
	*lfd = idmap_clone(AT_FDCWD, lower, false, ns, e);
	if (*lfd < 0)
		return -1;
	*jfd = idmap_clone(AT_FDCWD, jaildir, false, creator, e);
	if (*jfd < 0) {
		close(*lfd);
		*lfd = -1;
		return -1;
	}
	return 0;
}

/* Mount an overlay with opts on the directory target itself, reached
 * without following a link. */
static int mount_on(const char *target, const char *template, unsigned long flags, const char *opts,
		    struct brig_err *e)
{
	cleanup_close int fd = open(target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	char proc[64];

	if (fd < 0)
		return brig_err_set(e, errno, "mounting `%s`", target);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (mount("overlay", proc, "overlay", flags, opts) < 0)
		return brig_err_set(e, errno, "mounting the overlay of template `%s` on `%s`",
				    template, target);
	return 0;
}

int overlay_mount(const char *storeabs, const char *jail, const char *template,
		  const struct idmap *map, struct brig_err *e)
{
	cleanup_free char *lower = xasprintf("%s/templates/%s/root", storeabs, template);
	cleanup_free char *jaildir = xasprintf("%s/jails/%s", storeabs, jail);
	cleanup_free char *upper = xasprintf("%s/upper", jaildir);
	cleanup_free char *work = xasprintf("%s/work", jaildir);
	cleanup_free char *target = xasprintf("%s/root", jaildir);
	cleanup_free char *l = NULL, *u = NULL, *w = NULL, *opts = NULL;
	cleanup_close int lfd = -1, jfd = -1;

	if (map) {
		if (idmapped_layers(lower, jaildir, map, &lfd, &jfd, e) < 0)
			return brig_err_wrap(e, "the jail's layers");
		l = xasprintf("/proc/self/fd/%d", lfd);
		u = xasprintf("/proc/self/fd/%d/upper", jfd);
		w = xasprintf("/proc/self/fd/%d/work", jfd);
	} else {
		l = overlay_escape(lower);
		u = overlay_escape(upper);
		w = overlay_escape(work);
	}
	/* index and metacopy off: snapshots and rollbacks replace the upper
	 * layer, and exported layers move to other machines; neither may
	 * depend on overlayfs's own index of the layers. */
	opts = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s,index=off,metacopy=off,redirect_dir=off",
			 l, u, w);
	return mount_on(target, template, 0, opts, e);
}

int overlay_mount_ro(const char *storeabs, const char *jail, const char *template,
		     struct brig_err *e)
{
	cleanup_free char *lower = xasprintf("%s/templates/%s/root", storeabs, template);
	cleanup_free char *upper = xasprintf("%s/jails/%s/upper", storeabs, jail);
	cleanup_free char *target = xasprintf("%s/jails/%s/root", storeabs, jail);
	cleanup_free char *l = overlay_escape(lower), *u = overlay_escape(upper);
	cleanup_free char *opts = xasprintf("lowerdir=%s:%s,index=off,metacopy=off,redirect_dir=off",
					    u, l);

	return mount_on(target, template, MS_RDONLY, opts, e);
}
