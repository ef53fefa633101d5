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

/* Mount jails/JAIL/root of the store at absolute path storeabs, from its
 * template's root and its upper/work layers. */
int overlay_mount(const char *storeabs, const char *jail, const char *template,
		  struct brig_err *e)
{
	cleanup_free char *lower = xasprintf("%s/templates/%s/root", storeabs, template);
	cleanup_free char *upper = xasprintf("%s/jails/%s/upper", storeabs, jail);
	cleanup_free char *work = xasprintf("%s/jails/%s/work", storeabs, jail);
	cleanup_free char *target = xasprintf("%s/jails/%s/root", storeabs, jail);
	cleanup_free char *l = overlay_escape(lower), *u = overlay_escape(upper),
			  *w = overlay_escape(work);
	/* index and metacopy off: snapshots and rollbacks replace the upper
	 * layer, and exported layers move to other machines; neither may
	 * depend on overlayfs's own index of the layers. */
	cleanup_free char *opts = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s,index=off,"
					    "metacopy=off,redirect_dir=off", l, u, w);
	cleanup_close int fd = -1;
	char proc[64];

	/* Mount on the directory itself, reached without following a link. */
	fd = open(target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return brig_err_set(e, errno, "mounting `%s`", target);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (mount("overlay", proc, "overlay", 0, opts) < 0)
		return brig_err_set(e, errno, "mounting the overlay of template `%s` on `%s`",
				    template, target);
	return 0;
}
