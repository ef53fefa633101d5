/* Network sysctls through /proc/sys. */
#include "sys/sysctl_net.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/mem.h"

int sysctl_net_forwarding(int family, struct brig_err *e)
{
	const char *path = family == AF_INET6 ? "/proc/sys/net/ipv6/conf/all/forwarding"
					      : "/proc/sys/net/ipv4/ip_forward";
	cleanup_close int fd = open(path, O_RDWR | O_CLOEXEC);
	char cur = 0;

	if (fd < 0)
		return brig_err_set(e, errno, "enabling forwarding: opening %s", path);
	if (read(fd, &cur, 1) == 1 && cur == '1')
		return 0;
	if (lseek(fd, 0, SEEK_SET) < 0 || write(fd, "1\n", 2) != 2)
		return brig_err_set(e, errno, "enabling forwarding: writing %s", path);
	return 0;
}
