/* Device nodes in a tree a helper made (debootstrap makes /dev/null and
 * friends with mknod): removed unless the user asked for them. Trees read
 * from a tarball or copied from a directory leave them out as they go
 * (archive.c, copy.c). A jail gets its /dev from brig (mount.devfs). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "store/internal.h"
#include "util/mem.h"

static int strip_entry(void *ctx, struct walk_ent *w, struct brig_err *e)
{
	struct store_devices *dev = ctx;

	if (!(S_ISCHR(w->st.st_mode) || S_ISBLK(w->st.st_mode)) || w->st.st_rdev == makedev(0, 0))
		return 0;
	if (unlinkat(w->dirfd, w->name, 0) < 0)
		return brig_err_set(e, errno, "removing the device node `%s`", w->path);
	if (!dev->first)
		dev->first = xstrdup(w->path);
	dev->dropped++;
	return 0;
}

/* Remove the device nodes under topfd that dev does not keep. */
int strip_devices(int topfd, struct store_devices *dev, struct brig_err *e)
{
	static const struct walk_ops ops = { strip_entry, NULL };

	if (dev->keep)
		return 0;
	return walk_tree(topfd, &ops, dev, e);
}
