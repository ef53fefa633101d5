#include "sys/lo.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/mem.h"

int lo_up(struct brig_err *e)
{
	/* One ioctl pair is all it takes; rtnetlink would be more code for
	 * the same flag. */
	cleanup_close int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;

	if (s < 0)
		return brig_err_set(e, errno, "lo: socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return brig_err_set(e, errno, "lo: reading flags");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return brig_err_set(e, errno, "lo: bringing it up");
	return 0;
}
