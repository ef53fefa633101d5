/* Network sysctls through /proc/sys. */
#include "sys/sysctl_net.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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

/* Open net.ipv4.conf.IFNAME.route_localnet and read its first byte. */
static int localnet_open(const char *ifname, char *cur, struct brig_err *e)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/route_localnet", ifname);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return brig_err_set(e, errno, "route_localnet of %s: opening %s", ifname, path);
	if (read(fd, cur, 1) != 1) {
		brig_err_set(e, errno, "route_localnet of %s: reading %s", ifname, path);
		close(fd);
		return -1;
	}
	return fd;
}

int sysctl_net_route_localnet_get(const char *ifname, struct brig_err *e)
{
	char cur = 0;
	int fd = localnet_open(ifname, &cur, e);

	if (fd < 0)
		return -1;
	close(fd);
	return cur == '1';
}

int sysctl_net_route_localnet_on(const char *ifname, struct brig_err *e)
{
	char cur = 0;
	cleanup_close int fd = localnet_open(ifname, &cur, e);

	if (fd < 0)
		return -1;
	if (cur == '1')
		return 0;
	if (lseek(fd, 0, SEEK_SET) < 0 || write(fd, "1\n", 2) != 2)
		return brig_err_set(e, errno, "route_localnet of %s: writing 1", ifname);
	return 0;
}

int sysctl_net_read(const char *rel, char *buf, size_t size)
{
	char path[160];
	ssize_t n;
	int fd, saved;

	snprintf(path, sizeof(path), "/proc/sys/net/%s", rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || size < 2)
		return -1;
	n = read(fd, buf, size - 1);
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}
