/* linux.sysctl: the network ones, written inside the container's own
 * network namespace (oci/state.h's oci_sysctl_apply). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oci/state.h"
#include "sys/nsrun.h"
#include "util/io.h"
#include "util/mem.h"

static int write_all_sysctl(void *arg, struct brig_err *e)
{
	char *const *kv = arg;

	for (size_t i = 0; kv[i]; i++) {
		const char *eq = strchr(kv[i], '=');
		cleanup_free char *name = xstrndup(kv[i], (size_t)(eq - kv[i]));
		cleanup_free char *path = NULL;
		cleanup_close int fd = -1;

		for (char *c = name; *c; c++) {
			if (*c == '.')
				*c = '/';
			else if (*c == '/')
				*c = '.';	/* a VLAN's interface name (eth0.1) */
		}
		path = xasprintf("/proc/sys/%s", name);
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 || write_all(fd, eq + 1, strlen(eq + 1)) < 0)
			return brig_err_set(e, errno, "linux.sysctl: %.*s", (int)(eq - kv[i]), kv[i]);
	}
	return 0;
}

int oci_sysctl_apply(pid_t init, char *const *kv, struct brig_err *e)
{
	int fd = -1, r;

	if (!kv || !kv[0])
		return 0;
	r = ns_open_net(init, &fd, e);
	if (r < 0)
		return -1;
	if (r == 0)
		return brig_err_set(e, 0, "linux.sysctl: the container has no network namespace of its own");
	r = ns_run(fd, CLONE_NEWNET, "the container's network namespace", write_all_sysctl, (void *)kv, e);
	close(fd);
	return r;
}
